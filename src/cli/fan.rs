//! What `mc` and `brief` share for their pictures of uncertainty: the
//! Monte Carlo draws of each metric's summary and of its value in every
//! month (the same draws as `mc` with the same seed and sampler), and the
//! base run, made into [`FanData`].

use super::uncertain::draw_error;
use crate::engine::metrics::MetricRef;
use crate::engine::{self, kernel::Kernel};
use crate::error::Error;
use crate::model::Model;
use crate::report::fan::FanData;
use crate::sensitivity::{metric_name, Silent};
use crate::uncertainty_analysis::design::Design;
use crate::uncertainty_analysis::mc::{run as run_draws, McError};
use crate::uncertainty_analysis::{Plan, Sampler};

/// The spread of each of `metrics` over `n` draws.
pub(crate) fn fans(
    model: &Model,
    metrics: &[MetricRef],
    n: u64,
    seed: u64,
    sampler: Sampler,
) -> Result<Vec<FanData>, Error> {
    let plan = Plan::new(model)?;
    let months: Vec<_> = model.timeline.months.iter().map(|m| m.month).collect();
    // Each metric's summary, then (for a metric over the whole timeline)
    // its value in each month.
    let mut refs = Vec::new();
    for m in metrics {
        refs.push(*m);
        if m.month.is_none() {
            refs.extend(months.iter().map(|&ym| MetricRef {
                month: Some(ym),
                ..MetricRef::new(m.id)
            }));
        }
    }
    let design = Design::new(&plan, seed, sampler, n).map_err(|f| draw_error(&plan, f))?;
    let kernel = Kernel::with_targets(model, &plan.targets(), &refs);
    let (samples, _) = run_draws(&design, &kernel, 0..n, &[], None, true, &Silent).map_err(|e| match e {
        McError::Draw(f) => draw_error(&plan, f),
        McError::Engine { error, .. } => Error::Engine(error),
        McError::Io(e) => super::output::stdout_error(e),
    })?;
    let base = engine::run(model)?;
    let mut columns = samples.metrics.into_iter();
    let mut out = Vec::new();
    for m in metrics {
        let summary = columns.next().unwrap_or_default();
        let (labels, by_month, base_line) = if m.month.is_none() {
            let cols: Vec<Vec<f64>> = columns.by_ref().take(months.len()).collect();
            let labels = months.iter().map(|ym| ym.to_string()).collect();
            let line =
                m.id.series(&base)
                    .into_iter()
                    .map(crate::num::decimal::to_f64)
                    .collect();
            (labels, cols, line)
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        out.push(FanData::of(
            metric_name(model, m),
            m.id.unit().to_string(),
            labels,
            &summary,
            &by_month,
            base_line,
            seed,
        ));
    }
    Ok(out)
}
