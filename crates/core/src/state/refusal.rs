//! Why an event cannot happen in a state: one variant per rule, so a caller
//! (the engine, replay, a branch, the law suite) can tell why without
//! reading a message.

use crate::scenario::show;

/// Why an event cannot be applied to a state.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Refusal {
    /// The event names an actor the scenario does not have.
    #[error("unknown actor {0:?}")]
    UnknownActor(String),
    /// The event names an issue the scenario does not have.
    #[error("unknown issue {0:?}")]
    UnknownIssue(String),
    /// The event names a theatre no strike or ceasefire is in.
    #[error("unknown theatre {0:?}")]
    UnknownTheatre(String),
    /// The event names a theatre without a ceasefire.
    #[error("no ceasefire is defined for theatre {0:?}")]
    NoCeasefire(String),
    /// The event names a sanction regime the scenario does not have.
    #[error("unknown sanction regime {0:?}")]
    UnknownRegime(String),
    /// The actor holds no stance on the issue.
    #[error("{actor} has no stance on {issue}")]
    NoStance {
        /// The actor.
        actor: String,
        /// The issue.
        issue: String,
    },
    /// A CAMEO code that is not in the table.
    #[error("CAMEO code {0:?} is not in the table")]
    UnknownCameo(String),
    /// A point that is not on the 0–100 scale.
    #[error("{what} is {}, outside 0–100", show(*.value))]
    OffScale {
        /// What the number is.
        what: String,
        /// The number.
        value: f64,
    },
    /// A field the state determines says something else than the state.
    #[error("{what} is {}, but the state gives {}", .event, .state)]
    Unsettled {
        /// The field, in words.
        what: String,
        /// What the event says.
        event: String,
        /// What the state gives.
        state: String,
    },
    /// The issue is settled by an agreement: no position on it moves.
    #[error("{0} is settled by an agreement")]
    IssueSettled(String),
    /// The issue is agreed already.
    #[error("{0} is already agreed")]
    AlreadyAgreed(String),
    /// The ceasefire is in force already.
    #[error("the {0} ceasefire is already in force")]
    CeasefireInForce(String),
    /// A violation by an actor that is not a party to the ceasefire (nor
    /// a striker in its theatre, for a violation by a strike).
    #[error("{actor} is not a party to the {theatre} ceasefire (nor strikes there)")]
    NotAParty {
        /// Who.
        actor: String,
        /// Where.
        theatre: String,
    },
    /// A violation's hazard outside 0–1.
    #[error("hazard {} is outside 0–1", show(*.0))]
    HazardOffScale(f64),
    /// A strike by an actor with no strike capacity in the theatre.
    #[error("{actor} has no strike capacity in {theatre}")]
    NoStrikeCapacity {
        /// Who.
        actor: String,
        /// Where.
        theatre: String,
    },
    /// More strikes in a round than the striker's capacity.
    #[error("{actor} strikes at most {limit} times a round in {theatre}")]
    TooManyStrikes {
        /// Who.
        actor: String,
        /// Where.
        theatre: String,
        /// Its strikes a round.
        limit: u32,
    },
    /// The ceasefire is not in force, so it cannot be violated or collapse.
    #[error("the {0} ceasefire is not in force")]
    CeasefireNotInForce(String),
    /// Someone other than a regime's imposer decided it.
    #[error("{by} does not impose {regime}; only {imposer} decides it")]
    NotImposer {
        /// Who decided.
        by: String,
        /// The regime.
        regime: String,
        /// Who imposes it.
        imposer: String,
    },
    /// The regime has been lifted and is decided no more.
    #[error("{0} has been lifted")]
    RegimeLifted(String),
    /// A sanction level outside 0–1.
    #[error("sanction level {} is outside 0–1", show(*.0))]
    LevelOffScale(f64),
    /// A risk exponent that is not a positive number.
    #[error("risk exponent {} of {actor} is not a positive number", show(*.value))]
    BadRisk {
        /// Whose exponent.
        actor: String,
        /// The exponent.
        value: f64,
    },
    /// A model's figure outside its range.
    #[error("{what} is {}, outside {range}", show(*.value))]
    OffRange {
        /// Which figure.
        what: String,
        /// Its value.
        value: f64,
        /// The range it must lie in.
        range: &'static str,
    },
    /// A round closed out of turn.
    #[error("round {closes} cannot close during round {current}")]
    WrongRound {
        /// The round the event closes.
        closes: u32,
        /// The round in progress.
        current: u32,
    },
    /// A round's close that does not list every issue in order.
    #[error("the close lists {listed} issues; there are {issues}")]
    CloseIssues {
        /// Issues the close lists.
        listed: usize,
        /// Issues the scenario has.
        issues: usize,
    },
    /// A claim that bargaining is over that the positions do not bear out.
    #[error("bargaining has not {claim}: {state}")]
    BargainingNotOver {
        /// What the event claims (`converged`, `cycled with period 2`).
        claim: String,
        /// What the positions say.
        state: String,
    },
    /// Members' votes that do not decide what the event says.
    #[error("the votes on {regime} do not carry it: {why}")]
    Votes {
        /// The regime.
        regime: String,
        /// What is wrong with them.
        why: String,
    },
    /// A vote on a draft resolution no body has.
    #[error("no body has a draft resolution {0} (BODY:ISSUE)")]
    UnknownResolution(String),
    /// A vote on a draft resolution adopted already.
    #[error("{0} is adopted already: a body adopts a resolution once")]
    ResolutionAdopted(String),
    /// A vote that is not what the members' positions and the body's rule
    /// give (the body law: no adoption against a veto or below the quota).
    #[error("the vote on {0} is not the body's: {1}")]
    VoteDiffers(String, String),
    /// A regime imposed again while it stands whole.
    #[error("{0} is in force at full level already")]
    RegimeWhole(String),
    /// A stage of carrying out an agreement on an issue not agreed.
    #[error("{0} is not agreed")]
    NotAgreed(String),
    /// A stage of an agreement out of turn.
    #[error("{issue}: {event} does not follow the agreement's stage")]
    AgreementStage {
        /// The issue.
        issue: String,
        /// The event's name.
        event: &'static str,
    },
    /// An agreement carried out or reopened although one who must act on
    /// it refused it.
    #[error("the agreement on {issue} needs {actor}, who refused it")]
    NeedsRefuser {
        /// The issue.
        issue: String,
        /// Who refused.
        actor: String,
    },
    /// An actor named as a principal of an issue that is not one.
    #[error("{actor} is not a principal of {issue}")]
    NotAPrincipal {
        /// Who.
        actor: String,
        /// The issue.
        issue: String,
    },
    /// The event names a threat the scenario does not have.
    #[error("unknown threat {0:?}")]
    UnknownThreat(String),
    /// A stage of a threat out of turn.
    #[error("{threat}: {event} does not follow the threat's stage")]
    ThreatStage {
        /// The threat.
        threat: String,
        /// The event's name.
        event: &'static str,
    },
    /// A threat carried out when its author no longer stands where it
    /// would act, or lapsed while it still does.
    #[error("{threat}: {event} does not follow its author's resolve (it {holds})")]
    ThreatResolve {
        /// The threat.
        threat: String,
        /// The event's name.
        event: &'static str,
        /// What the resolve does now.
        holds: &'static str,
    },
    /// A threat's extension that does not put its deadline later.
    #[error(
        "{threat}: an extension must put the deadline later than the one standing, {standing}; the event gives {deadline}"
    )]
    ThreatNotLater {
        /// The threat.
        threat: String,
        /// The deadline the event gives.
        deadline: crate::date::Date,
        /// The deadline standing.
        standing: crate::date::Date,
    },
    /// An injected threat's extension to a deadline the run never reaches.
    #[error(
        "{threat}: an extension must keep the deadline within the run, which ends {last}; the event gives {deadline}, which would never fall due"
    )]
    ThreatBeyondRun {
        /// The threat.
        threat: String,
        /// The deadline the event gives.
        deadline: crate::date::Date,
        /// The run's last day.
        last: crate::date::Date,
    },
    /// A change of an actor's trust in itself.
    #[error("{0} cannot trust or distrust itself")]
    SelfTrust(String),
    /// An event of the engine's own bookkeeping, which cannot be injected.
    #[error("{0} is the engine's bookkeeping; it cannot be put into a history")]
    Bookkeeping(String),
    /// An injected event that does not parse.
    #[error("{0}")]
    Malformed(String),
    /// The event names a front the scenario does not have.
    #[error("unknown front {0:?}")]
    UnknownFront(String),
    /// Control of a front changed while a ceasefire held in its theatre
    /// and nobody on either side violated it this round.
    #[error(
        "the {theatre} ceasefire holds and nobody on the {front} front violated it this round: its control cannot shift"
    )]
    FrontFrozen {
        /// The front.
        front: String,
        /// Its theatre.
        theatre: String,
    },
    /// Control of a front changed twice in a round, or with no forces
    /// there, or to what it was.
    #[error(
        "control of the {0} front cannot change now: it changed this round already, or nothing fights there"
    )]
    FrontStill(String),
}

impl Refusal {
    /// A refusal of `value` as a `what` unless it is on the scale.
    pub(crate) fn unless_on_scale(
        what: impl FnOnce() -> String,
        value: f64,
    ) -> Result<(), Refusal> {
        if crate::scale::contains(value) {
            Ok(())
        } else {
            Err(Refusal::OffScale {
                what: what(),
                value,
            })
        }
    }

    /// A refusal of `value` as `what` unless it lies in `[lo, hi]` (`what`
    /// is only written out for a refusal).
    pub(crate) fn unless_in(
        what: impl FnOnce() -> String,
        value: f64,
        lo: f64,
        hi: f64,
        range: &'static str,
    ) -> Result<(), Refusal> {
        if value.is_finite() && (lo..=hi).contains(&value) {
            Ok(())
        } else {
            Err(Refusal::OffRange {
                what: what(),
                value,
                range,
            })
        }
    }
}
