//! Replaying a log: verify every line, check every event against the state it
//! meets, and fold them.

use std::path::Path;

use entente_core::{Envelope, Fold, FoldError, Hash, Header, State};

use crate::error::{Damage, Error, Result};
use crate::logfile::LogReader;

/// A verified, folded log.
#[derive(Debug)]
pub struct Replayed {
    /// The header.
    pub header: Header,
    /// The state after the last event.
    pub state: State,
    /// The fingerprint: the hash of the last line.
    pub head: Hash,
    /// Events in the log.
    pub events: u64,
    /// Another process was writing the log when it was read.
    pub being_written: bool,
}

impl Replayed {
    /// Whether the log holds every round its header announces.
    pub fn complete(&self) -> bool {
        self.state.closed() == Some(self.header.rounds)
    }
}

/// Replays the log at `path`, calling `observe` with every event and the
/// state after it. Fails on the first line that does not verify and on any
/// event that could not have happened where it stands ([`Fold`]).
pub fn replay(path: &Path, mut observe: impl FnMut(&Envelope, &State)) -> Result<Replayed> {
    let mut replaying = Replaying::open(path)?;
    while let Some(envelope) = replaying.next_event()? {
        observe(&envelope, replaying.state());
    }
    Ok(replaying.finish())
}

/// A log being replayed, one event at a time: each read, verified and
/// folded before it is given out, with its line as the log holds it (what
/// `branch` holds its re-run prefix to).
#[derive(Debug)]
pub struct Replaying {
    reader: LogReader,
    fold: Fold,
    root: String,
    line: u64,
}

impl Replaying {
    /// Opens the log at `path`: its header read and verified.
    pub fn open(path: &Path) -> Result<Replaying> {
        let reader = LogReader::open(path)?;
        let fold = Fold::new(reader.header()).map_err(|e| corrupt(path, 0, 1, e))?;
        // A branch's events chain from its root; any other log's from its
        // header's hash.
        let root = reader
            .header()
            .branch
            .as_ref()
            .map_or_else(|| reader.head().to_string(), |b| b.root.clone());
        Ok(Replaying {
            reader,
            fold,
            root,
            line: 1,
        })
    }

    /// The log's header.
    pub fn header(&self) -> &Header {
        self.reader.header()
    }

    /// The hash the log's events chain from.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// The next event, verified and folded; `None` after the last.
    pub fn next_event(&mut self) -> Result<Option<Envelope>> {
        let Some(envelope) = self.reader.next_event()? else {
            return Ok(None);
        };
        self.line += 1;
        self.fold
            .push(&envelope)
            .map_err(|e| corrupt(self.reader.path(), envelope.seq, self.line, e))?;
        Ok(Some(envelope))
    }

    /// The state after the events given out so far.
    pub fn state(&self) -> &State {
        self.fold.state()
    }

    /// The last event's line as the log holds it, without its newline.
    pub fn line(&self) -> &[u8] {
        self.reader.line()
    }

    /// The log as replayed so far (the whole log, after the last event).
    pub fn finish(self) -> Replayed {
        Replayed {
            header: self.reader.header().clone(),
            being_written: self.reader.being_written(),
            events: self.reader.seq(),
            head: self.reader.head(),
            state: self.fold.into_state(),
        }
    }
}

/// An event of the log at `path` that cannot stand where it is.
fn corrupt(path: &Path, seq: u64, line: u64, e: FoldError) -> Error {
    Error::Corrupt {
        path: path.to_owned(),
        seq,
        line,
        damage: Box::new(Damage::Fold(e)),
    }
}

/// A verified log and the state to show of it.
#[derive(Debug)]
pub struct Viewed {
    /// The log, verified and folded.
    pub replayed: Replayed,
    /// The state after the event asked for (the last by default).
    pub view: StateView,
}

/// Verifies the log at `path` and views its state after event `at` (after
/// the last event if `None`; 0 is the state before any event).
pub fn view(path: &Path, at: Option<u64>) -> Result<Viewed> {
    let mut at_state = None;
    let replayed = replay(path, |env, state| {
        if Some(env.seq) == at {
            at_state = Some(state.clone());
        }
    })?;
    let (state, seq) = match at {
        None => (replayed.state.clone(), replayed.events),
        Some(0) => (State::new(&replayed.header.scenario), 0),
        Some(at) => match at_state {
            Some(s) => (s, at),
            None => {
                return Err(Error::Usage(format!(
                    "--at {at}: the log has {} events",
                    replayed.events
                )));
            }
        },
    };
    let view = StateView::new(&replayed.header, &state, seq);
    Ok(Viewed { replayed, view })
}

