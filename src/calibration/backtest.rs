//! `backtest`: the model's forecasts of the observations after a training
//! window, scored against the naive forecasts a forecaster tries first —
//! a random walk from the last training observation, the training mean,
//! and (for the parallel rate) the last training premium over the
//! official rate held constant. A model that does not beat them has no
//! business in a briefing.
//!
//! Each forecast is scored as a point (RMSE %, …) and as a distribution
//! (`scoring`: CRPS % and the coverage of the central 50% and 80% bands):
//!
//! * the model: Monte Carlo over its `[uncertainty]` (`mc`'s draws, seeded,
//!   [`DEFAULT_DRAWS`] unless told), each test row's value in each draw;
//!   a model without `[uncertainty]` forecasts a point;
//! * the random walk: log-normal with its median at the last training
//!   observation and `σ √h`, where h is the months from that observation
//!   to the test month and σ² the mean of `Δ²/g` over the training
//!   series' month-to-month log changes Δ (g months apart; the last
//!   observation of each month), the maximum-likelihood σ of a random walk
//!   without drift observed at irregular months;
//! * premium held: the same, on the ratio of the parallel rate to the
//!   official rate (its σ from that ratio's log changes);
//! * the training mean: normal with the training observations' sd;
//! * any of them a point where the training data leave fewer than
//!   [`MIN_DOF`] degrees of freedom for its spread (two log changes, or
//!   three observations for the mean).
//!
//! Every benchmark forecasts a row from the training rows of its own
//! series (`benchmarks`): a year's total from the training years' totals,
//! a month's value from the training months' values, never one from the
//! other; a row whose series has no training row has no such forecast.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::benchmarks::{f, series_of, Training};
use super::compare::{combine_all, error_pct, refs_of, Accuracy, Matched};
use super::observed::Observation;
use super::refusal::Refusal;
use super::scoring::{Predictive, Scored, Skill, LEVELS};
use crate::calendar::YearMonth;
use crate::engine::kernel::Kernel;
use crate::engine::metrics::Agg;
use crate::engine::{self};
use crate::error::Error;
use crate::model::Model;
use crate::render::plural;
use crate::sensitivity::{metric_values, overflow, Progress};
use crate::uncertainty_analysis::design::{Design, Sampler};
use crate::uncertainty_analysis::mc::{run as run_draws, McError};
use crate::uncertainty_analysis::Plan;

/// Monte Carlo draws of the model's forecast unless told otherwise: enough
/// for the CRPS and the 10th and 90th percentiles to settle to a few
/// tenths of a percent of the spread, in a few milliseconds a row.
pub const DEFAULT_DRAWS: u64 = 1000;

pub use super::benchmarks::MIN_DOF;

/// How the model's predictive distribution is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draws {
    /// Draws (0: the model forecasts a point).
    pub n: u64,
    /// Seed of the random streams, as `mc --seed`.
    pub seed: u64,
}

impl Default for Draws {
    fn default() -> Self {
        Draws {
            n: DEFAULT_DRAWS,
            seed: 1,
        }
    }
}

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
    /// The model's central bands ([`LEVELS`]) from its draws; `None` for a
    /// point forecast.
    pub model_bands: Option<[(f64, f64); 2]>,
    /// The model's forecast scored as a distribution.
    pub model_score: Scored,
    /// Each benchmark's, where it has a forecast.
    pub benchmark_scores: [Option<Scored>; 3],
}

/// The model's own error on a tested metric's training observations: the
/// log-normal error its forecast carries beside the spread of its
/// parameters (see `training_error`).
#[derive(Debug, Clone, PartialEq)]
pub struct OwnError {
    /// The metric as the observations name it.
    pub metric: String,
    /// σ of the error, in log points (0.0362 for 3.62%).
    pub sigma: f64,
    /// Root mean square of `ln(observed / model)` over its training rows.
    pub rms: f64,
    /// Its training rows.
    pub n: usize,
    /// The training rows of every metric that the refit was fitted to.
    pub all: usize,
    /// Parameters refitted to them (0: the model as written).
    pub refitted: usize,
    /// Taken from the model's `[forecast_error]`, the training rows in the
    /// timeline (`n`, 0 or 1) being too few to estimate it from.
    pub written: bool,
}

