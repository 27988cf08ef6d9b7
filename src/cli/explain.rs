//! `dinarflow explain MODEL METRIC[@YYYY-MM]`: the chain of MODEL.md steps
//! behind one number, with every intermediate value and where each
//! assumption it uses is written.

use std::io::Write;
use std::path::PathBuf;

use super::{load_model, output};
use crate::engine;
use crate::error::Error;
use crate::render::Format;
use crate::sensitivity::explain::explain;
use crate::sensitivity::parse_metric;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    /// The number to explain, e.g. parallel_rate@2023-01, cpi_impact_pct, premium_pct:max
    pub metric: String,
    /// Replace a parameter for the whole timeline, e.g. auction.rejection_rate=0.5 (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let model = load_model(Some(&a.model), &a.set, err)?;
    let metric = parse_metric(&model, &a.metric)?;
    let result = engine::run(&model)?;
    let explanation = explain(&model, &result, &metric)?;
    output::emit(a.out.as_deref(), Some(&a.model), out, |w| {
        explanation.write(&model, a.format, w)
    })
}
