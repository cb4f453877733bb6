//! Bueno de Mesquita's expected-utility model, as Scholz, Calbert and Smith
//! (2011) specified it (the default) and coded it (the `scholz` variants),
//! applied issue by issue each round.
//!
//! Per issue, among the actors with a stance on it (c capability, s salience,
//! x position, r risk exponent, R the range of the positions when the run
//! opened, fixed for the run):
//!
//! - vote_k(a over b) = c_k·s_k·[(|x_k − x_b|/R)^r_k − (|x_k − x_a|/R)^r_k]
//! - P(i prevails over j) = Σ_k max(0, vote_k(i over j)) / N, 0 when
//!   x_i = x_j; N sums |vote_k(i over j)| over every voter for the pair
//!   itself (the published form), or |vote_k(a over b)| over every voter and
//!   every ordered pair (variant `scholz`, as their code did).
//! - From h's point of view, with U_s = 2 − 4(0.5 − 0.5δ)^r_h,
//!   U_f = 2 − 4(0.5 + 0.5δ)^r_h, U_sq = 2 − 4·0.5^r_h and δ = |x_i − x_j|/R:
//!   EU_h(i challenges j) = s_j·[P(i,j)·U_s + (1 − P(i,j))·U_f] + (1 − s_j)·U_s − U_sq.
//! - Risk: with every r = 1, danger D_h = Σ_{j≠h} EU_h(j challenges h);
//!   R_h = (2D_h − max D − min D)/(max D − min D); r_h = (1 − R_h/3)/(1 + R_h/3).
//! - Offers to receiver i from every j with x_j ≠ x_i, with a = EU_i(i
//!   challenges j) and b = EU_i(j challenges i): b > a > 0 a confrontation i
//!   expects to lose (move to x_j); b > 0 > a and b > |a| a compromise (move to
//!   x_i + (x_j − x_i)·|a/b|); b > 0 > a and b < |a| a capitulation (move to
//!   x_j, only with the `capitulation` flag).
//! - Choice: the confrontation asking the smallest move, else the compromise
//!   asking the smallest move (variant `scholz`: the smallest weighted
//!   position (|a|·x_i + |b|·x_j)/(|a| + |b|), as their code did), else the
//!   capitulation asking the smallest move; ties go to the proposer listed
//!   first. All moves are applied together.
//!
//! The normaliser is computed once per round and issue in O(n² log n): for
//! each voter, Σ_a Σ_b |d_a − d_b| over its sorted distances d is
//! 2·Σ_m d_(m)·(2m − n + 1). The pairwise sums run over unordered pairs, each
//! giving both P(i, j) and P(j, i).

use super::Model;
use crate::event::{Cause, Event, OfferKind, PositionChanged, RiskUpdated};
use crate::mechanism::Context;
use crate::scenario::{CompromiseChoice, Probability};

/// The expected-utility model and its variant flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExpectedUtility {
    /// Normaliser of the probability of prevailing.
    pub probability: Probability,
    /// Which compromise a receiver takes.
    pub compromise_choice: CompromiseChoice,
    /// Whether receivers may capitulate.
    pub capitulation: bool,
}

impl Default for ExpectedUtility {
    fn default() -> ExpectedUtility {
        ExpectedUtility {
            probability: Probability::Pairwise,
            compromise_choice: CompromiseChoice::Nearest,
            capitulation: false,
        }
    }
}

/// One issue as the model sees it. The members may come in any order; every
/// sum runs in that order, and `rank` (each member's place in the scenario's
/// listing) breaks ties.
#[derive(Clone, Copy, Debug)]
pub struct IssueInput<'a> {
    /// Positions.
    pub position: &'a [f64],
    /// Saliences.
    pub salience: &'a [f64],
    /// Capabilities.
    pub capability: &'a [f64],
    /// Listing rank of each member: lower wins a tie.
    pub rank: &'a [usize],
    /// Range of the opening positions on the issue (> 0).
    pub range: f64,
}

