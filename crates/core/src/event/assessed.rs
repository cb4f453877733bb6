//! What a model reports of a round besides its moves: the spatial model's
//! assessment of the state it starts from, and the exchange model's round.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Id;

/// The spatial model's view of a state of the bargaining (KTAB's per-state
/// output): in round 1 the opening state's, then each round's end state's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateAssessed {
    /// The state: 0 for the positions bargaining opened with, r for those
    /// round r ended with.
    pub state: u32,
    /// Actor id → the probability that its position wins a probabilistic
    /// Condorcet election among all positions (actors sharing a position
    /// share its probability, so these may sum past 1).
    pub win_probabilities: BTreeMap<Id, f64>,
    /// Actor id → its risk attitude (−1 risk-seeking … +1 risk-averse).
    pub risk: BTreeMap<Id, f64>,
}

/// What one round of the exchange model did.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRound {
    /// Candidate exchanges built (valid or not).
    pub candidates: u64,
    /// Exchanges realised (each also logged as an accepted package).
    pub realised: u64,
    /// Ties between the best two exchanges, settled by the run's stream.
    pub ties: u64,
    /// Issue id → the capability×salience weighted outcome of the round's
    /// voting positions (the package's round outcome).
    pub outcomes: BTreeMap<Id, f64>,
}
