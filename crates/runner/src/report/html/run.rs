//! The HTML page of one run.

use std::fmt::Write as _;

use super::charts::{cooperation_chart, issue_chart, win_chart};
use super::{escape, figure, page};
use crate::error::Result;
use crate::report::{Report, refusal_words};

/// The HTML report of one run.
pub fn run_page(report: &Report) -> Result<String> {
    let mut body = String::new();
    head(report, &mut body);
    issues(report, &mut body)?;
    timeline(report, &mut body);
    ceasefires(report, &mut body);
    strikes_and_sanctions(report, &mut body);
    packages(report, &mut body);
    model_rounds(report, &mut body)?;
    body.push_str("<section id=\"cooperation\">\n<h2>Cooperation and conflict</h2>\n");
    figure(
        &mut body,
        "cooperation-chart",
        &cooperation_chart(report)?,
        "The Goldstein sum of each round's events (CAMEO codes, −10 conflict … +10 cooperation).",
    );
    body.push_str("</section>\n");
    Ok(page(
        &format!("{} — seed {}", report.title, report.seed),
        &body,
    ))
}

fn head(report: &Report, body: &mut String) {
    let _ = write!(
        *body,
        "<header>\n<h1>{}</h1>\n<dl class=\"meta\">\n<dt>scenario</dt><dd><code>{}</code></dd>\n<dt>seed</dt><dd>{}</dd>\n<dt>model</dt><dd>{}</dd>\n<dt>rounds</dt><dd>{}</dd>\n<dt>events</dt><dd>{}</dd>\n<dt>engine</dt><dd>entente {}</dd>\n<dt>fingerprint</dt><dd class=\"hash\">{}</dd>\n</dl>\n{}</header>\n",
        escape(&report.title),
        escape(&report.scenario),
        report.seed,
        escape(&report.model),
        report.rounds,
        report.events,
        escape(&report.engine),
        escape(&report.head),
        if report.complete {
            String::new()
        } else {
            "<p><strong>This log is incomplete: the run stopped before its last round.</strong></p>\n".to_owned()
        }
    );
}

fn issues(report: &Report, body: &mut String) -> Result<()> {
    body.push_str("<section id=\"issues\">\n<h2>Issues</h2>\n");
    let _ = writeln!(
        body,
        "<p id=\"bargaining\" class=\"bargaining-{}\"><strong>Bargaining:</strong> {}</p>",
        escape(&report.bargaining.status),
        escape(&report.bargaining.words())
    );
    for issue in &report.issues {
        let svg = issue_chart(issue, report.rounds)?;
        let start = issue.series.first();
        let caption = format!(
            "<strong>{}</strong>: {} Final forecast: weighted mean {:.1}, weighted median {:.1}{}; {} moves.",
            escape(&issue.id),
            escape(&issue.question),
            issue.forecast.mean,
            issue.forecast.median,
            start
                .map(|s| format!(" (round 0: {:.1} and {:.1})", s.mean, s.median))
                .unwrap_or_default(),
            issue.moves
        );
        figure(body, &format!("issue-{}", issue.id), &svg, &caption);
        let _ = write!(
            body,
            "<details><summary>{} by round, as numbers</summary>\n<table>\n<tr><th>round</th><th>date</th><th>mean</th><th>median</th>",
            escape(&issue.id)
        );
        for p in &issue.principals {
            let _ = write!(body, "<th>{}</th>", escape(p));
        }
        body.push_str("</tr>\n");
        for point in &issue.series {
            let _ = write!(
                body,
                "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{:.2}</td><td class=\"n\">{:.2}</td>",
                point.round, point.date, point.mean, point.median
            );
            for p in &issue.principals {
                let x = point
                    .positions
                    .get(p)
                    .map_or("".to_owned(), |x| format!("{x:.2}"));
                let _ = write!(body, "<td class=\"n\">{x}</td>");
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</table>\n</details>\n");
    }
    body.push_str("</section>\n");
    Ok(())
}

fn timeline(report: &Report, body: &mut String) {
    body.push_str("<section id=\"timeline\">\n<h2>Key events</h2>\n<table>\n<tr><th>date</th><th>round</th><th>event</th><th>CAMEO</th><th>what happened</th></tr>\n");
    for e in &report.timeline {
        let _ = writeln!(
            body,
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e.date,
            e.round,
            escape(&e.event),
            escape(&e.cameo),
            escape(&e.text)
        );
    }
    body.push_str("</table>\n</section>\n");
}

fn ceasefires(report: &Report, body: &mut String) {
    if !report.ceasefires.is_empty() {
        body.push_str("<section id=\"ceasefires\">\n<h2>Ceasefires</h2>\n");
        for c in &report.ceasefires {
            let _ = write!(
                body,
                "<h3>{}</h3>\n<p>Governed by <code>{}</code>, between {}: {} at the end, {} violation(s).</p>\n<ul>\n",
                escape(&c.theatre),
                escape(&c.issue),
                escape(&c.parties.join(", ")),
                c.status,
                c.violations
            );
            for m in &c.story {
                let _ = writeln!(
                    body,
                    "<li>round {} ({}): {}</li>",
                    m.round,
                    m.date,
                    escape(&m.what)
                );
            }
            if c.story.is_empty() {
                body.push_str("<li>nothing happened</li>\n");
            }
            body.push_str("</ul>\n");
        }
        body.push_str("</section>\n");
    }
}

fn strikes_and_sanctions(report: &Report, body: &mut String) {
    if !report.strikes.is_empty() {
        body.push_str("<section id=\"strikes\">\n<h2>Strikes</h2>\n<table>\n<tr><th>striker</th><th>theatre</th><th>on designated terrorists</th><th>on other armed opposition</th><th>on threatened forces</th></tr>\n");
        for s in &report.strikes {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&s.striker),
                escape(&s.theatre),
                s.designated_terrorists,
                s.other_opposition,
                s.threatened
            );
        }
        body.push_str("</table>\n</section>\n");
    }
    if !report.threats.is_empty() {
        body.push_str("<section id=\"threats\">\n<h2>Threats</h2>\n<table>\n<tr><th>threat</th><th>by</th><th>against</th><th>at the end</th><th>deadline</th></tr>\n");
        for t in &report.threats {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                escape(&t.id),
                escape(&t.actor),
                escape(&t.target),
                escape(&t.status.replace('_', " ")),
                t.deadline,
                if t.extended { " (extended)" } else { "" }
            );
        }
        body.push_str("</table>\n</section>\n");
    }
    if !report.sanctions.is_empty() {
        body.push_str("<section id=\"sanctions\">\n<h2>Sanction regimes</h2>\n<table>\n<tr><th>regime</th><th>imposer</th><th>target</th><th>at the end</th><th>decisions</th></tr>\n");
        for r in &report.sanctions {
            let decisions: Vec<String> = r
                .decisions
                .iter()
                .map(|d| {
                    format!(
                        "{} due {} (position {:.1}, level {:.2})",
                        d.decision, d.due, d.position, d.level
                    )
                })
                .collect();
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} (level {:.2})</td><td>{}</td></tr>",
                escape(&r.id),
                escape(&r.imposer),
                escape(&r.target),
                r.status,
                r.level,
                if decisions.is_empty() {
                    "no renewal due in the run".to_owned()
                } else {
                    escape(&decisions.join("; "))
                }
            );
        }
        body.push_str("</table>\n</section>\n");
    }
}

