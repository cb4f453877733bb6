//! The engine: decide → check → append → apply, round after round.
//!
//! A [`Run`] is an iterator of envelopes. Each round it plays, in order: the
//! timeline's scripted events dated in the round, the model, every mechanism,
//! and the round's close (the forecasts). A phase decides a batch of events
//! from the state at its start; the engine then checks, numbers and applies
//! them one by one. Round 0 holds the draws of uncertain opening positions
//! and the close of the opening state.
//!
//! A run may carry injections: events put into the history right after a
//! given seq (a counterfactual branch). Events already decided in the same
//! batch still happen, unless the injection has made them impossible (a move
//! on an issue an injected agreement settled), in which case they are
//! dropped; every later phase sees the injected event.
//!
//! Before checking an event the engine settles the fields the state, not the
//! decider, determines (a move's `from`, a violation's count), so a log
//! always holds what the state says.

use std::collections::VecDeque;

use crate::date::Date;
use crate::event::Id;
use crate::event::{
    BargainingConverged, BargainingCycled, Cause, Envelope, Event, RoundClosed, Scripted,
};
use crate::log::Header;
use crate::mechanism::{self, Context, Mechanism};
use crate::model::{self, Model};
use crate::scenario::{Problem, Scenario};
use crate::state::{Batch, Refusal, State, Verdict};
use crate::uncertainty;

/// What a run is asked to do beyond the scenario.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RunConfig {
    /// The run seed.
    pub seed: u64,
    /// Rounds to play; the scenario's default if `None`.
    pub rounds: Option<u32>,
    /// Events to put into the history, each right after a seq.
    pub injections: Vec<Injection>,
    /// `(after_seq, seed)`: every phase decided after that seq draws from
    /// streams of that seed (a branch that changes the seed).
    pub reseeds: Vec<(u64, u64)>,
}

impl RunConfig {
    /// The configuration that reproduces the log `header` starts: its seed
    /// and rounds, and a branch's injections and changes of seed.
    pub fn from_header(header: &Header) -> RunConfig {
        let mut injections = Vec::new();
        let mut reseeds = Vec::new();
        for record in header.branch.iter().flat_map(|b| &b.injections) {
            if let Some(event) = &record.event {
                injections.push(Injection {
                    after_seq: record.after_seq,
                    event: event.clone(),
                });
            }
            if let Some(seed) = record.seed {
                reseeds.push((record.after_seq, seed));
            }
        }
        RunConfig {
            seed: header.seed,
            rounds: Some(header.rounds),
            injections,
            reseeds,
        }
    }
}

/// An event put into a run's history from outside.
#[derive(Clone, Debug, PartialEq)]
pub struct Injection {
    /// The seq the event follows (0: before the first event).
    pub after_seq: u64,
    /// The event.
    pub event: Event,
}

/// Why a run cannot go on.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RunError {
    /// The scenario failed validation.
    #[error("the scenario has {} problem(s)", .0.len())]
    Invalid(Vec<Problem>),
    /// Two deciders share a name, so their random streams would coincide.
    #[error("two mechanisms are named {0:?}; names key random streams and must be unique")]
    DuplicateName(String),
    /// A decider produced an event that cannot happen.
    #[error("{decider} decided an impossible {event} at seq {seq}: {refusal}")]
    Refused {
        /// The model, mechanism or injection that decided it.
        decider: String,
        /// The event type.
        event: &'static str,
        /// The seq it would have had.
        seq: u64,
        /// Why it cannot happen.
        refusal: Box<Refusal>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Opening,
    Timeline,
    Model,
    Mechanism(usize),
    Close,
}

struct Pending {
    event: Event,
    date: Date,
    decider: Decider,
}

/// Who decided a pending event; its name is only written out in an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Decider {
    /// The opening draws.
    Uncertainty,
    /// The scenario's timeline.
    Timeline,
    /// The model.
    Model,
    /// The k-th mechanism.
    Mechanism(usize),
    /// The engine itself: a round's close and the stop rule's verdict.
    Engine,
    /// An injection.
    Injection,
}

