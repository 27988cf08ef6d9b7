//! MODEL.md §5 steps 7–8: unmet demand for dollars spills into the parallel
//! market and raises the dinar price of the dollar there (a constant
//! elasticity power law, the model's one `f64` step); the effective import
//! rate blends the official and parallel rates by the dollars bought at each.

use rust_decimal::Decimal;

use super::fixed::Fixed;
use crate::model::Params;
use crate::num::decimal::{from_f64, round4, to_f64, Checked, Overflow};
use crate::num::fixed::{div_round, num_f64, ratio_f64, round4_f64, Num};

/// Step 7's result with its intermediate values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parallel {
    /// Unmet demand per session, `u`.
    pub unmet_per_session: Decimal,
    /// Parallel-market demand `D`.
    pub demand: Decimal,
    pub rate: Decimal,
    pub premium_pct: Decimal,
}

/// `u = unmet / sessions`; `D = turnover + spillover × (u − baseline_unmet)`;
/// `parallel = round4(baseline_rate × (D / turnover)^(1 / (εd + εs)))`, at
/// least the official rate (the official rate itself when `D <= 0`).
pub fn parallel_rate(
    p: &Params,
    unmet: Decimal,
    sessions: u32,
    official: Decimal,
) -> Result<Parallel, Overflow> {
    let m = &p.parallel;
    let what = "the parallel rate";
    // u and D are kept for display (`explain`); the rate uses the exact fraction.
    let u = if sessions == 0 {
        Decimal::ZERO
    } else {
        unmet.div(Decimal::from(sessions), what)?
    };
    let excess = u.sub(m.baseline_unmet.value, what)?;
    let demand = m
        .baseline_turnover
        .value
        .add(m.spillover_share.value.mul(excess, what)?, what)?;
    let inputs = RateInputs {
        official: Num::from_dec(official),
        turnover: Num::from_dec(m.baseline_turnover.value),
        baseline_unmet: Num::from_dec(m.baseline_unmet.value),
        spillover: Num::from_dec(m.spillover_share.value),
        elasticity: Num::from_dec(m.demand_elasticity.value)
            .plus(Num::from_dec(m.supply_elasticity.value))
            .and_then(num_f64),
        baseline_f64: num_f64(Num::from_dec(m.baseline_rate.value)),
    };
    let (rate, premium_pct) = match inputs.rate(Num::from_dec(unmet), sessions) {
        Some((r, p)) => (r.to_dec(), p.to_dec()),
        None => decimal_rate(p, demand, official)?,
    };
    Ok(Parallel {
        unmet_per_session: u,
        demand,
        rate,
        premium_pct,
    })
}

/// The parameters of step 7 as exact fixed-point numbers.
#[derive(Debug, Clone, Copy)]
pub struct RateInputs<T: Fixed = Num> {
    pub official: T,
    pub turnover: T,
    pub baseline_unmet: T,
    pub spillover: T,
    /// εd + εs as the nearest `f64` (`None` if it could not be computed exactly).
    pub elasticity: Option<f64>,
    /// The baseline rate as the nearest `f64`.
    pub baseline_f64: Option<f64>,
}

impl<T: Fixed> RateInputs<T> {
    /// The parallel rate and the premium for `unmet` over `sessions`, from
    /// the exact fraction `D / turnover =
    /// (turnover·S + spillover·(unmet − baseline_unmet·S)) / (turnover·S)`;
    /// `None` when a number leaves exact integer range.
    pub fn rate(&self, unmet: T, sessions: u32) -> Option<(T, T)> {
        let s = T::int(i64::from(sessions.max(1)));
        let unmet = if sessions == 0 { T::ZERO } else { unmet };
        let base = self.turnover.times(s)?;
        let excess = unmet.minus(self.baseline_unmet.times(s)?)?;
        let num = base.plus(self.spillover.times(excess)?)?;
        let rate = if num.cmp_num(T::ZERO) != std::cmp::Ordering::Greater {
            self.official
        } else {
            let ratio = ratio_f64(num.to_num(), base.to_num())?;
            let elasticity = self.elasticity?;
            let baseline = self.baseline_f64?;
            let rate = T::from_num(round4_f64(baseline * ratio.powf(1.0 / elasticity))?)?;
            // max(parallel, official), keeping the parallel value when equal.
            if self.official.cmp_num(rate) == std::cmp::Ordering::Greater {
                self.official
            } else {
                rate
            }
        };
        // premium = round4(100 × (parallel / official − 1)), one exact division.
        let gap = rate.minus(self.official)?.times(T::int(100))?;
        let premium = T::from_num(div_round(gap.to_num(), self.official.to_num(), 4)?)?;
        Some((rate, premium))
    }
}

