//! The model laws against models that break them on purpose, the
//! exemptions, and the movement law on the Moscow scenario.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Law, Suite, exemption};
use crate::event::{Cause, Event, PositionChanged};
use crate::scenario::{CompromiseChoice, ModelConfig, ModelKind, Probability, Scenario};
use crate::testing::{Sizes, scenario};
use crate::{Context, Model};

/// A move to `to` for the actor listed `k`-th on issue `i`.
fn step(ctx: &Context<'_>, i: usize, k: usize, to: f64, name: &str) -> Event {
    let state = ctx.state();
    Event::PositionChanged(PositionChanged {
        actor: state.actors()[k].clone(),
        issue: state.issues()[i].clone(),
        from: 0.0,
        to,
        cause: Cause::Mechanism {
            name: name.to_owned(),
            note: "a test model".to_owned(),
        },
    })
}

/// Every actor a point toward 0 each round: it reads an end of the scale.
#[derive(Debug)]
struct Downhill;

impl Model for Downhill {
    fn decider(&self) -> &str {
        "downhill"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut moves = Vec::new();
        for i in 0..state.issues().len() {
            for &k in state.members(i) {
                let x = state.held(i, k).map_or(0.0, |h| h.position);
                if x >= 1.0 {
                    moves.push(step(ctx, i, k, x - 1.0, "downhill"));
                }
            }
        }
        moves
    }
}

/// The actor whose name sorts first halves its distance to 50 each round:
/// it reads names.
#[derive(Debug)]
struct FirstByName;

impl Model for FirstByName {
    fn decider(&self) -> &str {
        "first-by-name"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut moves = Vec::new();
        for i in 0..state.issues().len() {
            let first = state
                .members(i)
                .iter()
                .copied()
                .min_by_key(|&k| &state.actors()[k]);
            if let Some(k) = first {
                let x = state.held(i, k).map_or(50.0, |h| h.position);
                if (x - 50.0).abs() > 1e-3 {
                    moves.push(step(ctx, i, k, x + (50.0 - x) / 2.0, "first-by-name"));
                }
            }
        }
        moves
    }
}

/// Every actor halves its distance to the weakest actor's position: more
/// capability makes an actor lose the pull it had while it was weakest.
#[derive(Debug)]
struct TowardWeakest;

impl Model for TowardWeakest {
    fn decider(&self) -> &str {
        "toward-weakest"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut moves = Vec::new();
        for i in 0..state.issues().len() {
            let members = state.members(i);
            let weakest = members
                .iter()
                .copied()
                .min_by(|&p, &q| state.capability(p).total_cmp(&state.capability(q)));
            let Some(target) = weakest.and_then(|w| state.held(i, w)).map(|h| h.position) else {
                continue;
            };
            for &k in members {
                let x = state.held(i, k).map_or(target, |h| h.position);
                if (x - target).abs() > 1e-7 {
                    moves.push(step(ctx, i, k, x + (target - x) / 2.0, "toward-weakest"));
                }
            }
        }
        moves
    }
}

/// The compromise model's step, but only for actors of salience under 0.7.
#[derive(Debug)]
struct FreezesTheCommitted;

impl Model for FreezesTheCommitted {
    fn decider(&self) -> &str {
        "freezes-the-committed"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut moves = Vec::new();
        for i in 0..state.issues().len() {
            let mean = state.mean(i);
            for &k in state.members(i) {
                let Some(h) = state.held(i, k) else { continue };
                if h.salience < super::HIGH_SALIENCE && (mean - h.position).abs() > 1e-6 {
                    let to = h.position + 0.2 * (mean - h.position);
                    moves.push(step(ctx, i, k, to, "freezes-the-committed"));
                }
            }
        }
        moves
    }
}

fn three_actors() -> Scenario {
    let mut s: Scenario = serde_json::from_str(include_str!("../../tests/data/two-actors.json"))
        .expect("a valid built-in scenario");
    let mut third = s.actors[1].clone();
    third.id = "C".to_owned();
    third.name = "Actor C".to_owned();
    s.actors.push(third);
    let mut stance = s.stances[1].clone();
    stance.actor = "C".to_owned();
    s.stances.push(stance);
    let (caps, xs) = ([4.0, 5.0, 9.0], [10.0, 60.0, 90.0]);
    for (a, c) in s.actors.iter_mut().zip(caps) {
        a.capability = c;
    }
    for (st, x) in s.stances.iter_mut().zip(xs) {
        st.position = x;
        st.salience = 0.5;
        st.uncertainty = 0.0;
    }
    s.rounds = 3;
    s
}

