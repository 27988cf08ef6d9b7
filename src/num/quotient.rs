//! Exact quotients without hardware division in the common case: an `f64`
//! estimate of the quotient, then an exact integer correction. Integer
//! division of 128-bit numbers is a slow library call and even 64-bit
//! division takes dozens of cycles; a multiplication and a comparison or
//! two take a few. Each function here returns exactly what long division
//! would (the tests compare them on edge cases and at random).

use super::convert::{to_f64, trunc_small};

/// Largest quotient whose `f64` estimate is within one of the truth (the
/// estimate's relative error is below 2^-50).
const SAFE_QUOTIENT: f64 = (1u64 << 40) as f64;

/// `x` as an approximate `f64` (cheaper than the exact `i128` cast, which
/// is a library call; the estimate only needs a few correct bits).
#[cfg_attr(not(debug_assertions), inline(always))]
fn approx(x: i128) -> f64 {
    match i64::try_from(x) {
        Ok(v) => v as f64,
        Err(_) => ((x >> 64) as i64 as f64) * 18_446_744_073_709_551_616.0 + (x as u64) as f64,
    }
}

/// From an estimate `q` of `floor(n / d)` off by a few units: the exact
/// floor and the remainder in `[0, d)`. `q·d` is within a few `d` of `n`,
/// so the wrapped difference is exact.
macro_rules! settle {
    ($n:expr, $d:expr, $q:expr) => {{
        let (n, d, mut q) = ($n, $d, $q);
        let mut r = n.wrapping_sub(q.wrapping_mul(d));
        while r < 0 {
            q -= 1;
            r += d;
        }
        while r >= d {
            q += 1;
            r -= d;
        }
        (q, r)
    }};
}

/// `q + 1` when the remainder `r` (of `d`) is above one half, or exactly
/// one half and `q` odd. Compares `r` with `d − r`: `2r` may overflow.
macro_rules! half_up {
    ($q:expr, $r:expr, $d:expr) => {{
        let (q, r, d) = ($q, $r, $d);
        let rest = d - r;
        if r > rest || (r == rest && q % 2 != 0) {
            q + 1
        } else {
            q
        }
    }};
}

/// `floor(n / d)` and the remainder `n − q·d` in `[0, d)`, for `d > 0`.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn div_floor(n: i128, d: i128) -> (i128, i128) {
    div_floor_from(n, d, approx(n) / approx(d))
}

/// [`div_floor`] from `est`, an estimate of `n / d`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn div_floor_from(n: i128, d: i128, est: f64) -> (i128, i128) {
    debug_assert!(d > 0);
    if est.abs() < SAFE_QUOTIENT {
        // Truncation through i64 is one instruction (floor and an i128
        // cast are library calls); `settle` fixes the last unit.
        return settle!(n, d, i128::from(est as i64));
    }
    (n.div_euclid(d), n.rem_euclid(d))
}

/// `n / d` rounded half to even, for `d > 0`.
#[inline]
pub fn div_half_even(n: i128, d: i128) -> i128 {
    let (q, r) = div_floor(n, d);
    half_up!(q, r, d)
}

/// [`div_half_even`] with `inv`, about `1/d`, given: a divisor shared by
/// many numerators has its reciprocal computed once.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn div_half_even_by(n: i128, d: i128, inv: f64) -> i128 {
    let (q, r) = div_floor_from(n, d, approx(n) * inv);
    half_up!(q, r, d)
}

/// `n / d` rounded half to even for `d > 0` in 64 bits, the estimate taken
/// from `inv`, about `1/d` (a constant divisor's reciprocal is computed once).
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn div_half_even_i64(n: i64, d: i64, inv: f64) -> i64 {
    if (to_f64(n) * inv).abs() >= SAFE_QUOTIENT {
        return div_half_even(i128::from(n), i128::from(d)) as i64;
    }
    div_half_even_near(n, d, inv)
}

