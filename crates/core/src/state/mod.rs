//! The state of a run: the fold of its log.
//!
//! [`State::apply`] is the only way state changes, and it cannot fail: an
//! event is checked with [`State::check`] before it is appended, so apply
//! meets only events that make sense. Everything a mechanism may read is here,
//! indexed by the scenario's listing order. The fields of an event that the
//! state rather than the decider determines are computed in one place
//! ([`State::settle`]); `check` holds an event to them.

mod apply;
mod bargaining;
mod batch;
mod bodies;
mod coercion;
mod fronts;
mod names;
mod opening;
mod refusal;
mod rules;
mod settle;
mod trust;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use crate::event::{Id, StrikeTarget};
use crate::forecast::{self, Forecasts};
use crate::scenario::{ForecastKind, Scenario, StopRule};

pub use bargaining::{Bargaining, Verdict};
pub use batch::Batch;
pub use bodies::{ResolutionStatus, VoteVerdict, ballot};
pub use coercion::{MAX_CONDITION_DEPTH, ThreatTerms};
pub use fronts::FrontView;

pub use refusal::Refusal;

pub(crate) use names::Refs;

use bargaining::History;

/// Members of an issue whose weighted positions a forecast reads from the
/// stack rather than from an allocation.
const ON_STACK: usize = 64;
use names::Names;

/// Where an actor stands on an issue now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Held {
    /// Position, 0–100.
    pub position: f64,
    /// Salience, (0, 1].
    pub salience: f64,
}

/// The life of a ceasefire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeasefireStatus {
    /// Never agreed.
    NotAgreed,
    /// Agreed and holding.
    InForce,
    /// Agreed, then collapsed; it may be agreed again.
    Collapsed,
}

/// A theatre's ceasefire as it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Ceasefire {
    /// The theatre.
    pub theatre: String,
    /// The governing issue.
    pub issue: usize,
    /// Its parties (actor indices).
    pub parties: Vec<usize>,
    /// Where it stands.
    pub status: CeasefireStatus,
    /// Violations since it was last agreed.
    pub violations: u32,
    /// The round it was last agreed.
    pub agreed_round: Option<u32>,
    /// Patrons who broker it (actor indices); empty: its parties agree it.
    pub brokers: Vec<usize>,
    /// Parties who refused it when it was last agreed: it does not bind
    /// them.
    pub spoilers: Vec<usize>,
    /// Times it has collapsed.
    pub collapses: u32,
    /// Who violated it this round (actor indices), until the round closes.
    pub violators: Vec<usize>,
    /// Whether the issue's high end means no ceasefire (format 2 polarity):
    /// positions are read reversed.
    pub reversed: bool,
    /// Its collapse hazard, when it collapses by one rather than on a count
    /// of violations.
    pub hazard: Option<HazardTerms>,
    /// Violations in each closed round since it was last agreed, the most
    /// recent last: as many as its hazard's window needs.
    pub recent: Vec<u32>,
    /// Groups it does not cover (actor indices): a strike on them is no
    /// violation.
    pub exempt: Vec<usize>,
}

/// A ceasefire's collapse hazard as the state reads it (the scenario's
/// [`CollapseHazard`](crate::scenario::CollapseHazard) with its monitoring
/// level).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HazardTerms {
    /// The chance of collapse in a round without violations, trust or
    /// monitoring.
    pub base: f64,
    /// Log-odds per violation in the window.
    pub per_violation: f64,
    /// Rounds in the window, this one included.
    pub window: u32,
    /// Log-odds off at mean trust 1.
    pub trust: f64,
    /// Log-odds off at monitoring 1.
    pub monitoring_weight: f64,
    /// The monitoring level, 0 without monitoring.
    pub monitoring: f64,
}

