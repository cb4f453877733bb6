//! A sweep of 4,000 seeds of the Moscow scenario with one worker thread and
//! with two, and the same seeds played bare (each run's events made and
//! dropped, nothing kept) on one thread. Targets: parallel efficiency
//! (runs/s with two jobs ÷ 2 × runs/s with one) ≥ 0.9 on two cores, and the
//! sweep's own cost per run (outcomes, strike counts, aggregates) ≤ 10% of
//! a bare run: sweep with one job ÷ bare ≤ 1.10.
//!
//! cargo bench --bench sweep

mod common;

use std::time::Instant;

use entente_core::{Prepared, RunConfig};
use entente_runner::sweep::{self, Plan};

/// Plays every seed without keeping anything: the baseline of a sweep's
/// per-run cost.
fn bare(seeds: std::ops::Range<u64>) {
    bare_on(seeds, 1);
}

/// The same, split between `threads` threads that share nothing: the most
/// this machine's cores give this work, whatever a sweep does.
fn bare_on(seeds: std::ops::Range<u64>, threads: u64) {
    let n = seeds.end - seeds.start;
    std::thread::scope(|scope| {
        for t in 0..threads {
            let part = seeds.start + n * t / threads..seeds.start + n * (t + 1) / threads;
            scope.spawn(move || bare_part(part));
        }
    });
}

fn bare_part(seeds: std::ops::Range<u64>) {
    let scenario = common::moscow();
    // Checked once, as a sweep checks it.
    let prepared = Prepared::new(&scenario).expect("a valid scenario");
    for seed in seeds {
        let config = RunConfig {
            seed,
            ..RunConfig::default()
        };
        for event in prepared.run(config).expect("a valid scenario") {
            std::hint::black_box(event.expect("no refusal"));
        }
    }
}

fn main() {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let seeds = 0..4_000u64;
    let plan = |jobs: usize| Plan::quiet(vec![common::moscow()], seeds.clone(), jobs);
    // One and two workers in turn, five times: the median of the paired
    // ratios holds when the machine's speed drifts.
    let mut outputs = Vec::new();
    let mut times = [Vec::new(), Vec::new()];
    let mut bare_times = Vec::new();
    let mut ceiling_times = Vec::new();
    for _ in 0..5 {
        for (k, jobs) in [1, 2].into_iter().enumerate() {
            let start = Instant::now();
            outputs.push(sweep::sweep(&plan(jobs)).expect("the sweep runs"));
            times[k].push(start.elapsed());
        }
        let start = Instant::now();
        bare(seeds.clone());
        bare_times.push(start.elapsed());
        let start = Instant::now();
        bare_on(seeds.clone(), 2);
        ceiling_times.push(start.elapsed());
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "the sweep depends on --jobs"
    );
    // Medians of the paired ratios hold when the machine's speed drifts.
    let paired = |a: &[std::time::Duration], b: &[std::time::Duration]| {
        let mut r: Vec<f64> = a
            .iter()
            .zip(b)
            .map(|(x, y)| x.as_secs_f64() / y.as_secs_f64())
            .collect();
        r.sort_by(f64::total_cmp);
        r[r.len() / 2]
    };
    let speedup = paired(&times[0], &times[1]);
    let overhead = paired(&times[0], &bare_times);
    let ceiling = paired(&bare_times, &ceiling_times);
    let median = |v: &[std::time::Duration]| {
        let mut v = v.to_vec();
        v.sort();
        v[v.len() / 2]
    };
    let n = (seeds.end - seeds.start) as f64;
    println!(
        "sweep of {n} seeds, moscow-2015-12-15, {cores} cores, medians of 5 alternating rounds"
    );
    for (name, t) in [
        ("bare runs, one thread", median(&bare_times)),
        ("bare runs, two threads", median(&ceiling_times)),
        ("sweep --jobs 1", median(&times[0])),
        ("sweep --jobs 2", median(&times[1])),
    ] {
        println!(
            "  {name:<22} {:>7.2} s  {:>7.0} runs/s",
            t.as_secs_f64(),
            n / t.as_secs_f64()
        );
    }
    if cores < 2 {
        println!("parallel efficiency: not measurable on one core");
    } else {
        common::target_at_least("parallel efficiency (2 jobs)", speedup / 2.0, 0.9);
        println!(
            "  the machine's own: bare runs on two threads sharing nothing reach {:.2}; the sweep reaches {:.2} of that",
            ceiling / 2.0,
            speedup / ceiling
        );
    }
    common::target("sweep --jobs 1 / bare runs", overhead, 1.10);
}
