//! Which assumption an answer hangs on: `entente sensitivity`.
//!
//! Every uncertain input of a scenario (each stance's position and
//! salience, each actor's capability, each mechanism's thresholds; see
//! [`inputs`]) is perturbed, and each perturbed scenario is swept over the
//! same seeds (common random numbers), so a difference is the input's doing
//! and not noise. Two methods:
//!
//! - `oat`, one at a time: each input down and up by `delta` (points for
//!   positions and thresholds, percent for salience and capability); an
//!   outcome's effect is P(up) − P(down), with the paired Newcombe interval
//!   (the same seeds up and down), and the base beside it for a tornado;
//!   an issue's effect is the change of its final weighted mean (mean over
//!   seeds).
//! - `morris`, Morris's elementary effects: `trajectories` random paths
//!   through a grid of 4 levels over [−delta, +delta] for every input at
//!   once, each step moving one input by 2/3 of the range; per input, μ*
//!   (the mean absolute elementary effect, in probability or points per
//!   unit of the step) and σ (their standard deviation: interaction or
//!   non-linearity). The paths are drawn from a keyed ChaCha stream
//!   (`--seed`), so a run is reproducible.
//!
//! Only one perturbed scenario's runs are held at a time: memory is flat in
//! the number of inputs. A perturbation that makes the scenario invalid (a
//! threshold pushed past another) is skipped and listed.
//!
//! `--shard K/N` does the K-th slice of the units (the inputs for `oat`,
//! the trajectories for `morris`) and writes a part ([`analyse_part`]): each
//! unit's effects as the whole analysis computes them, so [`merge`] gives
//! its output byte for byte.

pub mod inputs;
pub mod output;

use std::ops::Range;

use serde::{Deserialize, Serialize};

use entente_core::stream::Stream;
use entente_core::{Outcome, Scenario};

use crate::error::{Error, Result};
use crate::parts::{Kind, Part};
use crate::stats::Paired;
use crate::sweep;

pub use inputs::{Input, inputs};
pub use output::SensitivityOutput;

/// Levels of the Morris grid.
const LEVELS: f64 = 4.0;

/// How inputs are varied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// One at a time, down and up.
    Oat,
    /// Morris's elementary effects.
    Morris,
}

/// What to analyse.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The scenario.
    pub scenario: Scenario,
    /// The seeds each perturbed scenario is swept over.
    pub seeds: Range<u64>,
    /// The method.
    pub method: Method,
    /// The step: points, or percent for salience and capability.
    pub delta: f64,
    /// Morris trajectories.
    pub trajectories: u32,
    /// Seed of the Morris paths.
    pub seed: u64,
    /// Rows kept per outcome and issue (0: all).
    pub top: usize,
    /// Worker threads.
    pub jobs: usize,
    /// Whether to show a progress bar.
    pub progress: bool,
}

/// What a sweep of one scenario measured: per outcome, whether it happened
/// in each seed; per issue, the mean over seeds of the final weighted mean.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measured {
    happened: Vec<Vec<bool>>,
    means: Vec<f64>,
}

impl Measured {
    fn probability(&self, k: usize) -> f64 {
        let runs = self.happened[k].len().max(1) as f64;
        self.happened[k].iter().filter(|&&h| h).count() as f64 / runs
    }
}

/// What a shard found: the base scenario's measures, and its units' work.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Found {
    base: Measured,
    work: Work,
}

/// The units' work: per input (`oat`) its row, or per input (`morris`)
/// the elementary effects of the shard's trajectories, in their order;
/// `None` where a perturbation made the scenario invalid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Work {
    Oat(Vec<Option<Raw>>),
    Morris(Vec<Option<Seen>>),
}

/// Runs the analysis.
pub fn analyse(plan: &Plan) -> Result<SensitivityOutput> {
    let found = find(plan, None)?;
    Ok(finish(plan, found))
}

/// Shard `shard` of the analysis: the work of its slice of the units,
/// kept for `entente merge`.
pub fn analyse_part(plan: &Plan, shard: (u64, u64)) -> Result<Part<Found>> {
    let found = find(plan, Some(shard))?;
    let settings = serde_json::json!({
        "scenario": plan.scenario,
        "seeds": [plan.seeds.start, plan.seeds.end],
        "method": plan.method,
        "delta": plan.delta,
        "trajectories": plan.trajectories,
        "seed": plan.seed,
        "top": plan.top,
    });
    Ok(Part::new(
        Kind::Sensitivity,
        shard,
        0..units(plan),
        settings,
        found,
    ))
}

