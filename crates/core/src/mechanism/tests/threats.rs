//! Threats that both sides decide (issue 28, §1): conditions that are
//! outcomes, all of or any of; the author's resolve; the target's answer
//! by expected cost, with its patrons' pressure; punishment as an episode;
//! what the state refuses on replay; the one date rule.
//!
//! The base: USA (capability 1) threatens SYR (capability 1, at 20 on `cw`
//! with salience 0.4) with 2 strikes a round unless SYR comes to at least
//! 70 on `cw`; made on 4 January 2016 (round 1), due 20 January (round 3).
//! Conceding costs SYR 0.4 × 0.5 = 0.2; defying costs severity × ½.

use super::*;

use super::effects_and_threats::threat_events;
use crate::state::Refusal;

/// The base threat with `threat`'s fields over it, in the base scenario
/// with `extra`'s members over it.
fn coerce(threat: Value, extra: Value) -> (Scenario, Vec<Envelope>) {
    let mut t = json!({"id": "t", "actor": "USA", "target": "SYR",
        "action": {"strikes": {"theatre": "syria", "per_round": 2}},
        "condition": {"issue": "cw", "at_least": 70},
        "made": "2016-01-04", "deadline": "2016-01-20",
        "severity": {"share": 0.01, "basis": "analyst estimate"},
        "basis": "analyst estimate"});
    for (k, v) in threat.as_object().expect("an object") {
        t[k] = v.clone();
    }
    let mut base = json!({
        "actors": actors(&["USA", "SYR"]),
        "issues": [issue("cw", &["USA", "SYR"], None), issue("force", &["USA", "SYR"], None),
                   issue("arsenal", &["USA", "SYR"], None)],
        "stances": [stance("USA", "cw", 80.0, 1.0), stance("SYR", "cw", 20.0, 0.4),
                    stance("USA", "force", 80.0, 0.5), stance("SYR", "force", 10.0, 0.1),
                    stance("USA", "arsenal", 90.0, 1.0), stance("SYR", "arsenal", 10.0, 0.4)],
        "threats": [t],
    });
    for (k, v) in extra.as_object().expect("an object") {
        base[k] = v.clone();
    }
    let s = scenario(base);
    let events = run(&s, 0);
    (s, events)
}

/// A timeline entry on `date` moving `actor` by `by` on `issue`.
fn moves(date: &str, actor: &str, issue: &str, by: f64) -> Value {
    json!({"date": date, "kind": "statement", "actor": actor, "text": format!("{actor} moves on {issue}"),
           "effects": [{"position": {"actor": actor, "issue": issue, "by": by}}],
           "basis": "analyst estimate"})
}

fn strikes_by_round(events: &[Envelope]) -> Vec<u32> {
    events
        .iter()
        .filter(|e| matches!(e.event, Event::Strike(_)))
        .map(|e| e.round)
        .collect()
}

fn answers(events: &[Envelope]) -> Vec<&ThreatAnswered> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            Event::ThreatAnswered(a) => Some(a),
            _ => None,
        })
        .collect()
}

/// A condition that is an outcome (an agreement on `cw`) withdraws the
/// threat in the round the agreement is signed (round 2: SYR comes to 75
/// and both principals are within 10 of the forecast), before the deadline.
/// Until then SYR weighs moving to the forecast, (80 + 0.4 × 20)/1.4.
#[test]
fn an_outcome_condition_withdraws_the_threat_when_the_outcome_happens() {
    let (_, events) = coerce(
        json!({"condition": {"outcome": "agreement:cw"}}),
        json!({"agreement": {"tolerance": 10}, "timeline": [moves("2016-01-12", "SYR", "cw", 55.0)]}),
    );
    assert_eq!(
        threat_events(&events),
        [
            ("threat_made", 1),
            ("threat_answered", 1),
            ("threat_withdrawn", 2)
        ]
    );
    let a = answers(&events)[0];
    let forecast = (80.0 + 0.4 * 20.0) / 1.4;
    assert!(
        close(a.cost_concede, 0.4 * (forecast - 20.0) / 100.0),
        "{a:?}"
    );
    assert_eq!(a.answer, Answer::Held);
    let signed = named(&events, "agreement_signed")[0].seq;
    let withdrawn = named(&events, "threat_withdrawn")[0].seq;
    assert!(signed < withdrawn);
}