fn moscow() -> Scenario {
    serde_json::from_str(include_str!("../../../../scenarios/moscow-2015-12-15.json"))
        .expect("the Moscow scenario")
}

#[test]
fn a_model_that_reads_an_end_of_the_scale_breaks_the_mirror() {
    let failure = Suite::with_model(|_| Box::new(Downhill))
        .cases(32)
        .check(Sizes::default())
        .unwrap_err();
    assert_eq!(failure.violation.law, Law::Mirror, "{failure}");
    assert!(failure.violation.detail.contains("100 −"), "{failure}");
}

#[test]
fn a_model_that_reads_names_breaks_relabel() {
    let failure = Suite::with_model(|_| Box::new(FirstByName))
        .cases(32)
        .check(Sizes::default())
        .unwrap_err();
    assert_eq!(failure.violation.law, Law::Relabel, "{failure}");
}

#[test]
fn a_model_that_follows_the_weakest_breaks_capability() {
    let s = three_actors();
    // Seed 0 doubles the first actor, the weakest (4, at 10): the others
    // then follow the second (5, at 60), away from it.
    let violation = Suite::with_model(|_| Box::new(TowardWeakest))
        .check_case(&s, 0)
        .unwrap_err();
    assert_eq!(violation.law, Law::Capability, "{violation:?}");
    assert!(
        violation.detail.contains("farther from USA's opening 10"),
        "{violation:?}"
    );
    // The compromise model keeps it on the same case.
    Suite::builtin().check_case(&s, 0).unwrap();
}

#[test]
fn a_model_that_freezes_high_salience_actors_breaks_movement_on_moscow() {
    let s = moscow();
    let violation = Suite::with_model(|_| Box::new(FreezesTheCommitted))
        .movement(&s, 0..10)
        .unwrap_err();
    assert_eq!(violation.law, Law::Movement);
    assert!(
        violation.detail.contains("salience 0.7 or more"),
        "{violation:?}"
    );
    Suite::builtin().movement(&s, 0..10).unwrap();
}

#[test]
fn the_scholz_variants_and_the_expected_utility_model_are_exempt_from_what_they_break() {
    let eu = ModelConfig {
        kind: ModelKind::ExpectedUtility,
        ..ModelConfig::default()
    };
    let scholz = ModelConfig {
        compromise_choice: CompromiseChoice::Scholz,
        ..eu.clone()
    };
    assert!(exemption(Law::Mirror, &eu).is_none());
    assert!(exemption(Law::Mirror, &scholz).unwrap().contains("case 39"));
    assert!(exemption(Law::Capability, &eu).is_some());
    assert!(exemption(Law::Capability, &ModelConfig::default()).is_none());
    let scholz_p = ModelConfig {
        probability: Probability::Scholz,
        ..scholz.clone()
    };
    assert!(exemption(Law::Movement, &scholz).is_none());
    assert!(
        exemption(Law::Movement, &scholz_p)
            .unwrap()
            .contains("Scholz et al.")
    );
    for law in Law::ALL {
        if !matches!(law, Law::Mirror | Law::Capability | Law::Movement) {
            assert!(exemption(law, &scholz_p).is_none(), "{law}");
        }
    }
    // A model of one's own is held to every law.
    let s = Scenario {
        model: scholz,
        ..three_actors()
    };
    assert!(
        Suite::with_model(|_| Box::new(Downhill))
            .exemption(Law::Mirror, &s)
            .is_none()
    );
    assert!(Suite::builtin().exemption(Law::Mirror, &s).is_some());
}

/// A permutation of `ids` that moves every one of them: each becomes the
/// next, the last the first. The map and its inverse.
fn rotation(ids: &[String]) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let forward: BTreeMap<String, String> = ids
        .iter()
        .zip(ids.iter().cycle().skip(1))
        .map(|(a, b)| (a.clone(), b.clone()))
        .collect();
    let back = forward
        .iter()
        .map(|(a, b)| (b.clone(), a.clone()))
        .collect();
    (forward, back)
}

