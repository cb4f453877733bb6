//! The negotiation model and the crisis mechanisms, seen through the binary.

use std::fs;

use serde_json::Value;

use crate::util::{fails, ok, run_log, s, scratch};

fn report(dir: &tempfile::TempDir, log: &std::path::Path, format: &str) -> String {
    let ran = ok(dir, &["report", s(log), "--format", format]);
    ran.stdout
}

#[test]
fn the_ec_reference_values_of_scholz_hold_in_the_json_report() {
    let dir = scratch();
    let log = run_log(&dir, "ec-car-emissions.json", 0, "ec.jsonl");
    let report: Value = serde_json::from_str(&report(&dir, &log, "json")).unwrap();
    let series = report["issues"][0]["series"].as_array().unwrap();
    let close = |v: &Value, x: f64| (v.as_f64().unwrap() - x).abs() < 1e-9;
    assert!(close(&series[0]["mean"], 7.389955686853767));
    assert!(close(&series[0]["median"], 7.0));
    assert!(close(&series[1]["mean"], 7.461314378277189));
    assert!(close(&series[1]["positions"]["BE"], 8.415932315426764));
    assert!(close(&series[1]["positions"]["LU"], 7.0));
    assert!(close(&series[1]["positions"]["IE"], 4.0));
    assert!(close(&series[10]["mean"], 7.242130958473938));

    // The log says why Belgium moved.
    let text = fs::read_to_string(&log).unwrap();
    let moves: Vec<Value> = text
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| e["round"] == 1 && e["event"]["position_changed"].is_object())
        .map(|e| e["event"]["position_changed"].clone())
        .collect();
    assert_eq!(moves.len(), 3);
    let offer = &moves[0]["cause"]["offer"];
    assert_eq!(moves[0]["actor"], "BE");
    assert_eq!(offer["kind"], "compromise");
    assert_eq!(offer["proposer"], "FR");
    assert!(close(&offer["a"], -0.11483050347300794));
    assert!(close(&offer["b"], 0.2432965945234421));
    assert_eq!(moves[1]["cause"]["offer"]["kind"], "confrontation");
    assert_eq!(moves[1]["cause"]["offer"]["proposer"], "BE");
    assert_eq!(moves[2]["cause"]["offer"]["proposer"], "LU");
}

#[test]
fn the_moscow_markdown_report_tells_the_story() {
    let dir = scratch();
    let log = run_log(&dir, "moscow-2015-12-15.json", 7, "m.jsonl");
    let md = report(&dir, &log, "markdown");
    for needle in [
        "# Kerry in Moscow",
        "## Issues",
        "### assad_role",
        "## Ceasefires",
        "eastern_ukraine (minsk_implementation between UKR, SEP, RUS)",
        "## Strikes",
        "RUS in syria:",
        "## Sanctions",
        "eu_sectoral (EU on RUS)",
        "due 2016-01-31:",
        "## Packages",
        "RUS offered USA",
        "refused (linkage rejected)",
        "## Cooperation",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
}

#[test]
fn the_version_1_fixture_reads_forever() {
    let dir = scratch();
    let fixture = crate::util::root().join("tests/fixtures/v1/ec-car-emissions-2-rounds.jsonl");
    let ran = ok(&dir, &["replay", s(&fixture), "--format", "json"]);
    let replay: Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(
        replay["head"],
        "bf418a171e624e1f264f649c89a2645187c6fe48bfd5589159c2a90637034bac"
    );
    assert_eq!(replay["events"], 11);
    let report: Value = serde_json::from_str(&report(&dir, &fixture, "json")).unwrap();
    let series = report["issues"][0]["series"].as_array().unwrap();
    assert_eq!(series.len(), 3);
    assert!((series[1]["mean"].as_f64().unwrap() - 7.461314378277189).abs() < 1e-9);
}

#[test]
fn a_log_of_an_older_engine_verifies_but_is_not_rerun_as_if_it_were_this_one() {
    let dir = scratch();
    let fixture = crate::util::root().join("tests/fixtures/v1/ec-car-emissions-2-rounds.jsonl");
    let ran = fails(&dir, 1, &["replay", "--rerun", s(&fixture)]);
    assert!(
        ran.stderr.contains("written by entente 0.1.0"),
        "{}",
        ran.stderr
    );
}
