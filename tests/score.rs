//! `entente score`: forecasts against what happened.

use std::fs;

use serde_json::{Value, json};

use crate::util::{fails, ok, s, scenario, scratch};

/// A history of the tutorial scenario, written beside a copy of it.
fn history(dir: &tempfile::TempDir, propositions: Value) -> std::path::PathBuf {
    fs::copy(
        scenario("tutorial-three-actors.json"),
        dir.path().join("tutorial.json"),
    )
    .unwrap();
    let path = dir.path().join("tutorial.history.json");
    let h = json!({"version": 1, "scenario": "tutorial.json", "about": "a test",
        "propositions": propositions});
    fs::write(&path, h.to_string()).unwrap();
    path
}

/// The JSON of a sweep of the tutorial copy in `dir` over seeds 0..300,
/// with `extra` arguments.
fn tutorial_sweep(dir: &tempfile::TempDir, extra: &[&str]) -> Value {
    let scen = dir.path().join("tutorial.json");
    let mut args = vec!["sweep", s(&scen), "--seeds", "0..300", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(dir, &args).stdout).unwrap()
}

/// A sweep's probability of `key`, if the sweep lists it.
fn probability(sweep: &Value, key: &str) -> Option<f64> {
    sweep["variants"][0]["outcomes"]
        .as_array()?
        .iter()
        .find(|o| o["outcome"] == key)?["probability"]
        .as_f64()
}

