//! The DEU III backtest.

use std::fs;

use serde_json::Value;

use crate::util::{fails, ok, root, s, scratch};

fn deu3() -> std::path::PathBuf {
    root().join("data/deu3/deu3.tsv")
}

fn scores(dir: &tempfile::TempDir, args: &[&str]) -> Value {
    let file = deu3();
    let mut all = vec!["backtest", s(&file), "--format", "json"];
    all.extend_from_slice(args);
    let ran = ok(dir, &all);
    serde_json::from_str(&ran.stdout).unwrap()
}

fn score<'a>(result: &'a Value, model: &str, forecast: &str) -> &'a Value {
    result["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["model"] == model && s["forecast"] == forecast)
        .unwrap_or_else(|| panic!("no row for {model} {forecast}"))
}

#[test]
fn the_baselines_of_the_deu3_readme_are_reproduced() {
    let dir = scratch();
    let result = scores(&dir, &[]);
    assert_eq!(result["issues"], 353);
    let mean = score(&result, "round 0 (no bargaining)", "mean")["mae"]
        .as_f64()
        .unwrap();
    let median = score(&result, "round 0 (no bargaining)", "median")["mae"]
        .as_f64()
        .unwrap();
    assert!((mean - 23.2).abs() <= 0.1, "{mean}");
    assert!((median - 27.6).abs() <= 0.1, "{median}");
}

#[test]
fn every_model_and_variant_has_a_row_and_the_intervals_follow_the_seed() {
    let dir = scratch();
    let a = scores(&dir, &["--bootstrap", "300", "--seed", "5"]);
    let b = scores(&dir, &["--bootstrap", "300", "--seed", "5"]);
    let c = scores(&dir, &["--bootstrap", "300", "--seed", "6"]);
    assert_eq!(a, b, "the same seed gave other intervals");
    let rows = a["scores"].as_array().unwrap();
    // Two baselines, the compromise model, eight expected-utility variants
    // under the stop rule and two without it, the spatial model (each issue
    // alone and a proposal's issues together) and the exchange model, each
    // scored on its mean and its median.
    assert_eq!(rows.len(), 30);
    for flags in [
        "",
        " (scholz)",
        " (scholz P)",
        " (scholz choice)",
        " (capitulation)",
        " (scholz, capitulation)",
        " (no stop)",
        " (scholz, no stop)",
    ] {
        score(&a, &format!("expected-utility{flags}"), "mean");
        score(&a, &format!("expected-utility{flags}"), "median");
    }
    score(&a, "compromise (λ 0.2)", "median");
    score(&a, "spatial (each issue alone)", "mean");
    score(
        &a,
        "spatial (a proposal's issues as its dimensions)",
        "mean",
    );
    score(&a, "exchange (a proposal's issues)", "median");
    let interval = |v: &Value| score(v, "expected-utility", "mean")["mae_interval"].clone();
    assert_ne!(
        interval(&a),
        interval(&c),
        "another seed gave the same interval"
    );
    let mae = score(&a, "expected-utility", "mean")["mae"]
        .as_f64()
        .unwrap();
    let (lo, hi) = (
        interval(&a)[0].as_f64().unwrap(),
        interval(&a)[1].as_f64().unwrap(),
    );
    assert!(lo < mae && mae < hi, "{lo} {mae} {hi}");
}

#[test]
fn the_docs_table_is_what_the_command_prints() {
    let dir = scratch();
    let ran = ok(&dir, &["backtest", s(&deu3()), "--format", "markdown"]);
    let readme = fs::read_to_string(root().join("docs/models.md")).unwrap();
    let block = readme
        .split("<!-- backtest:begin -->\n")
        .nth(1)
        .and_then(|rest| rest.split("<!-- backtest:end -->").next())
        .expect("docs/models.md has the backtest block");
    // The document's title is the page's own heading.
    let (_, body) = ran.stdout.split_once("\n\n").unwrap();
    assert_eq!(
        block, body,
        "docs/models.md's backtest table is stale: run the command and paste its output"
    );
}

#[test]
fn a_file_of_your_own_in_the_same_layout_works_and_csv_has_a_row_per_issue_and_model() {
    let dir = scratch();
    let csv = dir.path().join("rows.csv");
    let example = root().join("data/backtest-example.tsv");
    let ran = ok(&dir, &["backtest", s(&example), "--csv", s(&csv)]);
    assert!(
        ran.stdout.contains("3 issues with an outcome"),
        "{}",
        ran.stdout
    );
    let rows = fs::read_to_string(&csv).unwrap();
    assert_eq!(rows.lines().count(), 1 + 3 * 15);
    assert!(
        rows.lines()
            .any(|l| l.starts_with("fish-quota,\"round 0 (no bargaining)\","))
    );
    let bad = dir.path().join("bad.tsv");
    fs::write(&bad, "isnr\tpa\tsa\n1\t50\t50\n").unwrap();
    let refused = fails(&dir, 2, &["backtest", s(&bad)]);
    assert!(refused.stderr.contains("\"out\""), "{}", refused.stderr);
}
