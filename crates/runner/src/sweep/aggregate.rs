//! Mergeable aggregates of a variant's runs: counts and histograms of
//! integers and fixed-point sums, so any split of the seeds into threads or
//! shards sums to the same aggregates, and so to the same bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use entente_core::Scenario;

use super::play::RunOutcome;
use crate::error::{Error, Result};
use crate::stats;

/// Fixed-point scale of the exact sums of final means.
const FIXED: f64 = 4_294_967_296.0;
/// Histogram bins per point of the 0–100 scale.
const BINS_PER_POINT: f64 = 100.0;

/// Mergeable aggregates of one scenario's runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Aggregates {
    /// Runs folded.
    pub runs: u64,
    /// Per outcome key: how many runs first reached it in each round.
    pub outcomes: BTreeMap<String, BTreeMap<u32, u64>>,
    /// Per issue: the distribution of the final weighted mean.
    pub issues: BTreeMap<String, Distribution>,
    /// Per issue agreed in some run: the distribution of the agreed
    /// position over those runs.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub agreed: BTreeMap<String, Distribution>,
    /// Per `STRIKER/theatre`: strikes summed over the runs, on designated
    /// terrorists, other armed opposition, threatened actors' forces.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub strikes: BTreeMap<String, [u64; 3]>,
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

    /// Values folded into the distribution.
    pub(super) fn count(&self) -> u64 {
        self.histogram.values().sum()
    }

    pub(super) fn summary(&self, n: u64) -> Result<Summary> {
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
    pub(super) fn new(scenario: &Scenario, keys: &[String]) -> Aggregates {
        Aggregates {
            runs: 0,
            outcomes: keys.iter().map(|k| (k.clone(), BTreeMap::new())).collect(),
            issues: scenario
                .issues
                .iter()
                .map(|i| (i.id.clone(), Distribution::default()))
                .collect(),
            agreed: BTreeMap::new(),
            strikes: BTreeMap::new(),
        }
    }

    pub(super) fn fold(
        &mut self,
        scenario: &Scenario,
        keys: &[String],
        outcome: &RunOutcome,
    ) -> Result<()> {
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
        for (issue, f) in scenario.issues.iter().zip(&outcome.forecast) {
            self.issues
                .entry(issue.id.clone())
                .or_default()
                .add(f.mean)?;
        }
        for (issue, agreed) in scenario.issues.iter().zip(&outcome.agreed) {
            if let Some(x) = agreed {
                self.agreed.entry(issue.id.clone()).or_default().add(*x)?;
            }
        }
        for (key, counts) in &outcome.strikes {
            let mine = self.strikes.entry(key.clone()).or_default();
            for (m, c) in mine.iter_mut().zip(counts) {
                *m += c;
            }
        }
        Ok(())
    }

    pub(super) fn merge(&mut self, other: &Aggregates) -> Result<()> {
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
        for (issue, d) in &other.agreed {
            self.agreed.entry(issue.clone()).or_default().merge(d)?;
        }
        for (key, counts) in &other.strikes {
            let mine = self.strikes.entry(key.clone()).or_default();
            for (m, c) in mine.iter_mut().zip(counts) {
                *m += c;
            }
        }
        Ok(())
    }
}
