//! Exact conversions between the `f64` a distribution draws and the
//! decimals the engine computes with. A drawn `f64` is rounded to 2 or 6
//! decimal places half-to-even from its exact binary value (docs/model.md §1.6),
//! with integer arithmetic: no text formatting, no double rounding, a few
//! nanoseconds per value. Decimals go back to `f64` correctly rounded for
//! the statistics.

use super::convert;
use rust_decimal::Decimal;

const POW10: [u128; 23] = {
    let mut t = [1u128; 23];
    let mut i = 1;
    while i < 23 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

pub(crate) const POW10_F64: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// The largest mantissa a `Decimal` holds (2^96 - 1).
const DECIMAL_MAX_MANTISSA: u128 = (1u128 << 96) - 1;

/// `x` rounded half-to-even to `places` (at most 18) decimal places, as an
/// integer count of 10^-places; `None` when `x` is not finite or too large
/// for a `Decimal`.
pub fn round_to_units(x: f64, places: u32) -> Option<i128> {
    if !x.is_finite() || places > 18 {
        return None;
    }
    // Fast path: y = x·10^places in floating point is within
    // |y|·2^-52 of the exact product; away from a tie (by more than that,
    // with room to spare) rounding y gives the exact answer.
    if (places as usize) < POW10_F64.len() {
        let y = x * POW10_F64[places as usize];
        if y.abs() < convert::SMALL {
            // Through i64, where floor, round and an i128 cast are library
            // calls; `convert`'s forms are exact below 2^51 and cheaper
            // than the casts. y − trunc(y) is exact.
            let t = convert::trunc_small(y);
            let r = y - convert::small_to_f64(t);
            if (r.abs() - 0.5).abs() > y.abs() * 1e-15 + 1e-300 {
                // Not near a tie: round to nearest.
                let step = if r.abs() > 0.5 { r.signum() as i64 } else { 0 };
                return Some(i128::from(t + step));
            }
        }
    }
    exact_round_to_units(x, places)
}

/// [`round_to_units`] in integer arithmetic from the binary value of `x`.
fn exact_round_to_units(x: f64, places: u32) -> Option<i128> {
    if x == 0.0 {
        return Some(0);
    }
    let bits = x.to_bits();
    let negative = bits >> 63 == 1;
    let exp_bits = ((bits >> 52) & 0x7FF) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    // x = m * 2^e exactly.
    let (m, e) = if exp_bits == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp_bits - 1075)
    };
    let scaled = u128::from(m) * POW10[places as usize]; // < 2^53 * 10^18 < 2^113
    let units: u128 = if e >= 0 {
        if e > 30 {
            return None;
        }
        scaled.checked_mul(1u128 << e)?
    } else {
        let s = (-e) as u32;
        if s >= 120 {
            0 // below half a unit: |x| < 2^-67 and 10^18 * 2^-67 < 0.01
        } else {
            let q = scaled >> s;
            let rem = scaled & ((1u128 << s) - 1);
            let half = 1u128 << (s - 1);
            if rem > half || (rem == half && q & 1 == 1) {
                q + 1
            } else {
                q
            }
        }
    };
    if units > DECIMAL_MAX_MANTISSA {
        return None;
    }
    let units = units as i128;
    Some(if negative { -units } else { units })
}

/// The decimal `units` × 10^-places.
pub fn units_to_decimal(units: i128, places: u32) -> Decimal {
    Decimal::from_i128_with_scale(units, places)
}

/// `units` × 10^-places as the nearest `f64`.
pub fn units_to_f64(units: i128, places: u32) -> f64 {
    ratio_to_f64(units, places)
}

/// A decimal as the nearest `f64` (correctly rounded whenever the mantissa
/// has at most 53 bits, which covers every value the engine reports).
pub fn decimal_to_f64(d: Decimal) -> f64 {
    ratio_to_f64(d.mantissa(), d.scale())
}

#[inline]
fn ratio_to_f64(m: i128, scale: u32) -> f64 {
    if m.unsigned_abs() < (1u128 << 53) && (scale as usize) < POW10_F64.len() {
        // Both operands are exact, so IEEE division rounds correctly (the
        // cast goes through i64: converting an i128 is a slow library call).
        (m as i64) as f64 / POW10_F64[scale as usize]
    } else {
        let text = Decimal::from_i128_with_scale(m, scale).to_string();
        text.parse().unwrap_or(f64::NAN)
    }
}