/// `rename` by `map`, keeping an id the map does not hold.
fn by(map: &BTreeMap<String, String>) -> impl Fn(&str) -> String + '_ {
    |id| map.get(id).cloned().unwrap_or_else(|| id.to_owned())
}

/// Fields of prose, which may happen to spell an actor's id (the decide
/// package's parties are named by their ids) and are never renamed.
const PROSE: [&str; 8] = [
    "name",
    "basis",
    "text",
    "question",
    "title",
    "description",
    "low",
    "high",
];

/// Whether `after` is `before` with every actor id renamed by `map`
/// wherever it stands (a value or a map's key), prose aside; otherwise the
/// JSON path of the first difference.
fn renamed_everywhere(
    before: &Value,
    after: &Value,
    map: &BTreeMap<String, String>,
    path: &str,
    key: &str,
) -> Result<(), String> {
    let rename = by(map);
    match (before, after) {
        (Value::Object(b), Value::Object(a)) if b.len() == a.len() => {
            for (k, v) in b {
                let at = format!("{path}.{k}");
                let Some(w) = a.get(&rename(k)) else {
                    return Err(format!("{at}: no key {}", rename(k)));
                };
                renamed_everywhere(v, w, map, &at, k)?;
            }
            Ok(())
        }
        (Value::Array(b), Value::Array(a)) if b.len() == a.len() => {
            for (k, (v, w)) in b.iter().zip(a).enumerate() {
                renamed_everywhere(v, w, map, &format!("{path}[{k}]"), key)?;
            }
            Ok(())
        }
        (Value::String(b), Value::String(a)) => {
            let expected = if PROSE.contains(&key) {
                b.clone()
            } else {
                rename(b)
            };
            if *a == expected {
                Ok(())
            } else {
                Err(format!("{path}: {b:?} became {a:?}, expected {expected:?}"))
            }
        }
        (b, a) if b == a => Ok(()),
        (b, a) => Err(format!("{path}: {b} became {a}")),
    }
}

/// Relabelling `s` by a permutation that moves every actor renames each
/// actor wherever the scenario names it, and the inverse permutation gives
/// `s` back.
fn check_relabel_round_trip(s: &Scenario) -> Result<(), String> {
    let ids: Vec<String> = s.actors.iter().map(|a| a.id.clone()).collect();
    let (forward, back) = rotation(&ids);
    let renamed = super::relabelled(s, by(&forward));
    let json = |s: &Scenario| serde_json::to_value(s).expect("a scenario serialises");
    renamed_everywhere(&json(s), &json(&renamed), &forward, "$", "")?;
    if ids.len() >= 2 && renamed == *s {
        return Err("the permutation changed nothing".to_owned());
    }
    let undone = super::relabelled(&renamed, by(&back));
    if undone == *s {
        Ok(())
    } else {
        Err("relabelling back did not give the scenario back".to_owned())
    }
}

