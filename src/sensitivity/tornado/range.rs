//! A tornado bar's two ends: a parameter's low and high value and why
//! (the P10 and P90 of its `[uncertainty]` distribution as `mc` draws it,
//! a drawn factor's, or the base value ∓ a percentage), rounded as drawn
//! values are and kept in the allowed range.

use rust_decimal::Decimal;

use crate::model::rules;
use crate::model::{factor, Distribution, Model, ParamId, Uncertain};
use crate::num::decimal::{clean, from_f64, to_f64};
use crate::render::thousands;
use crate::sampling::Shape;
use crate::sensitivity::form::Form;
use crate::sensitivity::{places, round_for, whole, Target};

/// The low and high value of a parameter, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// The low value, rounded and within the allowed range.
    pub low: Decimal,
    /// The high value, rounded and within the allowed range.
    pub high: Decimal,
    /// Where they come from, e.g. `P10/P90 of pert(…)` or `base 2 ∓ 10%`.
    pub basis: String,
    /// For a parameter with scheduled changes and no distribution: the
    /// factors (1 ∓ pct/100) its whole schedule is scaled by (docs/model.md v2
    /// `PATH*=F`), instead of flattening the schedule to one value; for a
    /// drawn factor (`"PATH*"` in `[uncertainty]`), its P10 and P90.
    pub factors: Option<(Decimal, Decimal)>,
    /// Whether `[uncertainty]` draws a factor on the parameter, so that low
    /// and high are factors.
    pub drawn_factor: bool,
    /// Whether low and high are base × (1 ∓ `--swing`%), so that a refused
    /// end can be blamed on the swing.
    pub swung: bool,
}

/// `value × (1 ∓ pct/100)`, or why it cannot be: past the largest exact
/// decimal (a value of about 7.2e28 and a 10% swing).
pub(super) fn swung(value: Decimal, pct: Decimal) -> Result<(Decimal, Decimal), String> {
    let f = pct / Decimal::ONE_HUNDRED;
    match (
        value.checked_mul(Decimal::ONE - f),
        value.checked_mul(Decimal::ONE + f),
    ) {
        (Some(a), Some(b)) => Ok((a, b)),
        _ => Err(format!(
            "{} × (1 + {}%) is past the largest exact decimal (about 7.9e28)",
            clean(value.normalize()),
            pct.normalize()
        )),
    }
}

/// Low and high of `id`: P10/P90 of its distribution, or base ∓ `pct`%;
/// `Err` says why there is none (a swing past the largest exact decimal).
pub fn range_of(model: &Model, id: ParamId, pct: Decimal) -> Result<Range, String> {
    let kind = id.kind();
    let mut factors = None;
    let drawn = model.uncertainty.iter().find(|u| u.param == id);
    let (low, high, basis) = match drawn {
        Some(u) if u.scale => return Ok(factor_range(model, u)),
        Some(u) => {
            // The range mc draws from: the kind's, narrowed by the rules
            // that tie the parameter to others in every month.
            let (rule_lo, rule_hi) = rules::bounds_over(&model.schedule(), id);
            let lo = match (kind.min().map(|(m, _)| m), rule_lo) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            };
            let hi = match (kind.max(), rule_hi) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            let (lo_f, hi_f) = (lo.map(to_f64), hi.map(to_f64));
            let q = |p: f64| from_f64(quantile(&u.dist, p, lo_f, hi_f), "a quantile").unwrap_or_default();
            (q(0.1), q(0.9), p10_p90_of(&u.dist, lo, hi))
        }
        None => {
            let base = model.base.get(id);
            let f = pct / Decimal::ONE_HUNDRED;
            let (a, b) = swung(base, pct)?;
            let scheduled = model.scheduled(id);
            if scheduled {
                factors = Some((Decimal::ONE - f, Decimal::ONE + f));
            }
            (
                a.min(b),
                a.max(b),
                if scheduled {
                    format!(
                        "its schedule × (1 ∓ {}%), base {}",
                        pct.normalize(),
                        thousands(clean(base.normalize()))
                    )
                } else {
                    format!(
                        "base {} ∓ {}%",
                        thousands(clean(base.normalize())),
                        pct.normalize()
                    )
                },
            )
        }
    };
    Ok(Range {
        low: in_range(id, round_for(id, low)),
        high: in_range(id, round_for(id, high)),
        basis,
        factors,
        drawn_factor: false,
        swung: drawn.is_none(),
    })
}

/// Where a drawn parameter's low and high come from: the P10/P90 of its
/// distribution, said to be cut to `lo`..`hi` (as `mc` draws it) when 1% or
/// more of it lies outside, since those quantiles then differ from the
/// plain distribution's.
fn p10_p90_of(dist: &Distribution, lo: Option<Decimal>, hi: Option<Decimal>) -> String {
    let outside = Shape::of(dist).map_or(0.0, |s| {
        lo.map_or(0.0, |x| s.cdf(to_f64(x))) + hi.map_or(0.0, |x| 1.0 - s.cdf(to_f64(x)))
    });
    if outside < 0.01 {
        return format!("P10/P90 of {dist}");
    }
    let end = |x: Option<Decimal>| x.map(|x| thousands(clean(x.normalize())));
    let within = match (end(lo), end(hi)) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("at least {a}"),
        (None, Some(b)) => format!("at most {b}"),
        (None, None) => return format!("P10/P90 of {dist}"),
    };
    format!("P10/P90 of {dist} cut to {within}")
}