/// A run in progress: an iterator of envelopes.
pub struct Run<'s> {
    scenario: &'s Scenario,
    seed: u64,
    rounds: u32,
    reseeds: Vec<(u64, u64)>,
    model: Box<dyn Model>,
    mechanisms: Vec<Box<dyn Mechanism>>,
    injections: Vec<Injection>,
    next_injection: usize,
    timeline: Vec<usize>,
    state: State,
    pending: VecDeque<Pending>,
    /// The events a model's or mechanism's phase decided, taken in turn
    /// after `pending` (which holds what comes before them: injections),
    /// with their date and decider: a batch moves each event once.
    batch: std::vec::IntoIter<Event>,
    batch_from: (Date, Decider),
    /// The round and phase to decide next; `None` once the run is over.
    cursor: Option<(u32, Phase)>,
    seq: u64,
    last: Option<(u32, Date)>,
    failed: bool,
    checked: bool,
    /// An injection has been emitted since the current batch was decided.
    injected_in_batch: bool,
    /// Packages (offerer, receiver) whose acceptance this batch dropped:
    /// their moves go with them.
    dropped_packages: Vec<(String, String)>,
}

impl std::fmt::Debug for Run<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("scenario", &self.scenario.id)
            .field("seed", &self.seed)
            .field("rounds", &self.rounds)
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}

/// A scenario checked once and made ready to play any number of runs:
/// what does not depend on the seed (the scenario's validation, the order
/// of its timeline, the state it opens with) is done here, once, so a sweep
/// pays for it once rather than on every seed.
#[derive(Clone, Debug)]
pub struct Prepared<'s> {
    scenario: &'s Scenario,
    /// Timeline entries by date, then listing order.
    timeline: Vec<usize>,
    /// The state before any event.
    opening: State,
}

impl<'s> Prepared<'s> {
    /// Checks `scenario` whole and prepares it; the problems it has, if
    /// any.
    pub fn new(scenario: &'s Scenario) -> Result<Prepared<'s>, RunError> {
        let problems = scenario.problems();
        if !problems.is_empty() {
            return Err(RunError::Invalid(problems));
        }
        let mut timeline: Vec<usize> = (0..scenario.timeline.len()).collect();
        timeline.sort_by_key(|&i| (scenario.timeline[i].date, i));
        Ok(Prepared {
            scenario,
            timeline,
            opening: State::new(scenario),
        })
    }

    /// The scenario prepared.
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// A run with the scenario's model and the built-in mechanisms.
    pub fn run(&self, config: RunConfig) -> Result<Run<'s>, RunError> {
        self.custom(
            config,
            model::from_config(&self.scenario.model),
            mechanism::builtin(),
        )
    }

    /// A run with exactly this model and these mechanisms, in this order.
    pub fn custom(
        &self,
        config: RunConfig,
        model: Box<dyn Model>,
        mechanisms: Vec<Box<dyn Mechanism>>,
    ) -> Result<Run<'s>, RunError> {
        let scenario = self.scenario;
        let mut names = std::collections::BTreeSet::new();
        for name in std::iter::once(model.decider()).chain(mechanisms.iter().map(|m| m.decider())) {
            if !names.insert(name.to_owned())
                || [TIMELINE, INJECTION, uncertainty::DECIDER].contains(&name)
            {
                return Err(RunError::DuplicateName(name.to_owned()));
            }
        }
        let mut injections = config.injections;
        injections.sort_by_key(|inj| inj.after_seq);
        let rounds = config.rounds.unwrap_or(scenario.rounds);
        if let Some(message) = scenario.run_problem(rounds) {
            return Err(RunError::Invalid(vec![Problem {
                path: "--rounds".to_owned(),
                message,
            }]));
        }
        let mut reseeds = config.reseeds;
        reseeds.sort_by_key(|r| r.0);
        let mut run = Run {
            scenario,
            seed: config.seed,
            rounds,
            reseeds,
            model,
            mechanisms,
            injections,
            next_injection: 0,
            timeline: self.timeline.clone(),
            state: self.opening.clone(),
            pending: VecDeque::new(),
            batch: Vec::new().into_iter(),
            batch_from: (scenario.start, Decider::Engine),
            cursor: Some((0, Phase::Opening)),
            seq: 0,
            last: None,
            failed: false,
            checked: true,
            injected_in_batch: false,
            dropped_packages: Vec::new(),
        };
        run.queue_injections();
        Ok(run)
    }
}

