//! Forecasts against what happened: `entente score`.
//!
//! A history file (`*.history.json`) states what happened after a
//! scenario's start, proposition by proposition: an outcome key as sweeps
//! name them (`ceasefire_agreed:syria`; `*` after the colon matches any
//! subject, `A|B` either of two), a date (`by`, inclusive) or a round
//! (`by_round`) it had to happen by, whether it did, and the basis. Scoring
//! sweeps the scenario over the seeds and gives each proposition the share
//! of runs in which it came true (a run counts when any outcome the key
//! matches first happened by that round), with its Wilson interval; per file
//! and over all files, the Brier score, the log score (probabilities clipped
//! to [0.001, 0.999]) and those of the no-skill forecaster (0.5 everywhere:
//! Brier 0.25, log ln 2); and a reliability table of predicted against
//! observed frequencies. History files judge forecasts; they never set a
//! parameter.
//!
//! `--shard K/N` plays the K-th slice of the seeds and writes a part
//! ([`score_part`]); [`merge`] sums the parts' counts into the score the
//! whole seed range gives, byte for byte.

pub mod baselines;
pub mod cross;
pub mod output;

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use entente_core::scenario::{
    CompromiseChoice, ModelConfig, ModelKind, Probability, Problem, StopRule,
};
use entente_core::{Date, Outcome, Scenario};

use crate::error::{Error, Result};
use crate::input;
use crate::parts::{self, Kind, Part};
use crate::stats::{self, Z95};
use crate::sweep;

pub use output::ScoreOutput;

/// The format version of history files this engine reads.
pub const HISTORY_VERSION: u32 = 1;
/// Probabilities are clipped to this distance from 0 and 1 for the log score.
pub const LOG_CLIP: f64 = 0.001;

/// A history file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    /// Always 1.
    pub version: u32,
    /// The scenario file, relative to the history file.
    pub scenario: String,
    /// What the file covers, in a sentence.
    pub about: String,
    /// What happened.
    pub propositions: Vec<Proposition>,
}

/// One thing that happened or did not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposition {
    /// Short id.
    pub id: String,
    /// An outcome key; `*` after the colon matches any subject, `A|B`
    /// either.
    pub outcome: String,
    /// The last day it could happen on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Date>,
    /// Or the last round.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_round: Option<u32>,
    /// Whether it happened.
    pub happened: bool,
    /// The public source that says so.
    pub basis: String,
}

/// Which model a score plays the scenarios under.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ModelChoice {
    /// The model each scenario names.
    #[default]
    AsWritten,
    /// The compromise model, λ 0.2.
    Compromise,
    /// The published expected-utility model.
    ExpectedUtility,
    /// Scholz et al.'s code of the expected-utility model.
    Scholz,
    /// KTAB's spatial model with KTAB's stop.
    Spatial,
    /// Stokman's exchange model.
    Exchange,
    /// No bargaining: the status quo, with the timeline, draws and
    /// mechanisms as written.
    Frozen,
}

impl ModelChoice {
    /// Every choice but "as written", in the order tables list them.
    pub const ALL: [ModelChoice; 5] = [
        ModelChoice::Compromise,
        ModelChoice::ExpectedUtility,
        ModelChoice::Scholz,
        ModelChoice::Spatial,
        ModelChoice::Exchange,
    ];

