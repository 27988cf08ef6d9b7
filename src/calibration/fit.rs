//! `fit`: bounded least squares of a model's parameters against observed
//! series. The search is the `levenberg-marquardt` crate's, run on
//! unbounded variables mapped into each parameter's bounds
//! (`x = lo + (hi − lo)(1 + sin u)/2`, as MINUIT does, on the values'
//! logarithms for a wide positive range: see `scale.rs`); every trial point
//! is a batch of runs on the engine's lanes (the point and its central
//! differences). The mapping is flat at the bounds (`dx/du = 0` where
//! `sin u = ±1`), so a start on a bound could never leave it: a start
//! within [`NUDGE`] of the range from a bound is moved that far inside
//! first. The estimates are then rounded to the places `--set`
//! takes and run once more on the exact engine, so the residuals reported
//! are what `run --set` prints.

use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::{storage::Owned, DMatrix, DVector, Dyn};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::compare::{combine_all, decimal, error_pct, refs_of};
use super::free::Free;
use super::identify::{identify, Pull};
pub use super::problem::{Loss, Request};
use super::refusal::Refusal;
use super::scale::Scale;
use crate::calendar::YearMonth;
use crate::engine::metrics::MetricRef;
use crate::error::Error;
use crate::render::thousands;
use crate::sensitivity::{metric_values, overflow, Assignment};

/// One estimated parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// The parameter as the command line names it.
    pub path: String,
    /// The estimate, at the places `--set` takes.
    pub value: Decimal,
    /// The model's own value (1 for a factor).
    pub start: Decimal,
    /// The bounds searched.
    pub bounds: (Decimal, Decimal),
    /// Asymptotic standard error, when the data determine it (two places
    /// more than the estimate's).
    pub std_error: Option<Decimal>,
    /// The places `--set` takes for it, which reports show the estimate
    /// and its standard error with.
    pub places: u32,
    /// Whether the estimate sits on a bound.
    pub at_bound: bool,
    /// Whether it changes the model's value of any observed row; where it
    /// changes none, the data say nothing about it and the search left it
    /// where it started.
    pub moves: bool,
    /// Whether it changes the fit's error of any row (a value it moves may
    /// stay inside the row's published range, where no error is counted).
    pub moves_errors: bool,
}

/// One observation against the fitted model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Residual {
    /// Line in the observed file.
    pub line: usize,
    /// The date as written.
    pub date: String,
    /// The month compared.
    pub month: YearMonth,
    /// The metric reference.
    pub metric: String,
    /// The fitted model's value (exact engine).
    pub model: Decimal,
    /// The observed value.
    pub observed: Decimal,
    /// The published range's lower end, if the row has one.
    pub lo: Option<Decimal>,
    /// The published range's upper end, if the row has one.
    pub hi: Option<Decimal>,
    /// Error, % of the observed value; for a row with a published range,
    /// % of the range's nearer end, and zero inside it.
    pub error_pct: Decimal,
    /// Weight in the loss.
    pub weight: Decimal,
}

/// The outcome of a fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fit {
    /// The estimates, in `--vary` order.
    pub estimates: Vec<Estimate>,
    /// Correlation of the estimates (rows and columns in `--vary` order), where known.
    pub correlation: Option<Vec<Vec<Decimal>>>,
    /// The same to 6 places, for `--write-uncertainty`.
    pub correlation_precise: Option<Vec<Vec<Decimal>>>,
    /// Weighted sum of squared errors at the estimates.
    pub loss: Decimal,
    /// How errors were measured.
    pub loss_kind: Loss,
    /// Observations fitted.
    pub n: usize,
    /// Root mean squared error, % (unweighted).
    pub rmse_pct: Decimal,
    /// What the reader must know: bounds hit, combinations the data cannot separate, rows left out.
    pub warnings: Vec<String>,
    /// Every fitted observation.
    pub residuals: Vec<Residual>,
    /// Runs of the model the search took.
    pub evaluations: usize,
    /// The `--set` options that reproduce the fit with `run`.
    pub sets: Vec<String>,
}

impl Fit {
    /// The assignment of the estimates.
    pub fn assignment(&self, free: &[Free]) -> Assignment {
        free.iter()
            .zip(&self.estimates)
            .map(|(f, e)| (f.target(), e.value))
            .collect()
    }
}

/// The least-squares problem the optimiser sees.
struct Problem<'a> {
    req: &'a Request<'a>,
    metrics: Vec<MetricRef>,
    at: Vec<std::ops::Range<usize>>,
    u: DVector<f64>,
    evaluations: std::cell::Cell<usize>,
}

const STEP: f64 = 1e-3;
const PENALTY: f64 = 1e6;
/// Share of its range a start on (or nearer than this to) a bound is moved
/// inside: there `dx/du` is `√(1 − 0.98²) ≈ 0.2` of its largest value, so
/// the search sees how the fit changes and can move either way (it comes
/// back to the bound when the best fit lies there).
pub const NUDGE: f64 = 0.01;

