//! What every benchmark shares: timing by medians, and generated inputs.

#![allow(dead_code)]

use std::time::{Duration, Instant};

/// The allocator the `entente` binary uses, so benchmarks time what it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use entente_core::scenario::{
    Actor, ActorKind, AgreementRule, ForecastKind, Issue, ModelConfig, ModelKind, Stance,
};
use entente_core::{Run, RunConfig, Scenario, State};

/// The median of `runs` timings of `f`, after one warm-up call.
pub(crate) fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The state of `scenario` once round 0 has closed (the opening range
/// fixed, as in a run): what a model's first round starts from.
pub(crate) fn opened(scenario: &Scenario) -> State {
    let mut state = State::new(scenario);
    let close = Run::new(scenario, RunConfig::default())
        .expect("a valid scenario")
        .next()
        .expect("round 0 closes")
        .expect("no refusal");
    state.apply(&close.event);
    state
}

/// A scenario of `actors` actors and `issues` issues with positions and
/// saliences spread by a fixed rule (no randomness, so every run of the
/// benchmark plays the same scenario), under the expected-utility model.
pub(crate) fn generated(actors: usize, issues: usize, rounds: u32) -> Scenario {
    let actor_id = |a: usize| format!("A{a:03}");
    let issue_id = |i: usize| format!("issue_{i}");
    let spread = |a: usize, i: usize, m: usize| ((a * 37 + i * 11) % m) as f64;
    let start = "2015-12-07".parse().expect("a date");
    Scenario {
        actors: (0..actors)
            .map(|a| Actor {
                id: actor_id(a),
                name: format!("Actor {a}"),
                kind: ActorKind::State,
                capability: 1.0 + spread(a, 0, 97),
                speaks_for: Vec::new(),
                capability_uncertainty: 0.0,
                basis: "generated".to_owned(),
            })
            .collect(),
        issues: (0..issues)
            .map(|i| Issue {
                id: issue_id(i),
                question: "?".to_owned(),
                low: "low".to_owned(),
                high: "high".to_owned(),
                principals: vec![actor_id(0), actor_id(1)],
                high_means: None,
                brokers: Vec::new(),
                must_act: Vec::new(),
            })
            .collect(),
        stances: (0..issues)
            .flat_map(|i| {
                (0..actors).map(move |a| Stance {
                    actor: actor_id(a),
                    issue: issue_id(i),
                    position: spread(a, i, 100) + (a as f64 * 0.618_033_988).fract(),
                    salience: 0.1 + 0.9 * (spread(a, i + 3, 10) / 9.0),
                    uncertainty: 0.0,
                    salience_uncertainty: 0.0,
                    basis: "generated".to_owned(),
                })
            })
            .collect(),
        model: ModelConfig {
            kind: ModelKind::ExpectedUtility,
            ..ModelConfig::default()
        },
        agreement: AgreementRule {
            tolerance: 0.0,
            forecast: ForecastKind::Mean,
            implementation: None,
            basis: None,
        },
        ..Scenario::empty(
            &format!("generated-{actors}x{issues}"),
            &format!("{actors} actors, {issues} issues"),
            start,
            rounds,
        )
    }
}

/// Peak resident memory of this process so far, from /proc/self/status.
pub(crate) fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Prints a ratio a benchmark is judged by, its target (an upper bound)
/// and whether it is met.
pub(crate) fn target(name: &str, ratio: f64, at_most: f64) {
    let verdict = if ratio <= at_most { "met" } else { "MISSED" };
    println!("{name}: {ratio:.2}× (target ≤ {at_most:.2}×: {verdict})");
}

/// Prints a ratio a benchmark is judged by against a lower bound.
pub(crate) fn target_at_least(name: &str, ratio: f64, at_least: f64) {
    let verdict = if ratio >= at_least { "met" } else { "MISSED" };
    println!("{name}: {ratio:.2} (target ≥ {at_least:.2}: {verdict})");
}

/// The least-squares slope of `points` (x, y): on logarithms, the growth
/// exponent.
pub(crate) fn fitted_slope(points: &[(f64, f64)]) -> f64 {
    let k = points.len() as f64;
    let (sx, sy) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), p| (a + p.0, b + p.1));
    let (mx, my) = (sx / k, sy / k);
    points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>()
        / points.iter().map(|p| (p.0 - mx).powi(2)).sum::<f64>()
}

/// `d` in milliseconds.
pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The Moscow scenario with every striker making `strikes` strikes a round:
/// long logs with a realistic mix of events.
pub(crate) fn moscow_with_strikes(strikes: u32, rounds: u32) -> Scenario {
    let mut s: Scenario =
        serde_json::from_str(include_str!("../../scenarios/moscow-2015-12-15.json"))
            .expect("the Moscow scenario");
    for st in &mut s.strikes {
        st.per_round = strikes;
    }
    s.rounds = rounds;
    s
}

/// The Moscow scenario as shipped.
pub(crate) fn moscow() -> Scenario {
    moscow_with_strikes(1, 26)
}

/// The EC car-emissions table as shipped.
pub(crate) fn ec() -> Scenario {
    serde_json::from_str(include_str!("../../scenarios/ec-car-emissions.json"))
        .expect("the EC scenario")
}

/// Writes the log of `scenario` with seed 1 to `path`, without fsync.
pub(crate) fn write_log(scenario: &Scenario, path: &std::path::Path) -> u64 {
    let output = entente_runner::simulate::Output {
        path: path.to_owned(),
        durability: entente_runner::logfile::Durability::Never,
        replace: true,
    };
    let config = entente_core::RunConfig {
        seed: 1,
        ..entente_core::RunConfig::default()
    };
    entente_runner::simulate::run_to_file(scenario, config, Vec::new(), &output)
        .expect("the run writes its log")
        .events
}
