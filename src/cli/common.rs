//! The options every model command shares (`--set`, `--format`, `--out`),
//! defined once and flattened into each subcommand's arguments.

use std::path::PathBuf;

use super::output::{allowed, format_for};
use crate::error::Error;
use crate::render::Format;

#[derive(Debug, clap::Args)]
pub struct Common {
    /// Replace a parameter for the whole timeline, e.g. auction.rejection_rate=0.5 (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format [default: the one --out's extension names (.csv, .json, .md, .svg, .html, .xlsx), else table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl Common {
    /// The format to write in: `--format`, or the one `--out` names.
    pub fn format(&self) -> Result<Format, Error> {
        format_for(self.format, self.out.as_deref())
    }

    /// The format to write in, when `command` writes it (one of `formats`).
    pub fn format_in(&self, command: &str, formats: &[Format]) -> Result<Format, Error> {
        allowed(command, self.format()?, formats)
    }
}
