//! Events: the only way state changes, and the serialization boundary.
//!
//! On disk an event is externally tagged with a chosen snake_case word
//! (`{"position_changed": {...}}`); these names are part of the log format and
//! never change. They are listed once, in `events!` below. Each event knows
//! its CAMEO code, so every log line carries the code and its Goldstein
//! value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cameo;
use crate::date::Date;
use crate::scenario::ActKind;

/// An actor, issue, theatre or other scenario id as an event carries it:
/// the same string in the log, but held inline up to 24 bytes, so reading
/// the commonest events allocates nothing for their ids.
pub type Id = compact_str::CompactString;

mod assessed;
mod cause;
mod crisis;

pub use assessed::{ExchangeRound, StateAssessed};
pub use cause::{Cause, FrontCause, OfferKind};
pub use crisis::{
    AgreementProgress, Answer, Ballot, BodyVote, CapabilityChanged, ControlCause, ControlChanged,
    GroupPackage, GroupPackageRefused, SalienceChanged, Shift, SideControl, ThreatAnswered,
    ThreatRecord, TrustChanged,
};

/// Declares [`Event`] and [`EventKind`] from one list: each event type,
/// its fields and its chosen on-disk name, written once. serde tags the
/// event with that name, [`EventKind::name`] returns it and
/// [`EventKind::named`] reads it back, so the log format, the messages that
/// name an event type and a branch's injections cannot disagree.
macro_rules! events {
    ($($(#[doc = $doc:literal])* $variant:ident($fields:ty) = $name:literal,)*) => {
        /// One fact at one round.
        #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
        pub enum Event {
            $($(#[doc = $doc])* #[serde(rename = $name)] $variant($fields),)*
        }

        /// The type of an event, without its fields.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum EventKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl EventKind {
            /// Every event type, in the order [`Event`] lists them.
            pub const ALL: &[EventKind] = &[$(EventKind::$variant),*];

            /// The chosen on-disk name of the event type.
            pub fn name(self) -> &'static str {
                match self {
                    $(EventKind::$variant => $name,)*
                }
            }
        }

        impl Event {
            /// The event's type.
            pub fn kind(&self) -> EventKind {
                match self {
                    $(Event::$variant(_) => EventKind::$variant,)*
                }
            }
        }
    };
}

events! {
    /// An act from the scenario's timeline (or injected into a branch).
    Scripted(Scripted) = "scripted",
    /// The model's risk exponents on an issue for this round.
    RiskUpdated(RiskUpdated) = "risk_updated",
    /// An actor moved on an issue.
    PositionChanged(PositionChanged) = "position_changed",
    /// An airstrike.
    Strike(Strike) = "strike",
    /// A ceasefire came into force.
    CeasefireAgreed(CeasefireAgreed) = "ceasefire_agreed",
    /// A party violated a ceasefire in force.
    CeasefireViolated(CeasefireViolated) = "ceasefire_violated",
    /// A ceasefire collapsed under its violations.
    CeasefireCollapsed(CeasefireCollapsed) = "ceasefire_collapsed",
    /// A sanction regime was renewed unchanged.
    SanctionsRenewed(SanctionsDecision) = "sanctions_renewed",
    /// A sanction regime was renewed at a lower level.
    SanctionsEased(SanctionsDecision) = "sanctions_eased",
    /// A sanction regime was lifted.
    SanctionsLifted(SanctionsDecision) = "sanctions_lifted",
    /// An actor offered a package across two issues.
    PackageOffered(PackageTerms) = "package_offered",
    /// The receiver accepted a package.
    PackageAccepted(PackageTerms) = "package_accepted",
    /// The receiver refused a package.
    PackageRefused(PackageRefused) = "package_refused",
    /// Every principal came within tolerance of the forecast on an issue.
    AgreementSigned(AgreementSigned) = "agreement_signed",
    /// A round ended: the forecasts on every issue.
    RoundClosed(RoundClosed) = "round_closed",
    /// Bargaining is over: positions stood still for some rounds running.
    BargainingConverged(BargainingConverged) = "bargaining_converged",
    /// Bargaining is over: positions came back to an earlier round's.
    BargainingCycled(BargainingCycled) = "bargaining_cycled",
    /// The spatial model's assessment of the state a round starts from.
    StateAssessed(StateAssessed) = "state_assessed",
    /// What a round of the exchange model did.
    ExchangeRound(ExchangeRound) = "exchange_round",
    /// An actor's salience on an issue changed.
    SalienceChanged(SalienceChanged) = "salience_changed",
    /// An actor's capability changed.
    CapabilityChanged(CapabilityChanged) = "capability_changed",
    /// Trust between two actors changed.
    TrustChanged(TrustChanged) = "trust_changed",
    /// A regime lifted or eased was imposed again at full level.
    SanctionsImposed(SanctionsDecision) = "sanctions_imposed",
    /// A round in which every bound principal complied with an agreement.
    AgreementStep(AgreementProgress) = "agreement_step",
    /// An agreement was carried out in full.
    AgreementImplemented(AgreementProgress) = "agreement_implemented",
    /// An agreement stalled: a principal stopped complying for some rounds.
    AgreementStalled(AgreementProgress) = "agreement_stalled",
    /// A stalled agreement was taken up again: every principal complies.
    AgreementReopened(AgreementProgress) = "agreement_reopened",
    /// A threat was made.
    ThreatMade(ThreatRecord) = "threat_made",
    /// A threat's deadline was put back.
    ThreatExtended(ThreatRecord) = "threat_extended",
    /// A threat was carried out.
    ThreatCarriedOut(ThreatRecord) = "threat_carried_out",
    /// A threat was withdrawn: its condition was met.
    ThreatWithdrawn(ThreatRecord) = "threat_withdrawn",
    /// A package among three or more parties was offered.
    GroupPackageOffered(GroupPackage) = "group_package_offered",
    /// Every party accepted a group package.
    GroupPackageAccepted(GroupPackage) = "group_package_accepted",
    /// A party refused a group package.
    GroupPackageRefused(GroupPackageRefused) = "group_package_refused",
    /// A threat's target answered it: complied or held, with the numbers.
    ThreatAnswered(ThreatAnswered) = "threat_answered",
    /// A threat fell due and its author no longer stood where it would act.
    ThreatLapsed(ThreatRecord) = "threat_lapsed",
    /// A carried-out threat's punishment ended (its duration ran out or its
    /// condition was met).
    ThreatEnded(ThreatRecord) = "threat_ended",
    /// A body adopted a draft resolution: the yes votes reached its quota
    /// and no member with a veto voted no.
    ResolutionAdopted(BodyVote) = "resolution_adopted",
    /// A member with a veto voted a draft resolution down.
    ResolutionVetoed(BodyVote) = "resolution_vetoed",
    /// A draft resolution fell short of its body's quota, with no veto.
    ResolutionFailed(BodyVote) = "resolution_failed",
    /// Fighting moved control of a front.
    ControlChanged(ControlChanged) = "control_changed",
}

impl EventKind {
    /// The event type with the on-disk name `name`, if there is one.
    pub fn named(name: &str) -> Option<EventKind> {
        EventKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// Bargaining converged. Every field is the state's, filled by
/// [`State::settle`](crate::State::settle).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BargainingConverged {
    /// Rounds running in which no position moved more than the tolerance.
    #[serde(default)]
    pub quiet_rounds: u32,
    /// The tolerance, in points.
    #[serde(default)]
    pub tolerance: f64,
    /// Set when the relative rule decided: the share of round 1's total
    /// movement that the round's fell below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relative: Option<f64>,
}

/// Bargaining cycled. Every field is the state's, filled by
/// [`State::settle`](crate::State::settle).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BargainingCycled {
    /// Rounds in one cycle (2 or more).
    #[serde(default)]
    pub period: u32,
    /// The round whose positions came back.
    #[serde(default)]
    pub returns_to: u32,
    /// The tolerance, in points.
    #[serde(default)]
    pub tolerance: f64,
}

/// A scripted act.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scripted {
    /// What kind of act.
    pub kind: ActKind,
    /// Who acts.
    pub actor: Id,
    /// Towards whom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Id>,
    /// On which issue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<Id>,
    /// Its CAMEO code.
    pub cameo: String,
    /// What happened.
    pub text: String,
}

/// Risk exponents r of every actor with a stance on an issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskUpdated {
    /// The issue.
    pub issue: Id,
    /// Actor id → r (0.5 risk-acceptant … 2 risk-averse).
    pub exponents: BTreeMap<Id, f64>,
}

