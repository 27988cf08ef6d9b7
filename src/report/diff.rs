//! `diff`: two models side by side, the assumptions that differ, and how
//! much of each metric's change each difference explains.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{lowercase_first, param_name, ModelInfo};
use crate::engine::metrics::{metric_ref_label, MetricLabel};
use crate::model::Model;
use crate::num::decimal::{decimal_places, percent, to_f64};
use crate::render::chart::{Axis, Panel, Plot, Step, Waterfall};
use crate::render::{Block, Book, Cell, Chart, Document, Pairs, Report, Sheet, Table};
use crate::sensitivity::diff::CALENDAR;
use crate::sensitivity::diff::{Attribution, Comparison, Method, SummaryRow};

/// A comparison of model A with model B.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffReport {
    /// Model A, the one compared from.
    pub a: ModelInfo,
    /// Model B, the one compared to.
    pub b: ModelInfo,
    /// The metrics side by side, the differing assumptions, and the attribution.
    pub comparison: Comparison,
}

impl DiffReport {
    /// The report on `comparison` of models `a` and `b`.
    pub fn new(a: &Model, b: &Model, comparison: Comparison) -> Self {
        DiffReport {
            a: ModelInfo::of(a),
            b: ModelInfo::of(b),
            comparison,
        }
    }

    /// The assumptions that differ: each path with its values in A and B.
    fn differences_table(&self) -> Table {
        let mut t = Table::new(["path", "A", "B"], 3);
        for d in &self.comparison.differences {
            t.push([
                Cell::from(&d.path),
                Cell::Lines(d.a.clone()),
                Cell::Lines(d.b.clone()),
            ]);
        }
        t
    }

    fn summary_table(&self) -> Table {
        self.side_by_side(["metric", "A", "B", "change", "change %"], 1, Cell::num, || {
            Cell::from("—")
        })
    }

    /// The summary side by side under `header` (the first `left` columns
    /// aligned left), each
    /// number written by `cell`, a change % not defined by `none`.
    fn side_by_side(
        &self,
        header: [&str; 5],
        left: usize,
        cell: fn(Decimal) -> Cell,
        none: fn() -> Cell,
    ) -> Table {
        let mut t = Table::new(header, left);
        for r in &self.comparison.summary {
            t.push([
                Cell::from(&r.metric),
                cell(r.a),
                cell(r.b),
                cell(r.change),
                r.change_pct.map_or_else(none, cell),
            ]);
        }
        t
    }

    /// Each metric's parts, interactions and change, and the metrics that
    /// did not change.
    fn attribution_table(at: &Attribution) -> (Table, Vec<String>) {
        let mut t = Table::new(["metric", "difference", "contribution", "share of change %"], 2);
        let mut unchanged = Vec::new();
        for p in &at.metrics {
            if p.change.is_zero()
                && p.parts.iter().all(Decimal::is_zero)
                && p.interactions.is_none_or(|x| x.is_zero())
            {
                unchanged.push(p.metric.clone());
                continue;
            }
            let share = |x: Decimal| {
                if p.change.is_zero() {
                    Cell::from("—")
                } else {
                    percent(x, p.change).map_or(Cell::from("—"), |s| Cell::fixed(s, 1))
                }
            };
            let mut rows: Vec<(String, Decimal)> = at
                .factors
                .iter()
                .zip(&p.parts)
                .filter(|(_, x)| !x.is_zero())
                .map(|(f, x)| (f.clone(), *x))
                .collect();
            if let Some(x) = p.interactions {
                rows.push(("interactions".into(), x));
            }
            rows.push(("= change".into(), p.change));
            for (f, x) in rows {
                t.push([Cell::from(&p.metric), Cell::Text(f), Cell::num(x), share(x)]);
            }
        }
        (t, unchanged)
    }

