//! Format 2 mechanism rules: polarity and strikes.

use super::*;
#[allow(unused_imports)]
use super::{agreements_and_draws::*, ceasefires::*, effects_and_threats::*, sanctions::*};

// ---------------------------------------------------------------------------
// 1. Polarity
// ---------------------------------------------------------------------------

/// A regime whose single imposer decides on an issue whose high end means
/// relief, standing at `imposer_at`.
pub(super) fn relief_regime(imposer_at: f64) -> Scenario {
    scenario(json!({
        "actors": actors(&["USA", "RUS"]),
        "issues": [issue("relief", &["USA"], Some("lift_sanctions"))],
        "stances": [stance("USA", "relief", imposer_at, 1.0)],
        "sanctions": [{"id": "us_sectoral", "imposer": "USA", "target": "RUS", "issue": "relief",
                       "renewals": ["2016-01-12"], "basis": "analyst estimate"}],
    }))
}

pub(super) fn decisions(events: &[Envelope]) -> Vec<&Event> {
    events
        .iter()
        .map(|e| &e.event)
        .filter(|e| e.name().starts_with("sanctions_") && e.name() != "sanctions_imposed")
        .collect()
}

/// On a lift_sanctions issue an imposer standing low (10) wants to keep the
/// sanctions: the regime is renewed, its position read as 90.
#[test]
fn a_relief_issue_renews_a_regime_whose_imposer_stands_low() {
    let s = relief_regime(10.0);
    let events = run(&s, 0);
    let d = decisions(&events);
    assert_eq!(d.len(), 1, "{d:?}");
    let Event::SanctionsRenewed(r) = d[0] else {
        panic!("expected a renewal: {d:?}")
    };
    assert!(close(r.position, 90.0) && close(r.level, 1.0), "{r:?}");
    assert!(fold(&s, &events).regimes()[0].active());
}

/// On a lift_sanctions issue an imposer standing high (90) wants relief:
/// the regime is lifted, its position read as 10.
#[test]
fn a_relief_issue_lifts_a_regime_whose_imposer_stands_high() {
    let s = relief_regime(90.0);
    let events = run(&s, 0);
    let d = decisions(&events);
    assert_eq!(d.len(), 1, "{d:?}");
    let Event::SanctionsLifted(r) = d[0] else {
        panic!("expected a lifting: {d:?}")
    };
    assert!(close(r.position, 10.0), "{r:?}");
    assert!(!fold(&s, &events).regimes()[0].active());
}

/// A regime, a ceasefire and a strike capacity all reading issue `x`, whose
/// high end means `high_means`.
pub(super) fn three_readers_of(high_means: Option<&str>) -> Scenario {
    parse(json!({
        "actors": actors(&["A", "B", "C"]),
        "issues": [issue("x", &["A", "B"], high_means)],
        "stances": [stance("A", "x", 20.0, 0.5), stance("B", "x", 80.0, 0.5)],
        "sanctions": [{"id": "reg", "imposer": "A", "target": "C", "issue": "x",
                       "renewals": ["2016-01-12"], "basis": "analyst estimate"}],
        "ceasefires": [{"theatre": "front", "issue": "x", "parties": ["A", "B"], "tolerance": 10,
                        "hazard": 0.1, "collapse_after": 2, "basis": "analyst estimate"}],
        "strikes": [{"actor": "A", "theatre": "front", "issue": "x", "per_round": 1,
                     "basis": "analyst estimate"}],
    }))
}

/// Validation refuses a regime, ceasefire or strike capacity on an issue
/// without high_means, naming each reader's path.
#[test]
fn validation_refuses_a_mechanism_on_an_issue_without_polarity() {
    let p = paths(&three_readers_of(None));
    for path in [
        "$.sanctions[0].issue",
        "$.ceasefires[0].issue",
        "$.strikes[0].issue",
    ] {
        assert!(p.iter().any(|x| x == path), "{path} not in {p:?}");
    }
}

/// Validation refuses a mechanism reading an issue whose polarity belongs to
/// another family, and accepts the family whose polarity it is.
#[test]
fn validation_refuses_another_familys_polarity() {
    let p = paths(&three_readers_of(Some("keep_sanctions")));
    assert!(!p.iter().any(|x| x == "$.sanctions[0].issue"), "{p:?}");
    for path in ["$.ceasefires[0].issue", "$.strikes[0].issue"] {
        assert!(p.iter().any(|x| x == path), "{path} not in {p:?}");
    }
    let p = paths(&three_readers_of(Some("linkage")));
    for path in [
        "$.sanctions[0].issue",
        "$.ceasefires[0].issue",
        "$.strikes[0].issue",
    ] {
        assert!(p.iter().any(|x| x == path), "{path} not in {p:?}");
    }
}

