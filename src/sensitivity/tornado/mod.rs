//! `tornado`: one metric, each parameter moved on its own to a low and a
//! high value with the others at base, sorted by how far the metric
//! swings. Low and high are the P10 and P90 of the parameter's
//! `[uncertainty]` distribution when it has one (the distribution as `mc`
//! draws it: truncated to the allowed range), else the base value
//! ∓ a percentage. Values are rounded as docs/model.md §1.6 rounds drawn values
//! (cents for money, six places otherwise) and kept in the allowed range.
//! Where each parameter's low and high come from is `range.rs`.

mod range;

use range::{ends, form_range, name, Candidate};
pub use range::{quantile, range_of, Range};

use rust_decimal::Decimal;

use super::dry::{dry_runs, probe, split, DryRuns};
use super::form::{parse_form, Form};
use super::refusal::Refusal;
use super::{metric_name, parse_metric, resolve, Assignment, Evaluator, Progress, Target};
use crate::calendar::YearMonth;
use crate::engine::metrics::MetricRef;
use crate::engine::EngineError;
use crate::error::{BadArgument, Error};
use crate::model::{Model, ParamId};
use crate::num::decimal::{clean, parse_decimal, Overflow};

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
    /// Low and high are amounts of money (rounded to the cent), not factors
    /// or rates: a table shows them with cents.
    pub money: bool,
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
    /// The month the run with every parameter at base emptied the
    /// custody account, if it did.
    pub dry_base: Option<YearMonth>,
    /// The runs at a low or a high value that emptied it (`PATH=V`).
    pub dry: DryRuns,
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
    /// The request `tornado` makes of `--metric METRIC` (the model's
    /// headline metric when `None`), each `--param`
    /// (`PATH`, `PATH*` or `PATH@YYYY-MM`), each `--scale PATH[=LO:HI]` and
    /// `--swing PCT`, every problem named with its option.
    pub fn parse(
        model: &Model,
        metric: Option<&str>,
        param: &[String],
        scale: &[String],
        swing: &str,
    ) -> Result<Request, Error> {
        // Without one, the model's headline metric, as `brief` and `morris` lead with.
        let metric = metric.unwrap_or(crate::engine::metrics::default_metrics(&model.base)[0]);
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
            forms.push(scale_of(model, text)?);
        }
        let swing_pct: Decimal = parse_decimal(swing).map_err(|e| Refusal::SwingNumber {
            text: swing.to_string(),
            why: e.to_string(),
        })?;
        Ok(Request {
            metric,
            params,
            swing_pct,
            forms,
        })
    }
}

/// The `--swing` percentage when none is given.
pub const DEFAULT_SWING_PCT: Decimal = Decimal::from_parts(10, 0, 0, false, 0);

/// What `tornado` says before it runs: that it moves one parameter at a
/// time, so the model's `[correlation]` plays no part; and, for a `--swing`
/// other than the default, the parameters it does not move, which have a
/// distribution in `[uncertainty]` and swing between its P10 and P90.
pub fn notes(model: &Model, req: &Request) -> Vec<String> {
    let mut notes = Vec::new();
    if !model.correlation.is_empty() {
        notes.push(
            "note: tornado moves one parameter at a time with the others at base, so [correlation] is not used here"
                .to_string(),
        );
    }
    let moved: Vec<ParamId> = if !req.params.is_empty() || !req.forms.is_empty() {
        req.params.clone()
    } else {
        model.uncertainty.iter().map(|u| u.param).collect()
    };
    let drawn: Vec<String> = moved
        .iter()
        .filter_map(|id| {
            let u = model.uncertainty.iter().find(|u| u.param == *id)?;
            let path = model.base.path(*id);
            Some(if u.scale { path + "*" } else { path })
        })
        .collect();
    // A step or `PATH@YYYY-MM..` named with --param: what its low and high
    // hold, as --set says it (`@YYYY-MM..` replaces the later [[changes]]);
    // a --scale whose factors take the base value out of its plausible
    // range (`=80:120` for 0.8:1.2), as run --set would warn.
    for (form, factors) in &req.forms {
        match (form.target, factors) {
            (Target::Scale(id), Some((lo, hi))) => {
                let path = model.base.path(id);
                let base = model.base.get(id);
                let given = format!("--scale {path}={}:{}", clean(*lo), clean(*hi));
                notes.extend(
                    [lo, hi]
                        .into_iter()
                        .find_map(|f| crate::model::factor_warning(id, base, *f, &given)),
                );
            }
            (Target::Scale(_), None) => {}
            (t, _) => notes.extend(super::target_note(model, t, "--param")),
        }
    }
    if req.swing_pct != DEFAULT_SWING_PCT && !drawn.is_empty() {
        notes.push(format!(
            "note: --swing {}% does not apply to parameters drawn in [uncertainty], which swing between their P10 and P90: {}",
            req.swing_pct.normalize(),
            drawn.join(", ")
        ));
    }
    notes
}

