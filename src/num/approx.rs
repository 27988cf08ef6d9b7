//! `ln` and `exp` as short branch-free polynomials, for estimating the
//! parallel rate of many draws at once (the loop vectorises; the libm
//! functions are calls). They are accurate to a few units in the last
//! place (the tests check 1e-14 relative against libm over wide ranges),
//! and only ever used with a safety margin a thousand times wider: a rate
//! they put near a rounding tie is computed again the exact way.

use super::convert::{nearest_small, small_to_f64};

/// ln 2 split so that `k · LN2_HI` is exact for |k| < 2^11.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// Adding and subtracting 1.5 · 2^52 rounds to the nearest integer.
const ROUNDER: f64 = 6_755_399_441_055_744.0;
/// 2 / (2k + 1), k = 0 … 10: the series of 2 atanh.
const ATANH: [f64; 11] = [
    2.0,
    0.6666666666666666,
    0.4,
    0.2857142857142857,
    0.2222222222222222,
    0.18181818181818182,
    0.15384615384615385,
    0.13333333333333333,
    0.11764705882352941,
    0.10526315789473684,
    0.09523809523809523,
];
/// 1 / n!, n = 0 … 14.
const INV_FACTORIAL: [f64; 15] = [
    1.0,
    1.0,
    0.5,
    0.16666666666666666,
    0.041666666666666664,
    0.008333333333333333,
    0.001388888888888889,
    0.0001984126984126984,
    2.48015873015873e-05,
    2.7557319223985893e-06,
    2.755731922398589e-07,
    2.505210838544172e-08,
    2.08767569878681e-09,
    1.6059043836821613e-10,
    1.1470745597729725e-11,
];

/// `ln(x)` for normal positive `x` (garbage otherwise: the caller checks).
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    // x = m · 2^e with m in [1, 2); fold m into [√½, √2).
    let m = f64::from_bits((bits & ((1u64 << 52) - 1)) | (1023u64 << 52));
    let big = m > std::f64::consts::SQRT_2;
    let (m, e) = if big { (m * 0.5, e + 1) } else { (m, e) };
    // ln m = 2 atanh(s), s = (m − 1)/(m + 1), |s| < 0.1716: the series to
    // s^21 leaves under 1e-18.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut p = ATANH[10];
    for c in ATANH[..10].iter().rev() {
        p = p * s2 + c;
    }
    let poly = s * p;
    let e = small_to_f64(e);
    e * LN2_HI + (e * LN2_LO + poly)
}

/// `exp(z)` for |z| < 700 (garbage otherwise: the caller checks).
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn exp(z: f64) -> f64 {
    // z = k ln 2 + f, |f| <= ln 2 / 2; Taylor to f^14 leaves under 1e-18.
    let k = (z * LOG2_E + ROUNDER) - ROUNDER;
    let f = (z - k * LN2_HI) - k * LN2_LO;
    let mut p = INV_FACTORIAL[14];
    for c in INV_FACTORIAL[..14].iter().rev() {
        p = p * f + c;
    }
    let scale = f64::from_bits(((nearest_small(k) + 1023).clamp(1, 2046) as u64) << 52);
    p * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-14 * b.abs().max(f64::MIN_POSITIVE)
    }

    /// 200,000 uniform numbers in [0, 1) from a xorshift generator seeded
    /// with `z`, numbered.
    fn uniforms(mut z: u64) -> impl Iterator<Item = (usize, f64)> {
        (0..200_000).map(move |i| {
            z ^= z << 13;
            z ^= z >> 7;
            z ^= z << 17;
            (i, (z >> 11) as f64 / (1u64 << 53) as f64)
        })
    }

    #[test]
    fn ln_agrees_with_libm() {
        for (i, u) in uniforms(0x2545_f491_4f6c_dd1du64) {
            // Near one (the parallel-market ratio), and anywhere in 1e-30 … 1e30.
            let x = if i % 2 == 0 {
                0.25 + 3.75 * u
            } else {
                10f64.powf(60.0 * u - 30.0)
            };
            assert!(
                close(ln(x), x.ln()) || (ln(x) - x.ln()).abs() < 1e-15,
                "{x}: {} {}",
                ln(x),
                x.ln()
            );
        }
        for x in [
            1.0,
            1.0 + f64::EPSILON,
            1.0 - f64::EPSILON / 2.0,
            2.0,
            0.5,
            std::f64::consts::SQRT_2,
        ] {
            assert!(
                (ln(x) - x.ln()).abs() <= 1e-15 * x.ln().abs().max(1e-300) + 1e-300,
                "{x}"
            );
        }
    }

    #[test]
    fn exp_agrees_with_libm() {
        for (i, u) in uniforms(0x9e37_79b9_7f4a_7c15u64) {
            let x = if i % 2 == 0 { u - 0.5 } else { 1380.0 * u - 690.0 };
            assert!(close(exp(x), x.exp()), "{x}: {} {}", exp(x), x.exp());
        }
        assert_eq!(exp(0.0), 1.0);
    }
}
