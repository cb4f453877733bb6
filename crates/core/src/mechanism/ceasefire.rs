//! Ceasefires, one per theatre.
//!
//! Each round, in scenario order:
//! 1. A ceasefire not in force is agreed when its parties' positions on the
//!    governing issue lie within `tolerance` of each other and their mean is at
//!    least `threshold`.
//! 2. While in force (including the round it is agreed), each party violates
//!    it with hazard h = hazard × (1 − p̄/100) × (1 − t̄), where p̄ is the
//!    parties' mean position and t̄ their mean pairwise trust: the hazard falls
//!    as positions and trust rise.
//! 3. When its violations reach `collapse_after` (strikes' violations count
//!    too), it collapses. A collapsed ceasefire may be agreed again in a later
//!    round.

use super::{Context, Mechanism};
use crate::event::{CeasefireAgreed, CeasefireCollapsed, CeasefireViolated, Event, ViolationCause};
use crate::state::CeasefireStatus;

/// The ceasefire mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Ceasefires;

impl Mechanism for Ceasefires {
    fn name(&self) -> &str {
        "ceasefire"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut events = Vec::new();
        for (rule, cf) in ctx.scenario().ceasefires.iter().zip(state.ceasefires()) {
            let Some(issue) = state.issue(&rule.issue) else {
                continue;
            };
            let positions: Vec<f64> = cf
                .parties
                .iter()
                .filter_map(|&p| state.held(issue, p).map(|h| h.position))
                .collect();
            if positions.len() != cf.parties.len() || positions.is_empty() {
                continue;
            }
            let mean = positions.iter().sum::<f64>() / positions.len() as f64;
            let (lo, hi) = positions
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                    (lo.min(x), hi.max(x))
                });
            let spread = hi - lo;

            let mut in_force = cf.status == CeasefireStatus::InForce;
            let mut violations = cf.violations;
            if !in_force && spread <= rule.tolerance && mean >= rule.threshold {
                events.push(Event::CeasefireAgreed(CeasefireAgreed {
                    theatre: rule.theatre.clone(),
                    parties: rule.parties.clone(),
                    mean,
                    spread,
                }));
                in_force = true;
                violations = 0;
            }
            if !in_force {
                continue;
            }

            let trust = mean_trust(state, &cf.parties);
            let hazard = (rule.hazard * (1.0 - mean / 100.0) * (1.0 - trust)).clamp(0.0, 1.0);
            for (party_id, _) in rule.parties.iter().zip(&cf.parties) {
                let mut stream = ctx.stream(&format!("{}/{}", rule.theatre, party_id));
                if stream.chance(hazard) {
                    violations = violations.saturating_add(1);
                    events.push(Event::CeasefireViolated(CeasefireViolated {
                        theatre: rule.theatre.clone(),
                        by: party_id.clone(),
                        cause: ViolationCause::Hazard { hazard },
                        violations,
                    }));
                }
            }
            if violations >= rule.collapse_after {
                events.push(Event::CeasefireCollapsed(CeasefireCollapsed {
                    theatre: rule.theatre.clone(),
                    violations,
                }));
            }
        }
        events
    }
}

/// Mean trust over every pair of parties.
fn mean_trust(state: &crate::state::State, parties: &[usize]) -> f64 {
    let mut sum = 0.0;
    let mut pairs = 0usize;
    for (k, &a) in parties.iter().enumerate() {
        for &b in &parties[k + 1..] {
            sum += state.trust(a, b);
            pairs += 1;
        }
    }
    if pairs == 0 { 1.0 } else { sum / pairs as f64 }
}
