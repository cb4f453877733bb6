//! `check-laws`: the law suite on random variations of one scenario, for
//! modellers who do not write Rust.
//!
//! The scenario as written is checked first; then each case perturbs it
//! within stated ranges (every stance's position and salience, every actor's
//! capability; each perturbation is sometimes left out), draws a seed, and
//! checks every law. The relabel law is strict here: an
//! outcome that hinges on an exact tie, which the listing order breaks,
//! breaks the law, because a forecast should not depend on the order of a
//! file. The movement law is checked once, on the scenario as written, over
//! [`MOVEMENT_SEEDS`]; a law the scenario's model is exempt from (such as
//! the mirror for the `scholz` compromise choice) is listed with the reason.
//! The laws of coercion are checked seed by seed in every case and, on a
//! scenario with threats, across a paired sweep ([`COERCION_SEEDS`]).

use proptest::prelude::*;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

mod capability;
mod coercion;

pub use capability::{
    CAPABILITY_SEEDS, Contradiction, Leaning, contradictions, doubled, leanings, principals,
};
pub use coercion::{COERCION_SEEDS, Strengthened, strengthenings};

use entente_core::laws::{Law, LawFailure, Suite, Ties, Violation};
use entente_core::{Scenario, limits};

use crate::error::Error;
use crate::parts::{Kind, Part};

/// How far each variation may move the inputs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Ranges {
    /// Positions move by up to ± this many points.
    pub position: f64,
    /// Saliences are multiplied by a factor within 1 ± this.
    pub salience: f64,
    /// Capabilities are multiplied by a factor within [1/this, this].
    pub capability: f64,
}

impl Default for Ranges {
    fn default() -> Ranges {
        Ranges {
            position: 10.0,
            salience: 0.2,
            capability: 2.0,
        }
    }
}

impl Ranges {
    /// Refuses ranges a variation cannot use: each must be a finite number
    /// within its bounds.
    pub fn check(&self) -> Result<(), Error> {
        let checks = [
            ("--vary-positions", self.position, 0.0, 100.0),
            ("--vary-saliences", self.salience, 0.0, 0.99),
            ("--vary-capabilities", self.capability, 1.0, 1000.0),
        ];
        match checks
            .into_iter()
            .find(|&(_, x, lo, hi)| !(lo..=hi).contains(&x))
        {
            Some((flag, x, lo, hi)) => Err(Error::Usage(format!(
                "{flag}: expected a number from {lo} to {hi}, found {x}"
            ))),
            None => Ok(()),
        }
    }

    /// The verdict when every law holds on `cases` variations of the
    /// scenario at `path`: each law, or why the scenario's model is exempt.
    pub fn holds(&self, path: &Path, cases: u32, scenario: &Scenario) -> Holds {
        let suite = Suite::builtin();
        let laws = Law::ALL
            .iter()
            .map(|&law| match suite.exemption(law, scenario) {
                Some(why) => LawVerdict {
                    law: law.to_string(),
                    holds: None,
                    note: format!("since {why}"),
                },
                None if matches!(law, Law::ThreatMonotone | Law::PatronPressure)
                    && !scenario.threats.is_empty() =>
                {
                    LawVerdict {
                        law: law.to_string(),
                        holds: Some(true),
                        note: format!(
                            "and across seeds {}..{} no stronger threat or patron lowers a chance of compliance",
                            COERCION_SEEDS.start, COERCION_SEEDS.end
                        ),
                    }
                }
                None if law == Law::Capability => LawVerdict {
                    law: law.to_string(),
                    holds: Some(true),
                    note: format!(
                        "and across seeds {}..{} doubling a principal's capability moves no outcome against its stance",
                        CAPABILITY_SEEDS.start, CAPABILITY_SEEDS.end
                    ),
                },
                None => LawVerdict {
                    law: law.to_string(),
                    holds: Some(true),
                    note: String::new(),
                },
            })
            .collect();
        Holds {
            scenario: path.display().to_string(),
            cases,
            ranges: *self,
            laws,
        }
    }
}

/// `check-laws`'s verdict when every law holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Holds {
    /// The scenario file.
    pub scenario: String,
    /// Variations played.
    pub cases: u32,
    /// How far they moved the inputs.
    pub ranges: Ranges,
    /// Each law.
    pub laws: Vec<LawVerdict>,
}

