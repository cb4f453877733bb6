//! Bodies that vote (issue 28, §2): the draft the sponsors agree on, each
//! member's ballot from its own position, the quota and the veto, when a
//! draft is put and put again, an adopted resolution's effects, what the
//! state refuses on replay (the body law), and a threat whose author needs
//! a body's authorisation.
//!
//! The base: a council of USA, GBR, FRA, RUS, CHN (each with a veto) and
//! ten members the scenario does not model (seven yes, two abstaining, one
//! no), nine yes votes to adopt; the draft is forced (put as soon as the
//! sponsors agree) unless a test says otherwise. On `cw` (a draft asks for the high end)
//! the sponsors USA 80, GBR 78, FRA 82 agree on a draft at 80; CHN at 60
//! (20 short) abstains; RUS at 20 (60 short) votes no: a veto.

use super::*;

use crate::scenario::Toward;
use crate::state::{Refusal, ballot};

/// The base council with `body`'s fields over it (and `resolution`'s over
/// its one draft), in the base scenario with `extra`'s members over it.
fn council(body: Value, resolution: Value, extra: Value) -> (Scenario, Vec<Envelope>) {
    let mut r = json!({"issue": "cw", "sponsors": ["USA", "GBR", "FRA"], "force": true,
        "basis": "analyst estimate"});
    for (k, v) in resolution.as_object().expect("an object") {
        r[k] = v.clone();
    }
    let mut b = json!({"id": "unsc", "name": "UN Security Council",
        "members": ["USA", "GBR", "FRA", "RUS", "CHN"], "veto": ["USA", "GBR", "FRA", "RUS", "CHN"],
        "quota": 9, "others": {"yes": 7, "abstain": 2, "no": 1},
        "resolutions": [r], "basis": "analyst estimate"});
    for (k, v) in body.as_object().expect("an object") {
        b[k] = v.clone();
    }
    let who = ["USA", "GBR", "FRA", "RUS", "CHN"];
    let mut base = json!({
        "actors": actors(&who),
        "issues": [issue("cw", &who, None)],
        "stances": [stance("USA", "cw", 80.0, 1.0), stance("GBR", "cw", 78.0, 0.5),
                    stance("FRA", "cw", 82.0, 0.5), stance("RUS", "cw", 20.0, 0.8),
                    stance("CHN", "cw", 60.0, 0.3)],
        "bodies": [b],
    });
    for (k, v) in extra.as_object().expect("an object") {
        base[k] = v.clone();
    }
    let s = scenario(base);
    let events = run(&s, 0);
    (s, events)
}

fn votes(events: &[Envelope]) -> Vec<(&'static str, u32)> {
    events
        .iter()
        .filter(|e| e.event.name().starts_with("resolution_"))
        .map(|e| (e.event.name(), e.round))
        .collect()
}

fn first_vote(events: &[Envelope]) -> &BodyVote {
    events
        .iter()
        .find_map(|e| match &e.event {
            Event::ResolutionAdopted(v)
            | Event::ResolutionVetoed(v)
            | Event::ResolutionFailed(v) => Some(v),
            _ => None,
        })
        .expect("a vote")
}

/// A timeline entry on `date` moving `actor` by `by` on `cw`.
fn moves(date: &str, actor: &str, by: f64) -> Value {
    json!({"date": date, "kind": "statement", "actor": actor, "text": format!("{actor} moves"),
           "effects": [{"position": {"actor": actor, "issue": "cw", "by": by}}],
           "basis": "analyst estimate"})
}

