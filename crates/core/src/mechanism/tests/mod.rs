//! The rules of format 2's crisis mechanisms, one test (or a few) per rule.
//!
//! Each test writes a small scenario (version 2 unless it tests format 1),
//! runs it, and reads the log and the state it folds into. The scenarios
//! run the compromise model with a step so small that no position moves by
//! bargaining (`lambda` 1e-9: every step is below the model's smallest
//! move), and an agreement tolerance of 0, so that positions change only by
//! the effects a test scripts and no issue is settled by accident.

mod agreements_and_draws;
mod bending;
mod bodies;
mod ceasefires;
mod effects_and_threats;
mod fronts;
mod packages;
mod polarity_and_strikes;
mod sanctions;
mod threats;

pub(super) use serde_json::{Value, json};

pub(super) use crate::date::Date;
pub(super) use crate::event::*;
pub(super) use crate::outcome::Outcome;
pub(super) use crate::scenario::Scenario;
pub(super) use crate::state::{CeasefireStatus, Stage, ThreatStatus};
pub(super) use crate::{Run, RunConfig, State};

// ---------------------------------------------------------------------------
// Building and running scenarios
// ---------------------------------------------------------------------------

/// A format-2 scenario: the base (weekly rounds from Monday 4 January 2016,
/// positions held still, no accidental agreement) with `extra`'s members
/// over it. Not validated.
pub(super) fn parse(extra: Value) -> Scenario {
    let mut base = json!({
        "version": 2, "id": "mechanism-test", "title": "A mechanism test",
        "start": "2016-01-04", "days_per_round": 7, "rounds": 10,
        "model": {"kind": "compromise", "lambda": 1e-9},
        "agreement": {"tolerance": 0},
    });
    for (k, v) in extra.as_object().expect("an object") {
        base[k] = v.clone();
    }
    serde_json::from_value(base).expect("a scenario")
}

/// [`parse`], and the scenario must be valid.
pub(super) fn scenario(extra: Value) -> Scenario {
    let s = parse(extra);
    assert!(s.problems().is_empty(), "{:?}", s.problems());
    s
}

pub(super) fn actors(ids: &[&str]) -> Value {
    ids.iter()
        .map(|id| json!({"id": id, "name": id, "kind": "state", "capability": 1, "basis": "analyst estimate"}))
        .collect()
}

pub(super) fn issue(id: &str, principals: &[&str], high_means: Option<&str>) -> Value {
    let mut v =
        json!({"id": id, "question": "?", "low": "no", "high": "yes", "principals": principals});
    if let Some(h) = high_means {
        v["high_means"] = json!(h);
    }
    v
}

pub(super) fn stance(actor: &str, issue: &str, position: f64, salience: f64) -> Value {
    json!({"actor": actor, "issue": issue, "position": position, "salience": salience, "basis": "analyst estimate"})
}

pub(super) fn run(s: &Scenario, seed: u64) -> Vec<Envelope> {
    Run::new(
        s,
        RunConfig {
            seed,
            ..RunConfig::default()
        },
    )
    .unwrap()
    .map(|r| r.unwrap())
    .collect()
}

/// The state after `events`.
pub(super) fn fold(s: &Scenario, events: &[Envelope]) -> State {
    let mut st = State::new(s);
    for e in events {
        st.apply(&e.event);
    }
    st
}

pub(super) fn date(text: &str) -> Date {
    serde_json::from_value(json!(text)).unwrap()
}

pub(super) fn named<'a>(events: &'a [Envelope], name: &str) -> Vec<&'a Envelope> {
    events.iter().filter(|e| e.event.name() == name).collect()
}

pub(super) fn paths(s: &Scenario) -> Vec<String> {
    s.problems().into_iter().map(|p| p.path).collect()
}

/// The timeline entry whose effect caused a change, if one did.
pub(super) fn effect_entry(e: &Event) -> Option<usize> {
    match e {
        Event::SalienceChanged(SalienceChanged {
            cause: Shift::Effect { entry },
            ..
        })
        | Event::CapabilityChanged(CapabilityChanged {
            cause: Shift::Effect { entry },
            ..
        })
        | Event::TrustChanged(TrustChanged {
            cause: Shift::Effect { entry },
            ..
        })
        | Event::PositionChanged(PositionChanged {
            cause: Cause::Effect { entry },
            ..
        }) => Some(*entry),
        _ => None,
    }
}

pub(super) fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}
