//! The log format: JSON Lines with a SHA-256 hash chain.
//!
//! Line 1 is the [`Header`]; every other line is one event envelope:
//!
//! ```text
//! {"seq":1,"round":0,"date":"2015-12-07","cameo":"010","goldstein":0.0,"event":{...},"hash":"…"}
//! ```
//!
//! A line's canonical bytes are its bytes up to and including the comma
//! before `"hash"`. Its hash is SHA-256 of the previous line's hash (64
//! lower-case hex digits; 64 zeros before the header) followed by its
//! canonical bytes, so changing, removing or reordering any byte of any line is
//! detected at that line, and anyone can check a log with `sha256sum`. The last
//! hash is the run's fingerprint.
//!
//! This module encodes and verifies lines as bytes; files are the runner's.

mod verify;

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::event::{Envelope, Event};
use crate::scenario::Scenario;

pub use verify::{LineError, Verifier, chain, parse_event};

/// The `format` field of every header.
pub const FORMAT: &str = "entente-log";
/// The log format version this engine writes.
pub const LOG_VERSION: u32 = 1;
/// The engine version written in headers; part of what fixes a log's bytes.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The hash before the header.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The first line of a log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// The log format version.
    pub version: u32,
    /// The engine that wrote the log.
    pub engine: String,
    /// The run seed.
    pub seed: u64,
    /// Rounds played.
    pub rounds: u32,
    /// The whole scenario, model variant flags included.
    pub scenario: Scenario,
    /// Present in a counterfactual branch: where it parted from its parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<Branch>,
}

/// The record of a counterfactual branch, the last member of its header.
///
/// A branch keeps its parent's events 1..=`at` byte for byte, hashes
/// included. Those hashes chain from the parent's header, whose hash is
/// `root`; the branch's own header hash covers this record as well, so
/// changing any byte of it is still caught at line 1.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// The parent log's fingerprint.
    pub parent: String,
    /// The last of the parent's events kept.
    pub at: u64,
    /// The hash the events chain from: that of the header without this record.
    pub root: String,
    /// Every event put into this history, those of earlier branches included.
    pub injections: Vec<InjectionRecord>,
}

/// An event put into a history, and from where it was put.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InjectionRecord {
    /// The seq it follows.
    pub after_seq: u64,
    /// The event, if one was put in (a branch may only change the seed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Event>,
    /// The seed of every draw decided after this point, if it changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

impl Header {
    /// The header of a run of `scenario` written by this engine.
    pub fn new(scenario: Scenario, seed: u64, rounds: u32) -> Header {
        Header {
            format: FORMAT.to_owned(),
            version: LOG_VERSION,
            engine: ENGINE_VERSION.to_owned(),
            seed,
            rounds,
            scenario,
            branch: None,
        }
    }
}

/// A 64-hex-digit SHA-256 hash.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash([u8; 64]);

impl Hash {
    /// The hash before the header.
    pub fn genesis() -> Hash {
        Hash([b'0'; 64])
    }

    /// The hash as text.
    pub fn as_str(&self) -> &str {
        // Only ever built from ASCII hex digits.
        std::str::from_utf8(&self.0).unwrap_or("")
    }

    /// Parses 64 lower-case hex digits.
    pub fn parse(text: &str) -> Option<Hash> {
        Hash::parse_bytes(text.as_bytes())
    }

