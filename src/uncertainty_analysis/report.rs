//! The Monte Carlo report: per metric its mean, sd, standard error,
//! percentiles, min and max; for each uncertain input its Spearman rank
//! correlation with each metric (what drives the range); with `--until`,
//! which statistics converged. Rendered as a table, CSV, JSON or Markdown;
//! `merge` renders the same report from shards, byte for byte.

use std::io::{self, Write};

use rayon::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use super::count_text;
use super::design::Sampler;
use super::mc::{Convergence, Samples};
use super::stats::{rank, rank_units, spearman, summarize, Summary, PERCENTILES};
use crate::render::{display, places, Format, Grid};
use crate::sampling::exact::f64_to_decimal;

/// What a run was, for the report's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    pub seed: u64,
    pub sampler: Sampler,
    /// Input paths, in order.
    pub inputs: Vec<String>,
    /// Metric names and units, in order.
    pub metrics: Vec<(String, String)>,
}

/// Statistics of one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricStats {
    pub name: String,
    pub unit: String,
    pub summary: Summary,
    /// Spearman's rho with each input (`None` when either is constant).
    pub drivers: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct McReport {
    pub n: u64,
    pub info: RunInfo,
    pub metrics: Vec<MetricStats>,
    pub convergence: Option<Convergence>,
}

impl McReport {
    /// Computes the report; `samples` is consumed column by column to keep
    /// memory down.
    pub fn compute(info: RunInfo, samples: Samples, convergence: Option<Convergence>) -> McReport {
        let n = samples.len();
        let k = samples.inputs.len();
        // Every column ranked in one parallel pass; metrics also summarised.
        enum Column {
            Input(Vec<i64>),
            Metric(Vec<f64>),
        }
        let columns: Vec<(Vec<u32>, Option<Summary>)> = samples
            .inputs
            .into_par_iter()
            .map(Column::Input)
            .chain(samples.metrics.into_par_iter().map(Column::Metric))
            .map(|col| match col {
                Column::Input(units) => (rank_units(&units), None),
                Column::Metric(xs) => {
                    let ranked = rank(&xs);
                    let summary = summarize(&xs, &ranked.sorted);
                    (ranked.ranks2, Some(summary))
                }
            })
            .collect();
        let (inputs, outputs) = columns.split_at(k);
        let metrics = outputs
            .par_iter()
            .zip(info.metrics.par_iter())
            .map(|((ranks, summary), (name, unit))| MetricStats {
                name: name.clone(),
                unit: unit.clone(),
                summary: summary.clone().unwrap_or_else(|| summarize(&[], &[])),
                drivers: inputs.iter().map(|(r, _)| spearman(r, ranks)).collect(),
            })
            .collect();
        McReport {
            n,
            info,
            metrics,
            convergence,
        }
    }

    pub fn write(&self, format: Format, out: &mut dyn Write) -> io::Result<()> {
        match format {
            Format::Json => {
                serde_json::to_writer_pretty(&mut *out, &self.json())?;
                writeln!(out)
            }
            Format::Csv => self.csv(out),
            Format::Table => self.text(out, false),
            Format::Md => self.text(out, true),
        }
    }

    /// The statistics of a metric as `(name, value)` pairs, in report order.
    fn rows(s: &Summary) -> Vec<(&'static str, f64, bool)> {
        let mut v = vec![("mean", s.mean, false), ("sd", s.sd, true), ("se", s.se, true)];
        for (i, (name, _)) in PERCENTILES.iter().enumerate() {
            v.push((name, s.percentiles[i], false));
        }
        v.push(("min", s.min, false));
        v.push(("max", s.max, false));
        v
    }

