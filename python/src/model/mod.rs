//! A model for Python: loaded, layered with scenarios and `--set` values
//! (each a new model; a model never changes), and every command that reads
//! a model as a method that returns the library's own report. Each method
//! takes what the command line's options take, in the same words, and
//! calls the same library functions the command does, so its numbers and
//! messages are the command's.
//!
//! The methods are grouped by what they do, one file each: making and
//! layering models (here), runs and reports of one run (`runs`), the
//! analyses over many runs (`analyses`), and calibration (`calibration`).

use std::path::PathBuf;
use std::sync::Arc;

use dinarflow::diagnostic::Problem;
use dinarflow::model::{
    all_warnings, draw_warnings, load_default, load_file, load_str, render_warnings, Model,
};
use dinarflow::Error;
use pyo3::prelude::*;

use crate::errors::guard;

mod analyses;
mod calibration;
mod runs;

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
}
