//! A model for Python: loaded, layered with scenarios and `--set` values
//! (each a new model; a model never changes), and every command that reads
//! a model as a method that returns the library's own report. Each method
//! takes what the command line's options take, in the same words, and
//! calls the same library functions the command does, so its numbers and
//! messages are the command's.

use std::path::PathBuf;
use std::sync::Arc;

use dinarflow::calendar::YearMonth;
use dinarflow::calibration::backtest::Draws as BacktestDraws;
use dinarflow::calibration::fit::Loss;
use dinarflow::calibration::observed::{parse_observed, read_observed, Observed};
use dinarflow::calibration::request::{month, run_backtest, BacktestRun, FitSetup};
use dinarflow::diagnostic::Problem;
use dinarflow::engine;
use dinarflow::engine::kernel::Kernel;
use dinarflow::engine::metrics::default_metrics;
use dinarflow::model::{
    all_warnings, draw_warnings, load_default, load_file, load_str, render_warnings, Model,
};
use dinarflow::num::binary::{decimal_to_f64, units_to_f64};
use dinarflow::render::count;
use dinarflow::report::backtest::BacktestReport;
use dinarflow::report::brief::Brief;
use dinarflow::report::briefing::{check_draws, Briefing};
use dinarflow::report::diff::DiffReport;
use dinarflow::report::explain::ExplainReport;
use dinarflow::report::fan::fans;
use dinarflow::report::fit::FitReport;
use dinarflow::report::how_sure::dry_note;
use dinarflow::report::mc_view::McView;
use dinarflow::report::morris::MorrisReport;
use dinarflow::report::periods::{span_text, Per};
use dinarflow::report::rolling::RollingReport;
use dinarflow::report::run::RunReport;
use dinarflow::report::sobol::SobolReport;
use dinarflow::report::solve::SolveReport;
use dinarflow::report::sweep::SweepReport;
use dinarflow::report::tornado::TornadoReport;
use dinarflow::report::trace::Trace;
use dinarflow::report::ModelInfo;
use dinarflow::sensitivity::diff::compare;
use dinarflow::sensitivity::explain::explain;
use dinarflow::sensitivity::solve::{solve, Request as SolveRequest};
use dinarflow::sensitivity::sweep::{parse_sweep, sweep, sweep_notes};
use dinarflow::sensitivity::tornado::{notes as tornado_notes, tornado, Request as TornadoRequest};
use dinarflow::sensitivity::{metric_name, overflow, parse_metric, target_note, Evaluator};
use dinarflow::uncertainty_analysis::morris::{screen, MorrisError};
use dinarflow::uncertainty_analysis::report::McReport;
use dinarflow::uncertainty_analysis::request::{
    check_draws as check_mc_draws, convergence_note, mc_notes, metrics_or, monte_carlo_watching_custody,
    morris_notes, parse_until, run_info, sobol_indices, sobol_notes, sobol_size, Draws,
};
use dinarflow::uncertainty_analysis::sobol::warnings as sobol_warnings;
use dinarflow::uncertainty_analysis::{Plan, Sampler, MAX_BYTES, MAX_EVALUATIONS};
use dinarflow::Error;
use numpy::PyArray1;
use pyo3::prelude::*;

use crate::errors::{guard, guard_watching};
use crate::report::{render_text, FanRequest, NativeReport};

/// A validated model, never changed once made.
#[pyclass(frozen, module = "dinarflow._dinarflow")]
pub struct NativeModel {
    pub model: Arc<Model>,
}

impl NativeModel {
    fn of(model: Model) -> Self {
        NativeModel {
            model: Arc::new(model),
        }
    }
}

/// The warnings the command line shows about `model` (with `all`, as
/// `check` and `run`; else as the commands that draw), as one text: what
/// it writes to standard error, for a report's notes.
fn warning_notes(model: &Model, all: bool) -> Vec<String> {
    render_warnings(model, warnings_of(model, all))
        .map(|t| vec![t.trim_end().to_string()])
        .unwrap_or_default()
}

fn warnings_of(model: &Model, all: bool) -> Vec<Problem> {
    if all {
        all_warnings(model)
    } else {
        draw_warnings(model)
    }
}

