//! Choosing a model without fitting to the answers: `entente score
//! --cross-validate GRID HISTORY...`.
//!
//! A grid file names a few model settings (a model, and for the compromise
//! model its step λ; for any, the agreement tolerance). Every history is
//! scored under every setting on the same seeds. Then, crisis by crisis
//! (leave one crisis out): the setting with the lowest Brier score over the
//! propositions of all the *other* crises is chosen, and scored on the
//! held-out one. The held-out scores are the cross-validated forecast
//! skill, judged against the baselines as a plain score is (the status quo
//! as written, the base rate from the other crises, no skill); the table of
//! every setting's in-sample score is printed beside them, labelled so.

use std::path::Path;

use serde::{Deserialize, Serialize};

use entente_core::Scenario;

use super::output::{self, ScoreOutput};
use super::{FileScore, Loaded, ModelChoice, Plan, score_file};
use crate::error::{Error, Result};
use crate::input;
use crate::render::{Block, Document, Inline, Meta, Render, Section, Table};
use crate::sweep;

/// The format version of grid files this engine reads.
pub const GRID_VERSION: u32 = 1;
/// Most settings a grid may hold.
pub const MAX_SETTINGS: usize = 64;

/// A grid file: the settings cross-validation chooses among.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grid {
    /// Always 1.
    pub version: u32,
    /// What the grid is, in a sentence.
    #[serde(default)]
    pub about: String,
    /// The settings.
    pub settings: Vec<Setting>,
}

/// One model setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    /// Short id, unique in the grid.
    pub id: String,
    /// The model, as `--model` names it (`as-written`, `compromise`,
    /// `expected-utility`, `scholz`, `spatial`, `exchange`, `frozen`).
    pub model: String,
    /// The compromise model's step, in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda: Option<f64>,
    /// The agreement tolerance, in points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
}

impl Setting {
    fn choice(&self) -> Option<ModelChoice> {
        <ModelChoice as clap::ValueEnum>::from_str(&self.model, true).ok()
    }

    /// The scenario under this setting.
    fn apply(&self, scenario: &Scenario) -> Scenario {
        let mut s = self.choice().unwrap_or_default().apply(scenario);
        if let Some(lambda) = self.lambda {
            s.model.lambda = lambda;
        }
        if let Some(tolerance) = self.tolerance {
            s.agreement.tolerance = tolerance;
        }
        s
    }
}

/// Reads a grid file and checks every setting against every history's
/// scenario; every problem is named by its JSON path.
pub fn load_grid(path: &Path, histories: &[Loaded]) -> Result<Grid> {
    if histories.len() < 2 {
        return Err(Error::Usage(
            "--cross-validate leaves one crisis out at a time and chooses a setting on the others: give at least two histories".to_owned(),
        ));
    }
    let bytes = input::read_limited(path, "a grid file", input::MAX_SCENARIO_BYTES)?;
    let grid: Grid = input::parse_json(path, &bytes)?;
    let mut problems = Vec::new();
    let mut say = |at: String, message: String| {
        problems.push(entente_core::scenario::Problem { path: at, message });
    };
    if grid.version != GRID_VERSION {
        say(
            "$.version".to_owned(),
            format!(
                "grid format version {} is not known to this engine; expected {GRID_VERSION}",
                grid.version
            ),
        );
    }
    if grid.settings.is_empty() || grid.settings.len() > MAX_SETTINGS {
        say(
            "$.settings".to_owned(),
            format!("expected 1 to {MAX_SETTINGS} settings"),
        );
    }
    for (k, setting) in grid.settings.iter().enumerate() {
        let at = format!("$.settings[{k}]");
        if grid.settings[..k].iter().any(|s| s.id == setting.id) {
            say(format!("{at}.id"), format!("duplicate id {:?}", setting.id));
        }
        if let Some(why) = super::id_problem(&setting.id) {
            say(format!("{at}.id"), why);
        }
        if setting.lambda.is_some() && !setting.model.eq_ignore_ascii_case("compromise") {
            say(
                format!("{at}.lambda"),
                format!(
                    "λ is the compromise model's step; the model {:?} has none (leave lambda out or choose \"compromise\")",
                    setting.model
                ),
            );
        }
        if setting.choice().is_none() {
            say(
                format!("{at}.model"),
                format!(
                    "{:?} is not a model; expected as-written, compromise, expected-utility, scholz, spatial, exchange or frozen",
                    setting.model
                ),
            );
            continue;
        }
        for loaded in histories {
            if let Some(problem) = setting.apply(&loaded.scenario).problems().first() {
                say(
                    at.clone(),
                    format!(
                        "under this setting {} is not valid: {}: {}",
                        loaded.scenario.id, problem.path, problem.message
                    ),
                );
                break;
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Scenario {
            path: path.to_owned(),
            problems,
        });
    }
    Ok(grid)
}

/// A crisis held out: the setting chosen on the others, and its score here.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HeldOut {
    /// The history file.
    pub history: String,
    /// The setting chosen on the other crises.
    pub chosen: String,
    /// Its Brier score over the other crises' propositions.
    pub brier_on_others: f64,
}