/// Step 7 in `Decimal` with 28-digit divisions, for numbers too large for
/// the exact fractions.
fn decimal_rate(p: &Params, demand: Decimal, official: Decimal) -> Result<(Decimal, Decimal), Overflow> {
    let m = &p.parallel;
    let what = "the parallel rate";
    let rate = if demand <= Decimal::ZERO {
        official
    } else {
        let ratio = to_f64(demand.div(m.baseline_turnover.value, what)?);
        let elasticity = to_f64(m.demand_elasticity.value.add(m.supply_elasticity.value, what)?);
        let raw = to_f64(m.baseline_rate.value) * ratio.powf(1.0 / elasticity);
        let rate = round4(from_f64(raw, what)?);
        if official > rate {
            official
        } else {
            rate
        }
    };
    let premium = round4(
        Decimal::ONE_HUNDRED.mul(
            rate.div(official, "the premium")?
                .sub(Decimal::ONE, "the premium")?,
            "the premium",
        )?,
    );
    Ok((rate, premium))
}

/// Step 8: `effective = round4((official × v_off + parallel × v_par) / (v_off + v_par))`
/// with `v_off = cash_sold + wires_sent` and `v_par = spillover × unmet`.
pub fn effective_rate(
    p: &Params,
    official: Decimal,
    parallel: Decimal,
    sold_officially: Decimal,
    unmet: Decimal,
) -> Result<Decimal, Overflow> {
    let exact = effective_exact(
        Num::from_dec(official),
        Num::from_dec(parallel),
        Num::from_dec(sold_officially),
        Num::from_dec(p.parallel.spillover_share.value),
        Num::from_dec(unmet),
    );
    if let Some(e) = exact {
        return Ok(e.to_dec());
    }
    let what = "the effective rate";
    let v_par = p.parallel.spillover_share.value.mul(unmet, what)?;
    let total = sold_officially.add(v_par, what)?;
    if sold_officially.is_zero() && v_par.is_zero() {
        return Ok(official);
    }
    let weighted = official
        .mul(sold_officially, what)?
        .add(parallel.mul(v_par, what)?, what)?;
    Ok(round4(weighted.div(total, what)?))
}

/// Step 8 as one exact division rounded to four places.
pub fn effective_exact<T: Fixed>(official: T, parallel: T, v_off: T, spillover: T, unmet: T) -> Option<T> {
    let v_par = spillover.times(unmet)?;
    if v_off.is_zero() && v_par.is_zero() {
        return Some(official);
    }
    let weighted = official.times(v_off)?.plus(parallel.times(v_par)?)?;
    T::from_num(div_round(weighted.to_num(), v_off.plus(v_par)?.to_num(), 4)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, params};

    #[test]
    fn unmet_demand_raises_the_parallel_rate() {
        let p = params();
        // u = 1,472,000 / 23 = 64,000; D = 50,000 + 0.5 × 64,000 = 82,000;
        // 1480 × 1.64^(1/3) = 1480 × 1.179273... = 1745.3251 (round4);
        // premium = 100 × (1745.3251 / 1460 − 1) = 19.54281... → 19.5428.
        let r = parallel_rate(&p, d("1472000.00"), 23, d("1460")).unwrap();
        assert_eq!(r.unmet_per_session, d("64000"));
        assert_eq!(r.demand, d("82000"));
        assert_eq!(r.rate, d("1745.3251"));
        assert_eq!(r.premium_pct, d("19.5428"));
    }

    #[test]
    fn at_baseline_the_rate_is_the_baseline() {
        let p = params();
        // No unmet demand, none at baseline: D = turnover, ratio 1, rate = 1480.
        let r = parallel_rate(&p, d("0"), 20, d("1460")).unwrap();
        assert_eq!(r.rate, d("1480.0000"));
    }

    #[test]
    fn never_below_the_official_rate() {
        let mut p = params();
        p.parallel.baseline_unmet.value = d("200000");
        // u = 0, D = 50,000 + 0.5 × (0 − 200,000) = −50,000 <= 0 → official.
        let r = parallel_rate(&p, d("0"), 20, d("1460")).unwrap();
        assert_eq!(r.rate, d("1460"));
        assert_eq!(r.premium_pct, d("0.0000"));
        // D = 50,000 + 0.5 × (0 − 20,000) = 40,000: 1480 × 0.8^(1/3) = 1373.9... < 1460.
        p.parallel.baseline_unmet.value = d("20000");
        let r = parallel_rate(&p, d("0"), 20, d("1460")).unwrap();
        assert_eq!(r.rate, d("1460"));
    }

    #[test]
    fn no_sessions_means_no_spillover_per_session() {
        let p = params();
        let r = parallel_rate(&p, d("5000.00"), 0, d("1460")).unwrap();
        assert_eq!(r.unmet_per_session, d("0"));
        assert_eq!(r.rate, d("1480.0000"));
    }

    #[test]
    fn effective_rate_weights_official_and_parallel_dollars() {
        let p = params();
        // v_off = 828,000; v_par = 0.5 × 1,472,000 = 736,000;
        // (1460 × 828,000 + 1745.3251 × 736,000) / 1,564,000
        // = (1,208,880,000 + 1,284,559,273.6) / 1,564,000
        // = 2,493,439,273.6 / 1,564,000 = 1594.270635... → 1594.2706.
        let e = effective_rate(&p, d("1460"), d("1745.3251"), d("828000.00"), d("1472000.00")).unwrap();
        assert_eq!(e, d("1594.2706"));
        assert_eq!(
            effective_rate(&p, d("1460"), d("1500"), d("0"), d("0")).unwrap(),
            d("1460")
        );
    }
}
