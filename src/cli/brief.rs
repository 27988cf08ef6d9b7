//! `dinarflow brief [MODEL]`: the main job. Runs the model (the built-in
//! 2023 model when none is given) and prints the briefing; as HTML, one
//! self-contained page with the charts of the other commands and a seeded
//! Monte Carlo run.

use super::refusal::Refusal;
use std::io::Write;

use super::common::{Common, ModelFile};
use super::{load_model, output, overflow, warnings};
use crate::engine;
use crate::error::Error;
use crate::render::{Format, Formats};
use crate::report::brief::Brief;
use crate::report::briefing::{check_draws, Briefing};
use crate::sensitivity::Silent;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// Monte Carlo draws for "How sure" (the bands of the last month, and the
    /// HTML page's fan chart)
    #[arg(long, value_name = "N", default_value_t = DRAWS, allow_negative_numbers = true, value_parser = super::whole::brief_draws_value)]
    pub draws: u64,
    /// The seed of those draws
    #[arg(long, value_name = "S", default_value_t = 1, allow_negative_numbers = true, value_parser = super::whole::u64_value)]
    pub seed: u64,
    /// Fail (exit 2) when `check` would warn: a value outside its plausible range,
    /// a distribution centred away from its base value
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub common: Common,
}

/// Draws of the briefing's Monte Carlo run unless `--draws` says otherwise.
pub const DRAWS: u64 = crate::report::briefing::DRAWS;

/// The formats `brief` writes: the brief's and the HTML briefing's, but
/// not CSV (it has no one table; its refusal names the ones to use).
pub(crate) fn formats() -> Vec<Format> {
    let mut formats = output::any_of(&[Brief::FORMATS, Briefing::FORMATS]);
    formats.retain(|f| *f != Format::Csv);
    formats
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format()?;
    if format == Format::Csv {
        return Err(Refusal::BriefAsCsv.into());
    }
    let format = output::allowed("brief", format, &formats())?;
    check_draws(a.draws)?;
    let model = load_model(a.model.path(), &a.common, err)?;
    warnings::check(&model, a.strict, err)?;
    if format == Format::Html {
        let briefing = Briefing::build(&model, a.draws, a.seed, &Silent)?;
        return a.common.write(out, &briefing, format);
    }
    let result = engine::run(&model)?;
    let brief = Brief::new(&model, &result, &Silent).map_err(|e| overflow(&model, e))?;
    let (brief, note) = brief.how_sure_if_drawn(&model, a.draws, a.seed, &Silent);
    if let Some(n) = note {
        writeln!(err, "{n}").map_err(output::stderr_error)?;
    }
    a.common.write(out, &brief, format)
}
