//! `dinarflow morris MODEL`: Morris elementary-effects screening of the
//! `[uncertainty]` inputs (mu*, mu, sigma per metric), r·(inputs + 1)
//! evaluations: which of many inputs matter before a Sobol analysis.

use std::io::Write;
use std::path::PathBuf;

use super::common::Analysis;
use super::progress::Unit;
use super::{load_model, say, warnings};
use crate::engine::kernel::Kernel;
use crate::engine::metrics::default_metrics;
use crate::error::Error;
use crate::render::count;
use crate::report::morris::MorrisReport;
use crate::report::ModelInfo;
use crate::sensitivity::metric_name;
use crate::uncertainty_analysis::morris::{screen, MorrisError, MorrisInput};
use crate::uncertainty_analysis::request::metrics_or;
use crate::uncertainty_analysis::{Plan, MAX_BYTES, MAX_EVALUATIONS};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML), with an [uncertainty] table
    pub model: PathBuf,
    /// Number of trajectories; r·(inputs + 1) evaluations
    #[arg(short = 'r', value_name = "R", default_value_t = 20)]
    pub r: usize,
    /// Levels of each input's grid (even): quantiles at the middle of as many equal-probability bins
    #[arg(long, value_name = "L", default_value_t = 4)]
    pub levels: u32,
    /// Seed of the trajectories
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// A metric to screen for (repeatable); default parallel_rate
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    #[command(flatten)]
    pub analysis: Analysis,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.analysis.format_of::<MorrisReport>("morris")?;
    let model = load_model(Some(&a.model), a.analysis.common(), err)?;
    warnings::draws(&model, err)?;
    let plan = Plan::new(&model)?;
    let metrics = metrics_or(&model, &a.metric, &default_metrics(&model.base)[..1])?;
    if a.r < 2 {
        return Err(Error::Usage(
            "-r must be at least 2 (sigma needs two trajectories)".into(),
        ));
    }
    if a.levels < 2 || a.levels > 100 || a.levels % 2 == 1 {
        return Err(Error::Usage(format!(
            "--levels {} is not an even number from 2 to 100",
            a.levels
        )));
    }
    let k = plan.inputs.len();
    let evaluations = (a.r as u64).saturating_mul(k as u64 + 1);
    if evaluations > MAX_EVALUATIONS {
        return Err(Error::Usage(format!(
            "-r {} with {k} inputs needs {} evaluations, more than one run makes ({})",
            a.r,
            count(evaluations),
            count(MAX_EVALUATIONS)
        )));
    }
    let bytes = evaluations.saturating_mul(metrics.len() as u64 * 8);
    if bytes > MAX_BYTES {
        return Err(Error::Usage(format!(
            "-r {} would hold about {} GB of elementary effects (the limit is {} GB); use fewer trajectories",
            a.r,
            bytes >> 30,
            MAX_BYTES >> 30
        )));
    }
    say(err, &plan.notes)?;
    let kernel = Kernel::with_targets(&model, &plan.targets(), &metrics);
    let inputs: Vec<MorrisInput> = plan
        .inputs
        .iter()
        .map(|i| MorrisInput {
            path: &i.path,
            marginal: &i.marginal,
        })
        .collect();
    let effects = screen(
        &kernel,
        &inputs,
        a.r,
        a.levels,
        a.seed,
        &a.analysis.bar(Unit::Evaluations),
    )
    .map_err(|e| match e {
        MorrisError::NoGrid { input } => Error::Usage(format!(
            "{}: no value of {} lies in the allowed range ({})",
            plan.inputs[input].path, plan.inputs[input].dist, plan.inputs[input].range
        )),
        MorrisError::Engine(e) => Error::Engine(e),
    })?;
    let report = MorrisReport {
        model: ModelInfo::of(&model),
        r: a.r,
        levels: a.levels,
        evaluations,
        paths: plan.paths(),
        metrics: metrics
            .iter()
            .map(|m| (metric_name(&model, m), m.id.unit().to_string()))
            .collect(),
        effects,
    };
    a.analysis.write(out, &report, format)
}
