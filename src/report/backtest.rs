//! `backtest`: how well the model forecast the observations after its
//! training window, beside the naive forecasts, row by row and in total.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::ModelInfo;
use crate::calibration::backtest::{Backtest, BENCHMARKS};
use crate::calibration::compare::{decimal, error_pct, Accuracy};
use crate::render::{plural, Block, Book, Cell, Document, Report, Sheet, Table};

/// A backtest of a model against an observed file.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestReport {
    /// The model tested.
    pub model: ModelInfo,
    /// The observed file.
    pub observed: String,
    /// The backtest.
    pub backtest: Backtest,
}

fn pct(x: f64) -> Cell {
    decimal(x, 2).map_or(Cell::Empty, Cell::Percent)
}

fn value(x: Option<f64>) -> Cell {
    x.and_then(|x| decimal(x, 4)).map_or(Cell::Empty, Cell::num)
}

impl BacktestReport {
    fn scores(&self) -> Table {
        let b = &self.backtest;
        let mut t = Table::new(["forecast", "n", "RMSE %", "MAE %", "bias %", "MAPE %"], 1);
        let mut push = |name: &str, a: &Accuracy| {
            if a.n == 0 {
                t.push([
                    Cell::from(name),
                    Cell::Count(0),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                    Cell::Empty,
                ]);
            } else {
                t.push([
                    Cell::from(name),
                    Cell::Count(a.n as u64),
                    pct(a.rmse_pct),
                    pct(a.mae_pct),
                    pct(a.bias_pct),
                    pct(a.mape_pct),
                ]);
            }
        };
        push("model", &b.test);
        for s in &b.benchmarks {
            push(s.name, &s.accuracy);
        }
        t
    }

    fn rows(&self) -> Table {
        let mut header = vec!["date", "metric", "observed", "model", "error %"];
        header.extend(BENCHMARKS);
        let mut t = Table::new(header, 2);
        for r in &self.backtest.rows {
            let m = r.model;
            let mut cells = vec![
                Cell::from(&r.row.date),
                Cell::from(&r.row.metric),
                Cell::num(r.row.value),
                Cell::num(m),
                pct(error_pct(
                    &r.row,
                    rust_decimal::prelude::ToPrimitive::to_f64(&m).unwrap_or(f64::NAN),
                )),
            ];
            cells.extend(r.benchmarks.iter().map(|b| value(*b)));
            t.push(cells);
        }
        t
    }
}

impl Report for BacktestReport {
    fn document(&self) -> Document {
        let b = &self.backtest;
        let mut doc = Document::new();
        let first = b.rows.iter().map(|r| r.row.month).min();
        let last = b.rows.iter().map(|r| r.row.month).max();
        let span = match (first, last) {
            (Some(a), Some(z)) if a == z => a.to_string(),
            (Some(a), Some(z)) => format!("{a} to {z}"),
            _ => String::new(),
        };
        doc.push(Block::Title {
            model: self.model.name.clone(),
            subject: Some(format!("Backtest against {}", self.observed)),
            terminal: Some(format!(
                "Backtest against {}: trained up to {} ({}), tested on {} ({span})",
                self.observed,
                b.train_until,
                plural(b.n_train, "observation"),
                plural(b.rows.len(), "observation"),
            )),
        });
        if let Some(line) = self.model.horizon_line() {
            doc.line(line);
        }
        doc.spacer().table(self.scores());
        doc.blank().line(match b.theil_u {
            Some(u) => format!(
                "Theil's U {} (the model's RMSE over the random walk's): {}",
                decimal(u, 2).unwrap_or_default(),
                if u < 1.0 {
                    "below 1, the model beats the random walk"
                } else {
                    "not below 1, the random walk forecasts as well or better"
                }
            ),
            None => "Theil's U: no random-walk forecast to compare with (no training observation of these metrics)".into(),
        });
        for w in &b.warnings {
            doc.line(format!("note: {w}"));
        }
        doc.section(2, "Test observations").table(self.rows());
        doc
    }

    fn csv(&self) -> Option<Table> {
        Some(self.rows())
    }

    fn book(&self) -> Option<Book> {
        Some(self.model.book(vec![
            Sheet::from_table("Scores", &self.scores()).frozen(1),
            Sheet::from_table("Test rows", &self.rows()).frozen(2),
        ]))
    }
}

/// `{"test": {"n","rmse_pct","mae_pct","bias_pct","mape_pct","theil_u"},
/// "benchmarks": [{"name","rmse_pct","mae_pct","bias_pct"}], "rows": [...]}`.
impl Serialize for BacktestReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Test {
            n: usize,
            rmse_pct: Option<Decimal>,
            mae_pct: Option<Decimal>,
            bias_pct: Option<Decimal>,
            mape_pct: Option<Decimal>,
            theil_u: Option<Decimal>,
        }
        #[derive(Serialize)]
        struct Bench {
            name: &'static str,
            n: usize,
            rmse_pct: Option<Decimal>,
            mae_pct: Option<Decimal>,
            bias_pct: Option<Decimal>,
        }
        #[derive(Serialize)]
        struct Row<'a> {
            date: &'a str,
            month: String,
            metric: &'a str,
            observed: Decimal,
            model: Decimal,
            error_pct: Option<Decimal>,
            random_walk: Option<Decimal>,
            training_mean: Option<Decimal>,
            premium_held: Option<Decimal>,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            observed: &'a str,
            train_until: String,
            test: Test,
            benchmarks: Vec<Bench>,
            rows: Vec<Row<'a>>,
            warnings: &'a [String],
        }
        let b = &self.backtest;
        let p = |x: f64| decimal(x, 4);
        let when = |a: &Accuracy, x: f64| if a.n == 0 { None } else { p(x) };
        Json {
            model: &self.model,
            observed: &self.observed,
            train_until: b.train_until.to_string(),
            test: Test {
                n: b.test.n,
                rmse_pct: p(b.test.rmse_pct),
                mae_pct: p(b.test.mae_pct),
                bias_pct: p(b.test.bias_pct),
                mape_pct: p(b.test.mape_pct),
                theil_u: b.theil_u.and_then(p),
            },
            benchmarks: b
                .benchmarks
                .iter()
                .map(|s| Bench {
                    name: s.name,
                    n: s.accuracy.n,
                    rmse_pct: when(&s.accuracy, s.accuracy.rmse_pct),
                    mae_pct: when(&s.accuracy, s.accuracy.mae_pct),
                    bias_pct: when(&s.accuracy, s.accuracy.bias_pct),
                })
                .collect(),
            rows: b
                .rows
                .iter()
                .map(|r| Row {
                    date: &r.row.date,
                    month: r.row.month.to_string(),
                    metric: &r.row.metric,
                    observed: r.row.value,
                    model: r.model,
                    error_pct: p(error_pct(
                        &r.row,
                        rust_decimal::prelude::ToPrimitive::to_f64(&r.model).unwrap_or(f64::NAN),
                    )),
                    random_walk: r.benchmarks[0].and_then(p),
                    training_mean: r.benchmarks[1].and_then(p),
                    premium_held: r.benchmarks[2].and_then(p),
                })
                .collect(),
            warnings: &b.warnings,
        }
        .serialize(s)
    }
}
