//! KTAB's Spatial Model of Politics (SMP), re-implemented as a pure kernel.
//!
//! Actors hold positions in `[0, 1]^d` (KTAB reads 0–100 and divides by
//! 100; so must the caller: see [`csv::SpatialScenario::unit_positions`]),
//! with a salience per dimension (total at most 1) and a capability. One
//! step of the model, from one state of positions to the next:
//!
//! 1. **Assess.** Actor i values actor j's position by the salience-weighted
//!    distance `d_ij = sqrt(Σ_k (s_ik (x_ik − x_jk))² / Σ_k s_ik²)` and the
//!    utility `u = (1 − d)(1 + d r)`. A probabilistic Condorcet election
//!    (PCE) over the actors' positions, valued risk-neutrally and voted with
//!    capabilities, gives each position a probability; rescaling those onto
//!    the risk range gives each actor's risk attitude `r_i` (the likeliest
//!    is risk averse, +1). Actor h estimates i's attitude as a blend of r_h
//!    and r_i.
//! 2. **Challenge.** Each actor, with its own estimates, scores a challenge
//!    against every other: the probability of winning the contest (the
//!    principals vote capability × salience, third parties vote on the
//!    expected outcome of joining, given their commitment), and the
//!    expected gain over the status quo. It targets the best, if any gain
//!    exceeds 10⁻⁵.
//! 3. **Bargain.** The challenger proposes a bargain: both partners move
//!    towards each other on every dimension, weighted by (salience ×
//!    probability)², rounded to 4 decimals. The bargain joins both partners'
//!    queues; every queue also holds its owner's status quo.
//! 4. **Resolve.** For each queue, a PCE among all actors (capability
//!    weights, each valuing the mean utility of the whole state the option
//!    would make) picks the likeliest option; the queue's owner adopts its
//!    side of it (see [`Resolution`]).
//!
//! A run repeats steps until [`should_stop`]: at most 100 steps; from the
//! second on, stop as soon as a step's total movement (the sum over actors
//! of the Euclidean distance moved, 0–1 scale) is below 2% of the first
//! step's (plus 10⁻⁴).
//!
//! # Complexity
//!
//! Per step, with n actors and d dimensions: distances O(n² d); the risk
//! PCE O(n³) (n options, n voters); challenges O(n³) (each of n actors
//! scores n − 1 targets, each with n third parties); bargains O(n d);
//! queues hold n + 2·(bargains) ≤ 3n options in all, and resolving them
//! costs O(n² (n + d)) for the utilities plus O(n · Σ q_k²) ≤ O(n³) for the
//! PCEs; the win probabilities O(n³). In all **O(n³ + n² d)** time and
//! O(n² + n d) memory (the n×n×n estimated utilities are computed on
//! demand, never stored). The Markov PCE variants multiply each PCE's
//! O(m²) by their iteration count (at most 1000).
//!
//! # Determinism
//!
//! No I/O, clock, randomness or hash-map order; sums run in index order in
//! KTAB's association; `sqrt` and `fabs` come from `libm`, no other
//! transcendental function is needed. Results are the same bits on every
//! IEEE-754 machine.

pub mod config;
pub mod csv;

mod bargain;
mod math;
mod model;
mod state;

#[cfg(test)]
mod engine_tests;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod reproduce;
#[cfg(test)]
mod tests;

pub use config::{
    Interpolation, PceModel, Resolution, RiskAdjust, RiskRange, SpatialConfig, ThirdParty,
    VictoryProbability, VotingRule,
};

pub use model::SpatialModel;
use state::Assessed;

/// KTAB's minimum number of actors.
pub const MIN_ACTORS: usize = 3;
/// KTAB's cap on the number of steps of a run.
pub const MAX_ITERATIONS: usize = 100;
/// Steps always taken before the quiet test applies.
pub const MIN_ITERATIONS: usize = 2;
/// A step moving less than this fraction of the first step is quiet.
pub const QUIET_RATIO: f64 = 0.02;
/// Added to the first step's movement so that a still first step does not
/// divide by zero.
pub const MIN_SIGNIFICANT_MOVE: f64 = 1e-4;

/// Round-off allowed on an actor's total salience.
const SALIENCE_SLACK: f64 = 1e-9;

/// One state's data. Positions and saliences are n×d, row-major (actor by
/// actor), on the 0–1 scale.
#[derive(Clone, Copy, Debug)]
pub struct SpatialInput<'a> {
    /// Capability of each actor (> 0).
    pub capability: &'a [f64],
    /// Position of each actor on each dimension, in [0, 1].
    pub position: &'a [f64],
    /// Salience of each dimension to each actor, in [0, 1]; each actor's
    /// total in (0, 1].
    pub salience: &'a [f64],
}

