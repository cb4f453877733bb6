//! How much work one command may be asked to do, checked in one place
//! before any work starts: worker threads, runs, and the counts of each
//! command's own units. Every command that plays runs (sweep, score,
//! sensitivity, check-laws, backtest) goes through here, so a limit the
//! documentation states holds for all of them.

use std::ops::Range;

use crate::error::{Error, Result};

/// Most worker threads a command starts.
pub const MAX_JOBS: usize = 256;
/// Most runs one command plays; more work is split into shards
/// (`--shard K/N`) and merged.
pub const MAX_RUNS: u64 = 10_000_000;
/// Most variations `check-laws` plays.
pub const MAX_CASES: u32 = 100_000;
/// Most bootstrap resamples of a backtest.
pub const MAX_BOOTSTRAP: u32 = 1_000_000;
/// Most Morris trajectories.
pub const MAX_TRAJECTORIES: u32 = 10_000;

/// The worker threads asked for, or one per core; refused past
/// [`MAX_JOBS`] or at zero.
pub fn jobs(asked: Option<usize>) -> Result<usize> {
    match asked {
        None => Ok(std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(MAX_JOBS)),
        Some(n) if (1..=MAX_JOBS).contains(&n) => Ok(n),
        Some(n) => Err(Error::Usage(format!(
            "--jobs {n}: expected 1 to {MAX_JOBS} worker threads"
        ))),
    }
}

/// Refuses a command that would play more than [`MAX_RUNS`] runs: `runs`
/// for each seed of `seeds`.
pub fn runs(command: &str, seeds: &Range<u64>, per_seed: u128) -> Result<()> {
    let total = u128::from(seeds.end.saturating_sub(seeds.start)) * per_seed;
    if total > u128::from(MAX_RUNS) {
        return Err(Error::Usage(format!(
            "--seeds {}..{}: {command} would play {total} runs; one command plays at most {MAX_RUNS} (fewer seeds, or split the work with --shard K/N and merge the parts)",
            seeds.start, seeds.end
        )));
    }
    Ok(())
}

/// Refuses `value` of `flag` outside `1..=max`.
pub fn count(flag: &str, value: u64, max: u64) -> Result<()> {
    if (1..=max).contains(&value) {
        Ok(())
    } else {
        Err(Error::Usage(format!("{flag} {value}: expected 1 to {max}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_refuse_what_is_past_them_and_take_what_is_within() {
        assert!(jobs(Some(0)).is_err());
        assert!(jobs(Some(MAX_JOBS + 1)).is_err());
        assert_eq!(jobs(Some(MAX_JOBS)).unwrap(), MAX_JOBS);
        assert!((1..=MAX_JOBS).contains(&jobs(None).unwrap()));
        assert!(runs("score", &(0..u64::MAX), 1).is_err());
        assert!(runs("score", &(0..MAX_RUNS), 1).is_ok());
        assert!(runs("score", &(0..MAX_RUNS), 2).is_err());
        assert!(runs("score", &(0..u64::MAX), u128::from(u64::MAX)).is_err());
        assert!(count("--cases", 0, 10).is_err());
        assert!(count("--cases", 11, 10).is_err());
        assert!(count("--cases", 10, 10).is_ok());
    }
}