/// [`div_half_even_i64`] for quotients known to be below 2^40 in
/// magnitude: the estimate is then within two of the truth, and the fix is
/// branch-free (so loops over many lanes vectorise).
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn div_half_even_near(n: i64, d: i64, inv: f64) -> i64 {
    let q = trunc_small(to_f64(n) * inv);
    let r = n.wrapping_sub(q.wrapping_mul(d));
    let (q, r) = if r < 0 { (q - 1, r + d) } else { (q, r) };
    let (q, r) = if r < 0 { (q - 1, r + d) } else { (q, r) };
    let (q, r) = if r >= d { (q + 1, r - d) } else { (q, r) };
    let (q, r) = if r >= d { (q + 1, r - d) } else { (q, r) };
    let rest = d - r;
    q + i64::from(r > rest || (r == rest && q & 1 != 0))
}

/// `2^e` exactly, for `e` in the normal range of `f64`.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn pow2(e: i32) -> f64 {
    debug_assert!((-1022..=1023).contains(&e));
    f64::from_bits(((e + 1023) as u64) << 52)
}

/// `p / q` correctly rounded to `f64` (ties to even) for `0 < p, q < 2^64`
/// and a quotient between 2^-60 and 2^60 (`None` outside that range).
#[inline]
pub fn ratio_f64(p: u64, q: u64) -> Option<f64> {
    if p == 0 || q == 0 {
        return None;
    }
    if p < (1 << 53) && q < (1 << 53) {
        // Both exact in f64: IEEE division rounds the exact quotient once.
        return Some(p as f64 / q as f64);
    }
    let est = p as f64 / q as f64;
    // est = m · 2^-k with m of 53 bits; look for the exact 53-bit m.
    let k = 52 - (est.to_bits() >> 52) as i32 + 1023;
    if !(-60..=60).contains(&k) {
        return None;
    }
    // m = (p · 2^k) / q, with the power of two on whichever side keeps it whole.
    let (scaled, q) = if k >= 0 {
        (u128::from(p) << k, u128::from(q))
    } else {
        (u128::from(p), u128::from(q) << -k)
    };
    let mut m = u128::from((est * pow2(k)) as u64);
    // m·q is within a few q of p·2^k: the wrapped difference is exact.
    let mut r = scaled.wrapping_sub(m.wrapping_mul(q)) as i128;
    let q = q as i128;
    while r < 0 {
        m -= 1;
        r += q;
    }
    while r >= q {
        m += 1;
        r -= q;
    }
    if !((1u128 << 52)..(1u128 << 53)).contains(&m) {
        return None;
    }
    let twice = 2 * r;
    if twice > q || (twice == q && m % 2 != 0) {
        m += 1;
    }
    // m <= 2^53 is exact in f64, and so is the scaling by a power of two.
    Some((m as u64) as f64 * pow2(-k))
}

