//! Parts of long commands run in shards: `score`, `backtest`,
//! `sensitivity` and `check-laws` take `--shard K/N`, do the K-th of N
//! consecutive slices of their work units (seeds, issues, inputs or
//! trajectories, variations), and write a part; `entente
//! merge` checks that the parts are every shard of one command and combines
//! them into exactly the output the unsharded command writes. Sweeps keep
//! their own part format (`sweep::merge`), which predates this one.
//!
//! A part holds what the command has computed for its units, exactly (counts
//! as integers, each unit's own numbers as the unsharded command computes
//! them), never a partial sum of floating-point numbers, so any split gives
//! the same bytes.

use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::error::Category;

use crate::error::{Error, Result};
use crate::input;
use crate::shard::{self, MAX_SHARDS, SeedRange};

/// The `format` of every part.
pub const FORMAT: &str = "entente-part";
/// The part format version this engine writes.
pub const VERSION: u32 = 1;

/// Which command a part is of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// `entente score`: its units are seeds.
    Score,
    /// `entente backtest`: its units are issues.
    Backtest,
    /// `entente sensitivity`: its units are the inputs or trajectories.
    Sensitivity,
    /// `entente check-laws`: its units are the variations.
    CheckLaws,
    /// `entente score --cross-validate`: its units are the pairs of a
    /// history and a setting.
    CrossValidate,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Score => "score",
            Kind::Backtest => "backtest",
            Kind::Sensitivity => "sensitivity",
            Kind::CheckLaws => "check-laws",
            Kind::CrossValidate => "score --cross-validate",
        }
    }
}

/// One shard of a command: what it was asked, which units it did, and what
/// it found for them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part<T> {
    /// Always [`FORMAT`].
    pub format: String,
    /// The part format version.
    pub version: u32,
    /// The command.
    pub kind: Kind,
    /// The engine that wrote it.
    pub engine: String,
    /// K of K/N.
    pub shard: u64,
    /// N of K/N.
    pub of: u64,
    /// Every unit of the command.
    pub planned: SeedRange,
    /// This shard's units.
    pub units: SeedRange,
    /// The command's settings: every part of one command has the same.
    pub settings: serde_json::Value,
    /// What the shard found.
    pub data: T,
    /// The file the part was read from ([`read`] sets it), which a merge's
    /// messages name; not written.
    #[serde(skip)]
    pub origin: PathBuf,
}

impl<T> Part<T> {
    /// The part as a merge's messages name it: its file and its shard
    /// (`p1.json (part 1/2)`).
    pub fn name(&self) -> String {
        format!(
            "{} (part {}/{})",
            self.origin.display(),
            self.shard,
            self.of
        )
    }
}

impl<T: Serialize> Part<T> {
    /// A part of `kind` for shard `(k, n)` of `planned` units.
    pub fn new(
        kind: Kind,
        (k, n): (u64, u64),
        planned: Range<u64>,
        settings: serde_json::Value,
        data: T,
    ) -> Part<T> {
        let units = shard::slice(&planned, (k, n));
        Part {
            format: FORMAT.to_owned(),
            version: VERSION,
            kind,
            engine: entente_core::log::ENGINE_VERSION.to_owned(),
            shard: k,
            of: n,
            planned: planned.into(),
            units: units.into(),
            settings,
            data,
            origin: PathBuf::new(),
        }
    }

