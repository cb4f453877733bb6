//! Events put into a history from outside: a counterfactual branch.
//!
//! A user writes only what the counterfactual is about, such as
//! `{"ceasefire_agreed": {"theatre": "syria"}}`. [`complete`] parses the
//! partial event, gives the decider's fields the user left out their
//! defaults (an external cause, the regime's imposer, the package the
//! linkage mechanism would size…), settles the fields the state determines
//! ([`State::settle`]: a position's current value, the parties and their
//! terms, a count of violations…), and checks the event like any other. A
//! field the user did give that the state determines must say what the
//! state says. The engine's bookkeeping (round closes, risk exponents)
//! cannot be injected.

use serde_json::{Map, Value, json};

use crate::event::{Event, EventKind, Vote};
use crate::mechanism::plan_package;
use crate::scenario::{ActKind, Scenario};
use crate::state::{Refusal, State};

/// Builds the event `partial` describes, filling in the fields the state
/// determines, and checks that it can happen in `state`, in a run of
/// `rounds` rounds ([`within_run`]).
pub fn complete(
    partial: &Value,
    scenario: &Scenario,
    rounds: u32,
    state: &State,
) -> Result<Event, Refusal> {
    let malformed = |msg: String| Refusal::Malformed(msg);
    let Some((name, body)) = partial
        .as_object()
        .filter(|o| o.len() == 1)
        .and_then(|o| o.iter().next())
    else {
        return Err(malformed(
            "expected an object with one member named for the event, such as {\"ceasefire_agreed\": {\"theatre\": \"syria\"}}"
                .to_owned(),
        ));
    };
    let Some(given) = body.as_object() else {
        return Err(malformed(format!(
            "the {name} event's fields must be an object"
        )));
    };
    let kind = EventKind::named(name);
    if matches!(kind, Some(EventKind::RoundClosed | EventKind::RiskUpdated)) {
        return Err(Refusal::Bookkeeping(name.clone()));
    }
    let mut fields = given.clone();
    // An unknown name is left to serde, whose message lists the known ones.
    if let Some(kind) = kind {
        defaults(kind, &mut fields, scenario, state)?;
    }
    let mut event: Event = serde_json::from_value(json!({ name: fields }))
        .map_err(|e| malformed(format!("not a valid {name} event: {e}")))?;
    state.settle(&mut event);
    let settled = serde_json::to_value(&event).unwrap_or(Value::Null);
    // A group package's `issues` is shorthand the defaults replaced by its
    // yields: not a field to hold the event to.
    let mut given = given.clone();
    if let Event::GroupPackageOffered(_)
    | Event::GroupPackageAccepted(_)
    | Event::GroupPackageRefused(_) = event
    {
        given.remove("issues");
    }
    contradiction(name, &Value::Object(given), &settled[name.as_str()])?;
    state.check(&event)?;
    within_run(&event, scenario, rounds)?;
    Ok(event)
}

/// What an injected event must hold to beyond the state's rules, in a run
/// of `rounds` rounds of `scenario` (a branch's fold holds its injections
/// to it too): a threat's extension keeps its deadline within the run, as
/// a timeline entry must be, since a deadline the run never reaches would
/// never fall due. The threats mechanism's own extension is not held to
/// it: it puts the deadline back by the days the scenario declares.
pub fn within_run(event: &Event, scenario: &Scenario, rounds: u32) -> Result<(), Refusal> {
    let last = scenario.round_last_day(rounds);
    match event {
        Event::ThreatExtended(r) if r.deadline > last => Err(Refusal::ThreatBeyondRun {
            threat: r.threat.to_string(),
            deadline: r.deadline,
            last,
        }),
        _ => Ok(()),
    }
}

/// Refuses a field the user gave that the settled event says otherwise.
fn contradiction(path: &str, given: &Value, settled: &Value) -> Result<(), Refusal> {
    match (given, settled) {
        (Value::Object(g), Value::Object(s)) => {
            for (key, value) in g {
                let inner = s.get(key).unwrap_or(&Value::Null);
                contradiction(&format!("{path}.{key}"), value, inner)?;
            }
            Ok(())
        }
        // Element by element, so a number is compared as a number (1 and
        // 1.0 agree) inside a list too.
        (Value::Array(g), Value::Array(s)) if g.len() == s.len() => {
            for (k, (g, s)) in g.iter().zip(s).enumerate() {
                contradiction(&format!("{path}[{k}]"), g, s)?;
            }
            Ok(())
        }
        (Value::Number(g), Value::Number(s)) if g.as_f64() == s.as_f64() => Ok(()),
        (g, s) if g == s => Ok(()),
        (g, s) => Err(Refusal::Unsettled {
            what: format!("{path} (leave it out to have it filled in)"),
            event: g.to_string(),
            state: s.to_string(),
        }),
    }
}

