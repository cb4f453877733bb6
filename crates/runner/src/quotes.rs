//! Quotations in a file's bases, checked against the texts they quote:
//! `entente validate --sources DIR`.
//!
//! A basis quotes a source as `ID: “…”` (curly quotes; a basis may quote
//! several). The source is found in DIR by its id: the file named in the
//! title of the `sources` entry with that id (`… (scenarios/sources/FILE)`,
//! a path in the title's last parentheses),
//! or else the one file in DIR whose name starts with the id. The quoted
//! words must appear in that file as written; a line break or a run of
//! spaces in either counts as one space (sources are stored as wrapped
//! text). Anything else in a basis, a paraphrase or an analyst's estimate,
//! is not a quotation and is not checked.

use std::path::Path;

use serde_json::Value;

use entente_core::scenario::Problem;

use crate::error::{Error, Result};
use crate::input;

/// Most files a sources folder may hold.
const MAX_SOURCES: usize = 10_000;

/// The texts of a sources folder: (file name, text with whitespace runs
/// made single spaces), and the entries that hold no text to quote (file
/// name, why: a link, a FIFO, not UTF-8…), so that a quotation of one says
/// why it cannot be checked.
#[derive(Debug)]
pub struct Sources(Vec<(String, String)>, Vec<(String, &'static str)>);

impl Sources {
    /// Reads every regular file in `dir`.
    pub fn read(dir: &Path) -> Result<Sources> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| Error::io(dir, "cannot read the folder", e))?;
        let mut texts = Vec::new();
        let mut unread = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io(dir, "cannot read the folder", e))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            match entry.file_type() {
                Ok(t) if t.is_file() => {}
                Ok(t) => {
                    unread.push((name, kind_of(t)));
                    continue;
                }
                Err(_) => continue,
            }
            if texts.len() == MAX_SOURCES {
                return Err(Error::Usage(format!(
                    "{}: more than {MAX_SOURCES} files; expected a folder of source texts",
                    dir.display()
                )));
            }
            let bytes = input::read_limited(&path, "a source text", input::MAX_SCENARIO_BYTES)?;
            match String::from_utf8(bytes) {
                Ok(text) => texts.push((name, squash(&text))),
                Err(_) => unread.push((name, "not UTF-8 text")),
            }
        }
        texts.sort();
        unread.sort();
        Ok(Sources(texts, unread))
    }
}

/// What a folder entry that is not a regular file is.
fn kind_of(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if t.is_symlink() {
        "a symbolic link, not a regular file"
    } else if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a FIFO, not a regular file"
    } else {
        "not a regular file"
    }
}

/// `text` with every run of whitespace made one space.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks every quotation in the JSON file at `path` against `sources`;
/// returns how many were checked, or every one that fails, by JSON path.
pub fn check(path: &Path, sources: &Sources, dir: &Path) -> Result<usize> {
    let bytes = input::read_limited(path, "a scenario file", input::MAX_SCENARIO_BYTES)?;
    let value: Value = input::parse_json(path, &bytes)?;
    let mut bases = Vec::new();
    collect(&value, "$".to_owned(), &mut bases);
    let mut problems = Vec::new();
    let mut checked = 0;
    for (at, basis) in bases {
        for part in basis.split('”').filter(|p| p.contains(": “")) {
            let Some((head, quote)) = part.rsplit_once(": “") else {
                continue;
            };
            let id = head
                .rsplit(|c: char| c.is_whitespace() || c == '(')
                .next()
                .unwrap_or(head);
            checked += 1;
            match find(&value, id, sources) {
                Err(why) => problems.push(Problem {
                    path: at.clone(),
                    message: format!("quotes {id:?}, but {why} in {}", dir.display()),
                }),
                Ok((file, text)) if !text.contains(&squash(quote)) => problems.push(Problem {
                    path: at.clone(),
                    message: format!(
                        "“{}” is not in {} (as written; line breaks count as spaces)",
                        short(quote),
                        dir.join(file).display()
                    ),
                }),
                Ok(_) => {}
            }
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(Error::Scenario {
            path: path.to_owned(),
            problems,
        })
    }
}

/// The source file an id names: by the `sources` entry's title, else by the
/// one file whose name starts with the id.
fn find<'s>(
    value: &Value,
    id: &str,
    sources: &'s Sources,
) -> std::result::Result<(&'s str, &'s str), String> {
    let named = value["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|x| x["id"] == id)
        .and_then(|x| x["title"].as_str())
        .and_then(|t| t.rsplit_once('(').map(|(_, rest)| rest))
        .and_then(|t| t.split(')').next())
        .filter(|t| t.contains('/'))
        .map(|t| t.rsplit('/').next().unwrap_or(t));
    let matches: Vec<&(String, String)> = sources
        .0
        .iter()
        .filter(|(file, _)| named.map_or(file.starts_with(id), |n| file == n))
        .collect();
    let unread = sources
        .1
        .iter()
        .find(|(file, _)| named.map_or(file.starts_with(id), |n| file == n));
    match (matches.as_slice(), named) {
        ([], _) if unread.is_some() => {
            let (file, why) = unread.map_or(("", ""), |(f, w)| (f.as_str(), *w));
            Err(format!("its source file {file} is {why}, and so not read,"))
        }
        ([one], _) => Ok((&one.0, &one.1)),
        ([], Some(n)) => Err(format!("its source file {n} is not")),
        ([], None) => Err("no file named after it is".to_owned()),
        (_, _) => Err(format!("{} files named after it are", matches.len())),
    }
}

/// The first words of a long quotation, for a message.
fn short(quote: &str) -> String {
    let words: Vec<&str> = quote.split_whitespace().collect();
    if words.len() <= 12 {
        words.join(" ")
    } else {
        format!("{} …", words[..12].join(" "))
    }
}

/// Every `basis` string in `v`, with its JSON path.
fn collect<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("basis", Value::String(s)) => out.push((format!("{at}.basis"), s)),
                    _ => collect(x, format!("{at}.{k}"), out),
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                collect(x, format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}
