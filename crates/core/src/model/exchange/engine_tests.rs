//! The exchange model through the engine: the decide package's sample file
//! imported as a scenario and run like any other gives the package's
//! starting outcomes, candidates and best exchanges, and round-1 outcomes of
//! the tie branch the run's stream picks.

use crate::event::Event;
use crate::import::{Format, import};
use crate::stream::Stream;
use crate::{Run, RunConfig};

const SAMPLE: &str = include_str!("../../../../../data/decide/sample_data.txt");

/// The round-1 outcomes of the two branches of the package's one tie
/// (the issues in file order).
const LEADER: [f64; 6] = [67.178, 48.601, 50.683, 16.235, 75.146, 46.773];
const RUNNER_UP: [f64; 6] = [69.502, 48.601, 47.610, 16.235, 76.462, 46.773];

#[test]
fn the_imported_sample_runs_as_the_package_runs_it() {
    let scenario = import(Format::Decide, SAMPLE, "sample_data.txt").expect("it imports");
    assert!(scenario.problems().is_empty(), "{:?}", scenario.problems());
    let issues: Vec<String> = scenario.issues.iter().map(|i| i.id.clone()).collect();
    let mut branches = [0, 0];
    for seed in 0..8 {
        let config = RunConfig {
            seed,
            rounds: Some(1),
            ..RunConfig::default()
        };
        let events: Vec<_> = Run::new(&scenario, config)
            .expect("it runs")
            .collect::<Result<_, _>>()
            .expect("no refusal");
        // The starting outcomes (issue 2's scale, 0.5–7, normalised).
        let Event::RoundClosed(open) = &events[0].event else {
            panic!("round 0 closes first")
        };
        let start: Vec<f64> = open.issues.iter().map(|f| f.mean).collect();
        let expected = [49.3532, 27.246, 50.5789, 52.4855, 49.4883, 56.6008];
        for (x, e) in start.iter().zip(expected) {
            assert!((x - e).abs() < 5e-4, "{start:?}");
        }
        let round = events
            .iter()
            .find_map(|e| match &e.event {
                Event::ExchangeRound(x) => Some(x.clone()),
                _ => None,
            })
            .expect("an exchange round");
        assert_eq!((round.candidates, round.ties), (240, 1));
        let packages: Vec<_> = events
            .iter()
            .filter_map(|e| match &e.event {
                Event::PackageAccepted(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        let best = &packages[0];
        assert!((best.gain - 1.973684210526).abs() < 1e-12);
        let sides = [&best.offerer_yields, &best.receiver_yields];
        let willems = if best.offerer == "WILLEMS" { 0 } else { 1 };
        assert_eq!(
            (best.offerer.as_str(), best.receiver.as_str()),
            if willems == 0 {
                ("WILLEMS", "WCENTR")
            } else {
                ("WCENTR", "WILLEMS")
            }
        );
        assert_eq!(sides[willems].issue, "extra_investering");
        assert!((sides[willems].to - 100.0).abs() < 1e-9);
        assert_eq!(sides[1 - willems].issue, "tolheffing_binnenstad");
        assert!((sides[1 - willems].to - 61.0512).abs() < 5e-5);
        assert!((packages[1].gain - 1.792636308765).abs() < 1e-12);
        // The tie goes where the stream says: 0 to the leader.
        let leader = Stream::new(seed, "exchange-model", "ties", 1).below(2) == 0;
        let want = if leader { LEADER } else { RUNNER_UP };
        branches[usize::from(!leader)] += 1;
        for (p, id) in issues.iter().enumerate() {
            assert!(
                (round.outcomes[id.as_str()] - want[p]).abs() < 5e-4,
                "seed {seed}, {id}: {} against {}",
                round.outcomes[id.as_str()],
                want[p]
            );
        }
    }
    assert!(
        branches[0] > 0 && branches[1] > 0,
        "both branches: {branches:?}"
    );
}
