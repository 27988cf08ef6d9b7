//! The command line: clap parses the arguments into raw structs, each
//! subcommand's module validates them and runs. Output goes to the `Write`
//! handles the binary passes in (or atomically to `--out`), so the library
//! itself never prints or exits.

mod backtest;
mod brief;
mod check;
mod common;
mod completions;
mod diff;
mod explain;
mod file_target;
mod fit;
mod format_arg;
mod init;
mod man;
mod mc;
mod merge;
mod morris;
mod output;
mod progress;
mod refusal;
mod run;
mod serve;
mod sobol;
mod solve;
mod sweep;
mod tornado;
mod trace;
mod warnings;
mod whole;

pub use output::remove_temporary_files;

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::engine::metrics::{default_metrics, MetricRef};
use crate::error::Error;
use crate::model::Model;
use crate::render::Format;
use crate::uncertainty_analysis::request::metrics_or;
use crate::uncertainty_analysis::Plan;

/// The model compiled into the binary (`models/iraq-2023.toml`) and the
/// name it is reported under; they live in [`crate::model`].
pub use crate::model::{DEFAULT_MODEL, DEFAULT_MODEL_NAME};

/// The `dinarflow` command line as clap parses it: one subcommand with its arguments.
#[derive(Debug, Parser)]
#[command(
    name = "dinarflow",
    version,
    about = "Traces Iraq's oil dollars through an exact ledger and estimates the parallel rate and consumer prices",
    long_about = "dinarflow traces every dollar of Iraq's oil revenue from the buyers through the CBI's account at the \
                  New York Fed, the deductions, the banknote airlift and the CBI dollar auction, and estimates what \
                  rejected transfers do to the parallel exchange rate and consumer prices.\n\n\
                  Start with `dinarflow brief`. Without a model file, every command of one model runs the \
                  built-in 2023 model; `dinarflow init my-model.toml` writes it out to edit."
)]
pub struct Cli {
    /// The subcommand to run (`brief`, `run`, `mc`, …).
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands, one per question a briefing asks of a model.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Every metric for every month, then the summary
    Run(run::Args),
    /// The briefing: headline figures, main results in words, assumptions and sources
    Brief(brief::Args),
    /// Validate a model and list its assumptions (path, value, unit, source)
    Check(check::Args),
    /// Where the dollars went, from the ledger, with the conservation check
    Trace(trace::Args),
    /// Write a fully commented starter model
    Init(init::Args),
    /// Run the model over values of one or two parameters (a data table)
    Sweep(sweep::Args),
    /// Which parameters move a metric most: each at a low and a high value
    Tornado(tornado::Args),
    /// Goal seek: the value of a parameter at which a metric meets a target
    Solve(solve::Args),
    /// Two models side by side: what changed, which assumptions differ, and why
    Diff(diff::Args),
    /// The chain of steps behind one number, with every assumption it uses
    #[command(override_usage = "dinarflow explain [OPTIONS] [MODEL] <METRIC>")]
    Explain(explain::Args),
    /// Monte Carlo over [uncertainty]: percentiles of each metric and the inputs that drive them
    // The comment is the help text: `[uncertainty]` is the model's section, not a link.
    #[allow(rustdoc::broken_intra_doc_links)]
    Mc(mc::Args),
    /// The report of a Monte Carlo run split with `mc --shard K/N`, from its shard files
    Merge(merge::Args),
    /// Sobol indices: the share of each metric's variance due to each uncertain input
    Sobol(sobol::Args),
    /// Morris screening: which of many uncertain inputs move a metric at all
    Morris(morris::Args),
    /// Estimate parameters from observed series (bounded least squares), with standard errors
    Fit(fit::Args),
    /// Score the model's forecasts after a training window against naive benchmarks
    Backtest(backtest::Args),
    /// The interactive what-if page: a local web server with a control for every parameter
    Serve(serve::Args),
    /// The shell completion script (bash, zsh, fish, elvish, powershell) on standard output
    Completions(completions::Args),
    /// The manual page (roff) on standard output
    Man(man::Args),
}

/// The command line clap parses, with each subcommand's `--format`
/// offering the formats it writes (its help, completions and man page).
pub(crate) fn command() -> clap::Command {
    format_arg::per_subcommand(Cli::command(), formats_of)
}

