//! Replaying a log: verify every line, check every event against the state it
//! meets, and fold them.

use std::path::Path;

use entente_core::{Date, Envelope, Hash, Header, State};

use crate::error::{Error, Result};
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
}

impl Replayed {
    /// Whether the log holds every round its header announces.
    pub fn complete(&self) -> bool {
        self.state.closed() == Some(self.header.rounds)
    }
}

/// Folds events into the state after checking that each could have happened
/// where it stands: in its round, on a date within the round, and possible
/// in the state it meets.
#[derive(Debug)]
pub struct Folder {
    header: Header,
    state: State,
    last_date: Option<Date>,
}

impl Folder {
    /// A folder for the log that `header` starts; fails if the header's
    /// scenario cannot be run.
    pub fn new(header: &Header) -> std::result::Result<Folder, String> {
        let problems = header.scenario.problems();
        if let Some(first) = problems.first() {
            return Err(format!("the header's scenario is invalid: {first}"));
        }
        Ok(Folder {
            state: State::new(&header.scenario),
            header: header.clone(),
            last_date: None,
        })
    }

    /// Checks and applies one event.
    pub fn fold(&mut self, envelope: &Envelope) -> std::result::Result<(), String> {
        let state = &self.state;
        let scenario = &self.header.scenario;
        if envelope.round != state.round() {
            return Err(format!(
                "the event says round {}, but the log is in round {}",
                envelope.round,
                state.round()
            ));
        }
        if envelope.round > self.header.rounds {
            return Err(format!(
                "round {} is beyond the run's {} rounds",
                envelope.round, self.header.rounds
            ));
        }
        let (first, last) = (
            scenario.round_first_day(envelope.round),
            scenario.round_last_day(envelope.round),
        );
        if envelope.date < first || envelope.date > last {
            return Err(format!(
                "dated {}, outside round {} ({first} to {last})",
                envelope.date, envelope.round
            ));
        }
        if self.last_date.is_some_and(|d| envelope.date < d) {
            return Err(format!(
                "dated {}, before the event before it",
                envelope.date
            ));
        }
        if let Err(refusal) = state.check(&envelope.event) {
            return Err(format!(
                "this {} could not have happened here: {refusal}",
                envelope.event.name()
            ));
        }
        self.state.apply(&envelope.event);
        self.last_date = Some(envelope.date);
        Ok(())
    }

    /// The state so far.
    pub fn state(&self) -> &State {
        &self.state
    }
}

/// Replays the log at `path`, calling `observe` with every event and the
/// state after it. Fails on the first line that does not verify and on any
/// event that could not have happened where it stands.
pub fn replay(path: &Path, mut observe: impl FnMut(&Envelope, &State)) -> Result<Replayed> {
    let mut reader = LogReader::open(path)?;
    let header = reader.header().clone();
    let corrupt = |seq: u64, line: u64, detail: String| Error::Corrupt {
        path: path.to_owned(),
        seq,
        line,
        detail,
    };
    let mut folder = Folder::new(&header).map_err(|detail| corrupt(0, 1, detail))?;
    let mut line = 1;
    while let Some(envelope) = reader.next_event()? {
        line += 1;
        folder
            .fold(&envelope)
            .map_err(|detail| corrupt(envelope.seq, line, detail))?;
        observe(&envelope, folder.state());
    }
    Ok(Replayed {
        header,
        events: reader.seq(),
        head: reader.head(),
        state: folder.state,
    })
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
                    id: state.issues()[i].clone(),
                    mean: state.mean(i),
                    median: state.median(i),
                    agreed: state.agreement(i).map(|a| a.position),
                    positions: state
                        .members(i)
                        .iter()
                        .filter_map(|&a| {
                            state
                                .held(i, a)
                                .map(|h| (state.actors()[a].clone(), h.position))
                        })
                        .collect(),
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
                .sanctions()
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
