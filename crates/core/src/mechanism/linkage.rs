//! Linkage: package deals across two issues, sized in the spirit of
//! Stokman's exchange model.
//!
//! An offerer whose position on the linkage issue is at least `offer_at`
//! offers its receiver a package: on each issue the side that cares less
//! yields. One side yields fully on its issue; the other yields on the other
//! issue by the fraction that gives both sides the same gain, a side's gain
//! being Σ over the two issues of its salience × the move of the issue's
//! weighted mean towards its position. Which side yields fully is the one for
//! which the other's fraction is at most 1. No package is offered in which
//! either side loses.
//!
//! The receiver accepts only if its own position on the linkage issue is at
//! least `accept_at` and its expected utility of the package, its gain, is
//! positive. On acceptance both sides move at once, so neither can renege.
//! Positions on the linkage issue are read as its `high_means` says (high =
//! linkage). Mirrored offers between the same two actors in one round are
//! one offer: the first listed pair offers, the mirrored pair waits.
//! Packages among three or more parties (`groups`) are sized in `group.rs`
//! and offered after the pairs'.

use super::{Context, Mechanism};
use crate::event::Id;
use crate::event::{
    Cause, Concession, Event, GroupPackage, GroupPackageRefused, PackageRefused, PackageTerms,
    PositionChanged, RefusalReason,
};
use crate::scale;
use crate::scenario::Family;
use crate::state::State;

/// The linkage mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct PackageDeals;

/// A package sized for two actors and two issues.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PackagePlan {
    /// The issue the offerer yields on, and the position it moves to.
    pub offerer_yields: (usize, f64),
    /// The issue the receiver yields on, and the position it moves to.
    pub receiver_yields: (usize, f64),
    /// Each side's gain (equal by construction).
    pub gain: f64,
}

/// Sizes the package `offerer` would offer `receiver` on `issues`, or `None`
/// when no package leaves both sides better off.
pub fn plan_package(
    state: &State,
    offerer: usize,
    receiver: usize,
    issues: [usize; 2],
) -> Option<PackagePlan> {
    let [i1, i2] = issues;
    let (o1, o2) = (state.held(i1, offerer)?, state.held(i2, offerer)?);
    let (r1, r2) = (state.held(i1, receiver)?, state.held(i2, receiver)?);
    // On each issue the side that cares less yields.
    let (oi, ri) = if o1.salience < r1.salience && o2.salience > r2.salience {
        (i1, i2)
    } else if o1.salience > r1.salience && o2.salience < r2.salience {
        (i2, i1)
    } else {
        return None;
    };
    let x = |a: usize, i: usize| state.held(i, a).map(|h| h.position).unwrap_or(0.0);
    // Both sides hold stances on both issues, so every gain is defined.
    let gain =
        |side: usize, i: usize, mean_move: f64| gain(state, side, i, mean_move).unwrap_or(0.0);
    let move_o = mean_move(state, oi, offerer, x(receiver, oi));
    let move_r = mean_move(state, ri, receiver, x(offerer, ri));
    if move_o == 0.0 || move_r == 0.0 {
        return None;
    }
    let (g_o_oi, g_r_oi) = (gain(offerer, oi, move_o), gain(receiver, oi, move_o));
    let (g_o_ri, g_r_ri) = (gain(offerer, ri, move_r), gain(receiver, ri, move_r));

    // Either the offerer yields fully and the receiver by t, or the reverse.
    let fraction = |num: f64, den: f64| {
        let t = num / den;
        (den != 0.0 && t.is_finite() && (0.0..=1.0).contains(&t)).then_some(t)
    };
    let (t_o, t_r) = if let Some(t) = fraction(g_o_oi - g_r_oi, g_r_ri - g_o_ri) {
        (1.0, t)
    } else if let Some(t) = fraction(g_r_ri - g_o_ri, g_o_oi - g_r_oi) {
        (t, 1.0)
    } else {
        return None;
    };
    let gain_offerer = t_o * g_o_oi + t_r * g_o_ri;
    let gain_receiver = t_o * g_r_oi + t_r * g_r_ri;
    if !(gain_offerer > 1e-9 && gain_receiver > 1e-9) {
        return None;
    }
    let to_o = x(offerer, oi) + t_o * (x(receiver, oi) - x(offerer, oi));
    let to_r = x(receiver, ri) + t_r * (x(offerer, ri) - x(receiver, ri));
    Some(PackagePlan {
        offerer_yields: (oi, scale::clamp(to_o)),
        receiver_yields: (ri, scale::clamp(to_r)),
        gain: gain_receiver,
    })
}

