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
use proptest::test_runner::Config;

mod checks;
mod coercion;
mod fronts;
mod invariance;
mod slice;

pub use invariance::{HIGH_SALIENCE, LAW_ROUNDS, MOVED, mirrored, relabelled};

use crate::mechanism::{self, Mechanism};
use crate::model::{self, Model};
use crate::scenario::{CompromiseChoice, ModelConfig, ModelKind, Probability, Scenario};
use crate::state::State;
use crate::testing::{self, Sizes};
use crate::{Envelope, Run, RunConfig};

use checks::{event_laws, replay_laws, two_actors, violation};

/// A law.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
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
    /// Renaming the actors and listing them in another order changes
    /// nothing but names.
    Relabel,
    /// Mirroring every position (x → 100 − x) mirrors every forecast and
    /// changes no discrete outcome.
    Mirror,
    /// Scaling every capability by the same factor changes nothing.
    CapabilityScale,
    /// More capability never pulls the forecast away from an actor.
    Capability,
    /// When all actors share a position, the model moves nobody.
    Unanimity,
    /// Where actors differ in capability and salience, high-salience
    /// principals move in some runs.
    Movement,
    /// A brokered ceasefire or agreement never binds a party that refused
    /// it: a spoiler is never held to violate or fail to comply with it.
    SpoilersUnbound,
    /// A regime whose members decide by unanimity is lifted (or eased) only
    /// when every member votes so.
    UnanimousChange,
    /// A timeline entry's effects are applied once.
    EffectsOnce,
    /// A more severe or more credible threat never makes its target comply
    /// later, or not at all where it complied.
    ThreatMonotone,
    /// A patron's leverage toward compliance never makes its client comply
    /// later, or not at all where it complied.
    PatronPressure,
    /// A threat whose condition already holds when it is made changes
    /// nothing but its own record.
    IdleThreat,
    /// A withdrawn threat is never carried out afterwards.
    WithdrawnStaysWithdrawn,
    /// More violations never make a ceasefire more likely to survive: its
    /// collapse hazard never falls with one more violation.
    ViolationsNeverHelp,
    /// A body never adopts a resolution against a veto or below its quota.
    BodyQuota,
    /// More forces on a front never lose control faster.
    FrontForces,
    /// Losing on a front never makes a side less willing to accept a
    /// ceasefire: fighting moves it toward one and raises its salience.
    LossesTowardCeasefire,
    /// A ceasefire in force never lets a front's control shift without a
    /// violation.
    CeasefireFreezesFronts,
    /// Fronts are invariant under relabelling the sides.
    FrontsRelabel,
}