impl OwnError {
    /// The error of `metric` whose `n` training rows have the sum of
    /// squared log errors `ssr`, among `all` rows that `refitted`
    /// parameters were fitted to: σ = rms × √(all / (all − refitted)), or
    /// the rms itself where nothing was refitted or no degree of freedom
    /// is left to correct it by.
    pub fn of(metric: &str, ssr: f64, n: usize, all: usize, refitted: usize) -> OwnError {
        let rms = (ssr / n as f64).sqrt();
        let sigma = if refitted > 0 && all > refitted {
            rms * (all as f64 / (all - refitted) as f64).sqrt()
        } else {
            rms
        };
        OwnError {
            metric: metric.to_string(),
            sigma,
            rms,
            n,
            all,
            refitted,
            written: false,
        }
    }

    /// The error of `metric` as the model's `[forecast_error]` gives it
    /// (σ `sigma`), where its `n` training rows in the timeline are too
    /// few to estimate one from.
    pub fn written(metric: &str, sigma: f64, n: usize) -> OwnError {
        OwnError {
            metric: metric.to_string(),
            sigma,
            rms: sigma,
            n,
            all: n,
            refitted: 0,
            written: true,
        }
    }

    /// How σ was estimated, for a note.
    pub fn describe(&self) -> String {
        let pct = |s: f64| super::compare::decimal(100.0 * s, 2).unwrap_or_default();
        if self.written {
            return format!(
                "{}: the model's own error log-normal, σ {}% (the model's [forecast_error]: {} in the timeline, too few to estimate it from)",
                self.metric,
                pct(self.sigma),
                plural(self.n, "training observation")
            );
        }
        let rms = format!(
            "root mean square of ln(observed / model) over {}",
            plural(self.n, "training observation")
        );
        let how = match self.refitted {
            0 => rms,
            k if self.all <= k => format!(
                "{rms}; {} refitted to {} {} no degree of freedom to correct it by",
                plural(k, "parameter"),
                plural(self.all, "observation"),
                if k == 1 { "leaves" } else { "leave" }
            ),
            k => format!(
                "{}% the {rms}, × √({}/{}) for the {} refitted to the {}",
                pct(self.rms),
                self.all,
                self.all - k,
                plural(k, "parameter"),
                plural(self.all, "training observation")
            ),
        };
        format!(
            "{}: the model's own error log-normal, σ {}% ({how})",
            self.metric,
            pct(self.sigma)
        )
    }
}

/// A forecast method's accuracy over the test rows it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// `model` or a benchmark's name.
    pub name: &'static str,
    /// Its accuracy.
    pub accuracy: Accuracy,
    /// Its forecasts scored as distributions.
    pub skill: Skill,
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
    /// The model's forecasts scored as distributions.
    pub skill: Skill,
    /// The draws of the model's forecast (0: a point forecast, the model
    /// having no `[uncertainty]` or `-n 0`).
    pub draws: u64,
    /// The seed of those draws.
    pub seed: u64,
    /// How each benchmark's spread was estimated, per metric.
    pub spreads: Vec<String>,
    /// The model's own error on each tested metric's training rows, which
    /// its drawn forecast carries (empty for a point forecast).
    pub own_errors: Vec<OwnError>,
    /// Theil's U: the model's RMSE over the random walk's, on the rows both forecast.
    pub theil_u: Option<f64>,
    /// The benchmarks' accuracy, each on the rows it can forecast.
    pub benchmarks: Vec<Score>,
    /// Every test row.
    pub rows: Vec<Row>,
    /// Rows left out, and why.
    pub warnings: Vec<String>,
    /// What the refit of the model at `train_until` warned of (empty for
    /// the model as written).
    pub refit_warnings: Vec<String>,
    /// For each refitted parameter the training rows could not identify,
    /// that it kept the model's value.
    pub not_refitted: Vec<String>,
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