/// The analysis the unsharded command gives, from every shard's part.
pub fn merge(parts: &[Part<Found>]) -> Result<SensitivityOutput> {
    let bad = |why: &str| Error::Usage(format!("merge: {why}"));
    let first = parts.first().ok_or_else(|| bad("no parts given"))?;
    #[derive(Deserialize)]
    struct Settings {
        scenario: Scenario,
        seeds: (u64, u64),
        method: Method,
        delta: f64,
        trajectories: u32,
        seed: u64,
        top: usize,
    }
    let s: Settings = serde_json::from_value(first.settings.clone())
        .map_err(|e| bad(&format!("the sensitivity parts' settings: {e}")))?;
    let plan = Plan {
        scenario: s.scenario,
        seeds: s.seeds.0..s.seeds.1,
        method: s.method,
        delta: s.delta,
        trajectories: s.trajectories,
        seed: s.seed,
        top: s.top,
        jobs: 1,
        progress: false,
    };
    if !plan.scenario.problems().is_empty() {
        return Err(bad("the sensitivity parts' scenario is not valid"));
    }
    let base = first.data.base.clone();
    let inputs = inputs(&plan.scenario).len();
    // The widths every measure must have: per outcome, per issue, per seed.
    let widths = (
        Outcome::possible(&plan.scenario).len(),
        plan.scenario.issues.len(),
        usize::try_from(plan.seeds.end.saturating_sub(plan.seeds.start)).unwrap_or(usize::MAX),
    );
    let fits = |m: &Measured| {
        m.happened.len() == widths.0
            && m.means.len() == widths.1
            && m.happened.iter().all(|h| h.len() == widths.2)
    };
    if !fits(&base) {
        return Err(bad(
            "the sensitivity parts' measures do not fit their scenario",
        ));
    }
    let mut work = match plan.method {
        Method::Oat => Work::Oat(Vec::new()),
        Method::Morris => Work::Morris(vec![Some((Vec::new(), Vec::new())); inputs]),
    };
    for part in parts {
        if part.data.base != base {
            return Err(bad(&format!(
                "{} measured a different base from {}: parts of different analyses",
                part.name(),
                first.name()
            )));
        }
        own_units(part, inputs, (widths.0, widths.1))
            .map_err(|why| bad(&format!("{}: {why}", part.name())))?;
        match (&mut work, &part.data.work) {
            (Work::Oat(all), Work::Oat(rows)) => all.extend(rows.iter().cloned()),
            (Work::Morris(all), Work::Morris(seen)) => {
                for (mine, theirs) in all.iter_mut().zip(seen) {
                    match (mine.as_mut(), theirs) {
                        (Some((outs, iss)), Some((o, i))) => {
                            outs.extend(o.iter().cloned());
                            iss.extend(i.iter().cloned());
                        }
                        _ => *mine = None,
                    }
                }
            }
            _ => {
                return Err(bad(&format!(
                    "{} holds other work than the analysis's method ({:?})",
                    part.name(),
                    plan.method
                )));
            }
        }
    }
    whole(&work, &plan, inputs, (widths.0, widths.1)).map_err(|why| bad(&why))?;
    Ok(finish(&plan, Found { base, work }))
}

/// Whether a part holds its own units' work, each unit fitting the
/// scenario (`inputs`, and `widths`: outcomes and issues): a row per
/// input of its slice, in order (one at a time), or an effect of each of
/// its trajectories for every input (Morris); if not, why.
fn own_units(
    part: &Part<Found>,
    inputs: usize,
    widths: (usize, usize),
) -> std::result::Result<(), String> {
    let own = part.units.end.saturating_sub(part.units.start);
    let (start, end) = (part.units.start, part.units.end);
    match &part.data.work {
        Work::Oat(rows) => {
            if rows.len() as u64 != own {
                return Err(format!(
                    "holds {} rows at $.data.work.oat where its units {start}..{end} are {own}",
                    rows.len()
                ));
            }
            let at = usize::try_from(start).unwrap_or(usize::MAX);
            let off = rows
                .iter()
                .enumerate()
                .find(|(i, r)| r.as_ref().is_some_and(|r| !row_fits(at + i, r, widths)));
            if let Some((i, _)) = off {
                return Err(format!(
                    "its unit {} (at $.data.work.oat[{i}]) does not fit the scenario (an input out of place, a cell off its scale, an interval upside down, off the scale or without its effect, or an effect that is not up minus down)",
                    at + i
                ));
            }
        }
        Work::Morris(seen) => {
            if seen.len() != inputs {
                return Err(format!(
                    "holds the effects of {} inputs at $.data.work.morris where the scenario has {inputs}",
                    seen.len()
                ));
            }
            let counted = seen
                .iter()
                .enumerate()
                .filter_map(|(k, t)| t.as_ref().map(|t| (k, t)))
                .find(|(_, t)| t.0.len() as u64 != own);
            if let Some((k, t)) = counted {
                return Err(format!(
                    "holds {} trajectories at $.data.work.morris[{k}] where its units {start}..{end} are {own}",
                    t.0.len()
                ));
            }
            if !seen.iter().flatten().all(|t| steps_fit(t, widths)) {
                return Err("its trajectories do not fit the scenario".to_owned());
            }
        }
    }
    Ok(())
}

