//! The 0–100 scale every position, forecast and threshold lies on.
//!
//! What a point of the scale means is the business (its `low` and
//! `high` ends); that it lies within 0–100 is stated here, once, and every
//! check, clamp and reflection goes through these functions.

/// The low end of every issue's scale.
pub const LOW: f64 = 0.0;
/// The high end of every issue's scale.
pub const HIGH: f64 = 100.0;

/// Whether `x` is a point of the scale: finite and within 0–100.
pub fn contains(x: f64) -> bool {
    x.is_finite() && (LOW..=HIGH).contains(&x)
}

/// `x` brought onto the scale.
pub fn clamp(x: f64) -> f64 {
    x.clamp(LOW, HIGH)
}

/// The point at the same distance from the other end: x → 100 − x.
pub fn mirror(x: f64) -> f64 {
    HIGH - x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_is_closed_and_finite() {
        assert!(contains(0.0) && contains(100.0) && contains(42.5));
        assert!(!contains(-1e-9) && !contains(100.000_001));
        assert!(!contains(f64::NAN) && !contains(f64::INFINITY));
        assert_eq!(clamp(120.0), 100.0);
        assert_eq!(mirror(mirror(37.25)), 37.25);
    }
}
