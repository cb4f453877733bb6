//! What scenario format 2 adds for the crisis mechanisms: what each issue's
//! high end means to them (polarity), who is patron to whom, threats, and
//! what a timeline entry does.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;

/// What an issue's high end (100) means to the mechanisms that read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HighMeans {
    /// Sanction regimes: 100 = keep the sanctions.
    KeepSanctions,
    /// Sanction regimes: 100 = lift them.
    LiftSanctions,
    /// Ceasefires: 100 = a ceasefire now.
    CeasefireNow,
    /// Ceasefires: 100 = no ceasefire.
    NoCeasefire,
    /// Strike targeting: 100 = strike only designated terrorists.
    TerroristsOnly,
    /// Strike targeting: 100 = all armed opposition is a target.
    AllOpposition,
    /// Linkage: 100 = concessions may be traded across issues.
    Linkage,
    /// Linkage: 100 = no linkage.
    NoLinkage,
}

/// The mechanisms that read an issue in one direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Sanction regimes.
    Sanctions,
    /// Ceasefires.
    Ceasefire,
    /// Strikes.
    Strikes,
    /// Linkage.
    Linkage,
}

impl Family {
    /// The polarity a mechanism of this family reads as high = for it, and
    /// the reverse.
    pub fn polarities(self) -> (HighMeans, HighMeans) {
        match self {
            Family::Sanctions => (HighMeans::KeepSanctions, HighMeans::LiftSanctions),
            Family::Ceasefire => (HighMeans::CeasefireNow, HighMeans::NoCeasefire),
            Family::Strikes => (HighMeans::TerroristsOnly, HighMeans::AllOpposition),
            Family::Linkage => (HighMeans::Linkage, HighMeans::NoLinkage),
        }
    }

    /// The family's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Family::Sanctions => "a sanction regime",
            Family::Ceasefire => "a ceasefire",
            Family::Strikes => "strike targeting",
            Family::Linkage => "linkage",
        }
    }
}

/// A patron's hold over a client.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Patronage {
    /// The patron.
    pub patron: String,
    /// The client.
    pub client: String,
    /// How far the patron can bring the client along, in (0, 1].
    pub leverage: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// A threat: an act carried out at a deadline unless a condition is met.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Threat {
    /// Short id: `us_strike_2013`.
    pub id: String,
    /// Who threatens.
    pub actor: String,
    /// Whom.
    pub target: String,
    /// What is threatened.
    pub action: ThreatAction,
    /// What the target must do.
    pub condition: Condition,
    /// When the threat is made; not before the scenario's start.
    pub made: Date,
    /// When it falls due.
    pub deadline: Date,
    /// Days a deadline is put back, once, when the target is moving.
    #[serde(default)]
    pub extend_days: u32,
    /// How much the threat raises the target's salience on the condition's
    /// issue while it stands.
    #[serde(default)]
    pub stakes: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// What a threat would do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ThreatAction {
    /// Strikes in a theatre every round from the deadline on.
    Strikes {
        /// Where.
        theatre: String,
        /// How many a round.
        per_round: u32,
    },
    /// A sanction regime put (back) in force at full level.
    Sanctions {
        /// Which regime.
        regime: String,
    },
}

/// A condition on the target's position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The issue.
    pub issue: String,
    /// Met when the target's position is at least this…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// …or at most this (give one of the two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

impl Condition {
    /// Whether a position meets it.
    pub fn met(&self, x: f64) -> bool {
        match (self.at_least, self.at_most) {
            (Some(lo), _) => x >= lo,
            (None, Some(hi)) => x <= hi,
            (None, None) => false,
        }
    }

    /// The position it asks for.
    pub fn mark(&self) -> f64 {
        self.at_least.or(self.at_most).unwrap_or(50.0)
    }
}

/// What a timeline entry does, applied once when it is logged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Effect {
    /// An actor's salience on an issue changes by `by` (clamped to 0–1).
    Salience {
        /// Whose.
        actor: String,
        /// On which issue.
        issue: String,
        /// By how much.
        by: f64,
    },
    /// An actor's position on an issue moves by `by` points.
    Position {
        /// Whose.
        actor: String,
        /// On which issue.
        issue: String,
        /// By how many points.
        by: f64,
    },
    /// An actor's capability changes by a share: × (1 + by).
    Capability {
        /// Whose.
        actor: String,
        /// By what share (−0.5: halved).
        by: f64,
    },
    /// Trust between two actors changes by `by` (clamped to 0–1).
    Trust {
        /// One actor.
        a: String,
        /// The other.
        b: String,
        /// By how much.
        by: f64,
    },
}

/// How a regime's members decide.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRule {
    /// Every member must vote for a change.
    Unanimity,
    /// More than half the members.
    Majority,
    /// One imposer decides.
    #[default]
    One,
}

impl DecisionRule {
    /// How many of `members` must vote for a change: every one under
    /// unanimity, more than half under majority, one under `one`. The
    /// sanctions mechanism's pivot and the state's check both read it.
    pub fn quorum(self, members: usize) -> usize {
        match self {
            DecisionRule::Unanimity => members,
            DecisionRule::Majority => members / 2 + 1,
            DecisionRule::One => 1,
        }
    }
}

/// How an agreement is carried out.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Implementation {
    /// Rounds of full compliance that implement it.
    pub steps: u32,
    /// Rounds running with a principal not complying that stall it.
    pub stall_after: u32,
}

impl crate::scenario::Issue {
    /// A position on the issue read as a mechanism of `family` reads it:
    /// high = for (keep sanctions, a ceasefire now, only designated
    /// terrorists, linkage). An issue without `high_means` reads as written.
    pub fn reading(&self, family: Family, position: f64) -> f64 {
        if self.high_means == Some(family.polarities().1) {
            crate::scale::mirror(position)
        } else {
            position
        }
    }
}