/// The output of `entente score --cross-validate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrossValidation {
    /// The grid's settings, by id.
    pub settings: Vec<Setting>,
    /// Seeds: [start, end).
    pub seeds: (u64, u64),
    /// Per crisis, in the order given: what was chosen without it.
    pub held_out: Vec<HeldOut>,
    /// The held-out forecasts scored as `entente score` scores: per file
    /// (each under the setting chosen without it) and over all, with the
    /// baselines and the skill against each.
    pub score: ScoreOutput,
    /// In-sample: every setting's Brier score per history (rows: settings
    /// in grid order; columns: histories in the order given) and over all
    /// propositions. Labelled in-sample: the choice above never sees the
    /// held-out column.
    pub in_sample: Vec<(String, Vec<f64>, f64)>,
}

/// Scores every history under every setting, and each crisis under the
/// setting chosen on the others.
pub fn cross_validate(plan: &Plan, grid: &Grid) -> Result<CrossValidation> {
    let all = 0..units(plan, grid);
    // Every unit, history by history and each history's settings in order.
    let mut scores: Vec<Vec<FileScore>> = vec![Vec::new(); grid.settings.len()];
    for (unit, file) in play(plan, grid, all)? {
        scores[(unit % grid.settings.len() as u64) as usize].push(file);
    }
    Ok(choose(grid, (plan.seeds.start, plan.seeds.end), &scores))
}

/// The units of the work: every pair of a history and a setting, history
/// by history (unit h·S + s).
fn units(plan: &Plan, grid: &Grid) -> u64 {
    (plan.histories.len() * grid.settings.len()) as u64
}

/// Plays the units in `units`: each its history under its setting, beside
/// the history's status quo (played once per history a shard touches).
fn play(plan: &Plan, grid: &Grid, units: std::ops::Range<u64>) -> Result<Vec<(u64, FileScore)>> {
    let n_settings = grid.settings.len() as u64;
    crate::limits::runs(
        "score --cross-validate",
        &plan.seeds,
        u128::from(units.end.saturating_sub(units.start)) * 2,
    )?;
    let pool = sweep::pool(plan.jobs)?;
    let mut out = Vec::new();
    for (h, loaded) in plan.histories.iter().enumerate() {
        let mine: Vec<u64> = (0..n_settings)
            .map(|s| h as u64 * n_settings + s)
            .filter(|u| units.contains(u))
            .collect();
        if mine.is_empty() {
            continue;
        }
        let outcomes = entente_core::Outcome::possible(&loaded.scenario);
        let frozen = ModelChoice::Frozen.apply(&loaded.scenario);
        let status_quo = sweep::play_seeds(&pool, &frozen, &outcomes, plan.seeds.clone())?;
        for unit in mine {
            let setting = &grid.settings[(unit % n_settings) as usize];
            let scenario = setting.apply(&loaded.scenario);
            let runs = sweep::play_seeds(&pool, &scenario, &outcomes, plan.seeds.clone())?;
            let mut file = score_file(loaded, &scenario, &runs, &status_quo);
            file.model = setting.id.clone();
            out.push((unit, file));
        }
    }
    Ok(out)
}

