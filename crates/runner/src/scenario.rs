//! Scenario files: read, parsed and validated whole before a run starts.

use std::path::Path;

use entente_core::Scenario;

use crate::error::{Error, Result};
use crate::input::{self, MAX_SCENARIO_BYTES};

/// Reads, parses and validates a scenario file. A syntax or type error is
/// reported with its line and column; a valid JSON scenario with semantic
/// problems is reported with every problem and its JSON path.
pub fn load(path: &Path) -> Result<Scenario> {
    let bytes = input::read_limited(path, "a scenario file", MAX_SCENARIO_BYTES)?;
    parse(path, &bytes)
}

/// Parses and validates scenario JSON read from `origin`.
pub fn parse(origin: &Path, bytes: &[u8]) -> Result<Scenario> {
    let scenario: Scenario = input::parse_json(origin, bytes)?;
    let problems = scenario.problems();
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(Error::Scenario {
            path: origin.to_owned(),
            problems,
        })
    }
}
