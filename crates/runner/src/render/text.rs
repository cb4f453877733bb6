//! The plain-text printer, for a terminal: headings at the margin, what
//! they hold indented two spaces, tables aligned on their contents. Figures
//! are left out (their numbers are in the tables or the JSON).

use std::fmt::Write as _;

use super::doc::{Block, Document, Inline, Item, Meta, Section, Table};

/// Prints `doc` as plain text.
pub fn print(doc: &Document) -> String {
    let mut out = String::new();
    if !doc.title.is_empty() {
        let _ = writeln!(out, "{}", super::one_line(&doc.title));
    }
    meta(&mut out, &doc.meta);
    blocks(&mut out, &doc.blocks, 0, 0);
    out
}

/// The facts of the heading, joined by " · " on lines of up to 80
/// characters; a long value (a fingerprint) on a line of its own.
fn meta(out: &mut String, facts: &[Meta]) {
    let mut line = String::new();
    for fact in facts {
        let value = fact.value.words();
        let item = super::one_line(&if fact.label.is_empty() {
            value
        } else {
            format!("{} {value}", fact.label)
        });
        let long = item.chars().count() > 48;
        if !line.is_empty() && (long || line.chars().count() + 3 + item.chars().count() > 80) {
            let _ = writeln!(out, "{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push_str(" · ");
        }
        line.push_str(&item);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{line}");
    }
}

fn blocks(out: &mut String, list: &[Block], depth: usize, indent: usize) {
    for block in list {
        match block {
            Block::Section(s) => section(out, s, depth + 1),
            Block::Paragraph(text) | Block::Alert(text) => line(out, indent, text),
            Block::List(items) => list_items(out, items, indent),
            Block::Table(t) => table(out, t, indent),
            Block::Code(text) => {
                for l in text.lines() {
                    let _ = writeln!(out, "{:indent$}{l}", "");
                }
            }
            Block::Figure(_) => {}
        }
    }
}

/// A section: a blank line, its title (underlined at the top level), and
/// what it holds indented.
fn section(out: &mut String, s: &Section, depth: usize) {
    let title = s.title.words();
    // A blank line sets a section apart, but not from its parent's
    // underline.
    if !out.is_empty() && !out.ends_with("-\n") {
        out.push('\n');
    }
    if depth == 1 {
        let _ = writeln!(out, "{title}\n{}", "-".repeat(title.chars().count()));
    } else {
        let _ = writeln!(out, "{title}");
    }
    blocks(out, &s.blocks, depth, 2);
}

fn line(out: &mut String, indent: usize, text: &Inline) {
    let _ = writeln!(out, "{:indent$}{}", "", text.words());
}

fn list_items(out: &mut String, items: &[Item], indent: usize) {
    for item in items {
        line(out, indent, &item.text);
        for detail in &item.details {
            line(out, indent + 2, detail);
        }
    }
}

/// A table aligned on its contents: numbers to the right, words to the
/// left, two spaces between columns.
fn table(out: &mut String, t: &Table, indent: usize) {
    let cells: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| r.iter().map(Inline::words).collect())
        .collect();
    let widths: Vec<usize> = (0..t.columns.len())
        .map(|k| {
            cells
                .iter()
                .map(|r| r.get(k).map_or(0, |c| c.chars().count()))
                .chain([t.columns[k].head.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let row = |values: Vec<&str>| -> String {
        let padded: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(k, c)| {
                let w = widths.get(k).copied().unwrap_or(0);
                if t.columns.get(k).is_some_and(|c| c.numeric) {
                    format!("{c:>w$}")
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect();
        format!("{:indent$}{}", "", padded.join("  ").trim_end())
    };
    let _ = writeln!(
        out,
        "{}",
        row(t.columns.iter().map(|c| c.head.as_str()).collect())
    );
    for r in &cells {
        let _ = writeln!(out, "{}", row(r.iter().map(String::as_str).collect()));
    }
}
