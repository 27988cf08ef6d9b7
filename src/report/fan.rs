//! How sure: a metric's spread over Monte Carlo draws month by month (P5,
//! P25, median, P75, P95: a fan chart) and the distribution of its summary
//! (a histogram), with the model's base run for comparison. Computed from
//! the draws' columns where `mc` and `brief` build their reports; drawn as
//! two panels and written as a sheet.

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::engine::metrics::{metric_ref_label, MetricLabel, MetricRef};
use crate::engine::{self};
use crate::error::Error;
use crate::model::Model;
use crate::num::binary::f64_to_decimal;
use crate::num::decimal::clean;
use crate::render::book::{ChartKind, SheetChart, Span};
use crate::render::chart::{Axis, Bin, Fan, Histogram, Panel, Plot};
use crate::render::counted;
use crate::render::svg::style::labelled;
use crate::render::{places, Cell, Sheet, Table};
use crate::sensitivity::{metric_name, Progress};
use crate::uncertainty_analysis::request::{monte_carlo, Draws};
use crate::uncertainty_analysis::stats::percentile;
use crate::uncertainty_analysis::{Plan, Sampler};

use super::unit_words;

/// The fan's probabilities.
const BANDS: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];
/// Most bins of the histogram.
const BINS: usize = 30;
/// The probabilities between which the histogram's axis holds the bulk of
/// the draws, before its margin.
const BULK: (f64, f64) = (0.005, 0.995);
/// The margin the histogram's axis leaves on each side of the bulk, as a
/// share of the bulk's width.
const MARGIN: f64 = 0.25;

/// One metric's spread over the draws.
#[derive(Debug, Clone, PartialEq)]
pub struct FanData {
    /// The metric as the user named it (its summary).
    pub metric: String,
    /// The metric's unit, e.g. `IQD/USD`, `USD` or `%`.
    pub unit: String,
    /// Months of the fan; empty when the metric is one month's value.
    pub months: Vec<String>,
    /// P5, P25, P50, P75, P95 per month.
    pub bands: Vec<[f64; 5]>,
    /// The base run by month.
    pub base: Vec<f64>,
    /// The base run by month, exactly (for CSV and JSON).
    pub base_exact: Vec<Decimal>,
    /// The histogram of the summary, over the bulk of the draws.
    pub bins: Vec<Bin>,
    /// The draws of the summary left out of the histogram.
    pub off_axis: OffAxis,
    /// P5, median and P95 of the summary.
    pub summary: [f64; 3],
    /// How many Monte Carlo draws the spread is over.
    pub draws: u64,
    /// The seed of the run, so that it can be reproduced (`mc --seed`).
    pub seed: u64,
    /// σ of the model's own error each month's value carries
    /// (`[forecast_error]`), in percent, if any.
    pub own_error_pct: Option<Decimal>,
    /// The model file's last month (`YYYY-MM`) when `--horizon` ran it on
    /// past it, holding its inputs: the fan marks where that begins.
    pub model_end: Option<String>,
}

/// The finite values of `xs`, in order.
pub(crate) fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut s: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    // A radix sort, as `stats` sorts draws: the order of `f64::total_cmp`.
    radsort::sort(&mut s);
    s
}

/// Draws a histogram leaves out: a few far draws would stretch its axis
/// and squeeze the rest into a few bins.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OffAxis {
    /// How many draws lie below the axis.
    pub below: u64,
    /// How many draws lie above it.
    pub above: u64,
    /// The least draw.
    pub least: f64,
    /// The greatest draw.
    pub greatest: f64,
}

impl OffAxis {
    /// A sentence naming the draws off the axis from `lo` to `hi`, values
    /// printed as labels on `axis` (with its unit); empty for none.
    fn note(&self, lo: f64, hi: f64, axis: &Axis) -> String {
        let draws = |n: u64| counted(n, "draw");
        let side = |n: u64, side: &str, edge: f64, far: &str, end: f64| {
            (n > 0).then(|| {
                format!(
                    "{} {side} {} ({far} {})",
                    draws(n),
                    labelled(axis, edge),
                    labelled(axis, end)
                )
            })
        };
        let parts: Vec<String> = [
            side(self.below, "below", lo, "down to", self.least),
            side(self.above, "above", hi, "up to", self.greatest),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            return String::new();
        }
        format!(
            "Off the axis, which covers the bulk of the draws (P0.5–P99.5 and a margin): {}.",
            parts.join(" and ")
        )
    }
}