    /// The name tables show.
    pub fn name(self) -> &'static str {
        match self {
            ModelChoice::AsWritten => "as written",
            ModelChoice::Compromise => "compromise",
            ModelChoice::ExpectedUtility => "expected-utility (published)",
            ModelChoice::Scholz => "expected-utility (scholz)",
            ModelChoice::Spatial => "spatial (KTAB)",
            ModelChoice::Exchange => "exchange (Stokman)",
            ModelChoice::Frozen => "status quo (frozen)",
        }
    }

    /// The scenario under this model (unchanged for "as written").
    pub fn apply(self, scenario: &Scenario) -> Scenario {
        let mut s = scenario.clone();
        if let Some(model) = self.config() {
            s.model = model;
        }
        s
    }

    /// The model's configuration; `None` for "as written".
    pub fn config(self) -> Option<ModelConfig> {
        let eu = ModelConfig {
            kind: ModelKind::ExpectedUtility,
            ..ModelConfig::default()
        };
        Some(match self {
            ModelChoice::AsWritten => return None,
            ModelChoice::Compromise => ModelConfig::default(),
            ModelChoice::ExpectedUtility => eu,
            ModelChoice::Scholz => ModelConfig {
                probability: Probability::Scholz,
                compromise_choice: CompromiseChoice::Scholz,
                ..eu
            },
            ModelChoice::Spatial => ModelConfig {
                kind: ModelKind::Spatial,
                stop: Some(StopRule {
                    relative: Some(0.02),
                    ..StopRule::default()
                }),
                ..ModelConfig::default()
            },
            ModelChoice::Exchange => ModelConfig {
                kind: ModelKind::Exchange,
                ..ModelConfig::default()
            },
            ModelChoice::Frozen => ModelConfig {
                kind: ModelKind::Frozen,
                ..ModelConfig::default()
            },
        })
    }
}

/// A proposition made checkable against runs of its scenario.
#[derive(Clone, Debug)]
struct Compiled {
    proposition: Proposition,
    /// Indices into the scenario's possible outcomes that it matches.
    matches: Vec<usize>,
    /// The last round it may happen in.
    by_round: u32,
}

/// A loaded history file and its scenario.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The history file.
    pub path: PathBuf,
    /// The scenario file it names.
    pub scenario_path: PathBuf,
    /// The scenario.
    pub scenario: Scenario,
    compiled: Vec<Compiled>,
    /// The file's bytes, to tell a history given twice (or copied).
    bytes: Vec<u8>,
}

/// Reads a history file and its scenario, and checks every proposition
/// against what the scenario can produce. Every problem is listed with its
/// JSON path.
pub fn load(path: &Path) -> Result<Loaded> {
    let bytes = input::read_limited(path, "a history file", input::MAX_SCENARIO_BYTES)?;
    let history: History = input::parse_json(path, &bytes)?;
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let scenario_path = dir.join(&history.scenario);
    let mut problems = Vec::new();
    if history.version != HISTORY_VERSION {
        problems.push(problem(
            "$.version",
            format!(
                "history format version {} is not known to this engine; expected {HISTORY_VERSION}",
                history.version
            ),
        ));
    }
    let scenario = match crate::scenario::load(&scenario_path) {
        Ok(s) => s,
        Err(e) => {
            problems.push(problem("$.scenario", e.to_string()));
            return Err(Error::Scenario {
                path: path.to_owned(),
                problems,
            });
        }
    };
    let compiled = compile(&history, &scenario, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Scenario {
            path: path.to_owned(),
            problems,
        });
    }
    Ok(Loaded {
        path: path.to_owned(),
        scenario_path,
        scenario,
        compiled,
        bytes,
    })
}

/// Refuses a history given twice, or a copy of one: it would count its
/// propositions twice and narrow every interval.
pub fn distinct(histories: &[Loaded]) -> Result<()> {
    for (k, h) in histories.iter().enumerate() {
        if let Some(first) = histories[..k]
            .iter()
            .find(|o| crate::files::same_file(&o.path, &h.path) || o.bytes == h.bytes)
        {
            return Err(Error::Usage(format!(
                "{}: the same history as {}; give each history once",
                h.path.display(),
                first.path.display()
            )));
        }
    }
    Ok(())
}

impl Loaded {
    /// How many propositions the history holds, and how many of them
    /// happened.
    pub fn propositions(&self) -> (usize, usize) {
        let happened = self
            .compiled
            .iter()
            .filter(|c| c.proposition.happened)
            .count();
        (self.compiled.len(), happened)
    }
}

/// The longest id of a history's proposition or a grid's setting.
const MAX_ID: usize = 64;

/// Why `id` cannot name a proposition of a history or a setting of a grid,
/// if it cannot: an id names it in tables, CSV columns and messages, so it
/// is 1 to 64 letters, digits, '-', '_' or '.' (no space, no line break).
fn id_problem(id: &str) -> Option<String> {
    let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    (id.is_empty() || id.len() > MAX_ID || !id.chars().all(plain))
        .then(|| format!("{id:?}: expected 1 to {MAX_ID} letters, digits, '-', '_' or '.'"))
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        path: path.into(),
        message: message.into(),
    }
}

