//! The verifying reader of a log file.

use std::fs::{File, TryLockError};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use entente_core::log::LineError;
use entente_core::{Envelope, Hash, Header, Verifier};

use super::ahead::{Ahead, BATCH_BYTES, Batch, End};
use crate::error::{Damage, Error, Result};
use crate::input::MAX_LOG_LINE_BYTES;

/// A verifying, streaming reader of a log file. The header is read and
/// verified when the log is opened; the events are read, hashed and parsed
/// ahead on threads of their own ([`super::ahead`]) and verified in order
/// here, with the errors a line-by-line reader gives.
#[derive(Debug)]
pub struct LogReader {
    path: PathBuf,
    header: Header,
    header_line: Vec<u8>,
    /// The lines after the header, as they come.
    ahead: Ahead,
    /// The batch being taken, and the index of its next line.
    batch: Batch,
    next: usize,
    /// The range in the batch of the line last taken.
    last: (usize, usize),
    head: Hash,
    seq: u64,
    line_no: u64,
    /// Bytes of the file consumed by whole lines verified so far.
    verified_bytes: u64,
    /// Another process held the writer lock when the log was opened.
    being_written: bool,
    /// The longest line taken, newline included.
    max_line: u64,
    /// Set when reading stopped at an error: why. Nothing after it is read.
    stopped: Option<String>,
}

impl LogReader {
    /// Opens a log and verifies its header.
    pub fn open(path: &Path) -> Result<LogReader> {
        LogReader::open_with(path, true, (BATCH_BYTES, MAX_LOG_LINE_BYTES))
    }

    /// Opens a log whose writer lock the caller holds itself (as `repair`
    /// does), so the lock says nothing of another writer.
    pub fn open_locked(path: &Path) -> Result<LogReader> {
        LogReader::open_with(path, false, (BATCH_BYTES, MAX_LOG_LINE_BYTES))
    }

    /// Opens with `limits`: the bytes a batch aims for and the longest line
    /// taken (tests make both small, to cut logs at every batch boundary).
    pub(super) fn open_with(
        path: &Path,
        ask_for_writer: bool,
        limits: (usize, u64),
    ) -> Result<LogReader> {
        let max_line = limits.1;
        let file = crate::input::open(path)?;
        let being_written = ask_for_writer && held_by_a_writer(&file);
        let mut reader = BufReader::with_capacity(limits.0.clamp(1, 1 << 16), file);
        let mut line = Vec::with_capacity(1 << 12);
        let mut verifier = Verifier::default();
        // A file whose first bytes are not a log's is something else, even
        // when its first line is too long to read.
        {
            use std::io::BufRead;
            let head = reader
                .fill_buf()
                .map_err(|e| Error::io(path, "cannot read", e))?;
            let n = head.len().min(LOG_MAGIC.len());
            if n > 0 && head[..n] != LOG_MAGIC[..n] {
                return Err(Error::NotALog {
                    path: path.to_owned(),
                });
            }
        }
        let complete = read_line(&mut reader, &mut line, path, max_line)?;
        let torn = |detail: &str| {
            if being_written {
                Error::BeingWritten {
                    path: path.to_owned(),
                    verified: 0,
                }
            } else {
                Error::Torn {
                    path: path.to_owned(),
                    after_seq: 0,
                    detail: detail.to_owned(),
                }
            }
        };
        if line.is_empty() && !complete {
            return Err(torn("the file is empty: not even the header was written"));
        }
        // Every log starts with these bytes; a file that does not is
        // something else, unless it is a header cut short (no newline).
        let starts = line.len().min(LOG_MAGIC.len());
        let cut_short = !complete && line[..starts] == LOG_MAGIC[..starts];
        if !line.starts_with(LOG_MAGIC) && !cut_short {
            return Err(Error::NotALog {
                path: path.to_owned(),
            });
        }
        let header = match verifier.header(&line) {
            Ok(h) if complete => h,
            Ok(_) => return Err(torn("the header line has no newline")),
            Err(e @ (LineError::Format(_) | LineError::TooNew { .. })) => {
                return Err(Error::Usage(format!("{}: {e}", path.display())));
            }
            Err(_) if !complete => return Err(torn("the header line is incomplete")),
            Err(e) => {
                return Err(Error::Corrupt {
                    path: path.to_owned(),
                    seq: 0,
                    line: 1,
                    damage: Box::new(Damage::Line(e)),
                });
            }
        };
        let verified_bytes = line.len() as u64 + 1;
        let pending = reader.buffer().to_vec();
        let ahead = Ahead::start(reader.into_inner(), pending, verifier.head(), 1, limits)
            .map_err(|e| Error::io(path, "cannot start the threads reading", e))?;
        Ok(LogReader {
            path: path.to_owned(),
            header,
            header_line: line,
            ahead,
            batch: Batch::default(),
            next: 0,
            last: (0, 0),
            head: verifier.head(),
            seq: 0,
            line_no: 1,
            verified_bytes,
            being_written,
            max_line,
            stopped: None,
        })
    }