    fn json(&self) -> Value {
        let mut metrics = Map::new();
        let mut drivers = Map::new();
        for m in &self.metrics {
            let stats: Map<String, Value> = Self::rows(&m.summary)
                .into_iter()
                .map(|(k, v, spread)| {
                    (
                        k.to_string(),
                        Value::String(plain(v, stat_places(&m.unit, v, spread))),
                    )
                })
                .collect();
            metrics.insert(m.name.clone(), Value::Object(stats));
            let d: Map<String, Value> = self
                .info
                .inputs
                .iter()
                .zip(&m.drivers)
                .map(|(p, r)| (p.clone(), r.map_or(Value::Null, |r| Value::String(plain(r, 4)))))
                .collect();
            drivers.insert(m.name.clone(), Value::Object(d));
        }
        let mut root = Map::new();
        root.insert("n".into(), Value::String(self.n.to_string()));
        root.insert("seed".into(), Value::String(self.info.seed.to_string()));
        root.insert("sampler".into(), Value::String(self.info.sampler.name().into()));
        root.insert("metrics".into(), Value::Object(metrics));
        root.insert("drivers".into(), Value::Object(drivers));
        if let Some(c) = &self.convergence {
            let mut per = Map::new();
            for (m, checks) in self.metrics.iter().zip(&c.checks) {
                let mut t = Map::new();
                for (target, ch) in c.targets.iter().zip(checks) {
                    t.insert(
                        target.stat.name().into(),
                        json!({
                            "relative_half_width": relative_text(ch.relative),
                            "target": plain(target.tolerance, 6),
                            "converged": ch.converged,
                        }),
                    );
                }
                per.insert(m.name.clone(), Value::Object(t));
            }
            root.insert(
                "convergence".into(),
                json!({"converged": c.all(), "max_n": c.max_draws.to_string(), "statistics": per}),
            );
        }
        Value::Object(root)
    }

    fn csv(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["metric", "statistic", "input", "value"])?;
        for m in &self.metrics {
            for (k, v, spread) in Self::rows(&m.summary) {
                w.write_record([m.name.as_str(), k, "", &plain(v, stat_places(&m.unit, v, spread))])?;
            }
            for (p, r) in self.info.inputs.iter().zip(&m.drivers) {
                let v = r.map_or(String::new(), |r| plain(r, 4));
                w.write_record([m.name.as_str(), "spearman_rho", p.as_str(), &v])?;
            }
        }
        if let Some(c) = &self.convergence {
            for (m, checks) in self.metrics.iter().zip(&c.checks) {
                for (target, ch) in c.targets.iter().zip(checks) {
                    let stat = format!("converged:{}", target.stat.name());
                    w.write_record([
                        m.name.as_str(),
                        &stat,
                        "",
                        if ch.converged { "true" } else { "false" },
                    ])?;
                }
            }
        }
        w.flush()
    }

    fn text(&self, out: &mut dyn Write, md: bool) -> io::Result<()> {
        let grid = |g: &Grid, out: &mut dyn Write| if md { g.markdown(out) } else { g.table(out) };
        writeln!(
            out,
            "Monte Carlo: {} draws ({} sampler, seed {})",
            count_text(self.n),
            self.info.sampler.name(),
            self.info.seed
        )?;
        writeln!(out)?;
        let mut header = vec!["statistic".to_string()];
        header.extend(self.metrics.iter().map(|m| m.name.clone()));
        let mut g = Grid::new(header.clone(), 1);
        if let Some(first) = self.metrics.first() {
            for (i, (k, _, _)) in Self::rows(&first.summary).iter().enumerate() {
                let mut row = vec![k
                    .to_uppercase()
                    .replace("MEAN", "mean")
                    .replace("SD", "sd")
                    .replace("SE", "se")];
                row[0] = label(k);
                for m in &self.metrics {
                    let (_, v, spread) = Self::rows(&m.summary)[i];
                    row.push(display(
                        decimal(v, stat_places(&m.unit, v, spread)),
                        stat_places(&m.unit, v, spread),
                    ));
                }
                g.push(row);
            }
        }
        grid(&g, out)?;
        writeln!(out)?;
        writeln!(
            out,
            "What drives the range: Spearman rank correlation of each input with each metric"
        )?;
        writeln!(out)?;
        let mut header = vec!["input".to_string()];
        header.extend(self.metrics.iter().map(|m| m.name.clone()));
        let mut g = Grid::new(header, 1);
        for j in self.driver_order() {
            let mut row = vec![self.info.inputs[j].clone()];
            for m in &self.metrics {
                row.push(m.drivers[j].map_or("–".to_string(), |r| plain(r, 4)));
            }
            g.push(row);
        }
        grid(&g, out)?;
        if let Some(c) = &self.convergence {
            writeln!(out)?;
            self.convergence_text(c, out, md)?;
        }
        writeln!(out)?;
        for m in &self.metrics {
            writeln!(out, "{}", self.headline(m))?;
        }
        Ok(())
    }

    fn convergence_text(&self, c: &Convergence, out: &mut dyn Write, md: bool) -> io::Result<()> {
        if c.all() {
            writeln!(
                out,
                "Converged after {} draws (at most {}):",
                count_text(self.n),
                count_text(c.max_draws)
            )?;
        } else {
            writeln!(
                out,
                "Not every statistic converged within {} draws:",
                count_text(c.max_draws)
            )?;
        }
        writeln!(out)?;
        let mut g = Grid::new(
            ["metric", "statistic", "±95% (relative)", "target", "converged"],
            2,
        );
        for (m, checks) in self.metrics.iter().zip(&c.checks) {
            for (t, ch) in c.targets.iter().zip(checks) {
                g.push([
                    m.name.clone(),
                    label(t.stat.name()),
                    format!("{}%", relative_pct(ch.relative)),
                    t.text.clone(),
                    if ch.converged { "yes" } else { "no" }.to_string(),
                ]);
            }
        }
        if md {
            g.markdown(out)
        } else {
            g.table(out)
        }
    }

    /// Inputs by the size of their correlation with the first metric.
    fn driver_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.info.inputs.len()).collect();
        if let Some(first) = self.metrics.first() {
            let key = |j: &usize| first.drivers[*j].map_or(-1.0, f64::abs);
            order.sort_by(|a, b| key(b).total_cmp(&key(a)).then(a.cmp(b)));
        }
        order
    }

    /// "parallel_rate: most likely 1,640.12 to 1,830.55 (P5–P95), driven
    /// mostly by auction.rejection_rate (Spearman 0.82)."
    fn headline(&self, m: &MetricStats) -> String {
        let s = &m.summary;
        let (lo, hi) = (s.percentiles[0], s.percentiles[6]);
        // Enough places to show the P5–P95 spread to two or three digits.
        let spread = hi - lo;
        let p = if spread > 0.0 && spread.is_finite() {
            (2 - spread.log10().floor() as i32).clamp(0, places(&m.unit).max(2) as i32) as u32
        } else {
            places(&m.unit).max(2)
        };
        let show = |v: f64| {
            let t = display(decimal(v, p), p);
            if m.unit == "%" {
                format!("{t}%")
            } else {
                t
            }
        };
        let unit = if m.unit == "%" {
            String::new()
        } else {
            format!(" {}", m.unit)
        };
        let range = format!(
            "{}: most likely {} to {}{unit} (P5–P95)",
            m.name,
            show(lo),
            show(hi)
        );
        let best = (0..self.info.inputs.len())
            .filter_map(|j| m.drivers[j].map(|r| (j, r)))
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(&a.0)));
        match best {
            Some((j, r)) if r.abs() >= 0.1 => format!(
                "{range}, driven mostly by {} (Spearman {}).",
                self.info.inputs[j],
                plain(r, 2)
            ),
            _ => format!("{range}; no input has a rank correlation of 0.1 or more with it."),
        }
    }
}