    /// Parses 64 lower-case hex digits given as bytes.
    pub fn parse_bytes(bytes: &[u8]) -> Option<Hash> {
        (bytes.len() == 64 && bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))).then(
            || {
                let mut h = [0u8; 64];
                h.copy_from_slice(bytes);
                Hash(h)
            },
        )
    }

    /// SHA-256 of `bytes` alone, as hex: a content fingerprint.
    pub fn digest(bytes: &[u8]) -> Hash {
        let mut h = Hash([b'0'; 64]);
        let digest = Sha256::digest(bytes);
        for (i, byte) in digest.iter().enumerate() {
            h.0[2 * i] = HEX[usize::from(byte >> 4)];
            h.0[2 * i + 1] = HEX[usize::from(byte & 0xf)];
        }
        h
    }

    /// SHA-256 of `self` (as hex) followed by `canonical`.
    pub(crate) fn chain(&self, canonical: &[u8]) -> Hash {
        let mut hasher = Sha256::new();
        hasher.update(self.0);
        hasher.update(canonical);
        let digest = hasher.finalize();
        let mut hex = [0u8; 64];
        for (i, byte) in digest.iter().enumerate() {
            hex[2 * i] = HEX[usize::from(byte >> 4)];
            hex[2 * i + 1] = HEX[usize::from(byte & 0xf)];
        }
        Hash(hex)
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl std::fmt::Display for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Hash({})", self.as_str())
    }
}

/// The suffix every line ends with: `"hash":"` + 64 hex digits + `"}`.
const HASH_KEY: &[u8] = b"\"hash\":\"";
const SUFFIX_LEN: usize = HASH_KEY.len() + 64 + 2;

/// Encodes lines and extends the hash chain.
#[derive(Clone, Debug)]
pub struct Encoder {
    head: Hash,
    seq: u64,
}

impl Default for Encoder {
    fn default() -> Encoder {
        Encoder {
            head: Hash::genesis(),
            seq: 0,
        }
    }
}

impl Encoder {
    /// The hash of the last line encoded: the fingerprint so far.
    pub fn head(&self) -> Hash {
        self.head
    }

    /// The seq of the last event encoded.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Appends the header line, with its newline, to `out`. A branch's
    /// record gets its `root` filled in: the hash its events chain from.
    pub fn header(&mut self, header: &Header, out: &mut Vec<u8>) {
        let start = out.len();
        let identity = Header {
            branch: None,
            ..header.clone()
        };
        // A header is plain data; serialising it cannot fail.
        let _ = serde_json::to_writer(&mut *out, &identity);
        out.pop(); // the closing brace
        out.push(b',');
        let root = Hash::genesis().chain(&out[start..]);
        if let Some(branch) = &header.branch {
            let branch = Branch {
                root: root.to_string(),
                ..branch.clone()
            };
            out.extend_from_slice(b"\"branch\":");
            let _ = serde_json::to_writer(&mut *out, &branch);
            out.push(b',');
        }
        self.seal(start, out);
        self.head = root;
    }

    /// Appends an event line, with its newline, to `out`. The envelope's seq
    /// must follow the previous one; the caller checks that.
    pub fn event(&mut self, envelope: &Envelope, out: &mut Vec<u8>) {
        let start = out.len();
        let event = &envelope.event;
        let mut prefix = String::with_capacity(96);
        let _ = write!(
            prefix,
            "{{\"seq\":{},\"round\":{},\"date\":\"{}\",\"cameo\":\"{}\",\"goldstein\":",
            envelope.seq,
            envelope.round,
            envelope.date,
            event.cameo(),
        );
        out.extend_from_slice(prefix.as_bytes());
        let _ = serde_json::to_writer(&mut *out, &event.goldstein());
        out.extend_from_slice(b",\"event\":");
        let _ = serde_json::to_writer(&mut *out, event);
        out.push(b',');
        self.seq = envelope.seq;
        self.seal(start, out);
    }

    fn seal(&mut self, start: usize, out: &mut Vec<u8>) {
        self.head = self.head.chain(&out[start..]);
        out.extend_from_slice(HASH_KEY);
        out.extend_from_slice(&self.head.0);
        out.extend_from_slice(b"\"}\n");
    }
}

/// One encoded line of a log.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// The line's bytes, its newline included.
    pub bytes: Vec<u8>,
    /// The hash the next line chains from: the hash this line ends with
    /// (the fingerprint so far), except after a branch's header, whose
    /// events chain from its root.
    pub head: Hash,
    /// The event it holds; `None` for the header.
    pub envelope: Option<Envelope>,
}

