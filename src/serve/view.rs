//! What `POST /api/view` answers, the page's whole drawing for one
//! what-if: the brief's headline figures beside the base's (rounded for
//! people, exact in a tooltip, a peak with its own month on each side),
//! its sentences, the charts as SVG, "what moved" (the `diff` attribution,
//! labelled and rounded for people), the schedules in force of the
//! parameters it changed and the warnings the command line
//! would give about the values set (implausible values), so that a slip
//! of units is flagged on the page as it is in a terminal.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::base::Base;
use crate::diagnostic::Problem;
use crate::engine::metrics::{default_metrics, metric_ref_label};
use crate::engine::{self, Run};
use crate::error::Error;
use crate::model::{all_warnings, Model, Part};
use crate::num::decimal::clean;
use crate::render::chart::month_name;
use crate::render::{change_for_people, display, exact_with_unit, for_people, places, Format, Report};
use crate::report::brief::{Brief, Figure};
use crate::report::how_sure::HowSure;
use crate::report::run::RunReport;
use crate::report::trace::Trace;
use crate::sensitivity::attribution::MAX_SHAPLEY;
use crate::sensitivity::diff::{compare, Method};
use crate::sensitivity::{overflow, parse_metric, Silent};

/// Monte Carlo draws of the page's "How sure" sentences (seed 1).
const VIEW_DRAWS: u64 = 1000;

/// A figure of the brief beside its base value: exact (`value`, `base`),
/// and as the page shows it, rounded for people (`text`: `1,532 IQD per
/// $`; `change_text`: `+154 IQD per $`, a percentage's in percentage
/// points) with the exact value for a tooltip (`exact`: `1,532.4620
/// IQD/USD`).
#[derive(Debug, Serialize)]
struct FigureView<'a> {
    label: &'a str,
    unit: &'static str,
    value: Decimal,
    text: String,
    exact: String,
    /// The month of a peak for people, `Jan 2023`; empty for a total or a mean.
    when: String,
    base: Option<Decimal>,
    base_text: Option<String>,
    base_exact: Option<String>,
    /// The month of the base's own peak (which may differ from `when`).
    base_when: Option<String>,
    change_text: Option<String>,
    change_exact: Option<String>,
}

impl<'a> FigureView<'a> {
    fn of(f: &'a Figure, base: Option<&Figure>) -> Self {
        let change = base.map(|b| clean(f.value - b.value));
        let exact_change = |d: Decimal| {
            let unit = if f.unit == "%" { " pp" } else { "" };
            let t = exact_with_unit(d, if f.unit == "%" { "" } else { f.unit });
            if d > Decimal::ZERO {
                format!("+{t}{unit}")
            } else {
                format!("{t}{unit}")
            }
        };
        let month = |f: &Figure| f.month.as_deref().map(month_name).unwrap_or_default();
        let larger = base.map_or(f.value.abs(), |b| f.value.abs().max(b.value.abs()));
        FigureView {
            label: f.label.trim(),
            unit: f.unit,
            value: f.value,
            text: minus_signs(&for_people(f.value, f.unit)),
            exact: exact_with_unit(f.value, f.unit),
            when: month(f),
            base: base.map(|b| b.value),
            base_text: base.map(|b| minus_signs(&for_people(b.value, f.unit))),
            base_exact: base.map(|b| exact_with_unit(b.value, f.unit)),
            base_when: base.map(month),
            change_text: change.map(|d| minus_signs(&change_for_people(d, f.unit, larger))),
            change_exact: change.map(exact_change),
        }
    }
}

/// `t` with the true minus (U+2212) for a negative number, as charts and
/// the brief's pages write it: a `-` that opens a number (before a digit
/// or `$`, at the start or after a space or `(`), never one inside a word
/// or a month (`year-on-year`, `2023-07`). The exact values (`value`,
/// `change`, `*_exact`) stay ASCII, as CSV and JSON write them.
fn minus_signs(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut before = None;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        let opens = matches!(before, None | Some(' ' | '(' | '\u{a0}'));
        let number = chars.peek().is_some_and(|n| n.is_ascii_digit() || *n == '$');
        out.push(if c == '-' && opens && number {
            '\u{2212}'
        } else {
            c
        });
        before = Some(c);
    }
    out
}