/// The move of `issue`'s weighted mean when `mover` goes from where it
/// stands to `to`: its weight (capability × salience) times the distance,
/// over the issue's total weight; 0 on an issue nobody weighs, or for a
/// mover without a stance. Pairs and groups size their packages by it.
pub(super) fn mean_move(state: &State, issue: usize, mover: usize, to: f64) -> f64 {
    let Some(held) = state.held(issue, mover) else {
        return 0.0;
    };
    let total: f64 = state.weighted_positions(issue).iter().map(|p| p.1).sum();
    let w = state.capability(mover) * held.salience;
    if total > 0.0 {
        w * (to - held.position) / total
    } else {
        0.0
    }
}

/// What a move of `issue`'s weighted mean by `mean_move` gains `side`: its
/// salience times the move toward its position (nothing for a side at the
/// mean); `None` when it holds no stance there. A package's gain for a side
/// is the sum over its issues, for pairs and groups alike.
pub(super) fn gain(state: &State, side: usize, issue: usize, mean_move: f64) -> Option<f64> {
    let held = state.held(issue, side)?;
    let toward = held.position - state.mean(issue);
    Some(if toward == 0.0 {
        0.0
    } else {
        held.salience * mean_move * toward.signum()
    })
}

impl Mechanism for PackageDeals {
    fn decider(&self) -> &str {
        "linkage"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let Some(rule) = &ctx.scenario().linkage else {
            return Vec::new();
        };
        let state = ctx.state();
        let Some(link) = state.issue(&rule.issue) else {
            return Vec::new();
        };
        // Read as the linkage issue's polarity says: high = linkage.
        let read = |x: f64| ctx.scenario().issues[link].reading(Family::Linkage, x);
        let position = |a: usize| state.held(link, a).map_or(0.0, |h| read(h.position));
        let mut events = Vec::new();
        // Mirrored offers between the same two actors in one round are one
        // offer: the first listed is made.
        let mut offered: Vec<(usize, usize)> = Vec::new();
        for pair in &rule.pairs {
            let (Some(o), Some(r)) = (state.actor(&pair.offerer), state.actor(&pair.receiver))
            else {
                continue;
            };
            if offered.contains(&(o.min(r), o.max(r))) {
                continue;
            }
            let (Some(i1), Some(i2)) = (state.issue(&pair.issues[0]), state.issue(&pair.issues[1]))
            else {
                continue;
            };
            if state.settled(i1) || state.settled(i2) {
                continue;
            }
            if position(o) < rule.offer_at {
                continue;
            }
            if state
                .last_offer(o, r)
                .is_some_and(|last| ctx.round() < last.saturating_add(rule.cooldown_rounds))
            {
                continue;
            }
            let Some(plan) = plan_package(state, o, r, [i1, i2]) else {
                continue;
            };
            offered.push((o.min(r), o.max(r)));
            let issue_id = |i: usize| state.issues()[i].clone();
            let terms = PackageTerms {
                offerer: Id::from(pair.offerer.as_str()),
                receiver: Id::from(pair.receiver.as_str()),
                offerer_yields: Concession {
                    issue: issue_id(plan.offerer_yields.0),
                    to: plan.offerer_yields.1,
                },
                receiver_yields: Concession {
                    issue: issue_id(plan.receiver_yields.0),
                    to: plan.receiver_yields.1,
                },
                gain: plan.gain,
            };
            events.push(Event::PackageOffered(terms.clone()));
            let refusal = if position(r) < rule.accept_at {
                Some(RefusalReason::LinkageRejected)
            } else if plan.gain <= 0.0 {
                Some(RefusalReason::NotWorthIt)
            } else {
                None
            };
            if let Some(reason) = refusal {
                events.push(Event::PackageRefused(PackageRefused { terms, reason }));
                continue;
            }
            events.push(Event::PackageAccepted(terms));
            for (who, (issue, to)) in [(o, plan.offerer_yields), (r, plan.receiver_yields)] {
                let from = state.held(issue, who).map_or(to, |h| h.position);
                if from != to {
                    events.push(Event::PositionChanged(PositionChanged {
                        actor: state.actors()[who].clone(),
                        issue: issue_id(issue),
                        from,
                        to,
                        cause: Cause::Package {
                            offerer: Id::from(pair.offerer.as_str()),
                            receiver: Id::from(pair.receiver.as_str()),
                        },
                    }));
                }
            }
        }
        events.extend(group_packages(ctx, rule, link));
        events
    }
}

