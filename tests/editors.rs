//! What editors and shells get: the scenario JSON Schema, completions and a
//! man page.

use std::fs;

use serde_json::Value;

use crate::util::{fails, ok, root, scratch};

#[test]
fn the_committed_schema_is_what_entente_schema_prints() {
    let dir = scratch();
    let ran = ok(&dir, &["schema"]);
    let committed = fs::read_to_string(root().join("scenarios/scenario.schema.json")).unwrap();
    assert_eq!(
        ran.stdout, committed,
        "scenarios/scenario.schema.json is stale: run `entente schema > scenarios/scenario.schema.json`"
    );
}

#[test]
fn every_scenario_names_the_schema_and_validates_against_it() {
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(root().join("scenarios/scenario.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let mut checked = 0;
    for entry in fs::read_dir(root().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json")
            || name == "scenario.schema.json"
            || name.ends_with(".history.json")
        {
            continue;
        }
        let scenario: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            scenario["$schema"], "scenario.schema.json",
            "{name} does not name the schema"
        );
        let errors: Vec<String> = validator
            .iter_errors(&scenario)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
        checked += 1;
    }
    assert!(checked >= 3);
    // The schema catches what an editor should flag.
    let mut bad: Value = serde_json::from_str(
        &fs::read_to_string(root().join("scenarios/ec-car-emissions.json")).unwrap(),
    )
    .unwrap();
    bad["stances"][0]["salience"] = "high".into();
    bad["colour"] = "blue".into();
    assert!(validator.iter_errors(&bad).count() >= 2);
}

#[test]
fn completions_and_a_man_page_come_from_the_command_line_definitions() {
    let dir = scratch();
    for (shell, marker) in [
        ("bash", "_entente()"),
        ("zsh", "#compdef entente"),
        ("fish", "complete -c entente"),
    ] {
        let ran = ok(&dir, &["completions", shell]);
        assert!(ran.stdout.contains(marker), "{shell}");
        assert!(
            ran.stdout.contains("check-laws") && ran.stdout.contains("backtest"),
            "{shell}"
        );
    }
    let man = ok(&dir, &["man"]);
    assert!(man.stdout.contains(".TH entente 1"));
    assert!(man.stdout.contains("sweep"));
    fails(&dir, 2, &["completions", "tcsh"]);
}