/// Whether the merged work holds every unit once, each fitting the
/// scenario (`widths`: outcomes and issues); if not, why.
fn whole(
    work: &Work,
    plan: &Plan,
    inputs: usize,
    widths: (usize, usize),
) -> std::result::Result<(), String> {
    let whole = match work {
        Work::Oat(rows) => {
            rows.len() == inputs
                && rows
                    .iter()
                    .enumerate()
                    .all(|(k, r)| r.as_ref().is_none_or(|r| row_fits(k, r, widths)))
        }
        Work::Morris(seen) => seen
            .iter()
            .flatten()
            .all(|t| t.0.len() == plan.trajectories as usize && steps_fit(t, widths)),
    };
    if !whole {
        let (held, wanted) = match work {
            Work::Oat(rows) => (rows.len(), inputs),
            Work::Morris(seen) => (
                seen.iter().flatten().map(|s| s.0.len()).max().unwrap_or(0),
                plan.trajectories as usize,
            ),
        };
        return Err(format!(
            "the sensitivity parts hold {held} units where the analysis has {wanted}: a part is missing or given twice"
        ));
    }
    Ok(())
}

/// Whether a one-at-a-time row fits: input `k`, a cell per outcome and
/// issue (`widths`), each within its scale.
fn row_fits(k: usize, r: &Raw, widths: (usize, usize)) -> bool {
    r.input == k
        && r.outcomes.len() == widths.0
        && r.issues.len() == widths.1
        && r.outcomes.iter().all(|c| cell_fits(c, 1.0))
        && r.issues.iter().all(|c| cell_fits(c, 100.0))
}

/// A one-at-a-time cell's effect is its up minus its down, within the
/// scale it measures (a probability, or points of an issue), and its
/// interval, where it has one, runs from a lower bound to an upper one
/// within that scale and holds the effect (a Newcombe interval holds its
/// estimate).
fn cell_fits(c: &Cell, scale: f64) -> bool {
    let within = |x: f64| x.is_finite() && x.abs() <= scale;
    let interval = c.interval.is_none_or(|(lo, hi)| {
        let slack = 1e-9 * scale;
        within(lo) && within(hi) && lo <= hi && lo - slack <= c.effect && c.effect <= hi + slack
    });
    interval
        && match (c.down, c.up) {
            (Some(d), Some(u)) => {
                within(d)
                    && within(u)
                    && within(c.effect)
                    && (c.effect - (u - d)).abs() <= 1e-9 * scale
            }
            _ => within(c.effect),
        }
}

/// Whether a Morris input's steps fit: as many issue steps as outcome
/// steps, each as wide as the outcomes and the issues (`widths`).
fn steps_fit((outs, iss): &Seen, widths: (usize, usize)) -> bool {
    outs.len() == iss.len()
        && outs.iter().all(|o| o.len() == widths.0)
        && iss.iter().all(|i| i.len() == widths.1)
}

/// The units a plan's work divides into: inputs or trajectories.
fn units(plan: &Plan) -> u64 {
    match plan.method {
        Method::Oat => inputs(&plan.scenario).len() as u64,
        Method::Morris => u64::from(plan.trajectories),
    }
}

