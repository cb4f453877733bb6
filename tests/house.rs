//! A house rule that no lint states: the 0–100 scale's clamp and mirror are
//! written once, in crates/core/src/scale.rs. (Function length is clippy's
//! `too_many_lines`; file length a warning `.ci/run` prints.)

use std::fs;
use std::path::PathBuf;

use crate::util::root;

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
