//! Format 2 mechanism rules: sanctions.

use super::*;
#[allow(unused_imports)]
use super::{
    agreements_and_draws::*, ceasefires::*, effects_and_threats::*, polarity_and_strikes::*,
};

// ---------------------------------------------------------------------------
// 5. Sanctions: votes, recurring renewals, cost
// ---------------------------------------------------------------------------

/// DEU, FRA and HUN vote on a keep_sanctions regime under `rule`, standing
/// at `at`.
pub(super) fn voting_scenario(rule: &str, at: [f64; 3]) -> Scenario {
    scenario(json!({
        "actors": actors(&["DEU", "FRA", "HUN", "RUS"]),
        "issues": [issue("sanctions", &["DEU", "FRA", "HUN"], Some("keep_sanctions"))],
        "stances": [stance("DEU", "sanctions", at[0], 0.5), stance("FRA", "sanctions", at[1], 0.5),
                    stance("HUN", "sanctions", at[2], 0.5)],
        "sanctions": [{"id": "eu_sectoral", "imposers": ["DEU", "FRA", "HUN"], "rule": rule,
                       "target": "RUS", "issue": "sanctions", "renewals": ["2016-01-12"],
                       "basis": "analyst estimate"}],
    }))
}

/// [`voting_scenario`] with the regime decided by a body (the EU Council
/// of DEU, FRA and HUN deciding by `rule`) instead of its own imposers.
fn body_scenario(rule: &str, at: [f64; 3]) -> Scenario {
    let mut s = voting_scenario(rule, at);
    s.bodies = vec![
        serde_json::from_value(json!({"id": "eu_council", "members": ["DEU", "FRA", "HUN"],
            "rule": rule, "basis": "analyst estimate"}))
        .unwrap(),
    ];
    let r = &mut s.sanctions[0];
    r.imposers.clear();
    r.rule = crate::scenario::DecisionRule::One;
    r.body = Some("eu_council".to_owned());
    assert!(s.problems().is_empty(), "{:?}", s.problems());
    s
}

/// A regime decided by a body is one use of it: the body's members vote
/// by its rule, and the log is the one the regime's own imposers and rule
/// write, event for event.
#[test]
fn a_regime_decided_by_a_body_votes_as_its_own_imposers_would() {
    for rule in ["unanimity", "majority", "one"] {
        for at in [[90.0, 10.0, 10.0], [40.0, 50.0, 10.0], [70.0, 80.0, 90.0]] {
            let own = run(&voting_scenario(rule, at), 0);
            let body = run(&body_scenario(rule, at), 0);
            let events = |e: &[Envelope]| e.iter().map(|x| x.event.clone()).collect::<Vec<_>>();
            assert_eq!(events(&own), events(&body), "{rule} {at:?}");
        }
    }
    // A body that decides by a quota cannot decide a regime; nor can a
    // regime name a body and its own imposers.
    let mut s = body_scenario("majority", [90.0, 10.0, 10.0]);
    s.bodies[0].rule = None;
    s.bodies[0].quota = Some(2);
    assert_eq!(paths(&s), ["$.sanctions[0].body"]);
    let mut s = body_scenario("majority", [90.0, 10.0, 10.0]);
    s.sanctions[0].imposers = vec!["DEU".to_owned()];
    assert!(paths(&s).contains(&"$.sanctions[0].body".to_owned()));
    let mut s = body_scenario("majority", [90.0, 10.0, 10.0]);
    s.sanctions[0].body = Some("nato".to_owned());
    assert_eq!(paths(&s), ["$.sanctions[0].body"]);
}

pub(super) fn voted(rule: &str, at: [f64; 3]) -> Vec<Envelope> {
    run(&voting_scenario(rule, at), 0)
}

pub(super) fn the_decision(events: &[Envelope]) -> SanctionsDecision {
    let d = decisions(events);
    assert_eq!(d.len(), 1, "{d:?}");
    match d[0] {
        Event::SanctionsRenewed(x) | Event::SanctionsEased(x) | Event::SanctionsLifted(x) => {
            x.clone()
        }
        e => panic!("{e:?}"),
    }
}

pub(super) fn votes(pairs: &[(&str, Vote)]) -> std::collections::BTreeMap<crate::event::Id, Vote> {
    pairs.iter().map(|(k, v)| ((*k).into(), *v)).collect()
}

/// Under unanimity one hawkish member keeps the regime renewed while the
/// others vote to lift; the decision lists every member's vote.
#[test]
fn under_unanimity_one_hawk_keeps_the_regime() {
    let events = voted("unanimity", [90.0, 10.0, 10.0]);
    assert_eq!(decisions(&events)[0].name(), "sanctions_renewed");
    let d = the_decision(&events);
    assert_eq!(
        d.votes,
        votes(&[
            ("DEU", Vote::Renew),
            ("FRA", Vote::Lift),
            ("HUN", Vote::Lift)
        ])
    );
    assert!(close(d.level, 1.0), "{d:?}");
    // When every member votes to lift, it is lifted.
    assert_eq!(
        decisions(&voted("unanimity", [10.0, 10.0, 10.0]))[0].name(),
        "sanctions_lifted"
    );
}