/// Measures the base and does the work of the units of `shard` (all of
/// them without one).
fn find(plan: &Plan, shard: Option<(u64, u64)>) -> Result<Found> {
    if !(plan.delta.is_finite() && plan.delta > 0.0 && plan.delta <= 100.0) {
        return Err(Error::Usage(format!(
            "--delta {}: expected a step in (0, 100]",
            plan.delta
        )));
    }
    crate::limits::count(
        "--trajectories",
        u64::from(plan.trajectories),
        u64::from(crate::limits::MAX_TRAJECTORIES),
    )?;
    let all = inputs(&plan.scenario);
    let units = crate::shard::units(&(0..units(plan)), shard);
    // The base, then per unit two perturbed sweeps (oat) or one per input
    // and one more (a Morris trajectory).
    let per_unit = match plan.method {
        Method::Oat => 2,
        Method::Morris => all.len() as u128 + 1,
    };
    crate::limits::runs(
        "sensitivity",
        &plan.seeds,
        1 + u128::from(units.end - units.start) * per_unit,
    )?;
    let pool = sweep::pool(plan.jobs)?;
    let outcomes = Outcome::possible(&plan.scenario);
    let measure = |s: &Scenario| -> Result<Option<Measured>> {
        if !s.problems().is_empty() {
            return Ok(None);
        }
        let runs = sweep::play_seeds(&pool, s, &outcomes, plan.seeds.clone())?;
        let happened = (0..outcomes.len())
            .map(|k| runs.iter().map(|r| r.first[k].is_some()).collect())
            .collect();
        let n = runs.len().max(1) as f64;
        let means = (0..s.issues.len())
            .map(|i| runs.iter().map(|r| r.forecast[i].mean).sum::<f64>() / n)
            .collect();
        Ok(Some(Measured { happened, means }))
    };
    let base = measure(&plan.scenario)?.ok_or_else(|| {
        Error::Usage("the scenario has problems; `entente validate` lists them".to_owned())
    })?;
    let bar = progress(plan, &all, &units);
    let work = match plan.method {
        Method::Oat => Work::Oat(oat(plan, &all, &base, &measure, &units, bar.as_ref())?),
        Method::Morris => Work::Morris(morris(plan, &all, &measure, &units, bar.as_ref())?),
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    Ok(Found { base, work })
}

/// The output from the base and every unit's work.
fn finish(plan: &Plan, found: Found) -> SensitivityOutput {
    let outcomes = Outcome::possible(&plan.scenario);
    let rows = match found.work {
        Work::Oat(rows) => rows,
        Work::Morris(effects) => morris_rows(effects),
    };
    output::summarise(plan, &outcomes, &found.base, rows)
}

fn progress(plan: &Plan, all: &[Input], units: &Range<u64>) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !plan.progress || !std::io::stderr().is_terminal() {
        return None;
    }
    let n = units.end - units.start;
    let steps = match plan.method {
        Method::Oat => 2 * n,
        Method::Morris => n * (all.len() as u64 + 1),
    };
    Some(indicatif::ProgressBar::new(steps))
}

/// One input's effect on one measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Raw {
    pub input: usize,
    /// Per outcome then per issue: (down − base, up − base, effect,
    /// interval, σ).
    pub outcomes: Vec<Cell>,
    pub issues: Vec<Cell>,
}

/// An input's effect on one outcome or issue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Cell {
    pub down: Option<f64>,
    pub up: Option<f64>,
    pub effect: f64,
    pub interval: Option<(f64, f64)>,
    pub sigma: Option<f64>,
}

/// An input's elementary effects so far: per step, per outcome and per
/// issue.
type Seen = (Vec<Vec<f64>>, Vec<Vec<f64>>);

type MeasureFn<'a> = dyn Fn(&Scenario) -> Result<Option<Measured>> + 'a;

