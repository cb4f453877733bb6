//! Running a scenario into a log file, or into memory.

use std::path::{Path, PathBuf};

use entente_core::event::Event;
use entente_core::state::Bargaining;
use entente_core::{
    BargainingEnd, Envelope, Hash, Header, Mechanism, Run, RunConfig, Scenario, State, log,
};

use crate::error::{Error, Result};
use crate::logfile::{Durability, LogWriter};

/// How a run is written.
#[derive(Clone, Debug)]
pub struct Output {
    /// The log to write.
    pub path: PathBuf,
    /// When to fsync.
    pub durability: Durability,
    /// Replace an existing file (never one another process is writing).
    pub replace: bool,
}

/// What a finished run wrote.
#[derive(Clone, Debug)]
pub struct Written {
    /// The log.
    pub path: PathBuf,
    /// Its fingerprint.
    pub head: Hash,
    /// Events written.
    pub events: u64,
    /// Rounds played.
    pub rounds: u32,
    /// The state at the end.
    pub state: State,
}

/// The default log path of a run: `runs/<scenario-id>-seed<N>.jsonl`.
pub fn default_log_path(scenario: &Scenario, seed: u64) -> PathBuf {
    Path::new("runs").join(format!("{}-seed{seed}.jsonl", scenario.id))
}

/// Runs `scenario` and writes its log, with `extra` mechanisms after the
/// built-in ones.
pub fn run_to_file(
    scenario: &Scenario,
    config: RunConfig,
    extra: Vec<Box<dyn Mechanism>>,
    output: &Output,
) -> Result<Written> {
    let run = Run::with_mechanisms(scenario, config, extra)?;
    let header = Header::new(scenario.clone(), run.seed(), run.rounds());
    write_run(run, &header, output)
}

/// Writes every event of `run` after `header` to a new log.
pub fn write_run(run: Run<'_>, header: &Header, output: &Output) -> Result<Written> {
    write_continued(Vec::new(), run, header, output)
}

/// Writes `header`, then `played` (the events `run` has yielded so far,
/// kept by the caller), then every event `run` yields still, to a new log:
/// a branch, whose prefix was played while its parent was read.
pub fn write_continued(
    played: Vec<Envelope>,
    mut run: Run<'_>,
    header: &Header,
    output: &Output,
) -> Result<Written> {
    if let Some(dir) = output.path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create directory", e))?;
    }
    let rounds = run.rounds();
    let events = played
        .into_iter()
        .map(Ok)
        .chain(run.by_ref().map(|e| e.map_err(Error::from)));
    let mut lines = log::encode(header, events);
    let first = lines
        .next()
        .ok_or_else(|| Error::Usage("no header".to_owned()))??;
    let mut writer = LogWriter::create(&output.path, &first, output.durability, output.replace)?;
    let written = lines.try_for_each(|line| {
        let line = line?;
        writer.append(line.seq() - 1, &line)?;
        match &line.envelope {
            Some(e) if matches!(e.event, Event::RoundClosed(_)) => writer.end_round(),
            _ => Ok(()),
        }
    });
    if let Err(e) = written {
        writer.abandon();
        return Err(e);
    }
    let (path, events) = (writer.path().to_owned(), writer.seq());
    let head = writer.finish()?;
    Ok(Written {
        path,
        head,
        events,
        rounds,
        state: run.state().clone(),
    })
}

/// The bytes of the log a run would write, built in memory.
pub fn run_to_bytes(scenario: &Scenario, config: RunConfig) -> Result<Vec<u8>> {
    let run = Run::new(scenario, config)?;
    let header = Header::new(scenario.clone(), run.seed(), run.rounds());
    let mut out = Vec::new();
    for line in log::encode(&header, run) {
        out.extend_from_slice(&line?.bytes);
    }
    Ok(out)
}

impl Written {
    /// What `run` prints: the log, its fingerprint, and each issue's
    /// final forecasts.
    pub fn text(&self) -> String {
        let state = &self.state;
        let mut text = format!(
            "{}\n  {} rounds, {} events, fingerprint {}\n",
            self.path.display(),
            self.rounds,
            self.events,
            self.head
        );
        let ended = match state.bargaining() {
            Bargaining::Moving => None,
            Bargaining::Converged { round } => Some(format!("converged in round {round}")),
            Bargaining::Cycled { round, period, .. } => Some(format!(
                "cycled in round {round} (period {period}); forecasts are the cycle's mean"
            )),
        };
        if let Some(ended) = ended {
            text.push_str(&format!("  bargaining {ended}\n"));
        }
        for (i, id) in state.issues().iter().enumerate() {
            let agreed = state
                .agreement(i)
                .map(|a| format!("  agreed in round {} at {:.1}", a.round, a.position))
                .unwrap_or_default();
            let f = state.final_forecasts(i);
            text.push_str(&format!(
                "  {id:<24} mean {:>5.1}  median {:>5.1}{agreed}\n",
                f.mean, f.median
            ));
        }
        text
    }

    /// The same as JSON.
    pub fn json(&self) -> serde_json::Value {
        let state = &self.state;
        let issues: Vec<_> = (0..state.issues().len())
            .map(|i| {
                let f = state.final_forecasts(i);
                serde_json::json!({
                    "id": state.issues()[i],
                    "mean": f.mean,
                    "median": f.median,
                    "agreed": state.agreement(i).map(|a| a.position),
                })
            })
            .collect();
        serde_json::json!({
            // A path need not be UTF-8; JSON text must be.
            "log": self.path.to_string_lossy(),
            "head": self.head.to_string(),
            "events": self.events,
            "rounds": self.rounds,
            "bargaining": BargainingEnd::of(state).word(),
            "issues": issues,
        })
    }
}
