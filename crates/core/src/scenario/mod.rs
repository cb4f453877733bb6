//! The scenario format, version 1: what a scenario file holds, and the checks
//! that a scenario must pass before a run starts.
//!
//! The types here are the file format: plain data with public fields, read and
//! written with serde. This module holds the scenario's people, issues,
//! stances and timeline; [`rules`] holds the rules of the run (the model and
//! the crisis mechanisms); [`Scenario::problems`] checks a scenario whole and
//! lists every problem with its JSON path, so a user fixes a file in one pass.

mod body;
mod crisis;
mod fronts;
mod ids;
mod rules;
mod validate;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::limits;

pub use body::*;
pub use crisis::*;
pub use fronts::{Contest, Fighting, Front, FrontSide};
pub(crate) use ids::show;
pub use rules::*;

/// The scenario format version this engine writes (it reads every version
/// in [`SCENARIO_VERSIONS`]).
pub const SCENARIO_VERSION: u32 = 2;

/// The scenario format versions this engine reads: format 1 keeps the
/// meaning it had (see scenarios/README.md, "Format 2").
pub const SCENARIO_VERSIONS: [u32; 2] = [1, 2];

/// A scenario: actors, issues, stances, a timeline, and the rules of the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The JSON Schema the file names, for editors. Not used by the engine.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Scenario format version; 1.
    pub version: u32,
    /// Short id, lower case with dashes: `moscow-2015-12-15`.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// What the scenario is about and how it was built.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The first day of round 1.
    pub start: Date,
    /// Length of a round in days.
    pub days_per_round: u32,
    /// Rounds a run plays unless told otherwise.
    pub rounds: u32,
    /// Where the facts come from.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Who takes part, in the order that breaks ties.
    pub actors: Vec<Actor>,
    /// What they bargain over.
    pub issues: Vec<Issue>,
    /// Where each actor stands on each issue, and how much it cares.
    pub stances: Vec<Stance>,
    /// Known events, by date.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    /// The negotiation model and its variant flags.
    #[serde(default)]
    pub model: ModelConfig,
    /// Who strikes where.
    #[serde(default)]
    pub strikes: Vec<StrikeCapacity>,
    /// Ceasefires that may be agreed, one per theatre.
    #[serde(default)]
    pub ceasefires: Vec<CeasefireRule>,
    /// Sanction regimes in force at the start.
    #[serde(default)]
    pub sanctions: Vec<RegimeRule>,
    /// Package deals across two issues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkage: Option<LinkageRule>,
    /// When an issue counts as agreed.
    #[serde(default)]
    pub agreement: AgreementRule,
    /// Trust between actors and how events move it.
    #[serde(default)]
    pub trust: TrustRule,
    /// Who is patron to whom, and with what leverage (format 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patrons: Vec<Patronage>,
    /// Threats made or to be made (format 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub threats: Vec<Threat>,
    /// Bodies that vote on resolutions (the UN Security Council, the EU
    /// Council, a legislature).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bodies: Vec<Body>,
    /// Fronts of the theatres, fought over by two sides each (format 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fronts: Vec<Front>,
    /// The rules of fighting on the fronts (format 2; the engine's
    /// defaults, which cost nobody anything, when left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fighting: Option<Fighting>,
}

/// A source document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Short id used in `basis` texts, e.g. `voa-2015-12-15`.
    pub id: String,
    /// Title of the document.
    pub title: String,
    /// Publication date.
    pub date: Date,
    /// Where to find it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
}

/// An actor: a state, government, armed group, organisation or leader.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// Short upper-case code: `USA`, `RUS`, `SYR_GOV`.
    pub id: String,
    /// Full name.
    pub name: String,
    /// What kind of actor it is.
    pub kind: ActorKind,
    /// Relative power to get its way, from 1e-6 to 1e12. Only ratios matter.
    pub capability: f64,
    /// Who speaks for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speaks_for: Vec<String>,
    /// How uncertain the capability is, as a share (0–0.9): each run draws
    /// it within × (1 ± this). 0: known.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub capability_uncertainty: f64,
    /// The source sentence behind the capability, or "analyst estimate".
    pub basis: String,
}

/// Kinds of actor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A sovereign state.
    State,
    /// A government whose standing is itself contested.
    Government,
    /// A non-state armed group.
    ArmedGroup,
    /// An international or supranational organisation.
    Organisation,
}

