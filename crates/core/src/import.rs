//! Scenarios from other tools' data: KTAB's CSV for its spatial model,
//! the decide package's files for the exchange model, and the CSV of
//! Scholz et al.'s expected-utility code. Text in, scenario out (the runner
//! reads and writes the files).
//!
//! An imported scenario runs the model its data were made for, with that
//! tool's defaults: KTAB's spatial model and its stopping rule (at most 100
//! iterations; from the second, stop when one moves less than 2% of the
//! first), the decide package's equal-gain exchange for 10 rounds, Scholz et
//! al.'s coded expected-utility model for 10 rounds without a stop rule.
//! The data have no calendar: rounds are weekly from Monday 3 January 2000
//! (change `start` to place them). No agreement is signed before every
//! principal stands exactly at the forecast, so the mechanisms leave the
//! model alone. Every actor and stance carries as its basis the file, the
//! line and the line as written.

use crate::date::Date;
use crate::model::exchange::{self, DecideData};
use crate::model::spatial::csv::{self as ktab, SpatialScenario};
use crate::scenario::{
    Actor, ActorKind, AgreementRule, CompromiseChoice, ForecastKind, Issue, ModelConfig, ModelKind,
    Probability, Scenario, Source, Stance, StopRule,
};

/// The formats `entente import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// KTAB's CSV for its spatial model of politics.
    Ktab,
    /// The decide exchange model's tab-separated files.
    Decide,
    /// The CSV of Scholz et al.'s expected-utility code:
    /// `Actor,Capability,Position,Salience`.
    Scholz,
}

impl Format {
    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Ktab => "ktab",
            Format::Decide => "decide",
            Format::Scholz => "scholz",
        }
    }
}

/// Why a file could not be imported; `line` is 1-based when known.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ImportError {
    /// The line at fault, if one is.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl ImportError {
    fn at(line: usize, message: impl Into<String>) -> ImportError {
        ImportError {
            line: Some(line),
            message: message.into(),
        }
    }
}

/// The rounds an imported scenario plays: KTAB's cap on iterations, and
/// the decide and Scholz programs' usual run.
const KTAB_ROUNDS: u32 = 100;
const ROUNDS: u32 = 10;

/// Imports `text`, the contents of the file named `file`.
pub fn import(format: Format, text: &str, file: &str) -> Result<Scenario, ImportError> {
    match format {
        Format::Ktab => {
            let parsed = ktab::parse(text).map_err(|e| located(&e.to_string()))?;
            Ok(from_ktab(&parsed, text, file))
        }
        Format::Decide => {
            let parsed = exchange::parse(text).map_err(|e| located(&e.to_string()))?;
            from_decide(&parsed, text, file)
        }
        Format::Scholz => from_scholz(text, file),
    }
}

/// A reader's message (`line 12: …`, `line 12, column 4: …`) as an error
/// at its line, the line number taken out of the words.
fn located(message: &str) -> ImportError {
    let line = message.strip_prefix("line ").and_then(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    });
    let words = match (line, message.split_once(": ")) {
        (Some(_), Some((place, rest))) if place.starts_with("line ") => {
            match place.split_once(", ") {
                Some((_, column)) => format!("{column}: {rest}"),
                None => rest.to_owned(),
            }
        }
        _ => message.to_owned(),
    };
    ImportError {
        line,
        message: words,
    }
}

/// The day imported scenarios start: a Monday.
fn start() -> Date {
    Date::from_ymd(2000, 1, 3).expect("3 January 2000 is a date")
}

/// The words an imported scenario's description holds (before the format's
/// name): how Entente knows an earlier import it may replace.
pub const IMPORT_MARK: &str = "Imported by `entente import ";