/// The offer a receiver takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Choice {
    /// What kind of offer.
    pub kind: OfferKind,
    /// The proposer's index among the members.
    pub proposer: usize,
    /// The receiver's new position.
    pub to: f64,
    /// EU of the receiver challenging the proposer, in the receiver's eyes.
    pub a: f64,
    /// EU of the proposer challenging the receiver, in the receiver's eyes.
    pub b: f64,
}

/// One round of the model on one issue.
#[derive(Clone, Debug, PartialEq)]
pub struct IssueRound {
    /// Each member's risk exponent this round.
    pub risk: Vec<f64>,
    /// Each member's chosen offer, if any.
    pub choices: Vec<Option<Choice>>,
}

impl ExpectedUtility {
    /// Plays one round on one issue.
    pub fn play(&self, issue: &IssueInput<'_>) -> IssueRound {
        let n = issue.position.len();
        let x = issue.position;
        let weight: Vec<f64> = (0..n)
            .map(|k| issue.capability[k] * issue.salience[k])
            .collect();
        let delta = |i: usize, j: usize| ((x[i] - x[j]).abs() / issue.range).min(1.0);
        let logs = Logs::new(issue);

        // Risk: dangers with every exponent at 1, then all exponents at once.
        let ones = vec![1.0; n];
        let p1 = self.prevail(issue, &weight, &ones, &logs);
        let danger: Vec<f64> = (0..n)
            .map(|h| {
                (0..n)
                    .filter(|&j| j != h)
                    .map(|j| {
                        Utilities::at_one(delta(j, h)).expected(issue.salience[h], p1[j * n + h])
                    })
                    .sum()
            })
            .collect();
        let max = danger.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let min = danger.iter().copied().fold(f64::INFINITY, f64::min);
        let risk: Vec<f64> = if exceeds(max, min) && (max - min).is_finite() {
            danger
                .iter()
                .map(|&d| {
                    let rel = (2.0 * d - max - min) / (max - min);
                    (1.0 - rel / 3.0) / (1.0 + rel / 3.0)
                })
                .collect()
        } else {
            ones
        };

        let p = self.prevail(issue, &weight, &risk, &logs);
        let choices = (0..n)
            .map(|i| {
                let mut best: Option<(u8, f64, Choice)> = None;
                for j in (0..n).filter(|&j| j != i && x[j] != x[i]) {
                    // Both challenges have the same δ and are seen with i's
                    // exponent, so they share their utilities.
                    let u = if risk[i] == 1.0 {
                        Utilities::at_one(delta(i, j))
                    } else {
                        logs.utilities(risk[i], i, j)
                    };
                    let a = u.expected(issue.salience[j], p[i * n + j]);
                    let b = u.expected(issue.salience[i], p[j * n + i]);
                    let Some((rank, key, kind, to)) = self.classify(x[i], x[j], a, b) else {
                        continue;
                    };
                    let better = best.is_none_or(|(r, k, c): (u8, f64, Choice)| {
                        (rank, key) < (r, k)
                            || ((rank, key) == (r, k) && issue.rank[j] < issue.rank[c.proposer])
                    });
                    if better {
                        let choice = Choice {
                            kind,
                            proposer: j,
                            to: crate::scale::clamp(to),
                            a,
                            b,
                        };
                        best = Some((rank, key, choice));
                    }
                }
                best.map(|(_, _, c)| c)
            })
            .collect();
        IssueRound { risk, choices }
    }

