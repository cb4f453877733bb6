//! Proptest strategies for valid scenarios, stances, timelines and runs
//! (the `testing` feature).
//!
//! Every value they generate passes [`Scenario::problems`], and they shrink
//! toward small, readable cases: fewer actors, issues and rounds, round
//! positions and saliences. Sizes are under the caller's control through
//! [`Sizes`].
//!
//! ```
//! use entente_core::testing::{Sizes, scenario};
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let s = scenario(Sizes::default()).new_tree(&mut runner).unwrap().current();
//! assert!(s.problems().is_empty());
//! ```

use std::ops::RangeInclusive;

use proptest::prelude::*;

use crate::date::Date;
use crate::scenario::{
    ActKind, Actor, ActorKind, Body, CeasefireRule, CollapseHazard, CompromiseChoice, Condition,
    Contest, DecisionRule, Effect, Family, Fighting, Front, FrontSide, Implementation, Issue,
    Level, LinkageGroup, LinkagePair, LinkageRule, ModelConfig, ModelKind, Monitoring, Others,
    Patronage, Probability, RegimeRule, Resolution, Scenario, Severity, Split, Stance, StopRule,
    StrikeCapacity, Threat, ThreatAction, TimelineEntry, Toward,
};
use crate::{Envelope, Run, RunConfig};

/// How big generated scenarios are.
#[derive(Clone, Debug)]
pub struct Sizes {
    /// Number of actors.
    pub actors: RangeInclusive<usize>,
    /// Number of issues.
    pub issues: RangeInclusive<usize>,
    /// Number of rounds.
    pub rounds: RangeInclusive<u32>,
    /// Number of timeline entries.
    pub timeline: RangeInclusive<usize>,
    /// Whether to add strikes, ceasefires, sanctions and linkage.
    pub mechanisms: bool,
}

impl Default for Sizes {
    fn default() -> Sizes {
        Sizes {
            actors: 2..=6,
            issues: 1..=3,
            rounds: 1..=6,
            timeline: 0..=4,
            mechanisms: true,
        }
    }
}

/// The id of the `k`-th generated actor: `A1`, `A2`, …
pub fn actor_id(k: usize) -> String {
    format!("A{}", k + 1)
}

/// The id of the `k`-th generated issue: `i1`, `i2`, …
pub fn issue_id(k: usize) -> String {
    format!("i{}", k + 1)
}

/// A position: mostly whole numbers, sometimes with a fraction.
pub fn position() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => (0u32..=100).prop_map(f64::from),
        1 => (0u32..=100_000).prop_map(|x| f64::from(x) / 1000.0),
    ]
}

/// A salience in (0, 1], in tenths.
pub fn salience() -> impl Strategy<Value = f64> {
    (1u32..=10).prop_map(|s| f64::from(s) / 10.0)
}

/// A capability, 1–100.
pub fn capability() -> impl Strategy<Value = f64> {
    (1u32..=100).prop_map(f64::from)
}

/// An uncertainty: mostly none, sometimes up to 20 points.
pub fn uncertainty() -> impl Strategy<Value = f64> {
    prop_oneof![3 => Just(0.0), 1 => (1u32..=20).prop_map(f64::from)]
}

/// The stance of `actor` on `issue`.
pub fn stance(actor: String, issue: String) -> impl Strategy<Value = Stance> {
    (position(), salience(), uncertainty()).prop_map(move |(position, salience, uncertainty)| {
        Stance {
            salience_uncertainty: 0.0,
            actor: actor.clone(),
            issue: issue.clone(),
            position,
            salience,
            uncertainty,
            basis: "generated".to_owned(),
        }
    })
}

