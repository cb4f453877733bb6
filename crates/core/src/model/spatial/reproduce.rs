//! The kernel against every number of KTAB's reference log of
//! `dummyData_3Dim.csv` that it computes: each is compared as the text KTAB
//! printed (same format, same digits), so no tolerance is involved.

use super::reference::{CSV, Log, QueuePce, Turn};
use super::state::Assessed;
use super::{QueueOption, SpatialConfig, SpatialInput, SpatialStep, assess, csv, run};

/// C's `%.*f`.
pub(super) fn fixed(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}")
}

/// C's `%+.*f`.
pub(super) fn signed(x: f64, decimals: usize) -> String {
    format!("{x:+.decimals$}")
}

/// C's `%.2E` (two-digit exponent with its sign).
fn c_exp(x: f64) -> String {
    let rust = format!("{x:.2E}");
    let (mantissa, exponent) = rust.split_once('E').unwrap_or((&rust, "0"));
    let e: i32 = exponent.parse().unwrap_or(0);
    let sign = if e < 0 { '-' } else { '+' };
    format!("{mantissa}E{sign}{:02}", e.abs())
}

/// The reference scenario on the kernel's scale.
pub(super) struct Reference {
    pub(super) capability: Vec<f64>,
    pub(super) position: Vec<f64>,
    pub(super) salience: Vec<f64>,
}

impl Reference {
    pub(super) fn load() -> Reference {
        let scenario = csv::parse(CSV).expect("the reference CSV parses");
        Reference {
            capability: scenario.capabilities(),
            position: scenario.unit_positions(),
            salience: scenario.unit_saliences(),
        }
    }

    pub(super) fn input(&self) -> SpatialInput<'_> {
        SpatialInput {
            capability: &self.capability,
            position: &self.position,
            salience: &self.salience,
        }
    }

    pub(super) fn run(&self) -> Vec<SpatialStep> {
        run(
            &SpatialConfig::default(),
            self.input(),
            super::MAX_ITERATIONS,
        )
        .expect("the run succeeds")
    }
}

fn check_challenges(t: usize, step: &SpatialStep, turn: &Turn) {
    let n = step.challenges.len();
    for i in 0..n {
        let Some(c) = &step.challenges[i] else {
            assert!(
                turn.no_target.contains(&i),
                "turn {t}: actor {i} has no target here"
            );
            continue;
        };
        let (target, worth) = &turn.targets[&i];
        assert_eq!(
            (c.target, fixed(c.value, 3)),
            (*target, worth.clone()),
            "turn {t}, actor {i}"
        );
        let j = c.target;
        let expect = [
            (i, i, c.probability, c.value),
            (i, j, c.probability, c.target_gain),
            (j, i, c.target_probability, c.target_view_of_initiator_gain),
            (j, j, c.target_probability, c.target_view_of_target_gain),
        ];
        for (h, k, p, gain) in expect {
            let logged = turn
                .estimates
                .iter()
                .find(|e| (e.h, e.k, e.i, e.j) == (h, k, i, j))
                .unwrap_or_else(|| panic!("turn {t}: no estimate by {h} for {k} of [{i}>{j}]"));
            assert_eq!(
                (fixed(p, 4), signed(gain, 4)),
                (logged.probability.clone(), logged.gain.clone()),
                "turn {t}: estimate by {h} for {k} of [{i}>{j}]"
            );
        }
    }
    assert_eq!(
        step.challenges.iter().flatten().count(),
        turn.targets.len(),
        "turn {t}"
    );
}

fn check_bargains(t: usize, step: &SpatialStep, turn: &Turn) {
    assert_eq!(step.bargains.len(), turn.bargains.len(), "turn {t}");
    for b in &step.bargains {
        let logged = &turn.bargains[&b.initiator];
        let mine = |v: &[f64]| v.iter().map(|x| fixed(x * 100.0, 3)).collect::<Vec<_>>();
        assert_eq!(b.receiver, logged.receiver, "turn {t}");
        assert_eq!(
            mine(&b.initiator_position),
            logged.initiator_position,
            "turn {t}, {b:?}"
        );
        assert_eq!(
            mine(&b.receiver_position),
            logged.receiver_position,
            "turn {t}, {b:?}"
        );
    }
}

