//! Inputs and their perturbation.

use super::*;

fn tutorial() -> Scenario {
    serde_json::from_str(include_str!(
        "../../../../scenarios/tutorial-three-actors.json"
    ))
    .unwrap()
}

#[test]
fn every_stance_actor_and_threshold_is_an_input() {
    let s = tutorial();
    let all = inputs(&s);
    assert_eq!(
        all.len(),
        2 * s.stances.len() + s.actors.len() + 2 * s.ceasefires.len() + 2 * s.sanctions.len()
    );
    assert_eq!(
        all[0].name(&s),
        format!("position {}/{}", s.stances[0].actor, s.stances[0].issue)
    );
}

#[test]
fn perturbations_stay_on_their_scales() {
    let s = tutorial();
    for input in inputs(&s) {
        for t in [-1.0, 1.0] {
            let mut p = s.clone();
            input.apply(&mut p, t, 100.0);
            assert!(
                p.problems().is_empty(),
                "{}: {:?}",
                input.name(&s),
                p.problems()
            );
        }
    }
}
