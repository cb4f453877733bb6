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
        return Err(Error::Scenario {
            path: path.to_owned(),
            problems,
        });
    }
    Ok(scenario)
}

/// The scenario as a file: pretty JSON, as the shipped scenarios are.
pub fn to_json(scenario: &Scenario) -> String {
    serde_json::to_string_pretty(scenario).unwrap_or_default() + "\n"
}