/// Every proposition matched to the scenario's outcomes and rounds.
fn compile(history: &History, scenario: &Scenario, problems: &mut Vec<Problem>) -> Vec<Compiled> {
    let keys: Vec<String> = Outcome::possible(scenario)
        .iter()
        .map(Outcome::key)
        .collect();
    let last = scenario.round_last_day(scenario.rounds);
    if history.propositions.is_empty() {
        problems.push(problem(
            "$.propositions",
            "expected at least one proposition",
        ));
    }
    let mut ids = std::collections::BTreeSet::new();
    let mut compiled = Vec::new();
    for (k, p) in history.propositions.iter().enumerate() {
        let at = format!("$.propositions[{k}]");
        if let Some(why) = id_problem(&p.id) {
            problems.push(problem(format!("{at}.id"), why));
        } else if !ids.insert(p.id.as_str()) {
            problems.push(problem(
                format!("{at}.id"),
                format!("duplicate id {:?}", p.id),
            ));
        }
        // The same outcome by the same day (or round), stated both as
        // happened and as not: one of the two is wrong, and scoring both
        // would reward any forecast.
        if let Some((j, q)) = history.propositions[..k].iter().enumerate().find(|(_, q)| {
            q.outcome == p.outcome
                && q.by == p.by
                && q.by_round == p.by_round
                && q.happened != p.happened
        }) {
            problems.push(problem(
                format!("{at}.happened"),
                format!(
                    "{:?} says {} {} by {}, but {:?} ($.propositions[{j}]) says it {}: the same outcome and date cannot both happen and not",
                    p.id,
                    p.outcome,
                    if p.happened { "happened" } else { "did not happen" },
                    p.by.map_or_else(
                        || format!("round {}", p.by_round.unwrap_or_default()),
                        |d| d.to_string()
                    ),
                    q.id,
                    if q.happened { "did" } else { "did not" },
                ),
            ));
        }
        if p.basis.trim().is_empty() {
            problems.push(problem(
                format!("{at}.basis"),
                "expected the public source that says so",
            ));
        }
        let matches: Vec<usize> = keys
            .iter()
            .enumerate()
            .filter(|(_, key)| matches(&p.outcome, key))
            .map(|(i, _)| i)
            .collect();
        if matches.is_empty() {
            problems.push(problem(
                format!("{at}.outcome"),
                format!(
                    "{:?} matches no outcome {} can produce (`entente sweep` lists them)",
                    p.outcome, history.scenario
                ),
            ));
        }
        let by_round = match (p.by, p.by_round) {
            (Some(date), None) if date < scenario.start || date > last => {
                problems.push(problem(
                    format!("{at}.by"),
                    format!(
                        "{date} is outside the run ({} to {last}); expected a date within it",
                        scenario.start
                    ),
                ));
                0
            }
            (Some(date), None) => (0..=scenario.rounds)
                .find(|&r| scenario.round_last_day(r) >= date)
                .unwrap_or(scenario.rounds),
            (None, Some(r)) if r > scenario.rounds => {
                problems.push(problem(
                    format!("{at}.by_round"),
                    format!(
                        "round {r} is after the run's last round {}",
                        scenario.rounds
                    ),
                ));
                0
            }
            (None, Some(r)) => r,
            _ => {
                problems.push(problem(
                    at.clone(),
                    "expected one of by (a date) or by_round",
                ));
                0
            }
        };
        compiled.push(Compiled {
            proposition: p.clone(),
            matches,
            by_round,
        });
    }
    compiled
}

/// Whether an outcome key matches a pattern: `kind:subject`, where the
/// subject may be `*` (any) or alternatives `A|B`.
pub fn matches(pattern: &str, key: &str) -> bool {
    let (Some((pk, ps)), Some((kk, ks))) = (pattern.split_once(':'), key.split_once(':')) else {
        return false;
    };
    pk == kk && (ps == "*" || ps.split('|').any(|alt| alt == ks))
}