/// Gives the decider's fields the user left out their defaults.
fn defaults(
    kind: EventKind,
    f: &mut Map<String, Value>,
    scenario: &Scenario,
    state: &State,
) -> Result<(), Refusal> {
    use EventKind as K;
    let name = kind.name();
    match kind {
        K::Scripted => {
            let kind: ActKind = serde_json::from_value(
                f.get("kind").cloned().unwrap_or(Value::Null),
            )
            .map_err(|e| {
                Refusal::Malformed(format!("the scripted event needs a known \"kind\": {e}"))
            })?;
            default(f, "cameo", json!(kind.default_cameo()));
            default(f, "text", json!(EXTERNAL));
        }
        K::PositionChanged | K::SalienceChanged | K::CapabilityChanged | K::TrustChanged => {
            default(f, "cause", json!({"external": {"note": EXTERNAL}}));
        }
        K::ThreatMade
        | K::ThreatExtended
        | K::ThreatCarriedOut
        | K::ThreatWithdrawn
        | K::ThreatLapsed
        | K::ThreatEnded => {
            threat_defaults(kind, f, scenario, state)?;
        }
        K::ThreatAnswered => {
            // The severity the threat declares (the middle of its
            // uncertainty); the numbers are the state's, and the answer
            // must be theirs.
            let id = text(name, f, "threat")?;
            let k = scenario
                .threats
                .iter()
                .position(|t| t.id == id)
                .ok_or_else(|| Refusal::UnknownThreat(id.clone()))?;
            default(f, "severity", json!(scenario.threats[k].severity_share().0));
        }
        K::AgreementStep | K::AgreementImplemented | K::AgreementStalled | K::AgreementReopened => {
            progress_defaults(kind, f, state)?
        }
        K::SanctionsImposed => imposed_defaults(name, f, scenario, state)?,
        K::CeasefireViolated => default(f, "cause", json!("external")),
        K::SanctionsRenewed | K::SanctionsEased | K::SanctionsLifted => {
            decision_defaults(kind, f, scenario, state)?;
        }
        K::AgreementSigned => {
            let id = text(name, f, "issue")?;
            let i = state
                .issue(&id)
                .ok_or_else(|| Refusal::UnknownIssue(id.clone()))?;
            default(f, "position", json!(state.agreement_forecast(i)));
        }
        K::ResolutionAdopted | K::ResolutionVetoed | K::ResolutionFailed => {
            // The vote the members' positions give on the sponsors' draft:
            // the state refuses any other (a body never adopts against a
            // veto or below its quota).
            let body = text(name, f, "body")?;
            let issue = text(name, f, "issue")?;
            let vote = state
                .draft(&body, &issue)
                .and_then(|d| state.count_vote(&body, &issue, d))
                .ok_or_else(|| Refusal::UnknownResolution(format!("{body}:{issue}")))?;
            if let Ok(Value::Object(counted)) = serde_json::to_value(&vote) {
                for (k, v) in counted {
                    default(f, &k, v);
                }
            }
        }
        K::PackageOffered | K::PackageAccepted => default_gain(f, state),
        K::GroupPackageOffered | K::GroupPackageAccepted => default_group(
            f,
            state,
            scenario
                .linkage
                .as_ref()
                .map(|l| l.split)
                .unwrap_or_default(),
        ),
        K::PackageRefused => {
            if let Some(Value::Object(terms)) = f.get_mut("terms") {
                default_gain(terms, state);
            }
            default(f, "reason", json!("not_worth_it"));
        }
        _ => {}
    }
    Ok(())
}

/// The note or text of an injected event the user did not describe.
const EXTERNAL: &str = "put into the history by a branch";

