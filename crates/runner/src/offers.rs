//! What may be put into a history after one of its events: the menu of a
//! branch ("what if…"), held to the rules a branch is held to.
//!
//! Every candidate is an event the scenario names (a theatre's ceasefire,
//! a move by an actor on an issue it holds a stance on, a regime's renewal,
//! a threat's next stage…), written as `--inject` takes it and completed
//! and checked by [`inject::complete`] in the state after the chosen event,
//! exactly as [`branch`](crate::branch::branch) completes and checks
//! `--inject`; only the candidates it takes are offered, so nothing the
//! command line would refuse is. A candidate with a number (the position a
//! move goes to) is offered at the value the state holds, and the user's
//! own value is held to the same check by [`preview`].

use std::path::Path;

use serde_json::{Value, json};

use entente_core::event::{Event, StrikeTarget};
use entente_core::{Header, Scenario, State, inject};

use crate::branch::nothing_after_the_end;
use crate::error::{Error, Result};
use crate::replay;

/// What may be put in after one event of a log.
#[derive(Clone, Debug)]
pub struct Menu {
    /// The log's header (its scenario names the ids).
    pub header: Header,
    /// The event after which events are put in.
    pub at: u64,
    /// The round the state stands in after it.
    pub round: u32,
    /// The events that may be put in, grouped by type in a fixed order.
    pub offers: Vec<Offer>,
}

/// One event that may be put in.
#[derive(Clone, Debug, PartialEq)]
pub struct Offer {
    /// The event type's on-disk name (`ceasefire_agreed`).
    pub kind: &'static str,
    /// The event as a user writes it for `--inject`.
    pub partial: Value,
    /// What it is about, in words (`syria`, `RUS on assad_role`).
    pub subject: String,
    /// The number a user may choose, if the event has one.
    pub number: Option<Number>,
}

/// The number of an offered event: its field, its range and its value now.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number {
    /// The field (`to`).
    pub field: &'static str,
    /// Its least value.
    pub min: f64,
    /// Its greatest value, if it has one.
    pub max: Option<f64>,
    /// The value the state holds, which the partial event carries.
    pub value: f64,
}

/// The menu of what may be put in after event `at` of the log at `path`
/// (0: before the first event). The log is verified whole.
pub fn menu(path: &Path, at: u64) -> Result<Menu> {
    let (header, state) = state_after(path, at)?;
    let offers = candidates(&header.scenario, header.rounds, &state);
    Ok(Menu {
        round: state.round(),
        header,
        at,
        offers,
    })
}

/// The event `partial` completed and checked after event `at` of the log at
/// `path`, as `branch --at AT --inject PARTIAL` would complete it; or why it
/// cannot happen there.
pub fn preview(path: &Path, at: u64, partial: &Value) -> Result<Event> {
    let (header, state) = state_after(path, at)?;
    inject::complete(partial, &header.scenario, header.rounds, &state).map_err(|refusal| {
        Error::Refused {
            what: format!("cannot happen after seq {at}"),
            refusal: Box::new(refusal),
        }
    })
}

/// Every candidate the state after an event takes, in the menu's order.
pub fn candidates(scenario: &Scenario, rounds: u32, state: &State) -> Vec<Offer> {
    let mut offers = Vec::new();
    let mut offer = |kind: &'static str, fields: Value, subject: String, number: Option<Number>| {
        let partial = json!({ kind: fields });
        if inject::complete(&partial, scenario, rounds, state).is_ok() {
            offers.push(Offer {
                kind,
                partial,
                subject,
                number,
            });
        }
    };
    for c in &scenario.ceasefires {
        let theatre = &c.theatre;
        offer(
            "ceasefire_agreed",
            json!({"theatre": theatre}),
            theatre.clone(),
            None,
        );
        offer(
            "ceasefire_collapsed",
            json!({"theatre": theatre}),
            theatre.clone(),
            None,
        );
        for actor in state.actors() {
            offer(
                "ceasefire_violated",
                json!({"theatre": theatre, "by": actor}),
                format!("{theatre} by {actor}"),
                None,
            );
        }
    }
    for (kind, field) in [
        ("agreement_signed", "issue"),
        ("agreement_step", "issue"),
        ("agreement_implemented", "issue"),
        ("agreement_stalled", "issue"),
        ("agreement_reopened", "issue"),
    ] {
        for issue in state.issues() {
            offer(kind, json!({ field: issue }), issue.to_string(), None);
        }
    }
    for kind in [
        "sanctions_renewed",
        "sanctions_eased",
        "sanctions_lifted",
        "sanctions_imposed",
    ] {
        for r in &scenario.sanctions {
            offer(kind, json!({"regime": r.id}), r.id.clone(), None);
        }
    }
    for kind in [
        "threat_made",
        "threat_extended",
        "threat_carried_out",
        "threat_withdrawn",
    ] {
        for t in &scenario.threats {
            offer(kind, json!({"threat": t.id}), t.id.clone(), None);
        }
    }
    for s in &scenario.strikes {
        for target in [
            StrikeTarget::DesignatedTerrorists,
            StrikeTarget::OtherOpposition,
            StrikeTarget::Threatened,
        ] {
            let target = serde_json::to_value(target).unwrap_or(Value::Null);
            let words = target.as_str().unwrap_or_default().replace('_', " ");
            offer(
                "strike",
                json!({"striker": s.actor, "theatre": s.theatre, "target": target}),
                format!("{} in {} on {words}", s.actor, s.theatre),
                None,
            );
        }
    }
    // A round of fighting on a front (its change of control is the
    // contest's, computed by the state).
    for f in &scenario.fronts {
        offer(
            "control_changed",
            json!({"front": f.id}),
            f.id.clone(),
            None,
        );
    }
    shifts(state, &mut offer);
    offers
}

