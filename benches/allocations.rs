//! Allocations a sweep makes per event: a sweep of 1,000 seeds with one
//! job, under an allocator that counts every allocation and reallocation
//! (`stats_alloc`), divided by the events its runs
//! make (counted by playing the same seeds again). Target: at most one
//! allocation per event, for the Moscow scenario, the minimal Moscow
//! scenario and the EC table.
//!
//! cargo bench --bench allocations

use entente_core::{Run, RunConfig, Scenario};
use entente_runner::sweep::{self, Plan};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

/// The system allocator, counting what it is asked for (the count does not
/// depend on which allocator answers; the binary's is mimalloc).
#[global_allocator]
static ALLOCATOR: &StatsAlloc<std::alloc::System> = &INSTRUMENTED_SYSTEM;

fn scenario(file: &str) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    serde_json::from_slice(&std::fs::read(path).expect("the scenario")).expect("a scenario")
}

/// Events the runs of `seeds` make.
fn events(scenario: &Scenario, seeds: std::ops::Range<u64>) -> u64 {
    seeds
        .map(|seed| {
            let config = RunConfig {
                seed,
                ..RunConfig::default()
            };
            Run::new(scenario, config)
                .expect("a valid scenario")
                .map(|e| e.expect("no refusal").seq)
                .last()
                .unwrap_or(0)
        })
        .sum()
}

fn main() {
    let seeds = 0..1_000u64;
    println!(
        "{:<32} {:>10} {:>14} {:>12} {:>10}",
        "scenario", "events/run", "allocations", "per run", "per event"
    );
    for file in [
        "scenarios/moscow-2015-12-15.json",
        "scenarios/moscow-2015-12-15-minimal.json",
        "scenarios/ec-car-emissions.json",
    ] {
        let scenario = scenario(file);
        let events = events(&scenario, seeds.clone());
        let plan = Plan::quiet(vec![scenario.clone()], seeds.clone(), 1);
        let region = Region::new(ALLOCATOR);
        std::hint::black_box(sweep::sweep(&plan).expect("the sweep runs"));
        let change = region.change();
        let allocations = (change.allocations + change.reallocations) as u64;
        let runs = (seeds.end - seeds.start) as f64;
        let per_event = allocations as f64 / events as f64;
        println!(
            "{:<32} {:>10.0} {:>14} {:>12.0} {:>10.2}",
            scenario.id,
            events as f64 / runs,
            allocations,
            allocations as f64 / runs,
            per_event
        );
        let verdict = if per_event <= 1.0 { "met" } else { "MISSED" };
        println!(
            "{}: {per_event:.2} allocations per event (target ≤ 1: {verdict})",
            scenario.id
        );
    }
    println!("(a sweep with one job: every allocation of the sweep, whole, over its runs' events)");
}