/// A scenario shell: id and title from the file, one source, no agreement
/// before exact consensus.
fn shell(file: &str, title: &str, format: Format, rounds: u32, model: ModelConfig) -> Scenario {
    let stem = file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file)
        .split('.')
        .next()
        .unwrap_or(file);
    let mut s = Scenario::empty(&scenario_id(stem), title, start(), rounds);
    s.description = format!(
        "{IMPORT_MARK}{}` from {file}. The data have no calendar: rounds are weeks from Monday 3 January 2000.",
        format.name()
    );
    s.schema = Some("scenario.schema.json".to_owned());
    s.sources.push(Source {
        id: "import".to_owned(),
        title: file.to_owned(),
        date: start(),
        url: String::new(),
    });
    s.model = model;
    s.agreement = AgreementRule {
        implementation: None,
        tolerance: 0.0,
        forecast: ForecastKind::Mean,
        basis: Some(
            "import: no agreement stops the bargaining early (tolerance 0: signed only once every actor stands at the forecast), as the source tools play every round".to_owned(),
        ),
    };
    s
}

/// The basis of a fact read from line `n` of the file.
fn basis(file: &str, n: usize, lines: &[&str]) -> String {
    let line = lines.get(n - 1).copied().unwrap_or("").trim();
    let quoted: String = line.chars().take(400).collect();
    format!("import: {file}, line {n}, which reads: {quoted}")
}

/// An actor id from a name: upper case, letters, digits and underscores,
/// a letter first, at most 32 characters, unique among `taken`.
fn actor_id(name: &str, taken: &[String]) -> String {
    let mut id: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_uppercase()) {
        id.insert_str(0, "A_");
    }
    id.truncate(28);
    unique(id, taken)
}

/// An issue id from a name: lower case, letters, digits and underscores,
/// a letter first, at most 60 characters, unique among `taken`.
fn issue_id(name: &str, taken: &[String]) -> String {
    let mut id: String = name
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id.insert_str(0, "issue_");
    }
    id.truncate(56);
    unique(id, taken)
}

fn scenario_id(stem: &str) -> String {
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(64)
        .collect();
    if id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        id
    } else {
        "imported".to_owned()
    }
}

