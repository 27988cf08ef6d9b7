//! `dinarflow backtest MODEL --observed FILE [--train-until YYYY-MM]`: the
//! model's forecasts of the observations after the training window,
//! scored beside a random walk, the training mean and the last premium
//! held constant.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::fit::month;
use super::{load_model, output, say};

/// The most draws a backtest makes per origin.
const MAX_DRAWS: u64 = 100_000;
use crate::calibration::backtest::{backtest, default_train_until, Draws, DEFAULT_DRAWS};
use crate::calibration::compare::match_rows;
use crate::calibration::fit::Loss;
use crate::calibration::free::parse_free;
use crate::calibration::observed::read_observed;
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
    /// Monte Carlo draws of the model's forecast over its [uncertainty], for CRPS and bands (0: a point forecast)
    #[arg(short = 'n', value_name = "N", default_value_t = DEFAULT_DRAWS)]
    pub n: u64,
    /// Seed of the random streams of those draws, as `mc --seed`
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
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
    let draws = Draws { n: a.n, seed: a.seed };
    if a.n > MAX_DRAWS {
        return Err(Error::Usage(format!(
            "-n {}: at most {} draws of the model's forecast (its CRPS and bands settle long before)",
            a.n,
            crate::render::count(MAX_DRAWS)
        )));
    }
    // How default bounds of a refit were chosen, said once.
    for r in &a.refit {
        if let Some(note) = parse_free(&model, r)?.note {
            say(err, &[note])?;
        }
    }
    if !model.uncertainty.is_empty() && a.n > 0 {
        let plan = crate::uncertainty_analysis::Plan::new(&model)?;
        say(err, &plan.notes)?;
    }
    if let Some(range) = &a.rolling {
        let (from, to) = range.split_once(':').ok_or_else(|| {
            Error::Usage(format!(
                "--rolling {range}: expected FROM:TO, e.g. 2022-09:2022-12"
            ))
        })?;
        let (from, to) = (month("--rolling", from)?, month("--rolling", to)?);
        if from > to {
            return Err(Error::Usage(format!("--rolling {range}: FROM is after TO")));
        }
        let result = rolling(&model, &matched, &months(from, to), &a.refit, a.loss, draws)?;
        let report = RollingReport {
            model: crate::report::ModelInfo::of(&model),
            observed: observed.file.name.clone(),
            refit: a.refit.clone(),
            rolling: result,
        };
        return output::report(a.common.out.as_deref(), out, &report, format);
    }
    let (model, _) = refit_at(&model, &matched, until, &a.refit, a.loss)?;
    let result = backtest(&model, &matched, until, draws)?;
    let report = BacktestReport {
        model: crate::report::ModelInfo::of(&model),
        observed: observed.file.name.clone(),
        backtest: result,
    };
    output::report(a.common.out.as_deref(), out, &report, format)
}
