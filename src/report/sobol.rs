//! `sobol`: first-order and total Sobol indices of each uncertain input
//! for each metric, with their bootstrap 95% intervals, drawn as S1 and ST
//! bars with the intervals as whiskers; "–" (null in JSON) for a metric
//! that does not vary, whose indices are undefined.

use serde::{Serialize, Serializer};

use super::{param_name, ModelInfo, Stat};
use crate::render::chart::{Axis, Intervals, Panel, Plot};
use crate::render::count;
use crate::render::{one_or_list, Cell, Chart, Document, Pairs, Report, Table};
use crate::uncertainty_analysis::sobol::{Indices, OutputIndices, WIDE};

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

/// An index of `r` as a cell: "–" (empty in CSV) when the metric does not
/// vary, so that no index is defined.
fn index_cell(r: &OutputIndices, v: f64) -> Cell {
    if r.defined() {
        index(v).cell()
    } else {
        Cell::Empty
    }
}

/// An index of `r` for JSON: null when undefined.
fn index_json(r: &OutputIndices, v: f64) -> Option<Stat> {
    r.defined().then(|| index(v))
}

/// What the sum of S1 says about interactions, for people: a share only
/// when the sum's 95% interval is no wider than ±[`WIDE`] and reaches into
/// 0 to 1 (a sum of 1.003 ± 0.09 says "about 0%", not "too noisy");
/// otherwise that the estimates are too noisy to split, and how to make
/// them firmer where -n can still grow.
pub(crate) fn interactions_sentence(metric: &str, r: &OutputIndices, n: u32) -> String {
    if !r.defined() {
        return format!(
            "{metric} does not vary with these inputs (its variance is 0), so its Sobol indices are undefined."
        );
    }
    let (sum, conf) = (r.s1_sum(), r.s1_sum_conf);
    let two = |v: f64| Stat::new(v, 2).plain();
    let firmer = || {
        if n >= crate::uncertainty_analysis::sobol::MAX_N {
            format!(
                "-n is at its most ({}), so these are as firm as sobol gets here",
                count(u64::from(n))
            )
        } else {
            format!("raise -n (now {}) for firmer estimates", count(u64::from(n)))
        }
    };
    // Every share of the variance is counted in the ST of each input it
    // involves, so the ST add up to at least 1. Short of 1 even with their
    // intervals, they have missed part of the variance (a metric that moves
    // in a few draws only), and 1 − ΣS1 would call what they missed
    // interactions.
    let st_sum: f64 = r.indices.iter().map(|ix| ix.st).sum();
    let st_room: f64 = r.indices.iter().map(|ix| ix.st_conf).sum();
    if st_sum + st_room < 1.0 {
        return format!(
            "ST add up to {} (with their 95% intervals, at most {}), short of the 1 they add up to at least: these estimates miss part of the variance of {metric} (as when it moves in a few draws only), so they cannot split it between the inputs alone and their interactions; {}.",
            two(st_sum),
            two(st_sum + st_room),
            firmer()
        );
    }
    let interval = format!("95% interval {} to {}", two(sum - conf), two(sum + conf));
    if conf <= WIDE && sum - conf <= 1.0 && sum + conf >= 0.0 {
        let pct = |v: f64| Stat::new((100.0 * v).clamp(0.0, 100.0), 0).plain();
        format!(
            "S1 add up to {} ({interval}): about {}% of the variance of {metric} comes from interactions between inputs ({}% to {}%).",
            two(sum),
            pct(1.0 - sum),
            pct(1.0 - sum - conf),
            pct(1.0 - sum + conf)
        )
    } else {
        format!(
            "S1 add up to {} ({interval}): too noisy to split the variance of {metric} between the inputs alone and their interactions (that needs a 95% interval reaching into 0 to 1, no wider than ±{}); {}.",
            two(sum),
            two(WIDE),
            firmer()
        )
    }
}

impl SobolReport {
    fn add_metric(&self, metric: &str, r: &OutputIndices, doc: &mut Document) {
        let mut t = Table::new(["input", "S1 (alone)", "±", "ST (with interactions)", "±"], 1);
        let order = super::largest_first(&r.indices, |x| x.st);
        let cell = |v: f64| {
            if r.defined() {
                index(v).cell()
            } else {
                Cell::from("–")
            }
        };
        for i in order {
            let ix = &r.indices[i];
            t.push([
                Cell::from(&self.paths[i]),
                cell(ix.s1),
                cell(ix.s1_conf),
                cell(ix.st),
                cell(ix.st_conf),
            ]);
        }
        doc.line(format!(
            "Sobol indices of {metric} (N = {}, {} evaluations; ± is the 95% bootstrap interval)",
            count(u64::from(self.n)),
            count(self.evaluations)
        ))
        .blank()
        .table(t)
        .blank()
        .line(interactions_sentence(metric, r, self.n));
    }
}

crate::render::formats!(SobolReport: CHART);

impl Report for SobolReport {
    fn document(&self) -> Document {
        let mut doc = Document::new();
        self.model.note_what_if(&mut doc);
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
                let what = super::phrase(&self.model.metric_label(m));
                if !r.defined() {
                    // A metric that does not vary has no indices to draw.
                    return Panel {
                        heading: format!(
                            "The {what} does not vary with these inputs: its Sobol indices are undefined"
                        ),
                        plot: Plot::Intervals(Intervals {
                            x: Axis::new("Sobol index (share of variance), with 95% bootstrap interval", 4),
                            groups: order.iter().map(|&i| param_name(&self.paths[i])).collect(),
                            series: Vec::new(),
                        }),
                    };
                }
                Panel {
                    heading: format!("Share of the variance of the {what} due to each input"),
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
                    index_cell(r, ix.s1),
                    index_cell(r, ix.s1_conf),
                    index_cell(r, ix.st),
                    index_cell(r, ix.st_conf),
                ]);
            }
        }
        Some(t)
    }
}

