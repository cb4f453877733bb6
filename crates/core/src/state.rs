//! The state of a run: the fold of its log.
//!
//! [`State::apply`] is the only way state changes, and it cannot fail: an
//! event is checked with [`State::check`] before it is appended, so apply
//! meets only events that make sense. Everything a mechanism may read is here,
//! indexed by the scenario's listing order.

use std::collections::BTreeMap;

use crate::event::{Event, StrikeTarget};
use crate::forecast;
use crate::scenario::{Scenario, show};

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

/// A theatre's ceasefire.
#[derive(Clone, Debug, PartialEq)]
pub struct Ceasefire {
    /// The theatre.
    pub theatre: String,
    /// Its parties (actor indices).
    pub parties: Vec<usize>,
    /// Where it stands.
    pub status: CeasefireStatus,
    /// Violations since it was last agreed.
    pub violations: u32,
    /// The round it was last agreed.
    pub agreed_round: Option<u32>,
}

/// A sanction regime.
#[derive(Clone, Debug, PartialEq)]
pub struct Sanctions {
    /// The regime's id.
    pub id: String,
    /// Who imposes it (actor index).
    pub imposer: usize,
    /// Who it targets (actor index).
    pub target: usize,
    /// 1 whole, 0 lifted, in between eased.
    pub level: f64,
    /// Renewal decisions taken.
    pub decisions: u32,
}

impl Sanctions {
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
}

/// Why an event cannot be applied to a state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// The state of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    actors: Vec<String>,
    actor_index: BTreeMap<String, usize>,
    issues: Vec<String>,
    issue_index: BTreeMap<String, usize>,
    capability: Vec<f64>,
    /// Issue-major: `stances[issue * actors + actor]`.
    stances: Vec<Option<Held>>,
    /// Actors with a stance on each issue, in listing order.
    members: Vec<Vec<usize>>,
    /// Issue-major like `stances`; 1 until the model says otherwise.
    risk: Vec<f64>,
    principals: Vec<Vec<usize>>,
    /// Per issue, max − min of the positions when round 0 closed.
    opening_range: Vec<f64>,
    closed: Option<u32>,
    ceasefires: Vec<Ceasefire>,
    sanctions: Vec<Sanctions>,
    agreements: Vec<Option<Agreement>>,
    /// Symmetric, `trust[a * actors + b]`.
    trust: Vec<f64>,
    trust_rate: f64,
    /// Per theatre: strikes on designated terrorists, on other opposition.
    strikes: BTreeMap<String, [u64; 2]>,
    /// Theatres named by strikes and ceasefires.
    theatres: Vec<String>,
    last_offer: BTreeMap<(usize, usize), u32>,
    applied: u64,
}

