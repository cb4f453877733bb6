//! `import`: a scenario from another tool's data file (KTAB's CSV, the
//! decide package's file, Scholz et al.'s CSV), checked like any scenario.

use std::path::Path;

use entente_core::Scenario;
use entente_core::import::{self, Format};

use crate::error::{Error, Result};
use crate::input;

/// Largest file `import` reads, in bytes.
pub const MAX_IMPORT_BYTES: u64 = 16 << 20;

/// Reads `path` in `format` and returns the scenario it describes, valid.
pub fn import(format: Format, path: &Path) -> Result<Scenario> {
    let text = input::read_text(path, "a file to import", MAX_IMPORT_BYTES)?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let scenario = import::import(format, &text, &name).map_err(|e| match e.line {
        Some(line) => Error::Syntax {
            path: path.to_owned(),
            line,
            column: 0,
            message: e.message,
        },
        None => Error::Usage(format!("{}: {}", path.display(), e.message)),
    })?;
    let problems = scenario.problems();
    if !problems.is_empty() {
        return Err(at_lines(path, &name, &scenario, &problems));
    }
    Ok(scenario)
}

/// The problems of an imported scenario said at the lines of the file
/// they came from (`s.csv:3: B's position on q1: expected …`), the
/// scenario's JSON path after them; a problem of no one line keeps its
/// path alone. The line is the one the actor's or stance's basis quotes:
/// the import states each fact's line there, and the core, which knows
/// the format's rows, is its one place.
fn at_lines(
    path: &Path,
    name: &str,
    scenario: &Scenario,
    problems: &[entente_core::Problem],
) -> Error {
    let file = path.display();
    let said: Vec<String> = problems
        .iter()
        .map(|p| match origin(scenario, name, &p.path) {
            Some((line, what)) => {
                format!("{file}:{line}: {what}: {} (at {})", p.message, p.path)
            }
            None => format!("{file}: {}: {}", p.path, p.message),
        })
        .collect();
    if let [one] = problems
        && let Some((line, what)) = origin(scenario, name, &one.path)
    {
        return Error::Syntax {
            path: path.to_owned(),
            line,
            column: 0,
            message: format!("{what}: {} (at {})", one.message, one.path),
        };
    }
    Error::Usage(format!(
        "{file}: {} problem(s)\n  {}",
        problems.len(),
        said.join("\n  ")
    ))
}

/// The line of the imported file a problem at `at` (`$.stances[1].salience`)
/// came from, and what it is about (`B's salience on q1`), from the basis
/// of the stance or actor it names.
fn origin(scenario: &Scenario, name: &str, at: &str) -> Option<(usize, String)> {
    let index = |rest: &str| -> Option<(usize, String)> {
        let (k, field) = rest.split_once(']')?;
        let field = field.trim_start_matches('.');
        Some((k.parse().ok()?, field.split(['.', '[']).next()?.to_owned()))
    };
    let (basis, what) = if let Some(rest) = at.strip_prefix("$.stances[") {
        let (k, field) = index(rest)?;
        let s = scenario.stances.get(k)?;
        let field = if field.is_empty() {
            "stance".to_owned()
        } else {
            field
        };
        (&s.basis, format!("{}'s {field} on {}", s.actor, s.issue))
    } else if let Some(rest) = at.strip_prefix("$.actors[") {
        let (k, field) = index(rest)?;
        let a = scenario.actors.get(k)?;
        let field = if field.is_empty() {
            "entry".to_owned()
        } else {
            field
        };
        (&a.basis, format!("{}'s {field}", a.id))
    } else {
        return None;
    };
    let digits = basis.strip_prefix(&format!("import: {name}, line "))?;
    let end = digits.find(|c: char| !c.is_ascii_digit())?;
    Some((digits[..end].parse().ok()?, what))
}

/// The scenario as a file: pretty JSON, as the shipped scenarios are, its
/// description closed by the digest that tells a later `import --force`
/// it may replace the file while nobody has edited it
/// ([`crate::output::signed_scenario`]).
pub fn to_json(scenario: &Scenario) -> String {
    crate::output::signed_scenario(scenario)
}