/// A model configuration: either model, any variant flags.
pub fn model() -> impl Strategy<Value = ModelConfig> {
    (
        prop_oneof![
            Just(ModelKind::ExpectedUtility),
            Just(ModelKind::Compromise),
            Just(ModelKind::Spatial),
            Just(ModelKind::Exchange)
        ],
        (1u32..=10).prop_map(|l| f64::from(l) / 10.0),
        prop_oneof![Just(Probability::Scholz), Just(Probability::Pairwise)],
        prop_oneof![
            Just(CompromiseChoice::Scholz),
            Just(CompromiseChoice::Nearest)
        ],
        any::<bool>(),
        prop_oneof![Just(None), Just(Some(StopRule::default()))],
    )
        .prop_map(
            |(kind, lambda, probability, compromise_choice, capitulation, stop)| ModelConfig {
                kind,
                lambda,
                probability,
                compromise_choice,
                capitulation,
                stop,
                ..ModelConfig::default()
            },
        )
}

/// A timeline of scripted acts among `actors` over `days` days from `start`.
pub fn timeline(
    actors: usize,
    start: Date,
    days: u32,
    len: RangeInclusive<usize>,
) -> impl Strategy<Value = Vec<TimelineEntry>> {
    let kinds = [
        ActKind::Statement,
        ActKind::Visit,
        ActKind::Meeting,
        ActKind::Criticism,
        ActKind::Appeal,
        ActKind::IntentToNegotiate,
        ActKind::TravelWarning,
    ];
    proptest::collection::vec(
        (
            0..days.max(1),
            0..kinds.len(),
            0..actors,
            proptest::option::of(0..actors),
        ),
        len,
    )
    .prop_map(move |entries| {
        let mut entries: Vec<TimelineEntry> = entries
            .into_iter()
            .map(|(day, kind, actor, target)| TimelineEntry {
                actors: Vec::new(),
                effects: Vec::new(),
                date: start.plus_days(i64::from(day)),
                kind: kinds[kind],
                actor: actor_id(actor),
                target: target.filter(|&t| t != actor).map(actor_id),
                issue: None,
                cameo: None,
                text: "a generated act".to_owned(),
                basis: "generated".to_owned(),
            })
            .collect();
        entries.sort_by_key(|e| e.date);
        entries
    })
}

/// A valid scenario of the given sizes. Every actor holds a stance on every
/// issue; the first two actors are the principals of every issue.
pub fn scenario(sizes: Sizes) -> impl Strategy<Value = Scenario> {
    let Sizes {
        actors,
        issues,
        rounds,
        timeline: timeline_len,
        mechanisms,
    } = sizes;
    let actors = (*actors.start()).max(2)..=(*actors.end()).max(2);
    let issues = (*issues.start()).max(1)..=(*issues.end()).max(1);
    (actors, issues, rounds)
        .prop_flat_map(move |(n, k, rounds)| {
            let start = start_date();
            let stances: Vec<_> = (0..k)
                .flat_map(|i| (0..n).map(move |a| stance(actor_id(a), issue_id(i))))
                .collect();
            (
                Just((n, k, rounds)),
                proptest::collection::vec(capability(), n),
                stances,
                model(),
                timeline(n, start, rounds * 7, timeline_len.clone()),
                if mechanisms {
                    mechanism_dials().prop_map(Some).boxed()
                } else {
                    Just(None).boxed()
                },
            )
        })
        .prop_map(|((n, k, rounds), caps, stances, model, timeline, dials)| {
            build(n, k, rounds, caps, stances, model, timeline, dials)
        })
}

/// Dials of the generated mechanisms.
#[derive(Clone, Debug)]
struct Dials {
    tolerance: f64,
    hazard: f64,
    collapse_after: u32,
    renew_at: f64,
    lift_below: f64,
    in_force: bool,
    /// Format 2's mechanisms, when set.
    crisis: Option<Crisis>,
}

/// Dials of format 2's mechanisms.
#[derive(Clone, Debug)]
struct Crisis {
    /// Whether each family (ceasefire, sanctions, strikes) reads its issue
    /// the other way up.
    reversed: [bool; 3],
    leverage: f64,
    brokered: bool,
    rule: DecisionRule,
    implementation: bool,
    threat: Option<bool>,
    effects: Vec<u8>,
    uncertain: bool,
}

