//! Sweeps: many seeded runs folded into outcome probabilities.
//!
//! Runs are played in parallel (rayon) in chunks of consecutive seeds; each
//! run is reduced to a [`RunOutcome`] as it finishes and folded into the
//! aggregates in seed order, so no log is kept and memory does not grow with
//! the number of seeds. The aggregates are integers (counts, histograms, and
//! fixed-point sums), so any split of the seeds into shards sums to the same
//! aggregates, and the output is the same bytes whatever the thread count or
//! sharding.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use entente_core::event::Event;
use entente_core::log::ENGINE_VERSION;
use entente_core::{Encoder, Hash, Header, Run, RunConfig, Scenario};

use crate::error::{Error, Result};
use crate::simulate;
use crate::stats::{self, Paired, Z95};

/// The format name of sweep outputs.
pub const FORMAT: &str = "entente-sweep";
/// The sweep output version.
pub const VERSION: u32 = 1;
/// Seeds played between two folds; bounds the memory of a sweep.
const CHUNK: u64 = 2_048;
/// Fixed-point scale of the exact sums of final means.
const FIXED: f64 = 4_294_967_296.0;
/// Histogram bins per point of the 0–100 scale.
const BINS_PER_POINT: f64 = 100.0;

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
    /// Draw a progress bar on stderr (only if it is a terminal).
    pub progress: bool,
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

/// Parses `K/N` (K from 1 to N).
pub fn parse_shard(text: &str) -> Result<(u64, u64)> {
    let bad = || {
        Error::Usage(format!(
            "--shard {text:?}: expected K/N with 1 ≤ K ≤ N, such as 3/8"
        ))
    };
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The seeds of shard K of N: the K-th of N consecutive, disjoint slices.
pub fn shard_seeds(seeds: &Range<u64>, (k, n): (u64, u64)) -> Range<u64> {
    let len = u128::from(seeds.end - seeds.start);
    let cut = |i: u64| seeds.start + (len * u128::from(i) / u128::from(n)) as u64;
    cut(k - 1)..cut(k)
}

/// The outcomes a sweep of `scenario` counts, in a fixed order.
pub fn outcome_keys(scenario: &Scenario) -> Vec<String> {
    let mut keys = Vec::new();
    keys.extend(
        scenario
            .issues
            .iter()
            .map(|i| format!("agreement:{}", i.id)),
    );
    for c in &scenario.ceasefires {
        keys.push(format!("ceasefire_agreed:{}", c.theatre));
        keys.push(format!("ceasefire_collapsed:{}", c.theatre));
    }
    for r in &scenario.sanctions {
        keys.push(format!("sanctions_eased:{}", r.id));
        keys.push(format!("sanctions_lifted:{}", r.id));
    }
    for p in scenario.linkage.iter().flat_map(|l| &l.pairs) {
        let key = format!("package_accepted:{}:{}", p.offerer, p.receiver);
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// The outcome key an event realises, if any.
fn outcome_of(event: &Event) -> Option<String> {
    Some(match event {
        Event::AgreementSigned(a) => format!("agreement:{}", a.issue),
        Event::CeasefireAgreed(c) => format!("ceasefire_agreed:{}", c.theatre),
        Event::CeasefireCollapsed(c) => format!("ceasefire_collapsed:{}", c.theatre),
        Event::SanctionsEased(d) => format!("sanctions_eased:{}", d.regime),
        Event::SanctionsLifted(d) => format!("sanctions_lifted:{}", d.regime),
        Event::PackageAccepted(t) => format!("package_accepted:{}:{}", t.offerer, t.receiver),
        _ => return None,
    })
}

/// What one run contributes to a sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct RunOutcome {
    /// The seed.
    pub seed: u64,
    /// The log's fingerprint (computed only when a CSV is written).
    pub fingerprint: Option<Hash>,
    /// Per outcome key: the round it first happened.
    pub first: Vec<Option<u32>>,
    /// Per issue: the final weighted mean and median.
    pub forecast: Vec<(f64, f64)>,
}

/// Plays one seed and reduces it to its outcome.
pub fn play(
    scenario: &Scenario,
    keys: &[String],
    seed: u64,
    rounds: Option<u32>,
    fingerprint: bool,
) -> Result<RunOutcome> {
    let config = RunConfig {
        seed,
        rounds,
        ..RunConfig::default()
    };
    let mut run = Run::new(scenario, config).map_err(simulate::engine_error)?;
    let mut encoder = fingerprint.then(|| {
        let mut encoder = Encoder::default();
        let mut line = Vec::new();
        encoder.header(
            &Header::new(scenario.clone(), seed, run.rounds()),
            &mut line,
        );
        (encoder, line)
    });
    let mut first = vec![None; keys.len()];
    for envelope in run.by_ref() {
        let envelope = envelope.map_err(simulate::engine_error)?;
        if let Some((encoder, line)) = &mut encoder {
            line.clear();
            encoder.event(&envelope, line);
        }
        if let Some(key) = outcome_of(&envelope.event)
            && let Some(k) = keys.iter().position(|x| *x == key)
        {
            first[k].get_or_insert(envelope.round);
        }
    }
    let state = run.state();
    Ok(RunOutcome {
        seed,
        fingerprint: encoder.map(|(e, _)| e.head()),
        first,
        forecast: (0..state.issues().len())
            .map(|i| state.forecast(i))
            .collect(),
    })
}

/// Mergeable aggregates of one scenario's runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Aggregates {
    /// Runs folded.
    pub runs: u64,
    /// Per outcome key: how many runs first reached it in each round.
    pub outcomes: BTreeMap<String, BTreeMap<u32, u64>>,
    /// Per issue: the distribution of the final weighted mean.
    pub issues: BTreeMap<String, Distribution>,
}

/// An exactly mergeable distribution of values on the 0–100 scale.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Σ round(x·2³²), as decimal text (an i128).
    pub sum: String,
    /// Σ round(x·2³²)², as decimal text (an i128).
    pub sum_sq: String,
    /// Counts per hundredth of a point.
    pub histogram: BTreeMap<u32, u64>,
}