impl Line {
    /// The line without its newline, as a reader sees it.
    pub fn text(&self) -> &[u8] {
        self.bytes.strip_suffix(b"\n").unwrap_or(&self.bytes)
    }

    /// The seq of its event; 0 for the header.
    pub fn seq(&self) -> u64 {
        self.envelope.as_ref().map_or(0, |e| e.seq)
    }
}

/// A log encoded line by line: the header, then each event `events`
/// yields. Every log the product writes or re-creates (a run, a branch, a
/// re-run, a sweep's fingerprints, the law suite's replay) is encoded here.
#[derive(Debug)]
pub struct Lines<I> {
    encoder: Encoder,
    header: Option<Header>,
    events: I,
}

/// The lines of the log that `header` starts and `events` continue.
pub fn encode<I, E>(header: &Header, events: I) -> Lines<I::IntoIter>
where
    I: IntoIterator<Item = Result<Envelope, E>>,
{
    Lines {
        encoder: Encoder::default(),
        header: Some(header.clone()),
        events: events.into_iter(),
    }
}

impl<I, E> Iterator for Lines<I>
where
    I: Iterator<Item = Result<Envelope, E>>,
{
    type Item = Result<Line, E>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut bytes = Vec::with_capacity(256);
        if let Some(header) = self.header.take() {
            self.encoder.header(&header, &mut bytes);
            return Some(Ok(Line {
                bytes,
                head: self.encoder.head(),
                envelope: None,
            }));
        }
        let envelope = match self.events.next()? {
            Ok(envelope) => envelope,
            Err(e) => return Some(Err(e)),
        };
        self.encoder.event(&envelope, &mut bytes);
        Some(Ok(Line {
            bytes,
            head: self.encoder.head(),
            envelope: Some(envelope),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Strike, StrikeTarget};

    fn envelope(seq: u64) -> Envelope {
        Envelope {
            seq,
            round: 1,
            date: "2015-12-07".parse().unwrap(),
            event: Event::Strike(Strike {
                striker: "RUS".into(),
                theatre: "syria".into(),
                target: StrikeTarget::OtherOpposition,
                hits: None,
            }),
        }
    }

    #[test]
    fn lines_verify_and_any_changed_byte_is_caught() {
        let mut enc = Encoder::default();
        let mut lines = Vec::new();
        for seq in 1..=3 {
            let mut out = Vec::new();
            enc.event(&envelope(seq), &mut out);
            assert_eq!(out.pop(), Some(b'\n'));
            lines.push(out);
        }
        assert_eq!(
            String::from_utf8(lines[0][..lines[0].len() - SUFFIX_LEN].to_vec()).unwrap(),
            r#"{"seq":1,"round":1,"date":"2015-12-07","cameo":"195","goldstein":-10.0,"event":{"strike":{"striker":"RUS","theatre":"syria","target":"other_opposition"}},"#
        );
        let mut v = Verifier::default();
        for line in &lines {
            v.event(line).unwrap();
        }
        assert_eq!(v.head(), enc.head());

        for i in 0..lines[1].len() {
            let mut v = Verifier::default();
            v.event(&lines[0]).unwrap();
            let mut bad = lines[1].clone();
            bad[i] ^= 0x01;
            assert!(v.event(&bad).is_err(), "flipping byte {i} went unnoticed");
        }
    }

    #[test]
    fn a_line_out_of_order_is_caught() {
        let mut enc = Encoder::default();
        let mut a = Vec::new();
        enc.event(&envelope(1), &mut a);
        let mut v = Verifier::default();
        a.pop();
        v.event(&a).unwrap();
        assert!(matches!(v.event(&a), Err(LineError::HashMismatch { .. })));
    }
}
