//! A sensitivity analysis's output: per outcome and per issue, the inputs
//! ranked by how much they move it; told as a document or serialised.

use serde::Serialize;

use entente_core::Outcome;

use super::{Measured, Method, Plan, Raw, inputs};
use crate::render::chart::{BarRow, Bars, Chart, Kind};
use crate::render::{Block, Document, Figure, Inline, Item, Meta, Render, Section, Table};

/// The output of `entente sensitivity`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SensitivityOutput {
    /// The scenario's id.
    pub scenario: String,
    /// `oat` or `morris`.
    pub method: Method,
    /// The step.
    pub delta: f64,
    /// Seeds: [start, end).
    pub seeds: (u64, u64),
    /// Morris trajectories (0 for oat).
    pub trajectories: u32,
    /// Inputs perturbed.
    pub inputs: usize,
    /// Inputs whose perturbation made the scenario invalid.
    pub skipped: Vec<String>,
    /// Per outcome that some input moves: the inputs ranked.
    pub outcomes: Vec<Ranking>,
    /// Per issue: the inputs ranked by how much they move its final mean.
    pub issues: Vec<Ranking>,
}

/// The inputs that move one measure most, largest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ranking {
    /// An outcome key, or an issue id.
    pub measure: String,
    /// Its value in the scenario as written: a probability, or a final mean.
    pub base: f64,
    /// The inputs, ranked.
    pub rows: Vec<Row>,
}

/// One input's effect on one measure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// The input in words.
    pub input: String,
    /// oat: the measure with the input down, minus the base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub down: Option<f64>,
    /// oat: the measure with the input up, minus the base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub up: Option<f64>,
    /// oat: up − down; morris: μ*, the mean absolute elementary effect.
    pub effect: f64,
    /// oat, outcomes: the paired 95% Newcombe interval of up − down.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<(f64, f64)>,
    /// morris: σ of the elementary effects.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
}

pub(super) fn summarise(
    plan: &Plan,
    outcomes: &[Outcome],
    base: &Measured,
    rows: Vec<Option<Raw>>,
) -> SensitivityOutput {
    let s = &plan.scenario;
    let all = inputs(s);
    let skipped = rows
        .iter()
        .zip(&all)
        .filter(|(r, _)| r.is_none())
        .map(|(_, i)| i.name(s))
        .collect();
    let kept: Vec<&Raw> = rows.iter().flatten().collect();
    let rank =
        |measure: String, base: f64, cell: &dyn Fn(&Raw) -> super::Cell| -> Option<Ranking> {
            let mut rows: Vec<Row> = kept
                .iter()
                .map(|r| {
                    let c = cell(r);
                    Row {
                        input: all[r.input].name(s),
                        down: c.down,
                        up: c.up,
                        effect: c.effect,
                        interval: c.interval,
                        sigma: c.sigma,
                    }
                })
                .filter(|r| r.effect != 0.0)
                .collect();
            if rows.is_empty() {
                return None;
            }
            // Largest effect first; ties keep the inputs' order (a stable sort).
            rows.sort_by(|a, b| b.effect.abs().total_cmp(&a.effect.abs()));
            if plan.top > 0 {
                rows.truncate(plan.top);
            }
            Some(Ranking {
                measure,
                base,
                rows,
            })
        };
    let outcomes = outcomes
        .iter()
        .enumerate()
        .filter_map(|(o, key)| rank(key.key(), base.probability(o), &|r: &Raw| r.outcomes[o]))
        .collect();
    let issues = s
        .issues
        .iter()
        .enumerate()
        .filter_map(|(i, issue)| rank(issue.id.clone(), base.means[i], &|r: &Raw| r.issues[i]))
        .collect();
    SensitivityOutput {
        scenario: s.id.clone(),
        method: plan.method,
        delta: plan.delta,
        seeds: (plan.seeds.start, plan.seeds.end),
        trajectories: if plan.method == Method::Morris {
            plan.trajectories
        } else {
            0
        },
        inputs: all.len(),
        skipped,
        outcomes,
        issues,
    }
}

