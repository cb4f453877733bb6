//! Format 2 mechanism rules: effects and threats.

use super::*;
#[allow(unused_imports)]
use super::{agreements_and_draws::*, ceasefires::*, polarity_and_strikes::*, sanctions::*};

// ---------------------------------------------------------------------------
// 6. Timeline effects
// ---------------------------------------------------------------------------

/// Entry 0 (round 2) is context only; entry 1 (round 3) has four effects.
pub(super) fn with_effects() -> Scenario {
    scenario(json!({
        "rounds": 6,
        "actors": actors(&["A", "B"]),
        "issues": [issue("i", &["A", "B"], None)],
        "stances": [stance("A", "i", 30.0, 0.5), stance("B", "i", 70.0, 0.5)],
        "timeline": [
            {"date": "2016-01-12", "kind": "statement", "actor": "A", "text": "Context only",
             "basis": "analyst estimate"},
            {"date": "2016-01-19", "kind": "meeting", "actor": "A", "actors": ["A", "B"], "text": "The meeting",
             "effects": [
                 {"salience": {"actor": "A", "issue": "i", "by": 0.2}},
                 {"position": {"actor": "B", "issue": "i", "by": -10}},
                 {"capability": {"actor": "A", "by": 0.5}},
                 {"trust": {"a": "A", "b": "B", "by": -0.2}}],
             "basis": "analyst estimate"},
        ],
    }))
}

pub(super) fn scripted_at(events: &[Envelope], text: &str) -> usize {
    events
        .iter()
        .position(|e| matches!(&e.event, Event::Scripted(x) if x.text == text))
        .expect("the entry is logged")
}

/// An entry's salience effect is logged right after its scripted event, as
/// one salience_changed caused by the entry, and changes the salience by
/// `by`.
#[test]
fn a_salience_effect_follows_its_entry_and_changes_salience_by_by() {
    let s = with_effects();
    let events = run(&s, 0);
    let k = scripted_at(&events, "The meeting");
    let Event::SalienceChanged(c) = &events[k + 1].event else {
        panic!("{:?}", events[k + 1]);
    };
    assert_eq!(c.cause, Shift::Effect { entry: 1 });
    assert!(
        (c.actor.as_str(), c.issue.as_str()) == ("A", "i")
            && close(c.from, 0.5)
            && close(c.to, 0.7),
        "{c:?}"
    );
    assert_eq!(events[k + 1].round, events[k].round);
    let st = fold(&s, &events);
    assert!(close(st.salience(0, st.actor("A").unwrap()).unwrap(), 0.7));
}

/// Every effect of an entry is applied once over the run, in the entry's
/// order, and each changes the state as it says.
#[test]
fn each_effect_is_applied_exactly_once() {
    let s = with_effects();
    let events = run(&s, 0);
    let k = scripted_at(&events, "The meeting");
    let next: Vec<&str> = events[k + 1..k + 5]
        .iter()
        .map(|e| e.event.name())
        .collect();
    assert_eq!(
        next,
        [
            "salience_changed",
            "position_changed",
            "capability_changed",
            "trust_changed"
        ]
    );
    let caused: Vec<u64> = events
        .iter()
        .filter(|e| effect_entry(&e.event) == Some(1))
        .map(|e| e.seq)
        .collect();
    assert_eq!(
        caused,
        events[k + 1..k + 5]
            .iter()
            .map(|e| e.seq)
            .collect::<Vec<_>>()
    );
    let st = fold(&s, &events);
    let (a, b) = (st.actor("A").unwrap(), st.actor("B").unwrap());
    assert!(close(st.held(0, b).unwrap().position, 60.0));
    assert!(close(st.capability(a), 1.5));
    assert!(close(st.trust(a, b), 0.3));
}

/// An entry without effects logs only its scripted event.
#[test]
fn an_entry_without_effects_logs_only_its_scripted_event() {
    let events = run(&with_effects(), 0);
    assert!(events.iter().all(|e| effect_entry(&e.event) != Some(0)));
    let k = scripted_at(&events, "Context only");
    assert_eq!(
        effect_entry(&events[k + 1].event),
        None,
        "{:?}",
        events[k + 1]
    );
}

