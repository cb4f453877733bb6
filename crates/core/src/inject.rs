//! Events put into a history from outside: a counterfactual branch.
//!
//! A user writes only what the counterfactual is about, such as
//! `{"ceasefire_agreed": {"theatre": "syria"}}`; [`complete`] fills in what
//! the state determines (the parties, their mean position, a position's
//! current value, a regime's imposer…), then the event is checked like any
//! other. The engine's bookkeeping (round closes, risk exponents) cannot be
//! injected.

use serde_json::{Map, Value, json};

use crate::event::Event;
use crate::mechanism::plan_package;
use crate::scenario::{Forecast, Scenario};
use crate::state::{Refusal, State};

/// Builds the event `partial` describes, filling in the fields the state
/// determines, and checks that it can happen in `state`.
pub fn complete(partial: &Value, scenario: &Scenario, state: &State) -> Result<Event, Refusal> {
    let refuse = |msg: String| Err(Refusal(msg));
    let Some(object) = partial.as_object().filter(|o| o.len() == 1) else {
        return refuse(
            "expected an object with one member named for the event, such as {\"ceasefire_agreed\": {\"theatre\": \"syria\"}}"
                .to_owned(),
        );
    };
    let (name, body) = object
        .iter()
        .next()
        .map(|(k, v)| (k.as_str(), v))
        .unwrap_or(("", &Value::Null));
    let Some(fields) = body.as_object() else {
        return refuse(format!("the {name} event's fields must be an object"));
    };
    let mut fields = fields.clone();
    fill(name, &mut fields, scenario, state)?;
    let event: Event = serde_json::from_value(json!({ name: fields }))
        .map_err(|e| Refusal(format!("not a valid {name} event: {e}")))?;
    state.check(&event)?;
    Ok(event)
}

fn fill(
    name: &str,
    f: &mut Map<String, Value>,
    scenario: &Scenario,
    state: &State,
) -> Result<(), Refusal> {
    let text = |f: &Map<String, Value>, key: &str| -> Result<String, Refusal> {
        f.get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| Refusal(format!("the {name} event needs \"{key}\"")))
    };
    match name {
        "round_closed" | "risk_updated" => {
            return Err(Refusal(format!(
                "{name} is the engine's bookkeeping; it cannot be put into a history"
            )));
        }
        "scripted" => {
            let kind: crate::scenario::ActKind = serde_json::from_value(
                f.get("kind").cloned().unwrap_or(Value::Null),
            )
            .map_err(|e| Refusal(format!("the scripted event needs a known \"kind\": {e}")))?;
            default(f, "cameo", json!(kind.default_cameo()));
            default(f, "text", json!("put into the history by a branch"));
        }
        "position_changed" => {
            let (actor, issue) = (text(f, "actor")?, text(f, "issue")?);
            let current = state
                .actor(&actor)
                .zip(state.issue(&issue))
                .and_then(|(a, i)| state.held(i, a))
                .ok_or_else(|| Refusal(format!("{actor} holds no stance on {issue}")))?
                .position;
            if let Some(from) = f.get("from").and_then(Value::as_f64)
                && from != current
            {
                return Err(Refusal(format!(
                    "{actor} stands at {current} on {issue} here, not {from}; leave \"from\" out to have it filled in"
                )));
            }
            f.insert("from".to_owned(), json!(current));
            default(
                f,
                "cause",
                json!({"external": {"note": "put into the history by a branch"}}),
            );
        }
        "ceasefire_agreed" => {
            let theatre = text(f, "theatre")?;
            let rule = scenario
                .ceasefires
                .iter()
                .find(|c| c.theatre == theatre)
                .ok_or_else(|| {
                    Refusal(format!("no ceasefire is defined for theatre {theatre:?}"))
                })?;
            let issue = state.issue(&rule.issue).unwrap_or(0);
            let positions: Vec<f64> = rule
                .parties
                .iter()
                .filter_map(|p| state.actor(p).and_then(|a| state.held(issue, a)))
                .map(|h| h.position)
                .collect();
            let mean = positions.iter().sum::<f64>() / positions.len().max(1) as f64;
            let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            default(f, "parties", json!(rule.parties));
            default(f, "mean", json!(mean));
            default(f, "spread", json!(if hi >= lo { hi - lo } else { 0.0 }));
        }
        "ceasefire_violated" | "ceasefire_collapsed" => {
            let theatre = text(f, "theatre")?;
            let so_far = state
                .ceasefires()
                .iter()
                .find(|c| c.theatre == theatre)
                .map_or(0, |c| c.violations);
            if name == "ceasefire_violated" {
                default(f, "violations", json!(so_far + 1));
                default(f, "cause", json!("external"));
            } else {
                default(f, "violations", json!(so_far));
            }
        }
        "sanctions_renewed" | "sanctions_eased" | "sanctions_lifted" => {
            let id = text(f, "regime")?;
            let rule = scenario
                .sanctions
                .iter()
                .find(|r| r.id == id)
                .ok_or_else(|| Refusal(format!("unknown sanction regime {id:?}")))?;
            let regime = state.sanctions().iter().find(|r| r.id == id);
            let level = regime.map_or(1.0, |r| r.level);
            let position = state
                .actor(&rule.imposer)
                .zip(state.issue(&rule.issue))
                .and_then(|(a, i)| state.held(i, a))
                .map_or(0.0, |h| h.position);
            default(f, "imposer", json!(rule.imposer));
            default(f, "target", json!(rule.target));
            default(
                f,
                "due",
                json!(scenario.round_last_day(state.round()).to_string()),
            );
            default(f, "position", json!(position));
            default(
                f,
                "level",
                json!(match name {
                    "sanctions_lifted" => 0.0,
                    "sanctions_eased" => level / 2.0,
                    _ => level,
                }),
            );
        }
        "package_offered" | "package_accepted" => fill_terms(f, state)?,
        "package_refused" => {
            if let Some(Value::Object(terms)) = f.get_mut("terms") {
                fill_terms(terms, state)?;
            }
            default(f, "reason", json!("not_worth_it"));
        }
        "agreement_signed" => {
            let id = text(f, "issue")?;
            let i = state
                .issue(&id)
                .ok_or_else(|| Refusal(format!("unknown issue {id:?}")))?;
            let forecast = match scenario.agreement.forecast {
                Forecast::Mean => state.mean(i),
                Forecast::Median => state.median(i),
            };
            default(f, "position", json!(forecast));
            default(f, "principals", json!(scenario.issues[i].principals));
        }
        _ => {}
    }
    Ok(())
}

