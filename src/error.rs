//! The library's error type and the exit code each kind of failure maps to:
//! 2 for bad input or usage, 1 for a failure while computing or writing.

use std::fmt;

use rust_decimal::Decimal;
use thiserror::Error;

use crate::calendar::YearMonth;
use crate::diagnostic::Diagnostics;
use crate::ledger::Conservation;
use crate::num::decimal::Overflow;

/// `From<T> for Error` for a refusal type `T` whose `Display` is the
/// whole reason: it becomes [`Error::Usage`] (exit code 2). Each kind of
/// refusal keeps its wording in its own `Display`; this is the one way
/// they all reach the binary.
macro_rules! usage_refusal {
    ($refusal:ty) => {
        impl From<$refusal> for $crate::error::Error {
            fn from(r: $refusal) -> $crate::error::Error {
                $crate::error::Error::Usage(r.to_string())
            }
        }
    };
}
pub(crate) use usage_refusal;

/// Every way a library call can fail; [`Error::exit_code`] maps each to the binary's exit
/// code, and its `Display` is the complete message the binary prints.
#[derive(Debug, Error)]
pub enum Error {
    /// A model file with problems; rendered with locations and carets.
    #[error("{}", .0.render().trim_end())]
    Invalid(Box<Diagnostics>),
    /// A model file that cannot be read at all.
    #[error("error: {path}: {message}")]
    Input {
        /// The path as given (a model or shard file).
        path: String,
        /// Why, in words: missing, unreadable, a directory, too large, not UTF-8.
        message: String,
    },
    /// A command line that clap rejected, already rendered.
    #[error("{}", .0.trim_end())]
    Cli(String),
    /// A command line that makes no sense.
    #[error("error: {0}")]
    Usage(String),
    /// `--strict` and a valid model with warnings (a value outside its
    /// plausible range, a distribution centred away from its base value).
    #[error("error: {0}")]
    Strict(String),
    /// The computation failed (overflow, broken conservation).
    #[error("error: {0}")]
    Engine(#[from] EngineError),
    /// A search found nothing: a goal-seek target the metric never reaches.
    #[error("error: {0}")]
    NoSolution(String),
    /// The system refused what a command needs to run: a port to listen
    /// on, a runtime's threads. Not the user's input, so exit code 1.
    #[error("error: {0}")]
    Runtime(String),
    /// Output could not be written.
    #[error("error: cannot write {path}: {message}")]
    Output {
        /// The file written to, or `standard output`.
        path: String,
        /// Why, in words (a directory, cannot be created, the I/O error).
        message: String,
    },
    /// Standard output's reader went away (`dinarflow run M | head -1`):
    /// the rest of the output is not wanted. Not a failure: exit code 0
    /// and no message, as ripgrep and xsv do.
    #[error("")]
    BrokenPipe,
}

impl Error {
    /// A usage error with the option and its argument in front
    /// (`--param x: …`); other errors as they are.
    pub fn for_option(self, flag: &str, arg: &str) -> Error {
        match self {
            Error::Usage(why) => BadArgument::new(flag, arg, why).into(),
            other => other,
        }
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Invalid(_) | Error::Input { .. } | Error::Usage(_) | Error::Cli(_) | Error::Strict(_) => 2,
            Error::Engine(_) | Error::Output { .. } | Error::NoSolution(_) | Error::Runtime(_) => 1,
            Error::BrokenPipe => 0,
        }
    }
}

/// An option's argument refused: the option and its argument, then why
/// (`--set auction.rate=2: …`, `--horizon 2020-01: …`).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{flag} {arg}: {why}")]
pub struct BadArgument {
    /// The option as written (`--set`, `--vary`, `--horizon`).
    pub flag: String,
    /// Its argument as given.
    pub arg: String,
    /// What is wrong with it, in words.
    pub why: String,
}

impl BadArgument {
    /// The argument `arg` of `flag` refused because of `why`.
    pub fn new(flag: &str, arg: &str, why: impl Into<String>) -> Self {
        BadArgument {
            flag: flag.into(),
            arg: arg.into(),
            why: why.into(),
        }
    }
}

usage_refusal!(BadArgument);

/// A computation that failed: the numbers left exact range, or (a bug)
/// the ledger did not balance.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EngineError {
    /// A number left the range of exact decimal arithmetic (a balance, a product, a
    /// scaled input value).
    #[error("{month}: {source}; the numbers of this model are too large to compute exactly")]
    Overflow {
        /// The month being computed (the run's last month for the conservation check and
        /// metric summaries).
        month: YearMonth,
        /// What was being computed when it overflowed.
        #[source]
        source: Overflow,
    },
    /// The ledger's conservation identity failed after the last month: a bug, never input.
    #[error(
        "internal error: the ledger does not balance (opening balances + gross revenue = {}, closing balances + outflows = {}); no numbers are reported",
        .0.sources, .0.uses
    )]
    Conservation(Conservation),
    /// A number left exact range inside a step of the month: the file and
    /// the step's inputs are named.
    #[error("{0}")]
    Step(Box<StepOverflow>),
    /// A step read a parameter the model does not have (its plan gave it
    /// no slot): a bug, never input.
    #[error(
        "internal error: {month}: {what} read a parameter the model does not have; no numbers are reported"
    )]
    MissingParameter {
        /// The month being computed.
        month: YearMonth,
        /// What was being computed.
        what: &'static str,
    },
}

/// The most inputs an overflow message lists; the rest are counted.
const SHOWN: usize = 12;

/// One input of a failing step: its path, its value in the month and
/// where that value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepInput {
    /// The parameter's path (`exports.volume_bpd`).
    pub path: String,
    /// Its value in the month that failed.
    pub value: Decimal,
    /// `FILE:LINE` of the value in force, `--set`, or `None` for a default.
    pub at: Option<String>,
}

/// An overflow inside a step of the month, with the model file and the
/// step's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepOverflow {
    /// The month being computed.
    pub month: YearMonth,
    /// What was being computed.
    pub source: Overflow,
    /// The model file's name.
    pub file: String,
    /// The parameters the step read, in the order it read them.
    pub inputs: Vec<StepInput>,
}

impl fmt::Display for StepOverflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}; the numbers of this model are too large to compute exactly",
            self.file, self.month, self.source
        )?;
        if self.inputs.is_empty() {
            return Ok(());
        }
        write!(f, "\n = the inputs of {} in {}:", self.source.what, self.month)?;
        for i in self.inputs.iter().take(SHOWN) {
            let at = i.at.as_deref().unwrap_or("(default)");
            write!(f, "\n   {at}: {} = {}", i.path, i.value)?;
        }
        if self.inputs.len() > SHOWN {
            write!(f, "\n   … and {} more", self.inputs.len() - SHOWN)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_argument_is_refused_after_its_option() {
        let e: Error = BadArgument::new("--horizon", "2020-01", "a horizon runs a model past its end").into();
        assert_eq!(
            e.to_string(),
            "error: --horizon 2020-01: a horizon runs a model past its end"
        );
        assert_eq!(e.exit_code(), 2);
        let e = Error::Usage("unknown metric `x`".into()).for_option("--metric", "x");
        assert_eq!(e.to_string(), "error: --metric x: unknown metric `x`");
        let e = Error::NoSolution("never".into()).for_option("--metric", "x");
        assert_eq!(e.to_string(), "error: never");
    }
}
