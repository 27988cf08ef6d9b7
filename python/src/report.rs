//! A report of the library (`run`, `sweep`, `tornado`, `mc`, …) held for
//! Python: rendered in any of the command line's formats (the same bytes
//! as `--format`), and its tidy table (what `--format csv` writes) handed
//! over as typed columns, so that `to_frame()` holds exactly the CSV's
//! values. Nothing is recomputed here.

use std::sync::Arc;

use dinarflow::engine::metrics::MetricRef;
use dinarflow::model::Model;
use dinarflow::num::binary::decimal_to_f64;
use dinarflow::render::{self, Cell, Format, Report, Table};
use dinarflow::report::fan::fans;
use dinarflow::report::mc_view::McView;
use dinarflow::uncertainty_analysis::Sampler;
use dinarflow::Error;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;

use crate::errors::{guard, guard_watching};

/// A report of one command, with the notes the command line would have
/// written to standard error.
#[pyclass(frozen, module = "dinarflow._dinarflow")]
pub struct NativeReport {
    report: Box<dyn Report + Send + Sync>,
    /// What the command line says on standard error (notes and warnings).
    notes: Vec<String>,
    /// For a Monte Carlo report: how to draw its fan chart, once asked for.
    fan: Option<FanRequest>,
    chart: PyOnceLock<String>,
}

/// What a Monte Carlo report's fan chart needs: the same draws again, one
/// column per month (as `mc --format svg` makes them).
pub struct FanRequest {
    pub model: Arc<Model>,
    pub metrics: Vec<MetricRef>,
    pub view: McView,
    pub seed: u64,
    pub sampler: Sampler,
}

impl NativeReport {
    /// A report with the notes of its command.
    pub fn new(report: impl Report + Send + Sync + 'static, notes: Vec<String>) -> Self {
        NativeReport {
            report: Box::new(report),
            notes,
            fan: None,
            chart: PyOnceLock::new(),
        }
    }

    /// A Monte Carlo report whose chart is drawn on first use.
    pub fn with_fan(mut self, fan: FanRequest) -> Self {
        self.fan = Some(fan);
        self
    }
}

/// `report` in `format` (as `--format` names it), as text.
pub fn render_text(report: &dyn Report, format: &str) -> Result<String, Error> {
    let f = match format {
        "table" => Format::Table,
        "csv" => Format::Csv,
        "json" => Format::Json,
        "md" => Format::Md,
        "svg" => Format::Svg,
        "html" => Format::Html,
        other => {
            return Err(Error::Usage(format!(
                "no format {other:?}; the text formats are table, csv, json, md, svg and html"
            )))
        }
    };
    let mut buf = Vec::new();
    render::write(report, f, &mut buf).map_err(|e| Error::Usage(e.to_string()))?;
    String::from_utf8(buf).map_err(|e| Error::Usage(e.to_string()))
}

/// One column of a tidy table: its name, its kind (`float`, `int`,
/// `decimal` or `text`) and its values (a NumPy array for numbers, else a
/// list of text, `None` where a cell is empty).
pub type Column = (String, &'static str, Py<PyAny>);

fn numeric(c: &Cell) -> bool {
    matches!(
        c,
        Cell::Number(_) | Cell::Percent(_) | Cell::Count(_) | Cell::Empty
    )
}

/// The columns of `table`; numbers as `f64` (each the nearest double to
/// the exact value the CSV prints), or as their exact text with `exact`.
pub fn columns(py: Python<'_>, table: &Table, exact: bool) -> PyResult<Vec<Column>> {
    let mut out = Vec::with_capacity(table.header.len());
    for (j, name) in table.header.iter().enumerate() {
        let cells: Vec<&Cell> = table
            .rows
            .iter()
            .map(|r| r.get(j).unwrap_or(&Cell::Empty))
            .collect();
        let is_number = cells.iter().all(|c| numeric(c)) && cells.iter().any(|c| !matches!(c, Cell::Empty));
        let all_counts = cells.iter().all(|c| matches!(c, Cell::Count(_)));
        let column: Py<PyAny> = if is_number && all_counts && !exact {
            let v: Vec<i64> = cells
                .iter()
                .map(|c| match c {
                    Cell::Count(n) => i64::try_from(*n).unwrap_or(i64::MAX),
                    _ => 0,
                })
                .collect();
            out.push((name.clone(), "int", PyArray1::from_vec(py, v).into_any().unbind()));
            continue;
        } else if is_number && !exact {
            let v: Vec<f64> = cells
                .iter()
                .map(|c| match c {
                    Cell::Number(n) => decimal_to_f64(n.value),
                    Cell::Percent(p) => decimal_to_f64(*p),
                    Cell::Count(n) => *n as f64,
                    _ => f64::NAN,
                })
                .collect();
            out.push((
                name.clone(),
                "float",
                PyArray1::from_vec(py, v).into_any().unbind(),
            ));
            continue;
        } else {
            let v: Vec<Option<String>> = cells
                .iter()
                .map(|c| match c {
                    Cell::Empty => None,
                    c => Some(c.raw()),
                })
                .collect();
            v.into_pyobject(py)?.into_any().unbind()
        };
        out.push((name.clone(), if is_number { "decimal" } else { "text" }, column));
    }
    Ok(out)
}

#[pymethods]
impl NativeReport {
    /// The report as `--format FORMAT` writes it (table, csv, json, md, svg, html).
    fn render(&self, py: Python<'_>, format: &str) -> PyResult<String> {
        if format == "svg" {
            if let Some(fan) = &self.fan {
                return self
                    .chart
                    .get_or_try_init(py, || {
                        let (model, metrics, mut view) =
                            (Arc::clone(&fan.model), fan.metrics.clone(), fan.view.clone());
                        let (seed, sampler) = (fan.seed, fan.sampler);
                        guard_watching(py, move |progress| {
                            let n = view.stats.n;
                            view.fans = fans(&model, &metrics, n, seed, sampler, progress)?;
                            render_text(&view, "svg")
                        })
                    })
                    .cloned();
            }
        }
        guard(py, || render_text(self.report.as_ref(), format))
    }

    /// Whether the report has a picture (`--format svg`).
    fn has_chart(&self) -> bool {
        self.report.chart().is_some()
    }

    /// The tidy table's columns, or `None` when the report has none.
    #[pyo3(signature = (exact = false))]
    fn columns(&self, py: Python<'_>, exact: bool) -> PyResult<Option<Vec<Column>>> {
        match self.report.csv() {
            Some(t) => columns(py, &t, exact).map(Some),
            None => Ok(None),
        }
    }

    /// What the command line would have written to standard error.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
}
