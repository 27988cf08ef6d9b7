//! `dinarflow backtest [MODEL] --observed FILE [--train-until YYYY-MM]`: the
//! model's forecasts of the observations after the training window,
//! scored beside a random walk, the training mean and the last premium
//! held constant.

use super::refusal::Refusal;
use std::io::Write;

use super::common::{Charted, Compared, Progress};
use super::progress::Unit;
use super::{load_model, output, say};
use crate::calibration::backtest::{Draws, DEFAULT_DRAWS};
use crate::calibration::fit::Loss;
use crate::calibration::observed::read_observed;
use crate::calibration::request::{run_backtest, BacktestRun};
use crate::error::Error;
use crate::render::{Format, Formats};
use crate::report::backtest::BacktestReport;
use crate::report::rolling::RollingReport;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub compared: Compared,
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
    #[arg(short = 'n', value_name = "N", default_value_t = DEFAULT_DRAWS, allow_negative_numbers = true, value_parser = super::whole::backtest_draws_value)]
    pub n: u64,
    /// Seed of the random streams of those draws, as `mc --seed`
    #[arg(long, value_name = "S", default_value_t = 1, allow_negative_numbers = true, value_parser = super::whole::u64_value)]
    pub seed: u64,
    #[command(flatten)]
    pub charted: Charted,
    #[command(flatten)]
    pub progress: Progress,
}

/// The formats `backtest` writes: a single window's report's and a
/// rolling one's (`--rolling` refuses those only the former has).
pub(crate) fn formats() -> Vec<Format> {
    output::any_of(&[BacktestReport::FORMATS, RollingReport::FORMATS])
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.charted.format_in("backtest", &formats())?;
    if a.rolling.is_some() && !RollingReport::FORMATS.contains(&format) {
        let names: Vec<&str> = RollingReport::FORMATS.iter().map(|f| f.name()).collect();
        return Err(Refusal::NoRollingOutput {
            format: format.name(),
            writes: names.join(", "),
        }
        .into());
    }
    let model = load_model(a.compared.model.path(), &a.charted.common, err)?;
    let observed = read_observed(&a.compared.observed)?;
    observed.check_loss(a.loss)?;
    let draws = Draws { n: a.n, seed: a.seed };
    let (run, notes) = run_backtest(
        &model,
        &observed,
        a.train_until.as_deref(),
        a.rolling.as_deref(),
        &a.refit,
        a.loss,
        draws,
        &a.progress.bar(Unit::Runs),
    )?;
    say(err, &notes)?;
    match run {
        BacktestRun::Rolling(result) => {
            let report = RollingReport {
                model: crate::report::ModelInfo::of(&model),
                observed: observed.file.name.clone(),
                refit: a.refit.clone(),
                rolling: result,
            };
            a.charted.write(out, &report, format)
        }
        BacktestRun::Single(fitted, result) => {
            let report = BacktestReport {
                model: crate::report::ModelInfo::of(&fitted),
                observed: observed.file.name.clone(),
                backtest: result,
            };
            a.charted.write(out, &report, format)
        }
    }
}
