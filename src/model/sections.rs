//! Reading the parameter sections (`[exports]` … `[prices]`) and their
//! lists of named entries into the model's parameters, reporting every
//! missing, mistyped or out-of-range value without stopping.

use std::collections::HashSet;

use rust_decimal::Decimal;
use toml::de::DeValue;

use super::reader::{Obj, Reader};
use super::registry::FIELDS;
use super::*;
use crate::diagnostic::Problem;

/// Most entries of one list of tables (buyers, deductions, payments, banks,
/// basket items). Real models have dozens; the cap keeps a run's memory and
/// output bounded (every entry has a metric in every month).
pub const MAX_ENTRIES: usize = 1000;

/// Reads the name of a list entry; reports a missing or unusable one.
pub(super) fn entry_name(r: &mut Reader, obj: &Obj<'_, '_>, seen: &mut HashSet<String>) -> Option<String> {
    let (name, span) = r.string(obj, "name", true)?;
    if let Some(why) = unusable_name(&name) {
        r.report(
            Problem::new(
                Some(span),
                format!("{}.name", obj.path),
                format!("{name:?} cannot be used as a name"),
            )
            .allowed("a non-empty name without [ ] = : @ | *, control or format characters, or spaces at either end")
            .help(why),
        );
        return None;
    }
    // Unique ignoring case: "India" and "india" read as one buyer in a
    // table, and a path naming the other is one typo away.
    if !seen.insert(name.to_lowercase()) {
        let list = obj.path.rsplit_once('[').map_or(obj.path.as_str(), |x| x.0);
        r.report(
            Problem::new(
                Some(span),
                format!("{}.name", obj.path),
                format!("{name:?} is used twice in {list}"),
            )
            .allowed("names unique within the list, ignoring case"),
        );
        return None;
    }
    Some(name)
}

/// Why a list entry's name cannot be used: commands address entries by
/// name (`exports.buyers[China].share=0.3`, `METRIC@YYYY-MM`), and names
/// are printed in tables and on terminals.
pub(super) fn unusable_name(name: &str) -> Option<String> {
    if name.trim().is_empty() {
        return Some("a name cannot be empty or only spaces".into());
    }
    if name.trim() != name {
        return Some(format!(
            "it starts or ends with a space, which tables do not show (it would read as {:?}); remove the space",
            name.trim()
        ));
    }
    if let Some(c) = name.chars().find(|c| c.is_control()) {
        return Some(format!(
            "it holds the control character {}, which a terminal would act on",
            c.escape_unicode()
        ));
    }
    if let Some(c) = name.chars().find(|c| crate::diagnostic::is_format_char(*c)) {
        return Some(format!(
            "it holds the invisible format character {}, which reorders or hides the text around it",
            c.escape_unicode()
        ));
    }
    let c = name.chars().find(|c| "[]=:@|*".contains(*c))?;
    Some(
        match c {
            '[' | ']' => "`[` and `]` enclose the name in a path (`exports.buyers[China].share`)",
            '=' => "`--set PATH=VALUE` and `--vary PATH=…` split at `=`",
            ':' => "`--vary PATH=LO:HI:STEP` splits at `:`",
            '@' => "`METRIC@YYYY-MM` splits at `@`",
            '|' => "`|` separates the cells of tables",
            _ => "`*` stands for every entry in a path (`deductions[*].rate`)",
        }
        .to_string(),
    )
}

