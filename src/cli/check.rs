//! `dinarflow check MODEL`: validates a model and prints its normalised
//! assumptions (path, value, unit, source); exit 0 when valid.

use std::io::Write;
use std::path::PathBuf;

use super::{load_model, output};
use crate::error::Error;
use crate::render::Format;
use crate::report::check::CheckReport;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    /// Output format: table, md or json
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = output::allowed("check", a.format, &output::TEXT)?;
    let model = load_model(Some(&a.model), &[], err)?;
    output::report(None, out, &CheckReport::of(&model), format)
}
