//! docs/model.md's divisions as exact fractions of integers as wide as
//! they need (`num::wide`: num-rational over num-bigint), for the inputs
//! whose fraction does not fit 128 bits: year-on-year CPI at underlying
//! inflation in the hundreds of percent, impacts and effective rates over
//! numbers with many digits. Each is rounded once, half to even, as `round4`; a 28-digit
//! quotient could round a value exactly half a unit of the fourth place
//! (764.85145) either way.

use num_bigint::BigInt;
use num_rational::BigRational;
use rust_decimal::Decimal;

use crate::engine::arith::Impact;
use crate::num::decimal::Overflow;
use crate::num::wide::{frac, round_dp};

/// `n / d`, or the overflow `what` when `d` is zero.
fn div(n: BigRational, d: BigRational, what: &'static str) -> Result<BigRational, Overflow> {
    if d == BigRational::from_integer(BigInt::ZERO) {
        return Err(Overflow { what });
    }
    Ok(n / d)
}

/// `x` rounded half to even to 4 places, as a `Decimal`.
fn round4(x: &BigRational, what: &'static str) -> Result<Decimal, Overflow> {
    round_dp(x, 4).ok_or(Overflow { what })
}

/// `1 + I` for an impact: `1 + exposure × num / den`.
fn one_plus(x: &Impact<Decimal>, what: &'static str) -> Result<BigRational, Overflow> {
    let i = div(frac(x.exposure) * frac(x.num), frac(x.den), what)?;
    Ok(BigRational::from_integer(BigInt::from(1)) + i)
}

/// docs/model.md v2 `cpi_yoy_pct`,
/// `round4(100 × ((1 + π/100) × (1 + I_now) / (1 + I_back) − 1))`, exactly.
pub(super) fn yoy(
    inflation: Decimal,
    now: &Impact<Decimal>,
    back: Option<&Impact<Decimal>>,
) -> Result<Decimal, Overflow> {
    let what = "year-on-year inflation";
    let one = BigRational::from_integer(BigInt::from(1));
    let hundred = BigRational::from_integer(BigInt::from(100));
    let mut ratio = (&one + frac(inflation) / &hundred) * one_plus(now, what)?;
    if let Some(back) = back {
        ratio = div(ratio, one_plus(back, what)?, what)?;
    }
    round4(&(hundred * (ratio - one)), what)
}

/// docs/model.md §3 step 9, `round4(100 × exposure × num / den)`, exactly.
pub(super) fn impact(x: &Impact<Decimal>) -> Result<Decimal, Overflow> {
    let what = "the price impact";
    let hundred = BigRational::from_integer(BigInt::from(100));
    round4(
        &div(hundred * frac(x.exposure) * frac(x.num), frac(x.den), what)?,
        what,
    )
}

/// docs/model.md §3 step 8, `round4((official × v_off + parallel × v_par) /
/// (v_off + v_par))` with `v_par = Σ x × y`, exactly; the official rate
/// when nothing was sold.
pub(super) fn effective(
    official: Decimal,
    parallel: Decimal,
    v_off: Decimal,
    v_par: &[(Decimal, Decimal)],
) -> Result<Decimal, Overflow> {
    let what = "the effective rate";
    let par = v_par
        .iter()
        .fold(BigRational::from_integer(BigInt::ZERO), |s, &(x, y)| {
            s + frac(x) * frac(y)
        });
    let off = frac(v_off);
    let zero = BigRational::from_integer(BigInt::ZERO);
    if off == zero && par == zero {
        return Ok(official);
    }
    let total = &off + &par;
    let weighted = frac(official) * off + frac(parallel) * par;
    round4(&div(weighted, total, what)?, what)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_tie_at_the_fifth_place_rounds_to_even() {
        // The same impact now and a year back: the ratio is 1 + π/100,
        // so the year-on-year rate is π itself, 764.85145, exactly half
        // a unit of the fourth place: 764.8514 (4 is even). The 28-digit
        // quotient gave 764.8515.
        let i = Impact {
            exposure: d("0.091748"),
            num: d("-812.2"),
            den: d("1716"),
        };
        assert_eq!(yoy(d("764.85145"), &i, Some(&i)).unwrap(), d("764.8514"));
        // No year back: 100 × ((1 + 0.1) × (1 + 0.091748 × -812.2 / 1716) − 1);
        // by hand: 0.091748 × 812.2 = 74.5177256; / 1716 = 0.0434252480…;
        // 1.1 × (1 − 0.0434252480) = 1.05223222…; → 5.2232.
        assert_eq!(yoy(d("10"), &i, None).unwrap(), d("5.2232"));
        // 100 × 0.091748 × -812.2 / 1716 = -4.342524… → -4.3425.
        assert_eq!(impact(&i).unwrap(), d("-4.3425"));
        // A zero level a year back is an error, not a panic.
        let minus_one = Impact {
            exposure: d("1"),
            num: d("-1"),
            den: d("1"),
        };
        assert!(yoy(d("0"), &i, Some(&minus_one)).is_err());
    }

    #[test]
    fn the_effective_rate_is_one_division() {
        // (1,310 × 3 + 1,500.5 × (0.5 × 2)) / (3 + 1) = (3,930 + 1,500.5) / 4
        // = 1,357.625 exactly: half a unit of the fourth place is not
        // reached, so 1,357.6250.
        let e = effective(d("1310"), d("1500.5"), d("3"), &[(d("0.5"), d("2"))]).unwrap();
        assert_eq!(e, d("1357.6250"));
        // (1,310 × 1 + 1,310.00005 × 1) / 2 = 1,310.000025 → 1,310.0000
        // (half to even at the fifth place: 0.000025 is below half a unit).
        let e = effective(d("1310"), d("1310.00005"), d("1"), &[(d("1"), d("1"))]).unwrap();
        assert_eq!(e, d("1310.0000"));
        // (1,310 × 1 + 1,310.0001 × 1) / 2 = 1,310.00005: a tie, to even.
        let e = effective(d("1310"), d("1310.0001"), d("1"), &[(d("1"), d("1"))]).unwrap();
        assert_eq!(e, d("1310.0000"));
        // Nothing sold: the official rate.
        assert_eq!(effective(d("1310"), d("1500"), d("0"), &[]).unwrap(), d("1310"));
    }
}
