//! The README's worked example is what the binary prints.

use std::fs;

use crate::util::{ok, root, s, scenario, scratch};

/// The lines of the README's console block that follows `command`.
fn block_after(readme: &str, command: &str) -> Vec<String> {
    let start = readme
        .find(command)
        .unwrap_or_else(|| panic!("README.md lacks {command:?}"));
    readme[start + command.len()..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with("```") && !l.starts_with('$'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn the_worked_example_is_what_entente_prints() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let dir = scratch();
    let ran = ok(
        &dir,
        &["run", s(&scenario("moscow-2015-12-15.json")), "--seed", "7"],
    );
    let printed: Vec<&str> = ran.stdout.lines().collect();
    let shown = block_after(
        &readme,
        "$ cargo run --release -- run scenarios/moscow-2015-12-15.json --seed 7",
    );
    assert_eq!(shown, printed, "README.md's worked example is stale");

    // The branch example's fingerprint.
    let log = dir.path().join("runs/moscow-2015-12-15-seed7.jsonl");
    let out = dir.path().join("issg-ceasefire.jsonl");
    let ran = ok(
        &dir,
        &[
            "branch",
            s(&log),
            "--at",
            "74",
            "--inject",
            r#"{"ceasefire_agreed": {"theatre": "syria"}}"#,
            "--out",
            s(&out),
        ],
    );
    let last = ran.stdout.lines().last().unwrap().trim();
    assert!(
        readme.contains(last),
        "README.md's branch example is stale: {last}"
    );
}
