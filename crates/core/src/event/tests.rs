//! Unit tests of the event types: CAMEO codes, Goldstein values, on-disk names.

use super::*;

#[test]
fn every_event_code_is_in_the_table() {
    let codes = [
        NEUTRAL_CAMEO,
        "195",
        "0871",
        "196",
        "163",
        "085",
        "036",
        "057",
        "1244",
        "080",
        "120",
        "138",
        "0356",
    ];
    for code in codes {
        assert!(cameo::lookup(code).is_some(), "{code} missing");
    }
}

#[test]
fn the_constant_goldstein_values_are_the_tables() {
    let t = |target| {
        Event::Strike(Strike {
            striker: "A".into(),
            theatre: "t".into(),
            target,
            hits: None,
        })
    };
    let mut events = vec![t(StrikeTarget::OtherOpposition)];
    let decision = SanctionsDecision {
        regime: "r".into(),
        imposer: "A".into(),
        target: "B".into(),
        due: "2015-12-07".parse().unwrap(),
        position: 50.0,
        level: 1.0,
        votes: BTreeMap::new(),
    };
    let terms = PackageTerms {
        offerer: "A".into(),
        receiver: "B".into(),
        offerer_yields: Concession {
            issue: "i".into(),
            to: 1.0,
        },
        receiver_yields: Concession {
            issue: "j".into(),
            to: 2.0,
        },
        gain: 1.0,
    };
    events.extend([
        Event::RoundClosed(RoundClosed {
            round: 0,
            issues: vec![],
        }),
        Event::RiskUpdated(RiskUpdated {
            issue: "i".into(),
            exponents: BTreeMap::new(),
        }),
        Event::PositionChanged(PositionChanged {
            actor: "A".into(),
            issue: "i".into(),
            from: 0.0,
            to: 1.0,
            cause: Cause::External {
                note: String::new(),
            },
        }),
        Event::CeasefireAgreed(CeasefireAgreed {
            theatre: "t".into(),
            parties: vec![],
            mean: 0.0,
            spread: 0.0,
            brokers: vec![],
            spoilers: vec![],
        }),
        Event::CeasefireViolated(CeasefireViolated {
            theatre: "t".into(),
            by: "A".into(),
            cause: ViolationCause::Strike,
            violations: 1,
        }),
        Event::CeasefireCollapsed(CeasefireCollapsed {
            theatre: "t".into(),
            violations: 1,
            hazard: Some(0.25),
        }),
        Event::SanctionsRenewed(decision.clone()),
        Event::SanctionsEased(decision.clone()),
        Event::SanctionsLifted(decision),
        Event::PackageOffered(terms.clone()),
        Event::PackageAccepted(terms.clone()),
        Event::PackageRefused(PackageRefused {
            terms,
            reason: RefusalReason::NotWorthIt,
        }),
        Event::AgreementSigned(AgreementSigned {
            issue: "i".into(),
            position: 1.0,
            principals: vec![],
            spoilers: vec![],
        }),
        Event::SanctionsImposed(decision_again()),
        Event::AgreementStep(progress()),
        Event::AgreementImplemented(progress()),
        Event::AgreementStalled(progress()),
        Event::AgreementReopened(progress()),
        Event::ThreatMade(threat()),
        Event::ThreatExtended(threat()),
        Event::ThreatCarriedOut(threat()),
        Event::ThreatWithdrawn(threat()),
        Event::SalienceChanged(SalienceChanged {
            actor: "A".into(),
            issue: "i".into(),
            from: 0.5,
            to: 0.6,
            cause: Shift::Effect { entry: 0 },
        }),
        Event::CapabilityChanged(CapabilityChanged {
            actor: "A".into(),
            from: 1.0,
            to: 2.0,
            cause: Shift::Effect { entry: 0 },
        }),
        Event::TrustChanged(TrustChanged {
            a: "A".into(),
            b: "B".into(),
            from: 0.5,
            to: 0.4,
            cause: Shift::Effect { entry: 0 },
        }),
    ]);
    for e in events {
        assert_eq!(e.goldstein(), cameo::goldstein(e.cameo()), "{}", e.name());
    }
}

fn decision_again() -> SanctionsDecision {
    SanctionsDecision {
        regime: "r".into(),
        imposer: "A".into(),
        target: "B".into(),
        due: "2015-12-07".parse().unwrap(),
        position: 50.0,
        level: 1.0,
        votes: BTreeMap::new(),
    }
}

fn progress() -> AgreementProgress {
    AgreementProgress {
        issue: "i".into(),
        steps: 1,
        noncompliant: vec![],
        refused: vec![],
    }
}

fn threat() -> ThreatRecord {
    ThreatRecord {
        threat: "t".into(),
        actor: "A".into(),
        target: "B".into(),
        deadline: "2015-12-07".parse().unwrap(),
        position: 50.0,
    }
}

#[test]
fn names_are_the_on_disk_tags() {
    let e = Event::Strike(Strike {
        striker: "RUS".into(),
        theatre: "syria".into(),
        target: StrikeTarget::OtherOpposition,
        hits: None,
    });
    let json = serde_json::to_string(&e).unwrap();
    assert_eq!(
        json,
        r#"{"strike":{"striker":"RUS","theatre":"syria","target":"other_opposition"}}"#
    );
    assert!(json.starts_with(&format!("{{\"{}\"", e.name())));
    assert_eq!(e.goldstein(), -10.0);
}

/// The names are listed once (`events!`), and each is what the format has
/// always written: the type's name in snake_case (engine 0.1 derived them
/// so). Each reads back as its type.
#[test]
fn every_name_is_its_types_in_snake_case_and_reads_back() {
    for &kind in EventKind::ALL {
        let mut snake = String::new();
        for (k, c) in format!("{kind:?}").chars().enumerate() {
            if c.is_ascii_uppercase() && k > 0 {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        }
        assert_eq!(kind.name(), snake);
        assert_eq!(EventKind::named(kind.name()), Some(kind));
    }
    assert_eq!(EventKind::named("strike_made"), None);
    let e = Event::BargainingConverged(BargainingConverged::default());
    let json = serde_json::to_value(&e).unwrap();
    assert!(json.get(e.kind().name()).is_some(), "{json}");
}
