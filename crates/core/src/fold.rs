//! The fold of a log: its events applied one by one to the state its header
//! starts, each first checked against the state it meets.
//!
//! This is the read side of every command: replay, report, repair, branch
//! and the law suite's replay law all fold through [`Fold`], so what a user
//! runs is what the laws exercise. An event folds only if it belongs to the
//! round the log is in, is dated within that round and not before the event
//! before it, and could have happened in the state ([`State::check`]).

use crate::date::Date;
use crate::event::Envelope;
use crate::log::Header;
use crate::scenario::Problem;
use crate::state::{Refusal, State};

/// Why an event cannot stand where it is in a log.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum FoldError {
    /// The header's scenario does not validate, so nothing can be folded.
    #[error("the header's scenario is invalid: {0}")]
    InvalidScenario(Problem),
    /// The event is in another round than the log.
    #[error("the event says round {event}, but the log is in round {log}")]
    Round {
        /// The event's round.
        event: u32,
        /// The round the log is in.
        log: u32,
    },
    /// The event is past the run's last round.
    #[error("round {round} is beyond the run's {rounds} rounds")]
    BeyondRounds {
        /// The event's round.
        round: u32,
        /// The rounds the header announces.
        rounds: u32,
    },
    /// The event's date is outside its round.
    #[error("dated {date}, outside round {round} ({first} to {last})")]
    DateOutsideRound {
        /// The event's date.
        date: Date,
        /// Its round.
        round: u32,
        /// The round's first day.
        first: Date,
        /// The round's last day.
        last: Date,
    },
    /// The event is dated before the event before it.
    #[error("dated {0}, before the event before it")]
    DateBackwards(Date),
    /// The state refuses the event.
    #[error("this {event} event could not have happened here: {refusal}")]
    Refused {
        /// The event type.
        event: &'static str,
        /// Why.
        refusal: Refusal,
    },
}

/// A log folded so far.
#[derive(Clone, Debug)]
pub struct Fold {
    header: Header,
    state: State,
    last_date: Option<Date>,
}

impl Fold {
    /// The fold of the log `header` starts, before any event; fails if the
    /// header's scenario cannot be run.
    pub fn new(header: &Header) -> Result<Fold, FoldError> {
        if let Some(first) = header.scenario.problems().into_iter().next() {
            return Err(FoldError::InvalidScenario(first));
        }
        Ok(Fold {
            state: State::new(&header.scenario),
            header: header.clone(),
            last_date: None,
        })
    }

    /// Checks one event where it stands and applies it.
    pub fn push(&mut self, envelope: &Envelope) -> Result<(), FoldError> {
        let state = &self.state;
        let scenario = &self.header.scenario;
        let round = envelope.round;
        if round != state.round() {
            return Err(FoldError::Round {
                event: round,
                log: state.round(),
            });
        }
        if round > self.header.rounds {
            return Err(FoldError::BeyondRounds {
                round,
                rounds: self.header.rounds,
            });
        }
        let (first, last) = (
            scenario.round_first_day(round),
            scenario.round_last_day(round),
        );
        if envelope.date < first || envelope.date > last {
            return Err(FoldError::DateOutsideRound {
                date: envelope.date,
                round,
                first,
                last,
            });
        }
        if self.last_date.is_some_and(|d| envelope.date < d) {
            return Err(FoldError::DateBackwards(envelope.date));
        }
        let refs = state
            .checked(&envelope.event)
            .map_err(|refusal| FoldError::Refused {
                event: envelope.event.name(),
                refusal,
            })?;
        self.state.apply_with(&envelope.event, refs);
        self.last_date = Some(envelope.date);
        Ok(())
    }

    /// The header of the log.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The state after the events folded so far.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Whether the events folded hold every round the header announces.
    pub fn complete(&self) -> bool {
        self.state.closed() == Some(self.header.rounds)
    }

    /// The state, giving up the fold.
    pub fn into_state(self) -> State {
        self.state
    }
}