/// Reads a list of named entries with `read`, keeping `None` when any failed.
pub(super) fn entries<T>(
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
pub(super) fn require_entries<T>(
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
pub(super) fn got(p: Option<Param>, complete: &mut bool) -> Param {
    p.unwrap_or_else(|| {
        *complete = false;
        Param::new(Decimal::ZERO)
    })
}

/// A list that was read, or an empty stand-in that marks the params incomplete.
pub(super) fn got_list<T>(list: Option<Vec<T>>, complete: &mut bool) -> Vec<T> {
    list.unwrap_or_else(|| {
        *complete = false;
        Vec::new()
    })
}

/// The table of a required section, or `None` (reported) with `complete`
/// cleared; `None` for a section of a part the model does not have
/// (`wanted` false).
pub(super) fn required_section<'a, 'i>(
    r: &mut Reader,
    top: &Obj<'a, 'i>,
    key: &str,
    complete: &mut bool,
    wanted: bool,
) -> Option<Obj<'a, 'i>> {
    if !wanted {
        return None;
    }
    let s = r.section(top, key, true);
    if s.is_none() {
        *complete = false;
    }
    s
}

pub(super) fn zero() -> Param {
    Param::new(Decimal::ZERO)
}

/// The keys a section may hold: `before`, its parameters in the
/// registry's order (the fields of its lists' entries excepted), then
/// `after`.
pub(super) fn section_keys(
    section: &str,
    before: &[&'static str],
    after: &[&'static str],
) -> Vec<&'static str> {
    let params = FIELDS.iter().filter_map(|f| {
        let key = f.path.strip_prefix(section)?.strip_prefix('.')?;
        (!key.contains('[')).then_some(key)
    });
    before
        .iter()
        .copied()
        .chain(params)
        .chain(after.iter().copied())
        .collect()
}

pub(super) fn read_exports(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Exports {
    let Some(e) = required_section(r, top, "exports", c, true) else {
        return Exports::default();
    };
    r.check_keys(&e, &section_keys("exports", &[], &["buyers"]));
    let volume_bpd = r.param(&e, ParamId::VolumeBpd, true);
    let price = r.param(&e, ParamId::Price, true);
    let buyers = entries(
        r,
        &e,
        "buyers",
        &["name", "share", "price_offset_usd_per_bbl"],
        |r, b, name| {
            let share = r.param(b, ParamId::BuyerShare, true);
            let offset = r.param(b, ParamId::BuyerOffset, false);
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

pub(super) fn read_deductions(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Vec<Deduction> {
    let list = entries(r, top, "deductions", &["name", "rate"], |r, d, name| {
        Some(Deduction {
            name,
            rate: r.param(d, ParamId::DeductionRate, true)?,
        })
    });
    got_list(list, c)
}

pub(super) fn read_custody(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool) -> Custody {
    let Some(cu) = required_section(r, top, "custody", c, true) else {
        return Custody::default();
    };
    r.check_keys(&cu, &section_keys("custody", &["name"], &["payments"]));
    let name = r.string(&cu, "name", false).map(|s| s.0);
    let opening = r.param(&cu, ParamId::OpeningBalance, true);
    let payments = entries(r, &cu, "payments", &["name", "usd_per_month"], |r, p, name| {
        Some(Payment {
            name,
            usd_per_month: r.param(p, ParamId::PaymentUsd, true)?,
        })
    });
    Custody {
        opening_balance: got(opening, c),
        payments: got_list(payments, c),
        name,
    }
}

pub(super) fn read_airlift(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool, wanted: bool) -> Airlift {
    let Some(a) = required_section(r, top, "airlift", c, wanted) else {
        return Airlift::default();
    };
    r.check_keys(&a, &section_keys("airlift", &[], &[]));
    let cash = r.param(&a, ParamId::CashPerMonth, true);
    let cap = r.param(&a, ParamId::PlaneCapacity, true);
    let transport = r.param(&a, ParamId::TransportPerFlight, true);
    let security = r.param(&a, ParamId::SecurityPerFlight, true);
    let insurance = r.param(&a, ParamId::InsuranceRate, true);
    let vault = r.param(&a, ParamId::VaultOpening, true);
    Airlift {
        cash_per_month: got(cash, c),
        plane_capacity: got(cap, c),
        transport_per_flight: got(transport, c),
        security_per_flight: got(security, c),
        insurance_rate: got(insurance, c),
        vault_opening: got(vault, c),
    }
}
