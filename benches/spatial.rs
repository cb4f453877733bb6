//! One full run of KTAB's spatial model on 50 actors × 3 issues, one core:
//! the kernel's `run` (default options, KTAB's stop: at most 100 steps, 2%)
//! on the generated scenario converted as the engine's model converts it,
//! and the same run through the engine. Steps taken, time per run and per
//! step, a step's ratio to one expected-utility round on the same state, and
//! time per step for 10–100 actors with the fitted exponent. Target: < 1 s.
//!
//! cargo bench --bench spatial

mod common;

use std::time::{Duration, Instant};

use entente_core::mechanism::Context;
use entente_core::model::spatial::{self, SpatialConfig, SpatialInput, SpatialModel};
use entente_core::model::{ExpectedUtility, Model};
use entente_core::scenario::{ModelKind, StopRule};
use entente_core::{Event, Run, RunConfig, Scenario, State};

/// The generated scenario under the spatial model with KTAB's stop, and its
/// state once round 0 has closed (the opening range fixed, as in a run).
fn opened(actors: usize, issues: usize) -> (Scenario, State) {
    let mut scenario = common::generated(actors, issues, 100);
    scenario.model.kind = ModelKind::Spatial;
    scenario.model.stop = Some(StopRule {
        relative: Some(spatial::QUIET_RATIO),
        ..StopRule::default()
    });
    let state = common::opened(&scenario);
    (scenario, state)
}

/// The kernel's input for `state`, converted as the engine's model does:
/// actors in listing order, positions / 100, each actor's saliences /
/// max(1, their sum).
struct Converted {
    capability: Vec<f64>,
    position: Vec<f64>,
    salience: Vec<f64>,
}

impl Converted {
    fn new(state: &State) -> Converted {
        let d = state.issues().len();
        let mut converted = Converted {
            capability: Vec::new(),
            position: Vec::new(),
            salience: Vec::new(),
        };
        for a in 0..state.actors().len() {
            let held: Vec<_> = (0..d)
                .map(|k| state.held(k, a).expect("a stance on every issue"))
                .collect();
            let total: f64 = held.iter().map(|h| h.salience).sum();
            converted.capability.push(state.capability(a));
            converted
                .position
                .extend(held.iter().map(|h| (h.position / 100.0).clamp(0.0, 1.0)));
            converted
                .salience
                .extend(held.iter().map(|h| h.salience / total.max(1.0)));
        }
        converted
    }

    fn input(&self) -> SpatialInput<'_> {
        SpatialInput {
            capability: &self.capability,
            position: &self.position,
            salience: &self.salience,
        }
    }
}

/// What a run through the engine did: spatial steps (rounds in which the
/// model assessed the state) and how and when bargaining ended, if it did.
fn engine_run(scenario: &Scenario) -> (usize, Option<&'static str>, u32) {
    let config = RunConfig {
        rounds: Some(spatial::MAX_ITERATIONS as u32),
        ..RunConfig::default()
    };
    let mut stepped = Vec::new();
    let mut end = None;
    for envelope in Run::new(scenario, config).expect("a valid scenario") {
        let envelope = envelope.expect("no refusal");
        match envelope.event {
            Event::StateAssessed(_) if stepped.last() != Some(&envelope.round) => {
                stepped.push(envelope.round);
            }
            Event::BargainingConverged(_) => end = Some(("converged", envelope.round)),
            Event::BargainingCycled(_) => end = Some(("cycled", envelope.round)),
            _ => {}
        }
    }
    (stepped.len(), end.map(|e| e.0), end.map_or(0, |e| e.1))
}

/// The kernel's run driven step by step (as `run` does): the fastest and
/// slowest step, and the fewest and most bargains proposed in a step.
fn step_by_step(
    config: &SpatialConfig,
    converted: &Converted,
) -> (Duration, Duration, (usize, usize)) {
    let mut position = converted.position.clone();
    let mut movements = Vec::new();
    let (mut fastest, mut slowest) = (Duration::MAX, Duration::ZERO);
    let mut bargains = (usize::MAX, 0);
    while !spatial::should_stop(&movements, spatial::MAX_ITERATIONS) {
        let input = SpatialInput {
            position: &position,
            ..converted.input()
        };
        let start = Instant::now();
        let next = spatial::step(config, input).expect("a step");
        let took = start.elapsed();
        fastest = fastest.min(took);
        slowest = slowest.max(took);
        bargains = (
            bargains.0.min(next.bargains.len()),
            bargains.1.max(next.bargains.len()),
        );
        movements.push(next.movement);
        position = next.positions;
    }
    (fastest, slowest, bargains)
}

