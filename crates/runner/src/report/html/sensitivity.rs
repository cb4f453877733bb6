//! The HTML page of a sensitivity analysis: a tornado chart per outcome and
//! per issue.

use std::fmt::Write as _;

use super::charts::tornado_chart;
use super::{escape, figure, page};
use crate::error::Result;
use crate::sensitivity::SensitivityOutput;

/// The HTML report of `entente sensitivity`.
pub fn sensitivity_page(out: &SensitivityOutput) -> Result<String> {
    let mut body = String::new();
    let _ = write!(
        body,
        "<header>\n<h1>Sensitivity of {}</h1>\n<dl class=\"meta\">\n<dt>method</dt><dd>{}</dd>\n<dt>seeds</dt><dd>{}..{}</dd>\n<dt>delta</dt><dd>{} (points; percent for salience and capability)</dd>\n<dt>inputs</dt><dd>{} ({} skipped)</dd>\n</dl>\n</header>\n",
        escape(&out.scenario),
        match out.method {
            crate::sensitivity::Method::Oat => "one at a time, down and up".to_owned(),
            crate::sensitivity::Method::Morris => format!(
                "Morris elementary effects, {} trajectories",
                out.trajectories
            ),
        },
        out.seeds.0,
        out.seeds.1,
        out.delta,
        out.inputs,
        out.skipped.len()
    );
    for (k, r) in out.outcomes.iter().enumerate() {
        let _ = write!(
            body,
            "<section id=\"outcome-{k}\">\n<h2>P({}) = {:.1}%</h2>\n",
            escape(&r.measure),
            100.0 * r.base
        );
        figure(
            &mut body,
            &format!("tornado-outcome-{k}"),
            &tornado_chart(
                &format!("P({})", r.measure),
                &r.rows,
                100.0,
                "change in probability, points",
            )?,
            "The inputs that move this outcome's probability most.",
        );
        body.push_str("</section>\n");
    }
    for (k, r) in out.issues.iter().enumerate() {
        let _ = write!(
            body,
            "<section id=\"issue-{k}\">\n<h2>Final mean of {} = {:.1}</h2>\n",
            escape(&r.measure),
            r.base
        );
        figure(
            &mut body,
            &format!("tornado-issue-{k}"),
            &tornado_chart(
                &format!("final mean of {}", r.measure),
                &r.rows,
                1.0,
                "change in the final weighted mean, points",
            )?,
            "The inputs that move this issue's final weighted mean most.",
        );
        body.push_str("</section>\n");
    }
    Ok(page(&format!("Sensitivity of {}", out.scenario), &body))
}
