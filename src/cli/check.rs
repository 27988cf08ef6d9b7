//! `dinarflow check MODEL`: validates a model and prints its normalised
//! assumptions (path, value, unit, source); exit 0 when valid.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use super::{load_model, output};
use crate::error::Error;
use crate::render::Format;
use crate::report::assumptions::Assumptions;
use crate::report::run::model_json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    /// Output format: table, md or json
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let model = load_model(Some(&a.model), &[], err)?;
    let list = Assumptions::of(&model);
    let sourced = list.params.iter().filter(|p| p.is_sourced()).count();
    output::emit(None, None, out, |w| match a.format {
        Format::Json => {
            let v = json!({ "valid": true, "model": model_json(&model), "assumptions": list.json() });
            serde_json::to_writer_pretty(&mut *w, &v)?;
            writeln!(w)
        }
        Format::Table | Format::Md | Format::Csv => {
            writeln!(w, "{}: valid model \"{}\"", model.file.name, model.name)?;
            writeln!(
                w,
                "{} parameters ({} with a source, {} assumptions), {} changes, {} uncertain inputs\n",
                list.params.len(),
                sourced,
                list.params.len() - sourced,
                list.changes.len(),
                list.uncertainty.len()
            )?;
            list.write(w, a.format == Format::Md)
        }
    })
}
