//! One row of an observed file: its cells read, its date as a month, its
//! numbers, and the checks on its interval and weight, each problem
//! located at its cell.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::{cell_span, Observation};
use crate::calendar::YearMonth;
use crate::diagnostic::Problem;
use crate::num::decimal::parse_decimal;

/// A cell of a row: its trimmed text and span.
type Cell = Option<(String, Range<usize>)>;

/// One row of observations, or `None` with its problems added (a blank
/// row is skipped).
pub(super) fn read_row(
    text: &str,
    record: &csv::StringRecord,
    columns: &[usize],
    problems: &mut Vec<Problem>,
) -> Option<Observation> {
    let pos = record.position().map_or(0, |p| p.byte() as usize);
    let line = record.position().map_or(0, |p| p.line() as usize);
    if record.iter().all(|c| c.trim().is_empty()) {
        return None;
    }
    if record.len() > columns.len() {
        problems.push(Problem::new(
            Some(cell_span(text, pos, columns.len())),
            "",
            format!("{} cells where the header has {}", record.len(), columns.len()),
        ));
        return None;
    }
    let cell = |c: usize| -> Cell {
        let i = columns.iter().position(|x| *x == c)?;
        let v = record.get(i)?.trim();
        (!v.is_empty()).then(|| (v.to_string(), cell_span(text, pos, i)))
    };
    let (date, metric, value, lo, hi, weight, source) =
        (cell(0), cell(1), cell(2), cell(3), cell(4), cell(5), cell(6));
    let before = problems.len();
    let month = row_month(&date, pos, problems);
    let mut number = |name: &str, c: &Cell| -> Option<Decimal> { cell_number(name, c.as_ref()?, problems) };
    let v = number("value", &value);
    let l = number("lo", &lo);
    let h = number("hi", &hi);
    let w = number("weight", &weight);
    if value.is_none() {
        problems.push(missing(pos, "value"));
    }
    if metric.is_none() {
        problems.push(missing(pos, "metric").allowed("a metric of `dinarflow run`, e.g. parallel_rate"));
    }
    check_interval(problems, (l, &lo), h);
    check_value_in_range(problems, (v, &value), l, h);
    check_weight(problems, w, &weight);
    if problems.len() > before {
        return None;
    }
    let (Some(month), Some((metric, metric_span)), Some(value), Some((date, _))) = (month, metric, v, date)
    else {
        return None;
    };
    let year = date.len() == 4;
    Some(Observation {
        line,
        date,
        month,
        year,
        metric,
        metric_span,
        value,
        lo: l,
        hi: h,
        weight: w.unwrap_or(Decimal::ONE),
        source: source.map(|s| s.0),
    })
}

/// A row's `lo` (cell `lo`) must not be above its `hi`.
fn check_interval(problems: &mut Vec<Problem>, (l, lo): (Option<Decimal>, &Cell), h: Option<Decimal>) {
    if let (Some(l), Some(h)) = (l, h) {
        if l > h {
            problems.push(Problem::new(
                lo.as_ref().map(|x| x.1.clone()),
                "lo",
                format!("{l} is above hi {h}"),
            ));
        }
    }
}

/// A row's value (cell `value`) must lie in its own published range
/// `lo..=hi` (either end may be missing); a range whose `lo` is above its
/// `hi` is refused by [`check_interval`] alone.
fn check_value_in_range(
    problems: &mut Vec<Problem>,
    (v, value): (Option<Decimal>, &Cell),
    l: Option<Decimal>,
    h: Option<Decimal>,
) {
    let Some(v) = v else { return };
    if let (Some(l), Some(h)) = (l, h) {
        if l > h {
            return;
        }
    }
    let why = match (l, h) {
        (Some(l), _) if v < l => format!("{v} is below lo {l}, the low end of its own range"),
        (_, Some(h)) if v > h => format!("{v} is above hi {h}, the high end of its own range"),
        _ => return,
    };
    problems.push(
        Problem::new(value.as_ref().map(|x| x.1.clone()), "value", why)
            .allowed("a value within lo..=hi (the published range it belongs to)"),
    );
}

