//! The red team's reproductions, round three: every file a command reads is
//! an input, limits hold on every command, inputs that are not regular files
//! are refused at once, merges check each part row by row, and a log cut
//! between lines is told apart from a whole one.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::util::{fails, ok, root, run_log, s, scenario, scratch, spawn};

const TUTORIAL: &str = "tutorial-three-actors.json";

/// A history of one proposition over the tutorial scenario, both in `dir`.
fn tutorial_history(dir: &tempfile::TempDir) -> (PathBuf, PathBuf) {
    let scen = dir.path().join(TUTORIAL);
    fs::copy(scenario(TUTORIAL), &scen).unwrap();
    let history = dir.path().join("tutorial.history.json");
    let text = serde_json::json!({
        "version": 1,
        "scenario": TUTORIAL,
        "about": "A test history.",
        "propositions": [
            {"id": "deal", "outcome": "agreement:ceasefire", "by": "2020-02-16",
             "happened": false, "basis": "analyst estimate"}
        ]
    });
    fs::write(&history, serde_json::to_string_pretty(&text).unwrap()).unwrap();
    (history, scen)
}

/// A FIFO at `path` (no process ever opens its other end).
fn fifo(path: &Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success());
}

/// Runs `args`, which must end within ten seconds with status 2.
fn refused_promptly(dir: &tempfile::TempDir, args: &[&str]) -> String {
    let started = Instant::now();
    let mut child = spawn(dir.path(), args);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let out = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(status.code(), Some(2), "{args:?}: {stderr}");
            return stderr;
        }
        if started.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("{args:?} still running after 10 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn every_file_a_command_reads_is_an_input_it_never_replaces() {
    let dir = scratch();
    let (history, scen) = tutorial_history(&dir);
    let before = fs::read(&scen).unwrap();
    let ran = fails(
        &dir,
        2,
        &["score", s(&history), "--seeds", "0..4", "--out", s(&scen)],
    );
    assert!(ran.stderr.contains("input"), "{}", ran.stderr);
    let ran = fails(
        &dir,
        2,
        &[
            "sensitivity",
            s(&scen),
            "--seeds",
            "0..2",
            "--out",
            s(&scen),
        ],
    );
    assert!(ran.stderr.contains("input"), "{}", ran.stderr);
    assert_eq!(fs::read(&scen).unwrap(), before);
    // An import's source, and a backtest's file.
    let source = dir.path().join("actors.csv");
    fs::write(
        &source,
        "Actor,Capability,Position,Salience\nA,1,0,1\nB,1,100,1\n",
    )
    .unwrap();
    fails(
        &dir,
        2,
        &["import", "scholz", s(&source), "--out", s(&source)],
    );
    assert!(fs::read_to_string(&source).unwrap().starts_with("Actor,"));
    let table = dir.path().join("deu.tsv");
    fs::copy(root().join("data/backtest-example.tsv"), &table).unwrap();
    let table_bytes = fs::read(&table).unwrap();
    fails(&dir, 2, &["backtest", s(&table), "--out", s(&table)]);
    assert_eq!(fs::read(&table).unwrap(), table_bytes);
    // A merge's parts.
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    ok(
        &dir,
        &[
            "score",
            s(&history),
            "--seeds",
            "0..4",
            "--shard",
            "1/2",
            "--out",
            s(&a),
        ],
    );
    ok(
        &dir,
        &[
            "score",
            s(&history),
            "--seeds",
            "0..4",
            "--shard",
            "2/2",
            "--out",
            s(&b),
        ],
    );
    let part = fs::read(&b).unwrap();
    fails(&dir, 2, &["merge", s(&a), s(&b), "--out", s(&b)]);
    assert_eq!(fs::read(&b).unwrap(), part);
}