impl Law {
    /// Every law, in the order they are checked.
    pub const ALL: [Law; 27] = [
        Law::NoPanic,
        Law::PositionsInRange,
        Law::KnownNames,
        Law::CeasefireOrder,
        Law::ImposerOnly,
        Law::ReplayEqualsRun,
        Law::PrefixReplay,
        Law::SameSeedSameLog,
        Law::Relabel,
        Law::Mirror,
        Law::CapabilityScale,
        Law::Capability,
        Law::Unanimity,
        Law::Movement,
        Law::SpoilersUnbound,
        Law::UnanimousChange,
        Law::EffectsOnce,
        Law::ThreatMonotone,
        Law::PatronPressure,
        Law::IdleThreat,
        Law::WithdrawnStaysWithdrawn,
        Law::ViolationsNeverHelp,
        Law::BodyQuota,
        Law::FrontForces,
        Law::LossesTowardCeasefire,
        Law::CeasefireFreezesFronts,
        Law::FrontsRelabel,
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
            Law::Relabel => "relabel",
            Law::Mirror => "mirror",
            Law::CapabilityScale => "capability-scale",
            Law::Capability => "capability",
            Law::Unanimity => "unanimity",
            Law::Movement => "movement",
            Law::SpoilersUnbound => "spoilers-unbound",
            Law::UnanimousChange => "unanimous-change",
            Law::EffectsOnce => "effects-once",
            Law::ThreatMonotone => "threat-monotone",
            Law::PatronPressure => "patron-pressure",
            Law::IdleThreat => "idle-threat",
            Law::WithdrawnStaysWithdrawn => "withdrawn-stays-withdrawn",
            Law::ViolationsNeverHelp => "violations-never-help",
            Law::BodyQuota => "body-quota",
            Law::FrontForces => "front-forces",
            Law::LossesTowardCeasefire => "losses-toward-ceasefire",
            Law::CeasefireFreezesFronts => "ceasefire-freezes-fronts",
            Law::FrontsRelabel => "fronts-relabel",
        }
    }

    /// The law in a sentence.
    pub fn statement(self) -> &'static str {
        match self {
            Law::NoPanic => "a rule never panics",
            Law::PositionsInRange => "positions stay within the 0–100 scale",
            Law::KnownNames => "events name only actors, issues, theatres and regimes that exist",
            Law::CeasefireOrder => "a ceasefire is violated or collapses only while it is in force",
            Law::ImposerOnly => {
                "sanctions are renewed, eased or lifted only by their imposer, or by their members' votes"
            }
            Law::ReplayEqualsRun => "replaying the written log gives the run's final state",
            Law::PrefixReplay => "every prefix of the log replays to the state the run had there",
            Law::SameSeedSameLog => "the same scenario and seed give the same log",
            Law::Relabel => {
                "renaming the actors and listing them in another order changes no position"
            }
            Law::Mirror => {
                "mirroring the scale (x → 100 − x) mirrors every position and forecast and changes no agreement"
            }
            Law::CapabilityScale => "scaling every capability by the same factor changes nothing",
            Law::Capability => {
                "doubling an actor's capability never moves a final forecast away from it"
            }
            Law::Unanimity => "when all actors share a position, the model moves nobody",
            Law::Movement => {
                "where principals differ in capability and salience, the high-salience ones move in some runs"
            }
            Law::SpoilersUnbound => {
                "a brokered ceasefire or agreement never binds a party that refused it"
            }
            Law::UnanimousChange => {
                "a regime decided by unanimity is lifted or eased only when every member votes so"
            }
            Law::EffectsOnce => "a timeline entry's effects are applied once",
            Law::ThreatMonotone => {
                "a more severe or more credible threat never makes its target comply later or less often"
            }
            Law::PatronPressure => {
                "a patron's leverage toward compliance never makes its client comply later or less often"
            }
            Law::IdleThreat => {
                "a threat whose condition already holds when it is made changes nothing but its own record"
            }
            Law::WithdrawnStaysWithdrawn => "a withdrawn threat is never carried out afterwards",
            Law::ViolationsNeverHelp => {
                "more violations never make a ceasefire more likely to survive"
            }
            Law::BodyQuota => "a body never adopts a resolution against a veto or below its quota",
            Law::FrontForces => "more forces on a front never lose control faster",
            Law::LossesTowardCeasefire => {
                "losing on a front never makes a side less willing to accept a ceasefire"
            }
            Law::CeasefireFreezesFronts => {
                "a ceasefire in force never lets a front's control shift without a violation"
            }
            Law::FrontsRelabel => "fronts are invariant under relabelling the sides",
        }
    }
}

impl fmt::Display for Law {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.statement(), self.name())
    }
}

/// A law broken by one case.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Violation {
    /// The law.
    pub law: Law,
    /// What happened.
    pub detail: String,
}

/// A law broken, with the smallest case found.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
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

/// Which deciders play beside the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Deciders {
    /// The model alone.
    Model,
    /// The model alone, stopped as soon as bargaining is over.
    ModelUntilSettled,
    /// The model and the agreement mechanism, whose rule reads no end of a
    /// scale.
    Agreements,
    /// The model, the built-in mechanisms and the suite's own.
    All,
    /// The threats mechanism alone, with the null model (nobody moves at
    /// the table): what a threat's numbers decide, and nothing else.
    Threats,
    /// The fronts mechanism alone, with the null model.
    Fronts,
}

