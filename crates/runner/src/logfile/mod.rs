//! Log files: one writer at a time, appends only, verified reading.
//!
//! The writer holds an exclusive lock on the file for its whole life, writes
//! each line with one `write` call (a crash can tear at most the line being
//! written), and fsyncs as its [`Durability`] says. The reader
//! ([`LogReader`]) verifies every line, hashing and parsing ahead of its
//! caller on threads of its own ([`ahead`]); a bad last line is a torn tail
//! (the writer died), a bad line before it is corruption.

mod ahead;
mod reader;
#[cfg(test)]
mod reader_tests;

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};

use entente_core::{Hash, Line};

use crate::error::{Error, Result};
use crate::files::{create_fresh, sync_parent_dir, temporary_sibling};
use crate::input::MAX_LOG_LINE_BYTES;

pub use reader::LogReader;

/// When the writer makes the log durable with fsync.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Durability {
    /// At the end of every round (and at the end).
    #[default]
    Round,
    /// Once, at the end of the run.
    End,
    /// Never: the operating system decides.
    Never,
}

/// The only writer of a log file.
#[derive(Debug)]
pub struct LogWriter {
    file: File,
    path: PathBuf,
    /// When replacing a log: the new one is written here, beside it, and
    /// renamed over it when finished, while the old one's lock is held.
    replacing: Option<(PathBuf, File)>,
    /// The seq and hash of the last line written.
    seq: u64,
    head: Hash,
    durability: Durability,
    /// Set when a write or fsync failed: nothing more is written.
    poisoned: Option<String>,
}

impl LogWriter {
    /// Creates the log at `path` and writes its header. An existing file is
    /// refused unless `replace` is set, and then the new log is written
    /// beside it and renamed into place by [`LogWriter::finish`], so a reader
    /// sees the old log or the new one, never a half. A file another process
    /// is writing is refused always, and left untouched.
    pub fn create(
        path: &Path,
        header: &Line,
        durability: Durability,
        replace: bool,
    ) -> Result<LogWriter> {
        // Checked before the file is touched: a header no reader would take
        // must not cost a `--force`d file its old contents.
        if let Some(problem) = too_long(&header.bytes) {
            return Err(Error::Usage(format!("{}: {problem}", path.display())));
        }
        let existing = replace && path.exists();
        let (file, replacing) = if existing {
            // Hold the old log's lock while its successor is written.
            let old = File::open(path).map_err(|e| Error::io(path, "cannot open", e))?;
            lock(&old, path)?;
            let temporary = temporary_sibling(path);
            let file = create_fresh(&temporary, crate::output::is_leftover)
                .map_err(|e| Error::io(&temporary, "cannot create", e))?;
            lock(&file, &temporary)?;
            (file, Some((temporary, old)))
        } else {
            let file = OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
                .map_err(|e| {
                    if e.kind() == std::io::ErrorKind::AlreadyExists {
                        Error::Usage(format!(
                            "{}: already exists; a log is never overwritten silently (pass --force to replace it)",
                            path.display()
                        ))
                    } else {
                        Error::io(path, "cannot create", e)
                    }
                })?;
            lock(&file, path)?;
            (file, None)
        };
        let mut writer = LogWriter {
            file,
            path: path.to_owned(),
            replacing,
            seq: 0,
            head: header.head,
            durability,
            poisoned: None,
        };
        writer.write_line(&header.bytes)?;
        if durability != Durability::Never {
            writer.sync()?;
            sync_parent_dir(path)?;
        }
        Ok(writer)
    }

    /// Appends one encoded event line. `expected_last_seq` is the seq the
    /// caller believes the log ends at; if it does not, or the line does not
    /// follow it, nothing is written.
    pub fn append(&mut self, expected_last_seq: u64, line: &Line) -> Result<()> {
        self.check_usable()?;
        let last = self.seq;
        if expected_last_seq != last || line.seq() != last + 1 {
            return Err(Error::Usage(format!(
                "{}: append refused: the log ends at seq {last}, the append expected {expected_last_seq} and brings seq {}",
                self.path.display(),
                line.seq()
            )));
        }
        self.write_line(&line.bytes)?;
        self.seq = line.seq();
        self.head = line.head;
        Ok(())
    }

    /// Marks the end of a round: fsyncs under [`Durability::Round`].
    pub fn end_round(&mut self) -> Result<()> {
        self.check_usable()?;
        if self.durability == Durability::Round {
            self.sync()?;
        }
        Ok(())
    }

