//! The Monte Carlo report of `mc` and `merge`: per metric its mean, sd,
//! standard error, percentiles, min and max; each uncertain input's
//! Spearman rank correlation with each metric (what drives the range);
//! with `--until`, which statistics converged; and a sentence per metric.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{stat_places, Stat};
use crate::engine::metrics::Agg;
use crate::num::binary::f64_to_decimal;
use crate::render::{count, counted, for_people};
use crate::render::{places, Cell, Document, Pairs, Report, Table};
use crate::uncertainty_analysis::mc::Convergence;
use crate::uncertainty_analysis::report::{McReport, MetricStats};
use crate::uncertainty_analysis::stats::{Summary, PERCENTILES};

/// The statistics of a metric as `(name, value, is a spread)`, in report
/// order. The sample sd and its standard error need two draws: from one
/// they are `None` (shown "–", empty in CSV, null in JSON), not 0, which
/// would read as "no spread".
fn rows(s: &Summary) -> Vec<(&'static str, Option<f64>, bool)> {
    let spread = |x: f64| (s.n >= 2).then_some(x);
    let mut v = vec![
        ("mean", Some(s.mean), false),
        ("sd", spread(s.sd), true),
        ("se", spread(s.se), true),
    ];
    for (i, (name, _)) in PERCENTILES.iter().enumerate() {
        v.push((name, Some(s.percentiles[i]), false));
    }
    v.push(("min", Some(s.min), false));
    v.push(("max", Some(s.max), false));
    v
}

/// A statistic's table cell at `dp` places; one too large for an exact
/// decimal at those places (past 7.9e28 units) in scientific notation
/// (`5.0000e26`), never a rounded 0.
fn stat_cell(v: f64, dp: u32) -> Cell {
    match f64_to_decimal(v, dp) {
        Some(d) => Cell::fixed(d, dp),
        None if v.is_finite() => Cell::Text(scientific(v)),
        None => Cell::from("–"),
    }
}

/// `v` to five significant figures in scientific notation: `5.0000e26`.
fn scientific(v: f64) -> String {
    format!("{v:.4e}")
}

/// Whether a statistic of `dp` places is shown in scientific notation.
fn too_large(v: f64, dp: u32) -> bool {
    v.is_finite() && f64_to_decimal(v, dp).is_none()
}

/// `v` rounded for people in `unit` (`$191.86 bn`); one too large for an
/// exact decimal in scientific notation with its unit (`$5.0000e26`).
fn people(v: f64, unit: &str) -> String {
    match f64_to_decimal(v, places(unit)) {
        Some(d) => for_people(d, unit),
        None => match unit {
            "USD" => format!("${}", scientific(v)),
            "IQD/USD" => format!("{} IQD per $", scientific(v)),
            "%" => format!("{}%", scientific(v)),
            "" => scientific(v),
            other => format!("{} {other}", scientific(v)),
        },
    }
}

fn label(k: &str) -> String {
    match k {
        "mean" | "sd" | "se" | "min" | "max" => k.to_string(),
        _ => k.to_uppercase(),
    }
}

/// `min` places, or, for a value so small that they would round it to 0,
/// enough for three significant figures (so that a tiny half-width does
/// not read as 0).
fn places_for(v: f64, min: u32) -> u32 {
    if v == 0.0 || !v.is_finite() || v.abs() >= 0.5 * 10f64.powi(-(min as i32)) {
        return min;
    }
    (2 - v.abs().log10().floor() as i32).clamp(min as i32, 18) as u32
}

/// A relative half-width for CSV and JSON: six places, or more for one
/// that small.
fn fraction(v: f64) -> Stat {
    Stat::new(v, places_for(v, 6))
}

/// A relative half-width as a percentage cell; "–" when it is undefined
/// (too few draws for the interval, or an estimate of 0).
fn relative_cell(r: f64) -> Cell {
    if !r.is_finite() {
        return Cell::from("–");
    }
    let s = Stat::new(100.0 * r, places_for(100.0 * r, 3));
    s.decimal()
        .map_or_else(|| Cell::Text(format!("{}%", s.plain())), Cell::Percent)
}

/// A tolerance as a percentage, as the table's target column shows every
/// one whichever way it was written (`0.005` and `0.5%` → `0.5%`, `1e-9`
/// → `0.0000001%`).
fn tolerance_text(t: f64) -> String {
    match tolerance_decimal(100.0 * t) {
        Some(d) => format!("{}%", crate::render::thousands(d)),
        None => format!("{}%", 100.0 * t),
    }
}

