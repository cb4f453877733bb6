//! docs/models.md's measured tables, and docs/sweeps.md's account of how
//! bargaining ends, are what the engine measures: each shipped crisis
//! scenario under each model and variant, swept over the same seeds.
//! `ENTENTE_RECORD_DOCS=1 cargo test --release --test integration
//! models_doc` re-measures them and rewrites both.

use std::fs;
use std::ops::Range;

use serde_json::Value;

use entente_core::Scenario;
use entente_core::laws::{Law, Suite};
use entente_core::scenario::ModelConfig;
use entente_runner::laws::{contradictions, principals};
use entente_runner::score::ModelChoice;
use entente_runner::sweep::{self, Plan, SweepOutput};

use crate::util::root;

const SEEDS: Range<u64> = 0..1000;
const CAPABILITY_SEEDS: Range<u64> = 0..200;
const MOVEMENT_SEEDS: Range<u64> = 0..20;

/// The models and variants the tables compare, by the name they show: the
/// choices `entente score --model` offers, and Scholz's code without its
/// stop rule.
fn models() -> Vec<(&'static str, ModelConfig)> {
    let config = |m: ModelChoice| m.config().expect("a model");
    vec![
        ("compromise (λ 0.2)", config(ModelChoice::Compromise)),
        (
            "expected-utility (published)",
            config(ModelChoice::ExpectedUtility),
        ),
        ("expected-utility (scholz)", config(ModelChoice::Scholz)),
        (
            "expected-utility (scholz, no stop)",
            ModelConfig {
                stop: None,
                ..config(ModelChoice::Scholz)
            },
        ),
        ("spatial (KTAB)", config(ModelChoice::Spatial)),
        ("exchange (Stokman)", config(ModelChoice::Exchange)),
    ]
}

fn load(file: &str) -> Scenario {
    let text = fs::read_to_string(root().join("scenarios").join(file)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn sweep(scenario: &Scenario, seeds: Range<u64>) -> SweepOutput {
    sweep::sweep(&Plan {
        scenarios: vec![scenario.clone()],
        seeds,
        rounds: None,
        shard: None,
        jobs: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        csv: None,
        out: None,
        progress: false,
    })
    .unwrap()
}

fn probability(output: &SweepOutput, key: &str) -> Option<f64> {
    output.variants[0]
        .outcomes
        .iter()
        .find(|o| o.outcome == key)
        .map(|o| o.probability)
}

/// The Brier score of a sweep against a history file whose propositions
/// all fall due on the run's last day (what `entente score` will do in
/// general), with the number of propositions.
fn brier(output: &SweepOutput, scenario: &Scenario, history: &str) -> (f64, usize) {
    let text = fs::read_to_string(root().join("scenarios").join(history)).unwrap();
    let history: Value = serde_json::from_str(&text).unwrap();
    let last = scenario.round_last_day(scenario.rounds).to_string();
    let props = history["propositions"].as_array().unwrap();
    let mut sum = 0.0;
    for p in props {
        assert_eq!(
            p["by"],
            last.as_str(),
            "{history}: every date is the last day"
        );
        let key = p["outcome"].as_str().unwrap();
        let forecast = probability(output, key).unwrap_or_else(|| panic!("no outcome {key}"));
        let happened = if p["happened"].as_bool().unwrap() {
            1.0
        } else {
            0.0
        };
        sum += (forecast - happened) * (forecast - happened);
    }
    (sum / props.len() as f64, props.len())
}

/// A probability; "n/a" for an outcome the scenario cannot have (how
/// bargaining ended, without a stop rule).
fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "n/a".to_owned(), |p| format!("{:.1}%", 100.0 * p))
}

/// One row per model of `file`: how bargaining ended, the Brier score
/// against its history, and the laws measured on it.
fn laws_table(file: &str, history: &str, sweeps: &[SweepOutput]) -> String {
    let base = load(file);
    let mut out = String::from(
        "| model | converged | cycled | still moving | Brier (no skill 0.250) | movement | capability across a sweep |\n|---|---:|---:|---:|---:|---|---|\n",
    );
    for ((name, model), output) in models().into_iter().zip(sweeps) {
        let s = Scenario {
            model: model.clone(),
            ..base.clone()
        };
        let (score, n) = brier(output, &s, history);
        let suite = Suite::builtin();
        let movement = match (
            suite.exemption(Law::Movement, &s),
            suite.movement(&s, MOVEMENT_SEEDS),
        ) {
            (Some(_), _) => {
                match Suite::with_model(move |_| entente_core::model::from_config(&model))
                    .movement(&s, MOVEMENT_SEEDS)
                {
                    Ok(()) => "holds (exempt)".to_owned(),
                    Err(_) => "fails (exempt)".to_owned(),
                }
            }
            (None, Ok(())) => "holds".to_owned(),
            (None, Err(_)) => "fails".to_owned(),
        };
        let found = contradictions(&s, &principals(&s), CAPABILITY_SEEDS, 2).unwrap();
        let capability = match found.first() {
            None => "holds".to_owned(),
            Some(c) => format!(
                "{} contradiction(s); e.g. {}×2 moves {} against its stance ({:+.1} points)",
                found.len(),
                c.actor,
                c.outcome,
                100.0 * (c.probabilities.1 - c.probabilities.0)
            ),
        };
        out.push_str(&format!(
            "| {name} | {} | {} | {} | {score:.3} ({n}) | {movement} | {capability} |\n",
            percent(probability(output, "bargaining:converged")),
            percent(probability(output, "bargaining:cycled")),
            percent(probability(output, "bargaining:moving")),
        ));
    }
    out
}

