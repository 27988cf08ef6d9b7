//! `mc`'s report with what its pictures and workbook add: the model it is
//! about and, for each metric, its spread by month and the distribution
//! of its summary. Text, CSV and JSON are those of the statistics alone
//! (as `merge` writes them too), and with `mc --by-month` each metric's
//! percentiles by month too (the fan's numbers); the chart draws a fan
//! and a histogram per metric, and the workbook holds every table.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::fan::FanData;
use super::{ModelInfo, Stat};
use crate::model::Model;
use crate::render::counted;
use crate::render::{Book, Cell, Chart, Document, Pairs, Report, Sheet, Table};
use crate::uncertainty_analysis::report::McReport;

/// A Monte Carlo report about a model, with its fans.
#[derive(Debug, Clone, PartialEq)]
pub struct McView {
    /// The statistics: percentiles of each metric and the inputs that drive them.
    pub stats: McReport,
    /// The model the draws are of.
    pub model: ModelInfo,
    /// One per metric; empty unless a chart, a workbook or `--by-month`
    /// is asked for.
    pub fans: Vec<FanData>,
    /// `mc --by-month`: the percentiles by month go into the table, CSV
    /// and JSON too.
    pub by_month: bool,
    /// What picks the model on a command line (` FILE --set …`), for the
    /// command that makes these draws again.
    pub picks: String,
    /// `mc --no-forecast-error`: the model's own error on a quote was left out.
    pub no_forecast_error: bool,
}

/// One month of a fan, as JSON writes it.
#[derive(Serialize)]
struct MonthJson {
    month: String,
    p5: Stat,
    p25: Stat,
    p50: Stat,
    p75: Stat,
    p95: Stat,
    base: Option<Decimal>,
}

/// The statistics' JSON; with `--by-month`, `"by_month": {metric:
/// [{"month", "p5", "p25", "p50", "p75", "p95", "base"}]}` after them,
/// every number a string.
impl Serialize for McView {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            #[serde(flatten)]
            stats: &'a McReport,
            by_month: Pairs<&'a str, Vec<MonthJson>>,
        }
        if !self.by_month {
            return self.stats.serialize(s);
        }
        Json {
            stats: &self.stats,
            by_month: Pairs(
                self.months()
                    .map(|f| {
                        let rows = (0..f.months.len())
                            .map(|i| {
                                let stat = |k: usize| Stat::of(&f.unit, f.bands[i][k], false);
                                MonthJson {
                                    month: f.months[i].clone(),
                                    p5: stat(0),
                                    p25: stat(1),
                                    p50: stat(2),
                                    p75: stat(3),
                                    p95: stat(4),
                                    base: f.base_exact.get(i).copied(),
                                }
                            })
                            .collect();
                        (f.metric.as_str(), rows)
                    })
                    .collect(),
            ),
        }
        .serialize(s)
    }
}

impl McView {
    /// The report on `stats` of `model`'s draws, with its fans.
    pub fn new(stats: McReport, model: &Model, fans: Vec<FanData>, by_month: bool) -> McView {
        McView {
            stats,
            model: ModelInfo::of(model),
            fans,
            by_month,
            picks: super::command_line::command_line(model),
            no_forecast_error: false,
        }
    }

    /// The command that makes these draws again: the model as picked, the
    /// draws, seed, sampler and metrics, and `--until` and
    /// `--no-forecast-error` when they were given.
    pub fn command(&self) -> String {
        let s = &self.stats;
        let mut words = vec![
            "-n".to_string(),
            s.convergence.as_ref().map_or(s.n, |c| c.max_draws).to_string(),
            "--seed".to_string(),
            s.info.seed.to_string(),
            "--sampler".to_string(),
            s.info.sampler.name().to_string(),
        ];
        for (metric, _) in &s.info.metrics {
            words.extend(["--metric".to_string(), metric.clone()]);
        }
        for t in s.convergence.iter().flat_map(|c| &c.targets) {
            words.extend(["--until".to_string(), format!("{}:{}", t.stat.name(), t.text)]);
        }
        if self.no_forecast_error {
            words.push("--no-forecast-error".to_string());
        }
        let rest: String = words
            .iter()
            .map(|w| format!(" {}", crate::render::shell::word(w)))
            .collect();
        format!("dinarflow mc{}{rest}", self.picks)
    }

