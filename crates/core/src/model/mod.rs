//! Negotiation models: the rules by which positions move each round.
//!
//! A model decides events from the state exactly as a mechanism does (it
//! never mutates state); it runs first in every round, on every issue not yet
//! settled by an agreement. The weighted mean and median are reported every
//! round by the engine, whatever the model.

mod compromise;
pub mod exchange;
pub mod expected_utility;
pub mod spatial;

use std::fmt;

pub use compromise::{CompromiseModel, MIN_MOVE};
pub use expected_utility::ExpectedUtility;

use crate::event::Event;
use crate::mechanism::Context;
use crate::scenario::{ModelConfig, ModelKind};

/// A negotiation model.
pub trait Model: fmt::Debug + Send + Sync {
    /// The decider's name: written in the log's causes, and the key of the
    /// model's random streams.
    fn decider(&self) -> &str;

    /// The events (risk exponents, position changes) of this round.
    fn decide(&self, ctx: &Context<'_>) -> Vec<Event>;
}

/// The model a scenario's configuration names.
pub fn from_config(config: &ModelConfig) -> Box<dyn Model> {
    match config.kind {
        ModelKind::Compromise => Box::new(CompromiseModel {
            lambda: config.lambda,
        }),
        ModelKind::ExpectedUtility => Box::new(ExpectedUtility {
            probability: config.probability,
            compromise_choice: config.compromise_choice,
            capitulation: config.capitulation,
        }),
        ModelKind::Spatial => Box::new(spatial::SpatialModel {
            config: config.spatial,
        }),
        ModelKind::Exchange => Box::new(exchange::ExchangeModel {
            config: config.exchange,
        }),
        ModelKind::Frozen => Box::new(Frozen),
    }
}

/// The null model: nobody moves at the table. Everything else in a run
/// (the timeline and its effects, the uncertainty draws, every mechanism)
/// plays as written, so what differs from a bargaining model's run is the
/// bargaining's doing.
#[derive(Clone, Copy, Debug)]
pub struct Frozen;

impl Model for Frozen {
    fn decider(&self) -> &str {
        "frozen"
    }

    fn decide(&self, _ctx: &Context<'_>) -> Vec<Event> {
        Vec::new()
    }
}