/// Backtests `model` on `rows`, training on the months up to
/// `train_until`, the model's forecast drawn as `draws` says; `refitted`
/// parameters of `model` were fitted to those training months (0 for a
/// model as written). The draws are counted on `progress`, which may stop
/// them.
pub fn backtest(
    model: &Model,
    rows: &[Matched],
    train_until: YearMonth,
    draws: Draws,
    refitted: usize,
    progress: &dyn Progress,
) -> Result<Backtest, Error> {
    let mut warnings = Vec::new();
    let (train, test) = split(model, rows, train_until, &mut warnings)?;
    let run = engine::run(model)?;
    let (metrics, at) = refs_of(&test);
    let values = metric_values(model, &run, &metrics)?;
    let values = combine_all(&test, &at, &values).map_err(|e| overflow(model, e))?;
    let drawn = model_draws(model, &test, draws, progress)?;
    let error = if drawn.is_some() {
        let mut error = training_error(model, &run, &train, refitted)?;
        too_few_to_estimate(model, &train, &test, &mut error, &mut warnings);
        error
    } else {
        HashMap::new()
    };
    let n_drawn = if drawn.is_some() { draws.n } else { 0 };
    let mut drawn = drawn.map(Vec::into_iter);
    let training = Training::of(model, &train);
    let mut out = Vec::new();
    for (m, v) in test.iter().zip(values) {
        let y = f(m.row.value);
        let (benchmarks, forecasts) = training.forecast(model, &m.row);
        let model_forecast = match drawn.as_mut().and_then(Iterator::next) {
            Some(d) => {
                Predictive::sample_with_error(d, error.get(m.row.metric.trim()).map_or(0.0, |e| e.sigma))
            }
            None => Predictive::Point(f(v)),
        };
        let model_score = Scored::of(&model_forecast, y);
        out.push(Row {
            row: m.row.clone(),
            model: v,
            benchmarks,
            model_bands: bands(&model_forecast),
            model_score,
            benchmark_scores: forecasts.map(|p| p.map(|p| Scored::of(&p, y))),
        });
    }
    warnings.extend(off_band(&out));
    let test_acc = Accuracy::of(out.iter().map(|r| (&r.row, f(r.model))));
    let skill = Skill::of(out.iter().map(|r| &r.model_score));
    let benchmarks = score_benchmarks(&out, &mut warnings);
    let theil_u = theil_u(&out);
    let spreads = training.spreads(out.iter().map(|r| series_of(&r.row)));
    let mut own_errors: Vec<OwnError> = error
        .into_values()
        .filter(|e| out.iter().any(|r| r.row.metric.trim() == e.metric))
        .collect();
    own_errors.sort_by(|a, b| a.metric.cmp(&b.metric));
    Ok(Backtest {
        train_until,
        n_train: train.len(),
        test: test_acc,
        skill,
        draws: n_drawn,
        seed: draws.seed,
        spreads,
        own_errors,
        theil_u,
        benchmarks,
        rows: out,
        warnings,
        refit_warnings: Vec::new(),
        not_refitted: Vec::new(),
    })
}

/// The training rows (up to `train_until`, also before the timeline) and
/// the test rows in the timeline; a warning for test rows outside it, and
/// a refusal when none is left.
fn split<'a>(
    model: &Model,
    rows: &'a [Matched],
    train_until: YearMonth,
    warnings: &mut Vec<String>,
) -> Result<(Vec<&'a Matched>, Vec<Matched>), Error> {
    let (train, test): (Vec<&Matched>, Vec<&Matched>) = rows.iter().partition(|m| m.row.month <= train_until);
    let outside = test.iter().filter(|m| !m.inside()).count();
    if outside > 0 {
        warnings.push(format!(
            "{} outside the model's timeline ({} to {}) {} left out",
            plural(outside, "test observation"),
            model.timeline.start,
            model.timeline.end(),
            if outside == 1 { "was" } else { "were" }
        ));
    }
    let test: Vec<Matched> = test.into_iter().filter(|m| m.inside()).cloned().collect();
    if test.is_empty() {
        return Err(Refusal::NothingToTest {
            until: train_until,
            start: model.timeline.start,
            end: model.timeline.end(),
        }
        .into());
    }
    Ok((train, test))
}

/// The model forecast's central bands ([`LEVELS`]); draws that do not
/// move a row are a point too, without bands.
fn bands(forecast: &Predictive) -> Option<[(f64, f64); 2]> {
    match (forecast.band(LEVELS[0]), forecast.band(LEVELS[1])) {
        (Some(a), Some(b)) => Some([a, b]),
        _ => None,
    }
}

/// How the warning of `off_band` begins.
pub const OFF_BAND: &str = "the model's forecast lies outside its own 80% band";