/// Compare actor k's queue with the log's, matching options by their
/// partners (the log's order is the order threads happened to finish).
fn check_queue(t: usize, k: usize, step: &SpatialStep, turn: &Turn) {
    let queue = &step.queues[k];
    let partners = |o: QueueOption| match o {
        QueueOption::StatusQuo => (k, k),
        QueueOption::Bargain(b) => (step.bargains[b].initiator, step.bargains[b].receiver),
    };
    let ids = &turn.queues[&k];
    let order: Vec<usize> = ids
        .iter()
        .map(|id| {
            let logged = turn.ids[id];
            queue
                .options
                .iter()
                .position(|&o| partners(o) == logged)
                .unwrap_or_else(|| panic!("turn {t}, actor {k}: no option {logged:?}"))
        })
        .collect();
    assert_eq!(order.len(), queue.options.len(), "turn {t}, actor {k}");
    let pce: &QueuePce = &turn.pce[&k];
    let m = order.len();
    for (row, &a) in order.iter().enumerate() {
        assert_eq!(
            fixed(queue.probability[a], 4),
            pce.probability[row],
            "turn {t}, actor {k}"
        );
        for (col, &b) in order.iter().enumerate() {
            let mine = fixed(queue.victory[a * m + b], 4);
            assert_eq!(
                mine, pce.victory[row][col],
                "turn {t}, actor {k}, ({row}, {col})"
            );
        }
    }
    let chosen = partners(queue.options[queue.chosen]);
    assert_eq!(
        chosen, turn.ids[&pce.chosen],
        "turn {t}: actor {k}'s choice"
    );
}

fn check_state(t: usize, reference: &Reference, positions: &[f64], log: &Log) {
    let input = SpatialInput {
        position: positions,
        ..reference.input()
    };
    let (n, d) = (log.actors, log.dimensions);
    let state = Assessed::new(SpatialConfig::default(), input, n, d).expect("assessed");
    let logged = &log.states[t];
    let risk: Vec<String> = state.risk.iter().map(|r| signed(*r, 3)).collect();
    assert_eq!(risk, logged.risk, "state {t}: risk attitudes");
    for h in 0..n {
        for i in 0..n {
            let row: Vec<String> = (0..n).map(|j| signed(state.util(h, i, j), 4)).collect();
            assert_eq!(
                row, logged.estimates[h][i],
                "state {t}: estimate by {h}, row {i}"
            );
        }
    }
    let assessment = assess(&SpatialConfig::default(), input).expect("assessed");
    for i in 0..n {
        let p = fixed(assessment.win_probability[i], 4);
        assert_eq!(
            p, log.history_probability[i][t],
            "state {t}: actor {i}'s win probability"
        );
        for k in 0..d {
            let x = fixed(100.0 * positions[i * d + k], 1);
            assert_eq!(
                x, log.history_positions[i][k][t],
                "state {t}: actor {i}, dimension {k}"
            );
        }
    }
}

#[test]
fn every_state_of_the_reference_log_is_reproduced() {
    let log = Log::read();
    let reference = Reference::load();
    let steps = reference.run();
    assert_eq!((log.actors, log.dimensions), (7, 3));
    assert_eq!(log.state_count, 11);
    assert_eq!(steps.len() + 1, log.state_count, "states of the run");
    assert_eq!(log.turns.len(), steps.len());
    assert_eq!(log.states.len(), log.state_count);
    // The reader found every logged block: 59 challenges with 4 estimates
    // and one bargain each, a PCE for each of the 7 queues of each step,
    // and the histories of 7 actors over 3 dimensions and 11 states.
    let count = |f: fn(&Turn) -> usize| log.turns.iter().map(f).sum::<usize>();
    assert_eq!(count(|t| t.targets.len()), 59);
    assert_eq!(count(|t| t.estimates.len()), 4 * 59);
    assert_eq!(count(|t| t.bargains.len()), 59);
    assert_eq!(count(|t| t.no_target.len()), 70 - 59);
    assert_eq!(
        count(|t| t.pce.values().filter(|p| !p.probability.is_empty()).count()),
        70
    );
    assert!(
        log.states
            .iter()
            .all(|s| s.risk.len() == 7 && s.estimates.len() == 7)
    );
    let history = log.history_positions.iter().flatten();
    assert_eq!(history.filter(|row| row.len() == 11).count(), 21);
    assert!(log.history_probability.iter().all(|row| row.len() == 11));

    let d = log.dimensions;
    let mut positions = reference.position.clone();
    let mut first = 0.0;
    for (t, (step, turn)) in steps.iter().zip(&log.turns).enumerate() {
        check_state(t, &reference, &positions, &log);
        let risk: Vec<String> = step.assessment.risk.iter().map(|r| signed(*r, 3)).collect();
        assert_eq!(
            risk, log.states[t].risk,
            "turn {t}: the step's own assessment"
        );
        check_challenges(t, step, turn);
        check_bargains(t, step, turn);
        for k in 0..log.actors {
            check_queue(t, k, step, turn);
        }
        for (i, logged) in &turn.next_positions {
            let mine: Vec<String> = step.positions[i * d..(i + 1) * d]
                .iter()
                .map(|x| fixed(x * 100.0, 4))
                .collect();
            assert_eq!(&mine, logged, "state {}: actor {i}'s position", t + 1);
        }
        assert_eq!(turn.next_positions.len(), log.actors);
        if t == 0 {
            first = step.movement + super::MIN_SIGNIFICANT_MOVE;
        }
        assert_eq!(c_exp(step.movement), turn.distance, "turn {t}: movement");
        assert_eq!(
            fixed(step.movement / first, 4),
            turn.ratio,
            "turn {t}: ratio to the first"
        );
        positions = step.positions.clone();
    }
    check_state(steps.len(), &reference, &positions, &log);
}
