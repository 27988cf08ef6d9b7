//! `morris`: Morris elementary-effects screening, mu*, mu and sigma of
//! each uncertain input for each metric, largest mu* first; drawn as μ*
//! against σ.

use serde::{Serialize, Serializer};

use super::{param_name, ModelInfo, Stat};
use crate::model::unit_label;
use crate::render::chart::{Axis, Panel, Plot, Scatter};
use crate::render::count;
use crate::render::{one_or_list, Cell, Chart, Document, Pairs, Report, Table};
use crate::uncertainty_analysis::morris::Effect;

/// The screening of every metric.
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisReport {
    /// The model screened.
    pub model: ModelInfo,
    /// Trajectories.
    pub r: usize,
    /// Levels of each input's grid.
    pub levels: u32,
    /// Model runs it took: trajectories × (inputs + 1).
    pub evaluations: u64,
    /// Input paths, in order.
    pub paths: Vec<String>,
    /// Metric names and units, in order.
    pub metrics: Vec<(String, String)>,
    /// `[metric][input]`.
    pub effects: Vec<Vec<Effect>>,
}

impl MorrisReport {
    fn add_metric(&self, (m, unit): &(String, String), e: &[Effect], doc: &mut Document) {
        let num = |v: f64| Stat::of(unit, v, true).cell();
        let mut t = Table::new(["input", "mu*", "mu", "sigma"], 1);
        let order = super::largest_first(e, |x| x.mu_star);
        for j in order {
            t.push([
                Cell::from(&self.paths[j]),
                num(e[j].mu_star),
                num(e[j].mu),
                num(e[j].sigma),
            ]);
        }
        doc.line(format!(
            "Morris screening of {m} ({} trajectories, {} levels, {} evaluations); effects in {unit} for a move across half of an input's range of probability",
            self.r,
            self.levels,
            count(self.evaluations)
        ))
        .blank()
        .table(t)
        .blank()
        .line("mu* ranks the inputs; sigma large next to mu* means interactions or a non-linear effect.");
    }
}

/// `text, unit)`, or `text)` for a quantity without a unit.
fn with_unit(text: &str, unit: &str) -> String {
    match unit_label(unit) {
        "" => format!("{text})"),
        u => format!("{text}, {u})"),
    }
}

crate::render::formats!(MorrisReport: CHART);

impl Report for MorrisReport {
    fn document(&self) -> Document {
        let mut doc = Document::new();
        self.model.note_what_if(&mut doc);
        doc.parts(self.metrics.iter().zip(&self.effects), |doc, (m, e)| {
            self.add_metric(m, e, doc)
        });
        self.model.note_averages(
            &mut doc,
            &self.metrics.iter().map(|m| m.0.clone()).collect::<Vec<_>>(),
        );
        doc
    }

    /// A panel per metric: each input at (μ*, σ), largest μ* first.
    fn chart(&self) -> Option<Chart> {
        let panels = self
            .metrics
            .iter()
            .zip(&self.effects)
            .map(|((m, unit), e)| {
                let order = super::largest_first(e, |x| x.mu_star);
                let dp = Stat::of(unit, e.iter().map(|x| x.mu_star).fold(0.0, f64::max), true).places;
                Panel {
                    heading: format!(
                        "Morris screening of the {}: mean absolute effect against its spread",
                        super::phrase(&self.model.metric_label(m))
                    ),
                    plot: Plot::Scatter(Scatter {
                        // Money reads "$5 bn" on the ticks, as every dollar axis.
                        x: Axis {
                            dollars: unit.starts_with("USD"),
                            ..Axis::new(with_unit("μ* (mean absolute effect", unit), dp.min(4))
                        },
                        y: Axis {
                            dollars: unit.starts_with("USD"),
                            ..Axis::new(with_unit("σ (spread of the effects", unit), dp.min(4))
                        },
                        points: order
                            .iter()
                            .map(|&j| (param_name(&self.paths[j]), e[j].mu_star, e[j].sigma))
                            .collect(),
                    }),
                }
            })
            .collect();
        Some(self.model.chart(
            format!(
                "Morris screening ({} trajectories, {} levels, {} evaluations)",
                self.r,
                self.levels,
                count(self.evaluations)
            ),
            panels,
        ))
    }

    /// `metric,input,mu_star,mu,sigma`.
    fn csv(&self) -> Option<Table> {
        let mut t = Table::new(["metric", "input", "mu_star", "mu", "sigma"], 0);
        for ((m, unit), e) in self.metrics.iter().zip(&self.effects) {
            let num = |v: f64| Stat::of(unit, v, true).cell();
            for (p, x) in self.paths.iter().zip(e) {
                t.push([
                    Cell::from(m),
                    Cell::from(p),
                    num(x.mu_star),
                    num(x.mu),
                    num(x.sigma),
                ]);
            }
        }
        Some(t)
    }
}

#[derive(Serialize)]
struct EffectJson {
    mu_star: Stat,
    mu: Stat,
    sigma: Stat,
}

#[derive(Serialize)]
struct MetricJson<'a> {
    model: &'a ModelInfo,
    metric: &'a str,
    r: String,
    levels: String,
    effects: Pairs<&'a str, EffectJson>,
}

/// One object per metric, `{"model", "metric", "r", "levels", "effects": {input:
/// {"mu_star", "mu", "sigma"}}}`; the object alone for one metric, else a
/// list of them.
impl Serialize for MorrisReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let all: Vec<MetricJson> = self
            .metrics
            .iter()
            .zip(&self.effects)
            .map(|((m, unit), e)| {
                let num = |v: f64| Stat::of(unit, v, true);
                let effects = self.paths.iter().zip(e).map(|(p, x)| {
                    let json = EffectJson {
                        mu_star: num(x.mu_star),
                        mu: num(x.mu),
                        sigma: num(x.sigma),
                    };
                    (p.as_str(), json)
                });
                MetricJson {
                    model: &self.model,
                    metric: m,
                    r: self.r.to_string(),
                    levels: self.levels.to_string(),
                    effects: effects.collect(),
                }
            })
            .collect();
        one_or_list(&all, s)
    }
}