impl HazardTerms {
    /// The chance of collapse this round, given the violations in the
    /// window and the mean trust among the bound parties: the one
    /// statement of the hazard (docs/models.md).
    /// logit p = logit(base) + per_violation·v − trust·t̄ − monitoring_weight·m.
    pub fn chance(&self, violations: u32, mean_trust: f64) -> f64 {
        if self.base <= 0.0 {
            return 0.0;
        }
        if self.base >= 1.0 {
            return 1.0;
        }
        let logit = (self.base / (1.0 - self.base)).ln()
            + self.per_violation * f64::from(violations)
            - self.trust * mean_trust
            - self.monitoring_weight * self.monitoring;
        let p = 1.0 / (1.0 + (-logit).exp());
        if p.is_finite() {
            p.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

impl Ceasefire {
    /// Whether it binds `actor`: a party that did not refuse it.
    pub fn binds(&self, actor: usize) -> bool {
        self.parties.contains(&actor) && !self.spoilers.contains(&actor)
    }

    /// The violations its hazard counts now: those of the closed rounds in
    /// its window and those of this round so far.
    pub fn recent_violations(&self) -> u32 {
        let this_round = u32::try_from(self.violators.len()).unwrap_or(u32::MAX);
        self.recent
            .iter()
            .fold(this_round, |sum, &n| sum.saturating_add(n))
    }
}

/// What a ceasefire's parties bring to it now, on its governing issue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CeasefireTerms {
    /// The parties' mean position.
    pub mean: f64,
    /// The distance between the parties' extreme positions.
    pub spread: f64,
}

/// A sanction regime as it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Regime {
    /// The regime's id.
    pub id: String,
    /// Its members (actor indices), in the scenario's order: those who vote
    /// on it, or the one `imposer` who decides it alone
    /// ([`RegimeRule::members`](crate::scenario::RegimeRule::members)).
    pub imposers: Vec<usize>,
    /// How the members' votes decide.
    pub rule: crate::scenario::DecisionRule,
    /// Who it targets (actor index).
    pub target: usize,
    /// 1 whole, 0 lifted, in between eased.
    pub level: f64,
    /// Renewal decisions taken.
    pub decisions: u32,
}

impl Regime {
    /// The first member: the one imposer of a regime decided alone, and the
    /// side of a decision whose trust with the target the decision moves.
    pub fn first(&self) -> Option<usize> {
        self.imposers.first().copied()
    }

    /// Whether the regime is still in force.
    pub fn active(&self) -> bool {
        self.level > 0.0
    }
}

/// An agreement signed on an issue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Agreement {
    /// The round it was signed.
    pub round: u32,
    /// The agreed position.
    pub position: f64,
    /// How far it has been carried out.
    pub stage: Stage,
    /// Rounds of full compliance so far.
    pub steps: u32,
    /// Rounds running in which some bound principal did not comply.
    pub lapses: u32,
}

/// How far a signed agreement has been carried out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Signed, being carried out.
    Signed,
    /// Carried out in full.
    Implemented,
    /// Stalled: a principal stopped complying.
    Stalled,
}

/// Where a threat stands.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ThreatState {
    /// Its life so far.
    pub status: ThreatStatus,
    /// The deadline now standing.
    pub deadline: crate::date::Date,
    /// Whether it was extended once.
    pub extended: bool,
    /// The target's position when it was made.
    pub made_at: f64,
    /// The round it was carried out in (0 until then).
    pub since: u32,
    /// The target's last answer, if it answered.
    pub answer: Option<crate::event::Answer>,
}

/// The life of a threat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThreatStatus {
    /// Not made yet.
    Pending,
    /// Made, its deadline not yet reached.
    Standing,
    /// Carried out: its punishment runs.
    CarriedOut,
    /// Withdrawn: its condition was met.
    Withdrawn,
    /// Fell due when its author no longer stood where it would act.
    Lapsed,
    /// Carried out, and its punishment is over.
    Ended,
}

/// A striker's strikes in a theatre so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StrikeCount<'s> {
    /// Who struck.
    pub striker: &'s str,
    /// Where.
    pub theatre: &'s str,
    /// On designated terrorists, on other armed opposition, on threatened
    /// actors' forces ([`StrikeTarget::index`]).
    pub counts: [u64; StrikeTarget::COUNT],
}

impl StrikeCount<'_> {
    /// The key a sweep counts it under: `STRIKER/theatre`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.striker, self.theatre)
    }
}

