//! `solve`: goal seek. Which value of one parameter makes a metric hit a
//! target ("what rejection rate keeps the premium at 10%?", "what
//! elasticity reproduces the observed 1,650?"). The bracket is scanned in
//! equal steps to find every crossing, then each crossing is narrowed by
//! the Illinois method (false position that halves the weight of a
//! stale end, with bisection as a safeguard). The search moves along the
//! parameter in floating point, but every point it tries is an exact
//! decimal (cents for money, six places otherwise) run on the exact
//! engine, so the reported value and the metric it achieves are exact.

use std::cmp::Ordering;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::dry::{dry_runs_of, DryRuns};
#[cfg(test)]
use super::form::default_bracket;
use super::form::{parse_form, Form};
use super::refusal::Refusal;
use super::{metric_name, metric_values, Assignment, Evaluator, Progress};
use crate::engine::metrics::MetricRef;
use crate::engine::EngineError;
use crate::error::Error;
use crate::model::Model;
use crate::num::decimal::{clean, from_f64, parse_decimal, to_f64};
use crate::render::thousands;

/// Equal steps the bracket is scanned in.
pub const SCAN_STEPS: u32 = 100;
/// Most evaluations spent narrowing one crossing.
pub const MAX_ITERATIONS: u32 = 200;

/// What to solve for.
#[derive(Debug, Clone)]
pub struct Request {
    /// The parameter varied (`--vary PATH`, `PATH@YYYY-MM` or `PATH*`), e.g. `auction.rejection_rate`.
    pub form: Form,
    /// The metric that must meet the target (`--target METRIC=VALUE`).
    pub metric: MetricRef,
    /// The value the metric must reach, in the metric's unit (e.g. 1,650 IQD per USD).
    pub target: Decimal,
    /// `--between LO,HI`; the allowed range of the parameter when `None`.
    pub between: Option<(Decimal, Decimal)>,
    /// Stop as soon as the metric is this close to the target.
    pub tolerance: Option<Decimal>,
}

impl Request {
    /// The request `solve` makes of `--vary PATH`, `--target METRIC=VALUE`,
    /// `--between LO,HI` and `--tolerance T`, every problem named with its
    /// option.
    pub fn parse(
        model: &Model,
        vary: &str,
        target: &str,
        between: Option<&str>,
        tolerance: Option<&str>,
    ) -> Result<Request, Error> {
        fn number(option: &'static str, text: &str) -> Result<Decimal, Refusal> {
            parse_decimal(text.trim()).map_err(|e| Refusal::NotANumber {
                option,
                text: text.trim().to_string(),
                why: e.to_string(),
            })
        }
        let form = parse_form(model, vary).map_err(|e| e.for_option("--vary", vary))?;
        let (metric, target) = parse_target(model, target)?;
        let between = match between {
            None => None,
            Some(text) => {
                // LO,HI; LO:HI as the other commands write a range.
                let (lo, hi) = text
                    .split_once(',')
                    .or_else(|| text.split_once(':'))
                    .ok_or_else(|| Refusal::BetweenShape(text.to_string()))?;
                Some((number("--between", lo)?, number("--between", hi)?))
            }
        };
        let tolerance = tolerance.map(|t| number("--tolerance", t)).transpose()?;
        Ok(Request {
            form,
            metric,
            target,
            between,
            tolerance,
        })
    }
}

/// A value of the parameter where the metric meets the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    /// The parameter's value, exact (cents for money, six places otherwise).
    pub value: Decimal,
    /// The metric at `value`, from the exact engine.
    pub achieved: Decimal,
    /// Evaluations spent narrowing it down (0 when a scan point hit it).
    pub iterations: u32,
    /// When the scan hit the target exactly at `value` and at the scanned
    /// values after it, the last of them and the next one scanned, where
    /// the metric has left the target (`None` at the bracket's end): the
    /// target holds over a stretch, of which `value` is only the start
    /// (custody dry, a balance of exactly 0, at every oil price below one).
    pub holds_through: Option<(Decimal, Option<Decimal>)>,
}

/// A crossing where the metric moves past the target between two adjacent
/// values of the parameter (one unit of its last decimal apart) without
/// coming within the tolerance of it: no value meets the target there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jump {
    /// The lower of the two values, and the metric there.
    pub below: (Decimal, Decimal),
    /// The higher of the two values, and the metric there.
    pub above: (Decimal, Decimal),
}