fn unique(id: String, taken: &[String]) -> String {
    if !taken.contains(&id) {
        return id;
    }
    (2..)
        .map(|k| format!("{id}_{k}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(id)
}

/// The 1-based line of the `k`-th actor row of a KTAB file: the rows after
/// the two header lines, blank lines skipped.
fn ktab_line(text: &str, k: usize) -> usize {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .nth(k + 2)
        .map_or(0, |(n, _)| n + 1)
}

fn from_ktab(data: &SpatialScenario, text: &str, file: &str) -> Scenario {
    // Split once: each actor's basis quotes its line.
    let lines: Vec<&str> = text.lines().collect();
    let model = ModelConfig {
        kind: ModelKind::Spatial,
        stop: Some(StopRule {
            relative: Some(crate::model::spatial::QUIET_RATIO),
            ..StopRule::default()
        }),
        ..ModelConfig::default()
    };
    let title = if data.name.is_empty() {
        "Imported spatial scenario"
    } else {
        &data.name
    };
    let mut s = shell(file, title, Format::Ktab, KTAB_ROUNDS, model);
    if !data.description.is_empty() {
        s.description = format!("{} {}", data.description, s.description);
    }
    let mut ids: Vec<String> = Vec::new();
    for a in &data.actors {
        let id = actor_id(&a.name, &ids);
        ids.push(id);
    }
    let mut issues: Vec<String> = Vec::new();
    for d in &data.dimensions {
        let id = issue_id(d, &issues);
        issues.push(id);
    }
    for (k, a) in data.actors.iter().enumerate() {
        let line = ktab_line(text, k);
        s.actors.push(Actor {
            capability_uncertainty: 0.0,
            id: ids[k].clone(),
            name: a.name.clone(),
            kind: ActorKind::State,
            capability: a.capability,
            speaks_for: Vec::new(),
            basis: basis(file, line, &lines),
        });
        for (d, issue) in issues.iter().enumerate() {
            s.stances.push(Stance {
                salience_uncertainty: 0.0,
                actor: ids[k].clone(),
                issue: issue.clone(),
                position: a.position[d],
                salience: a.salience[d] / 100.0,
                uncertainty: 0.0,
                basis: basis(file, line, &lines),
            });
        }
    }
    for (d, issue) in issues.iter().enumerate() {
        s.issues.push(Issue {
            brokers: Vec::new(),
            must_act: Vec::new(),
            high_means: None,
            id: issue.clone(),
            question: data.dimensions[d].clone(),
            low: "0".to_owned(),
            high: "100".to_owned(),
            principals: ids.clone(),
        });
    }
    s
}

/// The 1-based line of the `#D` row of `actor` on `issue`.
fn decide_line(text: &str, actor: &str, issue: &str) -> usize {
    let unquote = |f: &str| f.trim().trim_matches('\'').trim_matches('"').to_owned();
    text.lines()
        .position(|l| {
            let f: Vec<String> = l.split(['\t', ';', ',']).map(unquote).collect();
            f.first().map(String::as_str) == Some("#D")
                && f.get(1).map(String::as_str) == Some(actor)
                && f.get(2).map(String::as_str) == Some(issue)
        })
        .map_or(0, |n| n + 1)
}

fn from_decide(data: &DecideData, text: &str, file: &str) -> Result<Scenario, ImportError> {
    // Split once: each actor's basis quotes its line.
    let lines: Vec<&str> = text.lines().collect();
    let model = ModelConfig {
        kind: ModelKind::Exchange,
        ..ModelConfig::default()
    };
    let mut s = shell(
        file,
        "Imported exchange scenario",
        Format::Decide,
        ROUNDS,
        model,
    );
    let m = data.issues.len();
    let mut ids: Vec<String> = Vec::new();
    for a in &data.actors {
        let id = actor_id(&a.id, &ids);
        ids.push(id);
    }
    let mut issues: Vec<String> = Vec::new();
    for i in &data.issues {
        let id = issue_id(&i.id, &issues);
        issues.push(id);
    }
    for (k, a) in data.actors.iter().enumerate() {
        // Entente holds one capability per actor.
        let held: Vec<usize> = (0..m).filter(|&p| data.present[k * m + p]).collect();
        let powers: Vec<f64> = held.iter().map(|&p| data.capability[k * m + p]).collect();
        if let Some(&first) = powers.first()
            && let Some(&other) = powers.iter().find(|&&c| c != first)
        {
            let line = decide_line(text, &a.id, &data.issues[held[0]].id);
            return Err(ImportError::at(
                line,
                format!(
                    "actor {} has power {first} on one issue and {other} on another; a scenario holds one capability per actor",
                    a.id
                ),
            ));
        }
        let line = held
            .first()
            .map_or(0, |&p| decide_line(text, &a.id, &data.issues[p].id));
        s.actors.push(Actor {
            capability_uncertainty: 0.0,
            id: ids[k].clone(),
            name: if a.name.is_empty() {
                a.id.clone()
            } else {
                a.name.clone()
            },
            kind: ActorKind::State,
            capability: powers.first().copied().unwrap_or(1.0),
            speaks_for: Vec::new(),
            basis: if line > 0 {
                basis(file, line, &lines)
            } else {
                format!("import: {file}: actor {} (no stance)", a.id)
            },
        });
        for &p in &held {
            let line = decide_line(text, &a.id, &data.issues[p].id);
            s.stances.push(Stance {
                salience_uncertainty: 0.0,
                actor: ids[k].clone(),
                issue: issues[p].clone(),
                position: data.position[k * m + p],
                salience: data.salience[k * m + p],
                uncertainty: 0.0,
                basis: basis(file, line, &lines),
            });
        }
    }
    for (p, i) in data.issues.iter().enumerate() {
        let end = |x: f64| {
            i.points
                .iter()
                .find(|(v, _)| *v == x)
                .map(|(v, meaning)| {
                    if meaning.is_empty() {
                        format!("{v}")
                    } else {
                        format!("{v}: {meaning}")
                    }
                })
                .unwrap_or_else(|| format!("{x}"))
        };
        s.issues.push(Issue {
            brokers: Vec::new(),
            must_act: Vec::new(),
            high_means: None,
            id: issues[p].clone(),
            question: if i.description.is_empty() {
                i.id.clone()
            } else {
                i.description.clone()
            },
            low: end(i.lower),
            high: end(i.upper),
            principals: (0..data.actors.len())
                .filter(|&k| data.present[k * m + p])
                .map(|k| ids[k].clone())
                .collect(),
        });
    }
    Ok(s)
}

fn from_scholz(text: &str, file: &str) -> Result<Scenario, ImportError> {
    // Split once: each actor's basis quotes its line.
    let lines: Vec<&str> = text.lines().collect();
    let model = ModelConfig {
        kind: ModelKind::ExpectedUtility,
        probability: Probability::Scholz,
        compromise_choice: CompromiseChoice::Scholz,
        stop: None,
        ..ModelConfig::default()
    };
    let mut s = shell(
        file,
        "Imported one-issue scenario",
        Format::Scholz,
        ROUNDS,
        model,
    );
    // Read as Python's csv module reads it: a quoted name may hold a comma.
    let mut rows = crate::rows::rows(text, true)
        .map(|row| row.map_err(|(line, message)| ImportError::at(line, message)));
    let Some(crate::rows::Row {
        line: header_line,
        fields: header,
    }) = rows.next().transpose()?
    else {
        return Err(ImportError::at(1, "the file is empty"));
    };
    let columns: Vec<String> = header.iter().map(str::to_ascii_lowercase).collect();
    if columns != ["actor", "capability", "position", "salience"] {
        let written = text
            .lines()
            .nth(header_line.saturating_sub(1))
            .unwrap_or("");
        return Err(ImportError::at(
            header_line,
            format!("expected the header Actor,Capability,Position,Salience, found {written:?}"),
        ));
    }
    let mut ids: Vec<String> = Vec::new();
    for row in rows {
        let crate::rows::Row { line, fields } = row?;
        // The scenario's limit, applied while reading: a file of a million
        // rows is refused at row 1,001, not after it is all read.
        if ids.len() == crate::limits::MAX_ACTORS {
            return Err(ImportError::at(
                line,
                format!(
                    "more than {} actors; a scenario holds at most that many",
                    crate::limits::MAX_ACTORS
                ),
            ));
        }
        let fields: Vec<&str> = fields.iter().collect();
        let [name, capability, position, salience] = fields.as_slice() else {
            return Err(ImportError::at(
                line,
                format!("expected 4 fields, found {}", fields.len()),
            ));
        };
        let number = |what: &str, text: &str| {
            text.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| ImportError::at(line, format!("{what} {text:?} is not a number")))
        };
        let (c, x, sal) = (
            number("capability", capability)?,
            number("position", position)?,
            number("salience", salience)?,
        );
        if name.is_empty() {
            return Err(ImportError::at(line, "an actor without a name"));
        }
        let id = actor_id(name, &ids);
        ids.push(id.clone());
        s.actors.push(Actor {
            capability_uncertainty: 0.0,
            id: id.clone(),
            name: (*name).to_owned(),
            kind: ActorKind::State,
            capability: c,
            speaks_for: Vec::new(),
            basis: basis(file, line, &lines),
        });
        s.stances.push(Stance {
            salience_uncertainty: 0.0,
            actor: id,
            issue: "issue".to_owned(),
            position: x,
            salience: sal,
            uncertainty: 0.0,
            basis: basis(file, line, &lines),
        });
    }
    if ids.is_empty() {
        return Err(ImportError::at(
            header_line,
            "no actor rows after the header",
        ));
    }
    s.issues.push(Issue {
        brokers: Vec::new(),
        must_act: Vec::new(),
        high_means: None,
        id: "issue".to_owned(),
        question: "The issue of the file".to_owned(),
        low: "0".to_owned(),
        high: "100".to_owned(),
        principals: ids,
    });
    Ok(s)
}
