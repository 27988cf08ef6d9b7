//! `dinarflow run MODEL`: every metric of MODEL.md §6 for every month and
//! the summary, as a table, CSV, JSON or Markdown.

use std::io::Write;
use std::path::PathBuf;

use super::{load_model, output};
use crate::engine;
use crate::error::Error;
use crate::render::Format;
use crate::report::run::RunReport;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
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
    let result = engine::run(&model)?;
    let report = RunReport::new(&model, &result).map_err(|e| overflow(&model, e))?;
    output::emit(a.out.as_deref(), Some(&a.model), out, |w| {
        report.write(&model, a.format, w)
    })
}

pub(crate) fn overflow(model: &crate::model::Model, e: crate::number::Overflow) -> Error {
    Error::Engine(engine::EngineError::Overflow {
        month: model.timeline.end(),
        source: e,
    })
}