fn crisis_dials() -> impl Strategy<Value = Crisis> {
    (
        any::<[bool; 3]>(),
        1u32..=10,
        any::<bool>(),
        prop_oneof![
            Just(DecisionRule::Unanimity),
            Just(DecisionRule::Majority),
            Just(DecisionRule::One)
        ],
        any::<bool>(),
        proptest::option::of(any::<bool>()),
        proptest::collection::vec(0u8..8, 0..=4),
        any::<bool>(),
    )
        .prop_map(
            |(reversed, leverage, brokered, rule, implementation, threat, effects, uncertain)| {
                Crisis {
                    reversed,
                    leverage: f64::from(leverage) / 10.0,
                    brokered,
                    rule,
                    implementation,
                    threat,
                    effects,
                    uncertain,
                }
            },
        )
}

fn mechanism_dials() -> impl Strategy<Value = Dials> {
    (
        0u32..=60,
        0u32..=10,
        1u32..=4,
        40u32..=80,
        0u32..=40,
        any::<bool>(),
        prop_oneof![1 => Just(None), 1 => crisis_dials().prop_map(Some)],
    )
        .prop_map(
            |(tolerance, hazard, collapse_after, renew_at, lift_below, in_force, crisis)| Dials {
                tolerance: f64::from(tolerance),
                hazard: f64::from(hazard) / 10.0,
                collapse_after,
                renew_at: f64::from(renew_at),
                lift_below: f64::from(lift_below.min(renew_at)),
                in_force,
                crisis,
            },
        )
}

/// The start date of every generated scenario.
fn start_date() -> Date {
    Date::from_ymd(2015, 12, 7).expect("a valid constant date")
}

#[allow(clippy::too_many_arguments)]
fn build(
    n: usize,
    k: usize,
    rounds: u32,
    caps: Vec<f64>,
    stances: Vec<Stance>,
    model: ModelConfig,
    timeline: Vec<TimelineEntry>,
    dials: Option<Dials>,
) -> Scenario {
    let start = start_date();
    // KTAB's spatial model needs three actors; with two the case plays the
    // compromise model instead.
    let model = if model.kind == ModelKind::Spatial && n < crate::model::spatial::MIN_ACTORS {
        ModelConfig {
            kind: ModelKind::Compromise,
            ..model
        }
    } else {
        model
    };
    let mut s = Scenario {
        actors: (0..n)
            .map(|a| Actor {
                capability_uncertainty: 0.0,
                id: actor_id(a),
                name: format!("Actor {}", a + 1),
                kind: ActorKind::State,
                capability: caps[a],
                speaks_for: Vec::new(),
                basis: "generated".to_owned(),
            })
            .collect(),
        issues: (0..k)
            .map(|i| Issue {
                brokers: Vec::new(),
                must_act: Vec::new(),
                high_means: None,
                id: issue_id(i),
                question: format!("Issue {}?", i + 1),
                low: "low".to_owned(),
                high: "high".to_owned(),
                principals: vec![actor_id(0), actor_id(1)],
            })
            .collect(),
        stances,
        timeline,
        model,
        ..Scenario::empty("generated", "A generated scenario", start, rounds)
    };
    if let Some(Dials {
        crisis: Some(c), ..
    }) = &dials
        && n >= 3
        && k >= 2
    {
        add_crisis(&mut s, n, k, dials.as_ref().expect("dials"), c);
        return s;
    }
    // Scenario format 1: every mechanism reads the first issue, high = for.
    s.version = 1;
    if let Some(d) = dials {
        let first = issue_id(0);
        s.strikes.push(StrikeCapacity {
            hits: None,
            actor: actor_id(0),
            theatre: "theatre".to_owned(),
            issue: first.clone(),
            per_round: 1,
            basis: "generated".to_owned(),
        });
        s.ceasefires.push(CeasefireRule {
            trust_to_reagree: None,
            brokers: Vec::new(),
            hazards: std::collections::BTreeMap::new(),
            trust_recovery: 0.0,
            theatre: "theatre".to_owned(),
            issue: first.clone(),
            parties: vec![actor_id(0), actor_id(1)],
            tolerance: d.tolerance,
            threshold: 50.0,
            hazard: d.hazard,
            collapse_after: d.collapse_after,
            collapse_hazard: None,
            monitoring: None,
            exempt: Vec::new(),
            in_force: d.in_force,
            basis: "generated".to_owned(),
        });
        s.sanctions.push(RegimeRule {
            body: None,
            rule: Default::default(),
            cost: 0.0,
            every_days: None,
            imposers: Vec::new(),
            id: "regime".to_owned(),
            imposer: actor_id(1),
            target: actor_id(0),
            issue: first.clone(),
            renewals: vec![start.plus_days(7), start.plus_days(21)],
            renew_at: d.renew_at,
            lift_below: d.lift_below,
            basis: "generated".to_owned(),
        });
        if k >= 3 {
            s.linkage = Some(LinkageRule {
                groups: Vec::new(),
                split: Split::default(),
                issue: issue_id(2),
                offer_at: 50.0,
                accept_at: 50.0,
                cooldown_rounds: 2,
                pairs: vec![LinkagePair {
                    offerer: actor_id(0),
                    receiver: actor_id(1),
                    issues: [issue_id(0), issue_id(1)],
                    basis: "generated".to_owned(),
                }],
            });
        }
    }
    s
}

