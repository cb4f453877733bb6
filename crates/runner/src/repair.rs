//! Re-running a log to check it, and repairing a torn one when asked.

use std::fs::{self, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use entente_core::event::article;
use entente_core::log::{self, ENGINE_VERSION};
use entente_core::{Fold, Run, RunConfig};

use crate::error::{Damage, Error, Result};
use crate::files::{sibling, sync_parent_dir};
use crate::logfile::LogReader;

/// What a re-run found: every event byte-identical, and what of a branch's
/// record it could not check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rerun {
    /// The events checked.
    pub events: u64,
    /// A branch's parent fingerprint and branch point: provenance a re-run
    /// from this log alone cannot check (the parent is another file).
    pub branch: Option<(String, u64)>,
}

impl Rerun {
    /// The summary line for `path`.
    pub fn text(&self, path: &Path) -> String {
        let mut text = format!(
            "{}: re-run from its header: byte-identical ({} events)\n",
            path.display(),
            self.events
        );
        if let Some((parent, at)) = &self.branch {
            text.push_str(&format!(
                "  a branch of the log with fingerprint {parent} after its seq {at}: that record is not checked by a re-run (it names another file); `entente branch` that parent again to check it\n"
            ));
        }
        text
    }

    /// The JSON summary.
    pub fn json(&self) -> serde_json::Value {
        let mut json = serde_json::json!({"rerun": "identical", "events": self.events});
        if let Some((parent, at)) = &self.branch {
            json["branch"] = serde_json::json!({"parent": parent, "at": at, "checked": false});
        }
        json
    }
}

/// Re-simulates a log from its header (scenario, seed, rounds and any
/// branch injections) and checks that every line is byte-identical.
pub fn rerun(path: &Path) -> Result<Rerun> {
    let mut reader = LogReader::open(path)?;
    let header = reader.header().clone();
    if header.engine != ENGINE_VERSION {
        return Err(Error::Verify(format!(
            "{}: written by entente {}; this is {ENGINE_VERSION}, and logs are byte-identical only within one engine version",
            path.display(),
            header.engine
        )));
    }
    // What of a branch record the log itself can hold to: every injection
    // it records comes at or before its branch point.
    if let Some(branch) = &header.branch
        && let Some(late) = branch.injections.iter().find(|r| r.after_seq > branch.at)
    {
        return Err(Error::Verify(format!(
            "{}: the branch record puts an injection after seq {}, past its branch point {}",
            path.display(),
            late.after_seq,
            branch.at
        )));
    }
    let run = Run::new(&header.scenario, RunConfig::from_header(&header))?;
    let mut checked = 0;
    for line in log::encode(&header, run) {
        let line = line?;
        let Some(envelope) = &line.envelope else {
            if line.text() != reader.header_line() {
                return Err(Error::Verify(format!(
                    "{}: the header does not re-encode to the bytes in the file",
                    path.display()
                )));
            }
            continue;
        };
        match reader.next_event()? {
            Some(_) if reader.line() == line.text() => checked += 1,
            Some(_) => {
                return Err(Error::Verify(format!(
                    "{}: the re-run differs at seq {}: {}",
                    path.display(),
                    envelope.seq,
                    first_difference(reader.line(), line.text())
                )));
            }
            None => {
                return Err(Error::Verify(format!(
                    "{}: the log ends after seq {checked}; the re-run goes on (seq {} is {} event)",
                    path.display(),
                    envelope.seq,
                    article(envelope.event.name())
                )));
            }
        }
    }
    if reader.next_event()?.is_some() {
        return Err(Error::Verify(format!(
            "{}: the log goes on after seq {checked}, where the re-run ends",
            path.display()
        )));
    }
    let branch = header.branch.map(|b| (b.parent, b.at));
    if let Some((_, at)) = &branch
        && *at > checked
    {
        return Err(Error::Verify(format!(
            "{}: the branch record keeps the parent's events up to seq {at}, but the log has {checked}",
            path.display()
        )));
    }
    Ok(Rerun {
        events: checked,
        branch,
    })
}

/// Where a logged line and its re-run differ, in words: the first field,
/// by its JSON path, with both values.
fn first_difference(logged: &[u8], rerun: &[u8]) -> String {
    let parse = |line: &[u8]| serde_json::from_slice::<serde_json::Value>(line).ok();
    let (Some(a), Some(b)) = (parse(logged), parse(rerun)) else {
        return "the logged line is not the JSON the re-run writes".to_owned();
    };
    let kind = |v: &serde_json::Value| {
        v["event"]
            .as_object()
            .and_then(|o| o.keys().next().cloned())
            .unwrap_or_default()
    };
    let (ka, kb) = (kind(&a), kind(&b));
    if ka != kb {
        return format!(
            "the log has {} event, the re-run {}",
            article(&ka),
            article(&kb)
        );
    }
    let mut found = Vec::new();
    crate::compare::diff_values("$", &a, &b, &mut found);
    let shown = found
        .iter()
        .find(|d| d.path.starts_with("$.event"))
        .or_else(|| found.iter().find(|d| d.path != "$.hash"));
    match shown {
        Some(d) => format!("{}: the log has {}, the re-run {}", d.path, d.a, d.b),
        None => "the bytes differ but not the JSON (the line was re-encoded)".to_owned(),
    }
}

