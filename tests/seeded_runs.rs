//! Comparing seeded runs: compare, branch, sweep and merge.

use std::fs;

use serde_json::Value;

use crate::util::{entente, fails, ok, run_log, s, scenario, scratch};

const MOSCOW: &str = "moscow-2015-12-15.json";

fn lines(path: &std::path::Path) -> Vec<String> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The seq of the first event line whose text contains `needle`.
fn seq_of(path: &std::path::Path, needle: &str) -> u64 {
    lines(path)
        .iter()
        .skip(1)
        .position(|l| l.contains(needle))
        .expect("the event is in the log") as u64
        + 1
}

#[test]
fn compare_names_the_first_differing_seq_and_knows_a_log_from_itself() {
    let dir = scratch();
    let a = run_log(&dir, MOSCOW, 7, "a.jsonl");
    let b = run_log(&dir, MOSCOW, 8, "b.jsonl");
    let same = entente(&dir, &["compare", s(&a), s(&a)]);
    assert_eq!(same.code, 0, "{same:#?}");
    assert!(same.stdout.starts_with("identical"), "{}", same.stdout);

    let ran = entente(&dir, &["compare", s(&a), s(&b), "--format", "json"]);
    assert_eq!(ran.code, 0, "{ran:#?}");
    let cmp: Value = serde_json::from_str(&ran.stdout).unwrap();
    assert_eq!(cmp["identical"], false);
    assert_eq!(cmp["header"][0]["path"], "$.seed");
    // The first line on which the two logs differ is the first difference.
    let (la, lb) = (lines(&a), lines(&b));
    let first = la
        .iter()
        .zip(&lb)
        .skip(1)
        .position(|(x, y)| x.split(",\"hash\"").next() != y.split(",\"hash\"").next())
        .unwrap() as u64
        + 1;
    assert_eq!(cmp["parting"]["seq"], first);
    assert!(cmp["parting"]["a"]["event"].is_object());
    let text = entente(&dir, &["compare", s(&a), s(&b)]);
    assert!(
        text.stdout
            .contains(&format!("The logs part at seq {first}")),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("$.seed: 7 | 8"), "{}", text.stdout);
}

/// Each side of a comparison tells its own story from its own header: a
/// ceasefire in force at the start in one scenario and not in the other.
#[test]
fn compare_tells_each_sides_ceasefires_from_its_own_header() {
    let dir = scratch();
    let mut variant: Value =
        serde_json::from_str(&std::fs::read_to_string(scenario(MOSCOW)).unwrap()).unwrap();
    let ceasefires = variant["ceasefires"].as_array_mut().unwrap();
    let ukraine = ceasefires
        .iter_mut()
        .find(|c| c["theatre"] == "eastern_ukraine")
        .unwrap();
    assert_eq!(ukraine["in_force"], true);
    ukraine["in_force"] = Value::Bool(false);
    let file = dir.path().join("not-in-force.json");
    std::fs::write(&file, serde_json::to_vec_pretty(&variant).unwrap()).unwrap();
    let a = run_log(&dir, MOSCOW, 7, "a.jsonl");
    let b = dir.path().join("b.jsonl");
    ok(
        &dir,
        &[
            "run",
            s(&file),
            "--seed",
            "7",
            "--out",
            s(&b),
            "--sync",
            "never",
        ],
    );
    let story = |first: &std::path::Path, second: &std::path::Path| {
        let ran = ok(&dir, &["compare", s(first), s(second), "--format", "json"]);
        let cmp: Value = serde_json::from_str(&ran.stdout).unwrap();
        let pair = cmp["ceasefires"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["subject"] == "eastern_ukraine")
            .cloned()
            .unwrap();
        (
            pair["a"].as_str().unwrap().to_owned(),
            pair["b"].as_str().unwrap().to_owned(),
        )
    };
    let in_force = "in force from the start";
    let (ab_a, ab_b) = story(&a, &b);
    assert!(ab_a.contains(in_force), "{ab_a}");
    assert!(!ab_b.contains(in_force), "{ab_b}");
    let (ba_a, ba_b) = story(&b, &a);
    assert!(!ba_a.contains(in_force), "{ba_a}");
    assert!(ba_b.contains(in_force), "{ba_b}");
    // A log compared with one that is not there is refused as input.
    let absent = dir.path().join("absent.jsonl");
    fails(&dir, 2, &["compare", s(&a), s(&absent)]);
}

