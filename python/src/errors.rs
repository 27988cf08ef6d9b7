//! The boundary every call from Python crosses: dinarflow's errors become
//! the package's exceptions (`dinarflow.ModelError` for bad input,
//! `dinarflow.ComputationError` for a computation that fails), with the
//! command line's message and the file, line and column of the first
//! problem; a panic anywhere below (including rayon's worker threads)
//! becomes `dinarflow.InternalError`, never a crash of the interpreter.
//! Work runs with the GIL released, so other Python threads go on.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use dinarflow::diagnostic::Diagnostics;
use dinarflow::error::EngineError;
use dinarflow::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// Runs `f` with the GIL released: its error as the package's exception,
/// a panic as `InternalError`.
pub fn guard<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error> + Send) -> PyResult<T> {
    match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(to_py(py, &e, None)),
        Err(panic) => Err(internal(py, &panic)),
    }
}

/// As [`guard`], naming `parameter` in a usage error (a `with_set` key).
pub fn guard_naming<T: Send>(
    py: Python<'_>,
    name: impl FnOnce(&Error) -> Option<String>,
    f: impl FnOnce() -> Result<T, Error> + Send,
) -> PyResult<T> {
    match py.detach(|| catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => {
            let parameter = name(&e);
            Err(to_py(py, &e, parameter))
        }
        Err(panic) => Err(internal(py, &panic)),
    }
}

/// One exception class of `dinarflow._errors`.
fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
) -> PyResult<&'static Py<PyType>> {
    let _ = py;
    cell.get_or_try_init(py, || {
        let t = py
            .import("dinarflow._errors")?
            .getattr(name)?
            .cast_into::<PyType>()?;
        Ok(t.unbind())
    })
}

static MODEL_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static COMPUTATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static INTERNAL_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// Where a problem is: the file, line and column (1-based), the parameter
/// path it concerns, and its message.
struct Place {
    path: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    parameter: Option<String>,
    message: String,
}

fn places_of(d: &Diagnostics) -> Vec<Place> {
    d.problems
        .iter()
        .map(|p| {
            let (line, column) = match &p.span {
                Some(span) => {
                    let (l, c) = d.file.line_col(span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            Place {
                path: Some(d.file.name.clone()),
                line,
                column,
                parameter: (!p.path.is_empty()).then(|| p.path.clone()),
                message: p.one_line(),
            }
        })
        .collect()
}

/// `FILE:LINE` as an overflow message names the value in force.
fn file_line(at: &str) -> (Option<String>, Option<usize>) {
    match at.rsplit_once(':') {
        Some((file, line)) => match line.parse() {
            Ok(l) => (Some(file.to_string()), Some(l)),
            Err(_) => (None, None),
        },
        None => (None, None),
    }
}

/// The exception for `e`, with the command line's message.
pub fn to_py(py: Python<'_>, e: &Error, parameter: Option<String>) -> PyErr {
    let message = e.to_string();
    let (cell, name, places): (_, _, Vec<Place>) = match e {
        Error::Invalid(d) => (&MODEL_ERROR, "ModelError", places_of(d)),
        Error::Input { path, message } => (
            &MODEL_ERROR,
            "ModelError",
            vec![Place {
                path: Some(path.clone()),
                line: None,
                column: None,
                parameter: None,
                message: message.clone(),
            }],
        ),
        Error::Usage(_) | Error::Cli(_) | Error::Strict(_) => (&MODEL_ERROR, "ModelError", Vec::new()),
        Error::Engine(EngineError::Step(s)) => {
            let (path, line) = s
                .inputs
                .iter()
                .find_map(|i| i.at.as_deref().map(file_line))
                .unwrap_or((Some(s.file.clone()), None));
            let place = Place {
                path: path.or_else(|| Some(s.file.clone())),
                line,
                column: None,
                parameter: s.inputs.first().map(|i| i.path.clone()),
                message: message.clone(),
            };
            (&COMPUTATION_ERROR, "ComputationError", vec![place])
        }
        Error::Engine(_) | Error::NoSolution(_) | Error::Output { .. } | Error::BrokenPipe => {
            (&COMPUTATION_ERROR, "ComputationError", Vec::new())
        }
    };
    match build(py, cell, name, &message, &places, parameter, e.exit_code()) {
        Ok(err) => err,
        Err(err) => err,
    }
}

fn build(
    py: Python<'_>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    message: &str,
    places: &[Place],
    parameter: Option<String>,
    exit_code: i32,
) -> PyResult<PyErr> {
    let cls = class(py, cell, name)?.bind(py);
    let problems = places
        .iter()
        .map(|p| {
            PyTuple::new(
                py,
                [
                    p.path.clone().into_pyobject(py)?.into_any(),
                    p.line.into_pyobject(py)?.into_any(),
                    p.column.into_pyobject(py)?.into_any(),
                    p.parameter.clone().into_pyobject(py)?.into_any(),
                    p.message.clone().into_pyobject(py)?.into_any(),
                ],
            )
        })
        .collect::<PyResult<Vec<_>>>()?;
    let first = places.iter().find(|p| p.line.is_some()).or(places.first());
    let kwargs = PyDict::new(py);
    kwargs.set_item("path", first.and_then(|p| p.path.clone()))?;
    kwargs.set_item("line", first.and_then(|p| p.line))?;
    kwargs.set_item("column", first.and_then(|p| p.column))?;
    kwargs.set_item(
        "parameter",
        parameter.or_else(|| first.and_then(|p| p.parameter.clone())),
    )?;
    kwargs.set_item("problems", problems)?;
    kwargs.set_item("exit_code", exit_code)?;
    let value = cls.call((message,), Some(&kwargs))?;
    Ok(PyErr::from_value(value))
}

/// A panic's message as `InternalError`.
fn internal(py: Python<'_>, panic: &Box<dyn Any + Send>) -> PyErr {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into());
    let message =
        format!("internal error: {what} (a bug in dinarflow; please report it with the model and the call)");
    match build(py, &INTERNAL_ERROR, "InternalError", &message, &[], None, 1) {
        Ok(err) => err,
        Err(err) => err,
    }
}
