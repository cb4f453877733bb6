//! Unit tests, and the reference numbers the KTAB documentation quotes.

use super::bargain::round4;
use super::csv::{self, CsvError};
use super::math;
use super::reference::CSV;
use super::reproduce::{Reference, fixed, signed};
use super::*;

#[test]
fn the_reference_csv_is_read() {
    let s = csv::parse(CSV).expect("parses");
    assert_eq!(s.name, "DummyData_3Dim");
    assert_eq!(s.description, "Dummy scenario to test reading format");
    assert_eq!(s.dimensions, ["Pstn1", "Pstn2", "Pstn3"]);
    assert_eq!(s.actors.len(), 7);
    let a = &s.actors[0];
    assert_eq!(
        (a.name.as_str(), a.description.as_str()),
        ("SActor-00", "Random Spatial Actor")
    );
    assert_eq!(a.capability, 102.543);
    assert_eq!(a.position, [75.79, 6.37, 70.45]);
    assert_eq!(a.salience, [49.53, 5.91, 28.15]);
    assert_eq!(s.actors[6].name, "SActor-06");
    assert_eq!(s.unit_positions()[0], 75.79 / 100.0);
    assert_eq!(s.unit_saliences().len(), 21);
    assert_eq!(s.capabilities()[2], 129.643);
}

#[test]
fn csv_errors_name_their_line() {
    let head = "S, \"d\", 3, 1,\nActor,Description,Power,P1,S1,\n";
    let ok = format!("{head}a,,1,10,50,\nb,,1,20,50,\nc,,1,30,50,\n");
    assert!(csv::parse(&ok).is_ok());
    let cases = [
        ("", CsvError::Empty),
        ("S,d,2,1\n", CsvError::ActorCount { line: 1, count: 2 }),
        ("S,d,3,0\n", CsvError::DimensionCount { line: 1 }),
        (
            "S,d,three,1\n",
            CsvError::Number {
                line: 1,
                column: 3,
                text: "three".into(),
            },
        ),
        (
            &format!("{head}a,,1,10,50\nb,,x,20,50\n"),
            CsvError::Number {
                line: 4,
                column: 3,
                text: "x".into(),
            },
        ),
        (
            &format!("{head}a,,1,10\n"),
            CsvError::MissingFields {
                line: 3,
                expected: 5,
                found: 4,
            },
        ),
        (
            &format!("{head}a,,1,10,50,7\n"),
            CsvError::ExtraField { line: 3, column: 6 },
        ),
        (
            &format!("{head}a,,1,101,50\n"),
            CsvError::Position {
                line: 3,
                dimension: 1,
                value: 101.0,
            },
        ),
        (
            &format!("{head}a,,1,10,-1\n"),
            CsvError::Salience {
                line: 3,
                dimension: 1,
                value: -1.0,
            },
        ),
        (
            &format!("{head},,1,10,50\n"),
            CsvError::EmptyName { line: 3 },
        ),
        (
            &format!("{head}a,,-1,10,50\n"),
            CsvError::Capability {
                line: 3,
                value: -1.0,
            },
        ),
        (
            &format!("{head}a,,1,10,50\n"),
            CsvError::MissingActors {
                expected: 3,
                found: 1,
            },
        ),
        (
            &format!("{ok}\nd,,1,1,1\n"),
            CsvError::ExtraLine { line: 7 },
        ),
    ];
    for (text, error) in cases {
        assert_eq!(csv::parse(text), Err(error), "{text:?}");
    }
    let two = "S,d,3,2\nActor,Description,Power,P1,S1,P2,S2\na,,1,10,60,10,41\n";
    assert_eq!(
        csv::parse(two),
        Err(CsvError::TotalSalience {
            line: 3,
            total: 101.0
        })
    );
    let long = format!("{head}{},,1,10,50\n", "x".repeat(26));
    assert!(matches!(
        csv::parse(&long),
        Err(CsvError::TooLong {
            line: 3,
            max: 25,
            ..
        })
    ));
}

