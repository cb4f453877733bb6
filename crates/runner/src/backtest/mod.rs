//! Forecasting skill: score every model and variant against known outcomes,
//! as DEU III records them for EU legislative decisions.
//!
//! The file layout (DEU's): tab-separated, fields optionally quoted; a header
//! naming an issue-id column `isnr`, for each actor a position column
//! `p<code>` and a salience column `s<code>` (0–100), and the outcome column
//! `out` (0–100); then one row without an issue id that carries each actor's
//! capability under its position column; then one row per issue. An empty
//! cell means the actor took no position. Issues without an outcome are
//! skipped.
//!
//! Every issue with an outcome becomes a one-issue scenario of the actors
//! with a position and a salience above 0 (a salience of 0 carries no weight
//! in any forecast here), and every model and variant plays it for a fixed
//! number of rounds. Each model is scored on its final weighted mean and its
//! final weighted median; the weighted mean and median of round 0 are the
//! baselines.

use std::ops::Range;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use entente_core::scenario::{
    Actor, ActorKind, AgreementRule, ForecastKind, Issue, ModelConfig, Stance,
};
use entente_core::{Run, RunConfig, Scenario, Stream};

use crate::error::{Error, Result};
use crate::parts::{self, Kind, Part};

/// The first line of a backtest's CSV.
pub const CSV_HEADER: &str = "issue,model,final_mean,final_median,outcome,error_mean,error_median";

mod file;
mod subject;

pub use file::{Case, MAX_BACKTEST_BYTES, parse, read};
pub use subject::Subject;

/// The two forecasts of one subject on one case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Issue id.
    pub issue: String,
    /// Model or variant.
    pub model: String,
    /// Final weighted mean.
    pub mean: f64,
    /// Final weighted median.
    pub median: f64,
    /// The outcome.
    pub outcome: f64,
    /// The proposal the issue belongs to (the halves of the
    /// cross-validation are proposals).
    #[serde(default)]
    pub proposal: String,
}

/// The skill of one subject's forecast.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    /// Model or variant.
    pub model: String,
    /// `mean` or `median`: which final forecast is scored.
    pub forecast: String,
    /// Issues scored.
    pub issues: usize,
    /// Mean absolute error against the outcome.
    pub mae: f64,
    /// Median absolute error.
    pub median_error: f64,
    /// Share of issues forecast within 10 points.
    pub within_10: f64,
    /// 95% bootstrap interval of the MAE.
    pub mae_interval: (f64, f64),
    /// Its MAE minus the round-0 weighted mean's, with a paired 95%
    /// bootstrap interval (the same resampled issues for both); none for
    /// that baseline itself.
    pub against_opening_mean: Option<Difference>,
}

/// A paired difference of MAEs and its 95% bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Difference {
    /// MAE − the baseline's MAE (negative: better than the baseline).
    pub mae: f64,
    /// 95% interval of the difference.
    pub interval: (f64, f64),
}

/// Model choice out of sample: the proposals split in two halves (in file
/// order, alternately), the best model and forecast on each half scored on
/// the other.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossValidated {
    /// The model and forecast chosen on each half: `[on half 1, on half 2]`.
    pub chosen: [String; 2],
    /// Issues in each half.
    pub issues: [usize; 2],
    /// The MAE of each choice on the other half: `[half 1's choice on half
    /// 2, half 2's on half 1]`.
    pub held_out_mae: [f64; 2],
    /// Every issue forecast by the choice made on the other half.
    pub mae: f64,
    /// That MAE against the round-0 weighted mean's on the same issues.
    pub against_opening_mean: Difference,
}

/// The whole backtest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Backtest {
    /// Issues with an outcome.
    pub issues: usize,
    /// Rounds each model played.
    pub rounds: u32,
    /// Bootstrap resamples.
    pub bootstrap: u32,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// One score per subject and forecast.
    pub scores: Vec<Score>,
    /// The model chosen on half the proposals and scored on the other
    /// half, both ways round; none when there are fewer than two proposals.
    pub cross_validated: Option<CrossValidated>,
    /// One row per issue and subject.
    #[serde(skip)]
    pub rows: Vec<Row>,
}

/// Options of a backtest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Rounds each model plays.
    pub rounds: u32,
    /// Bootstrap resamples for the MAE's interval.
    pub bootstrap: u32,
    /// Seed of the bootstrap.
    pub seed: u64,
}