/// How close to the target counts as meeting it without `--tolerance`:
/// 0.01% of the target, and at least one unit of the metric's last
/// decimal when it has decimals (a cent, or 0.0001 of a rate or a
/// percentage; `achieved` has the metric's places); a count (flights,
/// sessions) must meet a target of 0 exactly.
pub fn default_tolerance(target: Decimal, achieved: Decimal) -> Decimal {
    let relative = (target * Decimal::new(1, 4)).abs();
    match achieved.scale() {
        0 => relative,
        places => relative.max(Decimal::new(1, places)),
    }
}

/// Every root found in the bracket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// The parameter's path.
    pub path: String,
    /// The metric as named on the command line, e.g. `parallel_rate@2023-01`.
    pub metric: String,
    /// The value the metric had to reach.
    pub target: Decimal,
    /// The low end of the bracket searched.
    pub lo: Decimal,
    /// The high end of the bracket searched.
    pub hi: Decimal,
    /// In increasing order of the value.
    pub roots: Vec<Root>,
    /// The root nearest the parameter's base value.
    pub primary: usize,
    /// The parameter's base value (its value in the first month).
    pub base: Decimal,
    /// How close to the target counted as meeting it (`--tolerance`); `None`: narrowed down
    /// to adjacent values at the parameter's places, and met within [`default_tolerance`].
    pub tolerance: Option<Decimal>,
    /// The crossings where the metric jumps past the target, in increasing
    /// order of the value; when there are no roots, `solve` fails instead.
    pub jumps: Vec<Jump>,
    /// Points tried while scanning the bracket.
    pub scanned: usize,
    /// The answers at which the model empties the custody account
    /// (`PATH=V`): a metric stops moving, or leaps, there.
    pub dry: DryRuns,
}

/// Parses `METRIC=VALUE`.
pub fn parse_target(model: &Model, text: &str) -> Result<(MetricRef, Decimal), Error> {
    let usage = |why: String| Refusal::Target {
        text: text.to_string(),
        why,
    };
    let (metric, value) = text
        .rsplit_once('=')
        .ok_or_else(|| usage("expected METRIC=VALUE, e.g. premium_pct=10".into()))?;
    let m = MetricRef::parse(metric, &model.base, &model.timeline).map_err(usage)?;
    let v = crate::num::decimal::parse_decimal(value.trim())
        .map_err(|e| usage(format!("{:?} {e}", value.trim())))?;
    Ok((m, v))
}

/// A sign change of the metric minus the target between two scanned
/// points: the first point's index, and each end (parameter, metric).
type Crossing = (usize, (Decimal, Decimal), (Decimal, Decimal));

/// The scan's exact hits of `target` (the first of a run of them) and the
/// neighbours between which the metric crosses it.
fn bracket(xs: &[Decimal], scan: &[Option<Decimal>], target: Decimal) -> (Vec<(usize, Root)>, Vec<Crossing>) {
    let f = |m: Decimal| m - target;
    let mut found: Vec<(usize, Root)> = Vec::new();
    let mut crossings = Vec::new();
    for i in 0..xs.len() {
        let Some(mi) = scan[i] else { continue };
        if f(mi).is_zero() {
            if i == 0 || scan[i - 1].is_none_or(|m| !f(m).is_zero()) {
                let last = (i..xs.len())
                    .take_while(|j| scan[*j].is_some_and(|m| f(m).is_zero()))
                    .last()
                    .unwrap_or(i);
                found.push((
                    i,
                    Root {
                        value: xs[i],
                        achieved: mi,
                        iterations: 0,
                        holds_through: (last > i).then(|| (xs[last], xs.get(last + 1).copied())),
                    },
                ));
            }
            continue;
        }
        if let Some(Some(mj)) = scan.get(i + 1) {
            if !f(*mj).is_zero() && f(mi).is_sign_negative() != f(*mj).is_sign_negative() {
                crossings.push((i, (xs[i], mi), (xs[i + 1], *mj)));
            }
        }
    }
    (found, crossings)
}

