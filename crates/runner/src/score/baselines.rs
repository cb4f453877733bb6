//! The forecasts a sceptic makes for free, and the model's skill against
//! them.
//!
//! Three baselines forecast every proposition a score judges:
//!
//! - **status quo**: the share of runs of the same scenario, on the same
//!   seeds, with bargaining switched off (`--model frozen`: the timeline,
//!   the uncertainty draws and the mechanisms as written) in which it came
//!   true: the simulator's own null model;
//! - **base rate**: the share of propositions of its kind (the outcome key
//!   before its first `:`, e.g. `agreement`, `ceasefire_collapsed`) that
//!   happened in the *other* crises of the score (files of another
//!   scenario), so it never sees its own answer; a kind no other crisis
//!   states takes the share over all their propositions. A score of one
//!   crisis has no other, and no base rate;
//! - **no skill**: 0.5 everywhere.
//!
//! Against each, the Brier skill score 1 − B/B₀ (B the model's mean Brier
//! score, B₀ the baseline's; positive when the model is better), with a 95%
//! percentile interval from [`BOOTSTRAP`] resamples of the propositions
//! (with replacement, from a keyed stream: the same files give the same
//! interval). The verdict in words is made from the skill against the
//! status quo.

use serde::{Deserialize, Serialize};

use entente_core::Stream;

use super::{FileScore, log_loss};

/// Bootstrap resamples of a skill score's interval.
pub const BOOTSTRAP: u32 = 2_000;
/// The seed of the bootstrap's streams.
pub const BOOTSTRAP_SEED: u64 = 2015;

/// The names of the baselines, in the order tables list them.
pub const STATUS_QUO: &str = "status quo";
/// See [`STATUS_QUO`].
pub const BASE_RATE: &str = "base rate";
/// See [`STATUS_QUO`].
pub const NO_SKILL: &str = "no skill";

/// A baseline's scores over a set of propositions, and the model's skill
/// against it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// `status quo`, `base rate` or `no skill`.
    pub name: String,
    /// Its mean Brier score.
    pub brier: f64,
    /// Its mean log score.
    pub log: f64,
    /// The model's Brier skill score against it: 1 − B/B₀; none when the
    /// baseline is perfect (B₀ = 0).
    pub skill: Option<f64>,
    /// 95% bootstrap interval of the skill score.
    pub interval: Option<(f64, f64)>,
}

/// The base rate of each proposition of `files[i]`, from the other crises'
/// propositions; `None` for a file whose scenario is the only one.
pub(super) fn base_rates(files: &[FileScore]) -> Vec<Option<Vec<f64>>> {
    files
        .iter()
        .map(|own| {
            let others: Vec<(&str, bool)> = files
                .iter()
                .filter(|f| f.scenario != own.scenario)
                .flat_map(|f| {
                    f.propositions
                        .iter()
                        .map(|p| (kind(&p.outcome), p.happened))
                })
                .collect();
            if others.is_empty() {
                return None;
            }
            let share = |of: &[&(&str, bool)]| {
                of.iter().filter(|(_, h)| *h).count() as f64 / of.len() as f64
            };
            let pooled = share(&others.iter().collect::<Vec<_>>());
            Some(
                own.propositions
                    .iter()
                    .map(|p| {
                        let same: Vec<&(&str, bool)> = others
                            .iter()
                            .filter(|(k, _)| *k == kind(&p.outcome))
                            .collect();
                        if same.is_empty() {
                            pooled
                        } else {
                            share(&same)
                        }
                    })
                    .collect(),
            )
        })
        .collect()
}

/// A proposition's kind: its outcome key before the first `:`.
pub fn kind(outcome: &str) -> &str {
    outcome.split(':').next().unwrap_or(outcome)
}

/// One proposition as the skill scores see it: the model's forecast, each
/// baseline's, and what happened.
#[derive(Clone, Copy, Debug)]
pub(super) struct Forecasts {
    pub model: f64,
    pub status_quo: f64,
    pub base_rate: Option<f64>,
    pub happened: bool,
}