    /// The metrics a chart draws: all of them when there are three at
    /// most; else the rates and prices among them if the difference moves
    /// one of them; else the (at most three) whole-model metrics it moves
    /// most, by their relative change, so that an oil-price scenario that
    /// leaves the rates alone draws the revenue it moves; else the rates
    /// and prices (or the first three) unchanged.
    fn drawn(&self) -> Vec<&SummaryRow> {
        let rows = &self.comparison.summary;
        if rows.len() <= 3 {
            return rows.iter().collect();
        }
        let main: Vec<&SummaryRow> = rows
            .iter()
            .filter(|r| ["parallel_rate", "premium_pct", "cpi_impact_pct"].contains(&r.metric.as_str()))
            .collect();
        if main.iter().any(|r| !r.change.is_zero()) {
            return main;
        }
        let mut moved: Vec<&SummaryRow> = rows
            .iter()
            .filter(|r| !r.change.is_zero() && !r.metric.contains('['))
            .collect();
        // The largest relative change first (a metric in percent by its
        // change in points); a change from 0 before all.
        let size = |r: &SummaryRow| match r.change_pct {
            Some(p) => p.abs(),
            None if r.in_points() => r.change.abs(),
            None => Decimal::MAX,
        };
        moved.sort_by_key(|r| std::cmp::Reverse(size(r)));
        moved.truncate(3);
        if !moved.is_empty() {
            moved
        } else if main.is_empty() {
            rows.iter().take(3).collect()
        } else {
            main
        }
    }

    /// The label of `metric` on a chart, its summary named over the
    /// months when both models run over the same ones.
    fn metric_label(&self, metric: &str) -> MetricLabel {
        let span = self.a.months().filter(|s| Some(*s) == self.b.months());
        metric_ref_label(metric, span)
    }

    /// A difference's name on a chart: its parameter's label.
    fn factor_label(factor: &str) -> String {
        if factor == CALENDAR {
            "Auction calendar (weekend, holidays)".into()
        } else {
            param_name(factor)
        }
    }

    /// A waterfall from A's value to B's for summary row `r`.
    fn waterfall(&self, r: &SummaryRow) -> Panel {
        let label = self.metric_label(&r.metric);
        let dp = decimal_places(r.a).max(decimal_places(r.b)).min(4);
        let mut steps = vec![Step {
            label: "A".into(),
            value: to_f64(r.a),
            total: true,
        }];
        if let Ok(at) = &self.comparison.attribution {
            if let Some(p) = at.metrics.iter().find(|p| p.metric == r.metric) {
                for (f, x) in at.factors.iter().zip(&p.parts) {
                    if !x.is_zero() {
                        steps.push(Step {
                            label: Self::factor_label(f),
                            value: to_f64(*x),
                            total: false,
                        });
                    }
                }
                if let Some(x) = p.interactions.filter(|x| !x.is_zero()) {
                    steps.push(Step {
                        label: "Interactions".into(),
                        value: to_f64(x),
                        total: false,
                    });
                }
            }
        }
        steps.push(Step {
            label: "B".into(),
            value: to_f64(r.b),
            total: true,
        });
        Panel {
            heading: format!("{}: from A to B through each difference's part", label.full()),
            plot: Plot::Waterfall(Waterfall {
                x: Axis {
                    dollars: label.unit == "$",
                    ..Axis::new("", dp)
                },
                unit: label.unit.to_string(),
                steps,
            }),
        }
    }

    /// The attribution section after its heading.
    fn attribution(at: &Attribution, doc: &mut Document) {
        if at.factors.is_empty() {
            doc.line("Nothing to attribute: no assumption differs.");
            return;
        }
        doc.line(match at.method {
            Method::Shapley => format!(
                "Shapley values over {} ({} runs): each part is the difference's average effect over every order of switching from A to B. Parts are rounded to the metric's own decimals (largest remainder), so they add up exactly to the change.",
                match at.factors.len() {
                    1 => "the one difference".to_string(),
                    n => format!("the {n} differences"),
                },
                at.runs
            ),
            Method::OneAtATime => format!(
                "{} differences are too many for Shapley values (2^{} runs), so each is switched alone from A to B, in the order listed, and \"interactions\" is what the single switches leave unexplained ({} runs).",
                at.factors.len(),
                at.factors.len(),
                at.runs
            ),
        })
        .blank();
        let (t, unchanged) = Self::attribution_table(at);
        doc.table(t);
        if !unchanged.is_empty() {
            doc.blank().line(format!("Unchanged: {}.", unchanged.join(", ")));
        }
    }
}

/// What was layered on one side's model file, each line `with …`: its
/// scenarios, its `--set` values, then its horizon.
fn side_lines(m: &ModelInfo) -> Vec<String> {
    let mut lines: Vec<String> = m
        .scenario_lines()
        .into_iter()
        .map(|l| format!("with {}", l.replacen("Scenario", "scenario", 1)))
        .collect();
    lines.extend(
        m.overrides
            .iter()
            .map(|o| format!("with {} {} ({})", o.flag, o.set, o.holds)),
    );
    if let Some(h) = &m.horizon {
        lines.push(format!(
            "with months after {} holding {}'s inputs (--horizon {})",
            h.model_end, h.held_name, h.month
        ));
    }
    lines
}