/// `scores[s][h]` from the played units; `None` unless every unit is there
/// exactly once.
fn matrix(
    histories: usize,
    settings: usize,
    played: Vec<(u64, FileScore)>,
) -> Option<Vec<Vec<FileScore>>> {
    let mut cells: Vec<Option<FileScore>> = vec![None; histories * settings];
    for (unit, file) in played {
        let cell = cells.get_mut(usize::try_from(unit).ok()?)?;
        if cell.replace(file).is_some() {
            return None;
        }
    }
    let mut scores: Vec<Vec<FileScore>> = vec![Vec::with_capacity(histories); settings];
    for (k, cell) in cells.into_iter().enumerate() {
        scores[k % settings].push(cell?);
    }
    Some(scores)
}

/// What a part's settings hold: the grid and, by content, the histories
/// and their scenarios, so parts of other inputs do not merge.
fn part_settings(plan: &Plan, grid: &Grid) -> serde_json::Value {
    let histories: Vec<serde_json::Value> = plan
        .histories
        .iter()
        .map(|h| {
            let propositions: Vec<&super::Proposition> =
                h.compiled.iter().map(|c| &c.proposition).collect();
            serde_json::json!({
                "history": h.path.display().to_string(),
                "propositions_sha256": crate::parts::digest(&propositions),
                "scenario_sha256": crate::parts::digest(&h.scenario),
            })
        })
        .collect();
    serde_json::json!({
        "grid": grid,
        "seeds": [plan.seeds.start, plan.seeds.end],
        "histories": histories,
    })
}

/// Shard `shard` of a cross-validation: its slice of the (history,
/// setting) units, kept for `entente merge`.
pub fn part(
    plan: &Plan,
    grid: &Grid,
    shard: (u64, u64),
) -> Result<crate::parts::Part<Vec<(u64, FileScore)>>> {
    let all = 0..units(plan, grid);
    let mine = crate::shard::units(&all, Some(shard));
    let played = play(plan, grid, mine)?;
    Ok(crate::parts::Part::new(
        crate::parts::Kind::CrossValidate,
        shard,
        all,
        part_settings(plan, grid),
        played,
    ))
}

/// The cross-validation the unsharded command gives, from every shard's
/// part.
pub fn merge(parts: &[crate::parts::Part<Vec<(u64, FileScore)>>]) -> Result<CrossValidation> {
    #[derive(Deserialize)]
    struct Settings {
        grid: Grid,
        seeds: (u64, u64),
        histories: Vec<serde_json::Value>,
    }
    let bad = |why: String| Error::Usage(format!("merge: {why}"));
    let first = parts
        .first()
        .ok_or_else(|| bad("no parts given".to_owned()))?;
    let s: Settings = serde_json::from_value(first.settings.clone())
        .map_err(|e| bad(format!("the cross-validation parts' settings: {e}")))?;
    let histories = read_histories(&s.histories, first).map_err(bad)?;
    let seeds = s.seeds.1.saturating_sub(s.seeds.0);
    let mut played = Vec::new();
    for part in parts {
        for (j, (unit, file)) in part.data.iter().enumerate() {
            if !(part.units.start..part.units.end).contains(unit) {
                return Err(bad(format!(
                    "{} holds unit {unit}, outside its own {}..{}",
                    part.name(),
                    part.units.start,
                    part.units.end
                )));
            }
            let why = unit_unlike(*unit, file, (&s.grid, seeds, &histories));
            if let Some(why) = why {
                return Err(bad(format!("{}: $.data[{j}][1]{why}", part.name())));
            }
            played.push((*unit, file.clone()));
        }
    }
    let scores = matrix(s.histories.len(), s.grid.settings.len(), played).ok_or_else(|| {
        bad(
            "the score --cross-validate parts do not hold every (history, setting) unit once"
                .to_owned(),
        )
    })?;
    Ok(choose(&s.grid, s.seeds, &scores))
}