/// Most bootstrap resamples a backtest draws.
pub use crate::limits::MAX_BOOTSTRAP;

impl Options {
    /// Refuses options that cannot do what they say: no rounds, more rounds
    /// than a run may play, no resamples (no interval), or more than
    /// [`MAX_BOOTSTRAP`].
    pub fn check(&self) -> Result<()> {
        if self.rounds == 0 || self.rounds > entente_core::limits::MAX_ROUNDS {
            return Err(Error::Usage(format!(
                "--rounds {}: expected 1 to {} rounds",
                self.rounds,
                entente_core::limits::MAX_ROUNDS
            )));
        }
        crate::limits::count(
            "--bootstrap",
            u64::from(self.bootstrap),
            u64::from(MAX_BOOTSTRAP),
        )
    }
}

impl Default for Options {
    fn default() -> Options {
        Options {
            rounds: 10,
            bootstrap: 2_000,
            seed: 0,
        }
    }
}

/// The scenario of one or more cases (the issues of one proposal) under a
/// model: every actor with a stance on any of them, its capability from
/// the file, issue `issue` alone or `issue_1` … in the cases' order.
pub fn scenario(cases: &[&Case], model: ModelConfig, rounds: u32) -> Scenario {
    let id = |code: &str| {
        let code: String = code
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect();
        format!("A_{code}")
    };
    let issue = |k: usize| {
        if cases.len() == 1 {
            "issue".to_owned()
        } else {
            format!("issue_{}", k + 1)
        }
    };
    let mut actors: Vec<Actor> = Vec::new();
    for (code, _, _, c) in cases.iter().flat_map(|case| &case.stances) {
        if !actors.iter().any(|a| a.id == id(code)) {
            actors.push(Actor {
                capability_uncertainty: 0.0,
                id: id(code),
                name: id(code),
                kind: ActorKind::State,
                capability: *c,
                speaks_for: Vec::new(),
                basis: "backtest file".to_owned(),
            });
        }
    }
    let title = cases
        .iter()
        .map(|c| c.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let start = entente_core::Date::from_ymd(2000, 1, 3).expect("a valid date");
    Scenario {
        days_per_round: 30,
        actors,
        issues: cases
            .iter()
            .enumerate()
            .map(|(k, case)| Issue {
                brokers: Vec::new(),
                must_act: Vec::new(),
                high_means: None,
                id: issue(k),
                question: format!("issue {}", case.id),
                low: "0".to_owned(),
                high: "100".to_owned(),
                principals: case.stances.iter().map(|(code, ..)| id(code)).collect(),
            })
            .collect(),
        stances: cases
            .iter()
            .enumerate()
            .flat_map(|(k, case)| {
                case.stances.iter().map(move |(code, x, s, _)| Stance {
                    salience_uncertainty: 0.0,
                    actor: id(code),
                    issue: issue(k),
                    position: *x,
                    salience: *s,
                    uncertainty: 0.0,
                    basis: "backtest file".to_owned(),
                })
            })
            .collect(),
        model,
        // No agreement stops the bargaining early: with a tolerance of 0 an
        // agreement is signed only once every actor stands at the forecast.
        agreement: AgreementRule {
            implementation: None,
            tolerance: 0.0,
            forecast: ForecastKind::Mean,
            basis: None,
        },
        ..Scenario::empty("backtest", &format!("issues {title}"), start, rounds)
    }
}

/// The cases grouped as a subject plays them: each alone, or the issues of
/// one proposal together (in the order proposals first appear).
fn groups(cases: &[Case], by_proposal: bool) -> Vec<Vec<usize>> {
    if !by_proposal {
        return (0..cases.len()).map(|k| vec![k]).collect();
    }
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for (k, case) in cases.iter().enumerate() {
        match groups.iter_mut().find(|(p, _)| *p == case.proposal) {
            Some((_, members)) => members.push(k),
            None => groups.push((&case.proposal, vec![k])),
        }
    }
    groups.into_iter().map(|(_, members)| members).collect()
}

/// Plays every subject on every case and scores them.
pub fn backtest(cases: &[Case], options: Options) -> Result<Backtest> {
    options.check()?;
    let rows = play(cases, options, 0..cases.len() as u64)?;
    finish(cases.len(), options, rows)
}

/// Each subject's rows: (case index, row).
pub type Rows = Vec<Vec<(usize, Row)>>;

/// Shard `shard` of a backtest: every subject played on the shard's slice
/// of the issues (a proposal's issues, played together, go with its first),
/// the rows kept for `entente merge`, which scores them all at once.
pub fn backtest_part(
    cases: &[Case],
    options: Options,
    file: &str,
    shard: (u64, u64),
) -> Result<Part<Rows>> {
    options.check()?;
    let all = 0..cases.len() as u64;
    let rows = play(cases, options, crate::shard::units(&all, Some(shard)))?;
    // The cases by name and content: parts of another file do not merge.
    let settings = serde_json::json!({
        "file": file,
        "cases_sha256": parts::digest(&cases),
        "rounds": options.rounds,
        "bootstrap": options.bootstrap,
        "seed": options.seed,
    });
    Ok(Part::new(Kind::Backtest, shard, all, settings, rows))
}

/// The backtest the unsharded command gives, from every shard's rows.
pub fn merge(parts: &[Part<Rows>]) -> Result<Backtest> {
    let Some(first) = parts.first() else {
        return Err(Error::Usage("merge: no parts given".to_owned()));
    };
    let setting = |key: &str| first.settings.get(key).and_then(serde_json::Value::as_u64);
    let options = Options {
        rounds: setting("rounds")
            .and_then(|r| u32::try_from(r).ok())
            .unwrap_or(0),
        bootstrap: setting("bootstrap")
            .and_then(|b| u32::try_from(b).ok())
            .unwrap_or(0),
        seed: setting("seed").unwrap_or(0),
    };
    options.check()?;
    let issues = usize::try_from(first.planned.end).unwrap_or(usize::MAX);
    let subjects = Subject::all().len();
    if issues == 0 {
        return Err(Error::Usage(
            "merge: the backtest parts hold no issue".to_owned(),
        ));
    }
    let mut rows: Rows = vec![Vec::new(); subjects];
    // Which part each subject's rows came from, by issue.
    let mut held: Vec<Vec<(usize, usize)>> = vec![Vec::new(); subjects];
    for (p, part) in parts.iter().enumerate() {
        if part.data.len() != subjects {
            return Err(Error::Usage(format!(
                "merge: {} holds {} models where a backtest plays {subjects}",
                part.name(),
                part.data.len()
            )));
        }
        // A row's numbers are points of the scale. (A shard plays whole
        // proposals, which may reach past its slice of issues; that every
        // issue is held exactly once is checked over all parts below.)
        let within = |x: f64| x.is_finite() && (0.0..=100.0).contains(&x);
        for (_, row) in part.data.iter().flatten() {
            if !(within(row.mean) && within(row.median) && within(row.outcome)) {
                return Err(Error::Usage(format!(
                    "merge: {}: issue {} under {} has numbers off the 0–100 scale (mean {}, median {}, outcome {})",
                    part.name(),
                    row.issue,
                    row.model,
                    row.mean,
                    row.median,
                    row.outcome
                )));
            }
        }
        for ((mine, from), theirs) in rows.iter_mut().zip(&mut held).zip(&part.data) {
            mine.extend(theirs.iter().cloned());
            from.extend(theirs.iter().map(|(k, _)| (*k, p)));
        }
    }
    for ((subject, from), who) in rows.iter_mut().zip(&mut held).zip(Subject::all()) {
        subject.sort_by_key(|(k, _)| *k);
        from.sort_unstable();
        if let Some(why) = not_once(from, issues, parts) {
            return Err(Error::Usage(format!(
                "merge: the backtest parts do not hold every issue once: {why} under {}",
                who.name()
            )));
        }
    }
    // One issue, one outcome and one id, whatever the model.
    if let Some((first, others)) = rows.split_first() {
        for other in others {
            for ((_, a), (_, b)) in first.iter().zip(other) {
                if a.issue != b.issue || a.outcome != b.outcome {
                    return Err(Error::Usage(format!(
                        "merge: the backtest parts disagree on issue {} (outcome {} under {}, {} under {} as {})",
                        a.issue, a.outcome, a.model, b.outcome, b.model, b.issue
                    )));
                }
            }
        }
    }
    finish(issues, options, rows)
}

/// Why `held` (a subject's rows as (issue, part), sorted) does not hold
/// each of `issues` issues once, naming the parts; `None` if it does.
fn not_once(held: &[(usize, usize)], issues: usize, parts: &[Part<Rows>]) -> Option<String> {
    let name = |p: usize| parts.get(p).map_or_else(String::new, Part::name);
    if let Some(&(k, p)) = held.iter().find(|(k, _)| *k >= issues) {
        return Some(format!("{} holds issue {k} of only {issues}", name(p)));
    }
    if let Some(pair) = held.windows(2).find(|w| w[0].0 == w[1].0) {
        return Some(format!(
            "issue {} is held by {} and by {}",
            pair[0].0,
            name(pair[0].1),
            name(pair[1].1)
        ));
    }
    let missing = (0..issues).find(|&k| held.get(k).is_none_or(|(i, _)| *i != k))?;
    // The part whose slice holds the issue (a proposal played together
    // goes with its first issue's part).
    let owner = parts
        .iter()
        .find(|p| (p.units.start..p.units.end).contains(&(missing as u64)))
        .map_or_else(|| "no part".to_owned(), Part::name);
    Some(format!(
        "issue {missing} is in no part (it is in the slice of {owner})"
    ))
}

/// Plays every subject on the groups of cases whose first case is in
/// `units`.
fn play(cases: &[Case], options: Options, units: Range<u64>) -> Result<Rows> {
    let mut per_subject = Vec::new();
    for subject in Subject::all() {
        let groups: Vec<Vec<usize>> = groups(cases, subject.by_proposal())
            .into_iter()
            .filter(|members| units.contains(&(members[0] as u64)))
            .collect();
        let played: Vec<Vec<(usize, Row)>> = groups
            .par_iter()
            .map(|members| forecast(cases, members, subject, options.rounds))
            .collect::<Result<_>>()?;
        let mut rows: Vec<(usize, Row)> = played.into_iter().flatten().collect();
        rows.sort_by_key(|(k, _)| *k);
        per_subject.push(rows);
    }
    Ok(per_subject)
}

/// Scores every subject's rows (each subject's every case, in order).
fn finish(issues: usize, options: Options, per_subject: Rows) -> Result<Backtest> {
    let subjects = Subject::all();
    let per_subject: Vec<Vec<Row>> = per_subject
        .into_iter()
        .map(|rows| rows.into_iter().map(|(_, row)| row).collect())
        .collect();
    // Every subject's errors under each forecast, issue by issue; the
    // first is the baseline, round 0's weighted mean.
    let mut errors: Vec<(String, &str, Vec<f64>)> = Vec::new();
    for (subject, rows) in subjects.iter().zip(&per_subject) {
        for (forecast, pick) in [
            ("mean", (|r: &Row| r.mean) as fn(&Row) -> f64),
            ("median", |r: &Row| r.median),
        ] {
            let e = rows.iter().map(|r| (pick(r) - r.outcome).abs()).collect();
            errors.push((subject.name(), forecast, e));
        }
    }
    let opening = errors[0].2.clone();
    let scores = errors
        .iter()
        .enumerate()
        .map(|(k, (name, forecast, e))| {
            let mut sc = score(name, forecast, e, options);
            if k > 0 {
                sc.against_opening_mean = Some(difference(
                    e,
                    &opening,
                    options,
                    &format!("{name}/{forecast}"),
                ));
            }
            sc
        })
        .collect();
    let proposals: Vec<&str> = per_subject
        .first()
        .map(|rows| rows.iter().map(|r| r.proposal.as_str()).collect())
        .unwrap_or_default();
    let cross_validated = cross_validate(&errors, &proposals, options);
    // Rows issue by issue, each issue's subjects in order.
    let rows = (0..issues)
        .flat_map(|k| per_subject.iter().map(move |rows| rows[k].clone()))
        .collect();
    Ok(Backtest {
        issues,
        rounds: options.rounds,
        bootstrap: options.bootstrap,
        seed: options.seed,
        scores,
        cross_validated,
        rows,
    })
}

/// Plays `subject` on the cases `members` (one, or one proposal's) and
/// returns each case's row. A model that cannot play them (the spatial
/// model with fewer than three actors) leaves the opening forecasts.
fn forecast(
    cases: &[Case],
    members: &[usize],
    subject: Subject,
    rounds: u32,
) -> Result<Vec<(usize, Row)>> {
    let group: Vec<&Case> = members.iter().map(|&k| &cases[k]).collect();
    let model = subject.model().unwrap_or_default();
    let s = scenario(&group, model, rounds);
    let mut opening = subject.model().is_none();
    let problems = s.problems();
    if !problems.is_empty() {
        let plain = scenario(&group, ModelConfig::default(), rounds);
        if subject.model().is_none() || !plain.problems().is_empty() {
            return Err(Error::Usage(format!(
                "issue {}: {}",
                group[0].id, problems[0]
            )));
        }
        // The data are sound, but this model cannot play them.
        opening = true;
    }
    let row = |k: usize, (mean, median): (f64, f64)| {
        (
            members[k],
            Row {
                issue: group[k].id.clone(),
                model: subject.name(),
                mean,
                median,
                outcome: group[k].outcome,
                proposal: group[k].proposal.clone(),
            },
        )
    };
    if opening {
        let state = entente_core::State::new(&s);
        return Ok((0..group.len())
            .map(|k| row(k, (state.mean(k), state.median(k))))
            .collect());
    }
    let mut run = Run::new(&s, RunConfig::default())?;
    for event in run.by_ref() {
        event?;
    }
    // A cycling run's forecast is its cycle's mean, as every run reports.
    let state = run.state();
    Ok((0..group.len())
        .map(|k| {
            let f = state.final_forecasts(k);
            row(k, (f.mean, f.median))
        })
        .collect())
}

/// `errors` − `baseline` in MAE, with the 95% interval of the difference
/// over resamples of the issues (the same issues for both), from a stream
/// keyed by the seed and `key`.
fn difference(errors: &[f64], baseline: &[f64], options: Options, key: &str) -> Difference {
    let n = errors.len();
    let diffs: Vec<f64> = errors.iter().zip(baseline).map(|(a, b)| a - b).collect();
    let mean = |sum: f64| if n == 0 { 0.0 } else { sum / n as f64 };
    let mut stream = Stream::new(options.seed, "bootstrap-difference", key, 0);
    let resampled: Vec<f64> = (0..options.bootstrap)
        .map(|_| mean((0..n).map(|_| diffs[stream.below(n as u64) as usize]).sum()))
        .collect();
    Difference {
        mae: mean(diffs.iter().sum()),
        interval: crate::stats::interval95(resampled).unwrap_or((0.0, 0.0)),
    }
}

/// Chooses on each half of the proposals the model and forecast with the
/// lowest MAE there, and scores it on the other half. Proposals go to the
/// halves alternately in the order they first appear; ties go to the
/// subject listed first.
fn cross_validate(
    errors: &[(String, &str, Vec<f64>)],
    proposals: &[&str],
    options: Options,
) -> Option<CrossValidated> {
    let mut order: Vec<&str> = Vec::new();
    for p in proposals {
        if !order.contains(p) {
            order.push(p);
        }
    }
    if order.len() < 2 {
        return None;
    }
    let half: Vec<usize> = proposals
        .iter()
        .map(|p| order.iter().position(|q| q == p).unwrap_or(0) % 2)
        .collect();
    let mae_on = |e: &[f64], h: usize| {
        let (sum, n) = e
            .iter()
            .zip(&half)
            .filter(|(_, k)| **k == h)
            .fold((0.0, 0usize), |(s, n), (x, _)| (s + x, n + 1));
        if n == 0 { 0.0 } else { sum / n as f64 }
    };
    let best_on = |h: usize| {
        let mut best = 0;
        for (k, (_, _, e)) in errors.iter().enumerate() {
            if mae_on(e, h) < mae_on(&errors[best].2, h) {
                best = k;
            }
        }
        best
    };
    let chosen = [best_on(0), best_on(1)];
    // Each issue forecast by the choice made on the other half.
    let held_out: Vec<f64> = half
        .iter()
        .enumerate()
        .map(|(i, &h)| errors[chosen[1 - h]].2[i])
        .collect();
    let name = |k: usize| format!("{} ({})", errors[k].0, errors[k].1);
    let n = held_out.len();
    Some(CrossValidated {
        chosen: [name(chosen[0]), name(chosen[1])],
        issues: [
            half.iter().filter(|&&h| h == 0).count(),
            half.iter().filter(|&&h| h == 1).count(),
        ],
        held_out_mae: [
            mae_on(&errors[chosen[0]].2, 1),
            mae_on(&errors[chosen[1]].2, 0),
        ],
        mae: held_out.iter().sum::<f64>() / n as f64,
        against_opening_mean: difference(&held_out, &errors[0].2, options, "cross-validated"),
    })
}

fn score(model: &str, forecast: &str, errors: &[f64], options: Options) -> Score {
    let n = errors.len();
    let mae = |e: &[f64]| {
        if e.is_empty() {
            0.0
        } else {
            e.iter().sum::<f64>() / e.len() as f64
        }
    };
    let mut sorted = errors.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median_error = if n == 0 {
        0.0
    } else if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    // Bootstrap: resample the issues with replacement, from a stream keyed
    // by the seed and the model, so every row's interval is reproducible.
    let mut stream = Stream::new(options.seed, "bootstrap", &format!("{model}/{forecast}"), 0);
    let maes: Vec<f64> = (0..options.bootstrap)
        .map(|_| {
            let sum: f64 = (0..n)
                .map(|_| errors[stream.below(n as u64) as usize])
                .sum();
            sum / n.max(1) as f64
        })
        .collect();
    Score {
        model: model.to_owned(),
        forecast: forecast.to_owned(),
        issues: n,
        mae: mae(errors),
        median_error,
        within_10: errors.iter().filter(|&&e| e <= 10.0).count() as f64 / n.max(1) as f64,
        mae_interval: crate::stats::interval95(maes).unwrap_or((0.0, 0.0)),
        against_opening_mean: None,
    }
}

impl crate::render::Render for Backtest {
    /// What was scored, then the scores, the best MAE first.
    fn document(&self) -> crate::render::Document {
        use crate::render::{Block, Document, Table};
        let mut scores: Vec<&Score> = self.scores.iter().collect();
        scores.sort_by(|a, b| {
            a.mae
                .total_cmp(&b.mae)
                .then(a.model.cmp(&b.model))
                .then(a.forecast.cmp(&b.forecast))
        });
        let mut t = Table::new(&[
            "model",
            "forecast",
            ">MAE",
            ">95% interval",
            ">against the round-0 mean [95%]",
            ">median error",
            ">within 10 points",
        ]);
        for s in scores {
            t.row([
                s.model.clone(),
                if s.model.starts_with("round 0") {
                    format!("weighted {} (baseline)", s.forecast)
                } else {
                    format!("final weighted {}", s.forecast)
                },
                format!("{:.1}", s.mae),
                format!("{:.1}–{:.1}", s.mae_interval.0, s.mae_interval.1),
                s.against_opening_mean
                    .map_or_else(|| "—".to_owned(), |d| shown_difference(&d)),
                format!("{:.1}", s.median_error),
                format!("{:.0}%", 100.0 * s.within_10),
            ]);
        }
        Document {
            title: "Backtest against known outcomes".to_owned(),
            meta: Vec::new(),
            blocks: vec![
                Block::Paragraph(
                    format!(
                        "{} issues with an outcome, {} rounds per model, MAE intervals from {} bootstrap resamples (seed {}).",
                        self.issues, self.rounds, self.bootstrap, self.seed
                    )
                    .into(),
                ),
                t.into(),
            ]
            .into_iter()
            .chain(self.cross_validated.as_ref().map(|cv| {
                Block::Paragraph(
                    format!(
                        "Out of sample: the proposals split in two halves (alternately, in file order; {} and {} issues), the model and forecast with the lowest MAE on one half scored on the other. Chosen on the first half: {}, MAE {:.1} on the second; on the second: {}, MAE {:.1} on the first. Every issue so forecast: MAE {:.1}, against the round-0 mean {}.",
                        cv.issues[0],
                        cv.issues[1],
                        cv.chosen[0],
                        cv.held_out_mae[0],
                        cv.chosen[1],
                        cv.held_out_mae[1],
                        cv.mae,
                        shown_difference(&cv.against_opening_mean)
                    )
                    .into(),
                )
            }))
            .collect(),
        }
    }

    fn json(&self) -> String {
        crate::render::stamped_json(self)
    }
}

impl Backtest {
    /// One CSV row per issue and model.
    pub fn csv(&self) -> String {
        let mut out = format!("{CSV_HEADER}\n");
        for r in &self.rows {
            out.push_str(&format!(
                "{},\"{}\",{},{},{},{},{}\n",
                r.issue,
                r.model,
                r.mean,
                r.median,
                r.outcome,
                (r.mean - r.outcome).abs(),
                (r.median - r.outcome).abs()
            ));
        }
        out
    }
}

/// A difference of MAEs as tables show it: `+0.1 [−0.5, +0.7]`.
fn shown_difference(d: &Difference) -> String {
    format!("{:+.1} [{:+.1}, {:+.1}]", d.mae, d.interval.0, d.interval.1)
}