/// A warning when the model as written forecasts a row outside its own
/// 80% band: the reader would take the band for a spread around the
/// forecast, and it is not one.
fn off_band(out: &[Row]) -> Option<String> {
    let off: Vec<String> = out
        .iter()
        .filter_map(|r| {
            let [_, (lo, hi)] = r.model_bands?;
            let x = f(r.model);
            let d = |v: f64| crate::render::display(super::compare::decimal(v, 2).unwrap_or_default(), 2);
            (!(lo..=hi).contains(&x)).then(|| {
                format!(
                    "{} {} {} against {} to {}",
                    r.row.date,
                    r.row.metric.trim(),
                    d(x),
                    d(lo),
                    d(hi)
                )
            })
        })
        .collect();
    (!off.is_empty()).then(|| {
        format!(
            "{OFF_BAND} in {} of the {} test rows ({}): its draws are not centred on it, as when a drawn parameter's value sits at or near a bound of its range (a draw outside the range is drawn again, so it falls on one side of the value only)",
            off.len(),
            out.len(),
            off.join("; ")
        )
    })
}

/// Each benchmark scored on the test rows it can forecast; a warning for
/// each that cannot forecast them all.
fn score_benchmarks(out: &[Row], warnings: &mut Vec<String>) -> Vec<Score> {
    let benchmarks: Vec<Score> = BENCHMARKS
        .iter()
        .enumerate()
        .map(|(b, name)| Score {
            name,
            accuracy: Accuracy::of(out.iter().filter_map(|r| Some((&r.row, r.benchmarks[b]?)))),
            skill: Skill::of(out.iter().filter_map(|r| r.benchmark_scores[b].as_ref())),
        })
        .collect();
    for (b, s) in benchmarks.iter().enumerate() {
        if s.accuracy.n < out.len() {
            let why = match b {
                2 => "it forecasts parallel_rate only, from a training observation of it at the same frequency",
                _ => "it needs a training observation of the same metric and frequency (a year's total from training years, a month's value from training months or days)",
            };
            warnings.push(format!(
                "{} forecasts {} of the {} test rows: {why}",
                s.name,
                s.accuracy.n,
                out.len()
            ));
        }
    }
    benchmarks
}

/// Theil's U: the model's RMSE over the random walk's, on the rows both
/// forecast.
fn theil_u(out: &[Row]) -> Option<f64> {
    let both: Vec<&Row> = out.iter().filter(|r| r.benchmarks[0].is_some()).collect();
    let sq = |g: &dyn Fn(&Row) -> f64| both.iter().map(|r| g(r).powi(2)).sum::<f64>();
    let model_sq = sq(&|r: &Row| error_pct(&r.row, f(r.model)));
    let rw_sq = sq(&|r: &Row| error_pct(&r.row, r.benchmarks[0].unwrap_or(f64::NAN)));
    (!both.is_empty() && rw_sq > 0.0).then(|| (model_sq / rw_sq).sqrt())
}

/// The model's own error on the training observations in its timeline, per
/// metric with at least two such rows: the root mean square of
/// `ln(observed / model)`. A quote is one day's price and the model a
/// month's mean, so even the right parameters leave this much; the
/// model's forecast adds it to the spread of its parameters. Where
/// `refitted` parameters were fitted to these rows, they fit them closer
/// than they will fit new ones, so the mean square is taken over the
/// degrees of freedom left, `N − k` of the N rows (every metric's, as the
/// fit counted them) instead of N: `σ² = (SSRₘ / nₘ) · N / (N − k)`, the
/// residual variance the fit's standard errors rest on.
fn training_error(
    model: &Model,
    run: &engine::Run,
    train: &[&Matched],
    refitted: usize,
) -> Result<HashMap<String, OwnError>, Error> {
    let inside: Vec<Matched> = train
        .iter()
        .filter(|m| m.inside())
        .map(|m| (*m).clone())
        .collect();
    let (metrics, at) = refs_of(&inside);
    let values = metric_values(model, run, &metrics)?;
    let values = combine_all(&inside, &at, &values).map_err(|e| overflow(model, e))?;
    let mut sums: HashMap<&str, (f64, usize)> = HashMap::new();
    for (m, v) in inside.iter().zip(values) {
        let (y, x) = (f(m.row.value), f(v));
        if y > 0.0 && x > 0.0 {
            let e = sums.entry(m.row.metric.trim()).or_insert((0.0, 0));
            e.0 += (y / x).ln().powi(2);
            e.1 += 1;
        }
    }
    // Every training row in the timeline, as the refit counted them.
    let all = inside.len();
    Ok(sums
        .into_iter()
        .filter(|(_, (_, n))| *n >= 2)
        .map(|(k, (ssr, n))| (k.to_string(), OwnError::of(k, ssr, n, all, refitted)))
        .collect())
}

