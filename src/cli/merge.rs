//! `dinarflow merge FILES...`: the Monte Carlo report of a run that was
//! split with `mc --shard K/N`, after checking that the shard files belong
//! to one run and cover every draw once. It prints exactly what the
//! unsharded `mc` prints.

use std::io::Write;
use std::path::PathBuf;

use super::output::{self, format_for};
use crate::error::Error;
use crate::render::{Format, Formats};
use crate::uncertainty_analysis::report::McReport;
use crate::uncertainty_analysis::shard::merge;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shard files written by `dinarflow mc MODEL --shard K/N --out FILE`
    #[arg(required = true, value_name = "FILES")]
    pub files: Vec<PathBuf>,
    /// Output format [default: the one --out's extension names (.csv, .json, .md), else table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn run(a: Args, out: &mut dyn Write, _err: &mut dyn Write) -> Result<(), Error> {
    let format = output::allowed(
        "merge",
        format_for(a.format, a.out.as_deref())?,
        McReport::FORMATS,
    )?;
    let paths: Vec<&std::path::Path> = a.files.iter().map(PathBuf::as_path).collect();
    let (info, samples) = merge(&paths)?;
    let report = McReport::compute(info, samples, None);
    output::report(a.out.as_deref(), out, &report, format)
}
