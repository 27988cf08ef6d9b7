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
//!
//! How a fitted value's uncertainty becomes `[uncertainty]` entries is
//! `uncertainty.rs`; the edits of the file's text (a value in place, a
//! step of `[[changes]]`) are `toml_text.rs`.

mod fit_source;
mod toml_text;
mod uncertainty;

pub use fit_source::{fitted_to, FitSource};
pub use uncertainty::{error_entries, uncertainty_entries};

use std::collections::HashSet;

use rust_decimal::Decimal;
use toml_edit::{DocumentMut, Item, Table, Value};

use crate::calendar::YearMonth;
use crate::calibration::compare::{combine_all, refs_of, Matched};
use crate::calibration::fit::Residual;
use crate::engine;
use crate::error::Error;
use crate::model::{Model, ParamId};
use crate::sensitivity::{metric_values, overflow};
use toml_text::*;

/// Why a value is written: the source it cites and what its note says
/// first (`fitted`, `assumed for the fit (--set …)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The `source` written beside the value.
    pub source: String,
    /// The start of the `note`, before `; was …`.
    pub what: String,
    /// The values of the parameter a fit estimated: cited anew even where
    /// the estimate is the value the file already holds (a parameter on
    /// its bound, most often), whose old citation names other data.
    pub estimated: Vec<Estimated>,
}

/// One value of a parameter that a fit estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Estimated {
    /// The base value (`PATH`, or a step in the timeline's first month).
    Base,
    /// The step of `[[changes]]` in this month (`PATH@YYYY-MM`).
    Step(YearMonth),
    /// Every value, base and steps (`PATH*`, a factor).
    Every,
}

impl Provenance {
    /// Whether the fit estimated the base value (`None`) or the step of
    /// that month.
    fn estimated(&self, month: Option<YearMonth>) -> bool {
        self.estimated.iter().any(|e| match (e, month) {
            (Estimated::Every, _) | (Estimated::Base, None) => true,
            (Estimated::Step(m), Some(n)) => *m == n,
            _ => false,
        })
    }
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

/// A `[correlation]` entry to write (or a `[forecast_error]` one: the
/// metric as `key`, σ as `rho`).
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
    /// `[forecast_error]` entries to write (replacing any of the same metric).
    pub errors: Vec<Pair>,
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
        // A value the fit lands on again is cited anew too.
        let recite = why.estimated(None) && old.origin.source.as_deref() != Some(source);
        if old.value != new.value || recite {
            let note = was(
                &why.what,
                (old.value != new.value).then_some(old.value),
                old.origin.note.as_deref(),
                old.origin.source.as_deref(),
            );
            let item = value_item(new.value, source, &note)?;
            set_at(doc.as_table_mut(), &path, item)?;
        }
        let months = |m: &Model| -> Vec<(YearMonth, Decimal, bool)> {
            m.changes
                .iter()
                .filter(|c| c.param == id)
                .map(|c| {
                    let recite =
                        why.estimated(Some(c.month)) && c.value.origin.source.as_deref() != Some(source);
                    (c.month, c.value.value, recite)
                })
                .collect()
        };
        let (before, after) = (months(original), months(target));
        for &(month, old_value, recite) in &before {
            match after.iter().find(|a| a.0 == month) {
                None => remove_change(&mut doc, month, &path),
                Some(&(_, v, _)) if v != old_value || recite => {
                    // The entry keeps its own source and note; the value says it was fitted.
                    let note = was(&why.what, (v != old_value).then_some(old_value), None, None);
                    let item = value_item(v, source, &note)?;
                    replace_change(&mut doc, month, &path, item);
                }
                Some(_) => {}
            }
        }
        for &(month, v, _) in after.iter().filter(|a| !before.iter().any(|b| b.0 == a.0)) {
            let item = value_item(v, source, &format!("{}; a new step", why.what))?;
            insert_change(&mut doc, month, &path, item);
        }
    }
    let redrawn: HashSet<ParamId> = edits.drawn.iter().map(|d| d.param).collect();
    prune_uncertainty(&mut doc, original, target, &redrawn);
    prune_correlation(&mut doc, original, target, &redrawn);
    write_drawn(&mut doc, &edits.drawn)?;
    write_values(&mut doc, "correlation", &edits.pairs)?;
    write_values(&mut doc, "forecast_error", &edits.errors)?;
    Ok(doc.to_string())
}

/// The `[uncertainty]` entries `drawn`, each with its comment above it.
fn write_drawn(doc: &mut DocumentMut, drawn: &[Drawn]) -> Result<(), String> {
    if drawn.is_empty() {
        return Ok(());
    }
    let table = table_of(doc, "uncertainty")?;
    for d in drawn {
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
    Ok(())
}

/// `entries` into the table `section` (`[correlation]`,
/// `[forecast_error]`), each `{ value, source, note }`.
fn write_values(doc: &mut DocumentMut, section: &str, entries: &[Pair]) -> Result<(), String> {
    if entries.is_empty() {
        return Ok(());
    }
    let table = table_of(doc, section)?;
    for p in entries {
        let item = value_item(p.rho, &p.source, &p.note)?;
        table.insert(&p.key, Item::Value(item));
    }
    Ok(())
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
    let (path, scale) = crate::model::factor::split_key(key);
    original.base.resolve(path).ok().map(|id| (id, scale))
}

/// Removes the `[uncertainty]` entries `target` no longer draws (a value
/// `--set` or the fit fixed) and those of parameters drawn anew.
fn prune_uncertainty(doc: &mut DocumentMut, original: &Model, target: &Model, redrawn: &HashSet<ParamId>) {
    remove_keys(doc, "uncertainty", |k| match input_of(original, k) {
        Some((id, scale)) => {
            redrawn.contains(&id)
                || !target
                    .uncertainty
                    .iter()
                    .any(|u| u.param == id && u.scale == scale)
        }
        None => false,
    });
}

/// Removes the `[correlation]` pairs `target` no longer has, and those of
/// parameters drawn anew.
fn prune_correlation(doc: &mut DocumentMut, original: &Model, target: &Model, redrawn: &HashSet<ParamId>) {
    remove_keys(doc, "correlation", |k| {
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
    });
}

/// Removes the keys of the table `section` (if the file has one) that
/// `gone` says are gone.
fn remove_keys(doc: &mut DocumentMut, section: &str, gone: impl Fn(&str) -> bool) {
    let Some(table) = doc.get_mut(section).and_then(Item::as_table_mut) else {
        return;
    };
    let gone: Vec<String> = table
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| gone(k))
        .collect();
    for k in gone {
        table.remove(&k);
    }
}