/// One law's verdict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LawVerdict {
    /// The law.
    pub law: String,
    /// `true`: it holds; null: the model is exempt from it.
    pub holds: Option<bool>,
    /// Why exempt, or what else was checked.
    pub note: String,
}

impl crate::render::Render for Holds {
    fn document(&self) -> crate::render::Document {
        use crate::render::{Document, Inline, Meta, Table};
        let r = &self.ranges;
        let mut t = Table::new(&["law", "verdict", "note"]);
        for l in &self.laws {
            t.row([
                l.law.clone(),
                match l.holds {
                    Some(true) => "holds",
                    Some(false) => "broken",
                    None => "exempt",
                }
                .to_owned(),
                l.note.clone(),
            ]);
        }
        Document {
            title: format!("Every law holds over {} variations", self.cases),
            meta: vec![
                Meta::new("scenario", Inline::code(&self.scenario)),
                Meta::new("variations", self.cases.to_string()),
                Meta::new(
                    "ranges",
                    format!(
                        "positions ±{}, saliences ×(1 ± {}), capabilities ×[1/{}, {}]",
                        r.position, r.salience, r.capability, r.capability
                    ),
                ),
            ],
            blocks: vec![t.into()],
        }
    }

    fn json(&self) -> String {
        crate::render::stamped_json(self)
    }
}

/// Variations of `base` within `ranges`; they shrink toward `base` itself.
pub fn variations(base: Scenario, ranges: Ranges) -> impl Strategy<Value = Scenario> {
    let p = ranges.position.max(0.0);
    let s = ranges.salience.clamp(0.0, 0.99);
    let c = ranges.capability.max(1.0);
    let stance = (
        prop_oneof![Just(0.0), -p..=p],
        prop_oneof![Just(1.0), (1.0 - s)..=(1.0 + s)],
    );
    let actor = prop_oneof![Just(1.0), (1.0 / c)..=c];
    (
        proptest::collection::vec(stance, base.stances.len()),
        proptest::collection::vec(actor, base.actors.len()),
    )
        .prop_map(move |(stances, actors)| {
            let mut v = base.clone();
            for (st, (dp, fs)) in v.stances.iter_mut().zip(stances) {
                st.position = entente_core::scale::clamp(st.position + dp);
                st.salience = (st.salience * fs).clamp(0.01, 1.0);
            }
            for (a, fc) in v.actors.iter_mut().zip(actors) {
                a.capability = limits::capability(a.capability * fc);
            }
            v
        })
}

/// Most variations one `check-laws` plays.
pub use crate::limits::MAX_CASES;

/// Refuses a number of variations that would check nothing, or more than
/// [`MAX_CASES`].
pub fn check_cases(cases: u32) -> Result<(), Error> {
    crate::limits::count("--cases", u64::from(cases), u64::from(MAX_CASES))
}

/// The seeds over which the movement law looks for a principal that moves.
pub const MOVEMENT_SEEDS: std::ops::Range<u64> = 0..20;

/// How `check-laws` found a law broken.
#[derive(Clone, Debug)]
pub enum Broken {
    /// On one case: a variation (or the scenario as written) and a seed.
    Case(LawFailure),
    /// Across a paired sweep: doubling a principal's capability moved an
    /// outcome against its stance.
    Sweep {
        /// What moved, and how much.
        contradiction: Contradiction,
        /// The scenario with that principal's capability doubled.
        doubled: Box<Scenario>,
    },
    /// Across a paired sweep: a stronger threat or patron lowered the
    /// chance of compliance.
    Coercion {
        /// The law.
        law: Law,
        /// What fell, and how much (`actor` says what changed).
        contradiction: Contradiction,
        /// The scenario with the change.
        changed: Box<Scenario>,
    },
}

