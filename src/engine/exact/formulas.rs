//! docs/model.md §3's formulas on exact `Decimal`s, one function each
//! (flights, the power law and its target rate, the effective rate, a
//! price impact, lagged moves, year-on-year CPI): what the exact backend
//! computes and what the lane backend is checked against.

use rust_decimal::Decimal;

use crate::engine::arith::{Impact, RateArgs};
use crate::num::decimal::{from_f64, round4, to_f64, Checked, Overflow};
use crate::num::fixed::{div_round, num_f64, ratio_f64, round4_f64, Num, POW10};

/// Rounds half to even to `dp` places and fixes the scale there.
pub(super) fn quantize(x: Decimal, dp: u32) -> Decimal {
    let mut r = x.round_dp_with_strategy(dp, rust_decimal::RoundingStrategy::MidpointNearestEven);
    r.rescale(dp);
    r
}

/// Planes needed, counted exactly in cents (both amounts have at most two
/// decimals), so 1,000,000,000.01 on 500,000,000 planes is 3 flights.
pub fn flights(shipped: Decimal, capacity: Decimal) -> Result<Decimal, Overflow> {
    use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
    let what = "the number of flights";
    if shipped <= Decimal::ZERO || capacity <= Decimal::ZERO {
        return Ok(Decimal::ZERO);
    }
    let cents = |x: Decimal| {
        x.mul(Decimal::ONE_HUNDRED, what)?
            .trunc()
            .to_i128()
            .ok_or(Overflow { what })
    };
    let (s, c) = (cents(shipped)?, cents(capacity)?);
    let n = s.div_euclid(c) + i128::from(s.rem_euclid(c) != 0);
    Decimal::from_i128(n).ok_or(Overflow { what })
}

/// A number as the nearest `f64`: exactly when it can be, else through
/// its text.
pub(super) fn f64_of(d: Decimal) -> f64 {
    num_f64(Num::from_dec(d)).unwrap_or_else(|| to_f64(d))
}

/// docs/model.md §3 step 7's `f64` step: `baseline × (D / turnover)^(1/ε)`,
/// times `(official / anchor)^θ`, pulled towards last month's rate by λ,
/// then `round4` of its shortest text. The ratios are exact fractions
/// rounded once to `f64`.
pub fn power_law(r: &RateArgs<Decimal>) -> Result<Decimal, Overflow> {
    power_law_and_target(r).map(|x| x.0)
}

/// [`power_law`] and the target `P*` it went through, as the shortest
/// decimal of its `f64` (the official rate when `D <= 0`), for `explain`.
pub(super) fn power_law_and_target(r: &RateArgs<Decimal>) -> Result<(Decimal, Decimal), Overflow> {
    let what = "the parallel rate";
    let ratio = |n: Decimal, d: Decimal| -> Result<f64, Overflow> {
        match ratio_f64(Num::from_dec(n), Num::from_dec(d)) {
            Some(x) => Ok(x),
            None => Ok(to_f64(n.div(d, what)?)),
        }
    };
    let target = if r.demand <= Decimal::ZERO {
        None
    } else {
        let e = r.demand_elasticity.add(r.supply_elasticity, what)?;
        let mut f = f64_of(r.baseline_rate) * ratio(r.demand, r.base)?.powf(1.0 / f64_of(e));
        if let Some((theta, anchor)) = r.anchor.filter(|(t, _)| !t.is_zero()) {
            f *= ratio(r.official, anchor)?.powf(f64_of(theta));
        }
        Some(f)
    };
    let shown = match target {
        Some(t) => from_f64(t, what)?,
        None => r.official,
    };
    let x = match r.persistence.filter(|(l, _)| !l.is_zero()) {
        None => match target {
            Some(t) => t,
            None => return Ok((r.official, shown)),
        },
        Some((lambda, prev)) => {
            let t = target.unwrap_or_else(|| f64_of(r.official));
            match prev {
                Some(p) => {
                    let l = f64_of(lambda);
                    (l * f64_of(p).ln() + (1.0 - l) * t.ln()).exp()
                }
                None => t,
            }
        }
    };
    let rate = match round4_f64(x) {
        Some(n) => n.to_dec(),
        None => round4(from_f64(x, what)?),
    };
    Ok((rate, shown))
}

