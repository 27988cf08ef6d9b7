//! The Python package's extension module, `dinarflow._dinarflow`: the
//! `dinarflow` library's models, runs and analyses for Python through
//! PyO3. Every number comes from the library; this crate only hands its
//! reports over (numbers as NumPy arrays, exact values as text) and turns
//! its errors into Python exceptions. The Python half of the package
//! (`python/dinarflow/`) builds the pandas DataFrames.

mod errors;
mod model;
mod report;

use pyo3::prelude::*;

/// Panics on purpose, inside the boundary every call crosses: the tests
/// check that a panic becomes `dinarflow.InternalError`.
#[pyfunction]
fn _panic_for_test(py: Python<'_>) -> PyResult<()> {
    errors::guard(py, || -> Result<(), dinarflow::Error> {
        panic!("a panic on purpose")
    })
}

/// The library's version (the `dinarflow` crate's).
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _dinarflow(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // NumPy's C API is loaded now, on import, not by the first array
    // handed over: rust-numpy loads it by importing NumPy, and panics when
    // that import fails, which a Ctrl-C arriving just then made it do.
    let py = m.py();
    errors::loaded();
    errors::quiet_panics();
    numpy::get_array_module(py)?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        numpy::PyArray1::<f64>::zeros(py, 0, false);
    }))
    .map_err(|_| pyo3::exceptions::PyImportError::new_err("NumPy's C API could not be loaded"))?;
    m.add_class::<model::NativeModel>()?;
    m.add_class::<report::NativeReport>()?;
    m.add_function(wrap_pyfunction!(_panic_for_test, m)?)?;
    m.add_function(wrap_pyfunction!(version, m)?)?;
    // The library's limits, for the Python half's checks of arguments.
    m.add("MAX_DRAWS", dinarflow::uncertainty_analysis::MAX_EVALUATIONS)?;
    m.add("SOBOL_MAX_N", dinarflow::uncertainty_analysis::sobol::MAX_N)?;
    Ok(())
}
