//! The laws every negotiation rule must keep, as a reusable suite (feature
//! `testing`).
//!
//! A modeller who writes a mechanism or a model calls [`Suite::check`] with
//! it; the suite plays many generated scenarios and checks, on each, every
//! [`Law`]. The rules run without the engine's checks, so the suite sees what
//! a rule really decides. A broken law is reported with the smallest case
//! proptest could shrink to, as a scenario JSON that `entente run` accepts.
//!
//! ```
//! use entente_core::laws::Suite;
//! use entente_core::testing::Sizes;
//!
//! Suite::builtin().cases(16).check(Sizes::default()).expect("the built-in rules keep every law");
//! ```

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

mod checks;

use crate::event::Event;
use crate::mechanism::{self, Mechanism};
use crate::model::{self, Model};
use crate::scenario::Scenario;
use crate::state::State;
use crate::testing::{self, Sizes};
use crate::{Envelope, Run, RunConfig};

use checks::{break_ties, event_laws, first_difference, replay_laws, two_actors, violation};

/// A law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Law {
    /// A rule never panics.
    NoPanic,
    /// Positions stay within the 0–100 scale.
    PositionsInRange,
    /// Events name only actors, issues, theatres and regimes that exist.
    KnownNames,
    /// A ceasefire is violated or collapses only while it is in force.
    CeasefireOrder,
    /// Sanctions are renewed, eased or lifted only by their imposer.
    ImposerOnly,
    /// Replaying the written log gives the run's final state.
    ReplayEqualsRun,
    /// Every prefix of the log replays to the state the run had there.
    PrefixReplay,
    /// The same scenario and seed give the same log.
    SameSeedSameLog,
    /// Listing the actors in another order changes no position.
    ActorOrder,
    /// Scaling every capability by the same factor changes nothing.
    CapabilityScale,
    /// When all actors share a position, the model moves nobody.
    Unanimity,
}

impl Law {
    /// Every law, in the order they are checked.
    pub const ALL: [Law; 11] = [
        Law::NoPanic,
        Law::PositionsInRange,
        Law::KnownNames,
        Law::CeasefireOrder,
        Law::ImposerOnly,
        Law::ReplayEqualsRun,
        Law::PrefixReplay,
        Law::SameSeedSameLog,
        Law::ActorOrder,
        Law::CapabilityScale,
        Law::Unanimity,
    ];

    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            Law::NoPanic => "no-panic",
            Law::PositionsInRange => "positions-in-range",
            Law::KnownNames => "known-names",
            Law::CeasefireOrder => "ceasefire-order",
            Law::ImposerOnly => "imposer-only",
            Law::ReplayEqualsRun => "replay-equals-run",
            Law::PrefixReplay => "prefix-replay",
            Law::SameSeedSameLog => "same-seed-same-log",
            Law::ActorOrder => "actor-order",
            Law::CapabilityScale => "capability-scale",
            Law::Unanimity => "unanimity",
        }
    }

    /// The law in a sentence.
    pub fn statement(self) -> &'static str {
        match self {
            Law::NoPanic => "a rule never panics",
            Law::PositionsInRange => "positions stay within the 0–100 scale",
            Law::KnownNames => "events name only actors, issues, theatres and regimes that exist",
            Law::CeasefireOrder => "a ceasefire is violated or collapses only while it is in force",
            Law::ImposerOnly => "sanctions are renewed, eased or lifted only by their imposer",
            Law::ReplayEqualsRun => "replaying the written log gives the run's final state",
            Law::PrefixReplay => "every prefix of the log replays to the state the run had there",
            Law::SameSeedSameLog => "the same scenario and seed give the same log",
            Law::ActorOrder => "listing the actors in another order changes no position",
            Law::CapabilityScale => "scaling every capability by the same factor changes nothing",
            Law::Unanimity => "when all actors share a position, the model moves nobody",
        }
    }
}

impl fmt::Display for Law {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.statement(), self.name())
    }
}

/// A law broken by one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The law.
    pub law: Law,
    /// What happened.
    pub detail: String,
}

/// A law broken, with the smallest case found.
#[derive(Clone, Debug)]
pub struct LawFailure {
    /// The law and what happened in the smallest case.
    pub violation: Violation,
    /// The smallest scenario found.
    pub scenario: Box<Scenario>,
    /// The seed to run it with.
    pub seed: u64,
    /// Cases that kept every law before this one.
    pub passed: u32,
}

impl LawFailure {
    /// The counterexample as a scenario file.
    pub fn scenario_json(&self) -> String {
        serde_json::to_string_pretty(&self.scenario).unwrap_or_default() + "\n"
    }
}