#[test]
fn seeds_jobs_and_runs_are_held_to_one_set_of_limits_on_every_command() {
    let dir = scratch();
    let (history, scen) = tutorial_history(&dir);
    let everything = "0..18446744073709551615";
    for args in [
        vec!["score", s(&history), "--seeds", everything],
        vec!["sensitivity", s(&scen), "--seeds", everything],
        vec!["score", s(&history), "--seeds", "0..20000000"],
        vec!["score", s(&history), "--jobs", "0"],
        vec!["score", s(&history), "--jobs", "257"],
        vec!["sensitivity", s(&scen), "--jobs", "0"],
        vec!["sensitivity", s(&scen), "--jobs", "100000"],
        vec!["sweep", s(&scen), "--seeds", "0..2", "--jobs", "257"],
        vec![
            "sensitivity",
            s(&scen),
            "--method",
            "morris",
            "--trajectories",
            "4000000000",
        ],
    ] {
        let ran = fails(&dir, 2, &args);
        assert!(
            ran.stderr.contains("at most") || ran.stderr.contains("expected 1 to"),
            "{args:?}: {}",
            ran.stderr
        );
    }
}

#[test]
fn an_out_path_that_is_not_utf8_is_written_and_reported_without_a_panic() {
    let dir = scratch();
    let name = std::ffi::OsStr::from_bytes(b"run-\xff.jsonl");
    let out = dir.path().join(name);
    // (`s` needs UTF-8, so these commands are spawned by hand.)
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_entente"))
        .current_dir(dir.path())
        .args([
            "run",
            scenario(TUTORIAL).to_str().unwrap(),
            "--seed",
            "1",
            "--format",
            "json",
            "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(out.exists());
    let branch = dir
        .path()
        .join(std::ffi::OsStr::from_bytes(b"branch-\xfe.jsonl"));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_entente"))
        .current_dir(dir.path())
        .arg("branch")
        .arg(&out)
        .args(["--at", "3", "--format", "json", "--out"])
        .arg(&branch)
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(branch.exists());
}

#[test]
fn inputs_that_are_not_regular_files_are_refused_at_once() {
    let dir = scratch();
    let pipe = dir.path().join("pipe.json");
    fifo(&pipe);
    let log = run_log(&dir, TUTORIAL, 1, "parent.jsonl");
    // A history whose scenario is a FIFO.
    let history = dir.path().join("h.history.json");
    fs::write(
        &history,
        r#"{"version": 1, "scenario": "pipe.json", "about": "x", "propositions": []}"#,
    )
    .unwrap();
    let part = dir.path().join("part.json");
    fs::write(&part, "{}").unwrap();
    for args in [
        vec!["validate", s(&pipe)],
        vec!["run", s(&pipe)],
        vec!["replay", s(&pipe)],
        vec!["report", s(&pipe)],
        vec!["score", s(&history)],
        vec!["merge", s(&pipe), s(&part), "--out", "merged.json"],
        vec![
            "branch",
            s(&log),
            "--at",
            "3",
            "--inject",
            "@pipe.json",
            "--out",
            "b.jsonl",
        ],
        vec!["import", "scholz", s(&pipe), "--out", "imported.json"],
    ] {
        let stderr = refused_promptly(&dir, &args);
        assert!(
            stderr.contains("a FIFO; expected a regular file"),
            "{args:?}: {stderr}"
        );
    }
    for device in ["/dev/zero", "/dev/null"] {
        let stderr = refused_promptly(&dir, &["validate", device]);
        assert!(!stderr.contains("0 bytes"), "{device}: {stderr}");
        assert!(stderr.contains("device"), "{device}: {stderr}");
    }
    let stderr = refused_promptly(&dir, &["run", s(dir.path())]);
    assert!(stderr.contains("directory"), "{stderr}");
}

/// Rewrites the JSON file at `path` through `edit`.
fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut value: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    edit(&mut value);
    fs::write(path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
}

#[test]
fn merges_hold_each_part_to_its_own_slice_row_by_row() {
    let dir = scratch();
    let scen = scenario(TUTORIAL);
    let [a, b] = ["a.csv", "b.csv"].map(|n| dir.path().join(n));
    for (k, csv) in [("1/2", &a), ("2/2", &b)] {
        let json = csv.with_extension("json");
        ok(
            &dir,
            &[
                "sweep",
                s(&scen),
                "--seeds",
                "0..6",
                "--shard",
                k,
                "--csv",
                s(csv),
                "--out",
                s(&json),
            ],
        );
    }
    let whole = fs::read_to_string(&b).unwrap();
    let out = dir.path().join("merged.csv");
    // A deleted row: seed 4 is shard 2/2's.
    fs::write(
        &b,
        whole
            .lines()
            .filter(|l| !l.starts_with("4,"))
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let ran = fails(&dir, 2, &["merge", s(&a), s(&b), "--out", s(&out)]);
    assert!(ran.stderr.contains("seed 4 has no row"), "{}", ran.stderr);
    // A row of a seed outside the part's slice (seed 1 is shard 1/2's).
    fs::write(&b, whole.replacen("\n4,", "\n1,", 1)).unwrap();
    let ran = fails(&dir, 2, &["merge", s(&a), s(&b), "--out", s(&out)]);
    assert!(
        ran.stderr.contains("seed 1 is not shard 2/2's"),
        "{}",
        ran.stderr
    );
    assert!(!out.exists());

    // Score parts that disagree on what happened.
    let history = root().join("scenarios/moscow-2015-12-15.history.json");
    let [p, q] = ["p.json", "q.json"].map(|n| dir.path().join(n));
    for (k, part) in [("1/2", &p), ("2/2", &q)] {
        ok(
            &dir,
            &[
                "score",
                s(&history),
                "--seeds",
                "0..4",
                "--shard",
                k,
                "--out",
                s(part),
            ],
        );
    }
    edit_json(&q, |v| {
        let happened = &mut v["data"][0]["propositions"][0]["happened"];
        *happened = serde_json::Value::Bool(!happened.as_bool().unwrap());
    });
    let ran = fails(&dir, 2, &["merge", s(&p), s(&q), "--out", s(&out)]);
    assert!(
        ran.stderr.contains("1/2")
            && ran.stderr.contains("2/2")
            && ran.stderr.contains("no_agreement_on_assad"),
        "{}",
        ran.stderr
    );

    // Backtest parts with numbers off the scale.
    let table = root().join("data/backtest-example.tsv");
    let [x, y] = ["x.json", "y.json"].map(|n| dir.path().join(n));
    for (k, part) in [("1/2", &x), ("2/2", &y)] {
        ok(
            &dir,
            &["backtest", s(&table), "--shard", k, "--out", s(part)],
        );
    }
    let clean = fs::read(&y).unwrap();
    for (field, forged) in [("mean", 1e308), ("outcome", -5.0)] {
        fs::write(&y, &clean).unwrap();
        edit_json(&y, |v| {
            v["data"][0][0][1][field] = serde_json::json!(forged)
        });
        let ran = fails(&dir, 2, &["merge", s(&x), s(&y), "--out", s(&out)]);
        assert!(
            ran.stderr.contains("off the 0–100 scale"),
            "{field}: {}",
            ran.stderr
        );
    }
    assert!(!out.exists());
}

#[test]
fn a_log_cut_between_lines_is_told_apart_and_refused_when_a_whole_one_is_required() {
    let dir = scratch();
    let log = run_log(&dir, TUTORIAL, 1, "whole.jsonl");
    ok(&dir, &["replay", "--complete", s(&log)]);
    let lines = crate::util::lines(&log);
    let cut = dir.path().join("cut.jsonl");
    fs::write(
        &cut,
        lines[..lines.len() / 2]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let plain = ok(&dir, &["replay", s(&cut)]);
    assert!(plain.stdout.contains("(incomplete)"), "{}", plain.stdout);
    assert!(
        plain.stderr.contains("the log is incomplete"),
        "{}",
        plain.stderr
    );
    let json = ok(&dir, &["replay", s(&cut), "--format", "json"]);
    assert!(
        json.stdout.contains("\"complete\": false"),
        "{}",
        json.stdout
    );
    let strict = fails(&dir, 1, &["replay", "--complete", s(&cut)]);
    assert!(strict.stderr.contains("incomplete"), "{}", strict.stderr);
}

#[test]
fn validate_takes_the_glob_a_user_types_first_histories_and_schema_included() {
    let dir = scratch();
    let mut args = vec!["validate".to_owned()];
    let mut names: Vec<PathBuf> = fs::read_dir(root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    args.extend(names.iter().map(|p| s(p).to_owned()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let ran = ok(&dir, &refs);
    assert!(
        ran.stdout
            .contains("moscow-2015-12-15.history.json: ok (a history: 15 propositions"),
        "{}",
        ran.stdout
    );
    assert!(
        ran.stdout
            .contains("scenario.schema.json: ok (the scenario format's JSON Schema"),
        "{}",
        ran.stdout
    );
    // A history is checked against its scenario, and a stale schema is named.
    let (history, _) = tutorial_history(&dir);
    let text = fs::read_to_string(&history)
        .unwrap()
        .replace("agreement:ceasefire", "agreement:nowhere");
    fs::write(&history, text).unwrap();
    let ran = fails(&dir, 2, &["validate", s(&history)]);
    assert!(
        ran.stderr.contains("$.propositions[0].outcome"),
        "{}",
        ran.stderr
    );
    let schema = dir.path().join("old.schema.json");
    fs::write(&schema, "{\"$schema\": \"x\"}\n").unwrap();
    let ran = fails(&dir, 2, &["validate", s(&schema)]);
    assert!(
        ran.stderr.contains("differs from this build's"),
        "{}",
        ran.stderr
    );
}

#[test]
fn imports_refuse_a_file_past_the_actor_limit_at_the_row_that_passes_it() {
    let dir = scratch();
    let rows = 100_000;
    let mut scholz = String::from("Actor,Capability,Position,Salience\n");
    let mut decide = String::new();
    for k in 0..rows {
        scholz.push_str(&format!("A{k},1,{},0.5\n", k % 100));
        decide.push_str(&format!("#A;A{k};actor {k}\n"));
    }
    for (format, name, text, line) in [
        ("scholz", "big.csv", &scholz, "1002"),
        ("decide", "big.txt", &decide, "1001"),
    ] {
        let file = dir.path().join(name);
        fs::write(&file, text).unwrap();
        // Before the limit was applied while reading, the Scholz import of
        // 100,000 rows ran for minutes (quadratic); now it stops at once.
        let stderr = refused_promptly(&dir, &["import", format, s(&file), "--out", "out.json"]);
        assert!(
            stderr.contains(&format!("{name}:{line}")) && stderr.contains("more than 1000 actors"),
            "{format}: {stderr}"
        );
    }
}

/// Moscow's log of seed 7 with `forge` applied to the first line it
/// changes, re-hashed; plain replay must refuse it at that line's seq with
/// `reason`.
fn refused_forgery(
    dir: &tempfile::TempDir,
    log: &str,
    name: &str,
    forge: impl Fn(&str) -> Option<String>,
    reason: &str,
) {
    let mut lines: Vec<String> = log.lines().map(str::to_owned).collect();
    let at = (1..lines.len())
        .find_map(|k| forge(&lines[k]).map(|f| (k, f)))
        .unwrap_or_else(|| panic!("{name}: nothing to forge"));
    lines[at.0] = at.1;
    let path = dir.path().join(format!("{name}.jsonl"));
    fs::write(&path, crate::util::rehash(&(lines.join("\n") + "\n"))).unwrap();
    let ran = fails(dir, 1, &["replay", s(&path)]);
    // A forged timeline act is caught where its round closes without the
    // entry; anything else at its own seq.
    let seq = if reason == "timeline entry" {
        String::new()
    } else {
        format!("corrupt at seq {}", at.0)
    };
    assert!(
        ran.stderr.contains(&seq) && ran.stderr.contains(reason),
        "{name}: {}",
        ran.stderr
    );
}

#[test]
fn plain_replay_re_decides_what_no_draw_decided() {
    let dir = scratch();
    let log =
        fs::read_to_string(run_log(&dir, "moscow-2015-12-15.json", 7, "moscow.jsonl")).unwrap();
    let compromise = |l: &str| l.contains("\"compromise_model\"");
    // A compromise-model move forged to 20.0.
    refused_forgery(
        &dir,
        &log,
        "to",
        |l| {
            compromise(l).then(|| {
                let at = l.find("\"to\":").unwrap() + 5;
                let end = at + l[at..].find(',').unwrap();
                format!("{}20.0{}", &l[..at], &l[end..])
            })
        },
        "compromise step",
    );
    refused_forgery(
        &dir,
        &log,
        "lambda",
        |l| compromise(l).then(|| l.replace("\"lambda\":0.2", "\"lambda\":0.3")),
        "λ",
    );
    // An agreement moved off the forecast it is signed at.
    refused_forgery(
        &dir,
        &log,
        "agreement",
        |l| {
            l.contains("\"agreement_signed\"").then(|| {
                let at = l.find("\"position\":").unwrap() + 11;
                let end = at + l[at..].find(',').unwrap();
                format!("{}50.0{}", &l[..at], &l[end..])
            })
        },
        "the agreed position",
    );
    // A timeline act's text and actor, changed from the header's timeline.
    refused_forgery(
        &dir,
        &log,
        "text",
        |l| {
            l.contains("\"scripted\"")
                .then(|| l.replace("\"text\":\"", "\"text\":\"Not "))
        },
        "timeline entry",
    );
    refused_forgery(
        &dir,
        &log,
        "actor",
        |l| {
            (l.contains("\"scripted\"") && l.contains("\"actor\":\"USA\""))
                .then(|| l.replace("\"actor\":\"USA\"", "\"actor\":\"RUS\""))
        },
        "timeline entry",
    );
    // A timeline act deleted, the seqs after it renumbered: the round it
    // belonged to closes without it.
    let mut lines: Vec<String> = log.lines().map(str::to_owned).collect();
    let gone = lines
        .iter()
        .position(|l| l.contains("\"scripted\"") && !l.starts_with("{\"format\""))
        .unwrap();
    lines.remove(gone);
    for (k, line) in lines.iter_mut().enumerate().skip(gone) {
        let end = line.find(',').unwrap();
        *line = format!("{{\"seq\":{k}{}", &line[end..]);
    }
    let path = dir.path().join("deleted.jsonl");
    fs::write(&path, crate::util::rehash(&(lines.join("\n") + "\n"))).unwrap();
    let ran = fails(&dir, 1, &["replay", s(&path)]);
    assert!(ran.stderr.contains("timeline"), "{}", ran.stderr);
    // Nothing forged, nothing refused: every shipped scenario's log folds.
    ok(&dir, &["replay", s(&dir.path().join("moscow.jsonl"))]);
}

#[test]
fn injections_hold_numbers_to_their_ranges_and_overrides_are_counterfactuals() {
    let dir = scratch();
    let parent = run_log(&dir, "moscow-2015-12-15.json", 7, "parent.jsonl");
    for (inject, why) in [
        (
            r#"{"package_accepted": {"offerer":"USA","receiver":"RUS","offerer_yields":{"issue":"assad_role","to":40},"receiver_yields":{"issue":"russia_sanctions","to":40},"gain":1e308}}"#,
            "the package's gain is 1e308, outside [−100, 100]",
        ),
        (
            r#"{"capability_changed": {"actor":"USA","to":1e308}}"#,
            "USA's capability is 1e308",
        ),
        (
            r#"{"ceasefire_collapsed": {"theatre": "syria"}}"#,
            "the syria ceasefire is not in force",
        ),
    ] {
        let ran = fails(
            &dir,
            2,
            &[
                "branch",
                s(&parent),
                "--at",
                "100",
                "--inject",
                inject,
                "--out",
                "b.jsonl",
            ],
        );
        assert!(ran.stderr.contains(why), "{inject}: {}", ran.stderr);
    }
    // A decision without votes is every member's vote for it, written out.
    let out = dir.path().join("lifted.jsonl");
    ok(
        &dir,
        &[
            "branch",
            s(&parent),
            "--at",
            "100",
            "--inject",
            r#"{"sanctions_lifted": {"regime": "eu_sectoral"}}"#,
            "--out",
            s(&out),
        ],
    );
    let injected = crate::util::lines(&out)
        .into_iter()
        .find(|l| l.starts_with("{\"seq\":101,"))
        .unwrap();
    assert!(
        injected.contains(r#""votes":{"DEU":"lift","FRA":"lift""#),
        "{injected}"
    );
}

/// The second hostile pass's findings, each refused.
#[test]
fn the_second_hostile_pass_finds_its_cases_refused() {
    let dir = scratch();
    let tutorial = scenario(TUTORIAL);
    // F1: `--csv -` is not a file named "-" (here, a scenario named "-").
    let dash = dir.path().join("-");
    fs::copy(&tutorial, &dash).unwrap();
    let before = fs::read(&dash).unwrap();
    let ran = fails(&dir, 2, &["sweep", "-", "--seeds", "0..3", "--csv", "-"]);
    assert!(ran.stderr.contains("--csv -"), "{}", ran.stderr);
    assert_eq!(fs::read(&dash).unwrap(), before);
    // F2: a counterexample's default name is never the input's.
    let ec = dir.path().join("ec-car-emissions.counterexample.json");
    fs::copy(scenario("ec-car-emissions.json"), &ec).unwrap();
    let ec_bytes = fs::read(&ec).unwrap();
    let ran = fails(&dir, 2, &["check-laws", s(&ec), "--cases", "2"]);
    assert!(ran.stderr.contains("default name"), "{}", ran.stderr);
    assert_eq!(fs::read(&ec).unwrap(), ec_bytes);
    // F3 and F12: repair refuses a FIFO at once, and a symbolic link.
    let pipe = dir.path().join("pipe.jsonl");
    fifo(&pipe);
    let stderr = refused_promptly(&dir, &["repair", s(&pipe)]);
    assert!(stderr.contains("a FIFO"), "{stderr}");
    let log = run_log(&dir, TUTORIAL, 1, "real.jsonl");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&log, &link).unwrap();
    let ran = fails(&dir, 2, &["repair", s(&link)]);
    assert!(ran.stderr.contains("symbolic link"), "{}", ran.stderr);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// The second hostile pass's findings on merges and backtest.
#[test]
fn the_second_hostile_pass_finds_merges_and_backtest_held_to_their_inputs() {
    let dir = scratch();
    let tutorial = scenario(TUTORIAL);
    // F5 and F14: merge takes only a sweep's CSV, each row as wide as its header.
    let empty = dir.path().join("empty.txt");
    fs::write(&empty, "").unwrap();
    fails(&dir, 2, &["merge", s(&empty), "--out", "e.csv"]);
    let [a, b] = ["c1.csv", "c2.csv"].map(|n| dir.path().join(n));
    for (k, csv) in [("1/2", &a), ("2/2", &b)] {
        ok(
            &dir,
            &[
                "sweep",
                s(&tutorial),
                "--seeds",
                "0..6",
                "--shard",
                k,
                "--csv",
                s(csv),
                "--format",
                "json",
            ],
        );
    }
    let text = fs::read_to_string(&b).unwrap();
    let cut: String = text
        .lines()
        .map(|l| {
            if l.starts_with("4,") {
                "4\n".to_owned()
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(&b, cut).unwrap();
    let ran = fails(&dir, 2, &["merge", s(&a), s(&b), "--out", "m.csv"]);
    assert!(ran.stderr.contains("a row of 1 fields"), "{}", ran.stderr);
    // F4: a sweep part whose counts exceed its runs.
    let [p, q] = ["p.json", "q.json"].map(|n| dir.path().join(n));
    for (k, part) in [("1/2", &p), ("2/2", &q)] {
        ok(
            &dir,
            &[
                "sweep",
                s(&tutorial),
                "--seeds",
                "0..6",
                "--shard",
                k,
                "--format",
                "json",
                "--out",
                s(part),
            ],
        );
    }
    edit_json(&q, |v| {
        v["variants"][0]["aggregates"]["outcomes"]["ceasefire_collapsed:border"] =
            serde_json::json!({"5": 999});
    });
    let ran = fails(&dir, 2, &["merge", s(&p), s(&q), "--out", "m.json"]);
    assert!(
        ran.stderr.contains("shard 2/2") && ran.stderr.contains("more runs"),
        "{}",
        ran.stderr
    );
    // F6: a sensitivity part whose effect is not its up minus its down.
    let [x, y] = ["x.json", "y.json"].map(|n| dir.path().join(n));
    for (k, part) in [("1/2", &x), ("2/2", &y)] {
        ok(
            &dir,
            &[
                "sensitivity",
                s(&tutorial),
                "--seeds",
                "0..4",
                "--shard",
                k,
                "--out",
                s(part),
            ],
        );
    }
    ok(&dir, &["merge", s(&x), s(&y), "--out", "sens.txt"]);
    edit_json(&y, |v| {
        v["data"]["work"]["oat"][0]["outcomes"][0]["effect"] = serde_json::json!(55.0)
    });
    fails(&dir, 2, &["merge", s(&x), s(&y), "--out", "sens2.txt"]);
    // F13: a backtest file naming an issue twice.
    let table = fs::read_to_string(root().join("data/backtest-example.tsv")).unwrap();
    let ids: Vec<&str> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|i| !i.is_empty())
        .collect();
    let twice = dir.path().join("twice.tsv");
    fs::write(&twice, table.replacen(ids[1], ids[0], 1)).unwrap();
    let ran = fails(&dir, 2, &["backtest", s(&twice), "--bootstrap", "5"]);
    assert!(ran.stderr.contains("given twice"), "{}", ran.stderr);
}

/// F10: compare says which log is incomplete.
#[test]
fn compare_says_which_log_is_incomplete() {
    let dir = scratch();
    let log = run_log(&dir, TUTORIAL, 1, "real.jsonl");
    let lines = crate::util::lines(&log);
    let cut_log = dir.path().join("cut.jsonl");
    fs::write(
        &cut_log,
        lines[..lines.len() / 2]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    let ran = ok(&dir, &["compare", s(&cut_log), s(&log)]);
    assert!(
        ran.stdout.contains("cut.jsonl is incomplete"),
        "{}",
        ran.stdout
    );
    let ran = ok(&dir, &["compare", s(&cut_log), s(&log), "--format", "json"]);
    assert!(
        ran.stdout
            .contains("\"complete\": [\n    false,\n    true\n  ]"),
        "{}",
        ran.stdout
    );
}

/// F11: two sweeps writing one `--csv` at once: the second is refused at
/// the start and the first's table in the making is left whole.
#[test]
fn a_second_sweep_on_the_same_csv_is_refused_and_takes_nothing() {
    let dir = scratch();
    let csv = dir.path().join("out.csv");
    let partial = dir.path().join("out.csv.entente-partial");
    // The first sweep's temporary, held as a running sweep holds it.
    let first = fs::File::create(&partial).unwrap();
    first.try_lock().unwrap();
    fs::write(&partial, "seed,fingerprint\n").unwrap();
    let scen = scenario(TUTORIAL);
    let args = ["sweep", s(&scen), "--seeds", "0..3", "--csv", s(&csv)];
    let ran = fails(&dir, 2, &args);
    assert!(
        ran.stderr
            .contains("another process is writing this output"),
        "{}",
        ran.stderr
    );
    assert_eq!(fs::read_to_string(&partial).unwrap(), "seed,fingerprint\n");
    assert!(!csv.exists());
    // The first writer gone, its leftover is the product's to replace.
    drop(first);
    ok(&dir, &args);
    assert_eq!(fs::read_to_string(&csv).unwrap().lines().count(), 4);
    assert!(!partial.exists());
}

/// F15: a merge that refuses parts of different commands names the parts.
#[test]
fn merges_of_parts_of_different_commands_name_the_parts() {
    let dir = scratch();
    let out = dir.path().join("merged.json");
    let [a, b] = ["a.json", "b.json"].map(|n| dir.path().join(n));
    let scenarios = [scenario(TUTORIAL), scenario("ec-car-emissions.json")];
    for ((k, part), scen) in [("1/2", &a), ("2/2", &b)].into_iter().zip(&scenarios) {
        let args = [
            "sweep",
            s(scen),
            "--seeds",
            "0..4",
            "--shard",
            k,
            "--out",
            s(part),
        ];
        ok(&dir, &args);
    }
    let ran = fails(&dir, 2, &["merge", s(&a), s(&b), "--out", s(&out)]);
    assert!(
        ran.stderr
            .contains("the part of seeds 2..4 is not of the same sweep as the part of seeds 0..2"),
        "{}",
        ran.stderr
    );
    let histories = ["moscow-2015-12-15", "minsk-2015-02"]
        .map(|h| root().join(format!("scenarios/{h}.history.json")));
    for ((k, part), history) in [("1/2", &a), ("2/2", &b)].into_iter().zip(&histories) {
        let args = [
            "score",
            s(history),
            "--seeds",
            "0..4",
            "--shard",
            k,
            "--out",
            s(part),
        ];
        fs::remove_file(part).unwrap();
        ok(&dir, &args);
    }
    let ran = fails(&dir, 2, &["merge", s(&a), s(&b), "--out", s(&out)]);
    assert!(
        ran.stderr
            .contains("b.json: is not of the same score command as")
            && ran.stderr.contains("a.json (its settings differ)"),
        "{}",
        ran.stderr
    );
    assert!(!out.exists());
}
