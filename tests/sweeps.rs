//! Sweeps: the same bytes whatever the thread count or sharding, paired
//! variants, and bad arguments.

use std::fs;

use serde_json::Value;

use crate::util::{block_after, doc, fails, lines, ok, run_log, s, scenario, scratch};

const MOSCOW: &str = "moscow-2015-12-15.json";

#[test]
fn a_sweep_gives_the_same_bytes_whatever_the_thread_count() {
    let dir = scratch();
    let mut outputs = Vec::new();
    for jobs in ["1", "2"] {
        let out = dir.path().join(format!("sweep{jobs}.json"));
        let csv = dir.path().join(format!("sweep{jobs}.csv"));
        ok(
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
    ok(
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
    let mut parts = Vec::new();
    let mut csv_parts = Vec::new();
    for k in 1..=4 {
        let part = dir.path().join(format!("part{k}.json"));
        let csv = dir.path().join(format!("part{k}.csv"));
        let shard = format!("{k}/4");
        ok(
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
    ok(&dir, &args);
    assert_eq!(fs::read(&merged).unwrap(), fs::read(&whole).unwrap());

    let merged_csv = dir.path().join("merged.csv");
    let mut args = vec!["merge"];
    args.extend(csv_parts.iter().map(|p| s(p)));
    args.extend(["--out", s(&merged_csv)]);
    ok(&dir, &args);
    assert_eq!(
        fs::read(&merged_csv).unwrap(),
        fs::read(&whole_csv).unwrap()
    );

    // Three of four shards leave a gap, and a shard given twice overlaps.
    fails(
        &dir,
        2,
        &["merge", s(&parts[0]), s(&parts[2]), "--out", s(&merged)],
    );
    fails(
        &dir,
        2,
        &["merge", s(&parts[0]), s(&parts[0]), "--out", s(&merged)],
    );
}

/// docs/sweeps.md's paired sweep, run as printed: every line it shows is
/// what the sweep prints, in order (`…` stands for lines left out).
#[test]
fn sweep_vs_shows_what_the_linkage_variant_changes() {
    let dir = scratch();
    let out = dir.path().join("vs.json");
    let ran = ok(
        &dir,
        &[
            "sweep",
            s(&scenario(MOSCOW)),
            "--vs",
            s(&scenario("moscow-2015-12-15-linkage.json")),
            "--seeds",
            "0..1000",
            "--out",
            s(&out),
        ],
    );
    let shown = block_after(
        &doc("docs/sweeps.md"),
        "$ entente sweep scenarios/moscow-2015-12-15.json --vs scenarios/moscow-2015-12-15-linkage.json --seeds 0..1000",
    );
    let mut printed = ran.stdout.lines();
    for line in shown.iter().filter(|l| l.as_str() != "…") {
        assert!(
            printed.any(|p| p == line),
            "docs/sweeps.md shows {line:?}, which the sweep does not print (or not in this order):\n{}",
            ran.stdout
        );
    }
    let vs: Value = serde_json::from_slice(&fs::read(&out).unwrap()).unwrap();
    let paired = vs["paired"].as_array().unwrap();
    let package = paired
        .iter()
        .find(|p| p["outcome"] == "package_accepted:RUS:USA")
        .unwrap();
    // 993 of 1,000 runs: what docs/sweeps.md says ("accepted in almost
    // every run"), and the interval above 0 it rests on.
    assert_eq!(package["p_a"], 0.0);
    assert_eq!(package["p_b"], 0.993, "{package}");
    let interval = |k: usize| package["interval"][k].as_f64().unwrap();
    assert_eq!(
        (
            (interval(0) * 1000.0).round(),
            (interval(1) * 1000.0).round()
        ),
        (985.0, 997.0),
        "{package}"
    );
    let unchanged = paired
        .iter()
        .find(|p| p["outcome"] == "sanctions_lifted:eu_sectoral")
        .unwrap();
    assert_eq!(unchanged["difference"], 0.0);
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
        fails(&dir, 2, &args);
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
        let ran = fails(&dir, 2, &args);
        assert!(ran.stderr.contains(expected), "{flags:?}: {}", ran.stderr);
    }
    assert_eq!((fs::read(&copy).unwrap(), fs::read(&log).unwrap()), before);
    assert!(!same.exists());
}

#[test]
fn a_cycling_run_reports_its_cycles_mean_everywhere_and_a_forged_end_is_refused() {
    let dir = scratch();
    let case = crate::util::root().join("tests/conformance/43-stop-cycled.json");
    // The report: cycled in round 3, back to round 1, and the forecast is
    // the mean of rounds 2 and 3 (75.978… and 72.263…), not round 4's.
    let log = dir.path().join("cycled.jsonl");
    ok(&dir, &["run", s(&case), "--seed", "1", "--out", s(&log)]);
    let report: Value =
        serde_json::from_str(&ok(&dir, &["report", s(&log), "--format", "json"]).stdout).unwrap();
    let b = &report["bargaining"];
    assert_eq!(
        (&b["status"], &b["round"], &b["period"], &b["returns_to"]),
        (
            &Value::from("cycled"),
            &Value::from(3),
            &Value::from(2),
            &Value::from(1)
        )
    );
    assert_eq!(b["forecast_is_cycle_mean"], true);
    let mean = report["issues"][0]["forecast"]["mean"].as_f64().unwrap();
    let cycle = (75.97782881301043 + 72.26299960759411) / 2.0;
    assert!((mean - cycle).abs() < 1e-9, "{mean}");
    let last = report["issues"][0]["series"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()["mean"]
        .as_f64()
        .unwrap();
    assert!((last - 72.26299960759411).abs() < 1e-9, "{last}");
    // `run` prints the same, and so does a sweep, with its interval.
    let again = dir.path().join("again.jsonl");
    let printed = ok(&dir, &["run", s(&case), "--seed", "1", "--out", s(&again)]);
    assert!(
        printed
            .stdout
            .contains("bargaining cycled in round 3 (period 2)")
            && printed.stdout.contains(&format!("mean {:>5.1}", cycle)),
        "{}",
        printed.stdout
    );
    let sweep: Value = serde_json::from_str(
        &ok(
            &dir,
            &["sweep", s(&case), "--seeds", "0..20", "--format", "json"],
        )
        .stdout,
    )
    .unwrap();
    let outcomes = sweep["variants"][0]["outcomes"].as_array().unwrap();
    let cycled = outcomes
        .iter()
        .find(|o| o["outcome"] == "bargaining:cycled")
        .unwrap();
    assert_eq!(cycled["probability"], 1.0);
    assert!(cycled["interval"][0].as_f64().unwrap() > 0.8);
    let final_mean = sweep["variants"][0]["issues"][0]["final_mean"]["mean"]
        .as_f64()
        .unwrap();
    assert!((final_mean - cycle).abs() < 0.01, "{final_mean}");

    // A claim that bargaining is over where the positions still move is
    // refused, with what the state says.
    let moscow = run_log(&dir, MOSCOW, 7, "moscow.jsonl");
    let out = dir.path().join("forged.jsonl");
    let ran = fails(
        &dir,
        2,
        &[
            "branch",
            s(&moscow),
            "--at",
            "200",
            "--inject",
            r#"{"bargaining_converged": {}}"#,
            "--out",
            s(&out),
        ],
    );
    assert!(
        ran.stderr.contains("the positions still move"),
        "{}",
        ran.stderr
    );
    assert!(!out.exists());
}

/// The ripeness count is split by whether a way out stood open at the
/// first stalemate: the two parts add up to the whole, and the table shows
/// all three rows.
#[test]
fn ripeness_is_split_by_a_way_out() {
    let dir = scratch();
    let out = dir.path().join("moscow.json");
    let ran = ok(
        &dir,
        &[
            "sweep",
            s(&scenario(MOSCOW)),
            "--seeds",
            "0..40",
            "--out",
            s(&out),
        ],
    );
    let sweep: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).unwrap()).unwrap();
    let syria = &sweep["variants"][0]["ripeness"][0];
    assert_eq!(syria["theatre"], "syria", "{syria}");
    let n = |k: &str| syria[k].as_u64().unwrap();
    assert!(n("ripe") > 0, "{syria}");
    assert!(n("with_way_out") <= n("ripe"), "{syria}");
    assert!(n("followed_with_way_out") <= n("with_way_out"), "{syria}");
    assert!(n("followed_with_way_out") <= n("followed"), "{syria}");
    // Both kinds occur in forty Moscow runs (519 and 481 of 1,000).
    assert!(
        n("with_way_out") > 0 && n("with_way_out") < n("ripe"),
        "{syria}"
    );
    for way in ["any", "open", "none"] {
        assert!(
            ran.stdout
                .lines()
                .any(|l| l.trim_start().starts_with("syria")
                    && l.split_whitespace().nth(1) == Some(way)),
            "no {way} row: {}",
            ran.stdout
        );
    }
}