impl fmt::Display for LawFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "law broken: {}\n  {}\n  found after {} passing case(s); the smallest case is seed {} of this scenario:\n{}",
            self.violation.law,
            self.violation.detail,
            self.passed,
            self.seed,
            self.scenario_json()
        )
    }
}

/// How the actor-order law treats exact ties.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ties {
    /// Nudge every position by a tiny amount keyed by actor and issue (the
    /// same whatever the listing) before comparing, so the law tests the
    /// code, not exact ties, which the listing order breaks by rule.
    #[default]
    Break,
    /// Compare as given: a scenario whose outcome hinges on an exact tie
    /// breaks the law. `entente check-laws` uses this to warn modellers.
    Strict,
}

type ModelFactory = Arc<dyn Fn(&Scenario) -> Box<dyn Model> + Send + Sync>;
type MechanismFactory = Arc<dyn Fn() -> Vec<Box<dyn Mechanism>> + Send + Sync>;

/// The rules under test and how hard to test them.
#[derive(Clone)]
pub struct Suite {
    model: Option<ModelFactory>,
    extra: MechanismFactory,
    ties: Ties,
    cases: u32,
}

impl fmt::Debug for Suite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Suite")
            .field("custom_model", &self.model.is_some())
            .field("ties", &self.ties)
            .field("cases", &self.cases)
            .finish_non_exhaustive()
    }
}

impl Suite {
    /// The built-in model and mechanisms.
    pub fn builtin() -> Suite {
        Suite {
            model: None,
            extra: Arc::new(Vec::new),
            ties: Ties::Break,
            cases: 256,
        }
    }

    /// The built-in rules plus the mechanisms `make` builds (called once per
    /// run, so each run gets fresh ones).
    pub fn with_mechanisms(
        make: impl Fn() -> Vec<Box<dyn Mechanism>> + Send + Sync + 'static,
    ) -> Suite {
        Suite {
            extra: Arc::new(make),
            ..Suite::builtin()
        }
    }

    /// The built-in mechanisms with the model `make` builds for a scenario,
    /// instead of the scenario's own.
    pub fn with_model(make: impl Fn(&Scenario) -> Box<dyn Model> + Send + Sync + 'static) -> Suite {
        Suite {
            model: Some(Arc::new(make)),
            ..Suite::builtin()
        }
    }

    /// How many cases to play (default 256).
    pub fn cases(self, cases: u32) -> Suite {
        Suite { cases, ..self }
    }

    /// How the actor-order law treats exact ties.
    pub fn ties(self, ties: Ties) -> Suite {
        Suite { ties, ..self }
    }

    /// Checks every law on generated scenarios of the given sizes.
    pub fn check(&self, sizes: Sizes) -> Result<u32, LawFailure> {
        self.check_with(testing::scenario(sizes))
    }