    /// Finishes the log: fsyncs unless [`Durability::Never`]; returns the
    /// fingerprint.
    pub fn finish(mut self) -> Result<Hash> {
        self.check_usable()?;
        if self.durability != Durability::Never || self.replacing.is_some() {
            self.sync()?;
        }
        if let Some((temporary, _old)) = self.replacing.take() {
            // What is at the path now must still be a log (or nothing): a
            // file moved there while the run went on is not replaced.
            let still_a_log = match std::fs::symlink_metadata(&self.path) {
                Err(_) => true,
                Ok(m) => {
                    m.file_type().is_file()
                        && crate::input::sniff(&self.path) == crate::input::FileKind::Log
                }
            };
            if !still_a_log {
                let _ = std::fs::remove_file(&temporary);
                return Err(Error::Usage(format!(
                    "{}: is no longer an Entente log (it changed while the run went on); --force replaces only a log, so the new log was not put in its place",
                    self.path.display()
                )));
            }
            std::fs::rename(&temporary, &self.path)
                .map_err(|e| Error::io(&self.path, "cannot replace", e))?;
            sync_parent_dir(&self.path)?;
        }
        Ok(self.head)
    }

    /// Gives up a log that cannot be finished: the file this writer created
    /// is removed (a replaced log keeps its old contents), so no half-log
    /// that would verify is left behind.
    pub fn abandon(mut self) {
        let created = match self.replacing.take() {
            Some((temporary, _old)) => temporary,
            None => self.path.clone(),
        };
        let _ = std::fs::remove_file(created);
    }

    /// The hash of the last line written.
    pub fn head(&self) -> Hash {
        self.head
    }

    /// The seq of the last event written.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn check_usable(&self) -> Result<()> {
        match &self.poisoned {
            Some(why) => Err(Error::Usage(format!(
                "{}: the writer stopped after an earlier failure ({why}); nothing more is written",
                self.path.display()
            ))),
            None => Ok(()),
        }
    }

    fn write_line(&mut self, bytes: &[u8]) -> Result<()> {
        if let Some(problem) = too_long(bytes) {
            self.poisoned = Some(problem.clone());
            return Err(Error::Usage(format!("{}: {problem}", self.path.display())));
        }
        if let Err(e) = self.file.write_all(bytes) {
            self.poisoned = Some(format!("write failed: {e}"));
            return Err(Error::io(&self.path, "cannot write", e));
        }
        Ok(())
    }

    fn sync(&mut self) -> Result<()> {
        // After a failed fsync the kernel may have dropped the dirty pages;
        // retrying could report success for data that is gone, so the writer
        // refuses everything after it.
        if let Err(e) = self.file.sync_data() {
            self.poisoned = Some(format!("fsync failed: {e}"));
            return Err(Error::io(&self.path, "cannot fsync", e));
        }
        Ok(())
    }
}

/// Why `line` may not be written: a line the reader would refuse.
fn too_long(line: &[u8]) -> Option<String> {
    let len = line.len() as u64;
    (len > MAX_LOG_LINE_BYTES).then(|| {
        format!(
            "a log line of {len} bytes would pass the limit of {MAX_LOG_LINE_BYTES}, and no reader would take it; nothing of it is written"
        )
    })
}

fn lock(file: &File, path: &Path) -> Result<()> {
    match file.try_lock() {
        Ok(()) => Ok(()),
        Err(TryLockError::WouldBlock) => Err(Error::Usage(format!(
            "{}: another process is writing this log; it is left untouched",
            path.display()
        ))),
        Err(TryLockError::Error(e)) => Err(Error::io(path, "cannot lock", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use entente_core::Header;

    #[test]
    fn after_a_failed_write_the_writer_refuses_everything_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.jsonl");
        let scenario: entente_core::Scenario =
            serde_json::from_str(include_str!("../../../../scenarios/ec-car-emissions.json"))
                .unwrap();
        let header = Header::new(scenario.clone(), 1, 1);
        let run = entente_core::Run::new(&scenario, entente_core::RunConfig::default()).unwrap();
        let mut lines = entente_core::log::encode(&header, run);
        let header = lines.next().unwrap().unwrap();
        let mut writer = LogWriter::create(&path, &header, Durability::Round, false).unwrap();
        let first = lines.next().unwrap().unwrap();
        // Swap in a handle that cannot write, as a full or failing disk would.
        writer.file = File::open(&path).unwrap();
        let err = writer.append(0, &first).unwrap_err();
        assert!(err.to_string().contains("cannot write"), "{err}");
        writer.file = OpenOptions::new().append(true).open(&path).unwrap();
        let err = writer.append(0, &first).unwrap_err();
        assert!(
            err.to_string()
                .contains("stopped after an earlier failure (write failed"),
            "{err}"
        );
        assert!(writer.end_round().is_err());
        assert!(writer.finish().is_err());
    }
}
