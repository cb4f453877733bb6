//! Fighting while talking: each round, on each front, the war on the ground
//! moves control and the sides at the table (docs/models.md, "Fronts").
//!
//! - Control: the state's one computation (`State::front_step`, by
//!   `front::step`) gives what the round's fighting does: forces (own, and
//!   patrons' × leverage) less what the round's strikes on each side took
//!   out, through the contest function. While the theatre's ceasefire
//!   holds, control shifts only in a round in which a side or a side's
//!   patron violated it. Logged as `control_changed`.
//! - Costs of war: a side's loss (control lost plus the share of its
//!   forces the strikes took out) raises its salience on the theatre's
//!   ceasefire issue by `salience_per_loss` × loss and moves it toward a
//!   ceasefire by `position_per_loss` × loss points, never past the
//!   ceasefire's threshold (cause `front`, `loss`);
//!   control gained or lost changes its capability by
//!   `capability_per_control` × the change, as a share.
//! - Learning: a side whose stance on the ceasefire issue carries
//!   uncertainty and that won less of the round's fighting than it expected
//!   lowers its demand by 100 × `learning` × the shortfall, as far as the
//!   threshold again (cause `front`,
//!   `learning`); the belief it acted on and the one it now holds are in the
//!   `control_changed` event.

use super::{Context, Mechanism};
use crate::event::{
    CapabilityChanged, Cause, Event, FrontCause, Id, PositionChanged, SalienceChanged, Shift,
};
use crate::front;
use crate::scenario::{Family, Scenario};
use crate::state::{Batch, State};

/// The fronts mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Fronts;

impl Mechanism for Fronts {
    fn decider(&self) -> &str {
        "fronts"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let scenario = ctx.scenario();
        let mut batch = Batch::new(state);
        for k in 0..state.front_count() {
            decide_front(scenario, state, &mut batch, k);
        }
        batch.into_events()
    }
}

/// One front's round: its change of control and what it costs each side.
fn decide_front(scenario: &Scenario, state: &State, batch: &mut Batch<'_>, k: usize) {
    let Some(view) = state.front(k) else {
        return;
    };
    let step = state.front_step(k);
    if let Some(step) = &step {
        batch.push(Event::ControlChanged(step.clone()));
    }
    let fighting = state.fighting();
    // The theatre's ceasefire: its issue (unless settled) and the
    // threshold its positions must meet.
    let ceasefire = state
        .ceasefire_index(view.theatre)
        .map(|c| {
            (
                state.ceasefires()[c].issue,
                scenario.ceasefires[c].threshold,
            )
        })
        .filter(|&(i, _)| !state.settled(i));
    for j in 0..2 {
        let actor = view.sides[j];
        let id = state.actors()[actor].clone();
        let (from, to, won, expected) =
            step.as_ref()
                .map_or((view.control[j], view.control[j], 0.0, 0.0), |s| {
                    (
                        s.sides[j].from,
                        s.sides[j].to,
                        s.sides[j].won,
                        s.sides[j].expected,
                    )
                });
        let loss = front::loss(fighting, from, to, view.hits[j]);
        let forces_lost = loss - (from - to).max(0.0);
        let shift = || Shift::Front {
            front: Id::from(view.id),
            control_lost: from - to,
            forces_lost,
        };
        if let Some((i, accepts)) = ceasefire {
            let toward = Toward {
                issue: i,
                actor,
                accepts,
            };
            if loss > 0.0 {
                let cause = Cause::Front {
                    front: Id::from(view.id),
                    why: FrontCause::Loss,
                    by: loss,
                };
                raise_salience(batch, i, actor, fighting.salience_per_loss * loss, shift());
                toward.ceasefire(scenario, batch, fighting.position_per_loss * loss, cause);
            }
            let shortfall = front::lowered_demand(fighting, expected, won);
            if step.is_some() && shortfall > 0.0 && uncertain(scenario, &id, i) {
                let cause = Cause::Front {
                    front: Id::from(view.id),
                    why: FrontCause::Learning,
                    by: expected - won,
                };
                toward.ceasefire(scenario, batch, shortfall, cause);
            }
        }
        let gained = to - from;
        if step.is_some() && fighting.capability_per_control > 0.0 && gained != 0.0 {
            let before = batch.capability(actor);
            let grown = before * (1.0 + fighting.capability_per_control * gained);
            let after = crate::limits::capability(grown);
            if grown > 0.0 && grown.is_finite() && after != before {
                batch.push(Event::CapabilityChanged(CapabilityChanged {
                    actor: id.clone(),
                    from: 0.0,
                    to: after,
                    cause: shift(),
                }));
            }
        }
    }
}

/// Raises `actor`'s salience on `issue` by `by` (kept at most 1).
fn raise_salience(batch: &mut Batch<'_>, issue: usize, actor: usize, by: f64, cause: Shift) {
    let Some(before) = batch.salience(issue, actor) else {
        return;
    };
    let after = (before + by).min(1.0);
    if by > 0.0 && after > before {
        let state = batch.state();
        batch.push(Event::SalienceChanged(SalienceChanged {
            actor: state.actors()[actor].clone(),
            issue: state.issues()[issue].clone(),
            from: 0.0,
            to: after,
            cause,
        }));
    }
}

/// An actor on a theatre's ceasefire issue, and the threshold (read as
/// high = a ceasefire now) at which its position accepts the ceasefire.
struct Toward {
    issue: usize,
    actor: usize,
    accepts: f64,
}

impl Toward {
    /// Moves the actor `points` toward a ceasefire (read by the issue's
    /// polarity), never past the threshold: the war's costs and lessons
    /// bring a side to accept a ceasefire, and a side whose position already
    /// accepts one has nothing left to concede (moved further, it would
    /// stand farther from the others and delay the ceasefire it wants).
    fn ceasefire(&self, scenario: &Scenario, batch: &mut Batch<'_>, points: f64, cause: Cause) {
        let Some(before) = batch.position(self.issue, self.actor) else {
            return;
        };
        let rule = &scenario.issues[self.issue];
        let reading = rule.reading(Family::Ceasefire, before);
        let after = rule.reading(
            Family::Ceasefire,
            crate::scale::clamp((reading + points).min(self.accepts.max(reading))),
        );
        if points > 0.0 && after != before {
            let state = batch.state();
            batch.push(Event::PositionChanged(PositionChanged {
                actor: state.actors()[self.actor].clone(),
                issue: state.issues()[self.issue].clone(),
                from: 0.0,
                to: after,
                cause,
            }));
        }
    }
}

/// Whether `actor`'s stance on issue `i` carries uncertainty: only then
/// has it something to learn from the fighting.
fn uncertain(scenario: &Scenario, actor: &str, i: usize) -> bool {
    let issue = &scenario.issues[i].id;
    scenario
        .stances
        .iter()
        .any(|s| s.actor == actor && &s.issue == issue && s.uncertainty > 0.0)
}