#[test]
fn published_turn_zero_numbers() {
    let reference = Reference::load();
    let step = step(&SpatialConfig::default(), reference.input()).expect("a step");
    let risk: Vec<String> = step.assessment.risk.iter().map(|r| signed(*r, 3)).collect();
    assert_eq!(
        risk,
        [
            "-0.500", "-0.459", "-0.499", "-0.274", "+1.000", "-0.232", "-0.430"
        ]
    );

    let c = step.challenges[0].as_ref().expect("actor 0 challenges");
    assert_eq!(
        (c.target, fixed(c.value, 4), fixed(c.probability, 4)),
        (6, "0.0947".into(), "0.7643".into())
    );
    // The other six, as logged: target, value, probability.
    let logged = [
        (1, 0, "0.2810", "0.7964"),
        (2, 6, "0.4711", "0.8334"),
        (3, 0, "0.2839", "0.8056"),
        (4, 0, "0.0116", "0.5836"),
        (5, 1, "0.2986", "0.8510"),
        (6, 1, "0.0286", "0.3970"),
    ];
    for (i, j, value, p) in logged {
        let c = step.challenges[i].as_ref().expect("a challenge");
        assert_eq!(
            (c.target, fixed(c.value, 4), fixed(c.probability, 4)),
            (j, value.into(), p.into())
        );
    }

    let b = step
        .bargains
        .iter()
        .find(|b| (b.initiator, b.receiver) == (0, 6))
        .expect("0:6");
    let show = |v: &[f64]| v.iter().map(|x| fixed(100.0 * x, 2)).collect::<Vec<_>>();
    assert_eq!(show(&b.initiator_position), ["75.61", "24.78", "71.95"]);
    assert_eq!(show(&b.receiver_position), ["75.61", "24.79", "71.95"]);
}

#[test]
fn the_reference_run_stops_after_eleven_states_with_the_logged_final_positions() {
    let reference = Reference::load();
    let steps = reference.run();
    assert_eq!(steps.len() + 1, 11);
    let last = &steps[steps.len() - 1].positions;
    let shown: Vec<String> = last.iter().map(|x| fixed(100.0 * x, 2)).collect();
    let expected = [
        "78.56", "31.76", "74.05", "78.56", "31.76", "74.05", "82.45", "90.89", "0.07", "67.12",
        "50.12", "63.73", "78.60", "31.65", "74.11", "79.88", "34.37", "75.16", "78.60", "31.65",
        "74.11",
    ];
    assert_eq!(shown, expected);
    // Actor 2 never moves.
    for s in &steps {
        assert_eq!(&s.positions[6..9], &reference.position[6..9]);
    }
    let movements: Vec<f64> = steps.iter().map(|s| s.movement).collect();
    assert!(should_stop(&movements, MAX_ITERATIONS));
    assert!(!should_stop(&movements[..9], MAX_ITERATIONS));
}

#[test]
fn the_stopping_rule() {
    assert!(!should_stop(&[], 100));
    assert!(should_stop(&[], 0));
    // One step is never enough, however quiet.
    assert!(!should_stop(&[1.0], 100));
    assert!(should_stop(&[1.0], 1));
    assert!(!should_stop(&[1.0, 0.5], 100));
    assert!(should_stop(&[1.0, 0.019], 100));
    assert!(!should_stop(&[1.0, 0.5, 0.0201], 100));
    assert!(should_stop(&[1.0, 0.5, 0.5], 3));
    // A still first step is padded, not divided by.
    assert!(should_stop(&[0.0, 0.0], 100));
}

#[test]
fn a_run_is_bit_identical_when_repeated() {
    let reference = Reference::load();
    let a = reference.run();
    let b = reference.run();
    assert_eq!(a, b);
    let bits = |s: &[SpatialStep]| {
        s.iter()
            .flat_map(|x| x.positions.iter().map(|p| p.to_bits()))
            .collect::<Vec<_>>()
    };
    assert_eq!(bits(&a), bits(&b));
}

#[test]
fn votes_and_victory_laws() {
    use VictoryProbability as V;
    assert_eq!(math::vote(VotingRule::Proportional, 2.0, 0.75, 0.5), 0.5);
    assert_eq!(math::vote(VotingRule::Binary, 2.0, 0.75, 0.5), 2.0);
    assert_eq!(math::vote(VotingRule::Binary, 2.0, 0.5, 0.75), -2.0);
    assert_eq!(math::vote(VotingRule::Cubic, 1.0, 0.5, 0.0), 0.125);
    assert_eq!(math::vote(VotingRule::PropCubic, 1.0, 0.5, 0.0), 0.3125);
    assert!((math::vote(VotingRule::PropBin, 1.0, 0.5, 0.0) - 0.6).abs() < 1e-15);
    assert!((math::vote(VotingRule::AsymmetricProspect, 3.0, 0.5, 0.0) - 1.0).abs() < 1e-15);
    assert_eq!(
        math::vote(VotingRule::AsymmetricProspect, 3.0, 0.0, 0.5),
        -1.5
    );
    let two_to_one = |m| math::victory_pair(m, 2.0, 1.0).0;
    assert_eq!(two_to_one(V::Linear), 2.0 / 3.0);
    assert_eq!(two_to_one(V::Square), 0.8);
    assert_eq!(two_to_one(V::Quartic), 16.0 / 17.0);
    assert_eq!(two_to_one(V::Octic), 256.0 / 257.0);
    assert!(two_to_one(V::Binary) > 0.99999);
    assert!((math::victory_pair(V::Binary, 1.0, 1.0).0 - 0.5).abs() < 1e-12);
}

