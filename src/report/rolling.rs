//! `backtest --rolling`: one row per training origin (the model's and
//! each benchmark's RMSE and CRPS on what followed, Theil's U, the
//! refitted values) and the pooled scores over every origin's test rows,
//! as points and as distributions.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::backtest::{crps_note, scores_table, NamedScoreJson, OwnErrorJson, ScoreJson};
use super::ModelInfo;
use crate::calibration::backtest::{BENCHMARKS, OFF_BAND};
use crate::calibration::compare::{decimal, Accuracy};
use crate::calibration::rolling::Rolling;
use crate::calibration::scoring::Skill;
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

fn crps(k: &Skill) -> Cell {
    if k.n == 0 {
        return Cell::Empty;
    }
    decimal(k.crps_pct, 2).map_or(Cell::Empty, Cell::Percent)
}

impl RollingReport {
    /// What the text lists under its tables, and the workbook's Warnings
    /// sheet: each origin's forecasts outside their own band and the
    /// parameters its refit kept.
    fn origin_warnings(&self) -> impl Iterator<Item = (crate::calendar::YearMonth, &String)> {
        self.rolling.origins.iter().flat_map(|o| {
            let b = &o.backtest;
            let off_band = b.warnings.iter().filter(|w| w.starts_with(OFF_BAND));
            off_band.chain(&b.not_refitted).map(move |w| (b.train_until, w))
        })
    }

    fn origins(&self) -> Table {
        let mut header = vec!["trained up to".to_string(), "n".into(), "model RMSE %".into()];
        header.extend(BENCHMARKS.iter().map(|b| format!("{b} RMSE %")));
        header.push("model CRPS %".into());
        header.extend(BENCHMARKS.iter().map(|b| format!("{b} CRPS %")));
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
            row.push(crps(&b.skill));
            row.extend(b.benchmarks.iter().map(|s| crps(&s.skill)));
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
        let r = &self.rolling;
        scores_table(
            std::iter::once(("model", &r.pooled, &r.pooled_skill))
                .chain(r.pooled_benchmarks.iter().map(|(name, a, k)| (*name, a, k))),
        )
    }
}

// No chart: a chart is of one backtest.
crate::render::formats!(RollingReport: [Table, Csv, Json, Md, Xlsx]);

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
        for line in self.model.heading_lines() {
            doc.line(line);
        }
        doc.spacer().table(self.origins());
        doc.section(2, "Pooled over every origin's test observations")
            .table(self.pooled());
        if let Some(b) = r.origins.first().map(|o| &o.backtest) {
            doc.blank().line(crps_note(b, " at each origin"));
        }
        for line in own_error_lines(r) {
            doc.line(format!("note: {line}"));
        }
        for (origin, w) in self.origin_warnings() {
            doc.line(format!("note: origin {origin}: {w}"));
        }
        for s in &r.skipped {
            doc.line(format!("note: origin {s}"));
        }
        doc
    }

    fn csv(&self) -> Option<Table> {
        Some(self.origins())
    }

    fn book(&self) -> Option<Book> {
        let mut sheets = vec![
            Sheet::from_table("Origins", &self.origins()).frozen(1),
            Sheet::from_table("Pooled", &self.pooled()).frozen(1),
        ];
        // The origins' warnings the text lists under its tables.
        let mut t = Table::new(["trained up to", "warning"], 1).wrap(1, 100);
        for (origin, w) in self.origin_warnings() {
            t.push([Cell::from(origin.to_string()), Cell::from(w)]);
        }
        if !t.rows.is_empty() {
            sheets.push(Sheet::from_table("Warnings", &t));
        }
        Some(self.model.book(sheets))
    }
}

/// `{"origins": [{"train_until", "n", "rmse_pct", "mae_pct", "bias_pct",
/// "crps_pct", "coverage_50_pct", "coverage_80_pct", "theil_u",
/// "benchmarks", "spreads", "own_error", "refit", "warnings" (the refit's,
/// and each parameter it kept)}], "pooled": {...},
/// "pooled_benchmarks": [...],
/// "skipped"}`.
impl Serialize for RollingReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct OriginJson<'a> {
            train_until: String,
            #[serde(flatten)]
            score: ScoreJson,
            theil_u: Option<Decimal>,
            benchmarks: Vec<NamedScoreJson>,
            spreads: &'a [String],
            own_error: Vec<OwnErrorJson>,
            refit: &'a [String],
            warnings: Vec<&'a String>,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            observed: &'a str,
            origins: Vec<OriginJson<'a>>,
            pooled: NamedScoreJson,
            pooled_benchmarks: Vec<NamedScoreJson>,
            skipped: &'a [String],
        }
        let score = NamedScoreJson::of;
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
                        score: ScoreJson::of(&b.test, &b.skill),
                        theil_u: b.theil_u.and_then(|u| decimal(u, 4)),
                        benchmarks: b
                            .benchmarks
                            .iter()
                            .map(|s| score(s.name, &s.accuracy, &s.skill))
                            .collect(),
                        spreads: &b.spreads,
                        own_error: b.own_errors.iter().map(OwnErrorJson::of).collect(),
                        refit: &o.refit,
                        warnings: b.refit_warnings.iter().chain(&b.not_refitted).collect(),
                    }
                })
                .collect(),
            pooled: score("model", &r.pooled, &r.pooled_skill),
            pooled_benchmarks: r
                .pooled_benchmarks
                .iter()
                .map(|(n, a, k)| score(n, a, k))
                .collect(),
            skipped: &r.skipped,
        }
        .serialize(s)
    }
}

/// One line per metric: the model's own error σ at each origin, and how
/// it was estimated.
fn own_error_lines(r: &Rolling) -> Vec<String> {
    let mut metrics: Vec<&str> = r
        .origins
        .iter()
        .flat_map(|o| o.backtest.own_errors.iter().map(|e| e.metric.as_str()))
        .collect();
    metrics.sort_unstable();
    metrics.dedup();
    let pct = |s: f64| decimal(100.0 * s, 2).unwrap_or_default();
    metrics
        .into_iter()
        .map(|m| {
            let at: Vec<String> = r
                .origins
                .iter()
                .filter_map(|o| {
                    let e = o.backtest.own_errors.iter().find(|e| e.metric == m)?;
                    Some(format!("{} {}%", o.backtest.train_until, pct(e.sigma)))
                })
                .collect();
            format!(
                "{m}: the model's own error σ by origin {} (the root mean square of ln(observed / model) over the origin's training observations, × √(N / (N − k)) for k parameters refitted to N observations)",
                at.join(", ")
            )
        })
        .collect()
}
