//! Packages among three or more parties (format 2's linkage `groups`),
//! found as a bargain.
//!
//! Party k of a group yields on issue k. Its full concession is a move to
//! the weighted mean (capability × salience) of the other parties'
//! positions on that issue; it concedes a share t_k ∈ [0, 1] of it. A
//! party's gain from the package is Σ over the group's issues of its
//! salience × the move of the issue's weighted mean toward it, as for a
//! pair (the same `linkage::gain` and `linkage::mean_move`); it is linear
//! in the shares: gain_j(t) = Σ_k t_k G[j][k], G[j][k] being what party
//! k's full concession gains j (negative for k's own issue, as a rule).
//!
//! The shares split the joint gain by the linkage rule's `split`:
//!
//! - `equal_gain` (the default): the shares that leave the party that
//!   gains least best off (the egalitarian solution, Kalai 1977,
//!   "Proportional solutions to bargaining situations"), among those with
//!   the largest total gain. For a pair it is Stokman's equal-gain exchange
//!   (one side yields fully, the other by the share that equalises the
//!   gains; Stokman and Van Oosten 1994, "The exchange of voting
//!   positions"); with three or more parties exactly equal gains are rarely
//!   within the box, and the smallest gain is raised as far as it goes. It
//!   is a small linear programme, solved at its vertices (groups of at
//!   most [`MAX_GROUP`] parties).
//! - `nash`: the Nash bargaining solution (Nash 1950, "The bargaining
//!   problem"): the shares that maximise Σ_j ln gain_j(t), the
//!   disagreement point being no package; found by projected gradient
//!   ascent from the equal-gain package (so offered only where one exists).
//! - `full`: every party concedes fully (the rule of engines before 0.7.0).
//!
//! The first party offers when its position on the linkage issue is at
//! least `offer_at` and every party gains; every other party accepts when
//! its own position on the linkage issue is at least `accept_at`. On
//! acceptance all move at once. A group offers at most once every
//! `cooldown_rounds`. When no package is offered, [`explain_group`] says
//! why (the best shares found and who would lose by them), for the report;
//! nothing is logged.

use super::linkage::{gain, mean_move};
use crate::scenario::Split;
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

/// Why a group has no package: the best shares found and each party's gain
/// by them (a party with a gain of 0 or less would lose).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupWhy {
    /// Per party: the share of its full concession.
    pub shares: Vec<f64>,
    /// Per party: its gain by those shares.
    pub gains: Vec<f64>,
}

/// The smallest gain that counts as a gain.
const GAIN_FLOOR: f64 = 1e-9;

/// What the group could trade: per party its issue, where its full
/// concession takes it, and G[j][k]; `None` when a party holds no stance
/// on its issue or nobody else weighs it.
struct Terms {
    full: Vec<(usize, f64, f64)>,
    g: Vec<Vec<f64>>,
}

fn terms(state: &State, parties: &[usize], issues: &[usize]) -> Option<Terms> {
    if parties.len() < 3 || parties.len() != issues.len() {
        return None;
    }
    let mut full = Vec::with_capacity(parties.len());
    let mut mean_moves = Vec::with_capacity(parties.len());
    for (&p, &i) in parties.iter().zip(issues) {
        // A party yields on an issue it holds a stance on.
        let from = state.held(i, p)?.position;
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
        full.push((i, from, to));
        mean_moves.push(mean_move(state, i, p, to));
    }
    if mean_moves.iter().all(|&m| m == 0.0) {
        return None;
    }
    let g = parties
        .iter()
        .map(|&j| {
            issues
                .iter()
                .zip(&mean_moves)
                .map(|(&i, &moved)| gain(state, j, i, moved).unwrap_or(0.0))
                .collect()
        })
        .collect();
    Some(Terms { full, g })
}

/// Each party's gain by `shares`.
fn gains(g: &[Vec<f64>], shares: &[f64]) -> Vec<f64> {
    g.iter()
        .map(|row| row.iter().zip(shares).map(|(x, t)| x * t).sum())
        .collect()
}

/// Sizes the package among `parties` (party k yielding on `issues[k]`) by
/// `split`, or `None` when a party holds no stance on its issue, nobody
/// would move, or no shares leave every party a gain.
pub fn plan_group(
    state: &State,
    parties: &[usize],
    issues: &[usize],
    split: Split,
) -> Option<GroupPlan> {
    let t = terms(state, parties, issues)?;
    let shares = match split {
        Split::Full => vec![1.0; parties.len()],
        Split::EqualGain => equal_gain(&t.g)?,
        Split::Nash => nash(&t.g, equal_gain(&t.g)?),
    };
    let gains = gains(&t.g, &shares);
    if !gains.iter().all(|&x| x > GAIN_FLOOR) {
        return None;
    }
    let moves = t
        .full
        .iter()
        .zip(&shares)
        .map(|(&(i, from, to), &s)| (i, crate::scale::clamp(from + s * (to - from))))
        .collect();
    Some(GroupPlan { moves, gains })
}