/// The veto: ten yes votes (USA, GBR, FRA and seven others) reach the
/// quota, but RUS would veto, so sponsors who count put nothing; forced,
/// they put the draft in round 1, and RUS's no defeats it; they put it
/// again every four rounds (rounds 5 and 9), each time vetoed, and every
/// ballot is logged.
#[test]
fn a_no_from_a_member_with_a_veto_defeats_a_draft_that_has_the_votes() {
    let (_, counted) = council(json!({}), json!({"force": false}), json!({}));
    assert!(votes(&counted).is_empty(), "{:?}", votes(&counted));
    let (s, events) = council(json!({}), json!({"force": true}), json!({}));
    assert_eq!(
        votes(&events),
        [
            ("resolution_vetoed", 1),
            ("resolution_vetoed", 5),
            ("resolution_vetoed", 9)
        ]
    );
    let v = first_vote(&events);
    assert!(close(v.draft, 80.0));
    assert_eq!((v.yes, v.abstain, v.no, v.quota), (10, 3, 2, 9));
    assert_eq!(v.vetoed_by, ["RUS"]);
    assert_eq!(v.votes["CHN"], Ballot::Abstain);
    assert_eq!(v.votes["RUS"], Ballot::No);
    assert_eq!(v.votes["GBR"], Ballot::Yes);
    let outcomes: Vec<String> = events
        .iter()
        .flat_map(|e| Outcome::all_of(&e.event, &s))
        .map(|o| o.key())
        .collect();
    assert!(outcomes.contains(&"resolution_vetoed:unsc:cw".to_owned()));
    assert!(!outcomes.contains(&"resolution_adopted:unsc:cw".to_owned()));
    // An abstention is not a veto: with RUS at 60, it abstains and the
    // draft passes, put by sponsors who count.
    let (_, events) = council(
        json!({}),
        json!({"force": false}),
        json!({"stances": [
        stance("USA", "cw", 80.0, 1.0), stance("GBR", "cw", 78.0, 0.5),
        stance("FRA", "cw", 82.0, 0.5), stance("RUS", "cw", 60.0, 0.8),
        stance("CHN", "cw", 60.0, 0.3)]}),
    );
    assert_eq!(votes(&events), [("resolution_adopted", 1)]);
}

/// RUS moves from 20 to 65 in round 3 (15 short of the draft: it
/// abstains); the draft, vetoed in round 1, is adopted when it is put
/// again in round 5, its effect (CHN's salience on cw) applied once with
/// the resolution as its cause, and never put again.
#[test]
fn a_draft_is_adopted_once_the_veto_holder_moves_and_its_effects_apply_once() {
    let (s, events) = council(
        json!({}),
        json!({"effects": [{"salience": {"actor": "CHN", "issue": "cw", "by": 0.2}}]}),
        json!({"timeline": [moves("2016-01-18", "RUS", 45.0)]}),
    );
    assert_eq!(
        votes(&events),
        [("resolution_vetoed", 1), ("resolution_adopted", 5)]
    );
    let shifted: Vec<u32> = events
        .iter()
        .filter(|e| {
            matches!(&e.event, Event::SalienceChanged(c)
                if matches!(&c.cause, Shift::Resolution { body, issue } if body == "unsc" && issue == "cw"))
        })
        .map(|e| e.round)
        .collect();
    assert_eq!(shifted, [5]);
    let state = fold(&s, &events);
    let status = state.resolution("unsc", "cw").expect("a draft");
    assert!(status.adopted);
    assert_eq!(status.last_vote, Some(5));
}

/// Sponsors who count put a draft only when it would be adopted: with
/// four others voting yes (seven yes in all) nothing is put; forced, it
/// is put and fails (RUS moved to abstain, so no veto), every three rounds.
#[test]
fn a_draft_short_of_the_quota_is_put_only_when_forced_and_then_fails() {
    let others = json!({"others": {"yes": 4, "abstain": 5, "no": 1}});
    let stances = json!({"stances": [
        stance("USA", "cw", 80.0, 1.0), stance("GBR", "cw", 78.0, 0.5),
        stance("FRA", "cw", 82.0, 0.5), stance("RUS", "cw", 60.0, 0.8),
        stance("CHN", "cw", 60.0, 0.3)]});
    let (_, quiet) = council(others.clone(), json!({"force": false}), stances.clone());
    assert!(votes(&quiet).is_empty(), "{:?}", votes(&quiet));
    let (_, forced) = council(others, json!({"force": true, "retry_rounds": 3}), stances);
    assert_eq!(
        votes(&forced),
        [
            ("resolution_failed", 1),
            ("resolution_failed", 4),
            ("resolution_failed", 7),
            ("resolution_failed", 10)
        ]
    );
    let v = first_vote(&forced);
    assert_eq!((v.yes, v.quota), (7, 9));
    assert!(v.vetoed_by.is_empty());
}

