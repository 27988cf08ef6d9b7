//! `dinarflow man [COMMAND]`: a manual page (roff) on standard output,
//! generated from the clap definition the binary parses with, for
//! packagers and for `dinarflow man > dinarflow.1; man ./dinarflow.1`.
//! Without COMMAND the top-level page, which lists the subcommands as
//! `dinarflow-run(1)` and so on; with one, that subcommand's page, with
//! every option (`dinarflow man run > dinarflow-run.1`).

use std::io::Write;

use super::output::stdout_error;
use crate::error::Error;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The subcommand whose page to print (e.g. run, brief, mc); the top-level page when omitted
    pub command: Option<String>,
}

pub fn run(a: Args, out: &mut dyn Write) -> Result<(), Error> {
    // Built as clap_mangen::generate_to builds it, so that a subcommand's
    // page is named `dinarflow-run` and shows `dinarflow run` in its synopsis.
    let mut cli = super::command().disable_help_subcommand(true);
    cli.build();
    let cmd = match a.command.as_deref() {
        None => cli,
        Some(name) => {
            let found = cli.find_subcommand(name).cloned();
            found.ok_or_else(|| {
                let names: Vec<&str> = cli
                    .get_subcommands()
                    .filter(|s| !s.is_hide_set())
                    .map(|s| s.get_name())
                    .collect();
                Error::Usage(format!(
                    "man {name}: no such command (allowed: {})",
                    names.join(", ")
                ))
            })?
        }
    };
    let mut page = Vec::new();
    // Every page names the release it documents, as the top-level one does
    // (a subcommand has no version of its own, and its page would say "run ").
    clap_mangen::Man::new(cmd)
        .source(format!("dinarflow {}", env!("CARGO_PKG_VERSION")))
        .render(&mut page)
        .map_err(stdout_error)?;
    out.write_all(&page).map_err(stdout_error)
}
