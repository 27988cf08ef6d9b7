//! Turns a model file into a validated [`Model`]: reads every section,
//! applies the range, sum and timeline rules of MODEL.md §3, and reports
//! every problem found in one go. Also applies `--set` overrides.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use toml::de::{DeTable, DeValue};

use super::params::{Kind, ParamId};
use super::reader::{check_range, Obj, Reader};
use super::validate::cross_rules;
use super::*;
use crate::calendar::{parse_weekday, Timeline, YearMonth, WEEKDAY_NAMES};
use crate::diagnostic::{Diagnostics, Problem, SourceFile};
use crate::error::Error;
use crate::number;

/// Largest model file read, to refuse absurd inputs before parsing them.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Most entries of one list of tables (buyers, deductions, payments, banks,
/// basket items). Real models have dozens; the cap keeps a run's memory and
/// output bounded (every entry has a metric in every month).
pub const MAX_ENTRIES: usize = 1000;

/// Reads and validates the model file at `path`.
pub fn load_file(path: &Path) -> Result<Model, Error> {
    let name = path.display().to_string();
    let input = |message: String| Error::Input {
        path: name.clone(),
        message,
    };
    let meta = std::fs::metadata(path).map_err(|e| input(io_reason(&e)))?;
    if meta.is_dir() {
        return Err(input("is a directory, not a model file".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        // Rounded up, so that a file just over the limit never reads "16.0 MiB".
        let tenths = (meta.len() * 10).div_ceil(1024 * 1024);
        return Err(input(format!(
            "is {}.{} MiB; model files are limited to {} MiB",
            tenths / 10,
            tenths % 10,
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| input(io_reason(&e)))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        input(format!(
            "is not a text model file (invalid UTF-8 at byte {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    load_str(&name, &text).map_err(|d| Error::Invalid(Box::new(d)))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied: cannot read it".into(),
        _ => format!("cannot read it: {e}"),
    }
}

const TOP_KEYS: &[&str] = &[
    "model",
    "timeline",
    "exports",
    "deductions",
    "custody",
    "airlift",
    "auction",
    "parallel_market",
    "prices",
    "changes",
    "uncertainty",
    "correlation",
];

/// Parses and validates model text; `name` is the file name used in messages.
pub fn load_str(name: &str, text: &str) -> Result<Model, Diagnostics> {
    let file = SourceFile::new(name, text);
    let fail = |problems: Vec<Problem>| Diagnostics {
        file: file.clone(),
        problems,
    };
    if text.trim().is_empty() {
        return Err(fail(vec![Problem::new(None, "", "the file is empty")
            .allowed("a model with [model], [timeline], [exports], [custody], [airlift], [auction], [parallel_market] and [prices]")
            .help("`dinarflow init FILE` writes a commented starter model")]));
    }
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(fail(errors.iter().map(|e| syntax_problem(text, e)).collect()));
    }
    if root.get_ref().is_empty() {
        return Err(fail(vec![Problem::new(None, "", "the file has no settings, only comments or blank lines")
            .allowed("a model with [model], [timeline], [exports], [custody], [airlift], [auction], [parallel_market] and [prices]")
            .help("`dinarflow init FILE` writes a commented starter model")]));
    }
    let mut r = Reader::default();
    let top = Obj {
        table: root.get_ref(),
        span: root.span(),
        path: String::new(),
    };
    r.check_keys(&top, TOP_KEYS);
    let model = read_model(&mut r, &top, &file);
    match model {
        Some(m) if r.problems.is_empty() => Ok(m),
        _ => {
            let mut problems = r.problems;
            problems.sort_by_key(|p| p.span.as_ref().map_or(0, |s| s.start));
            Err(fail(problems))
        }
    }
}

/// A TOML syntax error; a duplicate key or table is named, since the
/// parser's own "duplicate key" does not say which.
fn syntax_problem(text: &str, e: &toml::de::Error) -> Problem {
    let message = e.message().trim();
    let p = Problem::new(e.span(), "", format!("TOML syntax error: {message}"));
    let Some(span) = e.span().filter(|_| message == "duplicate key") else {
        return p;
    };
    let Some(key) = text.get(span.clone()).map(str::trim).filter(|k| !k.is_empty()) else {
        return p;
    };
    let line_start = text
        .get(..span.start)
        .and_then(|b| b.rfind('\n'))
        .map_or(0, |i| i + 1);
    let in_header = text
        .get(line_start..span.start)
        .is_some_and(|before| before.trim_start().starts_with('['));
    if in_header {
        Problem::new(
            Some(span),
            "",
            format!("TOML syntax error: the table [{key}] is defined twice"),
        )
        .help(format!("merge the two [{key}] tables into one"))
    } else {
        Problem::new(
            Some(span),
            "",
            format!("TOML syntax error: `{key}` is set twice in the same table"),
        )
        .help("keep only one of the two lines")
    }
}

fn read_model(r: &mut Reader, top: &Obj<'_, '_>, file: &SourceFile) -> Option<Model> {
    let meta = r.section(top, "model", true);
    let (name, description) = match &meta {
        Some(m) => {
            r.check_keys(m, &["name", "description"]);
            (
                r.string(m, "name", true).map(|s| s.0),
                r.string(m, "description", false).map(|s| s.0),
            )
        }
        None => (None, None),
    };
    let timeline = read_timeline(r, top);
    // Sections that failed are stood in for (empty lists, zero values) so
    // that the sum rules of the others, the changes and the uncertainty are
    // still checked and every problem is reported in one go.
    let mut complete = true;
    let params = read_params(r, top, &mut complete);
    for (problem, _) in cross_rules(&params) {
        r.report(problem);
    }
    let changes = match top.get("changes") {
        Some(_) => read_changes(r, top, &params, timeline.as_ref(), complete),
        None => Vec::new(),
    };
    let uncertainty = match r.section(top, "uncertainty", false) {
        Some(obj) => uncertainty::read(r, &obj, &params, complete),
        None => Vec::new(),
    };
    let correlation = match r.section(top, "correlation", false) {
        Some(obj) => correlation::read(r, &obj, &params, &uncertainty),
        None => Vec::new(),
    };
    let mut first_change: HashMap<ParamId, YearMonth> = HashMap::new();
    for c in &changes {
        first_change.entry(c.param).or_insert(c.month);
    }
    for u in &uncertainty {
        if let Some(month) = first_change.get(&u.param) {
            r.report(
                Problem::new(
                    Some(u.span.clone()),
                    format!("uncertainty.\"{}\"", u.path),
                    "is also set by a [[changes]] entry",
                )
                .allowed("a path either in [uncertainty] or in [[changes]], not both")
                .help(format!("the change from {month} sets it; remove one of the two")),
            );
        }
    }
    if !complete {
        return None;
    }
    let model = Model {
        file: file.clone(),
        name: name.clone().unwrap_or_default(),
        description,
        timeline: timeline?,
        base: params,
        changes,
        uncertainty,
        correlation,
    };
    check_months(r, &model);
    name.map(|_| model)
}

fn read_timeline(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Timeline> {
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
fn read_month_count(r: &mut Reader, t: &Obj<'_, '_>) -> Option<(u32, Range<usize>)> {
    let Some(node) = t.get("months") else {
        r.missing_allowed(t, "months", Some("a whole number from 1 to 600"));
        return None;
    };
    let v = r.number(node, "timeline.months")?;
    let m = u32::try_from(v)
        .ok()
        .filter(|m| v.fract().is_zero() && (1..=600).contains(m));
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

/// A required `YYYY-MM` month under `key` (`timeline.start`, `changes[i].from`).
fn read_month(r: &mut Reader, obj: &Obj<'_, '_>, key: &str) -> Option<(YearMonth, Range<usize>)> {
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
            r.report(
                Problem::new(Some(span), &path, format!("{s:?} is not a month"))
                    .allowed("a month written \"YYYY-MM\", e.g. \"2023-02\""),
            );
            None
        }
    }
}

fn read_weekend(r: &mut Reader, node: &super::reader::Node<'_>) -> Vec<chrono::Weekday> {
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
            Some(_) => {}
            None => r.report(
                Problem::new(Some(span), "auction.weekend", format!("{s:?} is not a weekday"))
                    .allowed(WEEKDAY_NAMES.join(", ")),
            ),
        }
    }
    out
}

fn read_holidays(r: &mut Reader, node: &super::reader::Node<'_>) -> Vec<(NaiveDate, Range<usize>)> {
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

/// Reads the name of a list entry; reports a missing or unusable one.
fn entry_name(r: &mut Reader, obj: &Obj<'_, '_>, seen: &mut HashSet<String>) -> Option<String> {
    let (name, span) = r.string(obj, "name", true)?;
    if name.trim().is_empty() || name.contains(['[', ']']) {
        r.report(
            Problem::new(
                Some(span),
                format!("{}.name", obj.path),
                format!("{name:?} cannot be used as a name"),
            )
            .allowed("a non-empty name without [ or ]"),
        );
        return None;
    }
    if !seen.insert(name.clone()) {
        let list = obj.path.rsplit_once('[').map_or(obj.path.as_str(), |x| x.0);
        r.report(
            Problem::new(
                Some(span),
                format!("{}.name", obj.path),
                format!("{name:?} is used twice in {list}"),
            )
            .allowed("names unique within the list"),
        );
        return None;
    }
    Some(name)
}

/// Reads every numeric section. Whatever failed is stood in for by zeros
/// and empty lists, and `complete` is cleared.
fn read_params(r: &mut Reader, top: &Obj<'_, '_>, complete: &mut bool) -> Params {
    Params {
        exports: read_exports(r, top, complete),
        deductions: read_deductions(r, top, complete),
        custody: read_custody(r, top, complete),
        airlift: read_airlift(r, top, complete),
        auction: read_auction(r, top, complete),
        parallel: read_parallel(r, top, complete),
        prices: read_prices(r, top, complete),
    }
}

/// Reads a list of named entries with `read`, keeping `None` when any failed.
fn entries<T>(
    r: &mut Reader,
    parent: &Obj<'_, '_>,
    key: &str,
    keys: &[&str],
    mut read: impl FnMut(&mut Reader, &Obj<'_, '_>, String) -> Option<T>,
) -> Option<Vec<T>> {
    let list = parent.child_path(key);
    let tables = r.tables(parent, key);
    if tables.len() > MAX_ENTRIES {
        let span = parent.get(key).map(toml::Spanned::span);
        r.report(
            Problem::new(
                span,
                &list,
                format!("has {} entries, too many for one model", tables.len()),
            )
            .allowed(format!("at most {MAX_ENTRIES} [[{list}]] entries")),
        );
        return None;
    }
    let mut seen = HashSet::new();
    let mut ok = true;
    let mut out = Vec::new();
    for obj in tables {
        let name = entry_name(r, &obj, &mut seen);
        // Named entries are addressed by name; one without a usable name
        // keeps its index and is still read, to report its other problems.
        let obj = Obj {
            table: obj.table,
            span: obj.span,
            path: match &name {
                Some(n) => format!("{list}[{n}]"),
                None => obj.path,
            },
        };
        r.check_keys(&obj, keys);
        match name {
            Some(n) => match read(r, &obj, n) {
                Some(v) => out.push(v),
                None => ok = false,
            },
            None => {
                read(r, &obj, String::new());
                ok = false;
            }
        }
    }
    if let Some(node) = parent.get(key) {
        if !matches!(node.get_ref(), DeValue::Array(_)) {
            ok = false;
        }
    }
    ok.then_some(out)
}

/// Reports a list that must have at least one entry but has none.
fn require_entries<T>(
    r: &mut Reader,
    parent: &Obj<'_, '_>,
    key: &str,
    list: &Option<Vec<T>>,
    what: &str,
    allowed: &str,
) {
    if !matches!(list, Some(v) if v.is_empty()) {
        return;
    }
    let span = parent
        .get(key)
        .map_or_else(|| parent.span.clone(), toml::Spanned::span);
    r.report(Problem::new(Some(span), parent.child_path(key), what).allowed(allowed));
}

/// A value that was read, or a zero stand-in that marks the params incomplete.
fn got(p: Option<Param>, complete: &mut bool) -> Param {
    p.unwrap_or_else(|| {
        *complete = false;
        Param::new(Decimal::ZERO)
    })
}

/// A list that was read, or an empty stand-in that marks the params incomplete.
fn got_list<T>(list: Option<Vec<T>>, complete: &mut bool) -> Vec<T> {
    list.unwrap_or_else(|| {
        *complete = false;
        Vec::new()
    })
}

/// The table of a required section, or `None` (reported) with `complete` cleared.
fn required_section<'a, 'i>(
    r: &mut Reader,
    top: &Obj<'a, 'i>,
    key: &str,
    complete: &mut bool,
) -> Option<Obj<'a, 'i>> {
    let s = r.section(top, key, true);
    if s.is_none() {
        *complete = false;
    }
    s
}

fn zero() -> Param {
    Param::new(Decimal::ZERO)
}

fn read_exports(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Exports {
    let Some(e) = required_section(r, top, "exports", c) else {
        return Exports {
            volume_bpd: zero(),
            price: zero(),
            buyers: Vec::new(),
        };
    };
    r.check_keys(&e, &["volume_bpd", "price_usd_per_bbl", "buyers"]);
    let volume_bpd = r.param(&e, "volume_bpd", Kind::Volume, true);
    let price = r.param(&e, "price_usd_per_bbl", Kind::PricePerBarrel, true);
    let buyers = entries(
        r,
        &e,
        "buyers",
        &["name", "share", "price_offset_usd_per_bbl"],
        |r, b, name| {
            let share = r.param(b, "share", Kind::Share, true);
            let offset = r.param(b, "price_offset_usd_per_bbl", Kind::PriceOffset, false);
            let offset_ok = offset.is_some() || b.get("price_offset_usd_per_bbl").is_none();
            Some(Buyer {
                name,
                share: share?,
                price_offset: offset.or_else(|| offset_ok.then(zero))?,
            })
        },
    );
    require_entries(
        r,
        &e,
        "buyers",
        &buyers,
        "no buyers",
        "at least one [[exports.buyers]] entry with name and share",
    );
    // Without a price, price + offset cannot be checked: leave the buyers out.
    let buyers = if price.is_some() {
        got_list(buyers, c)
    } else {
        Vec::new()
    };
    Exports {
        volume_bpd: got(volume_bpd, c),
        price: got(price, c),
        buyers,
    }
}

fn read_deductions(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Vec<Deduction> {
    let list = entries(r, top, "deductions", &["name", "rate"], |r, d, name| {
        Some(Deduction {
            name,
            rate: r.param(d, "rate", Kind::Share, true)?,
        })
    });
    got_list(list, c)
}

fn read_custody(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Custody {
    let Some(cu) = required_section(r, top, "custody", c) else {
        return Custody {
            opening_balance: zero(),
            payments: Vec::new(),
        };
    };
    r.check_keys(&cu, &["opening_balance_usd", "payments"]);
    let opening = r.param(&cu, "opening_balance_usd", Kind::Money, true);
    let payments = entries(r, &cu, "payments", &["name", "usd_per_month"], |r, p, name| {
        Some(Payment {
            name,
            usd_per_month: r.param(p, "usd_per_month", Kind::Money, true)?,
        })
    });
    Custody {
        opening_balance: got(opening, c),
        payments: got_list(payments, c),
    }
}

fn read_airlift(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Airlift {
    let Some(a) = required_section(r, top, "airlift", c) else {
        return Airlift {
            cash_per_month: zero(),
            plane_capacity: zero(),
            transport_per_flight: zero(),
            security_per_flight: zero(),
            insurance_rate: zero(),
            vault_opening: zero(),
        };
    };
    r.check_keys(
        &a,
        &[
            "cash_usd_per_month",
            "plane_capacity_usd",
            "transport_usd_per_flight",
            "security_usd_per_flight",
            "insurance_rate",
            "vault_opening_usd",
        ],
    );
    let cash = r.param(&a, "cash_usd_per_month", Kind::Money, true);
    let cap = r.param(&a, "plane_capacity_usd", Kind::PositiveMoney, true);
    let transport = r.param(&a, "transport_usd_per_flight", Kind::Money, true);
    let security = r.param(&a, "security_usd_per_flight", Kind::Money, true);
    let insurance = r.param(&a, "insurance_rate", Kind::Share, true);
    let vault = r.param(&a, "vault_opening_usd", Kind::Money, true);
    Airlift {
        cash_per_month: got(cash, c),
        plane_capacity: got(cap, c),
        transport_per_flight: got(transport, c),
        security_per_flight: got(security, c),
        insurance_rate: got(insurance, c),
        vault_opening: got(vault, c),
    }
}

fn read_auction(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Auction {
    let Some(a) = required_section(r, top, "auction", c) else {
        return Auction {
            official_rate: zero(),
            requests_per_day: zero(),
            cash_share: zero(),
            rejection_rate: zero(),
            banks: Vec::new(),
        };
    };
    r.check_keys(
        &a,
        &[
            "official_rate_iqd_per_usd",
            "requests_usd_per_day",
            "cash_share",
            "rejection_rate",
            "weekend",
            "holidays",
            "banks",
        ],
    );
    let official = r.param(&a, "official_rate_iqd_per_usd", Kind::ExchangeRate, true);
    let requests = r.param(&a, "requests_usd_per_day", Kind::Money, true);
    let cash_share = r.param(&a, "cash_share", Kind::Share, true);
    let rejection = r.param(&a, "rejection_rate", Kind::Share, true);
    let banks = entries(
        r,
        &a,
        "banks",
        &["name", "share", "rejection_rate"],
        |r, b, name| {
            let share = r.param(b, "share", Kind::Share, true);
            let rejection_rate = match b.get("rejection_rate") {
                Some(_) => Some(r.param(b, "rejection_rate", Kind::Share, true)?),
                None => None,
            };
            Some(Bank {
                name,
                share: share?,
                rejection_rate,
            })
        },
    );
    Auction {
        official_rate: got(official, c),
        requests_per_day: got(requests, c),
        cash_share: got(cash_share, c),
        rejection_rate: got(rejection, c),
        banks: got_list(banks, c),
    }
}

fn read_parallel(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> ParallelMarket {
    let Some(p) = required_section(r, top, "parallel_market", c) else {
        return ParallelMarket {
            baseline_rate: zero(),
            baseline_turnover: zero(),
            baseline_unmet: zero(),
            spillover_share: zero(),
            demand_elasticity: zero(),
            supply_elasticity: zero(),
        };
    };
    r.check_keys(
        &p,
        &[
            "baseline_rate_iqd_per_usd",
            "baseline_turnover_usd_per_day",
            "baseline_unmet_usd_per_day",
            "spillover_share",
            "demand_elasticity",
            "supply_elasticity",
        ],
    );
    let rate = r.param(&p, "baseline_rate_iqd_per_usd", Kind::ExchangeRate, true);
    let turnover = r.param(&p, "baseline_turnover_usd_per_day", Kind::PositiveMoney, true);
    let unmet = match p.get("baseline_unmet_usd_per_day") {
        Some(_) => r.param(&p, "baseline_unmet_usd_per_day", Kind::Money, false),
        None => Some(zero()),
    };
    let spill = r.param(&p, "spillover_share", Kind::Share, true);
    let demand = r.param(&p, "demand_elasticity", Kind::PositiveElasticity, true);
    let supply = r.param(&p, "supply_elasticity", Kind::Elasticity, true);
    ParallelMarket {
        baseline_rate: got(rate, c),
        baseline_turnover: got(turnover, c),
        baseline_unmet: got(unmet, c),
        spillover_share: got(spill, c),
        demand_elasticity: got(demand, c),
        supply_elasticity: got(supply, c),
    }
}

fn read_prices(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Prices {
    let Some(p) = required_section(r, top, "prices", c) else {
        return Prices {
            reference_rate: zero(),
            basket: Vec::new(),
        };
    };
    r.check_keys(&p, &["reference_rate_iqd_per_usd", "basket"]);
    let reference = r.param(&p, "reference_rate_iqd_per_usd", Kind::ExchangeRate, true);
    let basket = entries(
        r,
        &p,
        "basket",
        &["name", "weight", "import_content", "pass_through"],
        |r, i, name| {
            let weight = r.param(i, "weight", Kind::Share, true);
            let import_content = r.param(i, "import_content", Kind::Share, true);
            let pass_through = r.param(i, "pass_through", Kind::Share, true);
            Some(BasketItem {
                name,
                weight: weight?,
                import_content: import_content?,
                pass_through: pass_through?,
            })
        },
    );
    require_entries(
        r,
        &p,
        "basket",
        &basket,
        "no basket items",
        "at least one [[prices.basket]] entry with name, weight, import_content and pass_through",
    );
    Prices {
        reference_rate: got(reference, c),
        basket: got_list(basket, c),
    }
}

/// Reads `[[changes]]`. Without a timeline the months are not range
/// checked; with incomplete params a list-entry path that does not resolve
/// may name an entry of a list that failed, so it is not reported.
fn read_changes(
    r: &mut Reader,
    top: &Obj<'_, '_>,
    params: &Params,
    timeline: Option<&Timeline>,
    complete: bool,
) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut seen: HashMap<(YearMonth, ParamId), usize> = HashMap::new();
    for (i, c) in r.tables(top, "changes").into_iter().enumerate() {
        let path = format!("changes[{i}]");
        let c = Obj {
            path: path.clone(),
            ..c
        };
        r.check_keys(&c, &["from", "set", "note", "source"]);
        let note = r.string(&c, "note", false).map(|s| s.0);
        let source = r.string(&c, "source", false).map(|s| s.0);
        let month = read_month(r, &c, "from").and_then(|(m, span)| match timeline {
            Some(t) if t.index_of(m).is_none() => {
                r.report(
                    Problem::new(
                        Some(span),
                        format!("{path}.from"),
                        format!("{m} is outside the timeline"),
                    )
                    .allowed(format!("a month from {} to {}", t.start, t.end())),
                );
                None
            }
            _ => Some(m),
        });
        const SET_ALLOWED: &str = "a table of paths and values, e.g. { \"auction.rejection_rate\" = 0.5 }";
        let set = match c.get("set") {
            None => {
                r.missing_allowed(&c, "set", Some(SET_ALLOWED));
                continue;
            }
            Some(node) => match node.get_ref() {
                DeValue::Table(table) => Obj {
                    table,
                    span: node.span(),
                    path: format!("{path}.set"),
                },
                other => {
                    r.report(
                        Problem::new(
                            Some(node.span()),
                            format!("{path}.set"),
                            format!("expected a table, found {}", super::reader::type_name(other)),
                        )
                        .allowed(SET_ALLOWED),
                    );
                    continue;
                }
            },
        };
        for (k, node) in set.table.iter() {
            let key: &str = k.get_ref();
            let shown = format!("{path}.set.\"{key}\"");
            let id = match r.resolve(params, key) {
                Ok(id) => id,
                Err(_) if !complete && key.contains('[') => continue,
                Err(near) => {
                    let mut p = Problem::new(Some(k.span()), &shown, format!("`{key}` names no numeric parameter"))
                        .allowed("a parameter path such as auction.rejection_rate (timeline, names, weekend and holidays cannot change)");
                    if !near.is_empty() {
                        p = p.help(format!("did you mean {}?", near.join(", ")));
                    }
                    r.report(p);
                    continue;
                }
            };
            let Some(mut value) = r.param_node(node, &shown, id.kind()) else {
                continue;
            };
            if value.origin.source.is_none() {
                value.origin.source.clone_from(&source);
            }
            if value.origin.note.is_none() {
                value.origin.note.clone_from(&note);
            }
            let Some(m) = month else { continue };
            if let Some(first) = seen.get(&(m, id)) {
                r.report(
                    Problem::new(
                        Some(k.span()),
                        &shown,
                        format!("{key} is already changed from {m} by changes[{first}]"),
                    )
                    .allowed("one change per path and month")
                    .help("keep one of the two values"),
                );
                continue;
            }
            seen.insert((m, id), i);
            out.push(Change {
                month: m,
                param: id,
                value,
                note: note.clone(),
                source: source.clone(),
            });
        }
    }
    out.sort_by_key(|c| c.month);
    out
}

/// Re-checks the sum and cross-field rules in each month a change applies.
fn check_months(r: &mut Reader, model: &Model) {
    model.each_month(|info, params, here| {
        if here.is_empty() {
            return;
        }
        for (problem, group) in cross_rules(params) {
            if let Some(c) = here.iter().find(|c| group.contains(&c.param)) {
                let mut p = problem;
                p.span.clone_from(&c.value.origin.span);
                p.message = format!("from {} (after changes): {}", info.month, p.message);
                r.report(p);
            }
        }
    });
}

/// What a `--set` did, to be said on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetNote {
    pub path: String,
    pub value: Decimal,
    /// Months of the `[[changes]]` entries that the override dropped.
    pub dropped: Vec<YearMonth>,
    /// Whether the path was in `[uncertainty]` (the override fixes it).
    pub was_uncertain: bool,
}

impl std::fmt::Display for SetNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "note: --set {}={} holds for the whole timeline",
            self.path, self.value
        )?;
        if !self.dropped.is_empty() {
            let months: Vec<String> = self.dropped.iter().map(ToString::to_string).collect();
            write!(f, "; it replaces the [[changes]] from {}", months.join(", "))?;
        }
        if self.was_uncertain {
            write!(f, "; it also fixes the [uncertainty] entry for it")?;
        }
        Ok(())
    }
}

impl Model {
    /// Applies `--set PATH=VALUE`: replaces the base value, drops the
    /// changes of that path, and re-validates.
    pub fn apply_set(&mut self, spec: &str) -> Result<SetNote, Error> {
        let mut notes = self.apply_sets(&[spec])?;
        Ok(notes.remove(0))
    }

    /// Applies several `--set PATH=VALUE` together, then checks the rules
    /// across parameters once, so that `--set` can move shares that must
    /// add up to 1 (`buyers[A].share=0.4` with `buyers[B].share=0.6`). The
    /// model is unchanged on error.
    pub fn apply_sets(&mut self, specs: &[&str]) -> Result<Vec<SetNote>, Error> {
        let mut next = self.clone();
        let mut notes = Vec::new();
        let mut set: Vec<(ParamId, &str)> = Vec::new();
        for spec in specs {
            let usage = |m: String| Error::Usage(format!("--set {spec}: {m}"));
            let (path, text) = spec
                .split_once('=')
                .ok_or_else(|| usage("expected PATH=VALUE, e.g. --set auction.rejection_rate=0.5".into()))?;
            let id = next.resolve_path(path.trim()).map_err(&usage)?;
            let value =
                number::parse_decimal(text.trim()).map_err(|e| usage(format!("{:?} {e}", text.trim())))?;
            if let Some(p) = check_range(id.kind(), value, &next.base.path(id), None) {
                return Err(usage(p.headline()));
            }
            notes.push(next.replace(id, value));
            set.push((id, spec));
        }
        let ids: Vec<ParamId> = set.iter().map(|s| s.0).collect();
        if let Some((p, group)) = next.broken_rule(&ids) {
            let specs: Vec<&str> = set.iter().filter(|s| group.contains(&s.0)).map(|s| s.1).collect();
            let mut m = format!("--set {}: {}", specs.join(" --set "), p.headline());
            if specs.len() == 1 && p.message.contains(" add up to ") {
                m.push_str("; --set the other entries of the list too (every --set is checked together)");
            }
            return Err(Error::Usage(m));
        }
        *self = next;
        Ok(notes)
    }

    /// Resolves a parameter path, or explains which paths are near.
    pub fn resolve_path(&self, path: &str) -> Result<ParamId, String> {
        if path.is_empty() {
            return Err("no parameter path before `=`".into());
        }
        let fixed = path.starts_with("timeline.")
            || path.ends_with(".name")
            || matches!(path, "auction.weekend" | "auction.holidays" | "model.description");
        if fixed && self.base.lookup(path).is_none() {
            return Err(format!(
                "`{path}` cannot be changed by path: the timeline, names, weekend and holidays are set in the model file only"
            ));
        }
        self.base.resolve(path).map_err(|near| {
            let mut m = format!("`{path}` names no numeric parameter of this model");
            if !near.is_empty() {
                m.push_str(&format!("; did you mean {}?", near.join(", ")));
            }
            m
        })
    }

    /// Replaces `id` for the whole timeline with `value`, checking ranges
    /// and the sum rules; the model is unchanged on error.
    pub fn set_value(&mut self, id: ParamId, value: Decimal) -> Result<SetNote, Problem> {
        if let Some(p) = check_range(id.kind(), value, &self.base.path(id), None) {
            return Err(p);
        }
        let mut next = self.clone();
        let note = next.replace(id, value);
        if let Some((p, _)) = next.broken_rule(&[id]) {
            return Err(p);
        }
        *self = next;
        Ok(note)
    }

    /// Replaces `id` for the whole timeline, dropping its changes and its
    /// uncertainty, without checking the rules across parameters.
    fn replace(&mut self, id: ParamId, value: Decimal) -> SetNote {
        let dropped: Vec<YearMonth> = self
            .changes
            .iter()
            .filter(|c| c.param == id)
            .map(|c| c.month)
            .collect();
        self.changes.retain(|c| c.param != id);
        let was_uncertain = self.uncertainty.iter().any(|u| u.param == id);
        self.uncertainty.retain(|u| u.param != id);
        self.correlation.retain(|c| c.a != id && c.b != id);
        self.base.set(
            id,
            Param {
                value,
                origin: Origin {
                    from_command_line: true,
                    ..Origin::default()
                },
            },
        );
        SetNote {
            path: self.base.path(id),
            value,
            dropped,
            was_uncertain,
        }
    }

    /// The first rule across parameters that involves one of `ids` and is
    /// broken in some month. The parameters change only in the first month
    /// and where a change applies: only those are checked, without a copy
    /// of the parameters per month.
    fn broken_rule(&self, ids: &[ParamId]) -> Option<(Problem, Vec<ParamId>)> {
        let mut broken = None;
        self.each_month(|info, params, here| {
            let first = info.month == self.timeline.start;
            if broken.is_none() && (first || !here.is_empty()) {
                broken = cross_rules(params)
                    .into_iter()
                    .find(|(_, g)| g.iter().any(|id| ids.contains(id)));
            }
        });
        broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Model {
        load_str("small.toml", include_str!("../../fixtures/small.toml")).unwrap()
    }

    #[test]
    fn sets_are_checked_together_so_shares_can_move() {
        let mut m = small();
        let notes = m
            .apply_sets(&[
                "exports.buyers[China].share=0.4",
                "exports.buyers[Others].share = 0.6",
            ])
            .unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(m.base.exports.buyers[0].share.value, Decimal::new(4, 1));
        assert_eq!(m.base.exports.buyers[1].share.value, Decimal::new(6, 1));
        assert!(m.base.exports.buyers[1].share.origin.from_command_line);
    }

    #[test]
    fn a_broken_sum_names_the_sets_involved_and_changes_nothing() {
        let mut m = small();
        let before = m.clone();
        let e = m
            .apply_sets(&[
                "auction.rejection_rate=0.5",
                "exports.buyers[China].share=0.4",
                "exports.buyers[Others].share=0.5",
            ])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "error: --set exports.buyers[China].share=0.4 --set exports.buyers[Others].share=0.5: \
             exports.buyers[*].share: the shares add up to 0.9 (0.4 + 0.5) (allowed: exactly 1)"
        );
        assert_eq!(m, before);
        let e = m
            .apply_set("exports.buyers[China].share=0.4")
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("(allowed: exactly 1); --set the other entries of the list too (every --set is checked together)"), "{e}");
        assert_eq!(m, before);
    }

    #[test]
    fn paths_that_cannot_be_set_say_why() {
        let m = small();
        for path in [
            "timeline.months",
            "timeline.start",
            "exports.buyers[China].name",
            "auction.weekend",
            "auction.holidays",
            "model.name",
        ] {
            let e = m.resolve_path(path).unwrap_err();
            assert!(e.contains("cannot be changed by path"), "{path}: {e}");
        }
        assert_eq!(m.resolve_path("").unwrap_err(), "no parameter path before `=`");
        assert!(m
            .resolve_path("auction.rejection_rte")
            .unwrap_err()
            .contains("did you mean auction.rejection_rate"));
    }
}
