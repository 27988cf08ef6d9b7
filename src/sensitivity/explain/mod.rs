//! `explain`: where a number comes from. For one metric in one month it
//! lays out the chain of docs/model.md §3 steps that produce it, each quantity
//! with its formula, the numbers that went in and the result (the
//! engine's own intermediate values), and every assumption used with its
//! `FILE:LINE` and the `[[changes]]` entry in force that month. For a
//! summary it first says how the months aggregate, then shows the chain
//! for the month that matters most (for a sum or mean the largest month,
//! or the lowest when it is negative; else the month an aggregate such as
//! `:min` or `:last` picks).

use rust_decimal::Decimal;
use serde::Serialize;

use super::{metric_name, overflow};
use crate::calendar::YearMonth;
use crate::engine::explain::StepRecord;
use crate::engine::metrics::{Agg, MetricRef};
use crate::engine::{self, Run};
use crate::error::Error;
use crate::model::{Change, Model, ParamId};
use crate::num::decimal::clean;
use crate::render::thousands;

/// One computed quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The quantity's name in docs/model.md §3, e.g. `gross[China]`, `rejected`, `parallel`.
    pub name: String,
    /// In symbols: `round2(rate × gross)`.
    pub formula: String,
    /// With this month's numbers: `round2(0.05 × 2,480,000.00)`.
    pub numbers: String,
    /// The result, exact, as the engine computed it this month.
    pub value: Decimal,
    /// The metric this line is, when it is one (`parallel_rate`, `revenue_usd[China]`).
    pub metric: Option<String>,
    /// The places text shows `value` to (`None`: as it is), for a quantity
    /// worked out beside the step with more places than people read;
    /// `numbers` then holds the earlier such quantities as shown.
    #[serde(skip)]
    pub places: Option<u32>,
}

/// An assumption's value: one number, or a list (`prices.lag_weights`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Assumed {
    /// A parameter's value.
    One(Decimal),
    /// The entries of a list, in order.
    List(Vec<Decimal>),
}

impl Assumed {
    /// The value as text shows it: `1,460`, or `[0.5, 0.3, 0.2]`.
    pub fn text(&self) -> String {
        match self {
            Assumed::One(x) => thousands(*x),
            Assumed::List(xs) => {
                let xs: Vec<String> = xs.iter().map(|x| thousands(*x)).collect();
                format!("[{}]", xs.join(", "))
            }
        }
    }
}

/// An assumption a step uses, as in force in the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Used {
    /// The parameter's path, e.g. `auction.rejection_rate`.
    pub path: String,
    /// Its value in force in the month explained.
    pub value: Assumed,
    /// Its unit: `USD/day`, `IQD/USD`, `share`, ….
    pub unit: &'static str,
    /// `FILE:LINE`, `--set`, or that it is a default.
    pub location: String,
    /// The `[[changes]]` entry in force, when one is.
    pub change: Option<String>,
}

/// One step of docs/model.md §3; in JSON `step`, `title`, `values` and `assumptions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// The step's number, 1 (revenue) to 9 (consumer prices).
    #[serde(rename = "step")]
    pub number: u8,
    /// What the step does, e.g. "Deductions taken off gross revenue".
    pub title: &'static str,
    /// The quantities it computes, in order.
    #[serde(rename = "values")]
    pub lines: Vec<Line>,
    /// The assumptions it uses, as in force that month.
    #[serde(rename = "assumptions")]
    pub used: Vec<Used>,
}

/// How a summary comes from the months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregation {
    /// In words: "the mean of the 14 monthly values, rounded to 4 places".
    pub how: String,
    /// Each month's value of the metric, in order.
    pub months: Vec<(YearMonth, Decimal)>,
}

