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

/// The difference against the round-0 mean and the cross-validated choice
/// are what the per-issue rows give by hand.
#[test]
fn the_difference_and_the_cross_validation_are_the_rows_by_hand() {
    let dir = scratch();
    let file = root().join("data/backtest-example.tsv");
    let csv = dir.path().join("rows.csv");
    let ran = ok(
        &dir,
        &["backtest", s(&file), "--format", "json", "--csv", s(&csv)],
    );
    let result: Value = serde_json::from_str(&ran.stdout).unwrap();
    // issue → model → (error of the mean, error of the median), in file order.
    let text = fs::read_to_string(&csv).unwrap();
    let mut errors: Vec<(String, String, f64, f64)> = Vec::new();
    for line in text.lines().skip(1) {
        let (issue, rest) = line.split_once(",\"").unwrap();
        let (model, rest) = rest.split_once("\",").unwrap();
        let cells: Vec<f64> = rest.split(',').map(|c| c.parse().unwrap()).collect();
        errors.push((issue.to_owned(), model.to_owned(), cells[3], cells[4]));
    }
    let issues: Vec<String> = {
        let mut seen: Vec<String> = Vec::new();
        for (i, _, _, _) in &errors {
            if !seen.contains(i) {
                seen.push(i.clone());
            }
        }
        seen
    };
    let of = |model: &str, median: bool, wanted: &[usize]| -> f64 {
        let picked: Vec<f64> = errors
            .iter()
            .filter(|(i, m, _, _)| {
                m == model && wanted.contains(&issues.iter().position(|x| x == i).unwrap())
            })
            .map(|e| if median { e.3 } else { e.2 })
            .collect();
        picked.iter().sum::<f64>() / picked.len() as f64
    };
    let all: Vec<usize> = (0..issues.len()).collect();
    let opening = of("round 0 (no bargaining)", false, &all);
    let compromise = score(&result, "compromise (λ 0.2)", "mean");
    let d = &compromise["against_opening_mean"];
    let by_hand = of("compromise (λ 0.2)", false, &all) - opening;
    assert!((d["mae"].as_f64().unwrap() - by_hand).abs() < 1e-9, "{d}");
    assert!(score(&result, "round 0 (no bargaining)", "mean")["against_opening_mean"].is_null());
    // Each issue is its own proposal here: halves alternate issue by issue
    // (three issues have an outcome).
    let cv = &result["cross_validated"];
    assert_eq!(issues.len(), 3);
    assert_eq!(cv["issues"], serde_json::json!([2, 1]));
    let chosen: Vec<String> = (0..2)
        .map(|k| cv["chosen"][k].as_str().unwrap().to_owned())
        .collect();
    let held_out = |k: usize, on: &[usize]| {
        let (model, forecast) = chosen[k].rsplit_once(" (").unwrap();
        of(model, forecast.starts_with("median"), on)
    };
    let (first, second) = ([0, 2], [1]);
    assert!((cv["held_out_mae"][0].as_f64().unwrap() - held_out(0, &second)).abs() < 1e-9);
    assert!((cv["held_out_mae"][1].as_f64().unwrap() - held_out(1, &first)).abs() < 1e-9);
    let mae = (held_out(0, &second) + held_out(1, &first) * 2.0) / 3.0;
    assert!((cv["mae"].as_f64().unwrap() - mae).abs() < 1e-9, "{cv}");
}

/// A file whose only issue no actor cares about (every salience 0) says
/// why nothing is left to score.
#[test]
fn an_issue_nobody_cares_about_is_left_out_and_said_so() {
    let dir = scratch();
    let file = dir.path().join("zero.tsv");
    fs::write(
        &file,
        "isnr\tpa\tpb\tsa\tsb\tout\n\t3\t1\t\t\t\nq\t20\t80\t0\t0\t35\n",
    )
    .unwrap();
    let ran = fails(&dir, 2, &["backtest", s(&file)]);
    assert!(ran.stderr.contains("salience above 0"), "{}", ran.stderr);
}
