//! The boundary every call from Python crosses: dinarflow's errors become
//! the package's exceptions (`dinarflow.ModelError` for bad input,
//! `dinarflow.ComputationError` for a computation that fails), with the
//! command line's message and the file, line and column of the first
//! problem; a panic anywhere below (including rayon's worker threads)
//! becomes `dinarflow.InternalError`, never a crash of the interpreter,
//! and says nothing on standard error: the exception carries the panic's
//! message and place ([`quiet_panics`]).
//! Work runs with the GIL released, so other Python threads go on; a long
//! computation ([`guard_watching`]) runs on a thread of its own while the
//! caller's thread looks for signals, so Ctrl-C stops it and raises
//! `KeyboardInterrupt` within a fraction of a second: every part of the
//! work looks at the library's progress hook, the evaluations it counts
//! and the stretches that count none (arranging correlated draws, a fit's
//! search between its batches of runs). In a process forked
//! from the one that loaded the module, work runs on a thread pool of
//! that process's own ([`in_pool`]).

use std::any::Any;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use dinarflow::diagnostic::Diagnostics;
use dinarflow::error::EngineError;
use dinarflow::sensitivity::Progress;
use dinarflow::Error;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};

/// Runs `f` with the GIL released: its error as the package's exception,
/// a panic as `InternalError`.
pub fn guard<T: Send>(py: Python<'_>, f: impl FnOnce() -> Result<T, Error> + Send) -> PyResult<T> {
    match py.detach(|| catch_unwind(AssertUnwindSafe(|| in_pool(f)))) {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(to_py(py, &e, None)),
        Err(panic) => Err(internal(py, &panic)),
    }
}

/// What unwinds a computation that Python interrupted: raised from the
/// library's progress hook on the computation's threads and caught at the
/// boundary; never a panic (no message, no panic hook).
struct Interrupted;

/// The progress hook of a computation Python may interrupt: every
/// evaluation it counts first looks whether the caller asked to stop.
struct Watch {
    stop: Arc<AtomicBool>,
}

impl Watch {
    fn stop_if_asked(&self) {
        if self.stop.load(Ordering::Relaxed) {
            resume_unwind(Box::new(Interrupted));
        }
    }
}

impl Progress for Watch {
    fn start(&self, _: u64) {
        self.stop_if_asked();
    }
    fn tick(&self) {
        self.stop_if_asked();
    }
    fn check(&self) {
        self.stop_if_asked();
    }
    // Called on the way out of a failed run too: never unwinds.
    fn finish(&self) {}
}

/// How often the caller's thread looks for a signal while it waits.
const POLL: Duration = Duration::from_millis(50);

/// How long an interrupted computation is waited for before the call
/// returns without it.
const GRACE: Duration = Duration::from_millis(250);

/// The stack of the computation's thread: that of a main thread, as the
/// command line has.
const STACK: usize = 8 << 20;

/// What the computation's thread hands back: its result, or its panic.
type Outcome<T> = Result<Result<T, Error>, Box<dyn Any + Send>>;

/// As [`guard`], for a computation that reports its progress to the
/// library's hook (`mc`, `sobol`, `sweep`, `tornado`, `brief`, `fit`,
/// `backtest`, …): it runs on a thread of its own while the caller's
/// thread, every 50 ms, lets Python handle any signal that arrived. When
/// a handler raises (Ctrl-C: `KeyboardInterrupt`), the computation is told
/// to stop at its next evaluation or check (a block of a few thousand
/// draws being arranged, a batch of a fit's runs) and that exception is
/// raised, once it has stopped or a quarter of a second has passed;
/// nothing of it is kept.
pub fn guard_watching<T: Send + 'static>(
    py: Python<'_>,
    f: impl FnOnce(&dyn Progress) -> Result<T, Error> + Send + 'static,
) -> PyResult<T> {
    let stop = Arc::new(AtomicBool::new(false));
    let (done, finished) = channel::<Outcome<T>>();
    let watch = Watch {
        stop: Arc::clone(&stop),
    };
    let worker = std::thread::Builder::new()
        .name("dinarflow".into())
        .stack_size(STACK)
        .spawn(move || {
            let outcome = catch_unwind(AssertUnwindSafe(|| in_pool(|| f(&watch))));
            let _ = done.send(outcome);
        });
    if let Err(e) = worker {
        let why: Box<dyn Any + Send> = Box::new(format!("cannot start a thread: {e}"));
        return Err(internal(py, &why));
    }
    let outcome = py.detach(move || loop {
        match finished.recv_timeout(POLL) {
            Ok(outcome) => return Ok(outcome),
            Err(RecvTimeoutError::Disconnected) => {
                let why: Box<dyn Any + Send> = Box::new("the computation's thread ended without a result");
                return Ok(Err(why));
            }
            Err(RecvTimeoutError::Timeout) => {
                if let Err(e) = Python::attach(|py| py.check_signals()) {
                    stop.store(true, Ordering::Relaxed);
                    let _ = finished.recv_timeout(GRACE);
                    return Err(e);
                }
            }
        }
    })?;
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(to_py(py, &e, None)),
        Err(panic) => Err(internal(py, &panic)),
    }
}

