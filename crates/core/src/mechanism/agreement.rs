//! Agreement: an issue is agreed when every principal is within the
//! scenario's tolerance of the forecast (the weighted mean unless the
//! scenario says median). Non-principals weigh in the forecast but cannot
//! block. The agreed position is the forecast.
//!
//! An issue with `brokers` is agreed when the brokers come within the
//! tolerance of the forecast; every other principal is then bound if it is
//! within the tolerance too, and otherwise joins with chance leverage ×
//! (1 − salience) from its patrons among the brokers, or refuses: a
//! spoiler, named in the agreement and not bound by it.
//!
//! Without an implementation rule an agreed issue is settled and its
//! positions no longer move. With one (format 2), positions move on and the
//! agreement is carried out by those who must act on it (the issue's
//! `must_act`, by default its principals): each round each of them within
//! the tolerance of the agreed position, and without a violation that round
//! of a ceasefire the issue governs, complies; one that refused the
//! agreement as a spoiler is not held to it (it is never named
//! noncompliant) but the agreement cannot be carried out without it: it is
//! named as `refused`, and the agreement stalls rather than being
//! implemented; a round in which all comply
//! is a step (`agreement_step`), and after `steps` steps it is implemented;
//! after `stall_after` rounds running with someone not complying it stalls;
//! a stalled agreement is reopened in the first round in which all comply
//! again.

use super::ceasefire::join_chance;
use super::{Context, Mechanism};
use crate::event::Id;
use crate::event::{AgreementProgress, AgreementSigned, Event};
use crate::state::Stage;

/// The agreement mechanism.
#[derive(Clone, Copy, Debug, Default)]
pub struct Agreements;

impl Mechanism for Agreements {
    fn decider(&self) -> &str {
        "agreement"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let rule = &ctx.scenario().agreement;
        let mut events = Vec::new();
        for (i, issue) in ctx.scenario().issues.iter().enumerate() {
            if let Some(signed) = state.agreement(i) {
                let Some(plan) = rule.implementation else {
                    continue;
                };
                if signed.stage == Stage::Implemented {
                    continue;
                }
                let noncompliant: Vec<Id> = state
                    .must_act(i)
                    .iter()
                    .filter(|p| !state.agreement_spoilers(i).contains(p))
                    .filter(|&&p| {
                        let violated = state
                            .ceasefires()
                            .iter()
                            .any(|cf| cf.issue == i && cf.violators.contains(&p));
                        violated
                            || !state.held(i, p).is_some_and(|h| {
                                (h.position - signed.position).abs() <= rule.tolerance
                            })
                    })
                    .map(|&p| state.actors()[p].clone())
                    .collect();
                // A spoiler who must act is not held to it, but the
                // agreement cannot be carried out without it.
                let all = noncompliant.is_empty() && state.refusing(i).is_empty();
                let progress = |steps| AgreementProgress {
                    issue: Id::from(issue.id.as_str()),
                    steps,
                    noncompliant: noncompliant.clone(),
                    // The state's, settled on append.
                    refused: Vec::new(),
                };
                match signed.stage {
                    Stage::Stalled if all => {
                        events.push(Event::AgreementReopened(progress(signed.steps)));
                    }
                    Stage::Stalled => {}
                    _ if all && signed.steps + 1 >= plan.steps => {
                        events.push(Event::AgreementImplemented(progress(signed.steps + 1)));
                    }
                    _ if all => events.push(Event::AgreementStep(progress(signed.steps + 1))),
                    _ if signed.lapses + 1 >= plan.stall_after => {
                        events.push(Event::AgreementStalled(progress(signed.steps)));
                    }
                    _ => events.push(Event::AgreementStep(progress(signed.steps))),
                }
                continue;
            }
            let forecast = state.agreement_forecast(i);
            let within = |p: &usize| {
                state
                    .held(i, *p)
                    .is_some_and(|h| (h.position - forecast).abs() <= rule.tolerance)
            };
            let principals = state.principals(i);
            let brokers: Vec<usize> = issue
                .brokers
                .iter()
                .filter_map(|b| state.actor(b))
                .collect();
            let deciders: &[usize] = if brokers.is_empty() {
                principals
            } else {
                &brokers
            };
            if deciders.is_empty() || !deciders.iter().all(within) {
                continue;
            }
            let mut spoilers = Vec::new();
            if !brokers.is_empty() {
                for &p in principals {
                    if brokers.contains(&p) || within(&p) {
                        continue;
                    }
                    let salience = state.held(i, p).map_or(1.0, |h| h.salience);
                    let chance = join_chance(ctx, &brokers, p, salience);
                    let mut stream = ctx.stream_of(&[&issue.id, "join", &state.actors()[p]]);
                    if !stream.chance(chance) {
                        spoilers.push(state.actors()[p].clone());
                    }
                }
            }
            // The position and principals are the state's, settled on append.
            events.push(Event::AgreementSigned(AgreementSigned {
                issue: Id::from(issue.id.as_str()),
                position: forecast,
                principals: Vec::new(),
                spoilers,
            }));
        }
        events
    }
}
