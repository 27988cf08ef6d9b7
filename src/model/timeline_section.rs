//! Reading `[timeline]` and the auction calendar (weekend, holidays):
//! months are strict `YYYY-MM`, holidays must fall inside the timeline.

use std::ops::Range;

use chrono::NaiveDate;
use toml::de::DeValue;

use super::reader::{Obj, Reader};
use crate::calendar::{parse_weekday, weekday_meant, Timeline, YearMonth, MAX_MONTHS, WEEKDAY_NAMES};
use crate::diagnostic::Problem;

pub(super) fn read_timeline(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Timeline> {
    let t = r.section(top, "timeline", true);
    let auction = top.get("auction").and_then(|n| match n.get_ref() {
        DeValue::Table(table) => Some(Obj {
            table,
            span: n.span(),
            path: "auction".into(),
        }),
        _ => None,
    });
    let (mut start, mut months) = (None, None);
    if let Some(t) = &t {
        r.check_keys(t, &["start", "months"]);
        start = read_month(r, t, "start").map(|m| m.0);
        months = read_month_count(r, t);
    }
    let mut weekend = vec![chrono::Weekday::Fri, chrono::Weekday::Sat];
    let mut holidays: Vec<(NaiveDate, Range<usize>)> = Vec::new();
    if let Some(a) = &auction {
        if let Some(node) = a.get("weekend") {
            weekend = read_weekend(r, node);
        }
        if let Some(node) = a.get("holidays") {
            holidays = read_holidays(r, node);
        }
    }
    let (start, (months, months_span)) = (start?, months?);
    // The last month must still be a YYYY-MM month.
    let last = i64::from(start.year) * 12 + i64::from(start.month) - 1 + i64::from(months) - 1;
    if last / 12 > 9999 {
        r.report(
            Problem::new(
                Some(months_span),
                "timeline.months",
                format!("{months} months from {start} run past 9999-12"),
            )
            .allowed("a timeline that ends by 9999-12"),
        );
        return None;
    }
    let timeline = Timeline::new(start, months, weekend, holidays.iter().map(|h| h.0).collect());
    for (date, span) in &holidays {
        if !timeline.contains_date(*date) {
            r.report(
                Problem::new(
                    Some(span.clone()),
                    "auction.holidays",
                    format!("{date} is outside the timeline"),
                )
                .allowed(format!(
                    "dates from {} to the end of {}",
                    timeline.start,
                    timeline.end()
                )),
            );
        }
    }
    Some(timeline)
}

/// `timeline.months`: a whole number from 1 to 600, with its span.
pub(super) fn read_month_count(r: &mut Reader, t: &Obj<'_, '_>) -> Option<(u32, Range<usize>)> {
    let Some(node) = t.get("months") else {
        r.missing_allowed(t, "months", Some("a whole number from 1 to 600"));
        return None;
    };
    if !matches!(node.get_ref(), DeValue::Integer(_) | DeValue::Float(_)) {
        r.report(months_not_a_number(node));
        return None;
    }
    let v = r.number(node, "timeline.months")?;
    let m = u32::try_from(v)
        .ok()
        .filter(|m| v.fract().is_zero() && (1..=MAX_MONTHS).contains(m));
    if m.is_none() {
        r.report(
            Problem::new(
                Some(node.span()),
                "timeline.months",
                format!("{v} is not a number of months"),
            )
            .allowed("a whole number from 1 to 600"),
        );
    }
    m.map(|m| (m, node.span()))
}

/// `timeline.months` written as something other than a number: a count
/// of months is an integer, and a quoted one is told the literal to write
/// (the reader's general message offers a decimal such as 0.8).
fn months_not_a_number(node: &super::reader::Node<'_>) -> Problem {
    let found = match node.get_ref() {
        DeValue::String(s) => format!("the string {:?}", s.as_ref()),
        other => super::reader::type_name(other).to_string(),
    };
    let p = Problem::new(
        Some(node.span()),
        "timeline.months",
        format!("expected a whole number of months, found {found}"),
    )
    .allowed("a whole number from 1 to 600");
    match node.get_ref() {
        DeValue::String(s) => match s.trim().replace('_', "").parse::<u32>() {
            Ok(n) => p.help(format!("remove the quotes: months = {n}")),
            Err(_) => p.help("write the number of months the timeline runs, e.g. months = 12"),
        },
        _ => p.help("write the number of months the timeline runs, e.g. months = 12"),
    }
}

/// A required `YYYY-MM` month under `key` (`timeline.start`, `changes[i].from`).
pub(super) fn read_month(r: &mut Reader, obj: &Obj<'_, '_>, key: &str) -> Option<(YearMonth, Range<usize>)> {
    let path = obj.child_path(key);
    let Some(node) = obj.get(key) else {
        r.missing_allowed(obj, key, Some("a month written \"YYYY-MM\""));
        return None;
    };
    if let DeValue::Datetime(dt) = node.get_ref() {
        let mut p = Problem::new(
            Some(node.span()),
            &path,
            "expected a month as a quoted string, found a date",
        )
        .allowed("a month written \"YYYY-MM\"");
        if let Some(d) = dt.date {
            p = p.help(format!("write {key} = \"{:04}-{:02}\"", d.year, d.month));
        }
        r.report(p);
        return None;
    }
    let (s, span) = r.as_string(node, &path)?;
    match s.parse::<YearMonth>() {
        Ok(m) => Some((m, span)),
        Err(_) => {
            let mut p = Problem::new(Some(span), &path, format!("{s:?} is not a month"))
                .allowed("a month written \"YYYY-MM\", e.g. \"2023-02\"");
            if let Some(m) = crate::calendar::month_meant(&s) {
                p = p.help(format!("write \"{m}\""));
            }
            r.report(p);
            None
        }
    }
}

pub(super) fn read_weekend(r: &mut Reader, node: &super::reader::Node<'_>) -> Vec<chrono::Weekday> {
    let DeValue::Array(items) = node.get_ref() else {
        r.report(
            Problem::new(
                Some(node.span()),
                "auction.weekend",
                "expected a list of weekdays",
            )
            .allowed("e.g. [\"Fri\", \"Sat\"]"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let Some((s, span)) = r.as_string(item, "auction.weekend") else {
            continue;
        };
        match parse_weekday(&s) {
            Some(d) if !out.contains(&d) => out.push(d),
            Some(d) => r.report(
                Problem::new(Some(span), "auction.weekend", format!("{d} is listed twice"))
                    .allowed("each weekday once")
                    .help("remove one of the two"),
            ),
            None => {
                let mut p = Problem::new(Some(span), "auction.weekend", format!("{s:?} is not a weekday"))
                    .allowed(WEEKDAY_NAMES.join(", "));
                if let Some(abbr) = weekday_meant(&s) {
                    p = p.help(format!(
                        "did you mean \"{abbr}\"? weekdays are written with their first three letters"
                    ));
                }
                r.report(p);
            }
        }
    }
    if out.len() == WEEKDAY_NAMES.len() {
        r.report(
            Problem::new(
                Some(node.span()),
                "auction.weekend",
                "every day of the week is a weekend day, so the auction would never hold a session",
            )
            .allowed("at most six weekdays")
            .help("Iraq's weekend is [\"Fri\", \"Sat\"]; [] makes every day a session"),
        );
    }
    out
}

pub(super) fn read_holidays(
    r: &mut Reader,
    node: &super::reader::Node<'_>,
) -> Vec<(NaiveDate, Range<usize>)> {
    let DeValue::Array(items) = node.get_ref() else {
        r.report(
            Problem::new(Some(node.span()), "auction.holidays", "expected a list of dates")
                .allowed("e.g. [\"2023-04-21\"]"),
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items.iter() {
        let text = match item.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.map(|d| d.to_string())
            }
            _ => None,
        };
        match text.as_deref().and_then(|t| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .filter(|_| t.len() == 10)
        }) {
            Some(d) if out.iter().any(|(o, _)| *o == d) => r.report(
                Problem::new(
                    Some(item.span()),
                    "auction.holidays",
                    format!("{d} is listed twice"),
                )
                .allowed("each date once")
                .help("remove one of the two"),
            ),
            Some(d) => out.push((d, item.span())),
            None => r.report(
                Problem::new(
                    Some(item.span()),
                    "auction.holidays",
                    format!(
                        "{} is not a date",
                        text.as_deref().map_or("this".to_string(), |t| format!("{t:?}"))
                    ),
                )
                .allowed("a date YYYY-MM-DD, quoted or as a TOML date"),
            ),
        }
    }
    out
}
