//! `dinarflow check [MODEL]`: validates a model and prints its normalised
//! assumptions (path, value, unit, source); exit 0 when valid. Values
//! outside their plausible range and distributions centred away from their
//! base value are warned about on stderr; `--strict` fails on them. With
//! `--format json`, a refusal is also a JSON report on standard output
//! (`"valid": false` and its problems): a model that does not load, a file
//! that cannot be read, a model `--strict` refuses for its warnings.

use std::io::Write;

use super::common::{Common, ModelFile};
use super::output;
use super::warnings;
use crate::error::Error;
use crate::model::all_warnings;
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
    // A script asking for JSON gets a refusal as JSON too (on standard
    // output only: --out writes nothing on an error).
    let json_refusal = format == Format::Json && a.common.out.is_none();
    let refuse = |failure: CheckFailure, e: Error, out: &mut dyn Write| {
        failure.write_json(out).map_err(output::stdout_error)?;
        Err(e)
    };
    let model = match super::load_model(a.model.path(), &a.common, err) {
        Err(Error::Invalid(d)) if json_refusal => {
            return refuse(CheckFailure::of(&d), Error::Invalid(d), out)
        }
        Err(Error::Input { path, message }) if json_refusal => {
            return refuse(
                CheckFailure::unreadable(&path, &message),
                Error::Input { path, message },
                out,
            )
        }
        loaded => loaded?,
    };
    if let Err(e) = warnings::check(&model, a.strict, err) {
        if json_refusal && matches!(e, Error::Strict(_)) {
            return refuse(CheckFailure::strict(&model.file, &all_warnings(&model)), e, out);
        }
        return Err(e);
    }
    a.common.write(out, &CheckReport::of(&model), format)
}
