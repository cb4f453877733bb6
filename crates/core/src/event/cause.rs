//! Why a position changed.

use serde::{Deserialize, Serialize};

use super::Id;

/// Why a position changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// The compromise model: a step toward the weighted mean.
    CompromiseModel {
        /// The weighted mean stepped toward.
        mean: f64,
        /// The step.
        lambda: f64,
    },
    /// The expected-utility model: the receiver took an offer.
    Offer {
        /// Confrontation, compromise or capitulation.
        kind: OfferKind,
        /// Whose offer.
        proposer: Id,
        /// EU of the receiver challenging the proposer, in the receiver's eyes.
        a: f64,
        /// EU of the proposer challenging the receiver, in the receiver's eyes.
        b: f64,
    },
    /// The opening position was drawn within the stance's uncertainty.
    Uncertainty {
        /// The half-width of the draw, in points.
        half_width: f64,
    },
    /// A package deal was accepted.
    Package {
        /// Who offered it.
        offerer: Id,
        /// Who accepted it.
        receiver: Id,
    },
    /// The spatial model: the actor took its side of the bargain its queue
    /// chose.
    Bargain {
        /// Who proposed the bargain.
        initiator: Id,
        /// To whom.
        receiver: Id,
    },
    /// The exchange model: at the round's end the actor moved part of the
    /// way to the voting position its exchanges left it on the issue.
    Exchange {
        /// The voting position.
        voting: f64,
        /// The share of the way it moved, f + w·(1 − salience).
        share: f64,
    },
    /// A package among three or more parties was accepted.
    GroupPackage {
        /// The parties, the first having offered.
        parties: Vec<Id>,
    },
    /// An effect of a timeline entry.
    Effect {
        /// The entry's place in the scenario's timeline, from 0.
        entry: usize,
    },
    /// A threat: its target complied, or a carried-out threat's effect.
    Threat {
        /// The threat's id.
        threat: Id,
    },
    /// An effect of a resolution a body adopted.
    Resolution {
        /// The body.
        body: Id,
        /// The issue the resolution decided.
        issue: Id,
    },
    /// Fighting on a front: a loss moved the actor toward a ceasefire, or
    /// a round it did worse in than it expected lowered its demand.
    Front {
        /// The front.
        front: Id,
        /// A cost of war (`loss`), or learning from the fighting
        /// (`learning`).
        why: FrontCause,
        /// The loss (control lost plus the share of forces lost), or the
        /// shortfall of what it won from what it expected.
        by: f64,
    },
    /// A mechanism (such as a user's own) moved the actor.
    Mechanism {
        /// The mechanism's name.
        name: String,
        /// Why, in words.
        note: String,
    },
    /// Put into the history from outside the model: a counterfactual.
    External {
        /// What the user says happened.
        note: String,
    },
}

impl Cause {
    /// Whether the move is the war's: a front's cost or lesson, which comes
    /// every round the fighting goes on. The stop rule leaves it out of
    /// bargaining's movement.
    pub fn is_the_wars(&self) -> bool {
        matches!(self, Cause::Front { .. })
    }

    /// Whether the move comes from outside the bargaining and opens it
    /// again once it is over: a package deal, a timeline entry's effect, a
    /// threat or a counterfactual. (The war's costs and lessons, `Front`,
    /// come every round the fighting goes on; like the strikes' toll, they
    /// run with the calendar and do not restart a model that has stopped.) (A user's
    /// rule moves with `Mechanism`, which may be a model's own move, so it
    /// does not.)
    pub fn reopens_bargaining(&self) -> bool {
        matches!(
            self,
            Cause::Package { .. }
                | Cause::GroupPackage { .. }
                | Cause::External { .. }
                | Cause::Effect { .. }
                | Cause::Threat { .. }
                | Cause::Resolution { .. }
        )
    }
}

/// The three kinds of offer in the expected-utility model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferKind {
    /// The receiver expects to lose a confrontation and gives in.
    Confrontation,
    /// The receiver meets the proposer part way.
    Compromise,
    /// The receiver yields though it would not lose.
    Capitulation,
}

/// Why fighting on a front moved an actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontCause {
    /// What it lost raised its wish for a ceasefire (a cost of war).
    Loss,
    /// It won less than it expected and lowered its demand (learning).
    Learning,
}
