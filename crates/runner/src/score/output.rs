//! A score's output: per file and over all files, with a reliability table,
//! told as a document (text, Markdown, HTML) or serialised (JSON).

use serde::Serialize;

use super::baselines::{self, Baseline, Forecasts};
use super::{FileScore, log_loss};
use crate::render::chart::{Axis, Chart, Kind, Point, Points};
use crate::render::{Block, Document, Figure, Inline, Meta, Render, Section, Table};

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
    /// The same for the status quo's forecasts.
    pub reliability_status_quo: Vec<Bin>,
    /// The same for the base rates, when every file has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability_base_rate: Option<Vec<Bin>>,
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
    /// The baselines over every proposition, and the model's skill against
    /// each.
    pub baselines: Vec<Baseline>,
    /// The verdict against the status quo, in words.
    pub verdict: String,
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
    let rates = baselines::base_rates(&files);
    for (k, (f, rates)) in files.iter_mut().zip(rates).enumerate() {
        f.model = model.to_owned();
        for (i, p) in f.propositions.iter_mut().enumerate() {
            p.base_rate = rates.as_ref().map(|r| r[i]);
        }
        f.baselines = baselines::baselines(&forecasts(f), &format!("file {k}"));
    }
    let every: Vec<Forecasts> = files.iter().flat_map(forecasts).collect();
    let overall_baselines = baselines::baselines(&every, "overall");
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
        verdict: baselines::verdict(&overall_baselines),
        baselines: overall_baselines,
    };
    let pairs = |f: &dyn Fn(&Forecasts) -> Option<f64>| -> Option<Vec<(f64, bool)>> {
        every
            .iter()
            .map(|x| f(x).map(|p| (p, x.happened)))
            .collect()
    };
    ScoreOutput {
        model: model.to_owned(),
        seeds,
        files,
        overall,
        reliability: reliability(&all),
        reliability_status_quo: reliability(&pairs(&|x| Some(x.status_quo)).unwrap_or_default()),
        reliability_base_rate: pairs(&|x| x.base_rate)
            .filter(|v| !v.is_empty())
            .map(|v| reliability(&v)),
    }
}

