//! `fit --write-model`: the model file again, with the fitted values in
//! place. Edited with `toml_edit`, so every comment, section and number
//! the fit did not touch stays as written; each fitted value becomes
//! `{ value = …, source = "dinarflow fit: …", note = "fitted; was …" }`,
//! so the new file says where its numbers came from and what they were.
//!
//! The file written is the model the fit ran: values that `--scenario`
//! or `--set` gave the fit are written too, each citing where it came
//! from (`note = "assumed for the fit …; was …"`), so the file reproduces
//! the fit's residuals; `[uncertainty]` entries those replacements drop
//! (as `--set` drops them) are removed with their `[correlation]` pairs.
//! With `--write-uncertainty`, the estimates' uncertainty is written to
//! `[uncertainty]` and `[correlation]` ([`uncertainty_entries`]).

use std::collections::HashSet;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use super::compare::{combine_all, decimal, refs_of, Matched};
use super::fit::{Fit, Residual};
use super::free::Free;
use crate::calendar::YearMonth;
use crate::engine;
use crate::error::Error;
use crate::model::{Model, ParamId};
use crate::sampling::linalg::cholesky;
use crate::sensitivity::Target;
use crate::sensitivity::{metric_values, overflow};

/// Why a value is written: the source it cites and what its note says
/// first (`fitted`, `assumed for the fit (--set …)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The `source` written beside the value.
    pub source: String,
    /// The start of the `note`, before `; was …`.
    pub what: String,
}

/// An `[uncertainty]` entry to write: a fitted parameter drawn around its
/// estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// `PATH` or `PATH*`.
    pub key: String,
    /// The parameter drawn.
    pub param: ParamId,
    /// Whether a factor is drawn (`PATH*`).
    pub scale: bool,
    /// Mean of the normal distribution.
    pub mean: Decimal,
    /// Its standard deviation.
    pub sd: Decimal,
    /// The comment written above the entry, one line each.
    pub comment: Vec<String>,
}

/// A `[correlation]` entry to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// `A|B`, two keys of [`Drawn`] entries.
    pub key: String,
    /// The rank correlation.
    pub rho: Decimal,
    /// Its `source`.
    pub source: String,
    /// Its `note`.
    pub note: String,
}

/// What to write into the model file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits {
    /// Parameters whose values (base and steps) are written from the target model.
    pub values: Vec<(ParamId, Provenance)>,
    /// `[uncertainty]` entries to write (replacing any of the same parameter).
    pub drawn: Vec<Drawn>,
    /// `[correlation]` entries to write.
    pub pairs: Vec<Pair>,
}

