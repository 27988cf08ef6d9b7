//! Exact fixed-point numbers (an `i128` mantissa and a decimal scale) and
//! the model's divisions done exactly.
//!
//! Two uses. The engine's divisions (the parallel-market ratio, the premium,
//! the effective rate, the price impacts, means) are computed here as exact
//! fractions, rounded once where docs/model.md rounds ("nothing else is
//! rounded"), so no 28-digit intermediate rounding can tip a result. And the
//! fast Monte Carlo kernel does all of its arithmetic in [`Num`], which
//! gives exactly the `Decimal` result whenever that result fits a `Decimal`
//! (96-bit mantissa, scale ≤ 28); every operation reports when it would not,
//! and the caller then falls back to the `Decimal` engine.

use std::cmp::Ordering;

use rust_decimal::Decimal;

/// Largest mantissa a `Decimal` holds.
const MAX_M: i128 = (1 << 96) - 1;
/// Largest scale a `Decimal` holds.
const MAX_S: u32 = 28;

const fn pow10_table() -> [i128; 39] {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
}

/// 10^0 … 10^38.
pub const POW10: [i128; 39] = pow10_table();

/// `m / 10^s`, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num {
    /// The mantissa: the value times `10^s`.
    pub m: i128,
    /// The scale: decimal places (at most 28 in a `Num` an operation returns).
    pub s: u32,
}

impl Num {
    /// Zero, at scale 0.
    pub const ZERO: Num = Num { m: 0, s: 0 };

    /// The integer `v`, at scale 0.
    pub fn int(v: i64) -> Num {
        Num {
            m: i128::from(v),
            s: 0,
        }
    }

    /// Exactly `d`, with its mantissa and scale.
    pub fn from_dec(d: Decimal) -> Num {
        Num {
            m: d.mantissa(),
            s: d.scale(),
        }
    }

    /// The same value as a `Decimal` (always representable: every `Num`
    /// that leaves an operation fits).
    pub fn to_dec(self) -> Decimal {
        Decimal::try_from_i128_with_scale(self.m, self.s).unwrap_or_default()
    }

    fn fits(self) -> Option<Num> {
        (self.m.abs() <= MAX_M && self.s <= MAX_S).then_some(self)
    }

    fn aligned(self, s: u32) -> Option<i128> {
        let m = self.m.checked_mul(*POW10.get((s - self.s) as usize)?)?;
        (m.abs() <= MAX_M).then_some(m)
    }

    /// `self + o` at the larger scale, or `None` when it would not fit a `Decimal`.
    pub fn plus(self, o: Num) -> Option<Num> {
        if self.s == o.s {
            // Same scale (the common case: cents and cents): no alignment.
            return Num {
                m: self.m.checked_add(o.m)?,
                s: self.s,
            }
            .fits();
        }
        let s = self.s.max(o.s);
        Num {
            m: self.aligned(s)?.checked_add(o.aligned(s)?)?,
            s,
        }
        .fits()
    }

    /// `self − o` at the larger scale, or `None` when it would not fit a `Decimal`.
    pub fn minus(self, o: Num) -> Option<Num> {
        self.plus(Num { m: -o.m, s: o.s })
    }

    /// `self × o` exactly, at scale `self.s + o.s`, or `None` when that mantissa or scale
    /// would not fit a `Decimal` (which would round where this declines).
    pub fn times(self, o: Num) -> Option<Num> {
        let m = match (i64::try_from(self.m), i64::try_from(o.m)) {
            // Two 64-bit factors never overflow 128 bits: one widening multiply.
            (Ok(a), Ok(b)) => i128::from(a) * i128::from(b),
            _ => self.m.checked_mul(o.m)?,
        };
        Num { m, s: self.s + o.s }.fits()
    }

    /// Whether the value is zero (at any scale).
    pub fn is_zero(self) -> bool {
        self.m == 0
    }

    /// Whether the value is below zero.
    pub fn is_negative(self) -> bool {
        self.m < 0
    }

