//! A user-written mechanism: the humanitarian pause.
//!
//! When a theatre has no ceasefire in force but its parties are close to
//! agreeing one (their mean position on the governing issue within `reach`
//! points of the ceasefire's threshold), a humanitarian pause may be
//! declared: with probability `chance` each round, drawn from the
//! mechanism's own keyed stream. A pause lets aid in (CAMEO 0863) and moves
//! every party `step` points toward a ceasefire.
//!
//! The mechanism is a first-class citizen: it reads the state, draws from
//! its own stream, and returns events; the engine checks and applies them.
//! Run it on the Moscow scenario, then check it against every law:
//!
//! ```sh
//! cargo run -p entente-core --features testing --example humanitarian_pause
//! ```

use entente_core::event::{Cause, Event, PositionChanged, Scripted};
use entente_core::scenario::ActKind;
use entente_core::state::CeasefireStatus;
use entente_core::{Context, Mechanism, Run, RunConfig, Scenario};

/// The humanitarian pause.
#[derive(Clone, Debug)]
pub struct HumanitarianPause {
    /// How far below the ceasefire threshold a pause is still possible.
    pub reach: f64,
    /// Chance of a pause in a round where one is possible.
    pub chance: f64,
    /// How far a pause moves each party toward a ceasefire.
    pub step: f64,
}

impl Default for HumanitarianPause {
    fn default() -> HumanitarianPause {
        HumanitarianPause {
            reach: 25.0,
            chance: 0.3,
            step: 5.0,
        }
    }
}

impl Mechanism for HumanitarianPause {
    fn decider(&self) -> &str {
        "humanitarian-pause"
    }

    fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
        let state = ctx.state();
        let mut events = Vec::new();
        let rules = ctx.scenario().ceasefires.iter();
        for (k, (rule, ceasefire)) in rules.zip(state.ceasefires()).enumerate() {
            if ceasefire.status == CeasefireStatus::InForce {
                continue;
            }
            // An issue settled by an agreement moves no more.
            let Some(issue) = state
                .issue(&rule.issue)
                .filter(|&i| state.agreement(i).is_none())
            else {
                continue;
            };
            // The parties' mean position, as the ceasefire rule reads it.
            let Some(terms) = state.ceasefire_terms(k) else {
                continue;
            };
            if terms.mean < rule.threshold - self.reach {
                continue;
            }
            if !ctx.stream(&rule.theatre).chance(self.chance) {
                continue;
            }
            events.push(Event::Scripted(Scripted {
                kind: ActKind::Statement,
                actor: rule.parties[0].as_str().into(),
                target: rule.parties.get(1).map(|p| p.as_str().into()),
                issue: Some(rule.issue.as_str().into()),
                cameo: "0863".to_owned(),
                text: format!("a humanitarian pause in {}", rule.theatre),
            }));
            for &party in &ceasefire.parties {
                let Some(held) = state.held(issue, party) else {
                    continue;
                };
                let to = entente_core::scale::clamp(held.position + self.step);
                if to != held.position {
                    events.push(Event::PositionChanged(PositionChanged {
                        actor: state.actors()[party].clone(),
                        issue: rule.issue.as_str().into(),
                        from: held.position,
                        to,
                        cause: Cause::Mechanism {
                            name: self.decider().to_owned(),
                            note: "a humanitarian pause".to_owned(),
                        },
                    }));
                }
            }
        }
        events
    }
}

fn main() {
    let scenario: Scenario =
        serde_json::from_str(include_str!("../../../scenarios/moscow-2015-12-15.json"))
            .expect("the Moscow scenario parses");
    let run = Run::with_mechanisms(
        &scenario,
        RunConfig {
            seed: 7,
            ..RunConfig::default()
        },
        vec![Box::new(HumanitarianPause::default())],
    )
    .expect("a valid scenario");
    for envelope in run {
        let envelope = envelope.expect("the engine accepts every event the pause decides");
        if let Event::Scripted(s) = &envelope.event
            && s.cameo == "0863"
        {
            println!("round {} ({}): {}", envelope.round, envelope.date, s.text);
        }
    }
    match entente_core::laws::Suite::with_mechanisms(|| {
        vec![Box::new(HumanitarianPause::default())]
    })
    .cases(64)
    .check(entente_core::testing::Sizes::default())
    {
        Ok(cases) => {
            println!("the humanitarian pause keeps every law over {cases} generated cases")
        }
        Err(failure) => println!("{failure}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entente_core::laws::{Law, Suite};
    use entente_core::testing::Sizes;

    #[test]
    fn the_humanitarian_pause_keeps_every_law() {
        let cases = Suite::with_mechanisms(|| vec![Box::new(HumanitarianPause::default())])
            .cases(128)
            .check(Sizes::default());
        assert!(cases.is_ok(), "{}", cases.unwrap_err());
    }

    /// A pause that ignores the scale: it is caught.
    #[derive(Debug)]
    struct Overshoot;

    impl Mechanism for Overshoot {
        fn decider(&self) -> &str {
            "overshoot"
        }
        fn decide(&self, ctx: &Context<'_>) -> Vec<Event> {
            HumanitarianPause {
                reach: 100.0,
                chance: 1.0,
                step: 150.0,
            }
            .decide(ctx)
            .into_iter()
            .map(|e| match e {
                Event::PositionChanged(mut p) => {
                    p.to = p.from + 150.0;
                    Event::PositionChanged(p)
                }
                other => other,
            })
            .collect()
        }
    }

    #[test]
    fn a_pause_that_ignores_the_scale_breaks_a_law() {
        let failure = Suite::with_mechanisms(|| vec![Box::new(Overshoot)])
            .cases(128)
            .check(Sizes::default())
            .unwrap_err();
        assert_eq!(failure.violation.law, Law::PositionsInRange, "{failure}");
    }
}
