//! Cost curves: one round of each model on generated scenarios of 10, 20,
//! 50, 100 and 200 actors on 3 issues, time per round (median, one core),
//! and the growth exponent fitted by least squares on log(time) against
//! log(actors). Target: each fitted exponent within 0.3 of the one
//! docs/models.md states for the model's cost (listed below).
//!
//! cargo bench --bench cost

mod common;

use entente_core::mechanism::Context;
use entente_core::model;
use entente_core::scenario::ModelKind;

/// Each model with the exponent of n in the cost of a round that
/// docs/models.md states (3 issues, so the issues are a constant factor).
const MODELS: [(ModelKind, &str, f64); 4] = [
    (ModelKind::Compromise, "compromise", 1.0),
    (ModelKind::ExpectedUtility, "expected-utility", 2.0),
    (ModelKind::Spatial, "spatial", 3.0),
    (ModelKind::Exchange, "exchange", 3.0),
];

const SIZES: [usize; 5] = [10, 20, 50, 100, 200];

fn main() {
    println!("one round, 3 issues, median ms per round on one core");
    print!("{:<18}", "model");
    for n in SIZES {
        print!("{:>11}", format!("{n} actors"));
    }
    println!("{:>10}{:>10}", "fitted", "docs");
    let mut verdicts = Vec::new();
    for (kind, name, documented) in MODELS {
        print!("{name:<18}");
        let mut points = Vec::new();
        for n in SIZES {
            let mut scenario = common::generated(n, 3, 10);
            scenario.model.kind = kind;
            let state = common::opened(&scenario);
            let model = model::from_config(&scenario.model);
            let budget = std::time::Instant::now();
            let ctx = Context::new(&scenario, &state, 1, 0, model.decider());
            std::hint::black_box(model.decide(&ctx));
            // Enough repetitions for a stable median, in about a second.
            let once = budget.elapsed().as_secs_f64();
            let runs = ((1.0 / once.max(1e-6)) as usize).clamp(3, 201);
            let t = common::median(runs, || {
                let ctx = Context::new(&scenario, &state, 1, 0, model.decider());
                std::hint::black_box(model.decide(&ctx));
            });
            print!("{:>11.3}", common::ms(t));
            points.push(((n as f64).ln(), t.as_secs_f64().ln()));
        }
        let slope = common::fitted_slope(&points);
        println!("{slope:>10.2}{documented:>10.1}");
        verdicts.push((name, slope, documented));
    }
    for (name, slope, documented) in verdicts {
        let verdict = if (slope - documented).abs() <= 0.3 {
            "met"
        } else {
            "MISSED"
        };
        println!(
            "{name}: time ∝ n^{slope:.2}, docs/models.md says n^{documented:.0} (target within 0.3: {verdict})"
        );
    }
}
