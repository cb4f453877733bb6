//! The foundation: runs, logs, replay, reports and validation of the Moscow
//! scenario, end to end.

use std::fs;
use std::path::PathBuf;

use serde_json::Value;

use crate::util::{fails, ok, run_log, s, scenario, scratch};

const MOSCOW: &str = "moscow-2015-12-15.json";

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let dir = scratch();
    let a = fs::read(run_log(&dir, MOSCOW, 7, "a.jsonl")).unwrap();
    let b = fs::read(run_log(&dir, MOSCOW, 7, "b.jsonl")).unwrap();
    let c = fs::read(run_log(&dir, MOSCOW, 8, "c.jsonl")).unwrap();
    assert_eq!(a, b, "the same scenario and seed gave different logs");
    assert_ne!(a, c, "another seed gave the same log");
}

#[test]
fn run_without_out_writes_under_runs_and_never_overwrites() {
    let dir = scratch();
    let ran = ok(&dir, &["run", s(&scenario(MOSCOW)), "--seed", "7"]);
    assert!(
        ran.stdout.starts_with("runs/moscow-2015-12-15-seed7.jsonl"),
        "{}",
        ran.stdout
    );
    let path = dir.path().join("runs/moscow-2015-12-15-seed7.jsonl");
    let before = fs::read(&path).unwrap();
    let again = fails(&dir, 2, &["run", s(&scenario(MOSCOW)), "--seed", "7"]);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(fs::read(&path).unwrap(), before);
    ok(
        &dir,
        &["run", s(&scenario(MOSCOW)), "--seed", "7", "--force"],
    );
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn replay_of_a_fresh_log_gives_the_runs_final_state() {
    let dir = scratch();
    let out = dir.path().join("m.jsonl");
    let ran = ok(
        &dir,
        &[
            "run",
            s(&scenario(MOSCOW)),
            "--seed",
            "3",
            "--out",
            s(&out),
            "--format",
            "json",
        ],
    );
    let run: Value = serde_json::from_str(&ran.stdout).unwrap();
    let replayed = ok(&dir, &["replay", s(&out), "--format", "json"]);
    let replay: Value = serde_json::from_str(&replayed.stdout).unwrap();
    assert_eq!(replay["head"], run["head"]);
    assert_eq!(replay["events"], run["events"]);
    let issues = run["issues"].as_array().unwrap();
    for (i, issue) in issues.iter().enumerate() {
        let state = &replay["state"]["issues"][i];
        assert_eq!(state["id"], issue["id"]);
        assert_eq!(state["mean"], issue["mean"]);
        assert_eq!(state["median"], issue["median"]);
    }
}

#[test]
fn replay_at_a_seq_gives_the_state_after_that_event() {
    let dir = scratch();
    let log = run_log(&dir, MOSCOW, 7, "m.jsonl");
    let state_at = |seq: u64| -> Value {
        let ran = ok(
            &dir,
            &[
                "replay",
                s(&log),
                "--at",
                &seq.to_string(),
                "--format",
                "json",
            ],
        );
        serde_json::from_str::<Value>(&ran.stdout).unwrap()["state"].clone()
    };
    // Seq 0 is the scenario as written, before the opening draws.
    let start = state_at(0);
    assert_eq!(start["seq"], 0);
    assert_eq!(start["round"], Value::Null);
    assert_eq!(start["issues"][0]["positions"]["USA"].as_f64(), Some(25.0));
    // The first round_closed ends round 0; the state there is the opening.
    let text = fs::read_to_string(&log).unwrap();
    let close = text
        .lines()
        .skip(1)
        .position(|l| l.contains("\"round_closed\""))
        .unwrap() as u64
        + 1;
    let opening = state_at(close);
    assert_eq!(opening["seq"], close);
    assert_eq!(opening["round"], 0);
    let usa = opening["issues"][0]["positions"]["USA"].as_f64().unwrap();
    assert!(
        (20.0..=30.0).contains(&usa),
        "USA opens within its uncertainty: {usa}"
    );
    fails(&dir, 2, &["replay", s(&log), "--at", "999999"]);
}

#[test]
fn one_changed_byte_in_any_line_is_caught_at_its_seq() {
    let dir = scratch();
    let log = run_log(&dir, MOSCOW, 7, "m.jsonl");
    let bytes = fs::read(&log).unwrap();
    let starts: Vec<usize> = std::iter::once(0)
        .chain(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    assert_eq!(*starts.last().unwrap(), bytes.len());
    // The header, the last line, the first line of every kind of event and
    // every 25th line, one byte each, at a position that walks the line (the
    // header past its first bytes, which say it is a log at all: see below).
    // Every line of the log (2,522) cost 30 s of the suite; which line is
    // flipped matters only through what the line is, and every kind is here.
    let lines = starts.len() - 1;
    let mut kinds = std::collections::BTreeSet::new();
    let chosen = |k: usize, line: &[u8], kinds: &mut std::collections::BTreeSet<String>| {
        let kind = serde_json::from_slice::<Value>(line).ok().and_then(|v| {
            v["event"]
                .as_object()
                .and_then(|o| o.keys().next().cloned())
        });
        let first_of_its_kind = kind.is_some_and(|kind| kinds.insert(kind));
        k == 0 || k == lines - 1 || k.is_multiple_of(25) || first_of_its_kind
    };
    let mut flipped = 0;
    for (k, pair) in starts.windows(2).enumerate() {
        let (start, end) = (pair[0], pair[1] - 1);
        if !chosen(k, &bytes[start..end], &mut kinds) {
            continue;
        }
        flipped += 1;
        let skip = if k == 0 { 40 } else { 0 };
        let offset = start + skip + (k * 37) % (end - start - skip);
        let mut bad = bytes.clone();
        bad[offset] ^= 0x20;
        let path = dir.path().join("bad.jsonl");
        fs::write(&path, &bad).unwrap();
        let ran = fails(&dir, 1, &["replay", s(&path)]);
        assert!(
            ran.stderr.contains(&format!("corrupt at seq {k} ")),
            "byte {offset} of seq {k} of {lines}: {}",
            ran.stderr
        );
    }
    assert!(
        kinds.len() >= 15 && flipped > 100,
        "{} kinds, {flipped} lines",
        kinds.len()
    );
    // A changed byte among the first, which say "this is a log", makes it
    // something that is not one.
    let mut bad = bytes.clone();
    bad[3] ^= 0x20;
    let path = dir.path().join("bad.jsonl");
    fs::write(&path, &bad).unwrap();
    let ran = fails(&dir, 2, &["replay", s(&path)]);
    assert!(ran.stderr.contains("not an Entente log"), "{}", ran.stderr);
}

#[test]
fn a_log_cut_mid_line_is_torn_after_the_last_whole_event() {
    let dir = scratch();
    let log = run_log(&dir, MOSCOW, 7, "m.jsonl");
    let bytes = fs::read(&log).unwrap();
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    let cut = bytes.len() - 40;
    fs::write(&log, &bytes[..cut]).unwrap();
    let ran = fails(&dir, 1, &["replay", s(&log)]);
    let last_whole = lines - 2; // the header is not an event; the last line is cut
    assert!(
        ran.stderr.contains(&format!("torn after seq {last_whole}")),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_syntax_error_is_reported_with_line_and_column() {
    let dir = scratch();
    let path = dir.path().join("bad.json");
    fs::write(
        &path,
        "{\n  \"version\": 1,\n  \"id\": \"x\"\n  \"title\": \"y\"\n}\n",
    )
    .unwrap();
    let ran = fails(&dir, 2, &["run", s(&path)]);
    assert!(ran.stderr.contains("bad.json:4:3:"), "{}", ran.stderr);
    assert!(
        !dir.path().join("runs").exists(),
        "a failed run wrote files"
    );
}

#[test]
fn every_semantic_problem_is_listed_with_its_json_path() {
    let dir = scratch();
    let mut moscow: Value =
        serde_json::from_str(&fs::read_to_string(scenario(MOSCOW)).unwrap()).unwrap();
    let stances = moscow["stances"].as_array_mut().unwrap();
    stances[0]["actor"] = "USX".into();
    stances[1]["position"] = 140.into();
    stances[2]["salience"] = 0.into();
    let path = dir.path().join("broken.json");
    fs::write(&path, serde_json::to_string_pretty(&moscow).unwrap()).unwrap();
    for command in ["run", "validate"] {
        let ran = fails(&dir, 2, &[command, s(&path)]);
        for expected in [
            "$.stances[0].actor: unknown actor \"USX\" (did you mean USA?)",
            "$.stances[1].position: expected a position from 0 to 100, found 140",
            "$.stances[2].salience: expected a salience in (0, 1], found 0",
        ] {
            assert!(
                ran.stderr.contains(expected),
                "{command}: missing {expected:?} in\n{}",
                ran.stderr
            );
        }
    }
}

#[test]
fn every_shipped_scenario_validates() {
    let dir = scratch();
    let mut files: Vec<_> = fs::read_dir(crate::util::root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !s(p).ends_with(".schema.json")
                && !s(p).ends_with(".history.json")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 2);
    let mut args = vec!["validate"];
    args.extend(files.iter().map(|p| s(p)));
    ok(&dir, &args);
    // Each is listed, with what to try, in scenarios/README.md.
    let listing = fs::read_to_string(crate::util::root().join("scenarios/README.md")).unwrap();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            listing.contains(&format!("`{name}`")),
            "scenarios/README.md does not list {name}"
        );
    }
}

#[test]
fn json_report_has_every_issue_with_its_series_from_round_zero() {
    let dir = scratch();
    let log = run_log(&dir, MOSCOW, 7, "m.jsonl");
    let ran = ok(&dir, &["report", s(&log), "--format", "json"]);
    let report: Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(report["scenario"], "moscow-2015-12-15");
    assert_eq!(report["seed"], 7);
    assert_eq!(report["rounds"], 26);
    let issues = report["issues"].as_array().unwrap();
    let ids: Vec<_> = issues.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "assad_role",
            "syria_ceasefire",
            "strike_targeting",
            "russia_sanctions",
            "minsk_implementation",
            "syria_ukraine_linkage"
        ]
    );
    for issue in issues {
        let rounds: Vec<u64> = issue["series"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["round"].as_u64().unwrap())
            .collect();
        assert_eq!(rounds, (0..=26).collect::<Vec<_>>(), "{}", issue["id"]);
        assert!(
            issue["series"][0]["positions"]["USA"].is_number()
                || issue["id"] == "minsk_implementation"
        );
        assert!(issue["forecast"]["mean"].is_number());
    }
    for format in ["text", "markdown"] {
        let ran = ok(&dir, &["report", s(&log), "--format", format]);
        assert!(ran.stdout.contains("assad_role"));
    }

    // An output path that names a log is refused: the log stays as it was.
    let other = run_log(&dir, MOSCOW, 8, "other.jsonl");
    let before = std::fs::read(&other).unwrap();
    let ran = fails(&dir, 2, &["report", s(&log), "--out", s(&other)]);
    assert!(ran.stderr.contains("is an Entente log"), "{}", ran.stderr);
    assert_eq!(std::fs::read(&other).unwrap(), before);
}