    /// Whether another process held the log's writer lock when it was
    /// opened: a log still being written.
    pub fn being_written(&self) -> bool {
        self.being_written
    }

    /// The verified header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The hash of the last line verified: the fingerprint so far.
    pub fn head(&self) -> Hash {
        self.head
    }

    /// The seq of the last event verified.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bytes of the line last read, without its newline.
    pub fn line(&self) -> &[u8] {
        self.batch
            .bytes
            .get(self.last.0..self.last.1)
            .unwrap_or(&[])
    }

    /// The header line as it is in the file, without its newline.
    pub fn header_line(&self) -> &[u8] {
        &self.header_line
    }

    /// Bytes from the start of the file to the end of the last whole line
    /// verified: the length of the file's verified prefix.
    pub fn verified_bytes(&self) -> u64 {
        self.verified_bytes
    }

    /// The next verified event, or `None` at a clean end of file (and at
    /// every call after it). After an error every call fails: no line after
    /// a bad one is ever given out.
    pub fn next_event(&mut self) -> Result<Option<Envelope>> {
        if let Some(why) = &self.stopped {
            return Err(Error::Verify(format!(
                "{}: nothing after the error met is read ({why})",
                self.path.display()
            )));
        }
        let read = self.read_next();
        match &read {
            Ok(Some(_)) => {}
            Ok(None) => self.last = (0, 0),
            Err(e) => {
                self.stopped = Some(e.to_string());
                self.last = (0, 0);
            }
        }
        read
    }

    fn read_next(&mut self) -> Result<Option<Envelope>> {
        while self.next == self.batch.slots.len() {
            match &self.batch.end {
                Some(End::Eof) => return Ok(None),
                Some(End::TooLong) => {
                    return Err(Error::Corrupt {
                        path: self.path.clone(),
                        seq: self.seq + 1,
                        line: self.line_no + 1,
                        damage: Box::new(Damage::TooLong(self.max_line)),
                    });
                }
                Some(End::Io(e)) => {
                    let e = std::io::Error::new(e.kind(), e.to_string());
                    return Err(Error::io(&self.path, "cannot read", e));
                }
                None => {}
            }
            let next = self.ahead.next();
            self.ahead.recycle(std::mem::replace(&mut self.batch, next));
            self.next = 0;
            self.last = (0, 0);
        }
        let slot = &mut self.batch.slots[self.next];
        self.next += 1;
        self.line_no += 1;
        self.last = (slot.start, slot.end);
        let complete = slot.complete;
        let taken = (slot.end - slot.start) as u64 + 1;
        let verdict = std::mem::replace(&mut slot.verdict, Err(LineError::NoHash));
        let after = self.seq;
        match verdict {
            Ok((head, envelope)) if complete => {
                self.head = head;
                self.seq = envelope.seq;
                self.verified_bytes += taken;
                Ok(Some(envelope))
            }
            Ok(_) => Err(self.torn(after, "has no newline")),
            // Only a last line without its newline is torn: a writer died
            // mid-line. A whole line that does not verify is corruption,
            // wherever it is (a flipped bit, an appended line).
            Err(_) if !complete => Err(self.torn(after, "is incomplete")),
            Err(e) => Err(Error::Corrupt {
                path: self.path.clone(),
                seq: after + 1,
                line: self.line_no,
                damage: Box::new(Damage::Line(e)),
            }),
        }
    }

    fn torn(&self, after_seq: u64, detail: &str) -> Error {
        if self.being_written {
            return Error::BeingWritten {
                path: self.path.clone(),
                verified: after_seq,
            };
        }
        Error::Torn {
            path: self.path.clone(),
            after_seq,
            detail: format!(
                "the last line, which would be seq {}, {detail}: a writer died mid-line; `entente repair` keeps the whole events",
                after_seq + 1
            ),
        }
    }
}

/// Reads the header line into `line` without its newline; true if it ended
/// with a newline. A line longer than the limit is refused rather than
/// buffered.
fn read_line(
    reader: &mut BufReader<File>,
    line: &mut Vec<u8>,
    path: &Path,
    max_line: u64,
) -> Result<bool> {
    line.clear();
    let n = reader
        .by_ref()
        .take(max_line + 1)
        .read_until(b'\n', line)
        .map_err(|e| Error::io(path, "cannot read", e))?;
    if n as u64 > max_line {
        return Err(Error::Corrupt {
            path: path.to_owned(),
            seq: 0,
            line: 1,
            damage: Box::new(Damage::TooLong(max_line)),
        });
    }
    let complete = line.last() == Some(&b'\n');
    if complete {
        line.pop();
    }
    Ok(complete)
}

/// The bytes every log starts with.
const LOG_MAGIC: &[u8] = br#"{"format":"entente-log""#;

/// Whether another process holds the writer's lock on `file`. The shared
/// lock taken to find out is let go at once, so a reader never keeps a
/// writer out.
fn held_by_a_writer(file: &File) -> bool {
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(TryLockError::WouldBlock) => true,
        Err(TryLockError::Error(_)) => false,
    }
}
