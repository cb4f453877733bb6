//! The file-system helpers every writer shares: a file's siblings (a
//! temporary beside an output, `LOG.orig`), creating a file fresh, syncing
//! a directory, and telling whether two paths name one file.
//!
//! Nothing here decides what may be written where ([`crate::output`] does,
//! and [`crate::logfile`] for logs); both use these helpers, and these use
//! neither.

use std::fs::{self, File, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// `path` with `suffix` added to its file name: `run.jsonl` → `run.jsonl.orig`.
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The temporary sibling an output is written into before it is put in
/// place.
pub fn temporary_sibling(path: &Path) -> PathBuf {
    sibling(path, ".entente-partial")
}

/// Creates `path` new and holds an exclusive lock on it for as long as the
/// handle lives: the temporary an output is written into before it is put
/// in place. A leftover of an earlier interrupted write is ours to replace,
/// since the name is the product's own; one that another process holds
/// locked is that process's output in the making, and is left alone (two
/// commands writing one output at once: the second is refused, and the
/// first's file is never taken from under it).
pub fn create_fresh(path: &Path) -> std::io::Result<File> {
    let open = || OpenOptions::new().write(true).create_new(true).open(path);
    let file = match open() {
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            // A leftover of an earlier writer is a regular file; anything
            // else there (a FIFO would block the open, a link would be
            // followed) is not ours to remove.
            if !fs::symlink_metadata(path)?.file_type().is_file() {
                return Err(std::io::Error::other(format!(
                    "{} is in the way: an output is written there before it is renamed into place, and it is not a regular file (remove it)",
                    path.display()
                )));
            }
            let leftover = OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .open(path)?;
            if let Err(fs::TryLockError::WouldBlock) = leftover.try_lock() {
                return Err(busy());
            }
            fs::remove_file(path)?;
            drop(leftover);
            open()?
        }
        other => other?,
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Err(busy()),
        Err(fs::TryLockError::Error(e)) => return Err(e),
    }
    // Another process may have taken the name between the create and the
    // lock (it found the file unlocked and removed it): the lock is on a file
    // no longer at `path`, and writing on would be for nothing.
    let ours = file.metadata()?;
    match fs::symlink_metadata(path) {
        Ok(now) if (now.dev(), now.ino()) == (ours.dev(), ours.ino()) => Ok(file),
        _ => Err(busy()),
    }
}

fn busy() -> std::io::Error {
    std::io::Error::new(
        ErrorKind::ResourceBusy,
        "another process is writing this output now (it holds the lock); nothing of it was touched",
    )
}

/// The directory holding `path` (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Fsyncs the directory holding `path`, so that a new or renamed entry survives
/// a crash.
pub fn sync_parent_dir(path: &Path) -> Result<()> {
    let dir = parent_dir(path);
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, "cannot fsync the directory", e))
}

/// Whether `a` and `b` name the same file, whether or not it exists yet:
/// by device and inode when both exist (so links count), by canonical path
/// otherwise.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => (x.dev(), x.ino()) == (y.dev(), y.ino()),
        _ => canonical(a) == canonical(b),
    }
}

fn canonical(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (parent_dir(path).canonicalize(), path.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn a_temporary_another_writer_holds_is_never_taken_from_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv.entente-partial");
        let mut first = create_fresh(&path).unwrap();
        first.write_all(b"first's rows").unwrap();
        let refused = create_fresh(&path).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::ResourceBusy, "{refused}");
        assert_eq!(fs::read(&path).unwrap(), b"first's rows");
        // Once the first writer is gone, its leftover is replaced.
        drop(first);
        let mut second = create_fresh(&path).unwrap();
        second.write_all(b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
    }
}