impl Distribution {
    fn add(&mut self, x: f64) -> Result<()> {
        let q = (x * FIXED).round() as i128;
        let (sum, sum_sq) = (self.sums()?.0 + q, self.sums()?.1 + q * q);
        self.sum = sum.to_string();
        self.sum_sq = sum_sq.to_string();
        *self
            .histogram
            .entry(
                (x * BINS_PER_POINT)
                    .round()
                    .clamp(0.0, 100.0 * BINS_PER_POINT) as u32,
            )
            .or_insert(0) += 1;
        Ok(())
    }

    fn merge(&mut self, other: &Distribution) -> Result<()> {
        let (a, b) = (self.sums()?, other.sums()?);
        self.sum = (a.0 + b.0).to_string();
        self.sum_sq = (a.1 + b.1).to_string();
        for (&bin, &count) in &other.histogram {
            *self.histogram.entry(bin).or_insert(0) += count;
        }
        Ok(())
    }

    fn sums(&self) -> Result<(i128, i128)> {
        let parse = |s: &str| -> Result<i128> {
            if s.is_empty() {
                return Ok(0);
            }
            s.parse()
                .map_err(|_| Error::Usage(format!("not an integer sum in a sweep file: {s:?}")))
        };
        Ok((parse(&self.sum)?, parse(&self.sum_sq)?))
    }

