//! Charts drawn as inline SVG by plotters' SVG backend, each given a role, a
//! title and a description. Series are told apart by colour (the Okabe–Ito
//! palette, safe for colour-blind readers), by marker shape and by dash, so
//! they survive greyscale printing.
//!
//! A line chart's series are each wrapped in a group named for the series
//! (`<g class="series" data-series="USA">`), and each of its points has a
//! transparent ring whose title gives its value: a reader hovers over a
//! point to read it, with no script; a page that has a script (the
//! workbench's) can also show and hide a series by its name.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use super::escape;
use crate::error::{Error, Result};
use crate::render::chart::{Axis, Bars, Chart, Columns, Kind, Lines, Points, Series, Style};

const WIDTH: u32 = 760;

/// Okabe–Ito colours, darkest first.
const PALETTE: [(u8, u8, u8); 7] = [
    (0, 114, 178),   // blue
    (213, 94, 0),    // vermillion
    (0, 158, 115),   // bluish green
    (204, 121, 167), // reddish purple
    (230, 159, 0),   // orange
    (86, 180, 233),  // sky blue
    (240, 228, 66),  // yellow
];

const GREY: RGBColor = RGBColor(90, 90, 90);

fn colour(k: usize) -> RGBColor {
    let (r, g, b) = PALETTE[k % PALETTE.len()];
    RGBColor(r, g, b)
}

/// A chart on two continuous axes, drawn on SVG.
type Plot<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws `chart` as an accessible SVG element.
pub(super) fn draw(chart: &Chart) -> Result<String> {
    let mut svg = String::new();
    let mut hover = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, chart.height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        match &chart.kind {
            Kind::Lines(l) => hover = lines(&root, &chart.title, l)?,
            Kind::Columns(c) => columns(&root, &chart.title, c)?,
            Kind::Bars(b) => bars(&root, &chart.title, b)?,
            Kind::Points(p) => points(&root, &chart.title, p)?,
        }
        root.present().map_err(failed)?;
    }
    if let Kind::Lines(l) = &chart.kind {
        svg = grouped(svg, l, &hover);
    }
    Ok(accessible(svg, &chart.alt, &chart.description))
}

/// Where a series starts and ends in the drawing: plotters writes its
/// elements in order, so a text holding this word and the series' number
/// is drawn before and after each, and replaced by the group's tags.
const SERIES_MARK: &str = "entente-series-mark";

/// A point of a series where it is drawn, in pixels, with its value.
#[derive(Clone, Copy, Debug)]
struct Hover {
    series: usize,
    pixel: (i32, i32),
    value: (f64, f64),
}

/// Replaces the marks around each series by a group named for it, and
/// adds a ring with the point's value as its title over every point.
fn grouped(svg: String, l: &Lines, hover: &[Hover]) -> String {
    let mut out = String::with_capacity(svg.len() + hover.len() * 120);
    let mut rest = svg.as_str();
    while let Some(at) = rest.find(SERIES_MARK) {
        let Some(open) = rest[..at].rfind("<text") else {
            break;
        };
        let Some(close) = rest[at..].find("</text>") else {
            break;
        };
        let mark = rest[at + SERIES_MARK.len()..at + close].trim();
        out.push_str(&rest[..open]);
        match mark
            .strip_prefix("-begin-")
            .and_then(|k| k.parse::<usize>().ok())
        {
            Some(k) => {
                let name = l.series.get(k).map_or("", |s| s.name.as_str());
                out.push_str(&format!(
                    "<g class=\"series\" data-series=\"{}\">",
                    escape(name)
                ));
            }
            None => out.push_str("</g>"),
        }
        rest = &rest[at + close + "</text>".len()..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    let Some(end) = rest.rfind("</svg>") else {
        out.push_str(rest);
        return out;
    };
    out.push_str(&rest[..end]);
    out.push_str("<g class=\"values\" fill=\"transparent\">\n");
    let (dx, dy) = (l.x.decimals, l.y.decimals.max(1));
    for h in hover {
        let name = l.series.get(h.series).map_or("", |s| s.name.as_str());
        out.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"6\" data-series=\"{}\"><title>{}, {} {:.dx$}: {:.dy$}</title></circle>\n",
            h.pixel.0,
            h.pixel.1,
            escape(name),
            escape(name),
            escape(&l.x.label),
            h.value.0,
            h.value.1,
        ));
    }
    out.push_str("</g>\n");
    out.push_str(&rest[end..]);
    out
}