/// Where the search starts, in `u`: the model's value `s` moved at least
/// [`NUDGE`] of the range inside `lo..=hi`, mapped through
/// `x = lo + (hi − lo)(1 + sin u)/2` on the parameter's scale (in
/// logarithms for a wide positive range).
pub fn start_u(lo: f64, hi: f64, s: f64) -> f64 {
    let scale = Scale::of(lo, hi);
    let (lo, hi, s) = (scale.to(lo), scale.to(hi), scale.to(s));
    let d = NUDGE * (hi - lo);
    let s = s.clamp(lo + d, hi - d);
    (2.0 * (s - lo) / (hi - lo) - 1.0).clamp(-1.0, 1.0).asin()
}

/// The value `u` maps to in `lo..=hi` (see [`start_u`]).
fn x_at(lo: f64, hi: f64, u: f64) -> f64 {
    let scale = Scale::of(lo, hi);
    let (a, b) = (scale.to(lo), scale.to(hi));
    scale.from(a + (b - a) * (1.0 + u.sin()) / 2.0)
}

impl Problem<'_> {
    fn x_of(&self, u: &DVector<f64>) -> Vec<Decimal> {
        self.req
            .free
            .iter()
            .zip(u.iter())
            .map(|(f, &u)| {
                let (lo, hi) = (f.lo.to_f64().unwrap_or(0.0), f.hi.to_f64().unwrap_or(0.0));
                let x = Decimal::from_f64_retain(x_at(lo, hi, u)).unwrap_or(f.start);
                f.round(x).clamp(f.lo, f.hi)
            })
            .collect()
    }

    /// Weighted errors at each point (in u), `None` where a run failed.
    fn errors(&self, points: &[DVector<f64>]) -> Vec<Option<DVector<f64>>> {
        let assignments: Vec<Assignment> = points
            .iter()
            .map(|u| {
                self.req
                    .free
                    .iter()
                    .zip(self.x_of(u))
                    .map(|(f, x)| (f.target(), x))
                    .collect()
            })
            .collect();
        self.evaluations.set(self.evaluations.get() + points.len());
        self.req
            .ev
            .try_evaluate(&assignments, &self.metrics, self.req.progress)
            .into_iter()
            .map(|r| {
                let values = combine_all(&self.req.rows, &self.at, &r.ok()?).ok()?;
                let e: Vec<f64> = self
                    .req
                    .rows
                    .iter()
                    .zip(values)
                    .map(|(m, v)| {
                        let w = m.row.weight.to_f64().unwrap_or(1.0).sqrt();
                        w * self.req.loss.error_of(&m.row, v.to_f64().unwrap_or(f64::NAN))
                    })
                    .collect();
                e.iter().all(|x| x.is_finite()).then(|| DVector::from_vec(e))
            })
            .collect()
    }
}

impl LeastSquaresProblem<f64, Dyn, Dyn> for Problem<'_> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, u: &DVector<f64>) {
        self.u.copy_from(u);
    }

    fn params(&self) -> DVector<f64> {
        self.u.clone()
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        let r = self.errors(std::slice::from_ref(&self.u)).pop().flatten();
        Some(r.unwrap_or_else(|| DVector::from_element(self.req.rows.len(), PENALTY)))
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        let k = self.u.len();
        let mut points = Vec::with_capacity(2 * k);
        for j in 0..k {
            for s in [1.0, -1.0] {
                let mut p = self.u.clone();
                p[j] += s * STEP;
                points.push(p);
            }
        }
        let e = self.errors(&points);
        let mut jac = DMatrix::zeros(self.req.rows.len(), k);
        for j in 0..k {
            if let (Some(up), Some(down)) = (&e[2 * j], &e[2 * j + 1]) {
                jac.set_column(j, &((up - down) / (2.0 * STEP)));
            }
        }
        Some(jac)
    }
}

/// What to say of an estimate on a bound, by which way the data pull it
/// there (a parameter the data do not move at all has its own warning);
/// `limits` says whether each bound is the limit the parameter allows.
fn at_bound_warning(e: &Estimate, pull: Pull, limits: (bool, bool)) -> String {
    let lower = e.value == e.bounds.0;
    let end = if lower { "lower" } else { "upper" };
    let limit = if lower { limits.0 } else { limits.1 };
    let (path, v) = (&e.path, e.value);
    match pull {
        Pull::Outward if limit => format!(
            "{path} = {v} is at its {end} bound, the {end} limit the parameter allows: the data want it further, where no value is allowed; fix it at {v}, or look for what else in the model the data disagree with"
        ),
        Pull::Outward => format!(
            "{path} = {v} is at its {end} bound: the data want it further; widen the bound (--vary {path}=LO:HI) or fix it"
        ),
        Pull::Inward => format!(
            "{path} = {v} is at its {end} bound although the data pull it back inside (the loss falls as it moves in): the search stopped short of the best fit; try other bounds (--vary {path}=LO:HI) or start it elsewhere (--set {path}=VALUE)"
        ),
        Pull::Neither => format!(
            "{path} = {v} is at its {end} bound, where the data pull it neither way: the best fit may lie on the bound"
        ),
    }
}