/// Each tested metric whose training rows in the timeline are too few
/// (under 2) to estimate the model's own error from: the model's
/// `[forecast_error]` for it, if it has one, or a warning that its bands
/// are the spread of the parameters alone, too narrow for a quote. (The
/// default model starts in November 2022, so a backtest trained up to
/// October 2022 has no quote in its timeline; without this, its 80% band
/// held 6 of the 9 quotes and nothing said why.)
fn too_few_to_estimate(
    model: &Model,
    train: &[&Matched],
    test: &[Matched],
    error: &mut HashMap<String, OwnError>,
    warnings: &mut Vec<String>,
) {
    let mut metrics: Vec<&str> = test.iter().map(|m| m.row.metric.trim()).collect();
    metrics.sort_unstable();
    metrics.dedup();
    for metric in metrics {
        if error.contains_key(metric) {
            continue;
        }
        let n = train
            .iter()
            .filter(|m| m.inside() && m.row.metric.trim() == metric)
            .count();
        if n >= 2 {
            // Enough rows, none of them positive: no log-normal error.
            continue;
        }
        // A quoted rate (or the premium computed from one) may have a
        // [forecast_error]; another metric cannot.
        let quoted =
            crate::model::FORECAST_ERROR_METRICS.contains(&metric) || metric == crate::model::DERIVED_PREMIUM;
        match model.quote_error_of(metric) {
            Some(e) => {
                let sigma = rust_decimal::prelude::ToPrimitive::to_f64(&e.sigma).unwrap_or(0.0);
                error.insert(metric.to_string(), OwnError::written(metric, sigma, n));
            }
            None => warnings.push(format!(
                "{metric}: {} in the timeline, too few to estimate the model's own error from{}: its bands are the spread of its [uncertainty] alone, narrower than a reading's",
                plural(n, "training observation"),
                if quoted { ", and the model has no [forecast_error] for it" } else { "" }
            )),
        }
    }
}

/// The model's forecast of each test row in each of `draws` Monte Carlo
/// draws of its `[uncertainty]` (the same draws as `mc` with that seed);
/// `None` without `[uncertainty]` or draws. The draws (and their
/// arranging) are counted on `progress`, which may stop them.
fn model_draws(
    model: &Model,
    test: &[Matched],
    draws: Draws,
    progress: &dyn Progress,
) -> Result<Option<Vec<Vec<f64>>>, Error> {
    if model.uncertainty.is_empty() || draws.n == 0 {
        return Ok(None);
    }
    let plan = Plan::new(model)?;
    let design = Design::watching(&plan, draws.seed, Sampler::Random, draws.n, progress)
        .map_err(|e| plan.draw_error(e))?;
    let (metrics, at) = refs_of(test);
    let kernel = Kernel::with_targets(model, &plan.targets(), &metrics);
    let (samples, _) =
        run_draws(&design, &kernel, 0..draws.n, &[], None, true, progress).map_err(|e| match e {
            McError::Draw(f) => plan.draw_error(f),
            McError::Engine { error, .. } => Error::Engine(error),
            McError::Io(e) => Refusal::DrawsNotKept(e.to_string()).into(),
        })?;
    let cols = &samples.metrics;
    Ok(Some(
        test.iter()
            .zip(&at)
            .map(|(m, r)| {
                (0..draws.n as usize)
                    .map(|d| {
                        let xs: Vec<f64> = r.clone().map(|q| cols[q][d]).collect();
                        combine_f64(m.agg, &xs)
                    })
                    .collect()
            })
            .collect(),
    ))
}

