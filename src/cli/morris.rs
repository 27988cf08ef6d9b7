//! `dinarflow morris MODEL`: Morris elementary-effects screening of the
//! `[uncertainty]` inputs (mu*, mu, sigma per metric), r·(inputs + 1)
//! evaluations: which of many inputs matter before a Sobol analysis.

use std::io::{self, Write};
use std::path::PathBuf;

use serde_json::{json, Map, Value};

use super::common::Common;
use super::mc::{metrics_or, say, Bar};
use super::{load_model, output};
use crate::engine::kernel::Kernel;
use crate::error::Error;
use crate::render::{Format, Grid};
use crate::sensitivity::metric_name;
use crate::uncertainty_analysis::morris::{screen, Effect, MorrisError, MorrisInput};
use crate::uncertainty_analysis::report::{plain, stat_places};
use crate::uncertainty_analysis::{count_text, Plan, MAX_BYTES, MAX_EVALUATIONS};

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
    pub common: Common,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let model = load_model(Some(&a.model), &a.common.set, err)?;
    let plan = Plan::new(&model)?;
    let metrics = metrics_or(&model, &a.metric, &["parallel_rate"])?;
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
            count_text(evaluations),
            count_text(MAX_EVALUATIONS)
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
    let kernel = Kernel::new(&model, &plan.params(), &metrics);
    let inputs: Vec<MorrisInput> = plan
        .inputs
        .iter()
        .map(|i| MorrisInput {
            path: &i.path,
            marginal: &i.marginal,
        })
        .collect();
    let effects =
        screen(&kernel, &inputs, a.r, a.levels, a.seed, &Bar::new(a.quiet)).map_err(|e| match e {
            MorrisError::NoGrid { input } => Error::Usage(format!(
                "{}: no value of {} lies in the allowed range ({})",
                plan.inputs[input].path,
                plan.inputs[input].dist,
                plan.inputs[input].param.kind().allowed()
            )),
            MorrisError::Engine(e) => Error::Engine(e),
        })?;
    let report = Report {
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
    output::emit(a.common.out.as_deref(), Some(&a.model), out, |w| {
        report.write(a.common.format, w)
    })
}

struct Report {
    r: usize,
    levels: u32,
    evaluations: u64,
    paths: Vec<String>,
    metrics: Vec<(String, String)>,
    effects: Vec<Vec<Effect>>,
}

impl Report {
    fn num(unit: &str, v: f64) -> String {
        plain(v, stat_places(unit, v, true))
    }

    fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Json => {
                let objects: Vec<Value> = self
                    .metrics
                    .iter()
                    .zip(&self.effects)
                    .map(|((m, unit), e)| {
                        let effects: Map<String, Value> = self
                            .paths
                            .iter()
                            .zip(e)
                            .map(|(p, x)| {
                                (
                                    p.clone(),
                                    json!({"mu_star": Self::num(unit, x.mu_star), "mu": Self::num(unit, x.mu), "sigma": Self::num(unit, x.sigma)}),
                                )
                            })
                            .collect();
                        json!({"metric": m, "r": self.r.to_string(), "levels": self.levels.to_string(), "effects": effects})
                    })
                    .collect();
                let v = if objects.len() == 1 {
                    objects.into_iter().next().unwrap_or(Value::Null)
                } else {
                    Value::Array(objects)
                };
                serde_json::to_writer_pretty(&mut *out, &v)?;
                writeln!(out)
            }
            Format::Csv => {
                let mut w = csv::Writer::from_writer(out);
                w.write_record(["metric", "input", "mu_star", "mu", "sigma"])?;
                for ((m, unit), e) in self.metrics.iter().zip(&self.effects) {
                    for (p, x) in self.paths.iter().zip(e) {
                        w.write_record([
                            m.as_str(),
                            p.as_str(),
                            &Self::num(unit, x.mu_star),
                            &Self::num(unit, x.mu),
                            &Self::num(unit, x.sigma),
                        ])?;
                    }
                }
                w.flush()
            }
            Format::Table | Format::Md => {
                for (i, ((m, unit), e)) in self.metrics.iter().zip(&self.effects).enumerate() {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    writeln!(
                        out,
                        "Morris screening of {m} ({} trajectories, {} levels, {} evaluations); effects in {unit} for a move across half of an input's range of probability",
                        self.r, self.levels, count_text(self.evaluations)
                    )?;
                    writeln!(out)?;
                    let mut g = Grid::new(["input", "mu*", "mu", "sigma"], 1);
                    let mut order: Vec<usize> = (0..self.paths.len()).collect();
                    order.sort_by(|a, b| e[*b].mu_star.total_cmp(&e[*a].mu_star).then(a.cmp(b)));
                    for j in order {
                        g.push([
                            self.paths[j].clone(),
                            Self::num(unit, e[j].mu_star),
                            Self::num(unit, e[j].mu),
                            Self::num(unit, e[j].sigma),
                        ]);
                    }
                    if format == Format::Md {
                        g.markdown(out)?;
                    } else {
                        g.table(out)?;
                    }
                    writeln!(out)?;
                    writeln!(out, "mu* ranks the inputs; sigma large next to mu* means interactions or a non-linear effect.")?;
                }
                Ok(())
            }
        }
    }
}
