//! `dinarflow backtest MODEL --observed FILE [--train-until YYYY-MM]`: the
//! model's forecasts of the observations after the training window,
//! scored beside a random walk, the training mean and the last premium
//! held constant.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::fit::month;
use super::{load_model, output};
use crate::calibration::backtest::{backtest, default_train_until};
use crate::calibration::compare::match_rows;
use crate::calibration::observed::read_observed;
use crate::error::Error;
use crate::render::Format;
use crate::report::backtest::BacktestReport;

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
    let result = backtest(&model, &matched, until)?;
    let report = BacktestReport {
        model: crate::report::ModelInfo::of(&model),
        observed: observed.file.name.clone(),
        backtest: result,
    };
    output::report(a.common.out.as_deref(), out, &report, format)
}