/// A tolerance as the decimal the user wrote: to six significant figures,
/// which undoes the binary noise of `1e-9 × 100`; `None` when too small.
fn tolerance_decimal(t: f64) -> Option<Decimal> {
    crate::num::decimal::from_f64(t, "a tolerance")
        .ok()?
        .round_sf(6)
        .filter(|d| !d.is_zero())
        .map(|d| d.normalize())
}

/// A tolerance for CSV and JSON: six places, or as many as it has (at
/// most 18).
fn tolerance_stat(t: f64) -> Stat {
    let places = tolerance_decimal(t).map_or(6, |d| d.scale().clamp(6, 18));
    Stat::new(t, places)
}

// What `merge` writes; `mc` writes the report with its fans.
crate::render::formats!(McReport: TEXT);

impl Report for McReport {
    fn document(&self) -> Document {
        let mut doc = Document::new();
        doc.line(format!(
            "Monte Carlo: {} ({} sampler, seed {})",
            counted(self.n, "draw"),
            self.info.sampler.name(),
            self.info.seed
        ))
        .blank();
        if let Some(l) = self.averages_line() {
            doc.line(l).blank();
        }
        doc.table(self.statistics_table());
        if self.any_scientific() {
            doc.blank().line(
                "Statistics too large to show in full are in scientific notation: 5.0000e26 is 5.0000 × 10^26.",
            );
        }
        doc.blank()
            .line("What drives the range: Spearman rank correlation of each input with each metric")
            .blank();
        doc.table(self.drivers_table());
        if let Some(c) = &self.convergence {
            doc.blank();
            self.convergence(c, &mut doc);
        }
        doc.blank();
        for m in &self.metrics {
            doc.line(self.headline(m));
        }
        if !self.info.forecast_error.is_empty() {
            doc.blank();
            for (metric, sigma) in &self.info.forecast_error {
                let sigma = crate::model::sigma_pct(*sigma);
                doc.line(if metric.starts_with(crate::model::DERIVED_PREMIUM) {
                    format!(
                        "{metric} is the premium of a quote: each draw's parallel rate that month is the model's value times its own error on a quote, log-normal with σ {sigma}% ([forecast_error]), and the premium is computed from it, 100·(rate / official − 1); the drivers above do not list that error."
                    )
                } else {
                    format!(
                        "{metric} is a quote, not the model's monthly mean: each draw is the model's value times its own error on a quote, log-normal with σ {sigma}% ([forecast_error]), which the drivers above do not list."
                    )
                });
            }
        }
        doc
    }

    /// `metric,statistic,input,value`: each statistic and each input's rank
    /// correlation. With `--until`, two more columns, `tolerance` and
    /// `converged`, and per target a row whose value is the statistic's
    /// relative half-width (a number, as every value in the column; empty
    /// when undefined).
    fn csv(&self) -> Option<Table> {
        let mut header = vec!["metric", "statistic", "input", "value"];
        if self.convergence.is_some() {
            header.extend(["tolerance", "converged"]);
        }
        let width = header.len();
        let mut t = Table::new(header, 0);
        let mut push = |mut row: Vec<Cell>| {
            row.resize(width, Cell::Empty);
            t.push(row);
        };
        for m in &self.metrics {
            for (k, v, spread) in rows(&m.summary) {
                push(vec![
                    Cell::from(&m.name),
                    Cell::from(k),
                    Cell::Empty,
                    v.map_or(Cell::Empty, |v| Stat::of(&m.unit, v, spread).cell()),
                ]);
            }
            for (p, r) in self.info.inputs.iter().zip(&m.drivers) {
                let v = r.map_or(Cell::Empty, |r| Stat::new(r, 4).cell());
                push(vec![
                    Cell::from(&m.name),
                    Cell::from("spearman_rho"),
                    Cell::from(p),
                    v,
                ]);
            }
        }
        if let Some(c) = &self.convergence {
            for (m, checks) in self.metrics.iter().zip(&c.checks) {
                for (target, ch) in c.targets.iter().zip(checks) {
                    push(vec![
                        Cell::from(&m.name),
                        Cell::Text(format!("relative_half_width:{}", target.stat.name())),
                        Cell::Empty,
                        if ch.relative.is_finite() {
                            fraction(ch.relative).cell()
                        } else {
                            Cell::Empty
                        },
                        tolerance_stat(target.tolerance).cell(),
                        Cell::from(if ch.converged { "true" } else { "false" }),
                    ]);
                }
            }
        }
        Some(t)
    }
}