/// The text of `original`'s file with `target`'s values of `edits.values`,
/// each cited with its provenance; `[uncertainty]` and `[correlation]`
/// entries that `target` no longer has removed; and `edits.drawn` and
/// `edits.pairs` written.
pub fn write_model(original: &Model, target: &Model, edits: &Edits) -> Result<String, String> {
    let mut doc: DocumentMut = original
        .file
        .text
        .parse()
        .map_err(|e| format!("the model file cannot be edited: {e}"))?;
    for (id, why) in &edits.values {
        let id = *id;
        let source = why.source.as_str();
        let path = original.base.path(id);
        let (old, new) = (original.base.param(id), target.base.param(id));
        if old.value != new.value {
            let note = was(
                &why.what,
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
        let (before, after) = (months(original), months(target));
        for &(month, old_value) in &before {
            match after.iter().find(|a| a.0 == month) {
                None => remove_change(&mut doc, month, &path),
                Some(&(_, v)) if v != old_value => {
                    // The entry keeps its own source and note; the value says it was fitted.
                    let note = was(&why.what, old_value, None, None);
                    let item = value_item(v, source, &note)?;
                    replace_change(&mut doc, month, &path, item);
                }
                Some(_) => {}
            }
        }
        for &(month, v) in after.iter().filter(|a| !before.iter().any(|b| b.0 == a.0)) {
            let item = value_item(v, source, &format!("{}; a new step", why.what))?;
            insert_change(&mut doc, month, &path, item);
        }
    }
    let redrawn: HashSet<ParamId> = edits.drawn.iter().map(|d| d.param).collect();
    prune_uncertainty(&mut doc, original, target, &redrawn);
    prune_correlation(&mut doc, original, target, &redrawn);
    if !edits.drawn.is_empty() {
        let table = table_of(&mut doc, "uncertainty")?;
        for d in &edits.drawn {
            let text = format!(
                "{{ dist = \"normal\", mean = {}, sd = {} }}",
                d.mean.normalize(),
                d.sd.normalize()
            );
            let value = text
                .parse::<Value>()
                .map_err(|e| format!("cannot write [uncertainty] {}: {e}", d.key))?;
            table.insert(&d.key, Item::Value(value));
            if let Some(mut k) = table.key_mut(&d.key) {
                let lines: String = std::iter::once("\n".to_string())
                    .chain(d.comment.iter().map(|l| format!("# {l}\n")))
                    .collect();
                k.leaf_decor_mut().set_prefix(lines);
            }
        }
    }
    if !edits.pairs.is_empty() {
        let table = table_of(&mut doc, "correlation")?;
        for p in &edits.pairs {
            let item = value_item(p.rho, &p.source, &p.note)?;
            table.insert(&p.key, Item::Value(item));
        }
    }
    Ok(doc.to_string())
}

/// Whether `written` (the model file `--write-model` writes, loaded)
/// computes exactly the model values of the fit's `residuals` for `rows`.
pub fn reproduces(written: &Model, rows: &[Matched], residuals: &[Residual]) -> Result<bool, Error> {
    let (metrics, at) = refs_of(rows);
    let run = engine::run(written)?;
    let values = metric_values(written, &run, &metrics)?;
    let values = combine_all(rows, &at, &values).map_err(|e| overflow(written, e))?;
    Ok(values.len() == residuals.len() && values.iter().zip(residuals).all(|(v, r)| *v == r.model))
}

/// The top-level table `name`, made at the end of the file if missing.
fn table_of<'d>(doc: &'d mut DocumentMut, name: &str) -> Result<&'d mut Table, String> {
    if doc.get(name).is_none() {
        doc.insert(name, Item::Table(Table::new()));
    }
    doc.get_mut(name)
        .and_then(Item::as_table_mut)
        .ok_or_else(|| format!("[{name}] in the model file is not a table"))
}

/// `(parameter, factor?)` of an `[uncertainty]` key as `original` reads it.
fn input_of(original: &Model, key: &str) -> Option<(ParamId, bool)> {
    let (path, scale) = match key.trim_end().strip_suffix('*') {
        Some(p) => (p.trim_end(), true),
        None => (key, false),
    };
    original.base.resolve(path).ok().map(|id| (id, scale))
}

/// Removes the `[uncertainty]` entries `target` no longer draws (a value
/// `--set` or the fit fixed) and those of parameters drawn anew.
fn prune_uncertainty(doc: &mut DocumentMut, original: &Model, target: &Model, redrawn: &HashSet<ParamId>) {
    let Some(table) = doc.get_mut("uncertainty").and_then(Item::as_table_mut) else {
        return;
    };
    let gone: Vec<String> = table
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| match input_of(original, k) {
            Some((id, scale)) => {
                redrawn.contains(&id)
                    || !target
                        .uncertainty
                        .iter()
                        .any(|u| u.param == id && u.scale == scale)
            }
            None => false,
        })
        .collect();
    for k in gone {
        table.remove(&k);
    }
}

/// Removes the `[correlation]` pairs `target` no longer has, and those of
/// parameters drawn anew.
fn prune_correlation(doc: &mut DocumentMut, original: &Model, target: &Model, redrawn: &HashSet<ParamId>) {
    let Some(table) = doc.get_mut("correlation").and_then(Item::as_table_mut) else {
        return;
    };
    let gone: Vec<String> = table
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| {
            let Some((a, b)) = k.split_once('|') else {
                return false;
            };
            let (Some((a, _)), Some((b, _))) = (input_of(original, a.trim()), input_of(original, b.trim()))
            else {
                return false;
            };
            redrawn.contains(&a)
                || redrawn.contains(&b)
                || !target
                    .correlation
                    .iter()
                    .any(|c| (c.a == a && c.b == b) || (c.a == b && c.b == a))
        })
        .collect();
    for k in gone {
        table.remove(&k);
    }
}

