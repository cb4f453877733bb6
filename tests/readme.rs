//! The README's worked example and the recipes of docs/log.md are what the
//! binary prints and what the tools they name do, run as written; every
//! link of the README and of docs/ leads somewhere.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{block_after, doc, ok, root, s, scenario, scratch};

#[test]
fn the_worked_example_and_the_branch_example_are_what_entente_prints() {
    let readme = doc("README.md");
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

    // docs/log.md's branch example, on the worked example's log.
    let log = dir.path().join("runs/moscow-2015-12-15-seed7.jsonl");
    let out = dir.path().join("issg-ceasefire.jsonl");
    // The ISSG meeting's seq, as the example's jq finds it.
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
        doc("docs/log.md").contains(last),
        "docs/log.md's branch example is stale: {last}"
    );
}

/// The shell block that follows `heading` in `text`, as written.
fn shell_block(text: &str, heading: &str) -> String {
    let at = text
        .find(heading)
        .unwrap_or_else(|| panic!("the document lacks {heading:?}"));
    let start = at + text[at..].find("```sh\n").expect("a shell block") + "```sh\n".len();
    let end = start + text[start..].find("```").expect("the block's end");
    text[start..end].to_owned()
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
fn the_log_docs_jq_and_hash_chain_recipes_work_as_written() {
    let log_doc = doc("docs/log.md");
    let dir = scratch();
    ok(
        &dir,
        &["run", s(&scenario("moscow-2015-12-15.json")), "--seed", "7"],
    );
    let log = dir.path().join("runs/moscow-2015-12-15-seed7.jsonl");
    // Each jq line runs and prints something; the Goldstein curve has one
    // point per round, the header left out.
    let jq = shell_block(&log_doc, "## Reading a log with jq");
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
    let chain = shell_block(&log_doc, "## Checking the hash chain without Entente");
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

/// The README, ARCHITECTURE.md and every page of docs/.
fn documents() -> Vec<PathBuf> {
    let mut found = vec![root().join("README.md"), root().join("ARCHITECTURE.md")];
    let mut pages: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    found.extend(pages);
    found
}

/// The targets of the Markdown links and images of `text` (`](target)`),
/// outside code blocks.
fn link_targets(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut fenced = false;
    // A link's text may wrap, so the links are looked for in whole
    // paragraphs, not lines.
    let mut prose = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let mut rest = prose.as_str();
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let end = after.find(')').unwrap_or(after.len());
        targets.push(after[..end].to_owned());
        rest = &after[end..];
    }
    targets
}

/// A heading's anchor as GitHub makes it: lower case, spaces to hyphens,
/// punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of the headings of the Markdown file at `path`.
fn anchors(path: &Path) -> Vec<String> {
    let mut fenced = false;
    let mut found = Vec::new();
    for line in fs::read_to_string(path).unwrap().lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            found.push(anchor(line.trim_start_matches('#')));
        }
    }
    found
}

#[test]
fn every_link_of_the_readme_and_docs_leads_to_a_file_and_heading_that_exist() {
    let mut broken = Vec::new();
    for document in documents() {
        let text = fs::read_to_string(&document).unwrap();
        let dir = document.parent().unwrap();
        for target in link_targets(&text) {
            if target.starts_with("http://") || target.starts_with("https://") {
                continue;
            }
            let (file, heading) = target.split_once('#').unwrap_or((&target, ""));
            let path = if file.is_empty() {
                document.clone()
            } else {
                dir.join(file)
            };
            if !path.exists() {
                broken.push(format!("{}: {target}: no such file", document.display()));
            } else if !heading.is_empty() && !anchors(&path).iter().any(|a| a == heading) {
                broken.push(format!("{}: {target}: no such heading", document.display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    // The check sees links: the README's picture and its map of docs/.
    let readme = link_targets(&doc("README.md"));
    assert!(readme.iter().any(|t| t == "docs/images/moscow-seed7.png"));
    assert!(readme.iter().any(|t| t == "docs/cluster.md"));
}
