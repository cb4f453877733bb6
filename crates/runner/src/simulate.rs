//! Running a scenario into a log file, or into memory.

use std::path::{Path, PathBuf};

use entente_core::event::Event;
use entente_core::{Encoder, Hash, Header, Mechanism, Run, RunConfig, RunError, Scenario, State};

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
    let run = Run::with_mechanisms(scenario, config, extra).map_err(engine_error)?;
    let header = Header::new(scenario.clone(), run.seed(), run.rounds());
    write_run(run, &header, output)
}

/// Writes every event of `run` after `header` to a new log.
pub fn write_run(run: Run<'_>, header: &Header, output: &Output) -> Result<Written> {
    if let Some(dir) = output.path.parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, "cannot create directory", e))?;
    }
    let mut writer = LogWriter::create(&output.path, header, output.durability, output.replace)?;
    let rounds = run.rounds();
    let mut run = run;
    let written = (|| {
        for envelope in run.by_ref() {
            let envelope = envelope.map_err(engine_error)?;
            writer.append(envelope.seq - 1, &envelope)?;
            if matches!(envelope.event, Event::RoundClosed(_)) {
                writer.end_round()?;
            }
        }
        Ok(writer.seq())
    })();
    let events = match written {
        Ok(events) => events,
        Err(e) => {
            // The file is this run's own, new or replaced on request: a run
            // that cannot finish leaves no half-log that would verify.
            let _ = std::fs::remove_file(&output.path);
            return Err(e);
        }
    };
    let path = writer.path().to_owned();
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
    let run = Run::new(scenario, config).map_err(engine_error)?;
    let header = Header::new(scenario.clone(), run.seed(), run.rounds());
    encode_run(run, &header)
}

/// Encodes `header` and every event of `run`.
pub fn encode_run(run: Run<'_>, header: &Header) -> Result<Vec<u8>> {
    let mut encoder = Encoder::default();
    let mut out = Vec::new();
    encoder.header(header, &mut out);
    for envelope in run {
        encoder.event(&envelope.map_err(engine_error)?, &mut out);
    }
    Ok(out)
}

/// Maps an engine error to the shell's: an invalid scenario is the user's
/// input; an impossible event decided by a rule is reported as it is.
pub fn engine_error(e: RunError) -> Error {
    match e {
        RunError::Invalid(problems) => Error::Usage(
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        other => Error::Usage(other.to_string()),
    }
}
