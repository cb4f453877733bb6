//! Finds out, when the tests are built, which outside tools the tests that
//! need them can find (headless Chromium for the browser test, jq for the
//! README's recipes), so that such a test is listed as ignored with its
//! reason where the tool is missing, instead of passing silently. Where
//! ENTENTE_TOOL_TESTS=required (as in CI), a missing tool fails its test.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(chromium_missing)");
    println!("cargo::rustc-check-cfg=cfg(jq_missing)");
    for var in ["PATH", "ENTENTE_CHROMIUM", "ENTENTE_TOOL_TESTS"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    let required = std::env::var("ENTENTE_TOOL_TESTS").as_deref() == Ok("required");
    if required {
        return;
    }
    let chromium = std::env::var_os("ENTENTE_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| on_path(&["chromium", "chromium-browser", "google-chrome"]));
    if chromium.is_none() {
        println!("cargo::rustc-cfg=chromium_missing");
    }
    if on_path(&["jq"]).is_none() {
        println!("cargo::rustc-cfg=jq_missing");
    }
}

/// The first of `names` found on the PATH.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}
