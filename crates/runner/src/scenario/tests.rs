//! The loader against the scenario's JSON Schema (what `entente schema`
//! prints and editors check): every shipped scenario and many generated
//! ones are valid for both, and on scenarios mutated in their structure (a
//! value of another kind, a field nobody knows, a word that is not one of
//! an enum's) whatever the schema refuses, the loader refuses too. The
//! schema is checked here, in the tests, and not at every load.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use entente_core::Scenario;
use entente_core::testing::{self, Sizes};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

use super::parse;

/// The schema's validator; a schema that does not compile fails here.
fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&Scenario::json_schema())
        .unwrap_or_else(|e| panic!("the scenario schema (entente schema) does not compile: {e}"))
}

/// The scenarios the repository ships, and the conformance cases.
fn shipped() -> Vec<(PathBuf, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut found = Vec::new();
    for dir in ["scenarios", "tests/conformance"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".json")
                && name != "scenario.schema.json"
                && !name.ends_with(".history.json")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path, serde_json::from_str(&text).unwrap()));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(found.len() > 40, "the scenarios were not found");
    found
}

/// The loader's verdict on `value`: `Ok` or its message.
fn load(value: &Value) -> Result<(), String> {
    let bytes = serde_json::to_vec(value).unwrap();
    parse(Path::new("s.json"), &bytes)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// The schema's objections to `value`, each at its place.
fn objections(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_shipped_scenario_is_valid_for_the_schema_and_the_loader() {
    let validator = validator();
    for (path, value) in shipped() {
        let errors = objections(&validator, &value);
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            path.display(),
            errors.join("\n")
        );
        assert_eq!(load(&value), Ok(()), "{}", path.display());
    }
}

#[test]
fn generated_scenarios_are_valid_for_the_schema_and_the_loader() {
    let validator = validator();
    let mut runner = TestRunner::deterministic();
    let strategy = testing::scenario(Sizes::default());
    for _ in 0..200 {
        let scenario = strategy.new_tree(&mut runner).unwrap().current();
        let value = serde_json::to_value(&scenario).unwrap();
        let errors = objections(&validator, &value);
        assert!(errors.is_empty(), "{value}:\n{}", errors.join("\n"));
        assert_eq!(load(&value), Ok(()), "{value}");
    }
}

/// One structural change at one place of a scenario.
#[derive(Clone, Copy, Debug)]
enum Mutation {
    /// The value replaced by one of another kind.
    Kind(usize),
    /// An object given a field nobody knows.
    UnknownField,
    /// A string replaced by a word no enum has.
    Word,
    /// An object replaced by the array of its values, in order: serde's
    /// derive reads a struct from that, field by field.
    Positional,
}

/// The values a value of any kind is replaced by.
fn other_kinds() -> [Value; 6] {
    [
        json!(null),
        json!(true),
        json!(7),
        json!("seven"),
        json!([]),
        json!({}),
    ]
}

/// `value` with `mutation` at `pointer`, or `None` where it does not apply.
fn mutated(value: &Value, pointer: &str, mutation: Mutation) -> Option<Value> {
    let mut copy = value.clone();
    let place = copy.pointer_mut(pointer)?;
    let new = match (mutation, &*place) {
        (Mutation::Kind(k), old) => {
            let new = other_kinds()[k].clone();
            if std::mem::discriminant(old) == std::mem::discriminant(&new) {
                return None;
            }
            new
        }
        (Mutation::UnknownField, Value::Object(fields)) => {
            let mut fields = fields.clone();
            fields.insert("colour".to_owned(), json!("blue"));
            Value::Object(fields)
        }
        (Mutation::Word, Value::String(_)) => json!("no-such-word"),
        (Mutation::Positional, Value::Object(fields)) if !fields.is_empty() => {
            Value::Array(fields.values().cloned().collect())
        }
        _ => return None,
    };
    *place = new;
    Some(copy)
}

/// The JSON pointers of every place in `value` worth mutating: each place
/// once per shape (a list's elements alike in their keys count once).
fn places(value: &Value) -> Vec<String> {
    fn walk(
        value: &Value,
        pointer: &str,
        shape: &str,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        let signature = match value {
            Value::Object(fields) => {
                let keys: Vec<&str> = fields.keys().map(String::as_str).collect();
                format!("{shape}{{{}}}", keys.join(","))
            }
            _ => format!("{shape}:{}", kind(value)),
        };
        if !seen.insert(signature) {
            return;
        }
        out.push(pointer.to_owned());
        match value {
            Value::Object(fields) => {
                for (key, field) in fields {
                    let escaped = key.replace('~', "~0").replace('/', "~1");
                    walk(
                        field,
                        &format!("{pointer}/{escaped}"),
                        &format!("{shape}.{key}"),
                        seen,
                        out,
                    );
                }
            }
            Value::Array(items) => {
                for (k, item) in items.iter().enumerate() {
                    walk(
                        item,
                        &format!("{pointer}/{k}"),
                        &format!("{shape}[]"),
                        seen,
                        out,
                    );
                }
            }
            _ => {}
        }
    }
    fn kind(value: &Value) -> u8 {
        match value {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Array(_) => 4,
            Value::Object(_) => 5,
        }
    }
    let mut out = Vec::new();
    walk(value, "", "$", &mut BTreeSet::new(), &mut out);
    out
}

#[test]
fn whatever_the_schema_refuses_in_a_mutated_scenario_the_loader_refuses() {
    let validator = validator();
    let mutations: Vec<Mutation> = (0..other_kinds().len())
        .map(Mutation::Kind)
        .chain([Mutation::UnknownField, Mutation::Word, Mutation::Positional])
        .collect();
    let (mut refused, mut both) = (0, 0);
    let mut missed = Vec::new();
    for (path, value) in shipped() {
        for pointer in places(&value) {
            for &mutation in &mutations {
                let Some(bad) = mutated(&value, &pointer, mutation) else {
                    continue;
                };
                let errors = objections(&validator, &bad);
                if errors.is_empty() {
                    continue;
                }
                refused += 1;
                match load(&bad) {
                    Err(_) => both += 1,
                    Ok(()) => missed.push(format!(
                        "{} at {pointer:?} ({mutation:?}): the schema says {}",
                        path.display(),
                        errors[0]
                    )),
                }
            }
        }
    }
    assert!(
        missed.is_empty(),
        "{} mutation(s) the schema refuses and the loader takes:\n{}",
        missed.len(),
        missed.join("\n")
    );
    // The mutations reach the schema: this test can fail.
    assert!(
        refused > 1_000 && both == refused,
        "{refused} refused, {both} by both"
    );
    eprintln!("{refused} mutations the schema refuses, each refused by the loader too");
}

#[test]
fn an_array_or_a_word_where_the_format_has_an_object_is_refused_at_its_path() {
    let text = include_str!("../../../../scenarios/tutorial-three-actors.json");
    for (field, given) in [
        ("model", json!([])),
        ("trust", json!([])),
        ("model", json!(["compromise"])),
    ] {
        let mut value: Value = serde_json::from_str(text).unwrap();
        value[field] = given;
        let err = load(&value).unwrap_err();
        assert!(
            err.contains(&format!("$.{field}: expected an object, found an")),
            "{field}: {err}"
        );
    }
    // serde reads a unit variant from an object naming it.
    let mut value: Value = serde_json::from_str(text).unwrap();
    value["model"]["kind"] = json!({"compromise": null});
    let err = load(&value).unwrap_err();
    assert!(
        err.contains("$.model.kind: expected a string, found an object"),
        "{err}"
    );
}

#[test]
fn a_key_given_twice_is_refused_at_its_line_and_column() {
    let text = "{\"id\": \"a\",\n \"id\": \"b\"}";
    let err = parse(Path::new("s.json"), text.as_bytes())
        .unwrap_err()
        .to_string();
    assert_eq!(err, "s.json:2:5: duplicate field `id`");
}
