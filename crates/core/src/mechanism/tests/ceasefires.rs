//! Format 2 mechanism rules: ceasefires.

use super::*;
#[allow(unused_imports)]
use super::{
    agreements_and_draws::*, effects_and_threats::*, polarity_and_strikes::*, sanctions::*,
};

// ---------------------------------------------------------------------------
// 3. Brokered ceasefires and spoilers
// ---------------------------------------------------------------------------

/// Brokers USA and RUS fit at 70; GOV and OPP at 45 lie within the
/// tolerance (30) and are bound; ISL at 0 with salience 1 and a patron's
/// leverage of 0.01 joins with chance 0.01 × (1 − 1) = 0. ISL and GOV have
/// their own hazard of 1; trust opens at 0, so that a bound ISL would
/// violate most rounds.
pub(super) fn brokered() -> Scenario {
    scenario(json!({
        "rounds": 15,
        "actors": actors(&["USA", "RUS", "GOV", "OPP", "ISL"]),
        "issues": [issue("truce", &["USA", "RUS"], Some("ceasefire_now"))],
        "stances": [
            stance("USA", "truce", 70.0, 0.5), stance("RUS", "truce", 70.0, 0.5),
            stance("GOV", "truce", 45.0, 0.5), stance("OPP", "truce", 45.0, 0.5),
            stance("ISL", "truce", 0.0, 1.0),
        ],
        "patrons": [
            {"patron": "RUS", "client": "GOV", "leverage": 0.5, "basis": "analyst estimate"},
            {"patron": "USA", "client": "OPP", "leverage": 0.5, "basis": "analyst estimate"},
            {"patron": "RUS", "client": "ISL", "leverage": 0.01, "basis": "analyst estimate"},
        ],
        "ceasefires": [{"theatre": "syria", "issue": "truce", "parties": ["GOV", "OPP", "ISL"],
                        "brokers": ["USA", "RUS"], "tolerance": 30, "threshold": 60,
                        "hazard": 0, "hazards": {"ISL": 1, "GOV": 1}, "collapse_after": 1000,
                        "basis": "analyst estimate"}],
        "trust": {"initial": 0.0},
    }))
}

/// A party far from the brokers, with tiny leverage over it and salience 1,
/// refuses a brokered ceasefire: it is named among the spoilers and not
/// bound, while the parties near the brokers are.
#[test]
fn a_party_beyond_its_patrons_reach_refuses_as_a_spoiler() {
    let s = brokered();
    for seed in 0..10 {
        let events = run(&s, seed);
        let agreed = named(&events, "ceasefire_agreed");
        let Some(Event::CeasefireAgreed(c)) = agreed.first().map(|e| &e.event) else {
            panic!("seed {seed}: no ceasefire agreed");
        };
        assert_eq!(c.spoilers, ["ISL"], "seed {seed}: {c:?}");
        let st = fold(&s, &events);
        let cf = &st.ceasefires()[0];
        assert_eq!(cf.status, CeasefireStatus::InForce, "seed {seed}");
        assert!(!cf.binds(st.actor("ISL").unwrap()), "seed {seed}");
        assert!(cf.binds(st.actor("GOV").unwrap()) && cf.binds(st.actor("OPP").unwrap()));
    }
}

/// A spoiler is not bound: it never violates the ceasefire by hazard, even
/// with its own hazard at 1 (while a bound party with hazard 1 does).
#[test]
fn a_spoiler_never_violates_the_ceasefire_it_refused() {
    let s = brokered();
    let mut bound_violations = 0;
    for seed in 0..40 {
        for e in run(&s, seed) {
            if let Event::CeasefireViolated(v) = &e.event
                && matches!(v.cause, ViolationCause::Hazard { .. })
            {
                assert_ne!(v.by, "ISL", "seed {seed}: {v:?}");
                bound_violations += usize::from(v.by == "GOV");
            }
        }
    }
    assert!(
        bound_violations > 40,
        "GOV, bound with hazard 1, violated {bound_violations} times"
    );
}