/// The Brier and log scores are what the sweep's own probabilities give
/// by hand, and no-skill is 0.25 and ln 2.
#[test]
fn a_score_is_the_sweeps_probabilities_scored_by_hand() {
    let dir = scratch();
    let h = history(
        &dir,
        json!([
            {"id": "agreed", "outcome": "ceasefire_agreed:border", "by_round": 6, "happened": true, "basis": "test"},
            {"id": "collapsed", "outcome": "ceasefire_collapsed:*", "by_round": 6, "happened": false, "basis": "test"}
        ]),
    );
    let sweep = tutorial_sweep(&dir, &[]);
    let p = |key: &str| probability(&sweep, key).unwrap();
    let (pa, pc) = (
        p("ceasefire_agreed:border"),
        p("ceasefire_collapsed:border"),
    );
    assert!(pa > 0.0 && pc > 0.0 && pc < 1.0, "{pa} {pc}");
    let scored: Value = serde_json::from_str(
        &ok(
            &dir,
            &["score", s(&h), "--seeds", "0..300", "--format", "json"],
        )
        .stdout,
    )
    .unwrap();
    let brier = ((pa - 1.0).powi(2) + pc.powi(2)) / 2.0;
    let clip = |x: f64| x.clamp(0.001, 0.999);
    let log = (-(clip(pa).ln()) - (1.0 - clip(pc)).ln()) / 2.0;
    let o = &scored["overall"];
    assert!((o["brier"].as_f64().unwrap() - brier).abs() < 1e-12, "{o}");
    assert!((o["log"].as_f64().unwrap() - log).abs() < 1e-12, "{o}");
    assert_eq!(o["no_skill_brier"], 0.25);
    assert!((o["no_skill_log"].as_f64().unwrap() - std::f64::consts::LN_2).abs() < 1e-12);
    assert_eq!(
        scored["files"][0]["propositions"][0]["probability"].as_f64(),
        Some(pa)
    );
    // Every proposition falls in one reliability bin.
    let counted: u64 = scored["reliability"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 2);

    // The status quo's forecast is the frozen model's sweep on the same
    // seeds; its skill is 1 − B/B₀ by hand; one crisis has no base rate.
    let frozen = tutorial_sweep(&dir, &["--model", "frozen"]);
    let q = |key: &str| probability(&frozen, key).unwrap_or(0.0);
    let (qa, qc) = (
        q("ceasefire_agreed:border"),
        q("ceasefire_collapsed:border"),
    );
    let props = &scored["files"][0]["propositions"];
    assert_eq!(props[0]["status_quo"].as_f64(), Some(qa));
    assert_eq!(props[1]["status_quo"].as_f64(), Some(qc));
    assert!(props[0].get("base_rate").is_none());
    let b0 = ((qa - 1.0).powi(2) + qc.powi(2)) / 2.0;
    let baselines = o["baselines"].as_array().unwrap();
    let names: Vec<&str> = baselines
        .iter()
        .map(|b| b["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["status quo", "no skill"]);
    assert!((baselines[0]["brier"].as_f64().unwrap() - b0).abs() < 1e-12);
    if b0 > 0.0 {
        let skill = baselines[0]["skill"].as_f64().unwrap();
        assert!((skill - (1.0 - brier / b0)).abs() < 1e-12, "{skill}");
    }
    assert!((baselines[1]["skill"].as_f64().unwrap() - (1.0 - brier / 0.25)).abs() < 1e-12);
}

/// A proposition by round 1 counts only what happened by then.
#[test]
fn by_round_and_by_date_cut_the_runs_short() {
    let dir = scratch();
    let h = history(
        &dir,
        json!([
            {"id": "late", "outcome": "ceasefire_agreed:border", "by_round": 0, "happened": false, "basis": "test"},
            {"id": "dated", "outcome": "ceasefire_agreed:border", "by": "2020-01-06", "happened": false, "basis": "test"}
        ]),
    );
    let scored: Value = serde_json::from_str(
        &ok(
            &dir,
            &["score", s(&h), "--seeds", "0..50", "--format", "json"],
        )
        .stdout,
    )
    .unwrap();
    for p in scored["files"][0]["propositions"].as_array().unwrap() {
        assert_eq!(p["count"], 0, "{p}");
    }
}

/// Bad history files get an error with the JSON path, exit 2, and no
/// output file.
#[test]
fn bad_history_files_are_refused_with_their_path() {
    let dir = scratch();
    for (props, expected) in [
        (
            json!([{"id": "x", "outcome": "telepathy:syria", "by_round": 1, "happened": true, "basis": "b"}]),
            "$.propositions[0].outcome",
        ),
        (
            json!([{"id": "x", "outcome": "ceasefire_agreed:*", "by": "2030-01-01", "happened": true, "basis": "b"}]),
            "$.propositions[0].by",
        ),
        (
            json!([{"id": "x", "outcome": "ceasefire_agreed:*", "happened": true, "basis": "b"}]),
            "expected one of by (a date) or by_round",
        ),
        (
            json!([{"id": "x", "outcome": "ceasefire_agreed:*", "by_round": 1, "happened": "yes", "basis": "b"}]),
            "tutorial.history.json:1:",
        ),
    ] {
        let h = history(&dir, props);
        let out = dir.path().join("never.json");
        let ran = fails(&dir, 2, &["score", s(&h), "--out", s(&out)]);
        assert!(ran.stderr.contains(expected), "{expected}: {}", ran.stderr);
        assert!(!out.exists());
    }
}

/// Every shipped history scores under every model.
#[test]
fn every_shipped_history_scores_under_every_model() {
    let dir = scratch();
    for model in [
        "as-written",
        "compromise",
        "expected-utility",
        "scholz",
        "spatial",
        "exchange",
        "frozen",
    ] {
        let ran = ok(
            &dir,
            &[
                "score",
                s(&scenario("moscow-2015-12-15.history.json")),
                s(&scenario("minsk-2015-02.history.json")),
                s(&scenario("vienna-issg-2015.history.json")),
                "--seeds",
                "0..20",
                "--model",
                model,
                "--format",
                "markdown",
            ],
        );
        assert!(
            ran.stdout.contains("## All files"),
            "{model}: {}",
            ran.stdout
        );
    }
}

/// The status quo model moves nobody at the table: every position change in
/// its log is an opening draw or a timeline entry's effect, while the
/// mechanisms still play (the tutorial's ceasefire is still agreed).
#[test]
fn the_status_quo_model_moves_nobody_but_the_rules_still_play() {
    let dir = scratch();
    let mut scen: Value =
        serde_json::from_str(&fs::read_to_string(scenario("tutorial-three-actors.json")).unwrap())
            .unwrap();
    scen["model"] = json!({"kind": "frozen"});
    let path = dir.path().join("frozen.json");
    fs::write(&path, scen.to_string()).unwrap();
    let log = dir.path().join("frozen.jsonl");
    ok(&dir, &["run", s(&path), "--seed", "1", "--out", s(&log)]);
    let text = fs::read_to_string(&log).unwrap();
    let events: Vec<Value> = text
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for e in &events {
        if let Some(p) = e["event"].get("position_changed") {
            let cause = p["cause"]
                .as_object()
                .map(|c| c.keys().next().unwrap().clone());
            assert!(
                matches!(cause.as_deref(), Some("effect" | "uncertainty")),
                "a frozen run moved {p}"
            );
        }
    }
    assert!(
        events
            .iter()
            .any(|e| e["event"].get("ceasefire_agreed").is_some())
            || text.contains("round_closed")
    );
    ok(&dir, &["replay", "--complete", s(&log)]);
}

/// `--cross-validate`: a grid's problems are named by path; each crisis is
/// scored under the setting the others chose, which the in-sample table
/// holds.
#[test]
fn cross_validation_scores_each_crisis_under_the_setting_chosen_on_the_others() {
    let dir = scratch();
    let grid = dir.path().join("grid.json");
    fs::write(
        &grid,
        r#"{"version": 1, "settings": [{"id": "a", "model": "bargain"}]}"#,
    )
    .unwrap();
    let histories = ["vienna-issg-2015", "minsk-2015-02"]
        .map(|h| crate::util::root().join(format!("scenarios/{h}.history.json")));
    let mut args = vec!["score", "--seeds", "0..20", "--cross-validate", s(&grid)];
    args.extend(histories.iter().map(|h| s(h)));
    let bad = fails(&dir, 2, &args);
    assert!(bad.stderr.contains("$.settings[0].model"), "{}", bad.stderr);
    fs::write(
        &grid,
        r#"{"version": 1, "settings": [
            {"id": "slow", "model": "compromise", "lambda": 0.1},
            {"id": "frozen", "model": "frozen"}]}"#,
    )
    .unwrap();
    args.extend(["--format", "json"]);
    let out: Value = serde_json::from_str(&ok(&dir, &args).stdout).unwrap();
    let held = out["held_out"].as_array().unwrap();
    assert_eq!(held.len(), 2);
    for (k, h) in held.iter().enumerate() {
        let file = &out["score"]["files"][k];
        assert_eq!(file["model"], h["chosen"]);
        let row = out["in_sample"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r[0] == h["chosen"])
            .unwrap();
        assert_eq!(row[1][k], file["brier"]);
        // Chosen on the other crisis alone: no setting did better there.
        let other = 1 - k;
        let best = out["in_sample"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[1][other].as_f64().unwrap())
            .fold(f64::INFINITY, f64::min);
        assert_eq!(row[1][other].as_f64().unwrap(), best);
    }
}

