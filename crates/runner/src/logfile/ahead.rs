//! Reading ahead: a log's lines read, hashed and parsed on threads of their
//! own while the caller folds the lines before them.
//!
//! Three threads feed the caller. The reader reads the file in blocks of
//! whole lines (a batch), checks each line's place in the hash chain — the
//! one step that must go in order — and hands batches to two parsers in
//! turn; each parser turns its batch's lines into envelopes, which need
//! nothing from the lines before them; the caller takes the batches back in
//! the same turn, so order is kept without sorting. Every channel is bounded,
//! so memory stays a few batches however long the log, and a reader that
//! stops early (an error, or a dropped [`Ahead`]) stops the threads: each
//! one ends when the next one down hangs up.
//!
//! Nothing here decides what a bad line means: each line comes back with
//! its bytes, whether it ended with a newline, and its verdict, and
//! [`super::LogReader`] makes of them the same errors a line-by-line reader
//! would.

use std::fs::File;
use std::io::Read;
use std::sync::mpsc::{Receiver, Sender, SyncSender, TryRecvError, channel, sync_channel};
use std::thread::JoinHandle;

use entente_core::log::{LineError, chain, parse_event};
use entente_core::{Envelope, Hash};

/// Bytes of whole lines a batch aims for.
pub(super) const BATCH_BYTES: usize = 1 << 18;
/// Batches each channel holds before its sender waits.
const QUEUE: usize = 2;
/// The parsers: the batches alternate between them.
const PARSERS: usize = 2;

/// One line of a batch and its verdict.
#[derive(Debug)]
pub(super) struct Slot {
    /// Where its bytes are in the batch, newline left out.
    pub(super) start: usize,
    pub(super) end: usize,
    /// Whether it ended with a newline.
    pub(super) complete: bool,
    /// Its hash, then its envelope, or why not.
    pub(super) verdict: Result<(Hash, Envelope), LineError>,
}

/// Why the lines stop after a batch.
#[derive(Debug)]
pub(super) enum End {
    /// The file ends (or a line failed the chain, after which nothing can
    /// verify).
    Eof,
    /// The next line is longer than any log line may be.
    TooLong,
    /// Reading failed.
    Io(std::io::Error),
}

/// Lines read, hashed and parsed, in the order of the file.
#[derive(Debug, Default)]
pub(super) struct Batch {
    /// The batch's lines with their newlines, as read.
    pub(super) bytes: Vec<u8>,
    /// Its lines, first to last.
    pub(super) slots: Vec<Slot>,
    /// Set on the last batch: why nothing follows.
    pub(super) end: Option<End>,
    /// The hashes of the lines whose chain held, before they are parsed.
    hashes: Vec<Result<Hash, LineError>>,
}

/// The threads reading ahead of a [`super::LogReader`].
///
/// Dropping an [`Ahead`] hangs up on the parsers and waits for no thread:
/// each ends when its next send fails, and the reader may be blocked in a
/// read of a pipe whose writer holds it open for as long as it likes.
#[derive(Debug)]
pub(super) struct Ahead {
    parsed: Vec<Receiver<Batch>>,
    /// The parser whose batch comes next.
    turn: usize,
    /// Spent buffers, back to the reader for its next batches.
    spent: Sender<Vec<u8>>,
    threads: Vec<JoinHandle<()>>,
}

impl Ahead {
    /// Starts reading `file` after the header: `pending` holds what was
    /// read past the header already, `head` the hash the next line chains
    /// from, `next_seq` the seq it must carry; `limits` are the bytes a
    /// batch aims for and the longest line (newline included) taken.
    pub(super) fn start(
        file: File,
        pending: Vec<u8>,
        head: Hash,
        next_seq: u64,
        limits: (usize, u64),
    ) -> std::io::Result<Ahead> {
        let (spent, recycled) = channel();
        let mut to_parsers = Vec::with_capacity(PARSERS);
        let mut parsed = Vec::with_capacity(PARSERS);
        let mut threads = Vec::with_capacity(PARSERS + 1);
        for _ in 0..PARSERS {
            let (to, from_reader) = sync_channel::<(u64, Batch)>(QUEUE);
            let (to_caller, from_parser) = sync_channel(QUEUE);
            to_parsers.push(to);
            parsed.push(from_parser);
            threads.push(
                std::thread::Builder::new()
                    .name("entente-parse".to_owned())
                    .spawn(move || parse(&from_reader, &to_caller))?,
            );
        }
        let reader = Reader {
            file,
            pending,
            head,
            next_seq,
            batch_bytes: limits.0.max(1),
            max_line: usize::try_from(limits.1).unwrap_or(usize::MAX),
            recycled,
        };
        threads.push(
            std::thread::Builder::new()
                .name("entente-read".to_owned())
                .spawn(move || reader.run(&to_parsers))?,
        );
        Ok(Ahead {
            parsed,
            turn: 0,
            spent,
            threads,
        })
    }

    /// The next batch, in file order. Only a thread that panicked hangs up
    /// before the last batch; its panic is carried on here.
    pub(super) fn next(&mut self) -> Batch {
        let Ok(batch) = self.parsed[self.turn].recv() else {
            self.parsed.clear();
            for thread in self.threads.drain(..) {
                if let Err(panic) = thread.join() {
                    std::panic::resume_unwind(panic);
                }
            }
            unreachable!("the threads reading a log hung up before its last batch");
        };
        self.turn = (self.turn + 1) % PARSERS;
        batch
    }