/// The state of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The scenario's ids, interned once (shared by every clone).
    names: Arc<Names>,
    capability: Vec<f64>,
    /// Issue-major: `stances[issue * actors + actor]`.
    stances: Vec<Option<Held>>,
    /// Actors with a stance on each issue, in listing order.
    members: Vec<Vec<usize>>,
    /// Issue-major like `stances`; 1 until the model says otherwise.
    risk: Vec<f64>,
    principals: Vec<Vec<usize>>,
    /// Per issue, who must act on an agreement: the issue's `must_act`, or
    /// its principals.
    must_act: Vec<Vec<usize>>,
    /// Per issue, max − min of the positions when round 0 closed.
    opening_range: Vec<f64>,
    closed: Option<u32>,
    ceasefires: Vec<Ceasefire>,
    regimes: Vec<Regime>,
    agreements: Vec<Option<Agreement>>,
    /// Per issue, principals who refused a brokered agreement.
    agreement_spoilers: Vec<Vec<usize>>,
    /// Whether a signed agreement freezes its issue (no implementation
    /// rule).
    agreements_freeze: bool,
    /// Threats, in scenario order.
    threats: Vec<ThreatState>,
    /// Per threat: who threatens whom (actor indices).
    threat_parties: Vec<(usize, usize)>,
    /// Per threat: the strikes it threatens (striker, theatre, a round).
    threat_strikes: Vec<Option<(usize, String, u32)>>,
    /// The threats' rules with their ids resolved (shared by every clone).
    coercion: Arc<coercion::Coercion>,
    /// Per outcome a threat's condition names: whether it has happened.
    seen: Vec<bool>,
    /// The bodies' rules with their ids resolved (shared by every clone).
    bodies: Arc<bodies::Bodies>,
    /// The linkage rule's groups: parties and the issue each yields on.
    groups: Arc<Vec<(Vec<usize>, Vec<usize>)>>,
    /// Per draft resolution, in body then listing order: where it stands.
    resolutions: Vec<ResolutionStatus>,
    /// Trust as the scenario opens, for recovery.
    trust0: Vec<f64>,
    /// Per ceasefire: trust recovery a round among its parties.
    trust_recovery: Vec<f64>,
    /// Which forecast an agreement is signed at.
    agreement_forecast: ForecastKind,
    /// Symmetric, `trust[a * actors + b]`.
    trust: Vec<f64>,
    trust_rate: f64,
    /// Strikes so far by target (see [`StrikeTarget::index`]), indexed like
    /// `strike_capacity`.
    strike_counts: Vec<[u64; StrikeTarget::COUNT]>,
    /// Strikes an actor may make a round in a theatre,
    /// `[actor * theatres + theatre]` (0: none).
    strike_capacity: Vec<u32>,
    /// Strikes made this round, indexed like `strike_capacity`.
    strikes_this_round: Vec<u32>,
    last_offer: BTreeMap<(usize, usize), u32>,
    applied: u64,
    /// The scenario's stop rule, if bargaining may end.
    stop: Option<StopRule>,
    /// Where bargaining stands.
    bargaining: Bargaining,
    /// Positions and forecasts at the last closes, for the stop rule.
    history: History,
    /// Each issue's forecasts as the state stands, once read.
    forecasts: Cached,
    /// The fronts' rules with their ids resolved (shared by every clone).
    fronts: Arc<fronts::FrontTable>,
    /// Per front, each side's share of it, in the sides' order.
    control: Vec<[f64; 2]>,
    /// Per front, strikes on each side in its theatre this round.
    front_hits: Vec<[u32; 2]>,
    /// Per front, each side's belief about the contest share it wins.
    belief: Vec<[f64; 2]>,
    /// Per front, the round its control last changed.
    front_moved: Vec<Option<u32>>,
}

/// The forecasts of each issue as the state stands, computed when first
/// read: a round reads them several times (the model, the agreement rule,
/// the close, the stop rule's memory), and they stay valid until
/// [`State::apply`] changes a position, salience or capability they weigh.
/// A cache, not part of the state: two states are equal whatever it holds.
#[derive(Clone, Default)]
struct Cached(Vec<OnceLock<Forecasts>>);

impl Cached {
    fn new(issues: usize) -> Cached {
        Cached((0..issues).map(|_| OnceLock::new()).collect())
    }

