//! The fold of a log: its events applied one by one to the state its header
//! starts, each first checked against the state it meets.
//!
//! This is the read side of every command: replay, report, repair, branch
//! and the law suite's replay law all fold through [`Fold`], so what a user
//! runs is what the laws exercise. An event folds only if it belongs to the
//! round the log is in, is dated within that round and not before the event
//! before it, and could have happened in the state ([`State::check`]).

use std::collections::BTreeSet;

use crate::date::Date;
use crate::event::{Cause, Envelope, Event, PositionChanged, Scripted};
use crate::log::Header;
use crate::scenario::{ModelKind, Problem};
use crate::state::{Refusal, State};

/// Why an event cannot stand where it is in a log.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FoldError {
    /// The header's scenario does not validate, so nothing can be folded.
    #[error("the header's scenario is invalid: {0}")]
    InvalidScenario(Problem),
    /// The event is in another round than the log.
    #[error("the event says round {event}, but the log is in round {log}")]
    Round {
        /// The event's round.
        event: u32,
        /// The round the log is in.
        log: u32,
    },
    /// The event is past the run's last round.
    #[error("round {round} is beyond the run's {rounds} rounds")]
    BeyondRounds {
        /// The event's round.
        round: u32,
        /// The rounds the header announces.
        rounds: u32,
    },
    /// The event's date is outside its round.
    #[error("dated {date}, outside round {round} ({first} to {last})")]
    DateOutsideRound {
        /// The event's date.
        date: Date,
        /// Its round.
        round: u32,
        /// The round's first day.
        first: Date,
        /// The round's last day.
        last: Date,
    },
    /// The event is dated before the event before it.
    #[error("dated {0}, before the event before it")]
    DateBackwards(Date),
    /// The state refuses the event.
    #[error("this {event} event could not have happened here: {refusal}")]
    Refused {
        /// The event type.
        event: &'static str,
        /// Why.
        refusal: Refusal,
    },
}

/// A log folded so far.
#[derive(Clone, Debug)]
pub struct Fold {
    header: Header,
    state: State,
    last_date: Option<Date>,
    /// The seqs of a branch's injected events, which no rule decided.
    injected: BTreeSet<u64>,
    /// The scenario's timeline in the order a run plays it, and how many
    /// of its entries the log has played.
    timeline: Vec<usize>,
    played: usize,
    /// Per issue, the mean the compromise model stepped toward this round.
    compromise_means: Vec<Option<f64>>,
    /// An event was injected this round: the rest of a batch decided before
    /// it is not re-decided from the state it meets.
    injected_this_round: bool,
}

impl Fold {
    /// The fold of the log `header` starts, before any event; fails if the
    /// header's scenario cannot be run.
    pub fn new(header: &Header) -> Result<Fold, FoldError> {
        if let Some(first) = header.scenario.problems().into_iter().next() {
            return Err(FoldError::InvalidScenario(first));
        }
        let mut injected = BTreeSet::new();
        let records = header.branch.iter().flat_map(|b| &b.injections);
        let mut after = None;
        let mut next = 0;
        for record in records.filter(|r| r.event.is_some()) {
            // Injections after one seq take the seqs that follow it, in order.
            next = if after == Some(record.after_seq) {
                next + 1
            } else {
                record.after_seq + 1
            };
            after = Some(record.after_seq);
            injected.insert(next);
        }
        let scenario = &header.scenario;
        let mut timeline: Vec<usize> = (0..scenario.timeline.len()).collect();
        timeline.sort_by_key(|&i| (scenario.timeline[i].date, i));
        let mut state = State::new(scenario);
        state.follow_stop_rule_of(&header.engine);
        Ok(Fold {
            state,
            header: header.clone(),
            last_date: None,
            injected,
            timeline,
            played: 0,
            compromise_means: vec![None; scenario.issues.len()],
            injected_this_round: false,
        })
    }

