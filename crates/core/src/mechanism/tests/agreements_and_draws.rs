//! Format 2 mechanism rules: agreements and draws.

use super::*;
#[allow(unused_imports)]
use super::{ceasefires::*, effects_and_threats::*, polarity_and_strikes::*, sanctions::*};

// ---------------------------------------------------------------------------
// 8. Implementation
// ---------------------------------------------------------------------------

/// A and B already agree on `deal` at 50; the agreement must be carried out
/// in 2 steps and stalls after 2 rounds of non-compliance. A timeline entry
/// in round 2 moves A by `pushed`, if given.
pub(super) fn implemented(pushed: Option<f64>) -> (Scenario, Vec<Envelope>) {
    let timeline = match pushed {
        Some(by) => {
            json!([{"date": "2016-01-12", "kind": "statement", "actor": "A", "text": "A reneges",
                            "effects": [{"position": {"actor": "A", "issue": "deal", "by": by}}],
                            "basis": "analyst estimate"}])
        }
        None => json!([]),
    };
    let s = scenario(json!({
        "rounds": 6,
        "actors": actors(&["A", "B"]),
        "issues": [issue("deal", &["A", "B"], None)],
        "stances": [stance("A", "deal", 50.0, 0.5), stance("B", "deal", 50.0, 0.5)],
        "timeline": timeline,
        "agreement": {"tolerance": 5, "implementation": {"steps": 2, "stall_after": 2}},
    }));
    let events = run(&s, 0);
    (s, events)
}

pub(super) fn agreement_events(events: &[Envelope]) -> Vec<(&'static str, u32)> {
    events
        .iter()
        .filter(|e| e.event.name().starts_with("agreement_"))
        .map(|e| (e.event.name(), e.round))
        .collect()
}

/// Principals who comply round after round carry the agreement out: signed,
/// a step, then implemented after `steps` steps.
#[test]
fn an_agreement_complied_with_is_implemented_step_by_step() {
    let (s, events) = implemented(None);
    assert_eq!(
        agreement_events(&events),
        [
            ("agreement_signed", 1),
            ("agreement_step", 2),
            ("agreement_implemented", 3)
        ]
    );
    let done = &named(&events, "agreement_implemented")[0].event;
    assert_eq!(
        Outcome::of(done).map(|o| o.key()).as_deref(),
        Some("agreement_implemented:deal")
    );
    assert_eq!(
        fold(&s, &events).agreement(0).map(|a| a.stage),
        Some(Stage::Implemented)
    );
}

/// A principal pushed away from the agreed position after signing stalls
/// the agreement after stall_after rounds, and is named as noncompliant.
#[test]
fn a_principal_pushed_away_stalls_the_agreement() {
    let (s, events) = implemented(Some(20.0));
    let stalled = named(&events, "agreement_stalled");
    assert_eq!(stalled.len(), 1, "{:?}", agreement_events(&events));
    let Event::AgreementStalled(p) = &stalled[0].event else {
        unreachable!()
    };
    assert_eq!(p.noncompliant, ["A"]);
    assert_eq!(stalled[0].round, 3);
    assert!(named(&events, "agreement_implemented").is_empty());
    assert_eq!(
        fold(&s, &events).agreement(0).map(|a| a.stage),
        Some(Stage::Stalled)
    );
}

// ---------------------------------------------------------------------------
// 9. Uncertainty beyond positions
// ---------------------------------------------------------------------------

pub(super) fn uncertain() -> Scenario {
    let mut a = stance("A", "i", 30.0, 0.5);
    a["salience_uncertainty"] = json!(0.1);
    let mut b = stance("B", "i", 70.0, 0.95);
    b["salience_uncertainty"] = json!(0.1);
    let mut people = actors(&["A", "B"]);
    people[0]["capability"] = json!(2);
    people[0]["capability_uncertainty"] = json!(0.2);
    scenario(json!({
        "rounds": 1,
        "actors": people,
        "issues": [issue("i", &["A", "B"], None)],
        "stances": [a, b],
    }))
}