// ---------------------------------------------------------------------------
// 7. Threats
// ---------------------------------------------------------------------------

const THREAT: &str = "us_strike";

/// USA threatens SYR (at 20, salience 0.4) with 2 strikes a round unless
/// SYR comes to at least 70 on `cw` by 20 January 2016 (round 3); made on
/// the start date, extendable once by 14 days, stakes 0.2 (read as its
/// severity). A timeline entry in round 2 moves SYR by `moved`, if given.
/// SYR weighs defying at 0.2 × ½ (capabilities 1 and 1) = 0.1 against
/// conceding at 0.4 × 0.5 = 0.2, and holds.
pub(super) fn threatened(moved: Option<f64>) -> (Scenario, Vec<Envelope>) {
    threatened_with(moved, json!({}))
}

/// [`threatened`], with the threat's fields `threat` set over it.
pub(super) fn threatened_with(moved: Option<f64>, threat: Value) -> (Scenario, Vec<Envelope>) {
    let timeline = match moved {
        Some(by) => {
            json!([{"date": "2016-01-12", "kind": "statement", "actor": "SYR", "text": "SYR moves",
                            "effects": [{"position": {"actor": "SYR", "issue": "cw", "by": by}}],
                            "basis": "analyst estimate"}])
        }
        None => json!([]),
    };
    let mut t = json!({"id": THREAT, "actor": "USA", "target": "SYR",
                     "action": {"strikes": {"theatre": "syria", "per_round": 2}},
                     "condition": {"issue": "cw", "at_least": 70},
                     "made": "2016-01-04", "deadline": "2016-01-20", "extend_days": 14,
                     "stakes": 0.2, "basis": "analyst estimate"});
    for (k, v) in threat.as_object().expect("an object") {
        t[k] = v.clone();
    }
    let s = scenario(json!({
        "actors": actors(&["USA", "SYR"]),
        "issues": [issue("cw", &["USA", "SYR"], None)],
        "stances": [stance("USA", "cw", 100.0, 1.0), stance("SYR", "cw", 20.0, 0.4)],
        "timeline": timeline,
        "threats": [t],
    }));
    let events = run(&s, 0);
    (s, events)
}

pub(super) fn threat_events(events: &[Envelope]) -> Vec<(&'static str, u32)> {
    events
        .iter()
        .filter(|e| e.event.name().starts_with("threat_"))
        .map(|e| (e.event.name(), e.round))
        .collect()
}

pub(super) fn syr_salience(s: &Scenario, events: &[Envelope]) -> f64 {
    let st = fold(s, events);
    st.salience(0, st.actor("SYR").unwrap()).unwrap()
}

/// A condition met before the deadline withdraws the threat in the round
/// it is met (round 2 here, the deadline in round 3). The threat raises no
/// salience: its old `stakes` are its severity, not a stubbornness.
#[test]
fn a_condition_met_withdraws_the_threat_in_the_round_it_is_met() {
    let (s, events) = threatened(Some(60.0));
    assert_eq!(
        threat_events(&events),
        [
            ("threat_made", 1),
            ("threat_answered", 1),
            ("threat_withdrawn", 2)
        ]
    );
    let withdrawn = &named(&events, "threat_withdrawn")[0].event;
    assert_eq!(
        Outcome::of(withdrawn).map(|o| o.key()).as_deref(),
        Some("threat_withdrawn:us_strike")
    );
    assert!(named(&events, "salience_changed").is_empty());
    assert!(close(syr_salience(&s, &events), 0.4));
    assert!(named(&events, "strike").is_empty());
    assert_eq!(
        fold(&s, &events).threats()[0].status,
        ThreatStatus::Withdrawn
    );
}