    /// The kind of an offer from j to i, its rank (confrontations first), the
    /// key that orders offers of one kind, and where i would move.
    fn classify(&self, xi: f64, xj: f64, a: f64, b: f64) -> Option<(u8, f64, OfferKind, f64)> {
        if !(a.is_finite() && b.is_finite()) {
            return None;
        }
        if exceeds(b, a) && a > 0.0 {
            return Some((0, (xj - xi).abs(), OfferKind::Confrontation, xj));
        }
        if b > 0.0 && a < 0.0 {
            if exceeds(b, a.abs()) {
                let to = xi + (xj - xi) * (a / b).abs();
                let key = match self.compromise_choice {
                    CompromiseChoice::Scholz => (a.abs() * xi + b.abs() * xj) / (a.abs() + b.abs()),
                    CompromiseChoice::Nearest => (to - xi).abs(),
                };
                return Some((1, key, OfferKind::Compromise, to));
            }
            if exceeds(a.abs(), b) && self.capitulation {
                return Some((2, (xj - xi).abs(), OfferKind::Capitulation, xj));
            }
        }
        None
    }

    /// P(i prevails over j) for every ordered pair, row-major.
    fn prevail(
        &self,
        issue: &IssueInput<'_>,
        weight: &[f64],
        risk: &[f64],
        logs: &Logs,
    ) -> Vec<f64> {
        let n = issue.position.len();
        let x = issue.position;
        // dist[a * n + k] = (|x_k − x_a| / R)^r_k: voter k's distance to a,
        // stored so that the sums over voters read memory in order.
        let mut dist = vec![0.0; n * n];
        for a in 0..n {
            for k in 0..n {
                dist[a * n + k] = if risk[k] == 1.0 {
                    (x[k] - x[a]).abs() / issue.range
                } else {
                    power(risk[k], logs.distance[a * n + k])
                };
            }
        }
        let norm = match self.probability {
            Probability::Scholz => full_normaliser(&dist, weight, n),
            Probability::Pairwise => 0.0,
        };
        let votes = Votes::new(x, weight, &dist);
        let mut p = vec![0.0; n * n];
        for i in 0..n {
            for j in (i + 1)..n {
                if x[i] == x[j] {
                    continue;
                }
                let (for_i, for_j) = votes.between(i, j);
                let denominator = match self.probability {
                    Probability::Scholz => norm,
                    Probability::Pairwise => for_i + for_j,
                };
                if denominator > 0.0 {
                    p[i * n + j] = for_i / denominator;
                    p[j * n + i] = for_j / denominator;
                }
            }
        }
        p
    }
}

/// e^(r·ln x) = x^r from a logarithm taken once, by the pure-Rust `libm`:
/// the same bits on every machine (the platform's `pow` differs in its last
/// bit between C libraries, and a log must not), and one `exp` where `pow`
/// would cost several. ln 0 = −∞ gives 0, as x^r does for r > 0.
/// Whether `x` exceeds `y` by more than the rounding of the sums they come
/// from. The model's comparisons are knife-edges (any spread of dangers
/// sets the exponents to 2 and ½; any margin of `b` over `a` makes a
/// confrontation), and two quantities equal in exact arithmetic (the two
/// dangers of a two-member issue, for one) come out a last bit apart or not
/// depending on the units of capability: so a difference within 1e-9 of
/// their size is a tie, and the capability-scale law holds.
fn exceeds(x: f64, y: f64) -> bool {
    x - y > 1e-9 * (x.abs() + y.abs())
}

fn power(r: f64, ln_x: f64) -> f64 {
    libm::exp(r * ln_x)
}

/// The logarithms every power of a round is built from, taken once per pair
/// (each is symmetric in the pair): of the voters' distances, and of the
/// bases of the utilities of success and failure.
struct Logs {
    n: usize,
    /// ln(|x_k − x_a|/R), row-major like the distances.
    distance: Vec<f64>,
    /// ln(0.5 − 0.5δ) and ln(0.5 + 0.5δ) for the pair, δ = min(1, |x_i − x_j|/R).
    success: Vec<f64>,
    failure: Vec<f64>,
}