fn main() {
    let config = SpatialConfig::default();
    let (scenario, state) = opened(50, 3);
    let converted = Converted::new(&state);

    println!("spatial model (KTAB SMP), 50 actors × 3 issues, default options, one core");
    let steps =
        spatial::run(&config, converted.input(), spatial::MAX_ITERATIONS).expect("the kernel runs");
    let iterations = steps.len();
    let first = steps.first().map_or(0.0, |s| s.movement);
    let last = steps.last().map_or(0.0, |s| s.movement);
    println!(
        "kernel run: {iterations} steps (movement {first:.4} in step 1, {last:.5} in the last)"
    );
    let kernel = common::median(21, || {
        std::hint::black_box(
            spatial::run(&config, converted.input(), spatial::MAX_ITERATIONS)
                .expect("the kernel runs"),
        );
    });
    let per_step = kernel / iterations.max(1) as u32;
    println!(
        "  {:>10.1} ms per run   {:>8.2} ms per step",
        common::ms(kernel),
        common::ms(per_step)
    );

    let (fastest, slowest, bargains) = step_by_step(&config, &converted);
    println!(
        "  steps one by one: {:.2} to {:.2} ms, {} to {} bargains a step",
        common::ms(fastest),
        common::ms(slowest),
        bargains.0,
        bargains.1
    );

    let (engine_steps, end, end_round) = engine_run(&scenario);
    println!(
        "engine run (100 rounds, stop relative 0.02): {engine_steps} spatial steps, bargaining {} in round {end_round}",
        end.unwrap_or("never ended")
    );
    let engine = common::median(21, || {
        std::hint::black_box(engine_run(&scenario));
    });
    println!(
        "  {:>10.1} ms per run   {:>8.2} ms per step",
        common::ms(engine),
        common::ms(engine / engine_steps.max(1) as u32)
    );

    let ctx = Context::new(&scenario, &state, 1, 0, "spatial");
    let model = SpatialModel::default();
    let one_step = common::median(31, || {
        std::hint::black_box(model.decide(&ctx));
    });
    let eu_ctx = Context::new(&scenario, &state, 1, 0, "expected-utility");
    let eu = ExpectedUtility::default();
    let eu_round = common::median(51, || {
        std::hint::black_box(eu.decide(&eu_ctx));
    });
    println!(
        "first step through the model: {:.2} ms; one expected-utility round on the same state: {:.3} ms",
        common::ms(one_step),
        common::ms(eu_round)
    );
    println!(
        "one spatial step = {:.1}× one expected-utility round ({:.1}× by the run's mean step)",
        ratio(one_step, eu_round),
        ratio(per_step, eu_round)
    );
    let worst = kernel.max(engine);
    println!(
        "a 50 × 3 spatial run under 1 s: {} ({:.1} ms, the slower of kernel and engine)",
        if worst < Duration::from_secs(1) {
            "met"
        } else {
            "MISSED"
        },
        common::ms(worst)
    );

    println!();
    println!("one step, 3 issues, on the opening state (median)");
    println!("{:>7} {:>12} {:>12}", "actors", "ms/step", "× 10 actors");
    let mut points = Vec::new();
    let mut base = None;
    for n in [10usize, 25, 50, 100] {
        let (_, state) = opened(n, 3);
        let converted = Converted::new(&state);
        let runs = if n <= 50 { 31 } else { 15 };
        let t = common::median(runs, || {
            std::hint::black_box(spatial::step(&config, converted.input()).expect("a step"));
        });
        let base = *base.get_or_insert(t);
        println!("{n:>7} {:>12.3} {:>12.1}", common::ms(t), ratio(t, base));
        points.push(((n as f64).ln(), t.as_secs_f64().ln()));
    }
    println!(
        "fitted growth exponent: time ∝ actors^{:.2} (documented O(n³ + n²d))",
        common::fitted_slope(&points)
    );
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
