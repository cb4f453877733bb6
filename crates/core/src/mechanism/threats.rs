//! Coercion: threats made, extended, carried out or withdrawn.
//!
//! A threat is made in the round its `made` date falls in (in round 1 if
//! that date is before the run starts): `threat_made`, and the target's
//! salience on the condition's issue rises by the threat's `stakes` while
//! it stands. In the round its deadline falls in, the target's position
//! answers it:
//!
//! - the condition is met: the threat is withdrawn (`threat_withdrawn`);
//! - else, if the target has moved at least half way from where it stood
//!   when the threat was made toward the condition, and the threat has not
//!   been extended and may be (`extend_days` > 0): its deadline is put back
//!   by `extend_days` (`threat_extended`);
//! - else it is carried out (`threat_carried_out`): threatened strikes fly
//!   every round from the next on, on the target's forces; a threatened
//!   regime is imposed again at full level if it was lifted or eased.
//!
//! Withdrawn or carried out, the threat no longer raises the stakes: the
//! target's salience falls back by what the threat added.

use super::{Context, Mechanism};
use crate::event::Id;
use crate::event::{Event, SalienceChanged, SanctionsDecision, Shift, ThreatRecord};
use crate::scenario::{Threat, ThreatAction};
use crate::state::ThreatStatus;

/// The threats mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Threats;

impl Mechanism for Threats {
    fn decider(&self) -> &str {
        "threats"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let (first, last) = (ctx.first_day(), ctx.last_day());
        let mut events = Vec::new();
        for (threat, ts) in ctx.scenario().threats.iter().zip(state.threats()) {
            let (Some(target), Some(issue)) = (
                state.actor(&threat.target),
                state.issue(&threat.condition.issue),
            ) else {
                continue;
            };
            let Some(held) = state.held(issue, target) else {
                continue;
            };
            let record = |deadline| ThreatRecord {
                threat: Id::from(threat.id.as_str()),
                actor: Id::default(),
                target: Id::default(),
                deadline,
                position: held.position,
            };
            match ts.status {
                ThreatStatus::Pending
                    if threat.made <= last && (threat.made >= first || ctx.round() == 1) =>
                {
                    events.push(Event::ThreatMade(record(threat.deadline)));
                    push_stakes(&mut events, threat, held.salience, threat.stakes);
                }
                ThreatStatus::Standing if ts.deadline <= last => {
                    let stakes_off = |events: &mut Vec<Event>| {
                        push_stakes(events, threat, held.salience, -threat.stakes);
                    };
                    if threat.condition.met(held.position) {
                        events.push(Event::ThreatWithdrawn(record(ts.deadline)));
                        stakes_off(&mut events);
                    } else if !ts.extended
                        && threat.extend_days > 0
                        && moving(threat, ts.made_at, held.position)
                    {
                        events.push(Event::ThreatExtended(record(
                            ts.deadline.plus_days(i64::from(threat.extend_days)),
                        )));
                    } else {
                        events.push(Event::ThreatCarriedOut(record(ts.deadline)));
                        stakes_off(&mut events);
                        if let ThreatAction::Sanctions { regime } = &threat.action
                            && let Some(k) = state.regime_index(regime)
                            && state.regimes()[k].level < 1.0
                        {
                            let rule = &ctx.scenario().sanctions[k];
                            events.push(Event::SanctionsImposed(SanctionsDecision {
                                regime: Id::from(regime.as_str()),
                                imposer: Id::from(threat.actor.as_str()),
                                target: Id::from(rule.target.as_str()),
                                due: ts.deadline,
                                position: held.position,
                                level: 1.0,
                                votes: Default::default(),
                            }));
                        }
                    }
                }
                _ => {}
            }
        }
        events
    }
}

/// Whether the target has come at least half way toward the condition
/// since the threat was made.
fn moving(threat: &Threat, made_at: f64, now: f64) -> bool {
    let mark = threat.condition.mark();
    let gap = (mark - made_at).abs();
    gap > 0.0 && (now - made_at) * (mark - made_at).signum() >= gap / 2.0
}

fn push_stakes(events: &mut Vec<Event>, threat: &Threat, salience: f64, by: f64) {
    let to = (salience + by).clamp(0.0, 1.0);
    if by != 0.0 && to != salience {
        events.push(Event::SalienceChanged(SalienceChanged {
            actor: Id::from(threat.target.as_str()),
            issue: Id::from(threat.condition.issue.as_str()),
            from: salience,
            to,
            cause: Shift::Threat {
                threat: Id::from(threat.id.as_str()),
            },
        }));
    }
}
