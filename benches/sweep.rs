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
    // One and two workers in turn, five times: the median of the paired
    // ratios holds when the machine's speed drifts.
    let mut outputs = Vec::new();
    let mut times = [Vec::new(), Vec::new()];
    for _ in 0..5 {
        for (k, jobs) in [1, 2].into_iter().enumerate() {
            let start = Instant::now();
            outputs.push(sweep::sweep(&plan(jobs)).expect("the sweep runs"));
            times[k].push(start.elapsed());
        }
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "the sweep depends on --jobs"
    );
    let mut ratios: Vec<f64> = times[0]
        .iter()
        .zip(&times[1])
        .map(|(one, two)| one.as_secs_f64() / two.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let speedup = ratios[2];
    let median = |v: &[std::time::Duration]| {
        let mut v = v.to_vec();
        v.sort();
        v[2]
    };
    let times = [median(&times[0]), median(&times[1])];
    println!(
        "sweep of {} seeds, moscow-2015-12-15, {cores} cores, medians of 5 alternating pairs",
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
        "  speedup: {speedup:.2}× (median of the paired ratios {}) (target ≥ 1.8× on two cores: {})",
        ratios
            .iter()
            .map(|r| format!("{r:.2}"))
            .collect::<Vec<_>>()
            .join(", "),
        if cores < 2 {
            "not measurable on one core"
        } else if speedup >= 1.8 {
            "met"
        } else {
            "MISSED"
        }
    );
}