/// Finds every value of the parameter in the bracket where the metric
/// meets the target. A target the metric does not cross in the bracket is
/// an error that shows the metric at both ends.
pub fn solve(ev: &Evaluator<'_>, req: &Request, progress: &dyn Progress) -> Result<Solution, Error> {
    let model = ev.model;
    let form = &req.form;
    let path = form.path.clone();
    let (lo, hi) = match req.between {
        Some((lo, hi)) => (lo, hi),
        None => form.default_bounds(ev),
    };
    if lo >= hi {
        return Err(Refusal::BetweenOrder(lo, hi).into());
    }
    if req.tolerance.is_some_and(|t| t < Decimal::ZERO) {
        return Err(Refusal::NegativeTolerance.into());
    }
    // An end the parameter cannot take, under the option that gave it.
    let between = format!("{},{}", clean(lo), clean(hi));
    let flag = if req.between.is_some() {
        "--between"
    } else {
        "--vary"
    };
    let shown = if req.between.is_some() {
        between.as_str()
    } else {
        path.as_str()
    };
    for end in [lo, hi] {
        ev.refusal(&[(form.target, end)])
            .map_err(|r| super::spec::refused_in(r, flag, shown))?;
    }
    let mut xs: Vec<Decimal> = (0..=SCAN_STEPS)
        .map(|i| form.round(lo + (hi - lo) * Decimal::from(i) / Decimal::from(SCAN_STEPS)))
        .collect();
    xs.dedup();
    let metric = std::slice::from_ref(&req.metric);
    let points: Vec<Assignment> = xs.iter().map(|x| vec![(form.target, *x)]).collect();
    let scan: Vec<Option<Decimal>> = ev
        .try_evaluate(&points, metric, progress)
        .into_iter()
        .map(|r| r.ok().map(|v| v[0]))
        .collect();
    let (mut found, crossings) = bracket(&xs, &scan, req.target);
    for (_, root) in &mut found {
        if let Some((last, Some(next))) = root.holds_through {
            root.holds_through = Some(stretch_end(ev, req, last, next, progress));
        }
    }
    let narrowed: Vec<(usize, Result<Crossed, EngineError>)> = crossings
        .par_iter()
        .map(|(i, a, b)| (*i, narrow(ev, req, *a, *b)))
        .collect();
    let mut jumps = Vec::new();
    for (i, r) in narrowed {
        match r? {
            Crossed::Root(root) => found.push((i, root)),
            Crossed::Jump(jump) => jumps.push(jump),
        }
    }
    if found.is_empty() && !jumps.is_empty() {
        return Err(jumped(model, req, &path, &jumps));
    }
    if found.is_empty() {
        return Err(unbracketed(model, req, &path, &xs, &scan));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.value.cmp(&b.1.value)));
    let roots: Vec<Root> = found.into_iter().map(|(_, r)| r).collect();
    let base = form.start;
    let primary = (0..roots.len())
        .min_by(|a, b| {
            let da = (roots[*a].value - base).abs();
            let db = (roots[*b].value - base).abs();
            da.cmp(&db).then(a.cmp(b))
        })
        .unwrap_or(0);
    let answers: Vec<Assignment> = roots.iter().map(|r| vec![(req.form.target, r.value)]).collect();
    let dry = dry_runs_of(ev, &answers, |i| format!("{path}={}", clean(roots[i].value)));
    Ok(Solution {
        path,
        metric: metric_name(model, &req.metric),
        target: req.target,
        lo,
        hi,
        roots,
        primary,
        base,
        tolerance: req.tolerance,
        jumps,
        scanned: xs.len(),
        dry,
    })
}

/// Where a stretch on which the metric meets the target exactly ends,
/// between `last` (on it) and `next` (off it), by halving down to one unit
/// of the parameter's last decimal: the last value on it and the first
/// off it. A value whose run fails counts as off it.
fn stretch_end(
    ev: &Evaluator<'_>,
    req: &Request,
    last: Decimal,
    next: Decimal,
    progress: &dyn Progress,
) -> (Decimal, Option<Decimal>) {
    let form = &req.form;
    let unit = Decimal::new(1, form.places());
    let metric = std::slice::from_ref(&req.metric);
    let (mut on, mut off) = (last, next);
    while off - on > unit {
        let mid = form.round((on + off) / Decimal::TWO);
        if mid <= on || mid >= off {
            break;
        }
        let hit = ev
            .try_evaluate(&[vec![(form.target, mid)]], metric, progress)
            .into_iter()
            .next()
            .and_then(|r| r.ok())
            .is_some_and(|v| v[0] == req.target);
        if hit {
            on = mid;
        } else {
            off = mid;
        }
    }
    (clean(on.normalize()), Some(clean(off.normalize())))
}

/// What narrowing a crossing finds: a root, or a jump past the target.
enum Crossed {
    Root(Root),
    Jump(Jump),
}

