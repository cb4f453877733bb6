//! Against the reference implementations: the time of one run inside a
//! sweep (one worker, 2,000 seeds) for the inputs each reference program
//! ships with, next to that program's own time on the same machine.
//!
//! - The EC car-emissions table (10 actors, 10 rounds) under the `scholz`
//!   variants, the inputs of the Python port of Scholz, Calbert and Smith's
//!   code (jmckib/bdm-scholz-expected-utility-model). That program is run by
//!   hand, not here (the README's Performance section gives the command);
//!   pass its wall time as `ENTENTE_SCHOLZ_PYTHON_SECONDS` to print the
//!   ratio, or the bench states the time measured when the README was
//!   written.
//! - KTAB's `dummyData_3Dim.csv` (scenarios/ktab-dummy-3dim.json) under the
//!   spatial model. KTAB's C++ program is not built here, so no ratio is
//!   printed for it; Entente's time is.
//!
//! cargo bench --bench reference

mod common;

use std::time::Instant;

use entente_core::Scenario;
use entente_runner::sweep::{self, Plan};

/// Wall seconds of `python3 bdm_scholz_model.py ExampleActors.csv 10` on
/// the machine the README's numbers come from (farm-bench median of 5,
/// 2026-11-29; the README has the command).
const SCHOLZ_PYTHON_SECONDS: f64 = 3.09;

const SEEDS: u64 = 2_000;

/// Seconds per run of `scenario` inside a one-worker sweep (median of 3).
fn per_run(scenario: &Scenario) -> f64 {
    let plan = Plan::quiet(vec![scenario.clone()], 0..SEEDS, 1);
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(sweep::sweep(&plan).expect("the sweep runs"));
            start.elapsed().as_secs_f64() / SEEDS as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[1]
}

fn main() {
    let python = std::env::var("ENTENTE_SCHOLZ_PYTHON_SECONDS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .unwrap_or(SCHOLZ_PYTHON_SECONDS);
    let ec = per_run(&common::ec());
    println!(
        "EC table, 10 actors × 10 rounds (scholz variants): {:.1} µs a run in a sweep of {SEEDS} seeds, one core",
        ec * 1e6
    );
    println!(
        "  the Python reference program: {python:.2} s a run; Entente / Python: {:.6}× ({:.0} times faster)",
        ec / python,
        python / ec
    );
    let ktab: Scenario = serde_json::from_str(include_str!("../scenarios/ktab-dummy-3dim.json"))
        .expect("the KTAB scenario");
    let spatial = per_run(&ktab);
    println!(
        "KTAB dummyData_3Dim ({} actors × {} issues, spatial model): {:.1} µs a run in a sweep, one core (KTAB's own program not built here: no ratio)",
        ktab.actors.len(),
        ktab.issues.len(),
        spatial * 1e6
    );
}
