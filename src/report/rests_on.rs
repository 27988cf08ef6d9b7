//! What a brief's headline rests on that the data did not test: the
//! parameters the model file marks as assumptions (no published source,
//! not fitted), each moved by ±[`SWING_PCT`]% in a tornado of the headline
//! metric, the ones that move it most first; and the fitted parameters the
//! data barely pin down (a standard error in `[uncertainty]` of at least
//! a quarter of the estimate). So a reader sees "this rests on anchor
//! weight = 0.36, standard error 0.35" next to the figure itself.

use rust_decimal::Decimal;
use serde::Serialize;

use super::lowercase_first;
use crate::engine::metrics::MetricRef;
use crate::engine::metrics::{metric_ref_label, MetricLabel};
use crate::model::Kind;
use crate::model::{Model, ParamId};
use crate::num::decimal::clean;
use crate::render::{display, for_people, significant, Cell, Document, Sheet, Table};
use crate::sampling::Distribution;
use crate::sensitivity::tornado::{tornado, Request};
use crate::sensitivity::{round_for, Evaluator, Progress, Target};

/// How far each untested assumption is moved, in percent of its value.
pub const SWING_PCT: u32 = 20;

/// How many untested assumptions the brief lists.
pub const SHOWN: usize = 5;

/// Marks a value `dinarflow fit --write-model` wrote.
const FITTED: &str = "dinarflow fit";

/// One untested assumption and what it does to the headline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Untested {
    /// Its path.
    pub path: String,
    /// Its value in the model.
    pub value: Decimal,
    /// The model file's note on it (why this value).
    pub note: Option<String>,
    /// The headline at the value −20% and +20% (the low end first).
    pub headline_low: Decimal,
    /// The headline at the value +20%.
    pub headline_high: Decimal,
    /// Its unit (`USD/day`, `share`, …).
    #[serde(skip)]
    unit: &'static str,
}

/// A fitted parameter the data barely pin down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loose {
    /// Its path.
    pub path: String,
    /// The estimate.
    pub value: Decimal,
    /// Its standard error, as `[uncertainty]` draws it.
    pub std_error: Decimal,
    /// Its unit (`USD/day`, `share`, …).
    #[serde(skip)]
    unit: &'static str,
}

/// An untested assumption set to 0, where moving it by a share tests
/// nothing: the headline at a test value instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Zero {
    /// Its path.
    pub path: String,
    /// Its unit, `USD/day` or `share`.
    pub unit: &'static str,
    /// The model file's note on it (why 0).
    pub note: Option<String>,
    /// The value it is tried at.
    pub test_value: Decimal,
    /// What that value is, in words.
    #[serde(skip)]
    basis: &'static str,
    /// The headline at that value.
    pub headline_at: Decimal,
}

/// The headline's untested ground.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestsOn {
    /// The headline metric (`parallel_rate`, or `net_revenue_usd` for a flow-only model).
    pub metric: &'static str,
    /// Its value in the model as written.
    pub headline: Decimal,
    /// The headline's unit (`IQD/USD`, `USD`).
    #[serde(skip)]
    unit: &'static str,
    /// The headline as people read it: `Parallel rate`, `IQD per $`,
    /// `mean Nov 2022–Dec 2024`.
    #[serde(skip)]
    label: MetricLabel,
    /// The untested assumptions that move it most, most first.
    pub untested: Vec<Untested>,
    /// Fitted parameters with a wide standard error.
    pub loose: Vec<Loose>,
    /// Untested assumptions set to 0 that would move the headline.
    pub zero: Vec<Zero>,
}

