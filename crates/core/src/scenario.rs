//! The scenario format, version 1: what a scenario file holds, and the checks
//! that a scenario must pass before a run starts.
//!
//! The types here are the file format: plain data with public fields, read and
//! written with serde. [`Scenario::problems`] checks a scenario whole and lists
//! every problem with its JSON path, so a user fixes a file in one pass.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::cameo;
use crate::date::Date;
use crate::limits;

/// The scenario format version this engine writes and reads.
pub const SCENARIO_VERSION: u32 = 1;

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
    pub sanctions: Vec<Regime>,
    /// Package deals across two issues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkage: Option<Linkage>,
    /// When an issue counts as agreed.
    #[serde(default)]
    pub agreement: AgreementRule,
    /// Trust between actors and how events move it.
    #[serde(default)]
    pub trust: TrustRule,
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
    /// Relative power to get its way (> 0). Only ratios matter.
    pub capability: f64,
    /// Who speaks for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub speaks_for: Vec<String>,
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
    /// When it happens; not before the scenario's start.
    pub date: Date,
    /// What kind of act it is; gives the default CAMEO code.
    pub kind: ActKind,
    /// Who acts.
    pub actor: String,
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

/// The negotiation model and its variant flags.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelConfig {
    /// Which model moves positions.
    #[serde(default)]
    pub kind: ModelKind,
    /// Compromise model: the step toward the weighted mean, in (0, 1].
    #[serde(default = "default_lambda")]
    pub lambda: f64,
    /// Expected-utility model: the normaliser of the probability of prevailing.
    #[serde(default)]
    pub probability: Probability,
    /// Expected-utility model: which of several compromises a receiver takes.
    #[serde(default)]
    pub compromise_choice: CompromiseChoice,
    /// Expected-utility model: whether a receiver may capitulate.
    #[serde(default)]
    pub capitulation: bool,
}

fn default_lambda() -> f64 {
    0.2
}

impl Default for ModelConfig {
    fn default() -> ModelConfig {
        ModelConfig {
            kind: ModelKind::default(),
            lambda: default_lambda(),
            probability: Probability::default(),
            compromise_choice: CompromiseChoice::default(),
            capitulation: false,
        }
    }
}

/// The negotiation models.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ModelKind {
    /// Every actor steps toward the weighted mean.
    #[default]
    Compromise,
    /// Bueno de Mesquita's expected-utility model, as Scholz et al. coded it.
    ExpectedUtility,
}

/// Normaliser of P(i prevails over j).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Probability {
    /// Sum of |votes| over every voter and every ordered pair (Scholz's code).
    #[default]
    Full,
    /// Sum of |votes| over every voter for the pair itself (the paper).
    Paper,
}

/// How a receiver picks among compromises.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CompromiseChoice {
    /// The smallest (|a|·x_i + |b|·x_j)/(|a| + |b|), as Scholz's code did.
    #[default]
    Scholz,
    /// The smallest move.
    Nearest,
}

/// An actor that strikes in a theatre every round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrikeCapacity {
    /// The striker.
    pub actor: String,
    /// Where: a theatre id such as `syria`.
    pub theatre: String,
    /// The targeting issue: position/100 is the chance a strike hits
    /// designated terrorists rather than other armed opposition.
    pub issue: String,
    /// Strikes per round.
    #[serde(default = "one")]
    pub per_round: u32,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn one() -> u32 {
    1
}

/// A ceasefire that may be agreed in a theatre.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CeasefireRule {
    /// The theatre: `syria`, `eastern_ukraine`.
    pub theatre: String,
    /// The issue whose positions govern it (high = for a ceasefire now).
    pub issue: String,
    /// The parties whose positions must meet.
    pub parties: Vec<String>,
    /// Agreed when the parties' positions lie within this many points…
    pub tolerance: f64,
    /// …and their mean is at least this.
    #[serde(default = "fifty")]
    pub threshold: f64,
    /// Chance a party violates it in a round when positions and trust are nil.
    pub hazard: f64,
    /// Violations that collapse it.
    pub collapse_after: u32,
    /// Whether it is in force when the scenario starts.
    #[serde(default)]
    pub in_force: bool,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn fifty() -> f64 {
    50.0
}