impl Viewed {
    /// Why the log is short of its announced rounds, if it is: another
    /// process still writing it, or a run stopped between two lines.
    /// `replay` prints it on standard error whatever the format.
    pub fn incomplete(&self) -> Option<String> {
        let r = &self.replayed;
        if r.being_written {
            Some(format!(
                "another process is still writing this log; the {} events written so far verify",
                r.events
            ))
        } else if r.complete() {
            None
        } else {
            let rounds = r.header.rounds;
            let last = r.state.closed().map_or_else(
                || format!("before any round closed ({rounds} announced)"),
                |round| format!("after round {round} of {rounds}"),
            );
            Some(format!(
                "the log is incomplete: it ends {last}; the run stopped between two lines"
            ))
        }
    }

    /// What `replay` prints.
    pub fn text(&self, path: &Path) -> String {
        let r = &self.replayed;
        let whole = if r.complete() { "" } else { " (incomplete)" };
        format!(
            "verified {} events of {}{whole}, fingerprint {}\n{}",
            r.events,
            path.display(),
            r.head,
            self.view.render()
        )
    }

    /// The same as JSON.
    pub fn json(&self) -> serde_json::Value {
        let r = &self.replayed;
        serde_json::json!({
            "verified": true,
            "events": r.events,
            "head": r.head.to_string(),
            "complete": r.complete(),
            "state": self.view,
        })
    }
}

/// The state of a run as `replay` prints it.
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct StateView {
    /// Scenario id.
    pub scenario: String,
    /// Run seed.
    pub seed: u64,
    /// The last event folded.
    pub seq: u64,
    /// The last round closed (null before round 0 closes).
    pub round: Option<u32>,
    /// Per issue.
    pub issues: Vec<IssueView>,
    /// Per theatre.
    pub ceasefires: Vec<CeasefireView>,
    /// Per regime.
    pub sanctions: Vec<RegimeView>,
}

/// An issue in a [`StateView`].
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct IssueView {
    /// Issue id.
    pub id: String,
    /// Weighted mean.
    pub mean: f64,
    /// Weighted median.
    pub median: f64,
    /// Agreed position, if agreed.
    pub agreed: Option<f64>,
    /// Every member's position and salience.
    pub positions: std::collections::BTreeMap<String, f64>,
}

/// A ceasefire in a [`StateView`].
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct CeasefireView {
    /// Theatre.
    pub theatre: String,
    /// `never agreed`, `in force` or `collapsed`.
    pub status: String,
    /// Violations since last agreed.
    pub violations: u32,
}

/// A regime in a [`StateView`].
#[derive(Clone, Debug, serde::Serialize, PartialEq)]
pub struct RegimeView {
    /// Regime id.
    pub id: String,
    /// 1 whole, 0 lifted.
    pub level: f64,
}

impl StateView {
    /// The view of `state` after `seq` in a run of `header`.
    pub fn new(header: &Header, state: &State, seq: u64) -> StateView {
        use entente_core::state::CeasefireStatus;
        StateView {
            scenario: header.scenario.id.clone(),
            seed: header.seed,
            seq,
            round: state.closed(),
            issues: (0..state.issues().len())
                .map(|i| IssueView {
                    id: state.issues()[i].to_string(),
                    mean: state.mean(i),
                    median: state.median(i),
                    agreed: state.agreement(i).map(|a| a.position),
                    positions: state.positions(i).map(|(a, x)| (a.to_owned(), x)).collect(),
                })
                .collect(),
            ceasefires: state
                .ceasefires()
                .iter()
                .map(|c| CeasefireView {
                    theatre: c.theatre.clone(),
                    status: match c.status {
                        CeasefireStatus::NotAgreed => "never agreed",
                        CeasefireStatus::InForce => "in force",
                        CeasefireStatus::Collapsed => "collapsed",
                    }
                    .to_owned(),
                    violations: c.violations,
                })
                .collect(),
            sanctions: state
                .regimes()
                .iter()
                .map(|r| RegimeView {
                    id: r.id.clone(),
                    level: r.level,
                })
                .collect(),
        }
    }

    /// The view as text.
    pub fn render(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::new();
        let round = self.round.map_or("none".to_owned(), |r| r.to_string());
        let _ = writeln!(
            out,
            "{} seed {}: state after seq {} (last round closed: {round})",
            self.scenario, self.seed, self.seq
        );
        for issue in &self.issues {
            let agreed = issue
                .agreed
                .map(|a| format!(", agreed at {a:.1}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}: mean {:.2}, median {:.2}{agreed}",
                issue.id, issue.mean, issue.median
            );
            let positions: Vec<String> = issue
                .positions
                .iter()
                .map(|(a, x)| format!("{a} {x:.1}"))
                .collect();
            let _ = writeln!(out, "    {}", positions.join(", "));
        }
        for c in &self.ceasefires {
            let _ = writeln!(
                out,
                "  ceasefire {}: {} ({} violations)",
                c.theatre, c.status, c.violations
            );
        }
        for r in &self.sanctions {
            let _ = writeln!(out, "  sanctions {}: level {:.2}", r.id, r.level);
        }
        out
    }
}