/// A move on an issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PositionChanged {
    /// Who moved.
    pub actor: Id,
    /// On which issue.
    pub issue: Id,
    /// Position before. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub from: f64,
    /// Position after.
    pub to: f64,
    /// Why.
    pub cause: Cause,
}

/// An airstrike.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strike {
    /// Who struck.
    pub striker: Id,
    /// Where.
    pub theatre: Id,
    /// Whom.
    pub target: StrikeTarget,
    /// Whose forces a strike on other opposition (or a threat's strike)
    /// hit, where the scenario says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hits: Option<Id>,
}

impl Strike {
    /// A strike by `striker` in `theatre` on `target`, hitting `hits`'
    /// forces: the one place a strike's ids are made.
    pub fn new(striker: &str, theatre: &str, target: StrikeTarget, hits: Option<&str>) -> Strike {
        Strike {
            striker: Id::from(striker),
            theatre: Id::from(theatre),
            target,
            hits: hits.map(Id::from),
        }
    }
}

/// Whom a strike hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StrikeTarget {
    /// Groups designated as terrorist (ISIL and the like).
    DesignatedTerrorists,
    /// Other armed opposition.
    OtherOpposition,
    /// The forces of a threatened actor: a threat carried out.
    Threatened,
}

impl StrikeTarget {
    /// How many kinds of target there are.
    pub const COUNT: usize = 3;