impl<'s> Run<'s> {
    /// A run of `scenario` with the scenario's model and the built-in
    /// mechanisms. A sweep prepares the scenario once instead
    /// ([`Prepared::run`]).
    pub fn new(scenario: &'s Scenario, config: RunConfig) -> Result<Run<'s>, RunError> {
        Prepared::new(scenario)?.run(config)
    }

    /// A run with `extra` mechanisms after the built-in ones.
    pub fn with_mechanisms(
        scenario: &'s Scenario,
        config: RunConfig,
        extra: Vec<Box<dyn Mechanism>>,
    ) -> Result<Run<'s>, RunError> {
        let mut mechanisms = mechanism::builtin();
        mechanisms.extend(extra);
        Run::custom(
            scenario,
            config,
            model::from_config(&scenario.model),
            mechanisms,
        )
    }

    /// A run with exactly this model and these mechanisms, in this order.
    pub fn custom(
        scenario: &'s Scenario,
        config: RunConfig,
        model: Box<dyn Model>,
        mechanisms: Vec<Box<dyn Mechanism>>,
    ) -> Result<Run<'s>, RunError> {
        Prepared::new(scenario)?.custom(config, model, mechanisms)
    }

    /// Lets every decided event through unchecked, so that a law suite can
    /// see what a rule really decides (a position of 120, a violation of a
    /// ceasefire not in force) instead of the engine's refusal. Never used to
    /// write a log.
    pub fn without_checks(mut self) -> Self {
        self.checked = false;
        self
    }

    /// The state after the events yielded so far.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The rounds this run plays.
    pub fn rounds(&self) -> u32 {
        self.rounds
    }

    /// The run seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// Puts `events` into the history right after the events yielded so
    /// far and, if `seed` is given, has every phase decided from here on
    /// draw from that seed's streams: a branch taken where the run stands.
    /// The run goes on exactly as one whose [`RunConfig`] held these
    /// injections and this change of seed after the current seq, so a
    /// branch can play its parent's prefix once, hold it to the parent's
    /// lines, and go on from there.
    pub fn branch_here(&mut self, events: Vec<Event>, seed: Option<u64>) {
        let after_seq = self.seq;
        if let Some(seed) = seed {
            let k = self
                .reseeds
                .partition_point(|&(after, _)| after <= after_seq);
            self.reseeds.insert(k, (after_seq, seed));
        }
        // The injections before `next_injection` are queued already, those
        // after it follow later seqs: the new ones go between, in order.
        let k = self.next_injection;
        self.injections.splice(
            k..k,
            events
                .into_iter()
                .map(|event| Injection { after_seq, event }),
        );
        self.queue_injections();
    }

    /// The seed of the streams of a phase decided now.
    fn seed_now(&self) -> u64 {
        self.reseeds
            .iter()
            .rev()
            .find(|(after, _)| self.seq >= *after)
            .map_or(self.seed, |&(_, seed)| seed)
    }

    /// Decides the next phase's batch; false when the run is over.
    fn advance(&mut self) -> bool {
        let Some((round, phase)) = self.cursor else {
            return false;
        };
        let seed = self.seed_now();
        let last_day = self.scenario.round_last_day(round);
        self.injected_in_batch = false;
        self.dropped_packages.clear();
        match phase {
            Phase::Opening => {
                let ctx = Context::new(self.scenario, &self.state, 0, seed, uncertainty::DECIDER);
                let events = uncertainty::draw(&ctx);
                self.queue(events, last_day, Decider::Uncertainty);
            }
            Phase::Timeline => {
                let (first, last) = (self.scenario.round_first_day(round), last_day);
                let start = self.scenario.start;
                let mut batch = Batch::new(&self.state);
                for &i in &self.timeline {
                    let e = &self.scenario.timeline[i];
                    // Round 0 plays what happened before the start (format
                    // 2), dated the start; every other round its own days.
                    let in_round = if round == 0 {
                        e.date < start
                    } else {
                        e.date >= first && e.date <= last
                    };
                    if !in_round {
                        continue;
                    }
                    batch.push(Event::Scripted(Scripted {
                        kind: e.kind,
                        actor: Id::from(e.actor.as_str()),
                        target: e.target.as_deref().map(Id::from),
                        issue: e.issue.as_deref().map(Id::from),
                        cameo: e
                            .cameo
                            .clone()
                            .unwrap_or_else(|| e.kind.default_cameo().to_owned()),
                        text: e.text.clone(),
                    }));
                    crate::effects::effects(self.scenario, &mut batch, i);
                    let date = e.date.max(start);
                    self.pending
                        .extend(batch.take().into_iter().map(|event| Pending {
                            event,
                            date,
                            decider: Decider::Timeline,
                        }));
                }
            }
            Phase::Model if !self.state.bargaining_goes_on() => {}
            Phase::Model => {
                let ctx = Context::new(
                    self.scenario,
                    &self.state,
                    round,
                    seed,
                    self.model.decider(),
                );
                let events = self.model.decide(&ctx);
                self.queue(events, last_day, Decider::Model);
            }
            Phase::Mechanism(k) => {
                let m = &self.mechanisms[k];
                let ctx = Context::new(self.scenario, &self.state, round, seed, m.decider());
                let events = m.decide(&ctx);
                self.queue(events, last_day, Decider::Mechanism(k));
            }
            Phase::Close => {
                // Whether bargaining is over, and the forecasts, are the
                // state's, settled when they are emitted.
                if let Some(verdict) = self.state.verdict() {
                    let event = match verdict {
                        Verdict::Converged { .. } => {
                            Event::BargainingConverged(BargainingConverged::default())
                        }
                        Verdict::Cycled { .. } => {
                            Event::BargainingCycled(BargainingCycled::default())
                        }
                    };
                    self.pending.push_back(Pending {
                        event,
                        date: last_day,
                        decider: Decider::Engine,
                    });
                }
                self.pending.push_back(Pending {
                    event: Event::RoundClosed(RoundClosed {
                        round,
                        issues: Vec::new(),
                    }),
                    date: last_day,
                    decider: Decider::Engine,
                });
            }
        }
        self.cursor = match phase {
            Phase::Opening => Some((0, Phase::Timeline)),
            Phase::Close if round >= self.rounds => None,
            Phase::Close => Some((round + 1, Phase::Timeline)),
            Phase::Timeline if round == 0 => Some((0, Phase::Close)),
            Phase::Timeline => Some((round, Phase::Model)),
            Phase::Model | Phase::Mechanism(_) => {
                let next = match phase {
                    Phase::Mechanism(k) => k + 1,
                    _ => 0,
                };
                if next < self.mechanisms.len() {
                    Some((round, Phase::Mechanism(next)))
                } else {
                    Some((round, Phase::Close))
                }
            }
        };
        true
    }

    /// Takes a phase's `events` as the batch to emit, once `pending` and
    /// the last batch are done (a phase is decided only then).
    fn queue(&mut self, events: Vec<Event>, date: Date, decider: Decider) {
        debug_assert!(self.pending.is_empty() && self.batch.len() == 0);
        self.batch = events.into_iter();
        self.batch_from = (date, decider);
    }

    /// The name of `decider`, as errors and causes give it.
    fn decider_name(&self, decider: Decider) -> &str {
        match decider {
            Decider::Uncertainty => uncertainty::DECIDER,
            Decider::Timeline => TIMELINE,
            Decider::Model => self.model.decider(),
            Decider::Mechanism(k) => self.mechanisms[k].decider(),
            Decider::Engine => "engine",
            Decider::Injection => INJECTION,
        }
    }

    /// Puts the injections that follow the current seq at the front.
    fn queue_injections(&mut self) {
        let seq = self.seq;
        if self
            .injections
            .get(self.next_injection)
            .is_none_or(|inj| inj.after_seq != seq)
        {
            return;
        }
        let mut due = Vec::new();
        while let Some(inj) = self.injections.get(self.next_injection) {
            if inj.after_seq != self.seq {
                break;
            }
            due.push(inj.event.clone());
            self.next_injection += 1;
        }
        let round = self.state.round();
        let date = match self.last {
            Some((r, d)) if r == round => d,
            _ => self.scenario.round_first_day(round),
        };
        for event in due.into_iter().rev() {
            self.pending.push_front(Pending {
                event,
                date,
                decider: Decider::Injection,
            });
        }
    }

    /// Settles, checks, numbers and applies one event; `Ok(None)` when an
    /// earlier injection of this batch has made it impossible and it is
    /// dropped (with the moves of a package whose acceptance is dropped).
    fn emit(&mut self, mut p: Pending) -> Result<Option<Envelope>, RunError> {
        let seq = self.seq + 1;
        if let Event::PositionChanged(pc) = &p.event
            && let Cause::Package { offerer, receiver } = &pc.cause
            && self
                .dropped_packages
                .iter()
                .any(|(o, r)| o == offerer && r == receiver)
        {
            return Ok(None);
        }
        let settled = if self.checked {
            self.state.settle_and_check(&mut p.event)
        } else {
            self.state.settle(&mut p.event);
            Ok(self.state.refs(&p.event))
        };
        let refs = match settled {
            Ok(refs) => refs,
            Err(_) if self.injected_in_batch && p.decider != Decider::Injection => {
                if let Event::PackageAccepted(t) = &p.event {
                    self.dropped_packages
                        .push((t.offerer.to_string(), t.receiver.to_string()));
                }
                return Ok(None);
            }
            Err(refusal) => {
                return Err(RunError::Refused {
                    decider: self.decider_name(p.decider).to_owned(),
                    event: p.event.name(),
                    seq,
                    refusal: Box::new(refusal),
                });
            }
        };
        if p.decider == Decider::Injection {
            self.injected_in_batch = true;
        }
        let round = self.state.round();
        self.state.apply_with(&p.event, refs);
        self.seq = seq;
        self.last = Some((round, p.date));
        self.queue_injections();
        Ok(Some(Envelope {
            seq,
            round,
            date: p.date,
            event: p.event,
        }))
    }
}

/// The decider name of scripted events; reserved.
pub const TIMELINE: &str = "timeline";
/// The decider name of injected events; reserved.
pub const INJECTION: &str = "injection";

impl Iterator for Run<'_> {
    type Item = Result<Envelope, RunError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        loop {
            let next = self.pending.pop_front().or_else(|| {
                let (date, decider) = self.batch_from;
                self.batch.next().map(|event| Pending {
                    event,
                    date,
                    decider,
                })
            });
            if let Some(p) = next {
                match self.emit(p) {
                    Ok(Some(envelope)) => return Some(Ok(envelope)),
                    Ok(None) => continue,
                    Err(e) => {
                        self.failed = true;
                        return Some(Err(e));
                    }
                }
            }
            if !self.advance() {
                return None;
            }
        }
    }
}