    /// Checks one event where it stands and applies it.
    pub fn push(&mut self, envelope: &Envelope) -> Result<(), FoldError> {
        let state = &self.state;
        let scenario = &self.header.scenario;
        let round = envelope.round;
        if round != state.round() {
            return Err(FoldError::Round {
                event: round,
                log: state.round(),
            });
        }
        if round > self.header.rounds {
            return Err(FoldError::BeyondRounds {
                round,
                rounds: self.header.rounds,
            });
        }
        let (first, last) = (
            scenario.round_first_day(round),
            scenario.round_last_day(round),
        );
        if envelope.date < first || envelope.date > last {
            return Err(FoldError::DateOutsideRound {
                date: envelope.date,
                round,
                first,
                last,
            });
        }
        if self.last_date.is_some_and(|d| envelope.date < d) {
            return Err(FoldError::DateBackwards(envelope.date));
        }
        let refused = |refusal| FoldError::Refused {
            event: envelope.event.name(),
            refusal,
        };
        let refs = state.checked(&envelope.event).map_err(refused)?;
        if self.injected.contains(&envelope.seq) {
            crate::inject::within_run(&envelope.event, scenario, self.header.rounds)
                .map_err(refused)?;
            self.injected_this_round = true;
        } else {
            self.determined(envelope).map_err(refused)?;
        }
        // Holding the event to what is determined reads the state and
        // changes none of it: the ids looked up by the check still stand.
        self.state.apply_with(&envelope.event, refs);
        self.last_date = Some(envelope.date);
        if let Event::RoundClosed(_) = envelope.event {
            self.compromise_means.fill(None);
            self.injected_this_round = false;
        }
        Ok(())
    }