fn packages(report: &Report, body: &mut String) {
    body.push_str("<section id=\"packages\">\n<h2>Packages</h2>\n");
    if report.packages.is_empty() {
        body.push_str("<p>No package was offered.</p>\n");
    } else {
        body.push_str(
            "<table>\n<tr><th>round</th><th>offer</th><th>gain each</th><th>answer</th></tr>\n",
        );
        for p in &report.packages {
            let _ = writeln!(
                body,
                "<tr><td class=\"n\">{}</td><td>{} offers {}: {} to {:.1} on {}, {} to {:.1} on {}</td><td class=\"n\">{:.2}</td><td>{}{}</td></tr>",
                p.round,
                escape(&p.offerer),
                escape(&p.receiver),
                escape(&p.offerer),
                p.offerer_yields.1,
                escape(&p.offerer_yields.0),
                escape(&p.receiver),
                p.receiver_yields.1,
                escape(&p.receiver_yields.0),
                p.gain,
                p.answer,
                p.reason
                    .map(|r| format!(" ({})", refusal_words(r)))
                    .unwrap_or_default()
            );
        }
        body.push_str("</table>\n");
    }
    body.push_str("</section>\n");
}

/// The spatial model's win probabilities (a chart, and its numbers), or the
/// exchange model's rounds.
fn model_rounds(report: &Report, body: &mut String) -> Result<()> {
    if !report.assessments.is_empty() {
        body.push_str(
            "<section id=\"assessments\">\n<h2>Spatial model: the chance each position wins</h2>\n",
        );
        figure(
            body,
            "win-chart",
            &win_chart(report)?,
            "The probability that each actor's position wins a probabilistic Condorcet election among all positions, state by state (KTAB's output).",
        );
        body.push_str("<details><summary>as numbers</summary>\n<table>\n<tr><th>round</th>");
        let actors: Vec<&String> = report.assessments[0].win_probabilities.keys().collect();
        for a in &actors {
            let _ = write!(body, "<th>{}</th>", escape(a));
        }
        body.push_str("</tr>\n");
        for a in &report.assessments {
            let _ = write!(body, "<tr><td class=\"n\">{}</td>", a.round);
            for actor in &actors {
                let p = a.win_probabilities.get(*actor);
                let _ = write!(
                    body,
                    "<td class=\"n\">{}</td>",
                    p.map_or("–".to_owned(), |p| format!("{p:.4}"))
                );
            }
            body.push_str("</tr>\n");
        }
        body.push_str("</table>\n</details>\n</section>\n");
    }
    if !report.exchange_rounds.is_empty() {
        body.push_str("<section id=\"exchange\">\n<h2>Exchange model: rounds</h2>\n<table>\n<tr><th>round</th><th>candidates</th><th>realised</th><th>ties</th><th>outcomes of the voting positions</th></tr>\n");
        for x in &report.exchange_rounds {
            let outcomes: Vec<String> = x
                .outcomes
                .iter()
                .map(|(i, o)| format!("{} {o:.1}", escape(i)))
                .collect();
            let _ = writeln!(
                body,
                "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                x.round,
                x.candidates,
                x.realised,
                x.ties,
                outcomes.join(", ")
            );
        }
        body.push_str("</table>\n</section>\n");
    }
    Ok(())
}
