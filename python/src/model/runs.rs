//! The model's runs for Python: `run` (as arrays, exact text or by
//! quarter or year), its chart, `brief` and its HTML page, `explain` and
//! `trace`: each a report of one run of the model, as the command makes it.

use std::sync::Arc;

use dinarflow::calendar::YearMonth;
use dinarflow::engine;
use dinarflow::model::Model;
use dinarflow::num::binary::decimal_to_f64;
use dinarflow::report::brief::Brief;
use dinarflow::report::briefing::{check_draws, Briefing};
use dinarflow::report::custody_dry_note;
use dinarflow::report::explain::ExplainReport;
use dinarflow::report::periods::{span_text, Per};
use dinarflow::report::run::RunReport;
use dinarflow::report::trace::Trace;
use dinarflow::sensitivity::explain::explain;
use dinarflow::sensitivity::{overflow, parse_metric};
use dinarflow::Error;
use numpy::PyArray1;
use pyo3::prelude::*;

use super::{warning_notes, NativeModel};
use crate::errors::{guard, guard_watching};
use crate::report::{render_text, NativeReport};

/// `trace --month TEXT`: a month of the model's timeline.
fn month_in(model: &Model, text: &str) -> Result<YearMonth, Error> {
    let m: YearMonth = text
        .parse()
        .map_err(|e: String| Error::Usage(format!("--month: {e}")))?;
    // As the command says it (Python's words replace the options).
    model
        .timeline
        .locate(m)
        .map_err(|why| Error::Usage(format!("--month {why}")))?;
    Ok(m)
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
/// with `exact`, as their exact text; last, `run`'s note when the custody
/// account ran dry.
type RunData = (
    Vec<i64>,
    Vec<String>,
    Vec<&'static str>,
    Py<PyAny>,
    Py<PyAny>,
    Option<Vec<String>>,
    Option<Vec<String>>,
    Option<String>,
);

#[pymethods]
impl NativeModel {
    /// Every metric in every month and its summary, as `run` computes them.
    #[pyo3(signature = (exact = false))]
    fn run(&self, py: Python<'_>, exact: bool) -> PyResult<RunData> {
        let model = &self.model;
        let (report, dry) = guard(py, || {
            let result = engine::run(model)?;
            let dry = custody_dry_note(model, &result);
            let report = RunReport::new(model, &result).map_err(|e| Error::Engine(overflow(model, e)))?;
            Ok((report, dry))
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
            dry,
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
            let dry = custody_dry_note(model, &result);
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
                .chain(dry)
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
            let brief =
                Brief::new(model, &result, progress).map_err(|e| Error::Engine(overflow(model, e)))?;
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
}