/// Where the search starts, in its unbounded coordinates: each free
/// parameter's start within its bounds.
fn start(req: &Request<'_>) -> DVector<f64> {
    let u0: Vec<f64> = req
        .free
        .iter()
        .map(|f| {
            start_u(
                f.lo.to_f64().unwrap_or(0.0),
                f.hi.to_f64().unwrap_or(1.0),
                f.start.to_f64().unwrap_or(0.0),
            )
        })
        .collect();
    DVector::from_vec(u0)
}

/// A correlation matrix to `dp` places.
fn rounded(c: Option<&[Vec<f64>]>, dp: u32) -> Option<Vec<Vec<Decimal>>> {
    c.map(|c| {
        c.iter()
            .map(|row| row.iter().map(|&x| decimal(x, dp).unwrap_or_default()).collect())
            .collect()
    })
}

/// The errors of the model's `values` of the fitted rows.
struct Errors {
    /// Every fitted observation.
    residuals: Vec<Residual>,
    /// Each row's loss error times the root of its weight.
    weighted: Vec<f64>,
    /// Weighted sum of squared loss errors.
    loss: f64,
    /// Unweighted sum of squared errors, %.
    sq: f64,
}

fn errors(req: &Request<'_>, values: &[Decimal]) -> Errors {
    let model = req.ev.model;
    let mut residuals = Vec::new();
    let mut weighted = Vec::with_capacity(req.rows.len());
    let (mut loss, mut sq) = (0.0, 0.0);
    for (m, v) in req.rows.iter().zip(values) {
        let mv = v.to_f64().unwrap_or(f64::NAN);
        let e = error_pct(&m.row, mv);
        let l = req.loss.error_of(&m.row, mv);
        let w = m.row.weight.to_f64().unwrap_or(1.0);
        loss += w * l * l;
        weighted.push(w.sqrt() * l);
        sq += e * e;
        residuals.push(Residual {
            line: m.row.line,
            date: m.row.date.clone(),
            month: m.row.month,
            metric: m.name(model),
            model: *v,
            observed: m.row.value,
            lo: m.row.lo,
            hi: m.row.hi,
            error_pct: decimal(e, 2).unwrap_or_default(),
            weight: m.row.weight,
        });
    }
    Errors {
        residuals,
        weighted,
        loss,
        sq,
    }
}

/// A search that ended at a worse fit than the model's own values: a
/// failure (exit code 1), not estimates, naming the ranges searched.
fn worse_than_start(req: &Request<'_>, found: f64, own: f64) -> Error {
    let loss = |l: f64| thousands(decimal(l, 6).unwrap_or_default());
    let ranges: Vec<String> = (req.free.iter())
        .map(|f| {
            format!(
                "{} from {} to {}, starting at {}",
                f.path(),
                thousands(f.lo),
                thousands(f.hi),
                thousands(f.start)
            )
        })
        .collect();
    Error::NoSolution(format!(
        "fit: the search ended at a worse fit than the model's own values (weighted loss {} against {}): \
         a range reaching 0 or below is searched on a linear scale, where one spanning many orders of \
         magnitude hides the value it starts from ({}); give bounds nearer that value (--vary PATH=LO:HI), \
         or a positive low bound: a positive range of three orders of magnitude or more is searched in \
         logarithms",
        loss(found),
        loss(own),
        ranges.join("; ")
    ))
}

/// The residuals and losses of the model run once with the free
/// parameters at `x`, on the exact engine.
fn errors_at(
    req: &Request<'_>,
    metrics: &[MetricRef],
    at: &[std::ops::Range<usize>],
    x: &[Decimal],
) -> Result<Errors, Error> {
    let assignment: Assignment = req.free.iter().zip(x).map(|(f, v)| (f.target(), *v)).collect();
    let model = req.ev.model;
    let run = req.ev.run(&assignment)?;
    let values = metric_values(model, &run, metrics)?;
    let values = combine_all(&req.rows, at, &values).map_err(|e| overflow(model, e))?;
    Ok(errors(req, &values))
}

