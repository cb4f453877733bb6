//! A state as the actors see it: salience-weighted distances, risk
//! attitudes inferred from how likely each position is, every actor's
//! estimate of every utility, and the challenges those estimates suggest.

use super::config::{SpatialConfig, ThirdParty};
use super::math::{self, MIN_CHALLENGE_COALITION};
use super::{SpatialError, SpatialInput};

/// Positions closer than this (Euclidean, on the 0–1 scale) are the same
/// option when the state's probabilities are computed (KTAB's `posTol`: 0.1
/// on the 0–100 scale).
pub(crate) const SAME_POSITION: f64 = 1e-3;

/// Smallest expected gain that makes a challenge worth proposing.
const MIN_GAIN: f64 = 1e-5;

/// One state, assessed.
#[derive(Debug)]
pub(crate) struct Assessed<'a> {
    pub(crate) config: SpatialConfig,
    pub(crate) input: SpatialInput<'a>,
    pub(crate) n: usize,
    pub(crate) d: usize,
    /// Σ_k salience of each actor.
    pub(crate) total_salience: Vec<f64>,
    /// Distance from actor i's position (its ideal: KTAB's ideals track
    /// positions under the identity accommodation matrix) to actor j's,
    /// weighted by i's saliences; n×n.
    diff: Vec<f64>,
    /// Risk attitude of each actor.
    pub(crate) risk: Vec<f64>,
}

impl<'a> Assessed<'a> {
    /// Distances, then risk attitudes from a PCE over the actors'
    /// positions as risk-neutral actors value them, weighted by capability.
    pub(crate) fn new(
        config: SpatialConfig,
        input: SpatialInput<'a>,
        n: usize,
        d: usize,
    ) -> Result<Assessed<'a>, SpatialError> {
        let total_salience = (0..n)
            .map(|i| {
                input.salience[i * d..(i + 1) * d]
                    .iter()
                    .fold(0.0, |a, s| a + s)
            })
            .collect();
        let mut diff = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                diff[i * n + j] = math::distance(
                    &input.position[i * d..(i + 1) * d],
                    &input.position[j * d..(j + 1) * d],
                    &input.salience[i * d..(i + 1) * d],
                );
            }
        }
        let neutral: Vec<f64> = diff.iter().map(|&x| math::utility(x, 0.0)).collect();
        let pce = math::scalar_pce(
            config.voting,
            config.victory,
            config.pce,
            input.capability,
            &neutral,
            n,
        )?;
        let risk = math::risk_from_probability(config.risk_range, &pce.probability);
        Ok(Assessed {
            config,
            input,
            n,
            d,
            total_salience,
            diff,
            risk,
        })
    }

    /// Position of actor i.
    pub(crate) fn position(&self, i: usize) -> &'a [f64] {
        &self.input.position[i * self.d..(i + 1) * self.d]
    }

    /// Saliences of actor i.
    pub(crate) fn salience(&self, i: usize) -> &'a [f64] {
        &self.input.salience[i * self.d..(i + 1) * self.d]
    }

    /// Actor h's estimate of the utility to actor i of actor j's position.
    pub(crate) fn util(&self, h: usize, i: usize, j: usize) -> f64 {
        let r = math::estimated_risk(self.config.risk_adjust, self.risk[h], self.risk[i]);
        math::utility(self.diff[i * self.n + j], r)
    }

    /// Utility to actor i of an arbitrary position, at i's own risk
    /// attitude.
    pub(crate) fn own_util(&self, i: usize, position: &[f64]) -> f64 {
        let d = math::distance(self.position(i), position, self.salience(i));
        math::utility(d, self.risk[i])
    }

    /// Whether actors i and j hold the same position, for the state's
    /// probabilities.
    fn same(&self, i: usize, j: usize) -> bool {
        math::euclid(self.position(i), self.position(j)) < SAME_POSITION
    }

    /// Probability that each actor's position wins: a PCE over the distinct
    /// positions (first holder of each), every actor voting its own
    /// utilities with its capability; an actor gets the probability of the
    /// last distinct position its own is equivalent to (as KTAB does).
    pub(crate) fn win_probability(&self) -> Result<Vec<f64>, SpatialError> {
        let mut unique: Vec<usize> = Vec::new();
        for i in 0..self.n {
            if !unique.iter().any(|&u| self.same(i, u)) {
                unique.push(i);
            }
        }
        let m = unique.len();
        let mut utility = vec![0.0; self.n * m];
        for i in 0..self.n {
            for (c, &u) in unique.iter().enumerate() {
                utility[i * m + c] = self.util(i, i, u);
            }
        }
        let pce = math::scalar_pce(
            self.config.voting,
            self.config.victory,
            self.config.pce,
            self.input.capability,
            &utility,
            m,
        )?;
        Ok((0..self.n)
            .map(|i| {
                let slot = unique.iter().rposition(|&u| self.same(i, u)).unwrap_or(0);
                pce.probability[slot]
            })
            .collect())
    }

    /// Actor h's estimate of the probability that i beats j if i challenges
    /// j, and of the expected change in k's utility from that challenge
    /// compared with the status quo.
    pub(crate) fn challenge(&self, h: usize, k: usize, i: usize, j: usize) -> (f64, f64) {
        let rule = self.config.voting;
        let u = |a: usize, b: usize| self.util(h, a, b);
        let status_quo = u(k, i) + u(k, j);
        let i_wins = u(k, i) + u(k, i);
        let j_wins = u(k, j) + u(k, j);
        let (s_i, s_j) = (self.total_salience[i], self.total_salience[j]);
        let (c_i, c_j) = (self.input.capability[i], self.input.capability[j]);

        // The principals weigh in with their capability times salience.
        let from_i = math::vote(rule, s_i * c_i, u(i, i), u(i, j));
        let from_j = math::vote(rule, s_j * c_j, u(j, i), u(j, j));
        let mut for_i = MIN_CHALLENGE_COALITION;
        let mut for_j = MIN_CHALLENGE_COALITION;
        add_vote(&mut for_i, &mut for_j, from_i);
        add_vote(&mut for_i, &mut for_j, from_j);
        let (principal_i, principal_j) = (for_i, for_j);

        // Each third party judges the little contest of the principals and
        // itself alone, then votes on the expected outcome of joining.
        for n in (0..self.n).filter(|&n| n != i && n != j) {
            let w = self.total_salience[n] * self.input.capability[n];
            let (u_ni, u_nj, u_nn) = (u(n, i), u(n, j), u(n, n));
            let own = math::vote(rule, w, u_ni, u_nj);
            let little_i = if own > 0.0 {
                principal_i + own
            } else {
                principal_i
            };
            let little_j = if own < 0.0 {
                principal_j - own
            } else {
                principal_j
            };
            let p_i = little_i / (little_i + little_j);
            let p_j = 1.0 - p_i;
            let v = third_party_vote(self.config.third_party, rule, w, p_i, p_j, u_ni, u_nj, u_nn);
            add_vote(&mut for_i, &mut for_j, v);
        }

        let p_ij = for_i / (for_i + for_j);
        let p_ji = for_j / (for_i + for_j);
        let contest = p_ij * i_wins + p_ji * j_wins;
        // j resists in proportion to its salience; otherwise it yields.
        let challenge = (1.0 - s_j) * i_wins + s_j * contest;
        (p_ij, challenge - status_quo)
    }

    /// Actor i's best target: the first j (in index order) with the largest
    /// expected gain above `MIN_GAIN`, with i's probability of beating it
    /// and the gain; `None` if no challenge is worth it.
    pub(crate) fn best_challenge(&self, i: usize) -> Option<(usize, f64, f64)> {
        let mut best: Option<(usize, f64, f64)> = None;
        let mut best_gain = -1.0;
        for j in (0..self.n).filter(|&j| j != i) {
            let (p, gain) = self.challenge(i, i, i, j);
            if MIN_GAIN < gain && best_gain < gain {
                best = Some((j, p, gain));
                best_gain = gain;
            }
        }
        best
    }
}