/// The string field `key` of the `name` event, which the user must give.
fn text(name: &str, f: &Map<String, Value>, key: &str) -> Result<String, Refusal> {
    f.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| Refusal::Malformed(format!("the {name} event needs \"{key}\"")))
}

/// A threat event's defaults: the threat's deadline as it stands (an
/// extension's put back by the days the threat declares, as the threats
/// mechanism puts it) and its target's position on the first issue its
/// condition asks it to move on.
fn threat_defaults(
    kind: EventKind,
    f: &mut Map<String, Value>,
    scenario: &Scenario,
    state: &State,
) -> Result<(), Refusal> {
    let id = text(kind.name(), f, "threat")?;
    let (k, threat) = scenario
        .threats
        .iter()
        .enumerate()
        .find(|(_, t)| t.id == id)
        .ok_or_else(|| Refusal::UnknownThreat(id.clone()))?;
    let standing = state
        .threats()
        .get(k)
        .map_or(threat.deadline, |t| t.deadline);
    let deadline = if kind == EventKind::ThreatExtended {
        threat.extended_from(standing)
    } else {
        standing
    };
    let position = state.threat_position(k);
    default(f, "deadline", json!(deadline.to_string()));
    default(f, "position", json!(position));
    Ok(())
}

/// An agreement's progress event's defaults: its steps so far, one more
/// for a step or the implementation.
fn progress_defaults(
    kind: EventKind,
    f: &mut Map<String, Value>,
    state: &State,
) -> Result<(), Refusal> {
    let id = text(kind.name(), f, "issue")?;
    let i = state
        .issue(&id)
        .ok_or_else(|| Refusal::UnknownIssue(id.clone()))?;
    let steps = state.agreement(i).map_or(0, |a| a.steps);
    let next = u32::from(matches!(
        kind,
        EventKind::AgreementStep | EventKind::AgreementImplemented
    ));
    default(f, "steps", json!(steps + next));
    Ok(())
}

/// The regime an event names, and its rule.
fn regime<'s>(
    name: &str,
    f: &Map<String, Value>,
    scenario: &'s Scenario,
) -> Result<(String, &'s crate::scenario::RegimeRule), Refusal> {
    let id = text(name, f, "regime")?;
    let rule = scenario
        .sanctions
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| Refusal::UnknownRegime(id.clone()))?;
    Ok((id, rule))
}

/// A regime imposed again's defaults: its first member imposes it at full
/// level on the round's last day.
fn imposed_defaults(
    name: &str,
    f: &mut Map<String, Value>,
    scenario: &Scenario,
    state: &State,
) -> Result<(), Refusal> {
    let (_, rule) = regime(name, f, scenario)?;
    default(f, "imposer", json!(rule.members(scenario).first()));
    default(
        f,
        "due",
        json!(scenario.round_last_day(state.round()).to_string()),
    );
    default(f, "position", json!(100.0));
    default(f, "level", json!(1.0));
    Ok(())
}

/// A renewal decision's defaults: who decides (or every member's vote for
/// what the event says), the round's last day, the first member's position
/// and the level the decision leaves.
fn decision_defaults(
    kind: EventKind,
    f: &mut Map<String, Value>,
    scenario: &Scenario,
    state: &State,
) -> Result<(), Refusal> {
    let (id, rule) = regime(kind.name(), f, scenario)?;
    let level = state
        .regime_index(&id)
        .map_or(1.0, |k| state.regimes()[k].level);
    let first = rule.members(scenario).first().cloned().unwrap_or_default();
    let position = state
        .actor(&first)
        .zip(state.issue(&rule.issue))
        .and_then(|(a, i)| state.held(i, a))
        .map_or(0.0, |h| h.position);
    if !rule.votes(scenario) {
        default(f, "imposer", json!(first));
    } else {
        // Members vote: by default every one votes for what the
        // event says.
        let vote = match kind {
            EventKind::SanctionsLifted => Vote::Lift,
            EventKind::SanctionsEased => Vote::Ease,
            _ => Vote::Renew,
        };
        let votes: Map<String, Value> = rule
            .members(scenario)
            .iter()
            .map(|m| (m.clone(), json!(vote)))
            .collect();
        default(f, "votes", Value::Object(votes));
    }
    default(
        f,
        "due",
        json!(scenario.round_last_day(state.round()).to_string()),
    );
    default(f, "position", json!(position));
    default(
        f,
        "level",
        json!(match kind {
            EventKind::SanctionsLifted => 0.0,
            EventKind::SanctionsEased => level / 2.0,
            _ => level,
        }),
    );
    Ok(())
}

