//! `dinarflow sobol MODEL`: first-order and total Sobol indices of each
//! `[uncertainty]` input for each metric (Saltelli design from a Sobol'
//! sequence, Jansen estimators) with bootstrap 95% intervals, and warnings
//! where an interval is wide or an index is negative beyond noise.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::progress::{Bar, Unit};
use super::uncertain::{exhausted, metrics_or};
use super::{load_model, output, say, warnings};
use crate::engine::kernel::Kernel;
use crate::engine::metrics::default_metrics;
use crate::error::Error;
use crate::render::count;
use crate::report::sobol::SobolReport;
use crate::report::ModelInfo;
use crate::sensitivity::metric_name;
use crate::uncertainty_analysis::sobol::{analyse, warnings, SobolError, SobolInput, MAX_INPUTS, MAX_N};
use crate::uncertainty_analysis::{Plan, MAX_EVALUATIONS};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML), with an [uncertainty] table
    pub model: PathBuf,
    /// Rows of each Saltelli matrix (a power of two is best); N·(inputs + 2) evaluations
    #[arg(short = 'n', value_name = "N", default_value_t = 4096)]
    pub n: u32,
    /// Seed of the sequence's scrambling and of the bootstrap
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// A metric to analyse (repeatable); default parallel_rate
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    #[command(flatten)]
    pub common: Common,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format_in("sobol", &output::CHART)?;
    let model = load_model(Some(&a.model), &a.common, err)?;
    warnings::draws(&model, err)?;
    let plan = Plan::new(&model)?;
    let metrics = metrics_or(&model, &a.metric, &default_metrics(&model.base)[..1])?;
    let k = plan.inputs.len();
    if a.n < 2 || a.n > MAX_N {
        return Err(Error::Usage(format!(
            "-n {} is outside 2 to {} (the length of the Sobol' sequence)",
            a.n,
            count(u64::from(MAX_N))
        )));
    }
    if k > MAX_INPUTS {
        return Err(Error::Usage(format!(
            "{k} uncertain inputs are more than Sobol indices can be estimated for here (at most {MAX_INPUTS}); \
             screen them first with `dinarflow morris`"
        )));
    }
    let evaluations = u64::from(a.n) * (k as u64 + 2);
    if evaluations > MAX_EVALUATIONS {
        return Err(Error::Usage(format!(
            "-n {} with {k} inputs needs {} evaluations, more than one run makes ({})",
            a.n,
            count(evaluations),
            count(MAX_EVALUATIONS)
        )));
    }
    say(err, &plan.notes)?;
    if !a.n.is_power_of_two() {
        say(
            err,
            &[format!(
                "note: Sobol' points are balanced for powers of two; -n {} is used as given (next: {})",
                a.n,
                a.n.next_power_of_two()
            )],
        )?;
    }
    if !model.correlation.is_empty() {
        say(
            err,
            &["note: Sobol indices assume independent inputs; [correlation] is not used here".into()],
        )?;
    }
    let kernel = Kernel::with_targets(&model, &plan.targets(), &metrics);
    let inputs: Vec<SobolInput> = plan
        .inputs
        .iter()
        .map(|i| SobolInput {
            path: &i.path,
            marginal: &i.marginal,
        })
        .collect();
    let results = analyse(
        &kernel,
        &inputs,
        a.n,
        a.seed,
        &Bar::new(a.quiet, Unit::Evaluations),
    )
    .map_err(|e| match e {
        SobolError::Exhausted { input } => exhausted(&plan, input, None),
        SobolError::Engine(e) => Error::Engine(e),
    })?;
    let names: Vec<String> = metrics.iter().map(|m| metric_name(&model, m)).collect();
    let paths = plan.paths();
    for (name, r) in names.iter().zip(&results) {
        say(err, &warnings(name, &paths, r, a.n))?;
    }
    let report = SobolReport {
        model: ModelInfo::of(&model),
        n: a.n,
        evaluations,
        paths,
        names,
        results,
    };
    output::report(a.common.out.as_deref(), out, &report, format)
}
