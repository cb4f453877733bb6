//! Uncertain inputs: each run draws the opening positions of the stances
//! that carry an `uncertainty`, uniformly within ± that many points (clamped
//! to the scale), before round 0 closes. The draws are events like any
//! other, so a log still explains itself and replays exactly; a sweep over
//! seeds is then a sweep over what the analyst does not know.

use crate::event::{Cause, Event, PositionChanged};
use crate::mechanism::Context;

/// The decider name, and purpose key of the draws' streams.
pub const DECIDER: &str = "uncertainty";

/// The opening draws, one per uncertain stance, in listing order.
pub fn draw(ctx: &Context<'_>) -> Vec<Event> {
    let state = ctx.state();
    ctx.scenario()
        .stances
        .iter()
        .filter(|st| st.uncertainty > 0.0)
        .filter_map(|st| {
            let (a, i) = (state.actor(&st.actor)?, state.issue(&st.issue)?);
            let from = state.held(i, a)?.position;
            let u = ctx.stream(&format!("{}/{}", st.actor, st.issue)).uniform();
            let to = (from + st.uncertainty * (2.0 * u - 1.0)).clamp(0.0, 100.0);
            (to != from).then(|| {
                Event::PositionChanged(PositionChanged {
                    actor: st.actor.clone(),
                    issue: st.issue.clone(),
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
