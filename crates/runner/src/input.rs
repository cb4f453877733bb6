//! Reading what users give us, within limits.
//!
//! Every file is read with a size limit, and JSON is scanned for nesting depth
//! (iteratively, so no input can exhaust the stack) before serde sees it.
//! Parse errors carry the line, the column and the JSON path.

use std::fmt::{self, Write as _};
use std::fs::File;
use std::io::Read;
use std::path::Path;

use entente_core::Problem;
use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Number, Value};

use crate::error::{Error, Result};

/// Largest scenario file, in bytes.
pub const MAX_SCENARIO_BYTES: u64 = 16 << 20;
/// Largest event given on the command line or in a file, in bytes.
pub const MAX_EVENT_BYTES: u64 = 64 << 10;
/// Largest line of a log (the header holds the whole scenario), in bytes.
pub const MAX_LOG_LINE_BYTES: u64 = MAX_SCENARIO_BYTES + (1 << 20);
/// Deepest JSON nesting accepted in any input.
pub const MAX_NESTING: usize = 32;
/// Largest sweep output or part, in bytes.
pub const MAX_SWEEP_BYTES: u64 = 1 << 30;

/// What a file holds, judged by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// An Entente log (its header names the log format).
    Log,
    /// The JSON output of a sweep.
    Sweep,
    /// A part of a sharded command, for `merge`.
    Part,
    /// Anything else, or nothing (the file does not exist).
    Other,
}

/// Opens the input at `path`, which must be a regular file: a FIFO would
/// hang the reader until a writer came, a device (`/dev/zero`) never ends,
/// and a directory is not a file. The file is opened without blocking and
/// its type checked on the open handle, so nothing can swap it in between.
pub fn open(path: &Path) -> Result<File> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| Error::io(path, "cannot open", e))?;
    let kind = file
        .metadata()
        .map_err(|e| Error::io(path, "cannot read", e))?
        .file_type();
    if kind.is_file() {
        return Ok(file);
    }
    let what = if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_dir() {
        "a directory"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a file"
    };
    Err(Error::Usage(format!(
        "{}: {what}; expected a regular file",
        path.display()
    )))
}

/// What the file at `path` holds. A file that cannot be opened (or is not
/// a regular file) is [`FileKind::Other`]; the caller meets the real error
/// when it reads it.
pub fn sniff(path: &Path) -> FileKind {
    let mut head = [0u8; 256];
    let n = match open(path) {
        Ok(mut f) => f.read(&mut head).unwrap_or(0),
        Err(_) => return FileKind::Other,
    };
    let compact: Vec<u8> = head[..n]
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    if compact.starts_with(br#"{"format":"entente-log""#) {
        FileKind::Log
    } else if compact.starts_with(br#"{"format":"entente-sweep""#) {
        FileKind::Sweep
    } else if compact.starts_with(br#"{"format":"entente-part""#) {
        FileKind::Part
    } else {
        FileKind::Other
    }
}

/// Reads a whole UTF-8 text file of at most `limit` bytes.
pub fn read_text(path: &Path, what: &'static str, limit: u64) -> Result<String> {
    let bytes = read_limited(path, what, limit)?;
    String::from_utf8(bytes)
        .map_err(|_| Error::Usage(format!("{}: not UTF-8 text", path.display())))
}

/// Reads a whole file of at most `limit` bytes. A file whose size (read
/// from the open handle) is already above the limit is refused before a
/// byte is read, so a 1 GB part costs nothing to refuse; the read is still
/// limited, for a file that grows while it is read.
pub fn read_limited(path: &Path, what: &'static str, limit: u64) -> Result<Vec<u8>> {
    let file = open(path)?;
    let too_large = |size: u64| Error::TooLarge {
        path: path.to_owned(),
        what,
        size,
        limit,
    };
    let size = file
        .metadata()
        .map_err(|e| Error::io(path, "cannot read", e))?
        .len();
    if size > limit {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, "cannot read", e))?;
    if bytes.len() as u64 > limit {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(too_large(size));
    }
    Ok(bytes)
}

