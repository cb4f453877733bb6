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

/// Every shipped scenario names the schema, so an editor finds it. (That
/// each is valid for it, and that the loader refuses whatever it refuses,
/// is tested beside the loader: crates/runner/src/scenario/tests.rs.)
#[test]
fn every_scenario_names_the_schema() {
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
        checked += 1;
    }
    assert!(checked >= 3);
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
    // Every page the main page names can be printed.
    let named: Vec<String> = man
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("entente\\-")?.strip_suffix("(1)"))
        .map(|name| name.replace("\\-", "-"))
        .collect();
    assert!(named.len() > 10, "{named:?}");
    for page in &named {
        let sub = ok(&dir, &["man", page]);
        assert!(
            sub.stdout.contains(&format!(".TH entente-{page} 1")),
            "{page}: {}",
            &sub.stdout[..sub.stdout.len().min(200)]
        );
    }
    let ran = fails(&dir, 2, &["man", "nonesuch"]);
    assert!(ran.stderr.contains("no such subcommand"), "{}", ran.stderr);
    fails(&dir, 2, &["completions", "tcsh"]);
}