    fn summary(&self, n: u64) -> Result<Summary> {
        let (sum, sum_sq) = self.sums()?;
        let bins: Vec<(u32, u64)> = self.histogram.iter().map(|(&b, &c)| (b, c)).collect();
        let value = |q: f64| stats::quantile(&bins, q).map(|b| f64::from(b) / BINS_PER_POINT);
        let mean = (n > 0).then(|| sum as f64 / n as f64 / FIXED);
        let sd = (n > 1).then(|| {
            let n128 = i128::from(n);
            let spread = n128
                .checked_mul(sum_sq)
                .and_then(|x| x.checked_sub(sum.checked_mul(sum)?))
                .map_or_else(
                    || {
                        (sum_sq as f64 / n as f64 - (sum as f64 / n as f64).powi(2))
                            * n as f64
                            * n as f64
                    },
                    |exact| exact as f64,
                );
            (spread.max(0.0) / (n as f64 * (n as f64 - 1.0))).sqrt() / FIXED
        });
        Ok(Summary {
            mean,
            sd,
            p5: value(0.05),
            p50: value(0.5),
            p95: value(0.95),
        })
    }
}

/// Mean, standard deviation and percentiles of a distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Mean.
    pub mean: Option<f64>,
    /// Sample standard deviation.
    pub sd: Option<f64>,
    /// 5th percentile (to 0.01).
    pub p5: Option<f64>,
    /// Median (to 0.01).
    pub p50: Option<f64>,
    /// 95th percentile (to 0.01).
    pub p95: Option<f64>,
}

impl Aggregates {
    fn new(scenario: &Scenario) -> Aggregates {
        Aggregates {
            runs: 0,
            outcomes: outcome_keys(scenario)
                .into_iter()
                .map(|k| (k, BTreeMap::new()))
                .collect(),
            issues: scenario
                .issues
                .iter()
                .map(|i| (i.id.clone(), Distribution::default()))
                .collect(),
        }
    }

    fn fold(&mut self, scenario: &Scenario, keys: &[String], outcome: &RunOutcome) -> Result<()> {
        self.runs += 1;
        for (key, first) in keys.iter().zip(&outcome.first) {
            if let Some(round) = first {
                *self
                    .outcomes
                    .entry(key.clone())
                    .or_default()
                    .entry(*round)
                    .or_insert(0) += 1;
            }
        }
        for (issue, (mean, _)) in scenario.issues.iter().zip(&outcome.forecast) {
            self.issues
                .entry(issue.id.clone())
                .or_default()
                .add(*mean)?;
        }
        Ok(())
    }

    fn merge(&mut self, other: &Aggregates) -> Result<()> {
        self.runs += other.runs;
        for (key, rounds) in &other.outcomes {
            let mine = self.outcomes.entry(key.clone()).or_default();
            for (&round, &count) in rounds {
                *mine.entry(round).or_insert(0) += count;
            }
        }
        for (issue, d) in &other.issues {
            self.issues.entry(issue.clone()).or_default().merge(d)?;
        }
        Ok(())
    }
}

/// One variant's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantResult {
    /// Scenario id.
    pub scenario: String,
    /// SHA-256 of the scenario as the engine writes it.
    pub scenario_hash: String,
    /// Per outcome: count, probability, interval, first rounds.
    pub outcomes: Vec<OutcomeSummary>,
    /// Per issue: the final weighted mean's distribution.
    pub issues: Vec<IssueSummary>,
    /// The mergeable aggregates behind the figures.
    pub aggregates: Aggregates,
}

/// An outcome over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutcomeSummary {
    /// `agreement:assad_role`, `ceasefire_agreed:syria`, …
    pub outcome: String,
    /// Runs in which it happened.
    pub count: u64,
    /// count / runs.
    pub probability: f64,
    /// 95% Wilson interval of the probability.
    pub interval: (f64, f64),
    /// Rounds in which it first happened: 10th, 50th, 90th percentiles
    /// (null if it never happened).
    pub first_round: Option<FirstRound>,
}

/// Percentiles of the round an outcome first happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FirstRound {
    /// 10th percentile.
    pub p10: u32,
    /// Median.
    pub p50: u32,
    /// 90th percentile.
    pub p90: u32,
}

/// An issue over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueSummary {
    /// Issue id.
    pub issue: String,
    /// The final weighted mean's distribution over the runs.
    pub final_mean: Summary,
}

