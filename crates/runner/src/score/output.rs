//! A score's output: per file and over all files, with a reliability table,
//! as text, Markdown, JSON or HTML.

use std::fmt::Write as _;

use serde::Serialize;

use super::{FileScore, log_loss};

/// Bins of the reliability table: predicted probability in tenths.
pub const BINS: usize = 10;

/// The output of `entente score`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScoreOutput {
    /// The model the scenarios were played under.
    pub model: String,
    /// Seeds: [start, end).
    pub seeds: (u64, u64),
    /// Per history file.
    pub files: Vec<FileScore>,
    /// Over every proposition of every file.
    pub overall: Overall,
    /// Predicted against observed, over every proposition.
    pub reliability: Vec<Bin>,
}

/// Scores over every proposition, beside the no-skill forecaster's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overall {
    /// Propositions.
    pub propositions: usize,
    /// Mean Brier score.
    pub brier: f64,
    /// Mean log score.
    pub log: f64,
    /// The Brier score of 0.5 everywhere: 0.25.
    pub no_skill_brier: f64,
    /// The log score of 0.5 everywhere: ln 2.
    pub no_skill_log: f64,
}

/// One bin of the reliability table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge of the predicted probability (inclusive).
    pub from: f64,
    /// Upper edge (exclusive; the last bin includes 1).
    pub to: f64,
    /// Propositions forecast in the bin.
    pub count: usize,
    /// Their mean forecast.
    pub predicted: Option<f64>,
    /// The share of them that happened.
    pub observed: Option<f64>,
}

pub(super) fn summarise(model: &str, seeds: (u64, u64), mut files: Vec<FileScore>) -> ScoreOutput {
    for f in &mut files {
        f.model = model.to_owned();
    }
    let all: Vec<(f64, bool)> = files
        .iter()
        .flat_map(|f| f.propositions.iter().map(|p| (p.probability, p.happened)))
        .collect();
    let n = all.len();
    let mean = |f: &dyn Fn(&(f64, bool)) -> f64| {
        if n == 0 {
            0.0
        } else {
            all.iter().map(f).sum::<f64>() / n as f64
        }
    };
    let overall = Overall {
        propositions: n,
        brier: mean(&|&(p, y)| (p - f64::from(u8::from(y))).powi(2)),
        log: mean(&|&(p, y)| log_loss(p, y)),
        no_skill_brier: 0.25,
        no_skill_log: std::f64::consts::LN_2,
    };
    ScoreOutput {
        model: model.to_owned(),
        seeds,
        files,
        overall,
        reliability: reliability(&all),
    }
}

fn reliability(all: &[(f64, bool)]) -> Vec<Bin> {
    (0..BINS)
        .map(|b| {
            let (from, to) = (b as f64 / BINS as f64, (b + 1) as f64 / BINS as f64);
            let inside: Vec<&(f64, bool)> = all
                .iter()
                .filter(|(p, _)| {
                    let k = ((p * BINS as f64).floor() as usize).min(BINS - 1);
                    k == b
                })
                .collect();
            let count = inside.len();
            let share = |f: &dyn Fn(&(f64, bool)) -> f64| {
                (count > 0).then(|| inside.iter().map(|x| f(x)).sum::<f64>() / count as f64)
            };
            Bin {
                from,
                to,
                count,
                predicted: share(&|&(p, _)| p),
                observed: share(&|&(_, y)| f64::from(u8::from(y))),
            }
        })
        .collect()
}

impl ScoreOutput {
    /// As JSON.
    pub fn json(&self) -> String {
        format!(
            "{}\n",
            serde_json::to_string_pretty(self).unwrap_or_default()
        )
    }

    /// As text for the terminal.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} runs per scenario (seeds {}..{}), model: {}",
            self.seeds.1.saturating_sub(self.seeds.0),
            self.seeds.0,
            self.seeds.1,
            self.model
        );
        for f in &self.files {
            let _ = writeln!(out, "\n{} ({})", f.history, f.scenario);
            for p in &f.propositions {
                let _ = writeln!(
                    out,
                    "  {:<40} {:>6.1}% [{:>5.1}%, {:>5.1}%] by round {:>2}  {}  Brier {:.3}",
                    p.id,
                    100.0 * p.probability,
                    100.0 * p.interval.0,
                    100.0 * p.interval.1,
                    p.by_round,
                    if p.happened {
                        "happened    "
                    } else {
                        "did not     "
                    },
                    p.brier
                );
            }
            let _ = writeln!(
                out,
                "  Brier {:.3}, log {:.3} over {} propositions (no skill: 0.250, {:.3})",
                f.brier,
                f.log,
                f.propositions.len(),
                std::f64::consts::LN_2
            );
        }
        let o = &self.overall;
        let _ = writeln!(
            out,
            "\nAll files: Brier {:.3}, log {:.3} over {} propositions; no skill: Brier {:.3}, log {:.3} ({})",
            o.brier,
            o.log,
            o.propositions,
            o.no_skill_brier,
            o.no_skill_log,
            verdict(o)
        );
        let _ = writeln!(
            out,
            "Reliability (forecast bin: propositions, mean forecast, observed):"
        );
        for b in self.reliability.iter().filter(|b| b.count > 0) {
            let _ = writeln!(
                out,
                "  {:>3.0}–{:<3.0}%  {:>3}  {:>5.1}%  {:>5.1}%",
                100.0 * b.from,
                100.0 * b.to,
                b.count,
                100.0 * b.predicted.unwrap_or(0.0),
                100.0 * b.observed.unwrap_or(0.0)
            );
        }
        out
    }

    /// As Markdown.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# Forecasts against history\n\nModel: {}; seeds {}..{}.\n",
            self.model, self.seeds.0, self.seeds.1
        );
        for f in &self.files {
            let _ = write!(
                out,
                "\n## {} ({})\n\n| proposition | outcome | by round | forecast | 95% interval | happened | Brier |\n|---|---|---:|---:|---|---|---:|\n",
                f.history, f.scenario
            );
            for p in &f.propositions {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} | {:.1}% | {:.1}–{:.1}% | {} | {:.3} |",
                    p.id,
                    p.outcome,
                    p.by_round,
                    100.0 * p.probability,
                    100.0 * p.interval.0,
                    100.0 * p.interval.1,
                    if p.happened { "yes" } else { "no" },
                    p.brier
                );
            }
            let _ = writeln!(
                out,
                "\nBrier {:.3}, log {:.3} (no skill 0.250, {:.3}).",
                f.brier,
                f.log,
                std::f64::consts::LN_2
            );
        }
        let o = &self.overall;
        let _ = writeln!(
            out,
            "\n## All files\n\nBrier {:.3}, log {:.3} over {} propositions; no skill: Brier {:.3}, log {:.3}: {}.",
            o.brier,
            o.log,
            o.propositions,
            o.no_skill_brier,
            o.no_skill_log,
            verdict(o)
        );
        out
    }
}

/// How the forecasts compare with no skill, in words.
pub fn verdict(o: &Overall) -> &'static str {
    match (o.brier < o.no_skill_brier, o.log < o.no_skill_log) {
        (true, true) => "better than no skill on both scores",
        (false, false) => "no better than no skill",
        _ => "better than no skill on one score only",
    }
}
