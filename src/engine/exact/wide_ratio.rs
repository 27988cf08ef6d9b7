//! Year-on-year CPI as an exact fraction of integers as wide as it needs
//! (num-bigint), for the inputs whose fraction does not fit 128 bits:
//! underlying inflation in the hundreds of percent over impacts with many
//! digits. Rounded once, half to even, as docs/model.md's `round4`.

use num_bigint::BigInt;
use rust_decimal::Decimal;

use crate::engine::arith::Impact;
use crate::num::decimal::Overflow;

/// `x` as the fraction `mantissa / 10^scale`.
fn fraction(x: Decimal) -> (BigInt, BigInt) {
    (BigInt::from(x.mantissa()), BigInt::from(10).pow(x.scale()))
}

/// `1 + I` for an impact, `(den + exposure × num) / den`, as a fraction.
fn one_plus(x: &Impact<Decimal>) -> (BigInt, BigInt) {
    let ((e, se), (n, sn), (d, sd)) = (fraction(x.exposure), fraction(x.num), fraction(x.den));
    // e/se × n/sn ÷ d/sd = e·n·sd / (se·sn·d).
    let den = &se * &sn * &d;
    (&den + e * n * sd, den)
}

/// `n / d` rounded half to even to a whole number.
fn round_half_even(n: BigInt, d: BigInt) -> BigInt {
    let (n, d) = if d < BigInt::ZERO { (-n, -d) } else { (n, d) };
    let negative = n < BigInt::ZERO;
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

/// docs/model.md v2 `cpi_yoy_pct`,
/// `round4(100 × ((1 + π/100) × (1 + I_now) / (1 + I_back) − 1))`, exactly.
pub(super) fn yoy(
    inflation: Decimal,
    now: &Impact<Decimal>,
    back: Option<&Impact<Decimal>>,
) -> Result<Decimal, Overflow> {
    let (p, sp) = fraction(inflation);
    let hundred = BigInt::from(100);
    // (1 + π/100) = (100·sp + p) / (100·sp).
    let (mut top, mut bottom) = (&hundred * &sp + p, &hundred * sp);
    let (a, b) = one_plus(now);
    top *= a;
    bottom *= b;
    if let Some(back) = back {
        let (c, d) = one_plus(back);
        top *= d;
        bottom *= c;
    }
    // 10^4 × 100 × (top / bottom − 1), in ten-thousandths.
    let units = round_half_even((top - &bottom) * 1_000_000, bottom);
    let what = "year-on-year inflation";
    let units = i128::try_from(units).map_err(|_| Overflow { what })?;
    Decimal::try_from_i128_with_scale(units, 4).map_err(|_| Overflow { what })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn halves_go_to_the_even_unit() {
        let n = |x: i64| BigInt::from(x);
        assert_eq!(round_half_even(n(5), n(2)), n(2));
        assert_eq!(round_half_even(n(7), n(2)), n(4));
        assert_eq!(round_half_even(n(-5), n(2)), n(-2));
        assert_eq!(round_half_even(n(-7), n(2)), n(-4));
        assert_eq!(round_half_even(n(7), n(-3)), n(-2));
        assert_eq!(round_half_even(n(8), n(3)), n(3));
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
        // No year back: 100 × ((1 + 0.1) × (1 + 0.091748 × -812.2 / 1716) − 1)
        // = 100 × (1.1 × 0.956574… − 1) = 5.2231…; by hand:
        // 0.091748 × 812.2 = 74.5177256; 74.5177256 / 1716 = 0.0434252480…;
        // 1.1 × (1 − 0.0434252480) = 1.05223222…; → 5.2232.
        assert_eq!(yoy(d("10"), &i, None).unwrap(), d("5.2232"));
    }
}
