//! The validated model: every assumption of a model file as an exact decimal
//! with where it came from, the timeline of step changes, and the declared
//! uncertainty. Values of these types passed validation and cannot be invalid.

mod changes;
mod correlation;
mod load;
mod params;
mod reader;
pub mod rules;
mod sections;
mod set;
mod timeline_section;
mod uncertainty;

use std::ops::Range;

use rust_decimal::Decimal;

pub use crate::sampling::Distribution;
pub use correlation::{groups as correlation_groups, Correlation};
pub use load::{load_file, load_str};
pub use params::{Field, Kind, List, ParamId, ParamSpec, FIELDS};
pub use set::SetNote;
pub use uncertainty::Uncertain;

use crate::calendar::{MonthInfo, Timeline, YearMonth};
use crate::diagnostic::SourceFile;

/// Where an assumption came from: its place in the file and its citation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    pub span: Option<Range<usize>>,
    pub source: Option<String>,
    pub note: Option<String>,
    /// Set on the command line (`--set`) rather than read from the file.
    pub from_command_line: bool,
}

/// One numeric assumption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub value: Decimal,
    pub origin: Origin,
}

impl Param {
    pub fn new(value: Decimal) -> Self {
        Param {
            value,
            origin: Origin::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    pub name: String,
    pub share: Param,
    pub price_offset: Param,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exports {
    pub volume_bpd: Param,
    pub price: Param,
    pub buyers: Vec<Buyer>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    pub name: String,
    pub rate: Param,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub name: String,
    pub usd_per_month: Param,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Custody {
    pub opening_balance: Param,
    pub payments: Vec<Payment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Airlift {
    pub cash_per_month: Param,
    pub plane_capacity: Param,
    pub transport_per_flight: Param,
    pub security_per_flight: Param,
    pub insurance_rate: Param,
    pub vault_opening: Param,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    pub name: String,
    pub share: Param,
    /// `None`: the auction's rejection rate applies.
    pub rejection_rate: Option<Param>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auction {
    pub official_rate: Param,
    pub requests_per_day: Param,
    pub cash_share: Param,
    pub rejection_rate: Param,
    pub banks: Vec<Bank>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParallelMarket {
    pub baseline_rate: Param,
    pub baseline_turnover: Param,
    pub baseline_unmet: Param,
    pub spillover_share: Param,
    pub demand_elasticity: Param,
    pub supply_elasticity: Param,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasketItem {
    pub name: String,
    pub weight: Param,
    pub import_content: Param,
    pub pass_through: Param,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prices {
    pub reference_rate: Param,
    pub basket: Vec<BasketItem>,
}

/// A part of a model (MODEL.md v2): every model traces the flows of
/// revenue, deductions and payments through custody; the airlift and the
/// market (`[auction]`, `[parallel_market]`, `[prices]`) are optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Revenue, deductions, payments and custody: every model.
    Flows,
    /// `[airlift]`.
    Airlift,
    /// `[auction]`, `[parallel_market]` and `[prices]`.
    Market,
}

/// Which optional parts a model has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    pub airlift: bool,
    pub market: bool,
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            airlift: true,
            market: true,
        }
    }
}

/// Every numeric assumption in force in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    pub exports: Exports,
    pub deductions: Vec<Deduction>,
    pub custody: Custody,
    pub airlift: Airlift,
    pub auction: Auction,
    pub parallel: ParallelMarket,
    pub prices: Prices,
    /// The optional parts the model has.
    pub parts: Parts,
}

impl Params {
    /// Whether the model has `part`.
    pub fn has(&self, part: Part) -> bool {
        match part {
            Part::Flows => true,
            Part::Airlift => self.parts.airlift,
            Part::Market => self.parts.market,
        }
    }
}

/// A step change: from `month` on, `param` takes `value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub month: YearMonth,
    pub param: ParamId,
    pub value: Param,
    pub note: Option<String>,
    pub source: Option<String>,
}

/// A validated model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    pub file: SourceFile,
    pub name: String,
    pub description: Option<String>,
    pub timeline: Timeline,
    pub base: Params,
    /// Sorted by month, then file order.
    pub changes: Vec<Change>,
    pub uncertainty: Vec<Uncertain>,
    /// Rank correlations between inputs of `uncertainty` (`[correlation]`).
    pub correlation: Vec<Correlation>,
}

impl Model {
    /// The parameters in force in each month of the timeline, in order.
    pub fn schedule(&self) -> Vec<Params> {
        let mut current = self.base.clone();
        let mut next = 0;
        let mut out = Vec::with_capacity(self.timeline.months.len());
        for month in &self.timeline.months {
            while next < self.changes.len() && self.changes[next].month <= month.month {
                let c = &self.changes[next];
                current.set(c.param, c.value.clone());
                next += 1;
            }
            out.push(current.clone());
        }
        out
    }

    /// Visits each month of the timeline in order with the parameters in
    /// force and the changes that take effect that month. Unlike
    /// [`Model::schedule`] it keeps one working copy of the parameters, not
    /// one per month (600 copies of a model's sources and notes).
    pub fn each_month(&self, mut f: impl FnMut(&MonthInfo, &Params, &[Change])) {
        let mut current = self.base.clone();
        let mut next = 0;
        for info in &self.timeline.months {
            let first = next;
            while next < self.changes.len() && self.changes[next].month <= info.month {
                let c = &self.changes[next];
                current.set(c.param, c.value.clone());
                next += 1;
            }
            f(info, &current, &self.changes[first..next]);
        }
    }

    /// The change entries that set `param`, in month order.
    pub fn changes_of(&self, param: ParamId) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.param == param)
    }
}