/// The same warnings one by one, each as the command line shows it (the
/// place, the line with a caret, the reason), without the count after
/// them.
fn warning_list(model: &Model, all: bool) -> Vec<String> {
    warnings_of(model, all)
        .into_iter()
        .filter_map(|w| render_warnings(model, vec![w]))
        .map(|t| {
            let t = t.trim_end();
            // The last line is the count ("warning: 1 warning in FILE").
            t.rsplit_once('\n')
                .map_or(t, |(one, _)| one)
                .trim_end()
                .to_string()
        })
        .collect()
}

/// The month as pandas counts them: months since January 1970.
fn ordinal(year: i32, month: u32) -> i64 {
    (i64::from(year) - 1970) * 12 + i64::from(month) - 1
}

fn loss_of(name: &str) -> Result<Loss, Error> {
    [Loss::Pct, Loss::Log, Loss::Abs]
        .into_iter()
        .find(|l| l.name() == name)
        .ok_or_else(|| Error::Usage(format!("--loss {name}: expected pct, log or abs")))
}

fn sampler_of(name: &str) -> Result<Sampler, Error> {
    Sampler::parse(name).ok_or_else(|| Error::Usage(format!("--sampler {name}: expected random or lhs")))
}

/// The evaluations a Morris screening of `r` trajectories over `levels`
/// levels through `k` inputs takes, refused as `morris` refuses it (the
/// command line's words, `-r` and `--levels`).
fn morris_size(r: usize, levels: u32, k: usize, metrics: usize) -> Result<u64, Error> {
    if r < 2 {
        return Err(Error::Usage(
            "-r must be at least 2 (sigma needs two trajectories)".into(),
        ));
    }
    if !(2..=100).contains(&levels) || levels % 2 == 1 {
        return Err(Error::Usage(format!(
            "--levels {levels} is not an even number from 2 to 100"
        )));
    }
    let evaluations = (r as u64).saturating_mul(k as u64 + 1);
    if evaluations > MAX_EVALUATIONS {
        return Err(Error::Usage(format!(
            "-r {r} with {k} inputs needs {} evaluations, more than one run makes ({})",
            count(evaluations),
            count(MAX_EVALUATIONS)
        )));
    }
    let bytes = evaluations.saturating_mul(metrics as u64 * 8);
    if bytes > MAX_BYTES {
        return Err(Error::Usage(format!(
            "-r {r} would hold about {} GB of elementary effects (the limit is {} GB); use fewer trajectories",
            bytes >> 30,
            MAX_BYTES >> 30
        )));
    }
    Ok(evaluations)
}

/// `trace --month TEXT`: a month of the model's timeline.
fn month_in(model: &Model, text: &str) -> Result<YearMonth, Error> {
    let m: YearMonth = text
        .parse()
        .map_err(|e: String| Error::Usage(format!("--month: {e}")))?;
    if model.timeline.index_of(m).is_none() {
        return Err(Error::Usage(format!(
            "--month {m} is outside the timeline ({} to {})",
            model.timeline.start,
            model.timeline.end()
        )));
    }
    Ok(m)
}

/// Observed series from a file, or from CSV text under a name.
fn observed_of(source: &str, text: Option<&str>) -> Result<Observed, Error> {
    match text {
        None => read_observed(std::path::Path::new(source)),
        Some(t) => parse_observed(source, t).map_err(|d| Error::Invalid(Box::new(d))),
    }
}

/// `run --by`: the group labels, metric names, units, every value as
/// exact text (groups first), and the notes on groups the timeline holds
/// only part of.
type GroupedRun = (
    Vec<String>,
    Vec<String>,
    Vec<&'static str>,
    Vec<String>,
    Vec<String>,
);

/// The `run` data: months, metrics and units, then every value month by
/// month (metrics in order within a month) and the totals, as `f64` or,
/// with `exact`, as their exact text.
type RunData = (
    Vec<i64>,
    Vec<String>,
    Vec<&'static str>,
    Py<PyAny>,
    Py<PyAny>,
    Option<Vec<String>>,
    Option<Vec<String>>,
);

/// The columns of a Monte Carlo run's draws: names and values of the
/// inputs, then of the metrics.
type DrawColumns = (Vec<String>, Vec<Py<PyAny>>, Vec<String>, Vec<Py<PyAny>>);

#[pymethods]
impl NativeModel {
    /// The built-in default model (`models/iraq-2023.toml`).
    #[staticmethod]
    fn default(py: Python<'_>) -> PyResult<Self> {
        guard(py, load_default).map(Self::of)
    }