/// The whole explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The reference as written (`parallel_rate:max`).
    pub metric: String,
    /// The metric itself, as the lines name it (`parallel_rate`).
    pub name: String,
    /// The number explained, as `run` reports it.
    pub value: Decimal,
    /// Its unit: `USD`, `IQD/USD`, `%`, ….
    pub unit: &'static str,
    /// How the months make the summary; `None` when one month was asked for (`@2023-01`).
    pub aggregation: Option<Aggregation>,
    /// The month whose chain of steps is shown.
    pub month: YearMonth,
    /// Why this month is shown.
    pub month_reason: String,
    /// The steps up to the one that produces the metric, in order.
    pub steps: Vec<Step>,
}

/// Explains `metric` in `run` of `model`.
pub fn explain(model: &Model, run: &Run, metric: &MetricRef) -> Result<Explanation, Error> {
    let value = metric
        .evaluate(run)
        .map_err(|e| Error::Engine(overflow(model, e)))?;
    let series = metric.id.series(run);
    let months: Vec<YearMonth> = model.timeline.months.iter().map(|m| m.month).collect();
    let (index, aggregation, reason) = match metric.month {
        Some(m) => (
            model.timeline.index_of(m).unwrap_or(0),
            None,
            "the month asked for".to_string(),
        ),
        None => {
            let n = series.len();
            let (how, index, reason) = match metric.agg {
                Agg::Sum => (
                    format!("the sum of the {n} monthly values"),
                    furthest(&series, value),
                    largest(value, "sum"),
                ),
                Agg::Mean => (
                    format!("the mean of the {n} monthly values, rounded to 4 places (round4)"),
                    furthest(&series, value),
                    largest(value, "mean"),
                ),
                Agg::Max => (
                    format!("the largest of the {n} monthly values"),
                    peak(&series),
                    "the month of the largest value",
                ),
                Agg::Min => (
                    format!("the smallest of the {n} monthly values"),
                    trough(&series),
                    "the month of the smallest value",
                ),
                Agg::First => ("the value in the first month".to_string(), 0, "the first month"),
                Agg::Last => (
                    "the value in the last month".to_string(),
                    n.saturating_sub(1),
                    "the last month",
                ),
            };
            (
                index,
                Some(Aggregation {
                    how,
                    months: months
                        .iter()
                        .copied()
                        .zip(series.iter().map(|x| clean(*x)))
                        .collect(),
                }),
                reason.to_string(),
            )
        }
    };
    let (_, records) = engine::run_explained(model, index)?;
    let steps = records
        .into_iter()
        .filter(|s| s.number <= metric.id.step())
        .map(|s| step(model, index, s))
        .collect();
    Ok(Explanation {
        metric: metric_name(model, metric),
        name: metric.id.name(&model.base),
        value: clean(value),
        unit: metric.id.unit(),
        aggregation,
        month: months[index],
        month_reason: reason,
        steps,
    })
}

/// The month that weighs most in a sum or mean `total` of `xs`: the
/// largest in size on the side of zero `total` is on (the lowest month of
/// a negative mean, the largest of any other).
fn furthest(xs: &[Decimal], total: Decimal) -> usize {
    if total < Decimal::ZERO {
        trough(xs)
    } else {
        peak(xs)
    }
}

/// Why [`furthest`] picked its month, for a `what` ("sum", "mean") of `total`.
fn largest(total: Decimal, what: &str) -> &'static str {
    match (total < Decimal::ZERO, what) {
        (false, _) => "the largest month",
        (true, "sum") => "the month furthest below zero, as the sum is negative",
        (true, _) => "the month furthest below zero, as the mean is negative",
    }
}

pub(super) fn peak(xs: &[Decimal]) -> usize {
    (0..xs.len()).fold(0, |best, i| if xs[i] > xs[best] { i } else { best })
}

pub(super) fn trough(xs: &[Decimal]) -> usize {
    (0..xs.len()).fold(0, |best, i| if xs[i] < xs[best] { i } else { best })
}

pub(super) fn n(x: Decimal) -> String {
    thousands(clean(x))
}

