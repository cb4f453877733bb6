//! The write path: a Moscow run with its log kept in memory (the baseline),
//! written to a file without fsync, and with fsync at every round's end
//! (`--sync round`, the default) or once at the end. The file goes to
//! Cargo's target directory, on the disk a user's logs would go to.
//!
//! cargo bench --bench write

mod common;

use entente_core::RunConfig;
use entente_runner::logfile::Durability;
use entente_runner::simulate::{self, Output};

fn main() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a directory on disk");
    let scenario = common::moscow();
    let runs = 20;
    let config = |seed| RunConfig {
        seed,
        ..RunConfig::default()
    };
    let memory = common::median(5, || {
        for seed in 0..runs {
            std::hint::black_box(simulate::run_to_bytes(&scenario, config(seed)).expect("a log"));
        }
    });
    println!("moscow-2015-12-15, {runs} runs of 26 rounds each, median of 5");
    println!("{:<22} {:>10} {:>12}", "", "ms/run", "× in memory");
    println!(
        "{:<22} {:>10.2} {:>12.2}",
        "log in memory",
        common::ms(memory) / runs as f64,
        1.0
    );
    for (name, durability) in [
        ("file, --sync never", Durability::Never),
        ("file, --sync end", Durability::End),
        ("file, --sync round", Durability::Round),
    ] {
        let t = common::median(5, || {
            for seed in 0..runs {
                let output = Output {
                    path: dir.path().join(format!("run{seed}.jsonl")),
                    durability,
                    replace: true,
                };
                simulate::run_to_file(&scenario, config(seed), Vec::new(), &output)
                    .expect("the log is written");
            }
        });
        println!(
            "{name:<22} {:>10.2} {:>12.2}",
            common::ms(t) / runs as f64,
            t.as_secs_f64() / memory.as_secs_f64()
        );
    }
}