impl RestsOn {
    /// The untested assumptions of `model` and its loosely fitted
    /// parameters, for the headline `metric`; `None` when the model has
    /// neither (or the tornado cannot run, which `tornado` itself reports).
    /// The tornado's runs are counted on `progress`, which may stop them.
    pub fn of(model: &Model, metric: &'static str, progress: &dyn Progress) -> Option<RestsOn> {
        let metric_ref = MetricRef::parse(metric, &model.base, &model.timeline).ok()?;
        let ev = Evaluator::new(model);
        let ids: Vec<ParamId> = model
            .base
            .ids()
            .into_iter()
            .filter(|&id| untested(model, id))
            // A value that no ±20% of it may take (shares that must sum to
            // 1, a rule across parameters) is left out rather than failing.
            .filter(|&id| {
                let v = model.base.get(id);
                let f = Decimal::from(SWING_PCT) / Decimal::ONE_HUNDRED;
                // (or one past the largest exact decimal)
                [Decimal::ONE - f, Decimal::ONE + f].iter().all(|k| {
                    v.checked_mul(*k)
                        .is_some_and(|x| ev.check(&[(Target::Whole(id), x)]).is_ok())
                })
            })
            .collect();
        let untested = if ids.is_empty() {
            Vec::new()
        } else {
            let req = Request {
                metric: metric_ref,
                params: ids,
                swing_pct: Decimal::from(SWING_PCT),
                forms: Vec::new(),
            };
            let t = tornado(&ev, &req, progress).ok()?;
            t.bars
                .iter()
                .filter(|b| b.metric_low != b.metric_high)
                .take(SHOWN)
                .filter_map(|b| {
                    let id = model.base.resolve(&b.path).ok()?;
                    let p = model.base.param(id);
                    Some(Untested {
                        path: b.path.clone(),
                        value: clean(p.value),
                        note: p.origin.note.clone(),
                        headline_low: b.metric_low,
                        headline_high: b.metric_high,
                        unit: id.field().unit,
                    })
                })
                .collect()
        };
        let loose: Vec<Loose> = model
            .uncertainty
            .iter()
            .filter(|u| !u.scale && fitted(model, u.param))
            .filter_map(|u| match u.dist {
                Distribution::Normal { mean, sd }
                    if sd.checked_mul(Decimal::from(4)).is_none_or(|q| q >= mean.abs()) =>
                {
                    Some(Loose {
                        path: u.path.clone(),
                        value: clean(mean),
                        std_error: clean(sd),
                        unit: u.param.field().unit,
                    })
                }
                _ => None,
            })
            .collect();
        let run = crate::engine::run(model).ok()?;
        let headline = clean(metric_ref.evaluate(&run).ok()?);
        let zero = zero_valued(model, &ev, metric_ref, headline);
        if untested.is_empty() && loose.is_empty() && zero.is_empty() {
            return None;
        }
        let t = &model.timeline;
        let label = metric_ref_label(metric, Some((t.start, t.end())));
        Some(RestsOn {
            metric,
            headline,
            unit: metric_ref.id.unit(),
            label,
            untested,
            loose,
            zero,
        })
    }

    /// The brief's section: a heading, the table of untested assumptions
    /// and the sentence on loosely fitted parameters.
    pub fn write(&self, doc: &mut Document) {
        doc.section(2, "What the headline rests on, untested");
        if !self.untested.is_empty() {
            let summary = self
                .label
                .summary
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default();
            doc.line(format!(
                "The assumptions without a source or a fit that move the {} most (now {}{summary}), each moved by {}% either way:",
                lowercase_first(&self.label.label),
                self.with_unit(self.headline),
                SWING_PCT
            ))
            .blank()
            .table(self.untested_table());
        }
        if let Some(s) = self.zero_sentence() {
            doc.blank().line(s);
        }
        if let Some(s) = self.loose_sentence() {
            doc.blank().line(s);
        }
    }

    /// The sentence on untested assumptions set to 0, if any.
    pub fn zero_sentence(&self) -> Option<String> {
        if self.zero.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .zero
            .iter()
            .map(|z| {
                let why = z.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
                format!(
                    "{} = 0{why}: at {}, {}, the {} would be {} instead of {}",
                    named(&z.path),
                    value_for_people(z.test_value, z.unit),
                    z.basis,
                    lowercase_first(&self.label.label),
                    self.with_unit(z.headline_at),
                    self.shown(self.headline)
                )
            })
            .collect();
        Some(format!(
            "Set to 0 without a source or a fit, so moving it by {SWING_PCT}% tests nothing: {}.",
            parts.join("; ")
        ))
    }

