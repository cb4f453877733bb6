//! Memory: replaying a log of about 1 GB, and sweeps of 1,000 and 10,000
//! seeds, each measured in a process of its own by its peak resident set
//! (VmHWM). Targets: replay of 1 GB under 64 MB; a sweep's peak that does not
//! grow with the number of seeds.
//!
//! cargo bench --bench memory

mod common;

use std::path::Path;
use std::process::Command;

const GB: u64 = 1 << 30;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") => generate(Path::new(&args[2])),
        Some("replay") => {
            let r = entente_runner::replay::replay(Path::new(&args[2]), |_, _| {})
                .expect("the log verifies");
            println!("{} {}", r.events, common::peak_rss_bytes().unwrap_or(0));
        }
        Some("sweep") => {
            let n: u64 = args[2].parse().expect("a number of seeds");
            let plan = entente_runner::sweep::Plan::quiet(vec![common::moscow()], 0..n, 2);
            entente_runner::sweep::sweep(&plan).expect("the sweep runs");
            println!("{n} {}", common::peak_rss_bytes().unwrap_or(0));
        }
        _ => measure(),
    }
}

/// Writes a log of a little over 1 GB: the Moscow scenario with a thousand
/// strikes per striker per round, for as many rounds as that takes.
fn generate(path: &Path) {
    let events = common::write_log(&common::moscow_with_strikes(1_000, 1_800), path);
    println!("{events}");
}

fn child(args: &[&str]) -> String {
    let exe = std::env::current_exe().expect("the benchmark's own path");
    let out = Command::new(exe)
        .args(args)
        .output()
        .expect("the child runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn measure() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("one-gigabyte.jsonl");
    let events = child(&["generate", path.to_str().expect("a UTF-8 path")]);
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    let replay = child(&["replay", path.to_str().expect("a UTF-8 path")]);
    let peak: u64 = replay
        .split(' ')
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let mb = |b: u64| b as f64 / (1 << 20) as f64;
    println!(
        "replay of a {:.2} GB log ({events} events): peak RSS {:.1} MB",
        size as f64 / GB as f64,
        mb(peak)
    );
    println!(
        "  peak / log size: {:.4} (target: under 64 MB: {})",
        peak as f64 / size as f64,
        if peak < 64 << 20 { "met" } else { "MISSED" }
    );
    let small: u64 = child(&["sweep", "1000"])
        .split(' ')
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let large: u64 = child(&["sweep", "10000"])
        .split(' ')
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    println!(
        "sweep peak RSS: 1,000 seeds {:.1} MB, 10,000 seeds {:.1} MB: {:.2}× for 10× the seeds",
        mb(small),
        mb(large),
        large as f64 / small as f64
    );
}
