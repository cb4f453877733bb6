//! Verifying a log line by line: the hash chain, seq continuity, the codes
//! of each event, and the version of the format before anything else.

use std::borrow::Cow;

use serde::Deserialize;

use super::{ENGINE_VERSION, FORMAT, HASH_KEY, Hash, Header, LOG_VERSION, SUFFIX_LEN};
use crate::date::Date;
use crate::event::{Envelope, Event};

/// Why a line does not verify.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LineError {
    /// The line does not end with a well-formed hash field.
    #[error("the line does not end with a \"hash\" field of 64 hex digits")]
    NoHash,
    /// The hash does not match the chain: the line or one before it changed.
    #[error("hash mismatch: expected {expected}, the line says {found}")]
    HashMismatch {
        /// The hash the chain gives.
        expected: String,
        /// The hash written on the line.
        found: String,
    },
    /// The line is not the JSON it should be.
    #[error("not a valid {what}: {message}")]
    Json {
        /// Header or event.
        what: &'static str,
        /// serde_json's message, with the column.
        message: String,
    },
    /// The seq does not follow the previous one.
    #[error("expected seq {expected}, found seq {found}")]
    Seq {
        /// The seq that should come next.
        expected: u64,
        /// The seq on the line.
        found: u64,
    },
    /// The envelope's CAMEO code disagrees with its event.
    #[error(
        "the envelope says CAMEO {found}, but {} event is {expected}",
        crate::event::article(event)
    )]
    Code {
        /// The event type.
        event: &'static str,
        /// The code the event has.
        expected: String,
        /// The code on the line.
        found: String,
    },
    /// The envelope's Goldstein value disagrees with its event's code.
    #[error(
        "the envelope says Goldstein {found}, but {} event (CAMEO {cameo}) is {expected}",
        crate::event::article(event)
    )]
    Goldstein {
        /// The event type.
        event: &'static str,
        /// Its CAMEO code.
        cameo: String,
        /// The value the code has.
        expected: f64,
        /// The value on the line.
        found: f64,
    },
    /// The header names another format.
    #[error("not an Entente log: the first line's format is {0:?}")]
    Format(String),
    /// The header was written by a newer engine.
    #[error(
        "written by entente {engine} in log format {version}; this is entente {ENGINE_VERSION}, which reads log formats up to {LOG_VERSION}"
    )]
    TooNew {
        /// The engine that wrote it.
        engine: String,
        /// Its log format version.
        version: u32,
    },
}

/// Verifies a log line by line: the hash chain, seq continuity, and that each
/// line parses. Feed it the header, then every event line, each without its
/// newline.
#[derive(Clone, Debug)]
pub struct Verifier {
    head: Hash,
    seq: u64,
}