/// The estimates `x` of the free parameters, with their standard errors.
fn estimates(req: &Request<'_>, x: &[Decimal], std_errors: &[Option<f64>]) -> Vec<Estimate> {
    req.free
        .iter()
        .zip(x)
        .zip(std_errors)
        .map(|((f, &v), se)| {
            let at_bound = v == f.lo || v == f.hi;
            Estimate {
                path: f.path().to_string(),
                value: v,
                start: f.start,
                bounds: (f.lo, f.hi),
                std_error: se.and_then(|s| decimal(s, f.places() + 2)),
                places: f.places(),
                at_bound,
                moves: true,
                moves_errors: true,
            }
        })
        .collect()
}

/// Fits `req.free` to `req.rows`.
pub fn fit(req: &Request<'_>) -> Result<Fit, Error> {
    if req.free.is_empty() {
        return Err(Refusal::NothingToVary.into());
    }
    if req.rows.iter().any(|m| !m.inside()) {
        return Err(Refusal::RowOutsideTimeline.into());
    }
    let (metrics, at) = refs_of(&req.rows);
    let problem = Problem {
        req,
        metrics: metrics.clone(),
        at: at.clone(),
        u: start(req),
        evaluations: std::cell::Cell::new(0),
    };
    let (problem, report) = LevenbergMarquardt::new().with_patience(200).minimize(problem);
    let mut evaluations = problem.evaluations.get();
    if report.termination.was_usage_issue() {
        return Err(Refusal::FitCannotStart(format!("{:?}", report.termination)).into());
    }
    let x = problem.x_of(&problem.u);
    let at_x = errors_at(req, &metrics, &at, &x)?;
    evaluations += 1;
    // The model's own values, should the search have ended at a clearly
    // worse fit (a range from 0 so wide that its linear scale cannot
    // resolve the start): a descent ends no worse than it began, but it
    // began from the start moved off a bound (NUDGE), so a hair worse can
    // be the bound's own best fit approached from inside, and only 0.1%
    // worse counts.
    let own: Vec<Decimal> = req
        .free
        .iter()
        .map(|f| f.round(f.start).clamp(f.lo, f.hi))
        .collect();
    if own != x {
        let at_own = errors_at(req, &metrics, &at, &own)?;
        if at_own.loss < at_x.loss * 0.999 {
            return Err(worse_than_start(req, at_x.loss, at_own.loss));
        }
        evaluations += 1;
    }
    let Errors {
        residuals,
        weighted,
        loss,
        sq,
    } = at_x;
    let n = req.rows.len();
    let id = identify(req, &metrics, &at, &x, &weighted)?;
    evaluations += id.evaluations;
    let mut warnings = id.warnings.clone();
    if !report.termination.was_successful() {
        warnings.push(format!(
            "the search stopped before converging ({:?}); the estimates may not be the best fit",
            report.termination
        ));
    }
    let mut estimates = estimates(req, &x, &id.std_errors);
    for ((e, affects), moves) in estimates.iter_mut().zip(&id.affects).zip(&id.moves) {
        e.moves = *affects;
        e.moves_errors = *moves;
    }
    let bound_warnings: Vec<String> = estimates
        .iter()
        .enumerate()
        .filter(|(_, e)| e.at_bound && e.moves_errors)
        .map(|(j, e)| at_bound_warning(e, id.pull(j, e.value == e.bounds.0), req.free[j].limits))
        .collect();
    warnings.splice(0..0, bound_warnings);
    Ok(Fit {
        sets: req.free.iter().zip(&x).map(|(f, v)| f.set(*v)).collect(),
        estimates,
        correlation: rounded(id.correlation.as_deref(), 2),
        correlation_precise: rounded(id.correlation.as_deref(), 6),
        loss: decimal(loss, 6).unwrap_or_default(),
        loss_kind: req.loss,
        n,
        rmse_pct: decimal((sq / n.max(1) as f64).sqrt(), 2).unwrap_or_default(),
        warnings,
        residuals,
        evaluations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The start maps back to itself, on either scale, and a start on a
    /// bound is moved 1% of the range inside: of its values on a linear
    /// scale, of its logarithms on a wide positive one.
    #[test]
    fn the_start_maps_back_and_leaves_a_bound_by_one_percent() {
        for (lo, hi, s) in [(0.0, 1.0, 0.323032), (2e7, 2e9, 1.2e8), (1.0, 1e20, 1.2e8)] {
            let back = x_at(lo, hi, start_u(lo, hi, s));
            assert!((back / s - 1.0).abs() < 1e-9, "{lo}:{hi} {s} → {back}");
        }
        // Linear: 0.01 × (1 − 0) inside 0.
        assert!((x_at(0.0, 1.0, start_u(0.0, 1.0, 0.0)) - 0.01).abs() < 1e-12);
        // Logarithmic: 1% of ln(10^20) = 0.4605 inside ln 1, e^0.4605 = 1.585.
        let moved = x_at(1.0, 1e20, start_u(1.0, 1e20, 1.0));
        assert!((moved - 1.584_893).abs() < 1e-5, "{moved}");
    }
}
