//! The rules of format 2's crisis mechanisms, one test (or a few) per rule.
//!
//! Each test writes a small scenario (version 2 unless it tests format 1),
//! runs it, and reads the log and the state it folds into. The scenarios
//! run the compromise model with a step so small that no position moves by
//! bargaining (`lambda` 1e-9: every step is below the model's smallest
//! move), and an agreement tolerance of 0, so that positions change only by
//! the effects a test scripts and no issue is settled by accident.

use serde_json::{Value, json};

use crate::date::Date;
use crate::event::*;
use crate::outcome::Outcome;
use crate::scenario::Scenario;
use crate::state::{CeasefireStatus, Stage, ThreatStatus};
use crate::{Run, RunConfig, State};

// ---------------------------------------------------------------------------
// Building and running scenarios
// ---------------------------------------------------------------------------

/// A format-2 scenario: the base (weekly rounds from Monday 4 January 2016,
/// positions held still, no accidental agreement) with `extra`'s members
/// over it. Not validated.
fn parse(extra: Value) -> Scenario {
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
fn scenario(extra: Value) -> Scenario {
    let s = parse(extra);
    assert!(s.problems().is_empty(), "{:?}", s.problems());
    s
}

fn actors(ids: &[&str]) -> Value {
    ids.iter()
        .map(|id| json!({"id": id, "name": id, "kind": "state", "capability": 1, "basis": "analyst estimate"}))
        .collect()
}

fn issue(id: &str, principals: &[&str], high_means: Option<&str>) -> Value {
    let mut v = json!({"id": id, "question": "?", "low": "no", "high": "yes", "principals": principals});
    if let Some(h) = high_means {
        v["high_means"] = json!(h);
    }
    v
}

fn stance(actor: &str, issue: &str, position: f64, salience: f64) -> Value {
    json!({"actor": actor, "issue": issue, "position": position, "salience": salience, "basis": "analyst estimate"})
}

fn run(s: &Scenario, seed: u64) -> Vec<Envelope> {
    Run::new(s, RunConfig { seed, ..RunConfig::default() })
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// The state after `events`.
fn fold(s: &Scenario, events: &[Envelope]) -> State {
    let mut st = State::new(s);
    for e in events {
        st.apply(&e.event);
    }
    st
}

fn date(text: &str) -> Date {
    serde_json::from_value(json!(text)).unwrap()
}

fn named<'a>(events: &'a [Envelope], name: &str) -> Vec<&'a Envelope> {
    events.iter().filter(|e| e.event.name() == name).collect()
}

fn paths(s: &Scenario) -> Vec<String> {
    s.problems().into_iter().map(|p| p.path).collect()
}