/// The Moscow scenario's main outcomes under each model.
fn moscow_outcomes(sweeps: &[SweepOutput]) -> String {
    let keys = [
        ("ceasefire agreed: Syria", "ceasefire_agreed:syria"),
        ("ceasefire collapsed: Syria", "ceasefire_collapsed:syria"),
        ("agreement on Assad's role", "agreement:assad_role"),
        (
            "EU sectoral sanctions lifted",
            "sanctions_lifted:eu_sectoral",
        ),
        ("US sanctions eased", "sanctions_eased:us_ukraine"),
    ];
    let mut out = String::from("| model |");
    for (name, _) in keys {
        out.push_str(&format!(" {name} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---:|".repeat(keys.len()));
    out.push('\n');
    for ((name, _), output) in models().into_iter().zip(sweeps) {
        out.push_str(&format!("| {name} |"));
        for (_, key) in keys {
            out.push_str(&format!(" {} |", percent(probability(output, key))));
        }
        out.push('\n');
    }
    out
}

/// docs/sweeps.md's account of how bargaining ends in the Moscow scenario
/// under the compromise model and the published expected-utility model.
fn moscow_bargaining(sweeps: &[SweepOutput]) -> String {
    let outcome = |k: usize, key: &str| {
        sweeps[k].variants[0]
            .outcomes
            .iter()
            .find(|o| o.outcome == key)
            .unwrap_or_else(|| panic!("no outcome {key}"))
    };
    let rounds = |k: usize, key: &str| {
        let r = outcome(k, key).first_round.as_ref().expect("it happened");
        (r.p10, r.p50, r.p90)
    };
    let share = |k: usize, key: &str| percent(Some(outcome(k, key).probability));
    let (c10, c50, c90) = rounds(1, "bargaining:converged");
    let (_, y50, _) = rounds(1, "bargaining:cycled");
    format!(
        "In the Moscow scenario (seeds 0..1000) the compromise model is still\n\
         moving after 26 weeks in {} of runs. The published expected-utility\n\
         model converges in {} of runs, in round {c50} at the median (round\n\
         {c10} at the 10th percentile, {c90} at the 90th); it cycles in {}\n\
         (median round {y50}) and is still moving in the last round in {}.\n",
        share(0, "bargaining:moving"),
        share(1, "bargaining:converged"),
        share(1, "bargaining:cycled"),
        share(1, "bargaining:moving"),
    )
}

/// Replaces the text between `<!-- NAME:begin -->` and `<!-- NAME:end -->`.
fn fill(doc: &str, name: &str, table: &str) -> String {
    let begin = format!("<!-- {name}:begin -->\n");
    let end = format!("<!-- {name}:end -->");
    let a = doc
        .find(&begin)
        .unwrap_or_else(|| panic!("the document lacks {begin}"))
        + begin.len();
    let b = a + doc[a..]
        .find(&end)
        .unwrap_or_else(|| panic!("the document lacks {end}"));
    format!("{}{table}{}", &doc[..a], &doc[b..])
}

#[test]
fn the_models_tables_are_what_the_engine_measures() {
    let path = root().join("docs/models.md");
    let doc = fs::read_to_string(&path).unwrap();
    let mut measured = doc.clone();
    let sweeps_path = root().join("docs/sweeps.md");
    let sweeps_doc = fs::read_to_string(&sweeps_path).unwrap();
    let mut sweeps_measured = sweeps_doc.clone();
    for (name, file, history) in [
        (
            "moscow",
            "moscow-2015-12-15.json",
            "moscow-2015-12-15.history.json",
        ),
        ("minsk", "minsk-2015-02.json", "minsk-2015-02.history.json"),
        (
            "vienna",
            "vienna-issg-2015.json",
            "vienna-issg-2015.history.json",
        ),
    ] {
        let base = load(file);
        let sweeps: Vec<SweepOutput> = models()
            .into_iter()
            .map(|(_, model)| {
                sweep(
                    &Scenario {
                        model,
                        ..base.clone()
                    },
                    SEEDS,
                )
            })
            .collect();
        let table = laws_table(file, history, &sweeps);
        measured = fill(&measured, &format!("{name}-laws"), &table);
        if name == "moscow" {
            measured = fill(&measured, "moscow-outcomes", &moscow_outcomes(&sweeps));
            sweeps_measured = fill(
                &sweeps_measured,
                "moscow-bargaining",
                &moscow_bargaining(&sweeps),
            );
        }
    }
    if std::env::var_os("ENTENTE_RECORD_DOCS").is_some() {
        fs::write(&path, &measured).unwrap();
        fs::write(&sweeps_path, &sweeps_measured).unwrap();
    } else {
        assert!(
            doc == measured,
            "docs/models.md's tables are stale: re-measure them with ENTENTE_RECORD_DOCS=1 cargo test --release --test integration models_doc"
        );
        assert!(
            sweeps_doc == sweeps_measured,
            "docs/sweeps.md's account of bargaining is stale: re-measure it with ENTENTE_RECORD_DOCS=1 cargo test --release --test integration models_doc"
        );
    }
}