/// Sponsors who do not agree (GBR 30 points from USA, beyond the
/// tolerance of 10) put nothing; nor before the draft's `from` date.
#[test]
fn no_draft_is_put_before_the_sponsors_agree_or_before_its_date() {
    let (_, apart) = council(
        json!({}),
        json!({}),
        json!({"stances": [
            stance("USA", "cw", 80.0, 1.0), stance("GBR", "cw", 50.0, 0.5),
            stance("FRA", "cw", 82.0, 0.5), stance("RUS", "cw", 20.0, 0.8),
            stance("CHN", "cw", 60.0, 0.3)]}),
    );
    assert!(votes(&apart).is_empty());
    let (_, later) = council(json!({}), json!({"from": "2016-01-25"}), json!({}));
    assert_eq!(votes(&later)[0], ("resolution_vetoed", 4));
    // A draft at 80 short of what the resolution means (at least 85).
    let (_, short) = council(json!({}), json!({"at_least": 85}), json!({}));
    assert!(votes(&short).is_empty());
    // Read toward the low end, the draft at 80 reads 20, beyond 15: put.
    let (_, low) = council(
        json!({}),
        json!({"toward": "low", "at_least": 15}),
        json!({}),
    );
    assert_eq!(votes(&low)[0].1, 1);
}

/// The body law on replay: the state refuses an adoption over a veto, a
/// tally that is not the ballots', a draft that is not the sponsors', and
/// a second adoption; it accepts the vote as logged.
#[test]
fn the_state_refuses_an_adoption_against_a_veto_or_below_the_quota() {
    let (s, events) = council(json!({}), json!({}), json!({}));
    let vetoed = named(&events, "resolution_vetoed")[0];
    let before = fold(&s, &events[..vetoed.seq as usize - 1]);
    assert_eq!(before.check(&vetoed.event), Ok(()));
    let Event::ResolutionVetoed(v) = &vetoed.event else {
        unreachable!()
    };
    let over_veto = Event::ResolutionAdopted(v.clone());
    assert!(
        matches!(before.check(&over_veto), Err(Refusal::VoteDiffers(..))),
        "{:?}",
        before.check(&over_veto)
    );
    let mut no_veto = v.clone();
    no_veto.vetoed_by.clear();
    assert!(matches!(
        before.check(&Event::ResolutionAdopted(no_veto)),
        Err(Refusal::VoteDiffers(..))
    ));
    let mut short = v.clone();
    short.quota = 11;
    assert!(matches!(
        before.check(&Event::ResolutionVetoed(short)),
        Err(Refusal::VoteDiffers(..))
    ));
    let mut moved = v.clone();
    moved.draft = 70.0;
    assert!(matches!(
        before.check(&Event::ResolutionVetoed(moved)),
        Err(Refusal::VoteDiffers(..))
    ));
    let mut other = v.clone();
    other.body = "nato".into();
    assert!(matches!(
        before.check(&Event::ResolutionVetoed(other)),
        Err(Refusal::UnknownResolution(_))
    ));
    // Adopted once: a second adoption is refused.
    let (s, events) = council(
        json!({}),
        json!({}),
        json!({"timeline": [moves("2016-01-18", "RUS", 45.0)]}),
    );
    let adopted = named(&events, "resolution_adopted")[0];
    let after = fold(&s, &events[..adopted.seq as usize]);
    assert!(matches!(
        after.check(&adopted.event),
        Err(Refusal::ResolutionAdopted(_))
    ));
}

/// A ballot read toward the low end is the high end's, mirrored; and a
/// member further from the draft never votes more for it.
#[test]
fn a_ballot_reads_the_position_toward_the_drafts_end() {
    for draft in [0.0, 20.0, 50.0, 80.0, 100.0] {
        let mut last = Ballot::Yes;
        for step in 0..=100 {
            let p = crate::scale::mirror(f64::from(step));
            let b = ballot(Toward::High, 10.0, 25.0, draft, p);
            assert_eq!(
                b,
                ballot(
                    Toward::Low,
                    10.0,
                    25.0,
                    crate::scale::mirror(draft),
                    crate::scale::mirror(p)
                ),
                "{draft} {p}"
            );
            assert!(b >= last, "further from the draft, a warmer ballot at {p}");
            last = b;
        }
    }
    assert_eq!(ballot(Toward::High, 10.0, 25.0, 80.0, 95.0), Ballot::Yes);
    assert_eq!(ballot(Toward::High, 10.0, 25.0, 80.0, 70.0), Ballot::Yes);
    assert_eq!(
        ballot(Toward::High, 10.0, 25.0, 80.0, 60.0),
        Ballot::Abstain
    );
    assert_eq!(ballot(Toward::High, 10.0, 25.0, 80.0, 54.0), Ballot::No);
}

