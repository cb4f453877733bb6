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
