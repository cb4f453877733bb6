//! The expected-utility round against the number of actors.
//!
//! One round of the model on 5 issues with 10, 40, 80, 160 and 250 actors:
//! time per round, its ratio to the 10-actor round, and the growth exponent
//! fitted by least squares on log(time) against log(actors). The probability
//! normaliser is computed once per round and issue in O(n² log n), and so
//! are the pairwise votes (prefix sums over the sorted voters). Target: 250 actors × 5 issues, one round,
//! under 100 ms.
//!
//! cargo bench --bench eum

mod common;

use entente_core::mechanism::Context;
use entente_core::model::{ExpectedUtility, Model};

fn main() {
    let sizes = [10usize, 40, 80, 160, 250];
    let mut points = Vec::new();
    println!("expected-utility round, 5 issues (median of repeated rounds, one core)");
    println!("{:>7} {:>12} {:>12}", "actors", "ms/round", "× 10 actors");
    let mut base = None;
    for &n in &sizes {
        let scenario = common::generated(n, 5, 1);
        let state = common::opened(&scenario);
        let model = ExpectedUtility::default();
        let runs = if n <= 80 { 30 } else { 7 };
        let t = common::median(runs, || {
            let ctx = Context::new(&scenario, &state, 1, 0, "expected-utility");
            std::hint::black_box(model.decide(&ctx));
        });
        let base = *base.get_or_insert(t);
        println!(
            "{n:>7} {:>12.3} {:>12.1}",
            common::ms(t),
            t.as_secs_f64() / base.as_secs_f64()
        );
        points.push(((n as f64).ln(), t.as_secs_f64().ln()));
    }
    let slope = common::fitted_slope(&points);
    let last = points.last().map_or(0.0, |p| p.1.exp() * 1e3);
    println!("fitted growth exponent: time ∝ actors^{slope:.2}");
    println!(
        "250 actors × 5 issues: {last:.1} ms per round (target < 100 ms: {})",
        if last < 100.0 { "met" } else { "MISSED" }
    );
}