/// Why the kernel refused an input.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpatialError {
    /// Fewer actors than KTAB allows.
    #[error("the spatial model needs at least {min} actors, got {got}")]
    TooFewActors {
        /// Actors given.
        got: usize,
        /// Minimum.
        min: usize,
    },
    /// The positions are not n×d with d ≥ 1, or the saliences differ in shape.
    #[error("{what} has {got} values, which is not n × d for n = {actors} actors and d ≥ 1")]
    Shape {
        /// Which slice.
        what: &'static str,
        /// Its length.
        got: usize,
        /// Number of actors.
        actors: usize,
    },
    /// A capability that is not a positive number.
    #[error("actor {actor}: capability {value} is not positive")]
    Capability {
        /// Actor index.
        actor: usize,
        /// The value.
        value: f64,
    },
    /// A position outside [0, 1].
    #[error("actor {actor}, dimension {dimension}: position {value} is outside [0, 1]")]
    Position {
        /// Actor index.
        actor: usize,
        /// Dimension index.
        dimension: usize,
        /// The value.
        value: f64,
    },
    /// A salience outside [0, 1].
    #[error("actor {actor}, dimension {dimension}: salience {value} is outside [0, 1]")]
    Salience {
        /// Actor index.
        actor: usize,
        /// Dimension index.
        dimension: usize,
        /// The value.
        value: f64,
    },
    /// Saliences of one actor summing to 0 or to more than 1.
    #[error("actor {actor}: total salience {total} is outside (0, 1]")]
    TotalSalience {
        /// Actor index.
        actor: usize,
        /// The sum.
        total: f64,
    },
    /// A Markov PCE that did not settle in 1000 iterations.
    #[error("the Markov PCE over {options} options did not converge")]
    PceDidNotConverge {
        /// Number of options.
        options: usize,
    },
}

/// A challenge an actor chose, with the four estimates KTAB logs for it
/// (`Est by h of prob p that [i>j], with expected gain to k of g`).
#[derive(Clone, Debug, PartialEq)]
pub struct Challenge {
    /// The target j.
    pub target: usize,
    /// The initiator's expected gain from challenging (its best).
    pub value: f64,
    /// The initiator's estimate that it beats the target.
    pub probability: f64,
    /// The initiator's estimate of the target's expected gain.
    pub target_gain: f64,
    /// The target's estimate that the initiator beats it.
    pub target_probability: f64,
    /// The target's estimate of the initiator's expected gain.
    pub target_view_of_initiator_gain: f64,
    /// The target's estimate of its own expected gain.
    pub target_view_of_target_gain: f64,
}

/// A proposed bargain: the positions offered to its two partners.
#[derive(Clone, Debug, PartialEq)]
pub struct Bargain {
    /// Who proposed it.
    pub initiator: usize,
    /// Whom it was proposed to.
    pub receiver: usize,
    /// Position the initiator would take (0–1 scale).
    pub initiator_position: Vec<f64>,
    /// Position the receiver would take.
    pub receiver_position: Vec<f64>,
}

/// An option in an actor's queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueOption {
    /// Keep the present position.
    StatusQuo,
    /// A bargain, by index into [`SpatialStep::bargains`].
    Bargain(usize),
}

/// One actor's queue and its resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Queue {
    /// The options: status quo first, then bargains by initiator index.
    pub options: Vec<QueueOption>,
    /// PCE probability of each option.
    pub probability: Vec<f64>,
    /// P(option i beats option j), m×m row-major.
    pub victory: Vec<f64>,
    /// Index of the chosen option.
    pub chosen: usize,
}

/// What a state is worth before anyone moves.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// Each actor's risk attitude in this state.
    pub risk: Vec<f64>,
    /// Probability that each actor's position wins (actors sharing a
    /// position share its probability, so these may sum past 1).
    pub win_probability: Vec<f64>,
}

/// One step from a state to the next.
#[derive(Clone, Debug, PartialEq)]
pub struct SpatialStep {
    /// Risk attitudes and win probabilities of the state the step starts
    /// from.
    pub assessment: Assessment,
    /// Each actor's chosen challenge, if any was worth making.
    pub challenges: Vec<Option<Challenge>>,
    /// The bargains proposed, by initiator index.
    pub bargains: Vec<Bargain>,
    /// Each actor's queue and choice.
    pub queues: Vec<Queue>,
    /// The new positions, n×d row-major, 0–1 scale.
    pub positions: Vec<f64>,
    /// Σ over actors of the Euclidean distance moved (0–1 scale).
    pub movement: f64,
}