    /// Checks every law on scenarios drawn from `scenarios`, each with a
    /// drawn seed. Returns the number of cases played.
    pub fn check_with(
        &self,
        scenarios: impl Strategy<Value = Scenario>,
    ) -> Result<u32, LawFailure> {
        let config = Config {
            cases: self.cases,
            failure_persistence: None,
            max_shrink_iters: 2_048,
            ..Config::default()
        };
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha));
        // Cases that passed before the first failure (shrinking replays
        // cases after it, which do not count).
        let passed = std::cell::Cell::new(0u32);
        let failed = std::cell::Cell::new(false);
        let result = runner.run(&(scenarios, any::<u64>()), |(scenario, seed)| {
            match self.check_case(&scenario, seed) {
                Ok(()) => {
                    if !failed.get() {
                        passed.set(passed.get() + 1);
                    }
                    Ok(())
                }
                Err(v) => {
                    failed.set(true);
                    Err(TestCaseError::fail(format!(
                        "{}: {}",
                        v.law.name(),
                        v.detail
                    )))
                }
            }
        });
        let passed = passed.get();
        match result {
            Ok(()) => Ok(self.cases),
            Err(TestError::Fail(_, (scenario, seed))) => {
                let violation = self.check_case(&scenario, seed).err().unwrap_or(Violation {
                    law: Law::SameSeedSameLog,
                    detail: "the case broke a law once and not when played again".to_owned(),
                });
                Err(LawFailure {
                    violation,
                    scenario: Box::new(scenario),
                    seed,
                    passed,
                })
            }
            // The suite rejects no case, so proptest has no reason to give up.
            Err(TestError::Abort(reason)) => Err(LawFailure {
                violation: Violation {
                    law: Law::NoPanic,
                    detail: format!("the suite could not run: {reason}"),
                },
                scenario: Box::new(two_actors()),
                seed: 0,
                passed,
            }),
        }
    }

    /// Checks every law on one scenario and seed.
    pub fn check_case(&self, scenario: &Scenario, seed: u64) -> Result<(), Violation> {
        match catch_unwind(AssertUnwindSafe(|| self.check_case_inner(scenario, seed))) {
            Ok(result) => result,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_else(|| "a panic without a message".to_owned());
                Err(Violation {
                    law: Law::NoPanic,
                    detail: format!("a rule panicked: {message}"),
                })
            }
        }
    }

    fn check_case_inner(&self, scenario: &Scenario, seed: u64) -> Result<(), Violation> {
        let config = RunConfig {
            seed,
            ..RunConfig::default()
        };
        let (events, states) = self.play(scenario, config.clone(), true)?;
        event_laws(scenario, &events, &states)?;
        replay_laws(scenario, seed, &events, &states)?;
        let (again, _) = self.play(scenario, config, true)?;
        if again != events {
            let at = events
                .iter()
                .zip(&again)
                .position(|(a, b)| a != b)
                .map_or(events.len().min(again.len()) + 1, |k| k + 1);
            return Err(violation(
                Law::SameSeedSameLog,
                format!("two runs with seed {seed} part at seq {at}"),
            ));
        }
        self.model_laws(scenario, seed)
    }

    /// Plays a scenario without the engine's checks; returns its events and
    /// the state before the first event and after each.
    fn play(
        &self,
        scenario: &Scenario,
        config: RunConfig,
        mechanisms: bool,
    ) -> Result<(Vec<Envelope>, Vec<State>), Violation> {
        let model = match &self.model {
            Some(make) => make(scenario),
            None => model::from_config(&scenario.model),
        };
        let deciders = if mechanisms {
            let mut all = mechanism::builtin();
            all.extend((self.extra)());
            all
        } else {
            Vec::new()
        };
        let mut run = Run::custom(scenario, config, model, deciders)
            .map_err(|e| violation(Law::KnownNames, format!("the run could not start: {e}")))?
            .without_checks();
        let mut states = vec![run.state().clone()];
        let mut events = Vec::new();
        while let Some(next) = run.next() {
            let envelope = next.map_err(|e| violation(Law::NoPanic, e.to_string()))?;
            events.push(envelope);
            states.push(run.state().clone());
        }
        Ok((events, states))
    }

    fn model_laws(&self, scenario: &Scenario, seed: u64) -> Result<(), Violation> {
        let config = RunConfig {
            seed,
            ..RunConfig::default()
        };
        // Actor order.
        let base = match self.ties {
            Ties::Break => break_ties(scenario),
            Ties::Strict => scenario.clone(),
        };
        let mut reordered = base.clone();
        reordered.actors.reverse();
        reordered.stances.reverse();
        let (_, a) = self.play(&base, config.clone(), false)?;
        let (_, b) = self.play(&reordered, config.clone(), false)?;
        if let Some(d) = first_difference(a.last(), b.last()) {
            return Err(violation(
                Law::ActorOrder,
                format!("with the actors listed in reverse order, {d}"),
            ));
        }
        // Capability scale: by a power of two, which floating point keeps
        // exact; down instead of up when up would pass the limit.
        let mut scaled = scenario.clone();
        let largest = scenario
            .actors
            .iter()
            .map(|a| a.capability)
            .fold(0.0, f64::max);
        let factor = if largest * 8.0 <= crate::limits::MAX_CAPABILITY {
            8.0
        } else {
            0.125
        };
        for actor in &mut scaled.actors {
            actor.capability *= factor;
        }
        let (ea, _) = self.play(scenario, config.clone(), false)?;
        let (eb, _) = self.play(&scaled, config.clone(), false)?;
        if ea != eb {
            let at = ea
                .iter()
                .zip(&eb)
                .position(|(x, y)| x != y)
                .map_or(0, |k| k + 1);
            return Err(violation(
                Law::CapabilityScale,
                format!(
                    "with every capability multiplied by {factor}, the model's events part at seq {at}"
                ),
            ));
        }
        // Unanimity.
        let mut same = scenario.clone();
        let at = same.stances.first().map_or(50.0, |s| s.position);
        for stance in &mut same.stances {
            stance.position = at;
            stance.uncertainty = 0.0;
        }
        let (events, _) = self.play(&same, config, false)?;
        if let Some(e) = events
            .iter()
            .find(|e| matches!(e.event, Event::PositionChanged(_)))
        {
            return Err(violation(
                Law::Unanimity,
                format!(
                    "with every actor at {at} on every issue, seq {} moves someone: {:?}",
                    e.seq, e.event
                ),
            ));
        }
        Ok(())
    }
}
