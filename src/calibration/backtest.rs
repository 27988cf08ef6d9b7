//! `backtest`: the model's forecasts of the observations after a training
//! window, scored against the naive forecasts a forecaster tries first —
//! a random walk from the last training observation, the training mean,
//! and (for the parallel rate) the last training premium over the
//! official rate held constant. A model that does not beat them has no
//! business in a briefing.

use std::collections::HashMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::compare::{combine_all, error_pct, refs_of, Accuracy, Matched};
use super::observed::Observation;
use crate::calendar::YearMonth;
use crate::engine::{self};
use crate::error::Error;
use crate::model::Model;
use crate::sensitivity::{metric_values, overflow, resolve};

/// The naive forecasts, in the order reports list them.
pub const BENCHMARKS: [&str; 3] = ["random walk", "training mean", "premium held"];

/// One test observation and its forecasts.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The observation.
    pub row: Observation,
    /// The model's value.
    pub model: Decimal,
    /// Each benchmark's forecast, where it has one (in [`BENCHMARKS`] order).
    pub benchmarks: [Option<f64>; 3],
}

/// A forecast method's accuracy over the test rows it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// `model` or a benchmark's name.
    pub name: &'static str,
    /// Its accuracy.
    pub accuracy: Accuracy,
}

/// The outcome of a backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// Last month of the training window.
    pub train_until: YearMonth,
    /// Training observations (any month up to `train_until`, also before the timeline).
    pub n_train: usize,
    /// The model's accuracy on the test rows.
    pub test: Accuracy,
    /// Theil's U: the model's RMSE over the random walk's, on the rows both forecast.
    pub theil_u: Option<f64>,
    /// The benchmarks' accuracy, each on the rows it can forecast.
    pub benchmarks: Vec<Score>,
    /// Every test row.
    pub rows: Vec<Row>,
    /// Rows left out, and why.
    pub warnings: Vec<String>,
}

/// The default end of the training window: the month before the timeline.
pub fn default_train_until(model: &Model) -> YearMonth {
    let s = model.timeline.start;
    if s.month == 1 {
        YearMonth {
            year: s.year - 1,
            month: 12,
        }
    } else {
        YearMonth {
            year: s.year,
            month: s.month - 1,
        }
    }
}

/// Backtests `model` on `rows`, training on the months up to `train_until`.
pub fn backtest(model: &Model, rows: &[Matched], train_until: YearMonth) -> Result<Backtest, Error> {
    let (train, test): (Vec<&Matched>, Vec<&Matched>) = rows.iter().partition(|m| m.row.month <= train_until);
    let mut warnings = Vec::new();
    let outside = test.iter().filter(|m| !m.inside()).count();
    if outside > 0 {
        warnings.push(format!(
            "{outside} test observation(s) outside the model's timeline ({} to {}) were left out",
            model.timeline.start,
            model.timeline.end()
        ));
    }
    let test: Vec<Matched> = test.into_iter().filter(|m| m.inside()).cloned().collect();
    if test.is_empty() {
        return Err(Error::Usage(format!(
            "no observations after {train_until} inside the model's timeline ({} to {}) to test on; choose an earlier --train-until",
            model.timeline.start,
            model.timeline.end()
        )));
    }
    let run = engine::run(model)?;
    let (metrics, at) = refs_of(&test);
    let values = metric_values(model, &run, &metrics)?;
    let values = combine_all(&test, &at, &values).map_err(|e| overflow(model, e))?;
    // Training facts per metric as written: the last observation (latest
    // month, then latest line) and the mean.
    let mut last: HashMap<&str, &Observation> = HashMap::new();
    let mut sums: HashMap<&str, (f64, usize)> = HashMap::new();
    for m in &train {
        let key = m.row.metric.trim();
        let e = last.entry(key).or_insert(&m.row);
        if (m.row.month, m.row.line) >= (e.month, e.line) {
            *e = &m.row;
        }
        let s = sums.entry(key).or_insert((0.0, 0));
        s.0 += f(m.row.value);
        s.1 += 1;
    }
    let official = official_rates(model);
    let mut out = Vec::new();
    for (m, v) in test.iter().zip(values) {
        let key = m.row.metric.trim();
        let rw = last.get(key).map(|o| f(o.value));
        let mean = sums.get(key).map(|(s, n)| s / *n as f64);
        let premium = (key == "parallel_rate")
            .then(|| {
                let o = last.get(key)?;
                let then = official.as_ref()?.at(model, o.month)?;
                let now = official.as_ref()?.at(model, m.row.month)?;
                Some(f(o.value) / then * now)
            })
            .flatten();
        out.push(Row {
            row: m.row.clone(),
            model: v,
            benchmarks: [rw, mean, premium],
        });
    }
    let test_acc = Accuracy::of(out.iter().map(|r| (&r.row, f(r.model))));
    let benchmarks: Vec<Score> = BENCHMARKS
        .iter()
        .enumerate()
        .map(|(b, name)| Score {
            name,
            accuracy: Accuracy::of(out.iter().filter_map(|r| Some((&r.row, r.benchmarks[b]?)))),
        })
        .collect();
    let both: Vec<&Row> = out.iter().filter(|r| r.benchmarks[0].is_some()).collect();
    let theil_u = {
        let sq = |g: &dyn Fn(&Row) -> f64| both.iter().map(|r| g(r).powi(2)).sum::<f64>();
        let model_sq = sq(&|r: &Row| error_pct(&r.row, f(r.model)));
        let rw_sq = sq(&|r: &Row| error_pct(&r.row, r.benchmarks[0].unwrap_or(f64::NAN)));
        (!both.is_empty() && rw_sq > 0.0).then(|| (model_sq / rw_sq).sqrt())
    };
    for (b, s) in benchmarks.iter().enumerate() {
        if s.accuracy.n < out.len() {
            let why = match b {
                2 => "it forecasts parallel_rate only, from a training observation of it",
                _ => "it needs a training observation of the same metric",
            };
            warnings.push(format!(
                "{} forecasts {} of the {} test rows: {why}",
                s.name,
                s.accuracy.n,
                out.len()
            ));
        }
    }
    Ok(Backtest {
        train_until,
        n_train: train.len(),
        test: test_acc,
        theil_u,
        benchmarks,
        rows: out,
        warnings,
    })
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// The official rate in force in each month, and before the timeline
/// (the base value).
struct Official {
    base: f64,
    months: Vec<f64>,
}

impl Official {
    fn at(&self, model: &Model, month: YearMonth) -> Option<f64> {
        if month < model.timeline.start {
            return Some(self.base);
        }
        model
            .timeline
            .index_of(month)
            .and_then(|i| self.months.get(i).copied())
    }
}

fn official_rates(model: &Model) -> Option<Official> {
    let id = resolve(model, "auction.official_rate_iqd_per_usd").ok()?;
    Some(Official {
        base: f(model.base.get(id)),
        months: model.schedule().iter().map(|p| f(p.get(id))).collect(),
    })
}
