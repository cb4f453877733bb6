//! The command line, as clap definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use entente_runner::logfile::Durability;
use entente_runner::render::Format;
use entente_runner::score::ModelChoice;
use entente_runner::sensitivity::Method;

/// Entente: an event-sourced simulator of diplomatic negotiation.
///
/// Exit status: 0 success; 1 a verification failed (a tampered or torn log, a
/// re-run that is not byte-identical, a law that does not hold); 2 invalid
/// input or usage; 70 a fault of entente's own (a bug: please report it).
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
    /// Where two runs part, and how their outcomes differ.
    Compare(CompareArgs),
    /// A counterfactual: keep a log's first events, put others in, run on.
    Branch(BranchArgs),
    /// Many seeded runs folded into outcome probabilities with intervals.
    Sweep(SweepArgs),
    /// Combine sweep shards into the output of one sweep.
    Merge(MergeArgs),
    /// Keep a damaged log's verified prefix; the original is kept as LOG.orig.
    Repair(RepairArgs),
    /// List the CAMEO codes events may carry, with their Goldstein values.
    Cameo,
    /// Check every law on random variations of a scenario.
    CheckLaws(CheckLawsArgs),
    /// Score every model and variant against known outcomes (DEU layout).
    Backtest(BacktestArgs),
    /// Score a scenario's forecasts against what happened (history files).
    Score(ScoreArgs),
    /// Which assumptions an outcome hangs on: perturb every input.
    Sensitivity(SensitivityArgs),
    /// Make a scenario from another tool's data: KTAB's CSV, a decide file,
    /// or the CSV of Scholz et al.'s expected-utility code.
    Import(ImportArgs),
    /// The analyst's workbench: a local web app over a folder of scenarios
    /// and runs, on 127.0.0.1 unless --bind says otherwise.
    Serve(ServeArgs),
    /// Print the scenario format's JSON Schema.
    Schema,
    /// Print a completion script for a shell.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): entente's, or a subcommand's
    /// (`entente man run` prints entente-run(1)).
    Man {
        /// The subcommand whose page to print.
        subcommand: Option<String>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct BacktestArgs {
    /// A file in the DEU III layout, such as data/deu3/deu3.tsv.
    pub(crate) file: PathBuf,
    /// Rounds each model plays.
    #[arg(long, default_value_t = 10)]
    pub(crate) rounds: u32,
    /// Bootstrap resamples for each MAE's 95% interval.
    #[arg(long, default_value_t = 2000)]
    pub(crate) bootstrap: u32,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 0)]
    pub(crate) seed: u64,
    #[command(flatten)]
    pub(crate) format: Formatted,
    /// Write one CSV row per issue and model here.
    #[arg(long)]
    pub(crate) csv: Option<PathBuf>,
    /// Play only the K-th of N slices of the issues (K from 1) and write
    /// its rows as a part (JSON, to --out) for `entente merge`.
    #[arg(long, value_name = "K/N", requires = "out", conflicts_with = "format")]
    pub(crate) shard: Option<String>,
    /// Write the summary here instead of to standard output (with
    /// --shard, the part).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ScoreArgs {
    /// History files (`*.history.json`); each names its scenario.
    #[arg(required = true)]
    pub(crate) histories: Vec<PathBuf>,
    /// Seeds, half-open.
    #[arg(long, default_value = "0..1000")]
    pub(crate) seeds: String,
    /// The model to play every scenario under (default: the one it names).
    #[arg(long, value_enum, default_value_t = ModelChoice::AsWritten)]
    pub(crate) model: ModelChoice,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub(crate) jobs: Option<usize>,
    /// Play only the K-th of N slices of the seeds (K from 1) and write a
    /// part (JSON) for `entente merge`, which gives the whole score.
    #[arg(long, value_name = "K/N", conflicts_with = "format")]
    pub(crate) shard: Option<String>,
    /// Choose among the grid file's model settings leaving one crisis out
    /// at a time, and score each crisis under the setting chosen on the
    /// others.
    #[arg(long, value_name = "GRID", conflicts_with = "model")]
    pub(crate) cross_validate: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) format: Formatted,
    /// Write the score here instead of to standard output.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SensitivityArgs {
    /// The scenario file.
    pub(crate) scenario: PathBuf,
    /// Seeds each perturbed scenario is swept over, half-open.
    #[arg(long, default_value = "0..200")]
    pub(crate) seeds: String,
    /// One at a time (down and up), or Morris's elementary effects.
    #[arg(long, value_enum, default_value_t = Method::Oat)]
    pub(crate) method: Method,
    /// The step: points for positions and thresholds, percent for
    /// salience and capability.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) delta: f64,
    /// Morris trajectories (default 10; with --method morris only).
    #[arg(long)]
    pub(crate) trajectories: Option<u32>,
    /// Seed of the Morris trajectories (default 0; with --method morris
    /// only).
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Inputs listed per outcome and issue (0: all).
    #[arg(long, default_value_t = 5)]
    pub(crate) top: usize,
    /// The model to play the scenario under (default: the one it names).
    #[arg(long, value_enum, default_value_t = ModelChoice::AsWritten)]
    pub(crate) model: ModelChoice,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub(crate) jobs: Option<usize>,
    /// Do only the K-th of N slices of the work (K from 1: the inputs for
    /// oat, the trajectories for morris) and write a part (JSON) for
    /// `entente merge`, which gives the whole analysis.
    #[arg(long, value_name = "K/N", conflicts_with = "format")]
    pub(crate) shard: Option<String>,
    #[command(flatten)]
    pub(crate) format: Formatted,
    /// Write the analysis here instead of to standard output.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    /// The file's format.
    #[arg(value_enum)]
    pub(crate) format: ImportFormat,
    /// The file to import.
    pub(crate) file: PathBuf,
    /// Where to write the scenario.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// Replace the output if it exists.
    #[arg(long)]
    pub(crate) force: bool,
}

