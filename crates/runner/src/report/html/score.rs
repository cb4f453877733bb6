//! The HTML page of a score against history.

use std::fmt::Write as _;

use super::charts::reliability_chart;
use super::{escape, figure, page};
use crate::error::Result;
use crate::score::ScoreOutput;
use crate::score::output::verdict;

/// The HTML report of `entente score`.
pub fn score_page(score: &ScoreOutput) -> Result<String> {
    let mut body = String::new();
    let o = &score.overall;
    let _ = write!(
        body,
        "<header>\n<h1>Forecasts against history</h1>\n<dl class=\"meta\">\n<dt>model</dt><dd>{}</dd>\n<dt>seeds</dt><dd>{}..{}</dd>\n<dt>all files</dt><dd>Brier {:.3}, log {:.3} over {} propositions; no skill: Brier {:.3}, log {:.3} ({})</dd>\n</dl>\n</header>\n",
        escape(&score.model),
        score.seeds.0,
        score.seeds.1,
        o.brier,
        o.log,
        o.propositions,
        o.no_skill_brier,
        o.no_skill_log,
        verdict(o)
    );
    body.push_str("<section id=\"reliability\">\n<h2>Reliability</h2>\n");
    figure(
        &mut body,
        "reliability-chart",
        &reliability_chart(&score.reliability)?,
        "Forecast probability (bin mean) against observed frequency, with the number of propositions in each bin.",
    );
    body.push_str("<table>\n<tr><th>forecast bin</th><th>propositions</th><th>mean forecast</th><th>observed</th></tr>\n");
    for b in score.reliability.iter().filter(|b| b.count > 0) {
        let _ = writeln!(
            body,
            "<tr><td>{:.0}–{:.0}%</td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td><td class=\"n\">{:.1}%</td></tr>",
            100.0 * b.from,
            100.0 * b.to,
            b.count,
            100.0 * b.predicted.unwrap_or(0.0),
            100.0 * b.observed.unwrap_or(0.0)
        );
    }
    body.push_str("</table>\n</section>\n");
    for (k, f) in score.files.iter().enumerate() {
        let _ = write!(
            body,
            "<section id=\"file-{k}\">\n<h2>{} ({})</h2>\n<p>Brier {:.3}, log {:.3} over {} propositions and {} runs.</p>\n<table>\n<tr><th>proposition</th><th>outcome</th><th>by round</th><th>forecast</th><th>95% interval</th><th>happened</th><th>Brier</th></tr>\n",
            escape(&f.history),
            escape(&f.scenario),
            f.brier,
            f.log,
            f.propositions.len(),
            f.runs
        );
        for p in &f.propositions {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{:.1}%</td><td class=\"n\">{:.1}–{:.1}%</td><td>{}</td><td class=\"n\">{:.3}</td></tr>",
                escape(&p.id),
                escape(&p.outcome),
                p.by_round,
                100.0 * p.probability,
                100.0 * p.interval.0,
                100.0 * p.interval.1,
                if p.happened { "yes" } else { "no" },
                p.brier
            );
        }
        body.push_str("</table>\n</section>\n");
    }
    Ok(page("Forecasts against history", &body))
}