    /// Numeric comparison (scales may differ).
    pub fn cmp_num(self, o: Num) -> Ordering {
        if self.s == o.s {
            return self.m.cmp(&o.m);
        }
        if let (Ok(a), Ok(b)) = (i64::try_from(self.m), i64::try_from(o.m)) {
            // Both small: align in 128 bits without overflow checks.
            let s = self.s.max(o.s);
            if s <= 18 {
                let pa = i128::from(a) * i128::from(10i64.pow(s - self.s));
                let pb = i128::from(b) * i128::from(10i64.pow(s - o.s));
                return pa.cmp(&pb);
            }
        }
        let s = self.s.max(o.s);
        match (
            self.m.checked_mul(POW10[(s - self.s) as usize]),
            o.m.checked_mul(POW10[(s - o.s) as usize]),
        ) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.to_dec().cmp(&o.to_dec()),
        }
    }

    /// The smaller value; the first when equal (as `Decimal::min`).
    pub fn min(self, o: Num) -> Num {
        if o.cmp_num(self) == Ordering::Less {
            o
        } else {
            self
        }
    }

    /// Rounds half to even to `dp` places and fixes the scale at `dp`
    /// (docs/model.md `round2`/`round4`).
    pub fn round(self, dp: u32) -> Option<Num> {
        if self.s <= dp {
            return Num {
                m: self.m.checked_mul(POW10[(dp - self.s) as usize])?,
                s: dp,
            }
            .fits();
        }
        let k = self.s - dp;
        let m = match i64::try_from(self.m) {
            Ok(n) if k <= 18 => div_pow10_half_even(n, k),
            _ => div_half_even(self.m, *POW10.get(k as usize)?),
        };
        Num { m, s: dp }.fits()
    }
}

/// `n / 10^k` rounded half to even for `k <= 18`, with the divisor a
/// constant in each arm so the compiler divides by multiplying.
fn div_pow10_half_even(n: i64, k: u32) -> i128 {
    macro_rules! arms {
        ($($k:literal),*) => {
            match k {
                $($k => half_even_i64(n, 10i64.pow($k)),)*
                _ => half_even_i64(n, 10i64.pow(k)),
            }
        };
    }
    arms!(1, 2, 3, 4, 5, 6, 7, 8)
}

#[cfg_attr(not(debug_assertions), inline(always))]
fn half_even_i64(n: i64, d: i64) -> i128 {
    let (q, r) = (n / d, n % d);
    // Truncated division: fix up to the floor, then round half to even.
    let (q, r) = if r < 0 { (q - 1, r + d) } else { (q, r) };
    let twice = 2 * i128::from(r);
    let d = i128::from(d);
    let up = twice > d || (twice == d && q % 2 != 0);
    i128::from(q) + i128::from(up)
}

/// `n / d` rounded half to even (d > 0).
fn div_half_even(n: i128, d: i128) -> i128 {
    crate::num::quotient::div_half_even(n, d)
}

/// The two values as integers over a common denominator power of ten.
fn common(n: Num, d: Num) -> Option<(i128, i128)> {
    let s = n.s.max(d.s);
    Some((
        n.m.checked_mul(*POW10.get((s - n.s) as usize)?)?,
        d.m.checked_mul(*POW10.get((s - d.s) as usize)?)?,
    ))
}

/// `n / d` exactly, rounded half to even to `dp` places; `None` when the
/// fraction is too large for exact integer arithmetic or `d` is zero.
pub fn div_round(n: Num, d: Num, dp: u32) -> Option<Num> {
    let (mut p, mut q) = common(n, d)?;
    if q == 0 {
        return None;
    }
    if q < 0 {
        p = p.checked_neg()?;
        q = -q;
    }
    let p = p.checked_mul(*POW10.get(dp as usize)?)?;
    Num {
        m: div_half_even(p, q),
        s: dp,
    }
    .fits()
}

/// `n / d` as the nearest `f64` (exact fraction, rounded once, ties to
/// even); `None` when it cannot be computed exactly in integers.
pub fn ratio_f64(n: Num, d: Num) -> Option<f64> {
    let (p, q) = common(n, d)?;
    if q == 0 {
        return None;
    }
    let negative = (p < 0) != (q < 0);
    let x = fraction_to_f64(p.unsigned_abs(), q.unsigned_abs())?;
    Some(if negative { -x } else { x })
}

/// `p / q` correctly rounded to `f64` by long division to 66 significant
/// bits plus a sticky bit.
fn fraction_to_f64(p: u128, q: u128) -> Option<f64> {
    if p == 0 {
        return Some(0.0);
    }
    if p < (1 << 53) && q < (1 << 53) {
        // Both exact in f64: IEEE division rounds the exact quotient once.
        return Some((p as u64) as f64 / (q as u64) as f64);
    }
    if p < (1 << 64) && q < (1 << 64) {
        if let Some(x) = crate::num::quotient::ratio_f64(p as u64, q as u64) {
            return Some(x);
        }
    }
    if p < (1 << 64) && q < (1 << 64) && p >= q >> 10 {
        // One 128-by-64-bit division gives at least 54 quotient bits.
        let n = p << 64;
        let (quot, rem) = (n / q, n % q);
        return Some(assemble(quot | u128::from(rem != 0), -64));
    }
    let mut int = p / q;
    let mut rem = p % q;
    // Significant bits of the quotient collected so far, and the binary
    // exponent of the last one.
    let mut bits: u128;
    let mut exp: i32;
    if int != 0 {
        let len = 128 - int.leading_zeros() as i32;
        if len > 66 {
            let shift = len - 66;
            let sticky = (int & ((1u128 << shift) - 1)) != 0 || rem != 0;
            bits = (int >> shift) | u128::from(sticky);
            return Some(assemble(bits, shift));
        }
        bits = int;
        exp = 0;
    } else {
        bits = 0;
        exp = 0;
    }
    // Long division, a chunk of bits at a time, until 66 significant bits.
    let room = q.leading_zeros().saturating_sub(1).max(1);
    loop {
        let have = if bits == 0 { 0 } else { 128 - bits.leading_zeros() };
        if have >= 66 || rem == 0 {
            break;
        }
        let want = if bits == 0 {
            room.min(64)
        } else {
            (66 - have).min(room)
        };
        rem <<= want;
        let chunk = rem / q;
        rem %= q;
        bits = (bits << want) | chunk;
        exp -= want as i32;
        if exp < -1200 {
            return None;
        }
        int = 0;
    }
    let _ = int;
    let sticky = rem != 0;
    Some(assemble(bits | u128::from(sticky), exp))
}

