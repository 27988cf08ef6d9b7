//! The `run` report: every metric of MODEL.md §6 for every month and its
//! summary (MODEL.md §7): a table of metrics by month, a tidy CSV of
//! `month,metric,value`, and JSON by month.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::ModelInfo;
use crate::engine::Run;
use crate::metrics::MetricId;
use crate::model::Model;
use crate::number::{clean, Overflow};
use crate::render::{places, Cell, Document, Pairs, Report, Table};

/// Every metric's monthly values and summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub model: ModelInfo,
    pub months: Vec<String>,
    pub metrics: Vec<MetricRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricRow {
    pub name: String,
    pub unit: &'static str,
    pub monthly: Vec<Decimal>,
    pub total: Decimal,
}

impl RunReport {
    pub fn new(model: &Model, run: &Run) -> Result<Self, Overflow> {
        let months = model
            .timeline
            .months
            .iter()
            .map(|m| m.month.to_string())
            .collect();
        let metrics = MetricId::all(&model.base)
            .into_iter()
            .map(|id| {
                let monthly: Vec<Decimal> = id.series(run).into_iter().map(clean).collect();
                Ok(MetricRow {
                    name: id.name(&model.base),
                    unit: id.unit(),
                    total: clean(id.summary().apply(&monthly)?),
                    monthly,
                })
            })
            .collect::<Result<_, Overflow>>()?;
        Ok(RunReport {
            model: ModelInfo::of(model),
            months,
            metrics,
        })
    }
}

impl Report for RunReport {
    fn document(&self) -> Document {
        let mut header = vec!["metric".to_string(), "unit".to_string()];
        header.extend(self.months.iter().cloned());
        header.push("total".into());
        let mut t = Table::new(header, 1).text_column(1);
        for m in &self.metrics {
            let dp = places(m.unit);
            let mut row = vec![Cell::from(&m.name), Cell::from(m.unit)];
            row.extend(m.monthly.iter().map(|v| Cell::fixed(*v, dp)));
            row.push(Cell::fixed(m.total, dp));
            t.push(row);
        }
        let mut doc = Document::new();
        doc.title(&self.model.name).table(t);
        doc
    }

    /// Tidy long CSV: `month,metric,value`, months first, then `total` rows.
    fn csv(&self) -> Option<Table> {
        let mut t = Table::new(["month", "metric", "value"], 0);
        for (i, month) in self.months.iter().enumerate() {
            for m in &self.metrics {
                t.push([Cell::from(month), Cell::from(&m.name), Cell::plain(m.monthly[i])]);
            }
        }
        for m in &self.metrics {
            t.push([Cell::from("total"), Cell::from(&m.name), Cell::plain(m.total)]);
        }
        Some(t)
    }
}

/// `{"model": {...}, "months": [{"month", "metrics"}], "summary": {...}}`
/// with every value a decimal string.
impl Serialize for RunReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Month<'a> {
            month: &'a str,
            metrics: Pairs<&'a str, Decimal>,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            months: Vec<Month<'a>>,
            summary: Pairs<&'a str, Decimal>,
        }
        let months = self
            .months
            .iter()
            .enumerate()
            .map(|(i, month)| Month {
                month,
                metrics: self
                    .metrics
                    .iter()
                    .map(|m| (m.name.as_str(), m.monthly[i]))
                    .collect(),
            })
            .collect();
        Json {
            model: &self.model,
            months,
            summary: self.metrics.iter().map(|m| (m.name.as_str(), m.total)).collect(),
        }
        .serialize(s)
    }
}
