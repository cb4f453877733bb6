//! Replay (verify + fold) of a log of about 700,000 events, against two
//! naive readers of the same file: a parse of every line into
//! `serde_json::Value`, and a typed parse into owned structs. Targets:
//! replay ≤ 0.8× the `Value` parse and ≤ 1.0× the typed parse (replay may
//! use every core; the baselines are what a reader would write first).
//!
//! cargo bench --bench replay

mod common;

use std::fs::File;
use std::io::{BufRead, BufReader};

use serde::Deserialize;

/// The log line as plain typed data: what the bare parse parses into.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Line {
    seq: u64,
    round: u32,
    date: String,
    cameo: String,
    goldstein: f64,
    event: entente_core::Event,
    hash: String,
}

fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("long.jsonl");
    let events = common::write_log(&common::moscow_with_strikes(30, 8_700), &path);
    let bytes = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "log: {events} events, {:.0} MB, {:.0} bytes per line",
        bytes as f64 / 1e6,
        bytes as f64 / events as f64
    );

    let value = || {
        let mut reader = BufReader::with_capacity(1 << 16, File::open(&path).expect("the log"));
        let mut line = Vec::new();
        let mut n = 0u64;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).expect("a line") == 0 {
                break;
            }
            let parsed: serde_json::Value = serde_json::from_slice(&line).expect("a line");
            std::hint::black_box(&parsed);
            n += 1;
        }
        assert_eq!(n, events + 1);
    };
    let parse = || {
        let mut reader = BufReader::with_capacity(1 << 16, File::open(&path).expect("the log"));
        let mut line = Vec::new();
        reader.read_until(b'\n', &mut line).expect("the header");
        let mut n = 0u64;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).expect("a line") == 0 {
                break;
            }
            let parsed: Line = serde_json::from_slice(&line).expect("a typed line");
            std::hint::black_box(&parsed);
            n += 1;
        }
        assert_eq!(n, events);
    };
    let replay = || {
        let replayed = entente_runner::replay::replay(&path, |_, _| {}).expect("the log verifies");
        assert_eq!(replayed.events, events);
    };
    // The three in turn, seven times: each ratio is the median of the
    // ratios within a turn, which holds when the machine's speed drifts.
    let timed = |f: &dyn Fn()| {
        let start = std::time::Instant::now();
        f();
        start.elapsed()
    };
    replay();
    let turns: Vec<[std::time::Duration; 3]> = (0..7)
        .map(|_| [timed(&value), timed(&parse), timed(&replay)])
        .collect();
    let median_of = |f: &dyn Fn(&[std::time::Duration; 3]) -> f64| {
        let mut v: Vec<f64> = turns.iter().map(f).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let secs = |k: usize| std::time::Duration::from_secs_f64(median_of(&|t| t[k].as_secs_f64()));
    let (value, parse, replay) = (secs(0), secs(1), secs(2));
    let per = |d: std::time::Duration| events as f64 / d.as_secs_f64() / 1e6;
    for (name, d) in [
        ("Value parse", value),
        ("typed parse", parse),
        ("replay", replay),
    ] {
        println!(
            "{name:<12}: {:>8.0} ms  {:.2} M events/s",
            common::ms(d),
            per(d)
        );
    }
    common::target(
        "replay / Value parse",
        median_of(&|t| t[2].as_secs_f64() / t[0].as_secs_f64()),
        0.8,
    );
    common::target(
        "replay / typed parse",
        median_of(&|t| t[2].as_secs_f64() / t[1].as_secs_f64()),
        1.0,
    );

    // Where the difference goes: the hash chain alone over the same lines.
    let hashing = common::median(5, || {
        let mut reader = BufReader::with_capacity(1 << 16, File::open(&path).expect("the log"));
        let mut line = Vec::new();
        let mut verifier = entente_core::Verifier::default();
        reader.read_until(b'\n', &mut line).expect("the header");
        line.pop();
        verifier.header(&line).expect("the header verifies");
        let mut chain = entente_core::Hash::genesis();
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line).expect("a line") == 0 {
                break;
            }
            line.pop();
            chain = entente_core::Hash::digest(&line);
        }
        std::hint::black_box(chain);
    });
    println!(
        "SHA-256 of every line alone: {:.0} ms ({:.0} ns a line, {:.0}% of the parse)",
        common::ms(hashing),
        hashing.as_secs_f64() / events as f64 * 1e9,
        100.0 * hashing.as_secs_f64() / parse.as_secs_f64()
    );
}
