//! The two rounding helpers every lane file shares: the nearest-integer
//! step of an `f64` estimate and a `Decimal` written with 4 places. Apart
//! from `lane_math` so that `lane_wide` can use them without importing
//! `lane_math`, which itself calls `lane_wide`: the lane files then depend
//! on each other in one direction only.

/// The unit added to the truncated `whole` of an estimate whose fractional
/// part is `frac` to round it to nearest (ties are never decided here).
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn half_step(frac: f64) -> i64 {
    i64::from(frac > 0.5) - i64::from(frac < -0.5)
}

/// `v` (at most 4 places, as the exact steps round) written with exactly
/// 4 places, so its mantissa is in ten-thousandths: the exact backend may
/// return `1310` where a lane holds `13100000`.
pub(super) fn at_scale4(v: rust_decimal::Decimal) -> rust_decimal::Decimal {
    let mut v = v;
    v.rescale(4);
    v
}
