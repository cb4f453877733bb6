//! What the product may write over, and how it writes.
//!
//! Every output of a command is checked before any work is done
//! ([`check_paths`]): it is never a symbolic link, never something that is
//! not a regular file (a directory, a device, a FIFO, a socket), never one of
//! the command's inputs (compared by device and inode, so hard links and
//! symbolic links to an input count), never another of its outputs. A
//! report, a table, a sweep or a part replaces only a file Entente wrote
//! ([`written_by_entente`]: each output carries its mark), never a log and
//! never a file of the user's; a log replaces only an Entente log, and only
//! with `--force`. Standard output is named `-`.
//!
//! A file is written whole or not at all: into a temporary sibling that is
//! renamed over the target, so a reader sees the old file or the new one.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::os::unix::fs::FileTypeExt;
use std::path::Path;

use crate::error::{Error, Result};
use crate::files::{create_fresh, same_file, sync_parent_dir, temporary_sibling};
use crate::input::{FileKind, sniff};

/// The name of standard output as an output path.
pub const STDOUT: &str = "-";

/// What an output may replace if its path exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replaces {
    /// A log written without `--force`: nothing.
    Nothing,
    /// A log written with `--force`: an Entente log that is not an input.
    ALog,
    /// A report, a table, a sweep, a part, an imported scenario, a
    /// counterexample: an earlier output of Entente's, never a log.
    AnOutput,
    /// An output written only where no file is (`import` without `--force`).
    NoFile,
    /// A scenario Entente makes (an import with `--force`, a check-laws
    /// counterexample) or the summary written in its place: an earlier
    /// output of Entente's, a scenario Entente made included.
    AScenario,
    /// A scenario the analyst edits in the workbench and saves over itself:
    /// any regular file but a log.
    AnEdit,
}

/// An output a command is to write, named by its flag.
#[derive(Clone, Copy, Debug)]
pub struct Planned<'a> {
    /// The flag that names it (`--out`, `--csv`).
    pub flag: &'a str,
    /// Where.
    pub path: &'a Path,
    /// What it may replace.
    pub replaces: Replaces,
}

impl<'a> Planned<'a> {
    /// A report, table, sweep or part (replacing only an earlier output).
    pub fn file(flag: &'a str, path: &'a Path) -> Planned<'a> {
        Planned {
            flag,
            path,
            replaces: Replaces::AnOutput,
        }
    }

    /// An output written over an earlier output only if `force`
    /// (`import --out`).
    pub fn forced(flag: &'a str, path: &'a Path, force: bool) -> Planned<'a> {
        Planned {
            flag,
            path,
            replaces: if force {
                Replaces::AScenario
            } else {
                Replaces::NoFile
            },
        }
    }

    /// A scenario Entente makes, or what is written in its place (a
    /// check-laws counterexample, or its verdict when every law holds).
    pub fn scenario(flag: &'a str, path: &'a Path) -> Planned<'a> {
        Planned {
            flag,
            path,
            replaces: Replaces::AScenario,
        }
    }

    /// A scenario saved over itself from the workbench's editor.
    pub fn edit(flag: &'a str, path: &'a Path) -> Planned<'a> {
        Planned {
            flag,
            path,
            replaces: Replaces::AnEdit,
        }
    }

    /// A log, replacing an old log only if `force`.
    pub fn log(flag: &'a str, path: &'a Path, force: bool) -> Planned<'a> {
        Planned {
            flag,
            path,
            replaces: if force {
                Replaces::ALog
            } else {
                Replaces::Nothing
            },
        }
    }
}