/// The histories a cross-validation's parts name (`named`: each the
/// history's path and the digests of its propositions and scenario), read
/// again to check every unit's propositions against: a history that
/// cannot be read, or has changed since the parts were written, is
/// refused.
fn read_histories(
    named: &[serde_json::Value],
    first: &crate::parts::Part<Vec<(u64, FileScore)>>,
) -> std::result::Result<Vec<Loaded>, String> {
    named
        .iter()
        .enumerate()
        .map(|(h, named)| {
            let field = |key: &str| named.get(key).and_then(serde_json::Value::as_str);
            let path = field("history").ok_or_else(|| {
                format!(
                    "{}: $.settings.histories[{h}] names no history file",
                    first.name()
                )
            })?;
            let loaded = super::load(Path::new(path)).map_err(|e| {
                format!(
                    "{} names the history {path}, which the merge reads to check the parts against (run it where the shards ran): {e}",
                    first.name()
                )
            })?;
            let propositions: Vec<&super::Proposition> =
                loaded.compiled.iter().map(|c| &c.proposition).collect();
            if field("propositions_sha256")
                != Some(crate::parts::digest(&propositions).as_str())
                || field("scenario_sha256") != Some(crate::parts::digest(&loaded.scenario).as_str())
            {
                return Err(format!(
                    "the history {path} or its scenario has changed since {} was written; run the shards again",
                    first.name()
                ));
            }
            Ok(loaded)
        })
        .collect()
}

/// Why the file score of `unit` in a part is not one the cross-validation
/// could have written (`grid`, the `seeds` count, the `histories` read
/// again): its runs, its setting, its history and propositions, and each
/// row recomputed from its counts. Said as a JSON path below the unit's
/// file score; `None` when it is.
fn unit_unlike(
    unit: u64,
    file: &FileScore,
    (grid, seeds, histories): (&Grid, u64, &[Loaded]),
) -> Option<String> {
    let settings = grid.settings.len().max(1) as u64;
    let (h, s) = (unit / settings, unit % settings);
    let (Some(history), Some(setting)) = (
        usize::try_from(h).ok().and_then(|h| histories.get(h)),
        usize::try_from(s).ok().and_then(|s| grid.settings.get(s)),
    ) else {
        return Some(format!(
            " is of unit {unit}, beyond the {} histories under {settings} settings",
            histories.len()
        ));
    };
    if file.runs != seeds {
        return Some(format!(
            ".runs is {}, where every unit is played on the {seeds} seeds",
            file.runs
        ));
    }
    let path = history.path.display().to_string();
    if file.history != path || file.scenario != history.scenario.id {
        return Some(format!(
            ".history is {:?} of scenario {:?}, where unit {unit} is {path:?} of {:?}",
            file.history, file.scenario, history.scenario.id
        ));
    }
    let given: Vec<_> = file
        .propositions
        .iter()
        .map(|p| (p.id.as_str(), p.outcome.as_str(), p.by_round, p.happened))
        .collect();
    let stated: Vec<_> = history
        .compiled
        .iter()
        .map(|c| {
            let p = &c.proposition;
            (p.id.as_str(), p.outcome.as_str(), c.by_round, p.happened)
        })
        .collect();
    if given != stated {
        let k = given
            .iter()
            .zip(&stated)
            .take_while(|(a, b)| a == b)
            .count();
        let states = stated.get(k).map_or_else(
            || format!("no proposition {k} (it has {})", stated.len()),
            |(id, outcome, by_round, happened)| {
                format!(
                    "proposition {k} as {id:?}: {outcome} by round {by_round}, happened {happened}"
                )
            },
        );
        return Some(format!(
            ".propositions[{k}] is not the history's: {path} states {states}"
        ));
    }
    super::unlike_its_counts(file, &setting.id)
}

/// The sum of Brier scores and the count of propositions of a file.
fn brier_sum(f: &FileScore) -> (f64, usize) {
    (
        f.propositions.iter().map(|p| p.brier).sum(),
        f.propositions.len(),
    )
}