    /// Forgets the forecasts of `issue`.
    fn forget(&mut self, issue: usize) {
        if let Some(cell) = self.0.get_mut(issue) {
            cell.take();
        }
    }

    /// Forgets every issue's forecasts.
    fn forget_all(&mut self) {
        self.0.iter_mut().for_each(|cell| {
            cell.take();
        });
    }
}

impl PartialEq for Cached {
    fn eq(&self, _: &Cached) -> bool {
        true
    }
}

impl std::fmt::Debug for Cached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cached")
    }
}

impl State {
    /// The state before any event: the scenario as written. The scenario must
    /// have passed [`Scenario::problems`]; references it cannot resolve are
    /// skipped rather than trusted.
    pub fn new(scenario: &Scenario) -> State {
        let names = Names::new(scenario);
        let (actors, issues) = (&names.actors, &names.issues);
        let stances = opening::stances(scenario, actors, issues);
        let members = opening::members(&stances, actors.len(), issues.len());
        let trust = opening::trust(scenario, actors);
        let strike_capacity = opening::strike_capacity(scenario, actors, &names.theatres);
        let coercion = coercion::Coercion::new(scenario, actors, issues);
        let bodies = bodies::Bodies::new(scenario, actors, issues);
        let groups = scenario
            .linkage
            .iter()
            .flat_map(|l| &l.groups)
            .map(|g| {
                let parties = g.parties.iter().filter_map(|p| actors.get(p)).collect();
                let issues = g.issues.iter().filter_map(|i| issues.get(i)).collect();
                (parties, issues)
            })
            .collect();
        let front_table = fronts::FrontTable::new(scenario, actors, &names.ceasefires);
        let control = fronts::FrontTable::control(scenario, &front_table);
        let belief = front_table.beliefs();
        State {
            groups: Arc::new(groups),
            resolutions: bodies::statuses(&bodies),
            bodies: Arc::new(bodies),
            front_hits: vec![[0, 0]; control.len()],
            front_moved: vec![None; control.len()],
            control,
            belief,
            fronts: Arc::new(front_table),
            capability: scenario.actors.iter().map(|a| a.capability).collect(),
            risk: vec![1.0; stances.len()],
            stances,
            members,
            principals: scenario
                .issues
                .iter()
                .map(|i| opening::resolve(actors, &i.principals))
                .collect(),
            must_act: scenario
                .issues
                .iter()
                .map(|i| {
                    if i.must_act.is_empty() {
                        opening::resolve(actors, &i.principals)
                    } else {
                        opening::resolve(actors, &i.must_act)
                    }
                })
                .collect(),
            opening_range: Vec::new(),
            closed: None,
            ceasefires: opening::ceasefires(scenario, actors, issues),
            regimes: opening::regimes(scenario, actors),
            agreements: vec![None; issues.len()],
            agreement_spoilers: vec![Vec::new(); issues.len()],
            agreements_freeze: scenario.agreement.implementation.is_none(),
            threats: opening::threats(scenario),
            threat_parties: opening::threat_parties(scenario, actors),
            threat_strikes: opening::threat_strikes(scenario, actors),
            seen: vec![false; coercion.watched.len()],
            coercion: Arc::new(coercion),
            trust0: trust.clone(),
            trust_recovery: scenario
                .ceasefires
                .iter()
                .map(|c| c.trust_recovery)
                .collect(),
            agreement_forecast: scenario.agreement.forecast,
            trust,
            trust_rate: scenario.trust.rate,
            strike_counts: vec![[0; StrikeTarget::COUNT]; strike_capacity.len()],
            strikes_this_round: vec![0; strike_capacity.len()],
            strike_capacity,
            last_offer: BTreeMap::new(),
            applied: 0,
            stop: scenario.model.stop,
            bargaining: Bargaining::Moving,
            history: History::new(scenario.model.stop.as_ref()),
            forecasts: Cached::new(names.issues.len()),
            names: Arc::new(names),
        }
    }

    /// The round in progress: 0 until round 0 is closed, then 1, 2, …
    pub fn round(&self) -> u32 {
        self.closed.map_or(0, |r| r + 1)
    }

