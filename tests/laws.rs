//! check-laws: the law suite on variations of a scenario, from the command
//! line.

use std::fs;

use crate::util::{block_after, doc, fails, ok, s, scenario, scratch};

#[test]
fn the_moscow_scenario_keeps_every_law() {
    let dir = scratch();
    let ran = ok(
        &dir,
        &[
            "check-laws",
            s(&scenario("moscow-2015-12-15.json")),
            "--cases",
            "200",
        ],
    );
    assert!(
        ran.stdout
            .starts_with("Every law holds over 200 variations"),
        "{}",
        ran.stdout
    );
    let ok_lines = ran
        .stdout
        .lines()
        .filter(|l| cells(l).get(1) == Some(&"holds"))
        .count();
    assert_eq!(
        ok_lines,
        entente_core::laws::Law::ALL.len(),
        "{}",
        ran.stdout
    );
    // docs/laws.md shows this run (its scenario by a relative path) and
    // lists every law as check-laws names it.
    let documented = doc("docs/laws.md");
    let shown = block_after(
        &documented,
        "$ entente check-laws scenarios/moscow-2015-12-15.json --cases 200",
    );
    for line in shown
        .iter()
        .filter(|l| l.as_str() != "…" && !l.starts_with("scenario "))
    {
        assert!(
            ran.stdout.lines().any(|p| p == line),
            "docs/laws.md shows {line:?}, which check-laws does not print"
        );
    }
    for line in ran
        .stdout
        .lines()
        .filter(|l| cells(l).get(1) == Some(&"holds"))
    {
        let (says, name) = cells(line)[0]
            .rsplit_once(" (")
            .unwrap_or_else(|| panic!("no law name in {line:?}"));
        let row = format!("| {} | {says} |", name.trim_end_matches(')'));
        assert!(documented.contains(&row), "docs/laws.md lacks {row:?}");
    }
    for law in [
        "positions-in-range",
        "replay-equals-run",
        "relabel",
        "mirror",
        "capability",
        "unanimity",
        "movement",
    ] {
        assert!(ran.stdout.contains(&format!("({law})")), "{law}");
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "check-laws wrote a file"
    );
}

/// Three actors, the middle one exactly between the other two, who are
/// alike in every way: whom the middle one follows is decided by the
/// listing order alone.
const TIED: &str = r#"{
  "version": 1, "id": "tied", "title": "An exact tie",
  "start": "2015-12-07", "days_per_round": 7, "rounds": 3,
  "actors": [
    {"id": "WEST", "name": "West", "kind": "state", "capability": 1, "basis": "analyst estimate"},
    {"id": "MIDDLE", "name": "Middle", "kind": "state", "capability": 0.5, "basis": "analyst estimate"},
    {"id": "EAST", "name": "East", "kind": "state", "capability": 1, "basis": "analyst estimate"}
  ],
  "issues": [{"id": "border", "question": "Where is the border?", "low": "west", "high": "east", "principals": ["WEST", "EAST"]}],
  "stances": [
    {"actor": "WEST", "issue": "border", "position": 20, "salience": 0.8, "basis": "analyst estimate"},
    {"actor": "MIDDLE", "issue": "border", "position": 50, "salience": 0.3, "basis": "analyst estimate"},
    {"actor": "EAST", "issue": "border", "position": 80, "salience": 0.8, "basis": "analyst estimate"}
  ],
  "model": {"kind": "expected-utility", "compromise_choice": "nearest"},
  "agreement": {"tolerance": 0}
}"#;