/// The timeline entry whose effect caused a change, if one did.
fn effect_entry(e: &Event) -> Option<usize> {
    match e {
        Event::SalienceChanged(SalienceChanged { cause: Shift::Effect { entry }, .. })
        | Event::CapabilityChanged(CapabilityChanged { cause: Shift::Effect { entry }, .. })
        | Event::TrustChanged(TrustChanged { cause: Shift::Effect { entry }, .. })
        | Event::PositionChanged(PositionChanged { cause: Cause::Effect { entry }, .. }) => Some(*entry),
        _ => None,
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

// ---------------------------------------------------------------------------
// 1. Polarity
// ---------------------------------------------------------------------------

/// A regime whose single imposer decides on an issue whose high end means
/// relief, standing at `imposer_at`.
fn relief_regime(imposer_at: f64) -> Scenario {
    scenario(json!({
        "actors": actors(&["USA", "RUS"]),
        "issues": [issue("relief", &["USA"], Some("lift_sanctions"))],
        "stances": [stance("USA", "relief", imposer_at, 1.0)],
        "sanctions": [{"id": "us_sectoral", "imposer": "USA", "target": "RUS", "issue": "relief",
                       "renewals": ["2016-01-12"], "basis": "analyst estimate"}],
    }))
}

fn decisions(events: &[Envelope]) -> Vec<&Event> {
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
    let Event::SanctionsRenewed(r) = d[0] else { panic!("expected a renewal: {d:?}") };
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
    let Event::SanctionsLifted(r) = d[0] else { panic!("expected a lifting: {d:?}") };
    assert!(close(r.position, 10.0), "{r:?}");
    assert!(!fold(&s, &events).regimes()[0].active());
}

/// A regime, a ceasefire and a strike capacity all reading issue `x`, whose
/// high end means `high_means`.
fn three_readers_of(high_means: Option<&str>) -> Scenario {
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
    for path in ["$.sanctions[0].issue", "$.ceasefires[0].issue", "$.strikes[0].issue"] {
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
    for path in ["$.sanctions[0].issue", "$.ceasefires[0].issue", "$.strikes[0].issue"] {
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
fn striker(version: u32, high_means: Option<&str>, position: f64, salience: f64, per_round: u32, rounds: u32) -> Scenario {
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

fn strikes_per_round(events: &[Envelope], rounds: u32) -> Vec<usize> {
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

fn targets(high_means: &str) -> Vec<StrikeTarget> {
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
    assert!(t.iter().all(|&x| x == StrikeTarget::DesignatedTerrorists), "{t:?}");
}

/// A striker at 100 on an all_opposition issue hits only other opposition.
#[test]
fn a_striker_at_all_opposition_hits_only_other_opposition() {
    let t = targets("all_opposition");
    assert_eq!(t.len(), 50);
    assert!(t.iter().all(|&x| x == StrikeTarget::OtherOpposition), "{t:?}");
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
            Event::TrustChanged(t) if [&t.a, &t.b] == ["USA", "RUS"] || [&t.a, &t.b] == ["RUS", "USA"] => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(with_patron.len(), 3, "one a strike: {with_patron:?}");
    assert!(
        with_patron.iter().all(|t| t.to < t.from
            && t.cause == Shift::Strike { striker: "USA".into() }),
        "{with_patron:?}"
    );
    let st = fold(&s, &events);
    let (usa, rus, gov) = (st.actor("USA").unwrap(), st.actor("RUS").unwrap(), st.actor("GOV").unwrap());
    assert!(close(st.trust(usa, rus), 0.5 - 3.0 * 0.05), "{}", st.trust(usa, rus));
    assert!(st.trust(usa, gov) < 0.5);
    assert!(close(st.trust(rus, gov), 0.5), "no strike of RUS's");
}

// ---------------------------------------------------------------------------
// 3. Brokered ceasefires and spoilers
// ---------------------------------------------------------------------------

/// Brokers USA and RUS fit at 70; GOV and OPP at 45 lie within the
/// tolerance (30) and are bound; ISL at 0 with salience 1 and a patron's
/// leverage of 0.01 joins with chance 0.01 × (1 − 1) = 0. ISL and GOV have
/// their own hazard of 1; trust opens at 0, so that a bound ISL would
/// violate most rounds.
fn brokered() -> Scenario {
    scenario(json!({
        "rounds": 15,
        "actors": actors(&["USA", "RUS", "GOV", "OPP", "ISL"]),
        "issues": [issue("truce", &["USA", "RUS"], Some("ceasefire_now"))],
        "stances": [
            stance("USA", "truce", 70.0, 0.5), stance("RUS", "truce", 70.0, 0.5),
            stance("GOV", "truce", 45.0, 0.5), stance("OPP", "truce", 45.0, 0.5),
            stance("ISL", "truce", 0.0, 1.0),
        ],
        "patrons": [
            {"patron": "RUS", "client": "GOV", "leverage": 0.5, "basis": "analyst estimate"},
            {"patron": "USA", "client": "OPP", "leverage": 0.5, "basis": "analyst estimate"},
            {"patron": "RUS", "client": "ISL", "leverage": 0.01, "basis": "analyst estimate"},
        ],
        "ceasefires": [{"theatre": "syria", "issue": "truce", "parties": ["GOV", "OPP", "ISL"],
                        "brokers": ["USA", "RUS"], "tolerance": 30, "threshold": 60,
                        "hazard": 0, "hazards": {"ISL": 1, "GOV": 1}, "collapse_after": 1000,
                        "basis": "analyst estimate"}],
        "trust": {"initial": 0.0},
    }))
}

/// A party far from the brokers, with tiny leverage over it and salience 1,
/// refuses a brokered ceasefire: it is named among the spoilers and not
/// bound, while the parties near the brokers are.
#[test]
fn a_party_beyond_its_patrons_reach_refuses_as_a_spoiler() {
    let s = brokered();
    for seed in 0..10 {
        let events = run(&s, seed);
        let agreed = named(&events, "ceasefire_agreed");
        let Some(Event::CeasefireAgreed(c)) = agreed.first().map(|e| &e.event) else {
            panic!("seed {seed}: no ceasefire agreed");
        };
        assert_eq!(c.spoilers, ["ISL"], "seed {seed}: {c:?}");
        let st = fold(&s, &events);
        let cf = &st.ceasefires()[0];
        assert_eq!(cf.status, CeasefireStatus::InForce, "seed {seed}");
        assert!(!cf.binds(st.actor("ISL").unwrap()), "seed {seed}");
        assert!(cf.binds(st.actor("GOV").unwrap()) && cf.binds(st.actor("OPP").unwrap()));
    }
}

/// A spoiler is not bound: it never violates the ceasefire by hazard, even
/// with its own hazard at 1 (while a bound party with hazard 1 does).
#[test]
fn a_spoiler_never_violates_the_ceasefire_it_refused() {
    let s = brokered();
    let mut bound_violations = 0;
    for seed in 0..40 {
        for e in run(&s, seed) {
            if let Event::CeasefireViolated(v) = &e.event
                && matches!(v.cause, ViolationCause::Hazard { .. })
            {
                assert_ne!(v.by, "ISL", "seed {seed}: {v:?}");
                bound_violations += usize::from(v.by == "GOV");
            }
        }
    }
    assert!(bound_violations > 40, "GOV, bound with hazard 1, violated {bound_violations} times");
}

// ---------------------------------------------------------------------------
// 4. Ceasefire memory
// ---------------------------------------------------------------------------

/// A and B fit at 50 (threshold 50) and agree in round 1; each violates
/// with hazard 1 × 0.5 × (1 − trust) a round, and three violations collapse
/// it. Trust opens at 0.2, which re-agreement needs: it rises by 0.045 when
/// the ceasefire is agreed, falls by 0.0475 with each violation and
/// recovers (by `trust_recovery` a round) only up to 0.2, so the third
/// violation leaves it at most 0.1525, five rounds of recovery at 0.01
/// short. M, the issue's only principal, stands apart so that no agreement
/// on the issue moves trust.
fn memory(trust_recovery: f64) -> Scenario {
    scenario(json!({
        "rounds": 60,
        "actors": actors(&["A", "B", "M"]),
        "issues": [issue("truce", &["M"], Some("ceasefire_now"))],
        "stances": [stance("A", "truce", 50.0, 0.5), stance("B", "truce", 50.0, 0.5), stance("M", "truce", 0.0, 0.5)],
        "ceasefires": [{"theatre": "front", "issue": "truce", "parties": ["A", "B"], "tolerance": 10,
                        "threshold": 50, "hazard": 1, "collapse_after": 3,
                        "trust_to_reagree": 0.2, "trust_recovery": trust_recovery,
                        "basis": "analyst estimate"}],
        "trust": {"initial": 0.2},
    }))
}

/// The rounds of each ceasefire_agreed and ceasefire_collapsed.
fn agreed_and_collapsed(events: &[Envelope]) -> (Vec<u32>, Vec<u32>) {
    let rounds = |name| named(events, name).iter().map(|e| e.round).collect();
    (rounds("ceasefire_agreed"), rounds("ceasefire_collapsed"))
}

/// After a collapse, with trust below trust_to_reagree and no recovery, the
/// ceasefire is never agreed again although the positions still fit.
#[test]
fn a_collapsed_ceasefire_without_trust_is_never_agreed_again() {
    let s = memory(0.0);
    let mut collapsed = 0;
    for seed in 0..20 {
        let events = run(&s, seed);
        let (agreed, collapses) = agreed_and_collapsed(&events);
        assert_eq!(agreed, [1], "seed {seed}: agreed in rounds {agreed:?}, collapsed in {collapses:?}");
        collapsed += usize::from(!collapses.is_empty());
    }
    assert!(collapsed >= 15, "only {collapsed} of 20 runs collapsed");
}

/// With trust recovering, a collapsed ceasefire is agreed again, once the
/// parties' trust is back at trust_to_reagree: later, never in the round
/// right after the collapse.
#[test]
fn a_collapsed_ceasefire_is_agreed_again_once_trust_recovers() {
    let s = memory(0.01);
    let mut reagreed = 0;
    for seed in 0..20 {
        let events = run(&s, seed);
        let (agreed, collapses) = agreed_and_collapsed(&events);
        for (k, &again) in agreed.iter().enumerate().skip(1) {
            let after = collapses[k - 1];
            // Never the round right after; here, not before five rounds of
            // recovery.
            assert!(again >= after + 5, "seed {seed}: collapsed in round {after}, agreed again in {again}");
            reagreed += 1;
        }
        // The trust among the parties just before each re-agreement.
        for e in named(&events, "ceasefire_agreed").iter().skip(1) {
            let before: Vec<Envelope> = events.iter().take_while(|x| x.seq < e.seq).cloned().collect();
            let st = fold(&s, &before);
            let t = st.trust(st.actor("A").unwrap(), st.actor("B").unwrap());
            assert!(t >= 0.2, "seed {seed}: agreed again at trust {t}");
        }
    }
    assert!(reagreed >= 10, "only {reagreed} re-agreements over 20 runs");
}

// ---------------------------------------------------------------------------
// 5. Sanctions: votes, recurring renewals, cost
// ---------------------------------------------------------------------------

/// DEU, FRA and HUN vote on a keep_sanctions regime under `rule`, standing
/// at `at`.
fn voting_scenario(rule: &str, at: [f64; 3]) -> Scenario {
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

fn voted(rule: &str, at: [f64; 3]) -> Vec<Envelope> {
    run(&voting_scenario(rule, at), 0)
}

fn the_decision(events: &[Envelope]) -> SanctionsDecision {
    let d = decisions(events);
    assert_eq!(d.len(), 1, "{d:?}");
    match d[0] {
        Event::SanctionsRenewed(x) | Event::SanctionsEased(x) | Event::SanctionsLifted(x) => x.clone(),
        e => panic!("{e:?}"),
    }
}

fn votes(pairs: &[(&str, Vote)]) -> std::collections::BTreeMap<String, Vote> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

/// Under unanimity one hawkish member keeps the regime renewed while the
/// others vote to lift; the decision lists every member's vote.
#[test]
fn under_unanimity_one_hawk_keeps_the_regime() {
    let events = voted("unanimity", [90.0, 10.0, 10.0]);
    assert_eq!(decisions(&events)[0].name(), "sanctions_renewed");
    let d = the_decision(&events);
    assert_eq!(d.votes, votes(&[("DEU", Vote::Renew), ("FRA", Vote::Lift), ("HUN", Vote::Lift)]));
    assert!(close(d.level, 1.0), "{d:?}");
    // When every member votes to lift, it is lifted.
    assert_eq!(decisions(&voted("unanimity", [10.0, 10.0, 10.0]))[0].name(), "sanctions_lifted");
}

/// Under majority two of three members voting to lift lift the regime.
#[test]
fn under_majority_two_of_three_lift_the_regime() {
    let events = voted("majority", [90.0, 10.0, 10.0]);
    assert_eq!(decisions(&events)[0].name(), "sanctions_lifted");
    let d = the_decision(&events);
    assert_eq!(d.votes, votes(&[("DEU", Vote::Renew), ("FRA", Vote::Lift), ("HUN", Vote::Lift)]));
    // One of three is not a majority.
    assert_eq!(decisions(&voted("majority", [90.0, 90.0, 10.0]))[0].name(), "sanctions_renewed");
}

/// A keep_sanctions regime of one imposer at 90, renewed on 12 January 2016
/// and then every `every_days`, over a year of weekly rounds.
fn recurring(every_days: Option<u32>) -> Scenario {
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
fn costly(imposer_at: f64) -> Scenario {
    scenario(json!({
        "rounds": 5,
        "actors": actors(&["USA", "RUS"]),
        "issues": [issue("sanctions", &["USA"], Some("keep_sanctions"))],
        "stances": [stance("USA", "sanctions", imposer_at, 1.0), stance("RUS", "sanctions", 30.0, 0.3)],
        "sanctions": [{"id": "us_sectoral", "imposer": "USA", "target": "RUS", "issue": "sanctions",
                       "renewals": ["2016-01-12"], "cost": 0.05, "basis": "analyst estimate"}],
    }))
}

fn cost_rounds(events: &[Envelope]) -> Vec<u32> {
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

// ---------------------------------------------------------------------------
// 6. Timeline effects
// ---------------------------------------------------------------------------

/// Entry 0 (round 2) is context only; entry 1 (round 3) has four effects.
fn with_effects() -> Scenario {
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

fn scripted_at(events: &[Envelope], text: &str) -> usize {
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
    assert!((c.actor.as_str(), c.issue.as_str()) == ("A", "i") && close(c.from, 0.5) && close(c.to, 0.7), "{c:?}");
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
    let next: Vec<&str> = events[k + 1..k + 5].iter().map(|e| e.event.name()).collect();
    assert_eq!(next, ["salience_changed", "position_changed", "capability_changed", "trust_changed"]);
    let caused: Vec<u64> = events
        .iter()
        .filter(|e| effect_entry(&e.event) == Some(1))
        .map(|e| e.seq)
        .collect();
    assert_eq!(caused, events[k + 1..k + 5].iter().map(|e| e.seq).collect::<Vec<_>>());
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
    assert_eq!(effect_entry(&events[k + 1].event), None, "{:?}", events[k + 1]);
}

// ---------------------------------------------------------------------------
// 7. Threats
// ---------------------------------------------------------------------------

const THREAT: &str = "us_strike";

/// USA threatens SYR (at 20, salience 0.4) with 2 strikes a round unless
/// SYR comes to at least 70 on `cw` by 20 January 2016 (round 3); made on
/// the start date, extendable once by 14 days, stakes 0.2. A timeline
/// entry in round 2 moves SYR by `moved`, if given.
fn threatened(moved: Option<f64>) -> (Scenario, Vec<Envelope>) {
    let timeline = match moved {
        Some(by) => json!([{"date": "2016-01-12", "kind": "statement", "actor": "SYR", "text": "SYR moves",
                            "effects": [{"position": {"actor": "SYR", "issue": "cw", "by": by}}],
                            "basis": "analyst estimate"}]),
        None => json!([]),
    };
    let s = scenario(json!({
        "actors": actors(&["USA", "SYR"]),
        "issues": [issue("cw", &["USA", "SYR"], None)],
        "stances": [stance("USA", "cw", 100.0, 1.0), stance("SYR", "cw", 20.0, 0.4)],
        "timeline": timeline,
        "threats": [{"id": THREAT, "actor": "USA", "target": "SYR",
                     "action": {"strikes": {"theatre": "syria", "per_round": 2}},
                     "condition": {"issue": "cw", "at_least": 70},
                     "made": "2016-01-04", "deadline": "2016-01-20", "extend_days": 14,
                     "stakes": 0.2, "basis": "analyst estimate"}],
    }));
    let events = run(&s, 0);
    (s, events)
}

fn threat_events(events: &[Envelope]) -> Vec<(&'static str, u32)> {
    events
        .iter()
        .filter(|e| e.event.name().starts_with("threat_"))
        .map(|e| (e.event.name(), e.round))
        .collect()
}

fn syr_salience(s: &Scenario, events: &[Envelope]) -> f64 {
    let st = fold(s, events);
    st.salience(0, st.actor("SYR").unwrap()).unwrap()
}

/// A condition met at the deadline withdraws the threat; its stakes raise
/// the target's salience while it stands and fall away after.
#[test]
fn a_condition_met_at_the_deadline_withdraws_the_threat() {
    let (s, events) = threatened(Some(60.0));
    assert_eq!(threat_events(&events), [("threat_made", 1), ("threat_withdrawn", 3)]);
    let withdrawn = &named(&events, "threat_withdrawn")[0].event;
    assert_eq!(Outcome::of(withdrawn).map(|o| o.key()).as_deref(), Some("threat_withdrawn:us_strike"));
    // Standing at the close of round 2: 0.4 + 0.2.
    let closes = named(&events, "round_closed");
    let upto = |seq: u64| -> Vec<Envelope> { events.iter().filter(|e| e.seq <= seq).cloned().collect() };
    assert!(close(syr_salience(&s, &upto(closes[2].seq)), 0.6), "{:?}", closes[2]);
    assert!(close(syr_salience(&s, &events), 0.4));
    assert!(named(&events, "strike").is_empty());
    assert_eq!(fold(&s, &events).threats()[0].status, ThreatStatus::Withdrawn);
}

/// A condition not met, the target not moving: the threat is carried out,
/// and from the next round on its strikes hit the target's forces.
#[test]
fn a_target_that_does_not_move_is_struck() {
    let (s, events) = threatened(None);
    assert_eq!(threat_events(&events), [("threat_made", 1), ("threat_carried_out", 3)]);
    let carried = &named(&events, "threat_carried_out")[0].event;
    assert_eq!(Outcome::of(carried).map(|o| o.key()).as_deref(), Some("threat_carried_out:us_strike"));
    for r in 1..=10 {
        let strikes: Vec<&Strike> = events
            .iter()
            .filter(|e| e.round == r)
            .filter_map(|e| match &e.event {
                Event::Strike(x) => Some(x),
                _ => None,
            })
            .collect();
        assert_eq!(strikes.len(), if r > 3 { 2 } else { 0 }, "round {r}: {strikes:?}");
        assert!(strikes.iter().all(|x| x.striker == "USA"
            && x.target == StrikeTarget::Threatened
            && x.hits.as_deref() == Some("SYR")));
    }
    assert!(close(syr_salience(&s, &events), 0.4), "the stakes fall away");
}

/// A target that has come at least half way toward the condition has the
/// deadline put back once, by extend_days; at the new deadline, still short
/// and already extended, the threat is carried out.
#[test]
fn a_target_moving_half_way_gets_one_extension() {
    let (_, events) = threatened(Some(30.0));
    assert_eq!(
        threat_events(&events),
        [("threat_made", 1), ("threat_extended", 3), ("threat_carried_out", 5)]
    );
    let Event::ThreatExtended(x) = &named(&events, "threat_extended")[0].event else { unreachable!() };
    assert_eq!(x.deadline, date("2016-02-03"));
}

/// A target that has moved less than half way gets no extension.
#[test]
fn a_target_moving_less_than_half_way_gets_no_extension() {
    let (_, events) = threatened(Some(10.0));
    assert_eq!(threat_events(&events), [("threat_made", 1), ("threat_carried_out", 3)]);
}

// ---------------------------------------------------------------------------
// 8. Implementation
// ---------------------------------------------------------------------------

/// A and B already agree on `deal` at 50; the agreement must be carried out
/// in 2 steps and stalls after 2 rounds of non-compliance. A timeline entry
/// in round 2 moves A by `pushed`, if given.
fn implemented(pushed: Option<f64>) -> (Scenario, Vec<Envelope>) {
    let timeline = match pushed {
        Some(by) => json!([{"date": "2016-01-12", "kind": "statement", "actor": "A", "text": "A reneges",
                            "effects": [{"position": {"actor": "A", "issue": "deal", "by": by}}],
                            "basis": "analyst estimate"}]),
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

fn agreement_events(events: &[Envelope]) -> Vec<(&'static str, u32)> {
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
        [("agreement_signed", 1), ("agreement_step", 2), ("agreement_implemented", 3)]
    );
    let done = &named(&events, "agreement_implemented")[0].event;
    assert_eq!(Outcome::of(done).map(|o| o.key()).as_deref(), Some("agreement_implemented:deal"));
    assert_eq!(fold(&s, &events).agreement(0).map(|a| a.stage), Some(Stage::Implemented));
}

/// A principal pushed away from the agreed position after signing stalls
/// the agreement after stall_after rounds, and is named as noncompliant.
#[test]
fn a_principal_pushed_away_stalls_the_agreement() {
    let (s, events) = implemented(Some(20.0));
    let stalled = named(&events, "agreement_stalled");
    assert_eq!(stalled.len(), 1, "{:?}", agreement_events(&events));
    let Event::AgreementStalled(p) = &stalled[0].event else { unreachable!() };
    assert_eq!(p.noncompliant, ["A"]);
    assert_eq!(stalled[0].round, 3);
    assert!(named(&events, "agreement_implemented").is_empty());
    assert_eq!(fold(&s, &events).agreement(0).map(|a| a.stage), Some(Stage::Stalled));
}

// ---------------------------------------------------------------------------
// 9. Uncertainty beyond positions
// ---------------------------------------------------------------------------

fn uncertain() -> Scenario {
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
        assert!(c.actor == "A" && (1.6..=2.4).contains(&c.to), "seed {seed}: {c:?}");
        for e in opening {
            if let Event::SalienceChanged(x) = &e.event {
                assert_eq!(x.cause, Shift::Uncertainty { half_width: 0.1 });
                let bounds = if x.actor == "A" { 0.4..=0.6 } else { 0.85..=1.0 };
                assert!(bounds.contains(&x.to), "seed {seed}: {x:?}");
                if x.actor == "A" {
                    drawn_a.push(x.to);
                }
            }
        }
        assert_eq!(
            events.iter().filter(|e| matches!(&e.event, Event::SalienceChanged(x) if x.actor == "A")).count(),
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
        &state,
    )
    .unwrap();
    let Event::SalienceChanged(c) = &event else { panic!("{event:?}") };
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
        matches!(e, crate::scenario::Effect::Salience { .. } | crate::scenario::Effect::Trust { .. })
    });
    let cases = [
        ("brokered", brokered()),
        ("memory", memory(0.01)),
        ("unanimity", voting_scenario("unanimity", [90.0, 10.0, 10.0])),
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
        .filter_map(|(name, s)| suite.check_case(s, 0).err().map(|v| format!("{name}: {v:?}")))
        .collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

/// When all actors share a position the model moves nobody; a timeline
/// entry's position effect is not the model's move (the law plays the
/// scenario without effects).
#[test]
fn the_unanimity_law_holds_with_position_effects() {
    let suite = crate::laws::Suite::builtin();
    let moscow: Scenario =
        serde_json::from_str(include_str!("../../../../scenarios/moscow-2015-12-15.json")).unwrap();
    let broken: Vec<String> = [("threat", threatened(Some(-10.0)).0), ("moscow", moscow)]
        .iter()
        .filter_map(|(name, s)| suite.check_case(s, 0).err().map(|v| format!("{name}: {v:?}")))
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