/// A group package's yields and gains, if not given: those of the package
/// the linkage mechanism would size among the same parties on the issues
/// given (`"issues": [...]`, one per party, in place of `yields`).
fn default_group(f: &mut Map<String, Value>, state: &State, split: crate::scenario::Split) {
    let ids = |key: &str| -> Vec<String> {
        f.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let (parties, issues) = (ids("parties"), ids("issues"));
    if issues.is_empty() {
        return;
    }
    f.remove("issues");
    let p: Vec<usize> = parties.iter().filter_map(|a| state.actor(a)).collect();
    let i: Vec<usize> = issues.iter().filter_map(|x| state.issue(x)).collect();
    let plan = (p.len() == parties.len() && i.len() == issues.len())
        .then(|| crate::mechanism::plan_group(state, &p, &i, split))
        .flatten();
    let Some(plan) = plan else {
        return;
    };
    let yields: Vec<Value> = plan
        .moves
        .iter()
        .map(|&(issue, to)| json!({"issue": state.issues()[issue], "to": to}))
        .collect();
    default(f, "yields", Value::Array(yields));
    default(f, "gains", json!(plan.gains));
}

/// Sets `key` unless the user gave it.
fn default(f: &mut Map<String, Value>, key: &str, value: Value) {
    f.entry(key.to_owned()).or_insert(value);
}

/// A package's gain, if not given: that of the package the linkage mechanism
/// would size between the same sides on the same issues.
fn default_gain(f: &mut Map<String, Value>, state: &State) {
    let actor = |key: &str| {
        f.get(key)
            .and_then(Value::as_str)
            .and_then(|a| state.actor(a))
    };
    let issue = |key: &str| {
        f.get(key)
            .and_then(|c| c.get("issue"))
            .and_then(Value::as_str)
            .and_then(|i| state.issue(i))
    };
    let plan = match (
        actor("offerer"),
        actor("receiver"),
        issue("offerer_yields"),
        issue("receiver_yields"),
    ) {
        (Some(o), Some(r), Some(i1), Some(i2)) => plan_package(state, o, r, [i1, i2]),
        _ => None,
    };
    default(f, "gain", json!(plan.map_or(0.0, |p| p.gain)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The format-1 Moscow scenario: its numbers pin these tests.
    fn moscow() -> Scenario {
        serde_json::from_str(include_str!(
            "../../../scenarios/moscow-2015-12-15-minimal.json"
        ))
        .unwrap()
    }

    /// The rebuilt Moscow scenario (format 2).
    fn moscow2() -> Scenario {
        serde_json::from_str(include_str!("../../../scenarios/moscow-2015-12-15.json")).unwrap()
    }

    #[test]
    fn members_vote_on_an_injected_decision_and_an_outsider_is_refused() {
        let s = moscow2();
        let state = State::new(&s);
        let e = complete(
            &json!({"sanctions_lifted": {"regime": "eu_sectoral"}}),
            &s,
            s.rounds,
            &state,
        )
        .unwrap();
        let Event::SanctionsLifted(d) = e else {
            panic!()
        };
        // Every member votes to lift by default: a unanimous change.
        assert_eq!(d.votes.len(), 6);
        assert!(d.votes.values().all(|v| *v == crate::event::Vote::Lift));
        let err = complete(
            &json!({"sanctions_lifted": {"regime": "eu_sectoral", "votes": {
                "DEU": "lift", "FRA": "lift", "ITA": "lift", "GBR": "lift", "HUN": "lift", "POL": "renew"}}}),
            &s,
            s.rounds,
            &state,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("6 of 6 members must vote for the change"),
            "{err}"
        );
        let err = complete(
            &json!({"sanctions_lifted": {"regime": "eu_sectoral", "imposer": "USA"}}),
            &s,
            s.rounds,
            &state,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("only a vote of DEU, FRA"), "{err}");
    }

    #[test]
    fn the_new_events_can_be_put_into_a_history() {
        let s = moscow2();
        let state = State::new(&s);
        for partial in [
            json!({"salience_changed": {"actor": "RUS", "issue": "syria_ceasefire", "to": 0.95}}),
            json!({"capability_changed": {"actor": "TUR", "to": 10}}),
            json!({"trust_changed": {"a": "RUS", "b": "TUR", "to": 0.0}}),
        ] {
            let e = complete(&partial, &s, s.rounds, &state)
                .unwrap_or_else(|r| panic!("{partial}: {r}"));
            assert!(
                serde_json::to_string(&e).unwrap().contains("external"),
                "{e:?}"
            );
        }
        let err = complete(
            &json!({"trust_changed": {"a": "RUS", "b": "RUS", "to": 0.5}}),
            &s,
            s.rounds,
            &state,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("RUS cannot trust or distrust itself"), "{err}");
        let err = complete(
            &json!({"agreement_step": {"issue": "assad_role"}}),
            &s,
            s.rounds,
            &state,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("assad_role is not agreed"), "{err}");
    }

    #[test]
    fn a_ceasefire_needs_only_its_theatre() {
        let s = moscow();
        let state = State::new(&s);
        let e = complete(
            &json!({"ceasefire_agreed": {"theatre": "syria"}}),
            &s,
            s.rounds,
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
    fn numbers_in_a_list_are_compared_as_numbers() {
        assert!(contradiction("g.gains", &json!([1, 1, 1]), &json!([1.0, 1.0, 1.0])).is_ok());
        let e = contradiction("g.gains", &json!([1, 2]), &json!([1.0, 1.5])).unwrap_err();
        assert!(e.to_string().contains("g.gains[1]"), "{e}");
        assert!(contradiction("g.gains", &json!([1]), &json!([1.0, 1.0])).is_err());
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
                "unknown actor \"XXX\"",
            ),
            (
                json!({"position_changed": {"actor": "RUS", "issue": "assad_role", "to": 150}}),
                "outside",
            ),
            (
                json!({"position_changed": {"actor": "RUS", "issue": "assad_role", "from": 3, "to": 50}}),
                "from (leave it out to have it filled in) is 3, but the state gives 85",
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
            (
                json!({"ceasefire_agreed": {"theatre": "syria", "mean": 1e308, "spread": -1}}),
                "ceasefire_agreed.mean (leave it out to have it filled in) is 1e+308",
            ),
            (
                json!({"ceasefire_violated": {"theatre": "eastern_ukraine", "by": "USA"}}),
                "USA is not a party to the eastern_ukraine ceasefire",
            ),
            (
                json!({"ceasefire_violated": {"theatre": "eastern_ukraine", "by": "SEP",
                        "cause": {"hazard": {"hazard": 7}}}}),
                "hazard 7 is outside 0–1",
            ),
            (
                json!({"strike": {"striker": "UKR", "theatre": "syria", "target": "other_opposition"}}),
                "UKR has no strike capacity in syria",
            ),
            (
                json!({"agreement_signed": {"issue": "assad_role", "principals": []}}),
                "agreement_signed.principals (leave it out to have it filled in) is []",
            ),
            (json!([1, 2]), "one member"),
        ] {
            let err = complete(&partial, &s, s.rounds, &state)
                .unwrap_err()
                .to_string();
            assert!(err.contains(why), "{partial}: {err}");
        }
    }

    #[test]
    fn a_striker_strikes_no_more_than_its_capacity_a_round() {
        let s = moscow();
        let mut state = State::new(&s);
        let strike =
            json!({"strike": {"striker": "RUS", "theatre": "syria", "target": "other_opposition"}});
        let (left, cap) = state.strikes_left("RUS", "syria").unwrap();
        assert_eq!((left, cap), (1, 1));
        let event = complete(&strike, &s, s.rounds, &state).unwrap();
        state.apply(&event);
        let err = complete(&strike, &s, s.rounds, &state)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("RUS strikes at most 1 times a round in syria"),
            "{err}"
        );
    }

    #[test]
    fn a_move_gets_its_from_and_an_external_cause() {
        let s = moscow();
        let state = State::new(&s);
        let e = complete(
            &json!({"position_changed": {"actor": "RUS", "issue": "syria_ceasefire", "to": 80}}),
            &s,
            s.rounds,
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
