//! `sweep`: the data table of a spreadsheet. One parameter gives a row
//! per value and a column per metric; two give one two-way table per
//! metric (rows the first parameter, columns the second).

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{shown, ModelInfo};
use crate::model::Model;
use crate::render::{thousands, Block, Cell, Document, Lazy, Pairs, Report, Table};
use crate::sensitivity::count;
use crate::sensitivity::sweep::Sweep;

/// A sweep of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepReport {
    pub model: ModelInfo,
    pub sweep: Sweep,
}

impl SweepReport {
    pub fn new(model: &Model, sweep: Sweep) -> Self {
        SweepReport {
            model: ModelInfo::of(model),
            sweep,
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
                let mut t = Table::new(header, 0);
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
                    let mut t = Table::new(header, 0);
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

impl Report for SweepReport {
    fn document(&self) -> Document {
        let paths: Vec<&str> = self.sweep.varies.iter().map(|v| v.path.as_str()).collect();
        let n: usize = self.sweep.varies.iter().map(|v| v.values.len()).product();
        let subject = format!("Sweep of {}", paths.join(" and "));
        let mut doc = Document::new();
        doc.push(Block::Title {
            model: self.model.name.clone(),
            terminal: Some(format!("{subject} ({})", count(n, "run"))),
            subject: Some(subject),
        });
        for (title, table) in self.tables() {
            if let Some(t) = title {
                doc.blank().heading(3, t).spacer();
            }
            doc.table(table);
        }
        doc
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
