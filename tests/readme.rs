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
    // The ISSG meeting's seq, as the README's jq finds it.
    let seq = fs::read_to_string(&log)
        .unwrap()
        .lines()
        .skip(1)
        .position(|l| l.contains("International Syria Support Group"))
        .map(|k| k + 1)
        .expect("the ISSG meeting is in the log")
        .to_string();
    let ran = ok(
        &dir,
        &[
            "branch",
            s(&log),
            "--at",
            &seq,
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

/// The shell block that follows `heading` in the README, as written.
fn shell_block(readme: &str, heading: &str) -> String {
    let at = readme
        .find(heading)
        .unwrap_or_else(|| panic!("README.md lacks {heading:?}"));
    let start = at + readme[at..].find("```sh\n").expect("a shell block") + "```sh\n".len();
    let end = start + readme[start..].find("```").expect("the block's end");
    readme[start..end].to_owned()
}

/// Runs a shell text with bash in `dir`.
fn bash(dir: &std::path::Path, script: &str) -> std::process::Output {
    std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .output()
        .expect("bash starts")
}

#[test]
#[cfg_attr(
    jq_missing,
    ignore = "jq is not on this machine when the tests were built (apt-get install jq); ENTENTE_TOOL_TESTS=required makes its absence a failure"
)]
fn the_readmes_jq_and_hash_chain_recipes_work_as_written() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let dir = scratch();
    ok(
        &dir,
        &["run", s(&scenario("moscow-2015-12-15.json")), "--seed", "7"],
    );
    let log = dir.path().join("runs/moscow-2015-12-15-seed7.jsonl");
    // Each jq line runs and prints something; the Goldstein curve has one
    // point per round, the header left out.
    let jq = shell_block(&readme, "### Reading a log with jq");
    let commands: Vec<&str> = jq.lines().filter(|l| l.starts_with("jq ")).collect();
    assert_eq!(commands.len(), 4, "{jq}");
    for command in &commands {
        let out = bash(dir.path(), command);
        assert!(
            out.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!out.stdout.is_empty(), "{command} printed nothing");
    }
    let curve = bash(dir.path(), commands[3]);
    let points: serde_json::Value = serde_json::from_slice(&curve.stdout).unwrap();
    let rounds: Vec<u64> = points
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["round"].as_u64().expect("every point has a round"))
        .collect();
    assert_eq!(rounds, (0..=26).collect::<Vec<_>>());
    // The hash-chain recipe prints the fingerprint replay gives, and fails
    // on a changed byte, naming the line.
    let chain = shell_block(&readme, "### Checking the hash chain without Entente");
    let out = bash(dir.path(), &chain);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let replayed = ok(&dir, &["replay", s(&log), "--format", "json"]);
    let head = serde_json::from_str::<serde_json::Value>(&replayed.stdout).unwrap()["head"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("fingerprint {head}")
    );
    let mut bytes = fs::read(&log).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    fs::write(&log, bytes).unwrap();
    let out = bash(dir.path(), &chain);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a changed log passed the recipe"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("mismatch at line"));
    assert!(
        out.stdout.is_empty(),
        "it printed a fingerprint after a mismatch"
    );
}
