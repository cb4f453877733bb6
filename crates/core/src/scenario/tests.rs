//! Validation rules at their edges.

use super::Scenario;

fn moscow() -> Scenario {
    serde_json::from_str(include_str!("../../../../scenarios/moscow-2015-12-15.json")).unwrap()
}

fn problems(s: &Scenario) -> Vec<String> {
    s.problems().iter().map(ToString::to_string).collect()
}

#[test]
fn one_limit_holds_every_text_field_whatever_it_is() {
    let long = "x".repeat(crate::limits::MAX_TEXT_BYTES + 1);
    let mut s = moscow();
    s.description = long.clone();
    s.schema = Some(long.clone());
    s.actors[0].speaks_for.push(long.clone());
    s.sources[0].url = long;
    let found = problems(&s);
    for path in [
        "$.description",
        "$.$schema",
        "$.actors[0].speaks_for[3]",
        "$.sources[0].url",
    ] {
        assert!(
            found
                .iter()
                .any(|p| p.starts_with(&format!("{path}: text of 10001 bytes; the limit is 10000"))),
            "{path} not in {found:#?}"
        );
    }
}

#[test]
fn a_trust_pair_given_twice_is_refused_naming_both() {
    let mut s = moscow();
    let mut twin = s.trust.pairs[0].clone();
    std::mem::swap(&mut twin.a, &mut twin.b);
    twin.value = 0.9;
    s.trust.pairs.push(twin);
    let last = s.trust.pairs.len() - 1;
    let found = problems(&s);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with(&format!("$.trust.pairs[{last}]"))
                && p.contains("here and at $.trust.pairs[0]")),
        "{found:#?}"
    );
}

#[test]
fn a_timeline_entry_after_the_end_is_refused_like_one_before_the_start() {
    let mut s = moscow();
    let end = s.round_last_day(s.rounds);
    s.timeline[0].date = end.plus_days(1);
    let found = problems(&s);
    assert!(
        found
            .iter()
            .any(|p| p.starts_with("$.timeline[0].date") && p.contains("after the run's last day")),
        "{found:#?}"
    );
    // A shorter run than the timeline is refused too, naming the entry.
    let s = moscow();
    let short = s.timeline_problem(1).unwrap_or_default();
    assert!(
        short.contains("1 rounds end on") && short.contains("$.timeline["),
        "{short}"
    );
}

#[test]
fn the_real_limit_is_named() {
    let mut s = moscow();
    s.actors[0].capability = 2e12;
    let found = problems(&s);
    assert!(
        found
            .contains(&"$.actors[0].capability: capability 2e12 exceeds the limit 1e12".to_owned()),
        "{found:#?}"
    );
}
