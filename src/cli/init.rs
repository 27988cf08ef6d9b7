//! `dinarflow init [FILE]`: writes the fully commented starter model (the
//! built-in default model, every key explained). Refuses to overwrite an
//! existing file, even one created by another process at the same moment
//! (the file is created exclusively); without FILE (or with `-`) the model
//! goes to standard output.

use super::refusal::Refusal;
use std::io::Write;
use std::path::PathBuf;

use super::{output, DEFAULT_MODEL};
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the model; standard output when omitted or `-`
    pub file: Option<PathBuf>,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    // `-` is standard output, as everywhere on the command line (it
    // created a file named `-`).
    let file = a.file.filter(|p| p.as_os_str() != "-");
    match file {
        None => out
            .write_all(DEFAULT_MODEL.as_bytes())
            .map_err(output::stdout_error),
        Some(path) => {
            if !output::create_new(&path, DEFAULT_MODEL.as_bytes())? {
                return Err(Refusal::WouldOverwrite {
                    path: path.display().to_string(),
                }
                .into());
            }
            writeln!(
                err,
                "wrote {}: edit it, then try `dinarflow check {0}` and `dinarflow brief {0}`",
                path.display()
            )
            .map_err(output::stderr_error)
        }
    }
}
