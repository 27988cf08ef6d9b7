//! `tornado`: each parameter moved on its own to a low and a high value,
//! largest swing of the metric first, drawn as bars around the base value
//! (in text, as an SVG chart, and as an Excel bar chart of the workbook).

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{param_name, shown, unit_words, ModelInfo};
use crate::model::Model;
use crate::num::decimal::to_f64;
use crate::render::book::{ChartKind, SheetChart, Span};
use crate::render::chart::{Axis, Panel, Plot, RangeBar, RangeBars};
use crate::render::svg::style::amount;
use crate::render::{
    for_people, thousands, three_figures, Block, Book, Cell, Chart, Document, Range, Ranges, Report, Sheet,
    Table,
};
use crate::sensitivity::tornado::{Bar, Tornado};

/// The tornado of one metric of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornadoReport {
    /// The model the tornado is of.
    pub model: ModelInfo,
    /// The base value and each parameter's bar, largest swing first.
    pub tornado: Tornado,
    /// The metric's unit (for the chart's axis); empty when not known.
    pub unit: String,
}

impl TornadoReport {
    /// The report on `tornado` of `model`, without a unit (see [`TornadoReport::with_unit`]).
    pub fn new(model: &Model, tornado: Tornado) -> Self {
        TornadoReport {
            model: ModelInfo::of(model),
            tornado,
            unit: String::new(),
        }
    }

    /// The report with the metric's unit.
    pub fn with_unit(mut self, unit: &str) -> Self {
        self.unit = unit.to_string();
        self
    }

    /// The metric's axis: its label, unit and summary, printed with the
    /// unit's places.
    fn axis(&self) -> Axis {
        let label = self.model.metric_label(&self.tornado.metric).full();
        if self.unit.is_empty() {
            Axis::new(label, 2)
        } else {
            Axis::in_unit(label, &self.unit)
        }
    }

    /// The base value as the brief writes it (three significant figures,
    /// money in billions with two places), with a true minus:
    /// `−1.84%`, `1,531 IQD per $`, `$191.86 bn`. `people_unit` is the
    /// unit as the metric's label writes it, for units the brief has no
    /// words for.
    fn base_for_people(&self, people_unit: &str) -> String {
        let base = self.tornado.base;
        let text = match self.unit.as_str() {
            "USD" | "%" | "IQD/USD" | "flights" | "sessions" => for_people(base, &self.unit),
            _ => super::with_unit(&three_figures(base, 10), people_unit),
        };
        match text.strip_prefix('-') {
            Some(rest) => format!("−{rest}"),
            None => text,
        }
    }

    /// The tornado as one panel of bars.
    pub fn panel(&self) -> Panel {
        let t = &self.tornado;
        Panel {
            heading: format!(
                "What moves the {} most: each parameter at its low and high value, the others at base",
                super::phrase(&self.model.metric_label(&t.metric))
            ),
            plot: Plot::Ranges(RangeBars {
                x: self.axis(),
                base: to_f64(t.base),
                bars: t
                    .bars
                    .iter()
                    .map(|b| {
                        // An amount a day (a month, a flight) says so:
                        // "$174.7 m a day".
                        let per = match crate::model::param_label(&b.path) {
                            Some(l) if b.money => crate::model::per_amount(l.unit),
                            _ => String::new(),
                        };
                        RangeBar {
                            label: param_name(&b.path),
                            at_low: to_f64(b.metric_low),
                            at_high: to_f64(b.metric_high),
                            low: amount(to_f64(b.low), 6, b.money) + &per,
                            high: amount(to_f64(b.high), 6, b.money) + &per,
                        }
                    })
                    .collect(),
            }),
        }
    }

    /// The table with each end's distance from the base (what the
    /// Excel chart draws) and plain paths.
    fn sheet(&self) -> Sheet {
        let t = &self.tornado;
        let mut table = self.table();
        table
            .header
            .extend(["at low − base".to_string(), "at high − base".to_string()]);
        for (row, b) in table.rows.iter_mut().zip(&t.bars) {
            row[0] = Cell::from(&b.path);
            row.push(Cell::num(b.metric_low - t.base));
            row.push(Cell::num(b.metric_high - t.base));
        }
        let sheet = Sheet::from_table("Tornado", &table).frozen(1);
        let n = t.bars.len() as u32;
        if n == 0 {
            return sheet;
        }
        let at = sheet.below();
        sheet.chart(SheetChart {
            kind: ChartKind::Bar,
            title: format!("Tornado of {} (base {})", t.metric, thousands(t.base)),
            x_title: String::new(),
            y_title: format!(
                "change from base{}",
                if self.unit.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", unit_words(&self.unit))
                }
            ),
            categories: Span::column(0, 1, n),
            series: vec![
                ("parameter at low".into(), Span::column(7, 1, n)),
                ("parameter at high".into(), Span::column(8, 1, n)),
            ],
            at,
        })
    }

    fn table(&self) -> Table {
        let header = [
            "path",
            "low",
            "high",
            "metric at low",
            "metric at high",
            "swing",
            "low/high from",
        ];
        let mut t = Table::new(header, 1).wrap(6, 50);
        for b in &self.tornado.bars {
            let path = if b.replaces_changes {
                format!("{} *", b.path)
            } else {
                b.path.clone()
            };
            t.push([
                Cell::Text(path),
                bound(b, b.low),
                bound(b, b.high),
                Cell::num(b.metric_low),
                Cell::num(b.metric_high),
                Cell::num(b.swing),
                Cell::from(&b.basis),
            ]);
        }
        t
    }
}

