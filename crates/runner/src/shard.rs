//! Shards: `--shard K/N` cuts a command's units (seeds, issues, inputs or
//! trajectories, variations) into N consecutive, disjoint slices and does
//! the K-th, K from 1. The arithmetic is stated here once, for every
//! shardable command (`sweep`, `score`, `backtest`, `sensitivity`,
//! `check-laws`) and for the merges that check a part's slice.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Most shards a command is split into.
pub const MAX_SHARDS: u64 = 100_000;

/// A half-open range of units (a sweep's seeds), as outputs and parts
/// write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedRange {
    /// First seed.
    pub start: u64,
    /// One past the last seed.
    pub end: u64,
}

impl From<Range<u64>> for SeedRange {
    fn from(range: Range<u64>) -> SeedRange {
        SeedRange {
            start: range.start,
            end: range.end,
        }
    }
}

impl From<SeedRange> for Range<u64> {
    fn from(range: SeedRange) -> Range<u64> {
        range.start..range.end
    }
}

/// Parses `--shard K/N` (K from 1 to N, N at most [`MAX_SHARDS`]).
pub fn parse(text: &str) -> Result<(u64, u64)> {
    let bad = || {
        Error::Usage(format!(
            "--shard {text:?}: expected K/N with 1 ≤ K ≤ N, such as 3/8"
        ))
    };
    let (k, n) = split(text).ok_or_else(bad)?;
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    if n > MAX_SHARDS {
        return Err(Error::Usage(format!(
            "--shard {text:?}: at most {MAX_SHARDS} shards"
        )));
    }
    Ok((k, n))
}

/// `K/N` as written in an output or a part: (K, N), or `None` when it is
/// not two whole numbers around a slash with 1 ≤ K ≤ N (a part that says
/// `1/0` names no shard, and no slice of it can be cut).
pub fn split(text: &str) -> Option<(u64, u64)> {
    let (k, n) = text.split_once('/')?;
    let (k, n): (u64, u64) = (k.trim().parse().ok()?, n.trim().parse().ok()?);
    (1..=n).contains(&k).then_some((k, n))
}

/// The units of shard K of N: the K-th of N consecutive, disjoint slices of
/// `units`, as even as whole units allow.
pub fn slice(units: &Range<u64>, (k, n): (u64, u64)) -> Range<u64> {
    let len = u128::from(units.end - units.start);
    let cut = |i: u64| units.start + (len * u128::from(i) / u128::from(n)) as u64;
    cut(k - 1)..cut(k)
}

/// The units this process does of `planned`: its shard's slice, or all of
/// them.
pub fn units(planned: &Range<u64>, shard: Option<(u64, u64)>) -> Range<u64> {
    shard.map_or_else(|| planned.clone(), |s| slice(planned, s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slices_of_a_range_cover_it_in_order_without_overlap() {
        for n in 1..=12 {
            for units in [0..0, 0..1, 3..10, 0..1000, u64::MAX - 7..u64::MAX] {
                let mut next = units.start;
                for k in 1..=n {
                    let own = slice(&units, (k, n));
                    assert_eq!(own.start, next, "{units:?} {k}/{n}");
                    assert!(own.end >= own.start);
                    // As even as whole units allow.
                    let len = units.end - units.start;
                    assert!(own.end - own.start <= len.div_ceil(n));
                    next = own.end;
                }
                assert_eq!(next, units.end);
            }
        }
        assert_eq!(units(&(0..10), None), 0..10);
        assert_eq!(units(&(0..10), Some((2, 3))), 3..6);
    }

    #[test]
    fn k_of_n_is_parsed_and_checked() {
        assert_eq!(parse("3/8").unwrap(), (3, 8));
        assert_eq!(parse(" 1 / 1 ").unwrap(), (1, 1));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3", "1/100001"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(parse("100000/100000").unwrap(), (100_000, 100_000));
        assert_eq!(split("7/9"), Some((7, 9)));
        assert_eq!(split("7"), None);
    }
}