fn failed<E: std::fmt::Debug>(e: E) -> Error {
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

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// A plot with a caption and two axes.
fn plot<'a, 'b>(root: &'a Area<'b>, title: &str, x: &Axis, y: &Axis) -> Result<Plot<'a, 'b>> {
    let mut plot = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(x.from..x.to, y.from..y.to)
        .map_err(failed)?;
    let (dx, dy) = (x.decimals, y.decimals);
    plot.configure_mesh()
        .x_desc(x.label.as_str())
        .y_desc(y.label.as_str())
        .x_label_formatter(&|v| format!("{v:.dx$}"))
        .y_label_formatter(&|v| format!("{v:.dy$}"))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(failed)?;
    Ok(plot)
}

/// Draws a line chart; returns where each point of each series was drawn.
fn lines(root: &Area<'_>, title: &str, l: &Lines) -> Result<Vec<Hover>> {
    let mut plot = plot(root, title, &l.x, &l.y)?;
    for band in &l.bands {
        plot.draw_series([Rectangle::new(
            [(band.from, l.y.from), (band.to, l.y.to)],
            BLACK.mix(0.08).filled(),
        )])
        .map_err(failed)?;
    }
    plot.draw_series(l.notes.iter().map(|n| {
        Text::new(
            n.text.clone(),
            (n.x, n.y),
            ("sans-serif", 12).into_font().color(&BLACK.mix(0.7)),
        )
    }))
    .map_err(failed)?;
    let mut hover = Vec::new();
    for (k, s) in l.series.iter().enumerate() {
        mark(&mut plot, l, &format!("-begin-{k}"))?;
        line(&mut plot, s)?;
        mark(&mut plot, l, "-end")?;
        hover.extend(s.points.iter().map(|&value| Hover {
            series: k,
            pixel: plot.backend_coord(&value),
            value,
        }));
    }
    for m in &l.marks {
        plot.draw_series([PathElement::new(
            vec![(m.x, l.y.from), (m.x, l.y.to)],
            BLACK.mix(0.5).stroke_width(1),
        )])
        .map_err(failed)?;
        plot.draw_series([EmptyElement::at((m.x, m.y))
            + Circle::new((0, 0), 7, BLACK.stroke_width(2))
            + Text::new(m.label.clone(), (10, -14), ("sans-serif", 13))])
            .map_err(failed)?;
    }
    if !l.series.is_empty() {
        plot.configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .draw()
            .map_err(failed)?;
    }
    Ok(hover)
}

/// Draws the mark `SERIES_MARK` followed by `what` (see [`grouped`]).
fn mark(plot: &mut Plot<'_, '_>, l: &Lines, what: &str) -> Result<()> {
    plot.draw_series([Text::new(
        format!("{SERIES_MARK}{what}"),
        ((l.x.from + l.x.to) / 2.0, (l.y.from + l.y.to) / 2.0),
        ("sans-serif", 12),
    )])
    .map_err(failed)?;
    Ok(())
}

/// One series: its line, its legend entry and, for a peer, a marker of its
/// own on every point.
fn line(plot: &mut Plot<'_, '_>, s: &Series) -> Result<()> {
    let points = s.points.clone();
    let (c, width, dashed) = match s.style {
        Style::Peer(k) => (colour(k), 2, k >= PALETTE.len()),
        Style::Summary => (BLACK, 3, false),
        Style::Secondary => (GREY, 2, true),
    };
    let style = c.stroke_width(width);
    let drawn = if dashed {
        plot.draw_series(DashedLineSeries::new(points, 6, 4, style))
    } else {
        plot.draw_series(LineSeries::new(points, style))
    };
    drawn
        .map_err(failed)?
        .label(s.name.as_str())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    let Style::Peer(k) = s.style else {
        return Ok(());
    };
    let marker = k % 4;
    plot.draw_series(s.points.iter().map(
        |&(x, y)| -> DynElement<'static, SVGBackend<'_>, (f64, f64)> {
            match marker {
                0 => Circle::new((x, y), 3, c.filled()).into_dyn(),
                1 => TriangleMarker::new((x, y), 4, c.filled()).into_dyn(),
                2 => Cross::new((x, y), 4, c.stroke_width(2)).into_dyn(),
                _ => Circle::new((x, y), 4, c.stroke_width(2)).into_dyn(),
            }
        },
    ))
    .map_err(failed)?;
    Ok(())
}

fn columns(root: &Area<'_>, title: &str, c: &Columns) -> Result<()> {
    let mut plot = plot(root, title, &c.x, &c.y)?;
    let (left, right) = if c.centred {
        (c.width / 2.0, c.width / 2.0)
    } else {
        (0.0, c.width)
    };
    plot.draw_series(c.bars.iter().map(|&(x, h)| {
        let fill = if h < 0.0 { colour(1) } else { colour(0) };
        Rectangle::new([(x - left, 0.0), (x + right, h)], fill.filled())
    }))
    .map_err(failed)?;
    if c.zero_line {
        plot.draw_series([PathElement::new(
            vec![(c.x.from, 0.0), (c.x.to, 0.0)],
            BLACK,
        )])
        .map_err(failed)?;
    }
    Ok(())
}

/// Rows of horizontal bars, labels written at the left inside the plot.
fn bars(root: &Area<'_>, title: &str, b: &Bars) -> Result<()> {
    let n = b.rows.len().max(1) as f64;
    // The labels take the left 40% of the plot, left of the axis's start.
    let span = (b.to - b.from).max(1e-9);
    let left = b.from - span * 0.7;
    let mut plot = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(0)
        .build_cartesian_2d(left..b.to, 0f64..n)
        .map_err(failed)?;
    let from = b.from;
    plot.configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .x_desc(b.unit.as_str())
        .x_label_formatter(&|x| {
            if *x >= from {
                format!("{x:.0}")
            } else {
                String::new()
            }
        })
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(failed)?;
    for (k, row) in b.rows.iter().enumerate() {
        let y = n - k as f64 - 0.5;
        plot.draw_series([Text::new(
            row.label.clone(),
            (left + span * 0.01, y + 0.15),
            ("sans-serif", 11),
        )])
        .map_err(failed)?;
        for &(lo, hi, c) in &row.bars {
            let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
            plot.draw_series([Rectangle::new(
                [(lo, y - 0.3), (hi, y + 0.3)],
                colour(c).filled(),
            )])
            .map_err(failed)?;
        }
        if let Some((lo, hi)) = row.whisker {
            let stroke = BLACK.stroke_width(2);
            plot.draw_series([
                PathElement::new(vec![(lo, y), (hi, y)], stroke),
                PathElement::new(vec![(lo, y - 0.2), (lo, y + 0.2)], stroke),
                PathElement::new(vec![(hi, y - 0.2), (hi, y + 0.2)], stroke),
            ])
            .map_err(failed)?;
        }
    }
    Ok(())
}

fn points(root: &Area<'_>, title: &str, p: &Points) -> Result<()> {
    let mut plot = plot(root, title, &p.x, &p.y)?;
    if p.diagonal {
        let (a, b) = (p.x.from.max(p.y.from), p.x.to.min(p.y.to));
        plot.draw_series(LineSeries::new(
            [(a, a), (b, b)],
            BLACK.mix(0.4).stroke_width(1),
        ))
        .map_err(failed)?;
    }
    for q in &p.points {
        plot.draw_series([Circle::new((q.x, q.y), q.size, colour(0).filled())])
            .map_err(failed)?;
        plot.draw_series([Text::new(
            q.label.clone(),
            (q.x + 2.0, q.y + 4.0),
            ("sans-serif", 12),
        )])
        .map_err(failed)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::chart::{Axis, Series, Style};

    #[test]
    fn each_series_is_a_group_named_for_it_with_its_values_on_hover() {
        let chart = Chart {
            title: "t".to_owned(),
            alt: "a".to_owned(),
            description: "d".to_owned(),
            height: 300,
            kind: Kind::Lines(Lines {
                x: Axis::new("round", 0.0, 2.0),
                y: Axis::new("position", 0.0, 100.0),
                series: vec![
                    Series {
                        name: "USA".to_owned(),
                        points: vec![(0.0, 10.0), (1.0, 20.0), (2.0, 30.0)],
                        style: Style::Peer(0),
                    },
                    Series {
                        name: "weighted <mean>".to_owned(),
                        points: vec![(0.0, 50.0), (2.0, 55.5)],
                        style: Style::Summary,
                    },
                ],
                marks: Vec::new(),
                notes: Vec::new(),
                bands: Vec::new(),
            }),
        };
        let svg = draw(&chart).unwrap();
        assert!(!svg.contains(SERIES_MARK), "{svg}");
        assert_eq!(svg.matches("<g class=\"series\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("<g ").count(), svg.matches("</g>").count());
        assert!(svg.contains("<g class=\"series\" data-series=\"weighted &lt;mean&gt;\">"));
        assert!(svg.contains("<title>USA, round 1: 20.0</title>"), "{svg}");
        assert!(svg.contains("<title>weighted &lt;mean&gt;, round 2: 55.5</title>"));
        assert!(svg.trim_end().ends_with("</svg>"));
    }
}