impl Logs {
    fn new(issue: &IssueInput<'_>) -> Logs {
        let x = issue.position;
        let n = x.len();
        let mut logs = Logs {
            n,
            distance: vec![f64::NEG_INFINITY; n * n],
            success: vec![0.0; n * n],
            failure: vec![0.0; n * n],
        };
        for i in 0..n {
            for j in (i + 1)..n {
                let d = (x[i] - x[j]).abs() / issue.range;
                let delta = d.min(1.0);
                let values = [
                    (&mut logs.distance, libm::log(d)),
                    (&mut logs.success, libm::log(0.5 - 0.5 * delta)),
                    (&mut logs.failure, libm::log(0.5 + 0.5 * delta)),
                ];
                for (table, value) in values {
                    table[i * n + j] = value;
                    table[j * n + i] = value;
                }
            }
        }
        logs
    }

    /// The utilities of a challenge between i and j in the eyes of an actor
    /// whose exponent is `r`.
    fn utilities(&self, r: f64, i: usize, j: usize) -> Utilities {
        let k = i * self.n + j;
        Utilities {
            success: 2.0 - 4.0 * power(r, self.success[k]),
            failure: 2.0 - 4.0 * power(r, self.failure[k]),
            status_quo: 2.0 - 4.0 * power(r, -std::f64::consts::LN_2),
        }
    }
}

/// The utilities of one challenge in h's eyes: of success, of failure, and
/// of the status quo, for h's exponent and δ = |x_i − x_j|/R.
#[derive(Clone, Copy)]
struct Utilities {
    success: f64,
    failure: f64,
    status_quo: f64,
}

impl Utilities {
    /// With an exponent of 1: 2 − 4(0.5 ∓ 0.5δ) and 2 − 4·0.5, exactly.
    fn at_one(delta: f64) -> Utilities {
        Utilities {
            success: 2.0 * delta,
            failure: -2.0 * delta,
            status_quo: 0.0,
        }
    }

    /// EU of a challenge against a target of salience `salience_target`
    /// that prevails with probability `p`.
    fn expected(self, salience_target: f64, p: f64) -> f64 {
        salience_target * (p * self.success + (1.0 - p) * self.failure)
            + (1.0 - salience_target) * self.success
            - self.status_quo
    }
}

/// N = Σ_k w_k Σ_a Σ_b |d_ka − d_kb|, in O(n² log n).
fn full_normaliser(dist: &[f64], weight: &[f64], n: usize) -> f64 {
    let mut column = vec![0.0; n];
    let mut total = 0.0;
    for (k, &w) in weight.iter().enumerate() {
        for a in 0..n {
            column[a] = dist[a * n + k];
        }
        column.sort_by(f64::total_cmp);
        // Σ_{a<b} (d_(b) − d_(a)) = Σ_m d_(m)·(2m − n + 1), counted twice for
        // ordered pairs.
        let spread: f64 = column
            .iter()
            .enumerate()
            .map(|(m, &d)| d * (2.0 * m as f64 - n as f64 + 1.0))
            .sum();
        total += w * 2.0 * spread;
    }
    total
}

/// The votes for every pair of candidates, in O(n² log n).
///
/// Voter k's distance (|x_k − x_a|/R)^r_k grows with |x_k − x_a| (r_k > 0),
/// so k votes for whichever of i and j is nearer: for i < j on the scale,
/// exactly the voters left of their midpoint vote for i, and those right of
/// it for j. With the voters sorted by position and, for each candidate a,
/// the prefix sums P_a[m] = Σ w_k·d_ka over the m leftmost voters, the votes
/// for i over j are P_j[left] − P_i[left], and for j over i the same over the
/// voters to the right. The sums run in position order, so they do not
/// depend on the order actors are listed in.
struct Votes<'a> {
    x: &'a [f64],
    /// Voters' positions, ascending.
    sorted: Vec<f64>,
    /// prefix[a * (n + 1) + m]: Σ w_k·d_ka over the m leftmost voters.
    prefix: Vec<f64>,
}

