//! `check`: a model found valid, and everything it assumes.

use serde::Serialize;

use super::assumptions::Assumptions;
use super::ModelInfo;
use crate::model::Model;
use crate::render::{Document, Report};

/// A valid model's assumptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Always true: an invalid model is an error, not a report.
    pub valid: bool,
    /// The model checked.
    pub model: ModelInfo,
    /// Everything it assumes, with sources and file:line.
    pub assumptions: Assumptions,
}

impl CheckReport {
    /// The report on `model`, already validated by loading it.
    pub fn of(model: &Model) -> Self {
        CheckReport {
            valid: true,
            model: ModelInfo::of(model),
            assumptions: Assumptions::of(model),
        }
    }
}

impl Report for CheckReport {
    fn document(&self) -> Document {
        let list = &self.assumptions;
        let sourced = list.params.iter().filter(|p| p.is_sourced()).count();
        let mut doc = Document::new();
        doc.line(format!(
            "{}: valid model \"{}\"",
            self.model.file, self.model.name
        ))
        .line(format!(
            "{} parameters ({} with a source, {} assumptions), {} changes, {} uncertain inputs",
            list.params.len(),
            sourced,
            list.params.len() - sourced,
            list.changes.len(),
            list.uncertainty.len()
        ))
        .blank();
        list.add_to(&mut doc);
        doc
    }
}
