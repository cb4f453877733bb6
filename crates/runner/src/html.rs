//! The HTML report: one self-contained page (no script, no font, no network)
//! with its charts as inline SVG drawn by plotters.
//!
//! Every chart is a `<figure class="chart">` holding an `<svg role="img">`
//! with a `<title>`; the series are told apart by colour (the Okabe–Ito
//! palette, safe for colour-blind readers), by marker shape and by dash, so
//! they survive greyscale printing. Each chart is followed by its numbers as
//! a table, for screen readers and for copying.

use std::fmt::Write as _;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::error::{Error, Result};
use crate::report::{IssueReport, Report};
use crate::sweep::SweepOutput;

const WIDTH: u32 = 760;
const HEIGHT: u32 = 380;

/// Okabe–Ito colours, darkest first, and the marker each series gets.
const PALETTE: [(u8, u8, u8); 7] = [
    (0, 114, 178),   // blue
    (213, 94, 0),    // vermillion
    (0, 158, 115),   // bluish green
    (204, 121, 167), // reddish purple
    (230, 159, 0),   // orange
    (86, 180, 233),  // sky blue
    (240, 228, 66),  // yellow
];

const STYLE: &str = "
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; }
dl.meta dt { font-weight: 600; }
code, .hash { font-family: ui-monospace, monospace; font-size: 0.85em; word-break: break-all; }
figure.chart { margin: 1.2rem 0; }
figure.chart svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.9rem; color: #333; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.15rem 0.5rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: 0.3rem 0 1rem; }
";

fn colour(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
}

/// Escapes text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A chart on two continuous axes, drawn on SVG.
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws a chart's axes: descriptions, whole-number labels, no fine grid.
fn axes(chart: &mut Chart<'_, '_>, x: &str, y: &str) -> Result<()> {
    chart
        .configure_mesh()
        .x_desc(x)
        .y_desc(y)
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(chart_error)
}

fn chart_error<E: std::fmt::Debug>(e: E) -> Error {
    Error::Usage(format!("cannot draw a chart: {e:?}"))
}

/// Gives plotters' SVG a role, a title and a description.
fn accessible(svg: String, title: &str, description: &str) -> String {
    let Some(end) = svg.find('>') else {
        return svg;
    };
    format!(
        "{} role=\"img\" aria-label=\"{}\"><title>{}</title><desc>{}</desc>{}",
        &svg[..end],
        escape(title),
        escape(title),
        escape(description),
        &svg[end + 1..]
    )
}

fn figure(out: &mut String, id: &str, svg: &str, caption: &str) {
    let _ = write!(
        out,
        "<figure class=\"chart\" id=\"{}\">\n{svg}\n<figcaption>{caption}</figcaption>\n</figure>\n",
        escape(id)
    );
}

