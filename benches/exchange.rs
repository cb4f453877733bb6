//! One round of Stokman's equal-gain exchange model on 30 actors × 6 issues,
//! one core: the engine's model (`decide`, default options) on the state
//! after round 0 and the kernel's `round` on the same input. Time per round,
//! candidate and realised exchanges, the ratio to one expected-utility round
//! on the same state, and time per round for 10–40 actors with the fitted
//! exponent. Target: under 100 ms, eum.rs's budget for one round.
//!
//! cargo bench --bench exchange

mod common;

use std::cmp::Ordering;
use std::time::Duration;

use entente_core::mechanism::Context;
use entente_core::model::exchange::{self, ExchangeConfig, ExchangeInput, ExchangeModel};
use entente_core::model::{ExpectedUtility, Model};
use entente_core::scenario::ModelKind;
use entente_core::{Event, Scenario, State};

/// The generated scenario under the exchange model, and its state once
/// round 0 has closed (the opening range fixed, as in a run).
fn opened(actors: usize, issues: usize) -> (Scenario, State) {
    let mut scenario = common::generated(actors, issues, 1);
    scenario.model.kind = ModelKind::Exchange;
    let state = common::opened(&scenario);
    (scenario, state)
}

/// The kernel's input for `state`, as the engine's model builds it: actors
/// ordered by position, salience, capability and listing; positions on the
/// 0–100 scale; every stance of the generated scenario held.
struct Converted {
    capability: Vec<f64>,
    position: Vec<f64>,
    salience: Vec<f64>,
    present: Vec<bool>,
}

impl Converted {
    fn new(state: &State) -> Converted {
        let m = state.issues().len();
        let row = |a: usize, f: fn(entente_core::state::Held) -> f64| -> Vec<f64> {
            (0..m)
                .map(|p| f(state.held(p, a).expect("a stance on every issue")))
                .collect()
        };
        let cmp = |u: &[f64], v: &[f64]| {
            u.iter()
                .zip(v)
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        };
        let mut order: Vec<usize> = (0..state.actors().len()).collect();
        order.sort_by(|&a, &b| {
            cmp(&row(a, |h| h.position), &row(b, |h| h.position))
                .then_with(|| cmp(&row(a, |h| h.salience), &row(b, |h| h.salience)))
                .then(state.capability(a).total_cmp(&state.capability(b)))
                .then(a.cmp(&b))
        });
        Converted {
            capability: order.iter().map(|&a| state.capability(a)).collect(),
            position: order.iter().flat_map(|&a| row(a, |h| h.position)).collect(),
            salience: order.iter().flat_map(|&a| row(a, |h| h.salience)).collect(),
            present: vec![true; order.len() * m],
        }
    }

    fn input(&self) -> ExchangeInput<'_> {
        ExchangeInput::new(
            &self.capability,
            &self.position,
            &self.salience,
            &self.present,
        )
        .expect("a valid input")
    }
}

/// One kernel round; ties go to the leader (the engine draws them from the
/// run's stream).
fn kernel_round(config: &ExchangeConfig, converted: &Converted) -> exchange::ExchangeRound {
    exchange::round(config, &converted.input(), &mut |_| 0)
}

fn main() {
    let config = ExchangeConfig::default();
    let (scenario, state) = opened(30, 6);
    let converted = Converted::new(&state);

    println!(
        "exchange model (Stokman equal gain), 30 actors × 6 issues, default options, one core"
    );
    let model = ExchangeModel::default();
    let ctx = Context::new(&scenario, &state, 1, 0, "exchange-model");
    let events = model.decide(&ctx);
    let Some(Event::ExchangeRound(figures)) = events.first() else {
        panic!("the model reports its round first");
    };
    let moves = events
        .iter()
        .filter(|e| matches!(e, Event::PositionChanged(_)))
        .count();
    println!(
        "model round: {} candidate exchanges, {} realised, {} ties, {moves} position changes",
        figures.candidates, figures.realised, figures.ties
    );
    let through_model = common::median(51, || {
        std::hint::black_box(model.decide(&ctx));
    });
    println!("  {:>10.2} ms per round", common::ms(through_model));

    let played = kernel_round(&config, &converted);
    println!(
        "kernel round: {} candidate exchanges, {} realised, {} ties{}",
        played.candidates,
        played.realised.len(),
        played.ties,
        if played.cut_short { ", cut short" } else { "" }
    );
    let kernel = common::median(51, || {
        std::hint::black_box(kernel_round(&config, &converted));
    });
    println!("  {:>10.2} ms per round", common::ms(kernel));

    let eu_ctx = Context::new(&scenario, &state, 1, 0, "expected-utility");
    let eu = ExpectedUtility::default();
    let eu_round = common::median(51, || {
        std::hint::black_box(eu.decide(&eu_ctx));
    });
    println!(
        "one expected-utility round on the same state: {:.3} ms",
        common::ms(eu_round)
    );
    println!(
        "one exchange round = {:.1}× one expected-utility round (kernel {:.1}×)",
        ratio(through_model, eu_round),
        ratio(kernel, eu_round)
    );
    let worst = through_model.max(kernel);
    println!(
        "a 30 × 6 exchange round under 100 ms: {} ({:.1} ms, the slower of model and kernel)",
        if worst < Duration::from_millis(100) {
            "met"
        } else {
            "MISSED"
        },
        common::ms(worst)
    );

    println!();
    println!("one kernel round, 6 issues, on the opening state (median)");
    println!(
        "{:>7} {:>11} {:>9} {:>12} {:>12}",
        "actors", "candidates", "realised", "ms/round", "× 10 actors"
    );
    let mut points = Vec::new();
    let mut base = None;
    for n in [10usize, 20, 30, 40] {
        let (_, state) = opened(n, 6);
        let converted = Converted::new(&state);
        let played = kernel_round(&config, &converted);
        let runs = if n <= 20 { 51 } else { 21 };
        let t = common::median(runs, || {
            std::hint::black_box(kernel_round(&config, &converted));
        });
        let base = *base.get_or_insert(t);
        println!(
            "{n:>7} {:>11} {:>9} {:>12.3} {:>12.1}",
            played.candidates,
            played.realised.len(),
            common::ms(t),
            ratio(t, base)
        );
        points.push(((n as f64).ln(), t.as_secs_f64().ln()));
    }
    println!(
        "fitted growth exponent: time ∝ actors^{:.2}",
        common::fitted_slope(&points)
    );
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}