/// Low and high of a drawn factor: the P10 and P90 of its distribution as
/// `mc` draws it (truncated to the factors that keep every month's value
/// in range), rounded to six places and kept in that range.
pub(super) fn factor_range(model: &Model, u: &Uncertain) -> Range {
    let b = factor::bounds(model, u.param);
    let f64_of = |units: i128| to_f64(factor::to_decimal(units));
    let q = |p: f64| {
        let x = from_f64(
            quantile(&u.dist, p, b.min.map(f64_of), b.max.map(f64_of)),
            "a quantile",
        )
        .unwrap_or(Decimal::ONE)
        .round_dp_with_strategy(
            factor::PLACES,
            rust_decimal::RoundingStrategy::MidpointNearestEven,
        );
        let x = b.min.map_or(x, |m| x.max(factor::to_decimal(m)));
        b.max.map_or(x, |m| x.min(factor::to_decimal(m))).normalize()
    };
    let (low, high) = (q(0.1), q(0.9));
    Range {
        low,
        high,
        basis: format!(
            "P10/P90 of {}, a factor on its schedule, base {}",
            u.dist,
            thousands(clean(model.base.get(u.param).normalize()))
        ),
        factors: Some((low, high)),
        drawn_factor: true,
        swung: false,
    }
}

/// The bar's name: the path, with `*` for a drawn factor.
pub(super) fn name(model: &Model, id: ParamId, r: &Range) -> String {
    let path = model.base.path(id);
    if r.drawn_factor {
        path + "*"
    } else {
        path
    }
}

/// What the low and the high run change: `id` for the whole timeline, or
/// its schedule scaled.
pub(super) fn ends(id: ParamId, r: &Range) -> ((Target, Decimal), (Target, Decimal)) {
    match r.factors {
        Some((lo, hi)) => ((Target::Scale(id), lo), (Target::Scale(id), hi)),
        None => (whole(id, r.low), whole(id, r.high)),
    }
}

/// A bar before it runs: its name, range, what its low and its high run
/// change, and whether it replaces scheduled changes.
pub(super) type Candidate = (String, Range, (Target, Decimal), (Target, Decimal), bool);

/// Low and high of a bar named by form: one step of a timeline at its
/// value × (1 ∓ `pct`%), or a factor on the whole schedule, `factors` or
/// 1 ∓ `pct`%.
pub(super) fn form_range(
    model: &Model,
    form: &Form,
    factors: Option<(Decimal, Decimal)>,
    pct: Decimal,
) -> Result<Range, String> {
    let f = pct / Decimal::ONE_HUNDRED;
    match form.target {
        Target::Scale(id) => {
            let (lo, hi) = factors.unwrap_or((Decimal::ONE - f, Decimal::ONE + f));
            let (lo, hi) = (form.round(lo), form.round(hi));
            let basis = match factors {
                Some(_) => format!("its schedule × {} to {}", lo.normalize(), hi.normalize()),
                None => format!("its schedule × (1 ∓ {}%)", pct.normalize()),
            };
            Ok(Range {
                low: lo,
                high: hi,
                basis: format!(
                    "{basis}, base {}",
                    thousands(clean(model.base.get(id).normalize()))
                ),
                factors: Some((lo, hi)),
                drawn_factor: false,
                swung: factors.is_none(),
            })
        }
        t => {
            let id = t.param();
            let (a, b) = swung(form.start, pct)?;
            let months = match t {
                Target::Step(_, at) | Target::From(_, at) => {
                    let m = model.timeline.months[at].month;
                    match model.step_end(id, m) {
                        Some((n, _)) if matches!(t, Target::Step(..)) => {
                            format!("its step {}", crate::model::step_months(m, n))
                        }
                        _ if matches!(t, Target::Step(..)) => format!("its step from {m} to the end"),
                        _ => format!("its value from {m} to the end"),
                    }
                }
                _ => "its value".to_string(),
            };
            Ok(Range {
                low: in_range(id, round_for(id, a.min(b))),
                high: in_range(id, round_for(id, a.max(b))),
                basis: format!(
                    "{months} × (1 ∓ {}%), value {}",
                    pct.normalize(),
                    thousands(clean(form.start.normalize()))
                ),
                factors: None,
                drawn_factor: false,
                swung: true,
            })
        }
    }
}

/// Clamps a rounded value into the allowed range; an excluded lower end
/// (a rate > 0) becomes the smallest value at the parameter's places.
pub(super) fn in_range(id: ParamId, x: Decimal) -> Decimal {
    let kind = id.kind();
    let mut x = x;
    if let Some(max) = kind.max() {
        x = x.min(max);
    }
    match kind.min() {
        Some((m, true)) if x < m => m,
        Some((m, false)) if x <= m => m + Decimal::new(1, places(id)),
        _ => x,
    }
}