/// Leave one crisis out: for each history, the setting with the lowest
/// Brier over the other histories' propositions (ties to the first in the
/// grid), scored on the held-out history.
fn choose(grid: &Grid, seeds: (u64, u64), scores: &[Vec<FileScore>]) -> CrossValidation {
    let histories = scores.first().map_or(0, Vec::len);
    let on_others = |s: usize, h: usize| {
        let (sum, n) = scores[s]
            .iter()
            .enumerate()
            .filter(|(k, _)| *k != h)
            .map(|(_, f)| brier_sum(f))
            .fold((0.0, 0), |(a, n), (b, m)| (a + b, n + m));
        if n == 0 {
            f64::INFINITY
        } else {
            sum / n as f64
        }
    };
    let mut held_out = Vec::new();
    let mut files = Vec::new();
    for h in 0..histories {
        let mut best = 0;
        for s in 1..scores.len() {
            if on_others(s, h) < on_others(best, h) {
                best = s;
            }
        }
        let file = scores[best][h].clone();
        let brier = on_others(best, h);
        held_out.push(HeldOut {
            history: file.history.clone(),
            chosen: grid.settings[best].id.clone(),
            brier_on_others: if brier.is_finite() { brier } else { 0.0 },
        });
        files.push(file);
    }
    let in_sample = grid
        .settings
        .iter()
        .zip(scores)
        .map(|(setting, row)| {
            let (sum, n) = row
                .iter()
                .map(brier_sum)
                .fold((0.0, 0), |(a, n), (b, m)| (a + b, n + m));
            (
                setting.id.clone(),
                row.iter().map(|f| f.brier).collect(),
                if n == 0 { 0.0 } else { sum / n as f64 },
            )
        })
        .collect();
    let mut score = output::summarise("cross-validated", seeds, files);
    // Each file says the setting it was forecast under.
    for (f, h) in score.files.iter_mut().zip(&held_out) {
        f.model.clone_from(&h.chosen);
    }
    CrossValidation {
        settings: grid.settings.clone(),
        seeds,
        held_out,
        score,
        in_sample,
    }
}

impl Render for CrossValidation {
    fn document(&self) -> Document {
        let o = &self.score.overall;
        let mut overall = Section::new(Some("held-out".to_owned()), "Held out, crisis by crisis");
        overall.paragraph(format!(
            "Each crisis is forecast under the setting with the lowest Brier score on the other crises, then scored: Brier {:.3}, log {:.3} over {} propositions: {}.",
            o.brier, o.log, o.propositions, o.verdict
        ));
        let mut t = Table::new(&[
            "held out",
            "chosen on the others",
            ">its Brier there",
            ">held-out Brier",
            ">status quo",
            ">skill against it [95%]",
        ]);
        for (h, f) in self.held_out.iter().zip(&self.score.files) {
            let sq = f
                .baselines
                .iter()
                .find(|b| b.name == super::baselines::STATUS_QUO);
            t.rows.push(vec![
                h.history.clone().into(),
                Inline::code(&h.chosen),
                format!("{:.3}", h.brier_on_others).into(),
                format!("{:.3}", f.brier).into(),
                sq.map_or_else(|| "—".to_owned(), |b| format!("{:.3}", b.brier))
                    .into(),
                sq.and_then(|b| Some((b.skill?, b.interval?)))
                    .map_or_else(
                        || "—".to_owned(),
                        |(s, (lo, hi))| format!("{s:+.3} [{lo:+.3}, {hi:+.3}]"),
                    )
                    .into(),
            ]);
        }
        overall.push(t.into());
        overall.push(output::baselines_table(o.brier, o.log, &o.baselines).into());
        let mut inside = Section::new(
            Some("in-sample".to_owned()),
            "In sample: every setting on every crisis (not a forecast skill)",
        );
        let mut header = vec!["setting".to_owned()];
        header.extend(
            self.held_out
                .iter()
                .map(|h| format!(">{}", short(&h.history))),
        );
        header.push(">all".to_owned());
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = Table::new(&header);
        for (id, row, all) in &self.in_sample {
            let mut cells = vec![id.clone()];
            cells.extend(row.iter().map(|b| format!("{b:.3}")));
            cells.push(format!("{all:.3}"));
            t.row(cells);
        }
        inside.push(t.into());
        let distinct: std::collections::BTreeSet<&str> =
            self.held_out.iter().map(|h| h.chosen.as_str()).collect();
        inside.paragraph(format!(
            "{} distinct setting(s) chosen over {} crises.",
            distinct.len(),
            self.held_out.len()
        ));
        Document {
            title: "Cross-validated forecasts".to_owned(),
            meta: vec![
                Meta::new("settings", self.settings.len().to_string()),
                Meta::new("seeds", format!("{}..{}", self.seeds.0, self.seeds.1)),
            ],
            blocks: vec![Block::from(overall), Block::from(inside)],
        }
    }

