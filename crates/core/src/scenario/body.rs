//! Bodies that vote: the UN Security Council, the EU Council, a
//! legislature. A body has members (actors of the scenario, plus members
//! it does not model, whose votes the analyst states), a voting rule
//! (unanimity, majority, one, or an explicit quota of yes votes), members
//! with a veto, and the resolutions its sponsors may put to it.
//!
//! How a vote is decided is stated once, in `state::bodies`
//! (docs/models.md, "Bodies").

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{DecisionRule, Effect};
use crate::date::Date;

/// A body that votes on resolutions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Body {
    /// Short id: `unsc`.
    pub id: String,
    /// Its name: "UN Security Council".
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The members the scenario models: each votes by its own position.
    pub members: Vec<String>,
    /// Members whose vote against a draft defeats it whatever the count.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub veto: Vec<String>,
    /// How the votes decide when no `quota` is given: unanimity (every
    /// member yes), majority (more than half of all members), one. One of
    /// `rule` and `quota` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<DecisionRule>,
    /// Yes votes a draft needs (nine of fifteen in the Security Council);
    /// overrides `rule`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota: Option<u32>,
    /// Members the scenario does not model, with the votes the analyst
    /// expects of them on any draft.
    #[serde(default, skip_serializing_if = "Others::is_empty")]
    pub others: Others,
    /// The drafts its sponsors may put.
    #[serde(default)]
    pub resolutions: Vec<Resolution>,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// The votes of a body's members the scenario does not model.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Others {
    /// How many vote yes.
    #[serde(default)]
    pub yes: u32,
    /// How many abstain.
    #[serde(default)]
    pub abstain: u32,
    /// How many vote no (none of them holds a veto).
    #[serde(default)]
    pub no: u32,
}

impl Others {
    /// How many members they are.
    pub fn count(&self) -> u32 {
        self.yes
            .saturating_add(self.abstain)
            .saturating_add(self.no)
    }

    /// Whether there are none (the field is left out).
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }
}

/// Which end of an issue's scale a resolution asks for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Toward {
    /// More of what the issue's high end means (the default).
    #[default]
    High,
    /// More of what its low end means.
    Low,
}

/// A draft resolution on an issue: its sponsors put it to the vote.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    /// The issue it decides.
    pub issue: String,
    /// Who drafts and puts it: members of the body.
    pub sponsors: Vec<String>,
    /// Which end of the issue's scale the draft asks for.
    #[serde(default)]
    pub toward: Toward,
    /// The sponsors agree on a draft when their positions lie within this
    /// many points of each other; the draft is their mean.
    #[serde(default = "ten")]
    pub tolerance: f64,
    /// The draft says what the resolution means only from this position,
    /// read toward its end (an authorisation of force from 60 on a scale
    /// where 100 strikes): the sponsors put no draft short of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// A member votes yes when its position, read toward the draft's end,
    /// is at least the draft's less this many points…
    #[serde(default = "ten")]
    pub accept: f64,
    /// …no when it falls short of the draft by more than this many, and
    /// abstains in between.
    #[serde(default = "twenty_five")]
    pub oppose: f64,
    /// Put to the vote as soon as the sponsors agree, even when the count
    /// falls short or a veto waits (to make a member veto in public).
    /// Without it, sponsors put a draft only when it would be adopted: its
    /// yes votes reach the quota and no member with a veto would vote no.
    #[serde(default, skip_serializing_if = "is_false")]
    pub force: bool,
    /// Not put before this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    /// Rounds after a vote that failed before its sponsors put it again.
    #[serde(default = "four")]
    pub retry_rounds: u32,
    /// What adopting it does, applied once in the round it is adopted (as
    /// a timeline entry's effects; `basis` covers them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<Effect>,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn ten() -> f64 {
    10.0
}

fn twenty_five() -> f64 {
    25.0
}

fn four() -> u32 {
    4
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Body {
    /// All its members: the modelled ones and the others.
    pub fn size(&self) -> u32 {
        u32::try_from(self.members.len())
            .unwrap_or(u32::MAX)
            .saturating_add(self.others.count())
    }

    /// Yes votes a draft needs: the quota, or what the rule asks of all
    /// its members (`DecisionRule::quorum`, the one place a rule's count is
    /// stated, as for sanctions regimes).
    pub fn needed(&self) -> u32 {
        self.quota.unwrap_or_else(|| {
            let size = self.size() as usize;
            let rule = self.rule.unwrap_or(DecisionRule::Majority);
            u32::try_from(rule.quorum(size)).unwrap_or(u32::MAX)
        })
    }
}