/// Checks, before any work is done, every output a command is to write
/// against what it may replace, the command's inputs and one another.
pub fn check_paths(outputs: &[Planned<'_>], inputs: &[&Path]) -> Result<()> {
    for (k, out) in outputs.iter().enumerate() {
        let shown = out.path.display();
        let flag = out.flag;
        if is_stdout(out.path) {
            if matches!(
                out.replaces,
                Replaces::AnOutput | Replaces::NoFile | Replaces::AScenario
            ) {
                continue;
            }
            return Err(Error::Usage(format!(
                "{flag} -: a log is written to a file, not to standard output"
            )));
        }
        check_kind(out)?;
        if let Some(input) = inputs.iter().find(|i| same_file(i, out.path)) {
            return Err(Error::Usage(format!(
                "{flag} {shown}: is the input {}; an output never replaces what it was made from",
                input.display()
            )));
        }
        // An output is written beside itself first; an input there would be
        // taken for a leftover and removed.
        let beside = temporary_sibling(out.path);
        if let Some(input) = inputs.iter().find(|i| same_file(i, &beside)) {
            return Err(Error::Usage(format!(
                "{flag} {shown}: the input {} is where this output is written before it is renamed into place; move it or choose another output",
                input.display()
            )));
        }
        if let Some(other) = outputs
            .iter()
            .enumerate()
            .find(|&(j, o)| j != k && !is_stdout(o.path) && same_file(o.path, &beside))
        {
            return Err(Error::Usage(format!(
                "{flag} {shown}: {} {} is where this output is written before it is renamed into place; choose another name",
                other.1.flag,
                other.1.path.display()
            )));
        }
        if !matches!(out.replaces, Replaces::Nothing | Replaces::ALog) {
            let dir = crate::files::parent_dir(out.path);
            if !dir.is_dir() {
                return Err(Error::Usage(format!(
                    "{flag} {shown}: the directory {} does not exist",
                    dir.display()
                )));
            }
        }
        if let Some(other) = outputs[..k]
            .iter()
            .find(|o| !is_stdout(o.path) && same_file(o.path, out.path))
        {
            return Err(Error::Usage(format!(
                "{flag} {shown}: {} names the same file; give each output its own",
                other.flag
            )));
        }
        check_replaces(out)?;
    }
    Ok(())
}

/// Whether `path` names standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == STDOUT
}

/// What an existing file at an output path may be, and whether it may be
/// replaced: checked again when the output is placed, since a file may
/// have appeared there while the command ran.
pub fn check_still(out: &Planned<'_>) -> Result<()> {
    check_kind(out)?;
    check_replaces(out)
}

/// Refuses an output path that is a link or not a regular file.
fn check_kind(out: &Planned<'_>) -> Result<()> {
    let (flag, shown) = (out.flag, out.path.display());
    let Ok(meta) = fs::symlink_metadata(out.path) else {
        return Ok(());
    };
    let refuse = |why: &str| Err(Error::Usage(format!("{flag} {shown}: {why}")));
    let kind = meta.file_type();
    if kind.is_symlink() {
        return refuse(
            "is a symbolic link; an output is never written through one (name the file itself)",
        );
    }
    if !kind.is_file() {
        let what = if kind.is_dir() {
            "a directory"
        } else if kind.is_block_device() || kind.is_char_device() {
            "a device"
        } else if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "not a regular file"
        };
        return refuse(&format!(
            "is {what}; an output is a regular file (or - for standard output)"
        ));
    }
    Ok(())
}

/// Refuses to replace an existing file the output may not replace.
fn check_replaces(out: &Planned<'_>) -> Result<()> {
    let (flag, shown) = (out.flag, out.path.display());
    if fs::symlink_metadata(out.path).is_err() {
        return Ok(());
    }
    let refuse = |why: &str| Err(Error::Usage(format!("{flag} {shown}: {why}")));
    let is_log = sniff(out.path) == FileKind::Log;
    match out.replaces {
        Replaces::Nothing => refuse(
            "already exists; a log is never overwritten silently (pass --force to replace an older log)",
        ),
        Replaces::NoFile => refuse(
            "already exists; --force replaces an earlier output of Entente's (never another file)",
        ),
        Replaces::ALog if !is_log => {
            refuse("is not an Entente log; --force replaces only a log, never another file")
        }
        Replaces::AnOutput | Replaces::AnEdit | Replaces::AScenario if is_log => {
            refuse("is an Entente log; an output never overwrites a log (choose another path)")
        }
        Replaces::AnOutput if written_by_entente(out.path) != Some(Ours::Output) => refuse(
            "exists and is not a file Entente wrote; an output replaces only an earlier output of Entente's (remove it or choose another path)",
        ),
        Replaces::AScenario if written_by_entente(out.path).is_none() => refuse(
            "exists and is not a file Entente wrote; it replaces only an earlier output of Entente's, an import or a counterexample (remove it or choose another path)",
        ),
        _ => Ok(()),
    }
}

