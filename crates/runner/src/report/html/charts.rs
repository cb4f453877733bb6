//! The charts of the HTML pages: inline SVG drawn by plotters' SVG backend,
//! each given a role, a title and a description. Series are told apart by
//! colour (the Okabe–Ito palette, safe for colour-blind readers), by marker
//! shape and by dash, so they survive greyscale printing.

use std::collections::BTreeMap;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::escape;
use crate::error::{Error, Result};
use crate::report::{IssueReport, Report, SeriesPoint};

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

fn colour(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
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
    Error::Chart(format!("{e:?}"))
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

/// The chart of one issue: every principal's position by round, the
/// weighted mean and median over them, and the agreement if one was signed.
pub(super) fn issue_chart(issue: &IssueReport, rounds: u32) -> Result<String> {
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
        principal_lines(&mut chart, issue)?;
        forecast_lines(&mut chart, issue)?;
        agreement_mark(&mut chart, issue)?;
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

/// The points of one series of an issue's chart.
fn series(issue: &IssueReport, f: &dyn Fn(&SeriesPoint) -> Option<f64>) -> Vec<(f64, f64)> {
    issue
        .series
        .iter()
        .filter_map(|p| f(p).map(|y| (f64::from(p.round), y)))
        .collect()
}

/// Each principal's position by round: a line, and a marker of its own on
/// every point, so greyscale still tells the principals apart.
fn principal_lines(chart: &mut Chart<'_, '_>, issue: &IssueReport) -> Result<()> {
    for (k, principal) in issue.principals.iter().enumerate() {
        let points = series(issue, &|p| p.positions.get(principal).copied());
        let c = colour(k);
        let style = c.stroke_width(2);
        chart
            .draw_series(LineSeries::new(points.clone(), style))
            .map_err(chart_error)?
            .label(principal.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
        let marker = k % 4;
        chart
            .draw_series(points.iter().map(
                |&(x, y)| -> DynElement<'static, SVGBackend<'_>, (f64, f64)> {
                    match marker {
                        0 => Circle::new((x, y), 3, c.filled()).into_dyn(),
                        1 => TriangleMarker::new((x, y), 4, c.filled()).into_dyn(),
                        2 => Cross::new((x, y), 4, c.stroke_width(2)).into_dyn(),
                        _ => Rectangle::new([(x - 0.12, y - 1.2), (x + 0.12, y + 1.2)], c.filled())
                            .into_dyn(),
                    }
                },
            ))
            .map_err(chart_error)?;
    }
    Ok(())
}

/// The weighted mean (solid black) and median (dashed grey) by round.
fn forecast_lines(chart: &mut Chart<'_, '_>, issue: &IssueReport) -> Result<()> {
    let mean = series(issue, &|p| Some(p.mean));
    chart
        .draw_series(LineSeries::new(mean, BLACK.stroke_width(3)))
        .map_err(chart_error)?
        .label("weighted mean")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(3)));
    let median = series(issue, &|p| Some(p.median));
    let grey = RGBColor(90, 90, 90);
    chart
        .draw_series(DashedLineSeries::new(median, 6, 4, grey.stroke_width(2)))
        .map_err(chart_error)?
        .label("weighted median")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 8, y)], grey.stroke_width(2)));
    Ok(())
}

/// A vertical line at the round an agreement was signed, and its position.
fn agreement_mark(chart: &mut Chart<'_, '_>, issue: &IssueReport) -> Result<()> {
    let Some(a) = &issue.agreement else {
        return Ok(());
    };
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
    Ok(())
}

