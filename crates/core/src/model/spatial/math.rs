//! The scalar building blocks of KTAB's SMP: votes, coalitions, victory
//! probabilities, the probabilistic Condorcet election, risk attitudes and
//! the salience-weighted distance and utility. Every sum runs in index
//! order and every expression keeps KTAB's association, so that results are
//! the same bits as KTAB's wherever the reference log can tell.

use super::SpatialError;
use super::config::{PceModel, RiskAdjust, RiskRange, VictoryProbability, VotingRule};

/// Floor of every coalition strength, so that no victory probability is 0/0.
pub(crate) const MIN_COALITION: f64 = 1e-8;

/// Floor of the principals' coalitions in a challenge (KTAB uses a smaller
/// one there than in `MIN_COALITION`).
pub(crate) const MIN_CHALLENGE_COALITION: f64 = 1e-10;

/// Half-width of the ramp of the binary voting rule.
const BINARY_RAMP: f64 = 1e-8;

/// Iteration cap of the Markov PCEs (KTAB throws past it).
const MARKOV_MAX_ITERATIONS: usize = 1000;

/// The vote of a voter of weight `weight` for option a over option b, given
/// its utilities `u_a`, `u_b` for them.
pub(crate) fn vote(rule: VotingRule, weight: f64, u_a: f64, u_b: f64) -> f64 {
    let du = u_a - u_b;
    let binary = (du / BINARY_RAMP).clamp(-1.0, 1.0);
    let cubic = du * du * du;
    // KTAB's hybrid weights: 0.2 of binary, half of cubic.
    let prop_bin = 0.2;
    let prop_cubic = 0.5;
    match rule {
        VotingRule::Binary => weight * binary,
        VotingRule::PropBin => weight * ((1.0 - prop_bin) * du + prop_bin * binary),
        VotingRule::Proportional => weight * du,
        VotingRule::PropCubic => weight * ((1.0 - prop_cubic) * du + prop_cubic * cubic),
        VotingRule::Cubic => weight * cubic,
        VotingRule::AsymmetricProspect => {
            if du < 0.0 {
                weight * du
            } else if du > 0.0 {
                (2.0 * weight * du) / 3.0
            } else {
                0.0
            }
        }
    }
}

fn fourth(x: f64) -> f64 {
    x * x * x * x
}

/// Probabilities that coalitions of strengths `s1`, `s2` beat each other.
pub(crate) fn victory_pair(model: VictoryProbability, s1: f64, s2: f64) -> (f64, f64) {
    let (x1, x2) = match model {
        VictoryProbability::Linear => (s1, s2),
        VictoryProbability::Square => (s1 * s1, s2 * s2),
        VictoryProbability::Quartic => (fourth(s1), fourth(s2)),
        VictoryProbability::Octic => {
            let (q1, q2) = (fourth(s1), fourth(s2));
            (q1 * q1, q2 * q2)
        }
        VictoryProbability::Binary => {
            // A 10% advantage is certain victory; between the thresholds
            // the share of strength is rescaled linearly onto [0, 1].
            let threshold = 1.10;
            let floor = 1e-6;
            if s1 >= threshold * s2 {
                (1.0, floor)
            } else if s2 >= threshold * s1 {
                (floor, 1.0)
            } else {
                let share = s1 / (s1 + s2);
                let p = (share * (threshold + 1.0) - 1.0) / (threshold - 1.0);
                (p, 1.0 - p)
            }
        }
    };
    (x1 / (x1 + x2), x2 / (x1 + x2))
}

/// The m×m (row-major) matrix of coalition strengths: entry (i, j) is
/// `MIN_COALITION` plus the positive votes of the `voters` for option i over
/// option j; the diagonal is `MIN_COALITION`. `vote(k, i, j)` is voter k's
/// vote for i over j. Only the lower triangle is polled, as KTAB does, so an
/// asymmetric rule counts each voter's vote for the later option.
pub(crate) fn coalitions(
    voters: usize,
    options: usize,
    vote: impl Fn(usize, usize, usize) -> f64,
) -> Vec<f64> {
    let mut c = vec![0.0; options * options];
    for i in 0..options {
        for j in 0..i {
            let mut c_ij = MIN_COALITION;
            let mut c_ji = MIN_COALITION;
            for k in 0..voters {
                let v = vote(k, i, j);
                if v > 0.0 {
                    c_ij += v;
                }
                if v < 0.0 {
                    c_ji -= v;
                }
            }
            c[i * options + j] = c_ij;
            c[j * options + i] = c_ji;
        }
        c[i * options + i] = MIN_COALITION;
    }
    c
}

