//! `sobol`: first-order and total Sobol indices of each uncertain input
//! for each metric, with their bootstrap 95% intervals, drawn as S1 and ST
//! bars with the intervals as whiskers.

use serde::{Serialize, Serializer};

use super::{param_name, ModelInfo, Stat};
use crate::render::chart::{Axis, Intervals, Panel, Plot};
use crate::render::count;
use crate::render::{one_or_list, Cell, Chart, Document, Pairs, Report, Table};
use crate::uncertainty_analysis::sobol::{Indices, OutputIndices};

/// Sobol indices of every metric.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolReport {
    /// The model analysed.
    pub model: ModelInfo,
    /// Rows of each Saltelli matrix.
    pub n: u32,
    /// Model runs it took: N × (inputs + 2).
    pub evaluations: u64,
    /// Input paths, in order.
    pub paths: Vec<String>,
    /// Metric names, in order.
    pub names: Vec<String>,
    /// One per metric.
    pub results: Vec<OutputIndices>,
}

/// An index as reported: four places.
fn index(v: f64) -> Stat {
    Stat::new(v, 4)
}

impl SobolReport {
    fn add_metric(&self, metric: &str, r: &OutputIndices, doc: &mut Document) {
        let mut t = Table::new(["input", "S1 (alone)", "±", "ST (with interactions)", "±"], 1);
        let order = super::largest_first(&r.indices, |x| x.st);
        for i in order {
            let ix = &r.indices[i];
            t.push([
                Cell::from(&self.paths[i]),
                index(ix.s1).cell(),
                index(ix.s1_conf).cell(),
                index(ix.st).cell(),
                index(ix.st_conf).cell(),
            ]);
        }
        let s1: f64 = r.indices.iter().map(|ix| ix.s1).sum();
        doc.line(format!(
            "Sobol indices of {metric} (N = {}, {} evaluations; ± is the 95% bootstrap interval)",
            count(u64::from(self.n)),
            count(self.evaluations)
        ))
        .blank()
        .table(t)
        .blank()
        .line(format!(
            "S1 add up to {}: about {}% of the variance of {metric} comes from interactions between inputs.",
            Stat::new(s1, 2).plain(),
            Stat::new((100.0 * (1.0 - s1)).max(0.0), 0).plain()
        ));
    }
}

crate::render::formats!(SobolReport: CHART);

impl Report for SobolReport {
    fn document(&self) -> Document {
        let mut doc = Document::new();
        doc.parts(self.names.iter().zip(&self.results), |doc, (m, r)| {
            self.add_metric(m, r, doc)
        });
        self.model.note_averages(&mut doc, &self.names);
        doc
    }

    /// A panel per metric: the inputs by total index, largest first.
    fn chart(&self) -> Option<Chart> {
        let panels = self
            .names
            .iter()
            .zip(&self.results)
            .map(|(m, r)| {
                let order = super::largest_first(&r.indices, |x| x.st);
                let pick = |f: fn(&Indices) -> (f64, f64)| order.iter().map(|&i| f(&r.indices[i])).collect();
                Panel {
                    heading: format!(
                        "Share of the variance of the {} due to each input",
                        super::phrase(&self.model.metric_label(m))
                    ),
                    plot: Plot::Intervals(Intervals {
                        x: Axis::new("Sobol index (share of variance), with 95% bootstrap interval", 4),
                        groups: order.iter().map(|&i| param_name(&self.paths[i])).collect(),
                        series: vec![
                            ("S1: the input alone".into(), pick(|ix| (ix.s1, ix.s1_conf))),
                            ("ST: with its interactions".into(), pick(|ix| (ix.st, ix.st_conf))),
                        ],
                    }),
                }
            })
            .collect();
        Some(self.model.chart(
            format!(
                "Sobol indices (N = {}, {} evaluations)",
                count(u64::from(self.n)),
                count(self.evaluations)
            ),
            panels,
        ))
    }

    /// `metric,input,S1,S1_conf,ST,ST_conf`.
    fn csv(&self) -> Option<Table> {
        let mut t = Table::new(["metric", "input", "S1", "S1_conf", "ST", "ST_conf"], 0);
        for (m, r) in self.names.iter().zip(&self.results) {
            for (p, ix) in self.paths.iter().zip(&r.indices) {
                t.push([
                    Cell::from(m),
                    Cell::from(p),
                    index(ix.s1).cell(),
                    index(ix.s1_conf).cell(),
                    index(ix.st).cell(),
                    index(ix.st_conf).cell(),
                ]);
            }
        }
        Some(t)
    }
}

#[derive(Serialize)]
#[allow(non_snake_case)]
struct IndicesJson {
    S1: Stat,
    S1_conf: Stat,
    ST: Stat,
    ST_conf: Stat,
}

#[derive(Serialize)]
struct MetricJson<'a> {
    metric: &'a str,
    n: String,
    indices: Pairs<&'a str, IndicesJson>,
}

impl SobolReport {
    fn json_of<'a>(&'a self, metric: &'a str, r: &'a OutputIndices) -> MetricJson<'a> {
        let indices = self
            .paths
            .iter()
            .zip(&r.indices)
            .map(|(p, ix): (&String, &Indices)| {
                let json = IndicesJson {
                    S1: index(ix.s1),
                    S1_conf: index(ix.s1_conf),
                    ST: index(ix.st),
                    ST_conf: index(ix.st_conf),
                };
                (p.as_str(), json)
            });
        MetricJson {
            metric,
            n: self.n.to_string(),
            indices: indices.collect(),
        }
    }
}

/// One object per metric, `{"metric", "n", "indices": {input: {"S1",
/// "S1_conf", "ST", "ST_conf"}}}`; the object alone for one metric, else a
/// list of them.
impl Serialize for SobolReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let all: Vec<MetricJson> = self
            .names
            .iter()
            .zip(&self.results)
            .map(|(m, r)| self.json_of(m, r))
            .collect();
        one_or_list(&all, s)
    }
}
