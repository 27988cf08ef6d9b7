//! What `sweep` and `solve` refuse in a request, each refusal with its
//! fields and its wording in one place (`tornado` has its own, beside it).

use rust_decimal::Decimal;

use crate::error::Error;

/// A sweep or solve request that makes no sense.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A number of an option that is not a number.
    #[error("{option}: {text:?} {why}")]
    NotANumber {
        /// The option, `--between` or `--tolerance`.
        option: &'static str,
        /// The number as written.
        text: String,
        /// Why it is not a number.
        why: String,
    },
    /// `--between` that is not `LO,HI`.
    #[error("--between {0}: expected LO,HI, e.g. --between 0.5,0.9")]
    BetweenShape(String),
    /// `--between LO,HI` with LO not below HI.
    #[error("--between {0},{1}: the low end must be below the high end")]
    BetweenOrder(Decimal, Decimal),
    /// A negative `--tolerance`.
    #[error("--tolerance must be 0 or more")]
    NegativeTolerance,
    /// A `--target` that is not `METRIC=VALUE` or names no metric.
    #[error("--target {text}: {why}")]
    Target {
        /// The option's argument.
        text: String,
        /// What is wrong with it.
        why: String,
    },
    /// Two `--vary` of one parameter.
    #[error("--vary names {0} twice; a two-way table needs two different parameters")]
    VaryTwice(String),
    /// Not one or two `--vary`.
    #[error("sweep takes one or two --vary, not {0}")]
    VaryCount(usize),
    /// A sweep of too many runs.
    #[error("the sweep would run the model {runs} times; at most {max} runs are allowed (use larger steps, or fewer values)")]
    TooManyRuns {
        /// The runs the sweep would make.
        runs: usize,
        /// The most allowed.
        max: usize,
    },
}

impl From<Refusal> for Error {
    fn from(e: Refusal) -> Error {
        Error::Usage(e.to_string())
    }
}