/// The bounds of the bulk of the values: P0.5 to P99.5 widened by a
/// quarter of that width on each side.
fn bulk(sorted: &[f64]) -> (f64, f64) {
    let (lo, hi) = (percentile(sorted, BULK.0), percentile(sorted, BULK.1));
    let margin = (hi - lo) * MARGIN;
    (lo - margin, hi + margin)
}

/// Equal-width bins over the values within the bulk's bounds (see
/// [`bulk`]), and the values left out.
fn bins(sorted: &[f64]) -> (Vec<Bin>, OffAxis) {
    let (Some(&least), Some(&greatest)) = (sorted.first(), sorted.last()) else {
        return (Vec::new(), OffAxis::default());
    };
    let (lo, hi) = bulk(sorted);
    let first = sorted.partition_point(|x| *x < lo);
    let last = sorted.partition_point(|x| *x <= hi);
    let off = OffAxis {
        below: first as u64,
        above: (sorted.len() - last) as u64,
        least,
        greatest,
    };
    (equal_bins(sorted.get(first..last).unwrap_or_default()), off)
}

/// Equal-width bins from the least to the greatest value.
fn equal_bins(sorted: &[f64]) -> Vec<Bin> {
    let (Some(&lo), Some(&hi)) = (sorted.first(), sorted.last()) else {
        return Vec::new();
    };
    if hi <= lo {
        return vec![Bin {
            lo,
            hi,
            count: sorted.len() as u64,
        }];
    }
    let k = ((sorted.len() as f64).sqrt().ceil() as usize).clamp(1, BINS);
    let width = (hi - lo) / k as f64;
    let mut out: Vec<Bin> = (0..k)
        .map(|i| Bin {
            lo: lo + width * i as f64,
            hi: if i + 1 == k {
                hi
            } else {
                lo + width * (i + 1) as f64
            },
            count: 0,
        })
        .collect();
    for x in sorted {
        let i = (((x - lo) / width) as usize).min(k - 1);
        out[i].count += 1;
    }
    out
}

/// The spread of each of `metrics` over `n` draws (the same draws as `mc`
/// with the same seed and sampler): what `mc --format svg` and the HTML
/// briefing draw. The draws are counted on `progress`, which may stop
/// them.
pub fn fans(
    model: &Model,
    metrics: &[MetricRef],
    n: u64,
    seed: u64,
    sampler: Sampler,
    progress: &dyn Progress,
) -> Result<Vec<FanData>, Error> {
    let plan = Plan::new(model)?;
    let months: Vec<_> = model.timeline.months.iter().map(|m| m.month).collect();
    // Each metric's summary, then (for a metric over the whole timeline)
    // its value in each month.
    let mut refs = Vec::new();
    for m in metrics {
        refs.push(*m);
        if m.month.is_none() {
            refs.extend(months.iter().map(|&ym| MetricRef {
                month: Some(ym),
                ..MetricRef::new(m.id)
            }));
        }
    }
    let (samples, _) = monte_carlo(model, &plan, &refs, Draws { n, seed, sampler }, &[], progress)?;
    let base = engine::run(model)?;
    let mut columns = samples.metrics.into_iter();
    let mut out = Vec::new();
    for m in metrics {
        let summary = columns.next().unwrap_or_default();
        let (labels, by_month, exact) = if m.month.is_none() {
            let cols: Vec<Vec<f64>> = columns.by_ref().take(months.len()).collect();
            let labels = months.iter().map(|ym| ym.to_string()).collect();
            (labels, cols, m.id.series(&base).into_iter().map(clean).collect())
        } else {
            (Vec::new(), Vec::new(), Vec::new())
        };
        let mut fan = FanData::of(
            metric_name(model, m),
            m.id.unit().to_string(),
            labels,
            &summary,
            &by_month,
            exact.iter().copied().map(crate::num::decimal::to_f64).collect(),
            seed,
        );
        fan.base_exact = exact;
        let name = m.id.name(&model.base);
        fan.own_error_pct = model.quote_error_of(&name).map(|e| e.sigma_pct());
        fan.model_end = model.horizon.map(|h| h.held.to_string());
        out.push(fan);
    }
    Ok(out)
}