    /// The untested assumptions as a table for the brief: each named as
    /// people read it with the path to `--set` it by, its value in its
    /// unit, the headline at each end in the headline's unit.
    pub fn untested_table(&self) -> Table {
        let unit = match self.label.unit {
            "" => String::new(),
            u => format!(", {u}"),
        };
        let mut t = Table::new(
            [
                "assumption".to_string(),
                "value".to_string(),
                format!("{}{unit}, at −{SWING_PCT}%", self.label.label),
                format!("at +{SWING_PCT}%"),
                "why this value".to_string(),
            ],
            1,
        )
        .text_column(1)
        .wrap(4, 60);
        for u in &self.untested {
            // The label and, under it, the path that sets it.
            let name = match crate::model::param_label(&u.path) {
                Some(l) => Cell::Lines(vec![l.label, u.path.clone()]),
                None => Cell::from(&u.path),
            };
            t.push([
                name,
                Cell::Text(value_for_people(u.value, u.unit)),
                self.cell(u.headline_low),
                self.cell(u.headline_high),
                Cell::Text(u.note.clone().unwrap_or_else(|| "no source, no note".into())),
            ]);
        }
        t
    }

    /// The untested assumptions with the headline at each end, exact,
    /// for the workbook.
    fn exact_table(&self) -> Table {
        let mut t = Table::new(
            [
                "assumption",
                "value",
                &format!("{} at −{SWING_PCT}%", self.metric),
                &format!("at +{SWING_PCT}%"),
                "why this value",
            ],
            1,
        );
        for u in &self.untested {
            t.push([
                Cell::from(&u.path),
                Cell::num(u.value),
                Cell::num(u.headline_low),
                Cell::num(u.headline_high),
                Cell::Text(u.note.clone().unwrap_or_else(|| "no source, no note".into())),
            ]);
        }
        t
    }

    /// The sentence on loosely fitted parameters, if any.
    pub fn loose_sentence(&self) -> Option<String> {
        if self.loose.is_empty() {
            return None;
        }
        let parts: Vec<String> = self
            .loose
            .iter()
            .map(|l| match l.unit {
                "USD/day" => format!(
                    "{} = {} a day (standard error {})",
                    named(&l.path),
                    for_people(l.value, "USD"),
                    for_people(l.std_error, "USD")
                ),
                _ => format!(
                    "{} = {} (standard error {})",
                    named(&l.path),
                    significant(l.value, 3),
                    significant(l.std_error, 2)
                ),
            })
            .collect();
        Some(format!(
            "Fitted, but barely pinned down by the data (a standard error of at least a quarter of the estimate): {}. `dinarflow mc` draws {} with that spread.",
            parts.join(", "),
            if parts.len() == 1 { "it" } else { "them" }
        ))
    }

    /// The headline metric's value as the brief's sentences show it:
    /// money for people (`$1.34 bn`), a rate or percentage to one decimal
    /// so that the ±20% columns differ.
    fn shown(&self, v: Decimal) -> String {
        match self.unit {
            "USD" => for_people(v, "USD"),
            _ => display(v, 1),
        }
    }

    /// [`RestsOn::shown`] with the headline's unit: `1,530.9 IQD per $`.
    fn with_unit(&self, v: Decimal) -> String {
        match self.unit {
            "USD" => for_people(v, "USD"),
            _ if self.label.unit.is_empty() => display(v, 1),
            _ if self.label.unit == "%" => format!("{}%", display(v, 1)),
            _ => format!("{} {}", display(v, 1), self.label.unit),
        }
    }

    /// The same value as a cell of the brief's table.
    fn cell(&self, v: Decimal) -> Cell {
        match self.unit {
            "USD" => Cell::Text(for_people(v, "USD")),
            _ => Cell::fixed(v, 1),
        }
    }

    /// The workbook's sheet: the untested assumptions with the headline
    /// at each end exact, then the sentences on zeros and loose fits.
    pub fn sheet(&self) -> Sheet {
        let t = self.exact_table();
        let mut sheet = Sheet::from_table("Rests on, untested", &t).frozen(1);
        for s in self.zero_sentence().into_iter().chain(self.loose_sentence()) {
            sheet.rows.push(Vec::new());
            sheet.rows.push(vec![Cell::Text(s)]);
        }
        sheet
    }
}

/// A parameter as the brief names it: its label with the path that sets
/// it, `Demand elasticity (parallel_market.demand_elasticity)`.
fn named(path: &str) -> String {
    match crate::model::param_label(path) {
        Some(l) => format!("{} ({path})", l.label),
        None => path.to_string(),
    }
}

