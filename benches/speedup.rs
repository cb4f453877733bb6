//! This engine against engine 0.4.0, side by side: each binary sweeps the
//! same seeds of the same scenario with one job, in alternating turns, and
//! the ratio of runs a second is the median of the turns' ratios (which
//! holds when the machine's speed drifts). Targets: the Moscow scenario, the
//! minimal Moscow scenario and the EC table each at least 5× engine 0.4.0's
//! runs a second on one job. Then the commands an analyst waits for, timed
//! with this binary alone: the score of every shipped history at 1,000
//! seeds (target under 5 s) and the sensitivity example of
//! docs/forecasting.md on two jobs (target under 30 s).
//!
//! The baseline is the release build of the commit tagged `v0.4.0`: the
//! bench exports that commit (`git archive`) into
//! `target/baseline-v0.4.0/` and builds it there the first time (several
//! minutes), or takes the binary `ENTENTE_BASELINE` names.
//!
//! cargo bench --bench speedup

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The tag of the engine this one is measured against.
const BASELINE: &str = "v0.4.0";

/// Alternating turns per scenario.
const TURNS: usize = 5;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = PathBuf::from(env!("CARGO_BIN_EXE_entente"));
    let theirs = baseline(root);
    println!(
        "{} against {} ({}), one job, medians of {TURNS} alternating turns",
        version(&ours),
        version(&theirs),
        BASELINE
    );
    println!(
        "{:<32} {:>7} {:>12} {:>12} {:>8}",
        "scenario", "seeds", "0.4.0 runs/s", "runs/s", "ratio"
    );
    for (file, seeds) in [
        ("scenarios/moscow-2015-12-15.json", 2_000),
        ("scenarios/moscow-2015-12-15-minimal.json", 4_000),
        ("scenarios/ec-car-emissions.json", 20_000),
    ] {
        let args = [
            "sweep".to_owned(),
            file.to_owned(),
            "--seeds".to_owned(),
            format!("0..{seeds}"),
            "--jobs".to_owned(),
            "1".to_owned(),
        ];
        let mut turns = Vec::new();
        for _ in 0..TURNS {
            let base = timed(root, &theirs, &args);
            let now = timed(root, &ours, &args);
            turns.push((base, now));
        }
        let rate = |d: Duration| f64::from(seeds) / d.as_secs_f64();
        let base = median(turns.iter().map(|t| t.0.as_secs_f64()));
        let now = median(turns.iter().map(|t| t.1.as_secs_f64()));
        let ratio = median(turns.iter().map(|t| t.0.as_secs_f64() / t.1.as_secs_f64()));
        let name = Path::new(file)
            .file_stem()
            .map_or(file.into(), |s| s.to_string_lossy());
        println!(
            "{name:<32} {seeds:>7} {:>12.0} {:>12.0} {ratio:>7.2}×",
            rate(Duration::from_secs_f64(base)),
            rate(Duration::from_secs_f64(now)),
        );
        common::target_at_least(&format!("{name}: runs/s ÷ 0.4.0's"), ratio, 5.0);
    }
    commands(root, &ours);
}

/// The score of every shipped history at 1,000 seeds, their
/// cross-validation over the shipped grid at 500 seeds a setting, and the
/// sensitivity example of docs/forecasting.md on two jobs, timed with this
/// binary.
fn commands(root: &Path, ours: &Path) {
    let mut histories: Vec<String> = std::fs::read_dir(root.join("scenarios"))
        .expect("the scenarios directory")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".history.json"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    histories.sort();
    let mut score = vec!["score".to_owned()];
    score.extend(histories.iter().cloned());
    score.extend(["--seeds", "0..1000", "--jobs", "2"].map(str::to_owned));
    let sensitivity = [
        "sensitivity",
        "scenarios/moscow-2015-12-15.json",
        "--seeds",
        "0..200",
        "--top",
        "5",
        "--jobs",
        "2",
    ]
    .map(str::to_owned);
    let mut cross = vec!["score".to_owned()];
    cross.extend(histories.iter().cloned());
    cross.extend(
        [
            "--seeds",
            "0..500",
            "--cross-validate",
            "data/grid.json",
            "--jobs",
            "2",
        ]
        .map(str::to_owned),
    );
    for (name, args, at_most, turns) in [
        (
            format!(
                "score of {} histories, 1,000 seeds, 2 jobs",
                histories.len()
            ),
            score,
            5.0,
            3,
        ),
        (
            format!(
                "score --cross-validate of {} histories over data/grid.json, 500 seeds a setting, 2 jobs",
                histories.len()
            ),
            cross,
            120.0,
            1,
        ),
        (
            "sensitivity example (168 inputs, 200 seeds), 2 jobs".to_owned(),
            sensitivity.to_vec(),
            30.0,
            1,
        ),
    ] {
        let secs = median((0..turns).map(|_| timed(root, ours, &args).as_secs_f64()));
        println!("{name}: {secs:.2} s (target < {at_most:.0} s: {})", {
            if secs < at_most { "met" } else { "MISSED" }
        });
    }
}

/// The wall time of one run of `exe` with `args`, in `root`; its output
/// is discarded but it must succeed.
fn timed(root: &Path, exe: &Path, args: &[String]) -> Duration {
    let start = Instant::now();
    let out = Command::new(exe)
        .args(args)
        .current_dir(root)
        .output()
        .expect("the binary runs");
    let elapsed = start.elapsed();
    assert!(
        out.status.success(),
        "{} {}: {}",
        exe.display(),
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    elapsed
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn version(exe: &Path) -> String {
    let out = Command::new(exe)
        .arg("--version")
        .output()
        .expect("the binary runs");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The release binary of [`BASELINE`]: `ENTENTE_BASELINE` if set, else
/// built (once) from an export of the tagged commit under `target/`.
fn baseline(root: &Path) -> PathBuf {
    if let Some(exe) = std::env::var_os("ENTENTE_BASELINE") {
        return PathBuf::from(exe);
    }
    let dir = root.join("target").join(format!("baseline-{BASELINE}"));
    let exe = dir.join("target/release/entente");
    if exe.exists() {
        return exe;
    }
    eprintln!("building {BASELINE} in {} (once)", dir.display());
    std::fs::create_dir_all(&dir).expect("the baseline's directory");
    let archive = Command::new("git")
        .args(["archive", "--format=tar", BASELINE])
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(archive.status.success(), "git archive {BASELINE} failed");
    let mut tar = Command::new("tar")
        .args(["-x", "-C"])
        .arg(&dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("tar runs");
    std::io::Write::write_all(tar.stdin.as_mut().expect("tar's input"), &archive.stdout)
        .expect("the archive is written to tar");
    assert!(tar.wait().expect("tar ends").success(), "tar failed");
    let built = Command::new(env!("CARGO"))
        .args(["build", "--release", "--bin", "entente"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()
        .expect("cargo runs");
    assert!(built.success(), "building {BASELINE} failed");
    exe
}
