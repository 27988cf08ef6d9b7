//! `dinarflow check [MODEL]`: validates a model and prints its normalised
//! assumptions (path, value, unit, source); exit 0 when valid. Values
//! outside their plausible range and distributions centred away from their
//! base value are warned about on stderr; `--strict` fails on them. With
//! `--format json`, a model that does not load is also a JSON report
//! (`"valid": false` and its problems) on standard output.

use std::io::Write;

use super::common::{Common, ModelFile};
use super::output;
use super::warnings;
use crate::error::Error;
use crate::render::{Format, Formats, Json};
use crate::report::check::CheckReport;
use crate::report::check_failure::CheckFailure;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// Fail (exit 2) when there is any warning: a value outside its plausible range,
    /// a distribution centred away from its base value
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format_in("check", CheckReport::FORMATS)?;
    let model = match super::load_model(a.model.path(), &a.common, err) {
        // A script asking for JSON gets the problems as JSON too (on
        // standard output only: --out writes nothing on an error).
        Err(Error::Invalid(d)) if format == Format::Json && a.common.out.is_none() => {
            CheckFailure::of(&d)
                .write_json(out)
                .map_err(output::stdout_error)?;
            return Err(Error::Invalid(d));
        }
        loaded => loaded?,
    };
    warnings::check(&model, a.strict, err)?;
    a.common.write(out, &CheckReport::of(&model), format)
}
