//! Counterfactual branches: a parent's first events byte for byte, then the
//! injected events, then the run goes on to its last round. The parent is
//! read and verified once, and its first events played once.

use std::path::{Path, PathBuf};

use serde_json::Value;

use entente_core::log::ENGINE_VERSION;
use entente_core::{
    Branch, Encoder, Envelope, Header, InjectionRecord, Run, RunConfig, State, inject,
};

use crate::error::{Error, Result};
use crate::input::{self, MAX_EVENT_BYTES};
use crate::replay::{Replayed, Replaying};
use crate::simulate::{self, Output, Written};

/// What to branch, where, and with what.
#[derive(Clone, Debug)]
pub struct Request {
    /// The parent log.
    pub parent: PathBuf,
    /// Keep the parent's events 1..=at.
    pub at: u64,
    /// Events to put in after `at`, in order, as (partial) JSON.
    pub inject: Vec<Value>,
    /// The seed of every draw after the branch point (default: the parent's).
    pub seed: Option<u64>,
    /// Where to write the branch.
    pub output: Output,
}

/// Parses an `--inject` argument: JSON text, or `@FILE` for a file of it.
pub fn parse_inject(argument: &str) -> Result<Value> {
    let (origin, bytes) = match argument.strip_prefix('@') {
        Some(file) => {
            let path = PathBuf::from(file);
            let bytes = input::read_limited(&path, "an event file", MAX_EVENT_BYTES)?;
            (path, bytes)
        }
        None => {
            if argument.len() as u64 > MAX_EVENT_BYTES {
                return Err(Error::Usage(format!(
                    "--inject: {} bytes; the limit for an event is {MAX_EVENT_BYTES} bytes",
                    argument.len()
                )));
            }
            (PathBuf::from("--inject"), argument.as_bytes().to_vec())
        }
    };
    input::parse_json(&origin, &bytes)
}

/// A branch written.
#[derive(Clone, Debug)]
pub struct Branched {
    /// The log written.
    pub written: Written,
    /// The parent log.
    pub parent: PathBuf,
    /// The last of the parent's events kept.
    pub at: u64,
    /// Events put in.
    pub injected: usize,
}

impl Branched {
    /// What `branch` prints.
    pub fn text(&self) -> String {
        format!(
            "{}\n  kept events 1..{} of {}, put in {} event(s), ran on to round {}\n  {} events, fingerprint {}\n",
            self.written.path.display(),
            self.at,
            self.parent.display(),
            self.injected,
            self.written.rounds,
            self.written.events,
            self.written.head
        )
    }

    /// The same as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            // A path need not be UTF-8; JSON text must be.
            "log": self.written.path.to_string_lossy(),
            "parent": self.parent.to_string_lossy(),
            "at": self.at,
            "injected": self.injected,
            "head": self.written.head.to_string(),
            "events": self.written.events,
        })
    }
}

/// Writes the branch `request` asks for.
///
/// The parent is read once. While it is verified and folded, the engine
/// plays its first `at` events again from its header, and each is held to
/// the parent's line, byte for byte: only then may the branch keep the
/// parent's hashes. Those events are kept until the branch is written,
/// since its header, which comes first, names the parent's fingerprint,
/// known only at the parent's end; then the same run takes the injected
/// events and goes on, so the prefix is played once.
pub fn branch(request: &Request) -> Result<Branched> {
    let parent_path = &request.parent;
    if crate::files::same_file(parent_path, &request.output.path) {
        return Err(Error::Usage(
            "the branch must be written to a new file, not over its parent".to_owned(),
        ));
    }
    let at = request.at;
    let mut reading = Replaying::open(parent_path)?;
    let header = reading.header().clone();
    let inherited = inherited_records(&header, at);
    // Only the engine that wrote the parent can play its prefix again; an
    // older log is refused below, once it has been verified.
    let mut prefix = (header.engine == ENGINE_VERSION)
        .then(|| Prefix::start(&header, &inherited, reading.root(), parent_path));
    let mut at_state = None;
    while let Some(envelope) = reading.next_event()? {
        if envelope.seq == at {
            at_state = Some(reading.state().clone());
        }
        if let Some(Ok(prefix)) = &mut prefix
            && envelope.seq <= at
        {
            prefix.hold_to(envelope.seq, reading.line());
        }
    }
    let parent = reading.finish();
    let Some(prefix) = prefix else {
        return Err(Error::Usage(format!(
            "{}: written by entente {}; branching re-runs the parent, so it needs the same engine (this is {ENGINE_VERSION})",
            parent_path.display(),
            parent.header.engine
        )));
    };
    if at > parent.events {
        return Err(Error::Usage(format!(
            "--at {at}: {} has {} events",
            parent_path.display(),
            parent.events
        )));
    }
    let new_seed = request
        .seed
        .filter(|&s| s != effective_seed(&parent.header, at));
    // A complete log ends with its last round's close (replay lets nothing
    // follow it), so nothing could act on what is put in after it.
    let changes = !request.inject.is_empty() || new_seed.is_some();
    if changes {
        nothing_after_the_end(parent_path, &parent, at)?;
    }
    let scenario = &header.scenario;
    let mut state = at_state.unwrap_or_else(|| State::new(scenario));

    // The injected events, each completed and checked in the state the
    // ones before it leave.
    let mut records = inherited;
    let mut injected = Vec::with_capacity(request.inject.len());
    for (k, partial) in request.inject.iter().enumerate() {
        let event =
            inject::complete(partial, scenario, header.rounds, &state).map_err(|refusal| {
                Error::Refused {
                    what: format!("--inject #{}: cannot happen after seq {at}", k + 1),
                    refusal: Box::new(refusal),
                }
            })?;
        state.apply(&event);
        records.push(InjectionRecord {
            after_seq: at,
            event: Some(event.clone()),
            seed: None,
        });
        injected.push(event);
    }
    if let Some(seed) = new_seed {
        match records.iter_mut().rev().find(|r| r.after_seq == at) {
            Some(record) => record.seed = Some(seed),
            None => records.push(InjectionRecord {
                after_seq: at,
                event: None,
                seed: Some(seed),
            }),
        }
    }
    let branch_header = Header {
        branch: Some(Branch {
            parent: parent.head.to_string(),
            at,
            root: String::new(),
            injections: records,
        }),
        ..header.clone()
    };
    // What re-running the prefix found, reported after what the user's
    // input gets wrong.
    let (played, mut run) = prefix?.finish()?;
    run.branch_here(injected, new_seed);
    Ok(Branched {
        written: simulate::write_continued(played, run, &branch_header, &request.output)?,
        parent: parent_path.clone(),
        at,
        injected: request.inject.len(),
    })
}

