//! Scenario files: read, parsed and validated whole before a run starts.

use std::path::Path;
use std::sync::OnceLock;

use entente_core::{Problem, Scenario};

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
///
/// The file must also satisfy the scenario's JSON Schema (the one `entente
/// schema` prints and editors use), so that what an editor accepts and what
/// the engine accepts are one thing: serde alone would take `"model": []`
/// for an object with every field defaulted.
pub fn parse(origin: &Path, bytes: &[u8]) -> Result<Scenario> {
    let scenario: Scenario = input::parse_json(origin, bytes)?;
    let value: serde_json::Value = input::parse_json(origin, bytes)?;
    let mut problems = schema_problems(&value);
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

/// Where `value` breaks the scenario's JSON Schema, each at its JSON path.
pub fn schema_problems(value: &serde_json::Value) -> Vec<Problem> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    let Some(validator) =
        VALIDATOR.get_or_init(|| jsonschema::validator_for(&Scenario::json_schema()).ok())
    else {
        return Vec::new();
    };
    validator
        .iter_errors(value)
        .map(|e| Problem {
            path: json_path(&e.instance_path().to_string()),
            message: format!("{e} (the scenario schema)"),
        })
        .collect()
}

/// `/stances/0/salience` → `$.stances[0].salience`.
fn json_path(pointer: &str) -> String {
    let mut path = String::from("$");
    for part in pointer.split('/').skip(1) {
        let part = part.replace("~1", "/").replace("~0", "~");
        if !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{part}]"));
        } else {
            path.push('.');
            path.push_str(&part);
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_array_where_the_schema_wants_an_object_is_refused() {
        let text = include_str!("../../../scenarios/tutorial-three-actors.json");
        let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
        for field in ["model", "trust"] {
            value[field] = serde_json::json!([]);
            let bytes = serde_json::to_vec(&value).unwrap();
            let err = parse(Path::new("t.json"), &bytes).unwrap_err().to_string();
            assert!(err.contains(&format!("$.{field}: ")), "{field}: {err}");
            value = serde_json::from_str(text).unwrap();
        }
        assert_eq!(json_path("/stances/3/position"), "$.stances[3].position");
        assert_eq!(json_path(""), "$");
    }
}