/// The packages of the rule's groups this round (see `group.rs`).
fn group_packages(
    ctx: &Context<'_>,
    rule: &crate::scenario::LinkageRule,
    link: usize,
) -> Vec<Event> {
    let state = ctx.state();
    let read = |x: f64| ctx.scenario().issues[link].reading(Family::Linkage, x);
    let position = |a: usize| state.held(link, a).map_or(0.0, |h| read(h.position));
    let mut events = Vec::new();
    for g in &rule.groups {
        let parties: Vec<usize> = g.parties.iter().filter_map(|p| state.actor(p)).collect();
        let issues: Vec<usize> = g.issues.iter().filter_map(|i| state.issue(i)).collect();
        if parties.len() != g.parties.len() || issues.len() != g.issues.len() || parties.len() < 3 {
            continue;
        }
        if issues.iter().any(|&i| state.settled(i)) || position(parties[0]) < rule.offer_at {
            continue;
        }
        if state
            .last_offer(parties[0], parties[1])
            .is_some_and(|last| ctx.round() < last.saturating_add(rule.cooldown_rounds))
        {
            continue;
        }
        let Some(plan) = super::plan_group(state, &parties, &issues, rule.split) else {
            continue;
        };
        let terms = GroupPackage {
            parties: g.parties.iter().map(|p| Id::from(p.as_str())).collect(),
            yields: plan
                .moves
                .iter()
                .map(|&(i, to)| Concession {
                    issue: state.issues()[i].clone(),
                    to,
                })
                .collect(),
            gains: plan.gains.clone(),
        };
        let terms_parties = terms.parties.clone();
        events.push(Event::GroupPackageOffered(terms.clone()));
        let refusers: Vec<Id> = parties[1..]
            .iter()
            .filter(|&&p| position(p) < rule.accept_at)
            .map(|&p| state.actors()[p].clone())
            .collect();
        if !refusers.is_empty() {
            events.push(Event::GroupPackageRefused(GroupPackageRefused {
                terms,
                by: refusers,
            }));
            continue;
        }
        events.push(Event::GroupPackageAccepted(terms));
        for (&who, &(issue, to)) in parties.iter().zip(&plan.moves) {
            let from = state.held(issue, who).map_or(to, |h| h.position);
            if from != to {
                events.push(Event::PositionChanged(PositionChanged {
                    actor: state.actors()[who].clone(),
                    issue: state.issues()[issue].clone(),
                    from,
                    to,
                    cause: Cause::GroupPackage {
                        parties: terms_parties.clone(),
                    },
                }));
            }
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    fn two_by_two() -> State {
        let json = r#"{
          "version": 1, "id": "package", "title": "The package example",
          "start": "2015-12-07", "days_per_round": 7, "rounds": 1,
          "actors": [
            {"id": "A", "name": "A", "kind": "state", "capability": 1, "basis": "example"},
            {"id": "B", "name": "B", "kind": "state", "capability": 1, "basis": "example"}
          ],
          "issues": [
            {"id": "one", "question": "?", "low": "A", "high": "B", "principals": ["A", "B"]},
            {"id": "two", "question": "?", "low": "A", "high": "B", "principals": ["A", "B"]}
          ],
          "stances": [
            {"actor": "A", "issue": "one", "position": 0, "salience": 0.1, "basis": "example"},
            {"actor": "A", "issue": "two", "position": 0, "salience": 0.9, "basis": "example"},
            {"actor": "B", "issue": "one", "position": 100, "salience": 0.6, "basis": "example"},
            {"actor": "B", "issue": "two", "position": 100, "salience": 0.5, "basis": "example"}
          ]
        }"#;
        let scenario: Scenario = serde_json::from_str(json).unwrap();
        assert!(scenario.problems().is_empty());
        State::new(&scenario)
    }

    /// A side's gain as the package realises it, measured on the states
    /// before and after its moves: Σ over `issues` of salience × the move
    /// of the weighted mean toward it. Pairs and groups are held to it.
    fn realised(before: &State, after: &State, side: usize, issues: &[usize]) -> f64 {
        issues
            .iter()
            .map(|&i| {
                let h = before.held(i, side).unwrap();
                let toward = (h.position - before.mean(i)).signum();
                h.salience * (after.mean(i) - before.mean(i)) * toward
            })
            .sum()
    }

    /// `state` after each `(actor, (issue, to))` move.
    fn moved(state: &State, moves: &[(usize, (usize, f64))]) -> State {
        let mut after = state.clone();
        for &(who, (issue, to)) in moves {
            after.apply(&Event::PositionChanged(PositionChanged {
                actor: state.actors()[who].clone(),
                issue: state.issues()[issue].clone(),
                from: state.held(issue, who).unwrap().position,
                to,
                cause: Cause::External {
                    note: "test".into(),
                },
            }));
        }
        after
    }

    #[test]
    fn the_stokman_example_gives_both_sides_five() {
        let state = two_by_two();
        assert!((state.mean(0) - (85.0 + 5.0 / 7.0)).abs() < 1e-9);
        assert!((state.mean(1) - (35.0 + 5.0 / 7.0)).abs() < 1e-9);
        let plan = plan_package(&state, 0, 1, [0, 1]).expect("a package");
        // A cares less about issue one and yields on it fully…
        assert_eq!(plan.offerer_yields, (0, 100.0));
        // …B yields on issue two just enough to make the gains equal.
        assert_eq!(plan.receiver_yields.0, 1);
        assert!((plan.receiver_yields.1 - 80.0).abs() < 1e-9);
        assert!((plan.gain - 5.0).abs() < 1e-9);

        let after = moved(
            &state,
            &[(0, plan.offerer_yields), (1, plan.receiver_yields)],
        );
        assert!((after.mean(0) - 100.0).abs() < 1e-9);
        assert!((after.mean(1) - (28.0 + 4.0 / 7.0)).abs() < 1e-9);
        let (a, b) = (
            realised(&state, &after, 0, &[0, 1]),
            realised(&state, &after, 1, &[0, 1]),
        );
        assert!(a > 0.0 && b > 0.0, "gains {a} and {b}");
        assert!(
            (a - b).abs() < 1e-9 && (a - 5.0).abs() < 1e-9,
            "gains {a} and {b}"
        );
    }

    /// Three parties, each caring little about the issue it yields on
    /// (salience 0.1) and much about the others' (0.9), where it stands
    /// with the third party against the yielder.
    fn three_by_three() -> State {
        let (ids, issues) = (["A", "B", "C"], ["one", "two", "three"]);
        let mut stances = Vec::new();
        for (k, issue) in issues.iter().enumerate() {
            for (a, id) in ids.iter().enumerate() {
                let (position, salience) = if a == k { (0, 0.1) } else { (100, 0.9) };
                stances.push(serde_json::json!({"actor": id, "issue": issue,
                    "position": position, "salience": salience, "basis": "example"}));
            }
        }
        let scenario: Scenario = serde_json::from_value(serde_json::json!({
            "version": 1, "id": "group", "title": "A group package",
            "start": "2015-12-07", "days_per_round": 7, "rounds": 1,
            "actors": ids.iter().map(|id| serde_json::json!({"id": id, "name": id,
                "kind": "state", "capability": 1, "basis": "example"})).collect::<Vec<_>>(),
            "issues": issues.iter().map(|id| serde_json::json!({"id": id, "question": "?",
                "low": "no", "high": "yes", "principals": ids})).collect::<Vec<_>>(),
            "stances": stances,
        }))
        .unwrap();
        assert!(scenario.problems().is_empty(), "{:?}", scenario.problems());
        State::new(&scenario)
    }

    /// A group's gains are the pair's gain formula summed over the group's
    /// issues: each party's planned gain is what the moves realise, by the
    /// same measure the pair's gains are held to above.
    #[test]
    fn a_groups_gains_are_the_pairs_formula_over_its_issues() {
        let state = three_by_three();
        let plan = crate::mechanism::plan_group(
            &state,
            &[0, 1, 2],
            &[0, 1, 2],
            crate::scenario::Split::Full,
        )
        .expect("a package");
        let moves: Vec<(usize, (usize, f64))> = plan.moves.iter().copied().enumerate().collect();
        let after = moved(&state, &moves);
        for (side, &planned) in plan.gains.iter().enumerate() {
            let measured = realised(&state, &after, side, &[0, 1, 2]);
            assert!(planned > 0.0, "{plan:?}");
            assert!(
                (planned - measured).abs() < 1e-9,
                "party {side}: {planned} vs {measured}"
            );
        }
    }

    #[test]
    fn no_package_when_nothing_is_left_to_trade() {
        let mut state = two_by_two();
        state.apply(&Event::PositionChanged(PositionChanged {
            actor: "A".into(),
            issue: "one".into(),
            from: 0.0,
            to: 100.0,
            cause: Cause::External {
                note: "test".into(),
            },
        }));
        // With A already at B's position on issue one there is nothing to trade.
        assert_eq!(plan_package(&state, 0, 1, [0, 1]), None);
    }
}
