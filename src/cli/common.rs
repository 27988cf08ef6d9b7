//! The options every model command shares (`--set`, `--format`, `--out`),
//! defined once and flattened into each subcommand's arguments.

use std::path::PathBuf;

use crate::render::Format;

#[derive(Debug, clap::Args)]
pub struct Common {
    /// Replace a parameter for the whole timeline, e.g. auction.rejection_rate=0.5 (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}