/// A `--scale PATH[=LO:HI]`: the factor on PATH, with the factors given.
fn scale_of(model: &Model, text: &str) -> Result<(Form, Option<(Decimal, Decimal)>), Error> {
    let (path, factors) = match text.split_once('=') {
        Some((path, spec)) => {
            let (lo, hi) = spec.split_once(':').ok_or_else(|| Refusal::ScaleShape {
                text: text.to_string(),
            })?;
            let num = |x: &str| {
                parse_decimal(x.trim()).map_err(|e| Refusal::ScaleNumber {
                    text: text.to_string(),
                    number: x.trim().to_string(),
                    why: e.to_string(),
                })
            };
            let (lo, hi) = (num(lo)?, num(hi)?);
            if lo > hi {
                return Err(Refusal::ScaleOrder {
                    text: text.to_string(),
                    lo,
                    hi,
                }
                .into());
            }
            (path, Some((lo, hi)))
        }
        None => (text, None),
    };
    let path = path.trim().trim_end_matches('*');
    let form = parse_form(model, &format!("{path}*")).map_err(|e| e.for_option("--scale", text))?;
    Ok((form, factors))
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
    Err(Refusal::NoDrawnFactor {
        text: p.to_string(),
        path: path.trim_end().to_string(),
    }
    .into())
}

/// Refuses a swing outside (0, 100) and a parameter, step or factor named twice.
fn check_request(model: &Model, req: &Request) -> Result<(), Refusal> {
    if !(req.swing_pct > Decimal::ZERO && req.swing_pct < Decimal::ONE_HUNDRED) {
        return Err(Refusal::SwingRange(req.swing_pct));
    }
    for (i, id) in req.params.iter().enumerate() {
        if req.params[..i].contains(id) {
            return Err(Refusal::ParamTwice(model.base.path(*id)));
        }
    }
    for (i, (f, _)) in req.forms.iter().enumerate() {
        if req.forms[..i].iter().any(|(g, _)| g.target == f.target) {
            return Err(Refusal::FormTwice(f.path.clone()));
        }
    }
    Ok(())
}

/// A parameter left out of the tornado, with the reason.
type Skipped = (String, String);

