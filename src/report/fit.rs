//! `fit`: the estimates with their standard errors and bounds, how
//! correlated they are, what the data cannot separate, and every
//! observation against the fitted model; the `--set` line that reproduces
//! it with `run`.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{metric_axis_of, months_between, with_unit, ModelInfo};
use crate::calibration::fit::Fit;
use crate::engine::metrics::MetricId;
use crate::error::Error;
use crate::model::Model;
use crate::num::decimal::to_f64;
use crate::render::chart::{month_position, Axis, Observed, Panel, Plot, Residuals, Series};
use crate::render::svg::style::human;
use crate::render::{plural, thousands, Block, Book, Cell, Chart, Document, Report, Sheet, Table};

/// A fit of a model to an observed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitReport {
    /// The model fitted.
    pub model: ModelInfo,
    /// The observed file.
    pub observed: String,
    /// The fit.
    pub fit: Fit,
    /// The rows fitted span these months.
    pub span: Option<(String, String)>,
    /// The options that made the model the fit ran, before its estimates
    /// (`--horizon 2024-06`, `--scenario 'FILE'`, `--set 'PATH=VALUE'`), in
    /// the order they apply: the run line repeats them.
    pub assumed: Vec<String>,
    /// The fitted model's value of each metric fitted in every month of
    /// its timeline (`YYYY-MM`, value), for the chart; empty when not
    /// computed, and the chart then draws the model at the observed
    /// months alone.
    pub fitted: Vec<FittedPath>,
}

/// A fitted metric (as the observed file names it) and its value in each
/// month (`YYYY-MM`) of the fitted run.
pub type FittedPath = (String, Vec<(String, Decimal)>);

/// The fitted model's value of each metric fitted, month by month, for
/// the chart ([`FitReport::fitted`]): the model with the fit's `--set`
/// values, run once.
pub fn fitted_paths(model: &Model, fit: &Fit) -> Result<Vec<FittedPath>, Error> {
    let mut fitted = model.clone();
    let sets: Vec<&str> = fit.sets.iter().map(String::as_str).collect();
    fitted.apply_sets(&sets)?;
    let run = crate::engine::run(&fitted)?;
    let mut out = Vec::new();
    for r in &fit.residuals {
        if out.iter().any(|(m, _): &(String, _)| *m == r.metric) {
            continue;
        }
        let name = r.metric.split([':', '@']).next().unwrap_or(&r.metric);
        let Some(id) = MetricId::all(&fitted.base)
            .into_iter()
            .find(|id| id.name(&fitted.base) == name)
        else {
            continue;
        };
        let path = run
            .months
            .iter()
            .zip(&fitted.timeline.months)
            .map(|(v, m)| (m.month.to_string(), id.value(v)))
            .collect();
        out.push((r.metric.clone(), path));
    }
    Ok(out)
}

impl FitReport {
    /// The estimates table (also the CSV).
    fn estimates(&self) -> Table {
        let mut t = Table::new(
            [
                "parameter",
                "estimate",
                "std. error",
                "at bound",
                "model's value",
                "low",
                "high",
            ],
            1,
        );
        for e in &self.fit.estimates {
            t.push([
                Cell::from(&e.path),
                Cell::num(e.value),
                e.std_error.map_or(Cell::Empty, |s| Cell::fixed(s, e.places)),
                Cell::from(if e.at_bound { "yes" } else { "no" }),
                Cell::num(e.start),
                Cell::num(e.bounds.0),
                Cell::num(e.bounds.1),
            ]);
        }
        t
    }

    /// Whether a row observed has a published range.
    fn ranged(&self) -> bool {
        self.fit
            .residuals
            .iter()
            .any(|r| r.lo.is_some() || r.hi.is_some())
    }

    fn residuals(&self) -> Table {
        let ranged = self.ranged();
        let mut header = vec!["date", "metric", "model", "observed"];
        if ranged {
            header.push("published range");
        }
        header.extend(["error %", "weight"]);
        let mut t = Table::new(header, 2);
        if ranged {
            t = t.text_column(4);
        }
        for r in &self.fit.residuals {
            let mut row = vec![
                Cell::from(&r.date),
                Cell::from(&r.metric),
                Cell::num(r.model),
                Cell::num(r.observed),
            ];
            if ranged {
                row.push(Cell::Text(range_text(r.lo, r.hi)));
            }
            row.extend([Cell::Percent(r.error_pct), Cell::plain(r.weight)]);
            t.push(row);
        }
        t
    }

    /// The lines to say on standard error for a format that does not
    /// show the warnings in its body (CSV: a table only; a workbook: a
    /// sheet nobody opens first).
    pub fn stderr_lines(&self) -> Vec<String> {
        self.fit
            .warnings
            .iter()
            .map(|w| format!("warning: {w}"))
            .collect()
    }

