//! What `mc`, `sobol` and `morris` share on the command line: the metrics
//! to report, and failures to draw inputs in the user's terms.

use crate::engine::metrics::MetricRef;
use crate::error::Error;
use crate::model::Model;
use crate::sensitivity::{metric_name, parse_metrics};
use crate::uncertainty_analysis::design::DrawFailure;
use crate::uncertainty_analysis::Plan;

/// `--metric` references, or `defaults`.
pub(crate) fn metrics_or(
    model: &Model,
    given: &[String],
    defaults: &[&str],
) -> Result<Vec<MetricRef>, Error> {
    let texts: Vec<String> = if given.is_empty() {
        defaults.iter().map(|s| s.to_string()).collect()
    } else {
        given.to_vec()
    };
    let metrics = parse_metrics(model, &texts)?;
    for (i, m) in metrics.iter().enumerate() {
        if metrics[..i].contains(m) {
            return Err(Error::Usage(format!(
                "--metric {} is given twice",
                metric_name(model, m)
            )));
        }
    }
    Ok(metrics)
}

/// A draw or correlation failure in the user's terms.
pub(crate) fn draw_error(plan: &Plan, f: DrawFailure) -> Error {
    plan.draw_error(f)
}

/// MODEL.md §3: 1,000 redraws in a row outside the range are an error.
pub(crate) fn exhausted(plan: &Plan, input: usize, index: Option<u64>) -> Error {
    plan.exhausted(input, index)
}