/// How a fitted parameter is drawn in `[uncertainty]`, or why it is not.
enum Draw {
    /// As `PATH` (the value) or `PATH*` (a factor on its schedule), with mean and sd.
    As {
        key: String,
        scale: bool,
        mean: Decimal,
        sd: Decimal,
        how: String,
    },
    /// Not drawn, and why.
    Not(String),
}

/// The `[uncertainty]` and `[correlation]` entries of a fit's estimates in
/// `fitted` (the model with the estimates in force), and notes on those
/// that cannot be written. Each estimate with a standard error is drawn
/// from a normal around it, with that standard error:
///
/// * `PATH` (the whole timeline): `"PATH" = normal(estimate, s.e.)`;
/// * `PATH*` (a factor F̂ on the schedule, which the written file already
///   holds scaled): `"PATH*" = normal(1, s.e. / F̂)`, the same spread of
///   F̂ × the drawn factor;
/// * `PATH@YYYY-MM` (one step): `[uncertainty]` draws a parameter for its
///   whole timeline (docs/model.md §1.6), so a step is drawn only where that is
///   the same thing: as `"PATH"` when the step covers the whole timeline,
///   and as `"PATH*" = normal(1, s.e. / estimate)` when every month
///   outside the step is 0 (a factor leaves zeros alone); otherwise not
///   at all, and the note says so.
///
/// Correlations of two drawn estimates become rank correlations
/// `(6/π)·asin(ρ/2)`, the rank correlation of a bivariate normal with
/// correlation ρ, which `mc`'s Iman–Conover turns back into ρ between
/// the normal scores.
pub fn uncertainty_entries(
    fit: &Fit,
    free: &[Free],
    fitted: &Model,
    source: &str,
) -> (Vec<Drawn>, Vec<Pair>, Vec<String>) {
    let mut drawn: Vec<(usize, Drawn)> = Vec::new();
    let mut notes = Vec::new();
    for (j, (f, e)) in free.iter().zip(&fit.estimates).enumerate() {
        let id = f.target().param();
        if let Some(other) = free
            .iter()
            .find(|g| g.target() != f.target() && g.target().param() == id)
        {
            notes.push(format!(
                "note: {} is not drawn in [uncertainty]: {} is fitted too, and [uncertainty] draws a parameter once, for its whole timeline",
                e.path,
                other.path()
            ));
            continue;
        }
        let Some(se) = e.std_error.filter(|s| *s > Decimal::ZERO) else {
            notes.push(format!(
                "note: {} is not drawn in [uncertainty]: the data do not determine its standard error",
                e.path
            ));
            continue;
        };
        match draw_of(f, e.value, se, fitted) {
            Draw::Not(why) => notes.push(format!("note: {} is not drawn in [uncertainty]: {why}", e.path)),
            Draw::As {
                key,
                scale,
                mean,
                sd,
                how,
            } => {
                let comment = vec![
                    format!(
                        "{}: estimate {}, standard error {}; {how}",
                        e.path,
                        e.value.normalize(),
                        se.normalize()
                    ),
                    format!("source: {source}"),
                ];
                drawn.push((
                    j,
                    Drawn {
                        key,
                        param: id,
                        scale,
                        mean,
                        sd,
                        comment,
                    },
                ));
            }
        }
    }
    let mut pairs = Vec::new();
    if let Some(c) = &fit.correlation_precise {
        let rank = |rho: Decimal| -> Decimal {
            let r = rho.to_f64().unwrap_or(0.0).clamp(-1.0, 1.0);
            decimal(6.0 / std::f64::consts::PI * (r / 2.0).asin(), 4).unwrap_or_default()
        };
        let n = drawn.len();
        let mut matrix = vec![0.0; n * n];
        let mut found = Vec::new();
        for a in 0..n {
            matrix[a * n + a] = 1.0;
            for b in a + 1..n {
                let rho_s = rank(c[drawn[a].0][drawn[b].0]);
                let score = crate::sampling::iman_conover::score_correlation(rho_s.to_f64().unwrap_or(0.0));
                matrix[a * n + b] = score;
                matrix[b * n + a] = score;
                if !rho_s.is_zero() {
                    found.push((a, b, rho_s, c[drawn[a].0][drawn[b].0]));
                }
            }
        }
        if found.iter().any(|f| f.2.abs() >= Decimal::ONE) || cholesky(&matrix, n).is_err() {
            notes.push(
                "note: the correlations of the estimates are not written to [correlation]: rounded, they are too close to ±1 for a joint distribution; the estimates are drawn independently"
                    .into(),
            );
        } else {
            for (a, b, rho_s, rho) in found {
                pairs.push(Pair {
                    key: format!("{}|{}", drawn[a].1.key, drawn[b].1.key),
                    rho: rho_s,
                    source: source.to_string(),
                    note: format!(
                        "fitted: the estimates are correlated {}; as a rank correlation (6/π)·asin(ρ/2)",
                        rho.normalize()
                    ),
                });
            }
        }
    }
    (drawn.into_iter().map(|d| d.1).collect(), pairs, notes)
}