/// Why the group has no package under `split`: the shares the rule
/// considers best (every party conceding fully under `full`; under the
/// bargains, those that leave the worst-off party best off, whatever its
/// sign), and every party's gain by them; a party with a gain of 0 or less
/// would lose. `None` when there is nothing to trade (a party without a
/// stance on its issue, nobody moving).
pub fn explain_group(
    state: &State,
    parties: &[usize],
    issues: &[usize],
    split: Split,
) -> Option<GroupWhy> {
    let t = terms(state, parties, issues)?;
    let shares = match split {
        Split::Full => vec![1.0; parties.len()],
        Split::EqualGain | Split::Nash => max_min(&t.g)?.0,
    };
    Some(GroupWhy {
        gains: gains(&t.g, &shares),
        shares,
    })
}

/// The most parties a group may bind: its bargain is searched over every
/// vertex (6^n candidate systems), some 1,800 solves of 6 × 6 at five
/// parties a round; six made `check-laws` on one scenario take a minute.
pub const MAX_GROUP: usize = 5;

/// The equal-gain shares: those that leave the party that gains least
/// best off, when it gains.
fn equal_gain(g: &[Vec<f64>]) -> Option<Vec<f64>> {
    max_min(g)
        .filter(|&(_, worst)| worst > GAIN_FLOOR)
        .map(|(shares, _)| shares)
}

/// Maximises the smallest gain over the box: the linear programme
/// max g subject to G t ≥ g·1, 0 ≤ t ≤ 1, solved at its vertices (each
/// share free or at 0 or 1, each gain's constraint active or not, n + 1
/// active in all; every square system solved, the feasible ones kept).
/// Among the best (within 10⁻¹²) the one with the largest total gain, then
/// the first found. Returns the shares and the smallest gain.
fn max_min(g: &[Vec<f64>]) -> Option<(Vec<f64>, f64)> {
    let n = g.len();
    if n == 0 || n > MAX_GROUP {
        return None;
    }
    const TOL: f64 = 1e-9;
    let mut best: Option<(f64, f64, Vec<f64>)> = None;
    // Share k's state: 0 free, 1 at 0, 2 at 1; gain j active when bit j.
    let states = 3usize.pow(u32::try_from(n).ok()?);
    for code in 0..states {
        let mut bounds = Vec::new();
        let mut c = code;
        for k in 0..n {
            match c % 3 {
                1 => bounds.push((k, 0.0)),
                2 => bounds.push((k, 1.0)),
                _ => {}
            }
            c /= 3;
        }
        let need = n + 1 - bounds.len();
        for active in 0u32..(1 << n) {
            if active.count_ones() as usize != need {
                continue;
            }
            let mut a = Vec::with_capacity(n + 1);
            let mut b = Vec::with_capacity(n + 1);
            for &(k, bound) in &bounds {
                let mut row = vec![0.0; n + 1];
                row[k] = 1.0;
                a.push(row);
                b.push(bound);
            }
            for (j, gj) in g.iter().enumerate() {
                if active & (1 << j) != 0 {
                    let mut row = gj.clone();
                    row.push(-1.0);
                    a.push(row);
                    b.push(0.0);
                }
            }
            let Some(x) = solve(a, b) else {
                continue;
            };
            let (t, worst) = (&x[..n], x[n]);
            if t.iter().any(|&s| !(-TOL..=1.0 + TOL).contains(&s)) {
                continue;
            }
            let t: Vec<f64> = t.iter().map(|s| s.clamp(0.0, 1.0)).collect();
            let gs = gains(g, &t);
            if gs.iter().any(|&x| x < worst - TOL) {
                continue;
            }
            let worst = gs.iter().copied().fold(f64::INFINITY, f64::min);
            let total: f64 = gs.iter().sum();
            let better = best.as_ref().is_none_or(|(w, tot, _)| {
                worst > w + 1e-12 || (worst > w - 1e-12 && total > tot + 1e-12)
            });
            if better {
                best = Some((worst, total, t));
            }
        }
    }
    best.map(|(worst, _, t)| (t, worst))
}

