//! `dinarflow backtest MODEL --observed FILE [--train-until YYYY-MM]`: the
//! model's forecasts of the observations after the training window,
//! scored beside a random walk, the training mean and the last premium
//! held constant.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::{load_model, output};
use crate::calibration::backtest::{backtest, default_train_until};
use crate::calibration::compare::match_rows;
use crate::calibration::fit::Loss;
use crate::calibration::observed::read_observed;
use crate::calibration::request::{month, rolling_range};
use crate::calibration::rolling::{months, refit_at, rolling};
use crate::error::Error;
use crate::render::Format;
use crate::report::backtest::BacktestReport;
use crate::report::rolling::RollingReport;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    /// The observed series: CSV with date,metric,value[,lo,hi,weight,source]
    #[arg(long, value_name = "FILE")]
    pub observed: PathBuf,
    /// Last month of the training window; the observations after it are the test
    /// [default: the month before the model's timeline]
    #[arg(long, value_name = "YYYY-MM")]
    pub train_until: Option<String>,
    /// Rolling origins: end the training window at each month from FROM to TO in turn
    #[arg(long, value_name = "FROM:TO", conflicts_with = "train_until")]
    pub rolling: Option<String>,
    /// Refit this parameter on each training window before forecasting (repeatable), as `fit --vary` takes it
    #[arg(long, value_name = "PATH[=LO:HI]")]
    pub refit: Vec<String>,
    /// How refits measure errors
    #[arg(long, value_enum, default_value = "pct")]
    pub loss: Loss,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format_in(
        "backtest",
        &[Format::Table, Format::Csv, Format::Json, Format::Md, Format::Xlsx],
    )?;
    let model = load_model(Some(&a.model), &a.common, err)?;
    let observed = read_observed(&a.observed)?;
    let until = match a.train_until.as_deref() {
        Some(t) => month("--train-until", t)?,
        None => default_train_until(&model),
    };
    let matched = match_rows(&model, &observed)?;
    if let Some(range) = &a.rolling {
        let (from, to) = rolling_range(range)?;
        let result = rolling(&model, &matched, &months(from, to), &a.refit, a.loss)?;
        let report = RollingReport {
            model: crate::report::ModelInfo::of(&model),
            observed: observed.file.name.clone(),
            refit: a.refit.clone(),
            rolling: result,
        };
        return output::report(a.common.out.as_deref(), out, &report, format);
    }
    let (model, _) = refit_at(&model, &matched, until, &a.refit, a.loss)?;
    let result = backtest(&model, &matched, until)?;
    let report = BacktestReport {
        model: crate::report::ModelInfo::of(&model),
        observed: observed.file.name.clone(),
        backtest: result,
    };
    output::report(a.common.out.as_deref(), out, &report, format)
}