/// `bits · 2^exp` rounded to 53 bits, ties to even (the lowest bit of
/// `bits` is sticky when more than 53 bits are given).
fn assemble(bits: u128, exp: i32) -> f64 {
    let len = 128 - bits.leading_zeros() as i32;
    let (mant, e) = if len > 53 {
        let shift = len - 53;
        let half = 1u128 << (shift - 1);
        let low = bits & ((1u128 << shift) - 1);
        let mut m = bits >> shift;
        if low > half || (low == half && m & 1 == 1) {
            m += 1;
        }
        (m, exp + shift)
    } else {
        (bits, exp)
    };
    // mant < 2^54 is exact in f64; scaling by a power of two is exact in range.
    ((mant as u64) as f64) * 2f64.powi(e)
}

/// Rounds an `f64` to four places half to even, reading it as the decimal
/// of its shortest round-trip text (what docs/model.md's "converted back to
/// Decimal" means); `None` for NaN, infinities and absurd magnitudes.
pub fn round4_f64(x: f64) -> Option<Num> {
    if !x.is_finite() {
        return None;
    }
    if let Some(r) = round4_binary(x) {
        return Some(r);
    }
    let mut buf = ryu::Buffer::new();
    let text = buf.format_finite(x).as_bytes();
    // Digits and the position of the decimal point, without allocating.
    let mut m: i128 = 0;
    let mut frac_digits: i32 = 0;
    let mut in_frac = false;
    let mut exp: i32 = 0;
    let mut negative = false;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'-' => negative = true,
            b'.' => in_frac = true,
            b'e' | b'E' => {
                exp = std::str::from_utf8(&text[i + 1..]).ok()?.parse().ok()?;
                break;
            }
            d @ b'0'..=b'9' => {
                m = m.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
                if in_frac {
                    frac_digits += 1;
                }
            }
            _ => return None,
        }
        i += 1;
    }
    let scale = frac_digits - exp;
    let num = if scale > 38 {
        Num::ZERO
    } else if scale >= 0 {
        Num { m, s: scale as u32 }
    } else {
        Num {
            m: m.checked_mul(*POW10.get((-scale) as usize)?)?,
            s: 0,
        }
    };
    let r = num.round(4)?;
    Some(if negative { Num { m: -r.m, s: r.s } } else { r })
}

/// `round4` of `x` from its exact binary value, when that provably equals
/// `round4` of its shortest text: the text lies within half an ulp of `x`,
/// so the two round alike unless `x` is that close to a tie.
fn round4_binary(x: f64) -> Option<Num> {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        return None;
    }
    let mant = u128::from((bits & ((1 << 52) - 1)) | (1 << 52));
    let exp = biased - 1075; // x = mant · 2^exp
    if !(-100..0).contains(&exp) {
        return None;
    }
    let shift = (-exp) as u32;
    // x · 10^4 = scaled / 2^shift exactly.
    let scaled = mant * 10_000;
    let (q, r) = (scaled >> shift, scaled & ((1u128 << shift) - 1));
    let half = 1u128 << (shift - 1);
    // Half an ulp of x is 2^(exp-1); times 10^4 it is 5,000 units of r.
    if r.abs_diff(half) <= 5_001 {
        return None;
    }
    let m = i128::try_from(q + u128::from(r > half)).ok()?;
    Some(Num {
        m: if x < 0.0 { -m } else { m },
        s: 4,
    })
}

