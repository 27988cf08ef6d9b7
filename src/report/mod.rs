//! What each command reports: plain data built from a model and its
//! results, knowing nothing of formats. Each report implements
//! [`crate::render::Report`] (what it shows as a document and as a tidy
//! table) and `serde::Serialize` (its JSON); `crate::render` writes it in
//! the format asked for.

pub mod assumptions;
pub mod brief;
pub mod check;
pub mod diff;
pub mod explain;
pub mod mc;
pub mod morris;
pub mod run;
pub mod sobol;
pub mod solve;
pub mod sweep;
pub mod tornado;
pub mod trace;

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use crate::model::Model;
use crate::number::clean;
use crate::render::{places, Cell};
use crate::sampling::exact::f64_to_decimal;

/// The model a report is about, as JSON outputs name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelInfo {
    pub name: String,
    pub description: Option<String>,
    /// The file it was read from.
    pub file: String,
    /// The first month.
    pub start: String,
    /// How many months it runs.
    pub months: usize,
}

impl ModelInfo {
    pub fn of(model: &Model) -> Self {
        ModelInfo {
            name: model.name.clone(),
            description: model.description.clone(),
            file: model.file.name.clone(),
            start: model.timeline.start.to_string(),
            months: model.timeline.months.len(),
        }
    }
}

/// A parameter value as shown and written: trailing zeros dropped.
pub(crate) fn shown(x: Decimal) -> Decimal {
    clean(x.normalize())
}

/// A statistic computed in floating point, reported rounded half to even
/// to `places` (its exact binary value rounded, as MODEL.md §2 rounds
/// draws). Written without separators; JSON makes it a string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    pub value: f64,
    pub places: u32,
}

impl Stat {
    pub fn new(value: f64, places: u32) -> Self {
        Stat { value, places }
    }

    /// A statistic of a metric in `unit`; `spread` for sd, se and the like.
    pub fn of(unit: &str, value: f64, spread: bool) -> Self {
        Stat::new(value, stat_places(unit, value, spread))
    }

    /// The rounded value; `None` when it is not finite or too large.
    pub fn decimal(self) -> Option<Decimal> {
        f64_to_decimal(self.value, self.places).map(clean)
    }

    /// The rounded value as text (`NaN`, `inf` as Rust writes them).
    pub fn plain(self) -> String {
        self.decimal()
            .map_or_else(|| self.value.to_string(), |d| d.to_string())
    }

    /// A table cell of the rounded value, without separators.
    pub fn cell(self) -> Cell {
        self.decimal()
            .map_or_else(|| Cell::Text(self.value.to_string()), Cell::plain)
    }
}

/// Places a statistic is shown with: those of the metric's unit (at least
/// two), and for a spread (sd, se) enough for three significant digits.
pub(crate) fn stat_places(unit: &str, v: f64, spread: bool) -> u32 {
    let base = places(unit).max(2);
    if !spread || v == 0.0 || !v.is_finite() {
        return base;
    }
    let digits = 2 - v.abs().log10().floor() as i32;
    (digits.max(base as i32) as u32).min(12)
}

impl Serialize for Stat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}
