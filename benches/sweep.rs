//! A sweep of 10,000 seeds of the Moscow scenario with one worker thread and
//! with two. Target: at least 1.8× faster with two, on two cores.
//!
//! cargo bench --bench sweep

mod common;

use std::time::Instant;

use entente_runner::sweep::{self, Plan};

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let seeds = 0..10_000u64;
    let plan = |jobs: usize| Plan {
        scenarios: vec![common::moscow()],
        seeds: seeds.clone(),
        rounds: None,
        shard: None,
        jobs,
        csv: None,
        progress: false,
    };
    let mut outputs = Vec::new();
    let mut times = Vec::new();
    for jobs in [1, 2] {
        let start = Instant::now();
        outputs.push(sweep::sweep(&plan(jobs)).expect("the sweep runs"));
        times.push(start.elapsed());
    }
    assert_eq!(outputs[0], outputs[1], "the sweep depends on --jobs");
    let speedup = times[0].as_secs_f64() / times[1].as_secs_f64();
    println!(
        "sweep of {} seeds, moscow-2015-12-15, {cores} cores",
        seeds.end - seeds.start
    );
    for (jobs, t) in [1, 2].iter().zip(&times) {
        println!(
            "  --jobs {jobs}: {:>7.2} s  {:>7.0} runs/s",
            t.as_secs_f64(),
            (seeds.end - seeds.start) as f64 / t.as_secs_f64()
        );
    }
    println!(
        "  speedup: {speedup:.2}× (target ≥ 1.8× on two cores: {})",
        if cores < 2 {
            "not measurable on one core"
        } else if speedup >= 1.8 {
            "met"
        } else {
            "MISSED"
        }
    );
}