impl FanData {
    /// The spread of `metric` from its summary column over the draws and,
    /// for a fan, one column per month.
    pub fn of(
        metric: String,
        unit: String,
        months: Vec<String>,
        summary: &[f64],
        by_month: &[Vec<f64>],
        base: Vec<f64>,
        seed: u64,
    ) -> FanData {
        let s = sorted(summary);
        let bands = by_month
            .iter()
            .map(|col| {
                let c = sorted(col);
                BANDS.map(|q| percentile(&c, q))
            })
            .collect();
        let (bins, off_axis) = bins(&s);
        FanData {
            metric,
            unit,
            months,
            bands,
            base,
            base_exact: Vec::new(),
            summary: [percentile(&s, 0.05), percentile(&s, 0.5), percentile(&s, 0.95)],
            bins,
            off_axis,
            draws: summary.len() as u64,
            seed,
            own_error_pct: None,
            model_end: None,
        }
    }

    /// The metric's label, its summary named over the fan's months.
    fn label(&self) -> MetricLabel {
        let month = |m: Option<&String>| m.and_then(|m| m.parse::<YearMonth>().ok());
        let span = month(self.months.first()).zip(month(self.months.last()));
        metric_ref_label(&self.metric, span)
    }

    fn draws_text(&self) -> String {
        format!("{}, seed {}", counted(self.draws, "draw"), self.seed)
    }

    /// The fan by month (when the metric has months) and the histogram.
    pub fn panels(&self) -> Vec<Panel> {
        let mut panels = Vec::new();
        let label = self.label();
        if !self.months.is_empty() {
            let by_month = if label.unit.is_empty() {
                label.label.clone()
            } else {
                format!("{}, {}", label.label, label.unit)
            };
            panels.push(Panel {
                heading: format!(
                    "{} by month: P5–P95, P25–P75 and median ({}){}",
                    label.label,
                    self.draws_text(),
                    self.own_error_pct
                        .map(|s| format!(", with the model's own error on a quote (σ {s}%)"))
                        .unwrap_or_default()
                ),
                plot: Plot::Fan(Fan {
                    x: Axis::months("", &self.months).held_after(&self.months, self.model_end.as_deref()),
                    y: Axis::in_unit(by_month, &self.unit),
                    bands: self.bands.clone(),
                    base: self.base.clone(),
                }),
            });
        }
        panels.push(Panel {
            heading: format!(
                "{}: distribution over the draws ({})",
                label.without_unit(),
                self.draws_text()
            ),
            plot: Plot::Histogram(Histogram {
                x: Axis::in_unit(label.full(), &self.unit),
                bins: self.bins.clone(),
                marks: vec![
                    ("P5".into(), self.summary[0]),
                    ("median".into(), self.summary[1]),
                    ("P95".into(), self.summary[2]),
                ],
                note: self.histogram_note(),
            }),
        });
        panels
    }

    /// The histogram's note on the draws off its axis; empty for none.
    fn histogram_note(&self) -> String {
        match (self.bins.first(), self.bins.last()) {
            (Some(first), Some(last)) => {
                self.off_axis
                    .note(first.lo, last.hi, &Axis::in_unit("", &self.unit))
            }
            _ => String::new(),
        }
    }

    /// Percentiles by month with the base run, as a table (the fan's
    /// numbers); `None` for a metric of one month.
    pub fn by_month_table(&self) -> Option<Table> {
        if self.months.is_empty() {
            return None;
        }
        let dp = places(&self.unit);
        let cell = |v: f64| f64_to_decimal(v, dp).map_or(Cell::Empty, |d| Cell::fixed(clean(d), dp));
        let mut t = Table::new(["month", "P5", "P25", "median", "P75", "P95", "base run"], 1);
        for (i, m) in self.months.iter().enumerate() {
            let mut row = vec![Cell::from(m)];
            row.extend(self.bands[i].iter().map(|v| cell(*v)));
            row.push(match self.base_exact.get(i) {
                Some(d) => Cell::fixed(*d, dp),
                None => self.base.get(i).map_or(Cell::Empty, |v| cell(*v)),
            });
            t.push(row);
        }
        Some(t)
    }

