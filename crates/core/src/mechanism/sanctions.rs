//! Sanction regimes: at each renewal date that falls in the round, the
//! imposer decides by its position p on the regime's issue (high = keep):
//!
//! - p ≥ `renew_at`: renewed at its current level;
//! - p < `lift_below`: lifted;
//! - in between: eased to level (p − lift_below)/(renew_at − lift_below), or
//!   renewed if that is not below the current level.
//!
//! Only the imposer decides, and a lifted regime is not decided again.

use super::{Context, Mechanism};
use crate::event::{Event, SanctionsDecision};

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
            let Some(held) = state.held(issue, regime.imposer) else {
                continue;
            };
            let mut level = regime.level;
            for &due in rule.renewals.iter().filter(|d| (first..=last).contains(*d)) {
                if level <= 0.0 {
                    break;
                }
                let p = held.position;
                let decision = |level| SanctionsDecision {
                    regime: rule.id.clone(),
                    imposer: rule.imposer.clone(),
                    target: rule.target.clone(),
                    due,
                    position: p,
                    level,
                };
                let eased = if p >= rule.renew_at {
                    level
                } else if p < rule.lift_below {
                    0.0
                } else {
                    ((p - rule.lift_below) / (rule.renew_at - rule.lift_below)).min(level)
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
        }
        events
    }
}