/// A bar's low or high as a person reads it: trailing zeros dropped, but
/// money with a fraction keeps both cents (175,036,593.10, not …593.1).
fn bound(b: &Bar, x: Decimal) -> Cell {
    let v = shown(x);
    if b.money && v.scale() > 0 {
        Cell::fixed(v, 2)
    } else {
        Cell::num(v)
    }
}

crate::render::formats!(TornadoReport: CHART_BOOK);

impl Report for TornadoReport {
    fn document(&self) -> Document {
        let t = &self.tornado;
        let subject = format!("Tornado of {}", t.metric);
        let mut doc = Document::new();
        doc.push(Block::Title {
            model: self.model.name.clone(),
            subject: Some(subject.clone()),
            terminal: Some(subject),
        });
        self.model.note_what_if(&mut doc);
        doc.line(format!(
            "{} with every parameter at base: {}",
            t.metric,
            thousands(t.base)
        ))
        .blank()
        .table(self.table())
        .push(Block::Ranges(Ranges {
            base: t.base,
            bars: t
                .bars
                .iter()
                .map(|b| Range {
                    label: b.path.clone(),
                    from: b.metric_low,
                    to: b.metric_high,
                })
                .collect(),
        }));
        if t.bars.iter().any(|b| b.replaces_changes) {
            doc.blank().line(
                "* has [[changes]] in the model; low and high replace them for the whole timeline (from the month named, for PATH@YYYY-MM..), as --set does",
            );
        }
        if !t.skipped.is_empty() {
            doc.blank()
                .line("Not moved (cannot change on its own):")
                .push(Block::Bullets(
                    t.skipped
                        .iter()
                        .map(|(path, why)| format!("{path}: {why}"))
                        .collect(),
                ));
        }
        self.model
            .note_averages(&mut doc, std::slice::from_ref(&t.metric));
        doc
    }

    fn chart(&self) -> Option<Chart> {
        let label = self.model.metric_label(&self.tornado.metric);
        Some(self.model.chart(
            format!(
                "Tornado of the {}: {} with every parameter at base",
                super::phrase(&label),
                self.base_for_people(label.unit)
            ),
            vec![self.panel()],
        ))
    }

    fn book(&self) -> Option<Book> {
        Some(self.model.book(vec![self.sheet()]))
    }

    /// `path,low,high,metric_low,metric_high,swing`, largest swing first.
    fn csv(&self) -> Option<Table> {
        let mut t = Table::new(["path", "low", "high", "metric_low", "metric_high", "swing"], 0);
        for b in &self.tornado.bars {
            t.push([
                Cell::from(&b.path),
                Cell::plain(shown(b.low)),
                Cell::plain(shown(b.high)),
                Cell::plain(b.metric_low),
                Cell::plain(b.metric_high),
                Cell::plain(b.swing),
            ]);
        }
        Some(t)
    }
}

impl Serialize for TornadoReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Bar<'a> {
            path: &'a str,
            low: Decimal,
            high: Decimal,
            basis: &'a str,
            replaces_changes: bool,
            metric_low: Decimal,
            metric_high: Decimal,
            swing: Decimal,
        }
        #[derive(Serialize)]
        struct Skipped<'a> {
            path: &'a str,
            reason: &'a str,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            metric: &'a str,
            base: Decimal,
            bars: Vec<Bar<'a>>,
            skipped: Vec<Skipped<'a>>,
        }
        let t = &self.tornado;
        Json {
            model: &self.model,
            metric: &t.metric,
            base: t.base,
            bars: t
                .bars
                .iter()
                .map(|b| Bar {
                    path: &b.path,
                    low: shown(b.low),
                    high: shown(b.high),
                    basis: &b.basis,
                    replaces_changes: b.replaces_changes,
                    metric_low: b.metric_low,
                    metric_high: b.metric_high,
                    swing: b.swing,
                })
                .collect(),
            skipped: t
                .skipped
                .iter()
                .map(|(path, reason)| Skipped { path, reason })
                .collect(),
        }
        .serialize(s)
    }
}