/// Which states a play keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keep {
    /// The state before the first event and after each.
    Every,
    /// The states before the first event and after the last.
    Ends,
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
        // Every case is one slice: the cases proptest's runner draws, each
        // failure shrunk by it (`slice`).
        self.check_slice(scenarios, 0..self.cases)
            .map_err(|(_, failure)| failure)
    }

    /// The runner's configuration: the cases, no persisted failures, and
    /// every setting that shapes the search fixed here rather than read
    /// from `PROPTEST_*` variables, so two machines find the same
    /// counterexample (a shrink bounded by wall time would not).
    fn config(&self) -> Config {
        Config {
            cases: self.cases,
            failure_persistence: None,
            max_shrink_iters: 2_048,
            max_shrink_time: 0,
            max_local_rejects: 65_536,
            max_global_rejects: 1_024,
            max_flat_map_regens: 1_000_000,
            timeout: 0,
            fork: false,
            verbose: 0,
            ..Config::default()
        }
    }

    /// The failure of a suite that could not run.
    fn aborted(&self, reason: &str, passed: u32) -> LawFailure {
        LawFailure {
            violation: Violation {
                law: Law::NoPanic,
                detail: format!("the suite could not run: {reason}"),
            },
            scenario: Box::new(two_actors()),
            seed: 0,
            passed,
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
        let (events, states) = self.play(scenario, config.clone(), Deciders::All, Keep::Every)?;
        event_laws(scenario, &events, &states)?;
        replay_laws(scenario, seed, &events, &states)?;
        let (again, _) = self.play(scenario, config, Deciders::All, Keep::Ends)?;
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
        self.model_laws(scenario, seed)?;
        self.fronts_relabel(scenario, seed)?;
        self.coercion_laws(scenario, seed)
    }

    /// Plays a scenario without the engine's checks; returns its events and
    /// the state before the first event and after each (or after the last
    /// only: cloning a state per event is most of a law's cost).
    fn play(
        &self,
        scenario: &Scenario,
        config: RunConfig,
        deciders: Deciders,
        keep: Keep,
    ) -> Result<(Vec<Envelope>, Vec<State>), Violation> {
        let model: Box<dyn Model> = match (&self.model, deciders) {
            (_, Deciders::Threats | Deciders::Fronts) => Box::new(model::Frozen),
            (Some(make), _) => make(scenario),
            (None, _) => model::from_config(&scenario.model),
        };
        let until_settled = deciders == Deciders::ModelUntilSettled;
        let deciders: Vec<Box<dyn Mechanism>> = match deciders {
            Deciders::Model | Deciders::ModelUntilSettled => Vec::new(),
            Deciders::Threats => vec![Box::new(mechanism::Threats)],
            Deciders::Fronts => vec![Box::new(mechanism::Fronts)],
            Deciders::Agreements => vec![Box::new(mechanism::Agreements)],
            Deciders::All => {
                let mut all = mechanism::builtin();
                all.extend((self.extra)());
                all
            }
        };
        let mut run = Run::custom(scenario, config, model, deciders)
            .map_err(|e| violation(Law::KnownNames, format!("the run could not start: {e}")))?
            .without_checks();
        let mut states = vec![run.state().clone()];
        let mut events = Vec::new();
        while let Some(next) = run.next() {
            let envelope = next.map_err(|e| violation(Law::NoPanic, e.to_string()))?;
            events.push(envelope);
            if keep == Keep::Every {
                states.push(run.state().clone());
            }
            if until_settled && !run.state().bargaining_goes_on() {
                break;
            }
        }
        if keep == Keep::Ends {
            states.push(run.state().clone());
        }
        Ok((events, states))
    }
}

/// Why the scenario's model cannot keep `law`, if it cannot: the variants
/// whose published or coded rule breaks it by design. A model given to
/// [`Suite::with_model`] has no exemption.
pub fn exemption(law: Law, model: &ModelConfig) -> Option<&'static str> {
    let eu = model.kind == ModelKind::ExpectedUtility;
    match law {
        Law::Mirror if eu && model.compromise_choice == CompromiseChoice::Scholz => Some(
            "compromise_choice \"scholz\" ranks offers by a weighted position, so which end of the scale is 0 changes the offer taken (conformance case 39)",
        ),
        Law::Mirror if model.kind == ModelKind::Spatial => Some(
            "KTAB rounds every bargain to four decimals, and a bargain on a rounding boundary rounds one way on the scale and the other way mirrored (0.01 points), which later rounds can carry",
        ),
        Law::Mirror if model.kind == ModelKind::Exchange => Some(
            "the exchange model counts an actor exactly on an issue's outcome as below it (the decide package's rule), and after exchanges actors often sit exactly there",
        ),
        Law::Relabel if model.kind == ModelKind::Spatial => Some(
            "KTAB sums over the actors in their listing order (and only that order reproduces its reference run to every digit); another order changes the last bits, which its rounding of bargains to four decimals can carry into the positions",
        ),
        Law::CapabilityScale if model.kind == ModelKind::Spatial => Some(
            "KTAB adds fixed constants (10⁻⁸, 10⁻¹⁰) to coalition strengths, which are in units of capability, so scaling every capability moves its figures in the ninth digit",
        ),
        Law::Movement if eu && model.probability == Probability::Scholz => Some(
            "probability \"scholz\" divides each pair's votes by those of every pair, so every chance of prevailing is small and actors who care much rarely take an offer; it is kept to reproduce Scholz et al.'s values",
        ),
        Law::Capability if model.kind == ModelKind::Spatial => Some(
            "KTAB's spatial model is not monotone in capability: a stronger actor wins more challenges, but the bargains it then strikes move it too, and its rise changes every actor's risk attitude (the law suite finds cases in a few dozen)",
        ),
        Law::Capability if model.kind == ModelKind::Exchange => Some(
            "the exchange model is not monotone in capability: more capability changes which side of an outcome actors stand on and so which exchanges are made, and the end moves follow the exchanges, not the weights",
        ),
        Law::Capability if eu => Some(
            "the expected-utility model is not monotone in capability: more capability changes the risk exponents and the offers, and can make an actor give in where it held (docs/models.md shows a two-actor case)",
        ),
        _ => None,
    }
}

impl Suite {
    /// Why the law does not apply to this scenario's model, if it does not.
    pub fn exemption(&self, law: Law, scenario: &Scenario) -> Option<&'static str> {
        if self.model.is_some() {
            return None;
        }
        exemption(law, &scenario.model)
    }
}

#[cfg(test)]
mod tests;
