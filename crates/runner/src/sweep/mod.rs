//! Sweeps: many seeded runs folded into outcome probabilities.
//!
//! Runs are played in parallel (rayon) in chunks of consecutive seeds; each
//! run is reduced to a [`RunOutcome`] as it finishes and folded into the
//! aggregates in seed order, so no log is kept and memory does not grow with
//! the number of seeds. The aggregates are integers (counts, histograms, and
//! fixed-point sums), so any split of the seeds into shards sums to the same
//! aggregates, and the output is the same bytes whatever the thread count or
//! sharding.

//!
//! The sweep is cut along what it does: [`play`] one seed, [`aggregate`]
//! the runs, [`output`] the figures (built from aggregates alone), [`merge`]
//! shards, and write the per-seed [`csv`].

mod aggregate;
mod csv;
mod document;
mod merge;
mod output;
mod play;

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use entente_core::{Hash, Outcome, Prepared, Scenario};

use crate::error::{Error, Result};

pub use crate::shard::SeedRange;
pub use aggregate::{Aggregates, Distribution, Summary};
pub use merge::{is_partial_note, is_shard_line, merge, merge_csv, merge_texts};
pub use output::{
    FORMAT, FirstRound, IssueSummary, OutcomeSummary, PairedOutcome, Partial, SweepOutput, VERSION,
    VariantResult,
};
pub use play::{Ripe, RunOutcome, play};

#[cfg(test)]
pub(crate) use play::{Notes, note, reduce};

use csv::CsvWriter;

/// Seeds played between two folds; bounds the memory of a sweep.
const CHUNK: u64 = 2_048;
pub use crate::limits::{MAX_JOBS, MAX_RUNS};

/// What to sweep.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The scenario, and the variant to compare it with, if any.
    pub scenarios: Vec<Scenario>,
    /// The whole seed range (half-open).
    pub seeds: Range<u64>,
    /// Rounds per run, if not the scenario's.
    pub rounds: Option<u32>,
    /// This process's shard: (K, N), K from 1.
    pub shard: Option<(u64, u64)>,
    /// Worker threads.
    pub jobs: usize,
    /// Where to write one CSV row per seed.
    pub csv: Option<PathBuf>,
    /// The file the caller writes the sweep's summary to, if any: checked
    /// again as the sweep ends, before the CSV is put in place, so that a
    /// file of another's that appeared there during the run is met before
    /// either output is placed.
    pub out: Option<PathBuf>,
    /// Draw a progress bar on stderr (only if it is a terminal).
    pub progress: bool,
}

impl Plan {
    /// A plan played in this process as a library plays it: every seed of
    /// `seeds`, the scenarios' own rounds, no CSV, no progress bar.
    pub fn quiet(scenarios: Vec<Scenario>, seeds: Range<u64>, jobs: usize) -> Plan {
        Plan {
            scenarios,
            seeds,
            rounds: None,
            shard: None,
            jobs,
            csv: None,
            out: None,
            progress: false,
        }
    }
}

/// Parses `A..B` (half-open, like Rust ranges).
pub fn parse_seeds(text: &str) -> Result<Range<u64>> {
    let bad = || {
        Error::Usage(format!(
            "--seeds {text:?}: expected A..B with A < B, such as 0..1000"
        ))
    };
    let (a, b) = text.split_once("..").ok_or_else(bad)?;
    let (a, b): (u64, u64) = (
        a.trim().parse().map_err(|_| bad())?,
        b.trim().parse().map_err(|_| bad())?,
    );
    if a >= b {
        return Err(bad());
    }
    Ok(a..b)
}

/// The keys of the outcomes a sweep of `scenario` counts, in a fixed order.
pub fn outcome_keys(scenario: &Scenario) -> Vec<String> {
    Outcome::possible(scenario)
        .iter()
        .map(Outcome::key)
        .collect()
}

/// Refuses, naming the file, what would stop a sweep of these scenario
/// files or make its comparison mean nothing, before any run is played: a
/// file that a run of `rounds` rounds (its own rounds if `None`) cannot be
/// played for ([`Scenario::run_problem`]: past 9999-12-31, or its
/// timeline left unplayed), and a variant (`--vs`, the second file) whose
/// actors or issues are not the first file's (a paired sweep compares two
/// variants of one scenario, seed by seed).
pub fn check_files(files: &[(&std::path::Path, &Scenario)], rounds: Option<u32>) -> Result<()> {
    for (path, scenario) in files {
        if let Some(message) = scenario.run_problem(rounds.unwrap_or(scenario.rounds)) {
            let at = if rounds.is_some() {
                "--rounds"
            } else {
                "$.rounds"
            };
            return Err(Error::Scenario {
                path: path.to_path_buf(),
                problems: vec![entente_core::scenario::Problem {
                    path: at.to_owned(),
                    message,
                }],
            });
        }
    }
    if let [(base_path, base), (path, variant)] = files {
        let problems = variant_problems(base, variant, base_path);
        if !problems.is_empty() {
            return Err(Error::Scenario {
                path: path.to_path_buf(),
                problems,
            });
        }
    }
    Ok(())
}