/// An issue: a question and a 0–100 scale whose ends are named.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    /// snake_case id: `assad_role`.
    pub id: String,
    /// The question bargained over.
    pub question: String,
    /// What position 0 means.
    pub low: String,
    /// What position 100 means.
    pub high: String,
    /// The actors whose consent an agreement needs; each must hold a stance.
    pub principals: Vec<String>,
    /// What the high end means to the mechanisms that read the issue
    /// (format 2; format 1 reads every issue as high = keep sanctions, a
    /// ceasefire now, only designated terrorists, linkage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_means: Option<HighMeans>,
    /// Patrons who broker an agreement on the issue: signed when they come
    /// within tolerance of the forecast, each other principal then joining
    /// or refusing as a spoiler.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brokers: Vec<String>,
    /// Who must act on an agreement on the issue (format 2): it is carried
    /// out only by their compliance, and a spoiler among them stalls it.
    /// Empty: the principals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub must_act: Vec<String>,
}

/// An actor's position and salience on one issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stance {
    /// The actor's id.
    pub actor: String,
    /// The issue's id.
    pub issue: String,
    /// Position on the issue's scale, 0–100.
    pub position: f64,
    /// How much the actor cares, in (0, 1].
    pub salience: f64,
    /// How uncertain the position is, in points (0–50): each run draws the
    /// opening position uniformly within ± this, on the scale. 0: known.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub uncertainty: f64,
    /// How uncertain the salience is (0–0.5): each run draws it within ±
    /// this, clamped to [0.01, 1]. 0: known.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub salience_uncertainty: f64,
    /// The source sentence behind it, or "analyst estimate".
    pub basis: String,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// A dated event known when the scenario was written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    /// When it happens. Format 1: not before the scenario's start. Format
    /// 2: an entry before the start (the attack, vote or decision that
    /// opened the crisis) is played in round 0, logged on the start date,
    /// its effects applied before round 1.
    pub date: Date,
    /// What kind of act it is; gives the default CAMEO code.
    pub kind: ActKind,
    /// Who acts.
    pub actor: String,
    /// Everyone the entry names, if more than `actor` (a meeting of
    /// eight).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    /// Towards whom, if anyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// On which issue, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// A CAMEO code from the table that fits better than the kind's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cameo: Option<String>,
    /// What happened, in a sentence.
    pub text: String,
    /// What it does, applied once when it is logged; without effects an
    /// entry is context.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub effects: Vec<Effect>,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// Kinds of scripted act, each with a default CAMEO code.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ActKind {
    /// A public statement (010).
    Statement,
    /// A pessimistic comment, such as a travel warning (012).
    TravelWarning,
    /// Expressing accord (019).
    Accord,
    /// An appeal for diplomatic cooperation (022).
    Appeal,
    /// Expressing intent to meet or negotiate (036).
    IntentToNegotiate,
    /// A telephone call (041).
    Telephone,
    /// A visit (042).
    Visit,
    /// Hosting a visit (043).
    HostVisit,
    /// A meeting at a third location (044).
    Meeting,
    /// A multilateral conference at a third location (044).
    Conference,
    /// Mediation (045).
    Mediation,
    /// Negotiation (046).
    Talks,
    /// Defending a policy verbally (052).
    Defence,
    /// Criticism or denunciation (111).
    Criticism,
    /// An accusation of aggression (1123).
    Accusation,
}

impl ActKind {
    /// The kind's default CAMEO code.
    pub fn default_cameo(self) -> &'static str {
        match self {
            ActKind::Statement => "010",
            ActKind::TravelWarning => "012",
            ActKind::Accord => "019",
            ActKind::Appeal => "022",
            ActKind::IntentToNegotiate => "036",
            ActKind::Telephone => "041",
            ActKind::Visit => "042",
            ActKind::HostVisit => "043",
            ActKind::Meeting | ActKind::Conference => "044",
            ActKind::Mediation => "045",
            ActKind::Talks => "046",
            ActKind::Defence => "052",
            ActKind::Criticism => "111",
            ActKind::Accusation => "1123",
        }
    }
}