/// A recorded step, laid out: its lines with this month's numbers, and
/// the assumptions it used as they were in force.
fn step(model: &Model, i: usize, s: StepRecord) -> Step {
    let p = &model.base;
    Step {
        number: s.number,
        title: s.title,
        lines: s
            .lines
            .iter()
            .map(|l| Line {
                name: l.name.clone(),
                formula: l.formula.clone(),
                numbers: l.numbers(n),
                value: clean(l.value),
                metric: l.metric.map(|m| m.name(p)),
                places: l.places,
            })
            .collect(),
        used: {
            let mut used: Vec<Used> = s
                .used
                .into_iter()
                .map(|(id, read)| used(model, i, id, read))
                .collect();
            // The lag weights have no path, so no step lists them: step 9's
            // `de` uses them when they are more than `[1]`.
            let prices = &model.base.prices;
            if s.number == 9 && prices.lag_weights != [Decimal::ONE] {
                used.insert(1.min(used.len()), lag_weights(model));
            }
            used
        },
    }
}

/// `prices.lag_weights` as an assumption (never changed by a month).
fn lag_weights(model: &Model) -> Used {
    let prices = &model.base.prices;
    Used {
        path: "prices.lag_weights".to_string(),
        value: Assumed::List(prices.lag_weights.iter().map(|w| clean(*w)).collect()),
        unit: "shares",
        location: match &prices.lag_weights_at {
            Some(s) => model.file.location(s),
            None => "default (not in the file)".to_string(),
        },
        change: None,
    }
}

/// An assumption as in force in month `i`: the value the step read (as the
/// engine recorded it), where that value was set and the change that set
/// it, if one did.
fn used(model: &Model, i: usize, id: ParamId, read: Option<Decimal>) -> Used {
    let month = model.timeline.months[i].month;
    let in_force = |id: ParamId| model.changes_of(id).filter(|c| c.month <= month).last();
    let change = in_force(id);
    let param = match (change, id) {
        (Some(c), _) => &c.value,
        // A bank without a rate of its own has the auction's in force.
        (None, ParamId::BankRejectionRate(b)) if model.base.auction.banks[b].rejection_rate.is_none() => {
            in_force(ParamId::RejectionRate).map_or(&model.base.auction.rejection_rate, |c| &c.value)
        }
        (None, _) => model.base.param(id),
    };
    // A bank without a rate of its own says whose it follows, and the
    // factor `--set 'PATH*=F'` put on it.
    let follows = match (change, id) {
        (None, ParamId::BankRejectionRate(b)) => model.base.auction.banks[b]
            .rejection_rate
            .is_none()
            .then_some(model.base.auction.banks[b].follow_factor),
        _ => None,
    };
    // Without an anchor rate of its own, the anchor is the official rate
    // of the first month (docs/model.md v2).
    let anchored = id == ParamId::AnchorOfficial && read.is_none() && param.origin.span.is_none();
    let read = if anchored {
        let first = model.timeline.months[0].month;
        let official = model
            .changes_of(ParamId::OfficialRate)
            .filter(|c| c.month <= first)
            .last()
            .map_or(&model.base.auction.official_rate, |c| &c.value);
        Some(official.value)
    } else {
        read
    };
    let location = if anchored {
        "default: the official rate of the first month".to_string()
    } else if param.origin.set_with.is_some() || matches!(follows, Some(Some(_))) {
        "--set".to_string()
    } else if let Some(at) = &param.origin.scenario {
        at.clone()
    } else {
        match &param.origin.span {
            Some(s) => model.file.location(s),
            None => "default (not in the file)".to_string(),
        }
    };
    Used {
        path: model.base.path(id),
        value: Assumed::One(clean(read.unwrap_or(param.value))),
        unit: id.spec().unit,
        location,
        change: match follows {
            Some(factor) => Some(following(model, factor, in_force(ParamId::RejectionRate))),
            None => change.map(|c| in_force_text("[[changes]]", c)),
        },
    }
}

