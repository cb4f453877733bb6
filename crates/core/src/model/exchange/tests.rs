//! The kernel against the numbers decide-exchange-model gives on its own
//! sample file, and properties of its rounds.

use super::*;

const SAMPLE: &str = include_str!("../../../../../data/decide/sample_data.txt");

/// Actor and issue indices in the sample file.
const WILLEMS: usize = 0;
const PVDA: usize = 1;
const WCENTR: usize = 9;
const TOLHEFFING: usize = 0;
const WOONWERKVERKEER: usize = 3;
const EXTRA_INVESTERING: usize = 4;
const RING: usize = 5;

fn sample() -> DecideData {
    parse(SAMPLE).expect("the package's sample parses")
}

/// `value` agrees with `expected` to the number of decimals `expected` was
/// given with.
fn assert_digits(value: f64, expected: f64, decimals: i32) {
    let half_unit = 0.5 * 10f64.powi(-decimals);
    assert!(
        (value - expected).abs() < half_unit,
        "{value} is not {expected} to {decimals} decimals"
    );
}

fn assert_all_digits(values: &[f64], expected: &[f64], decimals: i32) {
    assert_eq!(values.len(), expected.len());
    for (v, e) in values.iter().zip(expected) {
        assert_digits(*v, *e, decimals);
    }
}

/// A tie source that always answers `answer` and counts its calls.
fn fixed(answer: u64, calls: &mut Vec<u64>) -> impl FnMut(u64) -> u64 + '_ {
    move |n| {
        calls.push(n);
        answer
    }
}

fn play(config: &ExchangeConfig, data: &DecideData, answer: u64) -> (ExchangeRound, Vec<u64>) {
    let input = data.input().expect("the sample is a valid input");
    let mut calls = Vec::new();
    let result = round(config, &input, &mut fixed(answer, &mut calls));
    (result, calls)
}

#[test]
fn start_outcomes_are_the_packages() {
    let data = sample();
    let input = data.input().expect("valid input");
    let got = outcomes(&input);
    assert_all_digits(&got[..1], &[49.3532], 4);
    assert_digits(got[1], 27.246, 3);
    assert_all_digits(&got[2..], &[50.5789, 52.4855, 49.4883, 56.6008], 4);
}

#[test]
fn candidates_and_best_exchange_are_the_packages() {
    let data = sample();
    let input = data.input().expect("valid input");
    let all = candidates(&ExchangeConfig::default(), &input);
    assert_eq!(all.len(), 240);
    // The package's first pick sorts every candidate, valid or not.
    let best = all
        .iter()
        .max_by(|a, b| a.gain.total_cmp(&b.gain))
        .expect("there are candidates");
    assert_digits(best.gain, 1.973684210526, 12);
    assert!(best.valid);
    let willems = Supply {
        actor: WILLEMS,
        issue: EXTRA_INVESTERING,
        from: 25.0,
        to: 100.0,
    };
    assert_eq!(
        (best.first.actor, best.first.issue),
        (willems.actor, willems.issue)
    );
    assert_digits(best.first.from, willems.from, 9);
    assert_digits(best.first.to, willems.to, 9);
    assert_eq!((best.second.actor, best.second.issue), (WCENTR, TOLHEFFING));
    assert_digits(best.second.from, 0.0, 9);
    assert_digits(best.second.to, 61.0512, 4);
    // Measured on a transcription of the package's code, not a number the
    // package prints: 230 of the 240 are valid before any exchange.
    assert_eq!(all.iter().filter(|e| e.valid).count(), 230);
}

#[test]
fn second_exchange_is_the_packages() {
    for answer in [0, 1] {
        let (result, _) = play(&ExchangeConfig::default(), &sample(), answer);
        let second = result.realised[1];
        assert_digits(second.gain, 1.792636308765, 12);
        assert_eq!((second.first.actor, second.first.issue), (WCENTR, RING));
        assert_digits(second.first.to, 25.0, 9);
        assert_eq!(
            (second.second.actor, second.second.issue),
            (PVDA, WOONWERKVERKEER)
        );
        assert_digits(second.second.to, 0.1488, 4);
    }
}

#[test]
fn round_one_when_the_tie_goes_to_the_leader() {
    let (result, calls) = play(&ExchangeConfig::default(), &sample(), 0);
    assert_eq!(calls, vec![2], "one tie, asked as a choice of two");
    assert_eq!(result.ties, 1);
    assert_all_digits(
        &result.outcomes,
        &[67.178, 48.601, 50.683, 16.235, 75.146, 46.773],
        3,
    );
    // Measured on the transcription: 39 realised exchanges.
    assert_eq!(result.realised.len(), 39);
    assert!(!result.cut_short);
}

#[test]
fn round_one_when_the_tie_goes_to_the_runner_up() {
    let (result, calls) = play(&ExchangeConfig::default(), &sample(), 1);
    assert_eq!(calls, vec![2]);
    assert_all_digits(
        &result.outcomes,
        &[69.502, 48.601, 47.610, 16.235, 76.462, 46.773],
        3,
    );
    assert_eq!(result.realised.len(), 38);
}