fn oat(
    plan: &Plan,
    all: &[Input],
    base: &Measured,
    measure: &MeasureFn<'_>,
    units: &Range<u64>,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<Vec<Option<Raw>>> {
    let mut rows = Vec::with_capacity(all.len());
    for (k, input) in all.iter().enumerate() {
        if !units.contains(&(k as u64)) {
            continue;
        }
        let moved = |t: f64| -> Result<Option<Measured>> {
            let mut s = plan.scenario.clone();
            input.apply(&mut s, t, plan.delta);
            measure(&s)
        };
        let down = moved(-1.0)?;
        let up = moved(1.0)?;
        if let Some(bar) = bar {
            bar.inc(2);
        }
        let (Some(down), Some(up)) = (down, up) else {
            rows.push(None);
            continue;
        };
        let outcomes = (0..base.happened.len())
            .map(|o| {
                let mut pair = Paired {
                    both: 0,
                    a_only: 0,
                    b_only: 0,
                    neither: 0,
                };
                for (&d, &u) in down.happened[o].iter().zip(&up.happened[o]) {
                    match (d, u) {
                        (true, true) => pair.both += 1,
                        (true, false) => pair.a_only += 1,
                        (false, true) => pair.b_only += 1,
                        (false, false) => pair.neither += 1,
                    }
                }
                let (effect, lo, hi) = pair.difference();
                Cell {
                    down: Some(down.probability(o) - base.probability(o)),
                    up: Some(up.probability(o) - base.probability(o)),
                    effect,
                    interval: Some((lo, hi)),
                    sigma: None,
                }
            })
            .collect();
        let issues = (0..base.means.len())
            .map(|i| Cell {
                down: Some(down.means[i] - base.means[i]),
                up: Some(up.means[i] - base.means[i]),
                effect: up.means[i] - down.means[i],
                interval: None,
                sigma: None,
            })
            .collect();
        rows.push(Some(Raw {
            input: k,
            outcomes,
            issues,
        }));
    }
    Ok(rows)
}

fn morris(
    plan: &Plan,
    all: &[Input],
    measure: &MeasureFn<'_>,
    units: &Range<u64>,
    bar: Option<&indicatif::ProgressBar>,
) -> Result<Vec<Option<Seen>>> {
    let step = LEVELS / (2.0 * (LEVELS - 1.0)); // 2/3 of the unit range
    // Per input: the elementary effects seen, per outcome and per issue.
    let mut effects: Vec<Option<Seen>> = vec![Some((Vec::new(), Vec::new())); all.len()];
    for r in (0..plan.trajectories).filter(|&r| units.contains(&u64::from(r))) {
        let mut stream = Stream::new(plan.seed, "morris", "trajectory", r);
        // A start in the lower levels {0, 1/3} of [0, 1], so a step up stays
        // within the grid; then the inputs in a random order.
        let mut x: Vec<f64> = (0..all.len())
            .map(|_| stream.below(2) as f64 / (LEVELS - 1.0))
            .collect();
        let mut order: Vec<usize> = (0..all.len()).collect();
        for i in (1..order.len()).rev() {
            let j = stream.below(i as u64 + 1) as usize;
            order.swap(i, j);
        }
        let at = |x: &[f64]| -> Scenario {
            let mut s = plan.scenario.clone();
            for (input, &xi) in all.iter().zip(x) {
                input.apply(&mut s, 2.0 * xi - 1.0, plan.delta);
            }
            s
        };
        let mut before = measure(&at(&x))?;
        if let Some(bar) = bar {
            bar.inc(1);
        }
        for &k in &order {
            x[k] += step;
            let after = measure(&at(&x))?;
            if let Some(bar) = bar {
                bar.inc(1);
            }
            match (&before, &after, &mut effects[k]) {
                (Some(b), Some(a), Some((outs, iss))) => {
                    // Per unit of the [−1, 1] range the step spans 2·step.
                    let unit = 2.0 * step;
                    outs.push(
                        (0..b.happened.len())
                            .map(|o| (a.probability(o) - b.probability(o)) / unit)
                            .collect(),
                    );
                    iss.push(
                        (0..b.means.len())
                            .map(|i| (a.means[i] - b.means[i]) / unit)
                            .collect(),
                    );
                }
                _ => effects[k] = None,
            }
            before = after;
        }
    }
    Ok(effects)
}

/// Each input's row from its elementary effects over every trajectory: μ*
/// and σ.
fn morris_rows(effects: Vec<Option<Seen>>) -> Vec<Option<Raw>> {
    effects
        .into_iter()
        .enumerate()
        .map(|(k, e)| {
            let (outs, iss) = e?;
            let cells = |ees: &[Vec<f64>]| -> Vec<Cell> {
                let width = ees.first().map_or(0, Vec::len);
                (0..width)
                    .map(|m| {
                        let values: Vec<f64> = ees.iter().map(|v| v[m]).collect();
                        let n = values.len().max(1) as f64;
                        let mu_star = values.iter().map(|v| v.abs()).sum::<f64>() / n;
                        let mu = values.iter().sum::<f64>() / n;
                        let sigma = (values.len() > 1).then(|| {
                            (values.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (n - 1.0))
                                .sqrt()
                        });
                        Cell {
                            down: None,
                            up: None,
                            effect: mu_star,
                            interval: None,
                            sigma,
                        }
                    })
                    .collect()
            };
            Some(Raw {
                input: k,
                outcomes: cells(&outs),
                issues: cells(&iss),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