#[test]
fn a_scenario_whose_forecast_hinges_on_listing_order_is_caught_with_a_counterexample() {
    let dir = scratch();
    let path = dir.path().join("tied.json");
    fs::write(&path, TIED).unwrap();
    let out = dir.path().join("counterexample.json");
    let ran = fails(
        &dir,
        1,
        &["check-laws", s(&path), "--cases", "50", "--out", s(&out)],
    );
    assert!(
        ran.stderr.contains(
            "law broken: renaming the actors and listing them in another order changes no position"
        ),
        "{}",
        ran.stderr
    );
    assert!(
        ran.stderr
            .contains(&format!("entente run {} --seed", s(&out))),
        "{}",
        ran.stderr
    );
    ok(&dir, &["validate", s(&out)]);
    ok(
        &dir,
        &["run", s(&out), "--out", s(&dir.path().join("cx.jsonl"))],
    );
}

#[test]
fn check_laws_refuses_an_invalid_scenario_like_run() {
    let dir = scratch();
    let path = dir.path().join("bad.json");
    fs::write(&path, TIED.replace("\"position\": 50", "\"position\": 150")).unwrap();
    let ran = fails(&dir, 2, &["check-laws", s(&path)]);
    assert!(
        ran.stderr.contains("$.stances[1].position"),
        "{}",
        ran.stderr
    );
}

#[test]
fn ranges_a_variation_cannot_use_are_refused() {
    let dir = scratch();
    let path = dir.path().join("tied.json");
    fs::write(&path, TIED).unwrap();
    for (flag, value) in [
        ("--vary-positions", "inf"),
        ("--vary-positions", "NaN"),
        ("--vary-positions", "-1"),
        ("--vary-saliences", "1.5"),
        ("--vary-capabilities", "0.5"),
        ("--vary-capabilities", "1e300"),
    ] {
        let ran = fails(
            &dir,
            2,
            &["check-laws", s(&path), &format!("{flag}={value}")],
        );
        assert!(ran.stderr.contains(flag), "{flag} {value}: {}", ran.stderr);
    }
}

#[test]
fn the_ec_table_lists_what_the_scholz_variants_are_exempt_from_and_its_ties_break_relabel() {
    let dir = scratch();
    // Scholz et al.'s table puts several actors at each of a few positions
    // (4, 7, 10), so offers tie exactly; their code, like the scholz
    // variants, breaks the ties by the listing order, which the strict
    // relabel law reports on variations of the table.
    let out = dir.path().join("ec-counterexample.json");
    let ran = fails(
        &dir,
        1,
        &[
            "check-laws",
            s(&scenario("ec-car-emissions.json")),
            "--cases",
            "100",
            "--out",
            s(&out),
        ],
    );
    assert!(ran.stderr.contains("(relabel)"), "{}", ran.stderr);
    // With the ties broken (every position nudged off the others), every law
    // holds or is listed as exempt, with the reason.
    let mut ec: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(scenario("ec-car-emissions.json")).unwrap())
            .unwrap();
    for (k, stance) in ec["stances"].as_array_mut().unwrap().iter_mut().enumerate() {
        let x = stance["position"].as_f64().unwrap();
        stance["position"] = serde_json::json!(x + 0.01 * (k as f64 + 1.0));
    }
    let path = dir.path().join("ec-untied.json");
    fs::write(&path, ec.to_string()).unwrap();
    let ran = ok(&dir, &["check-laws", s(&path), "--cases", "20"]);
    for (law, why) in [
        ("mirror", "ranks offers by a weighted position"),
        ("capability", "not monotone in capability"),
        ("movement", "reproduce Scholz et al."),
    ] {
        let line = ran
            .stdout
            .lines()
            .find(|l| l.contains(&format!("({law})")))
            .unwrap_or_else(|| panic!("no line for {law}:\n{}", ran.stdout));
        let cells = cells(line);
        assert!(
            cells[1] == "exempt" && cells[2].starts_with("since ") && cells[2].contains(why),
            "{line}"
        );
    }
    let relabel = ran
        .stdout
        .lines()
        .find(|l| l.starts_with("renaming the actors"))
        .unwrap_or_else(|| panic!("no relabel line:\n{}", ran.stdout));
    assert_eq!(cells(relabel)[1], "holds", "{relabel}");
}

/// The cells of a row of a text table (columns are two or more spaces
/// apart).
fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}
