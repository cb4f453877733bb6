//! Scores computed by hand, pattern matching, and bad history files.

use super::*;

#[test]
fn patterns_match_any_subject_or_alternatives() {
    assert!(matches(
        "sanctions_lifted:*",
        "sanctions_lifted:eu_sectoral"
    ));
    assert!(matches(
        "ceasefire_agreed:syria|eastern_ukraine",
        "ceasefire_agreed:eastern_ukraine"
    ));
    assert!(!matches(
        "ceasefire_agreed:syria|eastern_ukraine",
        "ceasefire_agreed:gaza"
    ));
    assert!(!matches(
        "sanctions_lifted:*",
        "sanctions_eased:eu_sectoral"
    ));
    assert!(matches(
        "package_accepted:RUS:USA",
        "package_accepted:RUS:USA"
    ));
    assert!(!matches("agreement", "agreement:assad_role"));
}

#[test]
fn the_log_score_is_clipped() {
    assert!((log_loss(0.5, true) - std::f64::consts::LN_2).abs() < 1e-12);
    assert!((log_loss(0.0, true) - -(LOG_CLIP.ln())).abs() < 1e-12);
    assert!((log_loss(1.0, false) - -(LOG_CLIP.ln())).abs() < 1e-12);
    assert!((log_loss(0.8, false) - -(0.2f64.ln())).abs() < 1e-12);
}

/// A file of `props` (outcome, model's count, status quo's count,
/// happened) over 10 runs.
fn file(scenario: &str, props: &[(&str, u64, u64, bool)]) -> FileScore {
    let propositions = props
        .iter()
        .enumerate()
        .map(|(k, &(outcome, count, sq, happened))| {
            proposition(&format!("p{k}"), outcome, 1, happened, (count, sq), 10)
        })
        .collect();
    file_score(
        &format!("{scenario}.history.json"),
        scenario,
        10,
        propositions,
    )
}

#[test]
fn baselines_and_skill_are_what_the_formulas_give_by_hand() {
    let a = file(
        "a",
        &[
            ("agreement:x", 8, 2, true),
            ("ceasefire_agreed:y", 1, 1, false),
        ],
    );
    let b = file(
        "b",
        &[
            ("agreement:z", 5, 5, false),
            ("agreement:w", 5, 5, true),
            ("sanctions_lifted:r", 0, 0, false),
            ("sanctions_lifted:s", 0, 0, true),
        ],
    );
    let out = output::summarise("m", (0, 10), vec![a, b]);
    let fa = &out.files[0];
    // Base rates for a: agreements in b happened 1 of 2; no ceasefire in b,
    // so the pooled share of b's propositions: 2 of 4.
    let rates: Vec<Option<f64>> = fa.propositions.iter().map(|p| p.base_rate).collect();
    assert_eq!(rates, [Some(0.5), Some(0.5)]);
    // Model Brier for a: (0.8−1)² = 0.04, (0.1−0)² = 0.01: mean 0.025.
    assert!((fa.brier - 0.025).abs() < 1e-12);
    let by =
        |f: &FileScore, name: &str| f.baselines.iter().find(|b| b.name == name).unwrap().clone();
    // Status quo for a: (0.2−1)² = 0.64, (0.1)² = 0.01: mean 0.325; skill
    // 1 − 0.025/0.325.
    let sq = by(fa, baselines::STATUS_QUO);
    assert!((sq.brier - 0.325).abs() < 1e-12);
    assert!((sq.skill.unwrap() - (1.0 - 0.025 / 0.325)).abs() < 1e-12);
    // Base rate for a: 0.25 and 0.25: mean 0.25; no skill the same.
    let br = by(fa, baselines::BASE_RATE);
    assert!((br.brier - 0.25).abs() < 1e-12);
    assert!((br.skill.unwrap() - 0.9).abs() < 1e-12);
    assert!((by(fa, baselines::NO_SKILL).skill.unwrap() - 0.9).abs() < 1e-12);
    // Base rates for b, from a: agreements 1 of 1; sanctions: none in a,
    // pooled 1 of 2.
    let rates: Vec<Option<f64>> = out.files[1]
        .propositions
        .iter()
        .map(|p| p.base_rate)
        .collect();
    assert_eq!(rates, [Some(1.0), Some(1.0), Some(0.5), Some(0.5)]);
    // The interval holds the skill, and is the same from the same files.
    let (lo, hi) = sq.interval.unwrap();
    assert!(
        lo <= sq.skill.unwrap() && sq.skill.unwrap() <= hi,
        "{lo} {hi}"
    );
    let again = output::summarise("m", (0, 10), out.files.clone());
    assert_eq!(again.overall, out.overall);
    // Overall status quo over six propositions: model Brier sum 0.04 + 0.01
    // + 0.25 + 0.25 + 0 + 1 = 1.55; status quo 0.64 + 0.01 + 0.25 + 0.25 +
    // 0 + 1 = 2.15.
    let sq = out
        .overall
        .baselines
        .iter()
        .find(|b| b.name == baselines::STATUS_QUO)
        .unwrap();
    assert!((sq.skill.unwrap() - (1.0 - 1.55 / 2.15)).abs() < 1e-12);
}

#[test]
fn one_crisis_alone_has_no_base_rate_and_a_verdict_against_the_status_quo() {
    let a = file(
        "a",
        &[("agreement:x", 9, 1, true), ("agreement:y", 1, 1, false)],
    );
    let out = output::summarise("m", (0, 10), vec![a]);
    let names: Vec<&str> = out
        .overall
        .baselines
        .iter()
        .map(|b| b.name.as_str())
        .collect();
    assert_eq!(names, [baselines::STATUS_QUO, baselines::NO_SKILL]);
    assert!(
        out.files[0]
            .propositions
            .iter()
            .all(|p| p.base_rate.is_none())
    );
    assert!(
        out.overall.verdict.contains("status quo"),
        "{}",
        out.overall.verdict
    );
    // The same forecasts as the status quo: no skill against it, and the
    // interval spans zero.
    let same = file(
        "a",
        &[("agreement:x", 3, 3, true), ("agreement:y", 1, 1, false)],
    );
    let out = output::summarise("m", (0, 10), vec![same]);
    assert!(
        out.overall
            .verdict
            .starts_with("not distinguishable from the status quo"),
        "{}",
        out.overall.verdict
    );
}