/// The m×m matrix of P(option i beats option j) from coalition strengths;
/// the diagonal is ½.
pub(crate) fn victory_matrix(model: VictoryProbability, c: &[f64], m: usize) -> Vec<f64> {
    let mut p = vec![0.0; m * m];
    for i in 0..m {
        for j in 0..i {
            let (p_ij, p_ji) = victory_pair(model, c[i * m + j], c[j * m + i]);
            p[i * m + j] = p_ij;
            p[j * m + i] = p_ji;
        }
        p[i * m + i] = 0.5;
    }
    p
}

/// Outcome of a probabilistic Condorcet election over m options.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Pce {
    /// Probability of each option.
    pub(crate) probability: Vec<f64>,
    /// P(i beats j), m×m row-major.
    pub(crate) victory: Vec<f64>,
}

/// The PCE over `c`, the m×m coalition matrix.
pub(crate) fn condorcet(
    pce: PceModel,
    victory_model: VictoryProbability,
    c: &[f64],
    m: usize,
) -> Result<Pce, SpatialError> {
    let victory = victory_matrix(victory_model, c, m);
    let probability = match pce {
        PceModel::Conditional => conditional(&victory, m),
        PceModel::MarkovIncentive => markov_incentive(c, &victory, m)?,
        PceModel::MarkovUniform => markov_uniform(&victory, m)?,
    };
    Ok(Pce {
        probability,
        victory,
    })
}

/// Probability that each option beats all others, conditional on one doing.
fn conditional(victory: &[f64], m: usize) -> Vec<f64> {
    let mut p: Vec<f64> = (0..m)
        .map(|i| {
            victory[i * m..(i + 1) * m]
                .iter()
                .fold(1.0, |acc, v| acc * v)
        })
        .collect();
    let total: f64 = p.iter().fold(0.0, |acc, x| acc + x);
    for x in &mut p {
        *x /= total;
    }
    p
}

fn markov_incentive(c: &[f64], victory: &[f64], m: usize) -> Result<Vec<f64>, SpatialError> {
    // The incentive for i to challenge j, and from it the probability that
    // i is the challenger when j is the favourite. The tiny self-incentive
    // keeps a column that nobody would challenge from dividing by zero.
    let self_support = 1e-10;
    let incentive: Vec<f64> = (0..m * m)
        .map(|ij| {
            let x = c[ij] * victory[ij];
            if ij / m == ij % m {
                x + self_support
            } else {
                x
            }
        })
        .collect();
    let mut challenge = vec![0.0; m * m];
    for j in 0..m {
        let total = (0..m).fold(0.0, |acc, k| acc + incentive[k * m + j]);
        for i in 0..m {
            challenge[i * m + j] = incentive[i * m + j] / total;
        }
    }
    let tolerance = 1e-8;
    iterate(m, tolerance, |p, q| {
        let flow = |i: usize, j: usize| p[i] * challenge[j * m + i];
        for (i, qi) in q.iter_mut().enumerate() {
            *qi = (0..m).fold(0.0, |acc, j| {
                acc + victory[i * m + j] * (flow(i, j) + flow(j, i))
            });
        }
    })
}

fn markov_uniform(victory: &[f64], m: usize) -> Result<Vec<f64>, SpatialError> {
    let tolerance = 1e-6;
    let options = m as f64;
    iterate(m, tolerance, |p, q| {
        for (i, qi) in q.iter_mut().enumerate() {
            let sum = (0..m).fold(0.0, |acc, j| acc + victory[i * m + j] * (p[i] + p[j]));
            *qi = sum / options;
        }
    })
}