/// Refuses to put anything in after event `at` of `parent` (read from
/// `path`) when `at` is its last round's close: nothing happens after it,
/// so nothing put in would act. The workbench's menu holds to it too.
pub fn nothing_after_the_end(path: &Path, parent: &Replayed, at: u64) -> Result<()> {
    if parent.complete() && at == parent.events {
        return Err(Error::Usage(format!(
            "--at {at}: {} closes its last round at seq {at}; nothing happens after it, so an injected event or a new seed would never act (branch at an earlier seq)",
            path.display()
        )));
    }
    Ok(())
}

/// The parent's first events played again by the engine, each held to the
/// parent's line as the parent is read.
struct Prefix<'s> {
    run: Run<'s>,
    encoder: Encoder,
    line: Vec<u8>,
    played: Vec<Envelope>,
    /// The first difference from the parent, reported once the parent is
    /// verified (a damaged parent is told as such first).
    fault: Option<Error>,
    parent: &'s Path,
}

impl<'s> Prefix<'s> {
    /// A run of `header`'s scenario under the parent's own injections that
    /// stand within the prefix, its header encoded: the events chain from
    /// the hash of the header without its branch record, which must be
    /// the parent's `root`.
    fn start(
        header: &'s Header,
        inherited: &[InjectionRecord],
        root: &str,
        parent: &'s Path,
    ) -> Result<Prefix<'s>> {
        let replaying = Header {
            branch: Some(Branch {
                parent: String::new(),
                at: 0,
                root: String::new(),
                injections: inherited.to_vec(),
            }),
            ..header.clone()
        };
        let run = Run::new(&header.scenario, RunConfig::from_header(&replaying))?;
        let mut encoder = Encoder::default();
        let mut line = Vec::new();
        encoder.header(&replaying, &mut line);
        let fault = (encoder.head().as_str() != root).then(|| {
            Error::Verify(format!(
                "{}: its header does not re-encode to the same bytes, so a branch could not keep its hashes",
                parent.display()
            ))
        });
        Ok(Prefix {
            run,
            encoder,
            line,
            played: Vec::new(),
            fault,
            parent,
        })
    }

    /// Plays the next event and holds it to the parent's event `seq`, whose
    /// line (without its newline) is `parent_line`.
    fn hold_to(&mut self, seq: u64, parent_line: &[u8]) {
        if self.fault.is_some() {
            return;
        }
        let envelope = match self.run.next() {
            Some(Ok(envelope)) => envelope,
            Some(Err(e)) => {
                self.fault = Some(e.into());
                return;
            }
            None => {
                self.fault = Some(self.differs(seq));
                return;
            }
        };
        self.line.clear();
        self.encoder.event(&envelope, &mut self.line);
        if self.line.strip_suffix(b"\n") == Some(parent_line) {
            self.played.push(envelope);
        } else {
            self.fault = Some(self.differs(seq));
        }
    }

    fn differs(&self, seq: u64) -> Error {
        Error::Verify(format!(
            "{}: re-running its header gives a different event at seq {seq}; the parent was not written by this engine from its header, so it cannot be branched",
            self.parent.display()
        ))
    }

    /// The events played, and the run paused after them; or the first
    /// difference from the parent.
    fn finish(self) -> Result<(Vec<Envelope>, Run<'s>)> {
        match self.fault {
            Some(fault) => Err(fault),
            None => Ok((self.played, self.run)),
        }
    }
}

/// The parent's own injection records whose events lie within 1..=at.
fn inherited_records(parent: &Header, at: u64) -> Vec<InjectionRecord> {
    let mut kept = Vec::new();
    let mut emitted_after = (u64::MAX, 0u64);
    for record in parent.branch.iter().flat_map(|b| &b.injections) {
        if record.after_seq != emitted_after.0 {
            emitted_after = (record.after_seq, 0);
        }
        let seq = record.after_seq + emitted_after.1 + 1;
        if record.event.is_some() {
            emitted_after.1 += 1;
        }
        // An event is kept if it stands within 1..=at; a change of seed
        // after seq k governs every phase decided from k on, so one at `at`
        // itself still holds after the branch point, even when the event
        // it was recorded with falls beyond it.
        if record.event.is_none() || seq <= at {
            if record.after_seq <= at {
                kept.push(record.clone());
            }
        } else if record.after_seq <= at && record.seed.is_some() {
            kept.push(InjectionRecord {
                event: None,
                ..record.clone()
            });
        }
    }
    kept
}

/// The seed in effect after `at` in the parent.
fn effective_seed(parent: &Header, at: u64) -> u64 {
    parent
        .branch
        .iter()
        .flat_map(|b| &b.injections)
        .filter(|r| r.after_seq <= at)
        .filter_map(|r| r.seed)
        .next_back()
        .unwrap_or(parent.seed)
}