    fn correlation(&self) -> Option<Table> {
        let c = self.fit.correlation.as_ref()?;
        if c.len() < 2 {
            return None;
        }
        let names: Vec<String> = self.fit.estimates.iter().map(|e| e.path.clone()).collect();
        let mut t = Table::new(std::iter::once(String::new()).chain(names.iter().cloned()), 1);
        for (name, row) in names.iter().zip(c) {
            t.push(std::iter::once(Cell::from(name)).chain(row.iter().map(|&x| Cell::fixed(x, 2))));
        }
        Some(t)
    }
}

impl FitReport {
    /// For each metric fitted, the observations against the fitted model
    /// over the months they span, then the residuals.
    fn panels(&self) -> Vec<Panel> {
        let rows = &self.fit.residuals;
        let (Some(first), Some(last)) = (
            rows.iter().map(|r| r.month).min(),
            rows.iter().map(|r| r.month).max(),
        ) else {
            return Vec::new();
        };
        let months = months_between(first, last);
        let mut metrics: Vec<&str> = Vec::new();
        for r in rows {
            if !metrics.contains(&r.metric.as_str()) {
                metrics.push(&r.metric);
            }
        }
        let mut panels = Vec::new();
        for metric in metrics {
            let mine: Vec<_> = rows.iter().filter(|r| r.metric == metric).collect();
            // A year's total (a `YYYY` row) is not a month's value: it stays
            // off the monthly axis (the table and the errors' panel have it).
            let monthly: Vec<_> = mine.iter().filter(|r| !is_year(&r.date)).collect();
            let years = mine.len() - monthly.len();
            let at = |date: &str, month: String| {
                month_position(&months, date)
                    .or_else(|| months.iter().position(|m| *m == month).map(|i| i as f64))
                    .unwrap_or(f64::NAN)
            };
            let points: Vec<(f64, f64)> = monthly
                .iter()
                .map(|r| (at(&r.date, r.month.to_string()), to_f64(r.observed)))
                .collect();
            // The model's value of each month at the month's middle: every
            // month when the fitted run is known, else the observed ones.
            let mut model: Vec<(f64, f64)> = Vec::new();
            match self.fitted.iter().find(|(m, _)| m == metric) {
                Some((_, path)) => {
                    for (month, v) in path {
                        if let Some(i) = months.iter().position(|m| m == month) {
                            model.push((i as f64, to_f64(*v)));
                        }
                    }
                }
                None => {
                    for r in &monthly {
                        let x = at(&r.month.to_string(), r.month.to_string());
                        if !model.iter().any(|(m, _)| *m == x) {
                            model.push((x, to_f64(r.model)));
                        }
                    }
                }
            }
            model.sort_by(|a, b| a.0.total_cmp(&b.0));
            let y = metric_axis_of(metric);
            let name = y.label.split(", ").next().unwrap_or(metric).to_string();
            let heading = match years {
                0 => format!("{name}: observed and fitted"),
                1 => format!("{name}: observed and fitted by month (the yearly total is in the table and the errors)"),
                _ => format!("{name}: observed and fitted by month (the yearly totals are in the table and the errors)"),
            };
            panels.push(Panel {
                heading,
                plot: Plot::Observed(Observed {
                    x: Axis::months("", &months),
                    y,
                    name: "observed".into(),
                    points,
                    lines: vec![Series {
                        name: "model, fitted".into(),
                        points: model,
                    }],
                    bands: Vec::new(),
                }),
            });
            panels.push(Panel {
                heading: format!("{name}: the fit's errors (model − observed, % of observed)"),
                plot: Plot::Residuals(Residuals {
                    x: Axis::months("", &months),
                    y: Axis::new("error, %", 2),
                    points: mine
                        .iter()
                        .map(|r| (at(&r.date, r.month.to_string()), to_f64(r.error_pct)))
                        .collect(),
                }),
            });
        }
        panels
    }
}

/// Whether an observation's date is a year (`YYYY`: a year's total or mean).
fn is_year(date: &str) -> bool {
    date.len() == 4 && date.bytes().all(|b| b.is_ascii_digit())
}

crate::render::formats!(FitReport: CHART_BOOK);

