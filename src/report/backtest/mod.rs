//! `backtest`: how well the model forecast the observations after its
//! training window, beside the naive forecasts, row by row and in total:
//! as points (RMSE %, MAE %, bias %, MAPE %) and as distributions (CRPS %
//! and the share of observations inside the central 50% and 80% bands,
//! "–" for a point forecast, which has no band).

mod json;

pub(crate) use json::{NamedScoreJson, OwnErrorJson, ScoreJson};

use super::{metric_axis_of, months_between, ModelInfo};
use crate::calibration::backtest::{Backtest, Row, BENCHMARKS};
use crate::calibration::compare::{decimal, error_pct, Accuracy};
use crate::calibration::scoring::Skill;
use crate::num::decimal::to_f64;
use crate::render::chart::{month_position, Axis, Band, Observed, Panel, Plot, Series};
use crate::render::svg::style::human;
use crate::render::Chart;
use crate::render::{places, plural, Block, Book, Cell, Document, Report, Sheet, Table};

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

/// A forecast of `metric` (as the observed file names it): exact to four
/// places, shown with the places of the metric's unit, as the model's own
/// values are (money to the cent, rates and percentages to four places).
fn value(metric: &str, x: Option<f64>) -> Cell {
    let name = metric.trim().split([':', '@']).next().unwrap_or(metric);
    let dp = places(crate::engine::metrics::metric_unit(name).unwrap_or(""));
    x.and_then(|x| decimal(x, 4))
        .map_or(Cell::Empty, |x| Cell::fixed(x, dp))
}

/// The scores table of `backtest` and of `--rolling`'s pooled rows: one
/// row per forecast, its accuracy as a point and its skill as a distribution.
pub(crate) fn scores_table<'a>(
    forecasts: impl IntoIterator<Item = (&'a str, &'a Accuracy, &'a Skill)>,
) -> Table {
    let mut t = Table::new(
        [
            "forecast",
            "n",
            "RMSE %",
            "MAE %",
            "bias %",
            "MAPE %",
            "CRPS %",
            "in 50% band",
            "in 80% band",
        ],
        1,
    );
    for (name, a, k) in forecasts {
        if a.n == 0 {
            let mut row = vec![Cell::from(name), Cell::Count(0)];
            row.extend(std::iter::repeat_n(Cell::Empty, 7));
            t.push(row);
        } else {
            t.push([
                Cell::from(name),
                Cell::Count(a.n as u64),
                pct(a.rmse_pct),
                pct(a.mae_pct),
                pct(a.bias_pct),
                pct(a.mape_pct),
                pct(k.crps_pct),
                coverage(k.coverage[0]),
                coverage(k.coverage[1]),
            ]);
        }
    }
    t
}

/// The share of observations inside a band, or "–" where the forecasts have no band.
pub(crate) fn coverage(x: Option<f64>) -> Cell {
    match x.and_then(|x| decimal(x, 0)) {
        Some(x) => Cell::Percent(x),
        None => Cell::from("–"),
    }
}

/// A test row's first cells in the tables: its date, metric, the
/// observed value, the model's and the model's error %.
fn observed_and_model(r: &Row) -> Vec<Cell> {
    vec![
        Cell::from(&r.row.date),
        Cell::from(&r.row.metric),
        Cell::num(r.row.value),
        Cell::num(r.model),
        pct(model_error_pct(r)),
    ]
}

/// The model's error on a test row, in percent of the observed value.
fn model_error_pct(r: &Row) -> f64 {
    error_pct(
        &r.row,
        rust_decimal::prelude::ToPrimitive::to_f64(&r.model).unwrap_or(f64::NAN),
    )
}

/// What CRPS % and the bands of backtest `b` rest on: the spread of its
/// draws (`when` says where they were drawn, e.g. " at each origin"), or
/// a point forecast.
pub(crate) fn crps_note(b: &Backtest, when: &str) -> String {
    if b.draws > 0 {
        format!(
            "CRPS % and bands: the model's forecast is the spread of {} draws of its [uncertainty]{when} (seed {}){}; a point forecast has no band (–)",
            crate::render::count(b.draws),
            b.seed,
            if b.own_errors.is_empty() {
                ""
            } else {
                ", each times the model's own error (below)"
            }
        )
    } else {
        "CRPS % and bands: the model forecasts a point (no [uncertainty] drawn), so its CRPS is its absolute error and it has no band (–)".into()
    }
}