/// The formats subcommand `name` writes, the lists its run refuses any
/// other by; `None` for a subcommand without `--format`.
fn formats_of(name: &str) -> Option<Vec<Format>> {
    use crate::render::Formats;
    use crate::report;
    Some(match name {
        "run" => report::run::RunReport::FORMATS.to_vec(),
        "brief" => brief::formats(),
        "check" => report::check::CheckReport::FORMATS.to_vec(),
        "trace" => report::trace::Trace::FORMATS.to_vec(),
        "sweep" => report::sweep::SweepReport::FORMATS.to_vec(),
        "tornado" => report::tornado::TornadoReport::FORMATS.to_vec(),
        "solve" => report::solve::SolveReport::FORMATS.to_vec(),
        "diff" => report::diff::DiffReport::FORMATS.to_vec(),
        "explain" => report::explain::ExplainReport::FORMATS.to_vec(),
        "mc" => report::mc_view::McView::FORMATS.to_vec(),
        "merge" => crate::uncertainty_analysis::report::McReport::FORMATS.to_vec(),
        "sobol" => report::sobol::SobolReport::FORMATS.to_vec(),
        "morris" => report::morris::MorrisReport::FORMATS.to_vec(),
        "fit" => report::fit::FitReport::FORMATS.to_vec(),
        "backtest" => backtest::formats(),
        _ => return None,
    })
}

/// Parses `args` and runs the command, writing to `out` and `err`.
pub fn main_with(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), Error> {
    main_on(args, out, Stdout::default(), err)
}

/// The widest `--help` is wrapped to on a wide terminal: lines longer
/// than that are hard to read.
const HELP_WIDTH: usize = 100;

/// What standard output is, as the binary finds it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stdout {
    /// Whether it is a terminal, to which a workbook is not written.
    pub terminal: bool,
    /// The terminal's width in columns, when known: a table of a series
    /// too wide for it comes in blocks that fit.
    pub width: Option<usize>,
}

/// As [`main_with`], where `stdout` says what `out` is.
pub fn main_on(
    args: impl IntoIterator<Item = OsString>,
    out: &mut dyn Write,
    stdout: Stdout,
    err: &mut dyn Write,
) -> Result<(), Error> {
    // Help on a terminal wraps between words at its width (at most 100
    // columns, clap's own cap); piped, each help text stays on its line.
    let help_width = stdout.width.map_or(0, |w| w.clamp(40, HELP_WIDTH));
    let parsed = command()
        .term_width(help_width)
        .try_get_matches_from(args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let mut cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            if e.use_stderr() {
                return Err(Error::Cli(text));
            }
            out.write_all(text.as_bytes()).map_err(output::stdout_error)?;
            return Ok(());
        }
    };
    let files = cli.command.files();
    output::refuse_conflicts(&files)?;
    output::refuse_conflicts(&output::Files {
        inputs: cli.command.scenario_files(),
        inputs_are: "a scenario file",
        outputs: files.outputs.clone(),
    })?;
    output::refuse_unwritable(&files)?;
    if let Some(common) = cli.command.common_mut() {
        if common.out.is_none() {
            common.width = stdout.width;
        }
    }
    if stdout.terminal {
        if let Some((format, None)) = cli.command.output() {
            if let Ok(f) = output::format_for(format, None) {
                output::refuse_binary_on_terminal(f)?;
            }
        }
    }
    match cli.command {
        Command::Run(a) => run::run(a, out, err),
        Command::Brief(a) => brief::run(a, out, err),
        Command::Check(a) => check::run(a, out, err),
        Command::Trace(a) => trace::run(a, out, err),
        Command::Init(a) => init::run(a, out, err),
        Command::Sweep(a) => sweep::run(a, out, err),
        Command::Tornado(a) => tornado::run(a, out, err),
        Command::Solve(a) => solve::run(a, out, err),
        Command::Diff(a) => diff::run(a, out, err),
        Command::Explain(a) => explain::run(a, out, err),
        Command::Mc(a) => mc::run(a, out, err),
        Command::Merge(a) => merge::run(a, out, err),
        Command::Sobol(a) => sobol::run(a, out, err),
        Command::Morris(a) => morris::run(a, out, err),
        Command::Fit(a) => fit::run(a, out, err),
        Command::Backtest(a) => backtest::run(a, out, err),
        Command::Serve(a) => serve::run(a, out, err),
        Command::Completions(a) => completions::run(a, out),
        Command::Man(a) => man::run(a, out),
    }
}