/// The cooperation–conflict curve: the Goldstein sum of each round.
pub(super) fn cooperation_chart(report: &Report) -> Result<String> {
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

/// The spatial model's output by state: each actor's chance that its
/// position wins, one line (with its own marker) per actor.
pub(super) fn win_chart(report: &Report) -> Result<String> {
    let mut svg = String::new();
    let actors: Vec<&String> = report
        .assessments
        .first()
        .map(|a| a.win_probabilities.keys().collect())
        .unwrap_or_default();
    let last = report.assessments.last().map_or(1, |a| a.round.max(1));
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("the chance each position wins", ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(48)
            .build_cartesian_2d(0f64..f64::from(last), 0f64..1f64)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .x_desc("round")
            .y_desc("probability")
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_label_formatter(&|v| format!("{v:.1}"))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(chart_error)?;
        for (k, actor) in actors.iter().enumerate() {
            let points: Vec<(f64, f64)> = report
                .assessments
                .iter()
                .filter_map(|a| {
                    a.win_probabilities
                        .get(*actor)
                        .map(|&p| (f64::from(a.round), p))
                })
                .collect();
            let c = colour(k);
            let dash = k / PALETTE.len();
            let line = points.clone();
            if dash == 0 {
                chart
                    .draw_series(LineSeries::new(line, c.stroke_width(2)))
                    .map_err(chart_error)?
            } else {
                chart
                    .draw_series(DashedLineSeries::new(line, 6, 3, c.stroke_width(2)))
                    .map_err(chart_error)?
            }
            .label(actor.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2)));
            let marker = k % 3;
            chart
                .draw_series(points.iter().map(
                    |&(x, y)| -> DynElement<'static, SVGBackend<'_>, (f64, f64)> {
                        match marker {
                            0 => Circle::new((x, y), 3, c.filled()).into_dyn(),
                            1 => TriangleMarker::new((x, y), 4, c.filled()).into_dyn(),
                            _ => Cross::new((x, y), 4, c.stroke_width(2)).into_dyn(),
                        }
                    },
                ))
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
    Ok(accessible(
        svg,
        "the chance each actor's position wins, by round",
        "Lines show, state by state, the probability that each actor's position wins a probabilistic Condorcet election among all positions, as the spatial model assesses it.",
    ))
}

/// One bar per outcome: its probability with the 95% interval as whiskers.
pub(super) fn probability_chart(title: &str, rows: &[(String, f64, (f64, f64))]) -> Result<String> {
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
pub(super) fn distribution_chart(issue: &str, histogram: &BTreeMap<u32, u64>) -> Result<String> {
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

/// A reliability diagram: each bin's mean forecast against the share of its
/// propositions that happened, with the diagonal of perfect calibration.
pub(super) fn reliability_chart(bins: &[crate::score::output::Bin]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "Reliability: forecast against what happened",
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0f64..100f64, 0f64..100f64)
            .map_err(chart_error)?;
        axes(
            &mut chart,
            "forecast probability, % (bin mean)",
            "observed frequency, %",
        )?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, 0.0), (100.0, 100.0)],
                BLACK.mix(0.4).stroke_width(1),
            ))
            .map_err(chart_error)?;
        for b in bins.iter().filter(|b| b.count > 0) {
            let (Some(p), Some(o)) = (b.predicted, b.observed) else {
                continue;
            };
            let (x, y) = (100.0 * p, 100.0 * o);
            chart
                .draw_series([Circle::new(
                    (x, y),
                    4 + b.count.min(12) as i32,
                    colour(0).filled(),
                )])
                .map_err(chart_error)?;
            chart
                .draw_series([Text::new(
                    format!("n={}", b.count),
                    (x + 2.0, y + 4.0),
                    ("sans-serif", 12),
                )])
                .map_err(chart_error)?;
        }
        root.present().map_err(chart_error)?;
    }
    Ok(accessible(
        svg,
        "Reliability",
        "Each dot is a bin of forecast probabilities: its mean forecast across, the share of its propositions that happened up; n is the number of propositions. Dots on the diagonal are calibrated.",
    ))
}

/// A tornado chart: per input, a bar from the measure's change with the
/// input down to its change with the input up (oat), or a bar of μ*
/// (morris), largest on top.
pub(super) fn tornado_chart(
    title: &str,
    rows: &[crate::sensitivity::output::Row],
    scale: f64,
    unit: &str,
) -> Result<String> {
    let height = 90 + 26 * rows.len() as u32;
    let extent = rows
        .iter()
        .flat_map(|r| [r.down.unwrap_or(0.0), r.up.unwrap_or(0.0), r.effect])
        .map(|x| (x * scale).abs())
        .fold(1e-9, f64::max);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(chart_error)?;
        let n = rows.len().max(1) as f64;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(0)
            .build_cartesian_2d(-2.2 * extent..extent * 1.1, 0f64..n)
            .map_err(chart_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_desc(unit)
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(chart_error)?;
        for (k, r) in rows.iter().enumerate() {
            let y = n - k as f64 - 0.5;
            chart
                .draw_series([Text::new(
                    r.input.clone(),
                    (-2.15 * extent, y + 0.15),
                    ("sans-serif", 11),
                )])
                .map_err(chart_error)?;
            let bars: Vec<(f64, f64, usize)> = match (r.down, r.up) {
                (Some(d), Some(u)) => vec![(0.0, d * scale, 1), (0.0, u * scale, 0)],
                _ => vec![(0.0, r.effect * scale, 0)],
            };
            for (from, to, c) in bars {
                let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
                chart
                    .draw_series([Rectangle::new(
                        [(lo, y - 0.3), (hi, y + 0.3)],
                        colour(c).filled(),
                    )])
                    .map_err(chart_error)?;
            }
        }
        root.present().map_err(chart_error)?;
    }
    Ok(accessible(
        svg,
        title,
        "One bar per input, largest effect on top: with two colours, the change with the input down (vermillion) and up (blue); with one, μ*, the mean absolute elementary effect.",
    ))
}