    fn json(&self) -> String {
        crate::render::stamped_json(self)
    }
}

/// A history file's name without its directory and `.history.json`.
fn short(history: &str) -> &str {
    let name = history.rsplit('/').next().unwrap_or(history);
    name.strip_suffix(".history.json").unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::proposition;

    /// A file of one scenario whose propositions each have `brier`.
    fn file(scenario: &str, setting: &str, briers: &[f64]) -> FileScore {
        // p = 1 − √brier on a proposition that happened gives that Brier.
        let props = briers
            .iter()
            .enumerate()
            .map(|(k, b)| {
                let count = ((1.0 - b.sqrt()) * 100.0).round() as u64;
                proposition(&format!("p{k}"), "agreement:x", 1, true, (count, 0), 100)
            })
            .collect();
        let mut f =
            super::super::file_score(&format!("{scenario}.history.json"), scenario, 100, props);
        f.model = setting.to_owned();
        f
    }

    fn grid(ids: &[&str]) -> Grid {
        Grid {
            version: 1,
            about: String::new(),
            settings: ids
                .iter()
                .map(|id| Setting {
                    id: (*id).to_owned(),
                    model: "compromise".to_owned(),
                    lambda: None,
                    tolerance: None,
                })
                .collect(),
        }
    }

    #[test]
    fn each_crisis_gets_the_setting_best_on_the_others_pooled_by_proposition() {
        // Setting a is best on crisis x alone; b is best on y and z pooled.
        let a = vec![
            file("x", "a", &[0.0]),
            file("y", "a", &[0.25, 0.25]),
            file("z", "a", &[0.25]),
        ];
        let b = vec![
            file("x", "b", &[0.64]),
            file("y", "b", &[0.04, 0.04]),
            file("z", "b", &[0.36]),
        ];
        let cv = choose(&grid(&["a", "b"]), (0, 100), &[a, b]);
        let chosen: Vec<&str> = cv.held_out.iter().map(|h| h.chosen.as_str()).collect();
        // x held out: on y and z, a pools (0.25·3)/3 = 0.25, b (0.04·2 +
        // 0.36)/3 ≈ 0.147: b. y held out: a (0 + 0.25)/2 = 0.125, b (0.64 +
        // 0.36)/2 = 0.5: a. z held out: a (0 + 0.5)/3 ≈ 0.167, b (0.64 +
        // 0.08)/3 = 0.24: a.
        assert_eq!(chosen, ["b", "a", "a"]);
        assert!((cv.held_out[0].brier_on_others - (0.08 + 0.36) / 3.0).abs() < 1e-9);
        // Held-out scores are the chosen setting's on the held-out crisis.
        let held: Vec<f64> = cv.score.files.iter().map(|f| f.brier).collect();
        let want = [0.64, 0.25, 0.25];
        for (h, w) in held.iter().zip(want) {
            assert!((h - w).abs() < 1e-9, "{held:?}");
        }
        // In sample, all propositions pooled.
        assert!((cv.in_sample[1].2 - (0.64 + 0.08 + 0.36) / 4.0).abs() < 1e-9);
    }
}
