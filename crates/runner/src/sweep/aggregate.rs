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
    /// Per ceasefire theatre: how long its first spell in force lasted, in
    /// days, over the runs in which it had one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub survival: BTreeMap<String, Survival>,
    /// Per theatre with fronts: runs that reached a mutually hurting
    /// stalemate, and of those the runs in which the theatre's ceasefire was
    /// first agreed within `front::RIPENESS_WINDOW` rounds of the first
    /// stalemate.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ripeness: BTreeMap<String, [u64; 2]>,
    /// The same counts over the runs whose first stalemate had a way out
    /// (`front::way_out`): the runs, and those the ceasefire followed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub ripeness_way_out: BTreeMap<String, [u64; 2]>,
}

/// How long a ceasefire's first spell in force lasted over the runs: counts
/// of runs per number of days held, for those that collapsed and for those
/// still in force at the run's end (censored).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survival {
    /// Days held before the first collapse → runs.
    pub collapsed: BTreeMap<u32, u64>,
    /// Days held to the run's end, in force still → runs.
    pub held: BTreeMap<u32, u64>,
}

impl Survival {
    fn merge(&mut self, other: &Survival) {
        for (mine, theirs) in [
            (&mut self.collapsed, &other.collapsed),
            (&mut self.held, &other.held),
        ] {
            for (&days, &n) in theirs {
                *mine.entry(days).or_insert(0) += n;
            }
        }
    }

    /// Runs with a spell in force.
    pub(super) fn runs(&self) -> u64 {
        self.collapsed.values().chain(self.held.values()).sum()
    }

    /// The Kaplan–Meier estimate of the share of spells still in force
    /// after `days` (spells still in force at a run's end are censored
    /// there).
    pub(super) fn surviving(&self, days: u32) -> f64 {
        let mut at_risk = self.runs();
        let mut share = 1.0;
        let times: std::collections::BTreeSet<u32> = self
            .collapsed
            .keys()
            .chain(self.held.keys())
            .copied()
            .collect();
        for t in times {
            if t > days || at_risk == 0 {
                break;
            }
            let died = self.collapsed.get(&t).copied().unwrap_or(0);
            share *= 1.0 - died as f64 / at_risk as f64;
            at_risk -= died + self.held.get(&t).copied().unwrap_or(0);
        }
        share
    }
}

/// An exactly mergeable distribution of values on the 0–100 scale.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "DistributionText", into = "DistributionText")]
pub struct Distribution {
    /// Σ round(x·2³²).
    pub sum: i128,
    /// Σ round(x·2³²)².
    pub sum_sq: i128,
    /// Counts per hundredth of a point.
    pub histogram: BTreeMap<u32, u64>,
}

/// A [`Distribution`] as sweep files hold it: the sums as decimal text
/// (JSON numbers are not exact beyond 2⁵³), empty before any value.
#[derive(Clone, Serialize, Deserialize)]
struct DistributionText {
    sum: String,
    sum_sq: String,
    histogram: BTreeMap<u32, u64>,
}

impl From<Distribution> for DistributionText {
    fn from(d: Distribution) -> DistributionText {
        let text = |x: i128| {
            if d.histogram.is_empty() {
                String::new()
            } else {
                x.to_string()
            }
        };
        DistributionText {
            sum: text(d.sum),
            sum_sq: text(d.sum_sq),
            histogram: d.histogram,
        }
    }
}

impl TryFrom<DistributionText> for Distribution {
    type Error = String;

    fn try_from(t: DistributionText) -> std::result::Result<Distribution, String> {
        let parse = |s: &str| -> std::result::Result<i128, String> {
            if s.is_empty() {
                return Ok(0);
            }
            s.parse()
                .map_err(|_| format!("not an integer sum in a sweep file: {s:?}"))
        };
        Ok(Distribution {
            sum: parse(&t.sum)?,
            sum_sq: parse(&t.sum_sq)?,
            histogram: t.histogram,
        })
    }
}

impl Distribution {
    fn add(&mut self, x: f64) -> Result<()> {
        let q = (x * FIXED).round() as i128;
        self.sum = self.sum.checked_add(q).ok_or_else(overflow)?;
        self.sum_sq = q
            .checked_mul(q)
            .and_then(|q2| self.sum_sq.checked_add(q2))
            .ok_or_else(overflow)?;
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
        self.sum = self.sum.checked_add(other.sum).ok_or_else(overflow)?;
        self.sum_sq = self.sum_sq.checked_add(other.sum_sq).ok_or_else(overflow)?;
        for (&bin, &count) in &other.histogram {
            *self.histogram.entry(bin).or_insert(0) += count;
        }
        Ok(())
    }

