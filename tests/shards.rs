//! Every shardable command: its parts, merged, are the unsharded command's
//! bytes; a merge refuses an incomplete set, parts of another command, and
//! parts of the same command with other settings.

use std::fs;
use std::path::Path;

use crate::util::{fails, ok, root, s, scenario, scratch};

/// Runs `args` whole (writing `one`) and in `n` shards merged (writing
/// `merged`, with `merge_args`), and insists on the same bytes.
fn same_when_sharded(
    dir: &tempfile::TempDir,
    args: &[&str],
    whole: &[&str],
    n: u32,
    merge_args: &[&str],
) {
    let d = dir.path();
    let (one_path, merged_path) = (d.join("one"), d.join("merged"));
    let mut one: Vec<&str> = args.to_vec();
    one.extend_from_slice(whole);
    one.extend_from_slice(&["--out", s(&one_path)]);
    ok(dir, &one);
    let mut parts = Vec::new();
    for k in 1..=n {
        let part = d.join(format!("part-{k}.json"));
        let shard = format!("{k}/{n}");
        let mut sharded: Vec<&str> = args.to_vec();
        sharded.extend_from_slice(&["--shard", &shard, "--out", s(&part)]);
        ok(dir, &sharded);
        parts.push(part);
    }
    let mut merge: Vec<&str> = vec!["merge"];
    merge.extend(parts.iter().map(|p| s(p)));
    merge.extend_from_slice(merge_args);
    merge.extend_from_slice(&["--out", s(&merged_path)]);
    ok(dir, &merge);
    assert_eq!(
        fs::read(d.join("one")).unwrap(),
        fs::read(d.join("merged")).unwrap(),
        "{args:?}: merged shards differ from the whole"
    );
}

#[test]
fn a_sharded_cross_validation_merges_to_the_whole() {
    let dir = scratch();
    let histories = [
        scenario("vienna-issg-2015.history.json"),
        scenario("minsk-2015-02.history.json"),
    ];
    let grid = root().join("data/grid.json");
    let args = [
        "score",
        s(&histories[0]),
        s(&histories[1]),
        "--seeds",
        "0..12",
        "--cross-validate",
        s(&grid),
    ];
    // 2 histories × 10 settings in 3 uneven shards; JSON, every number.
    same_when_sharded(&dir, &args, &["--format", "json"], 3, &["--format", "json"]);
}

#[test]
fn a_sharded_score_merges_to_the_whole_score() {
    let dir = scratch();
    let histories = [
        scenario("moscow-2015-12-15.history.json"),
        scenario("minsk-2015-02.history.json"),
    ];
    let args = [
        "score",
        s(&histories[0]),
        s(&histories[1]),
        "--seeds",
        "0..90",
    ];
    same_when_sharded(&dir, &args, &["--format", "text"], 4, &["--format", "text"]);
    same_when_sharded(&dir, &args, &["--format", "json"], 7, &["--format", "json"]);
    same_when_sharded(&dir, &args, &[], 2, &[]);
}

#[test]
fn a_sharded_backtest_merges_to_the_whole_backtest() {
    let dir = scratch();
    let deu = root().join("data/deu3/deu3.tsv");
    let args = ["backtest", s(&deu), "--bootstrap", "300"];
    same_when_sharded(&dir, &args, &["--format", "json"], 3, &["--format", "json"]);
}

#[test]
fn a_sharded_sensitivity_analysis_merges_to_the_whole_analysis() {
    let dir = scratch();
    let tutorial = scenario("tutorial-three-actors.json");
    let oat = ["sensitivity", s(&tutorial), "--seeds", "0..8"];
    same_when_sharded(&dir, &oat, &["--format", "json"], 3, &["--format", "json"]);
    let morris = [
        "sensitivity",
        s(&tutorial),
        "--seeds",
        "0..5",
        "--method",
        "morris",
        "--trajectories",
        "5",
    ];
    same_when_sharded(
        &dir,
        &morris,
        &["--format", "text"],
        2,
        &["--format", "text"],
    );
}

