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