/// The baselines over `props`, each with the model's skill against it;
/// `subject` keys the bootstrap's stream (a file's index, or `overall`).
pub(super) fn baselines(props: &[Forecasts], subject: &str) -> Vec<Baseline> {
    let mut out = vec![baseline(props, STATUS_QUO, subject, |f| Some(f.status_quo))];
    if props.iter().all(|f| f.base_rate.is_some()) && !props.is_empty() {
        out.push(baseline(props, BASE_RATE, subject, |f| f.base_rate));
    }
    out.push(baseline(props, NO_SKILL, subject, |_| Some(0.5)));
    out
}

fn brier(p: f64, happened: bool) -> f64 {
    let y = if happened { 1.0 } else { 0.0 };
    (p - y) * (p - y)
}

fn baseline(
    props: &[Forecasts],
    name: &str,
    subject: &str,
    forecast: impl Fn(&Forecasts) -> Option<f64>,
) -> Baseline {
    let n = props.len();
    let pairs: Vec<(f64, f64)> = props
        .iter()
        .map(|f| {
            let b0 = forecast(f).unwrap_or(0.5);
            (brier(f.model, f.happened), brier(b0, f.happened))
        })
        .collect();
    let mean = |xs: &mut dyn Iterator<Item = f64>| {
        if n == 0 {
            0.0
        } else {
            xs.sum::<f64>() / n as f64
        }
    };
    let b0 = mean(&mut pairs.iter().map(|p| p.1));
    let log = mean(
        &mut props
            .iter()
            .map(|f| log_loss(forecast(f).unwrap_or(0.5), f.happened)),
    );
    let skill_of =
        |sum_model: f64, sum_base: f64| (sum_base > 0.0).then(|| 1.0 - sum_model / sum_base);
    let skill = skill_of(
        pairs.iter().map(|p| p.0).sum(),
        pairs.iter().map(|p| p.1).sum(),
    );
    Baseline {
        name: name.to_owned(),
        brier: b0,
        log,
        skill,
        interval: skill.and_then(|_| interval(&pairs, name, subject)),
    }
}

/// The 95% percentile interval of 1 − ΣB/ΣB₀ over resamples of the
/// propositions; resamples whose baseline is perfect are left out.
fn interval(pairs: &[(f64, f64)], name: &str, subject: &str) -> Option<(f64, f64)> {
    let n = pairs.len() as u64;
    let mut stream = Stream::of_parts(BOOTSTRAP_SEED, "score-bootstrap", &[subject, name], 0);
    let skills: Vec<f64> = (0..BOOTSTRAP)
        .filter_map(|_| {
            let (mut m, mut b) = (0.0, 0.0);
            for _ in 0..n {
                let (pm, pb) = pairs[stream.below(n) as usize];
                m += pm;
                b += pb;
            }
            (b > 0.0).then(|| 1.0 - m / b)
        })
        .collect();
    crate::stats::interval95(skills)
}

/// The verdict against the status quo, in words: better or worse when the
/// skill's interval lies above or below zero, otherwise undecided.
pub fn verdict(baselines: &[Baseline]) -> String {
    let Some(sq) = baselines.iter().find(|b| b.name == STATUS_QUO) else {
        return "no status quo to judge against".to_owned();
    };
    match (sq.skill, sq.interval) {
        (None, _) => {
            "the status quo forecast every proposition perfectly; no model can beat it".to_owned()
        }
        (Some(s), Some((lo, _))) if lo > 0.0 => {
            format!("better than the status quo (skill {s:+.2}, its interval above zero)")
        }
        (Some(s), Some((_, hi))) if hi < 0.0 => {
            format!("worse than the status quo (skill {s:+.2}, its interval below zero)")
        }
        (Some(s), _) => format!(
            "not distinguishable from the status quo (skill {s:+.2}, its interval spans zero)"
        ),
    }
}
