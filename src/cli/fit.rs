//! `dinarflow fit MODEL --observed FILE --vary PATH[=LO:HI]...`: bounded
//! least squares of any parameters (whole timelines, single steps,
//! factors) against observed series; `--write-model` saves the model with
//! the fitted values, each citing the fit.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::{load_model, output, say};
use crate::calibration::fit::Loss;
use crate::calibration::observed::read_observed;
use crate::calibration::request::{month, FitSetup};
use crate::calibration::write_model::write_model;
use crate::error::Error;
use crate::model::ParamId;
use crate::render::Format;
use crate::report::fit::FitReport;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    /// The observed series: CSV with date,metric,value[,lo,hi,weight,source]
    #[arg(long, value_name = "FILE")]
    pub observed: PathBuf,
    /// A parameter to estimate, optionally with bounds: PATH, PATH@YYYY-MM (one step) or PATH* (a factor on
    /// its whole timeline), e.g. parallel_market.baseline_turnover_usd_per_day=100000000:500000000 (repeatable)
    #[arg(long, value_name = "PATH[=LO:HI]", required = true)]
    pub vary: Vec<String>,
    /// Fit only the observations up to this month (the rest are left for `backtest`)
    #[arg(long, value_name = "YYYY-MM")]
    pub train_until: Option<String>,
    /// How errors are measured: percent of the observed value, log ratio, or the metric's units
    #[arg(long, value_enum, default_value = "pct")]
    pub loss: Loss,
    /// Also write the model with the fitted values (each citing the fit) to this file
    #[arg(long, value_name = "OUT.toml")]
    pub write_model: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format_in(
        "fit",
        &[Format::Table, Format::Csv, Format::Json, Format::Md, Format::Xlsx],
    )?;
    let model = load_model(Some(&a.model), &a.common, err)?;
    let observed = read_observed(&a.observed)?;
    let until = a
        .train_until
        .as_deref()
        .map(|t| month("--train-until", t))
        .transpose()?;
    let setup = FitSetup::new(&model, &observed, &a.vary, until)?;
    say(err, &setup.notes)?;
    let (result, span) = setup.fit(&model, a.loss)?;
    if let Some(path) = &a.write_model {
        let mut fitted = model.clone();
        let sets: Vec<&str> = result.sets.iter().map(String::as_str).collect();
        fitted.apply_sets(&sets)?;
        let ids: Vec<ParamId> = setup.free.iter().map(|f| f.target().param()).collect();
        let (first, last) = span.clone().unwrap_or_default();
        let source = format!(
            "dinarflow fit to {} ({first} to {last}, n = {}, RMSE {}%, loss {})",
            observed.file.name,
            result.n,
            result.rmse_pct,
            a.loss.name()
        );
        let text = write_model(&model, &fitted, &ids, &source).map_err(Error::Usage)?;
        output::write_file(path, text.as_bytes())?;
        say(err, &[format!("wrote {} with the fitted values", path.display())])?;
    }
    let report = FitReport {
        model: crate::report::ModelInfo::of(&model),
        observed: observed.file.name.clone(),
        fit: result,
        span,
    };
    output::report(a.common.out.as_deref(), out, &report, format)
}