fn label(k: &str) -> String {
    match k {
        "mean" | "sd" | "se" | "min" | "max" => k.to_string(),
        _ => k.to_uppercase(),
    }
}

/// Places a statistic is shown with: those of the metric's unit (at least
/// two), and for a spread (sd, se) enough for three significant digits.
pub(crate) fn stat_places(unit: &str, v: f64, spread: bool) -> u32 {
    let base = places(unit).max(2);
    if !spread || v == 0.0 || !v.is_finite() {
        return base;
    }
    let digits = 2 - v.abs().log10().floor() as i32;
    (digits.max(base as i32) as u32).min(12)
}

fn decimal(v: f64, dp: u32) -> Decimal {
    f64_to_decimal(v, dp).unwrap_or_default()
}

/// `v` rounded half-to-even to `dp` places, plain (no separators).
pub fn plain(v: f64, dp: u32) -> String {
    match f64_to_decimal(v, dp) {
        Some(d) => crate::number::clean(d).to_string(),
        None => v.to_string(),
    }
}

fn relative_pct(r: f64) -> String {
    if r.is_finite() {
        plain(100.0 * r, 3)
    } else {
        "∞".into()
    }
}

fn relative_text(r: f64) -> Value {
    if r.is_finite() {
        Value::String(plain(r, 6))
    } else {
        Value::Null
    }
}
