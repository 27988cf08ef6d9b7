//! What the training window of a backtest says of each series, and the
//! naive forecasts built from it (`backtest`'s benchmarks: the random
//! walk, the training mean and the premium held), each with the spread
//! the training data allow.
//!
//! A series is a metric observed at one frequency: a year's total (or
//! mean, for a rate; a `YYYY` date) is forecast from the training years
//! of that metric alone, and a month's value (`YYYY-MM`, or a day's
//! quote) from its training months and days alone; a yearly total is
//! some twelve months' worth and is neither a month's last value nor a
//! change from one.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::compare::Matched;
use super::observed::Observation;
use super::scoring::Predictive;
use crate::calendar::YearMonth;
use crate::model::Model;
use crate::render::plural;
use crate::sensitivity::resolve;

/// The fewest degrees of freedom a benchmark's spread is estimated from.
pub const MIN_DOF: usize = 2;

/// A series of training observations: the metric as written, and whether
/// its dates are years (`YYYY`) rather than months or days.
pub(super) type Series<'a> = (&'a str, bool);

/// The series an observation belongs to.
pub(super) fn series_of(row: &Observation) -> Series<'_> {
    (row.metric.trim(), row.year)
}

/// The training window: its facts and spreads per series, and the
/// official rate the premium is held over.
pub(super) struct Training<'a> {
    facts: HashMap<Series<'a>, Facts<'a>>,
    spread: HashMap<Series<'a>, Spread>,
    official: Option<Official>,
}

impl<'a> Training<'a> {
    /// Training facts per series: the last observation (latest month,
    /// then latest line), every value, and each month's last value (of the
    /// metric, and of its ratio to the official rate).
    pub(super) fn of(model: &Model, train: &[&'a Matched]) -> Self {
        let official = official_rates(model);
        let mut facts: HashMap<Series, Facts> = HashMap::new();
        for m in train {
            let key = series_of(&m.row);
            let v = f(m.row.value);
            let e = facts.entry(key).or_insert_with(|| Facts {
                last: &m.row,
                values: Vec::new(),
                monthly: BTreeMap::new(),
                premium: BTreeMap::new(),
            });
            if (m.row.month, m.row.line) >= (e.last.month, e.last.line) {
                e.last = &m.row;
            }
            e.values.push(v);
            let newer = |slot: &(usize, f64)| m.row.line >= slot.0;
            let month = e.monthly.entry(m.row.month).or_insert((m.row.line, v));
            if newer(month) {
                *month = (m.row.line, v);
            }
            if let Some(o) = official.as_ref().and_then(|o| o.at(model, m.row.month)) {
                let month = e.premium.entry(m.row.month).or_insert((m.row.line, v / o));
                if newer(month) {
                    *month = (m.row.line, v / o);
                }
            }
        }
        let spread = facts.iter().map(|(k, t)| (*k, t.spread())).collect();
        Training {
            facts,
            spread,
            official,
        }
    }

    /// The benchmarks' forecasts of `row` (in [`super::backtest::BENCHMARKS`]
    /// order, each where the training data of its series allow): their
    /// values, and as distributions.
    pub(super) fn forecast(
        &self,
        model: &Model,
        row: &Observation,
    ) -> ([Option<f64>; 3], [Option<Predictive>; 3]) {
        let key = series_of(row);
        let t = self.facts.get(&key);
        let sp = self.spread.get(&key);
        let official = self.official.as_ref();
        let rw = t.map(|t| f(t.last.value));
        let mean = t.map(|t| t.values.iter().sum::<f64>() / t.values.len() as f64);
        let premium = (key.0 == "parallel_rate")
            .then(|| {
                let o = t?.last;
                let then = official?.at(model, o.month)?;
                let now = official?.at(model, row.month)?;
                Some(f(o.value) / then * now)
            })
            .flatten();
        let h = |t: &Facts| f64::from(months_between(t.last.month, row.month).max(1)).sqrt();
        let forecasts = [
            rw.map(|x| {
                Predictive::log_normal(x, sp.and_then(|s| s.walk).map_or(0.0, |s| s.0) * t.map_or(1.0, h))
            }),
            mean.map(|x| Predictive::normal(x, sp.and_then(|s| s.sd).map_or(0.0, |s| s.0))),
            premium.map(|x| {
                Predictive::log_normal(
                    x,
                    sp.and_then(|s| s.premium).map_or(0.0, |s| s.0) * t.map_or(1.0, h),
                )
            }),
        ];
        ([rw, mean, premium], forecasts)
    }

    /// How each benchmark's spread was estimated, for each series tested
    /// (in order of name, months before years, once each).
    pub(super) fn spreads<'m>(&self, tested: impl Iterator<Item = Series<'m>>) -> Vec<String> {
        let mut tested: Vec<Series> = tested.collect();
        tested.sort_unstable();
        tested.dedup();
        tested
            .iter()
            .filter_map(|k| Some(self.spread.get(k)?.describe(*k)))
            .collect()
    }
}

/// What the training window says of one metric.
struct Facts<'a> {
    /// The last observation (latest month, then latest line).
    last: &'a Observation,
    /// Every training value.
    values: Vec<f64>,
    /// Each month's last value, with its line.
    monthly: BTreeMap<YearMonth, (usize, f64)>,
    /// Each month's last ratio to the official rate.
    premium: BTreeMap<YearMonth, (usize, f64)>,
}

/// A spread estimate and its degrees of freedom.
type Est = (f64, usize);