/// Why backtest `b` has no Theil's U: the random walk forecast no test
/// row, or its error is 0 on every row it forecast (U divides by it).
fn theil_u_undefined(b: &Backtest) -> String {
    match b.benchmarks.first().map_or(0, |s| s.accuracy.n) {
        0 => "Theil's U: no random-walk forecast to compare with (no training observation of these metrics at the same frequency)".into(),
        n => format!(
            "Theil's U: undefined, the random walk's error is 0 on the {} it forecasts (U is the model's RMSE over the random walk's)",
            plural(n, "test row")
        ),
    }
}

impl BacktestReport {
    fn scores(&self) -> Table {
        let b = &self.backtest;
        scores_table(
            std::iter::once(("model", &b.test, &b.skill))
                .chain(b.benchmarks.iter().map(|s| (s.name, &s.accuracy, &s.skill))),
        )
    }

    /// Whether a test row has a published range (its error is measured
    /// from the range, so the table shows it).
    fn ranged(&self) -> bool {
        self.backtest
            .rows
            .iter()
            .any(|r| r.row.lo.is_some() || r.row.hi.is_some())
    }

    fn rows(&self) -> Table {
        let ranged = self.ranged();
        let mut header = vec!["date", "metric", "observed"];
        if ranged {
            header.push("published range");
        }
        header.extend(["model", "error %", "model P10", "model P90", "CRPS %"]);
        header.extend(BENCHMARKS);
        let mut t = Table::new(header, 2);
        if ranged {
            t = t.text_column(3);
        }
        for r in &self.backtest.rows {
            let band = r.model_bands.map(|b| b[1]);
            let value = |x| value(&r.row.metric, x);
            let mut cells = observed_and_model(r);
            if ranged {
                cells.insert(3, Cell::Text(crate::report::fit::range_text(r.row.lo, r.row.hi)));
            }
            cells.extend([
                value(band.map(|b| b.0)),
                value(band.map(|b| b.1)),
                pct(r.model_score.crps_pct),
            ]);
            cells.extend(r.benchmarks.iter().map(|b| value(*b)));
            t.push(cells);
        }
        t
    }

    /// Every test row with every forecast and score (CSV and workbook):
    /// the model's value, both bands and CRPS %, and each benchmark's
    /// forecast and CRPS %.
    fn all_rows(&self) -> Table {
        let mut header: Vec<String> = [
            "date",
            "metric",
            "observed",
            "model",
            "error %",
            "model P25",
            "model P75",
            "model P10",
            "model P90",
            "CRPS %",
        ]
        .map(String::from)
        .to_vec();
        for b in BENCHMARKS {
            header.push(b.to_string());
            header.push(format!("{b} CRPS %"));
        }
        let mut t = Table::new(header, 2);
        for r in &self.backtest.rows {
            let value = |x| value(&r.row.metric, x);
            let end = |i: usize, hi: bool| value(r.model_bands.map(|b| if hi { b[i].1 } else { b[i].0 }));
            let mut cells = observed_and_model(r);
            cells.extend([
                end(0, false),
                end(0, true),
                end(1, false),
                end(1, true),
                pct(r.model_score.crps_pct),
            ]);
            for (b, s) in r.benchmarks.iter().zip(&r.benchmark_scores) {
                cells.push(value(*b));
                cells.push(s.map_or(Cell::Empty, |s| pct(s.crps_pct)));
            }
            t.push(cells);
        }
        t
    }
}

impl BacktestReport {
    /// For each metric tested, the observations after the training window
    /// against the model's forecast (with its bands when it was drawn)
    /// and the benchmarks'.
    fn panels(&self) -> Vec<Panel> {
        let rows = &self.backtest.rows;
        let (Some(first), Some(last)) = (
            rows.iter().map(|r| r.row.month).min(),
            rows.iter().map(|r| r.row.month).max(),
        ) else {
            return Vec::new();
        };
        let months = months_between(first, last);
        let mut metrics: Vec<&str> = Vec::new();
        for r in rows {
            if !metrics.contains(&r.row.metric.as_str()) {
                metrics.push(&r.row.metric);
            }
        }
        metrics
            .into_iter()
            .map(|metric| self.metric_panel(metric, &months))
            .collect()
    }

