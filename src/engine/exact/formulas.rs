//! docs/model.md §3's formulas on exact `Decimal`s, one function each
//! (flights, the power law and its target rate, the effective rate, a
//! price impact, lagged moves, year-on-year CPI): what the exact backend
//! computes and what the lane backend is checked against.

use rust_decimal::Decimal;

use crate::engine::arith::{Impact, RateArgs};
use crate::num::decimal::{from_f64, round4, to_f64, Checked, Overflow};
use crate::num::fixed::{div_round, num_f64, ratio_f64, round4_f64, Num};

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

/// [`Arith::lagged`] as an exact fraction, the algorithm of its default
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
/// (1 + I_back) − 1))`, exactly: in 128 bits where the fraction fits
/// them, else in as many digits as it needs (a 28-digit quotient rounds
/// a value that is exactly half a unit of the fourth place, such as
/// 764.85145, either way).
pub fn yoy(
    inflation: Decimal,
    now: &Impact<Decimal>,
    back: Option<&Impact<Decimal>>,
) -> Result<Decimal, Overflow> {
    let n = Num::from_dec;
    // 1 + I = (den + exposure·num) / den.
    let one_plus = |x: &Impact<Decimal>| -> Option<(Num, Num)> {
        Some((n(x.den).plus(n(x.exposure).times(n(x.num))?)?, n(x.den)))
    };
    let exact = || -> Option<Num> {
        let (a, b) = one_plus(now)?;
        let hundred = Num::int(100);
        let mut top = hundred.plus(n(inflation))?.times(a)?;
        let mut bottom = hundred.times(b)?;
        if let Some(back) = back {
            let (c, d) = one_plus(back)?;
            top = top.times(d)?;
            bottom = bottom.times(c)?;
        }
        div_round(top.minus(bottom)?.times(hundred)?, bottom, 4)
    };
    match exact() {
        Some(v) => Ok(v.to_dec()),
        None => super::wide_ratio::yoy(inflation, now, back),
    }
}