/// The moves and shifts: a position or a salience on an issue an actor
/// holds a stance on, a capability, trust between two principals.
fn shifts(state: &State, offer: &mut impl FnMut(&'static str, Value, String, Option<Number>)) {
    let actors = state.actors();
    for (i, issue) in state.issues().iter().enumerate() {
        for (a, actor) in actors.iter().enumerate() {
            let Some(held) = state.held(i, a) else {
                continue;
            };
            let to = held.position;
            offer(
                "position_changed",
                json!({"actor": actor, "issue": issue, "to": to}),
                format!("{actor} on {issue}"),
                Some(Number {
                    field: "to",
                    min: 0.0,
                    max: Some(100.0),
                    value: to,
                }),
            );
        }
    }
    for (i, issue) in state.issues().iter().enumerate() {
        for (a, actor) in actors.iter().enumerate() {
            let Some(to) = state.salience(i, a) else {
                continue;
            };
            offer(
                "salience_changed",
                json!({"actor": actor, "issue": issue, "to": to}),
                format!("{actor} on {issue}"),
                Some(Number {
                    field: "to",
                    min: 0.0,
                    max: Some(1.0),
                    value: to,
                }),
            );
        }
    }
    for (a, actor) in actors.iter().enumerate() {
        let to = state.capability(a);
        offer(
            "capability_changed",
            json!({"actor": actor, "to": to}),
            actor.to_string(),
            Some(Number {
                field: "to",
                min: f64::MIN_POSITIVE,
                max: None,
                value: to,
            }),
        );
    }
    // Trust between every two principals of an issue: trust between any
    // two actors may be put in with --inject, but the menu keeps to those
    // who bargain.
    let mut principals: Vec<usize> = (0..state.issues().len())
        .flat_map(|i| state.principals(i).iter().copied())
        .collect();
    principals.sort_unstable();
    principals.dedup();
    for (k, &a) in principals.iter().enumerate() {
        for &b in &principals[k + 1..] {
            let to = state.trust(a, b);
            offer(
                "trust_changed",
                json!({"a": actors[a], "b": actors[b], "to": to}),
                format!("{} and {}", actors[a], actors[b]),
                Some(Number {
                    field: "to",
                    min: 0.0,
                    max: Some(1.0),
                    value: to,
                }),
            );
        }
    }
}

/// The log at `path` verified whole, and the state after its event `at`;
/// refused where a branch would refuse to put anything in.
fn state_after(path: &Path, at: u64) -> Result<(Header, State)> {
    let mut at_state = None;
    let replayed = replay::replay(path, |env, state| {
        if env.seq == at {
            at_state = Some(state.clone());
        }
    })?;
    if at > replayed.events {
        return Err(Error::Usage(format!(
            "--at {at}: {} has {} events",
            path.display(),
            replayed.events
        )));
    }
    nothing_after_the_end(path, &replayed, at)?;
    let state = at_state.unwrap_or_else(|| State::new(&replayed.header.scenario));
    Ok((replayed.header, state))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moscow() -> Scenario {
        serde_json::from_str(include_str!("../../../scenarios/moscow-2015-12-15.json")).unwrap()
    }

    #[test]
    fn every_offer_is_taken_by_the_injection_rules_and_refusals_are_left_out() {
        let s = moscow();
        let state = State::new(&s);
        let offers = candidates(&s, s.rounds, &state);
        assert!(!offers.is_empty());
        for o in &offers {
            assert!(
                inject::complete(&o.partial, &s, s.rounds, &state).is_ok(),
                "{}",
                o.partial
            );
        }
        let has = |kind: &str, subject: &str| {
            offers
                .iter()
                .any(|o| o.kind == kind && o.subject == subject)
        };
        // Syria's ceasefire is not in force at the start; eastern Ukraine's
        // is (so it may collapse, and may not be agreed again).
        assert!(has("ceasefire_agreed", "syria"));
        assert!(!has("ceasefire_collapsed", "syria"));
        assert!(has("ceasefire_collapsed", "eastern_ukraine"));
        assert!(!has("ceasefire_agreed", "eastern_ukraine"));
        // No agreement is signed yet, so none can step forward.
        assert!(!offers.iter().any(|o| o.kind == "agreement_step"));
        let moves = offers.iter().filter(|o| o.kind == "position_changed");
        assert!(moves.clone().all(|o| o.number.is_some()));
        assert!(moves.count() > 10);
        // The fighting on a front may be put in before it has moved.
        assert!(has("control_changed", "northern_aleppo"));
    }
}