/// A row's number from its months' values, as `Matched::combine` does in
/// decimals (a year's total or mean).
fn combine_f64(agg: Agg, xs: &[f64]) -> f64 {
    match xs {
        [one] => *one,
        _ => match agg {
            Agg::Sum => xs.iter().sum(),
            Agg::Mean => xs.iter().sum::<f64>() / xs.len().max(1) as f64,
            Agg::Min => xs.iter().copied().fold(f64::INFINITY, f64::min),
            Agg::Max => xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Agg::First => xs.first().copied().unwrap_or(f64::NAN),
            Agg::Last => xs.last().copied().unwrap_or(f64::NAN),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_own_error_counts_the_degrees_of_freedom_a_refit_used() {
        // Log errors 0.02, -0.02, 0.04 and 0: SSR 0.0024 over 4 rows, rms
        // √0.0006 = 0.0244949. Two parameters refitted to 6 rows (these 4
        // and 2 of another metric): σ² = 0.0006 × 6/4 = 0.0009, σ 0.03.
        let e = OwnError::of("parallel_rate", 0.0024, 4, 6, 2);
        assert!((e.rms - 0.0006f64.sqrt()).abs() < 1e-15);
        assert!((e.sigma - 0.03).abs() < 1e-15);
        assert_eq!(
            e.describe(),
            "parallel_rate: the model's own error log-normal, σ 3% (2.45% the root mean square of ln(observed / model) over 4 training observations, × √(6/4) for the 2 parameters refitted to the 6 training observations)"
        );
        // Nothing refitted: the rms itself.
        let e = OwnError::of("parallel_rate", 0.0024, 4, 6, 0);
        assert_eq!(e.sigma, e.rms);
        assert_eq!(
            e.describe(),
            "parallel_rate: the model's own error log-normal, σ 2.45% (root mean square of ln(observed / model) over 4 training observations)"
        );
        // As many parameters as rows: no degree of freedom to correct by.
        let e = OwnError::of("cpi_yoy_pct", 0.0024, 4, 4, 4);
        assert_eq!(e.sigma, e.rms);
        assert!(e.describe().ends_with(
            "4 parameters refitted to 4 observations leave no degree of freedom to correct it by)"
        ));
    }

    /// A test row of `parallel_rate` on `date`, forecast `model` with the
    /// 80% band `lo..=hi`.
    fn forecast(date: &str, model: i64, (lo, hi): (f64, f64)) -> Row {
        let month: crate::calendar::YearMonth = date[..7].parse().unwrap();
        Row {
            row: Observation {
                line: 2,
                date: date.to_string(),
                month,
                year: false,
                metric: "parallel_rate".to_string(),
                metric_span: 0..13,
                value: Decimal::from(1530),
                lo: None,
                hi: None,
                weight: Decimal::ONE,
                source: None,
            },
            model: Decimal::from(model),
            benchmarks: [None; 3],
            model_bands: Some([(lo + 20.0, hi - 20.0), (lo, hi)]),
            model_score: Scored {
                crps_pct: 1.0,
                inside: [None; 2],
            },
            benchmark_scores: [None; 3],
        }
    }

    #[test]
    fn a_forecast_outside_its_own_band_is_named_and_only_that_one() {
        // August's forecast 1,566 above its band 1,380.39 to 1,534.59 (draws
        // of a parameter near a bound fall on one side of it); May's 1,500
        // inside 1,400 to 1,600; a forecast on a band's end is inside.
        let rows = [
            forecast("2023-05-17", 1500, (1400.0, 1600.0)),
            forecast("2023-08-14", 1566, (1380.39, 1534.59)),
            forecast("2023-09-01", 1600, (1400.0, 1600.0)),
        ];
        assert_eq!(
            off_band(&rows).unwrap(),
            format!(
                "{OFF_BAND} in 1 of the 3 test rows (2023-08-14 parallel_rate 1,566.00 against 1,380.39 to 1,534.59): its draws are not centred on it, as when a drawn parameter's value sits at or near a bound of its range (a draw outside the range is drawn again, so it falls on one side of the value only)"
            )
        );
        assert_eq!(off_band(&rows[..1]), None);
        // A point forecast has no band to lie outside.
        let mut point = forecast("2023-08-14", 1566, (0.0, 0.0));
        point.model_bands = None;
        assert_eq!(off_band(&[point]), None);
    }

    #[test]
    fn a_year_s_draws_combine_as_its_observation_does() {
        let xs = [1.0, 4.0, 2.0];
        assert_eq!(combine_f64(Agg::Sum, &xs), 7.0);
        assert!((combine_f64(Agg::Mean, &xs) - 7.0 / 3.0).abs() < 1e-15);
        assert_eq!(combine_f64(Agg::Min, &xs), 1.0);
        assert_eq!(combine_f64(Agg::Max, &xs), 4.0);
        assert_eq!(combine_f64(Agg::First, &xs), 1.0);
        assert_eq!(combine_f64(Agg::Last, &xs), 2.0);
        assert_eq!(combine_f64(Agg::Sum, &[5.0]), 5.0);
    }
}
