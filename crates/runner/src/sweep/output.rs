//! The output of a sweep: each outcome's probability with its interval,
//! each issue's forecast distribution, and the aggregates they are
//! computed from, so that shards merge exactly.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use entente_core::log::ENGINE_VERSION;

use super::aggregate::{Aggregates, Summary};
use crate::error::Result;
use crate::shard::SeedRange;
use crate::stats::{self, Paired, Z95};

/// The format name of sweep outputs.
pub const FORMAT: &str = "entente-sweep";
/// The sweep output version.
pub const VERSION: u32 = 1;

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
    /// Per striker and theatre: strikes per run and where they fell.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strikes: Vec<StrikeSummary>,
    /// Per ceasefire: how long its first spell in force lasted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ceasefires: Vec<SurvivalSummary>,
    /// Per theatre with fronts: how often a ceasefire followed a mutually
    /// hurting stalemate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ripeness: Vec<RipenessSummary>,
    /// The mergeable aggregates behind the figures.
    pub aggregates: Aggregates,
}

/// Ripeness in a theatre over the runs (Zartman's mutually hurting
/// stalemate): the runs that reached one, and the share of those in which
/// the theatre's ceasefire was first agreed within the window after it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RipenessSummary {
    /// The theatre.
    pub theatre: String,
    /// Runs with a round of stalemate.
    pub ripe: u64,
    /// Of those, runs whose ceasefire was first agreed within `window`
    /// rounds of the first stalemate.
    pub followed: u64,
    /// The window, in rounds.
    pub window: u32,
    /// followed / ripe (0 without ripe runs).
    pub share: f64,
    /// Its 95% Wilson interval.
    pub interval: (f64, f64),
    /// Of the ripe runs, those whose first stalemate had a way out (its
    /// ceasefire brokered, or a party at its threshold: `front::way_out`).
    #[serde(default)]
    pub with_way_out: u64,
    /// Of those, the runs the ceasefire followed within the window.
    #[serde(default)]
    pub followed_with_way_out: u64,
}

impl RipenessSummary {
    /// (runs, followed) over the ripe runs with a way out (`true`) or
    /// without one.
    pub fn split(&self, way_out: bool) -> (u64, u64) {
        if way_out {
            (self.with_way_out, self.followed_with_way_out)
        } else {
            (
                self.ripe - self.with_way_out.min(self.ripe),
                self.followed - self.followed_with_way_out.min(self.followed),
            )
        }
    }
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
    /// Over the runs that agreed the issue: how many, and the agreed
    /// position's distribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_position: Option<AgreedSummary>,
}

/// Where agreements on an issue landed, over the runs that signed one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgreedSummary {
    /// Runs that signed an agreement on the issue.
    pub runs: u64,
    /// The agreed position's distribution over them.
    pub position: Summary,
}

/// A striker's strikes in a theatre over the runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrikeSummary {
    /// `STRIKER/theatre`.
    pub striker: String,
    /// Strikes per run, on average.
    pub per_run: f64,
    /// The share of its strikes (pooled over the runs) that hit designated
    /// terrorists.
    pub on_terrorists: f64,
    /// 95% Wilson interval of that share, treating the pooled strikes as
    /// independent (strikes within a run are not, so read it as a lower
    /// bound on the uncertainty).
    pub interval: (f64, f64),
    /// Strikes on threatened actors' forces, pooled.
    pub threatened: u64,
}

/// A ceasefire's survival over the runs: its first spell in force, from
/// the round it came into force (0 if in force at the start) to its first
/// collapse, or to the run's end (censored).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurvivalSummary {
    /// The theatre.
    pub theatre: String,
    /// Runs in which it was in force at some point.
    pub runs: u64,
    /// Of those, runs in which it collapsed.
    pub collapsed: u64,
    /// Of those, runs that ended with it still in force.
    pub held_to_end: u64,
    /// Weeks held before the collapse, over the runs in which it collapsed:
    /// 10th, 50th and 90th percentiles.
    pub weeks_to_collapse: Option<[f64; 3]>,
    /// The Kaplan–Meier share of spells still in force after 2, 4, 8, 12
    /// and 26 weeks (runs that end in force count as censored).
    pub surviving: Vec<WeeksShare>,
    /// The Kaplan–Meier median survival in weeks: null if more than half
    /// the spells outlast the runs.
    pub median_weeks: Option<f64>,
}

/// The share of ceasefire spells still in force after some weeks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeeksShare {
    /// Weeks.
    pub weeks: u32,
    /// Share still in force.
    pub share: f64,
}

/// The weeks at which survival is reported.
const SURVIVAL_WEEKS: [u32; 5] = [2, 4, 8, 12, 26];

fn survival_summaries(agg: &Aggregates) -> Vec<SurvivalSummary> {
    agg.survival
        .iter()
        .map(|(theatre, s)| {
            let weeks = |days: u32| f64::from(days) / 7.0;
            let bins: Vec<(u32, u64)> = s.collapsed.iter().map(|(&d, &n)| (d, n)).collect();
            let collapsed: u64 = s.collapsed.values().sum();
            let q = |p| stats::quantile(&bins, p).map_or(0.0, weeks);
            let times: std::collections::BTreeSet<u32> = s.collapsed.keys().copied().collect();
            SurvivalSummary {
                theatre: theatre.clone(),
                runs: s.runs(),
                collapsed,
                held_to_end: s.held.values().sum(),
                weeks_to_collapse: (collapsed > 0).then(|| [q(0.1), q(0.5), q(0.9)]),
                surviving: SURVIVAL_WEEKS
                    .iter()
                    .map(|&w| WeeksShare {
                        weeks: w,
                        share: s.surviving(w * 7),
                    })
                    .collect(),
                median_weeks: times
                    .into_iter()
                    .find(|&t| s.surviving(t) <= 0.5)
                    .map(weeks),
            }
        })
        .collect()
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
    /// The whole seed range a shard is a slice of (a shard's output only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<SeedRange>,
    /// Set when a merge was given only some of the shards (`merge
    /// --partial`): the figures cover only the runs of these shards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<Partial>,
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

/// The shards a partial merge holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// Shards the sweep was split into.
    pub of: u64,
    /// The shards merged (K, from 1).
    pub shards: Vec<u64>,
}