/// Format 2's mechanisms over `n` ≥ 3 actors and `k` ≥ 2 issues: the
/// ceasefire reads the first issue, sanctions the second, strikes the third
/// (when there is one and it is not the linkage issue), each with the
/// polarity the dials pick. A3 is patron to A1, A4 (or A3) to A2; the
/// patrons broker the ceasefire and the first issue's agreement when
/// `brokered`; A2, A3 (and A4) vote on the regime against A1; A2 threatens
/// A1; timeline entries get effects. With `k` ≥ 3 and a leverage of 0.5 or
/// more, the last issue is the linkage issue of a group package (see
/// [`add_linkage`]). That choice reads a dial already drawn rather than
/// drawing one of its own, so the generator makes the cases it made before
/// groups existed, in the same order; those that gain a group differ by
/// their linkage and, with three issues, by the strikes it displaces.
fn add_crisis(s: &mut Scenario, n: usize, k: usize, d: &Dials, c: &Crisis) {
    let start = start_date();
    let polarity = |family: Family, reversed: bool| {
        let (high, low) = family.polarities();
        if reversed { low } else { high }
    };
    s.issues[0].high_means = Some(polarity(Family::Ceasefire, c.reversed[0]));
    s.issues[1].high_means = Some(polarity(Family::Sanctions, c.reversed[1]));
    let (p1, p2) = (actor_id(2), actor_id(if n >= 4 { 3 } else { 2 }));
    s.patrons = vec![
        Patronage {
            patron: p1.clone(),
            client: actor_id(0),
            leverage: c.leverage,
            basis: "generated".to_owned(),
        },
        Patronage {
            patron: p2.clone(),
            client: actor_id(1),
            leverage: c.leverage,
            basis: "generated".to_owned(),
        },
    ];
    let brokers = if c.brokered && p1 != p2 {
        vec![p1.clone(), p2.clone()]
    } else {
        Vec::new()
    };
    s.issues[0].brokers = brokers.clone();
    let linkage = (k >= 3 && c.leverage >= 0.5).then_some(k - 1);
    if let Some(l) = linkage {
        // Read the other way up when the strikes issue would have been.
        s.issues[l].high_means = Some(polarity(Family::Linkage, c.reversed[2]));
        // The split reads a dial already drawn, as the group itself does.
        let split = if c.uncertain {
            Split::Nash
        } else {
            Split::EqualGain
        };
        add_linkage(s, n, l, split);
    }
    // Collapse by a hazard reads the collapse dial already drawn (3 or 4
    // violations: a hazard), as groups read the leverage; with 4 and a
    // fifth actor, the strikes hit an exempt group's forces.
    let by_hazard = d.collapse_after >= 3;
    let exempt = by_hazard && d.collapse_after == 4 && n >= 5;
    if k >= 3 && linkage != Some(2) {
        s.issues[2].high_means = Some(polarity(Family::Strikes, c.reversed[2]));
        s.strikes.push(StrikeCapacity {
            hits: Some(actor_id(if exempt { 4 } else { 1 })),
            actor: p1.clone(),
            theatre: "theatre".to_owned(),
            issue: issue_id(2),
            per_round: 2,
            basis: "generated".to_owned(),
        });
    }
    s.ceasefires.push(CeasefireRule {
        trust_to_reagree: Some(0.3),
        brokers,
        hazards: [(actor_id(0), d.hazard / 2.0)].into_iter().collect(),
        trust_recovery: 0.02,
        theatre: "theatre".to_owned(),
        issue: issue_id(0),
        parties: vec![actor_id(0), actor_id(1)],
        tolerance: d.tolerance,
        threshold: 50.0,
        hazard: d.hazard,
        collapse_after: if by_hazard { 0 } else { d.collapse_after },
        collapse_hazard: by_hazard.then(|| CollapseHazard {
            base: d.hazard / 4.0,
            per_violation: 0.5,
            window: 3,
            trust: 2.0,
            monitoring: 1.5,
            basis: "generated".to_owned(),
        }),
        monitoring: (by_hazard && c.brokered).then(|| Monitoring {
            level: 0.5,
            by: Vec::new(),
            basis: "generated".to_owned(),
        }),
        exempt: if exempt {
            vec![actor_id(4)]
        } else {
            Vec::new()
        },
        in_force: d.in_force,
        basis: "generated".to_owned(),
    });
    let mut imposers = vec![actor_id(1), actor_id(2)];
    if n >= 4 {
        imposers.push(actor_id(3));
    }
    s.sanctions.push(RegimeRule {
        body: None,
        rule: c.rule,
        cost: 0.05,
        every_days: Some(14),
        imposers,
        id: "regime".to_owned(),
        imposer: String::new(),
        target: actor_id(0),
        issue: issue_id(1),
        renewals: vec![start.plus_days(7)],
        renew_at: d.renew_at,
        lift_below: d.lift_below,
        basis: "generated".to_owned(),
    });
    if c.implementation {
        s.agreement.implementation = Some(Implementation {
            steps: 2,
            stall_after: 2,
        });
    }
    if c.effects.len() % 2 == 1 {
        add_front(s, c);
    }
    add_shocks(s, n, k, c);
    add_body(s, c);
}

