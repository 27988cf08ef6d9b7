//! What `mc`, `sobol` and `morris` share on the command line: the metrics
//! to report, and failures to draw inputs in the user's terms.

use crate::engine::metrics::MetricRef;
use crate::error::Error;
use crate::model::Model;
use crate::render::count;
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
    match f {
        DrawFailure::Exhausted { input, index } => exhausted(plan, input, Some(index)),
        DrawFailure::NotPositiveDefinite { group } => Error::Usage(format!(
            "the correlations {} cannot be induced: converted to normal scores they are not positive definite; weaken the strongest",
            plan.groups.get(group).map_or(String::new(), |g| plan.group_pairs(g))
        )),
    }
}

/// MODEL.md §3: 1,000 redraws in a row outside the range are an error.
pub(crate) fn exhausted(plan: &Plan, input: usize, index: Option<u64>) -> Error {
    let i = &plan.inputs[input];
    let at = index.map_or(String::new(), |d| format!(" in draw {d}"));
    Error::Usage(format!(
        "{}: {} stayed outside the allowed range ({}) for {} redraws in a row{at}; \
         narrow the distribution so that most of it lies in the range",
        i.path,
        i.dist,
        i.range,
        count(u64::from(crate::sampling::MAX_REDRAWS)),
    ))
}