#[test]
fn relabelling_a_shipped_scenario_renames_every_actor_wherever_it_is_named() {
    let shipped = [
        include_str!("../../../../scenarios/moscow-2015-12-15.json"),
        include_str!("../../../../scenarios/moscow-2015-12-15-linkage.json"),
        include_str!("../../../../scenarios/moscow-2015-12-15-minimal.json"),
        include_str!("../../../../scenarios/minsk-2015-02.json"),
        include_str!("../../../../scenarios/vienna-issg-2015.json"),
        include_str!("../../../../scenarios/decide-toll-2017.json"),
        include_str!("../../../../scenarios/ec-car-emissions.json"),
        include_str!("../../../../scenarios/ktab-dummy-3dim.json"),
        include_str!("../../../../scenarios/tutorial-three-actors.json"),
    ];
    for text in shipped {
        let s: Scenario = serde_json::from_str(text).expect("a shipped scenario");
        if let Err(e) = check_relabel_round_trip(&s) {
            panic!("{}: {e}", s.id);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Mirroring twice gives the scenario back (to rounding); relabelling
    /// by a permutation that moves every actor renames each wherever it is
    /// named, and its inverse gives the scenario back.
    #[test]
    fn the_transformations_undo_themselves(s in scenario(Sizes::default())) {
        let twice = super::mirrored(&super::mirrored(&s));
        for (a, b) in twice.stances.iter().zip(&s.stances) {
            proptest::prop_assert!((a.position - b.position).abs() < 1e-9);
        }
        proptest::prop_assert_eq!(&twice.issues, &s.issues);
        let relabel = check_relabel_round_trip(&s);
        proptest::prop_assert!(relabel.is_ok(), "{}", relabel.unwrap_err());
    }
}

mod coercion {
    //! The laws of coercion are exercised by the generator and bite on
    //! rules that break them.

    use super::super::{Law, Suite};
    use crate::event::{Answer, Event, Id, ThreatRecord};
    use crate::mechanism::{Context, Mechanism};
    use crate::scenario::Scenario;
    use crate::state::ThreatStatus;

    /// USA threatens SYR (at 20 on `cw`) unless it comes to 70, due in
    /// round 3; severity `share`. SYR's patron RUS stands at 90.
    fn threat(share: f64) -> Scenario {
        let actors: Vec<serde_json::Value> = ["USA", "SYR", "RUS"]
            .map(|id| serde_json::json!(
                {"id": id, "name": id, "kind": "state", "capability": 1, "basis": "analyst estimate"}))
            .into();
        let stances: Vec<serde_json::Value> = [("USA", 100.0, 1.0), ("SYR", 20.0, 0.4), ("RUS", 90.0, 0.5)]
            .map(|(a, x, s)| serde_json::json!(
                {"actor": a, "issue": "cw", "position": x, "salience": s, "basis": "analyst estimate"}))
            .into();
        let s: Scenario = serde_json::from_value(serde_json::json!({
            "version": 2, "id": "coercion", "title": "Coercion",
            "start": "2016-01-04", "days_per_round": 7, "rounds": 6,
            "model": {"kind": "compromise", "lambda": 1e-9},
            "agreement": {"tolerance": 0},
            "actors": actors,
            "issues": [{"id": "cw", "question": "?", "low": "no", "high": "yes", "principals": ["USA", "SYR"]}],
            "stances": stances,
            "patrons": [{"patron": "RUS", "client": "SYR", "leverage": 0.2, "basis": "analyst estimate"}],
            "threats": [{"id": "t", "actor": "USA", "target": "SYR",
                "action": {"strikes": {"theatre": "syria", "per_round": 1}},
                "condition": {"issue": "cw", "at_least": 70},
                "made": "2016-01-04", "deadline": "2016-01-20",
                "severity": {"share": share, "uncertainty": 0.2, "basis": "analyst estimate"},
                "basis": "analyst estimate"}],
        }))
        .unwrap();
        assert!(s.problems().is_empty(), "{:?}", s.problems());
        s
    }

    #[test]
    fn the_builtin_threats_keep_the_laws_of_coercion() {
        let suite = Suite::builtin();
        for share in [0.0, 0.1, 0.2, 0.3, 0.5, 1.0] {
            for seed in 0..4 {
                if let Err(v) = suite.check_case(&threat(share), seed) {
                    panic!("severity {share}, seed {seed}: {v:?}");
                }
            }
        }
    }

    /// The shipped scenario with a threat (minsk-i-2014) keeps the laws of
    /// coercion; and the teaching example of docs/models.md, whose threat
    /// is complied with in some seeds and carried out in others.
    #[test]
    fn the_shipped_threats_keep_the_laws_of_coercion() {
        let minsk: Scenario =
            serde_json::from_str(include_str!("../../../../scenarios/minsk-i-2014.json")).unwrap();
        let example: Scenario =
            serde_json::from_str(include_str!("../../../../docs/examples/coercion-2013.json"))
                .unwrap();
        let suite = Suite::builtin();
        for (name, s) in [("minsk-i-2014", &minsk), ("coercion-2013", &example)] {
            assert!(s.problems().is_empty(), "{name}: {:?}", s.problems());
            for seed in 0..3 {
                if let Err(v) = suite.coercion_laws(s, seed) {
                    panic!("{name}, seed {seed}: {v:?}");
                }
            }
        }
    }

    /// Generated scenarios meet threats answered both ways, carried out
    /// and ended, so the laws of coercion are put to the test.
    #[test]
    fn the_generator_makes_threats_complied_with_held_against_and_carried_out() {
        let mut seen = std::collections::BTreeSet::new();
        for (_, events) in crate::testing::generated_runs(256) {
            for e in &events {
                match &e.event {
                    Event::ThreatAnswered(a) => seen.insert(match a.answer {
                        Answer::Complied => "complied",
                        Answer::Held => "held",
                    }),
                    Event::ThreatCarriedOut(_) => seen.insert("carried_out"),
                    Event::ThreatEnded(_) => seen.insert("ended"),
                    Event::ThreatWithdrawn(_) => seen.insert("withdrawn"),
                    _ => false,
                };
            }
        }
        for what in ["complied", "held", "carried_out", "ended", "withdrawn"] {
            assert!(
                seen.contains(what),
                "no generated run has a threat {what}: {seen:?}"
            );
        }
    }

    /// Carries out every withdrawn threat: breaks withdrawn-stays-withdrawn.
    #[derive(Debug)]
    struct Revenge;

    impl Mechanism for Revenge {
        fn decider(&self) -> &str {
            "revenge"
        }

        fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
            let state = ctx.state();
            ctx.scenario()
                .threats
                .iter()
                .zip(state.threats())
                .filter(|(_, ts)| ts.status == ThreatStatus::Withdrawn)
                .map(|(t, ts)| {
                    Event::ThreatCarriedOut(ThreatRecord {
                        threat: Id::from(t.id.as_str()),
                        actor: Id::from(t.actor.as_str()),
                        target: Id::from(t.target.as_str()),
                        deadline: ts.deadline,
                        position: 0.0,
                    })
                })
                .collect()
        }
    }

    /// Raises the threatened actor's salience whenever a threat stands or
    /// was withdrawn: a threat that changes a run by being there breaks
    /// idle-threat.
    #[derive(Debug)]
    struct Stubborn;

    impl Mechanism for Stubborn {
        fn decider(&self) -> &str {
            "stubborn"
        }

        fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
            let state = ctx.state();
            let mut events = Vec::new();
            for (t, ts) in ctx.scenario().threats.iter().zip(state.threats()) {
                let (Some(a), true) = (state.actor(&t.target), ts.status != ThreatStatus::Pending)
                else {
                    continue;
                };
                if let Some(held) = state.held(0, a) {
                    events.push(Event::SalienceChanged(crate::event::SalienceChanged {
                        actor: Id::from(t.target.as_str()),
                        issue: state.issues()[0].clone(),
                        from: held.salience,
                        to: (held.salience + 0.01).min(1.0),
                        cause: crate::event::Shift::External {
                            note: "broken on purpose".to_owned(),
                        },
                    }));
                }
            }
            events
        }
    }

    #[test]
    fn rules_that_break_the_laws_of_coercion_are_caught() {
        let revenge = Suite::with_mechanisms(|| vec![Box::new(Revenge)]);
        let mut withdrawn = threat(0.0);
        withdrawn.threats[0].condition.at_least = Some(10.0);
        let v = revenge.check_case(&withdrawn, 0).unwrap_err();
        assert_eq!(v.law, Law::WithdrawnStaysWithdrawn, "{v:?}");
        let stubborn = Suite::with_mechanisms(|| vec![Box::new(Stubborn)]);
        let v = stubborn.check_case(&threat(0.0), 0).unwrap_err();
        assert_eq!(v.law, Law::IdleThreat, "{v:?}");
    }
}