    /// The part as the JSON a shard writes.
    pub fn json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// SHA-256 of `value` as JSON: what a part's settings name an input by, so
/// parts of other content under the same file name do not merge.
pub fn digest(value: &impl Serialize) -> String {
    entente_core::Hash::digest(&serde_json::to_vec(value).unwrap_or_default()).to_string()
}

/// The command the parts in `texts` are of, read once from each: `None`
/// when none is a part of this format (a sweep's outputs, JSON or CSV).
/// Parts of different commands, or parts beside a sweep's output, are
/// refused.
pub fn kind(texts: &[(PathBuf, String)]) -> Result<Option<Kind>> {
    #[derive(Deserialize)]
    struct Probe {
        format: Option<String>,
        kind: Option<Kind>,
    }
    let mut kinds = Vec::with_capacity(texts.len());
    for (path, text) in texts {
        // A JSON file that does not parse whole (a part cut short) is named
        // as such, before what the files hold is compared.
        let probe = if text.trim_start().starts_with('{') {
            match serde_json::from_str::<Probe>(text) {
                Ok(probe) => Some(probe),
                Err(e) if matches!(e.classify(), Category::Syntax | Category::Eof) => {
                    return Err(Error::Usage(format!(
                        "merge: {}: torn or not JSON: {e}",
                        path.display()
                    )));
                }
                Err(_) => None,
            }
        } else {
            None
        }
        .filter(|p| p.format.as_deref() == Some(FORMAT));
        kinds.push(match probe {
            Some(Probe { kind: Some(k), .. }) => Some(k),
            Some(_) => {
                return Err(Error::Usage(format!(
                    "merge: {}: a part that names no command",
                    path.display()
                )));
            }
            None => None,
        });
    }
    let Some(first) = kinds.iter().flatten().next().copied() else {
        return Ok(None);
    };
    if let Some(((other, _), _)) = texts.iter().zip(&kinds).find(|(_, k)| k.is_none()) {
        return Err(Error::Usage(format!(
            "merge: {}: not a part of a sharded command (the parts mix a sweep's output with the parts of another command)",
            other.display()
        )));
    }
    if let Some(other) = kinds.iter().flatten().find(|k| **k != first) {
        return Err(Error::Usage(format!(
            "merge: the parts are of different commands ({} and {})",
            first.name(),
            other.name()
        )));
    }
    Ok(Some(first))
}

/// Reads every part, checks that they are the N shards of one command of
/// `kind`, each once, covering its units without gap or overlap, and returns
/// them in shard order. An incomplete set is refused, naming what is
/// missing.
pub fn read<T: DeserializeOwned>(texts: &[(PathBuf, String)], kind: Kind) -> Result<Vec<Part<T>>> {
    let mut parts: Vec<Part<T>> = texts
        .iter()
        .map(|(p, t)| {
            input::parse_json(p, t.as_bytes()).map(|part: Part<T>| Part {
                origin: p.clone(),
                ..part
            })
        })
        .collect::<Result<_>>()?;
    let bad = |why: String| Err(Error::Usage(format!("merge: {why}")));
    let Some(first) = parts.first() else {
        return bad("no parts given".to_owned());
    };
    let (n, planned, settings, engine) = (
        first.of,
        first.planned,
        first.settings.clone(),
        first.engine.clone(),
    );
    let first_path = texts[0].0.display();
    for (part, (path, _)) in parts.iter().zip(texts) {
        let path = path.display();
        if part.format != FORMAT || part.version != VERSION {
            return bad(format!(
                "{path}: is {} version {}, not an {FORMAT} version {VERSION} file",
                part.format, part.version
            ));
        }
        if part.kind != kind {
            return bad(format!(
                "{path}: is a part of a {} command, {first_path} of a {} command",
                part.kind.name(),
                kind.name()
            ));
        }
        if part.engine != engine {
            return bad(format!(
                "{path}: is not of the same {} command as {first_path} (its engine is {}, not {engine})",
                kind.name(),
                part.engine
            ));
        }
        // Settings are compared by value: a part written again by another
        // tool (`10.0` as `10`) is the same command's.
        if let Some(at) = difference(&part.settings, &settings) {
            return bad(format!(
                "{path}: is not of the same {} command as {first_path} (its settings differ): its $.settings{at} is {}",
                kind.name(),
                at_path(&part.settings, &at).map_or_else(|| "absent".to_owned(), short),
            ));
        }
        if part.of > MAX_SHARDS
            || part.planned.start > part.planned.end
            || part.shard == 0
            || part.shard > part.of
        {
            return bad(format!(
                "{path}: says it is shard {}/{} of units {}..{}, which is no shard of a split (1 ≤ K ≤ N ≤ {MAX_SHARDS}, units A..B with A ≤ B)",
                part.shard, part.of, part.planned.start, part.planned.end
            ));
        }
        if part.of != n || part.planned != planned {
            return bad(format!(
                "{path} and {first_path} are shards of different splits: {path} says shard {}/{} of units {}..{}, {first_path} shard {}/{n} of units {}..{}",
                part.shard,
                part.of,
                part.planned.start,
                part.planned.end,
                first.shard,
                planned.start,
                planned.end
            ));
        }
        let own = shard::slice(&planned.into(), (part.shard, n));
        if (part.units.start, part.units.end) != (own.start, own.end) {
            return bad(format!(
                "{path}: shard {}/{n} claims units {}..{}, not its own {}..{}",
                part.shard, part.units.start, part.units.end, own.start, own.end
            ));
        }
    }
    parts.sort_by_key(|p| p.shard);
    for pair in parts.windows(2) {
        if pair[0].shard == pair[1].shard {
            return bad(format!(
                "shard {}/{n} is given twice: {} and {}",
                pair[0].shard,
                pair[0].origin.display(),
                pair[1].origin.display()
            ));
        }
    }
    // The first few missing shards are named (parts are sorted and unique).
    let mut missing = Vec::new();
    let mut given = parts.iter().map(|p| p.shard).peekable();
    let mut k = 1;
    while k <= n && missing.len() < 10 {
        if given.peek() == Some(&k) {
            given.next();
        } else {
            missing.push(k.to_string());
        }
        k += 1;
    }
    if u64::try_from(parts.len()).unwrap_or(u64::MAX) != n {
        if missing.len() == 10 {
            missing.push("…".to_owned());
        }
        return bad(format!(
            "shard(s) {} of {n} missing; merge every shard of a {} command (a failed shard is re-run alone with the same --shard K/N)",
            missing.join(", "),
            kind.name()
        ));
    }
    Ok(parts)
}

/// Reads the files at `paths` as text, for [`kind`], [`read`] and a
/// sweep's merge.
pub fn texts(paths: &[PathBuf]) -> Result<Vec<(PathBuf, String)>> {
    paths
        .iter()
        .map(|p: &PathBuf| {
            input::read_text(p as &Path, "a part", input::MAX_SWEEP_BYTES).map(|t| (p.clone(), t))
        })
        .collect()
}

/// Where `given` first differs from `expected`, as a JSON path below them
/// (`""` for the values themselves, `.a[2].b` below): `None` when they are
/// equal. Numbers are equal when their values are (`10` and `10.0`), so
/// a part another tool wrote again is still the part it was.
pub fn difference(given: &Value, expected: &Value) -> Option<String> {
    let mut path = String::new();
    differs(given, expected, &mut path).then_some(path)
}

fn differs(given: &Value, expected: &Value, path: &mut String) -> bool {
    let len = path.len();
    let found = match (given, expected) {
        (Value::Number(a), Value::Number(b)) => !same_number(a, b),
        (Value::Array(a), Value::Array(b)) => {
            let unequal = a.iter().zip(b).enumerate().any(|(k, (x, y))| {
                path.truncate(len);
                path.push_str(&format!("[{k}]"));
                differs(x, y, path)
            });
            if !unequal {
                path.truncate(len);
                if a.len() != b.len() {
                    path.push_str(&format!("[{}]", a.len().min(b.len())));
                }
            }
            unequal || a.len() != b.len()
        }
        (Value::Object(a), Value::Object(b)) => {
            // Keys in order, each map's own first (both are sorted maps).
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().any(|key| {
                path.truncate(len);
                path.push('.');
                path.push_str(key);
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => differs(x, y, path),
                    _ => true,
                }
            })
        }
        _ => given != expected,
    };
    if !found {
        path.truncate(len);
    }
    found
}

/// Two JSON numbers of the same value: integers exactly, anything else as
/// the floating-point numbers they are read as.
fn same_number(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    match (a.as_i64(), b.as_i64(), a.as_u64(), b.as_u64()) {
        (Some(x), Some(y), _, _) => x == y,
        (_, _, Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

/// The value at `at` (a path [`difference`] gave) below `value`.
pub fn at_path<'a>(value: &'a Value, at: &str) -> Option<&'a Value> {
    let mut here = value;
    let mut rest = at;
    while !rest.is_empty() {
        if let Some(tail) = rest.strip_prefix('[') {
            let (index, tail) = tail.split_once(']')?;
            here = here.get(index.parse::<usize>().ok()?)?;
            rest = tail;
        } else {
            let tail = rest.strip_prefix('.')?;
            let end = tail.find(['.', '[']).unwrap_or(tail.len());
            here = here.get(&tail[..end])?;
            rest = &tail[end..];
        }
    }
    Some(here)
}

/// A value as a message shows it: JSON, cut short if long.
pub fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}
