//! `sweep`: the data table of a spreadsheet. One parameter gives a row
//! per value and a column per metric (drawn as a line per metric); two
//! give one two-way table per metric (rows the first parameter, columns
//! the second; drawn as a heatmap with the values in the cells).

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{lower_first, param_name, shown, unit_words, ModelInfo};
use crate::model::param_label;
use crate::model::Model;
use crate::num::decimal::{decimal_places, to_f64};
use crate::render::book::{ChartKind, SheetChart, Span};
use crate::render::chart::{Axis, Heatmap, Lines, Panel, Plot, Series};
use crate::render::svg::style::human;
use crate::render::{display, plural};
use crate::render::{
    places, thousands, Block, Book, Cell, Chart, Document, Lazy, Pairs, Report, Sheet, Table,
};
use crate::sensitivity::spec::Vary;
use crate::sensitivity::sweep::Sweep;

/// A sweep of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepReport {
    /// The model swept.
    pub model: ModelInfo,
    /// The varied parameters and the metrics at every point.
    pub sweep: Sweep,
    /// Each metric's unit (for charts); empty when not known.
    pub units: Vec<String>,
}

impl SweepReport {
    /// The report on `sweep` of `model`, without units (see [`SweepReport::with_units`]).
    pub fn new(model: &Model, sweep: Sweep) -> Self {
        SweepReport {
            model: ModelInfo::of(model),
            sweep,
            units: Vec::new(),
        }
    }

    /// The report with each metric's unit.
    pub fn with_units(mut self, units: Vec<String>) -> Self {
        self.units = units;
        self
    }

    fn unit(&self, k: usize) -> &str {
        self.units.get(k).map_or("", String::as_str)
    }

    /// The axis of metric `k`: its label, unit and summary.
    fn metric_axis(&self, k: usize, name: &str) -> Axis {
        let unit = self.unit(k);
        Axis {
            // Amounts read "$79.94 bn" on ticks, cells and the key.
            dollars: unit.starts_with("USD"),
            percent: unit == "%",
            ..Axis::new(
                self.model.metric_label(name).full(),
                if unit.is_empty() { 4 } else { places(unit) },
            )
        }
    }

    /// The axis of a varied parameter: its label and unit.
    fn vary_axis(v: &Vary) -> Axis {
        let dp = v.values.iter().map(|x| decimal_places(*x)).max().unwrap_or(0);
        let label = param_label(&v.path).map_or_else(|| v.path.clone(), |l| l.with_unit());
        Axis::new(label, dp)
    }

    /// What the chart is of: `Sweep of share of wires rejected (5 runs)`.
    fn subject(&self) -> String {
        let names: Vec<String> = self
            .sweep
            .varies
            .iter()
            .map(|v| lower_first(&param_name(&v.path)))
            .collect();
        let n: usize = self.sweep.varies.iter().map(|v| v.values.len()).product();
        format!("Sweep of {} ({})", names.join(" and "), plural(n, "run"))
    }

