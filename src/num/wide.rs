//! Exact decimals past 28 digits, rounded once, half to even: a product
//! of decimals (`round(a × b × …, dp)`, so that 28-digit shares do not
//! lose their last digits in an intermediate product, which moved a cent
//! between buyers when the lost digits decided a tie) and an exact
//! fraction (the engine's divisions whose fraction does not fit 128 bits).
//! The integers are num-bigint's, as wide as they need.

use num_bigint::{BigInt, Sign};
use num_rational::BigRational;
use rust_decimal::Decimal;

/// `x` as the exact fraction `mantissa / 10^scale`.
pub fn frac(x: Decimal) -> BigRational {
    BigRational::new(BigInt::from(x.mantissa()), BigInt::from(10).pow(x.scale()))
}

/// `n / d` rounded half to even to a whole number (`d` non-zero).
fn round_half_even(n: &BigInt, d: &BigInt) -> BigInt {
    let (n, d) = if d.sign() == Sign::Minus {
        (-n, -d)
    } else {
        (n.clone(), d.clone())
    };
    let negative = n.sign() == Sign::Minus;
    let n = if negative { -n } else { n };
    let (q, r) = (&n / &d, &n % &d);
    let twice: BigInt = r * 2;
    let odd = &q % 2 == BigInt::from(1);
    let q = if twice > d || (twice == d && odd) {
        q + 1
    } else {
        q
    };
    if negative {
        -q
    } else {
        q
    }
}

/// `units × 10^-dp` as a `Decimal` of scale `dp`, if it fits one.
fn decimal(units: BigInt, dp: u32) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(i128::try_from(units).ok()?, dp).ok()
}

/// `factors` multiplied exactly and rounded half to even to `dp` places
/// (`dp` ≤ 28); `None` when the rounded result does not fit a `Decimal`.
pub fn product_round(factors: &[Decimal], dp: u32) -> Option<Decimal> {
    let n: BigInt = factors.iter().map(|f| BigInt::from(f.mantissa())).product();
    let scale: u32 = factors.iter().map(|f| f.scale()).sum();
    let units = if scale >= dp {
        round_half_even(&n, &BigInt::from(10).pow(scale - dp))
    } else {
        n * BigInt::from(10).pow(dp - scale)
    };
    decimal(units, dp)
}

/// `x` rounded half to even to `dp` places; `None` when that does not fit
/// a `Decimal`.
pub fn round_dp(x: &BigRational, dp: u32) -> Option<Decimal> {
    let scaled = x * BigRational::from_integer(BigInt::from(10).pow(dp));
    decimal(round_half_even(scaled.numer(), scaled.denom()), dp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    #[test]
    fn a_tie_decided_past_28_digits_rounds_up() {
        // 2,513,511 × s = 4089.1850000000000000000000000001 exactly.
        let s = d("0.0016268816806451215053365591");
        assert_eq!(product_round(&[d("31031"), s, d("81")], 2), Some(d("4089.19")));
        // rust_decimal's product keeps 28 digits and lands on the tie.
        let lossy = d("31031") * s * d("81");
        assert_eq!(lossy.round_dp(2), d("4089.18"));
    }

    #[test]
    fn agrees_with_decimal_where_the_product_is_exact() {
        for (f, dp, want) in [
            (vec!["1.005", "1"], 2, "1.00"),
            (vec!["1.015", "1"], 2, "1.02"),
            (vec!["-1.005", "1"], 2, "-1.00"),
            (vec!["-2.5", "3"], 0, "-8"),
            (vec!["0.3", "2480000", "80"], 2, "59520000.00"),
            (vec!["0", "-5"], 2, "0.00"),
            (vec!["12", "3"], 4, "36.0000"),
            (vec!["0.99999", "1"], 2, "1.00"),
        ] {
            let f: Vec<Decimal> = f.into_iter().map(d).collect();
            let got = product_round(&f, dp).unwrap();
            assert_eq!(got, d(want), "{f:?}");
            assert_eq!(got.scale(), dp, "{f:?}");
        }
    }

    #[test]
    fn halves_go_to_the_even_unit() {
        let n = |x: i64| BigInt::from(x);
        assert_eq!(round_half_even(&n(5), &n(2)), n(2));
        assert_eq!(round_half_even(&n(7), &n(2)), n(4));
        assert_eq!(round_half_even(&n(-5), &n(2)), n(-2));
        assert_eq!(round_half_even(&n(-7), &n(2)), n(-4));
        assert_eq!(round_half_even(&n(7), &n(-3)), n(-2));
        assert_eq!(round_half_even(&n(8), &n(3)), n(3));
        // 2/3 and -2/3 to two places.
        let third = BigRational::new(n(2), n(3));
        assert_eq!(round_dp(&third, 2), Some(d("0.67")));
        assert_eq!(round_dp(&-third, 2), Some(d("-0.67")));
    }

    #[test]
    fn too_large_is_none() {
        let big = d("79228162514264337593543950335");
        assert_eq!(product_round(&[big, d("10")], 0), None);
    }
}