// ---------------------------------------------------------------------------
// 4. Ceasefire memory
// ---------------------------------------------------------------------------

/// A and B fit at 50 (threshold 50) and agree in round 1; each violates
/// with hazard 1 × 0.5 × (1 − trust) a round, and three violations collapse
/// it. Trust opens at 0.2, which re-agreement needs: it rises by 0.045 when
/// the ceasefire is agreed, falls by 0.0475 with each violation and
/// recovers (by `trust_recovery` a round) only up to 0.2, so the third
/// violation leaves it at most 0.1525, five rounds of recovery at 0.01
/// short. M, the issue's only principal, stands apart so that no agreement
/// on the issue moves trust.
pub(super) fn memory(trust_recovery: f64) -> Scenario {
    scenario(json!({
        "rounds": 60,
        "actors": actors(&["A", "B", "M"]),
        "issues": [issue("truce", &["M"], Some("ceasefire_now"))],
        "stances": [stance("A", "truce", 50.0, 0.5), stance("B", "truce", 50.0, 0.5), stance("M", "truce", 0.0, 0.5)],
        "ceasefires": [{"theatre": "front", "issue": "truce", "parties": ["A", "B"], "tolerance": 10,
                        "threshold": 50, "hazard": 1, "collapse_after": 3,
                        "trust_to_reagree": 0.2, "trust_recovery": trust_recovery,
                        "basis": "analyst estimate"}],
        "trust": {"initial": 0.2},
    }))
}

/// The rounds of each ceasefire_agreed and ceasefire_collapsed.
pub(super) fn agreed_and_collapsed(events: &[Envelope]) -> (Vec<u32>, Vec<u32>) {
    let rounds = |name| named(events, name).iter().map(|e| e.round).collect();
    (rounds("ceasefire_agreed"), rounds("ceasefire_collapsed"))
}

/// After a collapse, with trust below trust_to_reagree and no recovery, the
/// ceasefire is never agreed again although the positions still fit.
#[test]
fn a_collapsed_ceasefire_without_trust_is_never_agreed_again() {
    let s = memory(0.0);
    let mut collapsed = 0;
    for seed in 0..20 {
        let events = run(&s, seed);
        let (agreed, collapses) = agreed_and_collapsed(&events);
        assert_eq!(
            agreed,
            [1],
            "seed {seed}: agreed in rounds {agreed:?}, collapsed in {collapses:?}"
        );
        collapsed += usize::from(!collapses.is_empty());
    }
    assert!(collapsed >= 15, "only {collapsed} of 20 runs collapsed");
}

/// With trust recovering, a collapsed ceasefire is agreed again, once the
/// parties' trust is back at trust_to_reagree: later, never in the round
/// right after the collapse.
#[test]
fn a_collapsed_ceasefire_is_agreed_again_once_trust_recovers() {
    let s = memory(0.01);
    let mut reagreed = 0;
    for seed in 0..20 {
        let events = run(&s, seed);
        let (agreed, collapses) = agreed_and_collapsed(&events);
        for (k, &again) in agreed.iter().enumerate().skip(1) {
            let after = collapses[k - 1];
            // Never the round right after; here, not before five rounds of
            // recovery.
            assert!(
                again >= after + 5,
                "seed {seed}: collapsed in round {after}, agreed again in {again}"
            );
            reagreed += 1;
        }
        // The trust among the parties just before each re-agreement.
        for e in named(&events, "ceasefire_agreed").iter().skip(1) {
            let before: Vec<Envelope> = events
                .iter()
                .take_while(|x| x.seq < e.seq)
                .cloned()
                .collect();
            let st = fold(&s, &before);
            let t = st.trust(st.actor("A").unwrap(), st.actor("B").unwrap());
            assert!(t >= 0.2, "seed {seed}: agreed again at trust {t}");
        }
    }
    assert!(reagreed >= 10, "only {reagreed} re-agreements over 20 runs");
}