impl<'a> Votes<'a> {
    fn new(x: &'a [f64], weight: &[f64], dist: &[f64]) -> Votes<'a> {
        let n = x.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&p, &q| x[p].total_cmp(&x[q]).then(p.cmp(&q)));
        let mut prefix = vec![0.0; n * (n + 1)];
        for a in 0..n {
            let row = &mut prefix[a * (n + 1)..(a + 1) * (n + 1)];
            for (m, &k) in order.iter().enumerate() {
                row[m + 1] = row[m] + weight[k] * dist[a * n + k];
            }
        }
        Votes {
            x,
            sorted: order.iter().map(|&k| x[k]).collect(),
            prefix,
        }
    }

    /// (votes for i over j, votes for j over i); x_i ≠ x_j.
    fn between(&self, i: usize, j: usize) -> (f64, f64) {
        let (near, far) = if self.x[i] < self.x[j] {
            (i, j)
        } else {
            (j, i)
        };
        let mid = 0.5 * (self.x[near] + self.x[far]);
        // Voters strictly left of the midpoint favour the lower candidate,
        // strictly right of it the higher one; at it, neither.
        let left = self.sorted.partition_point(|&v| v < mid);
        let right = self.sorted.partition_point(|&v| v <= mid);
        let n = self.x.len();
        let p = |a: usize, m: usize| self.prefix[a * (n + 1) + m];
        let for_low = (p(far, left) - p(near, left)).max(0.0);
        let for_high = ((p(near, n) - p(near, right)) - (p(far, n) - p(far, right))).max(0.0);
        if near == i {
            (for_low, for_high)
        } else {
            (for_high, for_low)
        }
    }
}