/// Where a variant's actors or issues are not its base's, by id.
fn variant_problems(
    base: &Scenario,
    variant: &Scenario,
    base_path: &std::path::Path,
) -> Vec<entente_core::scenario::Problem> {
    use std::collections::BTreeSet;
    let mut problems = Vec::new();
    let mut compare = |at: &str, what: &str, ours: BTreeSet<&str>, theirs: BTreeSet<&str>| {
        if ours == theirs {
            return;
        }
        let list = |set: Vec<&&str>| set.iter().map(|s| **s).collect::<Vec<&str>>().join(", ");
        let mut differences = Vec::new();
        let only_here: Vec<&&str> = theirs.difference(&ours).collect();
        let only_there: Vec<&&str> = ours.difference(&theirs).collect();
        if !only_here.is_empty() {
            differences.push(format!("{} only here", list(only_here)));
        }
        if !only_there.is_empty() {
            differences.push(format!("{} only in the base", list(only_there)));
        }
        problems.push(entente_core::scenario::Problem {
            path: at.to_owned(),
            message: format!(
                "the variant's {what} are not those of the base, {} ({}); a sweep with --vs compares two variants of one scenario seed by seed, so they must name the same {what}",
                base_path.display(),
                differences.join("; ")
            ),
        });
    };
    compare(
        "$.actors",
        "actors",
        base.actors.iter().map(|a| a.id.as_str()).collect(),
        variant.actors.iter().map(|a| a.id.as_str()).collect(),
    );
    compare(
        "$.issues",
        "issues",
        base.issues.iter().map(|i| i.id.as_str()).collect(),
        variant.issues.iter().map(|i| i.id.as_str()).collect(),
    );
    problems
}

impl Plan {
    /// The seeds this process plays: its shard's slice, or all of them.
    pub fn own_seeds(&self) -> Range<u64> {
        crate::shard::units(&self.seeds, self.shard)
    }

    /// Refuses a plan beyond the limits: more worker threads than
    /// [`MAX_JOBS`], more runs in one command than [`MAX_RUNS`].
    pub fn check(&self) -> Result<()> {
        crate::limits::jobs(Some(self.jobs))?;
        crate::limits::runs("sweep", &self.own_seeds(), self.scenarios.len() as u128)
    }
}

/// A pool of `jobs` worker threads (at least one).
pub fn pool(jobs: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {jobs} worker threads: {e}")))
}

/// Plays `scenario` on every seed in `seeds` on `pool`, in seed order: the
/// runs `score` and `sensitivity` fold themselves.
pub fn play_seeds(
    pool: &rayon::ThreadPool,
    scenario: &Scenario,
    outcomes: &[Outcome],
    seeds: Range<u64>,
) -> Result<Vec<RunOutcome>> {
    use rayon::prelude::*;
    let prepared = Prepared::new(scenario)?;
    let seeds: Vec<u64> = seeds.collect();
    pool.install(|| {
        seeds
            .par_iter()
            .map(|&seed| play(&prepared, outcomes, seed, None, false))
            .collect()
    })
}

/// A sweep watched from outside while it plays (the workbench's progress
/// and its Cancel button): the seeds played so far, and a request to stop.
#[derive(Debug, Default)]
pub struct Watch {
    played: AtomicU64,
    stop: AtomicBool,
}

impl Watch {
    /// Seeds played so far (each with every variant).
    pub fn played(&self) -> u64 {
        self.played.load(Ordering::Relaxed)
    }