/// One end of the bracket narrowed: the parameter's value, the metric
/// there, and its weight for false position.
struct End {
    x: Decimal,
    m: Decimal,
    w: f64,
}

/// Narrows the crossing between `a` and `b` (metric values on either side
/// of the target) down to a value that hits the target, one within the
/// tolerance, or adjacent values at the parameter's places: the closer of
/// the two when it is within the tolerance (or [`default_tolerance`]), a
/// jump across the target when it is not.
fn narrow(
    ev: &Evaluator<'_>,
    req: &Request,
    (a, ma): (Decimal, Decimal),
    (b, mb): (Decimal, Decimal),
) -> Result<Crossed, EngineError> {
    let form = &req.form;
    let unit = Decimal::new(1, form.places());
    let metric = std::slice::from_ref(&req.metric);
    let f = |m: Decimal| to_f64(m - req.target);
    // Weights for false position; Illinois halves the one of an end that
    // stays put twice in a row.
    let mut lo = End {
        x: a,
        m: ma,
        w: f(ma),
    };
    let mut hi = End {
        x: b,
        m: mb,
        w: f(mb),
    };
    let mut kept_side = Ordering::Equal;
    let mut slow = 0;
    let mut iterations = 0;
    let done = |end: &End, iterations| Root {
        value: clean(end.x.normalize()),
        achieved: end.m,
        iterations,
        holds_through: None,
    };
    while hi.x - lo.x > unit && iterations < MAX_ITERATIONS {
        let width = hi.x - lo.x;
        let (xa, xb) = (to_f64(lo.x), to_f64(hi.x));
        let guess = xb - hi.w * (xb - xa) / (hi.w - lo.w);
        let mut x = from_f64(guess, "a trial value")
            .map(|g| form.round(g))
            .unwrap_or(lo.x);
        if slow >= 2 || x <= lo.x || x >= hi.x {
            x = form.round((lo.x + hi.x) / Decimal::TWO);
            if x <= lo.x || x >= hi.x {
                x = lo.x + unit;
            }
            slow = 0;
        }
        let run = ev.run(&[(form.target, x)])?;
        let m = metric_values(ev.model, &run, metric)?[0];
        iterations += 1;
        let fx = m - req.target;
        let tried = End { x, m, w: f(m) };
        if fx.is_zero() || req.tolerance.is_some_and(|t| fx.abs() <= t) {
            return Ok(Crossed::Root(done(&tried, iterations)));
        }
        // The trial replaces the end on its side of the target; the other
        // end stays put, its weight halved the second time in a row.
        let (moved, kept, side) = if fx.is_sign_negative() == (lo.m - req.target).is_sign_negative() {
            (&mut lo, &mut hi, Ordering::Greater)
        } else {
            (&mut hi, &mut lo, Ordering::Less)
        };
        *moved = tried;
        if kept_side == side {
            kept.w /= 2.0;
        }
        kept_side = side;
        slow = if (hi.x - lo.x) * Decimal::TWO > width {
            slow + 1
        } else {
            0
        };
    }
    // Adjacent values on either side of the target: the closer one, if
    // it is close enough.
    let closer = if (hi.m - req.target).abs() < (lo.m - req.target).abs() {
        &hi
    } else {
        &lo
    };
    let tolerance = req
        .tolerance
        .unwrap_or_else(|| default_tolerance(req.target, closer.m));
    if (closer.m - req.target).abs() <= tolerance {
        return Ok(Crossed::Root(done(closer, iterations)));
    }
    Ok(Crossed::Jump(Jump {
        below: (clean(lo.x.normalize()), lo.m),
        above: (clean(hi.x.normalize()), hi.m),
    }))
}

/// Each jump as `from 182,393.00 at 0.661069 to 0.00 at 0.66107`.
pub fn jump_text(jumps: &[Jump]) -> String {
    let at = |(x, m): (Decimal, Decimal)| format!("{} at {}", thousands(m), thousands(x));
    let each: Vec<String> = jumps
        .iter()
        .map(|j| format!("from {} to {}", at(j.below), at(j.above)))
        .collect();
    each.join("; ")
}