    /// One tested metric's panel: its observations against the model's
    /// forecast, bands and the benchmarks', over `months`.
    fn metric_panel(&self, metric: &str, months: &[String]) -> Panel {
        let rows = &self.backtest.rows;
        let mine: Vec<_> = rows.iter().filter(|r| r.row.metric == metric).collect();
        let at = |date: &str, month: String| {
            month_position(months, date)
                .or_else(|| months.iter().position(|m| *m == month).map(|i| i as f64))
                .unwrap_or(f64::NAN)
        };
        let x: Vec<f64> = mine
            .iter()
            .map(|r| at(&r.row.date, r.row.month.to_string()))
            .collect();
        // The forecasts are of a month's value: one point (and one
        // band) per month, at its middle; the observations where
        // they were dated.
        let mut per_month: Vec<(f64, &Row)> = Vec::new();
        for r in &mine {
            let m = r.row.month.to_string();
            if let Some(i) = months.iter().position(|x| *x == m) {
                if !per_month.iter().any(|(x, _)| *x == i as f64) {
                    per_month.push((i as f64, r));
                }
            }
        }
        per_month.sort_by(|a, b| a.0.total_cmp(&b.0));
        let line = |name: String, value: &dyn Fn(&Row) -> Option<f64>| Series {
            name,
            points: per_month
                .iter()
                .filter_map(|(x, r)| Some((*x, value(r)?)))
                .collect(),
        };
        let mut lines = vec![line("model".into(), &|r| Some(to_f64(r.model)))];
        for (k, name) in BENCHMARKS.iter().enumerate() {
            if mine.iter().any(|r| r.benchmarks[k].is_some()) {
                lines.push(line(name.to_string(), &|r| r.benchmarks[k]));
            }
        }
        let bands = per_month
            .iter()
            .filter_map(|(x, r)| {
                let b = r.model_bands?;
                Some(Band {
                    x: *x,
                    inner: b[0],
                    outer: b[1],
                })
            })
            .collect();
        let y = metric_axis_of(metric);
        let name = y.label.split(", ").next().unwrap_or(metric).to_string();
        Panel {
            heading: format!(
                "{name} after {}: observed, the model's forecast and the naive forecasts",
                self.backtest.train_until.short_name()
            ),
            plot: Plot::Observed(Observed {
                x: Axis::months("", months),
                y,
                name: "observed".into(),
                points: mine
                    .iter()
                    .zip(&x)
                    .map(|(r, x)| (*x, to_f64(r.row.value)))
                    .collect(),
                lines,
                bands,
            }),
        }
    }
}

crate::render::formats!(BacktestReport: CHART_BOOK);

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
        for line in self.model.heading_lines() {
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
            None => theil_u_undefined(b),
        });
        doc.line(crps_note(b, ""));
        for e in &b.own_errors {
            doc.line(format!("note: {}", e.describe()));
        }
        for s in &b.spreads {
            doc.line(format!("note: {s}"));
        }
        for w in b.warnings.iter().chain(&b.not_refitted) {
            doc.line(format!("note: {w}"));
        }
        doc.section(2, "Test observations").table(self.rows());
        if self.ranged() {
            doc.blank().line(
                "A row with a published range: its error % (and so RMSE, MAE and bias above, for every forecast) is 0 inside the range and, outside, % of its nearer end; MAPE and CRPS % are against the observed value.",
            );
        }
        doc
    }

    fn csv(&self) -> Option<Table> {
        Some(self.all_rows())
    }

    fn chart(&self) -> Option<Chart> {
        let b = &self.backtest;
        let drawn = if b.draws > 0 {
            format!(
                "; bands from {} draws of its [uncertainty] (seed {})",
                crate::render::count(b.draws),
                b.seed
            )
        } else {
            String::new()
        };
        let rmse = if b.test.n == 0 {
            String::new()
        } else {
            format!(", the model's RMSE {}%", human(b.test.rmse_pct, 2))
        };
        Some(self.model.chart(
            format!(
                "Backtest against {}: trained up to {}, tested on {}{rmse}{drawn}",
                self.observed,
                b.train_until.short_name(),
                plural(b.rows.len(), "observation"),
            ),
            self.panels(),
        ))
    }

    fn book(&self) -> Option<Book> {
        let mut sheets = vec![
            Sheet::from_table("Scores", &self.scores()).frozen(1),
            Sheet::from_table("Test rows", &self.all_rows()).frozen(2),
        ];
        // What the text says under its scores ("the scores flatter the
        // model", a forecast outside its own band), as fit's workbook has.
        let b = &self.backtest;
        sheets.extend(super::warnings_sheet(b.warnings.iter().chain(&b.not_refitted)));
        Some(self.model.book(sheets))
    }
}