/// Each candidate bar (its name, range, and what its low and high
/// change), and the parameters left out with the reason. A parameter
/// named on the command line without a range is an error, not left out.
fn candidates(
    model: &Model,
    req: &Request,
    explicit: bool,
) -> Result<(Vec<Candidate>, Vec<Skipped>), Refusal> {
    let ids: Vec<ParamId> = if explicit {
        req.params.clone()
    } else if !model.uncertainty.is_empty() {
        model.uncertainty.iter().map(|u| u.param).collect()
    } else {
        model.base.ids()
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut skipped = Vec::new();
    for id in ids {
        let path = model.base.path(id);
        let r = match range_of(model, id, req.swing_pct) {
            Ok(r) => r,
            Err(why) if explicit => return Err(Refusal::NoRange { path, why }),
            Err(why) => {
                skipped.push((path, why));
                continue;
            }
        };
        let (low, high) = ends(id, &r);
        let replaces = r.factors.is_none() && model.scheduled(id);
        candidates.push((name(model, id, &r), r, low, high, replaces));
    }
    for (form, factors) in &req.forms {
        let r = form_range(model, form, *factors, req.swing_pct).map_err(|why| Refusal::NoRange {
            path: form.path.clone(),
            why,
        })?;
        let (low, high) = ((form.target, r.low), (form.target, r.high));
        // `PATH@YYYY-MM..` holds low and high to the end, in place of the
        // later [[changes]] (a note says which).
        let replaces = match form.target {
            Target::From(id, at) => {
                let m = model.timeline.months[at].month;
                model.changes_of(id).any(|c| c.month > m)
            }
            _ => false,
        };
        candidates.push((form.path.clone(), r, low, high, replaces));
    }
    Ok((candidates, skipped))
}

/// The candidates whose low and high values the model allows; the others
/// are left out with the reason (an error when named on the command line).
fn allowed(
    ev: &Evaluator<'_>,
    req: &Request,
    candidates: Vec<Candidate>,
    explicit: bool,
    skipped: &mut Vec<Skipped>,
) -> Result<Vec<Candidate>, Error> {
    let mut chosen = Vec::new();
    for (name, r, low, high, replaces) in candidates {
        let checked = ev.refusal(&[low]).and_then(|()| ev.refusal(&[high]));
        match checked {
            Ok(()) => chosen.push((name, r, low, high, replaces)),
            // Named on the command line: the option that named it, and the
            // swing when the swing made the value.
            Err(Refusal::NotAllowed { value, why, .. }) if explicit => {
                let by_scale = req
                    .forms
                    .iter()
                    .any(|(f, _)| f.path == name && matches!(f.target, Target::Scale(_)));
                let flag = if by_scale { "--scale" } else { "--param" };
                let mut why = format!("{value} is not allowed: {why}");
                if r.swung && why.contains("out of range") {
                    let pct = req.swing_pct.normalize();
                    why.push_str(&format!(
                        " (--swing {pct} moves it by ∓{pct}%; a smaller --swing keeps it in range)"
                    ));
                }
                return Err(BadArgument::new(flag, &name, why).into());
            }
            Err(e) if explicit => return Err(e.into()),
            // The value and why, without the path the list names already.
            Err(Refusal::NotAllowed { value, why, .. }) => {
                skipped.push((name, format!("{value} is not allowed: {why}")));
            }
            Err(other) => skipped.push((name, other.to_string())),
        }
    }
    Ok(chosen)
}

/// Moves each parameter to its low and high value and runs the model.
pub fn tornado(ev: &Evaluator<'_>, req: &Request, progress: &dyn Progress) -> Result<Tornado, Error> {
    let model = ev.model;
    check_request(model, req)?;
    let explicit = !req.params.is_empty() || !req.forms.is_empty();
    let (candidates, mut skipped) = candidates(model, req, explicit)?;
    let chosen = allowed(ev, req, candidates, explicit, &mut skipped)?;
    let mut points: Vec<Assignment> = vec![Vec::new()];
    for (_, _, low, high, _) in &chosen {
        points.push(vec![*low]);
        points.push(vec![*high]);
    }
    let (values, lowest) = split(ev.evaluate(&points, &[req.metric, probe()], progress)?);
    let labels: Vec<String> = chosen
        .iter()
        .flat_map(|(path, r, ..)| [r.low, r.high].map(|v| format!("{path}={}", clean(v))))
        .collect();
    let dry = dry_runs(ev, &points[1..], &lowest[1..], |i| labels[i].clone());
    let dry_base = match lowest.first() {
        Some(b) if b.is_zero() => ev.run(&[]).ok().and_then(|r| r.custody_dry(model)),
        _ => None,
    };
    let base = values[0][0];
    let mut bars: Vec<Bar> = chosen
        .into_iter()
        .enumerate()
        .map(|(k, (path, r, low, _, replaces_changes))| {
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
                money: matches!(low.0, Target::Whole(id) if id.kind().is_money()),
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
        dry_base,
        dry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};
    use crate::sensitivity::{parse_metric, Silent};

    /// The tornado of `parallel_rate` in `m`, every parameter at base ∓ 10%
    /// unless it has a distribution.
    fn parallel_rate_at_ten_percent(m: &Model) -> Tornado {
        let req = Request {
            metric: parse_metric(m, "parallel_rate").unwrap(),
            params: Vec::new(),
            swing_pct: d("10"),
            forms: Vec::new(),
        };
        tornado(&Evaluator::new(m), &req, &Silent).unwrap()
    }

    #[test]
    fn bars_are_sorted_by_swing_and_shares_that_must_sum_are_skipped() {
        let m = model();
        let t = parallel_rate_at_ten_percent(&m);
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
        let m = crate::model::testing::small_with(
            "[uncertainty]\n\"parallel_market.spillover_share\" = { dist = \"uniform\", min = 0.6, max = 1.0 }",
        );
        let t = parallel_rate_at_ten_percent(&m);
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
