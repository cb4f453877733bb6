//! What a timeline entry does: its `effects`, turned into logged events
//! when the entry is logged, once.
//!
//! A salience changes by `by` (clamped to 0–1), a position by `by` points
//! (clamped to the scale; an issue settled by an agreement does not move), a
//! capability by a share (× (1 + by), kept positive and at most
//! `limits::MAX_CAPABILITY`), trust between two
//! actors by `by` (clamped to 0–1). Several effects in one round build on
//! each other: each starts from where the last left the value, as the
//! round's [`Batch`] leaves it.

use crate::event::Id;
use crate::event::{
    CapabilityChanged, Cause, Event, PositionChanged, SalienceChanged, Shift, TrustChanged,
};
use crate::scenario::{Effect, Scenario};
use crate::state::Batch;

/// Adds to `batch` the events of timeline entry `entry`'s effects, in the
/// order the entry lists them, each from where the batch leaves its value.
pub fn effects(scenario: &Scenario, batch: &mut Batch<'_>, entry: usize) {
    let Some(e) = scenario.timeline.get(entry) else {
        return;
    };
    declared(batch, &e.effects, &|| Shift::Effect { entry }, &|| {
        Cause::Effect { entry }
    });
}

/// Adds to `batch` the events of a carried-out threat's effects, as
/// [`effects`] does for a timeline entry's, with the threat as their cause.
pub fn threat_effects(batch: &mut Batch<'_>, effects: &[Effect], threat: &str) {
    declared(
        batch,
        effects,
        &|| Shift::Threat {
            threat: Id::from(threat),
        },
        &|| Cause::Threat {
            threat: Id::from(threat),
        },
    );
}

/// Adds to `batch` the events of an adopted resolution's effects, as
/// [`effects`] does for a timeline entry's, with the resolution as their
/// cause.
pub fn resolution_effects(batch: &mut Batch<'_>, effects: &[Effect], body: &str, issue: &str) {
    declared(
        batch,
        effects,
        &|| Shift::Resolution {
            body: Id::from(body),
            issue: Id::from(issue),
        },
        &|| Cause::Resolution {
            body: Id::from(body),
            issue: Id::from(issue),
        },
    );
}

/// Declared effects turned into events, each from where the batch leaves
/// its value, with their causes.
fn declared(
    batch: &mut Batch<'_>,
    effects: &[Effect],
    cause: &dyn Fn() -> Shift,
    moved: &dyn Fn() -> Cause,
) {
    let state = batch.state();
    for effect in effects {
        match effect {
            Effect::Salience { actor, issue, by } => {
                let (Some(a), Some(i)) = (state.actor(actor), state.issue(issue)) else {
                    continue;
                };
                let Some(from) = batch.salience(i, a) else {
                    continue;
                };
                let to = (from + by).clamp(0.0, 1.0);
                if to != from {
                    batch.push(Event::SalienceChanged(SalienceChanged {
                        actor: Id::from(actor.as_str()),
                        issue: Id::from(issue.as_str()),
                        from,
                        to,
                        cause: cause(),
                    }));
                }
            }
            Effect::Position { actor, issue, by } => {
                let (Some(a), Some(i)) = (state.actor(actor), state.issue(issue)) else {
                    continue;
                };
                let Some(from) = batch.position(i, a) else {
                    continue;
                };
                if state.settled(i) {
                    continue;
                }
                let to = crate::scale::clamp(from + by);
                if to != from {
                    batch.push(Event::PositionChanged(PositionChanged {
                        actor: Id::from(actor.as_str()),
                        issue: Id::from(issue.as_str()),
                        from,
                        to,
                        cause: moved(),
                    }));
                }
            }
            Effect::Capability { actor, by } => {
                let Some(a) = state.actor(actor) else {
                    continue;
                };
                let from = batch.capability(a);
                // Within the bounds the state holds every capability to.
                let to = crate::limits::capability(from * (1.0 + by));
                if to != from {
                    batch.push(Event::CapabilityChanged(CapabilityChanged {
                        actor: Id::from(actor.as_str()),
                        from,
                        to,
                        cause: cause(),
                    }));
                }
            }
            Effect::Trust { a, b, by } => {
                let (Some(x), Some(y)) = (state.actor(a), state.actor(b)) else {
                    continue;
                };
                if x == y {
                    continue;
                }
                let from = batch.trust(x, y);
                let to = (from + by).clamp(0.0, 1.0);
                if to != from {
                    batch.push(Event::TrustChanged(TrustChanged {
                        a: Id::from(a.as_str()),
                        b: Id::from(b.as_str()),
                        from,
                        to,
                        cause: cause(),
                    }));
                }
            }
        }
    }
}
