//! Two runs side by side (`compare::compare_reports`, what `entente
//! compare` computes): where they part, highlighted; the outcomes that
//! differ; each issue's forecasts of both runs drawn over each other; then
//! the whole comparison as the command tells it.

use std::fmt::Write as _;

use entente_runner::compare::{Comparison, OutcomePair, compare_reports};
use entente_runner::render::chart::{Axis, Chart, Kind, Lines, Mark, Series, Style};
use entente_runner::render::html::escape;
use entente_runner::render::{Block, Document, Figure, Inline, Section};
use entente_runner::report::{IssueReport, Report};

use crate::app::App;
use crate::failure::Failure;
use crate::folder::{Area, is_sweep_output};
use crate::form::{Form, encode};
use crate::http::Response;
use crate::page;

/// `/compare?a=LOG&b=LOG`: the comparison, or the form to choose two runs.
pub(crate) fn show(app: &App, query: &Form) -> Result<Response, Failure> {
    let (Some(a), Some(b)) = (query.get("a"), query.get("b")) else {
        let body = format!(
            "<h1>Compare two runs</h1>{}",
            picker(app, query.get("a"), query.get("b"))
        );
        return Ok(page::respond("Compare", &app.token, &body));
    };
    let (path_a, path_b) = (
        app.folder.existing(Area::Runs, a)?,
        app.folder.existing(Area::Runs, b)?,
    );
    let (comparison, report_a, report_b) =
        compare_reports(&path_a, &path_b).map_err(|e| app.failed(&e))?;
    let mut body = format!(
        "<h1>{} <span class=\"muted\">vs</span> {}</h1>\n",
        page::link(&format!("/runs/{}", encode(a)), &format!("A: {a}")),
        page::link(&format!("/runs/{}", encode(b)), &format!("B: {b}"))
    );
    body.push_str(&summary(&comparison));
    body.push_str(&page::document(&overlaid(
        &comparison,
        &report_a,
        &report_b,
    ))?);
    body.push_str("<h2>The comparison in full</h2>\n");
    body.push_str(&page::rendered(&comparison)?);
    Ok(page::respond(&format!("{a} vs {b}"), &app.token, &body))
}

/// The form that picks two runs.
pub(crate) fn picker(app: &App, a: Option<&str>, b: Option<&str>) -> String {
    let logs: Vec<String> = app
        .folder
        .run_files()
        .into_iter()
        .filter(|(n, k)| !is_sweep_output(n, *k))
        .map(|(n, _)| n)
        .collect();
    let select = |field: &str, chosen: Option<&str>| {
        let mut s = format!("<select name=\"{field}\" id=\"compare-{field}\">");
        for n in &logs {
            let _ = write!(
                s,
                "<option{}>{}</option>",
                if chosen == Some(n.as_str()) {
                    " selected"
                } else {
                    ""
                },
                escape(n)
            );
        }
        s.push_str("</select>");
        s
    };
    format!(
        "<form method=\"get\" action=\"/compare\" id=\"compare-form\"><h2>Compare two runs</h2><label>A {}</label><label>B {}</label><button type=\"submit\">Compare</button></form>\n",
        select("a", a),
        select("b", b)
    )
}