impl Model for ExpectedUtility {
    fn decider(&self) -> &str {
        "expected-utility"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut risk_events = Vec::new();
        let mut moves = Vec::new();
        for (i, issue_id) in state.issues().iter().enumerate() {
            let range = state.opening_range(i);
            if state.settled(i) || state.members(i).len() < 2 || range <= 0.0 {
                continue;
            }
            // The model sums over the members in the order of what it knows
            // of them (position, salience, capability), so neither names nor
            // the listing order reach a result through floating-point
            // summation order: members alike in all three add the same
            // terms, and only the tie-break rule reads the listing.
            let mut members: Vec<(usize, usize)> = state
                .members(i)
                .iter()
                .copied()
                .enumerate()
                .map(|(r, a)| (a, r))
                .collect();
            let key = |a: usize| {
                let h = state.held(i, a);
                (
                    h.map_or(0.0, |h| h.position),
                    h.map_or(0.0, |h| h.salience),
                    state.capability(a),
                )
            };
            members.sort_by(|p, q| {
                let ((xp, sp, cp), (xq, sq, cq)) = (key(p.0), key(q.0));
                xp.total_cmp(&xq)
                    .then(sp.total_cmp(&sq))
                    .then(cp.total_cmp(&cq))
                    .then(p.1.cmp(&q.1))
            });
            let held: Vec<_> = members
                .iter()
                .filter_map(|&(a, _)| state.held(i, a))
                .collect();
            let position: Vec<f64> = held.iter().map(|h| h.position).collect();
            let salience: Vec<f64> = held.iter().map(|h| h.salience).collect();
            let capability: Vec<f64> = members.iter().map(|&(a, _)| state.capability(a)).collect();
            let rank: Vec<usize> = members.iter().map(|&(_, r)| r).collect();
            let round = self.play(&IssueInput {
                position: &position,
                salience: &salience,
                capability: &capability,
                rank: &rank,
                range,
            });
            let id = |m: usize| state.actors()[members[m].0].clone();
            risk_events.push(Event::RiskUpdated(RiskUpdated {
                issue: issue_id.clone(),
                exponents: (0..members.len()).map(|m| (id(m), round.risk[m])).collect(),
            }));
            // Moves are written in listing order.
            let mut by_listing: Vec<usize> = (0..members.len()).collect();
            by_listing.sort_by_key(|&m| rank[m]);
            for m in by_listing {
                let Some(c) = &round.choices[m] else { continue };
                if c.to == position[m] {
                    continue;
                }
                moves.push(Event::PositionChanged(PositionChanged {
                    actor: id(m),
                    issue: issue_id.clone(),
                    from: position[m],
                    to: c.to,
                    cause: Cause::Offer {
                        kind: c.kind,
                        proposer: id(c.proposer),
                        a: c.a,
                        b: c.b,
                    },
                }));
            }
        }
        risk_events.extend(moves);
        risk_events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sums |vote| over every voter and ordered pair, the slow way.
    fn brute_normaliser(x: &[f64], w: &[f64], r: &[f64], range: f64) -> f64 {
        let n = x.len();
        let d = |k: usize, a: usize| ((x[k] - x[a]).abs() / range).powf(r[k]);
        let mut total = 0.0;
        for (k, wk) in w.iter().enumerate() {
            for a in 0..n {
                for b in 0..n {
                    total += (wk * (d(k, b) - d(k, a))).abs();
                }
            }
        }
        total
    }

    #[test]
    fn the_fast_normaliser_equals_the_definition() {
        let x: [f64; 11] = [4.0, 7.0, 4.0, 4.0, 10.0, 10.0, 10.0, 7.0, 4.0, 7.0, 1.5];
        let w = [0.3, 0.1, 0.2, 0.5, 0.4, 0.4, 0.6, 0.05, 0.2, 0.3, 0.7];
        let r = [1.0, 0.5, 2.0, 1.3, 0.8, 1.0, 1.7, 0.6, 1.1, 1.9, 0.9];
        let range = 8.5;
        let n = x.len();
        let mut dist = vec![0.0; n * n];
        for a in 0..n {
            for k in 0..n {
                dist[a * n + k] = ((x[k] - x[a]).abs() / range).powf(r[k]);
            }
        }
        let fast = full_normaliser(&dist, &w, n);
        let slow = brute_normaliser(&x, &w, &r, range);
        assert!((fast - slow).abs() < 1e-12 * slow, "{fast} vs {slow}");
    }

    #[test]
    fn the_sorted_prefix_votes_equal_the_plain_sums() {
        // Positions with ties, voters at midpoints, and varied exponents.
        let x: [f64; 9] = [4.0, 7.0, 4.0, 10.0, 5.5, 1.0, 7.0, 8.5, 2.5];
        let w = [0.3, 0.1, 0.2, 0.5, 0.4, 0.35, 0.6, 0.05, 0.2];
        let r = [1.0, 0.5, 2.0, 1.3, 0.8, 1.0, 1.7, 0.6, 1.1];
        let (n, range) = (x.len(), 9.0);
        let mut dist = vec![0.0; n * n];
        for a in 0..n {
            for k in 0..n {
                dist[a * n + k] = ((x[k] - x[a]).abs() / range).powf(r[k]);
            }
        }
        let votes = Votes::new(&x, &w, &dist);
        for i in 0..n {
            for j in 0..n {
                if x[i] == x[j] {
                    continue;
                }
                let plain_i: f64 = (0..n)
                    .map(|k| (w[k] * (dist[j * n + k] - dist[i * n + k])).max(0.0))
                    .sum();
                let plain_j: f64 = (0..n)
                    .map(|k| (w[k] * (dist[i * n + k] - dist[j * n + k])).max(0.0))
                    .sum();
                let (a, b) = votes.between(i, j);
                assert!(
                    (a - plain_i).abs() < 1e-12,
                    "{i} over {j}: {a} vs {plain_i}"
                );
                assert!(
                    (b - plain_j).abs() < 1e-12,
                    "{j} over {i}: {b} vs {plain_j}"
                );
            }
        }
    }
}
