//! The conformance corpus: each case in tests/conformance/ pins one rule,
//! and its events (seed 1) must match the reviewed snapshot in
//! tests/conformance/snapshots/. A changed snapshot is reviewed like code
//! (`cargo insta review`).

use std::fs;

use crate::util::{entente, root, s, scratch};

/// The events of a log, one per line, without hashes.
fn events(log: &str) -> String {
    log.lines()
        .skip(1)
        .map(|line| match line.rfind(",\"hash\":") {
            Some(i) => format!("{}}}\n", &line[..i]),
            None => format!("{line}\n"),
        })
        .collect()
}

#[test]
fn every_case_matches_its_reviewed_snapshot() {
    let dir = scratch();
    let corpus = root().join("tests/conformance");
    let mut cases: Vec<_> = fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 20, "the corpus has {} cases", cases.len());
    let mut rules = std::collections::BTreeSet::new();
    for case in &cases {
        let name = case.file_stem().unwrap().to_string_lossy().into_owned();
        let scenario: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(case).unwrap()).unwrap();
        let rule = scenario["description"].as_str().unwrap_or("");
        assert!(
            rule.starts_with("Pins: ") && !rule.contains('\n'),
            "{name}: the description must be one line starting \"Pins: \""
        );
        assert!(
            rules.insert(rule.to_owned()),
            "{name} pins the same rule as another case"
        );
        let log = dir.path().join(format!("{name}.jsonl"));
        let ran = entente(
            &dir,
            &[
                "run",
                s(case),
                "--seed",
                "1",
                "--out",
                s(&log),
                "--sync",
                "never",
            ],
        );
        assert_eq!(ran.code, 0, "{name}: {ran:#?}");
        let text = format!("{rule}\n\n{}", events(&fs::read_to_string(&log).unwrap()));
        insta::with_settings!({
            snapshot_path => corpus.join("snapshots"),
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, text);
        });
    }
}
