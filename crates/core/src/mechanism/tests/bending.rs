//! Format 2 mechanism rules: ceasefires that bend before they break
//! (collapse as a hazard, monitoring, exempt groups, a broker's restraint),
//! agreements bound to those who must act, and where an agreement on a
//! linkage issue lands.

use super::*;
use crate::state::HazardTerms;

// ---------------------------------------------------------------------------
// 13. Collapse as a hazard
// ---------------------------------------------------------------------------

/// A and B fit at 50 and agree in round 1; each violates with hazard 1 ×
/// 0.5 × (1 − trust) a round. The ceasefire collapses by `collapse` (a
/// `collapse_hazard` block, or `collapse_after`), with `monitoring` if
/// given. M, the issue's only principal, stands apart.
fn hazardous(collapse: Value, monitoring: Option<f64>) -> Scenario {
    let mut cf = json!({"theatre": "front", "issue": "truce", "parties": ["A", "B"],
                        "tolerance": 10, "threshold": 50, "hazard": 1,
                        "basis": "analyst estimate"});
    for (k, v) in collapse.as_object().expect("an object") {
        cf[k] = v.clone();
    }
    if let Some(level) = monitoring {
        cf["monitoring"] = json!({"level": level, "basis": "analyst estimate"});
    }
    scenario(json!({
        "rounds": 30,
        "actors": actors(&["A", "B", "M"]),
        "issues": [issue("truce", &["M"], Some("ceasefire_now"))],
        "stances": [stance("A", "truce", 50.0, 0.5), stance("B", "truce", 50.0, 0.5),
                    stance("M", "truce", 0.0, 0.5)],
        "ceasefires": [cf],
        "trust": {"initial": 0.2},
    }))
}

fn hazard_block(base: f64, per_violation: f64) -> Value {
    json!({"collapse_hazard": {"base": base, "per_violation": per_violation, "window": 3,
                               "trust": 2.0, "monitoring": 3.0, "basis": "analyst estimate"}})
}

/// The round of the first collapse, if any.
fn first_collapse(events: &[Envelope]) -> Option<u32> {
    named(events, "ceasefire_collapsed")
        .first()
        .map(|e| e.round)
}

/// The hazard's function: logistic in the window's violations, less trust
/// and monitoring; the ends of `base` are certain.
#[test]
fn the_collapse_hazard_rises_with_violations_and_falls_with_trust_and_monitoring() {
    let terms = HazardTerms {
        base: 0.05,
        per_violation: 0.5,
        window: 4,
        trust: 2.0,
        monitoring_weight: 1.4,
        monitoring: 0.0,
    };
    assert!(close(terms.chance(0, 0.0), 0.05));
    let odds = |p: f64| p / (1.0 - p);
    // Each violation multiplies the odds by e^0.5.
    assert!(close(
        odds(terms.chance(3, 0.0)) / odds(terms.chance(2, 0.0)),
        0.5f64.exp()
    ));
    for v in 0..20 {
        assert!(terms.chance(v + 1, 0.3) >= terms.chance(v, 0.3));
        assert!(terms.chance(v, 0.6) < terms.chance(v, 0.3));
        let watched = HazardTerms {
            monitoring: 1.0,
            ..terms
        };
        assert!(watched.chance(v, 0.3) < terms.chance(v, 0.3));
    }
    assert_eq!(HazardTerms { base: 0.0, ..terms }.chance(1000, 0.0), 0.0);
    assert_eq!(HazardTerms { base: 1.0, ..terms }.chance(0, 1.0), 1.0);
}

/// The trigger collapses the ceasefire on its first violation; a hazard
/// with no weight on violations and a base of 0 never collapses it, however
/// often it is violated.
#[test]
fn a_hazard_ceasefire_bends_where_the_trigger_breaks() {
    let trigger = hazardous(json!({"collapse_after": 1}), None);
    let bending = hazardous(hazard_block(0.0, 0.0), None);
    for seed in 0..10 {
        let events = run(&trigger, seed);
        let violated = named(&events, "ceasefire_violated")[0].round;
        assert_eq!(first_collapse(&events), Some(violated), "seed {seed}");
        // The trigger's collapse carries no hazard.
        let line = serde_json::to_string(&named(&events, "ceasefire_collapsed")[0].event).unwrap();
        assert!(!line.contains("hazard"), "{line}");
        let events = run(&bending, seed);
        assert!(
            named(&events, "ceasefire_violated").len() > 5,
            "seed {seed}"
        );
        assert_eq!(first_collapse(&events), None, "seed {seed}");
    }
}

