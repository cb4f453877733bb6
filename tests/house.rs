//! The house rules of the source tree, held by a test: no source file over
//! 600 lines and no function over 120, so that every file stays something a
//! newcomer can hold in their head.

use std::fs;
use std::path::{Path, PathBuf};

use crate::util::root;

const MAX_FILE_LINES: usize = 600;
const MAX_FUNCTION_LINES: usize = 120;

/// Every Rust source file of the product, its tests and its benchmarks.
fn sources() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs: Vec<PathBuf> = ["crates", "tests", "benches"]
        .iter()
        .map(|d| root().join(d))
        .collect();
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The functions of a file over the limit: a `fn` line with a body, to the
/// closing brace at the same indentation (rustfmt's layout).
fn long_functions(path: &Path, text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let is_fn = [
            "fn ",
            "pub fn ",
            "pub(crate) fn ",
            "pub(super) fn ",
            "const fn ",
        ]
        .iter()
        .any(|p| trimmed.starts_with(p));
        if !is_fn || trimmed.ends_with(';') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        let close = format!("{}}}", " ".repeat(indent));
        let end = lines[i..]
            .iter()
            .position(|l| *l == close || l.starts_with(&format!("{close} ")))
            .map_or(lines.len(), |k| i + k);
        if end - i + 1 > MAX_FUNCTION_LINES {
            long.push(format!(
                "{}:{} ({} lines)",
                path.display(),
                i + 1,
                end - i + 1
            ));
        }
    }
    long
}

#[test]
fn no_source_file_or_function_outgrows_the_house_rules() {
    let mut broken = Vec::new();
    for path in sources() {
        let text = fs::read_to_string(&path).unwrap();
        let n = text.lines().count();
        if n > MAX_FILE_LINES {
            broken.push(format!("{}: {n} lines", path.display()));
        }
        broken.extend(long_functions(&path, &text));
    }
    assert!(
        broken.is_empty(),
        "files over {MAX_FILE_LINES} lines or functions over {MAX_FUNCTION_LINES}:\n{}",
        broken.join("\n")
    );
}

/// The 0–100 scale is stated once (crates/core/src/scale.rs): every clamp
/// onto it and every mirror x → 100 − x goes through `scale::clamp` and
/// `scale::mirror`, so no copy of either can drift.
#[test]
fn the_scales_clamp_and_mirror_are_written_once() {
    // The scale's own file, and this one, which names the copies it seeks.
    let exempt = [
        root().join("crates/core/src/scale.rs"),
        root().join("tests/house.rs"),
    ];
    let copies = [".clamp(0.0, 100.0)", "100.0 - "];
    let mut found = Vec::new();
    for path in sources().into_iter().filter(|p| !exempt.contains(p)) {
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if copies.iter().any(|c| line.contains(c)) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the scale's clamp or mirror written out again (use entente_core::scale):\n{}",
        found.join("\n")
    );
}
