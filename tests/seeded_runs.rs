//! Comparing seeded runs: compare, branch, sweep and merge.

use std::fs;

use serde_json::Value;

use crate::util::{fails, lines, ok, run_log, s, scenario, scratch};

const MOSCOW: &str = "moscow-2015-12-15.json";

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
    let same = ok(&dir, &["compare", s(&a), s(&a)]);
    assert!(same.stdout.contains("\nIdentical: "), "{}", same.stdout);

    let ran = ok(&dir, &["compare", s(&a), s(&b), "--format", "json"]);
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
    // Two logs that differ are compared, not refused: exit 0.
    let text = ok(&dir, &["compare", s(&a), s(&b)]);
    assert!(
        text.stdout
            .contains(&format!("The logs part at seq {first}")),
        "{}",
        text.stdout
    );
    let seed = text
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("$.seed "))
        .unwrap_or_else(|| panic!("no seed row:\n{}", text.stdout));
    assert_eq!(
        seed.split_whitespace().collect::<Vec<_>>(),
        ["$.seed", "7", "8"]
    );
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
    ok(
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
    ok(&dir, &["replay", s(&out)]);

    // compare shows the injected event's effect.
    let cmp = ok(&dir, &["compare", s(&parent), s(&out), "--format", "json"]);
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
    let bad = fails(&dir, 1, &["replay", s(&path)]);
    assert!(bad.stderr.contains("seq 0"), "{}", bad.stderr);

    // A re-run says what of the record it checked and what it cannot.
    let rerun = ok(&dir, &["replay", "--rerun", s(&out), "--format", "json"]);
    let rerun: Value = serde_json::from_str(&rerun.stdout).unwrap();
    assert_eq!(rerun["branch"]["at"], at);
    assert_eq!(rerun["branch"]["checked"], false);
    // The branch point moved before its injection, the header re-hashed as
    // a forger would: the record contradicts itself, and a re-run says so.
    let mut edited = b.clone();
    edited[0] = crate::util::rehash(&edited[0].replacen(
        &format!("\"at\":{at}"),
        &format!("\"at\":{}", at - 1),
        1,
    ))
    .trim_end()
    .to_owned();
    let path = dir.path().join("moved.jsonl");
    fs::write(&path, edited.join("\n") + "\n").unwrap();
    let bad = fails(&dir, 1, &["replay", "--rerun", s(&path)]);
    assert!(
        bad.stderr.contains("past its branch point"),
        "{}",
        bad.stderr
    );
}

