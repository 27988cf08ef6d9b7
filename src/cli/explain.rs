//! `dinarflow explain MODEL METRIC[@YYYY-MM]`: the chain of docs/model.md steps
//! behind one number, with every intermediate value and where each
//! assumption it uses is written.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use crate::engine;
use crate::error::Error;
use crate::report::explain::ExplainReport;
use crate::sensitivity::explain::explain;
use crate::sensitivity::parse_metric;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    /// The number to explain, e.g. parallel_rate@2023-01, cpi_impact_pct, premium_pct:max
    pub metric: String,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (format, model) = a.common.open::<ExplainReport>("explain", Some(&a.model), err)?;
    let metric = parse_metric(&model, &a.metric)?;
    let result = engine::run(&model)?;
    let explanation = explain(&model, &result, &metric)?;
    let report = ExplainReport::new(&model, explanation);
    a.common.write(out, &report, format)
}
