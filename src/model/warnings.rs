//! Warnings about a valid model as text, the way load errors are shown
//! (file, line, column, path, the line with a caret): values outside their
//! plausible range, distributions centred away from their base value, and
//! base values a first-month `[[changes]]` entry hides.
//! The command line writes them to standard error; the Python package
//! keeps them on its results. One place decides which warnings a command
//! gets and how they read.

use super::{implausible, off_centre, Model};
use crate::diagnostic::{Diagnostics, Problem};

/// Every warning about `model` (implausible values, off-centre
/// distributions, hidden base values), in file order: what `check` and
/// `brief` show.
pub fn all_warnings(model: &Model) -> Vec<Problem> {
    let mut w = implausible(model);
    w.extend(off_centre(model));
    w.extend(super::hidden_base::hidden_base_warnings(model));
    w.sort_by_key(|p| p.span.as_ref().map_or(0, |s| s.start));
    w
}

/// The warnings the commands that draw (`mc`, `tornado`, `sobol`,
/// `morris`) show: distributions centred away from their base value.
pub fn draw_warnings(model: &Model) -> Vec<Problem> {
    off_centre(model)
}

/// `warnings` about `model` rendered with locations and carets and a
/// count, or `None` when there are none.
pub fn render_warnings(model: &Model, warnings: Vec<Problem>) -> Option<String> {
    if warnings.is_empty() {
        return None;
    }
    Some(
        Diagnostics {
            file: model.file.clone(),
            problems: warnings,
        }
        .render_warnings(),
    )
}
