//! Warnings about a valid model, shown on standard error the way load
//! errors are (file, line, column, path, the line with a caret): values
//! outside their plausible range, distributions centred away from their
//! base value, and base values a `[[changes]]` entry from the first month
//! hides. `check` and `brief` show them all and, with `--strict`, fail on
//! any; `run`, `trace`, `explain`, `diff`, `sweep` and `solve` show them
//! too; the commands that draw (`mc`, `tornado`, `sobol`, `morris`) show
//! the off-centre distributions.

use std::io::Write;

use super::output::stderr_error;
use crate::diagnostic::Problem;
use crate::error::Error;
use crate::model::{all_warnings, draw_warnings, render_warnings, Model};
use crate::render::plural;

/// Writes `warnings` about `model` to `err`, if there are any.
fn show(model: &Model, warnings: Vec<Problem>, err: &mut dyn Write) -> Result<usize, Error> {
    let n = warnings.len();
    if let Some(text) = render_warnings(model, warnings) {
        err.write_all(text.as_bytes()).map_err(stderr_error)?;
    }
    Ok(n)
}

/// `check` and `brief` (and, never strict, the other commands that
/// compute from the model's values as they stand): shows every warning;
/// with `strict`, any is an error (exit 2) and nothing else is written.
pub(crate) fn check(model: &Model, strict: bool, err: &mut dyn Write) -> Result<(), Error> {
    let n = show(model, all_warnings(model), err)?;
    if strict && n > 0 {
        return Err(Error::Strict(format!(
            "--strict: {} in {}; correct the values, or leave out --strict to go on with them",
            plural(n, "warning"),
            model.file.name
        )));
    }
    Ok(())
}

/// `diff` of a file with itself under `--set-b`/`--scenario-b`: the
/// warnings about `model` (B) that `reference` (A, already warned about)
/// does not have, so an implausible value given to one side is shown and
/// the file's own warnings are not shown twice.
pub(crate) fn check_beyond(model: &Model, reference: &Model, err: &mut dyn Write) -> Result<(), Error> {
    let seen = all_warnings(reference);
    let new = all_warnings(model)
        .into_iter()
        .filter(|w| !seen.contains(w))
        .collect();
    show(model, new, err).map(|_| ())
}

/// The commands that draw: distributions centred away from the base value.
pub(crate) fn draws(model: &Model, err: &mut dyn Write) -> Result<(), Error> {
    show(model, draw_warnings(model), err).map(|_| ())
}