/// The options every model command shares, in `$command`'s arguments,
/// borrowed with `$borrow` (`&` or `&mut`); `None` for the commands
/// without them.
macro_rules! shared_options {
    ($command:expr, $($borrow:tt)+) => {
        Some(match $command {
            Command::Run(a) => $($borrow)+ a.charted.common,
            Command::Trace(a) => $($borrow)+ a.charted.common,
            Command::Fit(a) => $($borrow)+ a.charted.common,
            Command::Backtest(a) => $($borrow)+ a.charted.common,
            Command::Brief(a) => $($borrow)+ a.common,
            Command::Check(a) => $($borrow)+ a.common,
            Command::Solve(a) => $($borrow)+ a.common,
            Command::Explain(a) => $($borrow)+ a.common,
            Command::Sweep(a) => $($borrow)+ a.analysis.charted.common,
            Command::Tornado(a) => $($borrow)+ a.analysis.charted.common,
            Command::Diff(a) => $($borrow)+ a.analysis.charted.common,
            Command::Mc(a) => $($borrow)+ a.analysis.charted.common,
            Command::Sobol(a) => $($borrow)+ a.drawn.analysis.charted.common,
            Command::Morris(a) => $($borrow)+ a.drawn.analysis.charted.common,
            Command::Init(_)
            | Command::Completions(_)
            | Command::Man(_)
            | Command::Serve(_)
            | Command::Merge(_) => return None,
        })
    };
}

impl Command {
    /// The options every model command shares, for the commands that
    /// take them.
    fn common(&self) -> Option<&common::Common> {
        shared_options!(self, &)
    }

    /// As [`Command::common`], to change.
    fn common_mut(&mut self) -> Option<&mut common::Common> {
        shared_options!(self, &mut)
    }

    /// The files this command reads, and what to call them.
    fn inputs(&self) -> (Vec<&Path>, &'static str) {
        let model = "the model file";
        let observed = "the model file or the observed file";
        match self {
            Command::Run(a) => (a.model.and(None), model),
            Command::Brief(a) => (a.model.and(None), model),
            Command::Check(a) => (a.model.and(None), model),
            Command::Trace(a) => (a.model.and(None), model),
            Command::Init(_) | Command::Completions(_) | Command::Man(_) => (Vec::new(), model),
            Command::Sweep(a) => (a.model.and(None), model),
            Command::Tornado(a) => (a.model.and(None), model),
            Command::Solve(a) => (a.model.and(None), model),
            Command::Diff(a) => (a.a.iter().chain(&a.b).map(PathBuf::as_path).collect(), model),
            Command::Explain(a) => (a.model_and_metric().0.into_iter().collect(), model),
            Command::Mc(a) => (a.model.and(None), model),
            Command::Merge(a) => (
                a.files.iter().map(PathBuf::as_path).collect(),
                "one of the shard files",
            ),
            Command::Sobol(a) => (a.drawn.model.and(None), model),
            Command::Morris(a) => (a.drawn.model.and(None), model),
            Command::Fit(a) => (a.compared.files(), observed),
            Command::Backtest(a) => (a.compared.files(), observed),
            Command::Serve(a) => (a.model.and(None), model),
        }
    }

    /// The scenario files this command line layers (`--scenario`, and
    /// `diff`'s `--scenario-a`/`--scenario-b`).
    fn scenario_files(&self) -> Vec<&Path> {
        let mut files: Vec<&Path> = self
            .common()
            .map(|c| c.scenario.iter().map(PathBuf::as_path).collect())
            .unwrap_or_default();
        if let Command::Diff(a) = self {
            files.extend(a.scenario_a.iter().chain(&a.scenario_b).map(PathBuf::as_path));
        }
        files
    }

    /// The files this command line reads and writes, for
    /// [`output::refuse_conflicts`].
    fn files(&self) -> output::Files<'_> {
        let (inputs, inputs_are) = self.inputs();
        let mut outputs: Vec<(&'static str, &Path)> = (self.output().and_then(|(_, out)| out))
            .map(|o| ("--out", o))
            .into_iter()
            .collect();
        match self {
            Command::Mc(a) => outputs.extend(a.draws.as_deref().map(|d| ("--draws", d))),
            Command::Fit(a) => outputs.extend(a.write_model.as_deref().map(|w| ("--write-model", w))),
            _ => {}
        }
        output::Files {
            inputs,
            inputs_are,
            outputs,
        }
    }

    /// The format asked for and the `--out` file of a command that writes
    /// a report to standard output or a file.
    fn output(&self) -> Option<(Option<Format>, Option<&Path>)> {
        match self {
            Command::Merge(a) => Some((a.format, a.out.as_deref())),
            _ => self.common().map(|c| (c.format, c.out.as_deref())),
        }
    }
}

