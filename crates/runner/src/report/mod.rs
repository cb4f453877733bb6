//! Outcome reports: the story of a run, folded from its log.
//!
//! The report is built once ([`from_log`], in `build`), told once as a
//! document (`document`) and printed by the render layer in any format.
//! [`Report`] is the JSON contract of `report --format json`: fields may be
//! added, never renamed. Every status is a typed field, so the document
//! never reads the report's own prose.

mod build;
mod document;
mod threats;

pub use threats::{GroupReport, ThreatReport};

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use entente_core::Date;
use entente_core::event::RefusalReason;
use entente_core::forecast::Forecasts;

use crate::render::{Document, Render};

pub use build::{Builder, from_log};

/// The report of one run.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    /// Scenario id.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Run seed.
    pub seed: u64,
    /// Engine that wrote the log.
    pub engine: String,
    /// The negotiation model.
    pub model: String,
    /// Rounds the header announces.
    pub rounds: u32,
    /// Events in the log.
    pub events: u64,
    /// The fingerprint.
    pub head: String,
    /// Whether the log holds every round.
    pub complete: bool,
    /// Every outcome the run made happen, in order, by its stable key.
    pub outcomes: Vec<Happened>,
    /// Whether bargaining ended, and how.
    pub bargaining: BargainingReport,
    /// Per issue: forecasts, series and agreement.
    pub issues: Vec<IssueReport>,
    /// Per theatre: the ceasefire's story.
    pub ceasefires: Vec<CeasefireReport>,
    /// Per striker and theatre: strikes by target.
    pub strikes: Vec<StrikeReport>,
    /// Per regime: the renewal decisions.
    pub sanctions: Vec<RegimeReport>,
    /// Every package offered, with its answer.
    pub packages: Vec<PackageReport>,
    /// The same as `packages`, under the name the first version of this
    /// contract gave it; kept so tools written against it keep working.
    pub linkage: Vec<PackageReport>,
    /// Goldstein sum per round.
    pub cooperation: Vec<CooperationPoint>,
    /// The spatial model's assessment of each state: every actor's win
    /// probability and risk attitude (empty under other models).
    pub assessments: Vec<AssessmentReport>,
    /// The exchange model's rounds (empty under other models).
    pub exchange_rounds: Vec<ExchangeRoundReport>,
    /// Every threat and how it ended (empty when the scenario has none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub threats: Vec<ThreatReport>,
    /// Every group package the scenario lists, whether it was accepted,
    /// and why not (empty when the scenario lists none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupReport>,
    /// Every front: control round by round, who took it, and what the
    /// fighting cost each side at the table (empty when the scenario has
    /// none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fronts: Vec<FrontReport>,
    /// Scripted acts and the mechanisms' decisions, in order.
    pub timeline: Vec<KeyEvent>,
}

/// A front's story.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FrontReport {
    /// The front.
    pub id: String,
    /// Its theatre.
    pub theatre: String,
    /// Its two sides.
    pub sides: Vec<String>,
    /// Each side's share at each round's close (round 0: the start).
    pub series: Vec<FrontPoint>,
    /// The rounds in which a side took it.
    pub taken: Vec<FrontTaken>,
    /// Per side: the points it moved toward a ceasefire, and the salience
    /// it gained, because of this front (losses and learning).
    pub costs: Vec<FrontCost>,
}

/// A front's control at a round's close.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FrontPoint {
    /// The round.
    pub round: u32,
    /// Each side's share, in the sides' order.
    pub control: Vec<f64>,
    /// Whether the theatre's fighting was a mutually hurting stalemate
    /// this round (both sides lost, neither gained ground).
    pub stalemate: bool,
    /// Whether a way out stood open this round: the theatre's ceasefire
    /// has brokers, or a party to it stood at or above its threshold (a
    /// standing offer). With `stalemate`, Zartman's ripe moment.
    pub way_out: bool,
}

/// A side took a front.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct FrontTaken {
    /// The round.
    pub round: u32,
    /// The side.
    pub side: String,
}