/// `d` as the nearest `f64` (exact), for the model's one `f64` step.
pub fn num_f64(d: Num) -> Option<f64> {
    ratio_f64(d, Num::int(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Num {
        Num::from_dec(s.parse().unwrap())
    }

    #[test]
    fn arithmetic_is_exact_and_keeps_decimal_scales() {
        assert_eq!(n("1.5").plus(n("0.25")).unwrap().to_dec().to_string(), "1.75");
        assert_eq!(
            n("500000").minus(n("500000.00")).unwrap().to_dec().to_string(),
            "0.00"
        );
        assert_eq!(n("0.3").times(n("78.0")).unwrap().to_dec().to_string(), "23.40");
        assert_eq!(n("0.125").round(2).unwrap(), n("0.12"));
        assert_eq!(n("-0.125").round(2).unwrap(), n("-0.12"));
        assert_eq!(n("0.135").round(2).unwrap(), n("0.14"));
        assert_eq!(n("7").round(2).unwrap().to_dec().to_string(), "7.00");
        // Past a Decimal's 96-bit mantissa the operation declines.
        assert!(n("79228162514264337593543950335").plus(n("1")).is_none());
        assert!(n("0.00000000000001").times(n("0.000000000000001")).is_none());
    }

    #[test]
    fn divisions_round_once() {
        // 4 / 3 = 1.3333…; 2 / 3 = 0.6667; 1.00005 rounds to even 1.0000.
        assert_eq!(div_round(n("4"), n("3"), 4).unwrap(), n("1.3333"));
        assert_eq!(div_round(n("2"), n("3"), 4).unwrap(), n("0.6667"));
        assert_eq!(div_round(n("1.00005"), n("1"), 4).unwrap(), n("1.0000"));
        assert_eq!(div_round(n("1.00015"), n("1"), 4).unwrap(), n("1.0002"));
        assert_eq!(div_round(n("-1"), n("8"), 2).unwrap(), n("-0.12"));
        assert_eq!(div_round(n("1"), n("-8"), 2).unwrap(), n("-0.12"));
        assert!(div_round(n("1"), n("0"), 2).is_none());
    }

    #[test]
    fn fractions_convert_to_the_nearest_double() {
        for (p, q) in [
            (1u128, 3u128),
            (2, 3),
            (82_000, 50_000),
            (1, 10),
            (123_456_789_012_345_678_901_234_567, 1_000_000_007),
            (7, 123_456_789_012_345_678_901_234_567),
            (1 << 100, 3),
        ] {
            let expected = (p as f64) / (q as f64);
            let got = fraction_to_f64(p, q).unwrap();
            // Both sides are correctly rounded when p and q are exact doubles;
            // otherwise compare with a high-precision parse of the decimal.
            if p < (1 << 53) && q < (1 << 53) {
                assert_eq!(got, expected, "{p}/{q}");
            } else {
                assert!((got / expected - 1.0).abs() < 1e-15, "{p}/{q}");
            }
        }
        // 1.64 exactly as the fraction 82,000 / 50,000.
        assert_eq!(ratio_f64(n("82000"), n("50000")).unwrap(), 1.64);
        assert_eq!(ratio_f64(n("-1"), n("4")).unwrap(), -0.25);
        // Ties to even at the 53rd bit: (2^53 + 1) / 1 rounds to 2^53.
        assert_eq!(
            fraction_to_f64((1 << 53) + 1, 1).unwrap(),
            9_007_199_254_740_992.0
        );
        assert_eq!(
            fraction_to_f64((1 << 53) + 3, 1).unwrap(),
            9_007_199_254_740_996.0
        );
    }

    #[test]
    fn the_binary_shortcut_agrees_with_the_text() {
        // Many values, including ties in their shortest text (x.xxxx5).
        let mut x = 1234.0f64;
        for i in 0..20_000 {
            x = x * 1.000_037 + 0.000_013 * f64::from(i % 7);
            let tie: f64 = format!("{:.5}", x).trim_end_matches('0').parse::<f64>().unwrap();
            for v in [x, -x, tie, tie / 7.0] {
                let via_text = {
                    let d: Decimal = format!("{v}").parse().unwrap();
                    Num::from_dec(crate::num::decimal::round4(d))
                };
                assert_eq!(round4_f64(v).unwrap(), via_text, "{v}");
            }
        }
    }

    #[test]
    fn doubles_round_to_four_places_through_their_shortest_text() {
        assert_eq!(round4_f64(1745.3250878312285).unwrap(), n("1745.3251"));
        assert_eq!(round4_f64(1480.0).unwrap(), n("1480.0000"));
        // 0.00005 reads as 5e-5, a tie that goes to the even 0.0000.
        assert_eq!(round4_f64(0.00005).unwrap(), n("0.0000"));
        assert_eq!(round4_f64(0.00015).unwrap(), n("0.0002"));
        assert_eq!(round4_f64(1e20).unwrap(), n("100000000000000000000.0000"));
        assert!(round4_f64(f64::INFINITY).is_none());
    }
}