/// docs/model.md §3 step 8 as one exact division, rounded once: in 128
/// bits where it fits them, else at any width.
pub fn effective(
    official: Decimal,
    parallel: Decimal,
    v_off: Decimal,
    v_par: &[(Decimal, Decimal)],
) -> Result<Decimal, Overflow> {
    let exact = || -> Option<Num> {
        let mut par = Num::ZERO;
        let mut any = false;
        for &(x, y) in v_par.iter().filter(|(x, _)| !x.is_zero()) {
            let t = Num::from_dec(x).times(Num::from_dec(y))?;
            par = if any { par.plus(t)? } else { t };
            any = true;
        }
        let off = Num::from_dec(v_off);
        if off.is_zero() && par.is_zero() {
            return Some(Num::from_dec(official));
        }
        let weighted = Num::from_dec(official)
            .times(off)?
            .plus(Num::from_dec(parallel).times(par)?)?;
        div_round(weighted, off.plus(par)?, 4)
    };
    match exact() {
        Some(e) => Ok(e.to_dec()),
        None => super::wide_ratio::effective(official, parallel, v_off, v_par),
    }
}

/// docs/model.md §3 step 9: `round4(100 × exposure × num / den)`, exactly
/// (in 128 bits where it fits them, else at any width).
pub fn impact(x: &Impact<Decimal>) -> Result<Decimal, Overflow> {
    let exact = Num::int(100)
        .times(Num::from_dec(x.exposure))
        .and_then(|p| p.times(Num::from_dec(x.num)))
        .and_then(|p| div_round(p, Num::from_dec(x.den), 4));
    match exact {
        Some(v) => Ok(v.to_dec()),
        None => super::wide_ratio::impact(x),
    }
}

/// `a × b` when the product is exact (no digit dropped to fit).
pub(super) fn mul_exact(a: Decimal, b: Decimal) -> Option<Decimal> {
    let p = a.checked_mul(b)?;
    (p.scale() == a.scale() + b.scale()).then_some(p)
}

/// `a + b` when the sum is exact.
pub(super) fn add_exact(a: Decimal, b: Decimal) -> Option<Decimal> {
    let sum = a.checked_add(b)?;
    (sum.scale() >= a.scale().max(b.scale())).then_some(sum)
}

/// [`Arith::lagged`](crate::engine::arith::Arith::lagged) as an exact fraction, the algorithm of its default
/// (which the lanes run), or `None` where a product or sum does not fit a
/// `Decimal` exactly.
pub fn lagged_exact(terms: &[(Decimal, Decimal, Decimal)]) -> Option<(Decimal, Decimal)> {
    let mut groups: Vec<(Decimal, Decimal)> = Vec::with_capacity(terms.len());
    for &(w, gap, reference) in terms {
        let term = mul_exact(w, gap)?;
        match groups.iter().position(|&(r, _)| r == reference) {
            Some(i) => groups[i].1 = add_exact(groups[i].1, term)?,
            None => groups.push((reference, term)),
        }
    }
    let mut groups = groups.into_iter();
    let Some((mut den, mut num)) = groups.next() else {
        return Some((Decimal::ZERO, Decimal::ONE));
    };
    for (r, n) in groups {
        num = add_exact(mul_exact(num, r)?, mul_exact(n, den)?)?;
        den = mul_exact(den, r)?;
    }
    Some((num, den))
}

/// The lagged move `Σ_k w_k × (gap_k / reference_k)` in 28-digit decimals
/// (each quotient, product and sum rounded to what a `Decimal` holds, as
/// docs/model.md's reference does with 28-digit decimals), for lags whose
/// exact fraction is wider than a `Decimal`: ten or more lags over
/// references that change.
pub fn lagged_decimal(terms: &[(Decimal, Decimal, Decimal)]) -> Result<Decimal, Overflow> {
    let mut quotients = Vec::with_capacity(terms.len());
    for &(w, gap, reference) in terms {
        quotients.push((w, lagged_quotient(gap, reference)?));
    }
    lagged_sum(&quotients)
}

/// One month's move `gap / reference` in 28-digit decimals, as
/// [`lagged_decimal`] divides (the lanes keep it for the later months
/// that read it again).
pub fn lagged_quotient(gap: Decimal, reference: Decimal) -> Result<Decimal, Overflow> {
    gap.div(reference, "the price impact")
}

