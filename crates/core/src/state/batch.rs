//! A batch of events being decided, and the values they will leave.
//!
//! A phase decides its batch from the state at its start, but an event
//! later in the batch must start from where the earlier ones leave a value:
//! a second strike lowers trust from where the first left it, a timeline
//! entry's effect builds on the last one's, a ceasefire collapses on the
//! violations counted so far. [`Batch`] holds the events decided so far
//! and, over the state, what they change; every decider that builds on its
//! own events reads through it, so there is one such overlay, not one per
//! mechanism.

use std::collections::BTreeMap;

use super::{Refs, State};
use crate::event::Event;

/// Events decided so far in a phase, over the state they will be applied
/// to.
#[derive(Debug)]
pub struct Batch<'s> {
    state: &'s State,
    events: Vec<Event>,
    /// Trust by pair (lower index first).
    trust: BTreeMap<(usize, usize), f64>,
    /// Salience and position by (issue, actor).
    salience: BTreeMap<(usize, usize), f64>,
    position: BTreeMap<(usize, usize), f64>,
    capability: BTreeMap<usize, f64>,
    /// Violations by ceasefire, since it was last agreed.
    violations: BTreeMap<usize, u32>,
}

impl<'s> Batch<'s> {
    /// An empty batch over `state`.
    pub fn new(state: &'s State) -> Batch<'s> {
        Batch {
            state,
            events: Vec::new(),
            trust: BTreeMap::new(),
            salience: BTreeMap::new(),
            position: BTreeMap::new(),
            capability: BTreeMap::new(),
            violations: BTreeMap::new(),
        }
    }

    /// The state the batch starts from.
    pub fn state(&self) -> &'s State {
        self.state
    }

    /// Trust between `a` and `b` as the batch leaves it.
    pub fn trust(&self, a: usize, b: usize) -> f64 {
        self.trust
            .get(&(a.min(b), a.max(b)))
            .copied()
            .unwrap_or_else(|| self.state.trust(a, b))
    }

    /// `actor`'s salience on `issue` as the batch leaves it, if it holds a
    /// stance.
    pub fn salience(&self, issue: usize, actor: usize) -> Option<f64> {
        let held = self.state.held(issue, actor)?;
        Some(*self.salience.get(&(issue, actor)).unwrap_or(&held.salience))
    }

    /// `actor`'s position on `issue` as the batch leaves it, if it holds a
    /// stance.
    pub fn position(&self, issue: usize, actor: usize) -> Option<f64> {
        let held = self.state.held(issue, actor)?;
        Some(*self.position.get(&(issue, actor)).unwrap_or(&held.position))
    }

    /// `actor`'s capability as the batch leaves it.
    pub fn capability(&self, actor: usize) -> f64 {
        *self
            .capability
            .get(&actor)
            .unwrap_or(&self.state.capability(actor))
    }

    /// Violations of ceasefire `k` since it was last agreed, as the batch
    /// leaves them.
    pub fn violations(&self, k: usize) -> u32 {
        self.violations
            .get(&k)
            .copied()
            .unwrap_or_else(|| self.state.ceasefires()[k].violations)
    }

    /// Adds `event` to the batch, and what it changes to the overlay.
    pub fn push(&mut self, event: Event) {
        self.record(&event);
        self.events.push(event);
    }