/// The `p` quantile of `dist` restricted to `[lo, hi]` (either end may be
/// open): the quantile of the values `mc` keeps when it redraws those
/// outside the range. NaN for parameters statrs refuses (loading refuses
/// them first).
pub fn quantile(dist: &Distribution, p: f64, lo: Option<f64>, hi: Option<f64>) -> f64 {
    Shape::of(dist).map_or(f64::NAN, |s| s.truncated_quantile(p, lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};

    fn q(dist: Distribution, p: f64) -> f64 {
        quantile(&dist, p, None, None)
    }

    #[test]
    fn quantiles_of_each_distribution() {
        // Uniform(0.6, 1.0): P10 = 0.64.
        let u = q(
            Distribution::Uniform {
                min: d("0.6"),
                max: d("1.0"),
            },
            0.1,
        );
        assert!((u - 0.64).abs() < 1e-12);
        // Triangular(0.8, 2.0, 3.5): F(x) = (x − 0.8)² / (2.7 × 1.2) below the
        // mode, so P10 = 0.8 + √0.324 = 1.369210…; P90 = 3.5 − √(0.1 × 2.7 × 1.5).
        let t = Distribution::Triangular {
            min: d("0.8"),
            mode: d("2.0"),
            max: d("3.5"),
        };
        assert!((q(t.clone(), 0.1) - (0.8 + 0.324f64.sqrt())).abs() < 1e-12);
        assert!((q(t, 0.9) - (3.5 - 0.405f64.sqrt())).abs() < 1e-12);
        // Normal: mean ∓ 1.2815515655 sd.
        let n = q(
            Distribution::Normal {
                mean: d("78.31"),
                sd: d("8"),
            },
            0.9,
        );
        assert!((n - (78.31 + 1.281_551_565_5 * 8.0)).abs() < 1e-6);
        // Lognormal: exp(mu + z sigma).
        let l = q(
            Distribution::LogNormal {
                mu: d("0"),
                sigma: d("1"),
            },
            0.1,
        );
        assert!((l - (-1.281_551_565_5f64).exp()).abs() < 1e-6);
        // PERT(0, 0.5, 1) is Beta(3, 3): symmetric, so P10 + P90 = 1, and
        // its CDF at 0.2 is 0.05792, at 0.3 is 0.16308: P10 lies between.
        let pert = Distribution::Pert {
            min: d("0"),
            mode: d("0.5"),
            max: d("1"),
        };
        let (p10, p90) = (q(pert.clone(), 0.1), q(pert, 0.9));
        assert!((p10 + p90 - 1.0).abs() < 1e-9 && p10 > 0.2 && p10 < 0.3, "{p10}");
        // Beta(2, 2) on [10, 20]: the scaled median is 15.
        let b = Distribution::Beta {
            alpha: d("2"),
            beta: d("2"),
            min: d("10"),
            max: d("20"),
        };
        assert!((q(b, 0.5) - 15.0).abs() < 1e-9);
    }

    #[test]
    fn truncation_keeps_quantiles_inside_the_range() {
        // Normal(0, 1) kept >= 0 is the half-normal: its P10 is Φ⁻¹(0.55).
        let n = Distribution::Normal {
            mean: d("0"),
            sd: d("1"),
        };
        let p10 = quantile(&n, 0.1, Some(0.0), None);
        assert!((p10 - 0.125_661_346_855).abs() < 1e-6, "{p10}");
    }

    #[test]
    fn swing_ranges_round_and_clamp() {
        let m = model();
        let r = range_of(&m, ParamId::CashShare, d("10")).unwrap();
        assert_eq!((r.low, r.high), (d("0.18"), d("0.22")));
        assert_eq!(r.basis, "base 0.2 ∓ 10%");
        assert_eq!(r.factors, None);
        // The rejection rate has a change from February (0.5): its whole
        // schedule is scaled, 0.8 showing as 0.72 and 0.88.
        let r = range_of(&m, ParamId::RejectionRate, d("10")).unwrap();
        assert_eq!((r.low, r.high), (d("0.72"), d("0.88")));
        assert_eq!(r.basis, "its schedule × (1 ∓ 10%), base 0.8");
        assert_eq!(r.factors, Some((d("0.9"), d("1.1"))));
        let r = range_of(&m, ParamId::CashShare, d("50")).unwrap();
        assert_eq!((r.low, r.high), (d("0.1"), d("0.3")));
        // Clamped to the allowed range: 0.8 × 1.5 = 1.2 shows as 1.
        let r = range_of(&m, ParamId::RejectionRate, d("50")).unwrap();
        assert_eq!((r.low, r.high), (d("0.4"), d("1")));
        // Money to the cent: 1,200,000 × 0.9999 and × 1.0001.
        let r = range_of(&m, ParamId::CashPerMonth, d("0.01")).unwrap();
        assert_eq!((r.low, r.high), (d("1199880"), d("1200120")));
    }
}