/// What one front did to one side at the table.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct FrontCost {
    /// The side.
    pub actor: String,
    /// Points moved toward a ceasefire for what it lost.
    pub loss_points: f64,
    /// Points moved toward a ceasefire for winning less than it expected.
    pub learning_points: f64,
    /// Salience gained on the ceasefire issue.
    pub salience: f64,
}

/// How bargaining ended: the model stops moving positions once they
/// converge or cycle, while the calendar runs on.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BargainingReport {
    /// `converged`, `cycled`, or `moving` (still moving in the last round,
    /// or the scenario has no stop rule).
    pub status: String,
    /// The round it ended in.
    pub round: Option<u32>,
    /// A cycle's period, in rounds.
    pub period: Option<u32>,
    /// The round whose positions the cycle came back to.
    pub returns_to: Option<u32>,
    /// The stop rule: tolerance (points), quiet rounds, longest period;
    /// null when the scenario lets the model play every round.
    pub stop: Option<entente_core::scenario::StopRule>,
    /// Times a move from outside the bargaining (a package, a
    /// counterfactual) opened it again after it had ended.
    pub reopened: u32,
    /// Whether each issue's `forecast` is the mean over the cycle rather
    /// than the last round's.
    pub forecast_is_cycle_mean: bool,
    /// Set when it converged by the relative rule: the share of round 1's
    /// total movement that a round's fell below.
    pub relative: Option<f64>,
}

impl BargainingReport {
    /// How bargaining ended, in words: what every format prints.
    pub fn words(&self) -> String {
        let Some(stop) = self.stop else {
            return "the scenario has no stop rule; the model moved every round".to_owned();
        };
        let how = match (
            self.status.as_str(),
            self.round,
            self.period,
            self.returns_to,
        ) {
            ("converged", Some(round), ..) if self.relative.is_some() => format!(
                "converged in round {round}: its total movement fell below {} of round 1's",
                self.relative.unwrap_or_default()
            ),
            ("converged", Some(round), ..) => format!(
                "converged in round {round}: no position moved {} points or more for {} rounds running",
                stop.tolerance, stop.quiet_rounds
            ),
            ("cycled", Some(round), Some(period), Some(back)) => format!(
                "cycled in round {round}: positions came back to those of round {back} (a cycle of {period} rounds); each issue's forecast is the mean over the cycle"
            ),
            _ => format!(
                "still moving in the last round (neither still within {} points for {} rounds nor back to an earlier round's positions)",
                stop.tolerance, stop.quiet_rounds
            ),
        };
        let reopened = match self.reopened {
            0 => String::new(),
            1 => "; a move from outside the bargaining opened it again once".to_owned(),
            n => format!("; moves from outside the bargaining opened it again {n} times"),
        };
        format!("{how}{reopened}")
    }
}

/// The spatial model's view of one state (KTAB's per-state output).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AssessmentReport {
    /// The state: 0 for the opening positions, r for those round r ended
    /// with.
    pub round: u32,
    /// Actor → probability that its position wins.
    pub win_probabilities: BTreeMap<String, f64>,
    /// Actor → risk attitude (−1 … +1).
    pub risk: BTreeMap<String, f64>,
}

/// One round of the exchange model.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ExchangeRoundReport {
    /// The round.
    pub round: u32,
    /// Candidate exchanges built.
    pub candidates: u64,
    /// Exchanges realised (each also among `packages`).
    pub realised: u64,
    /// Ties settled by the run's stream.
    pub ties: u64,
    /// Issue → the outcome of the round's voting positions.
    pub outcomes: BTreeMap<String, f64>,
}

/// An outcome that happened.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Happened {
    /// Its key, as sweeps count it (`ceasefire_agreed:syria`).
    pub outcome: String,
    /// The event that made it happen.
    pub seq: u64,
    /// Its round.
    pub round: u32,
    /// Its date.
    pub date: Date,
}