/// A sanction regime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Regime {
    /// Short id: `eu_sectoral`.
    pub id: String,
    /// Who imposes it and decides its renewal.
    pub imposer: String,
    /// Who it targets.
    pub target: String,
    /// The issue whose position the imposer decides by (high = keep).
    pub issue: String,
    /// The dates on which it must be renewed or it lapses.
    pub renewals: Vec<Date>,
    /// Renewed whole when the imposer's position is at least this…
    #[serde(default = "sixty")]
    pub renew_at: f64,
    /// …lifted when below this, and eased in between.
    #[serde(default = "twenty_five")]
    pub lift_below: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

fn sixty() -> f64 {
    60.0
}

fn twenty_five() -> f64 {
    25.0
}

/// Package deals across two issues.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Linkage {
    /// The issue on which actors say whether issues may be linked
    /// (high = linking allowed).
    pub issue: String,
    /// An offerer offers when its position on the linkage issue is at least this.
    #[serde(default = "fifty")]
    pub offer_at: f64,
    /// A receiver may accept only when its position is at least this.
    #[serde(default = "fifty")]
    pub accept_at: f64,
    /// Rounds between two offers of the same pair.
    #[serde(default = "four")]
    pub cooldown_rounds: u32,
    /// Who may offer what to whom.
    pub pairs: Vec<LinkagePair>,
}

fn four() -> u32 {
    4
}

/// A pair that may trade concessions across two issues.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkagePair {
    /// Who offers.
    pub offerer: String,
    /// Who is offered.
    pub receiver: String,
    /// The two issues traded.
    pub issues: [String; 2],
    /// The source sentence, or "analyst estimate".
    pub basis: String,
}

/// When an issue counts as agreed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementRule {
    /// Signed when every principal is within this many points of the forecast.
    pub tolerance: f64,
    /// Which forecast: the weighted mean or the weighted median.
    #[serde(default)]
    pub forecast: Forecast,
}

impl Default for AgreementRule {
    fn default() -> AgreementRule {
        AgreementRule {
            tolerance: 5.0,
            forecast: Forecast::Mean,
        }
    }
}

/// The two forecasts reported every round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Forecast {
    /// The capability×salience weighted mean.
    #[default]
    Mean,
    /// The weighted (Condorcet) median.
    Median,
}

/// Trust between actors: 0 none, 1 full.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustRule {
    /// Trust between any pair not listed.
    #[serde(default = "half")]
    pub initial: f64,
    /// Change of trust per 10 Goldstein points of an event between a pair.
    #[serde(default = "trust_rate")]
    pub rate: f64,
    /// Pairs whose trust differs from `initial`.
    #[serde(default)]
    pub pairs: Vec<TrustPair>,
}

fn half() -> f64 {
    0.5
}

fn trust_rate() -> f64 {
    0.05
}

impl Default for TrustRule {
    fn default() -> TrustRule {
        TrustRule {
            initial: half(),
            rate: trust_rate(),
            pairs: Vec::new(),
        }
    }
}

