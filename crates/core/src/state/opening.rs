//! The parts of the state before any event, built from the scenario as
//! written for [`State::new`](super::State::new). References the scenario
//! cannot resolve are skipped rather than trusted.

use std::collections::BTreeMap;

use super::{Ceasefire, CeasefireStatus, Held, Regime, ThreatState, ThreatStatus};
use crate::scenario::{HighMeans, Scenario, ThreatAction};

/// Ids → their index in listing order.
pub(super) fn index(ids: &[String]) -> BTreeMap<String, usize> {
    ids.iter()
        .enumerate()
        .map(|(i, a)| (a.clone(), i))
        .collect()
}

/// The indices of the actors `ids` names, those it can resolve.
pub(super) fn resolve(actor_index: &BTreeMap<String, usize>, ids: &[String]) -> Vec<usize> {
    ids.iter()
        .filter_map(|id| actor_index.get(id).copied())
        .collect()
}

/// The stances, issue-major: `[issue * actors + actor]`.
pub(super) fn stances(
    scenario: &Scenario,
    actor_index: &BTreeMap<String, usize>,
    issue_index: &BTreeMap<String, usize>,
) -> Vec<Option<Held>> {
    let n = scenario.actors.len();
    let mut stances = vec![None; n * scenario.issues.len()];
    for st in &scenario.stances {
        if let (Some(&a), Some(&i)) = (actor_index.get(&st.actor), issue_index.get(&st.issue)) {
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
    actor_index: &BTreeMap<String, usize>,
    issue_index: &BTreeMap<String, usize>,
) -> Vec<Ceasefire> {
    scenario
        .ceasefires
        .iter()
        .map(|c| Ceasefire {
            theatre: c.theatre.clone(),
            issue: issue_index.get(&c.issue).copied().unwrap_or(0),
            parties: resolve(actor_index, &c.parties),
            status: if c.in_force {
                CeasefireStatus::InForce
            } else {
                CeasefireStatus::NotAgreed
            },
            violations: 0,
            agreed_round: c.in_force.then_some(0),
            brokers: resolve(actor_index, &c.brokers),
            spoilers: Vec::new(),
            collapses: 0,
            violators: Vec::new(),
            reversed: issue_index
                .get(&c.issue)
                .and_then(|&i| scenario.issues[i].high_means)
                == Some(HighMeans::NoCeasefire),
        })
        .collect()
}

/// Every sanction regime, in scenario order, whole.
pub(super) fn regimes(scenario: &Scenario, actor_index: &BTreeMap<String, usize>) -> Vec<Regime> {
    let actor = |id: &String| actor_index.get(id).copied();
    scenario
        .sanctions
        .iter()
        .map(|r| Regime {
            id: r.id.clone(),
            imposers: r.members().iter().filter_map(actor).collect(),
            rule: r.rule,
            target: actor(&r.target).unwrap_or(0),
            level: 1.0,
            decisions: 0,
        })
        .collect()
}

/// Trust as the scenario opens, symmetric: `[a * actors + b]`, 1 with
/// oneself.
pub(super) fn trust(scenario: &Scenario, actor_index: &BTreeMap<String, usize>) -> Vec<f64> {
    let actor = |id: &String| actor_index.get(id).copied();
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
    actor_index: &BTreeMap<String, usize>,
    theatres: &[String],
) -> Vec<u32> {
    let actor = |id: &String| actor_index.get(id).copied();
    let mut capacity = vec![0u32; scenario.actors.len() * theatres.len()];
    for cap in &scenario.strikes {
        if let (Some(a), Ok(t)) = (actor(&cap.actor), theatres.binary_search(&cap.theatre)) {
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
        })
        .collect()
}

/// Per threat: who threatens whom.
pub(super) fn threat_parties(
    scenario: &Scenario,
    actor_index: &BTreeMap<String, usize>,
) -> Vec<(usize, usize)> {
    let actor = |id: &String| actor_index.get(id).copied();
    scenario
        .threats
        .iter()
        .map(|t| (actor(&t.actor).unwrap_or(0), actor(&t.target).unwrap_or(0)))
        .collect()
}

/// Per threat: the strikes it threatens (striker, theatre, a round).
pub(super) fn threat_strikes(
    scenario: &Scenario,
    actor_index: &BTreeMap<String, usize>,
) -> Vec<Option<(usize, String, u32)>> {
    let actor = |id: &String| actor_index.get(id).copied();
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