/// A file's propositions as the skill scores see them.
fn forecasts(f: &FileScore) -> Vec<Forecasts> {
    f.propositions
        .iter()
        .map(|p| Forecasts {
            model: p.probability,
            status_quo: p.status_quo,
            base_rate: p.base_rate,
            happened: p.happened,
        })
        .collect()
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

impl Render for ScoreOutput {
    fn document(&self) -> Document {
        let o = &self.overall;
        let mut overall = Section::new(Some("overall".to_owned()), "All files");
        overall.paragraph(format!(
            "Brier {:.3}, log {:.3} over {} propositions: {}.",
            o.brier, o.log, o.propositions, o.verdict
        ));
        overall.push(baselines_table(o.brier, o.log, &o.baselines).into());
        let mut blocks = vec![overall.into(), reliability_section(self).into()];
        blocks.extend(
            self.files
                .iter()
                .enumerate()
                .map(|(k, f)| Block::from(file_section(k, f))),
        );
        Document {
            title: "Forecasts against history".to_owned(),
            meta: vec![
                Meta::new("model", self.model.clone()),
                Meta::new("seeds", format!("{}..{}", self.seeds.0, self.seeds.1)),
                Meta::new(
                    "runs",
                    format!("{} per scenario", self.seeds.1.saturating_sub(self.seeds.0)),
                ),
            ],
            blocks,
        }
    }

    fn json(&self) -> String {
        crate::render::stamped_json(self)
    }
}

fn file_section(k: usize, f: &FileScore) -> Section {
    let mut s = Section::new(
        Some(format!("file-{k}")),
        Inline::plain(format!("{} (", f.history))
            .then_code(&f.scenario)
            .then(")"),
    );
    let mut t = Table::new(&[
        "proposition",
        "outcome",
        ">by round",
        ">forecast",
        ">95% interval",
        ">status quo",
        ">base rate",
        "happened",
        ">Brier",
    ]);
    for p in &f.propositions {
        t.rows.push(vec![
            p.id.clone().into(),
            Inline::code(&p.outcome),
            p.by_round.to_string().into(),
            format!("{:.1}%", 100.0 * p.probability).into(),
            format!(
                "[{:.1}%, {:.1}%]",
                100.0 * p.interval.0,
                100.0 * p.interval.1
            )
            .into(),
            format!("{:.1}%", 100.0 * p.status_quo).into(),
            p.base_rate
                .map_or_else(|| "—".to_owned(), |r| format!("{:.1}%", 100.0 * r))
                .into(),
            if p.happened { "yes" } else { "no" }.into(),
            format!("{:.3}", p.brier).into(),
        ]);
    }
    s.push(t.into());
    s.paragraph(format!(
        "Brier {:.3}, log {:.3} over {} propositions and {} runs: {}.",
        f.brier,
        f.log,
        f.propositions.len(),
        f.runs,
        baselines::verdict(&f.baselines)
    ));
    s.push(baselines_table(f.brier, f.log, &f.baselines).into());
    s
}

/// The model beside each baseline: scores, and the skill against it.
pub(super) fn baselines_table(brier: f64, log: f64, rows: &[Baseline]) -> Table {
    let mut t = Table::new(&[
        "forecaster",
        ">Brier",
        ">log",
        ">model's skill against it",
        ">95% interval",
    ]);
    t.row([
        "the model".to_owned(),
        format!("{brier:.3}"),
        format!("{log:.3}"),
        "—".to_owned(),
        "—".to_owned(),
    ]);
    for b in rows {
        t.row([
            b.name.clone(),
            format!("{:.3}", b.brier),
            format!("{:.3}", b.log),
            b.skill.map_or_else(
                || "none (a perfect baseline)".to_owned(),
                |s| format!("{s:+.3}"),
            ),
            b.interval.map_or_else(
                || "—".to_owned(),
                |(lo, hi)| format!("[{lo:+.3}, {hi:+.3}]"),
            ),
        ]);
    }
    t
}

fn reliability_section(score: &ScoreOutput) -> Section {
    let bins = &score.reliability;
    let mut s = Section::new(Some("reliability".to_owned()), "Reliability");
    let dots = |bins: &[Bin], who: &str| -> Vec<Point> {
        bins.iter()
            .filter(|b| b.count > 0)
            .filter_map(|b| {
                Some(Point {
                    x: 100.0 * b.predicted?,
                    y: 100.0 * b.observed?,
                    size: 4 + b.count.min(12) as u32,
                    label: format!("{who}n={}", b.count),
                })
            })
            .collect()
    };
    let mut points = dots(bins, "");
    points.extend(dots(&score.reliability_status_quo, "status quo, "));
    if let Some(rates) = &score.reliability_base_rate {
        points.extend(dots(rates, "base rate, "));
    }
    s.push(Block::figure(Figure {
        id: "reliability-chart".to_owned(),
        chart: Chart {
            title: "Reliability: forecast against what happened".to_owned(),
            alt: "Reliability".to_owned(),
            description: "Each dot is a bin of forecast probabilities: its mean forecast across, the share of its propositions that happened up; n is the number of propositions. Unlabelled dots are the model's; the baselines' dots are labelled (status quo, base rate). Dots on the diagonal are calibrated.".to_owned(),
            height: 380,
            kind: Kind::Points(Points {
                x: Axis::new("forecast probability, % (bin mean)", 0.0, 100.0),
                y: Axis::new("observed frequency, %", 0.0, 100.0),
                points,
                diagonal: true,
            }),
        },
        caption: "Forecast probability (bin mean) against observed frequency, with the number of propositions in each bin.".into(),
        data: None,
    }));
    let mut t = Table::new(&[
        "forecast bin",
        ">propositions",
        ">mean forecast",
        ">observed",
    ]);
    for b in bins.iter().filter(|b| b.count > 0) {
        t.row([
            format!("{:.0}–{:.0}%", 100.0 * b.from, 100.0 * b.to),
            b.count.to_string(),
            format!("{:.1}%", 100.0 * b.predicted.unwrap_or(0.0)),
            format!("{:.1}%", 100.0 * b.observed.unwrap_or(0.0)),
        ]);
    }
    s.push(t.into());
    s
}