/// A body over the regime's issue (the second): every actor with a stance
/// on it a member, A1 (the regime's target) with a veto when the regime
/// decides by majority, more than half the members to adopt; the two
/// members after A1 sponsor a draft toward the end the
/// first polarity dial picks, put even when short of the quota when
/// `brokered`; adopting it moves A1 toward the draft by 10 points. Its
/// choices read dials already drawn, so the generator makes the cases it
/// made before bodies existed, each with its body added.
fn add_body(s: &mut Scenario, c: &Crisis) {
    let issue = issue_id(1);
    let members: Vec<String> = s
        .actors
        .iter()
        .map(|a| a.id.clone())
        .filter(|a| {
            s.stances
                .iter()
                .any(|st| st.actor == *a && st.issue == issue)
        })
        .collect();
    let sponsors: Vec<String> = members
        .iter()
        .filter(|m| **m != actor_id(0))
        .take(2)
        .cloned()
        .collect();
    if sponsors.len() < 2 || !members.contains(&actor_id(0)) {
        return;
    }
    let toward = if c.reversed[0] {
        Toward::Low
    } else {
        Toward::High
    };
    let by = if c.reversed[0] { -10.0 } else { 10.0 };
    s.bodies.push(Body {
        id: "council".to_owned(),
        name: String::new(),
        veto: if c.rule == DecisionRule::Majority {
            vec![actor_id(0)]
        } else {
            Vec::new()
        },
        members,
        rule: Some(DecisionRule::Majority),
        quota: None,
        others: Others::default(),
        resolutions: vec![Resolution {
            issue,
            sponsors,
            toward,
            tolerance: 30.0,
            accept: 10.0,
            oppose: 25.0,
            force: c.brokered,
            from: None,
            retry_rounds: 2,
            at_least: None,
            effects: vec![Effect::Position {
                actor: actor_id(0),
                issue: issue_id(1),
                by,
            }],
            basis: "generated".to_owned(),
        }],
        basis: "generated".to_owned(),
    });
}