/// One issue.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct IssueReport {
    /// Issue id.
    pub id: String,
    /// The question.
    pub question: String,
    /// What 0 means.
    pub low: String,
    /// What 100 means.
    pub high: String,
    /// Principals.
    pub principals: Vec<String>,
    /// The final forecasts.
    pub forecast: Forecasts,
    /// One point per round closed, from round 0.
    pub series: Vec<SeriesPoint>,
    /// The agreement, if one was signed.
    pub agreement: Option<AgreementReport>,
    /// Position changes on the issue after the opening draws.
    pub moves: u64,
    /// Position changes per actor.
    pub movers: BTreeMap<String, u64>,
}

/// An issue at the close of a round.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SeriesPoint {
    /// The round; 0 is the state before the first round.
    pub round: u32,
    /// The round's date.
    pub date: Date,
    /// Weighted mean.
    pub mean: f64,
    /// Weighted median.
    pub median: f64,
    /// Every member's position.
    pub positions: BTreeMap<String, f64>,
}

/// An agreement.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AgreementReport {
    /// Round signed.
    pub round: u32,
    /// Date signed.
    pub date: Date,
    /// Agreed position.
    pub position: f64,
    /// Principals who refused a brokered agreement.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub spoilers: Vec<String>,
    /// How far it was carried out: `signed`, `implemented` or `stalled`
    /// (only under an implementation rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Steps carried out (under an implementation rule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<u32>,
}

/// A ceasefire's story.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CeasefireReport {
    /// Theatre.
    pub theatre: String,
    /// Governing issue.
    pub issue: String,
    /// Parties.
    pub parties: Vec<String>,
    /// Patrons who broker it (format 2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub brokers: Vec<String>,
    /// Whether it was in force when the run started (from this log's own
    /// header).
    pub in_force_at_start: bool,
    /// Where it stands at the end.
    pub status: CeasefireState,
    /// First agreement.
    pub agreed: Option<Moment>,
    /// First collapse.
    pub collapsed: Option<Moment>,
    /// Violations over the run.
    pub violations: u32,
    /// Its first spell in force: how long it held, and whether it ended in
    /// a collapse (null if it was never in force).
    pub held: Option<HeldReport>,
    /// Every agreement, violation and collapse.
    pub story: Vec<Moment>,
}

/// How long a ceasefire's first spell in force lasted.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct HeldReport {
    /// Rounds, from the round it came into force (0 if in force at the
    /// start) to its first collapse or the run's end.
    pub rounds: u32,
    /// The same in weeks.
    pub weeks: f64,
    /// Whether it ended in a collapse (false: in force at the run's end).
    pub collapsed: bool,
}

/// Where a ceasefire stands.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub enum CeasefireState {
    /// Never agreed (and not in force at the start).
    #[serde(rename = "never agreed")]
    NeverAgreed,
    /// In force.
    #[serde(rename = "in force")]
    InForce,
    /// Collapsed.
    #[serde(rename = "collapsed")]
    Collapsed,
}

impl fmt::Display for CeasefireState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CeasefireState::NeverAgreed => "never agreed",
            CeasefireState::InForce => "in force",
            CeasefireState::Collapsed => "collapsed",
        })
    }
}

/// A dated happening in a ceasefire's story.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Moment {
    /// Seq of the event.
    pub seq: u64,
    /// Round.
    pub round: u32,
    /// Date.
    pub date: Date,
    /// What kind of happening.
    pub kind: MomentKind,
    /// What happened, in words.
    pub what: String,
}

/// The kinds of happening in a ceasefire's story.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MomentKind {
    /// The ceasefire was agreed.
    Agreed,
    /// A party violated it.
    Violated,
    /// It collapsed.
    Collapsed,
}