#[test]
fn utilities_distances_and_risk() {
    assert_eq!(math::utility(0.0, -0.5), 1.0);
    assert_eq!(math::utility(1.0, 1.0), 0.0);
    assert_eq!(math::utility(0.5, 1.0), 0.75);
    assert_eq!(math::utility(0.5, 0.0), 0.5);
    // Salience weights the axes: only the salient one counts here.
    assert_eq!(math::distance(&[0.0, 0.0], &[0.5, 1.0], &[1.0, 0.0]), 0.5);
    let p = [0.125, 0.625, 0.25];
    assert_eq!(
        math::risk_from_probability(RiskRange::Mid, &p),
        [-0.5, 1.0, -0.125]
    );
    assert_eq!(
        math::risk_from_probability(RiskRange::Max, &p),
        [-1.0, 1.0, -0.5]
    );
    assert_eq!(
        math::risk_from_probability(RiskRange::Min, &p),
        [0.0, 1.0, 0.25]
    );
    assert_eq!(
        math::risk_from_probability(RiskRange::Mid, &[0.5, 0.5]),
        [0.0, 0.0]
    );
    assert_eq!(math::estimated_risk(RiskAdjust::OneThird, 1.0, -0.5), 0.5);
    assert_eq!(
        math::estimated_risk(RiskAdjust::NoAdjustment, 1.0, -0.5),
        1.0
    );
    assert_eq!(math::estimated_risk(RiskAdjust::Full, 1.0, -0.5), -0.5);
    assert_eq!(round4(0.756149), 0.7561);
    assert_eq!(round4(0.00005), 0.0001);
    assert_eq!(round4(0.00004999), 0.0);
}

#[test]
fn every_variant_runs_and_keeps_its_invariants() {
    let reference = Reference::load();
    let base = SpatialConfig::default();
    let mut configs = Vec::new();
    for voting in [
        VotingRule::Binary,
        VotingRule::PropBin,
        VotingRule::PropCubic,
        VotingRule::Cubic,
        VotingRule::AsymmetricProspect,
    ] {
        configs.push(SpatialConfig { voting, ..base });
    }
    for victory in [
        VictoryProbability::Square,
        VictoryProbability::Quartic,
        VictoryProbability::Octic,
        VictoryProbability::Binary,
    ] {
        configs.push(SpatialConfig { victory, ..base });
    }
    for pce in [PceModel::MarkovIncentive, PceModel::MarkovUniform] {
        configs.push(SpatialConfig { pce, ..base });
    }
    for risk_range in [RiskRange::Min, RiskRange::Max] {
        configs.push(SpatialConfig { risk_range, ..base });
    }
    for risk_adjust in [
        RiskAdjust::NoAdjustment,
        RiskAdjust::Half,
        RiskAdjust::TwoThirds,
        RiskAdjust::Full,
    ] {
        configs.push(SpatialConfig {
            risk_adjust,
            ..base
        });
    }
    for third_party in [ThirdParty::NoCommit, ThirdParty::FullCommit] {
        configs.push(SpatialConfig {
            third_party,
            ..base
        });
    }
    for interpolation in [Interpolation::S1P1, Interpolation::S2PMax] {
        configs.push(SpatialConfig {
            interpolation,
            ..base
        });
    }
    configs.push(SpatialConfig {
        resolution: Resolution::Mutual,
        ..base
    });
    for config in configs {
        let steps = run(&config, reference.input(), 20).expect("runs");
        assert!(!steps.is_empty() && steps.len() <= 20, "{config:?}");
        for s in &steps {
            assert!(
                s.positions.iter().all(|x| (0.0..=1.0).contains(x)),
                "{config:?}"
            );
            for q in &s.queues {
                let total: f64 = q.probability.iter().sum();
                assert!((total - 1.0).abs() < 1e-6, "{config:?}: {total}");
                assert!(q.chosen < q.options.len());
            }
            let lo = if config.risk_range == RiskRange::Mid {
                -0.5
            } else {
                -1.0
            };
            assert!(
                s.assessment
                    .risk
                    .iter()
                    .all(|r| (lo - 1e-12..=1.0 + 1e-12).contains(r))
            );
        }
    }
}