/// The benchmarks' spreads for one metric, where the training data allow.
#[derive(Debug, Clone, Copy)]
struct Spread {
    /// σ of the monthly log change (random walk).
    walk: Option<Est>,
    /// σ of the monthly log change of the ratio to the official rate.
    premium: Option<Est>,
    /// sd of the training values.
    sd: Option<Est>,
    /// Training observations.
    n: usize,
}

impl Facts<'_> {
    fn spread(&self) -> Spread {
        let n = self.values.len();
        let sd = (n > MIN_DOF).then(|| {
            let m = self.values.iter().sum::<f64>() / n as f64;
            let ss: f64 = self.values.iter().map(|v| (v - m).powi(2)).sum();
            ((ss / (n - 1) as f64).sqrt(), n - 1)
        });
        Spread {
            walk: log_sigma(&self.monthly),
            premium: log_sigma(&self.premium),
            sd,
            n,
        }
    }
}

impl Spread {
    /// The note on how the benchmarks' spreads were estimated for the
    /// series `(metric, years)`: a yearly series is named so, and its
    /// random walk's σ given a year (√12 times the monthly σ it forecasts with).
    fn describe(&self, (metric, years): Series<'_>) -> String {
        let premium = metric == "parallel_rate";
        let pct = |s: f64| super::compare::decimal(100.0 * s, 2).unwrap_or_default();
        let (per, step, a_year) = if years {
            ("a year", "year-to-year", 12f64.sqrt())
        } else {
            ("a month", "month-to-month", 1.0)
        };
        let walk = match self.walk {
            Some((s, k)) => format!(
                "random walk log-normal, σ {}% {per} (from {})",
                pct(s * a_year),
                plural(k, &format!("{step} log change"))
            ),
            None => {
                format!("random walk a point (fewer than {MIN_DOF} {step} log changes in training)")
            }
        };
        let mean = match self.sd {
            Some((s, dof)) => format!(
                "training mean normal, sd {} (from {} observations)",
                amount(metric, s),
                dof + 1
            ),
            None => format!(
                "training mean a point ({})",
                plural(self.n, "training observation")
            ),
        };
        let held = if premium {
            match self.premium {
                Some((s, k)) => format!(
                    "; premium held log-normal, σ {}% {per} (from {} of its ratio to the official rate)",
                    pct(s * a_year),
                    plural(k, "log change")
                ),
                None => "; premium held a point".into(),
            }
        } else {
            String::new()
        };
        let name = if years {
            format!("{metric} by year")
        } else {
            metric.to_string()
        };
        format!("{name}: {walk}; {mean}{held}")
    }
}

/// A value of `metric` (as an observed file names it) for people: money
/// to the cent, anything else to four places, with thousands separators.
pub(super) fn amount(metric: &str, x: f64) -> String {
    let name = metric.split([':', '@']).next().unwrap_or(metric);
    let unit = crate::engine::metrics::metric_unit(name).unwrap_or("");
    match crate::render::places(unit) {
        2 => crate::render::display(super::compare::decimal(x, 2).unwrap_or_default(), 2),
        _ => crate::render::thousands(super::compare::decimal(x, 4).unwrap_or_default()),
    }
}

/// Months from `a` to `b`.
fn months_between(a: YearMonth, b: YearMonth) -> i32 {
    (b.year - a.year) * 12 + b.month as i32 - a.month as i32
}

/// σ of a random walk without drift in logs, per month, from a series of
/// monthly values: `σ² = (1/K) Σ Δₖ² / gₖ` over its K log changes Δₖ, gₖ
/// months apart; `None` with fewer than [`MIN_DOF`] changes or a value
/// not above 0.
fn log_sigma(series: &BTreeMap<YearMonth, (usize, f64)>) -> Option<Est> {
    if series.values().any(|(_, v)| *v <= 0.0 || !v.is_finite()) {
        return None;
    }
    let points: Vec<(YearMonth, f64)> = series.iter().map(|(m, (_, v))| (*m, *v)).collect();
    let k = points.len().saturating_sub(1);
    if k < MIN_DOF {
        return None;
    }
    let sum: f64 = points
        .windows(2)
        .map(|w| (w[1].1 / w[0].1).ln().powi(2) / f64::from(months_between(w[0].0, w[1].0)))
        .sum();
    Some(((sum / k as f64).sqrt(), k))
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

/// A decimal as a float (NaN if it has none).
pub(super) fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth::new(year, month).unwrap()
    }

    #[test]
    fn sigma_of_a_random_walk_observed_at_irregular_months() {
        // 1,000 in October, 1,100 in December (two months later), 1,000 in
        // January: σ² = (ln²1.1 / 2 + ln²1.1 / 1) / 2 = 0.75 ln²1.1.
        let series: BTreeMap<YearMonth, (usize, f64)> = [
            (ym(2022, 10), (2, 1000.0)),
            (ym(2022, 12), (3, 1100.0)),
            (ym(2023, 1), (4, 1000.0)),
        ]
        .into_iter()
        .collect();
        let (s, k) = log_sigma(&series).unwrap();
        assert_eq!(k, 2);
        assert!((s - 0.75f64.sqrt() * 1.1f64.ln()).abs() < 1e-12, "{s}");
        // One change is too few; a value of 0 has no logarithm.
        let two: BTreeMap<_, _> = series.iter().take(2).map(|(a, b)| (*a, *b)).collect();
        assert_eq!(log_sigma(&two), None);
        let mut zero = series.clone();
        zero.insert(ym(2023, 2), (5, 0.0));
        assert_eq!(log_sigma(&zero), None);
        assert_eq!(months_between(ym(2022, 11), ym(2023, 2)), 3);
    }
}
