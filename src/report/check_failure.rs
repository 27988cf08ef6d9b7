//! `check --format json` when the answer is no: the problems as JSON on
//! standard output (`"valid": false`), beside the usual rendered errors on
//! stderr and exit code 2, so a script that checks model files gets
//! something to parse either way: a model that does not load, a file that
//! cannot be read, and a valid model that `--strict` refuses for its
//! warnings. [`Found`] is also how a valid model's warnings are listed.

use serde::Serialize;

use crate::diagnostic::{Diagnostics, Problem, SourceFile};

/// A model refused, as `check --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckFailure {
    /// Always false.
    pub valid: bool,
    /// The file as named on the command line.
    pub file: String,
    /// True when the model is valid and `--strict` refused it for its
    /// warnings (the `problems` are those warnings).
    pub strict: bool,
    /// Every problem found, in file order.
    pub problems: Vec<Found>,
}

/// One problem or warning, located.
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
    /// Background: why a warning was given.
    pub note: Option<String>,
}

impl Found {
    /// `p`, located in `file`.
    pub fn of(p: &Problem, file: &SourceFile) -> Self {
        let at = p.span.as_ref().map(|s| file.line_col(s.start));
        Found {
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            path: p.path.clone(),
            message: p.message.clone(),
            allowed: p.allowed.as_deref().map(str::to_string),
            help: p.help.as_deref().map(str::to_string),
            note: p.note.as_deref().cloned(),
        }
    }
}

impl CheckFailure {
    /// The failure that `d` describes.
    pub fn of(d: &Diagnostics) -> Self {
        CheckFailure {
            valid: false,
            file: d.file.name.clone(),
            strict: false,
            problems: d.problems.iter().map(|p| Found::of(p, &d.file)).collect(),
        }
    }

    /// A file at `path` that could not be read as a model: `message` says
    /// why (no such file, a directory, too large, UTF-16).
    pub fn unreadable(path: &str, message: &str) -> Self {
        CheckFailure {
            valid: false,
            file: path.to_string(),
            strict: false,
            problems: vec![Found {
                line: None,
                column: None,
                path: String::new(),
                message: message.to_string(),
                allowed: None,
                help: None,
                note: None,
            }],
        }
    }

    /// A valid model in `file` that `--strict` refuses for `warnings`.
    pub fn strict(file: &SourceFile, warnings: &[Problem]) -> Self {
        CheckFailure {
            valid: false,
            file: file.name.clone(),
            strict: true,
            problems: warnings.iter().map(|p| Found::of(p, file)).collect(),
        }
    }
}
