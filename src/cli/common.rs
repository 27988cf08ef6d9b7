//! The options that travel together between commands, defined once and
//! flattened into each subcommand's arguments: the ones every model
//! command shares (`--horizon`, `--scenario`, `--set`, `--format`,
//! `--out`; `serve` takes `--horizon` alone), `--size` for the commands
//! whose report may be a chart, and `--quiet` for those that show a
//! progress bar; MODEL (a file or the built-in model), with `--metric`
//! for `sobol` and `morris` and with `--observed` for `fit` and
//! `backtest`. A command's file then holds only its own options.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::{self, allowed, format_for, stderr_error};
use super::progress::{Bar, Unit};
use super::{load_model, plan_draws};
use crate::engine::metrics::MetricRef;
use crate::error::Error;
use crate::model::{load_default, load_file, Model};
use crate::render::{Format, Formats, Report, Size};
use crate::uncertainty_analysis::Plan;

/// What opening a command's model gives: the format to write its report
/// in, checked before any work, and the model, loaded and layered.
pub type Opened = Result<(Format, Model), Error>;

#[derive(Debug, clap::Args)]
pub struct Common {
    #[command(flatten)]
    pub horizon: HorizonArg,
    /// Layer a scenario file ([scenario], [set], [[changes]]) on the model, before --set (repeatable, applied in order)
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
    /// Replace a parameter (repeatable): PATH=VALUE for the whole timeline, PATH@YYYY-MM=VALUE for one step of it, PATH@YYYY-MM..=VALUE from that month to the end, 'PATH*=F' to multiply every month's value by F; e.g. auction.rejection_rate@2023-07..=0.4
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format [default: the one --out's extension names (.csv, .json, .md, .svg, .png, .html, .xlsx), else table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The width of the terminal the report goes to, when it goes to one
    /// (set by the binary, not an option): a table of a series too wide
    /// for it comes in blocks.
    #[arg(skip)]
    pub width: Option<usize>,
}

/// `--size WxH`, for the commands that draw.
#[derive(Debug, clap::Args)]
pub struct Picture {
    /// The picture's size in pixels for --format svg or png, e.g. 1280x720 [default: 1280 wide, as tall as the chart needs]
    #[arg(long = "size", value_name = "WxH")]
    pub size: Option<Size>,
}

impl Picture {
    /// Writes `report` as `common` says (`--out`, standard output), a
    /// picture at `--size`; `--size` with a format that is no picture is
    /// refused.
    pub fn report(
        &self,
        common: &Common,
        out: &mut dyn Write,
        report: &dyn Report,
        format: Format,
    ) -> Result<(), Error> {
        self.check(format)?;
        common.write_sized(out, report, format, self.size)
    }

    /// `--size` applies to pictures only.
    pub fn check(&self, format: Format) -> Result<(), Error> {
        if self.size.is_some() && !format.is_picture() {
            return Err(super::refusal::Refusal::SizeOfNoPicture {
                format: format.name(),
            }
            .into());
        }
        Ok(())
    }
}

/// `--horizon YYYY-MM`, applied to the model as loaded, before any
/// `--scenario` and `--set` (so that they may change its added months).
#[derive(Debug, clap::Args)]
pub struct HorizonArg {
    /// Run the model past its last month up to and including YYYY-MM, each added month holding the last month's
    /// inputs (auction sessions from the calendar's weekend, no holidays)
    #[arg(long = "horizon", value_name = "YYYY-MM")]
    pub horizon: Option<String>,
}

impl HorizonArg {
    /// Runs `model` on to the horizon, if one is given, saying so on `err`.
    pub fn apply(&self, model: &mut Model, err: &mut dyn Write) -> Result<(), Error> {
        if let Some(text) = &self.horizon {
            let note = model.apply_horizon(text)?;
            writeln!(err, "{note}").map_err(stderr_error)?;
        }
        Ok(())
    }
}

impl Common {
    /// Layers `scenarios` on `model` in order, saying on `err` what each
    /// replaced. (A scenario file that an output would overwrite was
    /// refused before any work, with the command line's other files.)
    pub fn layer(&self, model: &mut Model, scenarios: &[PathBuf], err: &mut dyn Write) -> Result<(), Error> {
        for path in scenarios {
            for note in model.apply_scenario_file(path)? {
                writeln!(err, "{note}").map_err(stderr_error)?;
            }
        }
        Ok(())
    }

    /// The format to write in: `--format`, or the one `--out` names.
    pub fn format(&self) -> Result<Format, Error> {
        format_for(self.format, self.out.as_deref())
    }

    /// The format to write in, when `command` writes it (one of `formats`).
    pub fn format_in(&self, command: &str, formats: &[Format]) -> Result<Format, Error> {
        allowed(command, self.format()?, formats)
    }

    /// The format to write report `R` in (refused before any work when
    /// `R` has none such), then the model at `path`, loaded and layered.
    pub fn open<R: Formats>(&self, command: &str, path: Option<&Path>, err: &mut dyn Write) -> Opened {
        let format = self.format_in(command, R::FORMATS)?;
        Ok((format, load_model(path, self, err)?))
    }

    /// Writes `report` in `format` to `--out` (atomically) or to `out`.
    pub fn write(&self, out: &mut dyn Write, report: &dyn Report, format: Format) -> Result<(), Error> {
        self.write_sized(out, report, format, None)
    }

