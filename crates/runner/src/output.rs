//! What the product may write over, and how it writes.
//!
//! Every output of a command is checked before any work is done
//! ([`check_paths`]): it is never a symbolic link, never something that is
//! not a regular file (a directory, a device, a FIFO, a socket), never one of
//! the command's inputs (compared by device and inode, so hard links and
//! symbolic links to an input count), never another of its outputs; a report
//! or a table is never written over an Entente log, and a log replaces only
//! an Entente log, and only with `--force`. Standard output is named `-`.
//!
//! A file is written whole or not at all: into a temporary sibling that is
//! renamed over the target, so a reader sees the old file or the new one.

use std::fs::{self, File};
use std::io::Write;
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
    /// A report, a table, a sweep: any regular file but an Entente log.
    AnythingButALog,
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
    /// A report, table or sweep output (any regular file but a log).
    pub fn file(flag: &'a str, path: &'a Path) -> Planned<'a> {
        Planned {
            flag,
            path,
            replaces: Replaces::AnythingButALog,
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
            if out.replaces == Replaces::AnythingButALog {
                continue;
            }
            return Err(Error::Usage(format!(
                "{flag} -: a log is written to a file, not to standard output"
            )));
        }
        check_existing(out)?;
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
        if let Some(other) = outputs[..k]
            .iter()
            .find(|o| !is_stdout(o.path) && same_file(o.path, out.path))
        {
            return Err(Error::Usage(format!(
                "{flag} {shown}: {} names the same file; give each output its own",
                other.flag
            )));
        }
    }
    Ok(())
}

/// Whether `path` names standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == STDOUT
}

/// What an existing file at an output path may be.
fn check_existing(out: &Planned<'_>) -> Result<()> {
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
    let is_log = sniff(out.path) == FileKind::Log;
    match out.replaces {
        Replaces::Nothing => refuse(
            "already exists; a log is never overwritten silently (pass --force to replace an older log)",
        ),
        Replaces::ALog if !is_log => {
            refuse("is not an Entente log; --force replaces only a log, never another file")
        }
        Replaces::AnythingButALog if is_log => {
            refuse("is an Entente log; an output never overwrites a log (choose another path)")
        }
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
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = temporary_sibling(path);
    let mut file = create_fresh(&temporary).map_err(|e| Error::io(path, "cannot write", e))?;
    if let Err(e) = file.write_all(bytes) {
        let _ = fs::remove_file(&temporary);
        return Err(Error::io(path, "cannot write", e));
    }
    // The lock is held until the file is in place.
    let placed = put_in_place(&temporary, path);
    drop(file);
    placed
}

/// Syncs `temporary` and renames it over `path` (refused if `path` has
/// become a log or something other than a regular file meanwhile); the
/// temporary is removed if anything fails.
pub fn put_in_place(temporary: &Path, path: &Path) -> Result<()> {
    let planned = Planned::file("output", path);
    let done = check_existing(&planned).and_then(|()| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_never_overwritten_and_anything_else_is_replaced_whole() {
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

        let report = dir.join("report.json");
        fs::write(&report, b"old").unwrap();
        write_atomically(&report, b"new").unwrap();
        assert_eq!(fs::read(&report).unwrap(), b"new");
        assert!(!temporary_sibling(&report).exists());

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
        assert!(
            why(Planned::log("--out", &scenario, true), &[&scenario])
                .contains("not an Entente log")
        );
        assert!(
            why(Planned::log("--out", &hard, true), &[&scenario]).contains("not an Entente log")
        );
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
}