/// An outcome compared across two variants run on the same seeds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedOutcome {
    /// The outcome.
    pub outcome: String,
    /// Runs where it happened in both.
    pub both: u64,
    /// Only in A.
    pub a_only: u64,
    /// Only in B.
    pub b_only: u64,
    /// In neither.
    pub neither: u64,
    /// Probability in A.
    pub p_a: f64,
    /// Probability in B.
    pub p_b: f64,
    /// p_B − p_A.
    pub difference: f64,
    /// 95% interval of the difference for paired data (Newcombe).
    pub interval: (f64, f64),
}

/// The output of a sweep (or of one shard of it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepOutput {
    /// Always [`FORMAT`].
    pub format: String,
    /// Output version.
    pub version: u32,
    /// Engine that ran it.
    pub engine: String,
    /// Seeds covered: [start, end).
    pub seeds: SeedRange,
    /// Which shard this is, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// Rounds per run, if not the scenario's.
    pub rounds: Option<u32>,
    /// Runs per variant.
    pub runs: u64,
    /// The variants: one, or A and B of a `--vs` sweep.
    pub variants: Vec<VariantResult>,
    /// For `--vs`: each outcome compared seed by seed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paired: Vec<PairedOutcome>,
    /// For `--vs`: the mergeable paired counts per outcome
    /// (both, A only, B only, neither).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub paired_counts: BTreeMap<String, [u64; 4]>,
}

/// A half-open seed range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedRange {
    /// First seed.
    pub start: u64,
    /// One past the last seed.
    pub end: u64,
}