/// The chart of one issue: every principal's position by round, the
/// weighted mean and median over them, and the agreement if one was signed.
fn issue_chart(issue: &IssueReport, rounds: u32) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&issue.id, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..f64::from(rounds.max(1)), 0f64..100f64)
            .map_err(chart_error)?;
        axes(&mut chart, "round", "position (0–100)")?;
        // The ends of the scale, in the issue's words.
        let words = |text: &str| {
            let short: String = text.chars().take(70).collect();
            if short.len() < text.len() {
                format!("{short}…")
            } else {
                short
            }
        };
        chart
            .draw_series([
                Text::new(
                    format!("100: {}", words(&issue.high)),
                    (0.3, 97.0),
                    ("sans-serif", 12).into_font().color(&BLACK.mix(0.7)),
                ),
                Text::new(
                    format!("0: {}", words(&issue.low)),
                    (0.3, 6.0),
                    ("sans-serif", 12).into_font().color(&BLACK.mix(0.7)),
                ),
            ])
            .map_err(chart_error)?;
        let series = |f: &dyn Fn(&crate::report::SeriesPoint) -> Option<f64>| -> Vec<(f64, f64)> {
            issue
                .series
                .iter()
                .filter_map(|p| f(p).map(|y| (f64::from(p.round), y)))
                .collect()
        };
        for (k, principal) in issue.principals.iter().enumerate() {
            let points = series(&|p| p.positions.get(principal).copied());
            let c = colour(k);
            let style = c.stroke_width(2);
            chart
                .draw_series(LineSeries::new(points.clone(), style))
                .map_err(chart_error)?
                .label(principal.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2))
                });
            // A marker of its own on every point, so greyscale still tells
            // the principals apart.
            let marker = k % 4;
            chart
                .draw_series(points.iter().map(
                    |&(x, y)| -> DynElement<'static, SVGBackend<'_>, (f64, f64)> {
                        match marker {
                            0 => Circle::new((x, y), 3, c.filled()).into_dyn(),
                            1 => TriangleMarker::new((x, y), 4, c.filled()).into_dyn(),
                            2 => Cross::new((x, y), 4, c.stroke_width(2)).into_dyn(),
                            _ => Rectangle::new(
                                [(x - 0.12, y - 1.2), (x + 0.12, y + 1.2)],
                                c.filled(),
                            )
                            .into_dyn(),
                        }
                    },
                ))
                .map_err(chart_error)?;
        }
        let mean = series(&|p| Some(p.mean));
        chart
            .draw_series(LineSeries::new(mean, BLACK.stroke_width(3)))
            .map_err(chart_error)?
            .label("weighted mean")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(3)));
        let median = series(&|p| Some(p.median));
        let grey = RGBColor(90, 90, 90);
        chart
            .draw_series(DashedLineSeries::new(median, 6, 4, grey.stroke_width(2)))
            .map_err(chart_error)?
            .label("weighted median")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], grey.stroke_width(2)));
        if let Some(a) = &issue.agreement {
            let x = f64::from(a.round);
            chart
                .draw_series([PathElement::new(
                    vec![(x, 0.0), (x, 100.0)],
                    BLACK.mix(0.5).stroke_width(1),
                )])
                .map_err(chart_error)?;
            chart
                .draw_series([EmptyElement::at((x, a.position))
                    + Circle::new((0, 0), 7, BLACK.stroke_width(2))
                    + Text::new(
                        format!("agreed at {:.1}", a.position),
                        (10, -14),
                        ("sans-serif", 13),
                    )])
                .map_err(chart_error)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    let agreement = issue
        .agreement
        .as_ref()
        .map(|a| {
            format!(
                " An agreement was signed in round {} at {:.1}.",
                a.round, a.position
            )
        })
        .unwrap_or_default();
    Ok(accessible(
        svg,
        &format!("{}: positions by round", issue.id),
        &format!(
            "{} Lines show each principal's position by round, with the weighted mean (solid black) and weighted median (dashed grey).{agreement}",
            issue.question
        ),
    ))
}