impl Broken {
    /// The counterexample to write: the case's scenario, or the doubled one.
    /// Its description ends with [`crate::output::COUNTEREXAMPLE_MARK`] and
    /// the digest of the file ([`crate::output::signed_scenario`]), so a
    /// later check-laws may write over it while nobody has edited it.
    pub fn scenario_json(&self) -> String {
        let mut scenario = match self {
            Broken::Case(failure) => (*failure.scenario).clone(),
            Broken::Sweep { doubled, .. } => (**doubled).clone(),
            Broken::Coercion { changed, .. } => (**changed).clone(),
        };
        let mark = crate::output::COUNTEREXAMPLE_MARK;
        // A counterexample checked again holds the digest of its file.
        scenario.description = crate::output::unsigned(&scenario.description).to_owned();
        if !scenario.description.ends_with(mark) {
            // Within the format's limit on a text, which the scenario's own
            // description may already fill: it gives way to the mark, and
            // to the digest after it.
            let room = entente_core::limits::MAX_TEXT_BYTES
                - mark.len()
                - 1
                - crate::output::DIGEST_SENTENCE_BYTES;
            let mut cut = scenario.description.len().min(room);
            while !scenario.description.is_char_boundary(cut) {
                cut -= 1;
            }
            scenario.description.truncate(cut);
            let sep = if scenario.description.is_empty() {
                ""
            } else {
                " "
            };
            scenario.description = format!("{}{sep}{mark}", scenario.description);
        }
        crate::output::signed_scenario(&scenario)
    }
}

/// Checks every law on the scenario as written (seed 0, and the movement
/// law over [`MOVEMENT_SEEDS`]), then on `cases` variations of it, then
/// the capability law across a paired sweep of each principal doubled
/// ([`CAPABILITY_SEEDS`]) unless the model is exempt from it.
pub fn check(base: &Scenario, cases: u32, ranges: Ranges, jobs: usize) -> Result<u32, Broken> {
    verdict(cases, &[find(base, cases, ranges, jobs, None)])
}

/// What one shard of `check-laws` found (the whole command is one shard).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Found {
    /// The first shard only: how the scenario as written failed, if it did.
    base: Option<LawFailure>,
    /// The variations of the shard played (all of them when none broke a
    /// law).
    played: u32,
    /// The shard's first variation that broke a law, and its index.
    case: Option<(u32, LawFailure)>,
    /// The first shard only: why the capability sweep could not run.
    sweep_failed: Option<LawFailure>,
    /// The first shard only: the capability sweep's contradiction, with the
    /// scenario doubled.
    sweep: Option<(Contradiction, Box<Scenario>)>,
    /// The first shard only: the coercion sweep's contradiction, its law,
    /// and the scenario changed.
    #[serde(default)]
    coercion: Option<(Law, Contradiction, Box<Scenario>)>,
}

/// Shard `shard` of `check-laws`: its slice of the variations; the first
/// shard also checks the scenario as written and the capability law.
pub fn check_part(
    base: &Scenario,
    path: &Path,
    cases: u32,
    ranges: Ranges,
    jobs: usize,
    shard: (u64, u64),
) -> Part<Found> {
    let found = find(base, cases, ranges, jobs, Some(shard));
    let settings = serde_json::json!({
        "path": path.display().to_string(),
        "scenario": base,
        "ranges": [ranges.position, ranges.salience, ranges.capability],
    });
    Part::new(Kind::CheckLaws, shard, 0..u64::from(cases), settings, found)
}

/// The verdict of the whole command from its shards' parts, and the
/// scenario, its path and ranges: what `check-laws` prints.
pub fn merge(
    parts: &[Part<Found>],
) -> Result<(Result<u32, Broken>, Scenario, PathBuf, Ranges), Error> {
    let bad = |why: String| Error::Usage(format!("merge: {why}"));
    let first = parts
        .first()
        .ok_or_else(|| bad("no parts given".to_owned()))?;
    #[derive(Deserialize)]
    struct Settings {
        path: String,
        scenario: Scenario,
        ranges: (f64, f64, f64),
    }
    let s: Settings = serde_json::from_value(first.settings.clone())
        .map_err(|e| bad(format!("the check-laws parts' settings: {e}")))?;
    let ranges = Ranges {
        position: s.ranges.0,
        salience: s.ranges.1,
        capability: s.ranges.2,
    };
    let cases = u32::try_from(first.planned.end).map_err(|_| bad("too many cases".to_owned()))?;
    check_cases(cases)?;
    ranges.check()?;
    if !s.scenario.problems().is_empty() {
        return Err(bad("the check-laws parts' scenario is not valid".to_owned()));
    }
    // A shard that found nothing played every variation it owns.
    for part in parts {
        let own = part.units.end.saturating_sub(part.units.start);
        let d = &part.data;
        if d.base.is_none() && d.case.is_none() && u64::from(d.played) != own {
            return Err(bad(format!(
                "{} played {} of its {own} variations",
                part.name(),
                d.played
            )));
        }
    }
    for part in parts {
        claims_hold(part, &s.scenario, cases)
            .map_err(|why| bad(format!("{}: {why}", part.name())))?;
    }
    let found: Vec<Found> = parts.iter().map(|p| p.data.clone()).collect();
    Ok((
        verdict(cases, &found),
        s.scenario,
        PathBuf::from(s.path),
        ranges,
    ))
}

