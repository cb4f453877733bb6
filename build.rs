//! Finds out, when the tests are built, which outside tools the tests that
//! need them can find (headless Chromium and chromedriver for the browser
//! tests, jq for the README's recipes), so that such a test is listed as
//! ignored with its reason where the tool is missing, instead of passing
//! silently. Where ENTENTE_TOOL_TESTS=required (as in CI), a missing tool
//! fails its test.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(chromium_missing)");
    println!("cargo::rustc-check-cfg=cfg(chromedriver_missing)");
    println!("cargo::rustc-check-cfg=cfg(jq_missing)");
    println!("cargo::rustc-check-cfg=cfg(slurm_missing)");
    println!("cargo::rustc-check-cfg=cfg(parallel_missing)");
    for var in [
        "PATH",
        "ENTENTE_CHROMIUM",
        "ENTENTE_CHROMEDRIVER",
        "ENTENTE_TOOL_TESTS",
        "ENTENTE_SLURM_TESTS",
    ] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    // The cluster tests (tests/cluster.rs): Slurm's daemons and client,
    // munge, and root, which slurmd needs to start jobs.
    if std::env::var("ENTENTE_SLURM_TESTS").as_deref() != Ok("required") {
        let slurm = ["slurmctld", "slurmd", "sbatch", "sinfo", "munged"]
            .iter()
            .all(|tool| on_path(&[tool]).is_some());
        if !slurm || !is_root() {
            println!("cargo::rustc-cfg=slurm_missing");
        }
        if on_path(&["parallel"]).is_none() {
            println!("cargo::rustc-cfg=parallel_missing");
        }
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
    // The workbench's browser test drives Chromium through WebDriver.
    let driver = std::env::var_os("ENTENTE_CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| on_path(&["chromedriver"]));
    if driver.is_none() {
        println!("cargo::rustc-cfg=chromedriver_missing");
    }
    if on_path(&["jq"]).is_none() {
        println!("cargo::rustc-cfg=jq_missing");
    }
}

/// Whether the build runs as root (the tests run as the same user).
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The first of `names` found on the PATH, or in /usr/sbin (daemons).
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let dirs: Vec<PathBuf> = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .collect();
    names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}
