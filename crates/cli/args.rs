//! The command line, as clap definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Entente: an event-sourced simulator of diplomatic negotiation.
///
/// Exit status: 0 success; 1 a verification failed (a tampered or torn log, a
/// re-run that is not byte-identical); 2 invalid input or usage.
#[derive(Debug, Parser)]
#[command(name = "entente", version, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run a scenario with a seed and write its log.
    Run(RunArgs),
    /// Verify a log, fold it, and print the state.
    Replay(ReplayArgs),
    /// Tell the story of a run from its log.
    Report(ReportArgs),
    /// Check scenario files and list every problem.
    Validate(ValidateArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// The scenario file (JSON).
    pub(crate) scenario: PathBuf,
    /// The run seed: same scenario, seed and engine give the same log bytes.
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    /// Rounds to play (default: the scenario's).
    #[arg(long)]
    pub(crate) rounds: Option<u32>,
    /// Where to write the log (default: runs/<scenario-id>-seed<N>.jsonl).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Replace the log if it exists (never one another process is writing).
    #[arg(long)]
    pub(crate) force: bool,
    /// When to fsync the log: every round, at the end, or never.
    #[arg(long, value_enum, default_value_t = Sync::Round)]
    pub(crate) sync: Sync,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ReplayArgs {
    /// The log file.
    pub(crate) log: PathBuf,
    /// Print the state after this event instead of after the last.
    #[arg(long)]
    pub(crate) at: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// The log file.
    pub(crate) log: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,
    /// Write the report here instead of to standard output.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Scenario files.
    #[arg(required = true)]
    pub(crate) scenarios: Vec<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Sync {
    Round,
    End,
    Never,
}
