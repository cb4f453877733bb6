//! A log you can trust: one writer, crashes that tear at most a line,
//! repair only when asked, re-runs that must match, and bad input of every
//! kind refused cleanly.

use std::fs;

use serde_json::Value;

use crate::util::{entente, fails, ok, rehash, root, run_log, s, scenario, scratch, spawn};

const MOSCOW: &str = "moscow-2015-12-15.json";

#[test]
fn two_runs_into_one_file_at_once_one_wins_and_the_result_verifies() {
    let dir = scratch();
    let out = dir.path().join("same.jsonl");
    let start = |_: usize| {
        spawn(
            dir.path(),
            &[
                "run",
                s(&scenario(MOSCOW)),
                "--rounds",
                "200",
                "--out",
                s(&out),
            ],
        )
    };
    let children: Vec<_> = (0..2).map(start).collect();
    let mut codes: Vec<(i32, String)> = children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            (
                o.status.code().unwrap_or(-1),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            )
        })
        .collect();
    codes.sort();
    assert_eq!(codes[0].0, 0, "{codes:?}");
    assert_eq!(codes[1].0, 2, "{codes:?}");
    assert!(
        codes[1].1.contains("already exists") || codes[1].1.contains("another process"),
        "{}",
        codes[1].1
    );
    ok(&dir, &["replay", s(&out)]);
}