impl DiffReport {
    /// The chart's subtitle: `A = NAME (FILE, scenario "S", SET) · B = …`,
    /// then `text`, then the horizon: once when both sides hold the same
    /// month's inputs, else each side's.
    fn subtitle(&self, text: String) -> String {
        let mut s = format!("A = {} · B = {} · {text}", self.a.label(), self.b.label());
        match (self.a.horizon_line(), self.b.horizon_line()) {
            (Some(a), Some(b)) if a == b => s.push_str(&format!(" · {}", lowercase_first(a))),
            (a, b) => {
                for (side, line) in [("A", a), ("B", b)] {
                    if let Some(l) = line {
                        s.push_str(&format!(" · {side}: {}", lowercase_first(l)));
                    }
                }
            }
        }
        s
    }

    /// The first sheet of the workbook: what A and B are, when either has
    /// a scenario, `--set` values or a horizon.
    fn what_if_sheet(&self) -> Option<Sheet> {
        let (a, b) = (side_lines(&self.a), side_lines(&self.b));
        if a.is_empty() && b.is_empty() {
            return None;
        }
        let mut text = String::new();
        for (side, m, lines) in [("A", &self.a, a), ("B", &self.b, b)] {
            text.push_str(&format!("{side} = {} ({}), {}\n", m.name, m.file, m.period()));
            for l in lines {
                text.push_str(&format!("  {l}\n"));
            }
        }
        Some(Sheet::text(
            "What-if",
            "What this workbook compares: B against A",
            &text,
        ))
    }
}

crate::render::formats!(DiffReport: CHART_BOOK);

/// A side's file in the heading's brackets: the built-in model as
/// "built-in iraq-2023.toml", not "iraq-2023.toml (built in)" in brackets
/// of its own.
fn file_text(file: &str) -> String {
    match file.strip_suffix(" (built in)") {
        Some(name) => format!("built-in {name}"),
        None => file.to_string(),
    }
}

impl Report for DiffReport {
    fn document(&self) -> Document {
        let c = &self.comparison;
        let mut doc = Document::new();
        doc.heading(
            1,
            format!("Diff: A = {} ({})", self.a.name, file_text(&self.a.file)),
        );
        for (i, l) in side_lines(&self.a).into_iter().enumerate() {
            if i == 0 {
                doc.spacer();
            }
            doc.push(Block::Indented { indent: 10, text: l });
        }
        doc.spacer().push(Block::Indented {
            indent: 6,
            text: format!("B = {} ({})", self.b.name, file_text(&self.b.file)),
        });
        for l in side_lines(&self.b) {
            doc.push(Block::Indented { indent: 10, text: l });
        }
        doc.section(2, "Summary");
        let names: Vec<String> = c.summary.iter().map(|s| s.metric.clone()).collect();
        let (a, b) = (self.a.averages_line(&names), self.b.averages_line(&names));
        if a == b {
            if let Some(l) = b {
                doc.line(l).blank();
            }
        } else {
            // Models on different months: each column is over its own.
            for (side, l) in [("A", a), ("B", b)] {
                if let Some(l) = l {
                    doc.line(format!("{side}: {l}"));
                }
            }
            doc.line(format!(
                "A ({}) and B ({}) cover different months, so each column is over its own model's months.",
                self.a.span(),
                self.b.span()
            ))
            .blank();
        }
        doc.table(self.summary_table());
        let in_pct: Vec<&str> = c
            .summary
            .iter()
            .filter(|r| r.in_points())
            .map(|r| r.metric.as_str())
            .collect();
        if !in_pct.is_empty() {
            doc.blank().line(format!(
                "{} {} in percent: {} change is in percentage points, and a percent change of a percentage says nothing (—).",
                super::join_and(&in_pct.iter().map(|m| m.to_string()).collect::<Vec<_>>()),
                if in_pct.len() == 1 { "is" } else { "are" },
                if in_pct.len() == 1 { "its" } else { "their" },
            ));
        }
        for (side, only) in [("A", &c.only_in.0), ("B", &c.only_in.1)] {
            if !only.is_empty() {
                doc.blank()
                    .line(format!("Only in {side}, so not compared: {}.", only.join(", ")));
            }
        }
        doc.section(2, format!("Assumptions that differ ({})", c.differences.len()));
        if c.differences.is_empty() {
            doc.line("None: the models make the same assumptions.");
        } else {
            doc.table(self.differences_table());
        }
        doc.section(2, "Attribution");
        match &c.attribution {
            Err(why) => {
                doc.line(format!("{why}."));
            }
            Ok(at) => Self::attribution(at, &mut doc),
        }
        doc
    }