impl McReport {
    /// What each draw's value of a metric is: `parallel_rate and
    /// premium_pct: each draw's mean of the monthly values (not any one
    /// month's).`; `None` when every metric names its month.
    pub(crate) fn averages_line(&self) -> Option<String> {
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for m in self.metrics.iter().filter(|m| !m.name.contains('@')) {
            let words = match super::summary_agg(&m.name) {
                Agg::Mean => "each draw's mean of the monthly values (not any one month's)",
                Agg::Sum => "each draw's total over the months",
                Agg::Min => "each draw's lowest month",
                Agg::Max => "each draw's highest month",
                Agg::First => "each draw's first month",
                Agg::Last => "each draw's last month",
            };
            match groups.iter_mut().find(|g| g.0 == words) {
                Some(g) => g.1.push(m.name.clone()),
                None => groups.push((words, vec![m.name.clone()])),
            }
        }
        if groups.is_empty() {
            return None;
        }
        let parts: Vec<String> = groups
            .into_iter()
            .map(|(words, names)| format!("{}: {words}", super::join_and(&names)))
            .collect();
        Some(format!(
            "{}; the statistics are over the draws.",
            parts.join("; ")
        ))
    }

    /// Whether a statistic of the table is too large to show in full.
    fn any_scientific(&self) -> bool {
        self.metrics.iter().any(|m| {
            rows(&m.summary)
                .iter()
                .any(|(_, v, spread)| v.is_some_and(|v| too_large(v, stat_places(&m.unit, v, *spread))))
        })
    }

    /// Each statistic (rows) of each metric (columns).
    pub(crate) fn statistics_table(&self) -> Table {
        let names = self.metrics.iter().map(|m| m.name.clone());
        let mut t = Table::new(["statistic".to_string()].into_iter().chain(names), 1);
        if let Some(first) = self.metrics.first() {
            for (i, (k, _, _)) in rows(&first.summary).iter().enumerate() {
                let mut row = vec![Cell::Text(label(k))];
                for m in &self.metrics {
                    row.push(match rows(&m.summary)[i] {
                        (_, Some(v), spread) => stat_cell(v, stat_places(&m.unit, v, spread)),
                        (_, None, _) => Cell::from("–"),
                    });
                }
                t.push(row);
            }
        }
        t
    }

    /// Each input's rank correlation (rows) with each metric (columns),
    /// strongest first.
    pub(crate) fn drivers_table(&self) -> Table {
        let names = self.metrics.iter().map(|m| m.name.clone());
        let mut t = Table::new(["input".to_string()].into_iter().chain(names), 1);
        for j in self.driver_order() {
            let mut row = vec![Cell::from(&self.info.inputs[j])];
            for m in &self.metrics {
                row.push(m.drivers[j].map_or(Cell::from("–"), |r| Stat::new(r, 4).cell()));
            }
            t.push(row);
        }
        t
    }

    fn convergence(&self, c: &Convergence, doc: &mut Document) {
        if c.all() {
            doc.line(format!(
                "Converged after {} draws (at most {}):",
                count(self.n),
                count(c.max_draws)
            ));
        } else {
            doc.line(format!(
                "Not every statistic converged within {} draws:",
                count(c.max_draws)
            ));
        }
        doc.blank().table(self.convergence_table(c));
        if c.checks.iter().flatten().any(|ch| !ch.relative.is_finite()) {
            doc.blank().line(
                "– : no interval yet: too few draws for it (a percentile's reaches past the smallest or largest draw) or an estimate of 0; not converged.",
            );
        }
    }

    /// Each statistic `--until` named, how far it settled and whether enough.
    pub(crate) fn convergence_table(&self, c: &Convergence) -> Table {
        let mut t = Table::new(
            ["metric", "statistic", "±95% (relative)", "target", "converged"],
            2,
        );
        for (m, checks) in self.metrics.iter().zip(&c.checks) {
            for (target, ch) in c.targets.iter().zip(checks) {
                t.push([
                    Cell::from(&m.name),
                    Cell::Text(label(target.stat.name())),
                    relative_cell(ch.relative),
                    Cell::Text(tolerance_text(target.tolerance)),
                    Cell::from(if ch.converged { "yes" } else { "no" }),
                ]);
            }
        }
        t
    }

