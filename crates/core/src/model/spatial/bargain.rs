//! Bargains: interpolating the two positions a challenger proposes, the
//! queue of options each actor faces, and the choice among them.

use super::config::{Interpolation, Resolution};
use super::math;
use super::state::Assessed;
use super::{Bargain, Queue, QueueOption, SpatialError};

/// Weight added to the initiator's side so that two actors who neither
/// care nor can coerce keep their own positions instead of dividing 0/0.
const MIN_WEIGHT: f64 = 1e-6;

/// Round to 4 decimals the way KTAB does: add ½ and truncate through a
/// C `int`. Positions are in [0, 1], so the truncation is a floor.
pub(crate) fn round4(x: f64) -> f64 {
    let scale = 10000.0;
    // `as i32` truncates toward zero like the C cast; positions never
    // approach i32's range.
    f64::from((0.5 + x * scale) as i32) / scale
}

/// Interpolate one dimension of a bargain between the initiator (position
/// `t_i`, salience `s_i`, probability `p_i` of prevailing) and the receiver.
/// Returns the positions proposed to the initiator and to the receiver.
fn interpolate_one(
    how: Interpolation,
    (t_i, s_i, p_i): (f64, f64, f64),
    (t_j, s_j, p_j): (f64, f64, f64),
) -> (f64, f64) {
    match how {
        Interpolation::S1P1 | Interpolation::S2P2 => {
            let (w_i, w_j) = if how == Interpolation::S1P1 {
                (s_i * p_i, s_j * p_j)
            } else {
                ((s_i * s_i) * (p_i * p_i), (s_j * s_j) * (p_j * p_j))
            };
            let total = w_i + MIN_WEIGHT + w_j;
            (
                round4(((w_i + MIN_WEIGHT) * t_i + w_j * t_j) / total),
                round4((w_i * t_i + (MIN_WEIGHT + w_j) * t_j) / total),
            )
        }
        Interpolation::S2PMax => {
            let d_i = if p_j > p_i { p_j - p_i } else { 0.0 };
            let d_j = if p_i > p_j { p_i - p_j } else { 0.0 };
            let (s_i2, s_j2) = (s_i * s_i, s_j * s_j);
            let k_i = (d_i * s_j2) / ((d_i * s_j2) + MIN_WEIGHT + ((1.0 - d_i) * s_i2));
            let k_j = (d_j * s_i2) / ((d_j * s_i2) + MIN_WEIGHT + ((1.0 - d_j) * s_j2));
            (t_i + k_i * (t_j - t_i), t_j + k_j * (t_i - t_j))
        }
    }
}

/// The bargain initiator i proposes to receiver j, given i's estimate `p`
/// that it would beat j.
pub(crate) fn propose(state: &Assessed<'_>, i: usize, j: usize, p: f64) -> Bargain {
    let how = state.config.interpolation;
    let (pos_i, pos_j) = (state.position(i), state.position(j));
    let (sal_i, sal_j) = (state.salience(i), state.salience(j));
    let mut initiator_position = Vec::with_capacity(state.d);
    let mut receiver_position = Vec::with_capacity(state.d);
    for k in 0..state.d {
        let (b_i, b_j) =
            interpolate_one(how, (pos_i[k], sal_i[k], p), (pos_j[k], sal_j[k], 1.0 - p));
        initiator_position.push(b_i);
        receiver_position.push(b_j);
    }
    Bargain {
        initiator: i,
        receiver: j,
        initiator_position,
        receiver_position,
    }
}

/// Each actor's queue: its status quo, then every bargain it initiates or
/// receives, in the order the bargains were proposed (initiator index).
pub(crate) fn queues(n: usize, bargains: &[Bargain]) -> Vec<Vec<QueueOption>> {
    let mut queues: Vec<Vec<QueueOption>> = vec![vec![QueueOption::StatusQuo]; n];
    for (b, bargain) in bargains.iter().enumerate() {
        queues[bargain.initiator].push(QueueOption::Bargain(b));
        queues[bargain.receiver].push(QueueOption::Bargain(b));
    }
    queues
}

/// Actor a's utility of the state an option would make: the mean over all
/// positions, with the bargain's two positions in place of its partners'.
fn option_utility(
    state: &Assessed<'_>,
    bargains: &[Bargain],
    a: usize,
    option: QueueOption,
) -> f64 {
    let n = state.n;
    let mut sum = 0.0;
    match option {
        QueueOption::StatusQuo => {
            for m in 0..n {
                sum += state.util(a, a, m);
            }
        }
        QueueOption::Bargain(b) => {
            let bargain = &bargains[b];
            sum += state.own_util(a, &bargain.initiator_position);
            sum += state.own_util(a, &bargain.receiver_position);
            for m in (0..n).filter(|&m| m != bargain.initiator && m != bargain.receiver) {
                sum += state.util(a, a, m);
            }
        }
    }
    sum / n as f64
}

/// The PCE over one actor's queue, every actor voting with its capability,
/// and the option chosen: the most probable, the first on a tie.
pub(crate) fn resolve_queue(
    state: &Assessed<'_>,
    bargains: &[Bargain],
    options: Vec<QueueOption>,
) -> Result<Queue, SpatialError> {
    let (n, m) = (state.n, options.len());
    let mut utility = vec![0.0; n * m];
    for a in 0..n {
        for (c, &option) in options.iter().enumerate() {
            utility[a * m + c] = option_utility(state, bargains, a, option);
        }
    }
    let config = state.config;
    let pce = math::scalar_pce(
        config.voting,
        config.victory,
        config.pce,
        state.input.capability,
        &utility,
        m,
    )?;
    let mut chosen = 0;
    let mut best = -1.0;
    for (c, p) in pce.probability.iter().enumerate() {
        if best < libm::fabs(*p) {
            best = libm::fabs(*p);
            chosen = c;
        }
    }
    Ok(Queue {
        options,
        probability: pce.probability,
        victory: pce.victory,
        chosen,
    })
}

/// Actor k's next position, given every queue's choice.
pub(crate) fn next_position(
    state: &Assessed<'_>,
    bargains: &[Bargain],
    queues: &[Queue],
    k: usize,
) -> Vec<f64> {
    let stay = state.position(k).to_vec();
    let queue = &queues[k];
    let QueueOption::Bargain(b) = queue.options[queue.chosen] else {
        return stay;
    };
    let bargain = &bargains[b];
    if state.config.resolution == Resolution::Mutual {
        let partner = if bargain.initiator == k {
            bargain.receiver
        } else {
            bargain.initiator
        };
        let theirs = &queues[partner];
        if theirs.options[theirs.chosen] != QueueOption::Bargain(b) {
            return stay;
        }
    }
    if bargain.initiator == k {
        bargain.initiator_position.clone()
    } else {
        bargain.receiver_position.clone()
    }
}
