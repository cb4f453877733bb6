//! Files the product writes that are not logs: reports, sweep results,
//! merged sweeps, CSV tables, counterexamples.
//!
//! Such a file is written whole or not at all (a temporary sibling renamed
//! over the target), and never over an Entente log: a mistyped `--out` must
//! not cost anybody a run.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::input::{FileKind, sniff};
use crate::logfile::{parent_dir, sibling, sync_parent_dir};

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

/// Checks, before any work is done, that the files a command is to write
/// (each named by its flag; `None` when not asked for) are not logs, not
/// one another, and not the files it reads.
pub fn check_paths(outputs: &[(&str, Option<&Path>)], inputs: &[&Path]) -> Result<()> {
    let outputs: Vec<(&str, &Path)> = outputs
        .iter()
        .filter_map(|&(flag, p)| p.map(|p| (flag, p)))
        .collect();
    for (k, &(flag, path)) in outputs.iter().enumerate() {
        refuse_log(path)?;
        if let Some(input) = inputs.iter().find(|i| same_file(i, path)) {
            return Err(Error::Usage(format!(
                "{flag} {}: is the input {}; an output never replaces what it was made from",
                path.display(),
                input.display()
            )));
        }
        if let Some((other, _)) = outputs[..k].iter().find(|(_, p)| same_file(p, path)) {
            return Err(Error::Usage(format!(
                "{flag} {}: {other} names the same file; give each output its own",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Whether `a` and `b` name the same file, whether or not it exists yet.
pub fn same_file(a: &Path, b: &Path) -> bool {
    identity(a) == identity(b)
}

fn identity(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (parent_dir(path).canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_owned(),
    }
}

/// Writes `bytes` to `path` whole: into a temporary sibling, synced, then
/// renamed over `path`. A reader sees the old file or the new one, never half.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let temporary = temporary_sibling(path);
    let written = create_fresh(&temporary).and_then(|mut f| f.write_all(bytes));
    if let Err(e) = written {
        let _ = fs::remove_file(&temporary);
        return Err(Error::io(path, "cannot write", e));
    }
    put_in_place(&temporary, path)
}

/// The temporary sibling an output is written into before it is put in
/// place.
pub fn temporary_sibling(path: &Path) -> PathBuf {
    sibling(path, ".entente-partial")
}

/// Syncs `temporary` and renames it over `path` (refused if `path` has
/// become a log meanwhile); the temporary is removed if anything fails.
pub fn put_in_place(temporary: &Path, path: &Path) -> Result<()> {
    let done = refuse_log(path).and_then(|()| {
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

/// Creates `path` new; a leftover of an earlier interrupted write is ours to
/// replace, since the name is the product's own.
pub fn create_fresh(path: &Path) -> std::io::Result<File> {
    let open = || OpenOptions::new().write(true).create_new(true).open(path);
    match open() {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            open()
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_never_overwritten_and_anything_else_is_replaced_whole() {
        let dir = std::env::temp_dir().join(format!("entente-output-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
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
        let clash = check_paths(&[("--out", Some(&absent)), ("--csv", Some(&absent))], &[]);
        assert!(
            clash
                .unwrap_err()
                .to_string()
                .contains("--out names the same file")
        );
        let over_input = check_paths(&[("--csv", Some(&report))], &[&report]);
        assert!(over_input.unwrap_err().to_string().contains("is the input"));
        fs::remove_dir_all(&dir).unwrap();
    }
}
