//! Format 2 mechanism rules: fronts (issue 29). One test per rule: the
//! contest moves control, strikes take forces, patrons' support counts with
//! its leverage, a front is taken, losses move a side toward a ceasefire
//! and raise its salience, control changes capability, learning lowers a
//! demand, a ceasefire freezes a front but a violation unfreezes it, and
//! replay refuses a change of control the state does not recompute.

use super::*;

/// GOV and OPP fight over one front of `syria`; RUS is GOV's patron and
/// supports it with 10 forces (× leverage 0.5). The ceasefire issue reads
/// high = a ceasefire now. `fighting` and `extra` go over the base.
fn war(fighting: Value, extra: Value) -> Scenario {
    let mut v = json!({
        "rounds": 8,
        "actors": actors(&["GOV", "OPP", "RUS"]),
        "issues": [issue("truce", &["GOV", "OPP"], Some("ceasefire_now"))],
        "stances": [
            stance("GOV", "truce", 20.0, 0.5), stance("OPP", "truce", 10.0, 0.5),
            stance("RUS", "truce", 30.0, 0.5),
        ],
        "patrons": [{"patron": "RUS", "client": "GOV", "leverage": 0.5, "basis": "analyst estimate"}],
        "ceasefires": [{"theatre": "syria", "issue": "truce", "parties": ["GOV", "OPP"],
                        "tolerance": 5, "threshold": 90, "hazard": 0, "collapse_after": 1000,
                        "basis": "analyst estimate"}],
        "fronts": [{"id": "north", "theatre": "syria", "taken_at": 0.9, "basis": "analyst estimate",
                    "sides": [
                        {"actor": "GOV", "control": 0.5, "forces": 10, "support": {"RUS": 10},
                         "basis": "analyst estimate"},
                        {"actor": "OPP", "control": 0.5, "forces": 5, "basis": "analyst estimate"}]}],
        "fighting": fighting,
    });
    for (k, x) in extra.as_object().expect("an object") {
        v[k] = x.clone();
    }
    scenario(v)
}

/// RUS strikes `per_round` times a round on OPP's forces (it targets all
/// opposition, with salience 1: every strike flies and hits OPP).
fn striking(per_round: u32) -> Value {
    json!({
        "issues": [issue("truce", &["GOV", "OPP"], Some("ceasefire_now")),
                   issue("targets", &["RUS"], Some("terrorists_only"))],
        "strikes": [{"actor": "RUS", "theatre": "syria", "issue": "targets", "per_round": per_round,
                     "hits": "OPP", "basis": "analyst estimate"}],
        "stances": [
            stance("GOV", "truce", 20.0, 0.5), stance("OPP", "truce", 10.0, 0.5),
            stance("RUS", "truce", 30.0, 0.5), stance("RUS", "targets", 0.0, 1.0)],
    })
}

fn rules(extra: Value) -> Value {
    let mut v =
        json!({"contest": "tullock", "decisiveness": 1, "rate": 0.5, "basis": "analyst estimate"});
    for (k, x) in extra.as_object().expect("an object") {
        v[k] = x.clone();
    }
    v
}