    /// One-way: a panel per unit, a line per metric; two-way: a heatmap
    /// per metric.
    fn panels(&self) -> Vec<Panel> {
        let s = &self.sweep;
        match s.varies.as_slice() {
            [a] => {
                let mut units: Vec<&str> = Vec::new();
                for k in 0..s.metrics.len() {
                    if !units.contains(&self.unit(k)) {
                        units.push(self.unit(k));
                    }
                }
                units.into_iter().map(|unit| self.lines_panel(a, unit)).collect()
            }
            [a, b] => (0..s.metrics.len())
                .map(|k| self.heatmap_panel(a, b, k))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// One-way: the metrics in `unit` against the varied value, a line each.
    fn lines_panel(&self, a: &Vary, unit: &str) -> Panel {
        let s = &self.sweep;
        let ks: Vec<usize> = (0..s.metrics.len()).filter(|k| self.unit(*k) == unit).collect();
        let series = ks
            .iter()
            .map(|&k| Series {
                name: self.model.metric_label(&s.metrics[k]).without_unit(),
                points: a
                    .values
                    .iter()
                    .zip(&s.points)
                    .map(|(x, p)| (to_f64(*x), to_f64(p[k])))
                    .collect(),
            })
            .collect();
        let names: Vec<String> = ks
            .iter()
            .map(|k| self.model.metric_label(&s.metrics[*k]).label)
            .collect();
        // The legend names each line with its summary, the axis its unit.
        let y = Axis::in_unit(crate::model::unit_label(unit), unit);
        let names: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| if i == 0 { n.clone() } else { lower_first(n) })
            .collect();
        Panel {
            heading: format!(
                "{} against {}",
                names.join(" and "),
                lower_first(&param_name(&a.path))
            ),
            plot: Plot::Lines(Lines {
                // Ticks at the values run, as the table's rows.
                x: Axis {
                    ticks: a.values.iter().map(|x| to_f64(*x)).collect(),
                    ..Self::vary_axis(a)
                },
                y,
                series,
            }),
        }
    }

    /// Two-way: metric `k` over the grid, `a`'s values down and `b`'s across.
    fn heatmap_panel(&self, a: &Vary, b: &Vary, k: usize) -> Panel {
        let s = &self.sweep;
        let metric = &s.metrics[k];
        let n = b.values.len();
        // A parameter's values with the same decimals down (or across)
        // the map, `0.20`, `0.35`, as its cells are; amounts of millions
        // and more for people, `1.5 bn`.
        let shown_values = |v: &Vary| {
            let dp = Self::vary_axis(v).places;
            let large = v.values.iter().any(|x| to_f64(*x).abs() >= 1e6);
            v.values
                .iter()
                .map(|x| {
                    if large {
                        human(to_f64(*x), 6)
                    } else {
                        display(*x, dp)
                    }
                })
                .collect()
        };
        let cells = (0..a.values.len())
            .map(|i| (0..n).map(|j| to_f64(s.points[i * n + j][k])).collect())
            .collect();
        Panel {
            heading: format!(
                "{}: rows {}, columns {}",
                self.model.metric_label(metric).label,
                lower_first(&param_name(&a.path)),
                lower_first(&param_name(&b.path))
            ),
            plot: Plot::Heatmap(Heatmap {
                x: Axis::categories(Self::vary_axis(b).label, shown_values(b)),
                y: Axis::categories(Self::vary_axis(a).label, shown_values(a)),
                value: self.metric_axis(k, metric),
                cells,
            }),
        }
    }

    /// One-way: the data table with a line chart; two-way: a sheet per
    /// metric, the second parameter's values as numbers across the top.
    fn sheets(&self) -> Vec<Sheet> {
        let s = &self.sweep;
        match s.varies.as_slice() {
            [a] => {
                let (_, table) = self.tables().remove(0);
                let sheet = Sheet::from_table("Sweep", &table).frozen(1);
                let n = a.values.len() as u32;
                let series = (0..s.metrics.len())
                    .map(|k| (s.metrics[k].clone(), Span::column(k as u16 + 1, 1, n)))
                    .collect();
                let at = (1, s.metrics.len() as u16 + 2);
                vec![sheet.chart(SheetChart {
                    kind: ChartKind::Line,
                    title: format!("Sweep of {}", a.path),
                    x_title: a.path.clone(),
                    y_title: self.units.first().map_or(String::new(), |u| unit_words(u)),
                    categories: Span::column(0, 1, n),
                    series,
                    at,
                })]
            }
            [_, b] => self
                .tables()
                .into_iter()
                .zip(&s.metrics)
                .map(|((_, table), metric)| {
                    let mut sheet = Sheet::from_table(metric.as_str(), &table).frozen(1);
                    for (cell, y) in sheet.header.iter_mut().skip(1).zip(&b.values) {
                        *cell = Cell::num(shown(*y));
                    }
                    sheet
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The parameter values of point `p`.
    fn inputs(&self, p: usize) -> Vec<Decimal> {
        match self.sweep.varies.as_slice() {
            [a] => vec![a.values[p]],
            [a, b] => {
                let n = b.values.len();
                vec![a.values[p / n], b.values[p % n]]
            }
            _ => Vec::new(),
        }
    }

    /// One data table, or with two parameters one two-way table per metric.
    fn tables(&self) -> Vec<(Option<String>, Table)> {
        let s = &self.sweep;
        match s.varies.as_slice() {
            [a] => {
                let mut header = vec![a.path.clone()];
                header.extend(s.metrics.iter().cloned());
                let mut t = Table::new(header, 0).series_from(1);
                for (x, values) in a.values.iter().zip(&s.points) {
                    let mut row = vec![Cell::num(shown(*x))];
                    row.extend(values.iter().map(|v| Cell::num(*v)));
                    t.push(row);
                }
                vec![(None, t)]
            }
            [a, b] => s
                .metrics
                .iter()
                .enumerate()
                .map(|(k, metric)| {
                    let mut header = vec![format!("{} \\ {}", a.path, b.path)];
                    header.extend(b.values.iter().map(|y| thousands(shown(*y))));
                    let mut t = Table::new(header, 0).series_from(1);
                    for (i, x) in a.values.iter().enumerate() {
                        let mut row = vec![Cell::num(shown(*x))];
                        row.extend(
                            (0..b.values.len()).map(|j| Cell::num(s.points[i * b.values.len() + j][k])),
                        );
                        t.push(row);
                    }
                    let title = format!("{metric} (rows: {}, columns: {})", a.path, b.path);
                    (Some(title), t)
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

crate::render::formats!(SweepReport: CHART_BOOK);

impl Report for SweepReport {
    fn document(&self) -> Document {
        let paths: Vec<&str> = self.sweep.varies.iter().map(|v| v.path.as_str()).collect();
        let n: usize = self.sweep.varies.iter().map(|v| v.values.len()).product();
        let subject = format!("Sweep of {}", paths.join(" and "));
        let mut doc = Document::new();
        doc.push(Block::Title {
            model: self.model.name.clone(),
            terminal: Some(format!("{subject} ({})", plural(n, "run"))),
            subject: Some(subject),
        });
        self.model.note_what_if(&mut doc);
        for (title, table) in self.tables() {
            if let Some(t) = title {
                doc.blank().heading(3, t).spacer();
            }
            doc.table(table);
        }
        self.model.note_averages(&mut doc, &self.sweep.metrics);
        doc
    }

    fn chart(&self) -> Option<Chart> {
        Some(self.model.chart(self.subject(), self.panels()))
    }

    fn book(&self) -> Option<Book> {
        Some(self.model.book(self.sheets()))
    }

    /// Long form: `PATH1[,PATH2],metric,value`, a row per point and metric.
    fn csv(&self) -> Option<Table> {
        let s = &self.sweep;
        let mut header: Vec<String> = s.varies.iter().map(|v| v.path.clone()).collect();
        header.extend(["metric".to_string(), "value".to_string()]);
        let mut t = Table::new(header, 0);
        for (p, values) in s.points.iter().enumerate() {
            let inputs: Vec<Cell> = self
                .inputs(p)
                .into_iter()
                .map(|x| Cell::plain(shown(x)))
                .collect();
            for (metric, v) in s.metrics.iter().zip(values) {
                let mut row = inputs.clone();
                row.push(Cell::from(metric));
                row.push(Cell::plain(*v));
                t.push(row);
            }
        }
        Some(t)
    }
}

/// `{"model", "vary": [{"path", "values"}], "metrics", "points":
/// [{"inputs": {path: value}, "metrics": {metric: value}}]}`, every number
/// a decimal string.
impl Serialize for SweepReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Vary<'a> {
            path: &'a str,
            values: Vec<Decimal>,
        }
        #[derive(Serialize)]
        struct Point<'a> {
            inputs: Pairs<&'a str, Decimal>,
            metrics: Pairs<&'a str, Decimal>,
        }
        #[derive(Serialize)]
        #[serde(bound = "Lazy<P>: Serialize")]
        struct Json<'a, P> {
            model: &'a ModelInfo,
            vary: Vec<Vary<'a>>,
            metrics: &'a [String],
            points: Lazy<P>,
        }
        let sweep = &self.sweep;
        let points = || {
            sweep.points.iter().enumerate().map(|(p, values)| Point {
                inputs: sweep
                    .varies
                    .iter()
                    .zip(self.inputs(p))
                    .map(|(v, x)| (v.path.as_str(), shown(x)))
                    .collect(),
                metrics: sweep
                    .metrics
                    .iter()
                    .map(String::as_str)
                    .zip(values.iter().copied())
                    .collect(),
            })
        };
        Json {
            model: &self.model,
            vary: sweep
                .varies
                .iter()
                .map(|v| Vary {
                    path: &v.path,
                    values: v.values.iter().map(|x| shown(*x)).collect(),
                })
                .collect(),
            metrics: &sweep.metrics,
            points: Lazy(points),
        }
        .serialize(s)
    }
}