#[test]
fn a_branch_that_injects_nothing_reproduces_its_parent() {
    let dir = scratch();
    let parent = run_log(&dir, MOSCOW, 11, "parent.jsonl");
    for at in [0u64, 1, 57, 200] {
        let out = dir.path().join(format!("b{at}.jsonl"));
        ok(
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
        assert_eq!(lines(&parent)[1..], lines(&out)[1..], "branch at {at}");
    }
}

#[test]
fn a_branch_of_a_branch_and_a_reseeded_branch_verify() {
    let dir = scratch();
    let parent = run_log(&dir, MOSCOW, 7, "parent.jsonl");
    let first = dir.path().join("first.jsonl");
    let at1 = seq_of(&parent, "International Syria Support Group");
    ok(
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
    let second = dir.path().join("second.jsonl");
    let at2 = at1 + 100;
    ok(
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
    let (f, g) = (lines(&first), lines(&second));
    for seq in 1..=at2 as usize {
        assert_eq!(f[seq], g[seq], "seq {seq}");
    }
    let header: Value = serde_json::from_str(&g[0]).unwrap();
    let injections = header["branch"]["injections"].as_array().unwrap();
    assert_eq!(injections.len(), 2, "{header}");
    assert_eq!(injections[1]["seed"], 99);
    for log in [&first, &second] {
        ok(&dir, &["replay", s(log)]);
    }

    // A branch of a branch after its injected event, with nothing new, plays
    // it again byte for byte: it inherits every injection before its point.
    // At the branch point itself, the injected event (seq at1 + 1) is not
    // kept, so the history is the grandparent's.
    let again = dir.path().join("again.jsonl");
    ok(
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
    assert_eq!(lines(&parent)[1..], lines(&again)[1..], "again at {at1}");
    for at in [at1 + 1, at2] {
        let again = dir.path().join(format!("again{at}.jsonl"));
        ok(
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
        ok(&dir, &args);
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
    // The eastern Ukraine ceasefire of seed 2 collapses at seq c, in the
    // same batch as the violation before it. Injecting that collapse right
    // after the violation leaves the mechanism's own collapse impossible:
    // the branch drops it, and the result re-runs to the same bytes.
    let dir = scratch();
    // The format-1 Moscow scenario with the United States open to linkage:
    // its seed 2 has both cases below.
    let mut variant: Value = serde_json::from_str(
        &fs::read_to_string(scenario("moscow-2015-12-15-minimal.json")).unwrap(),
    )
    .unwrap();
    for st in variant["stances"].as_array_mut().unwrap() {
        if st["actor"] == "USA" && st["issue"] == "syria_ukraine_linkage" {
            st["position"] = 65.into();
        }
    }
    let path = dir.path().join("minimal-linkage.json");
    fs::write(&path, variant.to_string()).unwrap();
    let parent = run_log(&dir, s(&path), 2, "parent.jsonl");
    let c = seq_of(
        &parent,
        r#""ceasefire_collapsed":{"theatre":"eastern_ukraine""#,
    );
    assert!(lines(&parent)[c as usize - 1].contains("ceasefire_violated"));
    let out = dir.path().join("collapsed.jsonl");
    ok(
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
    let branch = lines(&out);
    assert!(branch[c as usize].contains("ceasefire_collapsed"));
    assert!(!branch[c as usize + 1].contains("ceasefire_collapsed"));
    ok(&dir, &["replay", "--rerun", s(&out)]);

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
    ok(
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
    let branch = lines(&out);
    let next = &branch[offered as usize + 2];
    assert!(
        !next.contains("package_accepted") && !next.contains("\"package\""),
        "{next}"
    );
    ok(&dir, &["replay", "--rerun", s(&out)]);
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
            "only a vote of DEU, FRA, ITA, GBR, HUN, POL decides it",
        ),
        (
            r#"{"round_closed": {"round": 1, "issues": []}}"#,
            "bookkeeping",
        ),
        (r#"{"position_changed": {"actor": "RUS""#, "--inject:1:"),
    ] {
        let ran = fails(
            &dir,
            2,
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
        assert!(ran.stderr.contains(expected), "{inject}: {}", ran.stderr);
        assert!(!out.exists(), "{inject} wrote a file");
    }
    fails(
        &dir,
        2,
        &["branch", s(&parent), "--at", "99999", "--out", s(&out)],
    );
    let last = lines(&parent).len() - 1;
    let after_the_end = fails(
        &dir,
        2,
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
    assert!(
        after_the_end.stderr.contains("closes its last round"),
        "{}",
        after_the_end.stderr
    );
    assert!(!out.exists());
    fails(
        &dir,
        2,
        &["branch", s(&parent), "--at", "3", "--out", s(&parent)],
    );
}

/// Format 2: a timeline entry dated before the start (what opened the
/// crisis) is played in round 0 on the start date, its effects applied
/// before round 1; replay holds the log to it; format 1 still refuses it.
#[test]
fn an_entry_before_the_start_is_played_in_round_zero() {
    let dir = scratch();
    let mut dayton: Value =
        serde_json::from_str(&fs::read_to_string(scenario("dayton-1995.json")).unwrap()).unwrap();
    let mut opening = dayton["timeline"][0].clone();
    opening["date"] = Value::from("1995-10-05");
    opening["kind"] = Value::from("statement");
    opening["text"] = Value::from("The Bosnia-wide ceasefire is announced.");
    opening["effects"] =
        serde_json::json!([{"salience": {"actor": "FRY", "issue": "territory", "by": 0.2}}]);
    dayton["timeline"]
        .as_array_mut()
        .unwrap()
        .insert(0, opening);
    let path = dir.path().join("dayton-early.json");
    fs::write(&path, serde_json::to_string(&dayton).unwrap()).unwrap();
    let log = dir.path().join("early.jsonl");
    ok(&dir, &["run", s(&path), "--seed", "1", "--out", s(&log)]);
    let all = lines(&log);
    let (k, act) = all
        .iter()
        .enumerate()
        .find(|(_, l)| l.contains("\"scripted\"") && l.contains("The Bosnia-wide ceasefire"))
        .unwrap();
    let act: Value = serde_json::from_str(act).unwrap();
    assert_eq!(act["round"], 0);
    assert_eq!(act["date"], "1995-11-01");
    let effect: Value = serde_json::from_str(&all[k + 1]).unwrap();
    assert_eq!(effect["round"], 0);
    assert_eq!(effect["event"]["salience_changed"]["actor"], "FRY");
    ok(&dir, &["replay", s(&log)]);
    ok(&dir, &["replay", "--rerun", s(&log)]);
    // Without its effect, the entry deleted and the chain re-hashed: round
    // 0 closes before the entry was played, and replay says so.
    dayton["timeline"][0]
        .as_object_mut()
        .unwrap()
        .remove("effects");
    fs::write(&path, serde_json::to_string(&dayton).unwrap()).unwrap();
    let plain = dir.path().join("plain.jsonl");
    ok(&dir, &["run", s(&path), "--seed", "1", "--out", s(&plain)]);
    let kept: Vec<String> = lines(&plain)
        .into_iter()
        .filter(|l| !(l.contains("\"scripted\"") && l.contains("The Bosnia-wide ceasefire")))
        .collect();
    let renumbered: Vec<String> = kept
        .iter()
        .enumerate()
        .map(|(i, l)| match l.strip_prefix("{\"seq\":") {
            Some(rest) => {
                let (_, rest) = rest.split_once(',').unwrap();
                format!("{{\"seq\":{i},{rest}")
            }
            None => l.clone(),
        })
        .collect();
    let forged = dir.path().join("forged.jsonl");
    fs::write(
        &forged,
        crate::util::rehash(&(renumbered.join("\n") + "\n")),
    )
    .unwrap();
    let bad = fails(&dir, 1, &["replay", s(&forged)]);
    assert!(bad.stderr.contains("round 0's timeline"), "{}", bad.stderr);
    // Format 1 keeps its meaning: such an entry is refused.
    dayton["version"] = Value::from(1);
    fs::write(&path, serde_json::to_string(&dayton).unwrap()).unwrap();
    let refused = fails(&dir, 2, &["validate", s(&path)]);
    assert!(
        refused.stderr.contains("$.timeline[0].date"),
        "{}",
        refused.stderr
    );
}