/// Loads the model at `path`, or the built-in default, then runs it on to
/// `--horizon`, layers every `--scenario` and applies every `--set`,
/// saying on `err` what each one did.
pub(crate) fn load_model(
    path: Option<&Path>,
    c: &common::Common,
    err: &mut dyn Write,
) -> Result<Model, Error> {
    load_with(path, c, &c.scenario, &c.set, err)
}

/// As [`load_model`], with the scenario files to layer and the `--set`
/// values to apply given (`diff` gives each side its own).
pub(crate) fn load_with(
    path: Option<&Path>,
    c: &common::Common,
    scenarios: &[PathBuf],
    sets: &[String],
    err: &mut dyn Write,
) -> Result<Model, Error> {
    let sets: Vec<(&'static str, &str)> = sets.iter().map(|s| ("--set", s.as_str())).collect();
    let (model, notes) = load_flagged(path, c, scenarios, &sets, err)?;
    for note in notes {
        writeln!(err, "{note}").map_err(output::stderr_error)?;
    }
    Ok(model)
}

/// [`load_with`] for values given with different options (`diff`'s
/// `--set` and `--set-a`/`--set-b`: each pair is the option and its
/// argument), returning what each did instead of saying it.
pub(crate) fn load_flagged(
    path: Option<&Path>,
    c: &common::Common,
    scenarios: &[PathBuf],
    sets: &[(&'static str, &str)],
    err: &mut dyn Write,
) -> Result<(Model, Vec<crate::model::SetNote>), Error> {
    let mut model = common::load_path(path)?;
    c.horizon.apply(&mut model, err)?;
    c.layer(&mut model, scenarios, err)?;
    let notes = model.apply_flagged_sets(sets)?;
    let texts: Vec<&str> = sets.iter().map(|s| s.1).collect();
    crate::model::refuse_undone(&notes, &texts)?;
    Ok((model, notes))
}

/// For a command that draws from `model`'s `[uncertainty]`: warns of
/// distributions centred away from their base values, then plans the
/// draws; with the metrics to report, `--metric`'s (`given`) or else the
/// first `defaults` of the model's default metrics.
pub(crate) fn plan_draws(
    model: &Model,
    given: &[String],
    defaults: usize,
    err: &mut dyn Write,
) -> Result<(Plan, Vec<MetricRef>), Error> {
    warnings::draws(model, err)?;
    let plan = Plan::new(model)?;
    let all = default_metrics(&model.base);
    let metrics = metrics_or(model, given, all.get(..defaults).unwrap_or(&all))?;
    Ok((plan, metrics))
}

/// Writes each of `lines` to `err` (notes and warnings).
pub(crate) fn say(err: &mut dyn Write, lines: &[String]) -> Result<(), Error> {
    for l in lines {
        writeln!(err, "{l}").map_err(output::stderr_error)?;
    }
    Ok(())
}

/// An overflow while building a report from a run, as the engine reports
/// one: in the model's last month.
pub(crate) fn overflow(model: &Model, e: crate::num::decimal::Overflow) -> Error {
    Error::Engine(crate::sensitivity::overflow(model, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_subcommand_with_a_format_option_declares_its_formats() {
        // Without an entry in formats_of, its help would offer them all.
        for sub in Cli::command().get_subcommands() {
            let has_format = sub.get_arguments().any(|a| a.get_id() == "format");
            assert_eq!(
                formats_of(sub.get_name()).is_some(),
                has_format,
                "{}",
                sub.get_name()
            );
        }
    }

    fn on_terminal(args: &[&str]) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let args = args.iter().map(OsString::from);
        let stdout = Stdout {
            terminal: true,
            width: None,
        };
        main_on(args, &mut out, stdout, &mut err).map(|_| out)
    }

    #[test]
    fn a_workbook_is_not_written_to_a_terminal() {
        let e = on_terminal(&["dinarflow", "run", "fixtures/small.toml", "--format", "xlsx"]).unwrap_err();
        assert!(
            e.to_string().contains("use --out") || e.to_string().contains("--out FILE.xlsx"),
            "{e}"
        );
        assert_eq!(e.exit_code(), 2);
        // Text formats go to a terminal as before.
        assert!(on_terminal(&["dinarflow", "run", "fixtures/small.toml", "--format", "svg"]).is_ok());
    }
}
