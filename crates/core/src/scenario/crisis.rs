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
///
/// Both sides decide (docs/models.md, "Threats"): the target complies while
/// the threat stands when the expected cost of defying exceeds the cost of
/// conceding; the author carries it out at the deadline only while its
/// `resolve` holds.
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
    /// What the target must do: a position on an issue (the target's unless
    /// `actor` names another), an outcome, or `all_of`/`any_of` such.
    pub condition: Condition,
    /// When the threat is made. The one date rule for threats: a threat made
    /// before the scenario's start is made in round 1 (the crisis opens with
    /// it standing); a date after the run's last day is refused.
    pub made: Date,
    /// When it falls due: it is carried out (or lapses) in the round this
    /// date falls in.
    pub deadline: Date,
    /// Days a deadline is put back, once, when the target is moving.
    #[serde(default)]
    pub extend_days: u32,
    /// Format-2 files before engine 0.6.0: how much the threat raised the
    /// target's salience. It no longer changes any salience; it is read as
    /// the threat's severity (a share of what the target values) when
    /// `severity` is not given.
    #[serde(default)]
    pub stakes: f64,
    /// The position the author must hold for it to act: at the deadline the
    /// threat is carried out only if the author still stands at least (or
    /// at most) this far on the issue. Without it the author always acts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolve: Option<Level>,
    /// An outcome that must have happened for the author to act, such as a
    /// body's vote (`resolution_adopted:congress:use_of_force`): at the
    /// deadline the threat is carried out only if it has, and lapses
    /// otherwise, as when its resolve no longer holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
    /// What carrying it out would cost the target, as the target sees it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Rounds a carried-out threat lasts (its strikes fly, its regime is
    /// held); without it, until its condition is met.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u32>,
    /// What carrying it out does, applied once in the round it is carried
    /// out (as a timeline entry's effects; the threat's `basis` covers them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<Effect>,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

impl Threat {
    /// The deadline an extension puts back from `standing`: `extend_days`
    /// later (the threats mechanism's extension, and an injected one's
    /// default).
    pub fn extended_from(&self, standing: Date) -> Date {
        standing.plus_days(i64::from(self.extend_days))
    }

    /// The severity the target weighs: the declared share, or the old
    /// `stakes` when no severity is declared, with its uncertainty.
    pub fn severity_share(&self) -> (f64, f64) {
        match &self.severity {
            Some(s) => (s.share, s.uncertainty),
            None => (self.stakes, 0.0),
        }
    }
}

/// What a threat would do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ThreatAction {
    /// Strikes in a theatre every round while the punishment runs.
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

/// How much a threat carried out would cost its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Severity {
    /// The share, in [0, 1], of what the target values (its salience-weighted
    /// stakes across the crisis) that carrying the threat out would destroy.
    pub share: f64,
    /// Half-width of the target's uncertainty about the share: each round it
    /// weighs a share drawn uniformly in share ± uncertainty (kept in [0, 1]).
    #[serde(default)]
    pub uncertainty: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// A level on one issue: at least or at most a position.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The issue.
    pub issue: String,
    /// Held when the position is at least this…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// …or at most this (give one of the two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

impl Level {
    /// Whether a position holds it.
    pub fn met(&self, x: f64) -> bool {
        threshold_met(self.at_least, self.at_most, x)
    }
}

fn threshold_met(at_least: Option<f64>, at_most: Option<f64>, x: f64) -> bool {
    match (at_least, at_most) {
        (Some(lo), _) => x >= lo,
        (None, Some(hi)) => x <= hi,
        (None, None) => false,
    }
}

/// What a threat asks for. One form per condition: a position (`issue` with
/// `at_least` or `at_most`, on the target's position unless `actor` names
/// another actor), an `outcome` of the outcome vocabulary
/// (`agreement:ISSUE`, `package_accepted:OFFERER:RECEIVER`,
/// `group_package_accepted:A+B+C`, …), or `all_of` / `any_of` a list of
/// conditions. Today's `{issue, at_least|at_most}` keeps its meaning.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The issue of a position condition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Whose position (default: the threat's target).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// Met when the position is at least this…
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// …or at most this (give one of the two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    /// Met once this outcome has happened in the run (its key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// Met when every one of these is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub all_of: Vec<Condition>,
    /// Met when any one of these is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub any_of: Vec<Condition>,
}

/// The forms a [`Condition`] takes, read from its fields.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConditionForm<'c> {
    /// A position on an issue.
    Position {
        /// The issue.
        issue: &'c str,
        /// Whose position; `None`: the target's.
        actor: Option<&'c str>,
        /// At least this (`true`) or at most.
        at_least: bool,
        /// The position.
        mark: f64,
    },
    /// An outcome's key.
    Outcome(&'c str),
    /// Every one of the conditions.
    AllOf(&'c [Condition]),
    /// Any one of the conditions.
    AnyOf(&'c [Condition]),
    /// Not one form (validation says why).
    Malformed,
}

impl Condition {
    /// A position condition on the target, as format 2 first wrote one.
    pub fn position(issue: &str, at_least: Option<f64>, at_most: Option<f64>) -> Condition {
        Condition {
            issue: Some(issue.to_owned()),
            at_least,
            at_most,
            ..Condition::default()
        }
    }

    /// Which form the condition takes.
    pub fn form(&self) -> ConditionForm<'_> {
        let forms = usize::from(self.issue.is_some())
            + usize::from(self.outcome.is_some())
            + usize::from(!self.all_of.is_empty())
            + usize::from(!self.any_of.is_empty());
        if forms != 1 {
            return ConditionForm::Malformed;
        }
        if let Some(issue) = &self.issue {
            return match (self.at_least, self.at_most) {
                (Some(x), None) => ConditionForm::Position {
                    issue,
                    actor: self.actor.as_deref(),
                    at_least: true,
                    mark: x,
                },
                (None, Some(x)) => ConditionForm::Position {
                    issue,
                    actor: self.actor.as_deref(),
                    at_least: false,
                    mark: x,
                },
                _ => ConditionForm::Malformed,
            };
        }
        if self.actor.is_some() || self.at_least.is_some() || self.at_most.is_some() {
            return ConditionForm::Malformed;
        }
        match &self.outcome {
            Some(key) => ConditionForm::Outcome(key),
            None if !self.all_of.is_empty() => ConditionForm::AllOf(&self.all_of),
            None => ConditionForm::AnyOf(&self.any_of),
        }
    }

    /// Whether a position meets a position condition.
    pub fn met(&self, x: f64) -> bool {
        threshold_met(self.at_least, self.at_most, x)
    }

    /// The position a position condition asks for.
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