/// Whether what a part claims is what its shard could have found: the
/// first shard's findings only in the first shard, a broken variation's
/// index within the shard's own, and every counterexample a law broken
/// again when it is played (the scenario as written, if that is the one
/// claimed, being the parts' own). A part edited to carry another
/// scenario, or a law that holds, is refused before its file is written.
fn claims_hold(part: &Part<Found>, base: &Scenario, cases: u32) -> Result<(), String> {
    let d = &part.data;
    let leader = part.shard == 1;
    if !leader
        && (d.base.is_some()
            || d.sweep_failed.is_some()
            || d.sweep.is_some()
            || d.coercion.is_some())
    {
        return Err(format!(
            "holds findings only the first shard makes (shard {}/{})",
            part.shard, part.of
        ));
    }
    let suite = Suite::builtin().cases(cases).ties(Ties::Strict);
    let breaks = |failure: &LawFailure, movement: bool| {
        let again = suite
            .check_case(&failure.scenario, failure.seed)
            .and_then(|()| {
                if movement {
                    suite.movement(&failure.scenario, MOVEMENT_SEEDS)
                } else {
                    Ok(())
                }
            });
        match again {
            Err(v) if v.law == failure.violation.law => Ok(()),
            _ => Err(format!(
                "its counterexample does not break the law it names ({}) when played",
                failure.violation.law
            )),
        }
    };
    if let Some(failure) = &d.base {
        let same = serde_json::to_value(&*failure.scenario).ok() == serde_json::to_value(base).ok();
        if !same || failure.seed != 0 {
            return Err(
                "says the scenario as written breaks a law, but names another scenario".to_owned(),
            );
        }
        breaks(failure, true)?;
    }
    if let Some((index, failure)) = &d.case {
        if !(part.units.start..part.units.end).contains(&u64::from(*index)) {
            return Err(format!(
                "claims variation {index}, not one of its own {}..{}",
                part.units.start, part.units.end
            ));
        }
        breaks(failure, false)?;
    }
    Ok(())
}

/// Checks the scenario as written (first shard), the variations of the
/// shard, and the capability law (first shard, when its variations held).
fn find(
    base: &Scenario,
    cases: u32,
    ranges: Ranges,
    jobs: usize,
    shard: Option<(u64, u64)>,
) -> Found {
    let suite = Suite::builtin().cases(cases).ties(Ties::Strict);
    let leader = shard.is_none_or(|(k, _)| k == 1);
    let mut found = Found {
        base: None,
        played: 0,
        case: None,
        sweep_failed: None,
        sweep: None,
        coercion: None,
    };
    if leader {
        let first = suite
            .check_case(base, 0)
            .and_then(|()| suite.movement(base, MOVEMENT_SEEDS));
        if let Err(violation) = first {
            found.base = Some(LawFailure {
                violation,
                scenario: Box::new(base.clone()),
                seed: 0,
                passed: 0,
            });
            return found;
        }
    }
    let units = crate::shard::units(&(0..u64::from(cases)), shard);
    let slice = u32::try_from(units.start).unwrap_or(u32::MAX)
        ..u32::try_from(units.end).unwrap_or(u32::MAX);
    match suite.check_slice(variations(base.clone(), ranges), slice) {
        Ok(played) => found.played = played,
        Err(case) => {
            found.case = Some(case);
            return found;
        }
    }
    if leader && suite.exemption(Law::Capability, base).is_none() {
        let jobs = jobs.clamp(1, crate::sweep::MAX_JOBS);
        match contradictions(base, &principals(base), CAPABILITY_SEEDS, jobs) {
            Err(e) => {
                found.sweep_failed = Some(LawFailure {
                    violation: Violation {
                        law: Law::NoPanic,
                        detail: format!("the capability sweep could not run: {e}"),
                    },
                    scenario: Box::new(base.clone()),
                    seed: 0,
                    passed: cases,
                });
            }
            Ok(found_now) => {
                if let Some(contradiction) = found_now.into_iter().next() {
                    let doubled = Box::new(doubled(base, &contradiction.actor));
                    found.sweep = Some((contradiction, doubled));
                }
            }
        }
    }
    if leader && found.sweep.is_none() && !base.threats.is_empty() {
        let jobs = jobs.clamp(1, crate::sweep::MAX_JOBS);
        match coercion::contradictions(base, COERCION_SEEDS, jobs) {
            Err(e) => {
                found.sweep_failed = Some(LawFailure {
                    violation: Violation {
                        law: Law::NoPanic,
                        detail: format!("the coercion sweep could not run: {e}"),
                    },
                    scenario: Box::new(base.clone()),
                    seed: 0,
                    passed: cases,
                });
            }
            Ok(found_now) => {
                if let Some((s, contradiction)) = found_now.into_iter().next() {
                    found.coercion = Some((s.law, contradiction, Box::new(s.scenario)));
                }
            }
        }
    }
    found
}