/// Refuses `path` when it holds an Entente log.
pub fn refuse_log(path: &Path) -> Result<()> {
    if sniff(path) == FileKind::Log {
        return Err(Error::Usage(format!(
            "{}: is an Entente log; an output never overwrites a log (choose another path)",
            path.display()
        )));
    }
    Ok(())
}

/// Writes `bytes` to `path` whole: into a temporary sibling, synced, then
/// renamed over `path`. A reader sees the old file or the new one, never half.
/// What `path` holds may be replaced only if it is an earlier output.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_planned(Planned::file("output", path), bytes)
}

/// Saves an edited scenario over itself, whole (the workbench's editor):
/// as [`write_atomically`], but what it replaces is the analyst's own file.
pub fn save_edit(path: &Path, bytes: &[u8]) -> Result<()> {
    write_planned(Planned::edit("scenario", path), bytes)
}

/// Writes `bytes` whole as `planned` says: into a temporary sibling,
/// synced, then renamed over the path, what it may replace checked again at
/// the rename.
pub fn write_planned(planned: Planned<'_>, bytes: &[u8]) -> Result<()> {
    let path = planned.path;
    let temporary = temporary_sibling(path);
    let mut file =
        create_fresh(&temporary, is_leftover).map_err(|e| Error::io(path, "cannot write", e))?;
    if let Err(e) = file.write_all(bytes) {
        let _ = fs::remove_file(&temporary);
        return Err(Error::io(path, "cannot write", e));
    }
    // The lock is held until the file is in place.
    let placed = place(&temporary, planned);
    drop(file);
    placed
}

/// Syncs `temporary` and renames it over `path` (refused if `path` has
/// become a log or something other than a regular file meanwhile); the
/// temporary is removed if anything fails.
pub fn put_in_place(temporary: &Path, path: &Path) -> Result<()> {
    place(temporary, Planned::file("output", path))
}

fn place(temporary: &Path, planned: Planned<'_>) -> Result<()> {
    let path = planned.path;
    let done = check_still(&planned).and_then(|()| {
        File::open(temporary)
            .and_then(|f| f.sync_all())
            .and_then(|()| fs::rename(temporary, path))
            .map_err(|e| Error::io(path, "cannot write", e))
    });
    if done.is_err() {
        let _ = fs::remove_file(temporary);
    }
    done?;
    sync_parent_dir(path)
}

/// The most of a file's beginning read to tell whether Entente wrote it:
/// every mark but a scenario's stands in it.
const HEAD_BYTES: u64 = 64 << 10;

/// The words a check-laws counterexample's description ends with.
pub const COUNTEREXAMPLE_MARK: &str = "Counterexample written by `entente check-laws`.";

/// The words before the digest that closes the description of a scenario
/// Entente made (`… Entente digest 0123456789abcdef.`).
pub const DIGEST_MARK: &str = "Entente digest ";

/// Hex digits of the digest a scenario Entente made carries.
const DIGEST_HEX: usize = 16;

/// The bytes the digest sentence and the space before it take in a
/// description.
pub const DIGEST_SENTENCE_BYTES: usize = 1 + DIGEST_MARK.len() + DIGEST_HEX + 1;

/// `scenario` as the pretty JSON of a scenario Entente made (an import, a
/// check-laws counterexample): its description closed by the sentence
/// `Entente digest D.`, D the first 16 hex digits of the SHA-256 of the
/// file's bytes without that sentence (and the space before it). Such a
/// file is Entente's, and a later import or check-laws may replace it,
/// only while the digest still matches ([`written_by_entente`]): any edit
/// by hand makes it the user's. A digest the description already ends with
/// (a scenario Entente made, given again) is replaced; the description
/// gives way to the sentence within the format's limit on a text.
pub fn signed_scenario(scenario: &entente_core::Scenario) -> String {
    let mut s = scenario.clone();
    let mut base = unsigned(&s.description).to_owned();
    let room = entente_core::limits::MAX_TEXT_BYTES - DIGEST_SENTENCE_BYTES;
    let mut cut = base.len().min(room);
    while !base.is_char_boundary(cut) {
        cut -= 1;
    }
    base.truncate(cut);
    let sep = if base.is_empty() { "" } else { " " };
    s.description.clone_from(&base);
    let bare = serde_json::to_string_pretty(&s).unwrap_or_default() + "\n";
    let digest = entente_core::Hash::digest(bare.as_bytes()).to_string();
    s.description = format!("{base}{sep}{DIGEST_MARK}{}.", &digest[..DIGEST_HEX]);
    serde_json::to_string_pretty(&s).unwrap_or_default() + "\n"
}

