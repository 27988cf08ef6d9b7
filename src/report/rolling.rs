//! `backtest --rolling`: one row per training origin (the model's and
//! each benchmark's RMSE on what followed, Theil's U, the refitted values)
//! and the pooled scores over every origin's test rows.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::ModelInfo;
use crate::calibration::backtest::BENCHMARKS;
use crate::calibration::compare::{decimal, Accuracy};
use crate::calibration::rolling::Rolling;
use crate::render::{Block, Book, Cell, Document, Report, Sheet, Table};

/// A rolling-origin backtest of a model against an observed file.
#[derive(Debug, Clone, PartialEq)]
pub struct RollingReport {
    /// The model tested.
    pub model: ModelInfo,
    /// The observed file.
    pub observed: String,
    /// The parameters refitted at each origin (`--refit`), as given.
    pub refit: Vec<String>,
    /// The backtests.
    pub rolling: Rolling,
}

fn pct(a: &Accuracy, x: f64) -> Cell {
    if a.n == 0 {
        return Cell::Empty;
    }
    decimal(x, 2).map_or(Cell::Empty, Cell::Percent)
}

impl RollingReport {
    fn origins(&self) -> Table {
        let mut header = vec!["trained up to".to_string(), "n".into(), "model RMSE %".into()];
        header.extend(BENCHMARKS.iter().map(|b| format!("{b} RMSE %")));
        header.push("Theil's U".into());
        if !self.refit.is_empty() {
            header.push("refitted".into());
        }
        let mut t = Table::new(header, 1);
        for o in &self.rolling.origins {
            let b = &o.backtest;
            let mut row = vec![
                Cell::from(b.train_until.to_string()),
                Cell::Count(b.test.n as u64),
                pct(&b.test, b.test.rmse_pct),
            ];
            row.extend(b.benchmarks.iter().map(|s| pct(&s.accuracy, s.accuracy.rmse_pct)));
            row.push(
                b.theil_u
                    .and_then(|u| decimal(u, 2))
                    .map_or(Cell::Empty, |u| Cell::fixed(u, 2)),
            );
            if !self.refit.is_empty() {
                row.push(Cell::from(o.refit.join(", ")));
            }
            t.push(row);
        }
        if !self.refit.is_empty() {
            let last = t.header.len() - 1;
            t = t.text_column(last);
        }
        t
    }

    fn pooled(&self) -> Table {
        let mut t = Table::new(["forecast", "n", "RMSE %", "MAE %", "bias %", "MAPE %"], 1);
        let r = &self.rolling;
        let mut push = |name: &str, a: &Accuracy| {
            t.push([
                Cell::from(name),
                Cell::Count(a.n as u64),
                pct(a, a.rmse_pct),
                pct(a, a.mae_pct),
                pct(a, a.bias_pct),
                pct(a, a.mape_pct),
            ]);
        };
        push("model", &r.pooled);
        for (name, a) in &r.pooled_benchmarks {
            push(name, a);
        }
        t
    }
}

impl Report for RollingReport {
    fn document(&self) -> Document {
        let r = &self.rolling;
        let mut doc = Document::new();
        let first = r
            .origins
            .first()
            .map(|o| o.backtest.train_until.to_string())
            .unwrap_or_default();
        let last = r
            .origins
            .last()
            .map(|o| o.backtest.train_until.to_string())
            .unwrap_or_default();
        let refit = if self.refit.is_empty() {
            "the model as written".to_string()
        } else {
            format!("refitting {} at each origin", self.refit.join(", "))
        };
        doc.push(Block::Title {
            model: self.model.name.clone(),
            subject: Some(format!("Rolling-origin backtest against {}", self.observed)),
            terminal: Some(format!(
                "Rolling-origin backtest against {}: origins {first} to {last}, {refit}",
                self.observed
            )),
        });
        if let Some(line) = self.model.horizon_line() {
            doc.line(line);
        }
        doc.spacer().table(self.origins());
        doc.section(2, "Pooled over every origin's test observations")
            .table(self.pooled());
        for s in &r.skipped {
            doc.line(format!("note: origin {s}"));
        }
        doc
    }

    fn csv(&self) -> Option<Table> {
        Some(self.origins())
    }

    fn book(&self) -> Option<Book> {
        Some(self.model.book(vec![
            Sheet::from_table("Origins", &self.origins()).frozen(1),
            Sheet::from_table("Pooled", &self.pooled()).frozen(1),
        ]))
    }
}

/// `{"origins": [{"train_until", "n", "rmse_pct", "theil_u", "benchmarks",
/// "refit"}], "pooled": {...}, "pooled_benchmarks": [...], "skipped"}`.
impl Serialize for RollingReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Score {
            name: &'static str,
            n: usize,
            rmse_pct: Option<Decimal>,
            mae_pct: Option<Decimal>,
            bias_pct: Option<Decimal>,
        }
        #[derive(Serialize)]
        struct OriginJson<'a> {
            train_until: String,
            n: usize,
            rmse_pct: Option<Decimal>,
            mae_pct: Option<Decimal>,
            bias_pct: Option<Decimal>,
            theil_u: Option<Decimal>,
            benchmarks: Vec<Score>,
            refit: &'a [String],
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            observed: &'a str,
            origins: Vec<OriginJson<'a>>,
            pooled: Score,
            pooled_benchmarks: Vec<Score>,
            skipped: &'a [String],
        }
        let p = |a: &Accuracy, x: f64| if a.n == 0 { None } else { decimal(x, 4) };
        let score = |name: &'static str, a: &Accuracy| Score {
            name,
            n: a.n,
            rmse_pct: p(a, a.rmse_pct),
            mae_pct: p(a, a.mae_pct),
            bias_pct: p(a, a.bias_pct),
        };
        let r = &self.rolling;
        Json {
            model: &self.model,
            observed: &self.observed,
            origins: r
                .origins
                .iter()
                .map(|o| {
                    let b = &o.backtest;
                    OriginJson {
                        train_until: b.train_until.to_string(),
                        n: b.test.n,
                        rmse_pct: p(&b.test, b.test.rmse_pct),
                        mae_pct: p(&b.test, b.test.mae_pct),
                        bias_pct: p(&b.test, b.test.bias_pct),
                        theil_u: b.theil_u.and_then(|u| decimal(u, 4)),
                        benchmarks: b.benchmarks.iter().map(|s| score(s.name, &s.accuracy)).collect(),
                        refit: &o.refit,
                    }
                })
                .collect(),
            pooled: score("model", &r.pooled),
            pooled_benchmarks: r.pooled_benchmarks.iter().map(|(n, a)| score(n, a)).collect(),
            skipped: &r.skipped,
        }
        .serialize(s)
    }
}
