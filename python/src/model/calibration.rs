//! Calibration for Python: `fit` to observed series and `backtest`
//! against the rules of thumb (rolling, refitting), with the observed
//! series read from a file or given as CSV text.

use std::sync::Arc;

use dinarflow::calibration::backtest::Draws as BacktestDraws;
use dinarflow::calibration::fit::Loss;
use dinarflow::calibration::observed::{parse_observed, read_observed, Observed};
use dinarflow::calibration::request::{month, run_backtest, BacktestRun, FitSetup};
use dinarflow::report::backtest::BacktestReport;
use dinarflow::report::fit::{fitted_paths, FitReport};
use dinarflow::report::rolling::RollingReport;
use dinarflow::report::ModelInfo;
use dinarflow::Error;
use pyo3::prelude::*;

use super::NativeModel;
use crate::errors::guard_watching;
use crate::report::NativeReport;

/// `--loss NAME` and the observed series it is taken on (a file, or CSV
/// `text` under the name `source`), refused as the command refuses them.
fn observed_with(loss: &str, source: &str, text: Option<&str>) -> Result<(Loss, Observed), Error> {
    let loss = [Loss::Pct, Loss::Log, Loss::Abs]
        .into_iter()
        .find(|l| l.name() == loss)
        .ok_or_else(|| Error::Usage(format!("--loss {loss}: expected pct, log or abs")))?;
    let observed = match text {
        None => read_observed(std::path::Path::new(source))?,
        Some(t) => parse_observed(source, t).map_err(|d| Error::Invalid(Box::new(d)))?,
    };
    observed.check_loss(loss)?;
    Ok((loss, observed))
}

#[pymethods]
impl NativeModel {
    /// `fit`: estimates of the `vary` parameters from observed series (a
    /// file, or CSV `text` under the name `source`); the report and the
    /// `--set` values that reproduce it.
    #[pyo3(signature = (source, text, vary, train_until, loss))]
    fn fit(
        &self,
        py: Python<'_>,
        source: String,
        text: Option<String>,
        vary: Vec<String>,
        train_until: Option<String>,
        loss: String,
    ) -> PyResult<(NativeReport, Vec<String>)> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            let (loss, observed) = observed_with(&loss, &source, text.as_deref())?;
            let until = train_until
                .as_deref()
                .map(|t| month("--train-until", t))
                .transpose()?;
            let setup = FitSetup::new(model, &observed, &vary, until, progress)?;
            let (result, span) = setup.fit(model, loss, progress)?;
            let sets = result.sets.clone();
            // The chart's line, as the command line draws it: one run more.
            let fitted = fitted_paths(model, &result)?;
            let report = FitReport {
                model: ModelInfo::of(model),
                observed: observed.file.name.clone(),
                fit: result,
                span,
                assumed: Vec::new(),
                fitted,
            };
            Ok((NativeReport::new(report, setup.notes), sets))
        })
    }

    /// `backtest`: the model's forecasts after the training window against
    /// naive benchmarks; with `rolling` (FROM, TO), at each origin in turn;
    /// the model's forecast drawn `n` times (seed `seed`) from its
    /// `[uncertainty]` for its bands and CRPS.
    #[pyo3(signature = (source, text, train_until, rolling_origins, refit, loss, n, seed))]
    #[allow(clippy::too_many_arguments)] // one per option of `backtest`
    fn backtest(
        &self,
        py: Python<'_>,
        source: String,
        text: Option<String>,
        train_until: Option<String>,
        rolling_origins: Option<(String, String)>,
        refit: Vec<String>,
        loss: String,
        n: u64,
        seed: u64,
    ) -> PyResult<NativeReport> {
        let model = Arc::clone(&self.model);
        guard_watching(py, move |progress| {
            let model = &model;
            let (loss, observed) = observed_with(&loss, &source, text.as_deref())?;
            let range = rolling_origins.map(|(from, to)| format!("{from}:{to}"));
            let (run, notes) = run_backtest(
                model,
                &observed,
                train_until.as_deref(),
                range.as_deref(),
                &refit,
                loss,
                BacktestDraws { n, seed },
                progress,
            )?;
            Ok(match run {
                BacktestRun::Rolling(result) => NativeReport::new(
                    RollingReport {
                        model: ModelInfo::of(model),
                        observed: observed.file.name.clone(),
                        refit: refit.clone(),
                        rolling: result,
                    },
                    notes,
                ),
                BacktestRun::Single(fitted, result) => NativeReport::new(
                    BacktestReport {
                        model: ModelInfo::of(&fitted),
                        observed: observed.file.name.clone(),
                        backtest: result,
                    },
                    notes,
                ),
            })
        })
    }
}