/// A parameter's value as the brief's table shows it: money for people
/// with what it is per (`$9.5 m a day`), any other value as the file
/// writes it (a share `0.8`, an elasticity `2.0`) with its unit when it
/// has a word for one (`1,460 IQD per $`, `6.19% a year`).
fn value_for_people(v: Decimal, unit: &str) -> String {
    let label = crate::model::unit_label(unit);
    if label.starts_with('$') {
        return for_people(v, "USD") + &crate::model::per_amount(unit);
    }
    let v = crate::render::thousands(v);
    match label {
        "" => v,
        l if l.starts_with('%') => format!("{v}{l}"),
        l => format!("{v} {l}"),
    }
}

/// The untested assumptions of `model` that are 0 and would move the
/// headline (`metric`, `headline` as the model stands) at a test value:
/// a share at 0.2, a dollar flow per session at 20% of the model's
/// largest (the auction's requests or the market's baseline turnover).
fn zero_valued(model: &Model, ev: &Evaluator<'_>, metric: MetricRef, headline: Decimal) -> Vec<Zero> {
    let f = Decimal::from(SWING_PCT) / Decimal::ONE_HUNDRED;
    let scale = crate::calibration::free::per_session_scale(model);
    model
        .base
        .ids()
        .into_iter()
        .filter(|&id| untested(model, id) && model.base.get(id).is_zero())
        .filter_map(|id| {
            let (test_value, basis) = match (id.kind(), id.field().unit) {
                (Kind::Share | Kind::Weight, _) => (f, "a fifth of its range"),
                (Kind::Money, "USD/day") => (
                    // To the cent, as money is written.
                    {
                        let mut v = round_for(id, scale * f);
                        v.rescale(2);
                        v
                    },
                    "a fifth of the model's largest dollar flow per session (the auction's requests or the street's baseline turnover)",
                ),
                _ => return None,
            };
            let at = [(Target::Whole(id), test_value)];
            ev.check(&at).ok()?;
            let headline_at = clean(metric.evaluate(&ev.run(&at).ok()?).ok()?);
            (test_value > Decimal::ZERO && headline_at != headline).then(|| Zero {
                path: model.base.path(id),
                unit: id.field().unit,
                note: model.base.param(id).origin.note.clone(),
                test_value,
                basis,
                headline_at,
            })
        })
        .collect()
}

/// Whether `fit --write-model` wrote the parameter's base value or a step of it.
fn fitted(model: &Model, id: ParamId) -> bool {
    let by_fit = |p: &crate::model::Param| p.origin.source.as_deref().is_some_and(|s| s.starts_with(FITTED));
    by_fit(model.base.param(id)) || model.changes_of(id).any(|c| by_fit(&c.value))
}

/// A parameter the data did not test: its value has no published source
/// and was not fitted, and no `[[changes]]` schedule it (a schedule's
/// steps carry their own sources), nor does `[uncertainty]` draw it (mc
/// shows what a drawn one does).
pub(crate) fn untested(model: &Model, id: ParamId) -> bool {
    let p = model.base.param(id);
    p.origin.source.is_none()
        && p.origin.span.is_some()
        && !fitted(model, id)
        && model.changes_of(id).next().is_none()
        && !model.uncertainty.iter().any(|u| u.param == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::Counter;

    #[test]
    fn values_read_in_their_units() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(value_for_people(d("9500000"), "USD/day"), "$9.5 m a day");
        assert_eq!(value_for_people(d("0.8"), "share"), "0.8");
        assert_eq!(value_for_people(d("1460"), "IQD/USD"), "1,460 IQD per $");
        assert_eq!(value_for_people(d("6.19"), "%/year"), "6.19% a year");
        assert_eq!(value_for_people(d("2.0"), "elasticity"), "2.0");
    }

    #[test]
    fn the_tornado_behind_it_is_counted_on_the_callers_progress() {
        // The default model's untested assumptions (spillover share, the
        // two elasticities, the baseline unmet demand, …) each run at −20%
        // and +20%: the caller's progress sees those runs, so a caller
        // that stops at a tick (Python's Ctrl-C) stops them too.
        let model = crate::model::load_default().unwrap();
        let counter = Counter::default();
        let rests = RestsOn::of(&model, "parallel_rate", &counter).unwrap();
        assert!(rests.untested.len() >= 4, "{:?}", rests.untested.len());
        assert!(
            counter.total() >= 2 * rests.untested.len() as u64,
            "{}",
            counter.total()
        );
        assert_eq!(counter.done(), counter.total());
    }
}
