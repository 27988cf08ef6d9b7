//! `dinarflow sweep [MODEL] --vary PATH=SPEC [--vary PATH=SPEC]`: the model
//! run at every value of one parameter (a data table, a column per metric)
//! or of two (a two-way table of one metric). `--vary PATH@YYYY-MM=SPEC`
//! varies one step of a timeline, `--scale PATH=SPEC` a factor on all of it.

use std::io::Write;

use super::common::{Analysis, ModelFile};
use super::output;
use super::progress::Unit;
use crate::error::Error;
use crate::report::sweep::SweepReport;
use crate::sensitivity::sweep::{parse_sweep, sweep, sweep_notes};
use crate::sensitivity::{refuse_set_under, Evaluator};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// A parameter and the values to try: PATH=LO:HI:STEP (exact decimal steps, HI included when reached)
    /// or PATH=V1,V2,...; give it twice for a two-way table
    /// (PATH@YYYY-MM=SPEC varies only the step of its timeline that starts that month, PATH@YYYY-MM..=SPEC
    /// holds each value from that month to the end)
    #[arg(long = "vary", value_name = "PATH=SPEC", required_unless_present = "scale")]
    pub vary: Vec<String>,
    /// Factors on every month's value of a parameter, keeping its schedule's shape: PATH=SPEC
    /// (e.g. exports.price_usd_per_bbl=0.8:1.2:0.1); money rounded to cents after the product
    #[arg(long = "scale", value_name = "PATH=SPEC")]
    pub scale: Vec<String>,
    /// A metric to show, e.g. parallel_rate, premium_pct:max, cpi_impact_pct@2023-03 (repeatable;
    /// default parallel_rate, premium_pct and cpi_impact_pct, or parallel_rate for a two-way table)
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    #[command(flatten)]
    pub analysis: Analysis,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (format, model) = a.analysis.open::<SweepReport>("sweep", a.model.path(), err)?;
    super::warnings::check(&model, false, err)?;
    let (varies, metrics) = parse_sweep(&model, &a.vary, &a.scale, &a.metric)?;
    for v in &varies {
        refuse_set_under(&model, &a.analysis.common().set, v.target, &v.path)?;
    }
    for note in sweep_notes(&model, &varies) {
        writeln!(err, "{note}").map_err(output::stderr_error)?;
    }
    let ev = Evaluator::new(&model);
    let result = sweep(&ev, varies, &metrics, &a.analysis.bar(Unit::Runs))?;
    if let Some(note) = crate::report::dry::runs_note(&model, &result.dry) {
        writeln!(err, "{note}").map_err(output::stderr_error)?;
    }
    let units = metrics.iter().map(|m| m.id.unit().to_string()).collect();
    let report = SweepReport::new(&model, result).with_units(units);
    a.analysis.write(out, &report, format)
}
