//! `dinarflow morris [MODEL]`: Morris elementary-effects screening of the
//! `[uncertainty]` inputs (mu*, mu, sigma per metric), r·(inputs + 1)
//! evaluations: which of many inputs matter before a Sobol analysis.

use super::refusal::Refusal;
use std::io::Write;

use super::common::Drawn;
use super::progress::Unit;
use super::say;
use crate::engine::kernel::Kernel;
use crate::engine::metrics::MetricRef;
use crate::error::Error;
use crate::model::Model;
use crate::render::count;
use crate::report::morris::MorrisReport;
use crate::report::ModelInfo;
use crate::sensitivity::metric_name;
use crate::uncertainty_analysis::morris::{screen, Effect, MorrisError, MorrisInput};
use crate::uncertainty_analysis::request::morris_notes;
use crate::uncertainty_analysis::{Input, Plan, MAX_BYTES, MAX_EVALUATIONS};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of trajectories; r·(inputs + 1) evaluations
    #[arg(short = 'r', value_name = "R", default_value_t = 20, allow_negative_numbers = true, value_parser = super::whole::trajectories_value)]
    pub r: usize,
    /// Levels of each input's grid (even): quantiles at the middle of as many equal-probability bins
    #[arg(long, value_name = "L", default_value_t = 4, allow_negative_numbers = true, value_parser = super::whole::levels_value)]
    pub levels: u32,
    /// Seed of the trajectories
    #[arg(long, value_name = "S", default_value_t = 1, allow_negative_numbers = true, value_parser = super::whole::u64_value)]
    pub seed: u64,
    #[command(flatten)]
    pub drawn: Drawn,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (format, model, plan, metrics) = a.drawn.open::<MorrisReport>("morris", err)?;
    let evaluations = a.evaluations(plan.inputs.len(), metrics.len())?;
    say(err, &morris_notes(&model, &plan))?;
    let effects = a.effects(&model, &plan, &metrics)?;
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
    a.drawn.analysis.write(out, &report, format)
}

impl Args {
    /// The evaluations `-r` trajectories through `k` inputs take;
    /// refused when `-r` or `--levels` cannot give a screening, or when
    /// the run, or its effects on `metrics` metrics, would be too large.
    fn evaluations(&self, k: usize, metrics: usize) -> Result<u64, Error> {
        if self.r < 2 {
            return Err(Refusal::TooFewTrajectories.into());
        }
        if self.levels < 2 || self.levels > 100 || self.levels % 2 == 1 {
            return Err(Refusal::Levels(self.levels).into());
        }
        let evaluations = (self.r as u64).saturating_mul(k as u64 + 1);
        if evaluations > MAX_EVALUATIONS {
            return Err(Refusal::TooManyEvaluations {
                r: self.r,
                inputs: k,
                needs: count(evaluations),
                most: count(MAX_EVALUATIONS),
            }
            .into());
        }
        let bytes = evaluations.saturating_mul(metrics as u64 * 8);
        if bytes > MAX_BYTES {
            return Err(Refusal::TooManyEffects {
                r: self.r,
                gb: bytes >> 30,
                limit: MAX_BYTES >> 30,
            }
            .into());
        }
        Ok(evaluations)
    }

    /// The elementary effects of each of the plan's inputs on each of
    /// `metrics`, along the trajectories.
    fn effects(&self, model: &Model, plan: &Plan, metrics: &[MetricRef]) -> Result<Vec<Vec<Effect>>, Error> {
        let kernel = Kernel::with_targets(model, &plan.targets(), metrics);
        let inputs: Vec<MorrisInput> = plan.inputs.iter().map(screened).collect();
        let bar = self.drawn.analysis.bar(Unit::Evaluations);
        screen(&kernel, &inputs, self.r, self.levels, self.seed, &bar).map_err(|e| match e {
            MorrisError::NoGrid { input } => Refusal::NoGrid {
                path: plan.inputs[input].path.clone(),
                dist: plan.inputs[input].dist.to_string(),
                range: plan.inputs[input].range.to_string(),
            }
            .into(),
            MorrisError::Engine(e) => Error::Engine(e),
        })
    }
}

/// An `[uncertainty]` input as the screening takes it: its path, and the
/// distribution its grid of levels is cut from.
fn screened(input: &Input) -> MorrisInput<'_> {
    MorrisInput {
        path: &input.path,
        marginal: &input.marginal,
    }
}