/// Capability and salience draws are logged in round 0, before it closes,
/// within their bounds (× (1 ± 0.2); ± 0.1 clamped to at most 1), and differ
/// from seed to seed.
#[test]
fn capability_and_salience_draws_open_the_run_within_bounds() {
    let s = uncertain();
    let mut drawn_a = Vec::new();
    for seed in 0..30 {
        let events = run(&s, seed);
        let close0 = events
            .iter()
            .position(|e| matches!(&e.event, Event::RoundClosed(r) if r.round == 0))
            .unwrap();
        let opening = &events[..close0];
        assert!(opening.iter().all(|e| e.round == 0));
        let capability: Vec<&CapabilityChanged> = opening
            .iter()
            .filter_map(|e| match &e.event {
                Event::CapabilityChanged(c) => Some(c),
                _ => None,
            })
            .collect();
        assert_eq!(capability.len(), 1, "seed {seed}");
        let c = capability[0];
        assert_eq!(c.cause, Shift::Uncertainty { half_width: 0.2 });
        assert!(
            c.actor == "A" && (1.6..=2.4).contains(&c.to),
            "seed {seed}: {c:?}"
        );
        for e in opening {
            if let Event::SalienceChanged(x) = &e.event {
                assert_eq!(x.cause, Shift::Uncertainty { half_width: 0.1 });
                let bounds = if x.actor == "A" {
                    0.4..=0.6
                } else {
                    0.85..=1.0
                };
                assert!(bounds.contains(&x.to), "seed {seed}: {x:?}");
                if x.actor == "A" {
                    drawn_a.push(x.to);
                }
            }
        }
        assert_eq!(
            events
                .iter()
                .filter(|e| matches!(&e.event, Event::SalienceChanged(x) if x.actor == "A"))
                .count(),
            1,
            "seed {seed}: one draw, in round 0"
        );
    }
    drawn_a.sort_by(f64::total_cmp);
    drawn_a.dedup();
    assert!(drawn_a.len() >= 25, "{drawn_a:?}");
}

// ---------------------------------------------------------------------------
// 10. Injection
// ---------------------------------------------------------------------------

/// An injected salience change is completed with an external cause and the
/// salience it changes from.
#[test]
fn an_injected_salience_change_has_an_external_cause() {
    let s = with_effects();
    let state = State::new(&s);
    let event = crate::inject::complete(
        &json!({"salience_changed": {"actor": "A", "issue": "i", "to": 0.9}}),
        &s,
        s.rounds,
        &state,
    )
    .unwrap();
    let Event::SalienceChanged(c) = &event else {
        panic!("{event:?}")
    };
    assert!(matches!(c.cause, Shift::External { .. }), "{c:?}");
    assert!(close(c.from, 0.5) && close(c.to, 0.9), "{c:?}");
    let mut after = state.clone();
    after.apply(&event);
    assert!(close(after.salience(0, 0).unwrap(), 0.9));
}

// ---------------------------------------------------------------------------
// The laws on these scenarios
// ---------------------------------------------------------------------------

/// The law suite (spoilers unbound, unanimous change, effects once, and the
/// rest) holds on the scenarios above; the effects scenario keeps only its
/// salience and trust effects (see the two tests below).
#[test]
fn the_laws_hold_on_these_scenarios() {
    let suite = crate::laws::Suite::builtin();
    let mut effects = with_effects();
    effects.timeline[1].effects.retain(|e| {
        matches!(
            e,
            crate::scenario::Effect::Salience { .. } | crate::scenario::Effect::Trust { .. }
        )
    });
    let cases = [
        ("brokered", brokered()),
        ("memory", memory(0.01)),
        (
            "unanimity",
            voting_scenario("unanimity", [90.0, 10.0, 10.0]),
        ),
        ("effects", effects),
        ("threat", threatened(None).0),
        ("implemented", implemented(None).0),
        ("costly", costly(90.0)),
    ];
    for (name, s) in &cases {
        for seed in 0..3 {
            if let Err(v) = suite.check_case(s, seed) {
                panic!("{name}, seed {seed}: {v:?}");
            }
        }
    }
}

/// Scaling every capability by the same factor changes nothing: the law
/// judges the model, on the scenario without timeline effects and draws.
#[test]
fn the_capability_scale_law_holds_with_capability_effects_and_draws() {
    let suite = crate::laws::Suite::builtin();
    let broken: Vec<String> = [("effects", with_effects()), ("uncertain", uncertain())]
        .iter()
        .filter_map(|(name, s)| {
            suite
                .check_case(s, 0)
                .err()
                .map(|v| format!("{name}: {v:?}"))
        })
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

/// When all actors share a position the model moves nobody; a timeline
/// entry's position effect is not the model's move (the law plays the
/// scenario without effects).
#[test]
fn the_unanimity_law_holds_with_position_effects() {
    let suite = crate::laws::Suite::builtin();
    let moscow: Scenario = serde_json::from_str(include_str!(
        "../../../../../scenarios/moscow-2015-12-15.json"
    ))
    .unwrap();
    let broken: Vec<String> = [("threat", threatened(Some(-10.0)).0), ("moscow", moscow)]
        .iter()
        .filter_map(|(name, s)| {
            suite
                .check_case(s, 0)
                .err()
                .map(|v| format!("{name}: {v:?}"))
        })
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

/// Doubling an actor's capability never moves a final forecast away from
/// it; the law plays the scenario without timeline effects, which would
/// move the actor from where it opened.
#[test]
fn the_capability_law_holds_with_position_effects() {
    if let Err(v) = crate::laws::Suite::builtin().check_case(&implemented(Some(20.0)).0, 0) {
        panic!("{v:?}");
    }
}