    /// Holds an event a rule decided without a draw to what the header and
    /// the state determine: a timeline entry's act as the scenario writes
    /// it, every entry of a round played before the round closes, and the
    /// compromise model's moves re-decided from the state.
    fn determined(&mut self, envelope: &Envelope) -> Result<(), Refusal> {
        match &envelope.event {
            Event::Scripted(act) => self.scripted(act, envelope.round, envelope.date),
            Event::PositionChanged(p) if matches!(p.cause, Cause::Uncertainty { .. }) => {
                self.drawn(p)
            }
            Event::PositionChanged(p) => self.compromise_move(p),
            // An agreement is signed at the forecast its rule names.
            Event::AgreementSigned(a) if !self.injected_this_round => {
                let Some(i) = self.state.issue(&a.issue) else {
                    return Ok(());
                };
                let forecast = self.state.agreement_forecast(i);
                if a.position.to_bits() == forecast.to_bits() {
                    Ok(())
                } else {
                    Err(Refusal::Unsettled {
                        what: format!("the agreed position on {}", a.issue),
                        event: a.position.to_string(),
                        state: forecast.to_string(),
                    })
                }
            }
            // Round 0 plays what happened before the start (format 2);
            // every later round the entries dated in it.
            Event::RoundClosed(rc) => {
                let scenario = &self.header.scenario;
                let due = |date: Date| {
                    if rc.round == 0 {
                        date < scenario.start
                    } else {
                        date <= scenario.round_last_day(rc.round)
                    }
                };
                match self.timeline.get(self.played) {
                    Some(&i) if due(self.header.scenario.timeline[i].date) => {
                        let e = &self.header.scenario.timeline[i];
                        Err(Refusal::Unsettled {
                            what: format!("round {}'s timeline", rc.round),
                            event: format!(
                                "closed before timeline entry {i} was played as written"
                            ),
                            state: format!(
                                "entry {i}, dated {}: {} ({:?})",
                                e.date, e.actor, e.text
                            ),
                        })
                    }
                    _ => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    /// A timeline act is the next entry of the scenario's timeline, as
    /// written: while an entry is due in the act's round (the engine plays
    /// the round's entries in order, before anything else of theirs), an
    /// act that is not that entry is refused where it stands, naming the
    /// entry; and the round's close holds the log to every entry. An act
    /// when no entry is due is left to the state's rules.
    fn scripted(&mut self, act: &Scripted, round: u32, date: Date) -> Result<(), Refusal> {
        if let Some(&i) = self.timeline.get(self.played) {
            let scenario = &self.header.scenario;
            let e = &scenario.timeline[i];
            let cameo = e.cameo.as_deref().unwrap_or_else(|| e.kind.default_cameo());
            let expected = (
                e.kind,
                e.actor.as_str(),
                e.target.as_deref(),
                e.issue.as_deref(),
                cameo,
                &e.text,
                // An entry before the start is played in round 0, dated the
                // start.
                e.date.max(self.header.scenario.start),
            );
            let logged = (
                act.kind,
                act.actor.as_str(),
                act.target.as_deref(),
                act.issue.as_deref(),
                act.cameo.as_str(),
                &act.text,
                date,
            );
            let due = if round == 0 {
                e.date < scenario.start
            } else {
                e.date <= scenario.round_last_day(round)
            };
            if logged == expected {
                self.played += 1;
            } else if due {
                // The first field that differs, named.
                let fields = [
                    (
                        "kind",
                        format!("{:?}", logged.0),
                        format!("{:?}", expected.0),
                    ),
                    ("actor", logged.1.to_owned(), expected.1.to_owned()),
                    (
                        "target",
                        format!("{:?}", logged.2),
                        format!("{:?}", expected.2),
                    ),
                    (
                        "issue",
                        format!("{:?}", logged.3),
                        format!("{:?}", expected.3),
                    ),
                    ("CAMEO code", logged.4.to_owned(), expected.4.to_owned()),
                    (
                        "text",
                        format!("{:?}", logged.5),
                        format!("{:?}", expected.5),
                    ),
                    ("date", logged.6.to_string(), expected.6.to_string()),
                ];
                let (field, event, state) = fields
                    .into_iter()
                    .find(|(_, a, b)| a != b)
                    .unwrap_or_default();
                return Err(Refusal::Unsettled {
                    what: format!(
                        "the {field} of this act, which must be timeline entry {i} (the next due) as the scenario writes it,"
                    ),
                    event,
                    state,
                });
            }
        }
        Ok(())
    }

    /// A compromise-model move is the step the model makes from the state:
    /// the scenario's λ, toward the round's weighted mean, by λ(1 − s).
    /// An opening position drawn within its stance's uncertainty: the
    /// half-width is the scenario's, and the draw lies within it of where
    /// the stance opened (which draw, only `--rerun` can tell).
    fn drawn(&self, p: &PositionChanged) -> Result<(), Refusal> {
        let Cause::Uncertainty { half_width } = p.cause else {
            return Ok(());
        };
        let Some(stance) = self
            .header
            .scenario
            .stances
            .iter()
            .find(|st| st.actor == p.actor.as_str() && st.issue == p.issue.as_str())
        else {
            return Ok(()); // The state's own check names the unknown stance.
        };
        let what = |field: &str| format!("the {field} of {}'s draw on {}", p.actor, p.issue);
        if half_width.to_bits() != stance.uncertainty.to_bits() {
            return Err(Refusal::Unsettled {
                what: what("half-width"),
                event: half_width.to_string(),
                state: stance.uncertainty.to_string(),
            });
        }
        if (p.to - p.from).abs() > half_width * (1.0 + 1e-12) {
            return Err(Refusal::Unsettled {
                what: what("distance from the opening position"),
                event: (p.to - p.from).abs().to_string(),
                state: format!("at most {half_width}"),
            });
        }
        Ok(())
    }

    fn compromise_move(&mut self, p: &PositionChanged) -> Result<(), Refusal> {
        let Cause::CompromiseModel { mean, lambda } = p.cause else {
            return Ok(());
        };
        if self.injected_this_round {
            return Ok(());
        }
        let model = &self.header.scenario.model;
        let differs = |what: String, event: f64, state: f64| {
            Err(Refusal::Unsettled {
                what,
                event: event.to_string(),
                state: state.to_string(),
            })
        };
        if model.kind != ModelKind::Compromise {
            return Err(Refusal::Malformed(format!(
                "a compromise-model move in a run of the {:?} model",
                model.kind
            )));
        }
        if lambda.to_bits() != model.lambda.to_bits() {
            return differs("the compromise model's λ".to_owned(), lambda, model.lambda);
        }
        let state = &self.state;
        let (Some(a), Some(i)) = (state.actor(&p.actor), state.issue(&p.issue)) else {
            return Ok(()); // The state's own check names the unknown id.
        };
        let round_mean = *self.compromise_means[i].get_or_insert_with(|| state.mean(i));
        if mean.to_bits() != round_mean.to_bits() {
            return differs(
                format!("the mean {} steps toward on {}", p.actor, p.issue),
                mean,
                round_mean,
            );
        }
        let Some(held) = state.held(i, a) else {
            return Ok(());
        };
        let step = lambda * (1.0 - held.salience) * (mean - held.position);
        let to = crate::scale::clamp(held.position + step);
        if p.to.to_bits() != to.to_bits() {
            return differs(
                format!("{}'s compromise step on {}", p.actor, p.issue),
                p.to,
                to,
            );
        }
        Ok(())
    }

    /// The header of the log.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The state after the events folded so far.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Whether the events folded hold every round the header announces.
    pub fn complete(&self) -> bool {
        self.state.closed() == Some(self.header.rounds)
    }

    /// The state, giving up the fold.
    pub fn into_state(self) -> State {
        self.state
    }
}
