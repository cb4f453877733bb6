//! The Markdown printer, for documents: every block set apart by a blank
//! line, sections as headings, tables in GitHub's form. Figures are left
//! out (their numbers are in the tables or the JSON).

use std::fmt::Write as _;

use super::doc::{Block, Document, Inline, Item, Meta, Span, Table};

/// Prints `doc` as Markdown.
pub fn print(doc: &Document) -> String {
    let mut out = String::new();
    if !doc.title.is_empty() {
        let _ = writeln!(out, "# {}", escape(&super::one_line(&doc.title)));
    }
    meta(&mut out, &doc.meta);
    blocks(&mut out, &doc.blocks, 1);
    out
}

/// Starts a block: a blank line after whatever came before.
fn block(out: &mut String) {
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// The facts of the heading, one per line within a paragraph (two trailing
/// spaces break a line).
fn meta(out: &mut String, facts: &[Meta]) {
    if facts.is_empty() {
        return;
    }
    block(out);
    let lines: Vec<String> = facts
        .iter()
        .map(|f| {
            if f.label.is_empty() {
                inline(&f.value)
            } else {
                format!("{}: {}", escape(&f.label), inline(&f.value))
            }
        })
        .collect();
    let lines: Vec<String> = lines.iter().map(|l| super::one_line(l)).collect();
    let _ = writeln!(out, "{}", lines.join("  \n"));
}

fn blocks(out: &mut String, list: &[Block], level: usize) {
    for b in list {
        match b {
            Block::Section(s) => {
                block(out);
                let _ = writeln!(out, "{} {}", "#".repeat(level + 1), inline(&s.title));
                blocks(out, &s.blocks, level + 1);
            }
            Block::Paragraph(text) => {
                block(out);
                let _ = writeln!(out, "{}", inline(text));
            }
            Block::Alert(text) => {
                block(out);
                let _ = writeln!(out, "**{}**", inline(text));
            }
            Block::List(items) => list_items(out, items),
            Block::Table(t) => table(out, t),
            Block::Code(text) => {
                block(out);
                let _ = writeln!(out, "```text\n{}\n```", text.trim_end());
            }
            Block::Figure(_) => {}
        }
    }
}

fn list_items(out: &mut String, items: &[Item]) {
    block(out);
    for item in items {
        let _ = writeln!(out, "- {}", inline(&item.text));
        for d in &item.details {
            let _ = writeln!(out, "  - {}", inline(d));
        }
    }
}

fn table(out: &mut String, t: &Table) {
    block(out);
    let heads: Vec<String> = t.columns.iter().map(|c| cell(&c.head)).collect();
    let rules: Vec<&str> = t
        .columns
        .iter()
        .map(|c| if c.numeric { "---:" } else { "---" })
        .collect();
    let _ = writeln!(out, "| {} |\n|{}|", heads.join(" | "), rules.join("|"));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| inline(c).replace('|', "\\|")).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// Inline text with its marks.
fn inline(text: &Inline) -> String {
    text.0
        .iter()
        .map(|s| match s {
            Span::Plain(t) => escape(t),
            Span::Code(t) if t.contains('`') => format!("`` {t} ``"),
            Span::Code(t) => format!("`{t}`"),
            Span::Strong(t) => format!("**{}**", escape(t)),
        })
        .collect()
}

/// A table heading.
fn cell(text: &str) -> String {
    escape(text).replace('|', "\\|")
}

/// Escapes what Markdown would read as markup in plain words: emphasis
/// marks, and a `<` that could open HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '`' | '<' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