    /// The target's place in a count by target: designated terrorists,
    /// other opposition, threatened forces.
    pub fn index(self) -> usize {
        match self {
            StrikeTarget::DesignatedTerrorists => 0,
            StrikeTarget::OtherOpposition => 1,
            StrikeTarget::Threatened => 2,
        }
    }
}

/// A ceasefire came into force.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CeasefireAgreed {
    /// Where.
    pub theatre: Id,
    /// Who agreed. Filled by [`State::settle`](crate::State::settle), as
    /// are the terms below.
    #[serde(default)]
    pub parties: Vec<Id>,
    /// The parties' mean position on the governing issue.
    #[serde(default)]
    pub mean: f64,
    /// The distance between the parties' extreme positions (of the
    /// brokers, for a brokered ceasefire).
    #[serde(default)]
    pub spread: f64,
    /// The patrons who brokered it. Filled by
    /// [`State::settle`](crate::State::settle).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brokers: Vec<Id>,
    /// Parties who refused a brokered ceasefire: it does not bind them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spoilers: Vec<Id>,
}

/// A ceasefire violation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CeasefireViolated {
    /// Where.
    pub theatre: Id,
    /// Who violated it.
    pub by: Id,
    /// How.
    pub cause: ViolationCause,
    /// Violations of this ceasefire so far, this one included. Filled by
    /// [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub violations: u32,
}

/// How a ceasefire was violated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationCause {
    /// Drawn from the violation hazard.
    Hazard {
        /// The hazard that round.
        hazard: f64,
    },
    /// An airstrike on other armed opposition.
    Strike,
    /// Put into the history from outside the model.
    External,
}

/// A ceasefire collapsed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CeasefireCollapsed {
    /// Where.
    pub theatre: Id,
    /// Violations it suffered. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub violations: u32,
    /// The chance it had of collapsing that round, for a ceasefire that
    /// collapses by a hazard (absent for one that collapses on a count of
    /// violations). Filled by [`State::settle`](crate::State::settle).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hazard: Option<f64>,
}

