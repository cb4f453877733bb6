//! Sanction regimes.
//!
//! At each renewal date that falls in the round (the listed dates, then one
//! every `every_days` after the last listed for as long as the run lasts),
//! each member votes by its position p on the regime's issue, read as the
//! issue's `high_means` says (high = keep):
//!
//! - p ≥ `renew_at`: renew at the current level;
//! - p ≤ `lift_below`: lift (at `lift_below` exactly, the easing below
//!   gives level 0: lifted too);
//! - in between: ease to level (p − lift_below)/(renew_at − lift_below).
//!
//! [`vote`] states this once; the capability law reads a stance's leaning
//! through it too. A change needs the rule's quorum
//! ([`DecisionRule::quorum`](crate::scenario::DecisionRule::quorum), which
//! the state's check reads as well): under unanimity every member must vote
//! for it (for easing, to ease or lift), under majority more than half, and
//! under `one` a single member. The regime's new level is the one the
//! pivotal member's position gives: the most hawkish member under
//! unanimity, the median under majority, the most dovish under `one`. A
//! regime with a single imposer is that imposer's decision, as in format 1.
//! A lifted regime is not decided again.
//!
//! While a regime is in force, each round raises its target's salience on
//! the regime's issue by `cost` × level (capped at 1): sanctions cost their
//! target, and the cost makes the issue matter more to it.

use std::collections::BTreeMap;

use super::{Context, Mechanism};
use crate::event::Id;
use crate::event::{Event, SalienceChanged, SanctionsDecision, Shift, Vote};
use crate::scenario::{DecisionRule, Family, RegimeRule};

/// The sanctions mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct SanctionRenewals;

impl Mechanism for SanctionRenewals {
    fn decider(&self) -> &str {
        "sanctions"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let (first, last) = (ctx.first_day(), ctx.last_day());
        let mut events = Vec::new();
        for (rule, regime) in ctx.scenario().sanctions.iter().zip(state.regimes()) {
            let Some(issue) = state.issue(&rule.issue) else {
                continue;
            };
            let read = |p: f64| ctx.scenario().issues[issue].reading(Family::Sanctions, p);
            // Each member's position, read as high = keep, in listing order.
            let members: Vec<(&str, f64)> = regime
                .imposers
                .iter()
                .filter_map(|&m| {
                    let held = state.held(issue, m)?;
                    Some((state.actors()[m].as_str(), read(held.position)))
                })
                .collect();
            if members.len() != regime.imposers.len() || members.is_empty() {
                continue;
            }
            let voting = rule.votes(ctx.scenario());
            let decision = rule.decision(ctx.scenario());
            let mut level = regime.level;
            for due in rule.due_between(first, last) {
                if level <= 0.0 {
                    break;
                }
                let (p, votes) = if voting {
                    let pivot = pivot(decision, &members);
                    let votes = members
                        .iter()
                        .map(|&(id, p)| (Id::from(id), vote(rule, p)))
                        .collect();
                    (pivot, votes)
                } else {
                    (members[0].1, BTreeMap::new())
                };
                let decision = |level| SanctionsDecision {
                    regime: Id::from(rule.id.as_str()),
                    imposer: if voting {
                        Id::default()
                    } else {
                        Id::from(members[0].0)
                    },
                    target: Id::from(rule.target.as_str()),
                    due,
                    position: p,
                    level,
                    votes: votes.clone(),
                };
                let eased = match vote(rule, p) {
                    Vote::Renew => level,
                    Vote::Lift => 0.0,
                    Vote::Ease => {
                        ((p - rule.lift_below) / (rule.renew_at - rule.lift_below)).min(level)
                    }
                };
                events.push(if eased <= 0.0 {
                    Event::SanctionsLifted(decision(0.0))
                } else if eased < level {
                    Event::SanctionsEased(decision(eased))
                } else {
                    Event::SanctionsRenewed(decision(level))
                });
                level = eased;
            }
            if rule.cost > 0.0 && level > 0.0 {
                let target = state.actor(&rule.target);
                if let Some(held) = target.and_then(|t| state.held(issue, t)) {
                    let to = (held.salience + rule.cost * level).min(1.0);
                    if to != held.salience {
                        events.push(Event::SalienceChanged(SalienceChanged {
                            actor: Id::from(rule.target.as_str()),
                            issue: Id::from(rule.issue.as_str()),
                            from: held.salience,
                            to,
                            cause: Shift::SanctionsCost {
                                regime: Id::from(rule.id.as_str()),
                            },
                        }));
                    }
                }
            }
        }
        events
    }
}

/// A member's vote from its position read as high = keep: at `lift_below`
/// exactly the easing formula gives level 0, so that is a vote to lift.
pub fn vote(rule: &RegimeRule, p: f64) -> Vote {
    if p >= rule.renew_at {
        Vote::Renew
    } else if p <= rule.lift_below {
        Vote::Lift
    } else {
        Vote::Ease
    }
}

/// The pivotal member's position: the change its position asks for is the
/// furthest change the rule's quorum carries. Votes only grow more dovish
/// as positions fall, so the member at the quorum's place from the dovish
/// end is the last one a change needs. `members` is not empty.
fn pivot(rule: DecisionRule, members: &[(&str, f64)]) -> f64 {
    let mut sorted: Vec<f64> = members.iter().map(|&(_, p)| p).collect();
    sorted.sort_by(f64::total_cmp);
    sorted[rule.quorum(sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pivot's vote carries a change exactly when the quorum the state
    /// checks (`DecisionRule::quorum`) votes for it: one quorum, read by
    /// the mechanism and by the rule.
    #[test]
    fn the_pivot_carries_a_change_exactly_when_the_quorum_votes_for_it() {
        let grid = [10.0, 25.0, 40.0, 60.0, 90.0];
        let mut rule: RegimeRule = serde_json::from_value(serde_json::json!({
            "id": "r", "imposers": ["A"], "target": "T", "issue": "i",
            "renewals": [], "basis": "test"
        }))
        .unwrap();
        for decision in [
            DecisionRule::Unanimity,
            DecisionRule::Majority,
            DecisionRule::One,
        ] {
            rule.rule = decision;
            for n in 1..=5u32 {
                for code in 0..grid.len().pow(n) {
                    let positions: Vec<f64> = (0..n)
                        .map(|k| grid[code / grid.len().pow(k) % grid.len()])
                        .collect();
                    let members: Vec<(&str, f64)> = positions.iter().map(|&p| ("m", p)).collect();
                    let carried = vote(&rule, pivot(rule.rule, &members));
                    for change in [Vote::Ease, Vote::Lift] {
                        let for_it = positions
                            .iter()
                            .filter(|&&p| vote(&rule, p) >= change)
                            .count();
                        assert_eq!(
                            carried >= change,
                            for_it >= decision.quorum(positions.len()),
                            "{decision:?} at {positions:?}, {change:?}"
                        );
                    }
                }
            }
        }
    }
}
