//! What a fit is asked: the parameters estimated, the observations, and
//! how an error is measured. Shared by the search (`fit`) and the
//! standard errors (`identify`), with the progress hook every batch of
//! runs is counted on (and that may stop the fit between them).

use super::compare::{error_pct, target, Matched};
use super::free::Free;
pub use super::observed::Loss;
use super::observed::Observation;
use crate::sensitivity::{Evaluator, Progress};

impl Loss {
    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Loss::Pct => "pct",
            Loss::Log => "log",
            Loss::Abs => "abs",
        }
    }

    /// The error of one row at model value `m`, before weighting.
    pub(crate) fn error_of(self, row: &Observation, m: f64) -> f64 {
        match self {
            Loss::Pct => error_pct(row, m),
            Loss::Log => {
                let t = target(row, m);
                if t == m {
                    0.0
                } else {
                    100.0 * (m / t).ln()
                }
            }
            Loss::Abs => m - target(row, m),
        }
    }
}

/// What a fit is asked.
pub struct Request<'a> {
    /// The parameters estimated.
    pub free: Vec<Free>,
    /// The observations fitted (in the timeline, up to `--train-until`).
    pub rows: Vec<Matched>,
    /// How errors are measured.
    pub loss: Loss,
    /// The model and its evaluator.
    pub ev: &'a Evaluator<'a>,
    /// Counts every run of the search and of the standard errors; a hook
    /// that unwinds stops the fit at its next batch of runs.
    pub progress: &'a dyn Progress,
}
