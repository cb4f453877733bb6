//! What runs write is pinned: every shipped scenario (seeds 1–3) and a set
//! of branches must give the fingerprints recorded in
//! tests/fixtures/fingerprints.tsv. A refactor or a speed-up changes none of
//! them; a change to what runs write bumps `ENGINE_VERSION` and re-records
//! the file (the header line names the engine it was recorded with):
//! `ENTENTE_RECORD_FINGERPRINTS=1 cargo test --test integration fingerprints`
//! rewrites every fingerprint, and the engine line, with this engine's.

use std::fs;

use crate::util::{ok, root, s, scenario, scratch};

#[test]
fn every_pinned_run_and_branch_writes_its_recorded_fingerprint() {
    let path = root().join("tests/fixtures/fingerprints.tsv");
    let table = fs::read_to_string(&path).unwrap();
    let record = std::env::var_os("ENTENTE_RECORD_FINGERPRINTS").is_some();
    let dir = scratch();
    let version = ok(&dir, &["--version"]).stdout;
    let mut rows = 0;
    let mut recorded = String::new();
    for line in table.lines() {
        let cells: Vec<&str> = line.split('\t').collect();
        if line.starts_with('#') {
            recorded.push_str(&format!("{line}\n"));
            continue;
        }
        if let ["engine", engine] = cells.as_slice() {
            let ours = version.trim().trim_start_matches("entente ");
            recorded.push_str(&format!("engine\t{ours}\n"));
            assert!(
                record || ours == *engine,
                "the fixture was recorded with engine {engine}, this is {ours}; re-record it"
            );
            continue;
        }
        let [kind, file, seed, at, change, expected] = cells.as_slice() else {
            panic!("a malformed fixture row: {line:?}");
        };
        let parent = dir.path().join(format!("{file}-{seed}.jsonl"));
        if !parent.exists() {
            let scenario = scenario(file);
            let args = ["run", s(&scenario), "--seed", seed, "--out", s(&parent)];
            ok(&dir, &[&args[..], &["--sync", "never"]].concat());
        }
        let head = match *kind {
            "run" => fingerprint_of(&dir, &parent),
            "branch" => {
                let out = dir.path().join(format!("branch-{rows}.jsonl"));
                let mut args = vec!["branch", s(&parent), "--at", at, "--out", s(&out)];
                match change.strip_prefix("seed=") {
                    Some(new_seed) => args.extend(["--seed", new_seed]),
                    None => args.extend(["--inject", change]),
                }
                args.extend(["--sync", "never"]);
                ok(&dir, &args);
                fingerprint_of(&dir, &out)
            }
            other => panic!("unknown row kind {other:?}"),
        };
        if !record {
            assert_eq!(&head, expected, "{kind} {file} seed {seed} {at} {change}");
        }
        recorded.push_str(&format!("{kind}\t{file}\t{seed}\t{at}\t{change}\t{head}\n"));
        rows += 1;
    }
    if record {
        fs::write(&path, recorded).unwrap();
    }
    assert!(rows >= 20, "the fixture pins only {rows} logs");
}

fn fingerprint_of(dir: &tempfile::TempDir, log: &std::path::Path) -> String {
    let ran = ok(dir, &["replay", s(log), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    v["head"].as_str().unwrap().to_owned()
}