/// A condition not met, the target holding: the threat is carried out,
/// and from the next round on its strikes hit the target's forces (no
/// duration: until the condition is met).
#[test]
fn a_target_that_does_not_move_is_struck() {
    let (s, events) = threatened(None);
    assert_eq!(
        threat_events(&events),
        [
            ("threat_made", 1),
            ("threat_answered", 1),
            ("threat_carried_out", 3)
        ]
    );
    let carried = &named(&events, "threat_carried_out")[0].event;
    assert_eq!(
        Outcome::of(carried).map(|o| o.key()).as_deref(),
        Some("threat_carried_out:us_strike")
    );
    for r in 1..=10 {
        let strikes: Vec<&Strike> = events
            .iter()
            .filter(|e| e.round == r)
            .filter_map(|e| match &e.event {
                Event::Strike(x) => Some(x),
                _ => None,
            })
            .collect();
        assert_eq!(
            strikes.len(),
            if r > 3 { 2 } else { 0 },
            "round {r}: {strikes:?}"
        );
        assert!(strikes.iter().all(|x| x.striker == "USA"
            && x.target == StrikeTarget::Threatened
            && x.hits.as_deref() == Some("SYR")));
    }
    assert!(close(syr_salience(&s, &events), 0.4));
}

/// A target that has come at least half way toward the condition has the
/// deadline put back once, by extend_days; at the new deadline, still short
/// and already extended, the threat is carried out. (A small severity, so
/// that the target at 50 still holds.)
#[test]
fn a_target_moving_half_way_gets_one_extension() {
    let severity = json!({"severity": {"share": 0.05, "basis": "analyst estimate"}});
    let (_, events) = threatened_with(Some(30.0), severity);
    assert_eq!(
        threat_events(&events),
        [
            ("threat_made", 1),
            ("threat_answered", 1),
            ("threat_extended", 3),
            ("threat_carried_out", 5)
        ]
    );
    let Event::ThreatExtended(x) = &named(&events, "threat_extended")[0].event else {
        unreachable!()
    };
    assert_eq!(x.deadline, date("2016-02-03"));
}

/// A target that has moved less than half way gets no extension.
#[test]
fn a_target_moving_less_than_half_way_gets_no_extension() {
    let (_, events) = threatened(Some(10.0));
    assert_eq!(
        threat_events(&events),
        [
            ("threat_made", 1),
            ("threat_answered", 1),
            ("threat_carried_out", 3)
        ]
    );
}

/// A trust effect starts from the trust its own entry's act leaves: an act
/// with a target nudges trust by its Goldstein value when it is applied,
/// and the effect, decided with it in the timeline's batch, moves trust by
/// `by` from there rather than from where the round found it.
#[test]
fn a_trust_effect_adds_to_its_acts_nudge() {
    let s = scenario(json!({
        "rounds": 3,
        "actors": actors(&["A", "B"]),
        "issues": [issue("i", &["A", "B"], None)],
        "stances": [stance("A", "i", 30.0, 0.5), stance("B", "i", 70.0, 0.5)],
        "timeline": [
            {"date": "2016-01-12", "kind": "talks", "actor": "A", "target": "B", "text": "Talks",
             "effects": [{"trust": {"a": "A", "b": "B", "by": 0.1}}],
             "basis": "analyst estimate"},
        ],
    }));
    let events = run(&s, 0);
    let k = scripted_at(&events, "Talks");
    let nudge = 0.05 * events[k].event.goldstein() / 10.0;
    assert!(nudge != 0.0);
    let Event::TrustChanged(t) = &events[k + 1].event else {
        panic!("{:?}", events[k + 1]);
    };
    assert!(close(t.from, 0.5 + nudge), "{t:?}");
    assert!(close(t.to, t.from + 0.1), "{t:?}");
    let st = fold(&s, &events);
    let (a, b) = (st.actor("A").unwrap(), st.actor("B").unwrap());
    assert!(
        close(st.trust(a, b), 0.5 + nudge + 0.1),
        "{}",
        st.trust(a, b)
    );
}