    /// The metric of month `i` as a reference: `parallel_rate@2023-01`
    /// (the metric's own value that month, whatever its summary).
    pub fn month_metric(&self, i: usize) -> String {
        let name = self.metric.split([':', '@']).next().unwrap_or(&self.metric);
        format!("{name}@{}", self.months[i])
    }

    /// The names of the fan's statistics, as `mc`'s CSV and JSON name
    /// them: `p5`, `p25`, `p50`, `p75`, `p95`.
    pub const STATISTICS: [&'static str; 5] = ["p5", "p25", "p50", "p75", "p95"];

    /// Percentiles by month with the base run, and a chart of them.
    pub fn sheet(&self) -> Option<Sheet> {
        let t = self.by_month_table()?;
        let n = self.months.len() as u32;
        let series = ["P5", "P25", "median", "P75", "P95", "base run"]
            .iter()
            .enumerate()
            .map(|(k, name)| (name.to_string(), Span::column(k as u16 + 1, 1, n)))
            .collect();
        let sheet = Sheet::from_table(format!("By month {}", self.metric), &t).frozen(1);
        let at = (1, 8);
        Some(sheet.chart(SheetChart {
            kind: ChartKind::Line,
            title: format!("{} by month ({})", self.metric, self.draws_text()),
            x_title: "month".into(),
            y_title: unit_words(&self.unit),
            categories: Span::column(0, 1, n),
            series,
            at,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_cover_every_draw() {
        let xs: Vec<f64> = (0..100).map(f64::from).collect();
        let (b, off) = bins(&xs);
        assert_eq!(
            off,
            OffAxis {
                below: 0,
                above: 0,
                least: 0.0,
                greatest: 99.0
            }
        );
        assert_eq!(b.len(), 10);
        assert_eq!(b.iter().map(|x| x.count).sum::<u64>(), 100);
        assert_eq!(b[0].lo, 0.0);
        assert_eq!(b[9].hi, 99.0);
        // One value: one bin holding every draw.
        assert_eq!(
            bins(&[3.0, 3.0]).0,
            vec![Bin {
                lo: 3.0,
                hi: 3.0,
                count: 2
            }]
        );
        assert!(bins(&[]).0.is_empty());
    }

    #[test]
    fn far_draws_are_left_off_the_axis_and_counted() {
        // 1,000 draws from 0 to 999 and two far out: P0.5 ≈ 4.5 and
        // P99.5 ≈ 996.5, so the axis runs from 0 to 999 and the two far
        // draws lie off it.
        let mut xs: Vec<f64> = (0..1000).map(f64::from).collect();
        xs.extend([5000.0, 9000.0]);
        let (b, off) = bins(&xs);
        assert_eq!((b[0].lo, b[b.len() - 1].hi), (0.0, 999.0));
        assert_eq!(b.iter().map(|x| x.count).sum::<u64>(), 1000);
        assert_eq!((off.below, off.above, off.greatest), (0, 2, 9000.0));
        assert_eq!(
            off.note(0.0, 999.0, &Axis::in_unit("", "IQD/USD")),
            "Off the axis, which covers the bulk of the draws (P0.5–P99.5 and a margin): 2 draws above 999 (up to 9,000)."
        );
        // In dollars and in percent, with the unit.
        assert_eq!(
            off.note(0.0, 999.0e6, &Axis::in_unit("", "USD")),
            "Off the axis, which covers the bulk of the draws (P0.5–P99.5 and a margin): 2 draws above $999 m (up to $9,000)."
        );
        assert_eq!(
            off.note(0.0, 30.444, &Axis::in_unit("", "%")),
            "Off the axis, which covers the bulk of the draws (P0.5–P99.5 and a margin): 2 draws above 30.44% (up to 9,000%)."
        );
    }
}