#[test]
fn a_run_killed_mid_write_leaves_a_log_that_is_whole_or_torn_and_repair_mends_it() {
    let dir = scratch();
    for attempt in 0..4u64 {
        let out = dir.path().join(format!("killed{attempt}.jsonl"));
        let mut child = spawn(
            dir.path(),
            &[
                "run",
                s(&scenario(MOSCOW)),
                "--rounds",
                "10000",
                "--sync",
                "never",
                "--out",
                s(&out),
            ],
        );
        // Wait until the writer is well into the log, then kill it. The
        // size differs each attempt so the kill lands at different places.
        let target = 200_000 + attempt * 150_000;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while fs::metadata(&out).map_or(0, |m| m.len()) < target {
            assert!(
                std::time::Instant::now() < deadline,
                "the run never wrote {target} bytes"
            );
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        assert!(!status.success(), "the run finished before it was killed");

        let replay = entente(&dir, &["replay", s(&out)]);
        match replay.code {
            0 => {
                assert!(
                    replay
                        .stderr
                        .contains("the log is incomplete: it ends after round")
                        && replay.stdout.contains("(incomplete)"),
                    "{replay:#?}"
                );
                // Asked for a whole log, replay refuses this one.
                let strict = entente(&dir, &["replay", "--complete", s(&out)]);
                assert_eq!(strict.code, 1, "{strict:#?}");
                assert!(strict.stderr.contains("incomplete"), "{strict:#?}");
            }
            1 => assert!(replay.stderr.contains("torn after seq"), "{replay:#?}"),
            other => panic!("exit {other}: {replay:#?}"),
        }
        assert!(!replay.stderr.contains("corrupt"), "{replay:#?}");
        ok(&dir, &["repair", s(&out)]);
        ok(&dir, &["replay", s(&out)]);
    }
}

#[test]
fn repair_keeps_the_original_and_refuses_to_guess() {
    let dir = scratch();
    let log = run_log(&dir, MOSCOW, 7, "m.jsonl");
    let bytes = fs::read(&log).unwrap();

    // A whole log: nothing to do, nothing touched.
    let ran = ok(&dir, &["repair", s(&log)]);
    assert!(ran.stdout.contains("nothing to repair"));
    assert!(!dir.path().join("m.jsonl.orig").exists());

    // A torn tail: repaired; the original kept byte for byte.
    fs::write(&log, &bytes[..bytes.len() - 17]).unwrap();
    ok(&dir, &["repair", s(&log)]);
    let orig = dir.path().join("m.jsonl.orig");
    assert_eq!(fs::read(&orig).unwrap(), &bytes[..bytes.len() - 17]);
    ok(&dir, &["replay", s(&log)]);
    let kept = fs::read(&log).unwrap();
    assert!(bytes.starts_with(&kept));

    // Damage in the middle: refused unless a truncation point is given, and
    // an earlier original is never overwritten.
    let mut corrupt = bytes.clone();
    let middle = corrupt.len() / 2;
    corrupt[middle] ^= 0x01;
    fs::write(&log, &corrupt).unwrap();
    let ran = fails(&dir, 1, &["repair", s(&log)]);
    assert!(ran.stderr.contains("--truncate-at"), "{}", ran.stderr);
    assert_eq!(fs::read(&log).unwrap(), corrupt);
    let ran = fails(&dir, 2, &["repair", s(&log), "--truncate-at", "100"]);
    assert!(ran.stderr.contains("never overwritten"), "{}", ran.stderr);
    fs::remove_file(&orig).unwrap();
    ok(&dir, &["repair", s(&log), "--truncate-at", "100"]);
    assert_eq!(fs::read(&orig).unwrap(), corrupt);
    let replay = ok(&dir, &["replay", s(&log), "--format", "json"]);
    let replay: Value = serde_json::from_str(&replay.stdout).unwrap();
    assert_eq!(replay["events"], 100);
}

#[test]
fn a_rerun_must_give_the_same_bytes() {
    let dir = scratch();
    let log = run_log(&dir, MOSCOW, 5, "m.jsonl");
    let ran = ok(&dir, &["replay", "--rerun", s(&log)]);
    assert!(ran.stdout.contains("byte-identical"));

    // A consistently rewritten log (every hash recomputed) verifies but is
    // not what the header's run writes: only --rerun can tell.
    let text = fs::read_to_string(&log).unwrap();
    // (A strike on designated terrorists made one on other opposition,
    // whose forces the log does not say: no front's fighting reads it.)
    let forged = rehash(&text.replacen(
        "\"target\":\"designated_terrorists\"",
        "\"target\":\"other_opposition\"",
        1,
    ));
    let path = dir.path().join("forged.jsonl");
    fs::write(&path, forged).unwrap();
    ok(&dir, &["replay", s(&path)]);
    let ran = fails(&dir, 1, &["replay", "--rerun", s(&path)]);
    assert!(
        ran.stderr.contains("the re-run differs at seq"),
        "{}",
        ran.stderr
    );

    // A forger who keeps every hash right but changes what a report shows is
    // caught by replay's checks against the state, whatever they change.
    let first = |name: &str| {
        text.lines()
            .position(|l| l.contains(&format!("\"{name}\":{{")))
            .unwrap()
    };
    type Forgery = (&'static str, usize, fn(&mut Value));
    let cases: [Forgery; 4] = [
        ("a round's forecast", first("round_closed"), |v| {
            v["event"]["round_closed"]["issues"][0]["mean"] = 99.0.into()
        }),
        ("a move's start", first("position_changed"), |v| {
            v["event"]["position_changed"]["from"] = 0.5.into()
        }),
        ("an event's date", first("strike"), |v| {
            v["date"] = "1999-01-01".into()
        }),
        ("an extra issue in a close", first("round_closed"), |v| {
            let issues = v["event"]["round_closed"]["issues"].as_array_mut().unwrap();
            issues.push(serde_json::json!({"issue": "ghost", "mean": 1.0, "median": 1.0}));
        }),
    ];
    for (what, line, change) in cases {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let mut value: Value = serde_json::from_str(&lines[line]).unwrap();
        value.as_object_mut().unwrap().remove("hash");
        change(&mut value);
        let body = serde_json::to_string(&value).unwrap();
        lines[line] = format!(
            "{},\"hash\":\"{}\"}}",
            &body[..body.len() - 1],
            "0".repeat(64)
        );
        let path = dir.path().join("forged2.jsonl");
        fs::write(&path, rehash(&(lines.join("\n") + "\n"))).unwrap();
        let ran = fails(&dir, 1, &["replay", s(&path)]);
        assert!(
            ran.stderr.contains("could not have happened") || ran.stderr.contains("dated"),
            "{what}: {}",
            ran.stderr
        );
        fails(&dir, 1, &["report", s(&path)]);
    }

    // A log that stops early is not what the re-run writes either.
    let short: String = text.lines().take(100).map(|l| format!("{l}\n")).collect();
    let path = dir.path().join("short.jsonl");
    fs::write(&path, short).unwrap();
    let ran = fails(&dir, 1, &["replay", "--rerun", s(&path)]);
    assert!(
        ran.stderr.contains("the log ends after seq 99"),
        "{}",
        ran.stderr
    );
}

#[test]
fn a_log_from_a_newer_format_is_refused_by_name() {
    let dir = scratch();
    let log = run_log(&dir, "ec-car-emissions.json", 1, "ec.jsonl");
    let text = fs::read_to_string(&log)
        .unwrap()
        .replacen("\"version\":1,", "\"version\":7,", 1);
    fs::write(&log, text).unwrap();
    let ran = fails(&dir, 2, &["replay", s(&log)]);
    assert!(
        ran.stderr.contains(&format!(
            "written by entente {} in log format 7; this is entente",
            env!("CARGO_PKG_VERSION")
        )),
        "{}",
        ran.stderr
    );
}

#[test]
fn the_nasty_corpus_is_refused_cleanly() {
    let corpus = root().join("tests/corpus");
    let dir = scratch();
    let parent = run_log(&dir, MOSCOW, 1, "parent.jsonl");
    let expect = fs::read_to_string(corpus.join("expect.tsv")).unwrap();
    let mut seen = 0;
    for line in expect
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, code, fragment) = (cols[0], cols[1], cols.get(2).copied().unwrap_or(""));
        let code: i32 = code.parse().unwrap();
        let path = corpus.join(file);
        // Each command's exit status is stated; the first check's message
        // must hold the fragment.
        let check = |args: &[&str], want: i32, fragment: &str| {
            let ran = entente(&dir, args);
            assert_eq!(ran.code, want, "{file} {args:?}: {ran:#?}");
            assert!(
                ran.stderr.contains(fragment),
                "{file}: {fragment:?} not in {}",
                ran.stderr
            );
            if ran.code != 0 {
                assert!(
                    ran.stderr.starts_with("error: "),
                    "{file} {args:?}: {}",
                    ran.stderr
                );
            }
        };
        if file.starts_with("scenarios/") {
            check(&["validate", s(&path)], code, fragment);
            let out = dir.path().join("never.jsonl");
            check(&["run", s(&path), "--out", s(&out)], code, fragment);
            assert!(!out.exists(), "{file}: run wrote a log");
        } else if file.starts_with("logs/") {
            check(&["replay", s(&path)], code, fragment);
            let others: std::collections::BTreeMap<&str, i32> = cols
                .get(3)
                .unwrap_or_else(|| panic!("{file}: give report=, rerun= and repair= exits"))
                .split(' ')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k, v.parse().unwrap()))
                .collect();
            check(&["report", s(&path)], others["report"], "");
            check(&["replay", "--rerun", s(&path)], others["rerun"], "");
            let copy = dir.path().join("copy.jsonl");
            fs::copy(&path, &copy).unwrap();
            let _ = fs::remove_file(dir.path().join("copy.jsonl.orig"));
            check(&["repair", s(&copy)], others["repair"], "");
        } else {
            let out = dir.path().join("never.jsonl");
            let inject = format!("@{}", s(&path));
            check(
                &[
                    "branch",
                    s(&parent),
                    "--at",
                    "30",
                    "--inject",
                    &inject,
                    "--out",
                    s(&out),
                ],
                code,
                fragment,
            );
            assert!(!out.exists(), "{file}: branch wrote a log");
        }
        seen += 1;
    }
    let files = ["scenarios", "logs", "events"]
        .iter()
        .map(|d| fs::read_dir(corpus.join(d)).unwrap().count())
        .sum::<usize>();
    assert_eq!(seen, files, "every corpus file has an expectation");
}