/// A collapse by a hazard records the hazard the state computes from the
/// window, the trust and the monitoring; replay holds it to that, and an
/// event that says another refuses to fold.
#[test]
fn a_collapse_records_the_hazard_the_state_computes() {
    let s = hazardous(hazard_block(0.02, 0.8), None);
    let mut collapses = 0;
    for seed in 0..20 {
        let events = run(&s, seed);
        for c in named(&events, "ceasefire_collapsed") {
            let before: Vec<Envelope> = events
                .iter()
                .take_while(|x| x.seq < c.seq)
                .cloned()
                .collect();
            let st = fold(&s, &before);
            let Event::CeasefireCollapsed(e) = &c.event else {
                unreachable!()
            };
            assert_eq!(e.hazard, st.collapse_hazard(0), "seed {seed}");
            let mut wrong = c.event.clone();
            if let Event::CeasefireCollapsed(w) = &mut wrong {
                w.hazard = Some(e.hazard.unwrap() / 2.0);
            }
            assert!(matches!(
                st.check(&wrong),
                Err(crate::state::Refusal::Unsettled { .. })
            ));
            collapses += 1;
        }
    }
    assert!(collapses >= 10, "only {collapses} collapses over 20 runs");
}

/// Monitoring lowers the hazard: over the same seeds, a watched ceasefire
/// holds longer in total than one nobody watches, and never collapses in
/// more runs.
#[test]
fn monitoring_keeps_a_ceasefire_longer() {
    let held = |monitoring| {
        let s = hazardous(hazard_block(0.05, 0.4), monitoring);
        let (mut rounds, mut collapsed) = (0, 0);
        for seed in 0..60 {
            let events = run(&s, seed);
            let end = first_collapse(&events);
            rounds += end.unwrap_or(30);
            collapsed += usize::from(end.is_some());
        }
        (rounds, collapsed)
    };
    let (unwatched, watched) = (held(None), held(Some(1.0)));
    assert!(watched.0 > unwatched.0, "{watched:?} vs {unwatched:?}");
    assert!(watched.1 <= unwatched.1, "{watched:?} vs {unwatched:?}");
}

/// A file may not give both rules, nor neither; a hazard's weights are
/// checked; a party cannot be exempt; format 1 has none of these.
#[test]
fn the_collapse_rules_are_validated_with_their_paths() {
    let mut both = hazard_block(0.1, 0.5);
    both["collapse_after"] = json!(3);
    let s = parse(json!({
        "actors": actors(&["A", "B"]),
        "issues": [issue("truce", &["A"], Some("ceasefire_now"))],
        "stances": [stance("A", "truce", 50.0, 0.5), stance("B", "truce", 50.0, 0.5)],
        "ceasefires": [
            {"theatre": "one", "issue": "truce", "parties": ["A", "B"], "tolerance": 10,
             "hazard": 0.1, "collapse_after": 3, "collapse_hazard": both["collapse_hazard"],
             "basis": "analyst estimate"},
            {"theatre": "two", "issue": "truce", "parties": ["A", "B"], "tolerance": 10,
             "hazard": 0.1, "exempt": ["A", "Z"],
             "monitoring": {"level": 2, "basis": "analyst estimate"},
             "basis": "analyst estimate"},
            {"theatre": "three", "issue": "truce", "parties": ["A", "B"], "tolerance": 10,
             "hazard": 0.1, "collapse_hazard": {"base": 0.1, "per_violation": -1, "window": 0,
                                                 "basis": "analyst estimate"},
             "basis": "analyst estimate"},
        ],
    }));
    let p = paths(&s);
    for path in [
        "$.ceasefires[0].collapse_after",
        "$.ceasefires[1].collapse_after",
        "$.ceasefires[1].exempt[0]",
        "$.ceasefires[1].exempt[1]",
        "$.ceasefires[1].monitoring.level",
        "$.ceasefires[2].collapse_hazard.per_violation",
        "$.ceasefires[2].collapse_hazard.window",
    ] {
        assert!(p.iter().any(|x| x == path), "{path} not in {p:?}");
    }
}

// ---------------------------------------------------------------------------
// 14. Exempt groups and a broker's restraint
// ---------------------------------------------------------------------------

