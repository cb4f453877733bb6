//! A scenario of 250 actors end to end: run, replay, report.

use std::fs;

use serde_json::{Value, json};

use crate::util::{ok, s, scratch};

/// 250 actors on 5 issues, positions and saliences spread by a fixed rule.
fn two_hundred_fifty() -> Value {
    let actor = |a: usize| format!("A{a:03}");
    let issue = |i: usize| format!("issue_{i}");
    let spread = |a: usize, i: usize, m: usize| ((a * 37 + i * 11) % m) as f64;
    json!({
        "version": 1,
        "id": "generated-250",
        "title": "250 actors, 5 issues",
        "start": "2015-12-07",
        "days_per_round": 7,
        "rounds": 8,
        "actors": (0..250).map(|a| json!({
            "id": actor(a), "name": format!("Actor {a}"), "kind": "state",
            "capability": 1.0 + spread(a, 0, 97), "basis": "generated"
        })).collect::<Vec<_>>(),
        "issues": (0..5).map(|i| json!({
            "id": issue(i), "question": "?", "low": "low", "high": "high",
            "principals": [actor(0), actor(1)]
        })).collect::<Vec<_>>(),
        "stances": (0..5).flat_map(|i| (0..250).map(move |a| json!({
            "actor": actor(a), "issue": issue(i),
            "position": spread(a, i, 100) + (a as f64 * 0.618_033_988).fract(),
            "salience": 0.1 + 0.9 * (spread(a, i + 3, 10) / 9.0),
            "basis": "generated"
        }))).collect::<Vec<_>>(),
        "model": {"kind": "expected-utility"},
        "agreement": {"tolerance": 0}
    })
}

#[test]
fn two_hundred_fifty_actors_run_replay_and_report() {
    let dir = scratch();
    let path = dir.path().join("generated-250.json");
    fs::write(&path, serde_json::to_string(&two_hundred_fifty()).unwrap()).unwrap();
    let log = dir.path().join("g.jsonl");
    let ran = ok(
        &dir,
        &["run", s(&path), "--out", s(&log), "--format", "json"],
    );
    let run: Value = serde_json::from_str(&ran.stdout).unwrap();
    assert!(run["events"].as_u64().unwrap() > 250, "{run}");
    let replay = ok(&dir, &["replay", s(&log), "--format", "json"]);
    let replay: Value = serde_json::from_str(&replay.stdout).unwrap();
    assert_eq!(replay["head"], run["head"]);
    let report = ok(&dir, &["report", s(&log), "--format", "json"]);
    let report: Value = serde_json::from_str(&report.stdout).unwrap();
    let series = report["issues"][0]["series"].as_array().unwrap();
    assert_eq!(series.len(), 9);
    assert_eq!(series[0]["positions"].as_object().unwrap().len(), 250);
    ok(&dir, &["report", s(&log), "--format", "markdown"]);
}