/// An exit status and a fragment of the message that comes with it.
type Status = (i32, &'static str);

/// Garbage given as a scenario is bad input (exit 2); given as a log, it is
/// "not an Entente log" (exit 2), except an empty file, which is a log torn
/// before its header (exit 1, as a writer that died there leaves it).
#[test]
fn garbage_of_every_kind_exits_with_its_documented_status() {
    let dir = scratch();
    let not_a_log: Status = (2, "not an Entente log");
    let torn: Status = (1, "torn after seq 0: the file is empty");
    // Each garbage file, what `run` and `validate` say of it as a scenario,
    // and what `replay` and `report` say of it as a log.
    let inputs: Vec<(&str, Vec<u8>, Status, Status)> = vec![
        ("empty", Vec::new(), (2, "EOF while parsing"), torn),
        (
            "binary",
            (0..=255u8).cycle().take(4096).collect(),
            (2, "the file holds NUL bytes"),
            not_a_log,
        ),
        (
            "not json",
            b"hello, world\n".to_vec(),
            (2, "1:1: expected value"),
            not_a_log,
        ),
        (
            "array",
            b"[1, 2, 3]".to_vec(),
            (2, "invalid type: integer `1`"),
            not_a_log,
        ),
        (
            "deep",
            "[".repeat(200_000).into_bytes(),
            (2, "JSON nested deeper than 32 levels"),
            not_a_log,
        ),
        (
            "huge number",
            b"{\"version\": 1e999}".to_vec(),
            (2, "number out of range"),
            not_a_log,
        ),
        (
            "nul",
            b"\0\0\0\n\0".to_vec(),
            (2, "the file holds NUL bytes"),
            not_a_log,
        ),
        (
            "invalid utf-8",
            vec![b'{', b'"', 0xff, 0xfe, b'"', b'}'],
            (2, "invalid unicode code point"),
            not_a_log,
        ),
    ];
    for (name, bytes, as_scenario, as_log) in inputs {
        let path = dir.path().join(name);
        fs::write(&path, &bytes).unwrap();
        for (args, (code, why)) in [
            (vec!["run", s(&path)], as_scenario),
            (vec!["validate", s(&path)], as_scenario),
            (vec!["replay", s(&path)], as_log),
            (vec!["report", s(&path)], as_log),
            (vec!["replay", s(&path), "--at", "3"], as_log),
        ] {
            let ran = fails(&dir, code, &args);
            assert!(
                ran.stderr.starts_with("error: ") && ran.stderr.contains(why),
                "{name} {args:?}: expected {why:?}, found {}",
                ran.stderr
            );
        }
    }
    let missing = fails(&dir, 2, &["replay", "no-such-file.jsonl"]);
    assert!(missing.stderr.contains("no-such-file.jsonl"));
    fails(&dir, 2, &["run"]);
    ok(&dir, &["--help"]);
}

#[test]
fn every_quoted_basis_appears_in_its_source() {
    // `entente validate --sources`: a basis that quotes a source
    // (`voa-2015-12-15: “…”`) quotes it word for word; line breaks in the
    // source count as spaces.
    let dir = scratch();
    let root = crate::util::root();
    let sources = root.join("scenarios/sources");
    let mut shipped: Vec<PathBuf> = fs::read_dir(root.join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    shipped.sort();
    let mut args = vec!["validate", "--sources", s(&sources)];
    args.extend(shipped.iter().map(|p| s(p)));
    let ran = ok(&dir, &args);
    let quotes: usize = ran
        .stdout
        .lines()
        .filter_map(|l| {
            l.rsplit_once("; ")?
                .1
                .split(' ')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .sum();
    assert!(quotes > 500, "{quotes} quotes checked:\n{}", ran.stdout);
    // One word changed in a quotation is caught, with the basis's path and
    // the file it is not in.
    let text = fs::read_to_string(scenario(MOSCOW)).unwrap();
    let (before, after) = text.split_once(": “").unwrap();
    let broken = dir.path().join("broken.json");
    fs::write(&broken, format!("{before}: “Xyzzy {after}")).unwrap();
    let bad = fails(&dir, 2, &["validate", "--sources", s(&sources), s(&broken)]);
    assert!(
        bad.stderr.contains(".basis")
            && bad.stderr.contains("is not in")
            && bad.stderr.contains("Xyzzy"),
        "{}",
        bad.stderr
    );
}

#[test]
fn rounds_beyond_the_limit_are_refused_before_anything_is_written() {
    let dir = scratch();
    let out = dir.path().join("never.jsonl");
    let ran = fails(
        &dir,
        2,
        &[
            "run",
            s(&scenario(MOSCOW)),
            "--rounds",
            "4000000000",
            "--out",
            s(&out),
        ],
    );
    assert!(
        ran.stderr
            .contains("--rounds: expected 1 to 10000 rounds, found 4000000000"),
        "{}",
        ran.stderr
    );
    assert!(!out.exists());
}

/// A quoted source that is a FIFO, a link or not UTF-8 is said to be so
/// (it was "not in" the folder, or its quotation "not in" a file read
/// lossily), and `validate --sources` never blocks on a FIFO.
#[test]
fn a_source_that_cannot_be_read_as_text_is_named_for_what_it_is() {
    let dir = scratch();
    let sources = dir.path().join("src");
    fs::create_dir(&sources).unwrap();
    let scen = dir.path().join("quoting.json");
    let mut value: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(scenario("tutorial-three-actors.json")).unwrap())
            .unwrap();
    value["actors"][0]["basis"] = "memo: “the words”".into();
    fs::write(&scen, value.to_string()).unwrap();
    let memo = sources.join("memo.txt");
    let fifo = std::process::Command::new("mkfifo")
        .arg(&memo)
        .status()
        .unwrap();
    assert!(fifo.success());
    let ran = fails(&dir, 2, &["validate", "--sources", s(&sources), s(&scen)]);
    assert!(ran.stderr.contains("memo.txt is a FIFO"), "{}", ran.stderr);
    fs::remove_file(&memo).unwrap();
    std::os::unix::fs::symlink(&scen, &memo).unwrap();
    let ran = fails(&dir, 2, &["validate", "--sources", s(&sources), s(&scen)]);
    assert!(
        ran.stderr.contains("memo.txt is a symbolic link"),
        "{}",
        ran.stderr
    );
    fs::remove_file(&memo).unwrap();
    fs::write(&memo, b"the words \xff\xfe").unwrap();
    let ran = fails(&dir, 2, &["validate", "--sources", s(&sources), s(&scen)]);
    assert!(
        ran.stderr.contains("memo.txt is not UTF-8 text"),
        "{}",
        ran.stderr
    );
    fs::write(&memo, "the words").unwrap();
    ok(&dir, &["validate", "--sources", s(&sources), s(&scen)]);
}

/// Every shipped scenario's agreement block says why its rule is what it
/// is (a `basis`), as every other block of facts does; `validate` refuses
/// an empty one, and a file without one (as engines before 0.8.0 wrote
/// them) stays valid.
#[test]
fn every_shipped_agreement_rule_carries_a_basis() {
    let root = crate::util::root();
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("scenarios"))
        .unwrap()
        .chain(fs::read_dir(root.join("docs/examples")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.to_string_lossy();
            name.ends_with(".json")
                && !name.ends_with(".history.json")
                && !name.ends_with("schema.json")
        })
        .collect();
    files.sort();
    let mut checked = 0;
    for path in &files {
        let value: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
        if let Some(agreement) = value.get("agreement") {
            let basis = agreement["basis"].as_str().unwrap_or_default();
            assert!(
                !basis.trim().is_empty(),
                "{}: $.agreement.basis",
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 19, "{checked}");
    let dir = scratch();
    let mut value: Value =
        serde_json::from_str(&fs::read_to_string(scenario("tutorial-three-actors.json")).unwrap())
            .unwrap();
    let path = dir.path().join("t.json");
    value["agreement"]["basis"] = " ".into();
    fs::write(&path, value.to_string()).unwrap();
    let ran = fails(&dir, 2, &["validate", s(&path)]);
    assert!(ran.stderr.contains("$.agreement.basis"), "{}", ran.stderr);
    value["agreement"].as_object_mut().unwrap().remove("basis");
    fs::write(&path, value.to_string()).unwrap();
    ok(&dir, &["validate", s(&path)]);
}
