//! What a timeline entry does: its `effects`, turned into logged events
//! when the entry is logged, once.
//!
//! A salience changes by `by` (clamped to 0–1), a position by `by` points
//! (clamped to the scale; an issue settled by an agreement does not move), a
//! capability by a share (× (1 + by), kept positive), trust between two
//! actors by `by` (clamped to 0–1). Several effects in one round build on
//! each other: each starts from where the last left the value.

use std::collections::BTreeMap;

use crate::event::{
    CapabilityChanged, Cause, Event, PositionChanged, SalienceChanged, Shift, TrustChanged,
};
use crate::scenario::{Effect, Scenario};
use crate::state::State;

/// Values as this round's effects leave them, over the state's.
#[derive(Debug, Default)]
pub struct Ledger {
    salience: BTreeMap<(usize, usize), f64>,
    position: BTreeMap<(usize, usize), f64>,
    capability: BTreeMap<usize, f64>,
    trust: BTreeMap<(usize, usize), f64>,
}

/// The smallest capability an effect may leave.
const MIN_CAPABILITY: f64 = 1e-6;

impl Ledger {
    /// The events of timeline entry `entry`'s effects, in the order the
    /// entry lists them.
    pub fn effects(&mut self, scenario: &Scenario, state: &State, entry: usize) -> Vec<Event> {
        let Some(e) = scenario.timeline.get(entry) else {
            return Vec::new();
        };
        let cause = || Shift::Effect { entry };
        let mut events = Vec::new();
        for effect in &e.effects {
            match effect {
                Effect::Salience { actor, issue, by } => {
                    let (Some(a), Some(i)) = (state.actor(actor), state.issue(issue)) else {
                        continue;
                    };
                    let Some(held) = state.held(i, a) else {
                        continue;
                    };
                    let from = *self.salience.get(&(i, a)).unwrap_or(&held.salience);
                    let to = (from + by).clamp(0.0, 1.0);
                    if to != from {
                        self.salience.insert((i, a), to);
                        events.push(Event::SalienceChanged(SalienceChanged {
                            actor: actor.clone(),
                            issue: issue.clone(),
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
                    let Some(held) = state.held(i, a) else {
                        continue;
                    };
                    if state.settled(i) {
                        continue;
                    }
                    let from = *self.position.get(&(i, a)).unwrap_or(&held.position);
                    let to = crate::scale::clamp(from + by);
                    if to != from {
                        self.position.insert((i, a), to);
                        events.push(Event::PositionChanged(PositionChanged {
                            actor: actor.clone(),
                            issue: issue.clone(),
                            from,
                            to,
                            cause: Cause::Effect { entry },
                        }));
                    }
                }
                Effect::Capability { actor, by } => {
                    let Some(a) = state.actor(actor) else {
                        continue;
                    };
                    let from = *self.capability.get(&a).unwrap_or(&state.capability(a));
                    let to = (from * (1.0 + by)).max(MIN_CAPABILITY);
                    if to != from {
                        self.capability.insert(a, to);
                        events.push(Event::CapabilityChanged(CapabilityChanged {
                            actor: actor.clone(),
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
                    let key = (x.min(y), x.max(y));
                    let from = *self.trust.get(&key).unwrap_or(&state.trust(x, y));
                    let to = (from + by).clamp(0.0, 1.0);
                    if to != from {
                        self.trust.insert(key, to);
                        events.push(Event::TrustChanged(TrustChanged {
                            a: a.clone(),
                            b: b.clone(),
                            from,
                            to,
                            cause: cause(),
                        }));
                    }
                }
            }
        }
        events
    }
}