#[test]
fn mutual_resolution_moves_only_agreed_pairs() {
    let reference = Reference::load();
    let config = SpatialConfig {
        resolution: Resolution::Mutual,
        ..SpatialConfig::default()
    };
    let s = step(&config, reference.input()).expect("a step");
    let d = 3;
    for k in 0..7 {
        let q = &s.queues[k];
        let moved = s.positions[k * d..(k + 1) * d] != reference.position[k * d..(k + 1) * d];
        let agreed = match q.options[q.chosen] {
            QueueOption::StatusQuo => false,
            QueueOption::Bargain(b) => {
                let bargain = &s.bargains[b];
                let partner = if bargain.initiator == k {
                    bargain.receiver
                } else {
                    bargain.initiator
                };
                let theirs = &s.queues[partner];
                theirs.options[theirs.chosen] == QueueOption::Bargain(b)
            }
        };
        assert!(!moved || agreed, "actor {k} moved without its partner");
    }
    // In the reference turn 0, only 4:0 is chosen by both partners.
    let independent = step(&SpatialConfig::default(), reference.input()).expect("a step");
    assert_ne!(s.positions, independent.positions);
    assert_eq!(s.positions[..3], independent.positions[..3]);
}

#[test]
fn invalid_inputs_are_refused() {
    let r = Reference::load();
    let cfg = SpatialConfig::default();
    let with = |capability: &[f64], position: &[f64], salience: &[f64]| {
        step(
            &cfg,
            SpatialInput {
                capability,
                position,
                salience,
            },
        )
        .err()
    };
    assert_eq!(
        with(&r.capability[..2], &r.position[..6], &r.salience[..6]),
        Some(SpatialError::TooFewActors { got: 2, min: 3 })
    );
    assert_eq!(
        with(&r.capability, &r.position[..20], &r.salience[..20]),
        Some(SpatialError::Shape {
            what: "position",
            got: 20,
            actors: 7
        })
    );
    assert_eq!(
        with(&r.capability, &r.position, &r.salience[..14]),
        Some(SpatialError::Shape {
            what: "salience",
            got: 14,
            actors: 7
        })
    );
    let mut cap = r.capability.clone();
    cap[3] = 0.0;
    assert_eq!(
        with(&cap, &r.position, &r.salience),
        Some(SpatialError::Capability {
            actor: 3,
            value: 0.0
        })
    );
    let mut pos = r.position.clone();
    pos[4] = f64::NAN;
    assert!(matches!(
        with(&r.capability, &pos, &r.salience),
        Some(SpatialError::Position {
            actor: 1,
            dimension: 1,
            ..
        })
    ));
    let mut sal = r.salience.clone();
    sal[0] = 0.9;
    assert!(matches!(
        with(&r.capability, &r.position, &sal),
        Some(SpatialError::TotalSalience { actor: 0, .. })
    ));
    sal[0] = 1.5;
    assert!(matches!(
        with(&r.capability, &r.position, &sal),
        Some(SpatialError::Salience {
            actor: 0,
            dimension: 0,
            ..
        })
    ));
}

#[test]
fn the_config_names_its_options_in_kebab_case() {
    let json = serde_json::to_value(SpatialConfig::default()).expect("serialises");
    assert_eq!(json["voting"], "proportional");
    assert_eq!(json["victory"], "linear");
    assert_eq!(json["pce"], "conditional");
    assert_eq!(json["risk_range"], "mid");
    assert_eq!(json["risk_adjust"], "one-third");
    assert_eq!(json["third_party"], "semi-commit");
    assert_eq!(json["interpolation"], "s2p2");
    assert_eq!(json["resolution"], "independent");
    let back: SpatialConfig =
        serde_json::from_str(r#"{"pce": "markov-incentive", "risk_adjust": "none"}"#)
            .expect("parses");
    assert_eq!(back.pce, PceModel::MarkovIncentive);
    assert_eq!(back.risk_adjust, RiskAdjust::NoAdjustment);
    assert_eq!(back.voting, VotingRule::Proportional);
    let schema = schemars::schema_for!(SpatialConfig);
    assert!(
        serde_json::to_string(&schema)
            .expect("schema")
            .contains("asymmetric-prospect")
    );
}