/// Solves the square system `a` x = `b` by Gaussian elimination with
/// partial pivoting; `None` when it is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, below) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (k, row) in below.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[col + 1 + k] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|c| a[row][c] * x[c]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The Nash bargaining shares: Σ_j ln gain_j(t) maximised over the box by
/// projected gradient ascent from `start` (every gain positive there),
/// with a step halved until the product rises; 200 steps at most.
fn nash(g: &[Vec<f64>], start: Vec<f64>) -> Vec<f64> {
    let objective = |t: &[f64]| -> f64 {
        let gs = gains(g, t);
        if gs.iter().all(|&x| x > 0.0) {
            gs.iter().map(|x| x.ln()).sum()
        } else {
            f64::NEG_INFINITY
        }
    };
    let mut t = start;
    let mut value = objective(&t);
    let mut step = 1.0;
    for _ in 0..200 {
        let gs = gains(g, &t);
        let grad: Vec<f64> = (0..t.len())
            .map(|k| g.iter().zip(&gs).map(|(row, gj)| row[k] / gj).sum())
            .collect();
        let mut moved = false;
        while step > 1e-12 {
            let next: Vec<f64> = t
                .iter()
                .zip(&grad)
                .map(|(x, d)| (x + step * d).clamp(0.0, 1.0))
                .collect();
            let v = objective(&next);
            if v > value + 1e-15 {
                t = next;
                value = v;
                moved = true;
                break;
            }
            step /= 2.0;
        }
        if !moved {
            break;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three parties; the third's full concession costs it 3 and gains the
    /// others 2 and 0.5 (first and second parties' full concessions:
    /// G's columns). Conceding fully, the third loses (1 + 1 − 3 = −1).
    const G: [[f64; 3]; 3] = [[-1.0, 2.0, 2.0], [2.0, -1.0, 0.5], [1.0, 1.0, -3.0]];

    fn g() -> Vec<Vec<f64>> {
        G.iter().map(|r| r.to_vec()).collect()
    }

    /// Full concessions leave the third party a loss; the equal-gain split
    /// finds shares where the least gain is as large as any shares on a
    /// grid of 1/40 make it (checked exhaustively), and positive.
    #[test]
    fn equal_gain_raises_the_smallest_gain_as_far_as_it_goes() {
        assert_eq!(gains(&g(), &[1.0, 1.0, 1.0]), [3.0, 1.5, -1.0]);
        let (t, worst) = max_min(&g()).expect("a package");
        assert!(worst > 1.0, "{t:?} {worst}");
        let least = |t: &[f64]| gains(&g(), t).into_iter().fold(f64::INFINITY, f64::min);
        assert!((least(&t) - worst).abs() < 1e-9);
        for a in 0..=40 {
            for b in 0..=40 {
                for c in 0..=40 {
                    let grid = [
                        f64::from(a) / 40.0,
                        f64::from(b) / 40.0,
                        f64::from(c) / 40.0,
                    ];
                    assert!(least(&grid) <= worst + 1e-9, "{grid:?} beats {t:?}");
                }
            }
        }
        // Here: the first yields fully, the second by 8/9, the third by
        // 2/9, and all three gain 11/9 (solved by hand: g0 = g1 = g2).
        assert!((worst - 11.0 / 9.0).abs() < 1e-9, "{worst}");
        let gs = gains(&g(), &t);
        assert!(
            (gs[0] - gs[1]).abs() < 1e-9 && (gs[1] - gs[2]).abs() < 1e-9,
            "{gs:?}"
        );
    }

    /// For a pair the rule is Stokman's: one side yields fully, the other
    /// by the share that equalises the gains.
    #[test]
    fn for_a_pair_it_is_stokmans_equal_gain_exchange() {
        // Conceding costs each 1 and gains the other 3 (first) or 2.
        let pair = vec![vec![-1.0, 2.0], vec![3.0, -1.0]];
        let (t, worst) = max_min(&pair).expect("a package");
        // t = (1, s): −1 + 2s = 3 − s → s = 4/3 > 1: the second yields
        // fully and the first by s: −s + 2 = 3s − 1 → s = 3/4.
        assert!(
            (t[0] - 0.75).abs() < 1e-9 && (t[1] - 1.0).abs() < 1e-9,
            "{t:?}"
        );
        assert!((worst - 1.25).abs() < 1e-9);
    }

    /// The Nash split keeps every party's gain positive and its product at
    /// least the equal-gain split's; where nobody can gain, neither splits.
    #[test]
    fn the_nash_split_maximises_the_product_of_the_gains() {
        let start = equal_gain(&g()).expect("a package");
        let product = |t: &[f64]| gains(&g(), t).iter().product::<f64>();
        let n = nash(&g(), start.clone());
        assert!(gains(&g(), &n).iter().all(|&x| x > 0.0));
        assert!(product(&n) >= product(&start) - 1e-12, "{n:?}");
        // No shares near n do better.
        for k in 0..3 {
            for d in [-1e-3, 1e-3] {
                let mut m = n.clone();
                m[k] = (m[k] + d).clamp(0.0, 1.0);
                assert!(product(&m) <= product(&n) + 1e-9, "{m:?} beats {n:?}");
            }
        }
        let hopeless = vec![
            vec![-1.0, 0.0, 0.0],
            vec![0.0, -1.0, 0.0],
            vec![0.0, 0.0, -1.0],
        ];
        assert_eq!(equal_gain(&hopeless), None);
        let (t, worst) = max_min(&hopeless).expect("the best found");
        assert_eq!(t, [0.0, 0.0, 0.0]);
        assert!(worst.abs() < 1e-12);
    }
}
