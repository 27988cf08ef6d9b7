//! The Monte Carlo report: per metric its mean, sd, standard error,
//! percentiles, min and max; for each uncertain input its Spearman rank
//! correlation with each metric (what drives the range); with `--until`,
//! which statistics converged. Computed here from the draws; shown by
//! `crate::report::mc`, for `mc` and for `merge` (from shards, byte for
//! byte the same).

use std::borrow::Cow;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::design::Sampler;
use super::mc::{Convergence, Samples};
use super::stats::{rank, rank_units, spearman, summarize, Summary};

/// What a run was, for the report's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    /// The seed of the random streams (`--seed`); the same seed gives the same draws.
    pub seed: u64,
    /// Independent or Latin hypercube draws (`--sampler`).
    pub sampler: Sampler,
    /// Input paths, in order.
    pub inputs: Vec<String>,
    /// Metric names and units, in order.
    pub metrics: Vec<(String, String)>,
    /// The metrics (as named in `metrics`) that carry the model's own error
    /// on a quote (`[forecast_error]`), each with its σ (log points).
    pub forecast_error: Vec<(String, Decimal)>,
}

/// Statistics of one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricStats {
    /// The metric as named on the command line, e.g. `parallel_rate` or `cpi_impact_pct:max`.
    pub name: String,
    /// Its unit, e.g. `IQD/USD`, `USD` or `%`.
    pub unit: String,
    /// Mean, sd, standard error, percentiles, min and max over the draws.
    pub summary: Summary,
    /// Spearman's rho with each input (`None` when either is constant).
    pub drivers: Vec<Option<f64>>,
}

/// Everything `mc` (and `merge`) reports about a Monte Carlo run.
#[derive(Debug, Clone, PartialEq)]
pub struct McReport {
    /// Draws the statistics are over.
    pub n: u64,
    /// The seed, sampler, inputs and metrics of the run.
    pub info: RunInfo,
    /// The statistics of each metric, in the order asked for.
    pub metrics: Vec<MetricStats>,
    /// Which `--until` targets were met; `None` without `--until`.
    pub convergence: Option<Convergence>,
}

impl McReport {
    /// Computes the report; `samples` is consumed column by column to keep
    /// memory down.
    pub fn compute(info: RunInfo, samples: Samples, convergence: Option<Convergence>) -> McReport {
        let (n, k) = (samples.len(), samples.inputs.len());
        let columns = samples
            .inputs
            .into_par_iter()
            .map(|c| Column::Input(Cow::Owned(c)))
            .chain(
                samples
                    .metrics
                    .into_par_iter()
                    .map(|c| Column::Metric(Cow::Owned(c))),
            );
        Self::of_columns(n, k, info, columns, convergence)
    }

    /// Computes the report from draws that the caller keeps (the Python
    /// package hands them on as arrays).
    pub fn of(info: RunInfo, samples: &Samples, convergence: Option<Convergence>) -> McReport {
        let columns = samples
            .inputs
            .par_iter()
            .map(|c| Column::Input(Cow::Borrowed(c.as_slice())))
            .chain(
                samples
                    .metrics
                    .par_iter()
                    .map(|c| Column::Metric(Cow::Borrowed(c.as_slice()))),
            );
        Self::of_columns(samples.len(), samples.inputs.len(), info, columns, convergence)
    }

    fn of_columns<'a>(
        n: u64,
        k: usize,
        info: RunInfo,
        columns: impl IndexedParallelIterator<Item = Column<'a>>,
        convergence: Option<Convergence>,
    ) -> McReport {
        // Every column ranked in one parallel pass; metrics also summarised.
        let columns: Vec<(Vec<u32>, Option<Summary>)> = columns
            .map(|col| match col {
                Column::Input(units) => (rank_units(&units), None),
                Column::Metric(xs) => {
                    let ranked = rank(&xs);
                    let summary = summarize(&xs, &ranked.sorted);
                    (ranked.ranks2, Some(summary))
                }
            })
            .collect();
        let (inputs, outputs) = columns.split_at(k);
        let metrics = outputs
            .par_iter()
            .zip(info.metrics.par_iter())
            .map(|((ranks, summary), (name, unit))| MetricStats {
                name: name.clone(),
                unit: unit.clone(),
                summary: summary.clone().unwrap_or_else(|| summarize(&[], &[])),
                drivers: inputs.iter().map(|(r, _)| spearman(r, ranks)).collect(),
            })
            .collect();
        McReport {
            n,
            info,
            metrics,
            convergence,
        }
    }
}

/// One column of draws, owned (consumed as it is ranked) or borrowed.
enum Column<'a> {
    Input(Cow<'a, [i64]>),
    Metric(Cow<'a, [f64]>),
}