/// Parses JSON into `T`, after checking its nesting depth. Errors name the
/// file (`origin`), the line and column, and the JSON path.
pub fn parse_json<T: DeserializeOwned>(origin: &Path, bytes: &[u8]) -> Result<T> {
    check_encoding(origin, bytes)?;
    check_nesting(origin, bytes)?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let inner = e.into_inner();
        syntax(origin, &inner, Some(&path))
    })?;
    de.end().map_err(|e| syntax(origin, &e, None))?;
    Ok(value)
}

/// Parses JSON into a [`Value`], after checking its encoding and nesting
/// depth: the one parse of a file whose typed form is then read from the
/// value ([`from_value`]). A syntax error names the line and column; so
/// does an object that gives one key twice, which a value could not hold
/// (serde's derive refuses a field given twice).
pub fn parse_value(origin: &Path, bytes: &[u8]) -> Result<Value> {
    check_encoding(origin, bytes)?;
    check_nesting(origin, bytes)?;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let Strict(value) = Strict::deserialize(&mut de).map_err(|e| syntax(origin, &e, None))?;
    de.end().map_err(|e| syntax(origin, &e, None))?;
    Ok(value)
}

/// Reads `T` from `value`, which [`parse_value`] made of `bytes`, read from
/// `origin`. A type error names its JSON path, and its line and column: a
/// value knows no places, so the bytes of a file that fails here are parsed
/// once more, as `T`, to find where serde stops.
pub fn from_value<T: DeserializeOwned>(origin: &Path, bytes: &[u8], value: &Value) -> Result<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(typed) => Ok(typed),
        Err(e) => match parse_json::<T>(origin, bytes) {
            Err(located) => Err(located),
            // Never met: the bytes hold the value. Said with its path alone.
            Ok(_) => Err(Error::Scenario {
                path: origin.to_owned(),
                problems: vec![Problem {
                    path: json_path(&e.path().to_string()),
                    message: e.into_inner().to_string(),
                }],
            }),
        },
    }
}

/// Every place where `given` (what a file holds) has another kind of value
/// than `typed` (the same value read as its type and written again). serde
/// takes some such values: its derive reads a struct from an array, field
/// by field in order (so `"model": []` would be every default), and a unit
/// variant from an object whose one key names it; this refuses them, as the
/// file's JSON Schema does. Places the typed form leaves out (defaults it
/// does not write) are not compared.
pub fn kind_mismatches(given: &Value, typed: &Value) -> Vec<Problem> {
    let mut found = Vec::new();
    compare_kinds(given, typed, &mut String::from("$"), &mut found);
    found
}

fn compare_kinds(given: &Value, typed: &Value, path: &mut String, found: &mut Vec<Problem>) {
    let len = path.len();
    match (given, typed) {
        (Value::Object(given), Value::Object(typed)) => {
            for (key, value) in given {
                if let Some(other) = typed.get(key) {
                    path.push('.');
                    path.push_str(key);
                    compare_kinds(value, other, path, found);
                    path.truncate(len);
                }
            }
        }
        (Value::Array(given), Value::Array(typed)) => {
            for (k, (value, other)) in given.iter().zip(typed).enumerate() {
                let _ = write!(path, "[{k}]");
                compare_kinds(value, other, path, found);
                path.truncate(len);
            }
        }
        _ if kind(given) == kind(typed) => {}
        _ => found.push(Problem {
            path: path.clone(),
            message: format!("expected {}, found {}", kind(typed), shown(given)),
        }),
    }
}

/// A value's kind, in words.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value as a message shows it: a scalar as written, a list or an object
/// by its kind.
fn shown(value: &Value) -> String {
    match value {
        Value::Array(items) if items.is_empty() => "an empty array".to_owned(),
        Value::Object(fields) if fields.is_empty() => "an empty object".to_owned(),
        Value::Array(_) | Value::Object(_) => kind(value).to_owned(),
        Value::String(text) if text.chars().count() > 40 => {
            let start: String = text.chars().take(40).collect();
            format!("the string \"{start}…\"")
        }
        Value::String(text) => format!("the string {text:?}"),
        scalar => scalar.to_string(),
    }
}

/// A JSON value that refuses an object giving one key twice.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Strict, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut fields = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if fields.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            let Strict(value) = map.next_value()?;
            fields.insert(key, value);
        }
        Ok(Value::Object(fields))
    }
}

