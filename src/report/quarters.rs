//! The brief's path quarter by quarter: the parallel rate, the premium
//! and CPI inflation (each the mean of its months; without underlying
//! inflation, the exchange-rate effect on prices, which a reader would
//! otherwise take for inflation), and the auction's
//! sales and rejected wires (each the sum), for every calendar quarter of
//! the timeline. A briefing note quotes the model's figure for a quarter
//! ("its 2024 Q1 mean") rather than a 26-month mean, and the months after the last observed
//! data are the model's forecast, so the path is where a reader finds it.
//! Each figure is the metric's own summary over the quarter's months, as
//! `run`'s total row is over the whole timeline.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::YearMonth;
use crate::engine::metrics::{Core, MetricId};
use crate::engine::Run;
use crate::model::Model;
use crate::num::decimal::Overflow;
use crate::render::{Cell, Table};
use crate::report::periods::{groups, span_text, summarise, Per};

/// The metrics of the path, in the order of the table's columns: CPI
/// inflation y/y only when the model sets underlying inflation
/// (docs/model.md §3: without it `cpi_yoy_pct` is the exchange-rate
/// effect alone), else that effect under its own name.
fn metrics(model: &Model) -> [Core; 5] {
    let prices = if model.base.prices.underlying_inflation.is_some() {
        Core::CpiYoyPct
    } else {
        Core::CpiImpactPct
    };
    [
        Core::ParallelRate,
        Core::PremiumPct,
        prices,
        Core::Sales,
        Core::WiresRejected,
    ]
}

/// The column heading of metric `c` in the table.
fn heading(c: Core) -> &'static str {
    match c {
        Core::ParallelRate => "parallel rate, mean",
        Core::PremiumPct => "premium, mean",
        Core::CpiYoyPct => "CPI inflation y/y, mean",
        Core::CpiImpactPct => "exchange-rate effect on prices, mean",
        Core::Sales => "dollars sold at the auction",
        _ => "wire transfers rejected",
    }
}

/// One calendar quarter (or the part of it in the timeline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Quarter {
    /// `2023-Q1`.
    pub quarter: String,
    /// Its first month in the timeline.
    #[serde(serialize_with = "as_text")]
    pub from: YearMonth,
    /// Its last month in the timeline.
    #[serde(serialize_with = "as_text")]
    pub to: YearMonth,
    /// Each metric of the path with its summary over those months, in
    /// `METRICS` order: `parallel_rate` and the other means rounded to
    /// 4 places, sums of money in cents. JSON: an object by metric name.
    #[serde(serialize_with = "as_map")]
    pub values: Vec<(String, Decimal)>,
    /// The metrics of `values`, in order.
    #[serde(skip)]
    pub metrics: [Core; 5],
    /// Whether the timeline holds only part of the quarter.
    #[serde(skip)]
    pub partial: bool,
}

/// The path of `run` of `model` by calendar quarter; `None` for a model
/// without a parallel market (flows only) or a timeline within one quarter.
pub fn quarters(model: &Model, run: &Run, market: bool) -> Result<Option<Vec<Quarter>>, Overflow> {
    let months: Vec<YearMonth> = model.timeline.months.iter().map(|m| m.month).collect();
    let groups = groups(&months, Per::Quarter);
    if !market || groups.len() < 2 {
        return Ok(None);
    }
    // Each metric's value in each quarter, metric by metric.
    let metrics = metrics(model);
    let by_metric: Vec<(String, Vec<Decimal>)> = metrics
        .iter()
        .map(|c| {
            let id = MetricId::Core(*c);
            Ok((
                id.name(&model.base),
                summarise(&id.series(run), id.summary(), &groups)?,
            ))
        })
        .collect::<Result<_, Overflow>>()?;
    Ok(Some(
        groups
            .into_iter()
            .enumerate()
            .map(|(i, g)| Quarter {
                quarter: g.label,
                from: months[g.first],
                to: months[g.last],
                values: by_metric.iter().map(|(name, v)| (name.clone(), v[i])).collect(),
                metrics,
                partial: g.partial,
            })
            .collect(),
    ))
}

fn as_text<S: serde::Serializer>(m: &YearMonth, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(m)
}

fn as_map<S: serde::Serializer>(values: &[(String, Decimal)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(values.iter().map(|(k, v)| (k, v)))
}

/// The path as a table: each figure rounded for people where the brief is
/// read, exact in its workbook. A quarter the timeline covers in part says
/// which months.
pub fn table(quarters: &[Quarter]) -> Table {
    let Some(first) = quarters.first() else {
        return Table::new(["quarter"], 1);
    };
    let headings = std::iter::once("quarter").chain(first.metrics.iter().map(|c| heading(*c)));
    let mut t = Table::new(headings, 1).series_from(1);
    for q in quarters {
        let label = if q.partial {
            format!("{} ({})", q.quarter, span_text(q.from, q.to))
        } else {
            q.quarter.clone()
        };
        let mut row = vec![Cell::from(label)];
        for ((_, v), c) in q.values.iter().zip(q.metrics) {
            row.push(Cell::rounded(*v, MetricId::Core(c).unit()));
        }
        t.push(row);
    }
    t
}
