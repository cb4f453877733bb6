//! Interval estimates for sweeps.

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_963_984_540_054;

/// k of n as a share (0 when n is 0) with its 95% Wilson interval.
pub fn share(k: u64, n: u64) -> (f64, (f64, f64)) {
    let p = if n == 0 { 0.0 } else { k as f64 / n as f64 };
    (p, wilson(k, n, Z95))
}

/// The Wilson score interval for `k` successes in `n` trials, at `z`.
/// With no trials nothing is known: (0, 1). The interval always contains
/// its estimate k/n: for 0 of n it starts at exactly 0, for n of n it ends
/// at exactly 1 (rounding would otherwise leave a hair of a gap, such as a
/// lower bound of 1.7e-18 for 0 of 1000).
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let k = k.min(n);
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = z * z;
    let denominator = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denominator;
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denominator;
    let lo = if k == 0 {
        0.0
    } else {
        (centre - half).clamp(0.0, p)
    };
    let hi = if k == n {
        1.0
    } else {
        (centre + half).clamp(p, 1.0)
    };
    (lo, hi)
}

/// Paired outcomes of two variants over the same seeds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Paired {
    /// Happened in both.
    pub both: u64,
    /// Happened in A only.
    pub a_only: u64,
    /// Happened in B only.
    pub b_only: u64,
    /// Happened in neither.
    pub neither: u64,
}

impl Paired {
    /// The cell a pair (happened in A, happened in B) is counted in, in the
    /// order of `[both, a_only, b_only, neither]` (a sweep's mergeable
    /// counts).
    pub fn cell(a: bool, b: bool) -> usize {
        match (a, b) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        }
    }

    /// The counts `[both, a_only, b_only, neither]`.
    pub fn from_cells([both, a_only, b_only, neither]: [u64; 4]) -> Paired {
        Paired {
            both,
            a_only,
            b_only,
            neither,
        }
    }

    /// Counts pairs of (happened in A, happened in B), one per seed.
    pub fn count(pairs: impl IntoIterator<Item = (bool, bool)>) -> Paired {
        let mut cells = [0; 4];
        for (a, b) in pairs {
            cells[Paired::cell(a, b)] += 1;
        }
        Paired::from_cells(cells)
    }

    /// Seeds counted.
    pub fn n(&self) -> u64 {
        self.both + self.a_only + self.b_only + self.neither
    }

    /// (p_A, p_B), the share of seeds where it happened in each.
    pub fn proportions(&self) -> (f64, f64) {
        let n = self.n().max(1) as f64;
        (
            (self.both + self.a_only) as f64 / n,
            (self.both + self.b_only) as f64 / n,
        )
    }

    /// p_B − p_A and its 95% interval for paired data: Newcombe's (1998)
    /// method 10, built from the Wilson intervals of the two proportions and
    /// the phi correlation of the pairs, with phi's numerator adjusted as in
    /// Altman et al., *Statistics with Confidence* (2000), p. 52.
    pub fn difference(&self) -> (f64, f64, f64) {
        let n = self.n();
        if n == 0 {
            return (0.0, -1.0, 1.0);
        }
        let nf = n as f64;
        let (a, b, c, d) = (
            self.both as f64,
            self.b_only as f64,
            self.a_only as f64,
            self.neither as f64,
        );
        // Here "1" is variant B and "2" variant A, so θ = p1 − p2 = p_B − p_A.
        let p1 = (a + b) / nf;
        let p2 = (a + c) / nf;
        let (l1, u1) = wilson(self.both + self.b_only, n, Z95);
        let (l2, u2) = wilson(self.both + self.a_only, n, Z95);
        let product = (a + b) * (c + d) * (a + c) * (b + d);
        let cross = a * d - b * c;
        let numerator = if cross > nf / 2.0 {
            cross - nf / 2.0
        } else if cross < 0.0 {
            cross
        } else {
            0.0
        };
        let phi = if product > 0.0 {
            numerator / product.sqrt()
        } else {
            0.0
        };
        let theta = p1 - p2;
        let delta = ((p1 - l1).powi(2) - 2.0 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2).powi(2))
            .max(0.0)
            .sqrt();
        let epsilon = ((u1 - p1).powi(2) - 2.0 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2).powi(2))
            .max(0.0)
            .sqrt();
        (theta, (theta - delta).max(-1.0), (theta + epsilon).min(1.0))
    }
}

