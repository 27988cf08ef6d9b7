//! Turns a model file into a validated [`Model`]: reads every section,
//! applies the range, sum and timeline rules of MODEL.md §3, and reports
//! every problem found in one go. Also applies `--set` overrides.

use std::collections::HashSet;
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
        return Err(input(format!(
            "is {} bytes; model files are limited to {} MiB",
            meta.len(),
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
        return Err(fail(
            errors
                .iter()
                .map(|e| Problem::new(e.span(), "", format!("TOML syntax error: {}", e.message().trim())))
                .collect(),
        ));
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
    let params = read_params(r, top);
    let (timeline, params) = (timeline?, params?);
    for (problem, _) in cross_rules(&params) {
        r.report(problem);
    }
    let changes = match top.get("changes") {
        Some(_) => read_changes(r, top, &params, &timeline),
        None => Vec::new(),
    };
    let uncertainty = match r.section(top, "uncertainty", false) {
        Some(obj) => uncertainty::read(r, &obj, &params),
        None => Vec::new(),
    };
    for u in &uncertainty {
        if let Some(c) = changes.iter().find(|c| c.param == u.param) {
            r.report(
                Problem::new(
                    Some(u.span.clone()),
                    format!("uncertainty.\"{}\"", u.path),
                    "is also set by a [[changes]] entry",
                )
                .allowed("a path either in [uncertainty] or in [[changes]], not both")
                .help(format!(
                    "the change from {} sets it; remove one of the two",
                    c.month
                )),
            );
        }
    }
    let model = Model {
        file: file.clone(),
        name: name?,
        description,
        timeline,
        base: params,
        changes,
        uncertainty,
    };
    check_months(r, &model);
    Some(model)
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
    let t = t?;
    r.check_keys(&t, &["start", "months"]);
    let start = r
        .string(&t, "start", true)
        .and_then(|(s, span)| match s.parse::<YearMonth>() {
            Ok(m) => Some(m),
            Err(e) => {
                r.report(Problem::new(Some(span), "timeline.start", e).allowed("a month written YYYY-MM"));
                None
            }
        });
    let months = match t.get("months") {
        None => {
            r.missing(&t, "months");
            None
        }
        Some(node) => {
            let v = r.number(node, "timeline.months");
            match v.and_then(|d| {
                u32::try_from(d)
                    .ok()
                    .filter(|m| d.fract().is_zero() && (1..=600).contains(m))
            }) {
                Some(m) => Some(m),
                None => {
                    if let Some(d) = v {
                        r.report(
                            Problem::new(
                                Some(node.span()),
                                "timeline.months",
                                format!("{d} is not a number of months"),
                            )
                            .allowed("a whole number from 1 to 600"),
                        );
                    }
                    None
                }
            }
        }
    };
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
    let (start, months) = (start?, months?);
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

fn read_params(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Params> {
    let exports = read_exports(r, top);
    let deductions = read_deductions(r, top);
    let custody = read_custody(r, top);
    let airlift = read_airlift(r, top);
    let auction = read_auction(r, top);
    let parallel = read_parallel(r, top);
    let prices = read_prices(r, top);
    Some(Params {
        exports: exports?,
        deductions: deductions?,
        custody: custody?,
        airlift: airlift?,
        auction: auction?,
        parallel: parallel?,
        prices: prices?,
    })
}

/// Reads a list of named entries with `read`, keeping `None` when any failed.
fn entries<T>(
    r: &mut Reader,
    parent: &Obj<'_, '_>,
    key: &str,
    keys: &[&str],
    mut read: impl FnMut(&mut Reader, &Obj<'_, '_>, String) -> Option<T>,
) -> Option<Vec<T>> {
    let mut seen = HashSet::new();
    let mut ok = true;
    let mut out = Vec::new();
    for obj in r.tables(parent, key) {
        r.check_keys(&obj, keys);
        let name = entry_name(r, &obj, &mut seen);
        let path = |n: &str| format!("{}[{n}]", parent.child_path(key));
        let obj = Obj {
            table: obj.table,
            span: obj.span,
            path: path(name.as_deref().unwrap_or("?")),
        };
        match name.and_then(|n| read(r, &obj, n)) {
            Some(v) => out.push(v),
            None => ok = false,
        }
    }
    if let Some(node) = parent.get(key) {
        if !matches!(node.get_ref(), DeValue::Array(_)) {
            ok = false;
        }
    }
    ok.then_some(out)
}

fn read_exports(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Exports> {
    let e = r.section(top, "exports", true)?;
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
            Some(Buyer {
                name,
                share: share?,
                price_offset: offset.unwrap_or_else(|| Param::new(Decimal::ZERO)),
            })
        },
    );
    if e.get("buyers").is_none() {
        r.report(
            Problem::new(Some(e.span.clone()), "exports.buyers", "no buyers")
                .allowed("at least one [[exports.buyers]] entry with name and share"),
        );
    }
    Some(Exports {
        volume_bpd: volume_bpd?,
        price: price?,
        buyers: buyers?,
    })
}

fn read_deductions(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Vec<Deduction>> {
    entries(r, top, "deductions", &["name", "rate"], |r, d, name| {
        Some(Deduction {
            name,
            rate: r.param(d, "rate", Kind::Share, true)?,
        })
    })
}

fn read_custody(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Custody> {
    let c = r.section(top, "custody", true)?;
    r.check_keys(&c, &["opening_balance_usd", "payments"]);
    let opening = r.param(&c, "opening_balance_usd", Kind::Money, true);
    let payments = entries(r, &c, "payments", &["name", "usd_per_month"], |r, p, name| {
        Some(Payment {
            name,
            usd_per_month: r.param(p, "usd_per_month", Kind::Money, true)?,
        })
    });
    Some(Custody {
        opening_balance: opening?,
        payments: payments?,
    })
}

fn read_airlift(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Airlift> {
    let a = r.section(top, "airlift", true)?;
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
    Some(Airlift {
        cash_per_month: cash?,
        plane_capacity: cap?,
        transport_per_flight: transport?,
        security_per_flight: security?,
        insurance_rate: insurance?,
        vault_opening: vault?,
    })
}

fn read_auction(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Auction> {
    let a = r.section(top, "auction", true)?;
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
    Some(Auction {
        official_rate: official?,
        requests_per_day: requests?,
        cash_share: cash_share?,
        rejection_rate: rejection?,
        banks: banks?,
    })
}

fn read_parallel(r: &mut Reader, top: &Obj<'_, '_>) -> Option<ParallelMarket> {
    let p = r.section(top, "parallel_market", true)?;
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
    let unmet = r.param(&p, "baseline_unmet_usd_per_day", Kind::Money, false);
    let spill = r.param(&p, "spillover_share", Kind::Share, true);
    let demand = r.param(&p, "demand_elasticity", Kind::PositiveElasticity, true);
    let supply = r.param(&p, "supply_elasticity", Kind::Elasticity, true);
    Some(ParallelMarket {
        baseline_rate: rate?,
        baseline_turnover: turnover?,
        baseline_unmet: unmet.unwrap_or_else(|| Param::new(Decimal::ZERO)),
        spillover_share: spill?,
        demand_elasticity: demand?,
        supply_elasticity: supply?,
    })
}

fn read_prices(r: &mut Reader, top: &Obj<'_, '_>) -> Option<Prices> {
    let p = r.section(top, "prices", true)?;
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
    if p.get("basket").is_none() {
        r.report(
            Problem::new(Some(p.span.clone()), "prices.basket", "no basket items").allowed(
                "at least one [[prices.basket]] entry with name, weight, import_content and pass_through",
            ),
        );
    }
    Some(Prices {
        reference_rate: reference?,
        basket: basket?,
    })
}

fn read_changes(r: &mut Reader, top: &Obj<'_, '_>, params: &Params, timeline: &Timeline) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut seen: Vec<(YearMonth, ParamId)> = Vec::new();
    for (i, c) in r.tables(top, "changes").into_iter().enumerate() {
        let path = format!("changes[{i}]");
        let c = Obj {
            path: path.clone(),
            ..c
        };
        r.check_keys(&c, &["from", "set", "note", "source"]);
        let note = r.string(&c, "note", false).map(|s| s.0);
        let source = r.string(&c, "source", false).map(|s| s.0);
        let month = r.string(&c, "from", true).and_then(|(s, span)| {
            let m = match s.parse::<YearMonth>() {
                Ok(m) => m,
                Err(e) => {
                    r.report(
                        Problem::new(Some(span), format!("{path}.from"), e)
                            .allowed("a month written YYYY-MM"),
                    );
                    return None;
                }
            };
            if timeline.index_of(m).is_none() {
                r.report(
                    Problem::new(
                        Some(span),
                        format!("{path}.from"),
                        format!("{m} is outside the timeline"),
                    )
                    .allowed(format!(
                        "a month from {} to {}",
                        timeline.start,
                        timeline.end()
                    )),
                );
                return None;
            }
            Some(m)
        });
        let Some(set) = r.section(&c, "set", true) else {
            continue;
        };
        for (k, node) in set.table.iter() {
            let key: &str = k.get_ref();
            let shown = format!("{path}.set.\"{key}\"");
            let id = match params.resolve(key) {
                Ok(id) => id,
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
            let Some(mut value) = r.param_node(node, key, id.kind()) else {
                continue;
            };
            if value.origin.source.is_none() {
                value.origin.source.clone_from(&source);
            }
            if value.origin.note.is_none() {
                value.origin.note.clone_from(&note);
            }
            let Some(m) = month else { continue };
            if seen.contains(&(m, id)) {
                r.report(
                    Problem::new(
                        Some(k.span()),
                        &shown,
                        format!("{key} is already changed from {m}"),
                    )
                    .allowed("one change per path and month"),
                );
                continue;
            }
            seen.push((m, id));
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
    let schedule = model.schedule();
    for (info, params) in model.timeline.months.iter().zip(&schedule) {
        let here: Vec<&Change> = model.changes.iter().filter(|c| c.month == info.month).collect();
        if here.is_empty() {
            continue;
        }
        for (problem, group) in cross_rules(params) {
            if let Some(c) = here.iter().find(|c| group.contains(&c.param)) {
                let mut p = problem;
                p.span.clone_from(&c.value.origin.span);
                p.message = format!("from {} (after changes): {}", info.month, p.message);
                r.report(p);
            }
        }
    }
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
        let usage = |m: String| Error::Usage(format!("--set {spec}: {m}"));
        let (path, text) = spec
            .split_once('=')
            .ok_or_else(|| usage("expected PATH=VALUE, e.g. --set auction.rejection_rate=0.5".into()))?;
        let id = self.resolve_path(path.trim()).map_err(|m| usage(m))?;
        let value =
            number::parse_decimal(text.trim()).map_err(|e| usage(format!("{:?} {e}", text.trim())))?;
        self.set_value(id, value).map_err(|p| usage(p.headline()))
    }

    /// Resolves a parameter path, or explains which paths are near.
    pub fn resolve_path(&self, path: &str) -> Result<ParamId, String> {
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
        let path = self.base.path(id);
        if let Some(p) = check_range(id.kind(), value, &path, None) {
            return Err(p);
        }
        let mut next = self.clone();
        let dropped: Vec<YearMonth> = next
            .changes
            .iter()
            .filter(|c| c.param == id)
            .map(|c| c.month)
            .collect();
        next.changes.retain(|c| c.param != id);
        let was_uncertain = next.uncertainty.iter().any(|u| u.param == id);
        next.uncertainty.retain(|u| u.param != id);
        next.base.set(
            id,
            Param {
                value,
                origin: Origin {
                    from_command_line: true,
                    ..Origin::default()
                },
            },
        );
        for params in next.schedule() {
            if let Some((p, _)) = cross_rules(&params).into_iter().find(|(_, g)| g.contains(&id)) {
                return Err(p);
            }
        }
        *self = next;
        Ok(SetNote {
            path,
            value,
            dropped,
            was_uncertain,
        })
    }
}
