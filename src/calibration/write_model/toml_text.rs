//! Edits of a model file's own text with `toml_edit`, so every comment and
//! number the fit did not touch stays as written: a value replaced in
//! place with its source and note, and a step of `[[changes]]` removed,
//! replaced or inserted in month order.

use rust_decimal::Decimal;
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use crate::calendar::YearMonth;

/// A written value's note: `what` (`fitted`), then what it replaced, the
/// old value (or `unchanged`, for a value the fit landed on again) with
/// its old source and note.
pub(super) fn was(what: &str, value: Option<Decimal>, note: Option<&str>, source: Option<&str>) -> String {
    let mut s = match value {
        Some(v) => format!("{what}; was {}", v.normalize()),
        None => format!("{what}; unchanged"),
    };
    if let Some(src) = source {
        s.push_str(&format!(" (source: {src})"));
    }
    if let Some(n) = note {
        s.push_str(&format!("; {n}"));
    }
    s
}

pub(super) fn value_item(value: Decimal, source: &str, note: &str) -> Result<Value, String> {
    let text = format!(
        "{{ value = {}, source = {}, note = {} }}",
        value.normalize(),
        Value::from(source),
        Value::from(note)
    );
    text.parse::<Value>()
        .map_err(|e| format!("cannot write {value}: {e}"))
}

/// The key of `path` (`section.key`, `section.list[Name].key`,
/// `list[Name].key`) in `root`, set to `value`.
pub(super) fn set_at(root: &mut Table, path: &str, value: Value) -> Result<(), String> {
    let segments = split(path);
    let (last, parents) = segments.split_last().ok_or("an empty path")?;
    let mut table: &mut Table = root;
    for seg in parents {
        table = match seg.split_once('[') {
            Some((list, rest)) => {
                let name = rest.trim_end_matches(']');
                let aot: &mut ArrayOfTables = table
                    .get_mut(list)
                    .and_then(Item::as_array_of_tables_mut)
                    .ok_or_else(|| format!("no [[{list}]] list in the file for {path}"))?;
                aot.iter_mut()
                    .find(|t| t.get("name").and_then(Item::as_str) == Some(name))
                    .ok_or_else(|| format!("no entry named {name:?} in [[{list}]] for {path}"))?
            }
            None => table
                .get_mut(seg)
                .and_then(Item::as_table_mut)
                .ok_or_else(|| format!("no [{seg}] table in the file for {path}"))?,
        };
    }
    let decor = table
        .get(last)
        .and_then(Item::as_value)
        .map(|v| v.decor().clone());
    let mut value = value;
    if let Some(d) = decor {
        *value.decor_mut() = d;
    }
    table.insert(last, Item::Value(value));
    Ok(())
}

/// Path segments split on dots outside brackets.
pub(super) fn split(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in path.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            '.' if depth == 0 => {
                out.push(&path[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&path[start..]);
    out
}

pub(super) fn changes(doc: &mut DocumentMut) -> Option<&mut ArrayOfTables> {
    doc.get_mut("changes").and_then(Item::as_array_of_tables_mut)
}

pub(super) fn from_of(t: &Table) -> Option<String> {
    t.get("from").and_then(|i| {
        i.as_str()
            .map(str::to_string)
            .or_else(|| i.as_value().map(|v| v.to_string().trim().to_string()))
    })
}

pub(super) fn sets_path(t: &Table, path: &str) -> bool {
    t.get("set")
        .and_then(Item::as_inline_table)
        .is_some_and(|s| s.contains_key(path))
        || t.get("set")
            .and_then(Item::as_table)
            .is_some_and(|s| s.contains_key(path))
}

pub(super) fn remove_change(doc: &mut DocumentMut, month: YearMonth, path: &str) {
    let Some(list) = changes(doc) else { return };
    let m = month.to_string();
    let mut empty = None;
    for (i, t) in list.iter_mut().enumerate() {
        if from_of(t).as_deref() == Some(m.as_str()) && sets_path(t, path) {
            if let Some(s) = t.get_mut("set").and_then(Item::as_inline_table_mut) {
                s.remove(path);
                if s.is_empty() {
                    empty = Some(i);
                }
            } else if let Some(s) = t.get_mut("set").and_then(Item::as_table_mut) {
                s.remove(path);
                if s.is_empty() {
                    empty = Some(i);
                }
            }
        }
    }
    if let Some(i) = empty {
        list.remove(i);
    }
}

pub(super) fn replace_change(doc: &mut DocumentMut, month: YearMonth, path: &str, value: Value) {
    let Some(list) = changes(doc) else { return };
    let m = month.to_string();
    for t in list.iter_mut() {
        if from_of(t).as_deref() == Some(m.as_str()) && sets_path(t, path) {
            if let Some(s) = t.get_mut("set").and_then(Item::as_inline_table_mut) {
                s.insert(path, value.clone());
            } else if let Some(s) = t.get_mut("set").and_then(Item::as_table_mut) {
                s.insert(path, Item::Value(value.clone()));
            }
        }
    }
}

pub(super) fn insert_change(doc: &mut DocumentMut, month: YearMonth, path: &str, value: Value) {
    let mut t = Table::new();
    t.insert("from", Item::Value(Value::from(month.to_string())));
    let mut set = InlineTable::new();
    set.insert(path, value);
    t.insert("set", Item::Value(Value::InlineTable(set)));
    t.insert("note", Item::Value(Value::from("step added by dinarflow fit")));
    match changes(doc) {
        Some(list) => list.push(t),
        None => {
            let mut list = ArrayOfTables::new();
            list.push(t);
            doc.insert("changes", Item::ArrayOfTables(list));
        }
    }
}
