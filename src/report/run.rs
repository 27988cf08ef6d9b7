//! The `run` report: every metric of docs/model.md §4 for every month and its
//! summary (docs/model.md §4): a table of metrics by month, a tidy CSV of
//! `month,metric,value`, JSON by month, a chart of the rates (or of the
//! metrics asked for) by month, and a workbook (summary, months as
//! columns with a chart of the rates, postings, assumptions, model).

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::periods::{groups, summarise, Group, Per};
use super::trace::{postings_table, PostingLine};
use super::{metric_name_of, ModelInfo};
use crate::calendar::YearMonth;
use crate::engine::metrics::{Agg, Core, MetricId};
use crate::engine::Run;
use crate::model::unit_label;
use crate::model::Model;
use crate::num::decimal::{clean, to_f64, Overflow};
use crate::render::book::{ChartKind, SheetChart, Span};
use crate::render::chart::{Axis, Held, Lines, Panel, Plot, Series};
use crate::render::{places, Book, Cell, Chart, Document, Pairs, Report, Sheet, Table};

/// The rates the chart and the workbook's chart draw by default.
const RATES: [Core; 3] = [Core::OfficialRate, Core::ParallelRate, Core::EffectiveRate];

/// Every metric's monthly values and summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// The model run.
    pub model: ModelInfo,
    /// The months of the timeline, e.g. `2022-11`, in order.
    pub months: Vec<String>,
    /// Every metric (docs/model.md §4, per-entry metrics after), one row each.
    pub metrics: Vec<MetricRow>,
    /// The metrics the chart draws (`--metric`); the rates and the
    /// premium when empty.
    pub draw: Vec<String>,
    /// Every posting, for the workbook (when asked for).
    pub postings: Option<Vec<PostingLine>>,
    /// How [`RunReport::months`] group the timeline's months: each a month
    /// unless `run --by quarter` or `--by year` grouped them.
    pub per: Per,
    /// With `--by` and a horizon, where the held months begin among the
    /// groups (for the chart's mark).
    held_in: Option<HeldIn>,
}

/// Where a horizon's first held month falls among grouped months: in
/// group `group`, after `own` of the group's `of` months in the timeline
/// (the model's own), so a quarter that holds both is marked inside.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HeldIn {
    group: usize,
    own: usize,
    of: usize,
    /// The first held month in words, `Jan 2025`.
    first: String,
}

/// One metric's value in every month and its summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricRow {
    /// The metric's name, e.g. `parallel_rate` or `price_impact_pct[Food]`.
    pub name: String,
    /// Its unit: `USD`, `IQD`, `IQD/USD`, `%`, `flights`.
    pub unit: &'static str,
    /// Its value in each month, in the order of [`RunReport::months`].
    pub monthly: Vec<Decimal>,
    /// Its summary over the period (sum, mean or last, as docs/model.md §4 says).
    pub total: Decimal,
    /// How it is summarised over months.
    pub summary: Agg,
}