#[test]
fn a_branch_keeps_its_parents_prefix_byte_for_byte_and_verifies() {
    let dir = scratch();
    let parent = run_log(&dir, MOSCOW, 7, "parent.jsonl");
    let at = seq_of(&parent, "International Syria Support Group");
    let out = dir.path().join("branch.jsonl");
    let ran = entente(
        &dir,
        &[
            "branch",
            s(&parent),
            "--at",
            &at.to_string(),
            "--inject",
            r#"{"ceasefire_agreed": {"theatre": "syria"}}"#,
            "--out",
            s(&out),
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    let (p, b) = (lines(&parent), lines(&out));
    for seq in 1..=at as usize {
        assert_eq!(p[seq], b[seq], "seq {seq} differs");
    }
    assert!(b[at as usize + 1].contains("\"ceasefire_agreed\""));
    assert_ne!(p[at as usize + 1], b[at as usize + 1]);
    let header: Value = serde_json::from_str(&b[0]).unwrap();
    let parent_head = p.last().unwrap().rsplit('"').nth(1).unwrap().to_owned();
    assert_eq!(header["branch"]["parent"], parent_head);
    assert_eq!(header["branch"]["at"], at);
    let replay = entente(&dir, &["replay", s(&out)]);
    assert_eq!(replay.code, 0, "{replay:#?}");

    // compare shows the injected event's effect.
    let cmp = entente(&dir, &["compare", s(&parent), s(&out), "--format", "json"]);
    let cmp: Value = serde_json::from_str(&cmp.stdout).unwrap();
    assert_eq!(cmp["parting"]["seq"], at + 1);
    let syria = cmp["ceasefires"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["subject"] == "syria")
        .unwrap();
    assert!(
        syria["b"].as_str().unwrap().contains("agreed round"),
        "{syria}"
    );

    // A changed byte in the branch record is caught at the header.
    let mut tampered = fs::read_to_string(&out).unwrap();
    tampered = tampered.replacen(&format!("\"at\":{at}"), &format!("\"at\":{}", at + 1), 1);
    let path = dir.path().join("tampered.jsonl");
    fs::write(&path, tampered).unwrap();
    let bad = entente(&dir, &["replay", s(&path)]);
    assert_eq!(bad.code, 1, "{bad:#?}");
    assert!(bad.stderr.contains("seq 0"), "{}", bad.stderr);
}

#[test]
fn a_branch_that_injects_nothing_reproduces_its_parent() {
    let dir = scratch();
    let parent = run_log(&dir, MOSCOW, 11, "parent.jsonl");
    for at in [0u64, 1, 57, 200] {
        let out = dir.path().join(format!("b{at}.jsonl"));
        let ran = entente(
            &dir,
            &[
                "branch",
                s(&parent),
                "--at",
                &at.to_string(),
                "--out",
                s(&out),
            ],
        );
        assert_eq!(ran.code, 0, "{ran:#?}");
        assert_eq!(lines(&parent)[1..], lines(&out)[1..], "branch at {at}");
    }
}

#[test]
fn a_branch_of_a_branch_and_a_reseeded_branch_verify() {
    let dir = scratch();
    let parent = run_log(&dir, MOSCOW, 7, "parent.jsonl");
    let first = dir.path().join("first.jsonl");
    let at1 = seq_of(&parent, "International Syria Support Group");
    let ran = entente(
        &dir,
        &[
            "branch",
            s(&parent),
            "--at",
            &at1.to_string(),
            "--inject",
            r#"{"position_changed": {"actor": "RUS", "issue": "syria_ceasefire", "to": 90}}"#,
            "--out",
            s(&first),
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    let second = dir.path().join("second.jsonl");
    let at2 = at1 + 100;
    let ran = entente(
        &dir,
        &[
            "branch",
            s(&first),
            "--at",
            &at2.to_string(),
            "--seed",
            "99",
            "--out",
            s(&second),
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    let (f, g) = (lines(&first), lines(&second));
    for seq in 1..=at2 as usize {
        assert_eq!(f[seq], g[seq], "seq {seq}");
    }
    let header: Value = serde_json::from_str(&g[0]).unwrap();
    let injections = header["branch"]["injections"].as_array().unwrap();
    assert_eq!(injections.len(), 2, "{header}");
    assert_eq!(injections[1]["seed"], 99);
    for log in [&first, &second] {
        let replay = entente(&dir, &["replay", s(log)]);
        assert_eq!(replay.code, 0, "{replay:#?}");
    }

    // A branch of a branch after its injected event, with nothing new, plays
    // it again byte for byte: it inherits every injection before its point.
    // At the branch point itself, the injected event (seq at1 + 1) is not
    // kept, so the history is the grandparent's.
    let again = dir.path().join("again.jsonl");
    let ran = entente(
        &dir,
        &[
            "branch",
            s(&first),
            "--at",
            &at1.to_string(),
            "--out",
            s(&again),
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    assert_eq!(lines(&parent)[1..], lines(&again)[1..], "again at {at1}");
    for at in [at1 + 1, at2] {
        let again = dir.path().join(format!("again{at}.jsonl"));
        let ran = entente(
            &dir,
            &[
                "branch",
                s(&first),
                "--at",
                &at.to_string(),
                "--out",
                s(&again),
            ],
        );
        assert_eq!(ran.code, 0, "{ran:#?}");
        assert_eq!(lines(&first)[1..], lines(&again)[1..], "again at {at}");
    }
}

#[test]
fn a_seed_recorded_with_an_injection_outlives_it_in_a_later_branch() {
    let dir = scratch();
    let parent = run_log(&dir, MOSCOW, 0, "parent.jsonl");
    let branch = |from: &std::path::Path, name: &str, extra: &[&str]| {
        let out = dir.path().join(name);
        let mut args = vec!["branch", s(from), "--at", "43"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--out", s(&out)]);
        let ran = entente(&dir, &args);
        assert_eq!(ran.code, 0, "{ran:#?}");
        out
    };
    let inject = r#"{"position_changed": {"actor": "RUS", "issue": "syria_ceasefire", "to": 10}}"#;
    let both = branch(&parent, "both.jsonl", &["--inject", inject, "--seed", "3"]);
    let reseeded = branch(&parent, "reseeded.jsonl", &["--seed", "3"]);
    // Branching `both` where its injection was made keeps the seed it was
    // made with, asked for again or not, and loses only the event.
    for (name, extra) in [
        ("again.jsonl", &["--seed", "3"][..]),
        ("plain.jsonl", &[][..]),
    ] {
        let again = branch(&both, name, extra);
        assert_eq!(lines(&reseeded)[1..], lines(&again)[1..], "{name}");
        assert_ne!(lines(&parent)[1..], lines(&again)[1..], "{name}");
    }
}

#[test]
fn an_injection_drops_the_batch_events_it_made_impossible() {
    // The eastern Ukraine ceasefire of seed 0 collapses at seq c, in the
    // same batch as the violation before it. Injecting that collapse right
    // after the violation leaves the mechanism's own collapse impossible:
    // the branch drops it, and the result re-runs to the same bytes.
    let dir = scratch();
    let parent = run_log(&dir, "moscow-2015-12-15-linkage.json", 0, "parent.jsonl");
    let c = seq_of(&parent, "ceasefire_collapsed");
    assert!(lines(&parent)[c as usize - 1].contains("ceasefire_violated"));
    let out = dir.path().join("collapsed.jsonl");
    let ran = entente(
        &dir,
        &[
            "branch",
            s(&parent),
            "--at",
            &(c - 1).to_string(),
            "--inject",
            r#"{"ceasefire_collapsed": {"theatre": "eastern_ukraine"}}"#,
            "--out",
            s(&out),
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    let branch = lines(&out);
    assert!(branch[c as usize].contains("ceasefire_collapsed"));
    assert!(!branch[c as usize + 1].contains("ceasefire_collapsed"));
    let rerun = entente(&dir, &["replay", "--rerun", s(&out)]);
    assert_eq!(rerun.code, 0, "{rerun:#?}");

    // An agreement put in between a package's offer and its acceptance
    // settles one of its issues: the acceptance and both of its moves go,
    // not one move of the two.
    let offered = seq_of(&parent, "package_offered");
    assert!(lines(&parent)[offered as usize + 1].contains("package_accepted"));
    let issue = serde_json::from_str::<Value>(&lines(&parent)[offered as usize]).unwrap()["event"]
        ["package_offered"]["offerer_yields"]["issue"]
        .as_str()
        .unwrap()
        .to_owned();
    let out = dir.path().join("agreed.jsonl");
    let inject = format!(r#"{{"agreement_signed": {{"issue": "{issue}", "position": 50}}}}"#);
    let ran = entente(
        &dir,
        &[
            "branch",
            s(&parent),
            "--at",
            &offered.to_string(),
            "--inject",
            &inject,
            "--out",
            s(&out),
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    let branch = lines(&out);
    let next = &branch[offered as usize + 2];
    assert!(
        !next.contains("package_accepted") && !next.contains("\"package\""),
        "{next}"
    );
    let rerun = entente(&dir, &["replay", "--rerun", s(&out)]);
    assert_eq!(rerun.code, 0, "{rerun:#?}");
}

#[test]
fn impossible_injections_are_refused_and_write_nothing() {
    let dir = scratch();
    let parent = run_log(&dir, MOSCOW, 7, "parent.jsonl");
    let out = dir.path().join("never.jsonl");
    for (inject, expected) in [
        (
            r#"{"position_changed": {"actor": "ZZZ", "issue": "assad_role", "to": 50}}"#,
            "ZZZ",
        ),
        (
            r#"{"ceasefire_agreed": {"theatre": "atlantis"}}"#,
            "atlantis",
        ),
        (
            r#"{"ceasefire_violated": {"theatre": "syria", "by": "RUS"}}"#,
            "not in force",
        ),
        (
            r#"{"sanctions_lifted": {"regime": "eu_sectoral", "imposer": "USA"}}"#,
            "only EU decides",
        ),
        (
            r#"{"round_closed": {"round": 1, "issues": []}}"#,
            "bookkeeping",
        ),
        (r#"{"position_changed": {"actor": "RUS""#, "--inject:1:"),
    ] {
        let ran = entente(
            &dir,
            &[
                "branch",
                s(&parent),
                "--at",
                "40",
                "--inject",
                inject,
                "--out",
                s(&out),
            ],
        );
        assert_eq!(ran.code, 2, "{inject}: {ran:#?}");
        assert!(ran.stderr.contains(expected), "{inject}: {}", ran.stderr);
        assert!(!out.exists(), "{inject} wrote a file");
    }
    let beyond = entente(
        &dir,
        &["branch", s(&parent), "--at", "99999", "--out", s(&out)],
    );
    assert_eq!(beyond.code, 2);
    let last = lines(&parent).len() - 1;
    let after_the_end = entente(
        &dir,
        &[
            "branch",
            s(&parent),
            "--at",
            &last.to_string(),
            "--seed",
            "3",
            "--out",
            s(&out),
        ],
    );
    assert_eq!(after_the_end.code, 2, "{after_the_end:#?}");
    assert!(
        after_the_end.stderr.contains("closes its last round"),
        "{}",
        after_the_end.stderr
    );
    assert!(!out.exists());
    let over = entente(
        &dir,
        &["branch", s(&parent), "--at", "3", "--out", s(&parent)],
    );
    assert_eq!(over.code, 2);
}

#[test]
fn a_sweep_gives_the_same_bytes_whatever_the_thread_count() {
    let dir = scratch();
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("sweep{jobs}.json"));
        let csv = dir.path().join(format!("sweep{jobs}.csv"));
        let ran = entente(
            &dir,
            &[
                "sweep",
                s(&scenario(MOSCOW)),
                "--seeds",
                "0..1000",
                "--jobs",
                jobs,
                "--out",
                s(&out),
                "--csv",
                s(&csv),
            ],
        );
        assert_eq!(ran.code, 0, "{ran:#?}");
        outputs.push((fs::read(&out).unwrap(), fs::read(&csv).unwrap()));
    }
    assert_eq!(
        outputs[0].0, outputs[1].0,
        "JSON differs between --jobs 1 and 2"
    );
    assert_eq!(
        outputs[0].1, outputs[1].1,
        "CSV differs between --jobs 1 and 2"
    );
    let sweep: Value = serde_json::from_slice(&outputs[0].0).unwrap();
    assert_eq!(sweep["runs"], 1000);
    let csv = String::from_utf8(outputs[0].1.clone()).unwrap();
    assert_eq!(csv.lines().count(), 1001);
    assert!(csv.lines().next().unwrap().starts_with("seed,fingerprint,"));
    // The CSV's fingerprint of seed 7 is the log's.
    let log = run_log(&dir, MOSCOW, 7, "seed7.jsonl");
    let head = lines(&log)
        .last()
        .unwrap()
        .rsplit('"')
        .nth(1)
        .unwrap()
        .to_owned();
    let row7 = csv.lines().find(|l| l.starts_with("7,")).unwrap();
    assert_eq!(row7.split(',').nth(1), Some(head.as_str()));
}

#[test]
fn four_shards_merge_into_the_unsharded_bytes() {
    let dir = scratch();
    let whole = dir.path().join("whole.json");
    let whole_csv = dir.path().join("whole.csv");
    let ran = entente(
        &dir,
        &[
            "sweep",
            s(&scenario(MOSCOW)),
            "--seeds",
            "10..211",
            "--out",
            s(&whole),
            "--csv",
            s(&whole_csv),
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    let mut parts = Vec::new();
    let mut csv_parts = Vec::new();
    for k in 1..=4 {
        let part = dir.path().join(format!("part{k}.json"));
        let csv = dir.path().join(format!("part{k}.csv"));
        let shard = format!("{k}/4");
        let ran = entente(
            &dir,
            &[
                "sweep",
                s(&scenario(MOSCOW)),
                "--seeds",
                "10..211",
                "--shard",
                &shard,
                "--jobs",
                "1",
                "--out",
                s(&part),
                "--csv",
                s(&csv),
            ],
        );
        assert_eq!(ran.code, 0, "{ran:#?}");
        parts.push(part);
        csv_parts.push(csv);
    }
    let merged = dir.path().join("merged.json");
    let mut args = vec!["merge"];
    // Out of order on purpose: merge sorts the shards.
    for p in parts.iter().rev() {
        args.push(s(p));
    }
    args.extend(["--out", s(&merged)]);
    let ran = entente(&dir, &args);
    assert_eq!(ran.code, 0, "{ran:#?}");
    assert_eq!(fs::read(&merged).unwrap(), fs::read(&whole).unwrap());

    let merged_csv = dir.path().join("merged.csv");
    let mut args = vec!["merge"];
    args.extend(csv_parts.iter().map(|p| s(p)));
    args.extend(["--out", s(&merged_csv)]);
    let ran = entente(&dir, &args);
    assert_eq!(ran.code, 0, "{ran:#?}");
    assert_eq!(
        fs::read(&merged_csv).unwrap(),
        fs::read(&whole_csv).unwrap()
    );

    // Three of four shards leave a gap, and a shard given twice overlaps.
    let gap = entente(
        &dir,
        &["merge", s(&parts[0]), s(&parts[2]), "--out", s(&merged)],
    );
    assert_eq!(gap.code, 2);
    let twice = entente(
        &dir,
        &["merge", s(&parts[0]), s(&parts[0]), "--out", s(&merged)],
    );
    assert_eq!(twice.code, 2);
}

#[test]
fn sweep_vs_shows_what_the_linkage_variant_changes() {
    let dir = scratch();
    let out = dir.path().join("vs.json");
    let ran = entente(
        &dir,
        &[
            "sweep",
            s(&scenario(MOSCOW)),
            "--vs",
            s(&scenario("moscow-2015-12-15-linkage.json")),
            "--seeds",
            "0..200",
            "--out",
            s(&out),
        ],
    );
    assert_eq!(ran.code, 0, "{ran:#?}");
    assert!(
        ran.stdout.contains("B − A, paired by seed"),
        "{}",
        ran.stdout
    );
    let vs: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    let paired = vs["paired"].as_array().unwrap();
    let package = paired
        .iter()
        .find(|p| p["outcome"] == "package_accepted:RUS:USA")
        .unwrap();
    assert_eq!(package["p_a"], 0.0);
    assert!(package["p_b"].as_f64().unwrap() > 0.5, "{package}");
    assert!(package["interval"][0].as_f64().unwrap() > 0.0);
    let unchanged = paired
        .iter()
        .find(|p| p["outcome"] == "sanctions_lifted:eu_sectoral")
        .unwrap();
    assert_eq!(unchanged["difference"], 0.0);
    assert!(
        ran.stdout.contains("*package_accepted:RUS:USA"),
        "{}",
        ran.stdout
    );
}

#[test]
fn bad_sweep_arguments_exit_2() {
    let dir = scratch();
    for (seeds, shard) in [
        ("5..5", None),
        ("9..3", None),
        ("x..10", None),
        ("0..10", Some("0/4")),
        ("0..10", Some("5/4")),
    ] {
        let path = scenario(MOSCOW);
        let mut args = vec!["sweep", s(&path), "--seeds", seeds];
        if let Some(shard) = shard {
            args.extend(["--shard", shard]);
        }
        let ran = entente(&dir, &args);
        assert_eq!(ran.code, 2, "{args:?}: {ran:#?}");
    }
    // Outputs that would replace the scenario, a log or each other are
    // refused before a single run, and nothing is touched.
    let copy = dir.path().join("moscow.json");
    fs::copy(scenario(MOSCOW), &copy).unwrap();
    let log = run_log(&dir, MOSCOW, 1, "a.jsonl");
    let same = dir.path().join("same");
    let before = (fs::read(&copy).unwrap(), fs::read(&log).unwrap());
    for (flags, expected) in [
        (vec!["--csv", s(&copy)], "is the input"),
        (vec!["--out", s(&log)], "is an Entente log"),
        (
            vec!["--out", s(&same), "--csv", s(&same)],
            "names the same file",
        ),
    ] {
        let mut args = vec!["sweep", s(&copy), "--seeds", "0..4000000"];
        args.extend(&flags);
        let ran = entente(&dir, &args);
        assert_eq!(ran.code, 2, "{flags:?}: {ran:#?}");
        assert!(ran.stderr.contains(expected), "{flags:?}: {}", ran.stderr);
    }
    assert_eq!((fs::read(&copy).unwrap(), fs::read(&log).unwrap()), before);
    assert!(!same.exists());
}
