//! Files the product writes that are not logs: reports, sweep results,
//! merged sweeps, CSV tables, counterexamples.
//!
//! Such a file is written whole or not at all (a temporary sibling renamed
//! over the target), and never over an Entente log: a mistyped `--out` must
//! not cost anybody a run.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::logfile::sync_parent_dir;

/// Refuses `path` when it holds an Entente log.
pub fn refuse_log(path: &Path) -> Result<()> {
    let mut head = [0u8; 64];
    let n = match File::open(path) {
        Ok(mut f) => f.read(&mut head).unwrap_or(0),
        Err(_) => return Ok(()),
    };
    let compact: Vec<u8> = head[..n]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if compact.starts_with(br#"{"format":"entente-log""#) {
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
    refuse_log(path)?;
    let temporary = temporary_sibling(path);
    let written = create_fresh(&temporary).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    if let Err(e) = written {
        let _ = fs::remove_file(&temporary);
        return Err(Error::io(path, "cannot write", e));
    }
    if let Err(e) = fs::rename(&temporary, path) {
        let _ = fs::remove_file(&temporary);
        return Err(Error::io(path, "cannot write", e));
    }
    sync_parent_dir(path)
}

fn temporary_sibling(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".entente-partial");
    PathBuf::from(name)
}

/// Creates `path` new; a leftover of an earlier interrupted write is ours to
/// replace, since the name is the product's own.
fn create_fresh(path: &Path) -> std::io::Result<File> {
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
        fs::remove_dir_all(&dir).unwrap();
    }
}