    /// Inputs by the size of their correlation with the first metric.
    fn driver_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.info.inputs.len()).collect();
        if let Some(first) = self.metrics.first() {
            let key = |j: &usize| first.drivers[*j].map_or(-1.0, f64::abs);
            order.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.cmp(b)));
        }
        order
    }

    /// "parallel_rate: between 1,572 and 1,688 IQD per $ in 90% of draws
    /// (P5–P95), driven mostly by parallel_market.demand_elasticity
    /// (Spearman -0.80).", the figures rounded for people as `brief`
    /// rounds them ([`crate::render::for_people`]).
    fn headline(&self, m: &MetricStats) -> String {
        let s = &m.summary;
        let people = |v: f64| people(v, &m.unit);
        if s.n < 2 {
            return format!(
                "{}: {} in the one draw; a range and what drives it need more draws (-n).",
                m.name,
                people(s.mean)
            );
        }
        if s.min == s.max {
            return format!("{}: {} in every draw.", m.name, people(s.min));
        }
        let (lo, hi) = (s.percentiles[0], s.percentiles[6]);
        let dp = places(&m.unit);
        let (lo_text, hi_text) = match (f64_to_decimal(lo, dp), f64_to_decimal(hi, dp)) {
            (Some(l), Some(h)) => super::people_range(l, h, &m.unit),
            _ => (people(lo), people(hi)),
        };
        let range = if people(lo) == people(hi) {
            format!("{}: about {hi_text} in 90% of draws (P5–P95)", m.name)
        } else {
            format!(
                "{}: between {lo_text} and {hi_text} in 90% of draws (P5–P95)",
                m.name
            )
        };
        let best = (0..self.info.inputs.len())
            .filter_map(|j| m.drivers[j].map(|r| (j, r)))
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(&a.0)));
        match best {
            Some((j, r)) if r.abs() >= 0.1 => format!(
                "{range}, driven mostly by {} (Spearman {}).",
                self.info.inputs[j],
                Stat::new(r, 2).plain()
            ),
            _ => format!("{range}; no input has a rank correlation of 0.1 or more with it."),
        }
    }
}

/// One statistic's convergence check in JSON.
#[derive(Serialize)]
struct CheckJson {
    relative_half_width: Option<Stat>,
    target: Stat,
    converged: bool,
}

/// `--until`'s checks in JSON: each metric's statistics, each with its
/// target and whether it was met.
#[derive(Serialize)]
struct ConvergenceJson<'a> {
    converged: bool,
    max_n: String,
    statistics: Pairs<&'a str, Pairs<&'static str, CheckJson>>,
}

impl<'a> ConvergenceJson<'a> {
    fn of(report: &'a McReport, c: &Convergence) -> ConvergenceJson<'a> {
        let statistics = report
            .metrics
            .iter()
            .zip(&c.checks)
            .map(|(m, checks)| {
                let per = c
                    .targets
                    .iter()
                    .zip(checks)
                    .map(|(target, ch)| {
                        let check = CheckJson {
                            relative_half_width: ch.relative.is_finite().then(|| fraction(ch.relative)),
                            target: tolerance_stat(target.tolerance),
                            converged: ch.converged,
                        };
                        (target.stat.name(), check)
                    })
                    .collect();
                (m.name.as_str(), per)
            })
            .collect();
        ConvergenceJson {
            converged: c.all(),
            max_n: c.max_draws.to_string(),
            statistics,
        }
    }
}

/// `{"n", "seed", "sampler", "metrics": {metric: {statistic: value}},
/// "drivers": {metric: {input: rho}}}`, and `"convergence"` after
/// `--until`; every number a string (sd and se null from one draw).
impl Serialize for McReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            n: String,
            seed: String,
            sampler: &'static str,
            metrics: Pairs<&'a str, Pairs<&'static str, Option<Stat>>>,
            drivers: Pairs<&'a str, Pairs<&'a str, Option<Stat>>>,
            #[serde(skip_serializing_if = "Option::is_none")]
            convergence: Option<ConvergenceJson<'a>>,
        }
        Json {
            n: self.n.to_string(),
            seed: self.info.seed.to_string(),
            sampler: self.info.sampler.name(),
            metrics: self
                .metrics
                .iter()
                .map(|m| {
                    let stats = rows(&m.summary)
                        .into_iter()
                        .map(|(k, v, spread)| (k, v.map(|v| Stat::of(&m.unit, v, spread))))
                        .collect();
                    (m.name.as_str(), stats)
                })
                .collect(),
            drivers: self
                .metrics
                .iter()
                .map(|m| {
                    let d = self
                        .info
                        .inputs
                        .iter()
                        .zip(&m.drivers)
                        .map(|(p, r)| (p.as_str(), r.map(|r| Stat::new(r, 4))))
                        .collect();
                    (m.name.as_str(), d)
                })
                .collect(),
            convergence: self.convergence.as_ref().map(|c| ConvergenceJson::of(self, c)),
        }
        .serialize(s)
    }
}