/// A front between the ceasefire's parties A1 and A2, in its theatre, with
/// their capabilities as forces and A1's patron supporting it. Added when
/// the case draws an odd number of effects, and the contest is Lanchester's
/// when the leverage is 0.5 or more: dials already drawn, so the generator
/// makes the cases it made before fronts existed, in the same order.
fn add_front(s: &mut Scenario, c: &Crisis) {
    let side = |k: usize, control: f64, support: &[(String, f64)]| FrontSide {
        actor: actor_id(k),
        control,
        forces: s.actors[k].capability,
        support: support.iter().cloned().collect(),
        basis: "generated".to_owned(),
    };
    let supporter = s.patrons[0].patron.clone();
    let front = Front {
        id: "front".to_owned(),
        theatre: "theatre".to_owned(),
        sides: vec![side(0, 0.4, &[(supporter, 20.0)]), side(1, 0.6, &[])],
        taken_at: 0.8,
        basis: "generated".to_owned(),
    };
    s.fronts = vec![front];
    s.fighting = Some(Fighting {
        contest: if c.leverage >= 0.5 {
            Contest::Lanchester
        } else {
            Contest::Tullock
        },
        decisiveness: 1.5,
        rate: 0.3,
        per_strike: 0.1,
        salience_per_loss: 0.2,
        position_per_loss: 20.0,
        capability_per_control: 0.2,
        learning: 0.3,
        optimism: 0.2,
        basis: "generated".to_owned(),
    });
}

/// Format 2's linkage, read on issue `l` (the last, `l` ≥ 2): a group of
/// the first three or four actors, party j yielding on issue j mod `l`, and
/// the pair A1 → A2 on the first two issues. Offers and acceptances need a
/// position of 25 or more on the linkage issue, so that most groups get
/// as far as whether every party gains.
fn add_linkage(s: &mut Scenario, n: usize, l: usize, split: Split) {
    let parties: Vec<usize> = (0..n.min(4)).collect();
    s.linkage = Some(LinkageRule {
        split,
        issue: issue_id(l),
        offer_at: 25.0,
        accept_at: 25.0,
        cooldown_rounds: 2,
        pairs: vec![LinkagePair {
            offerer: actor_id(0),
            receiver: actor_id(1),
            issues: [issue_id(0), issue_id(1)],
            basis: "generated".to_owned(),
        }],
        groups: vec![LinkageGroup {
            parties: parties.iter().map(|&j| actor_id(j)).collect(),
            issues: parties.iter().map(|&j| issue_id(j % l)).collect(),
            basis: "generated".to_owned(),
        }],
    });
}

