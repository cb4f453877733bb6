//! The compromise model: each round every actor steps toward the issue's
//! capability×salience weighted mean, x ← x + λ·(1 − s)·(mean − x). Actors
//! that care most move least. Moves smaller than [`MIN_MOVE`] are not made, so
//! a converged issue stops writing events.

use super::Model;
use crate::event::{Cause, Event, PositionChanged};
use crate::mechanism::Context;

/// The smallest move the compromise model makes, in points.
pub const MIN_MOVE: f64 = 1e-6;

/// The compromise model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompromiseModel {
    /// The step toward the mean, in (0, 1].
    pub lambda: f64,
}

impl Model for CompromiseModel {
    fn decider(&self) -> &str {
        "compromise"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        // At most one move per member of each issue: room for all at once.
        let mut events = Vec::with_capacity(
            (0..state.issues().len())
                .map(|i| state.members(i).len())
                .sum(),
        );
        for (i, issue) in state.issues().iter().enumerate() {
            if state.settled(i) {
                continue;
            }
            let mean = state.mean(i);
            for &a in state.members(i) {
                let Some(held) = state.held(i, a) else {
                    continue;
                };
                let step = self.lambda * (1.0 - held.salience) * (mean - held.position);
                if step.abs() < MIN_MOVE {
                    continue;
                }
                events.push(Event::PositionChanged(PositionChanged {
                    actor: state.actors()[a].clone(),
                    issue: issue.clone(),
                    from: held.position,
                    to: crate::scale::clamp(held.position + step),
                    cause: Cause::CompromiseModel {
                        mean,
                        lambda: self.lambda,
                    },
                }));
            }
        }
        events
    }
}