/// A threat whose condition already holds when it is made is withdrawn,
/// never made, and moves no trust: the agreement was signed in round 2, the
/// threat is due to be made in round 3.
#[test]
fn a_threat_whose_condition_holds_when_made_is_withdrawn_unmade() {
    let (s, events) = coerce(
        json!({"condition": {"outcome": "agreement:cw"}, "made": "2016-01-18", "deadline": "2016-01-27"}),
        json!({"agreement": {"tolerance": 10}, "timeline": [moves("2016-01-12", "SYR", "cw", 55.0)]}),
    );
    assert_eq!(threat_events(&events), [("threat_withdrawn", 3)]);
    let st = fold(&s, &events);
    assert_eq!(st.threats()[0].status, ThreatStatus::Withdrawn);
    let (usa, syr) = (st.actor("USA").unwrap(), st.actor("SYR").unwrap());
    let before = fold(
        &s,
        &events[..named(&events, "threat_withdrawn")[0].seq as usize - 1],
    );
    assert_eq!(st.trust(usa, syr), before.trust(usa, syr));
}

/// A threat made is an act between its author and its target: its
/// Goldstein value (−7) lowers their trust, as before.
#[test]
fn a_threat_made_lowers_trust_between_its_parties() {
    let (s, events) = coerce(json!({}), json!({}));
    let made = named(&events, "threat_made")[0].seq as usize;
    let (before, after) = (fold(&s, &events[..made - 1]), fold(&s, &events[..made]));
    let (usa, syr) = (before.actor("USA").unwrap(), before.actor("SYR").unwrap());
    assert!(after.trust(usa, syr) < before.trust(usa, syr));
}

/// All of: withdrawn when the last part is met (round 4); any of: when the
/// first is (round 2).
#[test]
fn all_of_waits_for_every_part_and_any_of_for_one() {
    let parts = json!([{"issue": "cw", "at_least": 70}, {"issue": "arsenal", "at_least": 50}]);
    let timeline = json!({"timeline": [
        moves("2016-01-12", "SYR", "cw", 60.0),
        moves("2016-01-26", "SYR", "arsenal", 60.0),
    ]});
    let deadline = "2016-03-01";
    let (_, all) = coerce(
        json!({"condition": {"all_of": parts}, "deadline": deadline}),
        timeline.clone(),
    );
    let (_, any) = coerce(
        json!({"condition": {"any_of": parts}, "deadline": deadline}),
        timeline,
    );
    let withdrawn = |events: &[Envelope]| named(events, "threat_withdrawn")[0].round;
    assert_eq!(withdrawn(&all), 4);
    assert_eq!(withdrawn(&any), 2);
    // All of: conceding means moving on both issues.
    let a = answers(&all)[0];
    assert!(close(a.cost_concede, 0.4 * 0.5 + 0.4 * 0.4), "{a:?}");
    // Any of: the cheaper part (the arsenal, 40 points).
    let a = answers(&any)[0];
    assert!(close(a.cost_concede, 0.4 * 0.4), "{a:?}");
}

/// At the deadline the threat is carried out only while its author stands
/// where it would act: USA, at 80 on `force` with a resolve of at least
/// 60, is moved to 40 in round 2, and the threat lapses; no strike flies.
/// The state refuses a carrying-out then.
#[test]
fn a_threat_lapses_when_its_authors_resolve_is_gone() {
    let resolve = json!({"resolve": {"issue": "force", "at_least": 60}});
    let (_, held) = coerce(resolve.clone(), json!({}));
    assert!(threat_events(&held).contains(&("threat_carried_out", 3)));
    let (s, events) = coerce(
        resolve,
        json!({"timeline": [moves("2016-01-12", "USA", "force", -40.0)]}),
    );
    assert!(
        threat_events(&events).contains(&("threat_lapsed", 3)),
        "{:?}",
        threat_events(&events)
    );
    assert!(named(&events, "threat_carried_out").is_empty());
    assert!(strikes_by_round(&events).is_empty());
    let lapsed = named(&events, "threat_lapsed")[0];
    let before = fold(&s, &events[..lapsed.seq as usize - 1]);
    let Event::ThreatLapsed(r) = &lapsed.event else {
        unreachable!()
    };
    let carried = Event::ThreatCarriedOut(r.clone());
    assert!(
        matches!(before.check(&carried), Err(Refusal::ThreatResolve { .. })),
        "{:?}",
        before.check(&carried)
    );
    assert_eq!(before.check(&lapsed.event), Ok(()));
    // While the resolve held, credibility was the resolve share (0.8)
    // times the capability share (½).
    assert!(close(answers(&held)[0].credibility, 0.4));
}

