//! What `fit` and `backtest` refuse in a request, each refusal with its
//! fields and its wording in one place (as `sensitivity::refusal` does for
//! sweep, solve and tornado). Every refusal is a usage error: exit code 2.

use crate::calendar::YearMonth;
use crate::error::usage_refusal;

/// A fit or backtest request that makes no sense for this model and data.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A month of an option that is not `YYYY-MM`.
    #[error("{option} {text}: {why}")]
    Month {
        /// The option, `--train-until` or `--rolling`.
        option: String,
        /// The month as written.
        text: String,
        /// Why it is not a month.
        why: String,
    },
    /// `--rolling` that is not `FROM:TO`.
    #[error("--rolling {0}: expected FROM:TO, e.g. 2022-09:2022-12")]
    RollingShape(String),
    /// `--rolling FROM:TO` with FROM after TO.
    #[error("--rolling {0}: FROM is after TO")]
    RollingOrder(String),
    /// One parameter given twice to `--vary` (or `--refit`).
    #[error("{option} {path}: given twice")]
    VaryTwice {
        /// The option, `--vary` or `--refit`.
        option: String,
        /// The parameter as the command line names it.
        path: String,
    },
    /// Two forms of one parameter that change the same months.
    #[error(
        "{option} {path}: {option} {first} changes {param} in some of the same months; give a parameter once (PATH, PATH* or PATH@YYYY-MM..), or steps of it (PATH@YYYY-MM) in different months"
    )]
    VaryOverlap {
        /// The option, `--vary` or `--refit`.
        option: String,
        /// The form given first.
        first: String,
        /// The form given later, refused.
        path: String,
        /// The parameter both change.
        param: String,
    },
    /// No observation inside the model's timeline (and the training window).
    #[error(
        "no observation of {file} lies in the model's timeline ({start} to {end}){until}: nothing to fit"
    )]
    NothingToFit {
        /// The observed file's name.
        file: String,
        /// The model's first month.
        start: YearMonth,
        /// The model's last month.
        end: YearMonth,
        /// ` up to YYYY-MM` with `--train-until`, else empty.
        until: String,
    },
    /// No observation up to a rolling origin to refit on.
    #[error(
        "no observation up to {origin} lies in the model's timeline ({start} to {end}): nothing to refit on"
    )]
    NothingToRefit {
        /// The rolling origin.
        origin: YearMonth,
        /// The model's first month.
        start: YearMonth,
        /// The model's last month.
        end: YearMonth,
    },
    /// No observation after the training window to test on.
    #[error("no observations after {until} inside the model's timeline ({start} to {end}) to test on; choose an earlier --train-until")]
    NothingToTest {
        /// The last training month.
        until: YearMonth,
        /// The model's first month.
        start: YearMonth,
        /// The model's last month.
        end: YearMonth,
    },
    /// No rolling origin that has observations after it.
    #[error("no origin has observations after it to test on ({0})")]
    NoOrigin(String),
    /// Both ways of choosing the training window.
    #[error("--rolling and --train-until cannot be used together")]
    RollingAndTrainUntil,
    /// Too many draws for the model's forecast bands.
    #[error("-n {n}: at most {max} draws of the model's forecast (its CRPS and bands settle long before)")]
    TooManyDraws {
        /// The draws asked for.
        n: u64,
        /// The most allowed, written for people.
        max: String,
    },
    /// A fitted row whose metric lies outside the model's timeline.
    #[error("a fitted row has no metric in the model's timeline")]
    RowOutsideTimeline,
    /// A fit with no parameter to vary.
    #[error("nothing to fit: --vary names no parameter (name at least one, e.g. --vary parallel_market.anchor_weight)")]
    NothingToVary,
    /// A least-squares problem the solver would not start on (its
    /// termination, as the solver names it).
    #[error("the fit could not start: {0}")]
    FitCannotStart(String),
    /// The model's draws for its forecast bands that could not be kept.
    #[error("the model's draws could not be kept: {0}")]
    DrawsNotKept(String),
}

usage_refusal!(Refusal);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn the_fit_and_its_draws_say_what_failed() {
        let e: Error = Refusal::NothingToVary.into();
        assert_eq!(
            e.to_string(),
            "error: nothing to fit: --vary names no parameter (name at least one, e.g. --vary parallel_market.anchor_weight)"
        );
        let e: Error = Refusal::RowOutsideTimeline.into();
        assert_eq!(
            e.to_string(),
            "error: a fitted row has no metric in the model's timeline"
        );
        let e: Error = Refusal::FitCannotStart("WrongDimensions(\"jacobian\")".into()).into();
        assert_eq!(
            e.to_string(),
            "error: the fit could not start: WrongDimensions(\"jacobian\")"
        );
        let e: Error = Refusal::DrawsNotKept("No space left on device (os error 28)".into()).into();
        assert_eq!(
            e.to_string(),
            "error: the model's draws could not be kept: No space left on device (os error 28)"
        );
        assert_eq!(e.exit_code(), 2);
    }
}
