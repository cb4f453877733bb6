//! Runs per second per core, for the Moscow scenario and the EC table: the
//! simulation alone, and with its log encoded and hashed in memory (the
//! baseline the write path adds to).
//!
//! cargo bench --bench run

mod common;

use entente_core::{Run, RunConfig, Scenario};

fn simulate(scenario: &Scenario, seed: u64) -> u64 {
    let config = RunConfig {
        seed,
        ..RunConfig::default()
    };
    let run = Run::new(scenario, config).expect("a valid scenario");
    run.map(|e| e.expect("no refusal").seq).last().unwrap_or(0)
}

fn main() {
    println!(
        "{:<28} {:>12} {:>14} {:>10}",
        "scenario", "runs/s", "runs/s + log", "log cost"
    );
    for (name, scenario) in [
        ("moscow-2015-12-15", common::moscow()),
        ("ec-car-emissions", common::ec()),
    ] {
        let runs = 200u64;
        let mut seed = 0;
        let alone = common::median(5, || {
            for _ in 0..runs {
                seed += 1;
                std::hint::black_box(simulate(&scenario, seed));
            }
        });
        let logged = common::median(5, || {
            for _ in 0..runs {
                seed += 1;
                let config = RunConfig {
                    seed,
                    ..RunConfig::default()
                };
                std::hint::black_box(
                    entente_runner::simulate::run_to_bytes(&scenario, config).expect("a log"),
                );
            }
        });
        let rate = |d: std::time::Duration| runs as f64 / d.as_secs_f64();
        println!(
            "{name:<28} {:>12.0} {:>14.0} {:>9.2}×",
            rate(alone),
            rate(logged),
            logged.as_secs_f64() / alone.as_secs_f64()
        );
    }
    println!("(one core; \"runs/s + log\" encodes and hashes every line in memory)");
}