/// SYR holds against a severity of 0.3 (defying costs 0.15, conceding
/// 0.2); a patron (RUS, leverage 1, salience 0.5) standing nearer the
/// condition presses it by 1 × 0.5 × 0.5 and it complies in round 1: it
/// moves to 70 and the threat is withdrawn. A patron standing farther
/// away (at 0) presses against, and SYR holds against a severity of 0.5
/// that it would concede to alone.
#[test]
fn the_target_complies_by_expected_cost_and_its_patrons_press() {
    let with_rus = |position: f64| {
        json!({
            "actors": actors(&["USA", "SYR", "RUS"]),
            "stances": [stance("USA", "cw", 80.0, 1.0), stance("SYR", "cw", 20.0, 0.4),
                        stance("RUS", "cw", position, 0.5), stance("USA", "force", 80.0, 0.5),
                        stance("SYR", "force", 10.0, 0.1),
                        stance("USA", "arsenal", 90.0, 1.0), stance("SYR", "arsenal", 10.0, 0.4)],
            "patrons": [{"patron": "RUS", "client": "SYR", "leverage": 1.0, "basis": "analyst estimate"}],
        })
    };
    let severity = |x: f64| json!({"severity": {"share": x, "basis": "analyst estimate"}});
    let (_, alone) = coerce(severity(0.3), json!({}));
    assert_eq!(answers(&alone)[0].answer, Answer::Held);
    let (s, pressed) = coerce(severity(0.3), with_rus(80.0));
    let a = answers(&pressed)[0];
    assert_eq!(a.answer, Answer::Complied, "{a:?}");
    assert!(
        close(a.cost_concede, 0.2) && close(a.credibility, 0.5),
        "{a:?}"
    );
    assert!(close(a.cost_defy, 0.15) && close(a.leverage, 0.25), "{a:?}");
    assert_eq!(
        threat_events(&pressed),
        [
            ("threat_made", 1),
            ("threat_answered", 1),
            ("threat_withdrawn", 1)
        ]
    );
    let complied = named(&pressed, "threat_answered")[0];
    assert_eq!(
        Outcome::of(&complied.event).map(|o| o.key()).as_deref(),
        Some("threat_complied:t")
    );
    let Event::PositionChanged(p) = &pressed[complied.seq as usize].event else {
        panic!("{:?}", pressed[complied.seq as usize]);
    };
    assert_eq!(
        (p.to, &p.cause),
        (70.0, &Cause::Threat { threat: "t".into() })
    );
    let st = fold(&s, &pressed);
    assert_eq!(st.held(0, st.actor("SYR").unwrap()).unwrap().position, 70.0);
    let (_, alone) = coerce(severity(0.5), json!({}));
    assert_eq!(answers(&alone)[0].answer, Answer::Complied);
    let (_, opposed) = coerce(severity(0.5), with_rus(0.0));
    let a = answers(&opposed)[0];
    assert_eq!(a.answer, Answer::Held, "{a:?}");
    assert!(close(a.leverage, -0.25), "{a:?}");
}

/// A carried-out threat with a duration of 2 rounds: carried out in round
/// 3 with its effects applied once (SYR's capability × 0.8, trust −0.1),
/// its strikes fly in rounds 4 and 5, and it ends in round 5.
#[test]
fn a_punishment_lasts_its_duration_and_applies_its_effects_once() {
    let (s, events) = coerce(
        json!({"duration": 2, "effects": [{"capability": {"actor": "SYR", "by": -0.2}},
                                         {"trust": {"a": "USA", "b": "SYR", "by": -0.1}}]}),
        json!({}),
    );
    assert_eq!(
        threat_events(&events),
        [
            ("threat_made", 1),
            ("threat_answered", 1),
            ("threat_carried_out", 3),
            ("threat_ended", 5)
        ]
    );
    assert_eq!(strikes_by_round(&events), [4, 4, 5, 5]);
    let threat = Shift::Threat { threat: "t".into() };
    let capability: Vec<&Envelope> = named(&events, "capability_changed");
    assert_eq!(capability.len(), 1);
    assert_eq!(capability[0].round, 3);
    let Event::CapabilityChanged(c) = &capability[0].event else {
        unreachable!()
    };
    assert!(close(c.to, 0.8) && c.cause == threat, "{c:?}");
    assert!(
        named(&events, "trust_changed")
            .iter()
            .any(|e| matches!(&e.event, Event::TrustChanged(t) if t.cause == threat))
    );
    let ended = &named(&events, "threat_ended")[0].event;
    assert_eq!(
        Outcome::of(ended).map(|o| o.key()).as_deref(),
        Some("threat_ended:t")
    );
    assert_eq!(fold(&s, &events).threats()[0].status, ThreatStatus::Ended);
}

/// Without a duration, a punishment ends in the round its condition is
/// met (SYR comes to 80 in round 5); its strikes stop.
#[test]
fn a_punishment_ends_when_its_condition_is_met() {
    let (_, events) = coerce(
        json!({}),
        json!({"timeline": [moves("2016-02-02", "SYR", "cw", 60.0)]}),
    );
    assert!(threat_events(&events).ends_with(&[("threat_carried_out", 3), ("threat_ended", 5)]));
    assert_eq!(strikes_by_round(&events), [4, 4, 5, 5]);
}