/// Where the runs part and which outcomes differ: what a reader looks for
/// first.
fn summary(c: &Comparison) -> String {
    let mut out = String::from("<section class=\"parting\" id=\"divergence\">");
    match &c.parting {
        None if c.identical => out
            .push_str("<p><strong>The same run</strong>: the same header and the same events.</p>"),
        None => out.push_str("<p><strong>The same events</strong>; only the headers differ.</p>"),
        Some(p) => {
            let round = |r: Option<u32>| r.map_or("-".to_owned(), |r| r.to_string());
            let _ = write!(
                out,
                "<p><strong id=\"parting-seq\" data-seq=\"{}\">The runs part at seq {}</strong> (round {} in A, {} in B): the first event that differs.</p><pre>A {}\nB {}</pre>",
                p.seq,
                p.seq,
                round(p.round_a),
                round(p.round_b),
                escape(p.lines.0.as_deref().unwrap_or("(no event: the log ends)")),
                escape(p.lines.1.as_deref().unwrap_or("(no event: the log ends)")),
            );
        }
    }
    out.push_str("</section>\n<section id=\"differences\"><h2>Outcomes that differ</h2>\n");
    let differ: Vec<(&str, &OutcomePair)> = [
        ("outcome", &c.outcomes),
        ("ceasefire", &c.ceasefires),
        ("sanctions", &c.sanctions),
        ("packages", &c.packages),
    ]
    .into_iter()
    .flat_map(|(what, list)| list.iter().map(move |p| (what, p)))
    .chain(std::iter::once(("bargaining", &c.bargaining)))
    .filter(|(_, p)| p.a != p.b)
    .collect();
    if differ.is_empty() {
        out.push_str("<p>No outcome differs.</p>");
    } else {
        out.push_str("<table id=\"outcome-differences\"><tr><th></th><th>subject</th><th>A</th><th>B</th></tr>\n");
        for (what, p) in differ {
            let _ = writeln!(
                out,
                "<tr class=\"differs\" data-subject=\"{}\"><td>{what}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&p.subject),
                escape(&p.subject),
                escape(&p.a),
                escape(&p.b)
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</section>\n");
    out
}

/// Each issue's weighted mean and median in both runs, on one chart, with
/// the round where they part marked.
fn overlaid(c: &Comparison, a: &Report, b: &Report) -> Document {
    let mut s = Section::new(
        Some("overlaid".to_owned()),
        "Forecasts of both runs, drawn over each other",
    );
    let parted = c.parting.as_ref().and_then(|p| p.round_a.or(p.round_b));
    for issue in &a.issues {
        let Some(other) = b.issues.iter().find(|i| i.id == issue.id) else {
            continue;
        };
        s.push(Block::figure(figure(
            issue,
            other,
            a.rounds.max(b.rounds),
            parted,
        )));
    }
    Document {
        title: String::new(),
        meta: Vec::new(),
        blocks: vec![s.into()],
    }
}

fn figure(a: &IssueReport, b: &IssueReport, rounds: u32, parted: Option<u32>) -> Figure {
    let line = |issue: &IssueReport, name: &str, median: bool, style: Style| Series {
        name: name.to_owned(),
        points: issue
            .series
            .iter()
            .map(|p| (f64::from(p.round), if median { p.median } else { p.mean }))
            .collect(),
        style,
    };
    let series = vec![
        line(a, "A: weighted mean", false, Style::Summary),
        line(b, "B: weighted mean", false, Style::Peer(1)),
        line(a, "A: weighted median", true, Style::Secondary),
        line(b, "B: weighted median", true, Style::Peer(4)),
    ];
    let marks = parted
        .and_then(|r| {
            b.series.iter().find(|p| p.round == r).map(|p| Mark {
                x: f64::from(r),
                y: p.mean,
                label: format!("the runs part (round {r})"),
            })
        })
        .into_iter()
        .collect();
    Figure {
        id: format!("overlay-{}", a.id),
        chart: Chart {
            title: a.id.clone(),
            alt: format!("{}: forecasts of runs A and B by round", a.id),
            description: format!(
                "{} The weighted mean and median of run A (black, grey dashed) and run B (coloured), round by round.",
                a.question
            ),
            height: 340,
            kind: Kind::Lines(Lines {
                x: Axis::new("round", 0.0, f64::from(rounds.max(1))),
                y: Axis::new("position (0–100)", 0.0, 100.0),
                series,
                marks,
                notes: Vec::new(),
                bands: Vec::new(),
            }),
        },
        caption: Inline::strong(&a.id).then(format!(
            ": final weighted mean {:.1} in A, {:.1} in B.",
            a.forecast.mean, b.forecast.mean
        )),
        data: None,
    }
}