#[derive(Serialize)]
#[allow(non_snake_case)]
struct IndicesJson {
    S1: Option<Stat>,
    S1_conf: Option<Stat>,
    ST: Option<Stat>,
    ST_conf: Option<Stat>,
}

#[derive(Serialize)]
struct MetricJson<'a> {
    model: &'a ModelInfo,
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
                    S1: index_json(r, ix.s1),
                    S1_conf: index_json(r, ix.s1_conf),
                    ST: index_json(r, ix.st),
                    ST_conf: index_json(r, ix.st_conf),
                };
                (p.as_str(), json)
            });
        MetricJson {
            model: &self.model,
            metric,
            n: self.n.to_string(),
            indices: indices.collect(),
        }
    }
}

/// One object per metric, `{"model", "metric", "n", "indices": {input: {"S1",
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Indices whose S1 are `s1`, the sum's interval ±`conf`; each ST is
    /// its S1 plus whatever share 1 − ΣS1 leaves, so the ST add up to at
    /// least 1, as they do when the estimates are sound.
    fn of(variance: f64, s1: &[f64], conf: f64) -> OutputIndices {
        let rest = (1.0 - s1.iter().sum::<f64>()).max(0.0);
        let ix = |s1: f64| Indices {
            s1,
            s1_conf: 0.01,
            st: s1 + rest,
            st_conf: 0.01,
        };
        OutputIndices {
            variance,
            indices: s1.iter().map(|s| ix(*s)).collect(),
            s1_sum_conf: conf,
        }
    }

    #[test]
    fn an_interaction_share_only_from_a_sum_within_0_to_1_known_well_enough() {
        // 0.5 + 0.3 = 0.8 ± 0.05: interactions 20%, 15% to 25%.
        assert_eq!(
            interactions_sentence("m", &of(1.0, &[0.5, 0.3], 0.05), 64),
            "S1 add up to 0.80 (95% interval 0.75 to 0.85): about 20% of the variance of m comes from interactions between inputs (15% to 25%)."
        );
        // 0.99 ± 0.08: 1%, from 0% (−7% clipped) to 9%.
        assert!(interactions_sentence("m", &of(1.0, &[0.99], 0.08), 64)
            .contains("about 1% of the variance of m comes from interactions between inputs (0% to 9%)."));
        // Above 1, below 0, or known only to ±0.2: no share claimed.
        for r in [
            of(1.0, &[0.9, 0.36], 0.05),
            of(1.0, &[-0.6], 0.05),
            of(1.0, &[0.5], 0.2),
        ] {
            let s = interactions_sentence("m", &r, 8192);
            assert!(s.contains("too noisy to split the variance of m"), "{s}");
            assert!(s.ends_with("raise -n (now 8,192) for firmer estimates."), "{s}");
            assert!(!s.contains("% of the variance"), "{s}");
        }
        // 1.003 ± 0.09 reaches into 0 to 1 (it was "too noisy" at -n 65,536):
        // about 0%, from 0% (−9.3% clipped) to 9% (8.7%).
        assert!(interactions_sentence("m", &of(1.0, &[0.6, 0.403], 0.09), 64)
            .contains("about 0% of the variance of m comes from interactions between inputs (0% to 9%)."));
        // Too noisy at the most -n allows: no advice to raise it.
        let most = crate::uncertainty_analysis::sobol::MAX_N;
        let s = interactions_sentence("m", &of(1.0, &[0.5], 0.2), most);
        assert!(
            s.ends_with(&format!(
                "-n is at its most ({}), so these are as firm as sobol gets here.",
                crate::render::count(u64::from(most))
            )),
            "{s}"
        );
        // ST adding up to well short of 1 (flights at -n 1,024 on the
        // default model: every ST 0 ± 0, S1 about −0.0005): the estimates
        // missed the variance, and 1 − ΣS1 ≈ 100% is no interaction share.
        let mut missed = of(1.0, &[-0.0005, -0.0005], 0.005);
        for ix in &mut missed.indices {
            (ix.st, ix.st_conf) = (0.0, 0.0);
        }
        assert_eq!(
            interactions_sentence("flights", &missed, 1024),
            "ST add up to 0.00 (with their 95% intervals, at most 0.00), short of the 1 they add up to at least: \
             these estimates miss part of the variance of flights (as when it moves in a few draws only), so they \
             cannot split it between the inputs alone and their interactions; raise -n (now 1,024) for firmer estimates."
        );
        // ST 0.5 + 0.46 = 0.96, with intervals ±0.04 and ±0.01 up to 1.01:
        // short of 1 by no more than the noise, so the share is given.
        let mut near = of(1.0, &[0.5, 0.4], 0.05);
        near.indices[0].st = 0.5;
        near.indices[1].st = 0.46;
        near.indices[0].st_conf = 0.04;
        assert!(interactions_sentence("m", &near, 64).contains("about 10% of the variance of m"));
        // No variance: no indices, and nothing about interactions.
        let s = interactions_sentence("flights", &of(0.0, &[0.0, 0.0], 0.0), 64);
        assert_eq!(s, "flights does not vary with these inputs (its variance is 0), so its Sobol indices are undefined.");
    }
}
