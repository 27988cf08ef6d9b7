//! `check`: a model found valid, and everything it assumes.

use serde::Serialize;

use super::assumptions::{Assumption, Assumptions};
use super::check_failure::Found;
use super::ModelInfo;
use crate::model::{all_warnings, Model};
use crate::render::{plural, Cell, Document, Report, Table};

/// A valid model's assumptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Always true here; an invalid model is an error, which `check
    /// --format json` also prints as a `CheckFailure` (`"valid": false`).
    pub valid: bool,
    /// The model checked.
    pub model: ModelInfo,
    /// Everything it assumes, with sources and file:line.
    pub assumptions: Assumptions,
    /// What is worth a second look (stderr shows the same): values outside
    /// their plausible range, distributions centred away from their base
    /// value, base values a change from the first month hides. Empty for
    /// a clean model; `--strict` refuses a model with any.
    pub warnings: Vec<Found>,
}

impl CheckReport {
    /// The report on `model`, already validated by loading it.
    pub fn of(model: &Model) -> Self {
        CheckReport {
            valid: true,
            model: ModelInfo::of(model),
            assumptions: Assumptions::of(model),
            warnings: all_warnings(model)
                .iter()
                .map(|w| Found::of(w, &model.file))
                .collect(),
        }
    }
}

crate::render::formats!(CheckReport: TEXT);

impl Report for CheckReport {
    fn document(&self) -> Document {
        let list = &self.assumptions;
        let sourced = list.params.iter().filter(|p| p.is_sourced()).count();
        let mut doc = Document::new();
        doc.line(format!(
            "{}: valid model \"{}\"",
            self.model.file, self.model.name
        ));
        for line in self.model.heading_lines() {
            doc.line(line);
        }
        let errors: Vec<&str> = list
            .forecast_error
            .iter()
            .filter_map(|e| e.path.strip_prefix("forecast_error."))
            .collect();
        doc.line(format!(
            "{} ({} with a source, {}), {}, {}{}{}",
            plural(list.params.len(), "parameter"),
            sourced,
            plural(list.params.len() - sourced, "assumption"),
            plural(list.changes.len(), "change"),
            plural(list.uncertainty.len(), "uncertain input"),
            if list.correlation.is_empty() {
                String::new()
            } else {
                format!(" with {}", plural(list.correlation.len(), "rank correlation"))
            },
            if errors.is_empty() {
                String::new()
            } else {
                format!(", the model's own error on {}", errors.join(" and "))
            }
        ))
        .blank();
        list.add_to(&mut doc);
        doc
    }

    /// Every value and the month it holds from: the base values from the
    /// first month, then each change; exact, one value a row. (The
    /// distributions of `[uncertainty]` are in the JSON.)
    fn csv(&self) -> Option<Table> {
        let mut t = Table::new(["from", "path", "value", "unit", "source", "note", "where"], 2);
        let row = |from: &str, a: &Assumption| {
            [
                Cell::from(from),
                Cell::from(&a.path),
                Cell::plain(a.value),
                Cell::from(a.unit),
                Cell::Text(a.source.clone().unwrap_or_default()),
                Cell::Text(a.note.clone().unwrap_or_default()),
                Cell::Text(a.location.clone().unwrap_or_default()),
            ]
        };
        for a in &self.assumptions.params {
            t.push(row(&self.model.start, a));
        }
        for c in &self.assumptions.changes {
            t.push(row(&c.month, &c.assumption));
        }
        Some(t)
    }
}