/// What to score.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The history files, loaded.
    pub histories: Vec<Loaded>,
    /// The seeds.
    pub seeds: Range<u64>,
    /// The model to play the scenarios under.
    pub model: ModelChoice,
    /// Worker threads.
    pub jobs: usize,
}

/// Scores every history of the plan.
pub fn score(plan: &Plan) -> Result<ScoreOutput> {
    let files = play(plan, plan.seeds.clone())?;
    Ok(output::summarise(
        plan.model.name(),
        (plan.seeds.start, plan.seeds.end),
        files,
    ))
}

/// Shard `shard` of the plan: every history played on the shard's slice of
/// the seeds, its counts kept for `entente merge`.
pub fn score_part(plan: &Plan, shard: (u64, u64)) -> Result<Part<Vec<FileScore>>> {
    let files = play(plan, crate::shard::units(&plan.seeds, Some(shard)))?;
    // What was scored, by content: parts of other propositions or
    // scenarios under the same file names do not merge.
    let histories: Vec<serde_json::Value> = plan
        .histories
        .iter()
        .map(|h| {
            let propositions: Vec<&Proposition> =
                h.compiled.iter().map(|c| &c.proposition).collect();
            serde_json::json!({
                "history": h.path.display().to_string(),
                "propositions_sha256": parts::digest(&propositions),
                "scenario_sha256": parts::digest(&h.scenario),
            })
        })
        .collect();
    let settings = serde_json::json!({
        "model": plan.model.name(),
        "histories": histories,
    });
    Ok(Part::new(
        Kind::Score,
        shard,
        plan.seeds.clone(),
        settings,
        files,
    ))
}

/// The score the unsharded command gives, from every shard's part: the
/// counts summed, everything else computed from them once.
pub fn merge(parts: &[Part<Vec<FileScore>>]) -> Result<ScoreOutput> {
    let Some(first) = parts.first() else {
        return Err(Error::Usage("merge: no parts given".to_owned()));
    };
    let mismatch = |part: &Part<Vec<FileScore>>| {
        Error::Usage(format!(
            "merge: {} holds other history files or propositions than {}: parts of different scores",
            part.name(),
            first.name()
        ))
    };
    let histories = first
        .settings
        .get("histories")
        .and_then(serde_json::Value::as_array)
        .map_or(0, Vec::len);
    // Every part holds every file, each played on exactly its own seeds.
    for part in parts {
        let seeds = part.units.end.saturating_sub(part.units.start);
        if part.data.len() != histories || part.data.iter().any(|f| f.runs != seeds) {
            return Err(Error::Usage(format!(
                "merge: {} does not hold every history file played on its {seeds} seeds",
                part.name()
            )));
        }
    }
    let mut files = Vec::new();
    for (i, file) in first.data.iter().enumerate() {
        let mut runs: u64 = 0;
        let mut counts = vec![(0u64, 0u64); file.propositions.len()];
        for part in parts {
            let theirs = part.data.get(i).ok_or_else(|| mismatch(part))?;
            if theirs.history != file.history || theirs.propositions.len() != counts.len() {
                return Err(mismatch(part));
            }
            // Every part states each proposition as the first does: a
            // contradiction names both parts.
            for (p, q) in file.propositions.iter().zip(&theirs.propositions) {
                if (&p.id, &p.outcome, p.by_round, p.happened)
                    != (&q.id, &q.outcome, q.by_round, q.happened)
                {
                    return Err(Error::Usage(format!(
                        "merge: {} and {} disagree on proposition {:?} of {}",
                        first.name(),
                        part.name(),
                        p.id,
                        file.history
                    )));
                }
            }
            runs = runs
                .checked_add(theirs.runs)
                .ok_or_else(|| mismatch(part))?;
            for (c, p) in counts.iter_mut().zip(&theirs.propositions) {
                if p.count > theirs.runs || p.status_quo_count > theirs.runs {
                    return Err(Error::Usage(format!(
                        "merge: {} counts proposition {:?} of {} in {} (status quo {}) of its {} runs",
                        part.name(),
                        p.id,
                        file.history,
                        p.count,
                        p.status_quo_count,
                        theirs.runs
                    )));
                }
                c.0 += p.count;
                c.1 += p.status_quo_count;
            }
            if let Some(why) = unlike_its_counts(theirs, "") {
                return Err(Error::Usage(format!(
                    "merge: {}: $.data[{i}]{why}",
                    part.name()
                )));
            }
        }
        let propositions = file
            .propositions
            .iter()
            .zip(counts)
            .map(|(p, count)| proposition(&p.id, &p.outcome, p.by_round, p.happened, count, runs))
            .collect();
        files.push(file_score(
            &file.history,
            &file.scenario,
            runs,
            propositions,
        ));
    }
    let model = first
        .settings
        .get("model")
        .and_then(|m| m.as_str())
        .unwrap_or_default();
    Ok(output::summarise(
        model,
        (first.planned.start, first.planned.end),
        files,
    ))
}