/// The laws of fronts (issue 29): kept by the built-in rules on generated
/// scenarios with fronts, and each caught when a rule breaks it on purpose.
mod fronts {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;

    use super::super::{Law, Suite};
    use crate::event::{Cause, ControlChanged, Event, FrontCause, Id, PositionChanged};
    use crate::scenario::Scenario;
    use crate::testing::{Sizes, scenario};
    use crate::{Context, Mechanism};

    /// Generated scenarios with a front (the generator gives one to a case
    /// with an odd number of drawn effects), with strikes on its sides and,
    /// in some, its ceasefire in force.
    fn with_fronts() -> impl Strategy<Value = Scenario> {
        scenario(Sizes::default()).prop_filter("a front", |s| !s.fronts.is_empty())
    }

    #[test]
    fn the_builtin_rules_keep_the_laws_of_fronts_on_generated_scenarios() {
        let result = Suite::builtin().cases(64).check_with(with_fronts());
        assert!(result.is_ok(), "{}", result.unwrap_err());
    }

    /// The generator's fronts are fought over, some frozen by a ceasefire,
    /// some taken: the laws meet every case.
    #[test]
    fn generated_fronts_shift_freeze_and_are_taken() {
        let (mut fronts, mut shifted, mut by_violation) = (0, 0, 0);
        for (s, events) in crate::testing::generated_runs(256) {
            if s.fronts.is_empty() {
                continue;
            }
            fronts += 1;
            for e in &events {
                if let Event::ControlChanged(c) = &e.event {
                    shifted += 1;
                    if matches!(c.cause, crate::event::ControlCause::Violation { .. }) {
                        by_violation += 1;
                    }
                }
            }
        }
        assert!(
            fronts > 20 && shifted > 40 && by_violation > 0,
            "{fronts} {shifted} {by_violation}"
        );
    }