/// `x` rounded half-to-even to `places` decimal places, as a decimal with
/// exactly that many places (for reporting statistics).
pub fn f64_to_decimal(x: f64, places: u32) -> Option<Decimal> {
    round_to_units(x, places).map(|u| units_to_decimal(u, places))
}

/// [`f64_to_decimal`], or past its reach (about 9.7e24, where an `f64`
/// has no fraction left to round) the `f64`'s own value as a whole
/// `Decimal`, for a figure shown to people; `None` only when `x` is not finite or past
/// `Decimal`'s range (about 7.9e28).
pub fn f64_to_decimal_or_nearest(x: f64, places: u32) -> Option<Decimal> {
    use rust_decimal::prelude::FromPrimitive;
    f64_to_decimal(x, places).or_else(|| Decimal::from_f64(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_the_exact_binary_value_half_to_even() {
        assert_eq!(round_to_units(78.125, 2), Some(7812)); // exact tie, even
        assert_eq!(round_to_units(78.375, 2), Some(7838)); // exact tie, even
        assert_eq!(round_to_units(0.0078125, 6), Some(7812)); // 1/128, tie
        assert_eq!(round_to_units(0.0234375, 6), Some(23438)); // 3/128, tie
                                                               // 0.15 is 0.1499999999999999944488848768742172978818416595458984375.
        assert_eq!(round_to_units(0.15, 1), Some(1));
        assert_eq!(round_to_units(2.675, 2), Some(267)); // 2.67499999...
        assert_eq!(round_to_units(-1.5, 0), Some(-2));
        assert_eq!(round_to_units(-2.5, 0), Some(-2));
        assert_eq!(round_to_units(1e-300, 6), Some(0));
        assert_eq!(round_to_units(123_456_789.123_456_79, 6), Some(123456789123457));
        assert_eq!(round_to_units(f64::NAN, 2), None);
        assert_eq!(round_to_units(1e40, 2), None);
        assert_eq!(round_to_units(3e15, 2), Some(300000000000000000));
    }

    #[test]
    fn the_fast_path_agrees_with_exact_rounding() {
        let mut z = 0x1234_5678_9abc_def0u64;
        for _ in 0..200_000 {
            z = z
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mag = 10f64.powi((z >> 60) as i32 - 4);
            let x = ((z >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * mag;
            for places in [2, 6] {
                assert_eq!(
                    round_to_units(x, places),
                    exact_round_to_units(x, places),
                    "{x} {places}"
                );
            }
        }
        // Values on and next to ties.
        for k in 0..2000 {
            let x = (2 * k + 1) as f64 / 256.0;
            for y in [
                x,
                f64::from_bits(x.to_bits() + 1),
                f64::from_bits(x.to_bits() - 1),
            ] {
                for places in [2, 6] {
                    assert_eq!(
                        round_to_units(y, places),
                        exact_round_to_units(y, places),
                        "{y} {places}"
                    );
                }
            }
        }
    }

    #[test]
    fn decimals_convert_to_the_nearest_double() {
        let d: Decimal = "1620.7841".parse().unwrap();
        assert_eq!(decimal_to_f64(d), 1620.7841);
        let d: Decimal = "12705240000000.00".parse().unwrap();
        assert_eq!(decimal_to_f64(d), 12705240000000.0);
        let big: Decimal = "123456789012345678901.25".parse().unwrap();
        assert_eq!(decimal_to_f64(big), 123456789012345678901.25);
        assert_eq!(units_to_f64(78123456, 6), 78.123456);
        assert_eq!(f64_to_decimal(0.5, 2).unwrap().to_string(), "0.50");
    }

    #[test]
    fn a_large_value_is_the_f64s_own_decimal() {
        // 1e25 passes what rounding to 4 places reaches; the f64 is
        // exactly 10,000,000,000,000,000,905,969,664 (Python's int(1e25)).
        assert_eq!(f64_to_decimal(1e25, 4), None);
        let d = f64_to_decimal_or_nearest(1e25, 4).unwrap();
        assert_eq!(d.to_string(), "10000000000000000905969664");
        assert_eq!(
            f64_to_decimal_or_nearest(1531.25, 4).unwrap().to_string(),
            "1531.2500"
        );
        // Past Decimal's range (about 7.92e28) nothing fits.
        assert_eq!(f64_to_decimal_or_nearest(1e29, 4), None);
        assert_eq!(f64_to_decimal_or_nearest(f64::NAN, 4), None);
    }
}