/// Check the input; returns (n, d).
fn validate(input: &SpatialInput<'_>) -> Result<(usize, usize), SpatialError> {
    let n = input.capability.len();
    if n < MIN_ACTORS {
        return Err(SpatialError::TooFewActors {
            got: n,
            min: MIN_ACTORS,
        });
    }
    let shape = |what, got: usize| SpatialError::Shape {
        what,
        got,
        actors: n,
    };
    if input.position.is_empty() || !input.position.len().is_multiple_of(n) {
        return Err(shape("position", input.position.len()));
    }
    if input.salience.len() != input.position.len() {
        return Err(shape("salience", input.salience.len()));
    }
    let d = input.position.len() / n;
    for (actor, &value) in input.capability.iter().enumerate() {
        if !(value > 0.0 && value.is_finite()) {
            return Err(SpatialError::Capability { actor, value });
        }
    }
    for actor in 0..n {
        let mut total = 0.0;
        for dimension in 0..d {
            let value = input.position[actor * d + dimension];
            if !(0.0..=1.0).contains(&value) {
                return Err(SpatialError::Position {
                    actor,
                    dimension,
                    value,
                });
            }
            let value = input.salience[actor * d + dimension];
            if !(0.0..=1.0).contains(&value) {
                return Err(SpatialError::Salience {
                    actor,
                    dimension,
                    value,
                });
            }
            total += value;
        }
        // A CSV total of exactly 100 may sum a hair past 1 once divided.
        if !(total > 0.0 && total <= 1.0 + SALIENCE_SLACK) {
            return Err(SpatialError::TotalSalience { actor, total });
        }
    }
    Ok((n, d))
}

/// Risk attitudes and win probabilities of a state (what a step reports for
/// the state it starts from; use it for the state a run ends in).
pub fn assess(config: &SpatialConfig, input: SpatialInput<'_>) -> Result<Assessment, SpatialError> {
    let (n, d) = validate(&input)?;
    let state = Assessed::new(*config, input, n, d)?;
    Ok(Assessment {
        win_probability: state.win_probability()?,
        risk: state.risk,
    })
}

/// One step of the model from the state `input`: O(n³ + n² d) for n actors
/// on d dimensions (see the module's documentation).
pub fn step(config: &SpatialConfig, input: SpatialInput<'_>) -> Result<SpatialStep, SpatialError> {
    let (n, d) = validate(&input)?;
    let state = Assessed::new(*config, input, n, d)?;
    let mut challenges = Vec::with_capacity(n);
    let mut bargains = Vec::new();
    for i in 0..n {
        let Some((j, probability, value)) = state.best_challenge(i) else {
            challenges.push(None);
            continue;
        };
        let (_, target_gain) = state.challenge(i, j, i, j);
        let (target_probability, target_view_of_initiator_gain) = state.challenge(j, i, i, j);
        let (_, target_view_of_target_gain) = state.challenge(j, j, i, j);
        challenges.push(Some(Challenge {
            target: j,
            value,
            probability,
            target_gain,
            target_probability,
            target_view_of_initiator_gain,
            target_view_of_target_gain,
        }));
        bargains.push(bargain::propose(&state, i, j, probability));
    }
    let queues = bargain::queues(n, &bargains)
        .into_iter()
        .map(|options| bargain::resolve_queue(&state, &bargains, options))
        .collect::<Result<Vec<Queue>, SpatialError>>()?;
    let mut positions = Vec::with_capacity(n * d);
    let mut movement = 0.0;
    for k in 0..n {
        let next = bargain::next_position(&state, &bargains, &queues, k);
        movement += math::euclid(&next, state.position(k));
        positions.extend(next);
    }
    Ok(SpatialStep {
        assessment: Assessment {
            win_probability: state.win_probability()?,
            risk: state.risk.clone(),
        },
        challenges,
        bargains,
        queues,
        positions,
        movement,
    })
}

/// KTAB's stopping rule, given the movement of every step taken so far (in
/// order): stop after `max_iterations` steps, or, from the second step on,
/// when the last step moved less than 2% of the first (plus 10⁻⁴).
pub fn should_stop(movements: &[f64], max_iterations: usize) -> bool {
    let (Some(first), Some(last)) = (movements.first(), movements.last()) else {
        return max_iterations == 0;
    };
    let steps = movements.len();
    let quiet = last / (first + MIN_SIGNIFICANT_MOVE) < QUIET_RATIO;
    max_iterations <= steps || (MIN_ITERATIONS <= steps && quiet)
}

/// Steps from `input` until [`should_stop`] (KTAB uses `max_iterations` =
/// [`MAX_ITERATIONS`]). The positions of step t + 1 are those step t
/// produced; the run's final positions are the last step's `positions`.
pub fn run(
    config: &SpatialConfig,
    input: SpatialInput<'_>,
    max_iterations: usize,
) -> Result<Vec<SpatialStep>, SpatialError> {
    let mut steps: Vec<SpatialStep> = Vec::new();
    let mut movements = Vec::new();
    while !should_stop(&movements, max_iterations) {
        let positions = steps.last().map(|s| s.positions.clone());
        let current = SpatialInput {
            position: positions.as_deref().unwrap_or(input.position),
            ..input
        };
        let next = step(config, current)?;
        movements.push(next.movement);
        steps.push(next);
    }
    Ok(steps)
}