/// The formats `import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ImportFormat {
    /// KTAB's CSV for its spatial model (name, actors, dimensions; Actor,
    /// Description, Power, then a position and a salience per dimension).
    Ktab,
    /// The decide exchange model's files (#A, #P, #M and #D rows).
    Decide,
    /// Scholz et al.'s CSV: Actor,Capability,Position,Salience.
    Scholz,
}

#[derive(Debug, Args)]
pub(crate) struct CheckLawsArgs {
    /// The scenario file.
    pub(crate) scenario: PathBuf,
    /// Variations to play.
    #[arg(long, default_value_t = 200)]
    pub(crate) cases: u32,
    /// Positions move by up to ± this many points.
    #[arg(long, default_value_t = 10.0)]
    pub(crate) vary_positions: f64,
    /// Saliences are multiplied by a factor within 1 ± this.
    #[arg(long, default_value_t = 0.2)]
    pub(crate) vary_saliences: f64,
    /// Capabilities are multiplied by a factor within [1/this, this].
    #[arg(long, default_value_t = 2.0)]
    pub(crate) vary_capabilities: f64,
    /// Where to write a counterexample (default:
    /// <scenario-id>.counterexample.json); with --shard, the part.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Play only the K-th of N slices of the variations (K from 1; the
    /// first shard also checks the scenario as written and the capability
    /// law) and write a part to --out for `entente merge`.
    #[arg(long, value_name = "K/N", requires = "out", conflicts_with = "format")]
    pub(crate) shard: Option<String>,
    #[command(flatten)]
    pub(crate) format: Formatted,
}

#[derive(Debug, Args)]
pub(crate) struct RepairArgs {
    /// The log.
    pub(crate) log: PathBuf,
    /// Keep events 1..=SEQ whatever the damage (required unless the damage
    /// is a torn last line).
    #[arg(long)]
    pub(crate) truncate_at: Option<u64>,
}

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// Log A.
    pub(crate) log_a: PathBuf,
    /// Log B.
    pub(crate) log_b: PathBuf,
    #[command(flatten)]
    pub(crate) format: Formatted,
}

#[derive(Debug, Args)]
pub(crate) struct BranchArgs {
    /// The parent log.
    pub(crate) log: PathBuf,
    /// Keep the parent's events 1..=SEQ.
    #[arg(long)]
    pub(crate) at: u64,
    /// An event to put in after SEQ, as JSON, or @FILE; may be repeated.
    /// Fields the state determines may be left out, as in
    /// '{"ceasefire_agreed": {"theatre": "syria"}}'.
    #[arg(long)]
    pub(crate) inject: Vec<String>,
    /// Seed of every draw after the branch point (default: the parent's).
    #[arg(long)]
    pub(crate) seed: Option<u64>,
    /// Where to write the branch.
    #[arg(long)]
    pub(crate) out: PathBuf,
    #[command(flatten)]
    pub(crate) writing: Writing,
    #[command(flatten)]
    pub(crate) format: Formatted,
}