    /// Asks the sweep to stop: it plays no further seed and returns
    /// [`Error::Cancelled`], having written nothing.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Whether the sweep was asked to stop.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// Runs the sweep `plan` asks for and returns its output.
pub fn sweep(plan: &Plan) -> Result<SweepOutput> {
    sweep_on(&pool(plan.jobs)?, plan, &Watch::default())
}

/// Runs the sweep `plan` asks for on `pool` (whatever `plan.jobs` says),
/// telling `watch` of each seed played and stopping when it asks. A
/// stopped sweep writes no output; its CSV's temporary is removed.
pub fn sweep_on(pool: &rayon::ThreadPool, plan: &Plan, watch: &Watch) -> Result<SweepOutput> {
    plan.check()?;
    let seeds = plan.own_seeds();
    let outcomes: Vec<Vec<Outcome>> = plan.scenarios.iter().map(Outcome::possible).collect();
    let prepared = plan
        .scenarios
        .iter()
        .map(Prepared::new)
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut tally = Tally::new(plan)?;
    let bar = progress_bar(plan.progress, seeds.end - seeds.start);
    let fingerprint = tally.csv.is_some();
    let mut start = seeds.start;
    while start < seeds.end {
        let end = start.saturating_add(CHUNK).min(seeds.end);
        let chunk: Vec<u64> = (start..end).collect();
        let results: Vec<Result<Vec<RunOutcome>>> = pool.install(|| {
            use rayon::prelude::*;
            chunk
                .par_iter()
                .map(|&seed| {
                    if watch.stopped() {
                        return Err(Error::Cancelled);
                    }
                    let played = prepared
                        .iter()
                        .zip(&outcomes)
                        .map(|(p, o)| play(p, o, seed, plan.rounds, fingerprint))
                        .collect::<Result<Vec<_>>>();
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                    watch.played.fetch_add(1, Ordering::Relaxed);
                    played
                })
                .collect()
        });
        // Folded in seed order, whatever order the threads finished in.
        for result in results {
            tally.fold(plan, &result?)?;
        }
        start = end;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    tally.finish(plan, seeds)
}

/// What a sweep keeps as it goes: the aggregates of each variant, the paired
/// counts of a `--vs` sweep, and the CSV rows.
struct Tally {
    keys: Vec<Vec<String>>,
    aggregates: Vec<Aggregates>,
    paired: BTreeMap<String, [u64; 4]>,
    csv: Option<CsvWriter>,
}

impl Tally {
    fn new(plan: &Plan) -> Result<Tally> {
        let keys: Vec<Vec<String>> = plan.scenarios.iter().map(outcome_keys).collect();
        let mut paired = BTreeMap::new();
        if plan.scenarios.len() == 2 {
            paired = union_keys(&keys).into_iter().map(|k| (k, [0; 4])).collect();
        }
        let shard_line = plan
            .shard
            .map(|(k, n)| merge::csv_shard_line(k, n, &plan.seeds));
        let csv = match &plan.csv {
            Some(path) => Some(CsvWriter::create(path, &plan.scenarios, &keys, shard_line)?),
            None => None,
        };
        Ok(Tally {
            aggregates: plan
                .scenarios
                .iter()
                .zip(&keys)
                .map(|(s, k)| Aggregates::new(s, k))
                .collect(),
            keys,
            paired,
            csv,
        })
    }

    /// Folds one seed's runs (one per variant).
    fn fold(&mut self, plan: &Plan, outcomes: &[RunOutcome]) -> Result<()> {
        for ((agg, scenario), (outcome, k)) in self
            .aggregates
            .iter_mut()
            .zip(&plan.scenarios)
            .zip(outcomes.iter().zip(&self.keys))
        {
            agg.fold(scenario, k, outcome)?;
        }
        if let [a, b] = outcomes {
            for (key, counts) in self.paired.iter_mut() {
                let happened = |o: &RunOutcome, k: &[String]| {
                    k.iter()
                        .position(|x| x == key)
                        .and_then(|i| o.first[i])
                        .is_some()
                };
                let cell = crate::stats::Paired::cell(
                    happened(a, &self.keys[0]),
                    happened(b, &self.keys[1]),
                );
                counts[cell] += 1;
            }
        }
        match &mut self.csv {
            Some(csv) => csv.row(outcomes),
            None => Ok(()),
        }
    }

    fn finish(self, plan: &Plan, seeds: Range<u64>) -> Result<SweepOutput> {
        if let Some(csv) = self.csv {
            csv.finish(plan.out.as_deref())?;
        }
        let variants: Vec<(String, String)> = plan
            .scenarios
            .iter()
            .map(|s| (s.id.clone(), scenario_hash(s)))
            .collect();
        let mut output = output::summarise(
            &variants,
            seeds.into(),
            plan.rounds,
            self.aggregates,
            self.paired,
        )?;
        output.shard = plan.shard.map(|(k, n)| format!("{k}/{n}"));
        output.planned = plan.shard.map(|_| plan.seeds.clone().into());
        Ok(output)
    }
}

fn union_keys(keys: &[Vec<String>]) -> Vec<String> {
    let mut union: Vec<String> = Vec::new();
    for k in keys.iter().flatten() {
        if !union.contains(k) {
            union.push(k.clone());
        }
    }
    union
}

/// SHA-256 of the scenario as the engine writes it.
pub fn scenario_hash(scenario: &Scenario) -> String {
    let bytes = serde_json::to_vec(scenario).unwrap_or_default();
    Hash::digest(&bytes).to_string()
}

fn progress_bar(wanted: bool, total: u64) -> Option<indicatif::ProgressBar> {
    if !wanted || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {pos}/{len} runs [{bar:40}] {per_sec}, {eta} left",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    Some(bar)
}
