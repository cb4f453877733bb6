//! The neutral document every command's result is told in: sections,
//! paragraphs, lists, tables and figures, with no format in sight. The
//! printers (`text`, `markdown`, `html`) decide how each part looks.

use super::chart::Chart;

/// A result told for people: a title, a few facts about it, and blocks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The title.
    pub title: String,
    /// Facts about what is reported (seed, engine, fingerprint…), in order.
    pub meta: Vec<Meta>,
    /// The body.
    pub blocks: Vec<Block>,
}

/// One fact of a document's heading.
#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    /// What it is (`seed`).
    pub label: String,
    /// Its value.
    pub value: Inline,
}

/// A run of text: plain words, code and emphasis.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Inline(pub Vec<Span>);

/// A piece of an [`Inline`].
#[derive(Clone, Debug, PartialEq)]
pub enum Span {
    /// Plain words.
    Plain(String),
    /// Code: an id, a key, a fingerprint, a sparkline.
    Code(String),
    /// Words that stand out.
    Strong(String),
}

/// A part of a document's body.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A titled part, which may hold sections of its own.
    Section(Section),
    /// A paragraph.
    Paragraph(Inline),
    /// Something the reader must not miss (an incomplete log, a partial
    /// sweep).
    Alert(Inline),
    /// A list; each item may carry details under it.
    List(Vec<Item>),
    /// A table.
    Table(Table),
    /// A chart with its caption and its numbers. Only a printer that can
    /// draw the chart shows the figure, so a figure holds nothing that is not
    /// elsewhere in the document or in the command's JSON.
    Figure(Box<Figure>),
    /// Text shown as written (a log line).
    Code(String),
}

/// A titled part of a document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Section {
    /// An anchor (HTML), stable across runs.
    pub id: Option<String>,
    /// The title.
    pub title: Inline,
    /// What it holds.
    pub blocks: Vec<Block>,
}

/// A list item, with the details under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The item.
    pub text: Inline,
    /// Lines under it.
    pub details: Vec<Inline>,
}

/// A table: its columns, then rows of cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows: one cell per column.
    pub rows: Vec<Vec<Inline>>,
}

/// A table's column.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The heading.
    pub head: String,
    /// Whether it holds numbers (aligned right).
    pub numeric: bool,
}

/// A chart and what it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// An anchor (HTML), stable across runs.
    pub id: String,
    /// The chart.
    pub chart: Chart,
    /// The caption.
    pub caption: Inline,
    /// The chart's numbers as a table (HTML folds it under the chart), with
    /// its one-line summary.
    pub data: Option<(String, Table)>,
}

impl Inline {
    /// Plain words.
    pub fn plain(text: impl Into<String>) -> Inline {
        Inline(vec![Span::Plain(text.into())])
    }

    /// Code.
    pub fn code(text: impl Into<String>) -> Inline {
        Inline(vec![Span::Code(text.into())])
    }

    /// Words that stand out.
    pub fn strong(text: impl Into<String>) -> Inline {
        Inline(vec![Span::Strong(text.into())])
    }

    /// This, then plain words.
    #[must_use]
    pub fn then(mut self, text: impl Into<String>) -> Inline {
        self.0.push(Span::Plain(text.into()));
        self
    }

    /// This, then code.
    #[must_use]
    pub fn then_code(mut self, text: impl Into<String>) -> Inline {
        self.0.push(Span::Code(text.into()));
        self
    }

    /// The words without their marks.
    pub fn words(&self) -> String {
        self.0
            .iter()
            .map(|s| match s {
                Span::Plain(t) | Span::Code(t) | Span::Strong(t) => t.as_str(),
            })
            .collect()
    }
}

impl From<&str> for Inline {
    fn from(text: &str) -> Inline {
        Inline::plain(text)
    }
}

impl From<String> for Inline {
    fn from(text: String) -> Inline {
        Inline::plain(text)
    }
}

impl Meta {
    /// A fact: `label` and its plain value.
    pub fn new(label: &str, value: impl Into<Inline>) -> Meta {
        Meta {
            label: label.to_owned(),
            value: value.into(),
        }
    }
}

impl Section {
    /// A section titled `title`, with the anchor `id`.
    pub fn new(id: impl Into<Option<String>>, title: impl Into<Inline>) -> Section {
        Section {
            id: id.into(),
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    /// Adds a block.
    pub fn push(&mut self, block: Block) {
        self.blocks.push(block);
    }

    /// Adds a paragraph.
    pub fn paragraph(&mut self, text: impl Into<Inline>) {
        self.blocks.push(Block::Paragraph(text.into()));
    }
}

impl Item {
    /// An item without details.
    pub fn new(text: impl Into<Inline>) -> Item {
        Item {
            text: text.into(),
            details: Vec::new(),
        }
    }
}

impl Table {
    /// A table with these column headings; a heading written with a
    /// leading `>` is a column of numbers, aligned right (the `>` is not
    /// shown), as Markdown's `---:` says.
    pub fn new(columns: &[&str]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|head| match head.strip_prefix('>') {
                    Some(head) => Column {
                        head: head.to_owned(),
                        numeric: true,
                    },
                    None => Column {
                        head: (*head).to_owned(),
                        numeric: false,
                    },
                })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row of plain cells.
    pub fn row<S: Into<Inline>>(&mut self, cells: impl IntoIterator<Item = S>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }
}

impl Block {
    /// A figure.
    pub fn figure(f: Figure) -> Block {
        Block::Figure(Box::new(f))
    }
}

impl From<Section> for Block {
    fn from(s: Section) -> Block {
        Block::Section(s)
    }
}

impl From<Table> for Block {
    fn from(t: Table) -> Block {
        Block::Table(t)
    }
}

/// A sparkline of `values` on the fixed range `lo..=hi`: one bar of eight
/// heights per value.
pub fn sparkline(values: &[f64], lo: f64, hi: f64) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|&v| {
            if hi > lo {
                BARS[(((v - lo) / (hi - lo)).clamp(0.0, 1.0) * 7.0).round() as usize]
            } else {
                BARS[3]
            }
        })
        .collect()
}

/// A sparkline scaled to the values' own range.
pub fn sparkline_own(values: &[f64]) -> String {
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    sparkline(values, lo, hi)
}