#[derive(Debug, Args)]
pub(crate) struct SweepArgs {
    /// The scenario file.
    pub(crate) scenario: PathBuf,
    /// Seeds, half-open: 0..1000 is 1000 runs.
    #[arg(long)]
    pub(crate) seeds: String,
    /// A variant of the scenario to run on the same seeds and compare.
    #[arg(long)]
    pub(crate) vs: Option<PathBuf>,
    /// Rounds per run (default: the scenario's).
    #[arg(long)]
    pub(crate) rounds: Option<u32>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    pub(crate) jobs: Option<usize>,
    /// Run only the K-th of N disjoint slices of the seeds (K from 1).
    #[arg(long)]
    pub(crate) shard: Option<String>,
    /// Write the results as JSON here (default: standard output).
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
    /// Write one CSV row per seed here.
    #[arg(long)]
    pub(crate) csv: Option<PathBuf>,
    /// The model to play the scenario under (default: the one it names;
    /// `frozen`: no bargaining, the status quo).
    #[arg(long, value_enum, default_value_t = ModelChoice::AsWritten)]
    pub(crate) model: ModelChoice,
    #[command(flatten)]
    pub(crate) format: Formatted,
}

#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// Shard outputs: a sweep's (all JSON, or all CSV), or the parts of a
    /// sharded score, backtest or sensitivity analysis.
    #[arg(required = true)]
    pub(crate) parts: Vec<PathBuf>,
    /// Where to write the merged output.
    #[arg(long)]
    pub(crate) out: PathBuf,
    /// The merged output's format: what the unsharded command writes with
    /// the same --format (default: as that command's default, JSON for a
    /// sweep's parts, text for the others; a sweep's CSV parts merge into CSV
    /// and take no format).
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,
    /// For backtest parts: write one CSV row per issue and model here, as
    /// `entente backtest --csv` does.
    #[arg(long)]
    pub(crate) csv: Option<PathBuf>,
    /// Merge the shards given even if some of the sweep's are missing; the
    /// output then says it is partial, in every format.
    #[arg(long)]
    pub(crate) partial: bool,
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
    /// The model to play the scenario under (default: the one it names;
    /// `frozen`: no bargaining, the status quo).
    #[arg(long, value_enum, default_value_t = ModelChoice::AsWritten)]
    pub(crate) model: ModelChoice,
    #[command(flatten)]
    pub(crate) writing: Writing,
    #[command(flatten)]
    pub(crate) format: Formatted,
}

#[derive(Debug, Args)]
pub(crate) struct ReplayArgs {
    /// The log file.
    pub(crate) log: PathBuf,
    /// Print the state after this event instead of after the last.
    #[arg(long, conflicts_with = "rerun")]
    pub(crate) at: Option<u64>,
    /// Re-simulate the run from the header's scenario and seed and check
    /// that the log is byte-identical.
    #[arg(long)]
    pub(crate) rerun: bool,
    /// Require a complete log: exit 1 when its last round did not close
    /// (a run killed between two lines, or one still being written).
    #[arg(long)]
    pub(crate) complete: bool,
    #[command(flatten)]
    pub(crate) format: Formatted,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// A log, or the JSON output of a sweep.
    pub(crate) log: PathBuf,
    #[command(flatten)]
    pub(crate) format: Formatted,
    /// Write the report here instead of to standard output.
    #[arg(long)]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Scenario files.
    #[arg(required = true)]
    pub(crate) scenarios: Vec<PathBuf>,
    /// Check every quotation in a basis (`ID: “…”`) word for word against
    /// the source texts in this folder.
    #[arg(long, value_name = "DIR")]
    pub(crate) sources: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The folder holding scenarios/ and runs/ (runs/ is made if missing).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
    /// The port to listen on (0: any free port; the address is printed).
    #[arg(long, default_value_t = entente_serve::DEFAULT_PORT)]
    pub(crate) port: u16,
    /// The address to listen on; anything but loopback lets other machines
    /// reach the app.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: std::net::IpAddr,
    /// Open the first page in the desktop's browser.
    #[arg(long)]
    pub(crate) open: bool,
}

/// How a log is written: the flags `run` and `branch` share.
#[derive(Debug, Args)]
pub(crate) struct Writing {
    /// Replace the log if it exists (never one another process is writing).
    #[arg(long)]
    pub(crate) force: bool,
    /// When to fsync the log: every round, at the end, or never.
    #[arg(long, value_enum, default_value_t = Durability::Round)]
    pub(crate) sync: Durability,
}

/// The output format: the one flag every command that prints a result
/// shares (a command refuses, with the formats it offers, one it cannot
/// print).
#[derive(Debug, Args)]
pub(crate) struct Formatted {
    /// Output format.
    #[arg(long = "format", value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}
