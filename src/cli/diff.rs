//! `dinarflow diff A.toml B.toml`: both summaries side by side, the
//! assumptions that differ, and how much of each metric's change each
//! difference explains.

use std::io::Write;
use std::path::PathBuf;

use super::{load_model, output, with_progress};
use crate::error::Error;
use crate::render::Format;
use crate::sensitivity::diff::compare;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The first model (A, the reference)
    pub a: PathBuf,
    /// The second model (B)
    pub b: PathBuf,
    /// A metric to compare (repeatable); default: every metric both models have
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    /// Replace a parameter in both models for the whole timeline (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format (CSV holds the side-by-side summary; JSON holds everything)
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let model_a = load_model(Some(&a.a), &a.set, err)?;
    let model_b = load_model(Some(&a.b), &a.set, err)?;
    let result = with_progress(a.quiet, |p| compare(&model_a, &model_b, &a.metric, p))?;
    if let Some(path) = &a.out {
        if path.canonicalize().ok() == a.b.canonicalize().ok() {
            return Err(Error::Usage(format!(
                "--out {} is the model file being read; choose another file",
                path.display()
            )));
        }
    }
    output::emit(a.out.as_deref(), Some(&a.a), out, |w| {
        result.write(&model_a, &model_b, a.format, w)
    })
}