    /// As [`Common::write`], a picture at `size`; a table to a terminal
    /// fits its width.
    fn write_sized(
        &self,
        out: &mut dyn Write,
        report: &dyn Report,
        format: Format,
        size: Option<Size>,
    ) -> Result<(), Error> {
        output::emit(self.out.as_deref(), out, |w| {
            crate::render::write_fitted(report, format, size, self.width, w)
        })
    }
}

/// MODEL, the model file a command reads: every command of one model
/// runs the built-in default (the copy of `models/iraq-2023.toml`) when
/// it is omitted.
#[derive(Debug, clap::Args)]
pub struct ModelFile {
    /// The model file (TOML); the built-in models/iraq-2023.toml when omitted
    #[arg(value_name = "MODEL")]
    pub file: Option<PathBuf>,
}

impl ModelFile {
    /// The file named, if any.
    pub fn path(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// The files read: the model file, if one is named, then `more`.
    pub fn and<'a>(&'a self, more: Option<&'a PathBuf>) -> Vec<&'a Path> {
        self.file.iter().chain(more).map(PathBuf::as_path).collect()
    }

    /// The model as the file (or the built-in model) gives it, before
    /// any `--horizon`, `--scenario` or `--set`.
    pub fn load(&self) -> Result<Model, Error> {
        load_path(self.path())
    }
}

/// What `sobol` and `morris` share: MODEL, the metrics to analyse and
/// the options of a command that runs the model many times.
#[derive(Debug, clap::Args)]
pub struct Drawn {
    #[command(flatten)]
    pub model: ModelFile,
    /// A metric to analyse (repeatable); default parallel_rate
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    #[command(flatten)]
    pub analysis: Analysis,
}

impl Drawn {
    /// The format to write report `R` in, the model, the plan of its
    /// draws and the metrics to analyse (see [`plan_draws`]).
    pub fn open<R: Formats>(
        &self,
        command: &str,
        err: &mut dyn Write,
    ) -> Result<(Format, Model, Plan, Vec<MetricRef>), Error> {
        let (format, model) = self.analysis.open::<R>(command, self.model.path(), err)?;
        let (plan, metrics) = plan_draws(&model, &self.metric, 1, err)?;
        Ok((format, model, plan, metrics))
    }
}

/// MODEL and `--observed FILE`: what `fit` and `backtest` compare.
#[derive(Debug, clap::Args)]
pub struct Compared {
    #[command(flatten)]
    pub model: ModelFile,
    /// The observed series: CSV with date,metric,value[,lo,hi,weight,source]
    #[arg(long, value_name = "FILE")]
    pub observed: PathBuf,
}

impl Compared {
    /// The files read: the model file, if one is named, then the observed series.
    pub fn files(&self) -> Vec<&Path> {
        self.model.and(Some(&self.observed))
    }
}

/// The model at `path`, or the built-in default.
pub(crate) fn load_path(path: Option<&Path>) -> Result<Model, Error> {
    match path {
        Some(p) => load_file(p),
        None => load_default(),
    }
}

/// The options of a command whose report may be a chart: the shared
/// ones, then `--size`.
#[derive(Debug, clap::Args)]
pub struct Charted {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub picture: Picture,
}

impl Charted {
    /// The format to write in, when `command` writes it (one of
    /// `formats`); `--size` only with a picture.
    pub fn format_in(&self, command: &str, formats: &[Format]) -> Result<Format, Error> {
        let format = self.common.format_in(command, formats)?;
        self.picture.check(format)?;
        Ok(format)
    }

    /// As [`Common::open`], refusing `--size` without a picture first.
    pub fn open<R: Formats>(&self, command: &str, path: Option<&Path>, err: &mut dyn Write) -> Opened {
        self.format_in(command, R::FORMATS)?;
        self.common.open::<R>(command, path, err)
    }

    /// Writes `report` in `format` to `--out` or `out`, a picture at `--size`.
    pub fn write(&self, out: &mut dyn Write, report: &dyn Report, format: Format) -> Result<(), Error> {
        self.picture.report(&self.common, out, report, format)
    }
}

/// `-q, --quiet`, for the commands that show a progress bar.
#[derive(Debug, clap::Args)]
pub struct Progress {
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

impl Progress {
    /// The bar counting `unit`, unless `--quiet`.
    pub(crate) fn bar(&self, unit: Unit) -> Bar {
        Bar::new(self.quiet, unit)
    }
}

/// The options of a command that runs the model many times: those of a
/// report that may be a chart, then `--quiet`.
#[derive(Debug, clap::Args)]
pub struct Analysis {
    #[command(flatten)]
    pub charted: Charted,
    #[command(flatten)]
    pub progress: Progress,
}

impl Analysis {
    /// The options every model command shares.
    pub fn common(&self) -> &Common {
        &self.charted.common
    }

    /// The format and the model; see [`Charted::open`].
    pub fn open<R: Formats>(&self, command: &str, path: Option<&Path>, err: &mut dyn Write) -> Opened {
        self.charted.open::<R>(command, path, err)
    }

    /// The progress bar counting `unit`, unless `--quiet`.
    pub(crate) fn bar(&self, unit: Unit) -> Bar {
        self.progress.bar(unit)
    }

    /// Writes `report`; see [`Charted::write`].
    pub fn write(&self, out: &mut dyn Write, report: &dyn Report, format: Format) -> Result<(), Error> {
        self.charted.write(out, report, format)
    }
}
