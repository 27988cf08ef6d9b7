//! What each command reports: plain data built from a model and its
//! results, knowing nothing of formats. Each report implements
//! [`crate::render::Report`] (what it shows as a document, as a tidy
//! table, as a chart and as a workbook) and `serde::Serialize` (its JSON);
//! `crate::render` writes it in the format asked for.

pub mod assumptions;
pub mod backtest;
pub mod brief;
pub mod briefing;
pub mod check;
pub mod check_failure;
pub mod command_line;
pub mod diff;
pub mod dry;
pub mod explain;
pub mod fan;
pub mod fit;
pub mod flow;
mod headline;
pub mod how_sure;
mod main_results;
pub mod mc;
pub mod mc_view;
mod model_info;
pub mod morris;
pub mod periods;
pub mod quarters;
pub mod rests_on;
pub mod rolling;
pub mod run;
pub mod sobol;
pub mod solve;
pub mod sweep;
pub mod tornado;
pub mod trace;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::calendar::YearMonth;
use crate::engine::metrics::{Agg, MetricLabel, CORE};
use crate::num::binary::f64_to_decimal;
use crate::num::decimal::clean;
use crate::render::{places, Cell};

pub use self::main_results::custody_dry_note;
pub use self::model_info::{HorizonInfo, ModelInfo, OverrideInfo, ScenarioInfo, Source};

/// `Nov 2022–Dec 2023`, or one month's `Dec 2023`.
pub fn span_words(start: YearMonth, end: YearMonth) -> String {
    if start == end {
        start.short_name()
    } else {
        format!("{}–{}", start.short_name(), end.short_name())
    }
}

/// How a metric as written (`parallel_rate`, `premium_pct:max`) is
/// summarised over the months: its `:AGG`, or its own summary.
pub(crate) fn summary_agg(metric: &str) -> Agg {
    let name = metric.split('@').next().unwrap_or(metric);
    if let Some((_, agg)) = name.rsplit_once(':') {
        if let Some(a) = Agg::ALL.iter().find(|a| a.name() == agg) {
            return *a;
        }
    }
    let base = name.split(['[', ':']).next().unwrap_or(name);
    match CORE.iter().find(|c| c.name == base) {
        Some(c) => c.summary,
        None if base == "price_impact_pct" => Agg::Mean,
        None => Agg::Sum,
    }
}

/// What a summary of `metric` (as written) is over `start` to `end`:
/// `mean Nov 2022–Dec 2023`, `total Nov 2022–Dec 2023`, `highest month,
/// Nov 2022–Dec 2023`, `Dec 2023` (a closing balance), `in Mar 2023` (one
/// month, `@YYYY-MM`).
pub fn summary_words(metric: &str, start: YearMonth, end: YearMonth) -> String {
    if let Some(m) = metric
        .rsplit_once('@')
        .and_then(|(_, m)| m.parse::<YearMonth>().ok())
    {
        return format!("in {}", m.short_name());
    }
    let span = span_words(start, end);
    match summary_agg(metric) {
        Agg::Mean => format!("mean {span}"),
        Agg::Sum => format!("total {span}"),
        Agg::Min => format!("lowest month, {span}"),
        Agg::Max => format!("highest month, {span}"),
        Agg::First => start.short_name(),
        Agg::Last => end.short_name(),
    }
}

/// "means of …" as said of one metric: "the mean of …".
fn singular(words: &str) -> String {
    if let Some(rest) = words.strip_prefix("means of") {
        format!("the mean of{rest}")
    } else if let Some(rest) = words.strip_prefix("totals over") {
        format!("the total over{rest}")
    } else if let Some(rest) = words.strip_prefix("the values of") {
        format!("the value of{rest}")
    } else {
        words.to_string()
    }
}

/// "a, b and c".
pub(crate) fn join_and(parts: &[String]) -> String {
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// A workbook's Warnings sheet: one warning a row, the lines the text
/// prints under its tables; `None` when there are none.
pub(crate) fn warnings_sheet<'a>(
    warnings: impl IntoIterator<Item = &'a String>,
) -> Option<crate::render::Sheet> {
    let mut t = crate::render::Table::new(["warning"], 1).wrap(0, 100);
    for w in warnings {
        t.push([Cell::from(w)]);
    }
    (!t.rows.is_empty()).then(|| crate::render::Sheet::from_table("Warnings", &t))
}

/// `text` with its first letter in lower case, to go on after a `·`.
pub(crate) fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A parameter's name on a chart: its label (`Share of wires rejected
/// (from Jul 2023)`), or the text as it is when it names no parameter.
pub(crate) fn param_name(path: &str) -> String {
    crate::model::param_label(path).map_or_else(|| path.to_string(), |l| l.label)
}

/// A label to go on in a sentence: `Official rate` → `official rate`;
/// a label that starts with a name (`China: share of exports`, `NY Fed`)
/// is kept as it is.
pub(crate) fn lower_first(label: &str) -> String {
    let first = label.split([' ', ':']).next().unwrap_or("");
    if label.contains(": ") || first.chars().skip(1).any(char::is_uppercase) {
        return label.to_string();
    }
    lowercase_first(label)
}

