//! `dinarflow explain [MODEL] METRIC[@YYYY-MM]`: the chain of docs/model.md
//! steps behind one number, with every intermediate value and where each
//! assumption it uses is written. With one argument, it is the number, on
//! the built-in model.

use std::io::Write;
use std::path::Path;

use super::common::Common;
use super::refusal::Refusal;
use crate::engine;
use crate::error::Error;
use crate::report::explain::ExplainReport;
use crate::sensitivity::explain::explain;
use crate::sensitivity::parse_metric;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// [MODEL] METRIC: the model file (TOML), the built-in models/iraq-2023.toml when
    /// omitted, then the number to explain, e.g. parallel_rate@2023-01, cpi_impact_pct,
    /// premium_pct:max
    #[arg(value_name = "METRIC", num_args = 1..=2, required = true)]
    pub args: Vec<String>,
    #[command(flatten)]
    pub common: Common,
}

impl Args {
    /// The model file, if one is named, and the metric: `explain METRIC`
    /// is the metric on the built-in model.
    pub fn model_and_metric(&self) -> (Option<&Path>, &str) {
        match self.args.as_slice() {
            [model, metric, ..] => (Some(Path::new(model)), metric),
            [metric] => (None, metric),
            [] => (None, ""),
        }
    }
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (path, metric) = a.model_and_metric();
    if path.is_none() && (metric.ends_with(".toml") || Path::new(metric).is_file()) {
        let file = metric.to_string();
        return Err(Refusal::ExplainWithoutMetric { file }.into());
    }
    let (format, model) = a.common.open::<ExplainReport>("explain", path, err)?;
    super::warnings::check(&model, false, err)?;
    // Named as the argument it is: `explain parallel_rate@2030-01: …`.
    let metric = parse_metric(&model, metric).map_err(|e| e.for_option("explain", metric))?;
    let result = engine::run(&model)?;
    let explanation = explain(&model, &result, &metric)?;
    let report = ExplainReport::new(&model, explanation);
    a.common.write(out, &report, format)
}