#[test]
fn the_tie_is_the_seventh_exchange_and_the_branches_differ_there() {
    let data = sample();
    let (leader, _) = play(&ExchangeConfig::default(), &data, 0);
    let (runner_up, _) = play(&ExchangeConfig::default(), &data, 1);
    assert_eq!(leader.realised[..6], runner_up.realised[..6]);
    let (a, b) = (leader.realised[6], runner_up.realised[6]);
    assert_digits(a.gain, b.gain, 12);
    assert_ne!(
        (a.first.actor, a.first.issue),
        (b.first.actor, b.first.issue)
    );
}

#[test]
fn the_same_source_gives_the_same_round() {
    let data = sample();
    let config = ExchangeConfig::default();
    assert_eq!(play(&config, &data, 1).0, play(&config, &data, 1).0);
    assert_ne!(play(&config, &data, 0).0, play(&config, &data, 1).0);
}

#[test]
fn a_kept_tie_duplicate_changes_nothing_in_round_one() {
    // The duplicated runner-up shares its supplier with the leader and is
    // made invalid by it, so both copies go.
    let data = sample();
    let once = ExchangeConfig {
        kept_tie: KeptTie::Once,
        ..ExchangeConfig::default()
    };
    let (a, _) = play(&once, &data, 0);
    let (b, _) = play(&ExchangeConfig::default(), &data, 0);
    assert_eq!(a.outcomes, b.outcomes);
}

/// The gain of the side supplying `own` and demanding `other`.
fn side_gain(input: &ExchangeInput<'_>, own: &Supply, other: &Supply) -> f64 {
    let ratio = |s: &Supply| {
        let denominator: f64 = input
            .holders(s.issue)
            .map(|a| input.salience(a, s.issue) * input.capability(a, s.issue))
            .sum();
        (s.to - s.from).abs()
            * input.salience(s.actor, s.issue)
            * input.capability(s.actor, s.issue)
            / denominator
    };
    let won = ratio(other) * input.salience(own.actor, other.issue);
    let lost = ratio(own) * input.salience(own.actor, own.issue);
    (won - lost).abs()
}

#[test]
fn every_valid_candidate_gives_both_sides_the_same_gain() {
    let data = sample();
    let input = data.input().expect("valid input");
    for e in candidates(&ExchangeConfig::default(), &input)
        .iter()
        .filter(|e| e.valid)
    {
        let gi = side_gain(&input, &e.first, &e.second);
        let gj = side_gain(&input, &e.second, &e.first);
        assert!(
            (gi - e.gain).abs() < 1e-9 && (gj - e.gain).abs() < 1e-9,
            "{e:?}"
        );
    }
}

#[test]
fn realised_moves_head_for_the_other_side_and_stay_on_the_scale() {
    let data = sample();
    let input = data.input().expect("valid input");
    let (result, _) = play(&ExchangeConfig::default(), &data, 0);
    for e in &result.realised {
        for (own, other) in [(e.first, e.second), (e.second, e.first)] {
            let wanted = input.position(other.actor, own.issue);
            // On the sample every supplier moves toward the demander and
            // not past it (the package does not guarantee the second).
            assert!((own.to - own.from).signum() == (wanted - own.from).signum());
            assert!((own.to - own.from).abs() <= (wanted - own.from).abs() + 1e-9);
            assert!((0.0..=100.0).contains(&own.to));
        }
    }
}

#[test]
fn outcomes_are_those_of_the_voting_positions() {
    let data = sample();
    let (result, _) = play(&ExchangeConfig::default(), &data, 1);
    let m = data.issues.len();
    let voting = ExchangeInput::per_stance(
        m,
        &data.capability,
        &result.voting,
        &data.salience,
        &data.present,
    )
    .expect("voting positions are a valid input");
    assert_eq!(outcomes(&voting), result.outcomes);
    let start = data.input().expect("valid input");
    assert_eq!(outcomes(&start), result.start_outcomes);
}

#[test]
fn end_of_round_moves_fall_with_salience() {
    let data = sample();
    let (result, _) = play(&ExchangeConfig::default(), &data, 0);
    let m = data.issues.len();
    assert!(!result.moves.is_empty());
    for mv in &result.moves {
        let cell = mv.actor * m + mv.issue;
        let s = data.salience[cell];
        let expected = mv.from + (0.1 + 0.4 * (1.0 - s)) * (mv.voting - mv.from);
        assert!((mv.to - expected).abs() < 1e-9);
        assert_eq!(mv.from, data.position[cell]);
        assert_eq!(mv.voting, result.voting[cell]);
        assert_eq!(mv.to, result.positions[cell]);
    }
    // Everyone else stays put.
    let moved: Vec<usize> = result
        .moves
        .iter()
        .map(|mv| mv.actor * m + mv.issue)
        .collect();
    for cell in (0..data.position.len()).filter(|c| !moved.contains(c)) {
        assert_eq!(result.positions[cell], data.position[cell]);
        assert_eq!(result.voting[cell], data.position[cell]);
    }
}

