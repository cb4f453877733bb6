//! Packages among three or more parties (format 2's linkage `groups`).
//!
//! Party k of a group yields on issue k: it moves to the weighted mean
//! (capability × salience) of the other parties' positions on that issue. A
//! party's gain is Σ over the group's issues of its salience × the move of
//! the issue's weighted mean toward it, as for a pair (the same
//! `linkage::gain` and `linkage::mean_move`). The first party
//! offers when its position on the linkage issue is at least `offer_at` and
//! every party gains; every other party accepts when its own position on the
//! linkage issue is at least `accept_at`. On acceptance all move at once.
//! A group offers at most once every `cooldown_rounds`.

use super::linkage::{gain, mean_move};
use crate::state::State;

/// A package sized for a group: where each party moves on its issue, and
/// each party's gain.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupPlan {
    /// Per party, in the group's order: its issue and the position it moves
    /// to.
    pub moves: Vec<(usize, f64)>,
    /// Per party: its gain.
    pub gains: Vec<f64>,
}

/// Sizes the package among `parties` (party k yielding on `issues[k]`), or
/// `None` when a party holds no stance on its issue, nobody would move, or
/// some party would not gain.
pub fn plan_group(state: &State, parties: &[usize], issues: &[usize]) -> Option<GroupPlan> {
    if parties.len() < 3 || parties.len() != issues.len() {
        return None;
    }
    let mut moves = Vec::with_capacity(parties.len());
    // The move of each issue's weighted mean when its party yields.
    let mut mean_moves = Vec::with_capacity(parties.len());
    for (&p, &i) in parties.iter().zip(issues) {
        // A party yields on an issue it holds a stance on.
        state.held(i, p)?;
        let (mut sum, mut weight) = (0.0, 0.0);
        for &q in parties.iter().filter(|&&q| q != p) {
            if let Some(h) = state.held(i, q) {
                let w = state.capability(q) * h.salience;
                sum += w * h.position;
                weight += w;
            }
        }
        if weight <= 0.0 {
            return None;
        }
        let to = crate::scale::clamp(sum / weight);
        moves.push((i, to));
        mean_moves.push(mean_move(state, i, p, to));
    }
    if mean_moves.iter().all(|&m| m == 0.0) {
        return None;
    }
    let gains: Vec<f64> = parties
        .iter()
        .map(|&m| {
            issues
                .iter()
                .zip(&mean_moves)
                .filter_map(|(&i, &moved)| gain(state, m, i, moved))
                .sum()
        })
        .collect();
    gains
        .iter()
        .all(|&g| g > 1e-9)
        .then_some(GroupPlan { moves, gains })
}
