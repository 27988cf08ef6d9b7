//! `dinarflow tornado [MODEL] [--metric M]`: each parameter moved on its
//! own to a low and a high value, sorted by how far it swings the metric
//! (the model's headline metric unless named).

use std::io::Write;

use super::common::{Analysis, ModelFile};
use super::progress::Unit;
use super::warnings;
use crate::error::Error;
use crate::report::tornado::TornadoReport;
use crate::sensitivity::tornado::{notes, tornado, Request};
use crate::sensitivity::Evaluator;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// The metric, e.g. parallel_rate, premium_pct:max, cpi_impact_pct@2023-03; default: the model's
    /// headline metric (parallel_rate, or net_revenue_usd for a model without an auction), as `morris` and
    /// `brief` use
    #[arg(long, value_name = "METRIC")]
    pub metric: Option<String>,
    /// A parameter to move (repeatable): PATH, PATH@YYYY-MM (one step of its timeline), PATH@YYYY-MM.. (one
    /// value from that month to the end), or PATH* (a factor [uncertainty] draws); default: every parameter in [uncertainty], or every numeric parameter when the
    /// model has none
    #[arg(long = "param", value_name = "PATH")]
    pub param: Vec<String>,
    /// A factor on a parameter's whole schedule (repeatable): low and high are LO and HI, or 1 ∓ --swing%,
    /// e.g. --scale exports.price_usd_per_bbl=0.8:1.2
    #[arg(long = "scale", value_name = "PATH[=LO:HI]")]
    pub scale: Vec<String>,
    /// For parameters without a distribution: low and high are base × (1 ∓ PCT/100)
    #[arg(long, value_name = "PCT", default_value = "10")]
    pub swing: String,
    #[command(flatten)]
    pub analysis: Analysis,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (format, model) = a.analysis.open::<TornadoReport>("tornado", a.model.path(), err)?;
    warnings::draws(&model, err)?;
    let req = Request::parse(&model, a.metric.as_deref(), &a.param, &a.scale, &a.swing)?;
    super::say(err, &notes(&model, &req))?;
    let ev = Evaluator::new(&model);
    let unit = req.metric.id.unit();
    let result = tornado(&ev, &req, &a.analysis.bar(Unit::Runs))?;
    if let Some(note) = crate::report::dry::tornado_note(&model, result.dry_base, &result.dry) {
        writeln!(err, "{note}").map_err(super::output::stderr_error)?;
    }
    let report = TornadoReport::new(&model, result).with_unit(unit);
    a.analysis.write(out, &report, format)
}
