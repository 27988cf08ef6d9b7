//! What `sweep`, `solve` and `tornado` refuse in a request, each refusal
//! with its fields and its wording in one place.

use rust_decimal::Decimal;

use crate::error::usage_refusal;
use crate::model::FollowerOutside;

/// A sweep, solve or tornado request that makes no sense.
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
    #[error("--between {0}: expected LO,HI (or LO:HI), e.g. --between 0.5,0.9")]
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
    /// `--scale PATH=SPEC` whose SPEC is not `LO:HI`.
    #[error("--scale {text}: expected PATH=LO:HI, e.g. exports.price_usd_per_bbl=0.8:1.2")]
    ScaleShape {
        /// The option's argument.
        text: String,
    },
    /// A factor of `--scale` that is not a number.
    #[error("--scale {text}: {number:?} {why}")]
    ScaleNumber {
        /// The option's argument.
        text: String,
        /// The factor as written.
        number: String,
        /// Why it is not a number.
        why: String,
    },
    /// `--scale PATH=LO:HI` with LO above HI.
    #[error("--scale {text}: LO {lo} is above HI {hi}")]
    ScaleOrder {
        /// The option's argument.
        text: String,
        /// The low factor.
        lo: Decimal,
        /// The high factor.
        hi: Decimal,
    },
    /// `--swing` that is not a number.
    #[error("--swing {text}: {why}")]
    SwingNumber {
        /// The option's argument.
        text: String,
        /// Why it is not a number.
        why: String,
    },
    /// `--swing` outside (0, 100).
    #[error("--swing {0} must be above 0 and below 100 (a percentage of the base value)")]
    SwingRange(Decimal),
    /// `--param PATH*` where `[uncertainty]` draws no factor on PATH.
    #[error("`{text}` names a drawn factor, but [uncertainty] draws none on {path}; name the parameter itself (--param {path})")]
    NoDrawnFactor {
        /// The option's argument.
        text: String,
        /// The parameter's path as written.
        path: String,
    },
    /// A parameter given twice with `--param`.
    #[error("--param {0} is named twice")]
    ParamTwice(String),
    /// A step or factor given twice (`--param PATH@MONTH`, `--scale`).
    #[error("{0} is named twice")]
    FormTwice(String),
    /// A named parameter without a low and high value.
    #[error("--param {path}: {why}")]
    NoRange {
        /// The parameter (or step, or factor) as its bar is named.
        path: String,
        /// Why there is no range.
        why: String,
    },
    /// A value of a point (a sweep's, a solve's, a fit's) that `--set`
    /// would refuse.
    #[error("{shown} = {value} is not allowed: {why}")]
    NotAllowed {
        /// The replacement as the user names it (`PATH`, `PATH@YYYY-MM`, `PATH*`).
        shown: String,
        /// The value refused.
        value: Decimal,
        /// Why, as `--set` says it.
        why: String,
    },
    /// A point that takes a bank following the auction's rate out of range.
    #[error("{shown} is not allowed: {outside}")]
    Follower {
        /// The point's rejection rates, `PATH = VALUE` joined by `, `.
        shown: String,
        /// Where and how the bank's rate leaves its range.
        outside: FollowerOutside,
    },
    /// `diff --metric` naming nothing in one of the two models.
    #[error("--metric {text}: in {file}: {why}")]
    MetricIn {
        /// The reference as given.
        text: String,
        /// The model file it names nothing in.
        file: String,
        /// Why, as the metric reference says it.
        why: String,
    },
}

usage_refusal!(Refusal);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn a_metric_of_diff_names_the_model_it_is_missing_from() {
        let e: Error = Refusal::MetricIn {
            text: "paralel_rate".into(),
            file: "b.toml".into(),
            why: "unknown metric `paralel_rate`; did you mean parallel_rate?".into(),
        }
        .into();
        assert_eq!(
            e.to_string(),
            "error: --metric paralel_rate: in b.toml: unknown metric `paralel_rate`; did you mean parallel_rate?"
        );
    }
}