/// Initial trust between two actors (symmetric).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrustPair {
    /// One actor.
    pub a: String,
    /// The other.
    pub b: String,
    /// Trust, 0–1.
    pub value: f64,
    /// The source sentence, or "analyst estimate".
    pub basis: String,
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
        }
    }

    /// The JSON Schema of the scenario format, generated from these types.
    pub fn json_schema() -> serde_json::Value {
        schemars::schema_for!(Scenario).to_value()
    }

    /// Every problem with this scenario; empty when it can be run.
    pub fn problems(&self) -> Vec<Problem> {
        let mut check = Checker::default();
        check.scenario(self);
        check.problems
    }

    /// The index of an actor id.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    /// The index of an issue id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
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
        if rounds > limits::MAX_ROUNDS {
            return Some(format!(
                "expected at most {} rounds, found {rounds}",
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

    /// The theatres named by strikes and ceasefires, sorted.
    pub fn theatres(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self
            .strikes
            .iter()
            .map(|s| s.theatre.as_str())
            .chain(self.ceasefires.iter().map(|c| c.theatre.as_str()))
            .collect();
        set.into_iter().map(str::to_owned).collect()
    }
}

/// Collects problems with their paths.
#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }

    fn scenario(&mut self, s: &Scenario) {
        if s.version != SCENARIO_VERSION {
            self.push(
                "$.version",
                format!(
                    "scenario format version {} is not known to this engine; expected {SCENARIO_VERSION}",
                    s.version
                ),
            );
        }
        if !is_scenario_id(&s.id) {
            self.push(
                "$.id",
                format!(
                    "expected lower-case letters, digits and dashes, found {:?}",
                    s.id
                ),
            );
        }
        self.text("$.title", &s.title);
        if s.days_per_round == 0 || s.days_per_round > limits::MAX_DAYS_PER_ROUND {
            self.push(
                "$.days_per_round",
                format!(
                    "expected 1 to {} days, found {}",
                    limits::MAX_DAYS_PER_ROUND,
                    s.days_per_round
                ),
            );
        }
        if s.rounds == 0 || s.rounds > limits::MAX_ROUNDS {
            self.push(
                "$.rounds",
                format!(
                    "expected 1 to {} rounds, found {}",
                    limits::MAX_ROUNDS,
                    s.rounds
                ),
            );
        } else if let Some(problem) = s.rounds_problem(s.rounds) {
            self.push("$.rounds", problem);
        }
        self.count("$.actors", s.actors.len(), limits::MAX_ACTORS);
        self.count("$.issues", s.issues.len(), limits::MAX_ISSUES);
        self.count("$.timeline", s.timeline.len(), limits::MAX_TIMELINE);
        self.count("$.sources", s.sources.len(), limits::MAX_LIST);
        for (i, src) in s.sources.iter().enumerate() {
            self.text(&format!("$.sources[{i}].id"), &src.id);
            self.text(&format!("$.sources[{i}].title"), &src.title);
        }

        let actors = self.ids(
            "$.actors",
            s.actors.iter().map(|a| a.id.as_str()),
            is_actor_id,
            "an upper-case code such as USA or SYR_GOV",
        );
        if s.actors.is_empty() {
            self.push("$.actors", "expected at least one actor, found none");
        }
        for (i, a) in s.actors.iter().enumerate() {
            let p = format!("$.actors[{i}]");
            self.text(&format!("{p}.name"), &a.name);
            self.basis(&format!("{p}.basis"), &a.basis);
            if !(a.capability.is_finite()
                && a.capability > 0.0
                && a.capability <= limits::MAX_CAPABILITY)
            {
                self.push(
                    format!("{p}.capability"),
                    format!("expected a number above 0, found {}", show(a.capability)),
                );
            }
        }

        let issues = self.ids(
            "$.issues",
            s.issues.iter().map(|i| i.id.as_str()),
            is_issue_id,
            "a snake_case id such as assad_role",
        );
        if s.issues.is_empty() {
            self.push("$.issues", "expected at least one issue, found none");
        }

        // Stances: known actor and issue, one per pair, values in range.
        let mut held: BTreeSet<(&str, &str)> = BTreeSet::new();
        self.count(
            "$.stances",
            s.stances.len(),
            limits::MAX_ACTORS * limits::MAX_ISSUES,
        );
        for (i, st) in s.stances.iter().enumerate() {
            let p = format!("$.stances[{i}]");
            let known_actor = self.known(&format!("{p}.actor"), &st.actor, &actors, "actor");
            let known_issue = self.known(&format!("{p}.issue"), &st.issue, &issues, "issue");
            if known_actor && known_issue && !held.insert((&st.actor, &st.issue)) {
                self.push(
                    p.clone(),
                    format!(
                        "a second stance of {} on {}; expected one stance per actor and issue",
                        st.actor, st.issue
                    ),
                );
            }
            self.position(&format!("{p}.position"), st.position);
            if !(st.salience.is_finite() && st.salience > 0.0 && st.salience <= 1.0) {
                self.push(
                    format!("{p}.salience"),
                    format!("expected a salience in (0, 1], found {}", show(st.salience)),
                );
            }
            self.nonnegative(&format!("{p}.uncertainty"), st.uncertainty, 50.0);
            self.basis(&format!("{p}.basis"), &st.basis);
        }

        for (i, issue) in s.issues.iter().enumerate() {
            let p = format!("$.issues[{i}]");
            self.text(&format!("{p}.question"), &issue.question);
            self.text(&format!("{p}.low"), &issue.low);
            self.text(&format!("{p}.high"), &issue.high);
            if issue.principals.is_empty() {
                self.push(format!("{p}.principals"), "expected at least one principal");
            }
            let mut seen = BTreeSet::new();
            for (k, who) in issue.principals.iter().enumerate() {
                let pp = format!("{p}.principals[{k}]");
                if !self.known(&pp, who, &actors, "actor") {
                    continue;
                }
                if !seen.insert(who.as_str()) {
                    self.push(&pp, format!("{who} is listed twice"));
                } else if !held.contains(&(who.as_str(), issue.id.as_str())) {
                    self.push(
                        &pp,
                        format!(
                            "{who} is a principal on {} but has no stance on it; add one to $.stances",
                            issue.id
                        ),
                    );
                }
            }
            if !held.iter().any(|(_, iss)| *iss == issue.id) {
                self.push(&p, format!("no actor holds a stance on {}", issue.id));
            }
        }

        for (i, e) in s.timeline.iter().enumerate() {
            let p = format!("$.timeline[{i}]");
            if e.date < s.start {
                self.push(
                    format!("{p}.date"),
                    format!("{} is before the scenario's start {}", e.date, s.start),
                );
            }
            self.known(&format!("{p}.actor"), &e.actor, &actors, "actor");
            if let Some(t) = &e.target {
                self.known(&format!("{p}.target"), t, &actors, "actor");
            }
            if let Some(iss) = &e.issue {
                self.known(&format!("{p}.issue"), iss, &issues, "issue");
            }
            if let Some(code) = &e.cameo
                && cameo::lookup(code).is_none()
            {
                self.push(
                    format!("{p}.cameo"),
                    format!("CAMEO code {code:?} is not in the table (`entente cameo` lists it)"),
                );
            }
            self.text(&format!("{p}.text"), &e.text);
            self.basis(&format!("{p}.basis"), &e.basis);
        }

        let m = &s.model;
        if !(m.lambda.is_finite() && m.lambda > 0.0 && m.lambda <= 1.0) {
            self.push(
                "$.model.lambda",
                format!("expected a step in (0, 1], found {}", show(m.lambda)),
            );
        }

        self.count("$.strikes", s.strikes.len(), limits::MAX_LIST);
        for (i, st) in s.strikes.iter().enumerate() {
            let p = format!("$.strikes[{i}]");
            self.theatre(&format!("{p}.theatre"), &st.theatre);
            let a = self.known(&format!("{p}.actor"), &st.actor, &actors, "actor");
            let i = self.known(&format!("{p}.issue"), &st.issue, &issues, "issue");
            if a && i {
                self.stance_of(&format!("{p}.actor"), &st.actor, &st.issue, &held);
            }
            if st.per_round == 0 || st.per_round > limits::MAX_STRIKES_PER_ROUND {
                self.push(
                    format!("{p}.per_round"),
                    format!(
                        "expected 1 to {} strikes a round, found {}",
                        limits::MAX_STRIKES_PER_ROUND,
                        st.per_round
                    ),
                );
            }
            self.basis(&format!("{p}.basis"), &st.basis);
        }

        self.count("$.ceasefires", s.ceasefires.len(), limits::MAX_LIST);
        let mut theatres = BTreeSet::new();
        for (i, c) in s.ceasefires.iter().enumerate() {
            let p = format!("$.ceasefires[{i}]");
            if self.theatre(&format!("{p}.theatre"), &c.theatre) && !theatres.insert(&c.theatre) {
                self.push(
                    format!("{p}.theatre"),
                    format!(
                        "a second ceasefire for {}; expected one per theatre",
                        c.theatre
                    ),
                );
            }
            let issue_known = self.known(&format!("{p}.issue"), &c.issue, &issues, "issue");
            if c.parties.len() < 2 {
                self.push(format!("{p}.parties"), "expected at least two parties");
            }
            self.distinct(&format!("{p}.parties"), &c.parties);
            for (k, party) in c.parties.iter().enumerate() {
                let pp = format!("{p}.parties[{k}]");
                if self.known(&pp, party, &actors, "actor") && issue_known {
                    self.stance_of(&pp, party, &c.issue, &held);
                }
            }
            self.nonnegative(&format!("{p}.tolerance"), c.tolerance, 100.0);
            self.position(&format!("{p}.threshold"), c.threshold);
            self.probability(&format!("{p}.hazard"), c.hazard);
            if c.collapse_after == 0 {
                self.push(
                    format!("{p}.collapse_after"),
                    "expected at least 1 violation",
                );
            }
            self.basis(&format!("{p}.basis"), &c.basis);
        }

        self.count("$.sanctions", s.sanctions.len(), limits::MAX_LIST);
        let mut regimes = BTreeSet::new();
        for (i, r) in s.sanctions.iter().enumerate() {
            let p = format!("$.sanctions[{i}]");
            if !is_issue_id(&r.id) {
                self.push(
                    format!("{p}.id"),
                    format!("expected a snake_case id, found {:?}", r.id),
                );
            } else if !regimes.insert(&r.id) {
                self.push(format!("{p}.id"), format!("duplicate regime id {}", r.id));
            }
            let a = self.known(&format!("{p}.imposer"), &r.imposer, &actors, "actor");
            let i = self.known(&format!("{p}.issue"), &r.issue, &issues, "issue");
            if a && i {
                self.stance_of(&format!("{p}.imposer"), &r.imposer, &r.issue, &held);
            }
            self.known(&format!("{p}.target"), &r.target, &actors, "actor");
            if r.imposer == r.target {
                self.push(format!("{p}.target"), "an actor cannot sanction itself");
            }
            self.count(&format!("{p}.renewals"), r.renewals.len(), limits::MAX_LIST);
            for (k, d) in r.renewals.iter().enumerate() {
                if *d < s.start {
                    self.push(
                        format!("{p}.renewals[{k}]"),
                        format!("{d} is before the scenario's start {}", s.start),
                    );
                }
                if k > 0 && *d <= r.renewals[k - 1] {
                    self.push(
                        format!("{p}.renewals[{k}]"),
                        "expected renewal dates in increasing order",
                    );
                }
            }
            self.position(&format!("{p}.renew_at"), r.renew_at);
            self.position(&format!("{p}.lift_below"), r.lift_below);
            if r.lift_below > r.renew_at {
                self.push(
                    format!("{p}.lift_below"),
                    format!(
                        "expected lift_below ({}) not above renew_at ({})",
                        r.lift_below, r.renew_at
                    ),
                );
            }
            self.basis(&format!("{p}.basis"), &r.basis);
        }

        if let Some(l) = &s.linkage {
            let linkage_known = self.known("$.linkage.issue", &l.issue, &issues, "issue");
            self.position("$.linkage.offer_at", l.offer_at);
            self.position("$.linkage.accept_at", l.accept_at);
            self.count("$.linkage.pairs", l.pairs.len(), limits::MAX_LIST);
            if l.cooldown_rounds > limits::MAX_ROUNDS {
                self.push(
                    "$.linkage.cooldown_rounds",
                    format!(
                        "expected at most {} rounds, found {}",
                        limits::MAX_ROUNDS,
                        l.cooldown_rounds
                    ),
                );
            }
            for (i, pair) in l.pairs.iter().enumerate() {
                let p = format!("$.linkage.pairs[{i}]");
                let mut traded = [false; 2];
                for (k, iss) in pair.issues.iter().enumerate() {
                    traded[k] = self.known(&format!("{p}.issues[{k}]"), iss, &issues, "issue");
                }
                for (who, field) in [(&pair.offerer, "offerer"), (&pair.receiver, "receiver")] {
                    let wp = format!("{p}.{field}");
                    if !self.known(&wp, who, &actors, "actor") {
                        continue;
                    }
                    if linkage_known {
                        self.stance_of(&wp, who, &l.issue, &held);
                    }
                    for (k, iss) in pair.issues.iter().enumerate() {
                        if traded[k] {
                            self.stance_of(&wp, who, iss, &held);
                        }
                    }
                }
                if pair.offerer == pair.receiver {
                    self.push(
                        format!("{p}.receiver"),
                        "an actor cannot offer itself a package",
                    );
                }
                if pair.issues[0] == pair.issues[1] {
                    self.push(format!("{p}.issues"), "expected two different issues");
                }
                if pair.issues.contains(&l.issue) {
                    self.push(
                        format!("{p}.issues"),
                        "the linkage issue itself cannot be traded in a package",
                    );
                }
                self.basis(&format!("{p}.basis"), &pair.basis);
            }
        }

        self.nonnegative("$.agreement.tolerance", s.agreement.tolerance, 100.0);

        let t = &s.trust;
        self.probability("$.trust.initial", t.initial);
        self.nonnegative("$.trust.rate", t.rate, 1.0);
        self.count("$.trust.pairs", t.pairs.len(), limits::MAX_LIST);
        for (i, pair) in t.pairs.iter().enumerate() {
            let p = format!("$.trust.pairs[{i}]");
            self.known(&format!("{p}.a"), &pair.a, &actors, "actor");
            self.known(&format!("{p}.b"), &pair.b, &actors, "actor");
            if pair.a == pair.b {
                self.push(format!("{p}.b"), "trust is between two different actors");
            }
            self.probability(&format!("{p}.value"), pair.value);
            self.basis(&format!("{p}.basis"), &pair.basis);
        }
    }

    /// Checks that ids are well formed and unique; returns the set of them.
    fn ids<'s>(
        &mut self,
        path: &str,
        ids: impl Iterator<Item = &'s str>,
        well_formed: fn(&str) -> bool,
        expected: &str,
    ) -> BTreeMap<&'s str, usize> {
        let mut seen = BTreeMap::new();
        for (i, id) in ids.enumerate() {
            if !well_formed(id) {
                self.push(
                    format!("{path}[{i}].id"),
                    format!("expected {expected}, found {id:?}"),
                );
            }
            if let Some(first) = seen.insert(id, i) {
                seen.insert(id, first);
                self.push(
                    format!("{path}[{i}].id"),
                    format!("duplicate id {id}; first used at {path}[{first}]"),
                );
            }
        }
        seen
    }

    fn known(&mut self, path: &str, id: &str, set: &BTreeMap<&str, usize>, what: &str) -> bool {
        if set.contains_key(id) {
            return true;
        }
        let hint = nearest(id, set.keys().copied())
            .map(|n| format!(" (did you mean {n}?)"))
            .unwrap_or_default();
        self.push(path, format!("unknown {what} {id:?}{hint}"));
        false
    }

    /// Requires that a known actor holds a stance on a known issue.
    fn stance_of(&mut self, path: &str, actor: &str, issue: &str, held: &BTreeSet<(&str, &str)>) {
        if !held.contains(&(actor, issue)) {
            self.push(
                path,
                format!("{actor} has no stance on {issue}; expected one in $.stances"),
            );
        }
    }

    fn distinct(&mut self, path: &str, ids: &[String]) {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.iter().enumerate() {
            if !seen.insert(id) {
                self.push(format!("{path}[{i}]"), format!("{id} is listed twice"));
            }
        }
    }

    fn theatre(&mut self, path: &str, id: &str) -> bool {
        let ok = is_issue_id(id);
        if !ok {
            self.push(
                path,
                format!("expected a snake_case theatre id, found {id:?}"),
            );
        }
        ok
    }

    fn text(&mut self, path: &str, text: &str) {
        if text.trim().is_empty() {
            self.push(path, "expected a non-empty text");
        } else if text.len() > limits::MAX_TEXT_BYTES {
            self.push(
                path,
                format!(
                    "text of {} bytes; the limit is {}",
                    text.len(),
                    limits::MAX_TEXT_BYTES
                ),
            );
        }
    }

    fn basis(&mut self, path: &str, basis: &str) {
        if basis.trim().is_empty() {
            self.push(
                path,
                "expected a basis: the source sentence, or \"analyst estimate\"",
            );
        } else {
            self.text(path, basis);
        }
    }

    fn position(&mut self, path: &str, x: f64) {
        if !(x.is_finite() && (0.0..=100.0).contains(&x)) {
            self.push(
                path,
                format!("expected a position from 0 to 100, found {x}"),
            );
        }
    }

    fn probability(&mut self, path: &str, p: f64) {
        if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
            self.push(
                path,
                format!("expected a value from 0 to 1, found {}", show(p)),
            );
        }
    }

    fn nonnegative(&mut self, path: &str, x: f64, max: f64) {
        if !(x.is_finite() && (0.0..=max).contains(&x)) {
            self.push(
                path,
                format!("expected a value from 0 to {max}, found {}", show(x)),
            );
        }
    }

    fn count(&mut self, path: &str, n: usize, max: usize) {
        if n > max {
            self.push(path, format!("{n} entries; the limit is {max}"));
        }
    }
}

/// A number as a message shows it: plainly when it is of a sensible size,
/// in scientific notation when printing every digit would flood the screen.
pub(crate) fn show(x: f64) -> String {
    if x.is_finite() && (x == 0.0 || (1e-6..1e9).contains(&x.abs())) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

fn is_actor_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('A'..='Z'))
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && id.len() <= 32
}

fn is_issue_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && id.len() <= 64
}

fn is_scenario_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some('a'..='z' | '0'..='9'))
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        && id.len() <= 64
}

/// The known id closest to `id` by case-insensitive edit distance, if close.
fn nearest<'a>(id: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let id = id.to_ascii_lowercase();
    known
        .map(|k| (edit_distance(&id, &k.to_ascii_lowercase()), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}