/// A threat whose author needs a body's authorisation (`requires`) lapses
/// at its deadline while the body has not adopted it, and is carried out
/// once it has; a threat whose condition is a resolution adopted is
/// withdrawn when the body adopts it.
#[test]
fn a_threat_can_wait_on_a_bodys_vote() {
    let threat = |requires: &str, condition: Value| {
        json!({"id": "t", "actor": "USA", "target": "RUS",
            "action": {"strikes": {"theatre": "syria", "per_round": 1}},
            "condition": condition, "made": "2016-01-04", "deadline": "2016-02-15",
            "requires": requires,
            "severity": {"share": 0.0, "basis": "analyst estimate"},
            "basis": "analyst estimate"})
    };
    let away = json!({"issue": "cw", "at_least": 99});
    // Vetoed every time: the authorisation never comes, the threat lapses.
    let (_, events) = council(
        json!({}),
        json!({}),
        json!({"threats": [threat("resolution_adopted:unsc:cw", away.clone())]}),
    );
    assert_eq!(named(&events, "threat_lapsed").len(), 1);
    assert!(named(&events, "threat_carried_out").is_empty());
    // RUS moves aside in round 3, the draft is adopted in round 5, and at
    // the deadline (round 7) the author acts.
    let (_, events) = council(
        json!({}),
        json!({}),
        json!({"threats": [threat("resolution_adopted:unsc:cw", away)],
               "timeline": [moves("2016-01-18", "RUS", 45.0)]}),
    );
    assert_eq!(named(&events, "threat_carried_out")[0].round, 7);
    assert!(named(&events, "threat_lapsed").is_empty());
    // The condition is the resolution adopted: withdrawn in round 5.
    let (_, events) = council(
        json!({}),
        json!({}),
        json!({"threats": [threat("resolution_vetoed:unsc:cw",
                    json!({"outcome": "resolution_adopted:unsc:cw"}))],
               "timeline": [moves("2016-01-18", "RUS", 45.0)]}),
    );
    assert_eq!(named(&events, "threat_withdrawn")[0].round, 5);
}

/// Bad body blocks are refused with their JSON paths.
#[test]
fn a_bad_body_is_refused_at_its_path() {
    let bad = |body: Value| {
        let mut b = json!({"id": "unsc", "members": ["USA", "RUS"], "veto": ["USA"], "quota": 2,
            "resolutions": [{"issue": "cw", "sponsors": ["USA"], "basis": "analyst estimate"}],
            "basis": "analyst estimate"});
        for (k, v) in body.as_object().unwrap() {
            b[k] = v.clone();
        }
        paths(&parse(json!({
            "actors": actors(&["USA", "RUS", "SYR"]),
            "issues": [issue("cw", &["USA", "RUS"], None)],
            "stances": [stance("USA", "cw", 80.0, 1.0), stance("RUS", "cw", 20.0, 0.4)],
            "bodies": [b],
        })))
    };
    assert!(bad(json!({})).is_empty(), "{:?}", bad(json!({})));
    assert_eq!(bad(json!({"veto": ["SYR"]})), ["$.bodies[0].veto[0]"]);
    assert_eq!(bad(json!({"quota": 3})), ["$.bodies[0].quota"]);
    assert_eq!(bad(json!({"quota": null})), ["$.bodies[0]"]);
    assert_eq!(bad(json!({"rule": "majority"})), ["$.bodies[0].quota"]);
    assert_eq!(
        bad(json!({"members": ["USA", "RUS", "SYR"]})),
        ["$.bodies[0].members[2]"]
    );
    assert_eq!(
        bad(
            json!({"resolutions": [{"issue": "cw", "sponsors": ["SYR"], "basis": "analyst estimate"}]})
        ),
        ["$.bodies[0].resolutions[0].sponsors[0]"]
    );
    assert_eq!(
        bad(
            json!({"resolutions": [{"issue": "cw", "sponsors": ["USA"], "accept": 30, "oppose": 20, "basis": "x"}]})
        ),
        ["$.bodies[0].resolutions[0].oppose"]
    );
    assert_eq!(bad(json!({"basis": ""})), ["$.bodies[0].basis"]);
}
