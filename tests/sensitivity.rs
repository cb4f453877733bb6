//! `entente sensitivity`: which input an answer hangs on.

use std::fs;

use serde_json::{Value, json};

use crate::util::{fails, ok, s, scenario, scratch};

/// Three actors on one issue; A carries almost all the weight, so the final
/// weighted mean is where A stands and A's position dominates every other
/// input.
fn dominated(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let actor = |id: &str, capability: f64| json!({"id": id, "name": id, "kind": "state", "capability": capability, "basis": "analyst estimate"});
    let stance = |a: &str, at: f64| json!({"actor": a, "issue": "x", "position": at, "salience": 0.8, "basis": "analyst estimate"});
    let s = json!({
        "version": 2, "id": "dominated", "title": "One input dominates",
        "start": "2016-01-04", "days_per_round": 7, "rounds": 4,
        "actors": [actor("A", 100.0), actor("B", 1.0), actor("C", 1.0)],
        "issues": [{"id": "x", "question": "?", "low": "no", "high": "yes", "principals": ["A", "B"]}],
        "stances": [stance("A", 50.0), stance("B", 10.0), stance("C", 90.0)],
        "agreement": {"tolerance": 0}
    });
    let path = dir.path().join("dominated.json");
    fs::write(&path, s.to_string()).unwrap();
    path
}

/// `sensitivity PATH --method METHOD --seeds SEEDS` as JSON, Morris with
/// `trajectories` (one-at-a-time refuses the option).
fn by_method(
    dir: &tempfile::TempDir,
    path: &std::path::Path,
    method: &str,
    seeds: &str,
    trajectories: &str,
) -> Value {
    let mut args = vec!["sensitivity", s(path), "--method", method, "--seeds", seeds];
    if method == "morris" {
        args.extend(["--trajectories", trajectories]);
    }
    args.extend(["--format", "json"]);
    serde_json::from_str(&ok(dir, &args).stdout).unwrap()
}

#[test]
fn the_dominant_input_ranks_first_under_both_methods() {
    let dir = scratch();
    let path = dominated(&dir);
    for method in ["oat", "morris"] {
        let out = by_method(&dir, &path, method, "0..5", "4");
        let rows = out["issues"][0]["rows"].as_array().unwrap();
        assert_eq!(rows[0]["input"], "position A/x", "{method}: {rows:?}");
        let first = rows[0]["effect"].as_f64().unwrap().abs();
        let second = rows[1]["effect"].as_f64().unwrap().abs();
        assert!(first > 5.0 * second, "{method}: {first} vs {second}");
    }
}

/// On a shipped scenario, the analysis names a threshold or a stance for
/// every outcome it moves, with the paired interval, in every format.
#[test]
fn the_tutorial_ranks_its_ceasefire_inputs() {
    let dir = scratch();
    let t = scenario("tutorial-three-actors.json");
    let ran = ok(
        &dir,
        &["sensitivity", s(&t), "--seeds", "0..50", "--format", "json"],
    );
    let out: Value = serde_json::from_str(&ran.stdout).unwrap();
    let agreed = out["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["measure"] == "ceasefire_agreed:border")
        .unwrap();
    let first = &agreed["rows"][0];
    assert!(first["interval"].is_array(), "{first}");
    assert!(first["effect"].as_f64().unwrap().abs() > 0.5, "{first}");
    for format in ["text", "markdown"] {
        let ran = ok(
            &dir,
            &["sensitivity", s(&t), "--seeds", "0..10", "--format", format],
        );
        assert!(ran.stdout.contains("ceasefire_agreed:border"), "{format}");
    }
    for model in [
        "compromise",
        "expected-utility",
        "scholz",
        "spatial",
        "exchange",
    ] {
        let ran = ok(
            &dir,
            &[
                "sensitivity",
                s(&t),
                "--seeds",
                "0..2",
                "--model",
                model,
                "--format",
                "json",
            ],
        );
        assert!(ran.stdout.contains("\"inputs\""), "{model}");
    }
    let bad = fails(&dir, 2, &["sensitivity", s(&t), "--delta", "0"]);
    assert!(bad.stderr.contains("--delta"), "{}", bad.stderr);
}

/// Both methods run on every shipped scenario (a few seeds: the point is
/// that every model and mechanism goes through).
#[test]
fn every_shipped_scenario_goes_through_both_methods() {
    let dir = scratch();
    for entry in fs::read_dir(crate::util::root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json")
            || name.ends_with(".history.json")
            || name.ends_with(".schema.json")
        {
            continue;
        }
        for method in ["oat", "morris"] {
            let out = by_method(&dir, &path, method, "0..2", "1");
            assert!(out["inputs"].as_u64().unwrap() > 0, "{name} {method}");
        }
    }
}
