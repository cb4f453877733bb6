//! Bodies that vote: when sponsors put a draft resolution to the vote.
//! What a vote gives (the draft, each ballot, the tally, the verdict) is
//! the state's (`state::bodies`); this mechanism decides only when a vote
//! is held. Each round, for each body and each of its drafts not adopted:
//!
//! - not before its `from` date, and not within `retry_rounds` of its last
//!   vote;
//! - only when the sponsors agree on a draft (their positions within the
//!   resolution's tolerance; the draft is their mean);
//! - only when it would be adopted (the count reaches the quota and no
//!   member with a veto would vote no: sponsors count before they put a
//!   draft), unless the draft is `force`d (put as soon as the sponsors
//!   agree, to make a member veto it in public, or to fail);
//!
//! then the body votes: `resolution_adopted`, `resolution_vetoed` or
//! `resolution_failed`, with every member's ballot. An adopted draft's
//! effects are applied once, in the same round, with the resolution as
//! their cause. Nothing is drawn at random.

use super::{Context, Local, Mechanism};
use crate::state::{Batch, VoteVerdict};

/// The bodies mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Bodies;

impl Mechanism for Bodies {
    fn decider(&self) -> &str {
        "bodies"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<crate::Event> {
        let mut local = Local::new(ctx.state());
        for body in &ctx.scenario().bodies {
            for r in &body.resolutions {
                let state = local.state();
                let Some(status) = state.resolution(&body.id, &r.issue) else {
                    continue;
                };
                let waiting = status
                    .last_vote
                    .is_some_and(|last| ctx.round() < last.saturating_add(r.retry_rounds));
                let early = r.from.is_some_and(|from| ctx.last_day() < from);
                if status.adopted || waiting || early {
                    continue;
                }
                let Some(vote) = state
                    .draft(&body.id, &r.issue)
                    .and_then(|draft| state.count_vote(&body.id, &r.issue, draft))
                else {
                    continue;
                };
                let verdict = VoteVerdict::of(&vote);
                if verdict != VoteVerdict::Adopted && !r.force {
                    continue;
                }
                local.push(verdict.event(vote));
                if verdict == VoteVerdict::Adopted && !r.effects.is_empty() {
                    let mut batch = Batch::new(local.state());
                    crate::effects::resolution_effects(&mut batch, &r.effects, &body.id, &r.issue);
                    for e in batch.into_events() {
                        local.push(e);
                    }
                }
            }
        }
        local.events
    }
}
