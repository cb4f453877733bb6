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
    fn decider(&self) -> &str {
        "ceasefire"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut events = Vec::new();
        for (k, (rule, cf)) in ctx
            .scenario()
            .ceasefires
            .iter()
            .zip(state.ceasefires())
            .enumerate()
        {
            let Some(terms) = state.ceasefire_terms(k) else {
                continue;
            };
            let mut in_force = cf.status == CeasefireStatus::InForce;
            // Violations counted within this batch, to decide a collapse;
            // the events' own counts are the state's (settled on append).
            let mut violations = cf.violations;
            if !in_force && terms.spread <= rule.tolerance && terms.mean >= rule.threshold {
                events.push(Event::CeasefireAgreed(CeasefireAgreed {
                    theatre: rule.theatre.clone(),
                    parties: Vec::new(),
                    mean: terms.mean,
                    spread: terms.spread,
                }));
                in_force = true;
                violations = 0;
            }
            if !in_force {
                continue;
            }

            let trust = mean_trust(state, &cf.parties);
            let hazard = (rule.hazard * (1.0 - terms.mean / 100.0) * (1.0 - trust)).clamp(0.0, 1.0);
            for (party_id, _) in rule.parties.iter().zip(&cf.parties) {
                let mut stream = ctx.stream(&format!("{}/{}", rule.theatre, party_id));
                if stream.chance(hazard) {
                    violations = violations.saturating_add(1);
                    events.push(Event::CeasefireViolated(CeasefireViolated {
                        theatre: rule.theatre.clone(),
                        by: party_id.clone(),
                        cause: ViolationCause::Hazard { hazard },
                        violations: 0,
                    }));
                }
            }
            if violations >= rule.collapse_after {
                events.push(Event::CeasefireCollapsed(CeasefireCollapsed {
                    theatre: rule.theatre.clone(),
                    violations: 0,
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
