//! The exchange model as a negotiation model of the engine: one round of
//! the decide package's equal-gain model a round.
//!
//! Every realised exchange is logged as an accepted package (the linkage
//! mechanism's event: one vocabulary for both), its terms the voting
//! positions it gave each side; the round's end moves (each actor that
//! exchanged moves part of the way to its last voting position) are the
//! position changes; `exchange_round` records the round's figures. A
//! stance of salience 0 takes no part, nor does an agreed issue. Ties
//! between the best two exchanges are settled by the run's stream
//! `exchange-model/ties`, so a seed fixes them.
//!
//! The kernel lists exchanges in actor order, and the leader of a tie is the
//! one listed first, so the actors go in ordered by what the model knows of
//! them (positions, saliences, capability) and by listing only among
//! equals: names and the listing reach no result.

use std::cmp::Ordering;

use super::{ExchangeConfig, ExchangeInput, round};
use crate::event::{Cause, Concession, Event, ExchangeRound, PackageTerms, PositionChanged};
use crate::mechanism::Context;
use crate::model::Model;
use crate::scale;

/// The exchange model with its options.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ExchangeModel {
    /// The decide package's options.
    pub config: ExchangeConfig,
}

impl Model for ExchangeModel {
    fn decider(&self) -> &str {
        "exchange-model"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let m = state.issues().len();
        let stance = |a: usize, p: usize| {
            state
                .held(p, a)
                .filter(|h| h.salience > 0.0 && !state.settled(p))
        };
        let row = |f: &dyn Fn(usize) -> f64| (0..m).map(f).collect::<Vec<f64>>();
        let mut order: Vec<usize> = (0..state.actors().len()).collect();
        let key = |a: usize| {
            (
                row(&|p| stance(a, p).map_or(-1.0, |h| h.position)),
                row(&|p| stance(a, p).map_or(-1.0, |h| h.salience)),
                state.capability(a),
            )
        };
        order.sort_by(|&a, &b| {
            let ((xa, sa, ca), (xb, sb, cb)) = (key(a), key(b));
            let cmp = |u: &[f64], v: &[f64]| {
                u.iter()
                    .zip(v)
                    .map(|(x, y)| x.total_cmp(y))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            };
            cmp(&xa, &xb)
                .then_with(|| cmp(&sa, &sb))
                .then(ca.total_cmp(&cb))
                .then(a.cmp(&b))
        });
        let capability: Vec<f64> = order.iter().map(|&a| state.capability(a)).collect();
        let mut position = Vec::with_capacity(order.len() * m);
        let mut salience = Vec::with_capacity(order.len() * m);
        let mut present = Vec::with_capacity(order.len() * m);
        for &a in &order {
            for p in 0..m {
                let h = stance(a, p);
                position.push(h.map_or(0.0, |h| h.position));
                salience.push(h.map_or(0.0, |h| h.salience));
                present.push(h.is_some());
            }
        }
        let Ok(input) = ExchangeInput::new(&capability, &position, &salience, &present) else {
            return Vec::new();
        };
        let mut ties = ctx.stream("ties");
        let played = round(&self.config, &input, &mut |n| ties.below(n));
        let actor = |k: usize| state.actors()[order[k]].clone();
        let issue = |p: usize| state.issues()[p].clone();
        let held_anywhere = |p: usize| (0..order.len()).any(|k| present[k * m + p]);
        let mut events = vec![Event::ExchangeRound(ExchangeRound {
            candidates: played.candidates as u64,
            realised: played.realised.len() as u64,
            ties: played.ties as u64,
            outcomes: (0..m)
                .filter(|&p| held_anywhere(p))
                .map(|p| (issue(p), scale::clamp(played.outcomes[p])))
                .collect(),
        })];
        for x in &played.realised {
            events.push(Event::PackageAccepted(PackageTerms {
                offerer: actor(x.first.actor),
                receiver: actor(x.second.actor),
                offerer_yields: Concession {
                    issue: issue(x.first.issue),
                    to: scale::clamp(x.first.to),
                },
                receiver_yields: Concession {
                    issue: issue(x.second.issue),
                    to: scale::clamp(x.second.to),
                },
                gain: x.gain,
            }));
        }
        // End moves in listing order, like every model's.
        let mut moves = played.moves.clone();
        moves.sort_by_key(|mv| (order[mv.actor], mv.issue));
        for mv in moves {
            let to = scale::clamp(mv.to);
            if to == mv.from {
                continue;
            }
            let s = salience[mv.actor * m + mv.issue];
            events.push(Event::PositionChanged(PositionChanged {
                actor: actor(mv.actor),
                issue: issue(mv.issue),
                from: mv.from,
                to,
                cause: Cause::Exchange {
                    voting: scale::clamp(mv.voting),
                    share: self.config.fixed_weight + self.config.salience_weight * (1.0 - s),
                },
            }));
        }
        events
    }
}