/// The state holds a logged answer to the numbers it determines: a
/// complying answer where the numbers say hold, or numbers that are not
/// the state's, are refused.
#[test]
fn the_state_refuses_an_answer_whose_numbers_do_not_match() {
    let (s, events) = coerce(json!({}), json!({}));
    let answered = named(&events, "threat_answered")[0];
    let before = fold(&s, &events[..answered.seq as usize - 1]);
    assert_eq!(before.check(&answered.event), Ok(()));
    let Event::ThreatAnswered(a) = &answered.event else {
        unreachable!()
    };
    let complied = Event::ThreatAnswered(ThreatAnswered {
        answer: Answer::Complied,
        ..a.clone()
    });
    assert!(matches!(
        before.check(&complied),
        Err(Refusal::Unsettled { .. })
    ));
    let cheaper = Event::ThreatAnswered(ThreatAnswered {
        cost_concede: 0.001,
        ..a.clone()
    });
    assert!(matches!(
        before.check(&cheaper),
        Err(Refusal::Unsettled { .. })
    ));
    let harsher = Event::ThreatAnswered(ThreatAnswered {
        severity: 0.9,
        ..a.clone()
    });
    assert!(matches!(
        before.check(&harsher),
        Err(Refusal::Unsettled { .. })
    ));
}

/// The one date rule: a threat made before the start is made in round 1.
#[test]
fn a_threat_made_before_the_start_is_made_in_round_one() {
    let (_, events) = coerce(json!({"made": "2015-12-01"}), json!({}));
    assert_eq!(threat_events(&events)[0], ("threat_made", 1));
}

/// A format-2 file's condition `{issue, at_least}` keeps its meaning: the
/// target's position on the issue, and the file reads back as written.
#[test]
fn an_old_format_condition_still_loads_and_means_what_it_meant() {
    let text = include_str!("../../../../../scenarios/minsk-i-2014.json");
    let s: Scenario = serde_json::from_str(text).unwrap();
    assert!(s.problems().is_empty(), "{:?}", s.problems());
    let t = &s.threats[0];
    assert_eq!(
        t.condition.form(),
        crate::scenario::ConditionForm::Position {
            issue: "foreign_forces",
            actor: None,
            at_least: true,
            mark: 50.0
        }
    );
    // It writes back the fields it was written with, and no others.
    let written: Value = serde_json::from_str(text).unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    let back = serde_json::to_value(t).unwrap();
    assert_eq!(keys(&back), keys(&written["threats"][0]));
    assert_eq!(keys(&back["condition"]), ["at_least", "issue"]);
    // Its stakes are its severity now.
    assert_eq!(t.severity_share(), (0.1, 0.0));
}

/// Bad threat blocks are refused with their JSON paths.
#[test]
fn a_bad_threat_is_refused_at_its_path() {
    let bad = |threat: Value| {
        let mut t = json!({"id": "t", "actor": "USA", "target": "SYR",
            "action": {"strikes": {"theatre": "syria", "per_round": 2}},
            "condition": {"issue": "cw", "at_least": 70},
            "made": "2016-01-04", "deadline": "2016-01-20", "basis": "analyst estimate"});
        for (k, v) in threat.as_object().unwrap() {
            t[k] = v.clone();
        }
        paths(&parse(json!({
            "actors": actors(&["USA", "SYR"]),
            "issues": [issue("cw", &["USA", "SYR"], None)],
            "stances": [stance("USA", "cw", 80.0, 1.0), stance("SYR", "cw", 20.0, 0.4)],
            "threats": [t],
        })))
    };
    let both =
        bad(json!({"condition": {"issue": "cw", "at_least": 70, "outcome": "agreement:cw"}}));
    assert_eq!(both, ["$.threats[0].condition"]);
    let unknown = bad(json!({"condition": {"outcome": "resolution_adopted:unsc:cw"}}));
    assert_eq!(unknown, ["$.threats[0].condition.outcome"]);
    let nested = bad(json!({"condition": {"any_of": [{"issue": "nope", "at_least": 1}]}}));
    assert_eq!(nested, ["$.threats[0].condition.any_of[0].issue"]);
    let resolve = bad(json!({"resolve": {"issue": "cw"}}));
    assert_eq!(resolve, ["$.threats[0].resolve"]);
    let severity = bad(json!({"severity": {"share": 2, "basis": " "}}));
    assert_eq!(
        severity,
        ["$.threats[0].severity.share", "$.threats[0].severity.basis"]
    );
    let duration = bad(json!({"duration": 0}));
    assert_eq!(duration, ["$.threats[0].duration"]);
}