/// The target met nowhere: every crossing is a jump past it.
fn jumped(model: &Model, req: &Request, path: &str, jumps: &[Jump]) -> Error {
    let name = metric_name(model, &req.metric);
    let tolerance = match req.tolerance {
        Some(t) => format!("the tolerance {}", thousands(t)),
        None => {
            let closest = jumps
                .iter()
                .flat_map(|j| [j.below.1, j.above.1])
                .min_by_key(|m| (*m - req.target).abs())
                .unwrap_or(req.target);
            format!(
                "{} (0.01% of the target, or one unit of the metric's last decimal)",
                thousands(default_tolerance(req.target, closest))
            )
        }
    };
    Error::NoSolution(format!(
        "the target {name} = {} is not met: {name} jumps across it between adjacent values of {path} \
         (one unit of its last decimal apart): {}. No value between them can be set, and the nearer misses \
         the target by more than {tolerance}. Give a --tolerance to accept the nearer value, or choose another target.",
        thousands(req.target),
        jump_text(jumps),
    ))
}

fn unbracketed(model: &Model, req: &Request, path: &str, xs: &[Decimal], scan: &[Option<Decimal>]) -> Error {
    let name = metric_name(model, &req.metric);
    let at = |i: usize| match scan.get(i).copied().flatten() {
        Some(v) => format!("{} at {}", thousands(v), thousands(clean(xs[i].normalize()))),
        None => format!(
            "not computable at {} (arithmetic overflow)",
            thousands(clean(xs[i].normalize()))
        ),
    };
    let seen: Vec<Decimal> = scan.iter().flatten().copied().collect();
    let range = match (seen.iter().min(), seen.iter().max()) {
        (Some(l), Some(h)) => format!(
            "; over the {} values tried it stays between {} and {}",
            xs.len(),
            thousands(*l),
            thousands(*h)
        ),
        _ => String::new(),
    };
    Error::NoSolution(format!(
        "the target {name} = {} is not bracketed: no value of {path} from {} to {} reaches it. {name} is {} and {}{range}. Try another --between or another target.",
        thousands(req.target),
        thousands(clean(xs[0].normalize())),
        thousands(clean(xs[xs.len() - 1].normalize())),
        at(0),
        at(xs.len() - 1),
    ))
}

impl Solution {
    /// The root reported first: the one nearest the parameter's base value.
    pub fn root(&self) -> &Root {
        &self.roots[self.primary]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};
    use crate::model::ParamId;
    use crate::sensitivity::{whole, Silent};

    /// `solve` in the small model of `path` for `target`.
    fn solved(path: &str, target: &str) -> Result<Solution, Error> {
        let m = model();
        solve(&Evaluator::new(&m), &request(&m, path, target), &Silent)
    }

    fn request(m: &Model, path: &str, target: &str) -> Request {
        let (metric, target) = parse_target(m, target).unwrap();
        Request {
            form: crate::sensitivity::form::parse_form(m, path).unwrap(),
            metric,
            target,
            between: None,
            tolerance: None,
        }
    }

    #[test]
    fn finds_the_rejection_rate_for_a_parallel_rate() {
        // While custody covers the approved wires (rejection above about
        // 0.4), u = r × 80,000 in both months (1,840,000 wires over 23
        // sessions, 1,600,000 over 20), so parallel = 1480 × (1 + 0.8 r)^(1/3):
        // 1700 needs r = ((1700 / 1480)^3 − 1) / 0.8 = 0.644400.
        let s = solved("auction.rejection_rate", "parallel_rate=1700").unwrap();
        assert_eq!(s.roots.len(), 1);
        let r = s.root();
        let exact = ((1700.0f64 / 1480.0).powi(3) - 1.0) / 0.8;
        assert!((to_f64(r.value) - exact).abs() < 2e-6, "{} vs {exact}", r.value);
        assert!((r.achieved - d("1700")).abs() < d("0.001"), "{}", r.achieved);
        // The achieved value is the engine's at that exact value.
        let m = model();
        let run = Evaluator::new(&m)
            .run(&[whole(ParamId::RejectionRate, r.value)])
            .unwrap();
        let metric = parse_target(&m, "parallel_rate=0").unwrap().0;
        assert_eq!(r.achieved, metric.evaluate(&run).unwrap());
        assert!(r.iterations > 0 && r.iterations < 60, "{}", r.iterations);
    }