impl Default for Verifier {
    fn default() -> Verifier {
        Verifier {
            head: Hash::genesis(),
            seq: 0,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn<'a> {
    seq: u64,
    round: u32,
    date: Date,
    #[serde(borrow)]
    cameo: Cow<'a, str>,
    goldstein: f64,
    event: Event,
    #[serde(rename = "hash")]
    _hash: serde::de::IgnoredAny,
}

#[derive(Deserialize)]
struct VersionProbe {
    format: Option<String>,
    version: Option<u32>,
    engine: Option<String>,
}

impl Verifier {
    /// The hash of the last line verified.
    pub fn head(&self) -> Hash {
        self.head
    }

    /// The seq of the last event verified.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    /// Verifies and parses the header line.
    pub fn header(&mut self, line: &[u8]) -> Result<Header, LineError> {
        // Read the format and version before anything else, so a newer log
        // is refused with a clear message rather than a parse error.
        let probe: VersionProbe = serde_json::from_slice(line).map_err(|e| LineError::Json {
            what: "header",
            message: e.to_string(),
        })?;
        if probe.format.as_deref() != Some(FORMAT) {
            return Err(LineError::Format(probe.format.unwrap_or_default()));
        }
        let version = probe.version.unwrap_or(0);
        if version > LOG_VERSION {
            return Err(LineError::TooNew {
                engine: probe.engine.unwrap_or_else(|| "unknown".to_owned()),
                version,
            });
        }
        self.check_hash(line)?;
        // The header without its hash field is the canonical bytes with the
        // final comma turned back into a closing brace.
        let canonical = &line[..line.len() - SUFFIX_LEN];
        let mut body = canonical.to_vec();
        if let Some(last) = body.last_mut() {
            *last = b'}';
        }
        let mut header: Header = serde_json::from_slice(&body).map_err(|e| LineError::Json {
            what: "header",
            message: e.to_string(),
        })?;
        if !writes_a_stop_rule(&body) {
            // Written before engines had a stop rule (0.2 and older): the
            // model played every round, whatever today's default says.
            header.scenario.model.stop = None;
        }
        if let Some(branch) = &header.branch {
            // The events chain from the header without its branch record,
            // which must be the last member, written as this engine writes it.
            let mut record = b"\"branch\":".to_vec();
            let _ = serde_json::to_writer(&mut record, branch);
            record.push(b',');
            let identity =
                canonical
                    .strip_suffix(record.as_slice())
                    .ok_or_else(|| LineError::Json {
                        what: "header",
                        message: "the branch record is not the header's last member".to_owned(),
                    })?;
            let root = Hash::genesis().chain(identity);
            if root.as_str() != branch.root {
                return Err(LineError::HashMismatch {
                    expected: root.to_string(),
                    found: branch.root.clone(),
                });
            }
            self.head = root;
        }
        Ok(header)
    }

    /// Verifies and parses an event line.
    pub fn event(&mut self, line: &[u8]) -> Result<Envelope, LineError> {
        let head = chain(self.head, line)?;
        let envelope = parse_event(line, self.seq + 1)?;
        self.head = head;
        self.seq = envelope.seq;
        Ok(envelope)
    }

    fn check_hash(&mut self, line: &[u8]) -> Result<(), LineError> {
        self.head = chain(self.head, line)?;
        Ok(())
    }
}

/// The hash of `line` chained from `head`, if the line ends with it: the
/// sequential half of verifying a line. A reader may run it ahead of
/// [`parse_event`], which needs nothing from the lines before.
pub fn chain(head: Hash, line: &[u8]) -> Result<Hash, LineError> {
    let n = line.len();
    if n < SUFFIX_LEN + 2
        || &line[n - SUFFIX_LEN..n - SUFFIX_LEN + HASH_KEY.len()] != HASH_KEY
        || &line[n - 2..] != b"\"}"
        || line[n - SUFFIX_LEN - 1] != b','
    {
        return Err(LineError::NoHash);
    }
    let written = Hash::parse_bytes(&line[n - 66..n - 2]).ok_or(LineError::NoHash)?;
    let expected = head.chain(&line[..n - SUFFIX_LEN]);
    if expected != written {
        return Err(LineError::HashMismatch {
            expected: expected.to_string(),
            found: written.to_string(),
        });
    }
    Ok(expected)
}

/// Parses the event line that must carry `seq`, and checks its envelope's
/// codes against its event: everything of verifying a line but the chain,
/// so lines can be parsed in any order, on any thread.
pub fn parse_event(line: &[u8], seq: u64) -> Result<Envelope, LineError> {
    // One check of the whole line's UTF-8 lets the parser skip checking
    // string by string; a line that fails it is parsed as bytes, so its
    // error is the parser's own, with its column.
    let parsed: Result<LineIn<'_>, _> = match std::str::from_utf8(line) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(line),
    };
    let parsed = parsed.map_err(|e| LineError::Json {
        what: "event line",
        message: e.to_string(),
    })?;
    if parsed.seq != seq {
        return Err(LineError::Seq {
            expected: seq,
            found: parsed.seq,
        });
    }
    let event = parsed.event;
    if parsed.cameo != event.cameo() {
        return Err(LineError::Code {
            event: event.name(),
            expected: event.cameo().to_owned(),
            found: parsed.cameo.into_owned(),
        });
    }
    if parsed.goldstein != event.goldstein() {
        return Err(LineError::Goldstein {
            event: event.name(),
            cameo: event.cameo().to_owned(),
            expected: event.goldstein(),
            found: parsed.goldstein,
        });
    }
    Ok(Envelope {
        seq: parsed.seq,
        round: parsed.round,
        date: parsed.date,
        event,
    })
}

/// Whether a header's scenario says what its stop rule is: every header an
/// engine with a stop rule writes does (as `null` when there is none).
fn writes_a_stop_rule(header: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        scenario: ScenarioProbe,
    }
    #[derive(serde::Deserialize)]
    struct ScenarioProbe {
        #[serde(default)]
        model: serde_json::Map<String, serde_json::Value>,
    }
    serde_json::from_slice::<Probe>(header).is_ok_and(|p| p.scenario.model.contains_key("stop"))
}
