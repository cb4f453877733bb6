//! Crisis mechanisms, and the interface through which every one is built.
//!
//! A mechanism reads the [`State`] through a [`Context`], draws from its own
//! keyed random streams, and returns the events it decides. It cannot change
//! state: the engine checks each event, appends it and applies it. The
//! built-in mechanisms (strikes, ceasefires, sanctions, linkage, agreement,
//! bodies, threats)
//! use this interface exactly as a user's mechanism does.

mod agreement;
mod bodies;
mod ceasefire;
mod fronts;
mod group;
mod linkage;
mod sanctions;
mod strikes;
#[cfg(test)]
mod tests;
mod threats;

use std::borrow::Cow;
use std::fmt;

pub use agreement::Agreements;
pub use bodies::Bodies;
pub use ceasefire::Ceasefires;
pub use ceasefire::{DEFAULT_TRUST_TO_REAGREE, join_chance};
pub use fronts::Fronts;
pub use group::{GroupPlan, GroupWhy, MAX_GROUP, explain_group, plan_group};
pub use linkage::{PackageDeals, PackagePlan, plan_package};
pub use sanctions::SanctionRenewals;
pub use sanctions::vote;
pub use strikes::Strikes;
pub use threats::Threats;

use crate::date::Date;
use crate::event::Event;
use crate::scenario::Scenario;
use crate::state::State;
use crate::stream::Stream;

/// A rule that decides events each round from the state.
///
/// Implementations must be deterministic given the context: the same state,
/// round and streams give the same events. Draw randomness only from
/// [`Context::stream`].
pub trait Mechanism: fmt::Debug + Send + Sync {
    /// The decider's name: unique in a run, written in the log's causes,
    /// and the key of the mechanism's random streams.
    fn decider(&self) -> &str;

    /// The events this mechanism decides this round, in order.
    fn decide(&self, ctx: &Context<'_>) -> Vec<Event>;
}

/// What a model or mechanism may see when it decides.
#[derive(Debug)]
pub struct Context<'a> {
    scenario: &'a Scenario,
    state: &'a State,
    round: u32,
    seed: u64,
    decider: &'a str,
}

impl<'a> Context<'a> {
    /// A context for the decider named `decider` in `round`.
    pub fn new(
        scenario: &'a Scenario,
        state: &'a State,
        round: u32,
        seed: u64,
        decider: &'a str,
    ) -> Context<'a> {
        Context {
            scenario,
            state,
            round,
            seed,
            decider,
        }
    }

    /// The scenario being run.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// The state as it stands when the decider is called.
    pub fn state(&self) -> &'a State {
        self.state
    }

    /// The name of the decider this context was made for.
    pub fn decider(&self) -> &'a str {
        self.decider
    }

    /// The round being played, from 1.
    pub fn round(&self) -> u32 {
        self.round
    }

    /// The first day of the round.
    pub fn first_day(&self) -> Date {
        self.scenario.round_first_day(self.round)
    }

    /// The last day of the round.
    pub fn last_day(&self) -> Date {
        self.scenario.round_last_day(self.round)
    }

    /// The decider's random stream for `subject` (an actor, a theatre…) this
    /// round. Streams of different subjects, rounds and deciders are
    /// independent, and the same key always gives the same stream.
    pub fn stream(&self, subject: &str) -> Stream {
        Stream::new(self.seed, self.decider, subject, self.round)
    }

    /// [`Context::stream`] for the subject made of `parts` joined by `/`
    /// (`["RUS", "syria"]`: `RUS/syria`), without writing it out.
    pub fn stream_of(&self, parts: &[&str]) -> Stream {
        Stream::of_parts(self.seed, self.decider, parts, self.round)
    }
}

/// The built-in mechanisms in the order they run each round.
pub fn builtin() -> Vec<Box<dyn Mechanism>> {
    vec![
        Box::new(Strikes),
        Box::new(Ceasefires),
        Box::new(SanctionRenewals),
        Box::new(PackageDeals),
        Box::new(Agreements),
        Box::new(Bodies),
        Box::new(Threats),
        Box::new(Fronts),
    ]
}

/// The events a mechanism decided so far, and the state they leave: each
/// decision reads the state its earlier events leave, as the engine will
/// check them.
struct Local<'s> {
    now: Cow<'s, State>,
    events: Vec<Event>,
}

impl<'s> Local<'s> {
    fn new(state: &'s State) -> Local<'s> {
        Local {
            now: Cow::Borrowed(state),
            events: Vec::new(),
        }
    }

    fn state(&self) -> &State {
        &self.now
    }

    fn push(&mut self, mut event: Event) {
        let state = self.now.to_mut();
        state.settle(&mut event);
        state.apply(&event);
        self.events.push(event);
    }
}
