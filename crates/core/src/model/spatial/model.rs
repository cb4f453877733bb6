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
//! The kernel sums in actor order, so the actors go in ordered by what the
//! model knows of them (positions, saliences, capability) and by listing
//! only among equals: names and the listing reach no result through
//! floating-point rounding.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::{QueueOption, SpatialConfig, SpatialInput, step};
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

impl Player {
    fn key_order(&self, other: &Player) -> Ordering {
        let cmp = |a: &[f64], b: &[f64]| {
            a.iter()
                .zip(b)
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        };
        cmp(&self.position, &other.position)
            .then_with(|| cmp(&self.salience, &other.salience))
            .then(self.capability.total_cmp(&other.capability))
            .then(self.actor.cmp(&other.actor))
    }
}

/// The actors that take part, in the kernel's order, on the 0–1 scale.
fn players(state: &State) -> Vec<Player> {
    let d = state.issues().len();
    let means: Vec<f64> = (0..d).map(|k| state.mean(k) / 100.0).collect();
    let mut players: Vec<Player> = (0..state.actors().len())
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
        .collect();
    players.sort_by(Player::key_order);
    players
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
        let mut events = vec![Event::StateAssessed(StateAssessed {
            win_probabilities: (0..players.len())
                .map(|k| (id(k), next.assessment.win_probability[k].clamp(0.0, 1.0)))
                .collect::<BTreeMap<_, _>>(),
            risk: (0..players.len())
                .map(|k| (id(k), next.assessment.risk[k].clamp(-1.0, 1.0)))
                .collect(),
        })];
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
                let to = (next.positions[k * d + issue] * 100.0).clamp(0.0, 100.0);
                if state.agreement(issue).is_some() || to == held.position {
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