fn changes(events: &[Envelope]) -> Vec<&ControlChanged> {
    events
        .iter()
        .filter_map(|e| match &e.event {
            Event::ControlChanged(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// Tullock's ratio form: GOV's 10 + 10 × 0.5 = 15 against OPP's 5 wins
/// 3/4 of the fighting; at rate ½ control goes from ½ to ⅝ in round 1,
/// each side's share moving half the way to what it won.
#[test]
fn the_contest_moves_control_toward_what_forces_win() {
    let s = war(rules(json!({})), json!({}));
    let events = run(&s, 1);
    let c = changes(&events);
    assert_eq!(c.len(), 8, "one change a round");
    let first = &c[0].sides;
    assert!(
        close(first[0].forces, 15.0) && close(first[1].forces, 5.0),
        "{first:?}"
    );
    assert!(
        close(first[0].won, 0.75) && close(first[0].to, 0.625),
        "{first:?}"
    );
    assert!(close(first[1].to, 0.375), "{first:?}");
    assert_eq!(c[0].cause, ControlCause::Fighting);
    let st = fold(&s, &events);
    let end = st.front(0).expect("the front").control;
    assert!(end[0] > 0.74 && end[0] < 0.75, "{end:?}");
}

/// Lanchester's square law (the variant): 15² against 5² is an advance of
/// 8/9 of what the enemy holds, at rate ½.
#[test]
fn the_square_law_variant_advances_by_the_difference_of_squares() {
    let s = war(rules(json!({"contest": "lanchester"})), json!({}));
    let events = run(&s, 1);
    let first = &changes(&events)[0].sides;
    assert!(
        close(first[0].to, 0.5 + 0.5 * (8.0 / 9.0) * 0.5),
        "{first:?}"
    );
    assert!(close(first[0].to + first[1].to, 1.0));
}

/// Patrons' support counts times the patron's leverage: with the leverage
/// doubled GOV's forces are 20.
#[test]
fn a_patrons_support_counts_with_its_leverage() {
    let s = war(
        rules(json!({})),
        json!({"patrons": [{"patron": "RUS", "client": "GOV", "leverage": 1.0, "basis": "analyst estimate"}]}),
    );
    let events = run(&s, 1);
    let first = &changes(&events)[0].sides;
    assert!(close(first[0].forces, 20.0), "{first:?}");
}

/// A side that passes the front's share has taken it: `front_taken`.
#[test]
fn a_side_past_the_share_takes_the_front() {
    let s = war(rules(json!({"decisiveness": 3, "rate": 1.0})), json!({}));
    let events = run(&s, 1);
    let taken: Vec<_> = events
        .iter()
        .flat_map(|e| Outcome::all_of(&e.event, &s))
        .filter(|o| o.kind() == "front_taken")
        .collect();
    assert_eq!(taken.len(), 1, "{taken:?}");
    assert_eq!(taken[0].key(), "front_taken:syria:north:GOV");
    assert_eq!(
        Outcome::parse("front_taken:syria:north:GOV"),
        Some(taken[0].clone())
    );
}

/// Strikes on a side's forces take `per_strike` of them each for the
/// round, and the forces lost are a loss: OPP, struck twice a round by
/// RUS, moves toward a ceasefire and cares more about it, each move caused
/// by the front.
#[test]
fn strikes_and_lost_ground_move_a_side_toward_a_ceasefire() {
    let s = war(
        rules(json!({"per_strike": 0.2, "salience_per_loss": 0.1, "position_per_loss": 20})),
        striking(2),
    );
    let events = run(&s, 1);
    let first = changes(&events)[0].sides.clone();
    assert_eq!(first[1].hits, 2, "{first:?}");
    assert!(close(first[1].forces, 5.0 * 0.64), "{first:?}");
    let st = fold(&s, &events);
    let (opp, gov, truce) = (st.actor("OPP").unwrap(), st.actor("GOV").unwrap(), 0);
    assert!(st.held(truce, opp).unwrap().position > 40.0);
    assert!(st.held(truce, opp).unwrap().salience > 0.6);
    // GOV gains ground and is never struck: it does not move.
    assert!(close(st.held(truce, gov).unwrap().position, 20.0));
    assert!(events.iter().all(|e| match &e.event {
        Event::PositionChanged(p) =>
            p.actor == "OPP"
                && p.to > p.from
                && matches!(
                    p.cause,
                    Cause::Front {
                        why: FrontCause::Loss,
                        ..
                    }
                ),
        Event::SalienceChanged(c) => matches!(c.cause, Shift::Front { .. }) && c.to > c.from,
        _ => true,
    }));
}

/// Control held changes capability: the side that gains ground gains
/// capability by the declared rate, the side that loses it loses some.
#[test]
fn control_gained_raises_capability() {
    let s = war(rules(json!({"capability_per_control": 0.5})), json!({}));
    let st = fold(&s, &run(&s, 1));
    assert!(st.capability(st.actor("GOV").unwrap()) > 1.05);
    assert!(st.capability(st.actor("OPP").unwrap()) < 0.95);
}

/// Learning: OPP, uncertain where it stands and overrating itself, wins
/// less than it expected and lowers its demand; the belief it acted on and
/// the one it holds after are logged, and the belief comes down.
#[test]
fn a_side_that_does_worse_than_it_expected_lowers_its_demand() {
    let mut s = war(rules(json!({"learning": 0.5, "optimism": 0.5})), json!({}));
    s.stances[1].uncertainty = 1e-9;
    let events = run(&s, 1);
    let c = changes(&events);
    let opp = &c[0].sides[1];
    assert!(
        opp.expected > opp.won && opp.belief < opp.expected,
        "{opp:?}"
    );
    assert!(c[1].sides[1].expected.to_bits() == opp.belief.to_bits());
    let learned: Vec<_> = events
        .iter()
        .filter(|e| {
            matches!(&e.event, Event::PositionChanged(p)
            if matches!(p.cause, Cause::Front { why: FrontCause::Learning, .. }))
        })
        .collect();
    assert!(!learned.is_empty());
    // GOV, certain of its stance, learns nothing from the same fighting.
    assert!(
        learned
            .iter()
            .all(|e| matches!(&e.event, Event::PositionChanged(p) if p.actor == "OPP"))
    );
}

/// A ceasefire in force freezes the front: no change of control while it
/// holds and nobody violates it.
#[test]
fn a_ceasefire_in_force_freezes_the_front() {
    let mut s = war(rules(json!({})), json!({}));
    s.ceasefires[0].in_force = true;
    let events = run(&s, 1);
    assert!(changes(&events).is_empty());
}

/// A violation unfreezes it for the round: RUS (GOV's patron) strikes OPP's
/// forces while the ceasefire holds, which violates it, and control shifts
/// with the violation as its cause.
#[test]
fn a_violation_unfreezes_the_front_for_its_round() {
    let mut s = war(rules(json!({})), striking(1));
    s.ceasefires[0].in_force = true;
    let events = run(&s, 1);
    let c = changes(&events);
    assert!(!c.is_empty());
    assert!(c.iter().all(|c| c.cause
        == ControlCause::Violation {
            by: vec!["RUS".into()]
        }));
}

/// Replay refuses a change of control the state does not recompute, and
/// one while a ceasefire holds without a violation.
#[test]
fn replay_refuses_a_forged_change_of_control() {
    let s = war(rules(json!({})), json!({}));
    let events = run(&s, 1);
    let k = events
        .iter()
        .position(|e| matches!(e.event, Event::ControlChanged(_)))
        .expect("a change");
    let mut st = State::new(&s);
    for e in &events[..k] {
        st.apply(&e.event);
    }
    let Event::ControlChanged(mut forged) = events[k].event.clone() else {
        unreachable!()
    };
    assert_eq!(st.check(&events[k].event), Ok(()));
    forged.sides[0].to += 0.01;
    assert!(matches!(
        st.check(&Event::ControlChanged(forged)),
        Err(crate::Refusal::Unsettled { .. })
    ));
    // The same change with a ceasefire in force and no violation.
    let mut frozen = s.clone();
    frozen.ceasefires[0].in_force = true;
    let mut st = State::new(&frozen);
    for e in &events[..k] {
        st.apply(&e.event);
    }
    assert!(matches!(
        st.check(&events[k].event),
        Err(crate::Refusal::FrontFrozen { .. })
    ));
}

/// Bad input: a front's shares that do not sum to 1, one side, a supporter
/// who is no patron, each refused at its JSON path.
#[test]
fn bad_fronts_are_refused_at_their_paths() {
    let mut s = war(rules(json!({})), json!({}));
    s.fronts[0].sides[0].control = 0.7;
    s.fronts[0].sides[1].support.insert("GOV".into(), 1.0);
    s.fighting.as_mut().unwrap().rate = 0.0;
    let p = paths(&s);
    assert!(p.contains(&"$.fronts[0].sides".to_owned()), "{p:?}");
    assert!(
        p.contains(&"$.fronts[0].sides[1].support.GOV".to_owned()),
        "{p:?}"
    );
    assert!(p.contains(&"$.fighting.rate".to_owned()), "{p:?}");
    s.fronts[0].sides.pop();
    assert!(paths(&s).contains(&"$.fronts[0].sides".to_owned()));
    let mut one = war(rules(json!({})), json!({}));
    one.version = 1;
    assert!(paths(&one).contains(&"$.fronts".to_owned()));
}

/// A branch may put a round of fighting in by naming the front alone: the
/// state fills in every number; while a ceasefire holds without a
/// violation it is refused.
#[test]
fn a_change_of_control_put_into_a_branch_is_completed_by_the_state() {
    let s = war(rules(json!({})), json!({}));
    let mut st = State::new(&s);
    for e in run(&s, 1).iter().take_while(|e| e.round == 0) {
        st.apply(&e.event);
    }
    let event = crate::inject::complete(
        &json!({"control_changed": {"front": "north"}}),
        &s,
        s.rounds,
        &st,
    )
    .expect("a round of fighting");
    let Event::ControlChanged(c) = &event else {
        panic!("{event:?}")
    };
    assert!(close(c.sides[0].to, 0.625), "{c:?}");
    let mut frozen = s.clone();
    frozen.ceasefires[0].in_force = true;
    let st = State::new(&frozen);
    assert!(
        crate::inject::complete(
            &json!({"control_changed": {"front": "north"}}),
            &frozen,
            frozen.rounds,
            &st
        )
        .is_err()
    );
}

/// The war's costs bring a side to accept a ceasefire, never past it: OPP,
/// losing heavily, stops at the ceasefire's threshold (90) however large
/// its losses, and a side whose position already meets the threshold is
/// not moved by losses at all (moved further, it would stand farther from
/// the others and delay the ceasefire it wants).
#[test]
fn the_wars_costs_stop_at_the_ceasefires_threshold() {
    let heavy = rules(json!({"per_strike": 0.2, "position_per_loss": 100}));
    let s = war(heavy.clone(), striking(2));
    let st = fold(&s, &run(&s, 1));
    let opp = st.actor("OPP").unwrap();
    assert_eq!(st.held(0, opp).unwrap().position, 90.0);
    let mut eager = war(heavy, striking(2));
    eager.stances[1].position = 95.0;
    let events = run(&eager, 1);
    assert!(
        changes(&events)
            .iter()
            .any(|c| c.sides[1].to < c.sides[1].from)
    );
    assert!(!events.iter().any(|e| matches!(&e.event,
        Event::PositionChanged(p) if p.actor == "OPP")));
}

/// The stop rule measures bargaining's own movement: a model that moves
/// nobody has converged after its quiet rounds even while the war moves a
/// side every round (the war's moves are carried into the remembered
/// positions), and bargaining ends there.
#[test]
fn the_stop_rule_leaves_the_wars_moves_out() {
    let mut s = war(
        rules(json!({"per_strike": 0.2, "position_per_loss": 10})),
        striking(2),
    );
    s.model.kind = crate::scenario::ModelKind::Frozen;
    s.model.stop = Some(crate::scenario::StopRule::default());
    let events = run(&s, 1);
    let moved_by_war = |round: u32| {
        events.iter().any(|e| {
            e.round == round
                && matches!(&e.event, Event::PositionChanged(p)
                    if matches!(p.cause, Cause::Front { .. }) && (p.to - p.from).abs() > 0.1)
        })
    };
    assert!((1..=3).all(moved_by_war), "the war moves OPP every round");
    let converged: Vec<u32> = events
        .iter()
        .filter(|e| matches!(e.event, Event::BargainingConverged(_)))
        .map(|e| e.round)
        .collect();
    assert_eq!(converged, [3], "quiet for the default three rounds");
}
