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

/// The suffix of the temporary an output is written into.
const TEMPORARY: &str = ".entente-partial";

/// The longest file name most file systems take, in bytes.
const NAME_MAX: usize = 255;

/// The temporary sibling an output is written into before it is put in
/// place: `NAME.entente-partial`. A name too long to take the suffix (a
/// file system holds at most 255 bytes a name) keeps its first bytes and a
/// digest of the whole, so each output still has its own temporary.
pub fn temporary_sibling(path: &Path) -> PathBuf {
    use std::os::unix::ffi::{OsStrExt as _, OsStringExt as _};
    let name = path.file_name().map_or(&[][..], |n| n.as_bytes());
    if name.len() + TEMPORARY.len() <= NAME_MAX {
        return sibling(path, TEMPORARY);
    }
    let digest = entente_core::log::Hash::digest(name);
    let tag = &digest.as_str()[..16];
    let keep = NAME_MAX - TEMPORARY.len() - tag.len() - 1;
    let mut short = name[..keep].to_vec();
    short.push(b'~');
    short.extend_from_slice(tag.as_bytes());
    short.extend_from_slice(TEMPORARY.as_bytes());
    path.with_file_name(std::ffi::OsString::from_vec(short))
}

/// Creates `path` new and holds an exclusive lock on it for as long as the
/// handle lives: the temporary an output is written into before it is put
/// in place. A leftover of an earlier interrupted write is replaced when
/// `is_leftover` recognises it (empty, or beginning as one of Entente's
/// files begins): a file of another's that merely bears the name is refused,
/// never removed. One that another process holds locked is that process's
/// output in the making, and is left alone (two commands writing one
/// output at once: the second is refused, and the first's file is never
/// taken from under it).
pub fn create_fresh(path: &Path, is_leftover: fn(&Path) -> bool) -> std::io::Result<File> {
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
            if !is_leftover(path) {
                return Err(std::io::Error::other(format!(
                    "{} is in the way: an output is written there before it is renamed into place, and it is not a leftover of Entente's (move it, or remove it if it is yours to lose)",
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
        let mut first = create_fresh(&path, any).unwrap();
        first.write_all(b"first's rows").unwrap();
        let refused = create_fresh(&path, any).unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::ResourceBusy, "{refused}");
        assert_eq!(fs::read(&path).unwrap(), b"first's rows");
        // Once the first writer is gone, its leftover is replaced.
        drop(first);
        let mut second = create_fresh(&path, any).unwrap();
        second.write_all(b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
    }

    fn any(_: &Path) -> bool {
        true
    }

    #[test]
    fn a_file_in_the_temporarys_place_is_removed_only_if_it_is_a_leftover() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv.entente-partial");
        fs::write(&path, "the user's notes").unwrap();
        let refused = create_fresh(&path, |_| false).unwrap_err();
        assert!(refused.to_string().contains("not a leftover"), "{refused}");
        assert_eq!(fs::read(&path).unwrap(), b"the user's notes");
    }

    #[test]
    fn a_name_too_long_for_the_suffix_gets_a_temporary_of_its_own() {
        let dir = Path::new("/some/dir");
        let long = |c: char| dir.join(c.to_string().repeat(250));
        let (a, b) = (temporary_sibling(&long('a')), temporary_sibling(&long('b')));
        for t in [&a, &b] {
            let name = t.file_name().unwrap().len();
            assert!(name <= NAME_MAX, "{name}");
            assert!(t.to_string_lossy().ends_with(TEMPORARY));
            assert_eq!(t.parent(), Some(dir));
        }
        assert_ne!(a, b);
        let mut other = "a".repeat(249);
        other.push('c');
        assert_ne!(
            a,
            temporary_sibling(&dir.join(other)),
            "names alike in their first bytes"
        );
        assert_eq!(
            temporary_sibling(Path::new("run.jsonl")),
            Path::new("run.jsonl.entente-partial")
        );
    }
}
