//! The spatial model as a negotiation model of the engine: one KTAB step a
//! round, the scenario's issues as the dimensions of one space.
//!
//! Positions are divided by 100 on the way in and multiplied on the way
//! out. KTAB holds an actor's total salience at most 1, as a share of its
//! attention; a scenario's saliences are per issue, so an actor whose
//! saliences sum past 1 has them scaled down to sum to 1. An actor without
//! a stance on an issue is placed at the issue's weighted mean there, with
//! salience 0, so its place on it counts for no one and its move on it is
//! not made; an actor with no salience anywhere takes no part. Moves on an
//! agreed issue are not made either. With fewer than three actors taking
//! part (KTAB's minimum) the model moves nobody.
//!
//! The actors go in in the scenario's listing order, as KTAB takes them in
//! its file's order: the kernel sums in that order, and only that order
//! reproduces KTAB's reference run digit for digit (the relabel law
//! exempts the model for it).

use std::collections::BTreeMap;

use super::{QueueOption, SpatialConfig, SpatialInput, assess, step};
use crate::event::{Cause, Event, PositionChanged, StateAssessed};
use crate::mechanism::Context;
use crate::model::Model;
use crate::state::State;

/// The spatial model with its options.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SpatialModel {
    /// KTAB's options.
    pub config: SpatialConfig,
}

/// One actor as the kernel sees it.
struct Player {
    actor: usize,
    capability: f64,
    position: Vec<f64>,
    salience: Vec<f64>,
}

/// The actors that take part, in listing order, on the 0–1 scale.
fn players(state: &State) -> Vec<Player> {
    let d = state.issues().len();
    let means: Vec<f64> = (0..d).map(|k| state.mean(k) / 100.0).collect();
    (0..state.actors().len())
        .filter_map(|a| {
            let held: Vec<_> = (0..d).map(|k| state.held(k, a)).collect();
            let raw: Vec<f64> = held.iter().map(|h| h.map_or(0.0, |h| h.salience)).collect();
            let total: f64 = raw.iter().sum();
            (total > 0.0).then(|| Player {
                actor: a,
                capability: state.capability(a),
                position: held
                    .iter()
                    .zip(&means)
                    .map(|(h, &m)| h.map_or(m, |h| (h.position / 100.0).clamp(0.0, 1.0)))
                    .collect(),
                salience: raw.iter().map(|s| s / total.max(1.0)).collect(),
            })
        })
        .collect()
}

impl Model for SpatialModel {
    fn decider(&self) -> &str {
        "spatial"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let players = players(state);
        if players.len() < super::MIN_ACTORS || state.issues().is_empty() {
            return Vec::new();
        }
        let capability: Vec<f64> = players.iter().map(|p| p.capability).collect();
        let position: Vec<f64> = players.iter().flat_map(|p| p.position.clone()).collect();
        let salience: Vec<f64> = players.iter().flat_map(|p| p.salience.clone()).collect();
        let input = SpatialInput {
            capability: &capability,
            position: &position,
            salience: &salience,
        };
        // The input is valid by construction; a kernel refusal moves nobody.
        let Ok(next) = step(&self.config, input) else {
            return Vec::new();
        };
        let id = |k: usize| state.actors()[players[k].actor].clone();
        let assessed = |state_index: u32, a: &super::Assessment| {
            Event::StateAssessed(StateAssessed {
                state: state_index,
                win_probabilities: (0..players.len())
                    .map(|k| (id(k), a.win_probability[k].clamp(0.0, 1.0)))
                    .collect::<BTreeMap<_, _>>(),
                risk: (0..players.len())
                    .map(|k| (id(k), a.risk[k].clamp(-1.0, 1.0)))
                    .collect(),
            })
        };
        let mut events = Vec::new();
        let round = ctx.round();
        if round <= 1 {
            events.push(assessed(0, &next.assessment));
        }
        // The state the round ends in, as KTAB reports every state.
        let ended = SpatialInput {
            position: &next.positions,
            ..input
        };
        if let Ok(a) = assess(&self.config, ended) {
            events.push(assessed(round, &a));
        }
        let d = state.issues().len();
        // Moves in listing order, like every model's.
        let mut by_listing: Vec<usize> = (0..players.len()).collect();
        by_listing.sort_by_key(|&k| players[k].actor);
        for k in by_listing {
            let queue = &next.queues[k];
            let QueueOption::Bargain(b) = queue.options[queue.chosen] else {
                continue;
            };
            let bargain = &next.bargains[b];
            for issue in 0..d {
                let Some(held) = state.held(issue, players[k].actor) else {
                    continue;
                };
                let to = crate::scale::clamp(next.positions[k * d + issue] * 100.0);
                if state.settled(issue) || to == held.position {
                    continue;
                }
                events.push(Event::PositionChanged(PositionChanged {
                    actor: id(k),
                    issue: state.issues()[issue].clone(),
                    from: held.position,
                    to,
                    cause: Cause::Bargain {
                        initiator: id(bargain.initiator),
                        receiver: id(bargain.receiver),
                    },
                }));
            }
        }
        events
    }
}