/// `stances[2].position` → `$.stances[2].position`.
fn json_path(serde_path: &str) -> String {
    match serde_path {
        "" | "." => "$".to_owned(),
        p if p.starts_with('[') => format!("${p}"),
        p => format!("$.{p}"),
    }
}

fn syntax(origin: &Path, e: &serde_json::Error, path: Option<&str>) -> Error {
    // serde_json appends " at line L column C"; we print the place first.
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    // serde_json reports a number or null where a choice (`"high"`) is
    // expected as a syntax error ("expected value"); the path says where.
    let named =
        |p: &str| p != "$" && !e.is_eof() && (!e.is_syntax() || message == "expected value");
    let message = match path {
        Some(p) if named(p) => format!("{p}: {message}"),
        _ => message,
    };
    Error::Syntax {
        path: origin.to_owned(),
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Refuses text that is not plain UTF-8, naming the encoding it is in:
/// a byte-order mark, or UTF-16 (NUL bytes between ASCII characters).
fn check_encoding(origin: &Path, bytes: &[u8]) -> Result<()> {
    let message = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        "the file starts with a UTF-8 byte-order mark; save it as UTF-8 without one"
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        "the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
    } else if bytes.iter().take(64).any(|&b| b == 0) {
        "the file holds NUL bytes, as UTF-16 or UTF-32 text does; save it as UTF-8"
    } else {
        return Ok(());
    };
    Err(Error::Syntax {
        path: origin.to_owned(),
        line: 1,
        column: 1,
        message: message.to_owned(),
    })
}

/// Refuses JSON nested deeper than [`MAX_NESTING`], naming where.
fn check_nesting(origin: &Path, bytes: &[u8]) -> Result<()> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &b in bytes {
        if b == b'\n' {
            line += 1;
            column = 0;
        } else {
            column += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(Error::Syntax {
                        path: origin.to_owned(),
                        line,
                        column,
                        message: format!("JSON nested deeper than {MAX_NESTING} levels"),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Doc {
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        x: f64,
    }

    fn err(json: &str) -> String {
        parse_json::<Doc>(Path::new("f.json"), json.as_bytes())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        assert_eq!(
            err("{\"items\": [\n  {\"x\": 1},\n  {\"x\": 2,}\n]}"),
            "f.json:3:11: trailing comma"
        );
    }

    /// A number where a choice is expected: serde_json calls it a syntax
    /// error ("expected value"), and the path still says where.
    #[test]
    fn a_number_for_a_choice_names_its_path() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Choosing {
            toward: entente_core::scenario::Toward,
        }
        let e = parse_json::<Choosing>(Path::new("f.json"), br#"{"toward": 1}"#)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "f.json:1:12: $.toward: expected value");
    }

    #[test]
    fn type_errors_have_the_json_path() {
        assert_eq!(
            err("{\"items\": [{\"x\": 1}, {\"x\": \"two\"}]}"),
            "f.json:1:32: $.items[1].x: invalid type: string \"two\", expected f64"
        );
    }

    #[test]
    fn a_byte_order_mark_or_utf16_is_named() {
        let json = "{\"items\": []}";
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(json.as_bytes());
        let e = parse_json::<Doc>(Path::new("f.json"), &bom)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("f.json:1:1: the file starts with a UTF-8 byte-order mark"),
            "{e}"
        );
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(json.encode_utf16().flat_map(u16::to_le_bytes));
        let e = parse_json::<Doc>(Path::new("f.json"), &utf16)
            .unwrap_err()
            .to_string();
        assert!(e.contains("is UTF-16"), "{e}");
        let bare: Vec<u8> = json.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let e = parse_json::<Doc>(Path::new("f.json"), &bare)
            .unwrap_err()
            .to_string();
        assert!(e.contains("NUL bytes"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let deep = "[".repeat(100_000);
        assert_eq!(
            err(&deep),
            format!(
                "f.json:1:{}: JSON nested deeper than 32 levels",
                MAX_NESTING + 1
            )
        );
        // Brackets inside strings are text, not nesting.
        let quoted = format!("{{\"items\": [], \"s\": \"{}\"}}", "[".repeat(100));
        assert!(parse_json::<Doc>(Path::new("f.json"), quoted.as_bytes()).is_ok());
    }
}