    /// Events applied so far.
    pub fn events_applied(&self) -> u64 {
        self.applied
    }

    /// Actor ids in listing order.
    pub fn actors(&self) -> &[Id] {
        self.names.actors.ids()
    }

    /// Issue ids in listing order.
    pub fn issues(&self) -> &[Id] {
        self.names.issues.ids()
    }

    /// The index of an actor id.
    pub fn actor(&self, id: &str) -> Option<usize> {
        self.names.actors.get(id)
    }

    /// The index of an issue id.
    pub fn issue(&self, id: &str) -> Option<usize> {
        self.names.issues.get(id)
    }

    /// An actor's capability.
    pub fn capability(&self, actor: usize) -> f64 {
        self.capability[actor]
    }

    /// Where `actor` stands on `issue`, if it holds a stance.
    pub fn held(&self, issue: usize, actor: usize) -> Option<Held> {
        self.stances.get(self.cell(issue, actor)).copied().flatten()
    }

    /// The actors with a stance on `issue`, in listing order.
    pub fn members(&self, issue: usize) -> &[usize] {
        &self.members[issue]
    }

    /// The principals of `issue`.
    pub fn principals(&self, issue: usize) -> &[usize] {
        &self.principals[issue]
    }

    /// Who must act on an agreement on `issue`: its `must_act`, or its
    /// principals.
    pub fn must_act(&self, issue: usize) -> &[usize] {
        &self.must_act[issue]
    }

    /// Who must act on the agreement on `issue` but refused it as a
    /// spoiler, in the order of `must_act`: while any did, it cannot be
    /// implemented.
    pub fn refusing(&self, issue: usize) -> Vec<usize> {
        self.must_act[issue]
            .iter()
            .copied()
            .filter(|p| self.agreement_spoilers[issue].contains(p))
            .collect()
    }

    /// An actor's current risk exponent on an issue.
    pub fn risk(&self, issue: usize, actor: usize) -> f64 {
        self.risk[self.cell(issue, actor)]
    }