/// Runs the sweep `plan` asks for and returns its output.
pub fn sweep(plan: &Plan) -> Result<SweepOutput> {
    let seeds = match plan.shard {
        Some(shard) => shard_seeds(&plan.seeds, shard),
        None => plan.seeds.clone(),
    };
    let keys: Vec<Vec<String>> = plan.scenarios.iter().map(outcome_keys).collect();
    let union = union_keys(&keys);
    let mut aggregates: Vec<Aggregates> = plan.scenarios.iter().map(Aggregates::new).collect();
    let mut paired: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    if plan.scenarios.len() == 2 {
        paired = union.iter().map(|k| (k.clone(), [0; 4])).collect();
    }
    let mut csv = match &plan.csv {
        Some(path) => Some(CsvWriter::create(path, &plan.scenarios, &keys)?),
        None => None,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.max(1))
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {} worker threads: {e}", plan.jobs)))?;
    let bar = progress_bar(plan.progress, seeds.end - seeds.start);
    let mut start = seeds.start;
    while start < seeds.end {
        let end = start.saturating_add(CHUNK).min(seeds.end);
        let chunk: Vec<u64> = (start..end).collect();
        let fingerprint = csv.is_some();
        let results: Vec<Result<Vec<RunOutcome>>> = pool.install(|| {
            use rayon::prelude::*;
            chunk
                .par_iter()
                .map(|&seed| {
                    let outcome = plan
                        .scenarios
                        .iter()
                        .zip(&keys)
                        .map(|(s, k)| play(s, k, seed, plan.rounds, fingerprint))
                        .collect::<Result<Vec<_>>>();
                    if let Some(bar) = &bar {
                        bar.inc(1);
                    }
                    outcome
                })
                .collect()
        });
        for result in results {
            let outcomes = result?;
            for ((agg, scenario), (outcome, k)) in aggregates
                .iter_mut()
                .zip(&plan.scenarios)
                .zip(outcomes.iter().zip(&keys))
            {
                agg.fold(scenario, k, outcome)?;
            }
            if let [a, b] = outcomes.as_slice() {
                for (key, counts) in paired.iter_mut() {
                    let happened = |o: &RunOutcome, k: &[String]| {
                        k.iter()
                            .position(|x| x == key)
                            .and_then(|i| o.first[i])
                            .is_some()
                    };
                    let cell = match (happened(a, &keys[0]), happened(b, &keys[1])) {
                        (true, true) => 0,
                        (true, false) => 1,
                        (false, true) => 2,
                        (false, false) => 3,
                    };
                    counts[cell] += 1;
                }
            }
            if let Some(csv) = &mut csv {
                csv.row(&outcomes)?;
            }
        }
        start = end;
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(csv) = csv {
        csv.finish()?;
    }
    let mut output = render(
        &plan
            .scenarios
            .iter()
            .map(|s| (s.id.clone(), scenario_hash(s)))
            .collect::<Vec<_>>(),
        SeedRange {
            start: seeds.start,
            end: seeds.end,
        },
        plan.rounds,
        aggregates,
        paired,
    )?;
    output.shard = plan.shard.map(|(k, n)| format!("{k}/{n}"));
    Ok(output)
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

/// Builds the output from aggregates alone, so that a merge of shards and an
/// unsharded sweep give the same bytes.
fn render(
    variants: &[(String, String)],
    seeds: SeedRange,
    rounds: Option<u32>,
    aggregates: Vec<Aggregates>,
    paired_counts: BTreeMap<String, [u64; 4]>,
) -> Result<SweepOutput> {
    let runs = aggregates.first().map_or(0, |a| a.runs);
    let mut results = Vec::new();
    for ((id, hash), agg) in variants.iter().zip(aggregates) {
        let outcomes = agg
            .outcomes
            .iter()
            .map(|(key, rounds)| {
                let count: u64 = rounds.values().sum();
                let bins: Vec<(u32, u64)> = rounds.iter().map(|(&r, &c)| (r, c)).collect();
                OutcomeSummary {
                    outcome: key.clone(),
                    count,
                    probability: if agg.runs > 0 {
                        count as f64 / agg.runs as f64
                    } else {
                        0.0
                    },
                    interval: stats::wilson(count, agg.runs, Z95),
                    first_round: (count > 0).then(|| FirstRound {
                        p10: stats::quantile(&bins, 0.1).unwrap_or(0),
                        p50: stats::quantile(&bins, 0.5).unwrap_or(0),
                        p90: stats::quantile(&bins, 0.9).unwrap_or(0),
                    }),
                }
            })
            .collect();
        let issues = agg
            .issues
            .iter()
            .map(|(issue, d)| {
                Ok(IssueSummary {
                    issue: issue.clone(),
                    final_mean: d.summary(agg.runs)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        results.push(VariantResult {
            scenario: id.clone(),
            scenario_hash: hash.clone(),
            outcomes,
            issues,
            aggregates: agg,
        });
    }
    let paired = paired_counts
        .iter()
        .map(|(key, &[both, a_only, b_only, neither])| {
            let p = Paired {
                both,
                a_only,
                b_only,
                neither,
            };
            let n = p.n().max(1) as f64;
            let (difference, lo, hi) = p.difference();
            PairedOutcome {
                outcome: key.clone(),
                both,
                a_only,
                b_only,
                neither,
                p_a: (both + a_only) as f64 / n,
                p_b: (both + b_only) as f64 / n,
                difference,
                interval: (lo, hi),
            }
        })
        .collect();
    Ok(SweepOutput {
        format: FORMAT.to_owned(),
        version: VERSION,
        engine: ENGINE_VERSION.to_owned(),
        seeds,
        shard: None,
        rounds,
        runs,
        variants: results,
        paired,
        paired_counts,
    })
}

/// Combines shard outputs into the output one unsharded sweep would give.
pub fn merge(parts: &[SweepOutput]) -> Result<SweepOutput> {
    let Some(first) = parts.first() else {
        return Err(Error::Usage("merge: no parts given".to_owned()));
    };
    let mut sorted: Vec<&SweepOutput> = parts.iter().collect();
    sorted.sort_by_key(|p| (p.seeds.start, p.seeds.end));
    let ids: Vec<(String, String)> = first
        .variants
        .iter()
        .map(|v| (v.scenario.clone(), v.scenario_hash.clone()))
        .collect();
    let mut aggregates: Vec<Aggregates> = first
        .variants
        .iter()
        .map(|v| Aggregates {
            runs: 0,
            outcomes: v
                .aggregates
                .outcomes
                .keys()
                .map(|k| (k.clone(), BTreeMap::new()))
                .collect(),
            issues: v
                .aggregates
                .issues
                .keys()
                .map(|k| (k.clone(), Distribution::default()))
                .collect(),
        })
        .collect();
    let mut paired: BTreeMap<String, [u64; 4]> = first
        .paired_counts
        .keys()
        .map(|k| (k.clone(), [0; 4]))
        .collect();
    let mut expected_start = sorted[0].seeds.start;
    for part in &sorted {
        if part.format != FORMAT || part.version != VERSION {
            return Err(Error::Usage(format!(
                "merge: a part is {} version {}, not an {FORMAT} version {VERSION} file",
                part.format, part.version
            )));
        }
        let part_ids: Vec<(String, String)> = part
            .variants
            .iter()
            .map(|v| (v.scenario.clone(), v.scenario_hash.clone()))
            .collect();
        if part.engine != first.engine || part.rounds != first.rounds || part_ids != ids {
            return Err(Error::Usage(
                "merge: the parts are not of the same sweep (engine, rounds or scenarios differ)"
                    .to_owned(),
            ));
        }
        if part.seeds.start != expected_start {
            return Err(Error::Usage(format!(
                "merge: the parts do not cover one range without gaps or overlaps: seeds {}..{} follow {expected_start}",
                part.seeds.start, part.seeds.end
            )));
        }
        expected_start = part.seeds.end;
        for (agg, v) in aggregates.iter_mut().zip(&part.variants) {
            agg.merge(&v.aggregates)?;
        }
        for (key, counts) in &part.paired_counts {
            let mine = paired.entry(key.clone()).or_insert([0; 4]);
            for (m, c) in mine.iter_mut().zip(counts) {
                *m += c;
            }
        }
    }
    render(
        &ids,
        SeedRange {
            start: sorted[0].seeds.start,
            end: expected_start,
        },
        first.rounds,
        aggregates,
        paired,
    )
}

/// Merges CSV parts: the same header, rows sorted by seed, no seed twice.
pub fn merge_csv(parts: &[(PathBuf, String)]) -> Result<String> {
    let mut header: Option<&str> = None;
    let mut rows: Vec<(u64, &str)> = Vec::new();
    for (path, text) in parts {
        let mut lines = text.lines();
        let h = lines.next().unwrap_or("");
        match header {
            None => header = Some(h),
            Some(first) if first != h => {
                return Err(Error::Usage(format!(
                    "{}: its CSV header differs from the first part's",
                    path.display()
                )));
            }
            Some(_) => {}
        }
        for line in lines.filter(|l| !l.is_empty()) {
            let seed = line
                .split(',')
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "{}: a row without a seed: {line:?}",
                        path.display()
                    ))
                })?;
            rows.push((seed, line));
        }
    }
    rows.sort_by_key(|r| r.0);
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::Usage(format!(
            "merge: seed {} appears in two parts",
            w[0].0
        )));
    }
    let mut out = String::from(header.unwrap_or(""));
    out.push('\n');
    for (_, row) in rows {
        out.push_str(row);
        out.push('\n');
    }
    Ok(out)
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

/// One CSV row per seed, written in seed order as chunks complete.
/// The rows go to `PATH.entente-partial`, which is renamed to PATH when the
/// sweep is done, and removed if it fails.
struct CsvWriter {
    out: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    temporary: PathBuf,
    variants: usize,
    finished: bool,
}

impl CsvWriter {
    fn create(path: &Path, scenarios: &[Scenario], keys: &[Vec<String>]) -> Result<CsvWriter> {
        crate::output::refuse_log(path)?;
        let temporary = crate::output::temporary_sibling(path);
        let file = crate::output::create_fresh(&temporary)
            .map_err(|e| Error::io(&temporary, "cannot create", e))?;
        let mut w = CsvWriter {
            out: std::io::BufWriter::new(file),
            path: path.to_owned(),
            temporary,
            variants: scenarios.len(),
            finished: false,
        };
        let prefix = |v: usize| {
            if scenarios.len() > 1 {
                ["a:", "b:"][v.min(1)]
            } else {
                ""
            }
        };
        let mut columns = vec!["seed".to_owned()];
        for v in 0..scenarios.len() {
            columns.push(format!("{}fingerprint", prefix(v)));
        }
        for (v, (scenario, keys)) in scenarios.iter().zip(keys).enumerate() {
            columns.extend(keys.iter().map(|k| format!("{}{k}", prefix(v))));
            for issue in &scenario.issues {
                columns.push(format!("{}{}:mean", prefix(v), issue.id));
                columns.push(format!("{}{}:median", prefix(v), issue.id));
            }
        }
        w.write(&columns.join(","))?;
        Ok(w)
    }

    fn row(&mut self, outcomes: &[RunOutcome]) -> Result<()> {
        let mut cells = vec![outcomes.first().map_or(0, |o| o.seed).to_string()];
        for o in outcomes.iter().take(self.variants) {
            cells.push(o.fingerprint.map(|h| h.to_string()).unwrap_or_default());
        }
        for o in outcomes {
            cells.extend(
                o.first
                    .iter()
                    .map(|r| r.map(|r| r.to_string()).unwrap_or_default()),
            );
            for (mean, median) in &o.forecast {
                cells.push(mean.to_string());
                cells.push(median.to_string());
            }
        }
        self.write(&cells.join(","))
    }

    fn write(&mut self, line: &str) -> Result<()> {
        writeln!(self.out, "{line}").map_err(|e| Error::io(&self.path, "cannot write", e))
    }

    fn finish(mut self) -> Result<()> {
        // On failure, dropping the writer removes the temporary.
        self.out
            .flush()
            .map_err(|e| Error::io(&self.path, "cannot write", e))?;
        self.finished = true;
        crate::output::put_in_place(&self.temporary, &self.path)
    }
}

impl Drop for CsvWriter {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

impl SweepOutput {
    /// A text summary for the terminal.
    pub fn render_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} runs per variant, seeds {}..{}{}",
            self.runs,
            self.seeds.start,
            self.seeds.end,
            self.shard
                .as_ref()
                .map(|s| format!(" (shard {s})"))
                .unwrap_or_default()
        );
        for v in &self.variants {
            let _ = writeln!(out, "\n{}", v.scenario);
            for o in &v.outcomes {
                let rounds = o
                    .first_round
                    .as_ref()
                    .map(|f| format!("  first round p10/p50/p90 {}/{}/{}", f.p10, f.p50, f.p90))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {:<45} {:>6.1}%  [{:>5.1}%, {:>5.1}%]{rounds}",
                    o.outcome,
                    100.0 * o.probability,
                    100.0 * o.interval.0,
                    100.0 * o.interval.1
                );
            }
            for i in &v.issues {
                let f = |x: Option<f64>| x.map_or("-".to_owned(), |x| format!("{x:.1}"));
                let m = &i.final_mean;
                let _ = writeln!(
                    out,
                    "  final mean {:<30} {} ± {}  (p5 {}, p50 {}, p95 {})",
                    i.issue,
                    f(m.mean),
                    f(m.sd),
                    f(m.p5),
                    f(m.p50),
                    f(m.p95)
                );
            }
        }
        if !self.paired.is_empty() {
            let _ = writeln!(out, "\nB − A, paired by seed (95% Newcombe interval):");
            for p in &self.paired {
                let mark = if p.interval.0 > 0.0 || p.interval.1 < 0.0 {
                    "*"
                } else {
                    " "
                };
                let _ = writeln!(
                    out,
                    " {mark}{:<45} {:>6.1}% → {:>6.1}%  {:>+6.1} points [{:>+6.1}, {:>+6.1}]",
                    p.outcome,
                    100.0 * p.p_a,
                    100.0 * p.p_b,
                    100.0 * p.difference,
                    100.0 * p.interval.0,
                    100.0 * p.interval.1
                );
            }
            let _ = writeln!(out, "(* the interval excludes 0)");
        }
        out
    }
}
