//! Observations against a model: which number of a run each observed row
//! is compared with, and how far apart they are. `fit` minimises these
//! errors, `backtest` summarises them; both use the same definitions:
//!
//! * the error of a row is `100 × (model − target) / target`, where the
//!   target is the observed value, or the nearest end of its `lo..=hi`
//!   range (zero error inside it);
//! * RMSE % is the root of the mean squared error, MAE % the mean absolute
//!   error, bias % the mean error (positive: the model is too high).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::observed::{Observation, Observed};
use crate::calendar::YearMonth;
use crate::diagnostic::Problem;
use crate::engine::metrics::{Agg, MetricRef};
use crate::error::Error;
use crate::model::Model;
use crate::num::binary::f64_to_decimal;
use crate::num::decimal::Overflow;
use crate::sensitivity::metric_name;

/// An observed row the model can be compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    /// The row.
    pub row: Observation,
    /// The numbers of a run it is compared with: the metric in the row's
    /// month; the months of its year (a `YYYY` date); or, written
    /// `NAME:AGG`, one summary over the timeline. Empty when the row lies
    /// outside the model's timeline.
    pub refs: Vec<MetricRef>,
    /// How `refs` combine into one number (a year's total or mean).
    pub agg: Agg,
}

impl Matched {
    /// Whether the model computes this row's number.
    pub fn inside(&self) -> bool {
        !self.refs.is_empty()
    }

    /// The row's number from the values of its `refs`, in order.
    pub fn combine(&self, values: &[Decimal]) -> Result<Decimal, Overflow> {
        match values {
            [one] => Ok(*one),
            many => self.agg.apply(many),
        }
    }

    /// The metric's name, without month or aggregate.
    pub fn name(&self, model: &Model) -> String {
        self.refs
            .first()
            .map(|r| metric_name(model, &MetricRef { month: None, ..*r }))
            .unwrap_or_else(|| self.row.metric.clone())
    }
}

/// The numbers of a run every row needs, in order, and where each row's start.
pub fn refs_of(rows: &[Matched]) -> (Vec<MetricRef>, Vec<std::ops::Range<usize>>) {
    let mut all = Vec::new();
    let mut at = Vec::new();
    for m in rows {
        let start = all.len();
        all.extend(m.refs.iter().copied());
        at.push(start..all.len());
    }
    (all, at)
}

/// Each row's number from the values of [`refs_of`]'s list.
pub fn combine_all(
    rows: &[Matched],
    at: &[std::ops::Range<usize>],
    values: &[Decimal],
) -> Result<Vec<Decimal>, Overflow> {
    rows.iter()
        .zip(at)
        .map(|(m, r)| m.combine(&values[r.clone()]))
        .collect()
}

/// Resolves every row's metric against `model`. Rows outside the timeline
/// (or a year only partly inside it) keep no refs (a benchmark may still
/// use them); an unknown metric is a located error in the observed file.
pub fn match_rows(model: &Model, observed: &Observed) -> Result<Vec<Matched>, Error> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for row in &observed.rows {
        let text = row.metric.trim();
        if text.contains('@') {
            problems.push(
                Problem::new(
                    Some(row.metric_span.clone()),
                    "metric",
                    format!("`{text}` names a month"),
                )
                .allowed("a metric without @YYYY-MM: the date column gives the month"),
            );
            continue;
        }
        let parsed = MetricRef::parse(text, &model.base, &model.timeline);
        let m = match parsed {
            Ok(m) => m,
            Err(e) => {
                problems.push(
                    Problem::new(Some(row.metric_span.clone()), "metric", e)
                        .allowed("a metric of `dinarflow run`, optionally NAME:AGG"),
                );
                continue;
            }
        };
        let months: Vec<YearMonth> = if row.year {
            (1..=12)
                .filter_map(|k| YearMonth::new(row.month.year, k))
                .collect()
        } else {
            vec![row.month]
        };
        let inside = months.iter().all(|ym| model.timeline.index_of(*ym).is_some());
        let refs = if !inside {
            Vec::new()
        } else if text.contains(':') && !row.year {
            vec![m]
        } else {
            months
                .iter()
                .map(|&ym| MetricRef { month: Some(ym), ..m })
                .collect()
        };
        out.push(Matched {
            row: row.clone(),
            refs,
            agg: m.agg,
        });
    }
    if !problems.is_empty() {
        return Err(observed.error(problems));
    }
    Ok(out)
}