/// 10^0 … 10^18.
pub const P10: [i64; 19] = {
    let mut t = [1i64; 19];
    let mut i = 1;
    while i < 19 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `n / d` rounded half to even (d > 0); cannot overflow for d >= 10.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn half_even(n: i64, d: i64) -> i64 {
    let (q, r) = (n / d, n % d);
    let (q, r) = if r < 0 { (q - 1, r + d) } else { (q, r) };
    let twice = 2 * r;
    if twice > d || (twice == d && q % 2 != 0) {
        q + 1
    } else {
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn long_half_even(n: i128, d: i128) -> i128 {
        let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
        match r.cmp(&(d - r)) {
            std::cmp::Ordering::Greater => q + 1,
            std::cmp::Ordering::Equal if q % 2 != 0 => q + 1,
            _ => q,
        }
    }

    /// `p / q` to f64 by exact long division of 70 bits and a sticky bit.
    fn long_ratio(p: u64, q: u64) -> f64 {
        let (p, q) = (u128::from(p), u128::from(q));
        let mut k = 0i32;
        // Scale so that the integer quotient has 64 bits.
        while (p << k) / q < (1 << 63) {
            k += 1;
        }
        let n = p << k;
        let (quot, rem) = (n / q, n % q);
        let len = 128 - quot.leading_zeros() as i32;
        let shift = len - 53;
        let low = quot & ((1 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let mut m = quot >> shift;
        if low > half || (low == half && (rem != 0 || !m.is_multiple_of(2))) {
            m += 1;
        }
        m as f64 * 2f64.powi(shift - k)
    }

    #[test]
    fn ties_and_signs() {
        for (n, d) in [
            (5, 2),
            (7, 2),
            (-5, 2),
            (-7, 2),
            (6, 4),
            (-6, 4),
            (0, 3),
            (1, 3),
            (-1, 3),
        ] {
            assert_eq!(div_half_even(n, d), long_half_even(n, d), "{n}/{d}");
        }
        // 2.5 → 2, 3.5 → 4, −2.5 → −2.
        assert_eq!(div_half_even(5, 2), 2);
        assert_eq!(div_half_even(7, 2), 4);
        assert_eq!(div_half_even(-5, 2), -2);
        // Quotients too large for the estimate take the long way.
        let big = i128::MAX / 3;
        assert_eq!(div_half_even(big, 7), long_half_even(big, 7));
    }

    #[test]
    fn ratios_next_to_ties() {
        // (2^53 + 1) / 1 lies exactly between two doubles: ties to even.
        let p = (1u64 << 53) + 1;
        assert_eq!(ratio_f64(p, 1), Some(long_ratio(p, 1)));
        assert_eq!(ratio_f64(p * 4, 4), Some(long_ratio(p * 4, 4)));
        let p = (1u64 << 54) + 6;
        assert_eq!(ratio_f64(p, 2), Some(long_ratio(p, 2)));
        assert_eq!(
            ratio_f64(u64::MAX, u64::MAX - 1),
            Some(long_ratio(u64::MAX, u64::MAX - 1))
        );
        assert_eq!(ratio_f64(0, 5), None);
    }

    proptest! {
        #[test]
        fn division_equals_long_division(n in any::<i128>(), d in 1i128..=i128::MAX, small in any::<i64>(), sd in 1i64..=i64::MAX) {
            prop_assert_eq!(div_half_even(n, d), long_half_even(n, d));
            let (n2, d2) = (i128::from(small) * 1_000_000, i128::from(sd % 1_000_000_007).max(1));
            prop_assert_eq!(div_half_even(n2, d2), long_half_even(n2, d2));
            let (q, r) = div_floor(n2, d2);
            prop_assert_eq!((q, r), (n2.div_euclid(d2), n2.rem_euclid(d2)));
            // 64 bits, estimate from a reciprocal.
            let (n3, d3) = (small, sd);
            let want = long_half_even(i128::from(n3), i128::from(d3)) as i64;
            prop_assert_eq!(div_half_even_i64(n3, d3, 1.0 / d3 as f64), want);
            let d4 = sd % 100_000 + 1;
            let want = long_half_even(i128::from(n3), i128::from(d4)) as i64;
            prop_assert_eq!(div_half_even_i64(n3, d4, 1.0 / d4 as f64), want);
            let n5 = n3 >> 20;
            let want = long_half_even(i128::from(n5), i128::from(d4)) as i64;
            prop_assert_eq!(div_half_even_near(n5, d4, 1.0 / d4 as f64), want);
        }

        #[test]
        fn ratio_equals_long_division(p in 1u64.., q in 1u64.., shift in 0u32..40) {
            let q2 = (q >> shift).max(1);
            for (p, q) in [(p, q), (p, q2), (q2, p)] {
                if let Some(x) = ratio_f64(p, q) {
                    prop_assert_eq!(x, long_ratio(p, q), "{}/{}", p, q);
                }
            }
            // Quotients near one (the parallel-market ratio) always succeed.
            let near = p / 2 + (p >> 7);
            if near > 0 {
                prop_assert_eq!(ratio_f64(near, p / 2 + 1), Some(long_ratio(near, p / 2 + 1)));
            }
        }
    }
}