/// A description without the digest sentence [`signed_scenario`] closes it
/// with, if it has one.
pub fn unsigned(description: &str) -> &str {
    match digest_at(description) {
        Some(at) => description[..at]
            .strip_suffix(' ')
            .unwrap_or(&description[..at]),
        None => description,
    }
}

/// Where the digest sentence that closes `description` begins: its
/// [`DIGEST_MARK`], 16 lower-case hex digits and a full stop, at its end.
fn digest_at(description: &str) -> Option<usize> {
    let at = description.rfind(DIGEST_MARK)?;
    let hex = description[at + DIGEST_MARK.len()..].strip_suffix('.')?;
    (hex.len() == DIGEST_HEX && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then_some(at)
}

/// Whether `bytes`, a scenario whose description is `description`, still
/// has the digest its description closes with: the file as Entente wrote
/// it, byte for byte.
fn digest_matches(bytes: &[u8], description: &str) -> bool {
    let Some(at) = digest_at(description) else {
        return false;
    };
    let sep = if description[..at].ends_with(' ') {
        " "
    } else {
        ""
    };
    let claimed = &description[at + DIGEST_MARK.len()..description.len() - 1];
    // The sentence as the file holds it, at the end of the description's
    // string (it is plain ASCII, so JSON writes it as it is).
    let sentence = format!("{sep}{DIGEST_MARK}{claimed}.\"");
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let Some(pos) = text.find(&sentence) else {
        return false;
    };
    let bare = format!("{}{}", &text[..pos], &text[pos + sentence.len() - 1..]);
    entente_core::Hash::digest(bare.as_bytes()).to_string()[..DIGEST_HEX] == *claimed
}

/// What kind of file Entente wrote, by its mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ours {
    /// A report, table, summary, sweep or part.
    Output,
    /// A scenario Entente made: an import or a check-laws counterexample.
    /// Only the commands that write scenarios replace one.
    Scenario,
}

/// Whether the file at `path` is an output Entente wrote, and of which
/// kind, by the mark each output carries in its first bytes: a sweep or a
/// part names its format; every report, table and summary in text or
/// Markdown states the engine among the facts of its heading (`engine
/// entente 0.7.0`), in HTML in its `generator` meta tag, in JSON in its
/// top-level `engine`; a CSV starts with one of Entente's header lines; an
/// imported scenario (its description says so and its one source is the
/// import) or a counterexample (its description ends so) is a scenario. A
/// log is not an output (it is replaced only by a log, with `--force`).
pub fn written_by_entente(path: &Path) -> Option<Ours> {
    match sniff(path) {
        FileKind::Sweep | FileKind::Part => return Some(Ours::Output),
        FileKind::Log => return None,
        FileKind::Other => {}
    }
    let mut head = Vec::new();
    crate::input::open(path)
        .ok()?
        .take(HEAD_BYTES)
        .read_to_end(&mut head)
        .ok()?;
    // The read may end inside a character: what comes before it.
    let text = match std::str::from_utf8(&head) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
    };
    if text.trim_start().starts_with('{') {
        if top_level_engine(text).is_some_and(is_version) {
            return Some(Ours::Output);
        }
        return scenario_is_ours(path).then_some(Ours::Scenario);
    }
    (csv_is_ours(text) || document_is_ours(text)).then_some(Ours::Output)
}

