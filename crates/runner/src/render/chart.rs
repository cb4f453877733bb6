//! Charts as data: what a chart shows (its axes, series, bars and marks),
//! not how it is drawn. The HTML printer draws them (`html/svg`); the text
//! and Markdown printers leave figures out.

/// A chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// The title drawn above it.
    pub title: String,
    /// What it shows, for a reader who cannot see it (the SVG's title).
    pub alt: String,
    /// How to read it (the SVG's description).
    pub description: String,
    /// Its height in pixels (the width is the page's).
    pub height: u32,
    /// What it draws.
    pub kind: Kind,
}

/// The kinds of chart.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Lines over a continuous axis (positions by round).
    Lines(Lines),
    /// Vertical bars at points of a continuous axis (a Goldstein sum per
    /// round, a histogram).
    Columns(Columns),
    /// One labelled row of horizontal bars per item (probabilities with
    /// intervals, a tornado).
    Bars(Bars),
    /// Points of different sizes (a reliability diagram).
    Points(Points),
}

/// A continuous axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// What it measures.
    pub label: String,
    /// Its range.
    pub from: f64,
    /// Its range's end.
    pub to: f64,
    /// Decimals of its tick labels.
    pub decimals: usize,
}

/// Lines over a continuous axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Lines {
    /// Across.
    pub x: Axis,
    /// Up.
    pub y: Axis,
    /// The series, in legend order.
    pub series: Vec<Series>,
    /// Vertical marks with a ringed point (an agreement).
    pub marks: Vec<Mark>,
    /// Words placed on the plot (the meaning of the scale's ends).
    pub notes: Vec<Note>,
    /// Shaded spans of the x axis (rounds of a stalemate).
    pub bands: Vec<Band>,
}

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Its legend entry.
    pub name: String,
    /// Its points.
    pub points: Vec<(f64, f64)>,
    /// How it is drawn.
    pub style: Style,
}

/// How a series is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// The k-th of several peers: its own colour, marker and, past the
    /// palette, a dash, so that greyscale still tells them apart.
    Peer(usize),
    /// The summary line (a weighted mean): thick, black.
    Summary,
    /// A second summary (a weighted median): dashed, grey.
    Secondary,
}

/// A vertical line at `x` with a ring at `(x, y)` and a label.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    /// Where across.
    pub x: f64,
    /// Where up the ring sits.
    pub y: f64,
    /// Its label.
    pub label: String,
}

/// Words at a point of the plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// Where across.
    pub x: f64,
    /// Where up.
    pub y: f64,
    /// The words.
    pub text: String,
}

/// A shaded span of the x axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    /// Its start.
    pub from: f64,
    /// Its end.
    pub to: f64,
}

/// Vertical bars at points of a continuous axis; a bar below zero is drawn
/// in a second colour.
#[derive(Clone, Debug, PartialEq)]
pub struct Columns {
    /// Across.
    pub x: Axis,
    /// Up.
    pub y: Axis,
    /// `(x, height)`: each bar starts at `x` (or is centred on it).
    pub bars: Vec<(f64, f64)>,
    /// Bar width in units of x.
    pub width: f64,
    /// Whether bars are centred on their x (else they start there).
    pub centred: bool,
    /// Whether to draw the zero line.
    pub zero_line: bool,
}

/// Labelled rows of horizontal bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    /// What the axis measures.
    pub unit: String,
    /// The axis range.
    pub from: f64,
    /// The axis range's end.
    pub to: f64,
    /// The rows, top first.
    pub rows: Vec<BarRow>,
}

/// One row of a bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct BarRow {
    /// Its label.
    pub label: String,
    /// Bars: `(from, to, colour)`, the colour an index into the palette.
    pub bars: Vec<(f64, f64, usize)>,
    /// An interval drawn as whiskers.
    pub whisker: Option<(f64, f64)>,
}

/// Points of different sizes on two continuous axes.
#[derive(Clone, Debug, PartialEq)]
pub struct Points {
    /// Across.
    pub x: Axis,
    /// Up.
    pub y: Axis,
    /// The points.
    pub points: Vec<Point>,
    /// Whether to draw the diagonal y = x.
    pub diagonal: bool,
}

/// A point of a [`Points`] chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Across.
    pub x: f64,
    /// Up.
    pub y: f64,
    /// Its radius, in pixels.
    pub size: u32,
    /// A label beside it.
    pub label: String,
}

impl Axis {
    /// An axis over `from..to`, labelled in whole numbers.
    pub fn new(label: &str, from: f64, to: f64) -> Axis {
        Axis {
            label: label.to_owned(),
            from,
            to,
            decimals: 0,
        }
    }
}
