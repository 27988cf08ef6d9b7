//! `dinarflow run MODEL`: every metric of MODEL.md §6 for every month and
//! the summary, as a table, CSV, JSON or Markdown.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::{load_model, output, overflow};
use crate::engine;
use crate::error::Error;
use crate::report::run::RunReport;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format()?;
    let model = load_model(Some(&a.model), &a.common.set, err)?;
    let result = engine::run(&model)?;
    let report = RunReport::new(&model, &result).map_err(|e| overflow(&model, e))?;
    output::report(a.common.out.as_deref(), Some(&a.model), out, &report, format)
}
