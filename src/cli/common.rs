//! The options every model command shares (`--horizon`, `--scenario`,
//! `--set`, `--format`, `--out`), defined once and flattened into each
//! subcommand's arguments (`serve` takes `--horizon` alone).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::{self, allowed, format_for, refuse_conflicts, stderr_error, Files};
use crate::error::Error;
use crate::model::Model;
use crate::render::{Format, Report, Size};

#[derive(Debug, clap::Args)]
pub struct Common {
    #[command(flatten)]
    pub horizon: HorizonArg,
    /// Layer a scenario file ([scenario], [set], [[changes]]) on the model, before --set (repeatable, applied in order)
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenario: Vec<PathBuf>,
    /// Replace a parameter for the whole timeline, e.g. auction.rejection_rate=0.5 (repeatable)
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Output format [default: the one --out's extension names (.csv, .json, .md, .svg, .png, .html, .xlsx), else table]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to FILE (atomically) instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
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
        output::emit(common.out.as_deref(), out, |w| {
            crate::render::write_sized(report, format, self.size, w)
        })
    }

    /// `--size` applies to pictures only.
    pub fn check(&self, format: Format) -> Result<(), Error> {
        if self.size.is_some() && !format.is_picture() {
            return Err(Error::Usage(format!(
                "--size is the size of a picture (--format svg or png); {} output has none",
                format.name()
            )));
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
    /// replaced. A scenario file that `--out` would overwrite is refused
    /// before it is read.
    pub fn layer(&self, model: &mut Model, scenarios: &[PathBuf], err: &mut dyn Write) -> Result<(), Error> {
        refuse_conflicts(&Files {
            inputs: scenarios.iter().map(PathBuf::as_path).collect::<Vec<&Path>>(),
            inputs_are: "a scenario file",
            outputs: self.out.as_deref().map(|o| ("--out", o)).into_iter().collect(),
        })?;
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
}