/// Every month from `first` to `last` as `YYYY-MM` (at most 600), for the
/// axis of a chart of dated observations.
pub(crate) fn months_between(first: YearMonth, last: YearMonth) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = first;
    while m <= last && out.len() < crate::calendar::MAX_MONTHS as usize {
        out.push(m.to_string());
        m = m.next();
    }
    out
}

/// A metric reference's label and unit by month (`parallel_rate@2023-07`
/// and `sales_usd:sum` are labelled as their metric): the axis title of
/// a chart of observations.
pub(crate) fn metric_axis_of(metric: &str) -> crate::render::chart::Axis {
    use crate::engine::metrics::{metric_label, metric_unit};
    use crate::render::chart::Axis;
    let name = metric.split([':', '@']).next().unwrap_or(metric);
    let unit = metric_unit(name).unwrap_or("");
    match metric_label(name) {
        Some((label, u)) if !u.is_empty() => Axis::in_unit(format!("{label}, {u}"), unit),
        Some((label, _)) => Axis::in_unit(label, unit),
        None => Axis::new(metric, 4),
    }
}

/// A metric's label to go on in a sentence, its summary in brackets:
/// `parallel rate (mean Nov 2022–Dec 2024)`.
pub(crate) fn phrase(l: &MetricLabel) -> String {
    match &l.summary {
        Some(s) => format!("{} ({s})", lower_first(&l.label)),
        None => lower_first(&l.label),
    }
}

/// A number with its unit as people write it: `$19.16 per day`,
/// `1,310 IQD per $`, `12%`, or the number alone without a unit.
pub(crate) fn with_unit(number: &str, unit: &str) -> String {
    if let Some(rest) = unit.strip_prefix('$') {
        match number.strip_prefix('-') {
            Some(n) => format!("−${n}{rest}"),
            None => format!("${number}{rest}"),
        }
    } else if unit.starts_with('%') {
        match number.strip_prefix('-') {
            Some(n) => format!("−{n}{unit}"),
            None => format!("{number}{unit}"),
        }
    } else if unit.is_empty() {
        number.to_string()
    } else {
        format!("{number} {unit}")
    }
}

/// A metric's name on a chart by month (no summary): `Parallel rate`.
pub(crate) fn metric_name_of(name: &str) -> String {
    crate::engine::metrics::metric_label(name).map_or_else(|| name.to_string(), |l| l.0)
}

/// The two ends of a band for people ([`crate::render::for_people`]), the
/// unit written once: `("1,490", "1,643 IQD per $")`, `("15.5%", "23.1%")`.
pub(crate) fn people_range(lo: Decimal, hi: Decimal, unit: &str) -> (String, String) {
    let (lo, hi) = (
        crate::render::for_people(lo, unit),
        crate::render::for_people(hi, unit),
    );
    let lo = match lo.split_once(' ') {
        Some((n, unit)) if hi.ends_with(unit) => n.to_string(),
        _ => lo,
    };
    (lo, hi)
}

/// An axis label of a metric's unit: `IQD per USD`, `%`, `USD`.
pub fn unit_words(unit: &str) -> String {
    match unit {
        "IQD/USD" => "IQD per USD".into(),
        "%" => "percent".into(),
        other => other.to_string(),
    }
}

/// A parameter value as shown and written: trailing zeros dropped.
pub(crate) fn shown(x: Decimal) -> Decimal {
    clean(x.normalize())
}

/// A statistic computed in floating point, reported rounded half to even
/// to `places` (its exact binary value rounded, as docs/model.md §1.6 rounds
/// draws). Written without separators; JSON makes it a string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    /// The statistic as computed, in the metric's unit.
    pub value: f64,
    /// Decimal places it is reported with.
    pub places: u32,
}

impl Stat {
    /// `value` reported to `places` decimals.
    pub fn new(value: f64, places: u32) -> Self {
        Stat { value, places }
    }

    /// A statistic of a metric in `unit`; `spread` for sd, se and the like.
    pub fn of(unit: &str, value: f64, spread: bool) -> Self {
        Stat::new(value, stat_places(unit, value, spread))
    }

    /// The rounded value; `None` when it is not finite or too large.
    pub fn decimal(self) -> Option<Decimal> {
        f64_to_decimal(self.value, self.places).map(clean)
    }

    /// The rounded value as text (`NaN`, `inf` as Rust writes them).
    pub fn plain(self) -> String {
        self.decimal()
            .map_or_else(|| self.value.to_string(), |d| d.to_string())
    }

    /// A table cell of the rounded value, without separators.
    pub fn cell(self) -> Cell {
        self.decimal()
            .map_or_else(|| Cell::Text(self.value.to_string()), Cell::plain)
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

impl Serialize for Stat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}

/// The positions of `items` by `score`, largest first (ties in order).
pub(crate) fn largest_first<T>(items: &[T], score: impl Fn(&T) -> f64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| score(&items[*b]).total_cmp(&score(&items[*a])).then(a.cmp(b)));
    order
}
