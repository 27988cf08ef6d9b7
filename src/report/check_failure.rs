//! `check --format json` on a model that does not load: the problems as
//! JSON on standard output (`"valid": false`), beside the usual rendered
//! errors on stderr and exit code 2, so a script that checks model files
//! gets something to parse either way.

use serde::Serialize;

use crate::diagnostic::Diagnostics;

/// A model that failed to load, as `check --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckFailure {
    /// Always false.
    pub valid: bool,
    /// The file as named on the command line.
    pub file: String,
    /// Every problem found, in file order.
    pub problems: Vec<Found>,
}

/// One problem, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// One-based line, when the problem has a place in the file.
    pub line: Option<usize>,
    /// One-based column (in characters).
    pub column: Option<usize>,
    /// The parameter path, or empty.
    pub path: String,
    /// What is wrong, with the offending value.
    pub message: String,
    /// What is allowed instead.
    pub allowed: Option<String>,
    /// A suggested fix.
    pub help: Option<String>,
}

impl CheckFailure {
    /// The failure that `d` describes.
    pub fn of(d: &Diagnostics) -> Self {
        let problems = d
            .problems
            .iter()
            .map(|p| {
                let at = p.span.as_ref().map(|s| d.file.line_col(s.start));
                Found {
                    line: at.map(|a| a.0),
                    column: at.map(|a| a.1),
                    path: p.path.clone(),
                    message: p.message.clone(),
                    allowed: p.allowed.as_deref().map(str::to_string),
                    help: p.help.as_deref().map(str::to_string),
                }
            })
            .collect();
        CheckFailure {
            valid: false,
            file: d.file.name.clone(),
            problems,
        }
    }
}
