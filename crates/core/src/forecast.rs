//! The two forecasts reported every round, whatever the model: the
//! capability×salience weighted mean and the weighted (Condorcet) median.

use serde::Serialize;

/// The two forecasts of one issue.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Forecasts {
    /// The capability×salience weighted mean.
    pub mean: f64,
    /// The weighted (Condorcet) median.
    pub median: f64,
}

/// Both forecasts from one list of `(position, weight)` points, the middle
/// of the scale (50) for an issue without weight. The points are sorted in
/// place once and both sums run in that order, so the bits are those of
/// [`weighted_mean`] and [`weighted_median`] called alone.
pub fn forecasts(points: &mut [(f64, f64)]) -> Forecasts {
    sort(points);
    Forecasts {
        mean: mean_of_sorted(points).unwrap_or(50.0),
        median: median_of_sorted(points).unwrap_or(50.0),
    }
}

/// Σ w·x / Σ w over `(position, weight)` points; `None` when there are no
/// points or no weight. The sums run in sorted order, so the mean does not
/// depend, even in its last bit, on the order in which actors are listed.
/// Rounding can put the quotient a hair outside the points' range
/// (100.00000000000001 when every point is 100), so it is clamped to that
/// range, where the mean lies.
pub fn weighted_mean(points: &[(f64, f64)]) -> Option<f64> {
    weighted_mean_in_place(&mut points.to_vec())
}

/// [`weighted_mean`], sorting `points` in place instead of a copy.
pub fn weighted_mean_in_place(points: &mut [(f64, f64)]) -> Option<f64> {
    sort(points);
    mean_of_sorted(points)
}

/// The position x among the points' positions that minimises Σ w·|x − x_k|:
/// the Condorcet winner of pairwise majority votes weighted by w. When two
/// positions tie, the lower one wins. Sorts `points` in place.
pub fn weighted_median(points: &mut [(f64, f64)]) -> Option<f64> {
    sort(points);
    median_of_sorted(points)
}

/// The one order every sum runs in: by position, then by weight. Points
/// equal in this order are equal in every bit, so an unstable sort gives
/// the same sequence as a stable one.
fn sort(points: &mut [(f64, f64)]) {
    points.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
}

/// [`weighted_mean`] of points already sorted.
fn mean_of_sorted(sorted: &[(f64, f64)]) -> Option<f64> {
    let mut sum_w = 0.0;
    let mut sum_wx = 0.0;
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &(x, w) in sorted {
        sum_w += w;
        sum_wx += w * x;
        lo = lo.min(x);
        hi = hi.max(x);
    }
    (sum_w > 0.0).then(|| (sum_wx / sum_w).clamp(lo, hi))
}

/// [`weighted_median`] of points already sorted.
fn median_of_sorted(points: &[(f64, f64)]) -> Option<f64> {
    let total: f64 = points.iter().map(|p| p.1).sum();
    if points.is_empty() || total <= 0.0 {
        return None;
    }
    // The objective falls while the weight at or below x is under half the
    // total; the first position where it reaches half is the lowest minimiser.
    // Weight is accumulated in sorted order, so the answer does not depend on
    // the order in which actors are listed. Weights are products of decimal
    // inputs (0.1 + 0.2 is not 0.3 in binary), so reaching half within a
    // relative 1e-12 counts as a tie, which goes to the lower position.
    let half = total * (0.5 - 0.5e-12);
    let mut below = 0.0;
    for &(x, w) in points {
        below += w;
        if below >= half {
            return Some(x);
        }
    }
    points.last().map(|p| p.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The median by its definition: the lowest position minimising Σ w·|x − x_k|.
    fn brute_median(points: &[(f64, f64)]) -> f64 {
        let cost = |x: f64| points.iter().map(|&(y, w)| w * (x - y).abs()).sum::<f64>();
        let mut best = (f64::INFINITY, f64::INFINITY);
        for &(x, _) in points {
            let c = cost(x);
            if c < best.0 - 1e-12 || ((c - best.0).abs() <= 1e-12 && x < best.1) {
                best = (c, x);
            }
        }
        best.1
    }

    #[test]
    fn mean_of_the_ec_table() {
        let ec = [
            (4.0, 0.08 * 0.8),
            (7.0, 0.08 * 0.4),
            (4.0, 0.03 * 0.2),
            (4.0, 0.16 * 0.8),
            (10.0, 0.16 * 0.6),
            (10.0, 0.16 * 0.6),
            (10.0, 0.16 * 0.9),
            (7.0, 0.05 * 0.1),
            (4.0, 0.05 * 1.0),
            (7.0, 0.08 * 0.7),
        ];
        let mean = weighted_mean(&ec).unwrap();
        assert!((mean - 7.389955686853767).abs() < 1e-12);
        assert_eq!(weighted_median(&mut ec.clone()), Some(7.0));
    }

    #[test]
    fn ties_go_to_the_lower_position() {
        assert_eq!(weighted_median(&mut [(10.0, 1.0), (20.0, 1.0)]), Some(10.0));
        // 0.1 + 0.2 is a hair above 0.3 in binary: still a tie.
        assert_eq!(
            weighted_median(&mut [(10.0, 0.1), (15.0, 0.2), (20.0, 0.3)]),
            Some(15.0)
        );
        assert_eq!(
            weighted_median(&mut [(10.0, 0.3), (15.0, 0.1), (20.0, 0.2)]),
            Some(10.0)
        );
        assert_eq!(weighted_median(&mut [(20.0, 1.0), (10.0, 1.0)]), Some(10.0));
        assert_eq!(
            weighted_median(&mut [(0.0, 1.0), (50.0, 2.0), (100.0, 1.0)]),
            Some(50.0)
        );
    }

    #[test]
    fn the_mean_of_equal_points_is_that_point() {
        let points = [(100.0, 0.3), (100.0, 0.7), (100.0, 0.1)];
        assert_eq!(weighted_mean(&points), Some(100.0));
    }

    #[test]
    fn both_forecasts_at_once_are_each_alone() {
        let points = [
            (40.0, 0.3),
            (10.0, 0.5),
            (40.0, 0.1),
            (75.5, 0.7),
            (10.0, 0.5),
        ];
        let both = forecasts(&mut points.clone());
        assert_eq!(
            both.mean.to_bits(),
            weighted_mean(&points).unwrap().to_bits()
        );
        assert_eq!(both.median, weighted_median(&mut points.clone()).unwrap());
        assert_eq!(
            forecasts(&mut []),
            Forecasts {
                mean: 50.0,
                median: 50.0
            }
        );
    }

    #[test]
    fn nothing_to_forecast() {
        assert_eq!(weighted_mean(&[]), None);
        assert_eq!(weighted_median(&mut []), None);
    }

    proptest::proptest! {
        #[test]
        fn median_minimises_the_weighted_distance(
            pts in proptest::collection::vec((0u32..=100, 1u32..=20), 1..12)
        ) {
            // Integer positions and weights make ties common, and exact.
            let points: Vec<(f64, f64)> =
                pts.iter().map(|&(x, w)| (f64::from(x), f64::from(w))).collect();
            let expected = brute_median(&points);
            proptest::prop_assert_eq!(weighted_median(&mut points.clone()), Some(expected));
        }
    }
}
