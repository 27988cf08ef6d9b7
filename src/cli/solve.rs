//! `dinarflow solve [MODEL] --vary PATH --target M=VALUE`: goal seek, every
//! value of one parameter at which a metric meets a target.

use std::io::Write;

use super::common::{Common, ModelFile, Progress};
use super::output;
use super::progress::Unit;
use crate::error::Error;
use crate::report::solve::SolveReport;
use crate::sensitivity::solve::{solve, Request};
use crate::sensitivity::{refuse_set_under, target_note, Evaluator};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// The parameter to solve for: PATH (its whole timeline), PATH@YYYY-MM (one step), PATH@YYYY-MM.. (one
    /// value from that month to the end) or PATH* (a factor on every month), e.g. auction.rejection_rate,
    /// auction.rejection_rate@2023-07, auction.rejection_rate@2023-07.., exports.price_usd_per_bbl*
    #[arg(long, value_name = "PATH")]
    pub vary: String,
    /// The metric and the value it should take, e.g. premium_pct=10 or parallel_rate@2023-01=1650
    #[arg(long, value_name = "METRIC=VALUE")]
    pub target: String,
    /// Search from LO to HI; default: the parameter's allowed range
    /// (up to 10 × its value where the range has no upper end)
    #[arg(long, value_name = "LO,HI", allow_hyphen_values = true)]
    pub between: Option<String>,
    /// Stop as soon as the metric is within T of the target; default: narrow
    /// the parameter down to its last decimal (cents for money, 6 places otherwise)
    #[arg(long, value_name = "T", allow_negative_numbers = true)]
    pub tolerance: Option<String>,
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub progress: Progress,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (format, model) = a.common.open::<SolveReport>("solve", a.model.path(), err)?;
    super::warnings::check(&model, false, err)?;
    let req = Request::parse(
        &model,
        &a.vary,
        &a.target,
        a.between.as_deref(),
        a.tolerance.as_deref(),
    )?;
    refuse_set_under(&model, &a.common.set, req.form.target, &a.vary)?;
    if let Some(note) = target_note(&model, req.form.target, "--vary") {
        writeln!(err, "{note}").map_err(output::stderr_error)?;
    }
    let ev = Evaluator::new(&model);
    let result = solve(&ev, &req, &a.progress.bar(Unit::Runs))?;
    if let Some(note) = crate::report::dry::answers_note(&model, &result.dry) {
        writeln!(err, "{note}").map_err(output::stderr_error)?;
    }
    let report = SolveReport::new(&model, result);
    a.common.write(out, &report, format)
}