    /// The workbook's first sheet: how the draws were made (draws, seed,
    /// sampler, correlations, the model's own error) and the command that
    /// makes them again, so that the numbers of the workbook can be
    /// reproduced from it alone.
    fn run_sheet(&self) -> Sheet {
        let s = &self.stats;
        let mut t = Table::new(["run", "value"], 1).text_column(1).wrap(1, 100);
        // Numbers, not text, where they are numbers: a spreadsheet user
        // reads them into a formula.
        let drawn = match &s.convergence {
            Some(c) => Cell::Text(format!(
                "{} (--until stopped them; at most {})",
                s.n,
                crate::render::count(c.max_draws)
            )),
            None => Cell::Count(s.n),
        };
        let pairs = self.model.source.assumptions.correlation.len();
        let correlation = if pairs == 0 {
            "none: each input is drawn on its own".to_string()
        } else {
            format!(
                "{} from [correlation], induced on the ranks (Iman–Conover); see the Correlation sheet",
                counted(pairs as u64, "rank correlation")
            )
        };
        let error = if s.info.forecast_error.is_empty() {
            if self.no_forecast_error {
                "left out (--no-forecast-error)".to_string()
            } else {
                "none on these metrics".to_string()
            }
        } else {
            s.info
                .forecast_error
                .iter()
                .map(|(m, sigma)| {
                    format!(
                        "{m}: log-normal, σ {}% ([forecast_error])",
                        crate::model::sigma_pct(*sigma)
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let rows = [
            ("draws", drawn),
            ("seed", Cell::Count(s.info.seed)),
            ("sampler", Cell::from(s.info.sampler.name())),
            ("correlation", Cell::Text(correlation)),
            ("the model's own error on a quote", Cell::Text(error)),
            ("command", Cell::Text(self.command())),
            ("dinarflow", Cell::from(env!("CARGO_PKG_VERSION"))),
        ];
        for (k, v) in rows {
            t.push([Cell::from(k), v]);
        }
        Sheet::from_table("Run", &t).frozen(1)
    }

    /// The fans with months, when `--by-month` asks for them.
    fn months(&self) -> impl Iterator<Item = &FanData> {
        self.fans
            .iter()
            .filter(move |f| self.by_month && !f.months.is_empty())
    }
}

crate::render::formats!(McView: CHART_BOOK);

impl Report for McView {
    fn document(&self) -> Document {
        let mut doc = Document::new();
        self.model.note_what_if(&mut doc);
        doc.blocks.extend(self.stats.document().blocks);
        for f in self.months() {
            if let Some(t) = f.by_month_table() {
                doc.blank()
                    .line(format!(
                        "{} by month: percentiles over the draws, and the base run",
                        f.metric
                    ))
                    .blank()
                    .table(t);
            }
        }
        doc
    }

    /// The statistics' rows; with `--by-month`, then one row per month
    /// and statistic: `parallel_rate@2023-01,p5,,1571.23` (`p5`, `p25`,
    /// `p50`, `p75`, `p95` over the draws, and `base` for the base run).
    fn csv(&self) -> Option<Table> {
        let mut t = self.stats.csv()?;
        let width = t.header.len();
        for f in self.months() {
            for i in 0..f.months.len() {
                let metric = f.month_metric(i);
                let mut rows: Vec<Vec<Cell>> = FanData::STATISTICS
                    .iter()
                    .zip(f.bands[i])
                    .map(|(k, v)| {
                        vec![
                            Cell::from(metric.as_str()),
                            Cell::from(*k),
                            Cell::Empty,
                            Stat::of(&f.unit, v, false).cell(),
                        ]
                    })
                    .collect();
                if let Some(b) = f.base_exact.get(i) {
                    rows.push(vec![
                        Cell::from(metric.as_str()),
                        Cell::from("base"),
                        Cell::Empty,
                        Cell::plain(*b),
                    ]);
                }
                for mut row in rows {
                    row.resize(width, Cell::Empty);
                    t.push(row);
                }
            }
        }
        Some(t)
    }

    fn chart(&self) -> Option<Chart> {
        Some(self.model.chart(
            format!(
                "Monte Carlo over [uncertainty]: {} ({} sampler, seed {})",
                counted(self.stats.n, "draw"),
                self.stats.info.sampler.name(),
                self.stats.info.seed
            ),
            self.fans.iter().flat_map(FanData::panels).collect(),
        ))
    }

    fn book(&self) -> Option<Book> {
        let s = &self.stats;
        let mut sheets = vec![
            self.run_sheet(),
            Sheet::from_table("Statistics", &s.statistics_table()).frozen(1),
            Sheet::from_table("Drivers", &s.drivers_table()).frozen(1),
        ];
        if let Some(c) = &s.convergence {
            sheets.push(Sheet::from_table("Convergence", &s.convergence_table(c)).frozen(2));
        }
        sheets.extend(self.fans.iter().filter_map(FanData::sheet));
        Some(self.model.book(sheets))
    }
}