/// USA and RUS broker a ceasefire between GOV and OPP, in force from the
/// start, whose parties never violate it by hazard. RUS strikes four times
/// a round, always at other opposition (its position 0 on `targeting`),
/// hitting `hits`; its salience on the ceasefire's issue is
/// `broker_salience`. ISL is a group the ceasefire may exempt.
fn struck(hits: &str, exempt: &[&str], broker_salience: f64) -> Scenario {
    scenario(json!({
        "actors": actors(&["USA", "RUS", "GOV", "OPP", "ISL"]),
        "issues": [issue("truce", &["USA", "RUS"], Some("ceasefire_now")),
                   issue("targeting", &["RUS"], Some("terrorists_only"))],
        "stances": [
            stance("USA", "truce", 70.0, 0.5), stance("RUS", "truce", 70.0, broker_salience),
            stance("GOV", "truce", 70.0, 0.5), stance("OPP", "truce", 70.0, 0.5),
            stance("ISL", "truce", 0.0, 0.5), stance("RUS", "targeting", 0.0, 1.0),
        ],
        "strikes": [{"actor": "RUS", "theatre": "syria", "issue": "targeting", "per_round": 4,
                     "hits": hits, "basis": "analyst estimate"}],
        "ceasefires": [{"theatre": "syria", "issue": "truce", "parties": ["GOV", "OPP"],
                        "brokers": ["USA", "RUS"], "tolerance": 30, "threshold": 60,
                        "hazard": 0, "collapse_hazard": {"base": 0, "basis": "analyst estimate"},
                        "exempt": exempt, "in_force": true, "basis": "analyst estimate"}],
    }))
}

fn strikes_and_violations(s: &Scenario) -> (usize, usize) {
    let events = run(s, 3);
    (
        named(&events, "strike").len(),
        named(&events, "ceasefire_violated").len(),
    )
}

/// Strikes on an exempt group's forces are not violations; the same
/// strikes on a group that is not exempt are.
#[test]
fn strikes_on_an_exempt_group_do_not_violate_the_ceasefire() {
    let (strikes, violations) = strikes_and_violations(&struck("ISL", &["ISL"], 1e-9));
    assert_eq!((strikes, violations), (40, 0));
    let (strikes, violations) = strikes_and_violations(&struck("ISL", &[], 1e-9));
    assert_eq!((strikes, violations), (40, 40));
}

/// A broker restrains its strikes on a party of the ceasefire it brokered
/// by its salience on the ceasefire's issue: at salience 1 it flies none
/// while the ceasefire holds, near 0 all, in between some; strikes on a group
/// that is no party are not restrained.
#[test]
fn a_broker_restrains_its_strikes_on_the_parties_of_its_ceasefire() {
    assert_eq!(strikes_and_violations(&struck("OPP", &[], 1.0)), (0, 0));
    assert_eq!(strikes_and_violations(&struck("OPP", &[], 1e-9)), (40, 40));
    let (some, _) = strikes_and_violations(&struck("OPP", &[], 0.5));
    assert!((5..35).contains(&some), "{some} strikes at salience 0.5");
    assert_eq!(strikes_and_violations(&struck("ISL", &[], 1.0)), (40, 40));
}

// ---------------------------------------------------------------------------
// 15. Agreements that bind those who must act
// ---------------------------------------------------------------------------

/// Brokers USA and RUS sign `deal` at 70; GOV stands near and is bound;
/// OPP at 0 with salience 1 and no patron among the brokers refuses it as
/// a spoiler. `must_act` names who must carry it out (the principals when
/// empty).
fn needs(must_act: &[&str]) -> Scenario {
    let mut deal = issue("deal", &["USA", "RUS", "GOV", "OPP"], None);
    deal["brokers"] = json!(["USA", "RUS"]);
    if !must_act.is_empty() {
        deal["must_act"] = json!(must_act);
    }
    scenario(json!({
        "actors": actors(&["USA", "RUS", "GOV", "OPP"]),
        "issues": [deal],
        "stances": [stance("USA", "deal", 70.0, 0.5), stance("RUS", "deal", 70.0, 0.5),
                    stance("GOV", "deal", 70.0, 0.5), stance("OPP", "deal", 0.0, 1.0)],
        "agreement": {"tolerance": 40, "implementation": {"steps": 2, "stall_after": 2}},
    }))
}