    /// Shifts every front to its first side's favour by a fixed step, in
    /// every round, ceasefire or not.
    #[derive(Debug)]
    struct Bulldozer;

    impl Mechanism for Bulldozer {
        fn decider(&self) -> &str {
            "bulldozer"
        }

        fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
            let state = ctx.state();
            (0..state.front_count())
                .filter_map(|k| state.front(k))
                .map(|f| {
                    let mut step = ControlChanged {
                        front: Id::from(f.id),
                        theatre: Id::from(f.theatre),
                        ..ControlChanged::default()
                    };
                    for j in 0..2 {
                        step.sides.push(crate::event::SideControl {
                            actor: state.actors()[f.sides[j]].clone(),
                            from: f.control[j],
                            to: if j == 0 { 1.0 } else { 0.0 },
                            ..Default::default()
                        });
                    }
                    Event::ControlChanged(step)
                })
                .collect()
        }
    }

    /// Moves every side of a front away from a ceasefire, as if losing
    /// made it want war more.
    #[derive(Debug)]
    struct Revanche;

    impl Mechanism for Revanche {
        fn decider(&self) -> &str {
            "revanche"
        }

        fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
            let state = ctx.state();
            let Some(f) = state.front(0) else {
                return Vec::new();
            };
            let Some(k) = state.ceasefire_index(f.theatre) else {
                return Vec::new();
            };
            let issue = state.ceasefires()[k].issue;
            let actor = f.sides[0];
            let Some(held) = state.held(issue, actor) else {
                return Vec::new();
            };
            let reading = state.ceasefire_reading(k, held.position);
            if reading < 1.0 {
                return Vec::new();
            }
            vec![Event::PositionChanged(PositionChanged {
                actor: state.actors()[actor].clone(),
                issue: state.issues()[issue].clone(),
                from: 0.0,
                to: state.ceasefire_reading(k, reading - 1.0),
                cause: Cause::Front {
                    front: Id::from(f.id),
                    why: FrontCause::Loss,
                    by: 0.1,
                },
            })]
        }
    }

    fn caught(suite: &Suite, laws: &[Law]) {
        let failure = suite
            .clone()
            .cases(64)
            .check_with(with_fronts())
            .expect_err("the rule breaks a law of fronts");
        assert!(laws.contains(&failure.violation.law), "{failure}");
    }

    #[test]
    fn rules_that_break_the_laws_of_fronts_are_caught() {
        caught(
            &Suite::with_mechanisms(|| vec![Box::new(Bulldozer)]),
            &[Law::CeasefireFreezesFronts, Law::FrontForces],
        );
        caught(
            &Suite::with_mechanisms(|| vec![Box::new(Revanche)]),
            &[Law::LossesTowardCeasefire],
        );
    }

    /// The shipped scenarios with fronts (Moscow: northern Aleppo, Latakia,
    /// Palmyra–east; Minsk: Debaltseve) keep every law of the suite, the
    /// four of fronts among them, seed by seed.
    #[test]
    fn the_shipped_fronts_keep_every_law() {
        let moscow: Scenario =
            serde_json::from_str(include_str!("../../../../scenarios/moscow-2015-12-15.json"))
                .unwrap();
        let minsk: Scenario =
            serde_json::from_str(include_str!("../../../../scenarios/minsk-2015-02.json")).unwrap();
        for (name, s) in [("moscow", &moscow), ("minsk", &minsk)] {
            assert!(!s.fronts.is_empty(), "{name} has fronts");
            for seed in 0..2 {
                if let Err(v) = Suite::builtin().check_case(s, seed) {
                    panic!("{name}, seed {seed}: {v:?}");
                }
            }
        }
    }

    /// The built-in fronts keep relabel on a generated front whose sides
    /// differ in forces (the suite's play lists the sides the other way and
    /// renames every actor).
    #[test]
    fn the_builtin_fronts_keep_relabel_where_the_sides_differ() {
        let mut s = None;
        let mut runner = TestRunner::deterministic();
        for _ in 0..64 {
            let c = with_fronts().new_tree(&mut runner).unwrap().current();
            if c.fronts[0].sides[0].forces != c.fronts[0].sides[1].forces {
                s = Some(c);
                break;
            }
        }
        let s = s.expect("a generated front");
        assert_eq!(Suite::builtin().fronts_relabel(&s, 1), Ok(()));
    }
}