/// The value at quantile `q` of a distribution given as sorted
/// `(value, count)` bins: the smallest value whose cumulative count reaches
/// ⌈q·n⌉ (the nearest-rank definition). `None` when empty.
pub fn quantile<T: Copy>(bins: &[(T, u64)], q: f64) -> Option<T> {
    let n: u64 = bins.iter().map(|b| b.1).sum();
    if n == 0 {
        return None;
    }
    let rank = ((q * n as f64).ceil() as u64).clamp(1, n);
    let mut seen = 0;
    for &(value, count) in bins {
        seen += count;
        if seen >= rank {
            return Some(value);
        }
    }
    bins.last().map(|b| b.0)
}

/// The 95% percentile interval of `values` (a bootstrap's resamples): the
/// nearest-rank 2.5% and 97.5% points. `None` when there are none.
pub fn interval95(mut values: Vec<f64>) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let at = |q: f64| values[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
    Some((at(0.025), at(0.975)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: (f64, f64), b: (f64, f64)) -> bool {
        (a.0 - b.0).abs() < 5e-5 && (a.1 - b.1).abs() < 5e-5
    }

    #[test]
    fn wilson_matches_hand_computed_values() {
        // 0 of 10: (0, z²/(n + z²)) = (0, 3.8415/13.8415).
        assert!(close(wilson(0, 10, Z95), (0.0, 0.27753)));
        // 5 of 10: 0.5 ± 1.96·√(0.025 + 0.0096)/1.38415.
        assert!(close(wilson(5, 10, Z95), (0.23659, 0.76341)));
        // 10 of 10 mirrors 0 of 10.
        assert!(close(wilson(10, 10, Z95), (0.72247, 1.0)));
        assert!(close(wilson(1, 20, Z95), (0.00888, 0.23613)));
        assert_eq!(wilson(0, 0, Z95), (0.0, 1.0));
    }

    #[test]
    fn every_wilson_interval_holds_its_estimate_and_the_ends_are_exact() {
        // 0 of 1000 used to start at 1.7e-18, excluding its own estimate.
        assert_eq!(wilson(0, 1000, Z95).0, 0.0);
        assert_eq!(wilson(1000, 1000, Z95).1, 1.0);
        for n in [1u64, 2, 3, 7, 10, 99, 1000, 12_345] {
            for k in 0..=n.min(60) {
                for k in [k, n - k] {
                    let (lo, hi) = wilson(k, n, Z95);
                    let p = k as f64 / n as f64;
                    assert!(lo <= p && p <= hi, "{k} of {n}: [{lo}, {hi}] misses {p}");
                    assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi));
                }
            }
        }
    }

    #[test]
    fn newcombe_paired_difference_matches_an_independent_computation() {
        // Both 8, A only 5, B only 4, neither 13: p_B − p_A = (12 − 13)/30.
        // Expected limits from a separate implementation of the same
        // formulas (biostatUZH's confIntPairedProportion, in Python).
        let p = Paired {
            both: 8,
            a_only: 5,
            b_only: 4,
            neither: 13,
        };
        let (theta, lo, hi) = p.difference();
        assert!((theta - -1.0 / 30.0).abs() < 1e-12);
        assert!((lo - -0.226_361_887_701_710_4).abs() < 1e-9, "{lo}");
        assert!((hi - 0.163_893_102_994_916_5).abs() < 1e-9, "{hi}");
    }

    #[test]
    fn identical_variants_differ_by_nothing() {
        let p = Paired {
            both: 30,
            a_only: 0,
            b_only: 0,
            neither: 70,
        };
        let (theta, lo, hi) = p.difference();
        assert_eq!(theta, 0.0);
        assert!((lo - -0.024_267_220_846_324_745).abs() < 1e-9, "{lo}");
        assert!((hi - 0.024_267_220_846_324_745).abs() < 1e-9, "{hi}");
    }

    #[test]
    fn quantiles_by_nearest_rank() {
        let bins = [(1u32, 2u64), (4, 1), (9, 7)];
        assert_eq!(quantile(&bins, 0.1), Some(1));
        assert_eq!(quantile(&bins, 0.2), Some(1));
        assert_eq!(quantile(&bins, 0.3), Some(4));
        assert_eq!(quantile(&bins, 0.5), Some(9));
        assert_eq!(quantile(&bins, 1.0), Some(9));
        assert_eq!(quantile::<u32>(&[], 0.5), None);
    }
}
