//! `dinarflow completions SHELL`: the shell's completion script for every
//! subcommand and option, generated from the same clap definition the
//! binary parses with, so it cannot fall out of date.

use std::io::Write;

use clap_complete::Shell;

use super::output::stdout_error;
use crate::error::Error;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example (bash): dinarflow completions bash > ~/.local/share/bash-completion/completions/dinarflow"
)]
pub struct Args {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(a: Args, out: &mut dyn Write) -> Result<(), Error> {
    let mut cmd = super::command();
    // Generated in memory first: clap_complete panics on a failed write.
    let mut script = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "dinarflow", &mut script);
    out.write_all(&script).map_err(stdout_error)
}