/// [`lagged_decimal`] from each lag's weight and its month's
/// [`lagged_quotient`]: `Σ w_k × q_k` in 28-digit decimals, in order.
pub fn lagged_sum(terms: &[(Decimal, Decimal)]) -> Result<Decimal, Overflow> {
    let what = "the price impact";
    let mut de = Decimal::ZERO;
    for &(w, q) in terms {
        de = de.add(w.mul(q, what)?, what)?;
    }
    Ok(de)
}

/// docs/model.md v2 `cpi_yoy_pct`: `round4(100 × ((1 + π/100) × (1 + I_now) /
/// (1 + I_back) − 1))`, exactly: as one fraction of 128-bit integers where
/// it fits them, else in as many digits as it needs (a 28-digit quotient
/// rounds a value that is exactly half a unit of the fourth place, such as
/// 764.85145, either way).
pub fn yoy(
    inflation: Decimal,
    now: &Impact<Decimal>,
    back: Option<&Impact<Decimal>>,
) -> Result<Decimal, Overflow> {
    match yoy_in_128_bits(inflation, now, back) {
        Some(v) => Ok(v),
        None => super::wide_ratio::yoy(inflation, now, back),
    }
}

/// `1 + I = (den + exposure × num) / den` as integers `(a, b, k)`: the
/// level is `a / b × 10^-k`.
fn level(x: &Impact<Decimal>) -> Option<(i128, i128, u32)> {
    let (e, n, d) = (
        Num::from_dec(x.exposure),
        Num::from_dec(x.num),
        Num::from_dec(x.den),
    );
    // den + e × n over 10^s, with s the finer of the two scales.
    let product = e.m.checked_mul(n.m)?;
    let ps = e.s + n.s;
    let s = ps.max(d.s);
    let top =
        d.m.checked_mul(*POW10.get((s - d.s) as usize)?)?
            .checked_add(product.checked_mul(*POW10.get((s - ps) as usize)?)?)?;
    // (top / 10^s) / (d.m / 10^d.s) = top / d.m × 10^(d.s − s).
    Some((top, d.m, s - d.s))
}