    /// Gives a spent batch's buffer back for reuse.
    pub(super) fn recycle(&self, batch: Batch) {
        let _ = self.spent.send(batch.bytes);
    }
}

/// Parses every batch that comes, the lines whose chain held.
fn parse(from_reader: &Receiver<(u64, Batch)>, to_caller: &SyncSender<Batch>) {
    while let Ok((first_seq, mut batch)) = from_reader.recv() {
        let hashes = std::mem::take(&mut batch.hashes);
        for (seq, (slot, hash)) in (first_seq..).zip(batch.slots.iter_mut().zip(hashes)) {
            let line = &batch.bytes[slot.start..slot.end];
            slot.verdict = hash.and_then(|h| Ok((h, parse_event(line, seq)?)));
        }
        if to_caller.send(batch).is_err() {
            return;
        }
    }
}

/// The reading thread's state.
struct Reader {
    file: File,
    /// Bytes read but not yet in a batch: the start of a line.
    pending: Vec<u8>,
    head: Hash,
    next_seq: u64,
    batch_bytes: usize,
    max_line: usize,
    recycled: Receiver<Vec<u8>>,
}

impl Reader {
    fn run(mut self, to_parsers: &[SyncSender<(u64, Batch)>]) {
        let mut turn = 0;
        loop {
            let first_seq = self.next_seq;
            let batch = self.batch();
            let last = batch.end.is_some();
            if to_parsers[turn].send((first_seq, batch)).is_err() || last {
                return;
            }
            turn = (turn + 1) % to_parsers.len();
        }
    }

    /// Reads the next batch of whole lines and chains them.
    fn batch(&mut self) -> Batch {
        // A buffer that grew around a long line is let go, not kept.
        let mut bytes = match self.recycled.try_recv() {
            Ok(buffer) if buffer.capacity() <= 4 * self.batch_bytes => buffer,
            Ok(_) | Err(TryRecvError::Empty | TryRecvError::Disconnected) => {
                Vec::with_capacity(self.batch_bytes + (self.batch_bytes >> 2))
            }
        };
        bytes.clear();
        bytes.append(&mut self.pending);
        let mut end = None;
        // Read until the batch holds enough, or a line ends past a long one,
        // or a read came back short (a pipe gives what it has: its lines
        // are not held back until a batch fills). Whole lines already here
        // (read with the header) go at once.
        let mut scanned = 0;
        let mut short = true;
        loop {
            let have_line = memchr(&bytes[scanned..]).is_some();
            if have_line && (bytes.len() >= self.batch_bytes || short) {
                break;
            }
            if !have_line {
                scanned = bytes.len();
                if bytes.len() > self.max_line {
                    end = Some(End::TooLong);
                    break;
                }
            }
            match fill(&mut self.file, &mut bytes, self.batch_bytes) {
                Ok((0, _)) => {
                    end = Some(End::Eof);
                    break;
                }
                Ok((_, full)) => short = !full,
                Err(e) => {
                    end = Some(End::Io(e));
                    break;
                }
            }
        }
        let mut batch = Batch {
            bytes,
            ..Batch::default()
        };
        self.split(&mut batch, end);
        batch
    }

    /// Cuts the batch's bytes into lines and chains each; what follows the
    /// last newline waits for the next batch, unless the file ended.
    fn split(&mut self, batch: &mut Batch, mut end: Option<End>) {
        let bytes = &batch.bytes;
        let mut start = 0;
        while start < bytes.len() {
            let (stop, complete) = match memchr(&bytes[start..]) {
                Some(i) => (start + i, true),
                // A line the file ends inside: a torn tail, or a line
                // whose newline is the next batch's.
                None if matches!(end, Some(End::Eof)) => (bytes.len(), false),
                None => break,
            };
            let taken = stop - start + usize::from(complete);
            if taken > self.max_line {
                end = Some(End::TooLong);
                break;
            }
            let verdict = chain(self.head, &bytes[start..stop]);
            let broken = verdict.is_err();
            if let Ok(h) = verdict {
                self.head = h;
            }
            batch.slots.push(Slot {
                start,
                end: stop,
                complete,
                verdict: Err(LineError::NoHash),
            });
            batch.hashes.push(verdict);
            self.next_seq += 1;
            start = stop + usize::from(complete);
            if broken {
                // No line after a broken link can verify.
                end = Some(End::Eof);
                break;
            }
        }
        if end.is_none() {
            self.pending.extend_from_slice(&batch.bytes[start..]);
        }
        batch.bytes.truncate(start);
        batch.end = end;
    }
}

/// Reads once into the spare room of `bytes` (grown when short of room):
/// the bytes read (0 at the end of the file) and whether they filled the
/// room. One `read`, so a pipe's lines come as they are written.
fn fill(
    file: &mut File,
    bytes: &mut Vec<u8>,
    batch_bytes: usize,
) -> std::io::Result<(usize, bool)> {
    if bytes.capacity() - bytes.len() < (batch_bytes >> 4).max(1) {
        bytes.reserve(batch_bytes);
    }
    let len = bytes.len();
    let room = (bytes.capacity() - len).min(batch_bytes);
    bytes.resize(len + room, 0);
    let read = loop {
        match file.read(&mut bytes[len..]) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => break other,
        }
    };
    bytes.truncate(len + *read.as_ref().unwrap_or(&0));
    read.map(|n| (n, n == room))
}

/// The offset of the first newline in `bytes`.
fn memchr(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', bytes)
}