/// A decision on a sanction regime at a renewal date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanctionsDecision {
    /// Which regime.
    pub regime: Id,
    /// Who decided (the regime's imposer; empty when members vote).
    #[serde(default, skip_serializing_if = "Id::is_empty")]
    pub imposer: Id,
    /// Who is sanctioned. Filled by [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub target: Id,
    /// The renewal date decided.
    pub due: Date,
    /// The imposer's position on the regime's issue (the pivotal
    /// member's, when members vote), read as the issue's polarity says: high
    /// = keep.
    pub position: f64,
    /// The regime's level after the decision: 1 whole, 0 lifted.
    pub level: f64,
    /// Each member's vote, when members vote.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub votes: BTreeMap<Id, Vote>,
}

/// A member's vote on a regime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vote {
    /// Renew it whole.
    Renew,
    /// Renew it at a lower level.
    Ease,
    /// Lift it.
    Lift,
}

/// A package across two issues: each side yields on one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageTerms {
    /// Who offers.
    pub offerer: Id,
    /// Who is offered.
    pub receiver: Id,
    /// What the offerer gives.
    pub offerer_yields: Concession,
    /// What the receiver gives.
    pub receiver_yields: Concession,
    /// Each side's gain (salience × move of the weighted mean toward it).
    pub gain: f64,
}

/// A move one side of a package makes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concession {
    /// On which issue.
    pub issue: Id,
    /// To which position.
    pub to: f64,
}

/// A refused package.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageRefused {
    /// The terms refused.
    pub terms: PackageTerms,
    /// Why.
    pub reason: RefusalReason,
}

/// Why a receiver refused a package.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalReason {
    /// Its position on the linkage issue does not allow linking issues.
    LinkageRejected,
    /// Its expected utility of the package is not positive.
    NotWorthIt,
}

/// An agreement on an issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementSigned {
    /// The issue.
    pub issue: Id,
    /// The agreed position (the agreement mechanism signs at the forecast
    /// its rule names: [`State::agreement_forecast`](crate::State::agreement_forecast)).
    pub position: f64,
    /// Who signed: the issue's principals. Filled by
    /// [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub principals: Vec<Id>,
    /// Principals who refused a brokered agreement: it does not bind them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub spoilers: Vec<Id>,
}

/// The end of a round.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundClosed {
    /// The round closed; 0 is the state before the first round.
    pub round: u32,
    /// The forecasts on every issue, in scenario order. Filled by
    /// [`State::settle`](crate::State::settle).
    #[serde(default)]
    pub issues: Vec<IssueForecast>,
}

/// The two forecasts on one issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueForecast {
    /// The issue.
    pub issue: Id,
    /// Capability×salience weighted mean.
    pub mean: f64,
    /// Weighted (Condorcet) median.
    pub median: f64,
}

/// The CAMEO code of bookkeeping records (round ends, risk exponents,
/// position moves): a neutral statement, Goldstein 0, so every line has a code
/// and the cooperation curve counts only acts between actors.
pub const NEUTRAL_CAMEO: &str = "010";

