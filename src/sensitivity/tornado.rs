//! `tornado`: one metric, each parameter moved on its own to a low and a
//! high value with the others at base, sorted by how far the metric
//! swings. Low and high are the P10 and P90 of the parameter's
//! `[uncertainty]` distribution when it has one (the distribution as `mc`
//! draws it: truncated to the allowed range), else the base value
//! ∓ a percentage. Values are rounded as docs/model.md §1.6 rounds drawn values
//! (cents for money, six places otherwise) and kept in the allowed range.

use rust_decimal::Decimal;

use super::form::{parse_form, Form};
use super::{
    metric_name, parse_metric, places, resolve, round_for, whole, Assignment, Evaluator, Progress, Target,
};
use crate::engine::metrics::MetricRef;
use crate::engine::EngineError;
use crate::error::Error;
use crate::model::rules;
use crate::model::{factor, Distribution, Model, ParamId, Uncertain};
use crate::num::decimal::{clean, from_f64, parse_decimal, to_f64, Overflow};
use crate::render::thousands;
use crate::sampling::Shape;

/// One bar of the tornado.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// The parameter's path, e.g. `parallel_market.demand_elasticity`, or
    /// `exports.price_usd_per_bbl*` when `[uncertainty]` draws a factor on it.
    pub path: String,
    /// The parameter's low value: P10 of its distribution, or the lower of
    /// base ∓ `--swing`%; for a drawn factor, the P10 factor.
    pub low: Decimal,
    /// The parameter's high value: P90 of its distribution, or the higher
    /// of base ∓ `--swing`%; for a drawn factor, the P90 factor.
    pub high: Decimal,
    /// Where low and high come from, in words.
    pub basis: String,
    /// The parameter has `[[changes]]`, which low and high replace.
    pub replaces_changes: bool,
    /// The metric with the parameter at `low` and every other at base.
    pub metric_low: Decimal,
    /// The metric with the parameter at `high` and every other at base.
    pub metric_high: Decimal,
    /// `metric_high − metric_low`.
    pub swing: Decimal,
}

/// The tornado of one metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tornado {
    /// The metric as named on the command line, e.g. `parallel_rate` or `premium_pct:max`.
    pub metric: String,
    /// The metric with every parameter at base.
    pub base: Decimal,
    /// Largest swing (in absolute value) first.
    pub bars: Vec<Bar>,
    /// Parameters left out, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// What to move and by how much.
#[derive(Debug, Clone)]
pub struct Request {
    /// The metric whose swing is measured (`--metric`).
    pub metric: MetricRef,
    /// The parameters named with `--param`; empty for the default choice.
    pub params: Vec<ParamId>,
    /// The `--swing` percentage for parameters without a distribution.
    pub swing_pct: Decimal,
    /// Bars for one step of a timeline (`--param PATH@YYYY-MM`) or a factor
    /// on all of it (`--scale PATH[=LO:HI]`), with the factors given.
    pub forms: Vec<(Form, Option<(Decimal, Decimal)>)>,
}

impl Request {
    /// The request `tornado` makes of `--metric METRIC`, each `--param`
    /// (`PATH`, `PATH*` or `PATH@YYYY-MM`), each `--scale PATH[=LO:HI]` and
    /// `--swing PCT`, every problem named with its option.
    pub fn parse(
        model: &Model,
        metric: &str,
        param: &[String],
        scale: &[String],
        swing: &str,
    ) -> Result<Request, Error> {
        let metric = parse_metric(model, metric).map_err(|e| e.for_option("--metric", metric))?;
        let mut params = Vec::new();
        let mut forms = Vec::new();
        for p in param {
            if p.contains('@') {
                forms.push((
                    parse_form(model, p).map_err(|e| e.for_option("--param", p))?,
                    None,
                ));
            } else {
                params.push(param_of(model, p).map_err(|e| e.for_option("--param", p))?);
            }
        }
        for text in scale {
            let (path, factors) = match text.split_once('=') {
                Some((path, spec)) => {
                    let bad = || {
                        Error::Usage(format!(
                            "--scale {text}: expected PATH=LO:HI, e.g. exports.price_usd_per_bbl=0.8:1.2"
                        ))
                    };
                    let (lo, hi) = spec.split_once(':').ok_or_else(bad)?;
                    let num = |x: &str| {
                        parse_decimal(x.trim())
                            .map_err(|e| Error::Usage(format!("--scale {text}: {:?} {e}", x.trim())))
                    };
                    let (lo, hi) = (num(lo)?, num(hi)?);
                    if lo > hi {
                        return Err(Error::Usage(format!("--scale {text}: LO {lo} is above HI {hi}")));
                    }
                    (path, Some((lo, hi)))
                }
                None => (text.as_str(), None),
            };
            let path = path.trim().trim_end_matches('*');
            let form = parse_form(model, &format!("{path}*")).map_err(|e| e.for_option("--scale", text))?;
            forms.push((form, factors));
        }
        let swing_pct: Decimal =
            parse_decimal(swing).map_err(|e| Error::Usage(format!("--swing {swing}: {e}")))?;
        Ok(Request {
            metric,
            params,
            swing_pct,
            forms,
        })
    }
}