impl RunReport {
    /// The report on `run` of `model`; an overflow while summing is an error.
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
                    summary: id.summary(),
                    monthly,
                })
            })
            .collect::<Result<_, Overflow>>()?;
        Ok(RunReport {
            model: ModelInfo::of(model),
            months,
            metrics,
            draw: Vec::new(),
            postings: None,
            per: Per::Month,
            held_in: None,
        })
    }

    /// The report with its months grouped `per` quarter or year (the
    /// timeline's months are `months`): each group's value is the
    /// metric's own summary over its months, as the total is over all of
    /// them; the total stays. Also the groups the timeline holds only in
    /// part, for a note.
    pub fn by(mut self, months: &[YearMonth], per: Per) -> Result<(Self, Vec<Group>), Overflow> {
        if per == Per::Month {
            return Ok((self, Vec::new()));
        }
        let groups = groups(months, per);
        for m in &mut self.metrics {
            m.monthly = summarise(&m.monthly, m.summary, &groups)?
                .into_iter()
                .map(clean)
                .collect();
        }
        self.held_in = self.model.horizon.as_ref().and_then(|h| {
            let end: YearMonth = h.model_end.parse().ok()?;
            let i = months.iter().position(|m| *m > end)?;
            let (group, g) = groups
                .iter()
                .enumerate()
                .find(|(_, g)| (g.first..=g.last).contains(&i))?;
            Some(HeldIn {
                group,
                own: i - g.first,
                of: g.last - g.first + 1,
                first: months[i].short_name(),
            })
        });
        self.months = groups.iter().map(|g| g.label.clone()).collect();
        self.per = per;
        Ok((self, groups.into_iter().filter(|g| g.partial).collect()))
    }

    fn row(&self, name: &str) -> Option<(usize, &MetricRow)> {
        self.metrics.iter().enumerate().find(|(_, m)| m.name == name)
    }

    /// One line panel per unit among `names`, in the order first named.
    fn panels(&self, names: &[String]) -> Vec<Panel> {
        let mut units: Vec<&str> = Vec::new();
        for n in names {
            if let Some((_, m)) = self.row(n) {
                if !units.contains(&m.unit) {
                    units.push(m.unit);
                }
            }
        }
        // Marked where a horizon's held months begin: by month at the
        // first held month, by quarter or year inside a group that holds
        // both the model's own months and held ones.
        let x = match (&self.per, &self.held_in) {
            (Per::Month, _) => {
                let end = self.model.horizon.as_ref().map(|h| h.model_end.as_str());
                Axis::months("", &self.months).held_after(&self.months, end)
            }
            (_, held) => Axis::months("", &self.months).held_at(held.as_ref().map(|h| Held {
                at: h.group as f64 - 0.5 + h.own as f64 / h.of as f64,
                first: h.first.clone(),
            })),
        };
        units
            .into_iter()
            .map(|unit| {
                let series: Vec<Series> = names
                    .iter()
                    .filter_map(|n| self.row(n))
                    .filter(|(_, m)| m.unit == unit)
                    .map(|(_, m)| Series {
                        name: metric_name_of(&m.name),
                        points: m
                            .monthly
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (i as f64, to_f64(*v)))
                            .collect(),
                    })
                    .collect();
                let y_label = match (series.as_slice(), unit_label(unit)) {
                    ([one], "") => one.name.clone(),
                    ([one], u) => format!("{}, {u}", one.name),
                    (_, u) => u.to_string(),
                };
                let heading = if series.len() == 1 {
                    format!("{} by {}", series[0].name, self.per.name())
                } else {
                    let names: Vec<String> = series
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            if i == 0 {
                                s.name.clone()
                            } else {
                                super::lower_first(&s.name)
                            }
                        })
                        .collect();
                    format!("{} by {}", names.join(" and "), self.per.name())
                };
                Panel {
                    heading,
                    plot: Plot::Lines(Lines {
                        x: x.clone(),
                        y: Axis::in_unit(y_label, unit),
                        series,
                    }),
                }
            })
            .collect()
    }
}

crate::render::formats!(RunReport: CHART_BOOK);

impl Report for RunReport {
    fn document(&self) -> Document {
        let mut doc = Document::new();
        doc.title(&self.model.name);
        self.model.note_what_if(&mut doc);
        doc.table(self.document_table());
        doc
    }

    fn chart(&self) -> Option<Chart> {
        Some(self.chart_of())
    }

    fn book(&self) -> Option<Book> {
        Some(self.book_of())
    }

    /// Tidy long CSV: `month,metric,value` (`quarter,…`, `year,…` with
    /// `--by`), months first, then `total` rows.
    fn csv(&self) -> Option<Table> {
        let mut t = Table::new([self.per.name(), "metric", "value"], 0);
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

impl RunReport {
    /// Whether the run has exchange rates (a flow-only model has none).
    pub fn has_rates(&self) -> bool {
        self.metrics.iter().any(|m| m.name == Core::ParallelRate.name())
    }

    /// The chart's panels: the rates, then the premium, unless `--metric`
    /// named others; a flow-only model's flows.
    fn chart_of(&self) -> Chart {
        let (subtitle, panels) = if self.draw.is_empty() && !self.has_rates() {
            let flows: Vec<String> = ["net_revenue_usd", "payments_usd", "custody_balance_usd"]
                .iter()
                .map(|m| m.to_string())
                .collect();
            (
                format!("Flows through custody by {}", self.per.name()),
                self.panels(&flows),
            )
        } else if self.draw.is_empty() {
            let rates: Vec<String> = RATES.iter().map(|c| c.name().to_string()).collect();
            let mut panels = self.panels(&rates);
            for p in &mut panels {
                p.heading = format!(
                    "Official, parallel and effective exchange rates by {}",
                    self.per.name()
                );
            }
            let mut premium = self.panels(&[Core::PremiumPct.name().to_string()]);
            for p in &mut premium {
                p.heading = format!(
                    "Premium of the parallel rate over the official rate, by {}",
                    self.per.name()
                );
            }
            panels.extend(premium);
            (
                "Exchange rates and the parallel-market premium".to_string(),
                panels,
            )
        } else {
            let names: Vec<String> = self
                .draw
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let n = metric_name_of(m);
                    if i == 0 {
                        n
                    } else {
                        super::lower_first(&n)
                    }
                })
                .collect();
            (
                format!("{} by {}", names.join(" and "), self.per.name()),
                self.panels(&self.draw),
            )
        };
        self.model.chart(subtitle, panels)
    }