/// A format-1 file that uses a field of format 2 (patrons) is refused at
/// that field's path; the same file as format 2 is not.
#[test]
fn a_format_one_file_with_patrons_is_refused() {
    let file = |version: u32| {
        parse(json!({
            "version": version,
            "actors": actors(&["A", "B"]),
            "issues": [issue("i", &["A", "B"], None)],
            "stances": [stance("A", "i", 20.0, 0.5), stance("B", "i", 80.0, 0.5)],
            "patrons": [{"patron": "A", "client": "B", "leverage": 0.5, "basis": "analyst estimate"}],
        }))
    };
    let problems = file(1).problems();
    let patrons = problems.iter().find(|p| p.path == "$.patrons");
    assert!(
        patrons.is_some_and(|p| p.message.contains("format 2")),
        "{problems:?}"
    );
    assert!(file(2).problems().is_empty(), "{:?}", file(2).problems());
}

// ---------------------------------------------------------------------------
// 2. Strikes
// ---------------------------------------------------------------------------

/// One striker at `position` on a targeting issue whose high end means
/// `high_means`, with `per_round` strikes and salience `salience`.
pub(super) fn striker(
    version: u32,
    high_means: Option<&str>,
    position: f64,
    salience: f64,
    per_round: u32,
    rounds: u32,
) -> Scenario {
    scenario(json!({
        "version": version,
        "rounds": rounds,
        "actors": actors(&["USA"]),
        "issues": [issue("targeting", &["USA"], high_means)],
        "stances": [stance("USA", "targeting", position, salience)],
        "strikes": [{"actor": "USA", "theatre": "syria", "issue": "targeting", "per_round": per_round,
                     "basis": "analyst estimate"}],
    }))
}

pub(super) fn strikes_per_round(events: &[Envelope], rounds: u32) -> Vec<usize> {
    (1..=rounds)
        .map(|r| {
            events
                .iter()
                .filter(|e| e.round == r && matches!(e.event, Event::Strike(_)))
                .count()
        })
        .collect()
}

/// Format 2: each of per_round strikes flies with the striker's salience as
/// its chance, so 10 a round at salience 0.5 average 5.
#[test]
fn format_two_strikes_fly_at_the_strikers_salience() {
    let s = striker(2, Some("terrorists_only"), 100.0, 0.5, 10, 200);
    let counts = strikes_per_round(&run(&s, 3), 200);
    let mean = counts.iter().sum::<usize>() as f64 / 200.0;
    assert!((4.0..=6.0).contains(&mean), "mean {mean} strikes a round");
    assert!(counts.iter().all(|&c| c <= 10), "{counts:?}");
}

/// Format 1: every strike of per_round flies every round, whatever the
/// striker's salience.
#[test]
fn format_one_strikes_fly_at_full_tempo() {
    let s = striker(1, None, 100.0, 0.5, 10, 20);
    let counts = strikes_per_round(&run(&s, 3), 20);
    assert!(counts.iter().all(|&c| c == 10), "{counts:?}");
}

/// A strike put into a branch at the start of a round takes one of the
/// round's strikes: the mechanism flies the rest, never more than the
/// capacity, and the other rounds fly in full.
#[test]
fn a_strike_put_in_takes_one_of_the_rounds_strikes() {
    let s = striker(1, None, 100.0, 1.0, 3, 3);
    let parent = run(&s, 0);
    let after_seq = parent
        .iter()
        .find(|e| e.round == 1 && e.event.name() == "round_closed")
        .map(|e| e.seq)
        .unwrap();
    let injected = Event::Strike(Strike::new(
        "USA",
        "syria",
        StrikeTarget::OtherOpposition,
        None,
    ));
    let branch: Vec<Envelope> = Run::new(
        &s,
        RunConfig {
            injections: vec![crate::run::Injection {
                after_seq,
                event: injected,
            }],
            ..RunConfig::default()
        },
    )
    .unwrap()
    .map(|r| r.unwrap())
    .collect();
    assert_eq!(strikes_per_round(&parent, 3), [3, 3, 3]);
    assert_eq!(strikes_per_round(&branch, 3), [3, 3, 3]);
    let Event::Strike(first) = &branch
        .iter()
        .find(|e| e.seq == after_seq + 1)
        .unwrap()
        .event
    else {
        panic!("the strike put in comes first")
    };
    assert_eq!(first.target, StrikeTarget::OtherOpposition);
}

pub(super) fn targets(high_means: &str) -> Vec<StrikeTarget> {
    let s = striker(2, Some(high_means), 100.0, 1.0, 5, 10);
    run(&s, 1)
        .into_iter()
        .filter_map(|e| match e.event {
            Event::Strike(st) => Some(st.target),
            _ => None,
        })
        .collect()
}

