//! A sensitivity analysis's output: per outcome and per issue, the inputs
//! ranked by how much they move it; as text, Markdown, JSON or HTML.

use std::fmt::Write as _;

use serde::Serialize;

use entente_core::Outcome;

use super::{Measured, Method, Plan, Raw, inputs};

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

impl SensitivityOutput {
    /// As JSON.
    pub fn json(&self) -> String {
        format!(
            "{}\n",
            serde_json::to_string_pretty(self).unwrap_or_default()
        )
    }

    fn heading(&self) -> String {
        format!(
            "{}: {} over seeds {}..{}, delta {} ({} inputs{}{})",
            self.scenario,
            match self.method {
                Method::Oat => "one at a time".to_owned(),
                Method::Morris => format!("Morris, {} trajectories", self.trajectories),
            },
            self.seeds.0,
            self.seeds.1,
            self.delta,
            self.inputs,
            if self.skipped.is_empty() {
                String::new()
            } else {
                format!(", {} skipped", self.skipped.len())
            },
            match self.method {
                Method::Oat => "; effect = up − down",
                Method::Morris => "; effect = μ*, per unit of the range",
            }
        )
    }

    fn row_text(&self, r: &Row, percent: bool) -> String {
        let f = |x: f64| {
            if percent {
                format!("{:+.1} pts", 100.0 * x)
            } else {
                format!("{x:+.2}")
            }
        };
        let mut t = format!("{:<44} {}", r.input, f(r.effect));
        if let (Some(d), Some(u)) = (r.down, r.up) {
            let _ = write!(t, "  (down {}, up {})", f(d), f(u));
        }
        if let Some((lo, hi)) = r.interval {
            let _ = write!(t, " [{}, {}]", f(lo), f(hi));
        }
        if let Some(sigma) = r.sigma {
            let _ = write!(t, "  σ {}", f(sigma).trim_start_matches('+'));
        }
        t
    }

    /// As text for the terminal.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n", self.heading());
        for r in &self.outcomes {
            let _ = writeln!(
                out,
                "\nP({}) = {:.1}%: the {} assumption(s) that move it most",
                r.measure,
                100.0 * r.base,
                r.rows.len()
            );
            for row in &r.rows {
                let _ = writeln!(out, "  {}", self.row_text(row, true));
            }
        }
        for r in &self.issues {
            let _ = writeln!(
                out,
                "\nfinal mean of {} = {:.1}: the {} assumption(s) that move it most",
                r.measure,
                r.base,
                r.rows.len()
            );
            for row in &r.rows {
                let _ = writeln!(out, "  {}", self.row_text(row, false));
            }
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(
                out,
                "\nskipped (the perturbed scenario was invalid): {}",
                self.skipped.join(", ")
            );
        }
        out
    }

    /// As Markdown.
    pub fn markdown(&self) -> String {
        let mut out = format!("# Sensitivity\n\n{}\n", self.heading());
        for (title, rankings, percent) in [
            ("Outcomes", &self.outcomes, true),
            ("Issues (final weighted mean)", &self.issues, false),
        ] {
            let _ = writeln!(out, "\n## {title}");
            for r in rankings {
                let _ = writeln!(
                    out,
                    "\n### {} (base {:.3})\n\n| input | effect |\n|---|---|",
                    r.measure, r.base
                );
                for row in &r.rows {
                    let text = self.row_text(row, percent);
                    let effect = text[row.input.len()..].trim().to_owned();
                    let _ = writeln!(out, "| {} | {} |", row.input, effect);
                }
            }
        }
        out
    }
}