/// Whether the file at a temporary's name is a leftover of an interrupted
/// write of Entente's, and so may be removed: empty (it holds nothing to
/// lose), or beginning as a log, a sweep or another output of Entente's
/// begins. A file of someone else's that bears the name is none of these.
pub fn is_leftover(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0)
        || sniff(path) == FileKind::Log
        || written_by_entente(path).is_some()
}

/// A version as the engine writes it: `0.7.0`.
fn is_version(v: &str) -> bool {
    let parts: Vec<&str> = v.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The string value of the top-level key `engine` of the JSON object that
/// `head` begins (its first bytes only: the rest may be cut off).
fn top_level_engine(head: &str) -> Option<&str> {
    let bytes = head.as_bytes();
    let (mut depth, mut key_next, mut i) = (0usize, false, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let string = head.get(start..j)?;
                i = j + 1;
                if depth == 1 && key_next {
                    key_next = false;
                    if string == "engine" {
                        let value = head.get(i..)?.trim_start().strip_prefix(':')?;
                        let value = value.trim_start().strip_prefix('"')?;
                        return value.split('"').next();
                    }
                }
                continue;
            }
            b'{' => {
                depth += 1;
                key_next = depth == 1;
            }
            b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => key_next = true,
            _ => {}
        }
        i += 1;
    }
    None
}

/// A scenario Entente made (read whole, as a scenario is): an import or a
/// check-laws counterexample whose description closes with the digest of
/// the file as Entente wrote it ([`signed_scenario`]), still matching. A
/// scenario that was imported and then edited by hand is the user's.
fn scenario_is_ours(path: &Path) -> bool {
    let Ok(bytes) =
        crate::input::read_limited(path, "a scenario", crate::input::MAX_SCENARIO_BYTES)
    else {
        return false;
    };
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(&bytes)
    else {
        return false;
    };
    let description = map
        .get("description")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    digest_matches(&bytes, description)
}

/// A text, Markdown or HTML document: the engine among the facts of the
/// heading (its first lines: the title and the facts, each on one line) or
/// the HTML generator tag.
fn document_is_ours(text: &str) -> bool {
    if text.starts_with("<!DOCTYPE html>") {
        // The generator tag in the head, or (a page of an engine before
        // 0.7.0) the engine among the facts of the page's header.
        let (head, body) = text.split_once("</head>").unwrap_or((text, ""));
        let header = body.split_once("</header>").map_or("", |(h, _)| h);
        return head
            .lines()
            .filter_map(|l| l.strip_prefix("<meta name=\"generator\" content=\"entente "))
            .chain(
                header
                    .lines()
                    .filter_map(|l| l.strip_prefix("<dt>engine</dt><dd>entente ")),
            )
            .any(|rest| {
                rest.strip_suffix("\">")
                    .or_else(|| rest.strip_suffix("</dd>"))
                    .is_some_and(is_version)
            });
    }
    heading_facts(text).any(|fact| {
        fact.strip_prefix("engine entente ")
            .or_else(|| fact.strip_prefix("engine: entente "))
            .is_some_and(is_version)
    })
}

/// The facts of a document's heading as the printers write it, and no
/// other line: in Markdown (`# Title`, a blank line, then the facts' one
/// paragraph, a fact a line, each but the last ending in the two spaces
/// that break a line), the paragraph's lines; in text (the title, then the
/// facts joined by ` · ` on the lines that follow it up to the first blank
/// line), the items of those lines. A line of a user's notes that quotes a
/// fact, after a blank line or in a paragraph that does not have the
/// heading's shape, is none of them.
fn heading_facts(text: &str) -> impl Iterator<Item = &str> {
    // The most lines a heading holds: a title and its facts.
    const MOST: usize = 40;
    let mut lines = text.lines();
    let (markdown, paragraph): (bool, Vec<&str>) = match text.lines().next() {
        Some(title) if title.starts_with("# ") => {
            lines.next();
            let facts: Vec<&str> = match lines.next() {
                Some("") => lines.take_while(|l| !l.is_empty()).take(MOST + 1).collect(),
                _ => Vec::new(),
            };
            let shaped =
                facts.len() <= MOST && facts.iter().rev().skip(1).all(|l| l.ends_with("  "));
            (true, if shaped { facts } else { Vec::new() })
        }
        _ => {
            let heading: Vec<&str> = lines.take_while(|l| !l.is_empty()).take(MOST + 1).collect();
            (
                false,
                if heading.len() <= MOST {
                    heading
                } else {
                    Vec::new()
                },
            )
        }
    };
    paragraph.into_iter().flat_map(move |l| {
        let items: Vec<&str> = if markdown {
            vec![l.trim_end()]
        } else {
            l.split(" · ").map(str::trim_end).collect()
        };
        items
    })
}