    /// Whether the sums can be those of the values the histogram counts:
    /// every value lies within half a hundredth of its bin, so the sum of
    /// the values and of their squares lie between the sums over the bins'
    /// lower and upper edges (with the rounding of `add`'s fixed point).
    pub(super) fn fits(&self) -> bool {
        let (mut low, mut high, mut low_sq, mut high_sq, mut n) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (&bin, &count) in &self.histogram {
            let centre = f64::from(bin) / BINS_PER_POINT;
            let (lo, hi) = (
                (centre - 0.5 / BINS_PER_POINT).max(0.0),
                (centre + 0.5 / BINS_PER_POINT).min(100.0),
            );
            let c = count as f64;
            (low, high) = (low + c * lo, high + c * hi);
            (low_sq, high_sq) = (low_sq + c * lo * lo, high_sq + c * hi * hi);
            n += c;
        }
        let slack = 1e-6 * (n + 1.0);
        let sum = self.sum as f64 / FIXED;
        let sum_sq = self.sum_sq as f64 / (FIXED * FIXED);
        (low - slack..=high + slack).contains(&sum)
            && (low_sq - slack * 200.0..=high_sq + slack * 200.0).contains(&sum_sq)
    }

    /// Values folded into the distribution.
    pub(super) fn count(&self) -> u64 {
        self.histogram.values().sum()
    }

    pub(super) fn summary(&self, n: u64) -> Result<Summary> {
        let (sum, sum_sq) = (self.sum, self.sum_sq);
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

/// The value of `key`, inserted empty when new: the key is allocated only
/// then, as the fold runs once per run and key.
fn slot<'a, V: Default>(map: &'a mut BTreeMap<String, V>, key: &str) -> &'a mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key)
        .unwrap_or_else(|| unreachable!("the key was inserted above"))
}

fn overflow() -> Error {
    Error::Usage("a sweep's exact sums overflowed 128 bits".to_owned())
}

/// Adds `counts` to the counts of `key`.
fn add_counts(map: &mut BTreeMap<String, [u64; 3]>, key: &str, counts: &[u64; 3]) {
    for (m, c) in slot(map, key).iter_mut().zip(counts) {
        *m += c;
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
            survival: BTreeMap::new(),
            ripeness: BTreeMap::new(),
            ripeness_way_out: BTreeMap::new(),
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
                *slot(&mut self.outcomes, key).entry(*round).or_insert(0) += 1;
            }
        }
        for (issue, f) in scenario.issues.iter().zip(&outcome.forecast) {
            slot(&mut self.issues, &issue.id).add(f.mean)?;
        }
        for (issue, agreed) in scenario.issues.iter().zip(&outcome.agreed) {
            if let Some(x) = agreed {
                slot(&mut self.agreed, &issue.id).add(*x)?;
            }
        }
        for (key, counts) in &outcome.strikes {
            add_counts(&mut self.strikes, key, counts);
        }
        for (rule, spell) in scenario.ceasefires.iter().zip(&outcome.spells) {
            if let Some(spell) = spell {
                let days = spell.rounds.saturating_mul(scenario.days_per_round);
                let survival = slot(&mut self.survival, &rule.theatre);
                let counts = if spell.collapsed {
                    &mut survival.collapsed
                } else {
                    &mut survival.held
                };
                *counts.entry(days).or_insert(0) += 1;
            }
        }
        for (theatre, stalemate) in &outcome.stalemates {
            let Some(crate::sweep::Ripe {
                round: ripe,
                way_out,
            }) = stalemate
            else {
                continue;
            };
            let agreed = format!("ceasefire_agreed:{theatre}");
            let followed = keys
                .iter()
                .position(|k| *k == agreed)
                .and_then(|k| outcome.first[k])
                .is_some_and(|r| {
                    (*ripe..=ripe + entente_core::front::RIPENESS_WINDOW).contains(&r)
                });
            let counts = self.ripeness.entry(theatre.clone()).or_insert([0, 0]);
            counts[0] += 1;
            counts[1] += u64::from(followed);
            if *way_out {
                let counts = self
                    .ripeness_way_out
                    .entry(theatre.clone())
                    .or_insert([0, 0]);
                counts[0] += 1;
                counts[1] += u64::from(followed);
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
            add_counts(&mut self.strikes, key, counts);
        }
        for (theatre, s) in &other.survival {
            self.survival.entry(theatre.clone()).or_default().merge(s);
        }
        for (mine, theirs) in [
            (&mut self.ripeness, &other.ripeness),
            (&mut self.ripeness_way_out, &other.ripeness_way_out),
        ] {
            for (theatre, [ripe, followed]) in theirs {
                let counts = mine.entry(theatre.clone()).or_insert([0, 0]);
                counts[0] += ripe;
                counts[1] += followed;
            }
        }
        Ok(())
    }
}