    /// The model file at `path`.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        guard(py, || load_file(&path)).map(Self::of)
    }

    /// A model from TOML text, reported under `name`.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: String, name: String) -> PyResult<Self> {
        guard(py, || {
            load_str(&name, &text).map_err(|d| Error::Invalid(Box::new(d)))
        })
        .map(Self::of)
    }

    /// A new model with every `PATH=VALUE` (`PATH@YYYY-MM=VALUE`,
    /// `PATH*=F`) applied together, as `--set` does; and the notes.
    fn with_sets(&self, py: Python<'_>, specs: Vec<String>) -> PyResult<(Self, Vec<String>)> {
        guard(py, || {
            let mut model = (*self.model).clone();
            let specs: Vec<&str> = specs.iter().map(String::as_str).collect();
            let notes = model.apply_sets(&specs)?;
            Ok((Self::of(model), notes.iter().map(ToString::to_string).collect()))
        })
    }

    /// A new model with the scenario file at `path` layered on, as
    /// `--scenario` does; and the notes.
    fn with_scenario(&self, py: Python<'_>, path: PathBuf) -> PyResult<(Self, Vec<String>)> {
        guard(py, || {
            let mut model = (*self.model).clone();
            let notes = model.apply_scenario_file(&path)?;
            Ok((Self::of(model), notes))
        })
    }

    /// The model's name (`[model] name`).
    #[getter]
    fn name(&self) -> String {
        self.model.name.clone()
    }

    /// The file the model was read from, as messages name it.
    #[getter]
    fn file(&self) -> String {
        self.model.file.name.clone()
    }

    /// The model file's text.
    #[getter]
    fn text(&self) -> String {
        self.model.file.text.clone()
    }

    /// The months of the timeline, as months since January 1970.
    #[getter]
    fn months(&self) -> Vec<i64> {
        self.model
            .timeline
            .months
            .iter()
            .map(|m| ordinal(m.month.year, m.month.month))
            .collect()
    }

    /// The warnings `check` shows (implausible values, off-centre
    /// distributions), one text each.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        warning_list(&self.model, true)
    }

    /// The warnings the commands that draw show (off-centre
    /// distributions), one text each.
    #[getter]
    fn draw_warnings(&self) -> Vec<String> {
        warning_list(&self.model, false)
    }

    /// A new model run on to `month` (`--horizon YYYY-MM`), each added
    /// month holding the last month's inputs; and the note saying so.
    fn with_horizon(&self, py: Python<'_>, month: String) -> PyResult<(Self, String)> {
        guard(py, || {
            let mut model = (*self.model).clone();
            let note = model.apply_horizon(&month)?;
            Ok((Self::of(model), note))
        })
    }

    /// A new model with the scenario `text` (reported as `name`) layered
    /// on, as `--scenario` layers a file; and the notes.
    fn with_scenario_text(
        &self,
        py: Python<'_>,
        name: String,
        text: String,
    ) -> PyResult<(Self, Vec<String>)> {
        guard(py, || {
            let mut model = (*self.model).clone();
            let notes = model
                .apply_scenario(&name, &text)
                .map_err(|d| Error::Invalid(Box::new(d)))?;
            Ok((Self::of(model), notes))
        })
    }

    /// The last scenario layered on: its file's name as given and its
    /// text (what a pickled model is made again from).
    #[getter]
    fn last_scenario(&self) -> Option<(String, String)> {
        self.model
            .scenarios
            .last()
            .map(|s| (s.file.name.clone(), s.file.text.clone()))
    }

    /// Every metric in every month and its summary, as `run` computes them.
    #[pyo3(signature = (exact = false))]
    fn run(&self, py: Python<'_>, exact: bool) -> PyResult<RunData> {
        let model = &self.model;
        let report = guard(py, || {
            let result = engine::run(model)?;
            RunReport::new(model, &result).map_err(|e| Error::Engine(overflow(model, e)))
        })?;
        let months = self.months();
        let names: Vec<String> = report.metrics.iter().map(|m| m.name.clone()).collect();
        let units: Vec<&'static str> = report.metrics.iter().map(|m| m.unit).collect();
        let (n, m) = (months.len(), report.metrics.len());
        let mut values = Vec::with_capacity(n * m);
        for i in 0..n {
            values.extend(report.metrics.iter().map(|r| decimal_to_f64(r.monthly[i])));
        }
        let totals: Vec<f64> = report.metrics.iter().map(|r| decimal_to_f64(r.total)).collect();
        let (exact_values, exact_totals) = if exact {
            let mut v = Vec::with_capacity(n * m);
            for i in 0..n {
                v.extend(report.metrics.iter().map(|r| r.monthly[i].to_string()));
            }
            let t = report.metrics.iter().map(|r| r.total.to_string()).collect();
            (Some(v), Some(t))
        } else {
            (None, None)
        };
        Ok((
            months,
            names,
            units,
            PyArray1::from_vec(py, values).into_any().unbind(),
            PyArray1::from_vec(py, totals).into_any().unbind(),
            exact_values,
            exact_totals,
        ))
    }

    /// `run --by quarter|year`: the group labels (`2023-Q1`, `2023`), the
    /// metric names and units, and each group's value of each metric as
    /// exact text, groups first.
    #[pyo3(signature = (by))]
    fn run_by(&self, py: Python<'_>, by: &str) -> PyResult<GroupedRun> {
        let model = &self.model;
        let months: Vec<_> = model.timeline.months.iter().map(|m| m.month).collect();
        let (report, notes) = guard(py, || {
            let per: Per = by.parse().map_err(Error::Usage)?;
            let result = engine::run(model)?;
            let report = RunReport::new(model, &result).map_err(|e| Error::Engine(overflow(model, e)))?;
            let (report, partial) = report
                .by(&months, per)
                .map_err(|e| Error::Engine(overflow(model, e)))?;
            // What `run --by` says of a group the timeline holds only part of.
            let notes = partial
                .iter()
                .map(|g| {
                    format!(
                        "note: by=\"{}\": {} holds {} only, the part of it in the timeline",
                        per.name(),
                        g.label,
                        span_text(months[g.first], months[g.last])
                    )
                })
                .collect::<Vec<_>>();
            Ok((report, notes))
        })?;
        let mut values = Vec::with_capacity(report.months.len() * report.metrics.len());
        for i in 0..report.months.len() {
            values.extend(report.metrics.iter().map(|r| r.monthly[i].to_string()));
        }
        Ok((
            report.months.clone(),
            report.metrics.iter().map(|m| m.name.clone()).collect(),
            report.metrics.iter().map(|m| m.unit).collect(),
            values,
            notes,
        ))
    }

    /// `run --format svg`: the rates by month, or `metrics`.
    #[pyo3(signature = (metrics = Vec::new()))]
    fn chart(&self, py: Python<'_>, metrics: Vec<String>) -> PyResult<String> {
        let model = &self.model;
        guard(py, || {
            let result = engine::run(model)?;
            let mut report = RunReport::new(model, &result).map_err(|e| Error::Engine(overflow(model, e)))?;
            for m in &metrics {
                if !report.metrics.iter().any(|r| &r.name == m) {
                    let names: Vec<&str> = report.metrics.iter().map(|r| r.name.as_str()).collect();
                    return Err(Error::Usage(format!(
                        "--metric {m}: no such metric; the metrics are {}",
                        names.join(", ")
                    )));
                }
            }
            report.draw = metrics.clone();
            render_text(&report, "svg")
        })
    }

    /// `brief --draws N --seed S`: the headline figures, the main results,
    /// "How sure" and the assumptions.
    #[pyo3(signature = (draws = 4000, seed = 1))]
    fn brief(&self, py: Python<'_>, draws: u64, seed: u64) -> PyResult<NativeReport> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            check_draws(draws)?;
            let mut notes = warning_notes(model, true);
            let result = engine::run(model)?;
            let brief = Brief::new(model, &result).map_err(|e| Error::Engine(overflow(model, e)))?;
            let (brief, note) = brief.how_sure_if_drawn(model, draws, seed, progress);
            notes.extend(note);
            Ok(NativeReport::new(brief, notes))
        })
    }

    /// `brief --format html`: the briefing as one self-contained page.
    #[pyo3(signature = (draws = 4000, seed = 1))]
    fn briefing_html(&self, py: Python<'_>, draws: u64, seed: u64) -> PyResult<String> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            check_draws(draws)?;
            render_text(&Briefing::build(&model, draws, seed, progress)?, "html")
        })
    }

    /// `sweep`: the model at every value of one parameter or two.
    #[pyo3(signature = (vary, scale, metrics))]
    fn sweep(
        &self,
        py: Python<'_>,
        vary: Vec<String>,
        scale: Vec<String>,
        metrics: Vec<String>,
    ) -> PyResult<NativeReport> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            if vary.is_empty() && scale.is_empty() {
                return Err(Error::Usage(
                    "sweep needs a parameter to vary: --vary PATH=SPEC or --scale PATH=SPEC".into(),
                ));
            }
            let (varies, metrics) = parse_sweep(model, &vary, &scale, &metrics)?;
            let notes = sweep_notes(model, &varies);
            let ev = Evaluator::new(model);
            let result = sweep(&ev, varies, &metrics, progress)?;
            let units = metrics.iter().map(|m| m.id.unit().to_string()).collect();
            Ok(NativeReport::new(
                SweepReport::new(model, result).with_units(units),
                notes,
            ))
        })
    }

    /// `tornado`: each parameter at a low and a high value, by swing.
    #[pyo3(signature = (metric, params, scale, swing))]
    fn tornado(
        &self,
        py: Python<'_>,
        metric: Option<String>,
        params: Vec<String>,
        scale: Vec<String>,
        swing: String,
    ) -> PyResult<NativeReport> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            let mut notes = warning_notes(model, false);
            let req = TornadoRequest::parse(model, metric.as_deref(), &params, &scale, &swing)?;
            notes.extend(tornado_notes(model, &req));
            let ev = Evaluator::new(model);
            let unit = req.metric.id.unit();
            let result = tornado(&ev, &req, progress)?;
            Ok(NativeReport::new(
                TornadoReport::new(model, result).with_unit(unit),
                notes,
            ))
        })
    }

    /// `solve`: the values of one parameter at which a metric meets a target.
    #[pyo3(signature = (vary, target, between, tolerance))]
    fn solve(
        &self,
        py: Python<'_>,
        vary: String,
        target: String,
        between: Option<String>,
        tolerance: Option<String>,
    ) -> PyResult<NativeReport> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            let req = SolveRequest::parse(model, &vary, &target, between.as_deref(), tolerance.as_deref())?;
            let notes: Vec<String> = target_note(model, req.form.target, "--vary")
                .into_iter()
                .collect();
            let ev = Evaluator::new(model);
            let result = solve(&ev, &req, progress)?;
            Ok(NativeReport::new(SolveReport::new(model, result), notes))
        })
    }

    /// `diff`: this model (A) against `other` (B).
    #[pyo3(signature = (other, metrics))]
    fn diff(&self, py: Python<'_>, other: &NativeModel, metrics: Vec<String>) -> PyResult<NativeReport> {
        let (a, b) = (Arc::clone(&self.model), Arc::clone(&other.model));
        guard_watching(py, move |progress| {
            let (a, b) = (&a, &b);
            let result = compare(a, b, &metrics, progress)?;
            Ok(NativeReport::new(DiffReport::new(a, b, result), Vec::new()))
        })
    }

    /// `mc [--no-forecast-error]`: the report, and every draw's inputs and
    /// metrics as arrays.
    #[pyo3(signature = (n, seed, sampler, metrics, until, forecast_error = true, by_month = false))]
    #[allow(clippy::too_many_arguments)]
    fn mc(
        &self,
        py: Python<'_>,
        n: u64,
        seed: u64,
        sampler: String,
        metrics: Vec<String>,
        until: Vec<String>,
        forecast_error: bool,
        by_month: bool,
    ) -> PyResult<(NativeReport, DrawColumns)> {
        let model = if forecast_error {
            Arc::clone(&self.model)
        } else {
            let mut m = (*self.model).clone();
            m.forecast_error.clear();
            Arc::new(m)
        };
        let (report, samples, places, info) = guard_watching(py, move |progress| {
            let model = &model;
            let mut notes = warning_notes(model, false);
            let sampler = sampler_of(&sampler)?;
            let plan = Plan::new(model)?;
            let metrics = metrics_or(model, &metrics, &default_metrics(&model.base))?;
            let targets = parse_until(&until)?;
            check_mc_draws(n, plan.inputs.len() + metrics.len(), plan.inputs.len())?;
            notes.extend(mc_notes(model, &plan));
            let info = run_info(model, &plan, &metrics, seed, sampler);
            let draws = Draws { n, seed, sampler };
            let (samples, convergence, lowest) =
                monte_carlo_watching_custody(model, &plan, &metrics, draws, &targets, progress)?;
            if let Some(c) = &convergence {
                notes.push(convergence_note(c, samples.len(), n));
            }
            notes.extend(dry_note(model, &lowest));
            let stats = McReport::of(info.clone(), &samples, convergence);
            let places: Vec<u32> = plan.inputs.iter().map(|i| i.marginal.places()).collect();
            if by_month {
                // `mc --by-month`: each metric's spread by month, from the
                // same draws again, one column per month (the fan chart's).
                let by = fans(model, &metrics, stats.n, seed, sampler, progress)?;
                let view = McView::new(stats, model, by, true);
                return Ok((NativeReport::new(view, notes), samples, places, info));
            }
            let view = McView::new(stats, model, Vec::new(), false);
            let fan = FanRequest {
                model: Arc::clone(model),
                metrics,
                view: view.clone(),
                seed,
                sampler,
            };
            Ok((
                NativeReport::new(view, notes).with_fan(fan),
                samples,
                places,
                info,
            ))
        })?;
        // The metric columns are handed over as they are (no copy); the
        // inputs, held as integers of their last decimal place, become
        // the nearest doubles.
        let inputs: Vec<Py<PyAny>> = samples
            .inputs
            .into_iter()
            .zip(&places)
            .map(|(col, &p)| {
                let v: Vec<f64> = col.into_iter().map(|u| units_to_f64(i128::from(u), p)).collect();
                PyArray1::from_vec(py, v).into_any().unbind()
            })
            .collect();
        let outputs: Vec<Py<PyAny>> = samples
            .metrics
            .into_iter()
            .map(|col| PyArray1::from_vec(py, col).into_any().unbind())
            .collect();
        let metric_names = info.metrics.into_iter().map(|(name, _)| name).collect();
        Ok((report, (info.inputs, inputs, metric_names, outputs)))
    }

    /// `sobol`: first-order and total Sobol indices of each uncertain input.
    #[pyo3(signature = (n, seed, metrics))]
    fn sobol(&self, py: Python<'_>, n: u32, seed: u64, metrics: Vec<String>) -> PyResult<NativeReport> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            let mut notes = warning_notes(model, false);
            let plan = Plan::new(model)?;
            let metrics = metrics_or(model, &metrics, &default_metrics(&model.base)[..1])?;
            let evaluations = sobol_size(n, plan.inputs.len())?;
            notes.extend(sobol_notes(model, &plan, n));
            let results = sobol_indices(model, &plan, &metrics, n, seed, progress)?;
            let names: Vec<String> = metrics.iter().map(|m| metric_name(model, m)).collect();
            let paths = plan.paths();
            for (name, r) in names.iter().zip(&results) {
                notes.extend(sobol_warnings(name, &paths, r, n));
            }
            let report = SobolReport {
                model: ModelInfo::of(model),
                n,
                evaluations,
                paths,
                names,
                results,
            };
            Ok(NativeReport::new(report, notes))
        })
    }

    /// `morris`: Morris elementary-effects screening of the uncertain
    /// inputs, `r` trajectories over grids of `levels` levels.
    #[pyo3(signature = (r, levels, seed, metrics))]
    fn morris(
        &self,
        py: Python<'_>,
        r: usize,
        levels: u32,
        seed: u64,
        metrics: Vec<String>,
    ) -> PyResult<NativeReport> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            let notes = warning_notes(model, false);
            let plan = Plan::new(model)?;
            let all = default_metrics(&model.base);
            let metrics = metrics_or(model, &metrics, all.get(..1).unwrap_or(&all))?;
            let evaluations = morris_size(r, levels, plan.inputs.len(), metrics.len())?;
            let mut notes = notes;
            notes.extend(morris_notes(model, &plan));
            let kernel = Kernel::with_targets(model, &plan.targets(), &metrics);
            let effects = screen(&kernel, &plan.drawn(), r, levels, seed, progress).map_err(|e| match e {
                MorrisError::NoGrid { input } => {
                    let i = &plan.inputs[input];
                    Error::Usage(format!(
                        "{}: no value of {} lies in the allowed range ({})",
                        i.path, i.dist, i.range
                    ))
                }
                MorrisError::Engine(e) => Error::Engine(e),
            })?;
            let report = MorrisReport {
                model: ModelInfo::of(model),
                r,
                levels,
                evaluations,
                paths: plan.paths(),
                metrics: metrics
                    .iter()
                    .map(|m| (metric_name(model, m), m.id.unit().to_string()))
                    .collect(),
                effects,
            };
            Ok(NativeReport::new(report, notes))
        })
    }

    /// `explain METRIC`: the chain of steps behind one number.
    fn explain(&self, py: Python<'_>, metric: String) -> PyResult<NativeReport> {
        let model = &self.model;
        guard(py, || {
            // Named as the argument it is, as the command names it:
            // `explain parallel_rate@2030-01: …`.
            let metric = parse_metric(model, &metric).map_err(|e| e.for_option("explain", &metric))?;
            let result = engine::run(model)?;
            let explanation = explain(model, &result, &metric)?;
            Ok(NativeReport::new(
                ExplainReport::new(model, explanation),
                Vec::new(),
            ))
        })
    }

    /// `trace [--month M] [--postings]`: where the dollars went.
    #[pyo3(signature = (month, postings))]
    fn trace(&self, py: Python<'_>, month: Option<String>, postings: bool) -> PyResult<NativeReport> {
        let model = &self.model;
        guard(py, || {
            let month = month.as_deref().map(|t| month_in(model, t)).transpose()?;
            let result = engine::run_with_postings(model)?;
            let trace =
                Trace::new(model, &result, month, postings).map_err(|e| Error::Engine(overflow(model, e)))?;
            Ok(NativeReport::new(trace, Vec::new()))
        })
    }

    /// `fit`: estimates of the `vary` parameters from observed series (a
    /// file, or CSV `text` under the name `source`); the report and the
    /// `--set` values that reproduce it.
    #[pyo3(signature = (source, text, vary, train_until, loss))]
    fn fit(
        &self,
        py: Python<'_>,
        source: String,
        text: Option<String>,
        vary: Vec<String>,
        train_until: Option<String>,
        loss: String,
    ) -> PyResult<(NativeReport, Vec<String>)> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            let loss = loss_of(&loss)?;
            let observed = observed_of(&source, text.as_deref())?;
            observed.check_loss(loss)?;
            let until = train_until
                .as_deref()
                .map(|t| month("--train-until", t))
                .transpose()?;
            let setup = FitSetup::new(model, &observed, &vary, until, progress)?;
            let (result, span) = setup.fit(model, loss, progress)?;
            let sets = result.sets.clone();
            let report = FitReport {
                model: ModelInfo::of(model),
                observed: observed.file.name.clone(),
                fit: result,
                span,
                assumed: Vec::new(),
                fitted: Vec::new(),
            };
            Ok((NativeReport::new(report, setup.notes), sets))
        })
    }

    /// `backtest`: the model's forecasts after the training window against
    /// naive benchmarks; with `rolling` (FROM, TO), at each origin in turn;
    /// the model's forecast drawn `n` times (seed `seed`) from its
    /// `[uncertainty]` for its bands and CRPS.
    #[pyo3(signature = (source, text, train_until, rolling_origins, refit, loss, n, seed))]
    #[allow(clippy::too_many_arguments)] // one per option of `backtest`
    fn backtest(
        &self,
        py: Python<'_>,
        source: String,
        text: Option<String>,
        train_until: Option<String>,
        rolling_origins: Option<(String, String)>,
        refit: Vec<String>,
        loss: String,
        n: u64,
        seed: u64,
    ) -> PyResult<NativeReport> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            let loss = loss_of(&loss)?;
            let observed = observed_of(&source, text.as_deref())?;
            observed.check_loss(loss)?;
            let range = rolling_origins.map(|(from, to)| format!("{from}:{to}"));
            let (run, notes) = run_backtest(
                model,
                &observed,
                train_until.as_deref(),
                range.as_deref(),
                &refit,
                loss,
                BacktestDraws { n, seed },
                progress,
            )?;
            Ok(match run {
                BacktestRun::Rolling(result) => NativeReport::new(
                    RollingReport {
                        model: ModelInfo::of(model),
                        observed: observed.file.name.clone(),
                        refit: refit.clone(),
                        rolling: result,
                    },
                    notes,
                ),
                BacktestRun::Single(fitted, result) => NativeReport::new(
                    BacktestReport {
                        model: ModelInfo::of(&fitted),
                        observed: observed.file.name.clone(),
                        backtest: result,
                    },
                    notes,
                ),
            })
        })
    }
}