/// Plays every history of the plan on `seeds`.
fn play(plan: &Plan, seeds: Range<u64>) -> Result<Vec<FileScore>> {
    crate::limits::runs("score", &seeds, plan.histories.len() as u128)?;
    let pool = sweep::pool(plan.jobs)?;
    let mut files = Vec::new();
    for loaded in &plan.histories {
        let scenario = plan.model.apply(&loaded.scenario);
        let outcomes = Outcome::possible(&scenario);
        let runs = sweep::play_seeds(&pool, &scenario, &outcomes, seeds.clone())?;
        // The status quo: the same scenario, seeds and outcomes with
        // bargaining switched off (the model's own runs when it is that).
        let frozen = ModelChoice::Frozen.apply(&loaded.scenario);
        let status_quo = if frozen.model == scenario.model {
            runs.clone()
        } else {
            sweep::play_seeds(&pool, &frozen, &outcomes, seeds.clone())?
        };
        files.push(score_file(loaded, &scenario, &runs, &status_quo));
    }
    Ok(files)
}

/// One proposition's forecast.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PropositionScore {
    /// Its id.
    pub id: String,
    /// Its outcome pattern.
    pub outcome: String,
    /// The round it had to happen by.
    pub by_round: u32,
    /// Runs in which it came true.
    pub count: u64,
    /// count / runs.
    pub probability: f64,
    /// 95% Wilson interval.
    pub interval: (f64, f64),
    /// Whether it happened.
    pub happened: bool,
    /// (probability − outcome)².
    pub brier: f64,
    /// Runs of the status quo (bargaining switched off) in which it came
    /// true.
    #[serde(default)]
    pub status_quo_count: u64,
    /// status_quo_count / runs: the status quo's forecast.
    #[serde(default)]
    pub status_quo: f64,
    /// The base rate of its kind in the other crises scored with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_rate: Option<f64>,
}

/// A history file's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileScore {
    /// The history file.
    pub history: String,
    /// Its scenario's id.
    pub scenario: String,
    /// The model played.
    pub model: String,
    /// Runs.
    pub runs: u64,
    /// Per proposition.
    pub propositions: Vec<PropositionScore>,
    /// Mean Brier score.
    pub brier: f64,
    /// Mean log score (negative log-likelihood, lower is better).
    pub log: f64,
    /// The baselines, and the model's skill against each.
    #[serde(default)]
    pub baselines: Vec<baselines::Baseline>,
}

pub(crate) fn score_file(
    loaded: &Loaded,
    scenario: &Scenario,
    runs: &[sweep::RunOutcome],
    status_quo: &[sweep::RunOutcome],
) -> FileScore {
    let n = runs.len() as u64;
    let came_true = |c: &Compiled, runs: &[sweep::RunOutcome]| {
        runs.iter()
            .filter(|r| {
                c.matches.iter().any(|&k| {
                    r.first
                        .get(k)
                        .copied()
                        .flatten()
                        .is_some_and(|at| at <= c.by_round)
                })
            })
            .count() as u64
    };
    let propositions: Vec<PropositionScore> = loaded
        .compiled
        .iter()
        .map(|c| {
            let p = &c.proposition;
            let counts = (came_true(c, runs), came_true(c, status_quo));
            proposition(&p.id, &p.outcome, c.by_round, p.happened, counts, n)
        })
        .collect();
    file_score(
        &loaded.path.display().to_string(),
        &scenario.id,
        n,
        propositions,
    )
}