fn signed(d: Decimal, dp: u32) -> String {
    let t = display(d, dp);
    if d > Decimal::ZERO {
        format!("+{t}")
    } else {
        t
    }
}

fn svg(report: &dyn Report) -> Result<String, Error> {
    let mut out = Vec::new();
    crate::render::write(report, Format::Svg, &mut out).map_err(|e| Error::Usage(e.to_string()))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The page's drawing of `model` (the base with the what-if's `--set`s,
/// which gave `notes`), compared with `base` (the model as loaded).
pub(super) fn view_of(
    base: &Model,
    figures: &Base,
    model: &Model,
    notes: Vec<String>,
) -> Result<Value, Error> {
    let run: Run = engine::run_with_postings(model)?;
    let over = |e| overflow(model, e);
    let brief = Brief::new(model, &run, &Silent).map_err(over)?;
    // A brief leaves out a figure that is zero (arrears): a row either
    // side lacks is 0 there, so that the row shows the change. The rows
    // are the what-if's, with the base's it lacks after the row before
    // them there.
    let mut rows: Vec<&Figure> = brief.figures.iter().collect();
    for (i, b) in figures.figures.iter().enumerate() {
        if rows.iter().any(|f| f.label == b.label) {
            continue;
        }
        let before = i.checked_sub(1).map(|p| &figures.figures[p].label);
        let at = before
            .and_then(|l| rows.iter().position(|f| &f.label == l))
            .map_or(0, |k| k + 1);
        rows.insert(at, b);
    }
    let side = |list: &[Figure], row: &Figure| {
        list.iter()
            .find(|x| x.label == row.label)
            .cloned()
            .unwrap_or_else(|| Figure {
                value: Decimal::ZERO,
                ..row.clone()
            })
    };
    let pairs: Vec<(Figure, Figure)> = rows
        .into_iter()
        .map(|row| (side(&brief.figures, row), side(&figures.figures, row)))
        .collect();
    let shown: Vec<FigureView> = pairs
        .iter()
        .map(|(now, then)| FigureView::of(now, Some(then)))
        .collect();
    let rates = RunReport::new(model, &run).map_err(over)?;
    let trace = Trace::new(model, &run, None, false).map_err(over)?;
    // "How sure" as `brief` says it, from fewer draws so that the page
    // keeps up with a slider; a what-if that leaves nothing to draw (or
    // cannot be drawn) just has no such sentence.
    let mut sentences = brief.sentences;
    if let Ok(Some(h)) = HowSure::of(model, VIEW_DRAWS, 1, &Silent) {
        sentences.extend(h.sentences());
    }
    let sentences: Vec<String> = sentences.iter().map(|t| minus_signs(t)).collect();
    Ok(json!({
        "notes": notes,
        "warnings": warnings(&figures.warnings, model),
        "figures": shown,
        "sentences": sentences,
        "rates_svg": svg(&rates)?,
        // `run`'s chart: the rates, or a model without a market's flows.
        "rates_title": if model.base.has(Part::Market) { "Exchange rates" } else { "Money by month" },
        "flow_svg": svg(&trace)?,
        "attribution": attribution(base, model)?,
        "schedules": schedules(base, model),
        // The months run, and the horizon they reach past the model's
        // last month, if any (`--horizon`), for the page's step months.
        "months": model.timeline.months.iter().map(|m| m.month.to_string()).collect::<Vec<_>>(),
        "horizon": model.horizon.map(|h| json!({ "month": h.month.to_string(), "held": h.held.to_string(), "note": h.line() })),
    }))
}

/// Each parameter whose values the what-if changed, as the page's
/// controls show it (`{"value": V, "steps": [{"month", "value"}]}`, as
/// `GET /api/params` lists the base's): so that a step's box under a
/// factor, and a bank following a rate that was set, show the values in
/// force, not the model's.
fn schedules(base: &Model, now: &Model) -> Map<String, Value> {
    let of = |m: &Model, id| {
        let steps: Vec<(String, Decimal)> = m
            .changes
            .iter()
            .filter(|c| c.param == id)
            .map(|c| (c.month.to_string(), c.value.value.normalize()))
            .collect();
        (m.base.get(id).normalize(), steps)
    };
    let mut out = Map::new();
    for id in now.base.ids() {
        let then = of(base, id);
        let (value, steps) = of(now, id);
        if then == (value, steps.clone()) {
            continue;
        }
        let steps: Vec<Value> = steps
            .into_iter()
            .map(|(month, value)| json!({ "month": month, "value": value }))
            .collect();
        out.insert(now.base.path(id), json!({ "value": value, "steps": steps }));
    }
    out
}

/// The warnings the command line gives about `model` that the base model
/// (whose warnings are `seen`) does not have: values set outside their
/// plausible range. Each with its path, the month of a step, the message,
/// the likely slip (`help`) and the range's basis (`note`).
fn warnings(seen: &[Problem], model: &Model) -> Vec<Value> {
    all_warnings(model)
        .into_iter()
        .filter(|w| !seen.contains(w))
        .map(|w| {
            let month = w
                .message
                .strip_prefix("from ")
                .and_then(|m| m.split_once(':'))
                .map(|(m, _)| m.to_string());
            json!({
                "path": w.path,
                "month": month,
                "message": w.message,
                "help": w.help.as_deref(),
                "note": w.note.as_deref(),
                "text": w.one_line(),
            })
        })
        .collect()
}

/// "What moved": the change of the headline metrics from the base,
/// split among the parameters that differ; each metric named as people
/// read it (`Parallel rate, IQD per $, mean Nov 2022–Dec 2024`) with its
/// figures rounded for people (`*_text`) beside the exact ones.
fn attribution(base: &Model, now: &Model) -> Result<Value, Error> {
    let names: Vec<String> = if base.base.has(Part::Market) {
        vec!["parallel_rate".into(), "cpi_impact_pct".into()]
    } else {
        vec![default_metrics(&base.base)[0].into()]
    };
    let units: Vec<&str> = names
        .iter()
        .map(|n| parse_metric(base, n).map(|m| m.id.unit()))
        .collect::<Result<_, _>>()?;
    let period = Some((base.timeline.start, base.timeline.end()));
    let c = compare(base, now, &names, &Silent)?;
    let a = match c.attribution {
        Ok(a) => a,
        Err(why) => return Ok(json!({ "error": why })),
    };
    let metrics: Vec<Value> = c
        .summary
        .iter()
        .zip(&a.metrics)
        .zip(&units)
        .map(|((s, p), unit)| {
            let dp = places(unit);
            let of = s.a.abs().max(s.b.abs());
            let people = |d: Decimal| minus_signs(&change_for_people(d, unit, of));
            json!({
                "metric": s.metric,
                "label": metric_ref_label(&s.metric, period).full(),
                "unit": unit,
                "base": display(s.a, dp),
                "value": display(s.b, dp),
                "change": signed(p.change, dp),
                "parts": p.parts.iter().map(|x| signed(*x, dp)).collect::<Vec<_>>(),
                "interactions": p.interactions.map(|x| signed(x, dp)),
                "base_text": minus_signs(&for_people(s.a, unit)),
                "value_text": minus_signs(&for_people(s.b, unit)),
                "change_text": people(p.change),
                "parts_text": p.parts.iter().map(|x| people(*x)).collect::<Vec<_>>(),
                "interactions_text": p.interactions.map(people),
            })
        })
        .collect();
    let differences: Vec<Value> = c
        .differences
        .iter()
        .map(|d| json!({ "path": d.path, "base": d.a.join(", "), "now": d.b.join(", ") }))
        .collect();
    Ok(json!({
        "method": match a.method { Method::Shapley => "Shapley values", Method::OneAtATime => "one at a time" },
        // Beyond this many differences `diff` splits one at a time.
        "shapley_limit": MAX_SHAPLEY,
        "factors": a.factors,
        "differences": differences,
        "metrics": metrics,
    }))
}