/// Strikes of one striker in one theatre.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StrikeReport {
    /// Striker.
    pub striker: String,
    /// Theatre.
    pub theatre: String,
    /// Strikes on designated terrorists.
    pub designated_terrorists: u64,
    /// Strikes on other armed opposition.
    pub other_opposition: u64,
    /// Strikes on a threatened actor's forces (a threat carried out).
    #[serde(skip_serializing_if = "is_zero")]
    pub threatened: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A sanction regime's fate.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RegimeReport {
    /// Regime id.
    pub id: String,
    /// Imposer.
    pub imposer: String,
    /// Target.
    pub target: String,
    /// Where it stands at the end.
    pub status: RegimeStatus,
    /// Level at the end: 1 whole, 0 lifted.
    pub level: f64,
    /// Every renewal decision.
    pub decisions: Vec<Decision>,
}

/// Where a regime stands.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub enum RegimeStatus {
    /// Whole.
    #[serde(rename = "in force")]
    InForce,
    /// At a lower level.
    #[serde(rename = "eased")]
    Eased,
    /// Lifted.
    #[serde(rename = "lifted")]
    Lifted,
}

impl RegimeStatus {
    /// The status of a regime at `level`.
    pub fn at(level: f64) -> RegimeStatus {
        if level <= 0.0 {
            RegimeStatus::Lifted
        } else if level < 1.0 {
            RegimeStatus::Eased
        } else {
            RegimeStatus::InForce
        }
    }
}

impl fmt::Display for RegimeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RegimeStatus::InForce => "in force",
            RegimeStatus::Eased => "eased",
            RegimeStatus::Lifted => "lifted",
        })
    }
}

/// A renewal decision.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Decision {
    /// Round.
    pub round: u32,
    /// Date decided.
    pub date: Date,
    /// The renewal date.
    pub due: Date,
    /// What was decided.
    pub decision: DecisionKind,
    /// The imposer's position (the pivotal member's, when members vote).
    pub position: f64,
    /// Level after.
    pub level: f64,
    /// Each member's vote (`renew`, `ease`, `lift`), when members vote.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub votes: BTreeMap<String, entente_core::event::Vote>,
}

/// What a renewal decided.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Renewed at its level.
    Renewed,
    /// Renewed at a lower level.
    Eased,
    /// Lifted.
    Lifted,
    /// Imposed again at full level (a threat carried out).
    Imposed,
}

impl fmt::Display for DecisionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecisionKind::Renewed => "renewed",
            DecisionKind::Eased => "eased",
            DecisionKind::Lifted => "lifted",
            DecisionKind::Imposed => "imposed",
        })
    }
}

/// A package and its answer.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PackageReport {
    /// Round.
    pub round: u32,
    /// Date.
    pub date: Date,
    /// Offerer.
    pub offerer: String,
    /// Receiver.
    pub receiver: String,
    /// Issue the offerer yields on, and to where.
    pub offerer_yields: (String, f64),
    /// Issue the receiver yields on, and to where.
    pub receiver_yields: (String, f64),
    /// Each side's gain.
    pub gain: f64,
    /// The receiver's answer.
    pub answer: Answer,
    /// Why refused.
    pub reason: Option<RefusalReason>,
}

/// A receiver's answer to a package.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Accepted.
    Accepted,
    /// Refused.
    Refused,
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Answer::Accepted => "accepted",
            Answer::Refused => "refused",
        })
    }
}

/// Why a package was refused, in words.
pub fn refusal_words(reason: RefusalReason) -> &'static str {
    match reason {
        RefusalReason::LinkageRejected => "linkage rejected",
        RefusalReason::NotWorthIt => "not worth it",
    }
}

/// Cooperation in one round.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CooperationPoint {
    /// Round.
    pub round: u32,
    /// Sum of the Goldstein values of the round's events.
    pub goldstein: f64,
}

/// A key event for the timeline.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct KeyEvent {
    /// Seq.
    pub seq: u64,
    /// Round.
    pub round: u32,
    /// Date.
    pub date: Date,
    /// Event type.
    pub event: String,
    /// CAMEO code.
    pub cameo: String,
    /// In words.
    pub text: String,
}

impl Render for Report {
    fn document(&self) -> Document {
        document::document(self)
    }

    fn json(&self) -> String {
        crate::render::pretty_json(self)
    }
}
