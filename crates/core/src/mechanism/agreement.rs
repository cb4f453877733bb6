//! Agreement: an issue is settled when every principal is within the
//! scenario's tolerance of the forecast (the weighted mean unless the scenario
//! says median). The agreed position is the forecast; positions on a settled
//! issue no longer move.

use super::{Context, Mechanism};
use crate::event::{AgreementSigned, Event};

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
            if state.agreement(i).is_some() {
                continue;
            }
            let forecast = state.agreement_forecast(i);
            let principals = state.principals(i);
            let all_within = !principals.is_empty()
                && principals.iter().all(|&p| {
                    state
                        .held(i, p)
                        .is_some_and(|h| (h.position - forecast).abs() <= rule.tolerance)
                });
            if all_within {
                // The position and principals are the state's, settled on append.
                events.push(Event::AgreementSigned(AgreementSigned {
                    issue: issue.id.clone(),
                    position: forecast,
                    principals: Vec::new(),
                }));
            }
        }
        events
    }
}
