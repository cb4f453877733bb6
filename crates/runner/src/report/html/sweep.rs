//! The HTML page of a sweep.

use std::fmt::Write as _;

use super::charts::{distribution_chart, probability_chart};
use super::{escape, figure, page};
use crate::error::Result;
use crate::sweep::SweepOutput;

/// The HTML report of a sweep.
pub fn sweep_page(sweep: &SweepOutput) -> Result<String> {
    let mut body = String::new();
    let names: Vec<&str> = sweep.variants.iter().map(|v| v.scenario.as_str()).collect();
    let _ = write!(
        body,
        "<header>\n<h1>Sweep of {}</h1>\n<dl class=\"meta\">\n<dt>seeds</dt><dd>{}..{} ({} runs{})</dd>\n<dt>rounds</dt><dd>{}</dd>\n<dt>engine</dt><dd>entente {}</dd>\n</dl>\n</header>\n",
        escape(&names.join(" vs ")),
        sweep.seeds.start,
        sweep.seeds.end,
        sweep.runs,
        if names.len() > 1 { " each" } else { "" },
        sweep
            .rounds
            .map_or("the scenario's".to_owned(), |r| r.to_string()),
        escape(&sweep.engine)
    );
    if let Some(p) = &sweep.partial {
        let _ = writeln!(
            body,
            "<p class=\"partial\"><strong>Partial sweep: {}.</strong> The figures cover those runs alone, not the whole sweep.</p>",
            escape(&p.describe())
        );
    }
    for (v, variant) in sweep.variants.iter().enumerate() {
        let _ = write!(
            body,
            "<section id=\"variant-{v}\">\n<h2>{}</h2>\n",
            escape(&variant.scenario)
        );
        let rows: Vec<(String, f64, (f64, f64))> = variant
            .outcomes
            .iter()
            .map(|o| (o.outcome.clone(), o.probability, o.interval))
            .collect();
        figure(
            &mut body,
            &format!("outcomes-{v}"),
            &probability_chart(&format!("{}: outcomes", variant.scenario), &rows)?,
            "Each outcome's probability over the seeds, with its 95% Wilson interval.",
        );
        body.push_str("<table>\n<tr><th>outcome</th><th>count</th><th>probability</th><th>95% interval</th><th>first round p10 / p50 / p90</th></tr>\n");
        for o in &variant.outcomes {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td><td class=\"n\">{:.1}–{:.1}%</td><td class=\"n\">{}</td></tr>",
                escape(&o.outcome),
                o.count,
                100.0 * o.probability,
                100.0 * o.interval.0,
                100.0 * o.interval.1,
                o.first_round.as_ref().map_or("–".to_owned(), |f| format!(
                    "{} / {} / {}",
                    f.p10, f.p50, f.p90
                ))
            );
        }
        body.push_str("</table>\n");
        for issue in &variant.issues {
            let Some(d) = variant.aggregates.issues.get(&issue.issue) else {
                continue;
            };
            let m = &issue.final_mean;
            let f = |x: Option<f64>| x.map_or("–".to_owned(), |x| format!("{x:.1}"));
            figure(
                &mut body,
                &format!("distribution-{v}-{}", issue.issue),
                &distribution_chart(&issue.issue, &d.histogram)?,
                &format!(
                    "<strong>{}</strong>: final weighted mean {} ± {} (5th percentile {}, median {}, 95th percentile {}).",
                    escape(&issue.issue),
                    f(m.mean),
                    f(m.sd),
                    f(m.p5),
                    f(m.p50),
                    f(m.p95)
                ),
            );
        }
        body.push_str("</section>\n");
    }
    if !sweep.paired.is_empty() {
        body.push_str("<section id=\"paired\">\n<h2>B − A, paired by seed</h2>\n<table>\n<tr><th>outcome</th><th>A</th><th>B</th><th>B − A</th><th>95% interval (Newcombe)</th></tr>\n");
        for p in &sweep.paired {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td class=\"n\">{:.1}%</td><td class=\"n\">{:.1}%</td><td class=\"n\">{:+.1}</td><td class=\"n\">{:+.1} to {:+.1}</td></tr>",
                escape(&p.outcome),
                100.0 * p.p_a,
                100.0 * p.p_b,
                100.0 * p.difference,
                100.0 * p.interval.0,
                100.0 * p.interval.1
            );
        }
        body.push_str("</table>\n</section>\n");
    }
    Ok(page(&format!("Sweep of {}", names.join(" vs ")), &body))
}