    fn book_of(&self) -> Book {
        let mut summary = Table::new(["metric", "unit", "total"], 1).text_column(1);
        for m in &self.metrics {
            summary.push([
                Cell::from(&m.name),
                Cell::from(m.unit),
                Cell::fixed(m.total, places(m.unit)),
            ]);
        }
        let n = self.months.len() as u16;
        let sheet = match self.per {
            Per::Month => "Monthly",
            Per::Quarter => "Quarterly",
            Per::Year => "Yearly",
        };
        let monthly = Sheet::from_table(sheet, &self.document_table()).frozen(2);
        let series: Vec<(String, Span)> = RATES
            .iter()
            .filter_map(|c| self.row(c.name()))
            .map(|(i, m)| (m.name.clone(), Span::row(i as u32 + 1, 2, 1 + n)))
            .collect();
        let monthly = if series.is_empty() || n == 0 {
            monthly
        } else {
            let at = monthly.below();
            monthly.chart(SheetChart {
                kind: ChartKind::Line,
                title: format!("Exchange rates by {}", self.per.name()),
                x_title: self.per.name().into(),
                y_title: "IQD per USD".into(),
                categories: Span::row(0, 2, 1 + n),
                series,
                at,
            })
        };
        let mut sheets = vec![Sheet::from_table("Summary", &summary), monthly];
        if let Some(postings) = &self.postings {
            let t = postings_table(postings, |v| Cell::fixed(v, 2));
            sheets.push(Sheet::from_table("Postings", &t));
        }
        self.model.book(sheets)
    }

    /// Metrics by month with their totals, as the terminal shows them.
    fn document_table(&self) -> Table {
        let mut header = vec!["metric".to_string(), "unit".to_string()];
        header.extend(self.months.iter().cloned());
        header.push("total".into());
        let mut t = Table::new(header, 1).text_column(1).series_from(2);
        for m in &self.metrics {
            let dp = places(m.unit);
            let mut row = vec![Cell::from(&m.name), Cell::from(m.unit)];
            row.extend(m.monthly.iter().map(|v| Cell::fixed(*v, dp)));
            row.push(Cell::fixed(m.total, dp));
            t.push(row);
        }
        t
    }
}

/// `{"model": {...}, "months": [{"month", "metrics"}], "summary": {...}}`
/// with every value a decimal string (`"quarters": [{"quarter", …}]` or
/// `"years": [{"year", …}]` with `--by`).
impl Serialize for RunReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        /// One month (quarter, year): `{"month": "2023-01", "metrics": {...}}`.
        struct Entry<'a> {
            per: &'static str,
            label: &'a str,
            metrics: Pairs<&'a str, Decimal>,
        }
        impl Serialize for Entry<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(2))?;
                map.serialize_entry(self.per, self.label)?;
                map.serialize_entry("metrics", &self.metrics)?;
                map.end()
            }
        }
        let entries: Vec<Entry> = self
            .months
            .iter()
            .enumerate()
            .map(|(i, label)| Entry {
                per: self.per.name(),
                label,
                metrics: self
                    .metrics
                    .iter()
                    .map(|m| (m.name.as_str(), m.monthly[i]))
                    .collect(),
            })
            .collect();
        let summary: Pairs<&str, Decimal> = self.metrics.iter().map(|m| (m.name.as_str(), m.total)).collect();
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("model", &self.model)?;
        map.serialize_entry(self.per.plural(), &entries)?;
        map.serialize_entry("summary", &summary)?;
        map.end()
    }
}
