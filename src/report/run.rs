//! The `run` report: every metric of MODEL.md §6 for every month and its
//! summary, as a table, Markdown, tidy CSV or JSON (MODEL.md §7).

use std::io::{self, Write};

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::engine::Run;
use crate::metrics::MetricId;
use crate::model::Model;
use crate::number::{clean, Overflow};
use crate::render::{display, places, Format, Grid};

/// Every metric's monthly values and summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
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
        Ok(RunReport { months, metrics })
    }

    pub fn write(&self, model: &Model, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Table => {
                writeln!(out, "{}", model.name)?;
                self.grid().table(out)
            }
            Format::Md => {
                writeln!(out, "## {}\n", model.name)?;
                self.grid().markdown(out)
            }
            Format::Csv => self.csv(out),
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.json(model))?;
                writeln!(out)
            }
        }
    }

    fn grid(&self) -> Grid {
        let mut header = vec!["metric".to_string(), "unit".to_string()];
        header.extend(self.months.iter().cloned());
        header.push("total".into());
        let mut g = Grid::new(header, 1).text_column(1);
        for m in &self.metrics {
            let mut row = vec![m.name.clone(), m.unit.to_string()];
            let dp = places(m.unit);
            row.extend(m.monthly.iter().map(|v| display(*v, dp)));
            row.push(display(m.total, dp));
            g.push(row);
        }
        g
    }

    /// Tidy long CSV: `month,metric,value`, months first, then `total` rows.
    pub fn csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["month", "metric", "value"])?;
        for (i, month) in self.months.iter().enumerate() {
            for m in &self.metrics {
                w.write_record([month.as_str(), m.name.as_str(), &m.monthly[i].to_string()])?;
            }
        }
        for m in &self.metrics {
            w.write_record(["total", m.name.as_str(), &m.total.to_string()])?;
        }
        w.flush()
    }

    /// `{"model": {...}, "months": [{"month", "metrics"}], "summary": {...}}`
    /// with every value a decimal string.
    pub fn json(&self, model: &Model) -> Value {
        let months: Vec<Value> = self
            .months
            .iter()
            .enumerate()
            .map(|(i, month)| {
                let metrics: Map<String, Value> = self
                    .metrics
                    .iter()
                    .map(|m| (m.name.clone(), Value::String(m.monthly[i].to_string())))
                    .collect();
                json!({ "month": month, "metrics": metrics })
            })
            .collect();
        let summary: Map<String, Value> = self
            .metrics
            .iter()
            .map(|m| (m.name.clone(), Value::String(m.total.to_string())))
            .collect();
        json!({
            "model": model_json(model),
            "months": months,
            "summary": summary,
        })
    }
}

/// The `model` object of JSON outputs.
pub fn model_json(model: &Model) -> Value {
    json!({
        "name": model.name,
        "description": model.description,
        "file": model.file.name,
        "start": model.timeline.start.to_string(),
        "months": model.timeline.months.len(),
    })
}