/// A spoiler who must act leaves a brokered agreement stalled, never
/// implemented, named as having refused it (not as noncompliant); one who
/// need not act leaves it to be implemented.
#[test]
fn a_spoiler_who_must_act_stalls_the_agreement() {
    for seed in 0..5 {
        let events = run(&needs(&[]), seed);
        let stages: Vec<&str> = agreement_stages(&events);
        assert_eq!(stages[0], "agreement_signed", "seed {seed}");
        assert!(
            stages.contains(&"agreement_stalled"),
            "seed {seed}: {stages:?}"
        );
        assert!(!stages.contains(&"agreement_implemented"), "seed {seed}");
        let Event::AgreementStalled(p) = &named(&events, "agreement_stalled")[0].event else {
            unreachable!()
        };
        assert_eq!(
            (p.refused.as_slice(), p.noncompliant.len()),
            (&["OPP".into()][..], 0)
        );
        let events = run(&needs(&["GOV"]), seed);
        assert!(
            agreement_stages(&events).contains(&"agreement_implemented"),
            "seed {seed}: {:?}",
            agreement_stages(&events)
        );
    }
}

/// The state refuses an agreement implemented while one who must act
/// refused it.
#[test]
fn the_state_refuses_an_agreement_implemented_without_its_refuser() {
    let s = needs(&[]);
    let events = run(&s, 0);
    let signed = named(&events, "agreement_signed")[0].seq;
    let before: Vec<Envelope> = events
        .iter()
        .take_while(|x| x.seq <= signed)
        .cloned()
        .collect();
    let st = fold(&s, &before);
    let implemented = Event::AgreementImplemented(AgreementProgress {
        issue: "deal".into(),
        steps: 2,
        noncompliant: Vec::new(),
        refused: vec!["OPP".into()],
    });
    assert!(matches!(
        st.check(&implemented),
        Err(crate::state::Refusal::NeedsRefuser { .. })
    ));
}

fn agreement_stages(events: &[Envelope]) -> Vec<&'static str> {
    events
        .iter()
        .map(|e| e.event.name())
        .filter(|n| n.starts_with("agreement_"))
        .collect()
}

// ---------------------------------------------------------------------------
// 16. Where an agreement on a linkage issue lands
// ---------------------------------------------------------------------------

/// A and B agree on `link` at 43 at once; the issue reads `high_means`.
fn linked(high_means: &str) -> Scenario {
    scenario(json!({
        "actors": actors(&["A", "B"]),
        "issues": [issue("link", &["A", "B"], Some(high_means))],
        "stances": [stance("A", "link", 43.0, 0.5), stance("B", "link", 43.0, 0.5)],
        "agreement": {"tolerance": 1},
    }))
}

/// Agreeing at 43 on an issue whose high end means linkage is agreeing not
/// to link; on one whose high end means no linkage, it is agreeing to link.
/// `agreement:ISSUE` names both, as before.
#[test]
fn an_agreement_on_a_linkage_issue_says_where_it_lands() {
    for (high_means, landing) in [
        ("linkage", "agreement_unlinked:link"),
        ("no_linkage", "agreement_linked:link"),
    ] {
        let s = linked(high_means);
        let events = run(&s, 0);
        let signed = &named(&events, "agreement_signed")[0].event;
        let keys: Vec<String> = Outcome::all_of(signed, &s).map(|o| o.key()).collect();
        assert_eq!(keys, ["agreement:link", landing]);
        let possible: Vec<String> = Outcome::possible(&s).iter().map(Outcome::key).collect();
        assert!(possible.contains(&"agreement_linked:link".to_owned()));
        assert!(possible.contains(&"agreement_unlinked:link".to_owned()));
        assert_eq!(
            Outcome::parse(landing).map(|o| o.key()).as_deref(),
            Some(landing)
        );
    }
    // Another family's agreement has no landing.
    let s = scenario(json!({
        "actors": actors(&["A", "B"]),
        "issues": [issue("deal", &["A", "B"], None)],
        "stances": [stance("A", "deal", 43.0, 0.5), stance("B", "deal", 43.0, 0.5)],
        "agreement": {"tolerance": 1},
    }));
    let events = run(&s, 0);
    let signed = &named(&events, "agreement_signed")[0].event;
    assert_eq!(Outcome::all_of(signed, &s).count(), 1);
}
