//! One render layer: a command computes its result, tells it as a neutral
//! [`Document`], and one printer per format prints any document (pandoc's
//! arrangement, and ripgrep's printers). A layout is written once, so it
//! cannot drift between formats; JSON is not a document but a contract,
//! serialised from the result itself.

pub mod chart;
pub mod doc;
pub mod html;
pub mod markdown;
pub mod text;

pub use doc::{Block, Column, Document, Figure, Inline, Item, Meta, Section, Span, Table};

use crate::error::{Error, Result};

/// The formats a command's output is printed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// Markdown for documents.
    Markdown,
    /// JSON for tools (a contract: fields may be added, never renamed).
    Json,
    /// One self-contained HTML page for people.
    Html,
}

impl Format {
    /// The word a user types.
    pub fn word(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    /// Refuses this format for `command`, which prints only `offered`.
    pub fn refuse(self, command: &str, offered: &[Format], hint: &str) -> Error {
        let list: Vec<&str> = offered.iter().map(|f| f.word()).collect();
        Error::Usage(format!(
            "--format {}: {command} prints {}{hint}",
            self.word(),
            list.join(", ")
        ))
    }
}

/// Prints `doc` in a document format; JSON is refused (the caller
/// serialises its result instead). Every document states in its heading the
/// engine that made it (a run's report, the engine of its log): a reader
/// knows what produced it, and Entente knows its own file before it writes
/// over one (`output::written_by_entente`).
pub fn print(doc: &Document, format: Format) -> Result<String> {
    let stamped;
    let doc = if doc.meta.iter().any(|m| m.label == "engine") {
        doc
    } else {
        let mut d = doc.clone();
        d.meta.push(Meta {
            label: "engine".to_owned(),
            value: Inline::plain(format!("entente {}", entente_core::log::ENGINE_VERSION)),
        });
        stamped = d;
        &stamped
    };
    match format {
        Format::Text => Ok(text::print(doc)),
        Format::Markdown => Ok(markdown::print(doc)),
        Format::Html => html::print(doc),
        Format::Json => Err(Error::Usage(
            "--format json: this output has no JSON form".to_owned(),
        )),
    }
}

/// A result that can be printed in every format: told as a document, and
/// serialised as its JSON contract.
pub trait Render {
    /// The result told as a document.
    fn document(&self) -> Document;

    /// The JSON contract.
    fn json(&self) -> String;

    /// The result in `format`.
    fn render(&self, format: Format) -> Result<String> {
        match format {
            Format::Json => Ok(self.json()),
            other => print(&self.document(), other),
        }
    }
}

/// A heading's title or fact on one line: a line break in it (a title or a
/// file name may hold one) becomes a space, so the heading stays the few
/// lines it is.
pub(crate) fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// Serialises `value` as pretty JSON with a final newline, with the engine
/// that made it as a last top-level field `engine` (for a result whose own
/// fields do not name it).
pub fn stamped_json<T: serde::Serialize>(value: &T) -> String {
    #[derive(serde::Serialize)]
    struct Stamped<'a, T> {
        #[serde(flatten)]
        value: &'a T,
        engine: &'static str,
    }
    pretty_json(&Stamped {
        value,
        engine: entente_core::log::ENGINE_VERSION,
    })
}

/// Serialises `value` as pretty JSON with a final newline.
pub fn pretty_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(value).unwrap_or_default()
    )
}
