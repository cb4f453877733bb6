//! The conformance corpus: each case in tests/conformance/ pins one rule,
//! and its events (seed 1) must match the reviewed snapshot in
//! tests/conformance/snapshots/. A changed snapshot is reviewed like code
//! (`cargo insta review`). Each case is a test of its own, so a failing
//! case hides none of the others; a case file without a test here fails
//! `every_case_file_has_its_test`.

use std::collections::BTreeSet;
use std::fs;

use crate::util::{doc, ok, root, s, scratch};

/// The events of a log, one per line, without hashes.
fn events(log: &str) -> String {
    log.lines()
        .skip(1)
        .map(|line| match line.rfind(",\"hash\":") {
            Some(i) => format!("{}}}\n", &line[..i]),
            None => format!("{line}\n"),
        })
        .collect()
}

/// Runs one case and checks it against its snapshot.
fn check(name: &str) {
    let dir = scratch();
    let case = root()
        .join("tests/conformance")
        .join(format!("{name}.json"));
    let scenario: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&case).unwrap()).unwrap();
    let rule = scenario["description"].as_str().unwrap_or("");
    assert!(
        rule.starts_with("Pins: ") && !rule.contains('\n'),
        "{name}: the description must be one line starting \"Pins: \""
    );
    let log = dir.path().join(format!("{name}.jsonl"));
    let args = [
        "run",
        s(&case),
        "--seed",
        "1",
        "--out",
        s(&log),
        "--sync",
        "never",
    ];
    ok(&dir, &args);
    let text = format!("{rule}\n\n{}", events(&fs::read_to_string(&log).unwrap()));
    insta::with_settings!({
        snapshot_path => root().join("tests/conformance/snapshots"),
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

macro_rules! cases {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($name);
            }
        )*

        /// Every case's name, as the tests above list them.
        const CASES: &[&str] = &[$($name),*];
    };
}

cases! {
    case_01_eu_nearest_confrontation => "01-eu-nearest-confrontation",
    case_02_eu_compromise_scholz => "02-eu-compromise-scholz",
    case_03_eu_compromise_nearest => "03-eu-compromise-nearest",
    case_04_eu_capitulation_off => "04-eu-capitulation-off",
    case_05_eu_capitulation_on => "05-eu-capitulation-on",
    case_06_eu_tie_listing_order => "06-eu-tie-listing-order",
    case_07_eu_salience_one_vs_coalition => "07-eu-salience-one-vs-coalition",
    case_08_eu_probability_paper => "08-eu-probability-paper",
    case_09_eu_risk_equal_danger => "09-eu-risk-equal-danger",
    case_10_compromise_salience_one_holds => "10-compromise-salience-one-holds",
    case_11_compromise_min_move => "11-compromise-min-move",
    case_12_median_tie_lower => "12-median-tie-lower",
    case_13_ceasefire_agreed_and_violated => "13-ceasefire-agreed-and-violated",
    case_14_ceasefire_collapse_exact => "14-ceasefire-collapse-exact",
    case_15_ceasefire_mean_below_threshold => "15-ceasefire-mean-below-threshold",
    case_16_ceasefire_strike_violation => "16-ceasefire-strike-violation",
    case_17_sanctions_renewal_last_round => "17-sanctions-renewal-last-round",
    case_18_sanctions_renewal_after_run => "18-sanctions-renewal-after-run",
    case_19_sanctions_eased_level => "19-sanctions-eased-level",
    case_20_sanctions_lifted_stays_lifted => "20-sanctions-lifted-stays-lifted",
    case_21_linkage_offerer_below_offer_at => "21-linkage-offerer-below-offer-at",
    case_22_linkage_refused_below_accept_at => "22-linkage-refused-below-accept-at",
    case_23_linkage_accepted_stokman => "23-linkage-accepted-stokman",
    case_24_linkage_cooldown => "24-linkage-cooldown",
    case_25_agreement_freezes_issue => "25-agreement-freezes-issue",
    case_26_uncertainty_clamped => "26-uncertainty-clamped",
    case_27_timeline_date_then_listing => "27-timeline-date-then-listing",
    case_28_ceasefire_collapse_counts_whole_round => "28-ceasefire-collapse-counts-whole-round",
    case_29_ceasefire_reagreed_after_collapse => "29-ceasefire-reagreed-after-collapse",
    case_30_ceasefire_bounds_inclusive => "30-ceasefire-bounds-inclusive",
    case_31_sanctions_unchanged_ease_renews => "31-sanctions-unchanged-ease-renews",
    case_32_linkage_bounds_inclusive => "32-linkage-bounds-inclusive",
    case_33_median_near_tie_lower => "33-median-near-tie-lower",
    case_34_ceasefire_strike_on_terrorists => "34-ceasefire-strike-on-terrorists",
    case_35_eu_zero_range_skipped => "35-eu-zero-range-skipped",
    case_36_uncertainty_clamped_no_event => "36-uncertainty-clamped-no-event",
    case_37_agreement_median_forecast => "37-agreement-median-forecast",
    case_38_eu_moves_simultaneous => "38-eu-moves-simultaneous",
    case_39_eu_compromise_scholz_mirrored => "39-eu-compromise-scholz-mirrored",
    case_40_eu_risk_relative => "40-eu-risk-relative",
    case_41_eu_pairwise_default => "41-eu-pairwise-default",
    case_42_stop_converged => "42-stop-converged",
    case_43_stop_cycled => "43-stop-cycled",
    case_44_stop_null_plays_every_round => "44-stop-null-plays-every-round",
}

#[test]
fn every_case_file_has_its_test_and_pins_its_own_rule() {
    let on_disk: BTreeSet<String> = fs::read_dir(root().join("tests/conformance"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = CASES.iter().map(|c| (*c).to_owned()).collect();
    assert_eq!(on_disk, listed, "add a line to cases! for every case file");
    // The README and ARCHITECTURE.md count them.
    let count = CASES.len();
    for (name, says) in [
        ("README.md", format!("the {count} cases")),
        ("ARCHITECTURE.md", format!("`conformance/` ({count} cases")),
    ] {
        let text = doc(name).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains(&says), "{name} should say {says:?}");
    }
    let mut rules = BTreeSet::new();
    for name in CASES {
        let case = root()
            .join("tests/conformance")
            .join(format!("{name}.json"));
        let scenario: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(&case).unwrap()).unwrap();
        let rule = scenario["description"].as_str().unwrap_or("").to_owned();
        assert!(
            rules.insert(rule),
            "{name} pins the same rule as another case"
        );
    }
}