impl Partial {
    /// The shards merged, in words.
    pub fn describe(&self) -> String {
        let list: Vec<String> = self.shards.iter().map(u64::to_string).collect();
        format!("only shards {} of {}", list.join(", "), self.of)
    }
}

/// Builds the output from aggregates alone, so that a merge of shards and an
/// unsharded sweep give the same bytes.
pub(super) fn summarise(
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
                let agreed_position = match agg.agreed.get(issue) {
                    Some(a) => Some(AgreedSummary {
                        runs: a.count(),
                        position: a.summary(a.count())?,
                    }),
                    None => None,
                };
                Ok(IssueSummary {
                    issue: issue.clone(),
                    final_mean: d.summary(agg.runs)?,
                    agreed_position,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let strikes = strike_summaries(&agg);
        let ceasefires = survival_summaries(&agg);
        let ripeness = agg
            .ripeness
            .iter()
            .map(|(theatre, &[ripe, followed])| {
                let (share, interval) = crate::stats::share(followed, ripe);
                let [with_way_out, followed_with_way_out] =
                    agg.ripeness_way_out.get(theatre).copied().unwrap_or([0, 0]);
                RipenessSummary {
                    theatre: theatre.clone(),
                    ripe,
                    followed,
                    with_way_out,
                    followed_with_way_out,
                    window: entente_core::front::RIPENESS_WINDOW,
                    share,
                    interval,
                }
            })
            .collect();
        results.push(VariantResult {
            scenario: id.clone(),
            scenario_hash: hash.clone(),
            outcomes,
            issues,
            strikes,
            ceasefires,
            ripeness,
            aggregates: agg,
        });
    }
    let paired = paired_counts
        .iter()
        .map(|(key, &cells)| {
            let p = Paired::from_cells(cells);
            let Paired {
                both,
                a_only,
                b_only,
                neither,
            } = p;
            let (difference, lo, hi) = p.difference();
            let (p_a, p_b) = p.proportions();
            PairedOutcome {
                outcome: key.clone(),
                both,
                a_only,
                b_only,
                neither,
                p_a,
                p_b,
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
        planned: None,
        partial: None,
        rounds,
        runs,
        variants: results,
        paired,
        paired_counts,
    })
}

/// Per striker and theatre: strikes per run and the share on designated
/// terrorists, from a variant's aggregates.
fn strike_summaries(agg: &Aggregates) -> Vec<StrikeSummary> {
    agg.strikes
        .iter()
        .map(|(key, &[dt, oo, th])| {
            let targeted = dt + oo;
            StrikeSummary {
                striker: key.clone(),
                per_run: if agg.runs > 0 {
                    (dt + oo + th) as f64 / agg.runs as f64
                } else {
                    0.0
                },
                on_terrorists: if targeted > 0 {
                    dt as f64 / targeted as f64
                } else {
                    0.0
                },
                interval: stats::wilson(dt, targeted, Z95),
                threatened: th,
            }
        })
        .collect()
}

impl SweepOutput {
    /// Reads a sweep's JSON output.
    pub fn read(path: &std::path::Path) -> crate::Result<SweepOutput> {
        let bytes =
            crate::input::read_limited(path, "a sweep output", crate::input::MAX_SWEEP_BYTES)?;
        let output: SweepOutput = crate::input::parse_json(path, &bytes)?;
        output.check().map_err(|why| {
            crate::Error::Usage(format!(
                "{}: not a sweep output Entente could have written: {why}",
                path.display()
            ))
        })?;
        Ok(output)
    }

    /// What any sweep's output holds: runs, at least one variant, counts
    /// within the runs and probabilities that are their shares, a partial
    /// merge's shards among its N. A forged or damaged file is refused
    /// before it is told as a sweep.
    fn check(&self) -> std::result::Result<(), String> {
        if self.runs == 0 {
            return Err("it counts no runs".to_owned());
        }
        if self.variants.is_empty() {
            return Err("it has no variant".to_owned());
        }
        let runs = self.runs as f64;
        let share = |x: f64| x.is_finite() && (0.0..=1.0).contains(&x);
        for o in self.variants.iter().flat_map(|v| &v.outcomes) {
            let p = o.count as f64 / runs;
            if o.count > self.runs
                || !share(o.probability)
                || (o.probability - p).abs() > 1e-9
                || !share(o.interval.0)
                || !share(o.interval.1)
            {
                return Err(format!(
                    "outcome {}: {} of {} runs with probability {}",
                    o.outcome, o.count, self.runs, o.probability
                ));
            }
        }
        if let Some(partial) = &self.partial {
            let ordered = partial.shards.windows(2).all(|w| w[0] < w[1]);
            if partial.of == 0
                || partial.shards.is_empty()
                || !ordered
                || partial.shards.iter().any(|&k| k == 0 || k > partial.of)
            {
                return Err(format!(
                    "it says it is partial with shards {:?} of {}",
                    partial.shards, partial.of
                ));
            }
        }
        Ok(())
    }
}