/// A row's weight (cell `weight`) must be positive.
fn check_weight(problems: &mut Vec<Problem>, w: Option<Decimal>, weight: &Cell) {
    if let Some(w) = w {
        if w <= Decimal::ZERO {
            problems.push(
                Problem::new(
                    weight.as_ref().map(|x| x.1.clone()),
                    "weight",
                    format!("{w} is not positive"),
                )
                .allowed("a weight > 0; leave the row out to give it none"),
            );
        }
    }
}

/// A row without a `what`, located at the row's start `pos`.
fn missing(pos: usize, what: &str) -> Problem {
    Problem::new(Some(pos..pos), "", format!("the row has no {what}"))
}

/// What a date may be, in messages.
const DATES: &str = "YYYY-MM, YYYY-MM-DD (a time of day after it is ignored, as pandas writes 2023-07-15 00:00:00), or YYYY for a whole year";

/// The month of a row's `date` cell (the row starting at `pos`), or `None`
/// with its problem added.
fn row_month(date: &Cell, pos: usize, problems: &mut Vec<Problem>) -> Option<YearMonth> {
    let Some((d, span)) = date else {
        problems.push(missing(pos, "date").allowed(DATES));
        return None;
    };
    parse_date(d)
        .map_err(|m| problems.push(Problem::new(Some(span.clone()), "date", m).allowed(DATES)))
        .ok()
}

/// The number in the cell of column `name`, or `None` with its problem
/// added (`_` separators are allowed, thousands separators are not).
fn cell_number(
    name: &str,
    (t, span): &(String, Range<usize>),
    problems: &mut Vec<Problem>,
) -> Option<Decimal> {
    match parse_decimal(&t.replace('_', "")) {
        Ok(v) => Some(v),
        Err(e) => {
            let mut p = Problem::new(Some(span.clone()), name, format!("{t:?} {e}"));
            if t.contains(',') || (t.matches('.').count() > 1) {
                p = p.help("write numbers without thousands separators, e.g. 1650.5");
            }
            problems.push(p);
            None
        }
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as the month it falls in (a year
/// as its December). A date may carry a time of day as pandas writes
/// timestamps by default (`2023-07-15 00:00:00`, `2023-07-15T00:00:00`,
/// with fractions of a second or a UTC offset); the month is the date's
/// as written.
pub(super) fn parse_date(text: &str) -> Result<YearMonth, String> {
    if text.len() == 4 {
        let y: i32 = text.parse().map_err(|_| format!("{text:?} is not a year"))?;
        return YearMonth::new(y, 12).ok_or_else(|| format!("{text:?} is outside the years 1 to 9999"));
    }
    if text.len() == 7 {
        return text.parse::<YearMonth>();
    }
    let d = match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) => date_of_timestamp(text).ok_or_else(|| format!("{text:?} is not a date"))?,
    };
    YearMonth::new(d.year(), d.month()).ok_or_else(|| format!("{text:?} is outside the years 1 to 9999"))
}

/// The date of a timestamp `YYYY-MM-DD HH:MM[:SS[.fff]]` (or with `T`),
/// with an optional UTC offset (`Z`, `+03:00`), as written.
fn date_of_timestamp(text: &str) -> Option<NaiveDate> {
    const NAIVE: [&str; 4] = [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    if let Some(t) = NAIVE
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(text, f).ok())
    {
        return Some(t.date());
    }
    const ZONED: [&str; 4] = [
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S%.f%#z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
    ];
    let zoned = text.strip_suffix('Z').map(|t| format!("{t}+00:00"));
    let text = zoned.as_deref().unwrap_or(text);
    ZONED
        .iter()
        .find_map(|f| chrono::DateTime::parse_from_str(text, f).ok())
        .map(|t| t.naive_local().date())
}
