//! `dinarflow check [MODEL]`: validates a model and prints its normalised
//! assumptions (path, value, unit, source); exit 0 when valid. Values
//! outside their plausible range and distributions centred away from their
//! base value are warned about on stderr; `--strict` fails on them.

use std::io::Write;

use super::common::{Common, ModelFile};
use super::warnings;
use crate::error::Error;
use crate::report::check::CheckReport;

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
    let (format, model) = a.common.open::<CheckReport>("check", a.model.path(), err)?;
    warnings::check(&model, a.strict, err)?;
    a.common.write(out, &CheckReport::of(&model), format)
}