    fn chart(&self) -> Option<Chart> {
        let why = match &self.comparison.attribution {
            Ok(_) => String::new(),
            Err(why) => format!(" ({why})"),
        };
        Some(Chart {
            title: self.b.name.clone(),
            subtitle: self.subtitle(format!("what moved from A to B, and why{why}")),
            footer: format!(
                "A: {}, {} · B: {}, {} · drawn by dinarflow",
                self.a.file,
                self.a.period(),
                self.b.file,
                self.b.period()
            ),
            panels: self.drawn().into_iter().map(|r| self.waterfall(r)).collect(),
        })
    }

    fn book(&self) -> Option<Book> {
        let c = &self.comparison;
        let mut sheets: Vec<Sheet> = self.what_if_sheet().into_iter().collect();
        sheets.push(Sheet::from_table("Summary", &self.summary_table()).frozen(1));
        sheets.push(Sheet::from_table("Differences", &self.differences_table()).frozen(1));
        if let Ok(at) = &c.attribution {
            sheets.push(Sheet::from_table("Attribution", &Self::attribution_table(at).0).frozen(2));
        }
        sheets.extend(self.a.sheets(" A"));
        sheets.extend(self.b.sheets(" B"));
        Some(Book { sheets })
    }

    /// The summary side by side: `metric,a,b,change,change_pct`.
    fn csv(&self) -> Option<Table> {
        Some(self.side_by_side(
            ["metric", "a", "b", "change", "change_pct"],
            0,
            Cell::plain,
            || Cell::Empty,
        ))
    }
}

/// One metric's change split into its parts in JSON.
#[derive(Serialize)]
struct PartsJson<'a> {
    metric: &'a str,
    change: Decimal,
    parts: Pairs<&'a str, Decimal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    interactions: Option<Decimal>,
}

/// The attribution in JSON: why there is none, or the parts of each
/// metric's change.
#[derive(Serialize)]
#[serde(untagged)]
enum AttributionJson<'a> {
    No {
        available: bool,
        reason: &'a str,
    },
    Yes {
        available: bool,
        method: &'static str,
        factors: &'a [String],
        runs: usize,
        metrics: Vec<PartsJson<'a>>,
    },
}

impl<'a> AttributionJson<'a> {
    fn of(attribution: &'a Result<Attribution, String>) -> AttributionJson<'a> {
        match attribution {
            Err(why) => AttributionJson::No {
                available: false,
                reason: why,
            },
            Ok(at) => AttributionJson::Yes {
                available: true,
                method: match at.method {
                    Method::Shapley => "shapley",
                    Method::OneAtATime => "one-at-a-time",
                },
                factors: &at.factors,
                runs: at.runs,
                metrics: at
                    .metrics
                    .iter()
                    .map(|p| PartsJson {
                        metric: &p.metric,
                        change: p.change,
                        parts: at
                            .factors
                            .iter()
                            .map(String::as_str)
                            .zip(p.parts.iter().copied())
                            .collect(),
                        interactions: p.interactions,
                    })
                    .collect(),
            },
        }
    }
}

impl Serialize for DiffReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Row<'a> {
            metric: &'a str,
            a: Decimal,
            b: Decimal,
            change: Decimal,
            change_pct: Option<Decimal>,
        }
        #[derive(Serialize)]
        struct Difference<'a> {
            path: &'a str,
            a: String,
            b: String,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            a: &'a ModelInfo,
            b: &'a ModelInfo,
            summary: Vec<Row<'a>>,
            /// Metrics one side has and the other lacks, not compared.
            only_in_a: &'a [String],
            only_in_b: &'a [String],
            differences: Vec<Difference<'a>>,
            attribution: AttributionJson<'a>,
        }
        let c = &self.comparison;
        Json {
            a: &self.a,
            b: &self.b,
            summary: c
                .summary
                .iter()
                .map(|r| Row {
                    metric: &r.metric,
                    a: r.a,
                    b: r.b,
                    change: r.change,
                    change_pct: r.change_pct,
                })
                .collect(),
            only_in_a: &c.only_in.0,
            only_in_b: &c.only_in.1,
            differences: c
                .differences
                .iter()
                .map(|d| Difference {
                    path: &d.path,
                    a: d.a.join("; "),
                    b: d.b.join("; "),
                })
                .collect(),
            attribution: AttributionJson::of(&c.attribution),
        }
        .serialize(s)
    }
}
