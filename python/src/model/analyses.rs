//! The analyses over many runs for Python: `sweep`, `tornado`, `solve`,
//! `diff`, `mc`, `sobol` and `morris`, each on the library's thread pool
//! under the Ctrl-C watch, with the command line's checks and notes.

use std::sync::Arc;

use dinarflow::engine::kernel::Kernel;
use dinarflow::engine::metrics::default_metrics;
use dinarflow::num::binary::units_to_f64;
use dinarflow::render::count;
use dinarflow::report::diff::DiffReport;
use dinarflow::report::fan::fans;
use dinarflow::report::how_sure::dry_note;
use dinarflow::report::mc_view::McView;
use dinarflow::report::morris::MorrisReport;
use dinarflow::report::sobol::SobolReport;
use dinarflow::report::solve::SolveReport;
use dinarflow::report::sweep::SweepReport;
use dinarflow::report::tornado::TornadoReport;
use dinarflow::report::ModelInfo;
use dinarflow::sensitivity::diff::compare;
use dinarflow::sensitivity::solve::{solve, Request as SolveRequest};
use dinarflow::sensitivity::sweep::{parse_sweep, sweep, sweep_notes};
use dinarflow::sensitivity::tornado::{notes as tornado_notes, tornado, Request as TornadoRequest};
use dinarflow::sensitivity::{metric_name, target_note, Evaluator};
use dinarflow::uncertainty_analysis::morris::{screen, MorrisError};
use dinarflow::uncertainty_analysis::report::McReport;
use dinarflow::uncertainty_analysis::request::{
    check_draws as check_mc_draws, convergence_note, draw_bytes, draws_csv, mc_notes, metrics_or,
    monte_carlo_watching_custody, morris_notes, parse_until, run_info, sobol_indices, sobol_notes,
    sobol_size, Draws,
};
use dinarflow::uncertainty_analysis::sobol::warnings as sobol_warnings;
use dinarflow::uncertainty_analysis::{Plan, Sampler, MAX_BYTES, MAX_EVALUATIONS};
use dinarflow::Error;
use numpy::PyArray1;
use pyo3::prelude::*;

use super::{warning_notes, NativeModel};
use crate::errors::guard_watching;
use crate::report::{FanRequest, NativeReport};

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

/// Refuses `n` draws of `inputs` inputs and `metrics` metrics before any
/// work, as `mc` does (`check_draws`), except that more draws than one run
/// makes also say how much memory they would need, which is what stops a
/// notebook: `mc(10**9)` would need hundreds of GB. The bytes are counted
/// as `check_draws` counts them ([`draw_bytes`]); the message is in
/// Python's words.
fn check_draws(n: u64, inputs: usize, metrics: usize) -> Result<(), Error> {
    if n > MAX_EVALUATIONS {
        let columns = inputs + metrics;
        let bytes = draw_bytes(n, columns, inputs);
        return Err(Error::Usage(format!(
            "n={} is more draws than one run makes (at most {}) and would need about {} GB of memory for \
             exact percentiles and rank correlations of {columns} columns ({inputs} inputs, {metrics} metrics; \
             the limit is {} GB); use fewer draws (percentiles settle long before that: until=\"p95:0.1%\" \
             stops once they have) or fewer metrics",
            count(n),
            count(MAX_EVALUATIONS),
            count(bytes >> 30),
            MAX_BYTES >> 30
        )));
    }
    check_mc_draws(n, inputs + metrics, inputs)
}

/// The model `mc` draws from: without its own error on a quote when
/// `forecast_error` is false (`mc --no-forecast-error`).
fn mc_model(model: &Arc<dinarflow::model::Model>, forecast_error: bool) -> Arc<dinarflow::model::Model> {
    if forecast_error {
        Arc::clone(model)
    } else {
        let mut m = (**model).clone();
        m.forecast_error.clear();
        Arc::new(m)
    }
}

/// The columns of a Monte Carlo run's draws: names and values of the
/// inputs, then of the metrics.
type DrawColumns = (Vec<String>, Vec<Py<PyAny>>, Vec<String>, Vec<Py<PyAny>>);

#[pymethods]
impl NativeModel {
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
            let mut notes = sweep_notes(model, &varies);
            let ev = Evaluator::new(model);
            let result = sweep(&ev, varies, &metrics, progress)?;
            notes.extend(dinarflow::report::dry::runs_note(model, &result.dry));
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
            notes.extend(dinarflow::report::dry::tornado_note(
                model,
                result.dry_base,
                &result.dry,
            ));
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
            let mut notes: Vec<String> = target_note(model, req.form.target, "--vary")
                .into_iter()
                .collect();
            let ev = Evaluator::new(model);
            let result = solve(&ev, &req, progress)?;
            notes.extend(dinarflow::report::dry::answers_note(model, &result.dry));
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
        let model = mc_model(&self.model, forecast_error);
        let (report, samples, places, info) = guard_watching(py, move |progress| {
            let model = &model;
            let mut notes = warning_notes(model, false);
            let sampler = sampler_of(&sampler)?;
            let plan = Plan::new(model)?;
            let metrics = metrics_or(model, &metrics, &default_metrics(&model.base))?;
            let targets = parse_until(&until)?;
            check_draws(n, plan.inputs.len(), metrics.len())?;
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

    /// `mc --draws FILE`: the file's text for the draws of `mc` with the
    /// same arguments (made again, each metric at the engine's own scale).
    #[pyo3(signature = (n, seed, sampler, metrics, until, forecast_error = true))]
    #[allow(clippy::too_many_arguments)]
    fn mc_draws(
        &self,
        py: Python<'_>,
        n: u64,
        seed: u64,
        sampler: String,
        metrics: Vec<String>,
        until: Vec<String>,
        forecast_error: bool,
    ) -> PyResult<String> {
        let model = mc_model(&self.model, forecast_error);
        guard_watching(py, move |progress| {
            let model = &model;
            let sampler = sampler_of(&sampler)?;
            let plan = Plan::new(model)?;
            let metrics = metrics_or(model, &metrics, &default_metrics(&model.base))?;
            let targets = parse_until(&until)?;
            check_draws(n, plan.inputs.len(), metrics.len())?;
            let draws = Draws { n, seed, sampler };
            draws_csv(model, &plan, &metrics, draws, &targets, progress)
        })
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
}
