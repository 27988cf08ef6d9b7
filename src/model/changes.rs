//! Reading `[[changes]]` (step changes from a month on) and re-checking
//! the cross-parameter rules in every month a change applies.

use std::collections::HashMap;

use toml::de::DeValue;

use super::reader::{unquoted_path, unquoted_path_help, wrong_type, Node, Obj, Reader};
use super::registry::ParamId;
use super::rules;
use super::timeline_edit::opening_step;
use super::timeline_section::read_month;
use super::*;
use crate::calendar::{Timeline, YearMonth};
use crate::diagnostic::Problem;
use crate::num::decimal::clean;

/// Reads `[[changes]]`. Without a timeline the months are not range
/// checked; with incomplete params a list-entry path that does not resolve
/// may name an entry of a list that failed, so it is not reported.
pub(super) fn read_changes(
    r: &mut Reader,
    top: &Obj<'_, '_>,
    params: &Params,
    timeline: Option<&Timeline>,
    complete: bool,
) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    // The entry, key and value that first changed each path in each month.
    let mut seen: HashMap<(YearMonth, ParamId), (usize, std::ops::Range<usize>, rust_decimal::Decimal)> =
        HashMap::new();
    for (i, c) in r.tables(top, "changes").into_iter().enumerate() {
        let path = format!("changes[{i}]");
        let c = Obj {
            path: path.clone(),
            ..c
        };
        const KEYS: [&str; 4] = ["from", "set", "note", "source"];
        r.check_keys_with(&c, &KEYS, |key, node| outside_set(params, key, node));
        // Paths written beside `from` are reported as such, not as a
        // missing `set` too.
        let beside = c.table.iter().any(|(k, n)| {
            !KEYS.contains(&k.get_ref().as_ref()) && outside_set(params, k.get_ref(), n).is_some()
        });
        let note = r.string(&c, "note", false).map(|s| s.0);
        let source = r.source(&c);
        let month = change_month(r, &c, timeline);
        if beside && c.get("set").is_none() {
            continue;
        }
        let Some(set) = set_table(r, &c) else {
            continue;
        };
        if set.table.is_empty() {
            r.report(
                Problem::new(
                    Some(set.span.clone()),
                    &set.path,
                    "the table is empty, so the change sets nothing",
                )
                .allowed("at least one path and value, e.g. { \"auction.rejection_rate\" = 0.5 }")
                .help("add what changes from this month, or remove the [[changes]] entry"),
            );
            continue;
        }
        for (k, node) in set.table.iter() {
            let key: &str = k.get_ref();
            let shown = format!("{path}.set.\"{key}\"");
            let id = match r.resolve(params, key) {
                Ok(id) => id,
                Err(_) if !complete && key.contains('[') => continue,
                Err(near) => {
                    if let Some(p) = params.absent_problem(key, k.span(), &shown) {
                        r.report(p);
                        continue;
                    }
                    let mut p = Problem::new(Some(k.span()), &shown, format!("`{key}` names no numeric parameter"))
                        .allowed("a parameter path such as auction.rejection_rate (timeline, names, weekend and holidays cannot change)");
                    if let Some(help) = unquoted_path_help(key, node) {
                        p = p.help(help);
                    } else if !near.is_empty() {
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
            if let Some(why) = timeline.and_then(|t| opening_step(id, key, m, t.start)) {
                r.report(
                    Problem::new(Some(k.span()), &shown, why)
                        .allowed("changes of flows, rates and shares; an opening stock is set once, in its own section")
                        .help(format!(
                            "remove it from this change, or set its value in [{}]",
                            key.split('.').next().unwrap_or(key)
                        )),
                );
                continue;
            }
            if let Some((first, at, earlier)) = seen.get(&(m, id)) {
                r.report(
                    Problem::new(
                        Some(k.span()),
                        &shown,
                        format!("{key} is changed from {m} twice, by changes[{first}] and by changes[{i}]"),
                    )
                    .allowed("one change per path and month")
                    .also_at(
                        at.clone(),
                        format!("changes[{first}] sets it from {m}"),
                        format!("changes[{i}] sets it from {m} again"),
                    )
                    .help(format!(
                        "keep one of the two values: {} (changes[{first}]) or {} (changes[{i}])",
                        clean(*earlier),
                        clean(value.value)
                    )),
                );
                continue;
            }
            seen.insert((m, id), (i, k.span(), value.value));
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

/// The help for a parameter path written in a `[[changes]]` entry beside
/// `from` rather than inside its `set = { … }` (quoted, or unquoted, which
/// TOML reads as a table); `None` for a key that is no path.
fn outside_set(params: &Params, key: &str, node: &Node<'_>) -> Option<String> {
    let path = match unquoted_path(key, node) {
        Some(path) => path,
        None if params.lookup(key.trim()).is_some() || key.contains(['.', '[']) => key.to_string(),
        None => return None,
    };
    Some(format!(
        "a [[changes]] entry sets its paths inside `set`: write set = {{ \"{path}\" = … }}"
    ))
}

/// The month a change is `from`, which must be in the timeline if there
/// is one.
fn change_month(r: &mut Reader, c: &Obj<'_, '_>, timeline: Option<&Timeline>) -> Option<YearMonth> {
    read_month(r, c, "from").and_then(|(m, span)| match timeline {
        Some(t) if t.index_of(m).is_none() => {
            r.report(
                Problem::new(
                    Some(span),
                    format!("{}.from", c.path),
                    format!("{m} is outside the timeline"),
                )
                .allowed(format!("a month from {} to {}", t.start, t.end())),
            );
            None
        }
        _ => Some(m),
    })
}

/// A change's `set` table of paths and values.
fn set_table<'t, 'a>(r: &mut Reader, c: &Obj<'t, 'a>) -> Option<Obj<'t, 'a>> {
    const SET_ALLOWED: &str = "a table of paths and values, e.g. { \"auction.rejection_rate\" = 0.5 }";
    let path = &c.path;
    let Some(node) = c.get("set") else {
        r.missing_allowed(c, "set", Some(SET_ALLOWED));
        return None;
    };
    match node.get_ref() {
        DeValue::Table(table) => Some(Obj {
            table,
            span: node.span(),
            path: format!("{path}.set"),
        }),
        _ => {
            r.report(wrong_type(node, &format!("{path}.set"), "a table").allowed(SET_ALLOWED));
            None
        }
    }
}

/// Re-checks the sum and cross-field rules in each month a change applies.
pub(super) fn check_months(r: &mut Reader, model: &Model) {
    model.each_month(|info, params, here| {
        if here.is_empty() {
            return;
        }
        for (problem, rule) in rules::broken(params) {
            if let Some(c) = here.iter().find(|c| rule.params().contains(&c.param)) {
                let mut p = problem;
                p.span.clone_from(&c.value.origin.span);
                p.message = format!("from {} (after changes): {}", info.month, p.message);
                r.report(p);
            }
        }
    });
}