impl State {
    /// The state before any event: the scenario as written. The scenario must
    /// have passed [`Scenario::problems`]; references it cannot resolve are
    /// skipped rather than trusted.
    pub fn new(scenario: &Scenario) -> State {
        let actors: Vec<String> = scenario.actors.iter().map(|a| a.id.clone()).collect();
        let issues: Vec<String> = scenario.issues.iter().map(|i| i.id.clone()).collect();
        let actor_index: BTreeMap<String, usize> = actors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.clone(), i))
            .collect();
        let issue_index: BTreeMap<String, usize> = issues
            .iter()
            .enumerate()
            .map(|(i, a)| (a.clone(), i))
            .collect();
        let n = actors.len();
        let mut stances = vec![None; n * issues.len()];
        for st in &scenario.stances {
            if let (Some(&a), Some(&i)) = (actor_index.get(&st.actor), issue_index.get(&st.issue)) {
                stances[i * n + a] = Some(Held {
                    position: st.position,
                    salience: st.salience,
                });
            }
        }
        let members = (0..issues.len())
            .map(|i| (0..n).filter(|&a| stances[i * n + a].is_some()).collect())
            .collect();
        let resolve = |ids: &[String]| -> Vec<usize> {
            ids.iter()
                .filter_map(|id| actor_index.get(id).copied())
                .collect()
        };
        let principals = scenario
            .issues
            .iter()
            .map(|i| resolve(&i.principals))
            .collect();
        let ceasefires = scenario
            .ceasefires
            .iter()
            .map(|c| Ceasefire {
                theatre: c.theatre.clone(),
                parties: resolve(&c.parties),
                status: if c.in_force {
                    CeasefireStatus::InForce
                } else {
                    CeasefireStatus::NotAgreed
                },
                violations: 0,
                agreed_round: c.in_force.then_some(0),
            })
            .collect();
        let sanctions = scenario
            .sanctions
            .iter()
            .map(|r| Sanctions {
                id: r.id.clone(),
                imposer: actor_index.get(&r.imposer).copied().unwrap_or(0),
                target: actor_index.get(&r.target).copied().unwrap_or(0),
                level: 1.0,
                decisions: 0,
            })
            .collect();
        let mut trust = vec![scenario.trust.initial; n * n];
        for a in 0..n {
            trust[a * n + a] = 1.0;
        }
        for p in &scenario.trust.pairs {
            if let (Some(&a), Some(&b)) = (actor_index.get(&p.a), actor_index.get(&p.b)) {
                trust[a * n + b] = p.value;
                trust[b * n + a] = p.value;
            }
        }
        State {
            capability: scenario.actors.iter().map(|a| a.capability).collect(),
            risk: vec![1.0; stances.len()],
            stances,
            members,
            principals,
            opening_range: Vec::new(),
            closed: None,
            ceasefires,
            sanctions,
            agreements: vec![None; issues.len()],
            trust,
            trust_rate: scenario.trust.rate,
            strikes: BTreeMap::new(),
            theatres: scenario.theatres(),
            last_offer: BTreeMap::new(),
            applied: 0,
            actors,
            actor_index,
            issues,
            issue_index,
        }
    }

    /// Applies one event. The only mutator; it cannot fail.
    pub fn apply(&mut self, event: &Event) {
        self.applied += 1;
        let g = || event.goldstein();
        match event {
            Event::Scripted(s) => {
                if let (Some(a), Some(t)) = (self.actor(&s.actor), s.target.as_deref())
                    && let Some(t) = self.actor(t)
                {
                    self.nudge_trust(a, t, g());
                }
            }
            Event::RiskUpdated(r) => {
                if let Some(i) = self.issue(&r.issue) {
                    for (id, &exp) in &r.exponents {
                        if let Some(a) = self.actor(id) {
                            let k = self.cell(i, a);
                            self.risk[k] = exp;
                        }
                    }
                }
            }
            Event::PositionChanged(p) => {
                if let (Some(a), Some(i)) = (self.actor(&p.actor), self.issue(&p.issue)) {
                    let k = self.cell(i, a);
                    if let Some(held) = &mut self.stances[k] {
                        held.position = p.to;
                    }
                }
            }
            Event::Strike(s) => {
                let k = match s.target {
                    StrikeTarget::DesignatedTerrorists => 0,
                    StrikeTarget::OtherOpposition => 1,
                };
                // Counted without allocating: strikes are the commonest event.
                match self.strikes.get_mut(s.theatre.as_str()) {
                    Some(counts) => counts[k] += 1,
                    None => {
                        let mut counts = [0; 2];
                        counts[k] = 1;
                        self.strikes.insert(s.theatre.clone(), counts);
                    }
                }
            }
            Event::CeasefireAgreed(c) => {
                let round = self.round();
                if let Some(k) = self.ceasefire_index(&c.theatre) {
                    let cf = &mut self.ceasefires[k];
                    cf.status = CeasefireStatus::InForce;
                    cf.violations = 0;
                    cf.agreed_round = Some(round);
                    let parties = cf.parties.clone();
                    self.nudge_among(&parties, g());
                }
            }
            Event::CeasefireViolated(v) => {
                if let Some(k) = self.ceasefire_index(&v.theatre) {
                    self.ceasefires[k].violations = v.violations;
                    if let Some(by) = self.actor(&v.by) {
                        let parties = self.ceasefires[k].parties.clone();
                        for p in parties.into_iter().filter(|&p| p != by) {
                            self.nudge_trust(by, p, g());
                        }
                    }
                }
            }
            Event::CeasefireCollapsed(c) => {
                if let Some(k) = self.ceasefire_index(&c.theatre) {
                    self.ceasefires[k].status = CeasefireStatus::Collapsed;
                }
            }
            Event::SanctionsRenewed(d) | Event::SanctionsEased(d) | Event::SanctionsLifted(d) => {
                if let Some(k) = self.sanctions.iter().position(|r| r.id == d.regime) {
                    let r = &mut self.sanctions[k];
                    r.level = if matches!(event, Event::SanctionsLifted(_)) {
                        0.0
                    } else {
                        d.level
                    };
                    r.decisions += 1;
                    let (a, b) = (r.imposer, r.target);
                    self.nudge_trust(a, b, g());
                }
            }
            Event::PackageOffered(t) | Event::PackageAccepted(t) => {
                if let (Some(o), Some(r)) = (self.actor(&t.offerer), self.actor(&t.receiver)) {
                    if matches!(event, Event::PackageOffered(_)) {
                        let round = self.round();
                        self.last_offer.insert((o, r), round);
                    }
                    self.nudge_trust(o, r, g());
                }
            }
            Event::PackageRefused(r) => {
                let t = &r.terms;
                if let (Some(o), Some(r)) = (self.actor(&t.offerer), self.actor(&t.receiver)) {
                    self.nudge_trust(o, r, g());
                }
            }
            Event::AgreementSigned(a) => {
                let round = self.round();
                if let Some(i) = self.issue(&a.issue) {
                    self.agreements[i] = Some(Agreement {
                        round,
                        position: a.position,
                    });
                    let principals = self.principals[i].clone();
                    self.nudge_among(&principals, g());
                }
            }
            Event::RoundClosed(rc) => {
                if rc.round == 0 {
                    self.opening_range = (0..self.issues.len()).map(|i| self.range(i)).collect();
                }
                self.closed = Some(rc.round);
            }
        }
    }

    /// Fills in the fields of `event` that the state determines rather than
    /// the decider: a move's `from`, a violation's running count, a
    /// collapse's count, a ceasefire's parties, a regime's target. The engine
    /// settles every event before checking it, so a log holds what the state
    /// says, and [`State::check`] can insist on it when a log is read.
    pub fn settle(&self, event: &mut Event) {
        match event {
            Event::PositionChanged(p) => {
                if let (Some(a), Some(i)) = (self.actor(&p.actor), self.issue(&p.issue))
                    && let Some(held) = self.held(i, a)
                {
                    p.from = held.position;
                }
            }
            Event::CeasefireViolated(v) => {
                if let Some(k) = self.ceasefire_index(&v.theatre) {
                    v.violations = self.ceasefires[k].violations.saturating_add(1);
                }
            }
            Event::CeasefireCollapsed(c) => {
                if let Some(k) = self.ceasefire_index(&c.theatre) {
                    c.violations = self.ceasefires[k].violations;
                }
            }
            Event::CeasefireAgreed(c) => {
                if let Some(k) = self.ceasefire_index(&c.theatre) {
                    c.parties = self.ceasefires[k]
                        .parties
                        .iter()
                        .map(|&p| self.actors[p].clone())
                        .collect();
                }
            }
            Event::SanctionsRenewed(d) | Event::SanctionsEased(d) | Event::SanctionsLifted(d) => {
                if let Some(r) = self.sanctions.iter().find(|r| r.id == d.regime) {
                    d.target = self.actors[r.target].clone();
                }
            }
            _ => {}
        }
    }

    /// Whether `event` can happen now: it names only actors, issues,
    /// theatres and regimes that exist, keeps positions in [0, 100], and
    /// respects the life of ceasefires, regimes and agreements.
    pub fn check(&self, event: &Event) -> Result<(), Refusal> {
        let refuse = |msg: String| Err(Refusal(msg));
        match event {
            Event::Scripted(s) => {
                self.need_actor(&s.actor)?;
                if let Some(t) = &s.target {
                    self.need_actor(t)?;
                }
                if let Some(i) = &s.issue {
                    self.need_issue(i)?;
                }
                if crate::cameo::lookup(&s.cameo).is_none() {
                    return refuse(format!("CAMEO code {:?} is not in the table", s.cameo));
                }
            }
            Event::RiskUpdated(r) => {
                let i = self.need_issue(&r.issue)?;
                for (id, &exp) in &r.exponents {
                    let a = self.need_actor(id)?;
                    if self.held(i, a).is_none() {
                        return refuse(format!("{id} has no stance on {}", r.issue));
                    }
                    if !(exp.is_finite() && exp > 0.0) {
                        return refuse(format!(
                            "risk exponent {} of {id} is not a positive number",
                            show(exp)
                        ));
                    }
                }
            }
            Event::PositionChanged(p) => {
                let a = self.need_actor(&p.actor)?;
                let i = self.need_issue(&p.issue)?;
                let Some(held) = self.held(i, a) else {
                    return refuse(format!("{} has no stance on {}", p.actor, p.issue));
                };
                if p.from.to_bits() != held.position.to_bits() {
                    return refuse(format!(
                        "{} stands at {} on {}, not at {}",
                        p.actor,
                        held.position,
                        p.issue,
                        show(p.from)
                    ));
                }
                if !(p.to.is_finite() && (0.0..=100.0).contains(&p.to)) {
                    return refuse(format!(
                        "position {} of {} on {} is outside 0–100",
                        show(p.to),
                        p.actor,
                        p.issue
                    ));
                }
                if self.agreements[i].is_some() {
                    return refuse(format!("{} is settled by an agreement", p.issue));
                }
            }
            Event::Strike(s) => {
                self.need_actor(&s.striker)?;
                if !self.theatres.contains(&s.theatre) {
                    return refuse(format!("unknown theatre {:?}", s.theatre));
                }
            }
            Event::CeasefireAgreed(c) => {
                let k = self.need_ceasefire(&c.theatre)?;
                if self.ceasefires[k].status == CeasefireStatus::InForce {
                    return refuse(format!("the {} ceasefire is already in force", c.theatre));
                }
                let parties = || self.ceasefires[k].parties.iter().map(|&p| &self.actors[p]);
                if !c.parties.iter().eq(parties()) {
                    let names: Vec<&str> = parties().map(String::as_str).collect();
                    return refuse(format!(
                        "the {} ceasefire's parties are {}",
                        c.theatre,
                        names.join(", ")
                    ));
                }
            }
            Event::CeasefireViolated(v) => {
                let k = self.need_ceasefire(&v.theatre)?;
                self.need_actor(&v.by)?;
                let cf = &self.ceasefires[k];
                if cf.status != CeasefireStatus::InForce {
                    return refuse(format!(
                        "the {} ceasefire is not in force, so it cannot be violated",
                        v.theatre
                    ));
                }
                if v.violations != cf.violations.saturating_add(1) {
                    return refuse(format!(
                        "this would be violation {} of the {} ceasefire, not {}",
                        cf.violations.saturating_add(1),
                        v.theatre,
                        v.violations
                    ));
                }
            }
            Event::CeasefireCollapsed(c) => {
                let k = self.need_ceasefire(&c.theatre)?;
                let cf = &self.ceasefires[k];
                if cf.status != CeasefireStatus::InForce {
                    return refuse(format!("the {} ceasefire is not in force", c.theatre));
                }
                if c.violations != cf.violations {
                    return refuse(format!(
                        "the {} ceasefire has {} violations, not {}",
                        c.theatre, cf.violations, c.violations
                    ));
                }
            }
            Event::SanctionsRenewed(d) | Event::SanctionsEased(d) | Event::SanctionsLifted(d) => {
                let Some(r) = self.sanctions.iter().find(|r| r.id == d.regime) else {
                    return refuse(format!("unknown sanction regime {:?}", d.regime));
                };
                if self.actors[r.imposer] != d.imposer {
                    return refuse(format!(
                        "{} does not impose {}; only {} decides it",
                        d.imposer, d.regime, self.actors[r.imposer]
                    ));
                }
                if self.actors[r.target] != d.target {
                    return refuse(format!(
                        "{} targets {}, not {}",
                        d.regime, self.actors[r.target], d.target
                    ));
                }
                if !r.active() {
                    return refuse(format!("{} has been lifted", d.regime));
                }
                if !(d.level.is_finite() && (0.0..=1.0).contains(&d.level)) {
                    return refuse(format!("sanction level {} is outside 0–1", show(d.level)));
                }
            }
            Event::PackageOffered(t) => self.check_terms(t)?,
            Event::PackageAccepted(t) => {
                self.check_terms(t)?;
                // An accepted package moves both issues; one settled by an
                // agreement can no longer move, so the package cannot stand.
                for c in [&t.offerer_yields, &t.receiver_yields] {
                    if self.agreements[self.need_issue(&c.issue)?].is_some() {
                        return refuse(format!("{} is settled by an agreement", c.issue));
                    }
                }
            }
            Event::PackageRefused(r) => self.check_terms(&r.terms)?,
            Event::AgreementSigned(a) => {
                let i = self.need_issue(&a.issue)?;
                if self.agreements[i].is_some() {
                    return refuse(format!("{} is already agreed", a.issue));
                }
                if !(a.position.is_finite() && (0.0..=100.0).contains(&a.position)) {
                    return refuse(format!(
                        "agreed position {} is outside 0–100",
                        show(a.position)
                    ));
                }
            }
            Event::RoundClosed(rc) => {
                if rc.round != self.round() {
                    return refuse(format!(
                        "round {} cannot close during round {}",
                        rc.round,
                        self.round()
                    ));
                }
                // The forecasts must be the state's, issue by issue in order.
                // They are derived values: an older engine may have summed
                // in another order, so they must agree to 1e-9 points.
                if rc.issues.len() != self.issues.len() {
                    return refuse(format!(
                        "the close lists {} issues; there are {}",
                        rc.issues.len(),
                        self.issues.len()
                    ));
                }
                for (i, f) in rc.issues.iter().enumerate() {
                    let (mean, median) = self.forecast(i);
                    let near = |a: f64, b: f64| (a - b).abs() <= 1e-9;
                    if f.issue != self.issues[i] || !near(f.mean, mean) || !near(f.median, median) {
                        return refuse(format!(
                            "the close gives {} a mean of {} and a median of {}; the state gives {} a mean of {mean} and a median of {median}",
                            f.issue,
                            show(f.mean),
                            show(f.median),
                            self.issues[i]
                        ));
                    }
                }
            }
        }
        Ok(())
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
    pub fn actors(&self) -> &[String] {
        &self.actors
    }

    /// Issue ids in listing order.
    pub fn issues(&self) -> &[String] {
        &self.issues
    }

    /// The index of an actor id.
    pub fn actor(&self, id: &str) -> Option<usize> {
        self.actor_index.get(id).copied()
    }

    /// The index of an issue id.
    pub fn issue(&self, id: &str) -> Option<usize> {
        self.issue_index.get(id).copied()
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

    /// An actor's current risk exponent on an issue.
    pub fn risk(&self, issue: usize, actor: usize) -> f64 {
        self.risk[self.cell(issue, actor)]
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

    /// The weighted mean and the weighted median on `issue`, from one list
    /// of weighted positions (both sort it the same way, so the bits are
    /// those of [`State::mean`] and [`State::median`]).
    pub fn forecast(&self, issue: usize) -> (f64, f64) {
        let mut points = self.weighted_positions(issue);
        let median = forecast::weighted_median(&mut points).unwrap_or(50.0);
        let mean = forecast::weighted_mean(&points).unwrap_or(50.0);
        (mean, median)
    }

    /// The capability×salience weighted mean on `issue`.
    pub fn mean(&self, issue: usize) -> f64 {
        forecast::weighted_mean(&self.weighted_positions(issue)).unwrap_or(50.0)
    }

    /// The weighted median on `issue`.
    pub fn median(&self, issue: usize) -> f64 {
        forecast::weighted_median(&mut self.weighted_positions(issue)).unwrap_or(50.0)
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

    /// Every sanction regime, in scenario order.
    pub fn sanctions(&self) -> &[Sanctions] {
        &self.sanctions
    }

    /// The agreement on `issue`, if signed.
    pub fn agreement(&self, issue: usize) -> Option<Agreement> {
        self.agreements[issue]
    }

    /// Trust between two actors, 0–1.
    pub fn trust(&self, a: usize, b: usize) -> f64 {
        self.trust[a * self.actors.len() + b]
    }

    /// Strikes so far per theatre: on designated terrorists, and on other
    /// armed opposition.
    pub fn strikes(&self) -> &BTreeMap<String, [u64; 2]> {
        &self.strikes
    }

    /// The round `offerer` last offered `receiver` a package.
    pub fn last_offer(&self, offerer: usize, receiver: usize) -> Option<u32> {
        self.last_offer.get(&(offerer, receiver)).copied()
    }

    fn cell(&self, issue: usize, actor: usize) -> usize {
        issue * self.actors.len() + actor
    }

    fn ceasefire_index(&self, theatre: &str) -> Option<usize> {
        self.ceasefires.iter().position(|c| c.theatre == theatre)
    }

    fn nudge_trust(&mut self, a: usize, b: usize, goldstein: f64) {
        if a == b {
            return;
        }
        let n = self.actors.len();
        let t = (self.trust[a * n + b] + self.trust_rate * goldstein / 10.0).clamp(0.0, 1.0);
        self.trust[a * n + b] = t;
        self.trust[b * n + a] = t;
    }

    fn nudge_among(&mut self, group: &[usize], goldstein: f64) {
        for (k, &a) in group.iter().enumerate() {
            for &b in &group[k + 1..] {
                self.nudge_trust(a, b, goldstein);
            }
        }
    }

    fn need_actor(&self, id: &str) -> Result<usize, Refusal> {
        self.actor(id)
            .ok_or_else(|| Refusal(format!("unknown actor {id:?}")))
    }

    fn need_issue(&self, id: &str) -> Result<usize, Refusal> {
        self.issue(id)
            .ok_or_else(|| Refusal(format!("unknown issue {id:?}")))
    }

    fn need_ceasefire(&self, theatre: &str) -> Result<usize, Refusal> {
        self.ceasefire_index(theatre)
            .ok_or_else(|| Refusal(format!("no ceasefire is defined for theatre {theatre:?}")))
    }

    fn check_terms(&self, t: &crate::event::PackageTerms) -> Result<(), Refusal> {
        let o = self.need_actor(&t.offerer)?;
        let r = self.need_actor(&t.receiver)?;
        for (who, c) in [(o, &t.offerer_yields), (r, &t.receiver_yields)] {
            let i = self.need_issue(&c.issue)?;
            if self.held(i, who).is_none() {
                return Err(Refusal(format!(
                    "{} has no stance on {}",
                    self.actors[who], c.issue
                )));
            }
            if !(c.to.is_finite() && (0.0..=100.0).contains(&c.to)) {
                return Err(Refusal(format!(
                    "package position {} is outside 0–100",
                    show(c.to)
                )));
            }
        }
        Ok(())
    }
}
