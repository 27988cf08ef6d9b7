//! `dinarflow man`: the manual page (roff) on standard output, generated
//! from the clap definition the binary parses with, for packagers and for
//! `dinarflow man > dinarflow.1; man ./dinarflow.1`.

use std::io::Write;

use clap::CommandFactory;

use super::output::stdout_error;
use super::Cli;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_: Args, out: &mut dyn Write) -> Result<(), Error> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(stdout_error)?;
    out.write_all(&page).map_err(stdout_error)
}
