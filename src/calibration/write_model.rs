//! `fit --write-model`: the model file again, with the fitted values in
//! place. Edited with `toml_edit`, so every comment, section and number
//! the fit did not touch stays as written; each fitted value becomes
//! `{ value = …, source = "dinarflow fit: …", note = "fitted; was …" }`,
//! so the new file says where its numbers came from and what they were.

use rust_decimal::Decimal;
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use crate::calendar::YearMonth;
use crate::model::{Model, ParamId};

/// The text of `original`'s file with `fitted`'s values of `ids`, each
/// cited with `source`.
pub fn write_model(
    original: &Model,
    fitted: &Model,
    ids: &[ParamId],
    source: &str,
) -> Result<String, String> {
    let mut doc: DocumentMut = original
        .file
        .text
        .parse()
        .map_err(|e| format!("the model file cannot be edited: {e}"))?;
    for &id in ids {
        let path = original.base.path(id);
        let (old, new) = (original.base.param(id), fitted.base.param(id));
        if old.value != new.value {
            let note = was(
                old.value,
                old.origin.note.as_deref(),
                old.origin.source.as_deref(),
            );
            let item = value_item(new.value, source, &note)?;
            set_at(doc.as_table_mut(), &path, item)?;
        }
        let months = |m: &Model| -> Vec<(YearMonth, Decimal)> {
            m.changes
                .iter()
                .filter(|c| c.param == id)
                .map(|c| (c.month, c.value.value))
                .collect()
        };
        let (before, after) = (months(original), months(fitted));
        for &(month, old_value) in &before {
            match after.iter().find(|a| a.0 == month) {
                None => remove_change(&mut doc, month, &path),
                Some(&(_, v)) if v != old_value => {
                    // The entry keeps its own source and note; the value says it was fitted.
                    let note = was(old_value, None, None);
                    let item = value_item(v, source, &note)?;
                    replace_change(&mut doc, month, &path, item);
                }
                Some(_) => {}
            }
        }
        for &(month, v) in after.iter().filter(|a| !before.iter().any(|b| b.0 == a.0)) {
            let item = value_item(v, source, "fitted; a new step")?;
            insert_change(&mut doc, month, &path, item);
        }
    }
    Ok(doc.to_string())
}

fn was(value: Decimal, note: Option<&str>, source: Option<&str>) -> String {
    let mut s = format!("fitted; was {}", value.normalize());
    if let Some(src) = source {
        s.push_str(&format!(" (source: {src})"));
    }
    if let Some(n) = note {
        s.push_str(&format!("; {n}"));
    }
    s
}

fn value_item(value: Decimal, source: &str, note: &str) -> Result<Value, String> {
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
fn set_at(root: &mut Table, path: &str, value: Value) -> Result<(), String> {
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
fn split(path: &str) -> Vec<&str> {
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

fn changes(doc: &mut DocumentMut) -> Option<&mut ArrayOfTables> {
    doc.get_mut("changes").and_then(Item::as_array_of_tables_mut)
}

fn from_of(t: &Table) -> Option<String> {
    t.get("from").and_then(|i| {
        i.as_str()
            .map(str::to_string)
            .or_else(|| i.as_value().map(|v| v.to_string().trim().to_string()))
    })
}

fn sets_path(t: &Table, path: &str) -> bool {
    t.get("set")
        .and_then(Item::as_inline_table)
        .is_some_and(|s| s.contains_key(path))
        || t.get("set")
            .and_then(Item::as_table)
            .is_some_and(|s| s.contains_key(path))
}

fn remove_change(doc: &mut DocumentMut, month: YearMonth, path: &str) {
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

fn replace_change(doc: &mut DocumentMut, month: YearMonth, path: &str, value: Value) {
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

fn insert_change(doc: &mut DocumentMut, month: YearMonth, path: &str, value: Value) {
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