/// docs/forecasting.md's table of the shipped histories is what `entente
/// score` prints for them: every crisis scored under its shipped model,
/// with its baselines (the numbers recorded, not a claim that they are
/// good).
#[test]
fn the_forecasting_docs_table_of_the_shipped_histories_is_what_score_prints() {
    let dir = scratch();
    let root = crate::util::root();
    let mut histories: Vec<std::path::PathBuf> = fs::read_dir(root.join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".history.json"))
        .collect();
    histories.sort();
    let mut args = vec!["score", "--seeds", "0..1000", "--format", "json"];
    args.extend(histories.iter().map(|p| s(p)));
    let out: Value = serde_json::from_str(&ok(&dir, &args).stdout).unwrap();
    let doc = fs::read_to_string(root.join("docs/forecasting.md")).unwrap();
    let table = doc
        .split("| history (propositions) | model | status quo | base rate |")
        .nth(1)
        .expect("docs/forecasting.md has the table of the shipped histories");
    let rows: Vec<Vec<String>> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('*').to_owned())
                .collect()
        })
        .collect();
    let files = out["files"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        files.len() + 1,
        "a row per history and one for all"
    );
    let three = |v: &Value| format!("{:.3}", v.as_f64().unwrap());
    let baseline = |bs: &Value, name: &str| {
        bs.as_array()
            .unwrap()
            .iter()
            .find(|b| b["name"] == name)
            .map_or_else(|| "—".to_owned(), |b| three(&b["brier"]))
    };
    let wanted = files
        .iter()
        .map(|f| {
            (
                &f["brier"],
                &f["baselines"],
                f["propositions"].as_array().unwrap().len(),
            )
        })
        .chain(std::iter::once((
            &out["overall"]["brier"],
            &out["overall"]["baselines"],
            out["overall"]["propositions"].as_u64().unwrap() as usize,
        )));
    for (row, (brier, bs, n)) in rows.iter().zip(wanted) {
        assert!(row[0].ends_with(&format!("({n})")), "{row:?}");
        let printed = [
            three(brier),
            baseline(bs, "status quo"),
            baseline(bs, "base rate"),
        ];
        assert_eq!(
            row[1..4],
            printed,
            "docs/forecasting.md is stale for {}: re-run `entente score scenarios/*.history.json --seeds 0..1000`",
            row[0]
        );
    }
}

/// A history given twice, or a copy of it, is refused (it would count its
/// propositions twice and narrow every interval); cross-validation with
/// one history has nothing to leave out and is refused too.
#[test]
fn a_history_given_twice_or_cross_validation_of_one_is_refused() {
    let dir = scratch();
    let h = scenario("cuba-1962.history.json");
    let twice = fails(&dir, 2, &["score", s(&h), s(&h), "--seeds", "0..2"]);
    assert!(twice.stderr.contains("the same history"), "{twice:?}");
    // A copy beside a copy of its scenario, in a scratch directory.
    fs::copy(
        scenario("cuba-1962.json"),
        dir.path().join("cuba-1962.json"),
    )
    .unwrap();
    let copy = dir.path().join("copy.history.json");
    fs::copy(&h, &copy).unwrap();
    let copied = fails(&dir, 2, &["score", s(&h), s(&copy), "--seeds", "0..2"]);
    assert!(copied.stderr.contains("the same history"), "{copied:?}");
    let grid = crate::util::root().join("data/grid.json");
    let one = fails(
        &dir,
        2,
        &[
            "score",
            s(&h),
            "--seeds",
            "0..2",
            "--cross-validate",
            s(&grid),
        ],
    );
    assert!(one.stderr.contains("at least two histories"), "{one:?}");
}