/// The threat, timeline effects and draws of [`add_crisis`].
fn add_shocks(s: &mut Scenario, n: usize, k: usize, c: &Crisis) {
    let start = start_date();
    if let Some(strikes) = c.threat {
        s.threats.push(Threat {
            id: "threat".to_owned(),
            actor: actor_id(1),
            target: actor_id(0),
            action: if strikes && k >= 3 {
                ThreatAction::Strikes {
                    theatre: "theatre".to_owned(),
                    per_round: 1,
                }
            } else {
                ThreatAction::Sanctions {
                    regime: "regime".to_owned(),
                }
            },
            // The condition's form, resolve, severity and punishment read
            // dials already drawn, so the generator draws what it drew.
            condition: if c.brokered {
                Condition {
                    any_of: vec![
                        Condition::position(&issue_id(1), None, Some(40.0)),
                        Condition {
                            outcome: Some(format!("agreement:{}", issue_id(0))),
                            ..Condition::default()
                        },
                    ],
                    ..Condition::default()
                }
            } else {
                Condition::position(&issue_id(1), None, Some(40.0))
            },
            made: start,
            deadline: start.plus_days(14),
            extend_days: 7,
            stakes: 0.2,
            requires: None,
            resolve: c.implementation.then(|| Level {
                issue: issue_id(0),
                at_least: Some(30.0),
                at_most: None,
            }),
            severity: Some(Severity {
                share: c.leverage,
                uncertainty: if c.uncertain { 0.1 } else { 0.0 },
                basis: "generated".to_owned(),
            }),
            duration: (c.rule == DecisionRule::Majority).then_some(2),
            effects: if strikes {
                vec![
                    Effect::Capability {
                        actor: actor_id(0),
                        by: -0.1,
                    },
                    Effect::Trust {
                        a: actor_id(0),
                        b: actor_id(1),
                        by: -0.1,
                    },
                ]
            } else {
                Vec::new()
            },
            basis: "generated".to_owned(),
        });
    }
    let len = s.timeline.len();
    for (j, &kind) in c.effects.iter().enumerate() {
        if len == 0 {
            break;
        }
        let a = actor_id(usize::from(kind) % n);
        let b = actor_id((usize::from(kind) + 1) % n);
        let issue = issue_id(usize::from(kind) % k);
        let effect = match kind % 4 {
            0 => Effect::Salience {
                actor: a,
                issue,
                by: 0.3,
            },
            1 => Effect::Position {
                actor: a,
                issue,
                by: -15.0,
            },
            2 => Effect::Capability { actor: a, by: 0.5 },
            _ => Effect::Trust { a, b, by: -0.2 },
        };
        s.timeline[j % len].effects.push(effect);
    }
    if c.uncertain {
        for actor in &mut s.actors {
            actor.capability_uncertainty = 0.2;
        }
        for stance in &mut s.stances {
            stance.salience_uncertainty = 0.1;
        }
    }
}

/// A whole run: a scenario, a seed, and the log the engine writes for them.
pub fn run(sizes: Sizes) -> impl Strategy<Value = (Scenario, u64, Vec<Envelope>)> {
    (scenario(sizes), any::<u64>()).prop_map(|(scenario, seed)| {
        let events = Run::new(
            &scenario,
            RunConfig {
                seed,
                ..RunConfig::default()
            },
        )
        .map(|run| run.filter_map(Result::ok).collect())
        .unwrap_or_default();
        (scenario, seed, events)
    })
}

/// The first `n` runs [`run`] makes with proptest's deterministic runner:
/// what the law suite meets first, for tests that count what the generator
/// exercises (threats answered, votes cast, fronts fought over…).
pub fn generated_runs(n: usize) -> Vec<(Scenario, Vec<Envelope>)> {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = run(Sizes::default());
    (0..n)
        .map(|_| {
            let (s, _, events) = strategy
                .new_tree(&mut runner)
                .expect("a generated case")
                .current();
            (s, events)
        })
        .collect()
}