    /// Every member's id and position on `issue`, in listing order.
    pub fn positions(&self, issue: usize) -> impl Iterator<Item = (&str, f64)> + '_ {
        self.members[issue].iter().filter_map(move |&a| {
            self.held(issue, a)
                .map(|h| (self.actors()[a].as_str(), h.position))
        })
    }

    /// `(position, capability × salience)` of every member of `issue`.
    pub fn weighted_positions(&self, issue: usize) -> Vec<(f64, f64)> {
        self.members[issue]
            .iter()
            .filter_map(|&a| {
                self.held(issue, a)
                    .map(|h| (h.position, self.capability[a] * h.salience))
            })
            .collect()
    }

    /// The weighted mean and the weighted median on `issue`.
    pub fn forecasts(&self, issue: usize) -> Forecasts {
        match self.forecasts.0.get(issue) {
            Some(cell) => *cell.get_or_init(|| self.forecasts_now(issue)),
            None => self.forecasts_now(issue),
        }
    }

    /// The capability×salience weighted mean on `issue` (the bits of
    /// [`forecast::weighted_mean`] of its weighted positions).
    pub fn mean(&self, issue: usize) -> f64 {
        self.forecasts(issue).mean
    }

    /// The weighted median on `issue`.
    pub fn median(&self, issue: usize) -> f64 {
        self.forecasts(issue).median
    }

    /// The forecasts of `issue`, computed.
    fn forecasts_now(&self, issue: usize) -> Forecasts {
        self.with_weighted_positions(issue, forecast::forecasts)
    }

    /// [`State::weighted_positions`] handed to `f`, in a buffer on the
    /// stack for up to [`ON_STACK`] members: the forecasts are read several
    /// times a round (the model, the agreement rule, the close), and need
    /// not allocate each time.
    fn with_weighted_positions<R>(
        &self,
        issue: usize,
        f: impl FnOnce(&mut [(f64, f64)]) -> R,
    ) -> R {
        let members = &self.members[issue];
        if members.len() > ON_STACK {
            return f(&mut self.weighted_positions(issue));
        }
        let mut points = [(0.0, 0.0); ON_STACK];
        let mut n = 0;
        for &a in members {
            if let Some(h) = self.held(issue, a) {
                points[n] = (h.position, self.capability[a] * h.salience);
                n += 1;
            }
        }
        f(&mut points[..n])
    }

    /// The forecast at which an agreement on `issue` would be signed now
    /// (the scenario's agreement rule names which).
    pub fn agreement_forecast(&self, issue: usize) -> f64 {
        match self.agreement_forecast {
            ForecastKind::Mean => self.mean(issue),
            ForecastKind::Median => self.median(issue),
        }
    }

    /// The chance ceasefire `k` collapses this round, as it stands: `None`
    /// unless it is in force and collapses by a hazard.
    pub fn collapse_hazard(&self, k: usize) -> Option<f64> {
        let cf = self.ceasefires.get(k)?;
        let terms = cf.hazard?;
        if cf.status != CeasefireStatus::InForce {
            return None;
        }
        Some(terms.chance(cf.recent_violations(), self.bound_trust(k)))
    }

    /// The mean pairwise trust among the parties ceasefire `k` binds (0
    /// for a ceasefire that does not exist).
    pub fn bound_trust(&self, k: usize) -> f64 {
        let Some(cf) = self.ceasefires.get(k) else {
            return 0.0;
        };
        let bound: Vec<usize> = cf
            .parties
            .iter()
            .copied()
            .filter(|&p| cf.binds(p))
            .collect();
        mean_trust(&bound, |a, b| self.trust(a, b))
    }

    /// The terms the parties of ceasefire `k` bring to it now; `None` if a
    /// party holds no stance on its issue.
    pub fn ceasefire_terms(&self, k: usize) -> Option<CeasefireTerms> {
        let cf = self.ceasefires.get(k)?;
        let who = if cf.brokers.is_empty() {
            &cf.parties
        } else {
            &cf.brokers
        };
        let mut sum = 0.0;
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for &p in who {
            let x = self.ceasefire_reading(k, self.held(cf.issue, p)?.position);
            sum += x;
            lo = lo.min(x);
            hi = hi.max(x);
        }
        (!who.is_empty()).then(|| CeasefireTerms {
            mean: sum / who.len() as f64,
            spread: hi - lo,
        })
    }

    /// A position on ceasefire `k`'s issue read as high = a ceasefire now.
    pub fn ceasefire_reading(&self, k: usize, position: f64) -> f64 {
        if self.ceasefires[k].reversed {
            crate::scale::mirror(position)
        } else {
            position
        }
    }

    /// max − min of the positions on `issue` when the run opened (round 0
    /// closed); the current range before that.
    pub fn opening_range(&self, issue: usize) -> f64 {
        self.opening_range
            .get(issue)
            .copied()
            .unwrap_or_else(|| self.range(issue))
    }

    fn range(&self, issue: usize) -> f64 {
        let (lo, hi) = self.members[issue]
            .iter()
            .filter_map(|&a| self.held(issue, a))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), h| {
                (lo.min(h.position), hi.max(h.position))
            });
        if hi >= lo { hi - lo } else { 0.0 }
    }

    /// The last round closed, if any.
    pub fn closed(&self) -> Option<u32> {
        self.closed
    }

    /// Every ceasefire, in scenario order.
    pub fn ceasefires(&self) -> &[Ceasefire] {
        &self.ceasefires
    }

    /// The index of the ceasefire in `theatre`.
    pub fn ceasefire_index(&self, theatre: &str) -> Option<usize> {
        self.names.ceasefires.get(theatre)
    }

    /// Every sanction regime, in scenario order.
    pub fn regimes(&self) -> &[Regime] {
        &self.regimes
    }

    /// The index of the regime `id`.
    pub fn regime_index(&self, id: &str) -> Option<usize> {
        self.names.regimes.get(id)
    }

    /// The agreement on `issue`, if signed.
    pub fn agreement(&self, issue: usize) -> Option<Agreement> {
        self.agreements[issue]
    }

    /// Whether `issue` is settled: agreed, under a rule that freezes agreed
    /// issues (no implementation rule). Models move no position on it.
    pub fn settled(&self, issue: usize) -> bool {
        self.agreements_freeze && self.agreements[issue].is_some()
    }

    /// Principals who refused the brokered agreement on `issue`.
    pub fn agreement_spoilers(&self, issue: usize) -> &[usize] {
        &self.agreement_spoilers[issue]
    }

    /// Every threat, in scenario order.
    pub fn threats(&self) -> &[ThreatState] {
        &self.threats
    }

    /// The index of threat `id`, in scenario order.
    pub fn threat_index(&self, id: &str) -> Option<usize> {
        self.threat(id)
    }

    /// An actor's salience on an issue, if it holds a stance.
    pub fn salience(&self, issue: usize, actor: usize) -> Option<f64> {
        self.held(issue, actor).map(|h| h.salience)
    }

    /// Trust between two actors, 0–1.
    pub fn trust(&self, a: usize, b: usize) -> f64 {
        self.trust[a * self.names.actors.len() + b]
    }

    /// Strikes so far by every striker in every theatre it struck in, in
    /// the order of the strikers' ids and then the theatres': the one count
    /// of strikes, which reports and sweeps read.
    pub fn strike_counts(&self) -> Vec<StrikeCount<'_>> {
        let (actors, theatres) = (self.actors(), self.theatres());
        let mut all: Vec<StrikeCount<'_>> = self
            .strike_counts
            .iter()
            .enumerate()
            .filter(|(_, counts)| counts.iter().any(|&n| n > 0))
            .map(|(k, &counts)| StrikeCount {
                striker: &actors[k / theatres.len()],
                theatre: &theatres[k % theatres.len()],
                counts,
            })
            .collect();
        all.sort_by(|a, b| (a.striker, a.theatre).cmp(&(b.striker, b.theatre)));
        all
    }

    /// The theatres named by strikes and ceasefires, sorted.
    pub fn theatres(&self) -> &[Id] {
        self.names.theatres.ids()
    }

    /// The round `offerer` last offered `receiver` a package.
    pub fn last_offer(&self, offerer: usize, receiver: usize) -> Option<u32> {
        self.last_offer.get(&(offerer, receiver)).copied()
    }

    /// The index of (striker, theatre) in the strike tables.
    fn strike_cell(&self, striker: &str, theatre: &str) -> Option<usize> {
        Some(self.strike_cell_of(self.actor(striker)?, self.theatre(theatre)?))
    }

    /// The index of (actor index, theatre index) in the strike tables.
    fn strike_cell_of(&self, actor: usize, theatre: usize) -> usize {
        actor * self.names.theatres.len() + theatre
    }

    /// The index of a theatre in [`State::theatres`].
    fn theatre(&self, theatre: &str) -> Option<usize> {
        self.names.theatres.get(theatre)
    }

    /// Strikes `striker` may still make this round in `theatre`, and its
    /// capacity a round; `None` if it has no capacity there.
    pub fn strikes_left(&self, striker: &str, theatre: &str) -> Option<(u32, u32)> {
        self.strikes_left_in(self.strike_cell(striker, theatre)?)
    }

    /// [`State::strikes_left`] for a cell of the strike tables.
    fn strikes_left_in(&self, k: usize) -> Option<(u32, u32)> {
        let cap = self.strike_capacity[k];
        (cap > 0).then(|| (cap.saturating_sub(self.strikes_this_round[k]), cap))
    }

    fn cell(&self, issue: usize, actor: usize) -> usize {
        issue * self.names.actors.len() + actor
    }

    /// The index of threat `id`.
    fn threat(&self, id: &str) -> Option<usize> {
        self.names.threats.get(id)
    }
}

/// Mean trust over every pair of `parties`, in their order (1 without a
/// pair): what a ceasefire's hazards read.
pub fn mean_trust(parties: &[usize], trust: impl Fn(usize, usize) -> f64) -> f64 {
    let mut sum = 0.0;
    let mut pairs = 0usize;
    for (k, &a) in parties.iter().enumerate() {
        for &b in &parties[k + 1..] {
            sum += trust(a, b);
            pairs += 1;
        }
    }
    if pairs == 0 { 1.0 } else { sum / pairs as f64 }
}