fn add_vote(for_i: &mut f64, for_j: &mut f64, v: f64) {
    if v > 0.0 {
        *for_i += v;
    }
    if v < 0.0 {
        *for_j -= v;
    }
}

/// A third party's vote between joining i and joining j, from the sums of
/// its utilities over the three positions (its own, i's, j's) after each
/// outcome of each little contest. Terms common to every outcome cancel, so
/// only the three positions in play are summed.
#[allow(clippy::too_many_arguments)]
fn third_party_vote(
    commit: ThirdParty,
    rule: super::config::VotingRule,
    w: f64,
    p_i: f64,
    p_j: f64,
    u_i: f64,
    u_j: f64,
    u_own: f64,
) -> f64 {
    let all_i = u_i + u_i + u_i;
    let all_j = u_j + u_j + u_j;
    let (joined_i_wins, joined_i_loses, joined_j_wins, joined_j_loses) = match commit {
        ThirdParty::FullCommit => (all_i, all_j, all_j, all_i),
        ThirdParty::SemiCommit => (u_i + u_i + u_own, all_j, u_j + u_j + u_own, all_i),
        ThirdParty::NoCommit => (
            u_i + u_i + u_own,
            u_j + u_j + u_own,
            u_j + u_j + u_own,
            u_i + u_i + u_own,
        ),
    };
    let join_i = (p_i * joined_i_wins) + (p_j * joined_i_loses);
    let join_j = (p_i * joined_j_loses) + (p_j * joined_j_wins);
    math::vote(rule, w, join_i, join_j)
}