/// What a repair did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repaired {
    /// Events kept.
    pub kept: u64,
    /// Where the original now is.
    pub original: PathBuf,
    /// What was wrong.
    pub damage: String,
}

/// Repairs the log at `path`: the original is kept as `LOG.orig` (never
/// overwritten) and the verified prefix becomes the log. A torn tail is
/// repaired on request; other damage only with `truncate_at`, which keeps
/// events 1..=truncate_at. Returns `None` when the log verifies and no
/// truncation was asked for.
pub fn repair(path: &Path, truncate_at: Option<u64>) -> Result<Option<Repaired>> {
    // Repair renames the log and writes a new file in its place: a link
    // would be replaced by a file, so it is refused (repair its target).
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::Usage(format!(
            "{}: a symbolic link; repair replaces the file it names, so repair the link's target",
            path.display()
        )));
    }
    // Hold the writer's lock, so a log still being written is not touched;
    // anything but a regular file is refused before it could block.
    let locked = crate::input::open(path)?;
    match locked.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(Error::Usage(format!(
                "{}: another process is writing this log; it is left untouched",
                path.display()
            )));
        }
        Err(TryLockError::Error(e)) => return Err(Error::io(path, "cannot lock", e)),
    }

    // The verified prefix: every line whole, every hash right, and every
    // event possible where it stands, as replay has it.
    let mut reader = LogReader::open_locked(path)?;
    let mut fold = Fold::new(reader.header()).map_err(|e| Error::Corrupt {
        path: path.to_owned(),
        seq: 0,
        line: 1,
        damage: Box::new(Damage::Fold(e)),
    })?;
    let mut offsets = vec![reader.verified_bytes()];
    let damage = loop {
        match reader.next_event() {
            Ok(Some(envelope)) => {
                if let Err(e) = fold.push(&envelope) {
                    break Some(Error::Corrupt {
                        path: path.to_owned(),
                        seq: envelope.seq,
                        line: offsets.len() as u64 + 1,
                        damage: Box::new(Damage::Fold(e)),
                    });
                }
                offsets.push(reader.verified_bytes());
            }
            Ok(None) => break None,
            Err(e @ (Error::Torn { .. } | Error::Corrupt { .. })) => break Some(e),
            Err(other) => return Err(other),
        }
    };
    let whole = (offsets.len() - 1) as u64;
    let (keep, damage) = match (&damage, truncate_at) {
        (None, None) => return Ok(None),
        (None, Some(k)) => (k, "none: truncated as asked".to_owned()),
        (Some(e @ Error::Torn { .. }), k) => (k.unwrap_or(whole), e.to_string()),
        (Some(e), None) => {
            return Err(Error::Verify(format!(
                "{e}\nthis is not a torn tail, so repair will not guess; pass --truncate-at SEQ (at most {whole}) to keep events 1..SEQ"
            )));
        }
        (Some(e), Some(k)) => (k, e.to_string()),
    };
    if keep > whole {
        return Err(Error::Usage(format!(
            "--truncate-at {keep}: only events 1..{whole} verify"
        )));
    }
    let original = sibling(path, ".orig");
    if fs::symlink_metadata(&original).is_ok() {
        return Err(Error::Usage(format!(
            "{}: exists; the original of an earlier repair is never overwritten (move it away first)",
            original.display()
        )));
    }
    let prefix_len = offsets[keep as usize];
    let temporary = sibling(path, ".repair");
    write_prefix(path, &temporary, prefix_len)?;
    // Link first: if LOG.orig appeared meanwhile, nothing is lost.
    fs::hard_link(path, &original).map_err(|e| {
        let _ = fs::remove_file(&temporary);
        Error::io(&original, "cannot keep the original", e)
    })?;
    fs::rename(&temporary, path).map_err(|e| Error::io(path, "cannot replace", e))?;
    sync_parent_dir(path)?;
    drop(locked);
    Ok(Some(Repaired {
        kept: keep,
        original,
        damage,
    }))
}

fn write_prefix(from: &Path, to: &Path, len: u64) -> Result<()> {
    let mut source = crate::input::open(from)?;
    let mut out = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)
        .map_err(|e| Error::io(to, "cannot create", e))?;
    let copied = std::io::copy(&mut (&mut source).take(len), &mut out)
        .and_then(|n| out.flush().map(|()| n))
        .and_then(|n| out.sync_all().map(|()| n));
    match copied {
        Ok(n) if n == len => Ok(()),
        Ok(_) => {
            let _ = fs::remove_file(to);
            Err(Error::Usage(format!(
                "{}: changed while being repaired",
                from.display()
            )))
        }
        Err(e) => {
            let _ = fs::remove_file(to);
            Err(Error::io(to, "cannot write", e))
        }
    }
}
