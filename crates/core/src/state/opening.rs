//! The parts of the state before any event, built from the scenario as
//! written for [`State::new`](super::State::new). References the scenario
//! cannot resolve are skipped rather than trusted.

use super::names::Interned;
use super::{Ceasefire, CeasefireStatus, HazardTerms, Held, Regime, ThreatState, ThreatStatus};
use crate::scenario::{HighMeans, Scenario, ThreatAction};

/// The indices of the actors `ids` names, those it can resolve.
pub(super) fn resolve(actors: &Interned, ids: &[String]) -> Vec<usize> {
    ids.iter().filter_map(|id| actors.get(id)).collect()
}

/// The stances, issue-major: `[issue * actors + actor]`.
pub(super) fn stances(
    scenario: &Scenario,
    actors: &Interned,
    issues: &Interned,
) -> Vec<Option<Held>> {
    let n = scenario.actors.len();
    let mut stances = vec![None; n * scenario.issues.len()];
    for st in &scenario.stances {
        if let (Some(a), Some(i)) = (actors.get(&st.actor), issues.get(&st.issue)) {
            stances[i * n + a] = Some(Held {
                position: st.position,
                salience: st.salience,
            });
        }
    }
    stances
}

/// The actors with a stance on each issue, in listing order.
pub(super) fn members(stances: &[Option<Held>], actors: usize, issues: usize) -> Vec<Vec<usize>> {
    (0..issues)
        .map(|i| {
            (0..actors)
                .filter(|&a| stances[i * actors + a].is_some())
                .collect()
        })
        .collect()
}

/// Every ceasefire, in scenario order, in force if the scenario says so.
pub(super) fn ceasefires(
    scenario: &Scenario,
    actors: &Interned,
    issues: &Interned,
) -> Vec<Ceasefire> {
    scenario
        .ceasefires
        .iter()
        .map(|c| Ceasefire {
            theatre: c.theatre.clone(),
            issue: issues.get(&c.issue).unwrap_or(0),
            parties: resolve(actors, &c.parties),
            status: if c.in_force {
                CeasefireStatus::InForce
            } else {
                CeasefireStatus::NotAgreed
            },
            violations: 0,
            agreed_round: c.in_force.then_some(0),
            brokers: resolve(actors, &c.brokers),
            spoilers: Vec::new(),
            collapses: 0,
            violators: Vec::new(),
            reversed: issues
                .get(&c.issue)
                .and_then(|i| scenario.issues[i].high_means)
                == Some(HighMeans::NoCeasefire),
            hazard: c.collapse_hazard.as_ref().map(|h| HazardTerms {
                base: h.base,
                per_violation: h.per_violation,
                window: h.window,
                trust: h.trust,
                monitoring_weight: h.monitoring,
                monitoring: c.monitoring.as_ref().map_or(0.0, |m| m.level),
            }),
            recent: Vec::new(),
            exempt: resolve(actors, &c.exempt),
        })
        .collect()
}

/// Every sanction regime, in scenario order, whole.
pub(super) fn regimes(scenario: &Scenario, actors: &Interned) -> Vec<Regime> {
    let actor = |id: &String| actors.get(id);
    scenario
        .sanctions
        .iter()
        .map(|r| Regime {
            id: r.id.clone(),
            imposers: r.members(scenario).iter().filter_map(actor).collect(),
            rule: r.decision(scenario),
            target: actor(&r.target).unwrap_or(0),
            level: 1.0,
            decisions: 0,
        })
        .collect()
}

/// Trust as the scenario opens, symmetric: `[a * actors + b]`, 1 with
/// oneself.
pub(super) fn trust(scenario: &Scenario, actors: &Interned) -> Vec<f64> {
    let actor = |id: &String| actors.get(id);
    let n = scenario.actors.len();
    let mut trust = vec![scenario.trust.initial; n * n];
    for a in 0..n {
        trust[a * n + a] = 1.0;
    }
    for p in &scenario.trust.pairs {
        if let (Some(a), Some(b)) = (actor(&p.a), actor(&p.b)) {
            trust[a * n + b] = p.value;
            trust[b * n + a] = p.value;
        }
    }
    trust
}

/// Strikes an actor may make a round in a theatre,
/// `[actor * theatres + theatre]`.
pub(super) fn strike_capacity(
    scenario: &Scenario,
    actors: &Interned,
    theatres: &Interned,
) -> Vec<u32> {
    let mut capacity = vec![0u32; scenario.actors.len() * theatres.len()];
    for cap in &scenario.strikes {
        if let (Some(a), Some(t)) = (actors.get(&cap.actor), theatres.get(&cap.theatre)) {
            let k = a * theatres.len() + t;
            capacity[k] = capacity[k].saturating_add(cap.per_round);
        }
    }
    capacity
}

/// Every threat, in scenario order, not made yet.
pub(super) fn threats(scenario: &Scenario) -> Vec<ThreatState> {
    scenario
        .threats
        .iter()
        .map(|t| ThreatState {
            status: ThreatStatus::Pending,
            deadline: t.deadline,
            extended: false,
            made_at: 0.0,
            since: 0,
            answer: None,
        })
        .collect()
}

/// Per threat: who threatens whom.
pub(super) fn threat_parties(scenario: &Scenario, actors: &Interned) -> Vec<(usize, usize)> {
    let actor = |id: &String| actors.get(id);
    scenario
        .threats
        .iter()
        .map(|t| (actor(&t.actor).unwrap_or(0), actor(&t.target).unwrap_or(0)))
        .collect()
}

/// Per threat: the strikes it threatens (striker, theatre, a round).
pub(super) fn threat_strikes(
    scenario: &Scenario,
    actors: &Interned,
) -> Vec<Option<(usize, String, u32)>> {
    let actor = |id: &String| actors.get(id);
    scenario
        .threats
        .iter()
        .map(|t| match &t.action {
            ThreatAction::Strikes { theatre, per_round } => {
                actor(&t.actor).map(|a| (a, theatre.clone(), *per_round))
            }
            ThreatAction::Sanctions { .. } => None,
        })
        .collect()
}