/// A CSV Entente writes: a sweep's (one variant or two, a shard's, a
/// partial merge's) or a backtest's, told by its first line (and, after a
/// partial merge's note, its second).
fn csv_is_ours(text: &str) -> bool {
    let mut lines = text.lines();
    let mut first = lines.next().unwrap_or_default();
    if crate::sweep::is_partial_note(first) {
        first = lines.next().unwrap_or_default();
    }
    let columns: Vec<&str> = first.split(',').collect();
    matches!(columns.as_slice(), ["seed", "fingerprint", ..])
        || matches!(
            columns.as_slice(),
            ["seed", "a:fingerprint", "b:fingerprint", ..]
        )
        || crate::sweep::is_shard_line(first)
        || first == crate::backtest::CSV_HEADER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_never_overwritten_and_an_earlier_output_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let log = dir.join("run.jsonl");
        let header = b"{\"format\":\"entente-log\",\"version\":1}\n";
        fs::write(&log, header).unwrap();
        let refused = write_atomically(&log, b"report").unwrap_err();
        assert!(
            refused.to_string().contains("is an Entente log"),
            "{refused}"
        );
        assert_eq!(fs::read(&log).unwrap(), header);

        // A file of the user's is never replaced; an earlier output is.
        let report = dir.join("report.json");
        fs::write(&report, b"old").unwrap();
        let refused = write_atomically(&report, b"new").unwrap_err();
        assert!(
            refused.to_string().contains("not a file Entente wrote"),
            "{refused}"
        );
        assert_eq!(fs::read(&report).unwrap(), b"old");
        let earlier = b"{\n  \"runs\": 3,\n  \"engine\": \"0.7.0\"\n}\n";
        fs::write(&report, earlier).unwrap();
        write_atomically(&report, b"new").unwrap();
        assert_eq!(fs::read(&report).unwrap(), b"new");
        assert!(!temporary_sibling(&report).exists());
        // The workbench's editor saves over the analyst's own scenario.
        save_edit(&report, b"edited").unwrap();
        assert_eq!(fs::read(&report).unwrap(), b"edited");

        let absent = dir.join("absent.csv");
        assert!(same_file(&absent, &dir.join(".").join("absent.csv")));
        let clash = check_paths(
            &[
                Planned::file("--out", &absent),
                Planned::file("--csv", &absent),
            ],
            &[],
        );
        assert!(
            clash
                .unwrap_err()
                .to_string()
                .contains("--out names the same file")
        );
        fs::write(&report, earlier).unwrap();
        let over_input = check_paths(&[Planned::file("--csv", &report)], &[&report]);
        assert!(over_input.unwrap_err().to_string().contains("is the input"));
    }

    #[test]
    fn links_devices_directories_and_non_logs_are_never_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let scenario = dir.join("s.json");
        fs::write(&scenario, b"{}").unwrap();
        let log = dir.join("old.jsonl");
        fs::write(&log, b"{\"format\":\"entente-log\"}\n").unwrap();
        let hard = dir.join("hard.json");
        fs::hard_link(&scenario, &hard).unwrap();
        let soft = dir.join("soft.jsonl");
        std::os::unix::fs::symlink(&log, &soft).unwrap();
        let why = |planned: Planned<'_>, inputs: &[&Path]| {
            check_paths(&[planned], inputs)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default()
        };
        // --force replaces only a log that is not an input.
        assert!(why(Planned::log("--out", &scenario, true), &[&scenario]).contains("is the input"));
        assert!(why(Planned::log("--out", &hard, true), &[&scenario]).contains("is the input"));
        assert!(why(Planned::log("--out", &hard, true), &[]).contains("not an Entente log"));
        assert!(why(Planned::log("--out", &log, true), &[&log]).contains("is the input"));
        assert!(why(Planned::log("--out", &log, false), &[]).contains("already exists"));
        assert!(why(Planned::log("--out", &log, true), &[]).is_empty());
        // A hard link to an input is the input.
        let hard_log = dir.join("hard.jsonl");
        fs::hard_link(&log, &hard_log).unwrap();
        assert!(why(Planned::log("--out", &hard_log, true), &[&log]).contains("is the input"));
        // Never through a symbolic link, never over a device or a directory.
        assert!(why(Planned::log("--out", &soft, true), &[]).contains("symbolic link"));
        assert!(why(Planned::file("--out", &soft), &[]).contains("symbolic link"));
        assert!(why(Planned::file("--out", Path::new("/dev/null")), &[]).contains("a device"));
        assert!(why(Planned::file("--out", dir), &[]).contains("a directory"));
        // Standard output is named -, for reports but not for logs.
        assert!(why(Planned::file("--out", Path::new("-")), &[]).is_empty());
        assert!(why(Planned::log("--out", Path::new("-"), true), &[]).contains("standard output"));
    }

    #[test]
    fn only_a_file_with_ententes_mark_counts_as_an_earlier_output() {
        let dir = tempfile::tempdir().unwrap();
        let ours = |name: &str, text: &str| {
            let path = dir.path().join(name);
            fs::write(&path, text).unwrap();
            written_by_entente(&path) == Some(Ours::Output)
        };
        let a_scenario = |name: &str, text: &str| {
            let path = dir.path().join(name);
            fs::write(&path, text).unwrap();
            written_by_entente(&path) == Some(Ours::Scenario)
        };
        let made = entente_core::import::import(
            entente_core::import::Format::Scholz,
            "Actor,Capability,Position,Salience\nA,1,20,0.5\nB,2,80,0.5\n",
            "a.csv",
        )
        .unwrap();
        let import = signed_scenario(&made);
        let mut broken = made.clone();
        broken.description = format!("x. {COUNTEREXAMPLE_MARK}");
        let counterexample = signed_scenario(&broken);
        // A scenario Entente made is one, never an output a report replaces.
        assert!(a_scenario("j.json", &import));
        assert!(a_scenario("k.json", &counterexample));
        assert!(!ours("j2.json", &import));
        // Signed again, the digest is replaced, not added to.
        assert_eq!(
            signed_scenario(&serde_json::from_str(&import).unwrap()),
            import
        );
        // Any edit by hand makes it the user's: the mark of an import alone
        // (as the shipped scenarios made by import and then edited bear),
        // a changed value, a space.
        let unsigned_import = serde_json::to_string_pretty(&made).unwrap() + "\n";
        assert!(unsigned_import.contains(entente_core::import::IMPORT_MARK));
        assert!(!a_scenario("j3.json", &unsigned_import));
        assert!(!a_scenario(
            "j4.json",
            &import.replacen("\"position\": 20.0", "\"position\": 21.0", 1)
        ));
        assert!(!a_scenario("j5.json", &import.replacen("{\n", "{ \n", 1)));
        assert!(!a_scenario(
            "k2.json",
            &counterexample.replacen("x. ", "y. ", 1)
        ));
        let big_report = format!(
            "{{\n  \"scenario\": \"x\",\n  \"engine\": \"0.7.0\",\n  \"events\": [{}]\n}}",
            "1,".repeat(100_000) + "1"
        );
        let backtest = format!("{}\n", crate::backtest::CSV_HEADER);
        let k5 = format!("{}engine entente 0.7.0\n", "x\n".repeat(30));
        let y6 = format!("{}engine entente 0.7.0\n", "x\n".repeat(45));
        // Each format's mark, as the printers write it.
        let marked: [(&str, &str); 15] = [
            ("a.txt", "Title\nseed 7 · engine entente 0.7.0\n\nbody\n"),
            ("b.md", "# Title\n\nseed: 7  \nengine: entente 0.7.0  \n"),
            (
                "c.html",
                "<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"generator\" content=\"entente 0.7.0\">\n</head>\n",
            ),
            (
                "c2.html",
                "<!DOCTYPE html>\n<head>\n</head>\n<body>\n<header>\n<dl class=\"meta\">\n<dt>engine</dt><dd>entente 0.6.0</dd>\n</dl>\n</header>\n",
            ),
            ("d.json", "{\"runs\": 1, \"engine\": \"0.12.3\"}"),
            (
                "e.json",
                "{\"format\": \"entente-part\", \"kind\": \"score\"}",
            ),
            ("f.json", "{\"format\": \"entente-sweep\"}"),
            ("g.csv", "seed,fingerprint,agreement:x\n1,ab,1\n"),
            (
                "g2.csv",
                "# partial: only shards 1, 2 of 3 (seeds 0..30); the rows are those shards' alone\nseed,fingerprint\n",
            ),
            (
                "h.csv",
                "# entente-sweep shard 1/2 of seeds 0..10\nseed,fingerprint\n",
            ),
            ("i.csv", &backtest),
            ("k2.csv", "seed,a:fingerprint,b:fingerprint\n"),
            ("k3.json", &big_report),
            (
                "k4.json",
                "{\"a\": {\"engine\": \"x\"}, \"b\": \"engine\", \"engine\": \"0.7.0\"",
            ),
            ("k5.txt", &k5),
        ];
        for (name, text) in marked {
            assert!(ours(name, text), "{name}: {text}");
        }
        // A file of the user's, however close, is not.
        let unmarked: [(&str, &str); 20] = [
            ("l.txt", "x\n"),
            ("m.txt", "notes on the engine entente\n"),
            ("n.txt", "engine entente 0.7\n"),
            ("o.md", "# Notes\n\nengine: entente beta  \n"),
            (
                "p.html",
                "<!DOCTYPE html>\n<head>\n</head>\n<meta name=\"generator\" content=\"entente 0.7.0\">\n",
            ),
            (
                "p2.html",
                "<!DOCTYPE html>\n<head>\n</head>\n<body>\n<header></header>\n<dt>engine</dt><dd>entente 0.6.0</dd>\n",
            ),
            ("q.json", "{\"engine\": \"V8\"}"),
            ("r.json", "[{\"engine\": \"0.7.0\"}]"),
            ("s.json", "{\"nested\": {\"engine\": \"0.7.0\"}}"),
            ("t.json", "{\"description\": \"a scenario of mine\"}"),
            ("u.csv", "seed,score\n1,2\n"),
            ("u2.csv", "# partial: only shards 1 of 3\nx,y\n"),
            ("v.bin", "\u{0}\u{1}engine entente 0.7.0"),
            ("w.jsonl", "{\"format\":\"entente-log\",\"version\":1}\n"),
            ("y.json", "[\"engine\", \"0.7.0\"]"),
            ("y2.json", "{\"x\": [\"a\", \"engine\", \"0.7.0\"]}"),
            ("y3.csv", "seed,fingerprinted_by_lab,notes\n7,yes,x\n"),
            ("y4.csv", "# entente-sweep shard notes I wrote myself\nx\n"),
            (
                "y5.txt",
                "# partial: only shards of my thesis are done\nseed,fingerprint\n",
            ),
            ("y6.txt", &y6),
        ];
        for (name, text) in unmarked {
            assert!(!ours(name, text), "{name}: {text}");
        }
        assert!(written_by_entente(&dir.path().join("absent")).is_none());
    }

    /// A user's notes quoting a heading's fact below their own title, after
    /// a blank line or in a paragraph of another shape, are the user's.
    #[test]
    fn notes_quoting_a_heading_fact_elsewhere_are_the_users() {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            (
                "z1.txt",
                "My notes\n\nThe run I kept:\nengine entente 0.8.1\n",
            ),
            ("z2.md", "# My notes\n\nwhat I ran\nengine: entente 0.8.1\n"),
            ("z3.md", "# My notes\nengine: entente 0.8.1\n"),
        ] {
            let path = dir.path().join(name);
            fs::write(&path, text).unwrap();
            assert!(written_by_entente(&path).is_none(), "{name}: {text}");
        }
    }
}
