//! Scenario files: read, parsed and validated whole before a run starts.
//!
//! The bytes are parsed once, into a `serde_json::Value`; the typed
//! [`Scenario`] is read from that value (a syntax error has its line and
//! column, a type error its JSON path and place). serde's derive takes some
//! things the scenario's JSON Schema refuses (an array for an object, read
//! field by field, so `"model": []` would be every default): the typed
//! scenario is written back to a value, and every place where the file
//! holds another kind of value than the typed form is refused at its JSON
//! path. Then every rule of the format is checked ([`Scenario::problems`]).
//! The schema itself is not consulted at run time: a test holds the loader
//! to refusing whatever the schema (`entente schema`, what editors check)
//! refuses, on every shipped scenario and on mutated ones.

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
    let value = input::parse_value(origin, bytes)?;
    let scenario: Scenario = input::from_value(origin, bytes, &value)?;
    // Every map key of a scenario is a string, so it always serialises.
    let written = serde_json::to_value(&scenario).expect("a scenario serialises to JSON");
    let mut problems = input::kind_mismatches(&value, &written);
    if problems.is_empty() {
        problems = scenario.problems();
    }
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(Error::Scenario {
            path: origin.to_owned(),
            problems,
        })
    }
}

#[cfg(test)]
mod tests;
