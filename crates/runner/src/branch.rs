//! Counterfactual branches: a parent's first events byte for byte, then the
//! injected events, then the run goes on to its last round.

use std::path::{Path, PathBuf};

use serde_json::Value;

use entente_core::log::{self, ENGINE_VERSION};
use entente_core::{Branch, Header, InjectionRecord, Run, RunConfig, State, inject};

use crate::error::{Error, Result};
use crate::input::{self, MAX_EVENT_BYTES};
use crate::logfile::LogReader;
use crate::replay;
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
            "log": self.written.path,
            "parent": self.parent,
            "at": self.at,
            "injected": self.injected,
            "head": self.written.head.to_string(),
            "events": self.written.events,
        })
    }
}

/// Writes the branch `request` asks for.
pub fn branch(request: &Request) -> Result<Branched> {
    let parent_path = &request.parent;
    if crate::files::same_file(parent_path, &request.output.path) {
        return Err(Error::Usage(
            "the branch must be written to a new file, not over its parent".to_owned(),
        ));
    }
    // Pass 1: verify the whole parent; keep the state after event `at`.
    let at = request.at;
    let mut at_state = None;
    let parent = replay::replay(parent_path, |env, state| {
        if env.seq == at {
            at_state = Some(state.clone());
        }
    })?;
    if parent.header.engine != ENGINE_VERSION {
        return Err(Error::Usage(format!(
            "{}: written by entente {}; branching re-runs the parent, so it needs the same engine (this is {ENGINE_VERSION})",
            parent_path.display(),
            parent.header.engine
        )));
    }
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
    if parent.complete() && at == parent.events && changes {
        return Err(Error::Usage(format!(
            "--at {at}: {} closes its last round at seq {at}; nothing happens after it, so an injected event or a new seed would never act (branch at an earlier seq)",
            parent_path.display()
        )));
    }
    let scenario = &parent.header.scenario;
    let mut state = at_state.unwrap_or_else(|| State::new(scenario));

    // The injected events, each completed and checked in the state the
    // ones before it leave.
    let mut records = inherited_records(&parent.header, at);
    for (k, partial) in request.inject.iter().enumerate() {
        let event =
            inject::complete(partial, scenario, &state).map_err(|refusal| Error::Refused {
                what: format!("--inject #{}: cannot happen after seq {at}", k + 1),
                refusal: Box::new(refusal),
            })?;
        state.apply(&event);
        records.push(InjectionRecord {
            after_seq: at,
            event: Some(event),
            seed: None,
        });
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
    let header = Header {
        branch: Some(Branch {
            parent: parent.head.to_string(),
            at,
            root: String::new(),
            injections: records,
        }),
        ..parent.header.clone()
    };

    // Pass 2: re-simulating the parent's prefix must give its bytes.
    check_prefix(parent_path, &header, at)?;
    let run = Run::new(scenario, RunConfig::from_header(&header))?;
    Ok(Branched {
        written: simulate::write_run(run, &header, &request.output)?,
        parent: parent_path.clone(),
        at,
        injected: request.inject.len(),
    })
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

/// Re-simulates the events 1..=at under `header` and compares them, byte for
/// byte, with the parent's lines.
fn check_prefix(parent_path: &Path, header: &Header, at: u64) -> Result<()> {
    let mut reader = LogReader::open(parent_path)?;
    let parent_root = reader
        .header()
        .branch
        .as_ref()
        .map_or_else(|| reader.head().to_string(), |b| b.root.clone());
    let run = Run::new(&header.scenario, RunConfig::from_header(header))?;
    let prefix = run.take(usize::try_from(at).unwrap_or(usize::MAX));
    for line in log::encode(header, prefix) {
        let line = line?;
        let Some(envelope) = &line.envelope else {
            // The branch's events chain from its header without the branch
            // record, which must be the parent's root.
            if line.head.as_str() != parent_root {
                return Err(Error::Verify(format!(
                    "{}: its header does not re-encode to the same bytes, so a branch could not keep its hashes",
                    parent_path.display()
                )));
            }
            continue;
        };
        match reader.next_event()? {
            Some(_) if reader.line() == line.text() => {}
            _ => {
                return Err(Error::Verify(format!(
                    "{}: re-running its header gives a different event at seq {}; the parent was not written by this engine from its header, so it cannot be branched",
                    parent_path.display(),
                    envelope.seq
                )));
            }
        }
    }
    Ok(())
}
