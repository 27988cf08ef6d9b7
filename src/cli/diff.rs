//! `dinarflow diff A.toml B.toml`: both summaries side by side, the
//! assumptions that differ, and how much of each metric's change each
//! difference explains. `--scenario` and `--set` apply to both sides;
//! `--scenario-a`/`--scenario-b` to one (after the shared ones), so that
//! `diff base.toml --scenario-b oil-65.toml` compares a model with itself
//! under a scenario.

use super::refusal::Refusal;
use std::io::Write;
use std::path::PathBuf;

use super::common::Analysis;
use super::load_with;
use super::progress::Unit;
use crate::error::Error;
use crate::render::Formats;
use crate::report::diff::DiffReport;
use crate::sensitivity::diff::compare;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first model (A, the reference)
    pub a: PathBuf,
    /// The second model (B); A again when omitted, for --scenario-a/--scenario-b
    pub b: Option<PathBuf>,
    /// A metric to compare (repeatable); default: every metric both models have
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    /// A scenario file layered on A only, after the shared --scenario (repeatable)
    #[arg(long = "scenario-a", value_name = "FILE")]
    pub scenario_a: Vec<PathBuf>,
    /// A scenario file layered on B only, after the shared --scenario (repeatable)
    #[arg(long = "scenario-b", value_name = "FILE")]
    pub scenario_b: Vec<PathBuf>,
    #[command(flatten)]
    pub analysis: Analysis,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.analysis.charted.format_in("diff", DiffReport::FORMATS)?;
    let common = a.analysis.common();
    if a.b.is_none() && a.scenario_a.is_empty() && a.scenario_b.is_empty() {
        return Err(Refusal::NothingToCompare.into());
    }
    let side = |own: &[PathBuf]| -> Vec<PathBuf> { common.scenario.iter().chain(own).cloned().collect() };
    let model_a = load_with(Some(&a.a), common, &side(&a.scenario_a), err)?;
    let model_b = load_with(
        Some(a.b.as_ref().unwrap_or(&a.a)),
        common,
        &side(&a.scenario_b),
        err,
    )?;
    let result = compare(&model_a, &model_b, &a.metric, &a.analysis.bar(Unit::Runs))?;
    let report = DiffReport::new(&model_a, &model_b, result);
    a.analysis.write(out, &report, format)
}