mod bodies {
    //! The body law is exercised by the generator (its bodies adopt, veto
    //! and fail) and bites on a rule that adopts against a veto.

    use super::super::{Law, Suite};
    use crate::event::{Ballot, BodyVote, Event, Id};
    use crate::mechanism::{Context, Mechanism};
    use crate::scenario::Scenario;

    /// Generated runs hold votes of every verdict, so body-quota is put
    /// to the test.
    #[test]
    fn the_generator_makes_resolutions_adopted_vetoed_and_failed() {
        let mut seen = std::collections::BTreeSet::new();
        for (_, events) in crate::testing::generated_runs(256) {
            for e in &events {
                if e.event.name().starts_with("resolution_") {
                    seen.insert(e.event.name());
                }
            }
        }
        assert_eq!(
            seen.into_iter().collect::<Vec<_>>(),
            [
                "resolution_adopted",
                "resolution_failed",
                "resolution_vetoed"
            ]
        );
    }

    /// Adopts the council's draft in round 1 whatever the votes, with a
    /// tally that claims every member voted yes.
    #[derive(Debug)]
    struct Usurper;

    impl Mechanism for Usurper {
        fn decider(&self) -> &str {
            "usurper"
        }

        fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
            if ctx.round() != 1 {
                return Vec::new();
            }
            let b = &ctx.scenario().bodies[0];
            let votes = b
                .members
                .iter()
                .map(|m| (Id::from(m.as_str()), Ballot::Yes))
                .collect();
            vec![Event::ResolutionAdopted(BodyVote {
                body: Id::from(b.id.as_str()),
                issue: Id::from(b.resolutions[0].issue.as_str()),
                draft: 90.0,
                votes,
                yes: 2,
                abstain: 0,
                no: 0,
                quota: 2,
                vetoed_by: Vec::new(),
            })]
        }
    }

    /// A council of USA and RUS (RUS with a veto, far from the draft).
    fn council() -> Scenario {
        serde_json::from_value(serde_json::json!({
            "version": 2, "id": "council", "title": "A council", "start": "2016-01-04",
            "days_per_round": 7, "rounds": 3,
            "actors": [
                {"id": "USA", "name": "USA", "kind": "state", "capability": 1, "basis": "analyst estimate"},
                {"id": "RUS", "name": "RUS", "kind": "state", "capability": 1, "basis": "analyst estimate"}],
            "issues": [{"id": "cw", "question": "?", "low": "no", "high": "yes", "principals": ["USA", "RUS"]}],
            "stances": [
                {"actor": "USA", "issue": "cw", "position": 90, "salience": 1, "basis": "analyst estimate"},
                {"actor": "RUS", "issue": "cw", "position": 10, "salience": 1, "basis": "analyst estimate"}],
            "bodies": [{"id": "unsc", "members": ["USA", "RUS"], "veto": ["RUS"], "quota": 2,
                "resolutions": [{"issue": "cw", "sponsors": ["USA"], "basis": "analyst estimate"}],
                "basis": "analyst estimate"}]
        }))
        .unwrap()
    }

    #[test]
    fn body_quota_bites_on_an_adoption_against_a_veto() {
        let s = council();
        assert!(s.problems().is_empty(), "{:?}", s.problems());
        assert!(Suite::builtin().check_case(&s, 0).is_ok());
        let usurper = Suite::with_mechanisms(|| vec![Box::new(Usurper)]);
        let v = usurper.check_case(&s, 0).unwrap_err();
        assert_eq!(v.law, Law::BodyQuota, "{v:?}");
    }
}