#[test]
fn one_capability_per_actor_is_the_same_as_one_per_stance() {
    let data = sample();
    let m = data.issues.len();
    let per_actor: Vec<f64> = (0..data.actors.len())
        .map(|a| data.capability[a * m])
        .collect();
    let input = ExchangeInput::new(&per_actor, &data.position, &data.salience, &data.present)
        .expect("valid input");
    assert_eq!((input.actors(), input.issues()), (10, 6));
    let mut calls = Vec::new();
    let a = round(
        &ExchangeConfig::default(),
        &input,
        &mut fixed(1, &mut calls),
    );
    assert_eq!(a, play(&ExchangeConfig::default(), &data, 1).0);
}

/// Three actors on two issues whose outcomes are exactly 50, actor 1 on
/// the first outcome and actor 2 on the second.
fn on_the_outcome() -> (Vec<f64>, Vec<f64>, Vec<f64>, Vec<bool>) {
    let capability = vec![1.0; 3];
    let position = vec![0.0, 100.0, 50.0, 0.0, 100.0, 50.0];
    let salience = vec![0.5, 1.0, 0.5, 1.0, 0.5, 1.0];
    (capability, position, salience, vec![true; 6])
}

#[test]
fn an_actor_on_the_outcome_counts_as_the_variant_says() {
    let (c, x, s, h) = on_the_outcome();
    let input = ExchangeInput::new(&c, &x, &s, &h).expect("valid input");
    assert_eq!(outcomes(&input), vec![50.0, 50.0]);
    let pairs = |on_outcome| {
        let config = ExchangeConfig {
            on_outcome,
            ..ExchangeConfig::default()
        };
        let mut actors: Vec<(usize, usize)> = candidates(&config, &input)
            .iter()
            .map(|e| {
                (
                    e.first.actor.min(e.second.actor),
                    e.first.actor.max(e.second.actor),
                )
            })
            .collect();
        actors.sort();
        actors
    };
    assert_eq!(pairs(OnOutcome::Below), vec![(0, 2)]);
    assert_eq!(pairs(OnOutcome::Above), vec![(0, 1)]);
}

#[test]
fn inputs_of_the_wrong_shape_or_range_are_refused() {
    let (c, x, s, h) = on_the_outcome();
    assert!(matches!(
        ExchangeInput::new(&c, &x[..5], &s, &h),
        Err(InputError::Length {
            what: "position",
            ..
        })
    ));
    assert!(matches!(
        ExchangeInput::per_stance(2, &c, &x, &s, &h),
        Err(InputError::Length {
            what: "capability",
            expected: 6,
            found: 3
        })
    ));
    let mut zero = s.clone();
    zero[3] = 0.0;
    assert_eq!(
        ExchangeInput::new(&c, &x, &zero, &h).err(),
        Some(InputError::Stance {
            actor: 1,
            issue: 1,
            what: "salience",
            value: 0.0
        })
    );
    let mut off = x.clone();
    off[0] = 100.5;
    assert!(matches!(
        ExchangeInput::new(&c, &off, &s, &h),
        Err(InputError::Stance {
            what: "position",
            ..
        })
    ));
    // A stance not held is not checked.
    let mut absent = h.clone();
    absent[0] = false;
    assert!(ExchangeInput::new(&c, &off, &s, &absent).is_ok());
}

#[test]
fn config_defaults_serde_and_weights() {
    let config = ExchangeConfig::default();
    assert_eq!(config.fixed_weight, 0.1);
    assert_eq!(config.salience_weight, 0.4);
    assert_eq!(config.on_outcome, OnOutcome::Below);
    assert_eq!(config.kept_tie, KeptTie::Duplicate);
    assert!(config.validate().is_ok());
    let empty: ExchangeConfig = serde_json::from_str("{}").expect("all fields default");
    assert_eq!(empty, config);
    let variant: ExchangeConfig =
        serde_json::from_str(r#"{"on-outcome": "above", "kept-tie": "once", "fixed-weight": 0.2}"#)
            .expect("kebab-case parses");
    assert_eq!(
        (variant.on_outcome, variant.kept_tie, variant.fixed_weight),
        (OnOutcome::Above, KeptTie::Once, 0.2)
    );
    assert!(serde_json::from_str::<ExchangeConfig>(r#"{"onOutcome": "above"}"#).is_err());
    let json = serde_json::to_string(&variant).expect("serialises");
    assert_eq!(
        serde_json::from_str::<ExchangeConfig>(&json).ok(),
        Some(variant)
    );
    let schema = serde_json::to_string(&schemars::schema_for!(ExchangeConfig)).expect("schema");
    assert!(schema.contains("kept-tie") && schema.contains("on-outcome"));
    let heavy = ExchangeConfig {
        salience_weight: 0.95,
        ..config
    };
    assert!(matches!(heavy.validate(), Err(InputError::Weights { .. })));
}