/// The value a row's error is measured from: the observed value, or the
/// nearest end of its range when `model` lies outside it, or `model`
/// itself inside the range.
pub fn target(row: &Observation, model: f64) -> f64 {
    let f = |d: Decimal| d.to_f64().unwrap_or(f64::NAN);
    if row.lo.is_none() && row.hi.is_none() {
        return f(row.value);
    }
    match (row.lo.map(f), row.hi.map(f)) {
        (Some(lo), _) if model < lo => lo,
        (_, Some(hi)) if model > hi => hi,
        _ => model,
    }
}

/// `100 × (model − target) / |target|` for a row (zero inside its range).
pub fn error_pct(row: &Observation, model: f64) -> f64 {
    let t = target(row, model);
    if t == model {
        return 0.0;
    }
    100.0 * (model - t) / t.abs()
}

/// Accuracy of a set of forecasts, in percent of the observed values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accuracy {
    /// Rows scored.
    pub n: usize,
    /// Root mean squared error, %.
    pub rmse_pct: f64,
    /// Mean absolute error, %.
    pub mae_pct: f64,
    /// Mean error, % (positive: forecasts too high).
    pub bias_pct: f64,
    /// Mean absolute error against the observed value itself (ranges
    /// ignored), %: the classic MAPE.
    pub mape_pct: f64,
}

impl Accuracy {
    /// Scores `(row, forecast)` pairs.
    pub fn of<'a>(pairs: impl IntoIterator<Item = (&'a Observation, f64)>) -> Accuracy {
        let (mut n, mut sq, mut abs, mut sum, mut ape) = (0usize, 0.0, 0.0, 0.0, 0.0);
        for (row, forecast) in pairs {
            let e = error_pct(row, forecast);
            let v = row.value.to_f64().unwrap_or(f64::NAN);
            n += 1;
            sq += e * e;
            abs += e.abs();
            sum += e;
            ape += (100.0 * (forecast - v) / v.abs()).abs();
        }
        let k = n.max(1) as f64;
        Accuracy {
            n,
            rmse_pct: (sq / k).sqrt(),
            mae_pct: abs / k,
            bias_pct: sum / k,
            mape_pct: ape / k,
        }
    }
}

/// A statistic as a decimal rounded half to even to `dp` places, trailing
/// zeros dropped (the project's `f64_to_decimal`, normalised for reports).
pub fn decimal(x: f64, dp: u32) -> Option<Decimal> {
    f64_to_decimal(x, dp).map(|d| d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: i64, lo: Option<i64>, hi: Option<i64>) -> Observation {
        Observation {
            line: 2,
            date: "2023-01".into(),
            month: YearMonth::new(2023, 1).unwrap(),
            year: false,
            metric: "parallel_rate".into(),
            metric_span: 0..0,
            value: Decimal::from(value),
            lo: lo.map(Decimal::from),
            hi: hi.map(Decimal::from),
            weight: Decimal::ONE,
            source: None,
        }
    }

    #[test]
    fn errors_are_percent_of_the_target_and_zero_inside_a_range() {
        // 1650 against 1500: 100 × 150 / 1500 = 10%.
        assert!((error_pct(&row(1500, None, None), 1650.0) - 10.0).abs() < 1e-12);
        // Inside 1570..=1600: no error; 1640 is 40 above 1600 = 2.5%.
        let r = row(1585, Some(1570), Some(1600));
        assert_eq!(error_pct(&r, 1590.0), 0.0);
        assert!((error_pct(&r, 1640.0) - 2.5).abs() < 1e-12);
        // 1,491.5 is 78.5 below 1570: −5%.
        assert!((error_pct(&r, 1491.5) + 5.0).abs() < 1e-12);
    }

    #[test]
    fn accuracy_by_hand() {
        // Errors +10% and −20%: RMSE √((100 + 400) / 2) = 15.8114; MAE 15; bias −5.
        let a = row(100, None, None);
        let b = row(200, None, None);
        let acc = Accuracy::of([(&a, 110.0), (&b, 160.0)]);
        assert_eq!(acc.n, 2);
        assert!((acc.rmse_pct - 250f64.sqrt()).abs() < 1e-12);
        assert!((acc.mae_pct - 15.0).abs() < 1e-12);
        assert!((acc.bias_pct + 5.0).abs() < 1e-12);
        assert!((acc.mape_pct - 15.0).abs() < 1e-12);
    }
}