/// How the estimate `value` (standard error `se`) of `f` is drawn in `fitted`.
fn draw_of(f: &Free, value: Decimal, se: Decimal, fitted: &Model) -> Draw {
    let id = f.target().param();
    let path = fitted.base.path(id);
    let sd_factor = |of: Decimal| -> Option<Decimal> {
        (!of.is_zero()).then(|| {
            (se / of.abs())
                .round_dp_with_strategy(8, rust_decimal::RoundingStrategy::MidpointNearestEven)
                .normalize()
        })
    };
    match f.target() {
        Target::Whole(_) => Draw::As {
            key: path,
            scale: false,
            mean: value,
            sd: se,
            how: "drawn from a normal around the estimate with that sd (redrawn outside the allowed range)".into(),
        },
        Target::Scale(_) => match sd_factor(value) {
            Some(sd) => Draw::As {
                key: format!("{path}*"),
                scale: true,
                mean: Decimal::ONE,
                sd,
                how: format!(
                    "the schedule above is already scaled by the estimate, so the drawn factor has mean 1 and sd {} / {} = {sd}",
                    se.normalize(),
                    value.normalize()
                ),
            },
            None => Draw::Not("its estimate is 0".into()),
        },
        Target::Step(_, at) | Target::From(_, at) => {
            let schedule = fitted.schedule();
            let n = schedule.len();
            let end = fitted
                .changes_of(id)
                .filter_map(|c| fitted.timeline.index_of(c.month))
                .filter(|&i| i > at)
                .min()
                .unwrap_or(n);
            let outside = (0..n).filter(|i| *i < at || *i >= end);
            let mut outside_values = outside.map(|i| schedule[i].get(id));
            if at == 0 && end == n {
                Draw::As {
                    key: path,
                    scale: false,
                    mean: value,
                    sd: se,
                    how: "the step covers the whole timeline, so its value is drawn from a normal around the estimate with that sd".into(),
                }
            } else if outside_values.all(|v| v.is_zero()) {
                match sd_factor(value) {
                    Some(sd) => Draw::As {
                        key: format!("{path}*"),
                        scale: true,
                        mean: Decimal::ONE,
                        sd,
                        how: format!(
                            "its other months are 0, so a factor on the whole timeline draws this step alone: mean 1, sd {} / {} = {sd}",
                            se.normalize(),
                            value.normalize()
                        ),
                    },
                    None => Draw::Not("its estimate is 0, so no factor on its timeline can draw it".into()),
                }
            } else {
                Draw::Not(format!(
                    "[uncertainty] draws a parameter for its whole timeline (docs/model.md §1.6), and a factor \"{path}*\" would move its other steps too; its standard error is in the fit's report"
                ))
            }
        }
    }
}

fn was(what: &str, value: Decimal, note: Option<&str>, source: Option<&str>) -> String {
    let mut s = format!("{what}; was {}", value.normalize());
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
