//! `entente import`: the reference files of KTAB, the decide package and
//! Scholz et al.'s code become scenarios every command works on; bad files
//! are refused at their line.

use std::fs;

use serde_json::Value;

use crate::util::{fails, ok, root, s, scratch};

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn the_reference_files_import_as_the_shipped_scenarios_and_every_command_runs_on_them() {
    let dir = scratch();
    for (format, file, shipped) in [
        (
            "ktab",
            "data/ktab/dummyData_3Dim.csv",
            "ktab-dummy-3dim.json",
        ),
        (
            "decide",
            "data/decide/sample_data.txt",
            "decide-toll-2017.json",
        ),
    ] {
        let out = dir.path().join(shipped);
        ok(
            &dir,
            &["import", format, s(&root().join(file)), "--out", s(&out)],
        );
        // The shipped scenario is the import, with an id, a title and a
        // description of its own.
        let mut imported = json(&fs::read_to_string(&out).unwrap());
        let committed = json(&fs::read_to_string(root().join("scenarios").join(shipped)).unwrap());
        for field in ["id", "title", "description"] {
            imported[field] = committed[field].clone();
        }
        assert_eq!(imported, committed, "{shipped}");
        // Every command.
        let log = dir.path().join(format!("{format}.jsonl"));
        let other = dir.path().join(format!("{format}-2.jsonl"));
        ok(&dir, &["run", s(&out), "--seed", "3", "--out", s(&log)]);
        ok(&dir, &["run", s(&out), "--seed", "4", "--out", s(&other)]);
        ok(&dir, &["replay", "--rerun", s(&log)]);
        let report = json(&ok(&dir, &["report", s(&log), "--format", "json"]).stdout);
        ok(&dir, &["compare", s(&log), s(&other)]);
        let branch = dir.path().join(format!("{format}-b.jsonl"));
        ok(
            &dir,
            &[
                "branch",
                s(&log),
                "--at",
                "5",
                "--seed",
                "9",
                "--out",
                s(&branch),
            ],
        );
        ok(&dir, &["replay", "--rerun", s(&branch)]);
        ok(&dir, &["sweep", s(&out), "--seeds", "0..20"]);
        ok(&dir, &["check-laws", s(&out), "--cases", "4"]);
        let html = dir.path().join(format!("{format}.html"));
        ok(
            &dir,
            &["report", s(&log), "--format", "html", "--out", s(&html)],
        );
        let page = fs::read_to_string(&html).unwrap();
        match format {
            "ktab" => {
                // KTAB's output, state by state, in the report and its chart.
                let states = report["assessments"].as_array().unwrap();
                assert_eq!(states.len(), 11);
                assert_eq!(states[0]["round"], 0);
                assert!(page.contains("id=\"win-chart\""));
                assert_eq!(report["bargaining"]["status"], "converged");
                assert_eq!(report["bargaining"]["round"], 10);
            }
            _ => {
                let rounds = report["exchange_rounds"].as_array().unwrap();
                assert_eq!(rounds.len(), 10);
                assert_eq!(rounds[0]["candidates"], 240);
                assert!(!report["packages"].as_array().unwrap().is_empty());
                assert!(page.contains("id=\"exchange\""));
            }
        }
    }
}

#[test]
fn scholz_s_csv_imports_as_the_ec_table() {
    let dir = scratch();
    let out = dir.path().join("ec.json");
    let csv = root().join("tests/fixtures/scholz-ec/ExampleActors.csv");
    ok(&dir, &["import", "scholz", s(&csv), "--out", s(&out)]);
    let log = dir.path().join("ec.jsonl");
    ok(&dir, &["run", s(&out), "--seed", "0", "--out", s(&log)]);
    let report = json(&ok(&dir, &["report", s(&log), "--format", "json"]).stdout);
    // Round 1's mean is the reference program's (tests/fixtures/scholz-ec).
    let mean = report["issues"][0]["series"][1]["mean"].as_f64().unwrap();
    assert!((mean - 7.461314378277189).abs() < 1e-9, "{mean}");
    let basis = json(&fs::read_to_string(&out).unwrap())["actors"][0]["basis"].clone();
    assert_eq!(
        basis,
        "import: ExampleActors.csv, line 2, which reads: Netherlands,0.08,4,0.8"
    );
}

#[test]
fn bad_files_are_refused_at_their_line_and_nothing_is_written() {
    let dir = scratch();
    let out = dir.path().join("out.json");
    let cases: [(&str, &str, String, &str); 7] = [
        (
            "ktab",
            "bad.csv",
            fs::read_to_string(root().join("data/ktab/dummyData_3Dim.csv"))
                .unwrap()
                .replace("75.79", "seventy"),
            ":3: column 4: \"seventy\" is not a number",
        ),
        (
            "decide",
            "bad.txt",
            fs::read_to_string(root().join("data/decide/sample_data.txt"))
                .unwrap()
                .replacen(
                    "'#D'\t'Willems'\t'tol-hoogte'\t3.0\t0.7\t1.0",
                    "'#D'\t'Willems'\t'tol-hoogte'\t3.0\t0.7\t0.5",
                    1,
                ),
            "actor Willems has power 1 on one issue and 0.5 on another",
        ),
        (
            "scholz",
            "bad-header.csv",
            "Name,Power\nA,1\n".to_owned(),
            ":1: expected the header Actor,Capability,Position,Salience",
        ),
        (
            "scholz",
            "bad-row.csv",
            "Actor,Capability,Position,Salience\nA,1,50,0.5\nB,1,fifty,0.5\n".to_owned(),
            ":3: position \"fifty\" is not a number",
        ),
        (
            "scholz",
            "off-scale.csv",
            "Actor,Capability,Position,Salience\nA,1,50,0.5\nB,1,150,0.5\n".to_owned(),
            "$.stances[1].position",
        ),
        // Blank lines are skipped and counted; a quoted name may hold a
        // comma (the csv crate reads the file as Python's csv module does).
        (
            "scholz",
            "blank-lines.csv",
            "Actor,Capability,Position,Salience\n\n\"Bosnia, Herzegovina\",1,50,0.5\r\n\nB,1,fifty,0.5\n"
                .to_owned(),
            ":5: position \"fifty\" is not a number",
        ),
        (
            "ktab",
            "blank-lines.csv",
            fs::read_to_string(root().join("data/ktab/dummyData_3Dim.csv"))
                .unwrap()
                .replacen('\n', "\n\n  \n", 1)
                .replace("75.79", "seventy"),
            ":5: column 4: \"seventy\" is not a number",
        ),
    ];
    for (format, name, text, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).unwrap();
        let ran = fails(&dir, 2, &["import", format, s(&path), "--out", s(&out)]);
        assert!(ran.stderr.contains(expected), "{name}: {}", ran.stderr);
        assert!(!out.exists(), "{name} wrote its output");
    }
    // An existing output is kept without --force; the input never replaced.
    let csv = root().join("tests/fixtures/scholz-ec/ExampleActors.csv");
    fs::write(&out, "keep me").unwrap();
    let ran = fails(&dir, 2, &["import", "scholz", s(&csv), "--out", s(&out)]);
    assert!(ran.stderr.contains("--force"), "{}", ran.stderr);
    assert_eq!(fs::read_to_string(&out).unwrap(), "keep me");
    let copy = dir.path().join("actors.csv");
    fs::copy(&csv, &copy).unwrap();
    fails(
        &dir,
        2,
        &["import", "scholz", s(&copy), "--out", s(&copy), "--force"],
    );
    assert_eq!(fs::read(&copy).unwrap(), fs::read(&csv).unwrap());
}