/// The cooperation–conflict curve: the Goldstein sum of each round.
fn cooperation_chart(report: &Report) -> Result<String> {
    let mut svg = String::new();
    let values: Vec<(u32, f64)> = report
        .cooperation
        .iter()
        .map(|c| (c.round, c.goldstein))
        .collect();
    let lo = values.iter().map(|v| v.1).fold(0.0, f64::min).floor() - 1.0;
    let hi = values.iter().map(|v| v.1).fold(0.0, f64::max).ceil() + 1.0;
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 300)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("cooperation and conflict", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(-0.5f64..f64::from(report.rounds) + 0.5, lo..hi)
            .map_err(chart_error)?;
        axes(
            &mut chart,
            "round",
            "Goldstein sum (conflict < 0 < cooperation)",
        )?;
        chart
            .draw_series(values.iter().map(|&(r, g)| {
                let x = f64::from(r);
                let c = if g < 0.0 { colour(1) } else { colour(0) };
                Rectangle::new([(x - 0.35, 0.0), (x + 0.35, g)], c.filled())
            }))
            .map_err(chart_error)?;
        chart
            .draw_series([PathElement::new(
                vec![(-0.5, 0.0), (f64::from(report.rounds) + 0.5, 0.0)],
                BLACK,
            )])
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(accessible(
        svg,
        "cooperation and conflict by round",
        "Bars show the sum of the Goldstein values of each round's events: below zero conflict, above zero cooperation.",
    ))
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// The HTML report of one run.
pub fn run_page(report: &Report) -> Result<String> {
    let mut body = String::new();
    let _ = write!(
        body,
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

    body.push_str("<section id=\"issues\">\n<h2>Issues</h2>\n");
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
        figure(&mut body, &format!("issue-{}", issue.id), &svg, &caption);
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

    if !report.ceasefires.is_empty() {
        body.push_str("<section id=\"ceasefires\">\n<h2>Ceasefires</h2>\n");
        for c in &report.ceasefires {
            let _ = write!(
                body,
                "<h3>{}</h3>\n<p>Governed by <code>{}</code>, between {}: {} at the end, {} violation(s).</p>\n<ul>\n",
                escape(&c.theatre),
                escape(&c.issue),
                escape(&c.parties.join(", ")),
                escape(&c.status),
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
    if !report.strikes.is_empty() {
        body.push_str("<section id=\"strikes\">\n<h2>Strikes</h2>\n<table>\n<tr><th>striker</th><th>theatre</th><th>on designated terrorists</th><th>on other armed opposition</th></tr>\n");
        for s in &report.strikes {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&s.striker),
                escape(&s.theatre),
                s.designated_terrorists,
                s.other_opposition
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
                escape(&r.status),
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
    body.push_str("<section id=\"packages\">\n<h2>Packages</h2>\n");
    if report.linkage.is_empty() {
        body.push_str("<p>No package was offered.</p>\n");
    } else {
        body.push_str(
            "<table>\n<tr><th>round</th><th>offer</th><th>gain each</th><th>answer</th></tr>\n",
        );
        for p in &report.linkage {
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
                escape(&p.answer),
                p.reason
                    .as_deref()
                    .map(|r| format!(" ({})", escape(&r.replace('_', " "))))
                    .unwrap_or_default()
            );
        }
        body.push_str("</table>\n");
    }
    body.push_str("</section>\n<section id=\"cooperation\">\n<h2>Cooperation and conflict</h2>\n");
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

/// One bar per outcome: its probability with the 95% interval as whiskers.
fn probability_chart(title: &str, rows: &[(String, f64, (f64, f64))]) -> Result<String> {
    let height = 90 + 26 * rows.len() as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let n = rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(0)
            .build_cartesian_2d(-70f64..100f64, 0f64..n)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_desc("probability, % (bar) with its 95% interval (whiskers)")
            .x_label_formatter(&|x| {
                if *x >= 0.0 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(chart_error)?;
        for (k, (label, p, (lo, hi))) in rows.iter().enumerate() {
            let y = n - k as f64 - 0.5;
            chart
                .draw_series([Text::new(
                    label.clone(),
                    (-69.0, y + 0.15),
                    ("sans-serif", 12),
                )])
                .map_err(chart_error)?;
            chart
                .draw_series([Rectangle::new(
                    [(0.0, y - 0.3), (100.0 * p, y + 0.3)],
                    colour(0).filled(),
                )])
                .map_err(chart_error)?;
            chart
                .draw_series([
                    PathElement::new(
                        vec![(100.0 * lo, y), (100.0 * hi, y)],
                        BLACK.stroke_width(2),
                    ),
                    PathElement::new(
                        vec![(100.0 * lo, y - 0.2), (100.0 * lo, y + 0.2)],
                        BLACK.stroke_width(2),
                    ),
                    PathElement::new(
                        vec![(100.0 * hi, y - 0.2), (100.0 * hi, y + 0.2)],
                        BLACK.stroke_width(2),
                    ),
                ])
                .map_err(chart_error)?;
        }
        root.present().map_err(chart_error)?;
    }
    Ok(accessible(
        svg,
        title,
        "Each bar is an outcome's probability over the seeds; the whiskers its 95% Wilson interval.",
    ))
}

/// The distribution of an issue's final weighted mean over the seeds.
fn distribution_chart(
    issue: &str,
    histogram: &std::collections::BTreeMap<u32, u64>,
) -> Result<String> {
    // Bins of one point of the scale (the sweep keeps hundredths).
    let mut bins = [0u64; 101];
    for (&bin, &count) in histogram {
        bins[(bin / 100).min(100) as usize] += count;
    }
    let top = bins.iter().copied().max().unwrap_or(1).max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 260)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{issue}: final weighted mean over the seeds"),
                ("sans-serif", 16),
            )
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..101f64, 0f64..top * 1.05)
            .map_err(chart_error)?;
        axes(&mut chart, "final weighted mean (0–100)", "seeds")?;
        chart
            .draw_series(
                bins.iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(x, &c)| {
                        Rectangle::new(
                            [(x as f64, 0.0), (x as f64 + 0.9, c as f64)],
                            colour(0).filled(),
                        )
                    }),
            )
            .map_err(chart_error)?;
        root.present().map_err(chart_error)?;
    }
    Ok(accessible(
        svg,
        &format!("{issue}: distribution of the final weighted mean"),
        "Bars count the seeds whose final weighted mean fell in each one-point bin.",
    ))
}

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