impl Report for FitReport {
    fn document(&self) -> Document {
        let f = &self.fit;
        let mut doc = Document::new();
        let span = self
            .span
            .as_ref()
            .map(|(a, b)| {
                if a == b {
                    format!(", {a}")
                } else {
                    format!(", {a} to {b}")
                }
            })
            .unwrap_or_default();
        doc.push(Block::Title {
            model: self.model.name.clone(),
            subject: Some(format!("Fit to {}", self.observed)),
            terminal: Some(format!(
                "Fit to {} ({}{span}; loss {})",
                self.observed,
                plural(f.n, "observation"),
                f.loss_kind.name()
            )),
        });
        for line in self.model.heading_lines() {
            doc.line(line);
        }
        doc.spacer().table(self.estimates());
        doc.blank().line(format!(
            "RMSE {}% over {}; weighted loss {} ({} runs of the model)",
            f.rmse_pct,
            plural(f.n, "observation"),
            thousands(f.loss),
            f.evaluations
        ));
        if let Some(t) = self.correlation() {
            doc.section(2, "Correlation of the estimates").table(t);
        }
        if !f.warnings.is_empty() {
            doc.blank();
            for w in &f.warnings {
                doc.line(format!("warning: {w}"));
            }
        }
        doc.section(2, "Observations against the fitted model")
            .table(self.residuals());
        if self.ranged() {
            doc.blank().line(
                "A row with a published range has no error inside it; outside, its error is % of the range's nearer end.",
            );
        }
        doc.blank()
            .line("The estimates, run on the exact engine (the residuals above):")
            .push(Block::Indented {
                indent: 2,
                text: ["dinarflow run".to_string()]
                    .into_iter()
                    .chain(self.model.argument().map(str::to_string))
                    .chain(self.assumed.iter().cloned())
                    .chain(f.sets.iter().map(|s| format!("--set '{s}'")))
                    .collect::<Vec<_>>()
                    .join(" "),
            });
        doc
    }

    fn csv(&self) -> Option<Table> {
        Some(self.estimates())
    }

    fn chart(&self) -> Option<Chart> {
        let f = &self.fit;
        let estimates: Vec<String> = f
            .estimates
            .iter()
            .map(|e| {
                let (name, unit) = crate::model::param_label(&e.path)
                    .map_or_else(|| (e.path.clone(), ""), |l| (l.label, l.unit));
                format!("{name} {}", with_unit(&human(to_f64(e.value), 6), unit))
            })
            .collect();
        Some(self.model.chart(
            format!(
                "Fit to {}: {}, RMSE {}%; estimates: {}",
                self.observed,
                plural(f.n, "observation"),
                human(to_f64(f.rmse_pct), 2),
                estimates.join("; ")
            ),
            self.panels(),
        ))
    }

    fn book(&self) -> Option<Book> {
        let mut sheets = vec![
            Sheet::from_table("Estimates", &self.estimates()).frozen(1),
            Sheet::from_table("Residuals", &self.residuals()).frozen(2),
        ];
        if let Some(c) = self.correlation() {
            sheets.push(Sheet::from_table("Correlation", &c).frozen(1));
        }
        sheets.extend(super::warnings_sheet(&self.fit.warnings));
        Some(self.model.book(sheets))
    }
}

/// A published range as the residuals (and the backtest's test rows)
/// show it: `7.0 to 7.5`, `at least 7.0`, `at most 7.5`, or empty for a
/// row without one.
pub(crate) fn range_text(lo: Option<Decimal>, hi: Option<Decimal>) -> String {
    match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{} to {}", thousands(lo), thousands(hi)),
        (Some(lo), None) => format!("at least {}", thousands(lo)),
        (None, Some(hi)) => format!("at most {}", thousands(hi)),
        (None, None) => String::new(),
    }
}

/// `{"estimates": [{"path","value","std_error","at_bound"}], "loss", "n",
/// "rmse_pct", "warnings", "residuals": [{"date","month","metric","model",
/// "observed","lo","hi","error_pct"}]}`, numbers as decimal strings
/// (`lo` and `hi` only for a row with a published range).
impl Serialize for FitReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Est<'a> {
            path: &'a str,
            value: Decimal,
            std_error: Option<Decimal>,
            at_bound: bool,
        }
        #[derive(Serialize)]
        struct Res<'a> {
            date: &'a str,
            month: String,
            metric: &'a str,
            model: Decimal,
            observed: Decimal,
            #[serde(skip_serializing_if = "Option::is_none")]
            lo: Option<Decimal>,
            #[serde(skip_serializing_if = "Option::is_none")]
            hi: Option<Decimal>,
            error_pct: Decimal,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            observed: &'a str,
            loss_kind: &'static str,
            estimates: Vec<Est<'a>>,
            correlation: &'a Option<Vec<Vec<Decimal>>>,
            loss: Decimal,
            n: usize,
            rmse_pct: Decimal,
            warnings: &'a [String],
            residuals: Vec<Res<'a>>,
            sets: &'a [String],
        }
        let f = &self.fit;
        Json {
            model: &self.model,
            observed: &self.observed,
            loss_kind: f.loss_kind.name(),
            estimates: f
                .estimates
                .iter()
                .map(|e| Est {
                    path: &e.path,
                    value: e.value,
                    std_error: e.std_error,
                    at_bound: e.at_bound,
                })
                .collect(),
            correlation: &f.correlation,
            loss: f.loss,
            n: f.n,
            rmse_pct: f.rmse_pct,
            warnings: &f.warnings,
            residuals: f
                .residuals
                .iter()
                .map(|r| Res {
                    date: &r.date,
                    month: r.month.to_string(),
                    metric: &r.metric,
                    model: r.model,
                    observed: r.observed,
                    lo: r.lo,
                    hi: r.hi,
                    error_pct: r.error_pct,
                })
                .collect(),
            sets: &f.sets,
        }
        .serialize(s)
    }
}