/// A striker at 100 on a terrorists_only issue hits only designated
/// terrorists.
#[test]
fn a_striker_at_terrorists_only_hits_only_designated_terrorists() {
    let t = targets("terrorists_only");
    assert_eq!(t.len(), 50);
    assert!(
        t.iter().all(|&x| x == StrikeTarget::DesignatedTerrorists),
        "{t:?}"
    );
}

/// A striker at 100 on an all_opposition issue hits only other opposition.
#[test]
fn a_striker_at_all_opposition_hits_only_other_opposition() {
    let t = targets("all_opposition");
    assert_eq!(t.len(), 50);
    assert!(
        t.iter().all(|&x| x == StrikeTarget::OtherOpposition),
        "{t:?}"
    );
}

/// A strike on other opposition that hits a client lowers trust (by the
/// trust rate) between the striker and the client's patron.
#[test]
fn a_strike_on_a_client_lowers_trust_with_its_patron() {
    let s = scenario(json!({
        "rounds": 3,
        "actors": actors(&["USA", "RUS", "GOV"]),
        "issues": [issue("targeting", &["USA"], Some("all_opposition"))],
        "stances": [stance("USA", "targeting", 100.0, 1.0)],
        "patrons": [{"patron": "RUS", "client": "GOV", "leverage": 0.5, "basis": "analyst estimate"}],
        "strikes": [{"actor": "USA", "theatre": "syria", "issue": "targeting", "per_round": 1,
                     "hits": "GOV", "basis": "analyst estimate"}],
    }));
    let events = run(&s, 0);
    let with_patron: Vec<&TrustChanged> = events
        .iter()
        .filter_map(|e| match &e.event {
            Event::TrustChanged(t)
                if [&t.a, &t.b] == ["USA", "RUS"] || [&t.a, &t.b] == ["RUS", "USA"] =>
            {
                Some(t)
            }
            _ => None,
        })
        .collect();
    assert_eq!(with_patron.len(), 3, "one a strike: {with_patron:?}");
    assert!(
        with_patron.iter().all(|t| t.to < t.from
            && t.cause
                == Shift::Strike {
                    striker: "USA".into()
                }),
        "{with_patron:?}"
    );
    let st = fold(&s, &events);
    let (usa, rus, gov) = (
        st.actor("USA").unwrap(),
        st.actor("RUS").unwrap(),
        st.actor("GOV").unwrap(),
    );
    assert!(
        close(st.trust(usa, rus), 0.5 - 3.0 * 0.05),
        "{}",
        st.trust(usa, rus)
    );
    assert!(st.trust(usa, gov) < 0.5);
    assert!(close(st.trust(rus, gov), 0.5), "no strike of RUS's");
}

/// A strike that violates a ceasefire in force and hits one of its parties
/// lowers trust by the trust rate from where the violation left it: the
/// violation's nudge (trust rate × Goldstein −9.5 / 10, between the striker
/// and every party) and the strike's toll both stand, although the strike's
/// trust change was decided before the violation was applied.
#[test]
fn a_strikes_toll_on_trust_adds_to_its_violations() {
    let s = scenario(json!({
        "rounds": 1,
        "actors": actors(&["USA", "GOV", "OPP"]),
        "issues": [issue("targeting", &["USA"], Some("all_opposition")),
                   issue("truce", &["GOV", "OPP"], Some("ceasefire_now"))],
        "stances": [stance("USA", "targeting", 100.0, 1.0),
                    stance("GOV", "truce", 50.0, 0.5), stance("OPP", "truce", 50.0, 0.5)],
        "strikes": [{"actor": "USA", "theatre": "syria", "issue": "targeting", "per_round": 1,
                     "hits": "OPP", "basis": "analyst estimate"}],
        "ceasefires": [{"theatre": "syria", "issue": "truce", "parties": ["GOV", "OPP"],
                        "tolerance": 10, "hazard": 0, "collapse_after": 100, "in_force": true,
                        "basis": "analyst estimate"}],
    }));
    let events = run(&s, 0);
    assert_eq!(named(&events, "ceasefire_violated").len(), 1);
    let tolls: Vec<&TrustChanged> = events
        .iter()
        .filter_map(|e| match &e.event {
            Event::TrustChanged(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tolls.len(), 1, "{tolls:?}");
    let nudge = 0.05 * -9.5 / 10.0;
    assert!(close(tolls[0].from, 0.5 + nudge), "{:?}", tolls[0]);
    assert!(close(tolls[0].to, tolls[0].from - 0.05), "{:?}", tolls[0]);
    let st = fold(&s, &events);
    let (usa, opp) = (st.actor("USA").unwrap(), st.actor("OPP").unwrap());
    assert!(
        close(st.trust(usa, opp), 0.5 + nudge - 0.05),
        "{}",
        st.trust(usa, opp)
    );
}