/// A `--param` path; `PATH*` names a factor that `[uncertainty]` draws on
/// PATH (its bar is named so), which moves the same as `PATH`.
fn param_of(model: &Model, p: &str) -> Result<ParamId, Error> {
    let Some(path) = p.trim().strip_suffix('*') else {
        return resolve(model, p);
    };
    let id = resolve(model, path)?;
    if model.uncertainty.iter().any(|u| u.param == id && u.scale) {
        return Ok(id);
    }
    Err(Error::Usage(format!(
        "`{p}` names a drawn factor, but [uncertainty] draws none on {}; name the parameter itself (--param {})",
        path.trim_end(),
        path.trim_end()
    )))
}

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
}

/// `value × (1 ∓ pct/100)`, or why it cannot be: past the largest exact
/// decimal (a value of about 7.2e28 and a 10% swing).
fn swung(value: Decimal, pct: Decimal) -> Result<(Decimal, Decimal), String> {
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
    let (low, high, basis) = match model.uncertainty.iter().find(|u| u.param == id) {
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
            let (lo, hi) = (lo.map(to_f64), hi.map(to_f64));
            let q = |p: f64| from_f64(quantile(&u.dist, p, lo, hi), "a quantile").unwrap_or_default();
            (q(0.1), q(0.9), format!("P10/P90 of {}", u.dist))
        }
        None => {
            let base = model.base.get(id);
            let f = pct / Decimal::ONE_HUNDRED;
            let (a, b) = swung(base, pct)?;
            let scheduled = model.changes_of(id).next().is_some();
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
    })
}

/// Low and high of a drawn factor: the P10 and P90 of its distribution as
/// `mc` draws it (truncated to the factors that keep every month's value
/// in range), rounded to six places and kept in that range.
fn factor_range(model: &Model, u: &Uncertain) -> Range {
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
    }
}

/// The bar's name: the path, with `*` for a drawn factor.
fn name(model: &Model, id: ParamId, r: &Range) -> String {
    let path = model.base.path(id);
    if r.drawn_factor {
        path + "*"
    } else {
        path
    }
}

/// What the low and the high run change: `id` for the whole timeline, or
/// its schedule scaled.
fn ends(id: ParamId, r: &Range) -> ((Target, Decimal), (Target, Decimal)) {
    match r.factors {
        Some((lo, hi)) => ((Target::Scale(id), lo), (Target::Scale(id), hi)),
        None => (whole(id, r.low), whole(id, r.high)),
    }
}

/// A bar before it runs: its name, range, what its low and its high run
/// change, and whether it replaces scheduled changes.
type Candidate = (String, Range, (Target, Decimal), (Target, Decimal), bool);

/// Low and high of a bar named by form: one step of a timeline at its
/// value × (1 ∓ `pct`%), or a factor on the whole schedule, `factors` or
/// 1 ∓ `pct`%.
fn form_range(
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
            })
        }
    }
}