/// Sets `key` unless the user gave it.
fn default(f: &mut Map<String, Value>, key: &str, value: Value) {
    f.entry(key.to_owned()).or_insert(value);
}

/// Fills a package's gain from the package the linkage mechanism would size.
fn fill_terms(f: &mut Map<String, Value>, state: &State) -> Result<(), Refusal> {
    let get =
        |f: &Map<String, Value>, key: &str| f.get(key).and_then(Value::as_str).map(str::to_owned);
    let issue_of = |f: &Map<String, Value>, key: &str| {
        f.get(key)
            .and_then(|c| c.get("issue"))
            .and_then(Value::as_str)
            .and_then(|i| state.issue(i))
    };
    let plan = match (
        get(f, "offerer").and_then(|o| state.actor(&o)),
        get(f, "receiver").and_then(|r| state.actor(&r)),
        issue_of(f, "offerer_yields"),
        issue_of(f, "receiver_yields"),
    ) {
        (Some(o), Some(r), Some(i1), Some(i2)) => plan_package(state, o, r, [i1, i2]),
        _ => None,
    };
    f.entry("gain".to_owned())
        .or_insert(json!(plan.map_or(0.0, |p| p.gain)));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moscow() -> Scenario {
        serde_json::from_str(include_str!("../../../scenarios/moscow-2015-12-15.json")).unwrap()
    }

    #[test]
    fn a_ceasefire_needs_only_its_theatre() {
        let s = moscow();
        let state = State::new(&s);
        let e = complete(
            &json!({"ceasefire_agreed": {"theatre": "syria"}}),
            &s,
            &state,
        )
        .unwrap();
        let Event::CeasefireAgreed(c) = e else {
            panic!()
        };
        assert_eq!(c.parties, ["SYR_GOV", "SYR_OPP", "RUS"]);
        assert!((c.mean - 140.0 / 3.0).abs() < 1e-9, "{}", c.mean);
        assert_eq!(c.spread, 30.0);
    }

    #[test]
    fn impossible_or_unknown_events_are_refused() {
        let s = moscow();
        let state = State::new(&s);
        for (partial, why) in [
            (
                json!({"ceasefire_agreed": {"theatre": "mars"}}),
                "no ceasefire",
            ),
            (
                json!({"ceasefire_agreed": {"theatre": "eastern_ukraine"}}),
                "already in force",
            ),
            (
                json!({"ceasefire_violated": {"theatre": "syria", "by": "RUS"}}),
                "not in force",
            ),
            (
                json!({"position_changed": {"actor": "XXX", "issue": "assad_role", "to": 50}}),
                "no stance",
            ),
            (
                json!({"position_changed": {"actor": "RUS", "issue": "assad_role", "to": 150}}),
                "outside",
            ),
            (
                json!({"position_changed": {"actor": "RUS", "issue": "assad_role", "from": 3, "to": 50}}),
                "not 3",
            ),
            (
                json!({"sanctions_lifted": {"regime": "eu_sectoral", "imposer": "USA"}}),
                "only EU decides",
            ),
            (
                json!({"round_closed": {"round": 1, "issues": []}}),
                "bookkeeping",
            ),
            (json!({"strike": {"striker": "RUS"}}), "missing field"),
            (json!({"telepathy": {}}), "unknown variant"),
            (json!([1, 2]), "one member"),
        ] {
            let err = complete(&partial, &s, &state).unwrap_err().0;
            assert!(err.contains(why), "{partial}: {err}");
        }
    }

    #[test]
    fn a_move_gets_its_from_and_an_external_cause() {
        let s = moscow();
        let state = State::new(&s);
        let e = complete(
            &json!({"position_changed": {"actor": "RUS", "issue": "syria_ceasefire", "to": 80}}),
            &s,
            &state,
        )
        .unwrap();
        let Event::PositionChanged(p) = e else {
            panic!()
        };
        assert_eq!((p.from, p.to), (50.0, 80.0));
        assert!(matches!(p.cause, crate::event::Cause::External { .. }));
    }
}
