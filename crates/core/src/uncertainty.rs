//! Uncertain inputs: each run draws the opening positions of the stances
//! that carry an `uncertainty`, uniformly within ± that many points (clamped
//! to the scale), before round 0 closes; then (format 2) the saliences of
//! stances with a `salience_uncertainty`, uniformly within ± that (clamped
//! to [0.01, 1]), and the capabilities of actors with a
//! `capability_uncertainty`, uniformly within × (1 ± that). The draws are events like any
//! other, so a log still explains itself and replays exactly; a sweep over
//! seeds is then a sweep over what the analyst does not know.

use crate::event::Id;
use crate::event::{CapabilityChanged, Cause, Event, PositionChanged, SalienceChanged, Shift};
use crate::mechanism::Context;

/// The decider name, and purpose key of the draws' streams.
pub const DECIDER: &str = "uncertainty";

/// The smallest salience a draw may leave.
const MIN_SALIENCE: f64 = 0.01;

/// The opening draws, in listing order: positions, then saliences, then
/// capabilities.
pub fn draw(ctx: &Context<'_>) -> Vec<Event> {
    let mut events = positions(ctx);
    events.extend(saliences(ctx));
    events.extend(capabilities(ctx));
    events
}

fn saliences(ctx: &Context<'_>) -> Vec<Event> {
    let state = ctx.state();
    ctx.scenario()
        .stances
        .iter()
        .filter(|st| st.salience_uncertainty > 0.0)
        .filter_map(|st| {
            let (a, i) = (state.actor(&st.actor)?, state.issue(&st.issue)?);
            let from = state.held(i, a)?.salience;
            let u = ctx.stream_of(&["salience", &st.actor, &st.issue]).uniform();
            let to = (from + st.salience_uncertainty * (2.0 * u - 1.0)).clamp(MIN_SALIENCE, 1.0);
            (to != from).then(|| {
                Event::SalienceChanged(SalienceChanged {
                    actor: Id::from(st.actor.as_str()),
                    issue: Id::from(st.issue.as_str()),
                    from,
                    to,
                    cause: Shift::Uncertainty {
                        half_width: st.salience_uncertainty,
                    },
                })
            })
        })
        .collect()
}

fn capabilities(ctx: &Context<'_>) -> Vec<Event> {
    let state = ctx.state();
    ctx.scenario()
        .actors
        .iter()
        .filter(|a| a.capability_uncertainty > 0.0)
        .filter_map(|actor| {
            let a = state.actor(&actor.id)?;
            let from = state.capability(a);
            let u = ctx.stream_of(&["capability", &actor.id]).uniform();
            let drawn = from * (1.0 + actor.capability_uncertainty * (2.0 * u - 1.0));
            let to = crate::limits::capability(drawn);
            (to != from && drawn > 0.0).then(|| {
                Event::CapabilityChanged(CapabilityChanged {
                    actor: Id::from(actor.id.as_str()),
                    from,
                    to,
                    cause: Shift::Uncertainty {
                        half_width: actor.capability_uncertainty,
                    },
                })
            })
        })
        .collect()
}

fn positions(ctx: &Context<'_>) -> Vec<Event> {
    let state = ctx.state();
    ctx.scenario()
        .stances
        .iter()
        .filter(|st| st.uncertainty > 0.0)
        .filter_map(|st| {
            let (a, i) = (state.actor(&st.actor)?, state.issue(&st.issue)?);
            let from = state.held(i, a)?.position;
            let u = ctx.stream_of(&[&st.actor, &st.issue]).uniform();
            let to = crate::scale::clamp(from + st.uncertainty * (2.0 * u - 1.0));
            (to != from).then(|| {
                Event::PositionChanged(PositionChanged {
                    actor: Id::from(st.actor.as_str()),
                    issue: Id::from(st.issue.as_str()),
                    from,
                    to,
                    cause: Cause::Uncertainty {
                        half_width: st.uncertainty,
                    },
                })
            })
        })
        .collect()
}
