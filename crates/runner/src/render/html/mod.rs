//! The HTML printer: one self-contained page (no script, no font, nothing
//! fetched), its charts drawn as inline SVG.
//!
//! Every chart is a `<figure class="chart">` holding an `<svg role="img">`
//! with a `<title>` and a description; its numbers are in a table of the
//! same document, for screen readers and for copying.

mod svg;

use std::fmt::Write as _;

use super::doc::{Block, Document, Inline, Item, Section, Span, Table};
use crate::error::Result;

/// The page's style sheet.
pub const STYLE: &str = "
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.1rem 1rem; }
dl.meta dt { font-weight: 600; }
code, .hash { font-family: ui-monospace, monospace; font-size: 0.85em; word-break: break-all; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; font-size: 0.8rem; }
p.alert { border-left: 4px solid #d55e00; padding-left: 0.6rem; }
figure.chart { margin: 1.2rem 0; }
figure.chart svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { font-size: 0.9rem; color: #333; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.15rem 0.5rem; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
details { margin: 0.3rem 0 1rem; }
";

/// Prints `doc` as a whole HTML page.
pub fn print(doc: &Document) -> Result<String> {
    Ok(page(&doc.title, &body(doc)?, ""))
}

/// The page's body: the heading and the blocks (what a server embeds in a
/// page of its own).
pub fn body(doc: &Document) -> Result<String> {
    let mut out = String::new();
    out.push_str("<header>\n");
    if !doc.title.is_empty() {
        let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    }
    if !doc.meta.is_empty() {
        out.push_str("<dl class=\"meta\">\n");
        for m in &doc.meta {
            let _ = writeln!(
                out,
                "<dt>{}</dt><dd>{}</dd>",
                escape(&m.label),
                inline(&m.value)
            );
        }
        out.push_str("</dl>\n");
    }
    out.push_str("</header>\n");
    blocks(&mut out, &doc.blocks, 2)?;
    Ok(out)
}

/// A whole page around `body`, with `head` (more elements for the head)
/// after the style sheet.
pub fn page(title: &str, body: &str, head: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"entente {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n{head}</head>\n<body>\n{body}</body>\n</html>\n",
        entente_core::log::ENGINE_VERSION,
        escape(title)
    )
}

fn blocks(out: &mut String, list: &[Block], level: usize) -> Result<()> {
    for b in list {
        match b {
            Block::Section(s) => section(out, s, level)?,
            Block::Paragraph(text) => {
                let _ = writeln!(out, "<p>{}</p>", inline(text));
            }
            Block::Alert(text) => {
                let _ = writeln!(
                    out,
                    "<p class=\"alert\"><strong>{}</strong></p>",
                    inline(text)
                );
            }
            Block::List(items) => list_items(out, items),
            Block::Table(t) => table(out, t),
            Block::Code(text) => {
                let _ = writeln!(out, "<pre>{}</pre>", escape(text));
            }
            Block::Figure(f) => {
                let _ = write!(
                    out,
                    "<figure class=\"chart\" id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
                    escape(&f.id),
                    svg::draw(&f.chart)?,
                    inline(&f.caption)
                );
                if let Some((summary, t)) = &f.data {
                    let _ = writeln!(out, "<details><summary>{}</summary>", escape(summary));
                    table(out, t);
                    out.push_str("</details>\n");
                }
            }
        }
    }
    Ok(())
}

fn section(out: &mut String, s: &Section, level: usize) -> Result<()> {
    let h = level.min(6);
    match &s.id {
        Some(id) => {
            let _ = writeln!(out, "<section id=\"{}\">", escape(id));
        }
        None => out.push_str("<section>\n"),
    }
    let _ = writeln!(out, "<h{h}>{}</h{h}>", inline(&s.title));
    blocks(out, &s.blocks, level + 1)?;
    out.push_str("</section>\n");
    Ok(())
}

fn list_items(out: &mut String, items: &[Item]) {
    out.push_str("<ul>\n");
    for item in items {
        let _ = write!(out, "<li>{}", inline(&item.text));
        if !item.details.is_empty() {
            out.push_str("\n<ul>\n");
            for d in &item.details {
                let _ = writeln!(out, "<li>{}</li>", inline(d));
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

fn table(out: &mut String, t: &Table) {
    out.push_str("<table>\n<tr>");
    for c in &t.columns {
        let _ = write!(out, "<th>{}</th>", escape(&c.head));
    }
    out.push_str("</tr>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (k, cell) in row.iter().enumerate() {
            let numeric = t.columns.get(k).is_some_and(|c| c.numeric);
            let class = if numeric { " class=\"n\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", inline(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table>\n");
}

/// Inline text with its marks.
pub fn inline(text: &Inline) -> String {
    text.0
        .iter()
        .map(|s| match s {
            Span::Plain(t) => escape(t),
            Span::Code(t) => format!("<code>{}</code>", escape(t)),
            Span::Strong(t) => format!("<strong>{}</strong>", escape(t)),
        })
        .collect()
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