#[test]
fn sharded_law_checks_merge_to_the_whole_verdict_holding_or_broken() {
    let dir = scratch();
    let d = dir.path();
    // Every law holds: the merge writes what the whole command prints.
    let tutorial = scenario("tutorial-three-actors.json");
    let whole = ok(&dir, &["check-laws", s(&tutorial), "--cases", "30"]);
    let mut merge = vec!["merge".to_owned()];
    for k in 1..=3 {
        let part = d.join(format!("holds-{k}.json"));
        let shard = format!("{k}/3");
        ok(
            &dir,
            &[
                "check-laws",
                s(&tutorial),
                "--cases",
                "30",
                "--shard",
                &shard,
                "--out",
                s(&part),
            ],
        );
        merge.push(s(&part).to_owned());
    }
    let holds = d.join("holds.txt");
    merge.extend(["--out".to_owned(), s(&holds).to_owned()]);
    ok(&dir, &merge.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(fs::read_to_string(&holds).unwrap(), whole.stdout);
    // The EC table breaks the strict relabel law after 76 variations: the
    // shard holding case 76 finds it and shrinks it as the whole run does,
    // so the counterexample and the message are the same bytes.
    let ec = scenario("ec-car-emissions.json");
    let out = d.join("counterexample.json");
    let whole = fails(
        &dir,
        1,
        &["check-laws", s(&ec), "--cases", "100", "--out", s(&out)],
    );
    let counterexample = fs::read(&out).unwrap();
    fs::remove_file(&out).unwrap();
    let mut merge = vec!["merge".to_owned()];
    for k in 1..=4 {
        let part = d.join(format!("laws-{k}.json"));
        ok(
            &dir,
            &[
                "check-laws",
                s(&ec),
                "--cases",
                "100",
                "--shard",
                &format!("{k}/4"),
                "--out",
                s(&part),
            ],
        );
        merge.push(s(&part).to_owned());
    }
    merge.extend(["--out".to_owned(), s(&out).to_owned()]);
    let args: Vec<&str> = merge.iter().map(String::as_str).collect();
    let merged = fails(&dir, 1, &args);
    assert_eq!(merged.stderr, whole.stderr);
    assert!(
        whole.stderr.contains("after 76 passing variation(s)"),
        "{}",
        whole.stderr
    );
    assert_eq!(fs::read(&out).unwrap(), counterexample);
}

#[test]
fn a_merge_refuses_missing_shards_other_commands_and_other_settings() {
    let dir = scratch();
    let d = dir.path();
    let tutorial = scenario("tutorial-three-actors.json");
    let part = |name: &str, cases: &str, shard: &str| {
        let path = d.join(name);
        ok(
            &dir,
            &[
                "check-laws",
                s(&tutorial),
                "--cases",
                cases,
                "--shard",
                shard,
                "--out",
                s(&path),
            ],
        );
        path
    };
    let one = part("a1.json", "30", "1/3");
    let two = part("a2.json", "30", "2/3");
    let other = part("b3.json", "40", "3/3");
    let out = d.join("merged");
    let refused = |parts: &[&Path], extra: &[&str], why: &str| {
        let mut args = vec!["merge"];
        args.extend(parts.iter().map(|p| s(p)));
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--out", s(&out)]);
        let ran = fails(&dir, 2, &args);
        assert!(ran.stderr.contains(why), "{why}: {}", ran.stderr);
    };
    refused(&[&one, &two], &[], "shard(s) 3 of 3 missing");
    refused(&[&one, &two, &other], &[], "shards of different splits");
    refused(&[&one, &one, &two], &[], "given twice");
    let score = d.join("score.json");
    ok(
        &dir,
        &[
            "score",
            s(&scenario("minsk-2015-02.history.json")),
            "--seeds",
            "0..10",
            "--shard",
            "3/3",
            "--out",
            s(&score),
        ],
    );
    refused(&[&one, &two, &score], &[], "different commands");
    refused(&[&one, &two], &["--partial"], "only a sweep's parts");
    assert!(
        !Path::new(&out).exists(),
        "a refused merge wrote its output"
    );
}

#[test]
fn a_shard_run_again_writes_the_same_part() {
    // What makes re-running a failed cluster task alone safe.
    let dir = scratch();
    let d = dir.path();
    let history = scenario("minsk-2015-02.history.json");
    let parts: Vec<Vec<u8>> = ["first.json", "again.json"]
        .iter()
        .map(|name| {
            let part = d.join(name);
            ok(
                &dir,
                &[
                    "score",
                    s(&history),
                    "--seeds",
                    "0..60",
                    "--shard",
                    "2/3",
                    "--jobs",
                    "2",
                    "--out",
                    s(&part),
                ],
            );
            fs::read(&part).unwrap()
        })
        .collect();
    assert_eq!(parts[0], parts[1]);
}

/// Rewrites the JSON part at `path` with `edit`.
fn edit_part(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut part: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    edit(&mut part);
    fs::write(path, serde_json::to_vec_pretty(&part).unwrap()).unwrap();
}

#[test]
fn a_merge_takes_no_forged_counts_and_never_removes_a_part() {
    let dir = scratch();
    let d = dir.path();
    let history = scenario("minsk-2015-02.history.json");
    let score_part = |name: &str, shard: &str| {
        let path = d.join(name);
        ok(
            &dir,
            &[
                "score",
                s(&history),
                "--seeds",
                "0..20",
                "--shard",
                shard,
                "--out",
                s(&path),
            ],
        );
        path
    };
    let (one, two) = (score_part("s1.json", "1/2"), score_part("s2.json", "2/2"));
    let out = d.join("merged.json");
    // More runs than the shard's seeds: refused, not a probability over 1.
    let forged = d.join("forged.json");
    fs::copy(&two, &forged).unwrap();
    edit_part(&forged, |p| {
        p["data"][0]["runs"] = serde_json::json!(1_000_000)
    });
    let ran = fails(&dir, 2, &["merge", s(&one), s(&forged), "--out", s(&out)]);
    assert!(
        ran.stderr.contains("does not hold every history file"),
        "{}",
        ran.stderr
    );
    // A part where the output is first written is an input, not a leftover.
    let beside = d.join("merged.json.entente-partial");
    fs::copy(&one, &beside).unwrap();
    let ran = fails(&dir, 2, &["merge", s(&beside), s(&two), "--out", s(&out)]);
    assert!(ran.stderr.contains("renamed into place"), "{}", ran.stderr);
    assert!(beside.exists(), "the merge removed one of its parts");
    // Too many shards to list, or to make.
    let ran = fails(
        &dir,
        2,
        &[
            "score",
            s(&history),
            "--seeds",
            "0..20",
            "--shard",
            "1/100000000000000",
            "--out",
            s(&out),
        ],
    );
    assert!(
        ran.stderr.contains("at most 100000 shards"),
        "{}",
        ran.stderr
    );
    assert!(!out.exists(), "a refused merge wrote its output");
}

#[test]
fn a_merge_takes_no_parts_of_other_inputs_or_unplayed_variations() {
    let dir = scratch();
    let d = dir.path();
    let out = d.join("merged.json");
    // A backtest part of another file under the same name.
    let deu = fs::read_to_string(root().join("data/deu3/deu3.tsv")).unwrap();
    let (a, b) = (d.join("a"), d.join("b"));
    for (sub, text) in [(&a, deu.clone()), (&b, deu.replacen("\t0\t", "\t1\t", 1))] {
        fs::create_dir(sub).unwrap();
        fs::write(sub.join("deu.tsv"), text).unwrap();
    }
    let mut parts = Vec::new();
    for (k, sub) in [(1, &a), (2, &b)] {
        let part = d.join(format!("b{k}.json"));
        let ran = crate::util::entente_in(
            sub,
            &[
                "backtest",
                "deu.tsv",
                "--bootstrap",
                "50",
                "--shard",
                &format!("{k}/2"),
                "--out",
                s(&part),
            ],
        );
        assert_eq!(ran.code, 0, "{ran:?}");
        parts.push(part);
    }
    let ran = fails(
        &dir,
        2,
        &["merge", s(&parts[0]), s(&parts[1]), "--out", s(&out)],
    );
    assert!(ran.stderr.contains("settings differ"), "{}", ran.stderr);
    // A law check that claims variations it did not play.
    let tutorial = scenario("tutorial-three-actors.json");
    let laws = d.join("laws.json");
    ok(
        &dir,
        &[
            "check-laws",
            s(&tutorial),
            "--cases",
            "4",
            "--shard",
            "1/1",
            "--out",
            s(&laws),
        ],
    );
    edit_part(&laws, |p| {
        p["planned"]["end"] = serde_json::json!(400);
        p["units"]["end"] = serde_json::json!(400);
    });
    let ran = fails(&dir, 2, &["merge", s(&laws), "--out", s(&out)]);
    assert!(ran.stderr.contains("played 4 of its 400"), "{}", ran.stderr);
    // A sweep's output among another command's parts.
    let sweep = d.join("sweep.json");
    ok(
        &dir,
        &["sweep", s(&tutorial), "--seeds", "0..5", "--out", s(&sweep)],
    );
    let score = d.join("score.json");
    ok(
        &dir,
        &[
            "score",
            s(&scenario("minsk-2015-02.history.json")),
            "--seeds",
            "0..4",
            "--shard",
            "1/1",
            "--out",
            s(&score),
        ],
    );
    let ran = fails(&dir, 2, &["merge", s(&sweep), s(&score), "--out", s(&out)]);
    assert!(
        ran.stderr.contains("mix a sweep's output"),
        "{}",
        ran.stderr
    );
    assert!(!out.exists(), "a refused merge wrote its output");
}

/// A sweep part whose aggregates no run could give is refused by the
/// merge, naming the part: an outcome first reached beyond the rounds a run
/// can have, an outcome the other parts do not count, a histogram bucket
/// beyond the scale's 100.00.
#[test]
fn a_merge_refuses_aggregates_no_run_could_give() {
    let dir = scratch();
    let sc = scenario("tutorial-three-actors.json");
    let parts: Vec<std::path::PathBuf> = (1..=2)
        .map(|k| {
            let p = dir.path().join(format!("p{k}.json"));
            let shard = format!("{k}/2");
            ok(
                &dir,
                &[
                    "sweep",
                    s(&sc),
                    "--seeds",
                    "0..10",
                    "--shard",
                    &shard,
                    "--out",
                    s(&p),
                ],
            );
            p
        })
        .collect();
    let forge = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut v: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&parts[1]).unwrap()).unwrap();
        f(&mut v["variants"][0]["aggregates"]);
        let p = dir.path().join("forged.json");
        fs::write(&p, v.to_string()).unwrap();
        let out = dir.path().join("m.json");
        fails(&dir, 2, &["merge", s(&parts[0]), s(&p), "--out", s(&out)]).stderr
    };
    let first_key = |v: &serde_json::Value| v.as_object().unwrap().keys().next().unwrap().clone();
    let late = forge(&|a| {
        let k = first_key(&a["outcomes"]);
        a["outcomes"][k] = serde_json::json!({"99999": 1});
    });
    assert!(late.contains("beyond the 10000 rounds"), "{late}");
    let foreign = forge(&|a| a["outcomes"]["bogus:thing"] = serde_json::json!({"1": 3}));
    assert!(foreign.contains("bogus:thing is in one only"), "{foreign}");
    let off_scale = forge(&|a| {
        let i = first_key(&a["issues"]);
        a["issues"][i]["histogram"] = serde_json::json!({"999999": 1});
    });
    assert!(off_scale.contains("does not fit"), "{off_scale}");
}