/// One thing wrong with a scenario, at a JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: `$.stances[3].position`.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl Scenario {
    /// A scenario with nothing in it yet: weekly rounds, no actors, issues,
    /// stances, timeline or mechanisms, and the defaults of the model,
    /// agreement and trust. A starting point for scenarios built in code.
    pub fn empty(id: &str, title: &str, start: Date, rounds: u32) -> Scenario {
        Scenario {
            schema: None,
            version: SCENARIO_VERSION,
            id: id.to_owned(),
            title: title.to_owned(),
            description: String::new(),
            start,
            days_per_round: 7,
            rounds,
            sources: Vec::new(),
            actors: Vec::new(),
            issues: Vec::new(),
            stances: Vec::new(),
            timeline: Vec::new(),
            model: ModelConfig::default(),
            strikes: Vec::new(),
            ceasefires: Vec::new(),
            sanctions: Vec::new(),
            linkage: None,
            agreement: AgreementRule::default(),
            trust: TrustRule::default(),
            patrons: Vec::new(),
            threats: Vec::new(),
            bodies: Vec::new(),
            fronts: Vec::new(),
            fighting: None,
        }
    }

    /// The JSON Schema of the scenario format, generated from these types.
    pub fn json_schema() -> serde_json::Value {
        schemars::schema_for!(Scenario).to_value()
    }

    /// Every problem with this scenario; empty when it can be run.
    pub fn problems(&self) -> Vec<Problem> {
        validate::problems(self)
    }

    /// The first day of `round` (round 1 starts on the start date; round 0,
    /// the state before the first round, is dated the start date too).
    pub fn round_first_day(&self, round: u32) -> Date {
        let index = i64::from(round.saturating_sub(1));
        self.start.plus_days(index * i64::from(self.days_per_round))
    }

    /// The last day of `round`; round 0 is the start date.
    pub fn round_last_day(&self, round: u32) -> Date {
        if round == 0 {
            return self.start;
        }
        self.round_first_day(round)
            .plus_days(i64::from(self.days_per_round) - 1)
    }

    /// Why a run of `rounds` rounds cannot be played, if it cannot: past
    /// the round limit, or ending after 9999-12-31 (dates are written with
    /// four-digit years).
    pub fn rounds_problem(&self, rounds: u32) -> Option<String> {
        if rounds == 0 || rounds > limits::MAX_ROUNDS {
            return Some(format!(
                "expected 1 to {} rounds, found {rounds}",
                limits::MAX_ROUNDS
            ));
        }
        let beyond = self
            .round_last_day(rounds)
            .days_since(Date::from_ymd(9999, 12, 31)?);
        (beyond > 0).then(|| {
            format!(
                "{rounds} rounds would end {beyond} days after 9999-12-31; dates are written with four-digit years"
            )
        })
    }

    /// Why a run of `rounds` rounds of this scenario cannot be played, if
    /// it cannot: [`Scenario::rounds_problem`] or
    /// [`Scenario::timeline_problem`]. What a run checks as it starts, and
    /// what a command that plays several files checks of each before it
    /// plays any, so its message names the file.
    pub fn run_problem(&self, rounds: u32) -> Option<String> {
        self.rounds_problem(rounds)
            .or_else(|| self.timeline_problem(rounds))
    }

    /// Why a run of `rounds` rounds would leave part of the timeline
    /// unplayed, if it would: an entry is refused after the run's end as
    /// before its start, since an event the run never reaches is a mistake,
    /// not context.
    pub fn timeline_problem(&self, rounds: u32) -> Option<String> {
        let last = self.round_last_day(rounds);
        let (k, late) = self
            .timeline
            .iter()
            .enumerate()
            .filter(|(_, e)| e.date > last)
            .max_by_key(|(_, e)| e.date)?;
        Some(format!(
            "{rounds} rounds end on {last}, before $.timeline[{k}] ({}); play more rounds or move the entry",
            late.date
        ))
    }

    /// The theatres named by strikes, ceasefires, threats and fronts,
    /// sorted.
    pub fn theatres(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self
            .strikes
            .iter()
            .map(|s| s.theatre.as_str())
            .chain(self.ceasefires.iter().map(|c| c.theatre.as_str()))
            .chain(self.threats.iter().filter_map(|t| match &t.action {
                ThreatAction::Strikes { theatre, .. } => Some(theatre.as_str()),
                ThreatAction::Sanctions { .. } => None,
            }))
            .chain(self.fronts.iter().map(|f| f.theatre.as_str()))
            .collect();
        set.into_iter().map(str::to_owned).collect()
    }
}