    /// The events decided since the last `take`; what they change stays
    /// in the overlay.
    pub fn take(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The events decided, in order.
    pub fn into_events(self) -> Vec<Event> {
        self.events
    }

    /// What `event` will change that a later event of the batch reads.
    fn record(&mut self, event: &Event) {
        let state = self.state;
        match (event, state.refs(event)) {
            (Event::TrustChanged(t), Refs::Pair { a, b }) => {
                self.trust.insert((a.min(b), a.max(b)), t.to);
            }
            (Event::SalienceChanged(c), Refs::Stance { actor, issue }) => {
                self.salience.insert((issue, actor), c.to);
            }
            (Event::PositionChanged(p), Refs::Stance { actor, issue }) => {
                self.position.insert((issue, actor), p.to);
            }
            (Event::CapabilityChanged(c), _) => {
                if let Some(a) = state.actor(&c.actor) {
                    self.capability.insert(a, c.to);
                }
            }
            (Event::CeasefireAgreed(c), _) => {
                if let Some(k) = state.ceasefire_index(&c.theatre) {
                    self.violations.insert(k, 0);
                }
            }
            (Event::CeasefireViolated(v), _) => {
                if let Some(k) = state.ceasefire_index(&v.theatre) {
                    let n = self.violations(k).saturating_add(1);
                    self.violations.insert(k, n);
                }
            }
            _ => {}
        }
        // What applying the event will do to trust besides.
        let goldstein = event.goldstein();
        for (a, b) in state.nudges(event) {
            let to = state.nudged(self.trust(a, b), goldstein);
            self.trust.insert((a.min(b), a.max(b)), to);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{
        CapabilityChanged, Cause, CeasefireViolated, PositionChanged, SalienceChanged, Shift,
        TrustChanged, ViolationCause,
    };
    use crate::scenario::Scenario;

    fn scenario() -> Scenario {
        let stance = |actor: &str, issue: &str, position: f64| {
            serde_json::json!({"actor": actor, "issue": issue, "position": position,
                               "salience": 0.5, "basis": "test"})
        };
        let actors = ["A", "B", "C"].map(|id| {
            serde_json::json!({"id": id, "name": id, "kind": "state", "capability": 1,
                               "basis": "test"})
        });
        let s: Scenario = serde_json::from_value(serde_json::json!({
            "version": 2, "id": "batch", "title": "A batch", "start": "2016-01-04",
            "days_per_round": 7, "rounds": 1,
            "actors": actors,
            "issues": [
                {"id": "x", "question": "?", "low": "no", "high": "yes", "principals": ["A"]},
                {"id": "truce", "question": "?", "low": "no", "high": "yes",
                 "principals": ["A", "B"], "high_means": "ceasefire_now"}
            ],
            "stances": [stance("A", "x", 10.0), stance("B", "x", 50.0), stance("C", "x", 90.0),
                        stance("A", "truce", 50.0), stance("B", "truce", 50.0)],
            "ceasefires": [{"theatre": "front", "issue": "truce", "parties": ["A", "B"],
                            "tolerance": 10, "hazard": 0, "collapse_after": 10,
                            "in_force": true, "basis": "test"}],
        }))
        .unwrap();
        assert!(s.problems().is_empty(), "{:?}", s.problems());
        s
    }

    /// What a batch reads after its events is what settling, checking and
    /// applying them one by one leaves in the state: each event builds on
    /// the last, as the engine will apply them, and the trust nudges of
    /// events that are not trust changes (here, violations) count too.
    #[test]
    fn a_batch_reads_what_applying_its_events_leaves() {
        let s = scenario();
        let state = State::new(&s);
        let shift = || Shift::Effect { entry: 0 };
        let trust = |to: f64| {
            Event::TrustChanged(TrustChanged {
                a: "A".into(),
                b: "C".into(),
                from: 0.0,
                to,
                cause: shift(),
            })
        };
        let salience = |to: f64| {
            Event::SalienceChanged(SalienceChanged {
                actor: "C".into(),
                issue: "x".into(),
                from: 0.0,
                to,
                cause: shift(),
            })
        };
        let violation = || {
            Event::CeasefireViolated(CeasefireViolated {
                theatre: "front".into(),
                by: "A".into(),
                cause: ViolationCause::External,
                violations: 0,
            })
        };
        let events = vec![
            trust(0.3),
            trust(0.2),
            salience(0.9),
            salience(0.7),
            Event::PositionChanged(PositionChanged {
                actor: "B".into(),
                issue: "x".into(),
                from: 0.0,
                to: 60.0,
                cause: Cause::Effect { entry: 0 },
            }),
            Event::CapabilityChanged(CapabilityChanged {
                actor: "A".into(),
                from: 0.0,
                to: 2.0,
                cause: shift(),
            }),
            violation(),
            violation(),
        ];
        let mut batch = Batch::new(&state);
        let mut applied = state.clone();
        for event in events {
            batch.push(event.clone());
            let mut event = event;
            applied.settle(&mut event);
            applied.check(&event).unwrap();
            applied.apply(&event);
        }
        // Every pair: those the trust changes set, and those the
        // violations nudge (A with B).
        for a in 0..3 {
            for b in (0..3).filter(|&b| b != a) {
                assert_eq!(batch.trust(a, b), applied.trust(a, b), "{a}, {b}");
            }
        }
        for issue in 0..2 {
            for actor in 0..3 {
                let held = applied.held(issue, actor);
                assert_eq!(batch.salience(issue, actor), held.map(|h| h.salience));
                assert_eq!(batch.position(issue, actor), held.map(|h| h.position));
            }
        }
        for actor in 0..3 {
            assert_eq!(batch.capability(actor), applied.capability(actor));
        }
        assert_eq!(batch.violations(0), 2);
        assert_eq!(batch.violations(0), applied.ceasefires()[0].violations);
        assert_eq!(batch.into_events().len(), 8);
    }
}
