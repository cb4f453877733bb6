//! The events of scenario format 2's crisis mechanisms: changes of
//! salience, capability and trust (a timeline entry's effects, a draw, the
//! cost of sanctions, a threat's stakes, a strike), the stages of carrying
//! out an agreement, and threats.

use serde::{Deserialize, Serialize};

use super::Id;
use crate::date::Date;

/// Why a salience, capability or trust changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shift {
    /// An effect of a timeline entry (or of an injected scripted act).
    Effect {
        /// The entry's place in the scenario's timeline, from 0.
        entry: usize,
    },
    /// The opening value was drawn within its uncertainty.
    Uncertainty {
        /// The half-width of the draw: points of salience, or a share of
        /// capability.
        half_width: f64,
    },
    /// A sanction regime in force costs its target.
    SanctionsCost {
        /// The regime.
        regime: Id,
    },
    /// A threat stands over the actor (or was lifted).
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
    /// An airstrike on the forces of a patron's client.
    Strike {
        /// Who struck.
        striker: Id,
    },
    /// Put into the history from outside the model: a counterfactual.
    External {
        /// What the user says happened.
        note: String,
    },
    /// What fighting on a front cost the actor, or gained it.
    Front {
        /// The front.
        front: Id,
        /// The control it lost (negative: gained) this round.
        control_lost: f64,
        /// The share of its forces the strikes on it took out.
        forces_lost: f64,
    },
}

/// An actor's salience on an issue changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalienceChanged {
    /// Whose.
    pub actor: Id,
    /// On which issue.
    pub issue: Id,
    /// Salience before. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub from: f64,
    /// Salience after, in [0, 1].
    pub to: f64,
    /// Why.
    pub cause: Shift,
}

/// An actor's capability changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapabilityChanged {
    /// Whose.
    pub actor: Id,
    /// Capability before. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub from: f64,
    /// Capability after, positive.
    pub to: f64,
    /// Why.
    pub cause: Shift,
}

/// Trust between two actors changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustChanged {
    /// One actor.
    pub a: Id,
    /// The other.
    pub b: Id,
    /// Trust before. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub from: f64,
    /// Trust after, in [0, 1].
    pub to: f64,
    /// Why.
    pub cause: Shift,
}

/// A package among three or more parties: each yields on one issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupPackage {
    /// The parties, the first offering.
    pub parties: Vec<Id>,
    /// What each party gives, in the parties' order.
    pub yields: Vec<super::Concession>,
    /// Each party's gain, in the parties' order.
    pub gains: Vec<f64>,
}

/// A group package some party refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupPackageRefused {
    /// The terms refused.
    pub terms: GroupPackage,
    /// Who refused: parties whose position on the linkage issue does not
    /// allow linking issues.
    pub by: Vec<Id>,
}

/// A stage in carrying out a signed agreement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementProgress {
    /// The issue agreed.
    pub issue: Id,
    /// Steps carried out so far (rounds in which every bound principal
    /// complied).
    pub steps: u32,
    /// The principals not complying this round.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub noncompliant: Vec<Id>,
    /// Who must act on the agreement but refused it as a spoiler: while
    /// any did, it is never implemented. Filled by
    /// [`State::settle`](crate::State::settle).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<Id>,
}

/// A stage in the life of a threat.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatRecord {
    /// The threat's id.
    pub threat: Id,
    /// Who threatens. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub actor: Id,
    /// Whom. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub target: Id,
    /// The deadline now standing.
    pub deadline: Date,
    /// The target's position on the condition's issue.
    pub position: f64,
}

/// How a threat's target answered it this round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// It concedes: it moves to what the condition asks.
    Complied,
    /// It holds where it stands.
    Held,
}

/// A threat's target weighed conceding against defying, and answered: the
/// numbers that decided it (docs/models.md, "Threats"). It complies when
/// `cost_defy + leverage > cost_concede`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThreatAnswered {
    /// The threat's id.
    pub threat: Id,
    /// Who threatens. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub actor: Id,
    /// Who answers. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub target: Id,
    /// The answer.
    pub answer: Answer,
    /// The severity the target weighed this round (drawn within the
    /// threat's uncertainty), a share in [0, 1].
    pub severity: f64,
    /// The author's resolve share times its capability's share of the
    /// author's and target's. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub credibility: f64,
    /// Severity × credibility. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub cost_defy: f64,
    /// The target's salience times the distance it must move (0–1), summed
    /// over the issues it must move on. Filled by
    /// [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub cost_concede: f64,
    /// The target's patrons' pressure toward compliance (negative: against).
    /// Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub leverage: f64,
}

/// A body's vote on a draft resolution: every modelled member's ballot,
/// the tally with the members the scenario does not model, and the rule
/// applied. The state recomputes each ballot from the member's position
/// and the verdict from the tally, and refuses an event that differs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyVote {
    /// The body.
    pub body: Id,
    /// The issue the draft decides.
    pub issue: Id,
    /// The draft: the sponsors' mean position, as written on the issue's
    /// scale.
    pub draft: f64,
    /// Each modelled member's ballot.
    pub votes: std::collections::BTreeMap<Id, Ballot>,
    /// Yes votes of all members, modelled or not.
    pub yes: u32,
    /// Abstentions of all members.
    pub abstain: u32,
    /// No votes of all members.
    pub no: u32,
    /// Yes votes the body's rule asks for.
    pub quota: u32,
    /// Members with a veto who voted no.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vetoed_by: Vec<Id>,
}

/// A member's ballot on a draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ballot {
    /// For it.
    Yes,
    /// Neither (not a veto, even from a member that holds one).
    Abstain,
    /// Against it (a veto from a member that holds one).
    No,
}

/// Control of a front changed after a round of fighting. Every field but
/// `front` is the state's, filled by [`State::settle`](crate::State::settle)
/// from the contest rule (`front::step`), so a log whose numbers differ
/// from what the state recomputes is refused.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ControlChanged {
    /// The front.
    pub front: Id,
    /// Its theatre.
    #[serde(default)]
    pub theatre: Id,
    /// Each side, in the scenario's order.
    #[serde(default)]
    pub sides: Vec<SideControl>,
    /// The side that has taken the front with this change (passed the
    /// front's `taken_at` share), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken: Option<Id>,
    /// Why it could change.
    #[serde(default)]
    pub cause: ControlCause,
}

/// One side of a front as a round of fighting left it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SideControl {
    /// The side.
    pub actor: Id,
    /// Its share of the front before.
    pub from: f64,
    /// Its share after.
    pub to: f64,
    /// Its forces this round (own, patrons' × leverage, less the strikes on
    /// it).
    pub forces: f64,
    /// Strikes on its forces in the front's theatre this round.
    pub hits: u32,
    /// The share of the round's fighting it won (the contest function).
    pub won: f64,
    /// The share it expected to win: the belief it acted on.
    pub expected: f64,
    /// What it believes after seeing the round.
    pub belief: f64,
}

/// Why a front's control could change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlCause {
    /// Fighting: no ceasefire holds in the theatre.
    #[default]
    Fighting,
    /// A ceasefire holds, and these (the sides or their patrons) violated
    /// it this round.
    Violation {
        /// Who violated it.
        by: Vec<Id>,
    },
}
