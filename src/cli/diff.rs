//! `dinarflow diff A.toml B.toml`: both summaries side by side, the
//! assumptions that differ, and how much of each metric's change each
//! difference explains.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::progress::{Bar, Unit};
use super::{load_model, output};
use crate::error::Error;
use crate::report::diff::DiffReport;
use crate::sensitivity::diff::compare;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first model (A, the reference)
    pub a: PathBuf,
    /// The second model (B)
    pub b: PathBuf,
    /// A metric to compare (repeatable); default: every metric both models have
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    #[command(flatten)]
    pub common: Common,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format_in("diff", &output::CHART_BOOK)?;
    let model_a = load_model(Some(&a.a), &a.common.set, err)?;
    let model_b = load_model(Some(&a.b), &a.common.set, err)?;
    let result = compare(&model_a, &model_b, &a.metric, &Bar::new(a.quiet, Unit::Runs))?;
    let report = DiffReport::new(&model_a, &model_b, result);
    output::report(a.common.out.as_deref(), out, &report, format)
}
