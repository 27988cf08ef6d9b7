//! `dinarflow brief [MODEL]`: the main job. Runs the model (the built-in
//! 2023 model when none is given) and prints the briefing.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::{load_model, model_path, output, overflow};
use crate::engine;
use crate::error::Error;
use crate::render::Format;
use crate::report::brief::Brief;

/// What `brief` writes.
const BRIEF_FORMATS: [Format; 5] = [Format::Table, Format::Json, Format::Md, Format::Html, Format::Xlsx];

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML); the built-in models/iraq-2023.toml when omitted
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format()?;
    if format == Format::Csv {
        return Err(Error::Usage(
            "brief has no CSV form; use --format table, md or json (or `run --format csv`)".into(),
        ));
    }
    let format = output::allowed("brief", format, &BRIEF_FORMATS)?;
    let model = load_model(model_path(&a.model), &a.common.set, err)?;
    let result = engine::run(&model)?;
    let brief = Brief::new(&model, &result).map_err(|e| overflow(&model, e))?;
    output::report(a.common.out.as_deref(), a.model.as_deref(), out, &brief, format)
}