/// Clamps a rounded value into the allowed range; an excluded lower end
/// (a rate > 0) becomes the smallest value at the parameter's places.
fn in_range(id: ParamId, x: Decimal) -> Decimal {
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

/// Moves each parameter to its low and high value and runs the model.
pub fn tornado(ev: &Evaluator<'_>, req: &Request, progress: &dyn Progress) -> Result<Tornado, Error> {
    let model = ev.model;
    if !(req.swing_pct > Decimal::ZERO && req.swing_pct < Decimal::ONE_HUNDRED) {
        return Err(Error::Usage(format!(
            "--swing {} must be above 0 and below 100 (a percentage of the base value)",
            req.swing_pct
        )));
    }
    let explicit = !req.params.is_empty() || !req.forms.is_empty();
    for (i, id) in req.params.iter().enumerate() {
        if req.params[..i].contains(id) {
            return Err(Error::Usage(format!(
                "--param {} is named twice",
                model.base.path(*id)
            )));
        }
    }
    for (i, (f, _)) in req.forms.iter().enumerate() {
        if req.forms[..i].iter().any(|(g, _)| g.target == f.target) {
            return Err(Error::Usage(format!("{} is named twice", f.path)));
        }
    }
    let ids: Vec<ParamId> = if explicit {
        req.params.clone()
    } else if !model.uncertainty.is_empty() {
        model.uncertainty.iter().map(|u| u.param).collect()
    } else {
        model.base.ids()
    };
    // Each candidate bar: its name, range, and what its low and high change.
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut skipped = Vec::new();
    for id in ids {
        let r = match range_of(model, id, req.swing_pct) {
            Ok(r) => r,
            Err(why) if explicit => {
                return Err(Error::Usage(format!("--param {}: {why}", model.base.path(id))))
            }
            Err(why) => {
                skipped.push((model.base.path(id), why));
                continue;
            }
        };
        let (low, high) = ends(id, &r);
        let replaces = r.factors.is_none() && model.changes_of(id).next().is_some();
        candidates.push((name(model, id, &r), r, low, high, replaces));
    }
    for (form, factors) in &req.forms {
        let r = form_range(model, form, *factors, req.swing_pct)
            .map_err(|why| Error::Usage(format!("--param {}: {why}", form.path)))?;
        let (low, high) = ((form.target, r.low), (form.target, r.high));
        candidates.push((form.path.clone(), r, low, high, false));
    }
    let mut chosen = Vec::new();
    for (name, r, low, high, replaces) in candidates {
        let checked = ev.check(&[low]).and_then(|()| ev.check(&[high]));
        match checked {
            Ok(()) => chosen.push((name, r, low, high, replaces)),
            Err(e) if explicit => return Err(e),
            Err(e) => {
                let why = match e {
                    Error::Usage(m) => m.rsplit_once(": ").map_or(m.clone(), |(_, w)| w.to_string()),
                    other => other.to_string(),
                };
                skipped.push((name, why));
            }
        }
    }
    let mut points: Vec<Assignment> = vec![Vec::new()];
    for (_, _, low, high, _) in &chosen {
        points.push(vec![*low]);
        points.push(vec![*high]);
    }
    let values = ev.evaluate(&points, std::slice::from_ref(&req.metric), progress)?;
    let base = values[0][0];
    let mut bars: Vec<Bar> = chosen
        .into_iter()
        .enumerate()
        .map(|(k, (path, r, _, _, replaces_changes))| {
            let (metric_low, metric_high) = (values[1 + 2 * k][0], values[2 + 2 * k][0]);
            let swing = metric_high.checked_sub(metric_low).ok_or_else(|| {
                super::overflow(
                    model,
                    Overflow {
                        what: "a tornado bar's swing (high minus low)",
                    },
                )
            })?;
            Ok(Bar {
                path,
                low: r.low,
                high: r.high,
                basis: r.basis,
                replaces_changes,
                metric_low,
                metric_high,
                swing: clean(swing),
            })
        })
        .collect::<Result<_, EngineError>>()?;
    bars.sort_by_key(|b| std::cmp::Reverse(b.swing.abs()));
    Ok(Tornado {
        metric: metric_name(model, &req.metric),
        base,
        bars,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};
    use crate::model::load_str;
    use crate::sensitivity::{parse_metric, Silent};

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

    #[test]
    fn bars_are_sorted_by_swing_and_shares_that_must_sum_are_skipped() {
        let m = model();
        let ev = Evaluator::new(&m);
        let req = Request {
            metric: parse_metric(&m, "parallel_rate").unwrap(),
            params: Vec::new(),
            swing_pct: d("10"),
            forms: Vec::new(),
        };
        let t = tornado(&ev, &req, &Silent).unwrap();
        assert_eq!(t.base, d("1700.4924"));
        assert!(t.bars.windows(2).all(|w| w[0].swing.abs() >= w[1].swing.abs()));
        assert!(t.skipped.iter().any(|(p, _)| p == "exports.buyers[China].share"));
        assert!(!t.bars.iter().any(|b| b.path == "exports.buyers[China].share"));
        // Without a distribution: base ∓ 10%, 1480 × 0.9 and × 1.1.
        let b = t
            .bars
            .iter()
            .find(|b| b.path == "parallel_market.baseline_rate_iqd_per_usd")
            .unwrap();
        assert_eq!((b.low, b.high), (d("1332"), d("1628")));
    }

    #[test]
    fn uncertain_parameters_use_their_distribution() {
        let text = include_str!("../../fixtures/small.toml").to_string()
            + "\n[uncertainty]\n\"parallel_market.spillover_share\" = { dist = \"uniform\", min = 0.6, max = 1.0 }\n";
        let m = load_str("u.toml", &text).unwrap();
        let ev = Evaluator::new(&m);
        let req = Request {
            metric: parse_metric(&m, "parallel_rate").unwrap(),
            params: Vec::new(),
            swing_pct: d("10"),
            forms: Vec::new(),
        };
        let t = tornado(&ev, &req, &Silent).unwrap();
        assert_eq!(t.bars.len(), 1);
        assert_eq!((t.bars[0].low, t.bars[0].high), (d("0.64"), d("0.96")));
        let mut csv = Vec::new();
        let report = crate::report::tornado::TornadoReport::new(&m, t);
        crate::render::write(&report, crate::render::Format::Csv, &mut csv).unwrap();
        assert!(String::from_utf8(csv).unwrap().starts_with(
            "path,low,high,metric_low,metric_high,swing\nparallel_market.spillover_share,0.64,0.96,"
        ));
    }
}