/// Runs `f` on the library's thread pool: rayon's global one, except in a
/// process forked from the one that loaded the module (a
/// `multiprocessing` worker), whose copy of the global pool has no
/// threads (they are not forked) and would wait for ever; such a process
/// makes a pool of its own.
pub fn in_pool<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    let pid = std::process::id();
    if pid == *LOADED_IN.get_or_init(|| pid) {
        return f();
    }
    let mut slot = FORKED_POOL.lock().unwrap_or_else(|e| e.into_inner());
    let pool = match *slot {
        Some((p, pool)) if p == pid => Some(pool),
        _ => match rayon::ThreadPoolBuilder::new().build() {
            // Kept for the life of the process (one per process).
            Ok(pool) => {
                let pool: &'static rayon::ThreadPool = Box::leak(Box::new(pool));
                *slot = Some((pid, pool));
                Some(pool)
            }
            Err(_) => None,
        },
    };
    drop(slot);
    match pool {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// The process that loaded the module (see [`in_pool`]).
static LOADED_IN: OnceLock<u32> = OnceLock::new();

/// The thread pool of a forked process, with that process's id.
static FORKED_POOL: Mutex<Option<(u32, &'static rayon::ThreadPool)>> = Mutex::new(None);

/// Notes the process that loads the module (see [`in_pool`]).
pub fn loaded() {
    LOADED_IN.get_or_init(std::process::id);
}

/// Where the last panic in this extension happened (`file:line:column`),
/// for the `InternalError` that reports it.
static PANICKED_AT: Mutex<Option<String>> = Mutex::new(None);

/// Replaces the default panic hook, which writes the panic's message (and,
/// with `RUST_BACKTRACE`, a backtrace) to standard error before Python
/// sees the exception, with one that only notes where the panic happened:
/// every panic in this extension is caught at the boundary and raised as
/// `InternalError` with its message and that place. The hook is this
/// extension's own (another Rust extension in the process has its own
/// standard library and hook); installed once, when the module loads.
pub fn quiet_panics() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        std::panic::set_hook(Box::new(|info| {
            let at = info.location().map(|l| l.to_string());
            *PANICKED_AT.lock().unwrap_or_else(|e| e.into_inner()) = at;
        }));
    });
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

/// The options whose argument is a parameter path (`--vary PATH=SPEC`):
/// a refusal of one of them concerns that parameter.
const PARAMETER_OPTIONS: &[&str] = &["--set", "--vary", "--scale", "--param", "--refit"];

/// The parameter a usage message concerns, when it begins with an option
/// that takes a path and its argument (`--vary auction.rate=0,1: …`,
/// `--param x.y is named twice`): the path as given (`PATH`,
/// `PATH@YYYY-MM`, `PATH*`), without its value.
fn parameter_of(message: &str) -> Option<String> {
    let line = message.lines().next()?;
    let (option, rest) = line.split_once(' ')?;
    if !PARAMETER_OPTIONS.contains(&option) {
        return None;
    }
    // The argument ends at ": " (a path may hold spaces: `[Other banks]`),
    // or, in a message without one, at the first space.
    let arg = match rest.split_once(": ") {
        Some((arg, _)) => arg,
        None => rest.split(' ').next()?,
    };
    let path = arg.split_once('=').map_or(arg, |(path, _)| path).trim();
    (!path.is_empty()).then(|| path.to_string())
}

/// A problem with no place in a file: the message, and the parameter it
/// names, if any.
fn bare(message: &str) -> Place {
    let message = message.trim_end();
    Place {
        path: None,
        line: None,
        column: None,
        parameter: parameter_of(message),
        message: message.to_string(),
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
        Error::Usage(m) | Error::Cli(m) | Error::Strict(m) => (&MODEL_ERROR, "ModelError", vec![bare(m)]),
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
        Error::NoSolution(m) => (&COMPUTATION_ERROR, "ComputationError", vec![bare(m)]),
        Error::Engine(_) | Error::Output { .. } | Error::Runtime(_) | Error::BrokenPipe => {
            let m = message.strip_prefix("error: ").unwrap_or(&message);
            (&COMPUTATION_ERROR, "ComputationError", vec![bare(m)])
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
    let at = PANICKED_AT
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take()
        .map(|at| format!(" at {at}"))
        .unwrap_or_default();
    let message = format!(
        "internal error: {what}{at} (a bug in dinarflow; please report it with the model and the call)"
    );
    match build(py, &INTERNAL_ERROR, "InternalError", &message, &[], None, 1) {
        Ok(err) => err,
        Err(err) => err,
    }
}