/// `[[changes]] from 2023-03: why`, with `what` naming the changes. Why
/// is the value's own inline note or source when it has one, else its
/// block's note or source (the loader gives a value without its own the
/// block's, so an own one is one that differs from the block's).
fn in_force_text(what: &str, c: &Change) -> String {
    let mut s = format!("{what} from {}", c.month);
    let own = |x: &Option<String>, block: &Option<String>| x.clone().filter(|x| Some(x) != block.as_ref());
    let why = own(&c.value.origin.note, &c.note)
        .or_else(|| own(&c.value.origin.source, &c.source))
        .or_else(|| c.note.clone())
        .or_else(|| c.source.clone());
    if let Some(why) = why {
        s.push_str(&format!(": {why}"));
    }
    s
}

/// What a bank that follows the auction's rate has in force:
/// `follows auction.rejection_rate × 0.5, its [[changes]] from 2023-03: why`.
fn following(model: &Model, factor: Option<Decimal>, auction: Option<&Change>) -> String {
    let mut s = format!("follows {}", model.base.path(ParamId::RejectionRate));
    if let Some(f) = factor {
        s.push_str(&format!(" × {}", clean(f)));
    }
    if let Some(c) = auction {
        s.push_str(", ");
        s.push_str(&in_force_text("its [[changes]]", c));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::engine::testing::{d, model};
    use crate::render::{self, Format};
    use crate::report::explain::ExplainReport;
    use crate::sensitivity::parse_metric;

    fn explained(metric: &str) -> Explanation {
        let m = model();
        let run = engine::run(&m).unwrap();
        explain(&m, &run, &parse_metric(&m, metric).unwrap()).unwrap()
    }

    fn line<'a>(e: &'a Explanation, step: u8, name: &str) -> &'a Line {
        let s = e.steps.iter().find(|s| s.number == step).unwrap();
        s.lines.iter().find(|l| l.name == name).unwrap()
    }

    #[test]
    fn the_parallel_rate_in_january_step_by_step() {
        let e = explained("parallel_rate@2023-01");
        assert_eq!(e.value, d("1745.3251"));
        assert_eq!(e.steps.len(), 7);
        // The hand-checked chain of fixtures/small.toml (tests/golden.rs).
        assert_eq!(line(&e, 1, "gross").value, d("2480000.00"));
        assert_eq!(line(&e, 2, "net").value, d("2356000.00"));
        // 1,000,000 + 2,356,000 before the payment of 500,000.
        assert_eq!(line(&e, 3, "available").value, d("3356000.00"));
        assert_eq!(line(&e, 4, "flights").value, d("3"));
        assert_eq!(line(&e, 4, "cost").value, d("5700.00"));
        assert_eq!(line(&e, 5, "rejected").value, d("1472000.00"));
        assert_eq!(line(&e, 6, "unmet").value, d("1472000.00"));
        assert_eq!(line(&e, 7, "u").value, d("64000"));
        assert_eq!(line(&e, 7, "D").value, d("82000"));
        assert_eq!(
            line(&e, 7, "parallel").numbers,
            "max(round4(1,480 × (82,000.00 / 50,000)^(1 / (2 + 1))), 1,460)"
        );
        let used = &e.steps[6].used;
        let rate = used
            .iter()
            .find(|u| u.path == "parallel_market.baseline_rate_iqd_per_usd")
            .unwrap();
        assert_eq!(rate.location, "fixtures/small.toml:48");
        assert_eq!(rate.change, None);
    }

    #[test]
    fn a_change_in_force_is_named() {
        let e = explained("premium_pct@2023-02");
        let official = e.steps[5]
            .used
            .iter()
            .find(|u| u.path == "auction.official_rate_iqd_per_usd")
            .unwrap();
        assert_eq!(official.value, Assumed::One(d("1310")));
        assert_eq!(official.location, "fixtures/small.toml:71");
        assert_eq!(
            official.change.as_deref(),
            Some("[[changes]] from 2023-02: revaluation and easier screening")
        );
        // In February custody opens at January's close, 1,282,300.
        assert_eq!(line(&e, 3, "available").numbers, "1,282,300.00 + 2,128,000.00");
    }

    #[test]
    fn a_summary_says_how_months_aggregate_and_shows_the_peak() {
        let e = explained("parallel_rate");
        let a = e.aggregation.as_ref().unwrap();
        assert_eq!(
            a.how,
            "the mean of the 2 monthly values, rounded to 4 places (round4)"
        );
        assert_eq!(a.months.len(), 2);
        assert_eq!(e.month.to_string(), "2023-01");
        assert_eq!(e.value, d("1700.4924"));
        let e = explained("cpi_impact_pct:min");
        assert_eq!(e.month.to_string(), "2023-02");
        assert_eq!(e.steps.len(), 9);
        let e = explained("custody_balance_usd");
        assert_eq!(e.month_reason, "the last month");
        assert_eq!(line(&e, 6, "custody_closing").value, d("904600.00"));
    }

    #[test]
    fn a_negative_sum_or_mean_shows_its_month_furthest_below_zero() {
        // cpi_impact_pct of models/iraq-2023.toml in short: one month up
        // 1.29, the rest down, the mean negative: the month shown is the
        // lowest (-2.60), not the one at +1.29.
        let xs = [d("0.46"), d("1.29"), d("-0.91"), d("-2.60"), d("-2.54")];
        assert_eq!(furthest(&xs, d("-0.86")), 3);
        assert_eq!(
            largest(d("-0.86"), "mean"),
            "the month furthest below zero, as the mean is negative"
        );
        // A positive or zero total: the largest month.
        assert_eq!(furthest(&xs, d("0.1")), 1);
        assert_eq!(furthest(&xs, Decimal::ZERO), 1);
        assert_eq!(largest(Decimal::ZERO, "sum"), "the largest month");
    }

    #[test]
    fn a_change_names_the_values_own_note_before_its_blocks() {
        let mut c = Change {
            month: YearMonth::new(2023, 1).unwrap(),
            param: ParamId::RejectionRate,
            value: crate::model::Param::new(d("0.65")),
            note: Some("the block's note".into()),
            source: Some("the block's source".into()),
        };
        // The loader gives a value without its own the block's.
        c.value.origin.note = c.note.clone();
        c.value.origin.source = c.source.clone();
        assert_eq!(
            in_force_text("[[changes]]", &c),
            "[[changes]] from 2023-01: the block's note"
        );
        c.value.origin.source = Some("its own source".into());
        assert_eq!(
            in_force_text("[[changes]]", &c),
            "[[changes]] from 2023-01: its own source"
        );
        c.value.origin.note = Some("its own note".into());
        assert_eq!(
            in_force_text("[[changes]]", &c),
            "[[changes]] from 2023-01: its own note"
        );
    }

    #[test]
    fn renders_in_every_format() {
        let m = model();
        let e = ExplainReport::new(&m, explained("price_impact_pct[Food]@2023-01"));
        let mut t = Vec::new();
        render::write(&e, Format::Table, &mut t).unwrap();
        let t = String::from_utf8(t).unwrap();
        assert!(t.contains("= 2.5361   <- price_impact_pct[Food]@2023-01"), "{t}");
        let mut c = Vec::new();
        render::write(&e, Format::Csv, &mut c).unwrap();
        let c = String::from_utf8(c).unwrap();
        assert!(
            c.starts_with("step,kind,name,value,detail\n1,value,gross[China],744000.00,"),
            "{c}"
        );
        assert!(
            c.contains("9,assumption,prices.basket[Food].pass_through,0.6,fixtures/small.toml:"),
            "{c}"
        );
        let j = serde_json::to_value(&e).unwrap();
        assert_eq!(j["steps"][8]["values"][1]["value"], "2.5361");
    }
}