impl Event {
    /// The chosen on-disk name of the event type.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// The event's CAMEO code.
    pub fn cameo(&self) -> &str {
        match self {
            Event::Scripted(s) => &s.cameo,
            Event::RiskUpdated(_)
            | Event::PositionChanged(_)
            | Event::RoundClosed(_)
            | Event::BargainingConverged(_)
            | Event::BargainingCycled(_)
            | Event::StateAssessed(_)
            | Event::ExchangeRound(_)
            | Event::SalienceChanged(_)
            | Event::CapabilityChanged(_)
            | Event::TrustChanged(_) => NEUTRAL_CAMEO,
            Event::Strike(_) => "195",
            Event::ControlChanged(_) => "192",
            Event::SanctionsImposed(_) => "163",
            Event::AgreementStep(_) | Event::AgreementImplemented(_) => "080",
            Event::AgreementStalled(_) => "120",
            Event::AgreementReopened(_) => "036",
            Event::ThreatMade(_) | Event::ThreatExtended(_) | Event::ThreatCarriedOut(_) => "138",
            Event::ThreatWithdrawn(_) | Event::ThreatLapsed(_) | Event::ThreatEnded(_) => "0356",
            Event::ThreatAnswered(a) => match a.answer {
                Answer::Complied => "080",
                Answer::Held => NEUTRAL_CAMEO,
            },
            Event::CeasefireAgreed(_) => "0871",
            Event::CeasefireViolated(_) | Event::CeasefireCollapsed(_) => "196",
            Event::SanctionsRenewed(_) => "163",
            Event::SanctionsEased(_) | Event::SanctionsLifted(_) => "085",
            Event::PackageOffered(_) | Event::GroupPackageOffered(_) => "036",
            Event::PackageAccepted(_)
            | Event::AgreementSigned(_)
            | Event::GroupPackageAccepted(_) => "057",
            Event::PackageRefused(_) | Event::GroupPackageRefused(_) => "1244",
            Event::ResolutionAdopted(_) => "057",
            Event::ResolutionVetoed(_) => "129",
            Event::ResolutionFailed(_) => "120",
        }
    }

    /// The Goldstein value of the event's CAMEO code. The engine's own
    /// codes are constants (a test holds them to the table); a scripted
    /// event's code is looked up.
    pub fn goldstein(&self) -> f64 {
        match self {
            Event::Scripted(s) => cameo::goldstein(&s.cameo),
            Event::RiskUpdated(_)
            | Event::PositionChanged(_)
            | Event::RoundClosed(_)
            | Event::BargainingConverged(_)
            | Event::BargainingCycled(_)
            | Event::StateAssessed(_)
            | Event::ExchangeRound(_)
            | Event::SalienceChanged(_)
            | Event::CapabilityChanged(_)
            | Event::TrustChanged(_) => 0.0,
            Event::Strike(_) => -10.0,
            Event::ControlChanged(_) => -9.5,
            Event::SanctionsImposed(_) => -8.0,
            Event::AgreementStep(_) | Event::AgreementImplemented(_) => 5.0,
            Event::AgreementStalled(_) => -4.0,
            Event::AgreementReopened(_) => 4.0,
            Event::ThreatMade(_) | Event::ThreatExtended(_) | Event::ThreatCarriedOut(_) => -7.0,
            Event::ThreatWithdrawn(_) | Event::ThreatLapsed(_) | Event::ThreatEnded(_) => 7.0,
            Event::ThreatAnswered(a) => match a.answer {
                Answer::Complied => 5.0,
                Answer::Held => 0.0,
            },
            Event::CeasefireAgreed(_) => 9.0,
            Event::CeasefireViolated(_) | Event::CeasefireCollapsed(_) => -9.5,
            Event::SanctionsRenewed(_) => -8.0,
            Event::SanctionsEased(_) | Event::SanctionsLifted(_) => 7.0,
            Event::PackageOffered(_) | Event::GroupPackageOffered(_) => 4.0,
            Event::PackageAccepted(_)
            | Event::AgreementSigned(_)
            | Event::GroupPackageAccepted(_) => 8.0,
            Event::PackageRefused(_) | Event::GroupPackageRefused(_) => -4.0,
            Event::ResolutionAdopted(_) => 8.0,
            Event::ResolutionVetoed(_) => -5.0,
            Event::ResolutionFailed(_) => -4.0,
        }
    }
}

/// An event type's name with its indefinite article, as a sentence reads
/// it: "an agreement_signed", "a strike".
pub fn article(name: &str) -> String {
    let vowel = name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {name}", if vowel { "an" } else { "a" })
}

/// An event as it stands in a log: numbered, in a round, dated.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// 1, 2, 3, … with no gaps.
    pub seq: u64,
    /// The round it belongs to; 0 before the first round.
    pub round: u32,
    /// Its date.
    pub date: Date,
    /// What happened.
    pub event: Event,
}

#[cfg(test)]
mod tests;