/// The whole command's verdict from its shards, in shard order: the
/// scenario as written first, then the earliest variation, then the
/// capability sweep.
fn verdict(cases: u32, found: &[Found]) -> Result<u32, Broken> {
    if let Some(failure) = found.first().and_then(|f| f.base.clone()) {
        return Err(Broken::Case(failure));
    }
    if let Some((_, failure)) = found.iter().find_map(|f| f.case.clone()) {
        return Err(Broken::Case(failure));
    }
    if let Some(failure) = found.first().and_then(|f| f.sweep_failed.clone()) {
        return Err(Broken::Case(failure));
    }
    if let Some((contradiction, doubled)) = found.first().and_then(|f| f.sweep.clone()) {
        return Err(Broken::Sweep {
            contradiction,
            doubled,
        });
    }
    if let Some((law, contradiction, changed)) = found.first().and_then(|f| f.coercion.clone()) {
        return Err(Broken::Coercion {
            law,
            contradiction,
            changed,
        });
    }
    Ok(cases)
}

/// What `check-laws` prints when a law is broken, its counterexample
/// written to `path`.
pub fn broken(broken: &Broken, base: &Path, path: &Path) -> String {
    match broken {
        Broken::Case(failure) => format!(
            "law broken: {}\n  {}\n  after {} passing variation(s); the smallest counterexample is in {}\n  run it: entente run {} --seed {}\n",
            failure.violation.law,
            failure.violation.detail,
            failure.passed,
            path.display(),
            path.display(),
            failure.seed
        ),
        Broken::Sweep { contradiction, .. } => format!(
            "law broken: {}\n  across seeds {}..{}, {contradiction}\n  the scenario with that capability doubled is in {}\n  run it: entente sweep {} --vs {} --seeds {}..{}\n",
            Law::Capability,
            CAPABILITY_SEEDS.start,
            CAPABILITY_SEEDS.end,
            path.display(),
            base.display(),
            path.display(),
            CAPABILITY_SEEDS.start,
            CAPABILITY_SEEDS.end
        ),
        Broken::Coercion {
            law,
            contradiction: c,
            ..
        } => format!(
            "law broken: {law}\n  across seeds {}..{}, with {}, P({}) falls from {:.1}% to {:.1}% (difference [{:+.1}, {:+.1}] points)\n  the changed scenario is in {}\n  run it: entente sweep {} --vs {} --seeds {}..{}\n",
            COERCION_SEEDS.start,
            COERCION_SEEDS.end,
            c.actor,
            c.outcome,
            100.0 * c.probabilities.0,
            100.0 * c.probabilities.1,
            100.0 * c.interval.0,
            100.0 * c.interval.1,
            path.display(),
            base.display(),
            path.display(),
            COERCION_SEEDS.start,
            COERCION_SEEDS.end
        ),
    }
}