impl Render for SensitivityOutput {
    fn document(&self) -> Document {
        let mut blocks: Vec<Block> = Vec::new();
        for (k, r) in self.outcomes.iter().enumerate() {
            let mut s = Section::new(
                Some(format!("outcome-{k}")),
                Inline::plain("P(")
                    .then_code(&r.measure)
                    .then(format!(") = {:.1}%", 100.0 * r.base)),
            );
            s.paragraph(format!(
                "The {} assumption(s) that move it most.",
                r.rows.len()
            ));
            s.push(Block::figure(tornado(
                format!("tornado-outcome-{k}"),
                &format!("P({})", r.measure),
                &r.rows,
                100.0,
                "change in probability, points",
            )));
            s.push(self.table(&r.rows, true).into());
            blocks.push(s.into());
        }
        for (k, r) in self.issues.iter().enumerate() {
            let mut s = Section::new(
                Some(format!("issue-{k}")),
                Inline::plain("Final mean of ")
                    .then_code(&r.measure)
                    .then(format!(" = {:.1}", r.base)),
            );
            s.paragraph(format!(
                "The {} assumption(s) that move it most.",
                r.rows.len()
            ));
            s.push(Block::figure(tornado(
                format!("tornado-issue-{k}"),
                &format!("final mean of {}", r.measure),
                &r.rows,
                1.0,
                "change in the final weighted mean, points",
            )));
            s.push(self.table(&r.rows, false).into());
            blocks.push(s.into());
        }
        if !self.skipped.is_empty() {
            let mut s = Section::new(Some("skipped".to_owned()), "Skipped inputs");
            s.paragraph("The perturbed scenario was invalid for these inputs:");
            s.push(Block::List(
                self.skipped
                    .iter()
                    .map(|name| Item::new(name.clone()))
                    .collect(),
            ));
            blocks.push(s.into());
        }
        Document {
            title: format!("Sensitivity of {}", self.scenario),
            meta: vec![
                Meta::new(
                    "method",
                    match self.method {
                        Method::Oat => "one at a time, down and up".to_owned(),
                        Method::Morris => {
                            format!(
                                "Morris elementary effects, {} trajectories",
                                self.trajectories
                            )
                        }
                    },
                ),
                Meta::new("seeds", format!("{}..{}", self.seeds.0, self.seeds.1)),
                Meta::new(
                    "delta",
                    format!(
                        "{} (points; percent for salience and capability)",
                        self.delta
                    ),
                ),
                Meta::new(
                    "inputs",
                    format!("{} ({} skipped)", self.inputs, self.skipped.len()),
                ),
                Meta::new(
                    "effect",
                    match self.method {
                        Method::Oat => "up − down",
                        Method::Morris => "μ*, per unit of the range",
                    },
                ),
            ],
            blocks,
        }
    }

    fn json(&self) -> String {
        crate::render::stamped_json(self)
    }
}

impl SensitivityOutput {
    /// The inputs of one ranking as a table; `percent` for probabilities.
    fn table(&self, rows: &[Row], percent: bool) -> Table {
        let f = |x: f64| {
            if percent {
                format!("{:+.1} pts", 100.0 * x)
            } else {
                format!("{x:+.2}")
            }
        };
        let mut t = match self.method {
            Method::Oat => Table::new(&["input", ">effect", ">down", ">up", ">95% interval"]),
            Method::Morris => Table::new(&["input", ">μ*", ">σ"]),
        };
        for r in rows {
            let mut cells = vec![Inline::plain(r.input.clone()), f(r.effect).into()];
            match self.method {
                Method::Oat => {
                    cells.push(r.down.map_or("–".to_owned(), f).into());
                    cells.push(r.up.map_or("–".to_owned(), f).into());
                    cells.push(
                        r.interval
                            .map_or("–".to_owned(), |(lo, hi)| {
                                format!("[{}, {}]", f(lo), f(hi))
                            })
                            .into(),
                    );
                }
                Method::Morris => cells.push(
                    r.sigma
                        .map_or("–".to_owned(), |s| {
                            f(s).trim_start_matches('+').to_owned()
                        })
                        .into(),
                ),
            }
            t.rows.push(cells);
        }
        t
    }
}

/// A tornado chart: per input, a bar from the measure's change with the
/// input down to its change with the input up (oat), or a bar of μ*
/// (morris), largest on top.
fn tornado(id: String, title: &str, rows: &[Row], scale: f64, unit: &str) -> Figure {
    let extent = rows
        .iter()
        .flat_map(|r| [r.down.unwrap_or(0.0), r.up.unwrap_or(0.0), r.effect])
        .map(|x| (x * scale).abs())
        .fold(1e-9, f64::max);
    Figure {
        id,
        chart: Chart {
            title: title.to_owned(),
            alt: title.to_owned(),
            description: "One bar per input, largest effect on top: with two colours, the change with the input down (vermillion) and up (blue); with one, μ*, the mean absolute elementary effect.".to_owned(),
            height: 90 + 26 * rows.len() as u32,
            kind: Kind::Bars(Bars {
                unit: unit.to_owned(),
                from: -extent * 1.1,
                to: extent * 1.1,
                rows: rows
                    .iter()
                    .map(|r| BarRow {
                        label: r.input.clone(),
                        bars: match (r.down, r.up) {
                            (Some(d), Some(u)) => vec![(0.0, d * scale, 1), (0.0, u * scale, 0)],
                            _ => vec![(0.0, r.effect * scale, 0)],
                        },
                        whisker: None,
                    })
                    .collect(),
            }),
        },
        caption: "The inputs that move this measure most.".into(),
        data: None,
    }
}