    #[test]
    fn reports_every_root_of_a_v_shaped_metric() {
        // January: 2,300,000 requested, 1,300,000 banknotes in the vault.
        // unmet = 0.8 (1 − c) 2.3M while c 2.3M fits the vault, then the
        // unsold banknotes add c 2.3M − 1.3M: 900,000 is met at
        // c = 1 − 900,000 / 1,840,000 = 0.510870 and at c = 360,000 / 460,000 = 0.782609.
        let s = solved("auction.cash_share", "unmet_usd@2023-01=900000").unwrap();
        let values: Vec<Decimal> = s.roots.iter().map(|r| r.value).collect();
        assert_eq!(values.len(), 2, "{values:?}");
        assert!((values[0] - d("0.510870")).abs() <= d("0.000001"), "{values:?}");
        assert!((values[1] - d("0.782609")).abs() <= d("0.000001"), "{values:?}");
        for r in &s.roots {
            assert!((r.achieved - d("900000")).abs() <= d("5"), "{}", r.achieved);
        }
        let json = serde_json::to_value(crate::report::solve::SolveReport::new(&model(), s.clone())).unwrap();
        assert_eq!(json["roots"].as_array().unwrap().len(), 2);
        // Nearest to the base value 0.2.
        assert_eq!(json["value"], values[0].to_string());
    }

    #[test]
    fn a_jump_beside_a_root_is_noted_and_kept_in_json() {
        use crate::render::Report;
        let mut s = solved("auction.cash_share", "unmet_usd@2023-01=900000").unwrap();
        s.jumps.push(Jump {
            below: (d("0.9"), d("899000.00")),
            above: (d("0.900001"), d("901000.00")),
        });
        let report = crate::report::solve::SolveReport::new(&model(), s);
        let doc = format!("{:?}", report.document());
        assert!(
            doc.contains(
                "note: unmet_usd@2023-01 also jumps across the target without meeting it, between adjacent values \
                 of auction.cash_share: from 899,000.00 at 0.9 to 901,000.00 at 0.900001"
            ),
            "{doc}"
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["jumps"][0]["from"]["value"], "0.9");
        assert_eq!(json["jumps"][0]["to"]["achieved"], "901000.00");
        assert_eq!(json["roots"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn the_default_tolerance_is_relative_with_the_metric_s_last_decimal() {
        assert_eq!(default_tolerance(d("900000"), d("899999.20")), d("90"));
        assert_eq!(default_tolerance(d("1"), d("0.00")), d("0.01"));
        assert_eq!(default_tolerance(d("0"), d("0.0003")), d("0.0001"));
        // A count has no decimals: only the relative part.
        assert_eq!(default_tolerance(d("2.5"), d("2")), d("0.00025"));
    }

    #[test]
    fn an_unbracketed_target_shows_both_ends() {
        let e = solved("auction.rejection_rate", "parallel_rate=2000").unwrap_err();
        assert_eq!(e.exit_code(), 1);
        let msg = e.to_string();
        // r = 1: u = 80,000 in both months, 1480 × 1.8^(1/3) = 1800.3318. At
        // r = 0 custody runs short and what it cannot send is unmet too.
        assert!(msg.contains("is 1,623.3036 at 0 and 1,800.3318 at 1"), "{msg}");
        assert!(msg.contains("not bracketed"), "{msg}");
    }

    #[test]
    fn tolerance_stops_early_and_brackets_are_checked() {
        let m = model();
        let ev = Evaluator::new(&m);
        let mut req = request(&m, "auction.rejection_rate", "parallel_rate=1700");
        req.tolerance = Some(d("5"));
        let s = solve(&ev, &req, &Silent).unwrap();
        assert!((s.root().achieved - d("1700")).abs() <= d("5"));
        req.between = Some((d("0.5"), d("2")));
        let e = solve(&ev, &req, &Silent).unwrap_err().to_string();
        assert!(
            e.starts_with("error: --between 0.5,2: 2 is not allowed: auction.rejection_rate: 2 is out of range (allowed: 0 to 1)"),
            "{e}"
        );
    }

    #[test]
    fn default_brackets_follow_the_kind() {
        let m = model();
        let ev = Evaluator::new(&m);
        assert_eq!(default_bracket(&ev, ParamId::RejectionRate), (d("0"), d("1")));
        // > 0 and open above: one millionth to 10 × the largest value.
        assert_eq!(
            default_bracket(&ev, ParamId::DemandElasticity),
            (d("0.000001"), d("20"))
        );
        // The official rate is 1460 then 1310.
        assert_eq!(
            default_bracket(&ev, ParamId::OfficialRate),
            (d("0.000001"), d("14600"))
        );
        assert_eq!(default_bracket(&ev, ParamId::BuyerOffset(0)), (d("-80"), d("80")));
    }
}
