//! Airstrikes: every actor with strike capacity in a theatre strikes each
//! round; each strike hits designated terrorists with probability
//! (the striker's current position on its targeting issue)/100, and other
//! armed opposition otherwise. A strike on other opposition in a theatre whose
//! ceasefire is in force violates it.

use super::{Context, Mechanism};
use crate::event::{CeasefireViolated, Event, Strike, StrikeTarget, ViolationCause};
use crate::state::CeasefireStatus;

/// The strikes mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Strikes;

impl Mechanism for Strikes {
    fn decider(&self) -> &str {
        "strikes"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut events = Vec::new();
        for cap in &ctx.scenario().strikes {
            let (Some(actor), Some(issue)) = (state.actor(&cap.actor), state.issue(&cap.issue))
            else {
                continue;
            };
            let Some(held) = state.held(issue, actor) else {
                continue;
            };
            let p_terrorists = held.position / 100.0;
            let mut stream = ctx.stream(&format!("{}/{}", cap.actor, cap.theatre));
            for _ in 0..cap.per_round {
                let target = if stream.chance(p_terrorists) {
                    StrikeTarget::DesignatedTerrorists
                } else {
                    StrikeTarget::OtherOpposition
                };
                events.push(Event::Strike(Strike {
                    striker: cap.actor.clone(),
                    theatre: cap.theatre.clone(),
                    target,
                }));
                let in_force = state
                    .ceasefires()
                    .iter()
                    .any(|c| c.theatre == cap.theatre && c.status == CeasefireStatus::InForce);
                if target == StrikeTarget::OtherOpposition && in_force {
                    // The running count is the state's, settled on append.
                    events.push(Event::CeasefireViolated(CeasefireViolated {
                        theatre: cap.theatre.clone(),
                        by: cap.actor.clone(),
                        cause: ViolationCause::Strike,
                        violations: 0,
                    }));
                }
            }
        }
        events
    }
}