/// Averaged fixed-point iteration from the uniform distribution: `next`
/// fills q from p, then p becomes (p + q)/2, until no entry of q differs
/// from p by more than `tolerance`.
fn iterate(
    m: usize,
    tolerance: f64,
    next: impl Fn(&[f64], &mut [f64]),
) -> Result<Vec<f64>, SpatialError> {
    let mut p = vec![1.0 / m as f64; m];
    let mut q = vec![0.0; m];
    for _ in 0..MARKOV_MAX_ITERATIONS {
        next(&p, &mut q);
        let change = p
            .iter()
            .zip(&q)
            .fold(0.0, |acc: f64, (a, b)| acc.max(libm::fabs(b - a)));
        for (a, b) in p.iter_mut().zip(&q) {
            *a = (*a + b) / 2.0;
        }
        if change <= tolerance {
            return Ok(p);
        }
    }
    Err(SpatialError::PceDidNotConverge { options: m })
}

/// A PCE over m options judged by n voters: `weight[k]` is voter k's weight
/// and `utility[k·m + i]` its utility for option i.
pub(crate) fn scalar_pce(
    rule: VotingRule,
    victory_model: VictoryProbability,
    pce: PceModel,
    weight: &[f64],
    utility: &[f64],
    m: usize,
) -> Result<Pce, SpatialError> {
    let n = weight.len();
    let c = coalitions(n, m, |k, i, j| {
        vote(rule, weight[k], utility[k * m + i], utility[k * m + j])
    });
    condorcet(pce, victory_model, &c, m)
}

/// Risk attitudes from the probabilities of the actors' positions, rescaled
/// onto the range: the most probable gets +1. If every probability is the
/// same (every position equivalent), KTAB would divide 0 by 0; here every
/// actor is then risk neutral.
pub(crate) fn risk_from_probability(range: RiskRange, p: &[f64]) -> Vec<f64> {
    let mut lo = 1.0;
    let mut hi = 0.0;
    for &x in p {
        lo = if x < lo { x } else { lo };
        hi = if x > hi { x } else { hi };
    }
    let spread = hi - lo;
    p.iter()
        .map(|&x| {
            if spread <= 0.0 {
                return 0.0;
            }
            match range {
                RiskRange::Min => (x - lo) / spread,
                RiskRange::Mid => (3.0 * x - (hi + 2.0 * lo)) / (2.0 * spread),
                RiskRange::Max => (2.0 * x - (hi + lo)) / spread,
            }
        })
        .collect()
}

/// Actor h's estimate of actor i's risk attitude.
pub(crate) fn estimated_risk(adjust: RiskAdjust, r_h: f64, r_i: f64) -> f64 {
    match adjust {
        RiskAdjust::Full => r_i,
        RiskAdjust::TwoThirds => (r_h + (2.0 * r_i)) / 3.0,
        RiskAdjust::Half => (r_h + r_i) / 2.0,
        RiskAdjust::OneThird => ((2.0 * r_h) + r_i) / 3.0,
        RiskAdjust::NoAdjustment => r_h,
    }
}

/// Utility of a position at weighted distance `d` (0 ≤ d ≤ 1) to an actor
/// of risk attitude `r`: `(1 − d)(1 + d r)`, concave for r > 0.
pub(crate) fn utility(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        // Round-off can push d a hair past 1.
        (1.0 - d) * (1.0 + r)
    }
}

/// Salience-weighted distance from `ideal` to `position`:
/// `sqrt(Σ (s_k (x_k − y_k))² / Σ s_k²)`.
pub(crate) fn distance(ideal: &[f64], position: &[f64], salience: &[f64]) -> f64 {
    let mut weighted = 0.0;
    let mut norm = 0.0;
    for ((x, y), s) in ideal.iter().zip(position).zip(salience) {
        let ds = (x - y) * s;
        weighted += ds * ds;
        norm += s * s;
    }
    libm::sqrt(weighted / norm)
}

/// Euclidean norm of a − b.
pub(crate) fn euclid(a: &[f64], b: &[f64]) -> f64 {
    let sum = a.iter().zip(b).fold(0.0, |acc, (x, y)| {
        let d = x - y;
        acc + d * d
    });
    libm::sqrt(sum)
}