/// [`yoy`] as one fraction of 128-bit integers, `100 × (P − Q) / Q`,
/// rounded once half to even; `None` when a product would not fit 128
/// bits, the level a year back is zero, or the result would not fit a
/// `Decimal`. Every intermediate is an exact integer, so the result is
/// the exact fraction's, as the wide path computes it.
fn yoy_in_128_bits(
    inflation: Decimal,
    now: &Impact<Decimal>,
    back: Option<&Impact<Decimal>>,
) -> Option<Decimal> {
    let pi = Num::from_dec(inflation);
    // 1 + π/100 = (100 × 10^s + m) / (100 × 10^s).
    let base = POW10.get(pi.s as usize)?.checked_mul(100)?;
    let (a, b, ka) = level(now)?;
    let (c, d, kc) = match back {
        Some(x) => level(x)?,
        None => (1, 1, 0),
    };
    if b == 0 || d == 0 {
        return None; // a level over a zero den: the wide path says so
    }
    // P / Q = (base + m) × a × d / (base × b × c), with the powers of ten
    // 10^-ka over 10^-kc moved to the side that keeps both integers.
    let mut p = base.checked_add(pi.m)?.checked_mul(a)?.checked_mul(d)?;
    let mut q = base.checked_mul(b)?.checked_mul(c)?;
    if kc >= ka {
        p = p.checked_mul(*POW10.get((kc - ka) as usize)?)?;
    } else {
        q = q.checked_mul(*POW10.get((ka - kc) as usize)?)?;
    }
    if q == 0 {
        return None;
    }
    if q < 0 {
        (p, q) = (p.checked_neg()?, q.checked_neg()?);
    }
    // round4(100 × (P − Q) / Q): the numerator times 100 × 10^4.
    let n = p.checked_sub(q)?.checked_mul(1_000_000)?;
    let m = crate::num::quotient::div_half_even(n, q);
    Decimal::try_from_i128_with_scale(m, 4).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn impact(exposure: &str, num: &str, den: &str) -> Impact<Decimal> {
        Impact {
            exposure: d(exposure),
            num: d(num),
            den: d(den),
        }
    }

    #[test]
    fn year_on_year_with_fitted_decimals_is_one_128_bit_fraction() {
        // The default model's kind of numbers: π with six places, an
        // exposure with eight, a rate gap with four. By hand (exact
        // fractions, checked in Python's `fractions`):
        // 1 + 0.31091725 × -89.8765 / 1460 = 0.9808601…;
        // 1 + 0.31091725 × 12.3456 / 1460 = 1.0026290…;
        // 100 × (1.06213457 × 0.9808601… / 1.0026290… − 1)
        // = 3.90736830157… → 3.9074; with no year back,
        // 100 × (1.06213457 × 0.9808601… − 1) = 4.1805 (4.18046…).
        let now = impact("0.31091725", "-89.8765", "1460");
        let back = impact("0.31091725", "12.3456", "1460");
        let pi = d("6.213457");
        assert_eq!(yoy_in_128_bits(pi, &now, Some(&back)), Some(d("3.9074")));
        assert_eq!(yoy(pi, &now, Some(&back)).unwrap(), d("3.9074"));
        assert_eq!(yoy_in_128_bits(pi, &now, None), Some(d("4.1805")));
    }

    #[test]
    fn a_tie_rounds_to_even_and_a_zero_den_is_an_error() {
        // The same level now and a year back: the rate is π, 764.85145,
        // half a unit of the fourth place: to even, 764.8514.
        let i = impact("0.091748", "-812.2", "1716");
        assert_eq!(yoy_in_128_bits(d("764.85145"), &i, Some(&i)), Some(d("764.8514")));
        // A level over a zero den is left to the wide path, which refuses it.
        let zero = impact("0.5", "1", "0");
        assert_eq!(yoy_in_128_bits(d("5"), &i, Some(&zero)), None);
        assert!(yoy(d("5"), &i, Some(&zero)).is_err());
        assert!(yoy(d("5"), &zero, None).is_err());
        // A level of zero a year back (1 + 1 × -1 / 1) likewise.
        let nothing = impact("1", "-1", "1");
        assert_eq!(yoy_in_128_bits(d("5"), &i, Some(&nothing)), None);
        assert!(yoy(d("5"), &i, Some(&nothing)).is_err());
    }

    proptest::proptest! {
        /// Wherever the 128-bit fraction answers, it is the wide exact
        /// fraction's answer, rounding and all.
        #[test]
        fn the_128_bit_fraction_agrees_with_the_wide_one(
            pi in -9_999_999i64..99_999_999, pi_s in 0u32..7,
            e in 0i64..100_000_000, e_s in 0u32..9,
            n in -99_999_999i64..99_999_999, n_s in 0u32..5,
            den in 1i64..99_999_999, den_s in 0u32..5,
            e2 in 0i64..100_000_000, n2 in -99_999_999i64..99_999_999, den2 in -99_999_999i64..99_999_999,
            with_back in proptest::bool::ANY,
        ) {
            let x = |m: i64, s: u32| Decimal::new(m, s);
            let now = Impact { exposure: x(e, e_s), num: x(n, n_s), den: x(den, den_s) };
            let back = Impact { exposure: x(e2, e_s), num: x(n2, n_s), den: x(den2, den_s) };
            let back = with_back.then_some(&back);
            let pi = x(pi, pi_s);
            if let Some(fast) = yoy_in_128_bits(pi, &now, back) {
                proptest::prop_assert_eq!(Ok(fast), super::super::wide_ratio::yoy(pi, &now, back));
            }
        }

        /// Numbers of four digits and four places at most (every product
        /// far inside 128 bits): the 128-bit fraction always answers where
        /// the wide one does, with the same value, whatever the scales.
        #[test]
        fn small_numbers_never_need_the_wide_path(
            pi in -9_999i64..9_999, pi_s in 0u32..5,
            e in 0i64..10_000, e_s in 0u32..5,
            n in -9_999i64..9_999, n_s in 0u32..5,
            den in -9_999i64..9_999, den_s in 0u32..5,
            e2 in 0i64..10_000, e2_s in 0u32..5,
            n2 in -9_999i64..9_999, n2_s in 0u32..5,
            den2 in -9_999i64..9_999, den2_s in 0u32..5,
            with_back in proptest::bool::ANY,
        ) {
            let x = |m: i64, s: u32| Decimal::new(m, s);
            let now = Impact { exposure: x(e, e_s), num: x(n, n_s), den: x(den, den_s) };
            let back = Impact { exposure: x(e2, e2_s), num: x(n2, n2_s), den: x(den2, den2_s) };
            let back = with_back.then_some(&back);
            let pi = x(pi, pi_s);
            let wide = super::super::wide_ratio::yoy(pi, &now, back);
            proptest::prop_assert_eq!(yoy_in_128_bits(pi, &now, back), wide.ok());
        }
    }
}
