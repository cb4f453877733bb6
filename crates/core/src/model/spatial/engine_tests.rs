//! The spatial model through the engine: KTAB's reference CSV imported as a
//! scenario and run like any other reproduces every state of KTAB's
//! reference log (positions to the log's 0.1, win probabilities to its four
//! decimals) and stops where KTAB stopped.

use super::reference::{CSV, Log};
use crate::event::Event;
use crate::import::{Format, import};
use crate::{Run, RunConfig};

#[test]
fn the_imported_reference_scenario_runs_as_ktab_ran_it() {
    let log = Log::read();
    let scenario = import(Format::Ktab, CSV, "dummyData_3Dim.csv").expect("it imports");
    assert!(scenario.problems().is_empty(), "{:?}", scenario.problems());
    let (n, d) = (log.actors, log.dimensions);
    let mut run = Run::new(&scenario, RunConfig::default()).expect("it runs");
    let mut positions: Vec<Vec<f64>> = Vec::new();
    let mut probabilities: Vec<Option<Vec<f64>>> = vec![None; log.state_count + 1];
    let mut converged = None;
    while let Some(envelope) = run.next() {
        let envelope = envelope.expect("no refusal");
        match &envelope.event {
            Event::RoundClosed(rc) if (rc.round as usize) < log.state_count => {
                let state = run.state();
                positions.push(
                    (0..n)
                        .flat_map(|a| (0..d).map(move |k| (a, k)))
                        .map(|(a, k)| state.held(k, a).expect("a stance").position)
                        .collect(),
                );
            }
            Event::StateAssessed(s) => {
                let ids = scenario.actors.iter().map(|a| &a.id);
                probabilities[s.state as usize] =
                    Some(ids.map(|id| s.win_probabilities[id.as_str()]).collect());
            }
            Event::BargainingConverged(_) => converged = Some(envelope.round),
            _ => {}
        }
    }
    // KTAB stopped after 11 states: 10 steps, so bargaining ends in round 10.
    assert_eq!(log.state_count, 11);
    assert_eq!(converged, Some(10));
    for t in 0..log.state_count {
        for a in 0..n {
            for k in 0..d {
                let logged: f64 = log.history_positions[a][k][t].trim().parse().unwrap();
                let ours = positions[t][a * d + k];
                assert!(
                    (ours - logged).abs() <= 0.05 + 1e-9,
                    "state {t}, actor {a}, dimension {k}: {ours} against the log's {logged}"
                );
            }
            let logged = &log.history_probability[a][t];
            let ours = probabilities[t].as_ref().expect("every state assessed")[a];
            assert_eq!(&format!("{ours:.4}"), logged, "state {t}, actor {a}");
        }
    }
    // Actor 2 never moves, as in the log.
    assert!(
        positions
            .iter()
            .all(|p| p[2 * d..3 * d] == positions[0][2 * d..3 * d])
    );
}