/// A proposition's score from its counts of `n` runs: the model's and the
/// status quo's.
fn proposition(
    id: &str,
    outcome: &str,
    by_round: u32,
    happened: bool,
    (count, status_quo_count): (u64, u64),
    n: u64,
) -> PropositionScore {
    let share = |k: u64| if n > 0 { k as f64 / n as f64 } else { 0.0 };
    let probability = share(count);
    let y = if happened { 1.0 } else { 0.0 };
    PropositionScore {
        id: id.to_owned(),
        outcome: outcome.to_owned(),
        by_round,
        count,
        probability,
        interval: stats::wilson(count, n, Z95),
        happened,
        brier: (probability - y) * (probability - y),
        status_quo_count,
        status_quo: share(status_quo_count),
        base_rate: None,
    }
}

/// A history file's score from its propositions' over `n` runs.
fn file_score(
    history: &str,
    scenario: &str,
    n: u64,
    propositions: Vec<PropositionScore>,
) -> FileScore {
    FileScore {
        history: history.to_owned(),
        scenario: scenario.to_owned(),
        model: String::new(),
        runs: n,
        brier: mean(propositions.iter().map(|p| p.brier)),
        log: mean(
            propositions
                .iter()
                .map(|p| log_loss(p.probability, p.happened)),
        ),
        propositions,
        baselines: Vec::new(),
    }
}

/// Where a file's score in a part is not what its own counts give: each
/// proposition's probability, interval, Brier score and status quo from
/// its counts and the runs, the file's means from its propositions, its
/// model `model` (a score's parts name none). Said as the JSON path below
/// the file, with both values; `None` when the score is as Entente writes
/// it. A part edited by hand is refused, not merged into a score no run
/// gave.
pub(crate) fn unlike_its_counts(file: &FileScore, model: &str) -> Option<String> {
    let propositions: Vec<PropositionScore> = file
        .propositions
        .iter()
        .map(|p| {
            proposition(
                &p.id,
                &p.outcome,
                p.by_round,
                p.happened,
                (p.count, p.status_quo_count),
                file.runs,
            )
        })
        .collect();
    // A proposition's own row first, then what the file makes of them.
    let mut rows = file.propositions.iter().zip(&propositions).enumerate();
    let (at, given, expected) = rows
        .find_map(|(k, (given, expected))| {
            let (given, expected) = (
                serde_json::to_value(given).ok()?,
                serde_json::to_value(expected).ok()?,
            );
            // The shares first, then what is computed from them: the
            // field that differs first is the one to blame.
            let at = ["probability", "status_quo", "interval", "brier"]
                .iter()
                .find_map(|key| {
                    parts::difference(given.get(key)?, expected.get(key)?)
                        .map(|at| format!(".{key}{at}"))
                })
                .or_else(|| parts::difference(&given, &expected))?;
            Some((format!(".propositions[{k}]{at}"), at, (given, expected)))
        })
        .map(|(whole, at, (given, expected))| (whole, show(&given, &at), show(&expected, &at)))
        .or_else(|| {
            let mut expected = file_score(&file.history, &file.scenario, file.runs, propositions);
            expected.model = model.to_owned();
            let given = serde_json::to_value(file).ok()?;
            let expected = serde_json::to_value(&expected).ok()?;
            let at = parts::difference(&given, &expected)?;
            Some((at.clone(), show(&given, &at), show(&expected, &at)))
        })?;
    Some(format!(
        "{at} is {given}, not {expected} as its counts, runs and command give: a part must be as Entente wrote it"
    ))
}

/// The value at `at` below `value`, as a message shows it.
fn show(value: &serde_json::Value, at: &str) -> String {
    parts::at_path(value, at).map_or_else(|| "absent".to_owned(), parts::short)
}

/// The log score of one forecast: −ln of the probability given to what
/// happened, clipped.
pub fn log_loss(p: f64, happened: bool) -> f64 {
    let p = p.clamp(LOG_CLIP, 1.0 - LOG_CLIP);
    -(if happened { p } else { 1.0 - p }).ln()
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

#[cfg(test)]
mod tests;