/// Under majority two of three members voting to lift lift the regime.
#[test]
fn under_majority_two_of_three_lift_the_regime() {
    let events = voted("majority", [90.0, 10.0, 10.0]);
    assert_eq!(decisions(&events)[0].name(), "sanctions_lifted");
    let d = the_decision(&events);
    assert_eq!(
        d.votes,
        votes(&[
            ("DEU", Vote::Renew),
            ("FRA", Vote::Lift),
            ("HUN", Vote::Lift)
        ])
    );
    // One of three is not a majority.
    assert_eq!(
        decisions(&voted("majority", [90.0, 90.0, 10.0]))[0].name(),
        "sanctions_renewed"
    );
}

/// A keep_sanctions regime of one imposer at 90, renewed on 12 January 2016
/// and then every `every_days`, over a year of weekly rounds.
pub(super) fn recurring(every_days: Option<u32>) -> Scenario {
    let mut regime = json!({"id": "us_sectoral", "imposer": "USA", "target": "RUS", "issue": "sanctions",
                            "renewals": ["2016-01-12"], "basis": "analyst estimate"});
    if let Some(d) = every_days {
        regime["every_days"] = json!(d);
    }
    scenario(json!({
        "rounds": 52,
        "actors": actors(&["USA", "RUS"]),
        "issues": [issue("sanctions", &["USA"], Some("keep_sanctions"))],
        "stances": [stance("USA", "sanctions", 90.0, 1.0)],
        "sanctions": [regime],
    }))
}

/// every_days: after the last listed date, renewals keep falling due so many
/// days apart for as long as the run lasts.
#[test]
fn renewals_recur_every_days_until_the_run_ends() {
    let s = recurring(Some(28));
    let last = s.round_last_day(s.rounds);
    let mut expected = Vec::new();
    let mut d = date("2016-01-12");
    while d <= last {
        expected.push(d);
        d = d.plus_days(28);
    }
    assert_eq!(expected.len(), 13);
    let events = run(&s, 0);
    let due: Vec<Date> = events
        .iter()
        .filter_map(|e| match &e.event {
            Event::SanctionsRenewed(x) => Some(x.due),
            _ => None,
        })
        .collect();
    assert_eq!(due, expected);
    assert_eq!(decisions(&events).len(), 13);
    // Without every_days, only the listed date.
    assert_eq!(decisions(&run(&recurring(None), 0)).len(), 1);
}

/// A regime with a cost, whose imposer stands at `imposer_at`, over RUS
/// at salience 0.3.
pub(super) fn costly(imposer_at: f64) -> Scenario {
    scenario(json!({
        "rounds": 5,
        "actors": actors(&["USA", "RUS"]),
        "issues": [issue("sanctions", &["USA"], Some("keep_sanctions"))],
        "stances": [stance("USA", "sanctions", imposer_at, 1.0), stance("RUS", "sanctions", 30.0, 0.3)],
        "sanctions": [{"id": "us_sectoral", "imposer": "USA", "target": "RUS", "issue": "sanctions",
                       "renewals": ["2016-01-12"], "cost": 0.05, "basis": "analyst estimate"}],
    }))
}

pub(super) fn cost_rounds(events: &[Envelope]) -> Vec<u32> {
    events
        .iter()
        .filter(|e| {
            matches!(&e.event, Event::SalienceChanged(c)
                if c.actor == "RUS" && c.cause == Shift::SanctionsCost { regime: "us_sectoral".into() }
                    && close(c.to - c.from, 0.05))
        })
        .map(|e| e.round)
        .collect()
}

/// cost: each round a regime is in force raises the target's salience on
/// its issue by cost × level.
#[test]
fn sanctions_in_force_raise_the_targets_salience() {
    let s = costly(90.0);
    let events = run(&s, 0);
    assert_eq!(cost_rounds(&events), [1, 2, 3, 4, 5]);
    let st = fold(&s, &events);
    let got = st.salience(0, st.actor("RUS").unwrap()).unwrap();
    assert!(close(got, 0.3 + 5.0 * 0.05), "{got}");
}

/// Once lifted (round 2 here), a regime costs its target nothing more.
#[test]
fn a_lifted_regime_costs_nothing() {
    let events = run(&costly(10.0), 0);
    assert_eq!(named(&events, "sanctions_lifted")[0].round, 2);
    assert_eq!(cost_rounds(&events), [1]);
}

/// The state keeps one list of a regime's members, read from the rule's
/// `members()`: the one `imposer` of a regime decided alone, or the voters
/// (its own imposers, or its body's members).
/// The decision of a regime decided alone names that member, and the
/// members' votes name every member.
#[test]
fn a_regimes_members_are_its_rules_whichever_way_the_file_names_them() {
    for s in [
        recurring(None),
        voting_scenario("majority", [90.0, 10.0, 10.0]),
        body_scenario("majority", [90.0, 10.0, 10.0]),
    ] {
        let state = State::new(&s);
        let rule = &s.sanctions[0];
        let members: Vec<&str> = state.regimes()[0]
            .imposers
            .iter()
            .map(|&k| state.actors()[k].as_str())
            .collect();
        assert_eq!(members, rule.members(&s));
        let first = state.regimes()[0]
            .first()
            .map(|k| state.actors()[k].as_str());
        assert_eq!(first, rule.members(&s).first().map(String::as_str));
        let d = the_decision(&run(&s, 0));
        if rule.votes(&s) {
            assert!(d.imposer.is_empty());
            assert!(d.votes.keys().eq(rule.members(&s).iter()));
        } else {
            assert_eq!(
                (d.imposer.as_str(), d.votes.len()),
                (rule.members(&s)[0].as_str(), 0)
            );
        }
    }
}
