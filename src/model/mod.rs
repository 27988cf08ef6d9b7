//! The validated model: every assumption of a model file as an exact decimal
//! with where it came from, the timeline of step changes, and the declared
//! uncertainty. Values of these types passed validation and cannot be invalid.

mod centred;
mod changes;
mod complexity;
mod correlation;
pub mod drawable;
pub mod factor;
mod forecast_error;
mod hidden_base;
mod horizon;
mod key_hints;
mod load;
mod market_sections;
mod number_slip;
mod params;
mod parts;
mod plausible;
mod reader;
mod registry;
pub mod rules;
mod scenario;
mod sections;
mod set;
mod set_overlap;
pub use set_overlap::{refuse_set_under_vary, refuse_undone, refuse_undone_on_both, Varied};
mod set_refusal;
mod syntax;
#[cfg(test)]
pub(crate) mod testing;
mod timeline_edit;
mod timeline_section;
mod uncertainty;
mod warnings;

use std::ops::Range;

use rust_decimal::Decimal;

pub use crate::sampling::Distribution;
pub use centred::off_centre;
pub use correlation::{groups as correlation_groups, Correlation};
pub use forecast_error::{sigma_pct, ForecastError, DERIVED_PREMIUM, METRICS as FORECAST_ERROR_METRICS};
pub use hidden_base::hidden_bases;
pub use horizon::Horizon;
pub use load::{
    load_default, load_file, load_str, open_regular, read_text, read_text_at_most, DEFAULT_MODEL,
    DEFAULT_MODEL_NAME,
};
pub use plausible::{factor_warning, implausible, value_warning};
pub use registry::{
    param_label, per_amount, unit_label, Field, Kind, List, ParamId, ParamLabel, ParamSpec, Plausible, FIELDS,
};
pub use scenario::Scenario;
pub use set::{step_months, Override, SetForm, SetNote};
pub use set_refusal::{FollowerOutside, SetRefusal};
pub use uncertainty::Uncertain;
pub use warnings::{all_warnings, draw_warnings, render_warnings};

use crate::calendar::{MonthInfo, Timeline, YearMonth};
use crate::diagnostic::SourceFile;

/// Where an assumption came from: its place in the file and its citation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// Byte range of the value in the model file, for diagnostics.
    pub span: Option<Range<usize>>,
    /// The citation given with `source = "..."`.
    pub source: Option<String>,
    /// The remark given with `note = "..."`.
    pub note: Option<String>,
    /// The option that set it on the command line (`--set`, or `diff`'s
    /// `--set-a`/`--set-b`), when it was not read from the file.
    pub set_with: Option<&'static str>,
    /// `FILE:LINE` of the scenario entry that set it (`--scenario`), when
    /// it was not read from the model file (`span` is then `None`).
    pub scenario: Option<String>,
}

/// One numeric assumption.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Param {
    /// The exact value, as written.
    pub value: Decimal,
    /// Where it came from.
    pub origin: Origin,
}

impl Param {
    /// A value with no place in a file (set by a command, or a default).
    pub fn new(value: Decimal) -> Self {
        Param {
            value,
            origin: Origin::default(),
        }
    }
}

/// A buyer of Iraqi oil (`[[exports.buyers]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    /// The name paths address it by (`exports.buyers[NAME]`).
    pub name: String,
    /// Its share of the exported volume.
    pub share: Param,
    /// Its discount (negative) or premium on the price, USD/bbl.
    pub price_offset: Param,
}

/// `[exports]`: what is sold and to whom.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exports {
    /// Barrels exported per day.
    pub volume_bpd: Param,
    /// Price, USD per barrel.
    pub price: Param,
    /// Who buys the oil; their shares sum to 1.
    pub buyers: Vec<Buyer>,
}

/// A share of gross revenue withheld at source (`[[deductions]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deduction {
    /// The name paths address it by (`deductions[NAME]`).
    pub name: String,
    /// The share of gross revenue deducted.
    pub rate: Param,
}

/// A monthly government payment out of custody (`[[custody.payments]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// The name paths address it by (`custody.payments[NAME]`).
    pub name: String,
    /// USD paid out of custody each month.
    pub usd_per_month: Param,
}

/// `[custody]`: the CBI's account at the New York Fed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Custody {
    /// Custody balance at the start of the first month, USD.
    pub opening_balance: Param,
    /// Government payments out of custody, in order of priority.
    pub payments: Vec<Payment>,
    /// v2: the account's name, for text only.
    pub name: Option<String>,
}

/// `[airlift]`: banknotes flown to Baghdad.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Airlift {
    /// Banknotes requested each month, USD.
    pub cash_per_month: Param,
    /// Banknotes one flight carries, USD.
    pub plane_capacity: Param,
    /// Transport cost of one flight, USD.
    pub transport_per_flight: Param,
    /// Security cost of one flight, USD.
    pub security_per_flight: Param,
    /// Insurance as a share of the banknotes shipped.
    pub insurance_rate: Param,
    /// Banknotes in the CBI's Baghdad vault at the start, USD.
    pub vault_opening: Param,
}

/// A group of banks at the auction (`[[auction.banks]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    /// The name paths address it by (`auction.banks[NAME]`).
    pub name: String,
    /// Its share of the wire requests.
    pub share: Param,
    /// `None`: the auction's rejection rate applies.
    pub rejection_rate: Option<Param>,
    /// While the bank has no rate of its own in force, the auction's rate
    /// times this factor (`None`: the auction's rate as it is). Only
    /// `--set 'auction.banks[NAME].rejection_rate*=F'` (or a scenario's
    /// factor) sets it: scaling a bank that follows the auction scales
    /// the rate it faces in every month, and it goes on following the
    /// auction's steps.
    pub follow_factor: Option<Decimal>,
}

/// `[auction]`: the CBI dollar auction and its wire screening.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Auction {
    /// The CBI selling rate, IQD per USD.
    pub official_rate: Param,
    /// Dollars requested per auction session, USD.
    pub requests_per_day: Param,
    /// The share of requests for banknotes rather than wires.
    pub cash_share: Param,
    /// The share of wire requests the screening rejects.
    pub rejection_rate: Param,
    /// Bank groups with their own rejection rates (may be empty).
    pub banks: Vec<Bank>,
}

/// `[parallel_market]`: the street market for dollars.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParallelMarket {
    /// The parallel rate at baseline, IQD per USD.
    pub baseline_rate: Param,
    /// Street turnover at baseline, USD per day.
    pub baseline_turnover: Param,
    /// Unmet auction demand at baseline, USD per day.
    pub baseline_unmet: Param,
    /// The share of unmet demand that goes to the street.
    pub spillover_share: Param,
    /// How strongly street demand reacts to the rate (> 0).
    pub demand_elasticity: Param,
    /// How strongly street supply reacts to the rate (>= 0).
    pub supply_elasticity: Param,
    /// v2: demand per session that never goes through the auction, USD.
    pub street_demand: Option<Param>,
    /// v2: the share of the auction's banknote sales resold on the street.
    pub cash_resale: Option<Param>,
    /// v2: how far the anchor follows the official rate (θ, 0 to 1).
    pub anchor_weight: Option<Param>,
    /// v2: the official rate `baseline_rate` was observed at (default: the
    /// first month's official rate).
    pub anchor_official: Option<Param>,
    /// v2: the weight of last month's parallel rate (λ, 0 to 0.99).
    pub persistence: Option<Param>,
    /// v2: the parallel rate of the month before the timeline.
    pub opening_parallel: Option<Param>,
}

/// An item of the CPI basket (`[[prices.basket]]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasketItem {
    /// The name paths address it by (`prices.basket[NAME]`).
    pub name: String,
    /// Its weight in the CPI basket.
    pub weight: Param,
    /// The imported share of its cost.
    pub import_content: Param,
    /// The share of an exchange-rate move passed to its price.
    pub pass_through: Param,
}

/// `[prices]`: pass-through to consumer prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prices {
    /// The effective rate prices were set at, IQD per USD.
    pub reference_rate: Param,
    /// The CPI basket; weights sum to 1.
    pub basket: Vec<BasketItem>,
    /// v2: the share of an exchange-rate move passed on 0, 1, 2, … months
    /// later (`[1]` by default; not addressable by path).
    pub lag_weights: Vec<Decimal>,
    /// Byte range of `lag_weights` in the model file (`None` when left
    /// out), for `explain`'s assumptions.
    pub lag_weights_at: Option<Range<usize>>,
    /// v2: annual inflation from other causes, percent (for `cpi_yoy_pct`).
    pub underlying_inflation: Option<Param>,
}

/// A part of a model (docs/model.md v2): every model traces the flows of
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
    /// Whether the model has `[airlift]`.
    pub airlift: bool,
    /// Whether it has `[auction]`, `[parallel_market]` and `[prices]`.
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
    /// `[exports]`.
    pub exports: Exports,
    /// `[[deductions]]`.
    pub deductions: Vec<Deduction>,
    /// `[custody]`.
    pub custody: Custody,
    /// `[airlift]`.
    pub airlift: Airlift,
    /// `[auction]`.
    pub auction: Auction,
    /// `[parallel_market]`.
    pub parallel: ParallelMarket,
    /// `[prices]`.
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
    /// The first month the new value is in force.
    pub month: YearMonth,
    /// The parameter it sets.
    pub param: ParamId,
    /// The new value, with its place in the file.
    pub value: Param,
    /// The change entry's `note`.
    pub note: Option<String>,
    /// The change entry's `source`.
    pub source: Option<String>,
}

/// A validated model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Model {
    /// The model file's name and text (for diagnostics and reports).
    pub file: SourceFile,
    /// `model.name`.
    pub name: String,
    /// `model.description`.
    pub description: Option<String>,
    /// The months simulated, with their auction sessions.
    pub timeline: Timeline,
    /// The values in force in the first month, before any change.
    pub base: Params,
    /// Sorted by month, then file order.
    pub changes: Vec<Change>,
    /// The uncertain inputs of `[uncertainty]`.
    pub uncertainty: Vec<Uncertain>,
    /// Rank correlations between inputs of `uncertainty` (`[correlation]`).
    pub correlation: Vec<Correlation>,
    /// The model's own error on quoted rates (`[forecast_error]`), which
    /// `mc` draws on a month's value of them.
    pub forecast_error: Vec<ForecastError>,
    /// The `[uncertainty]` inputs (as it names them, `PATH` or `PATH*`)
    /// that a `--set PATH=VALUE` or a scenario's `set` fixed since loading.
    pub fixed: Vec<String>,
    /// The scenario files layered on the model file (`--scenario`), in
    /// the order they were applied.
    pub scenarios: Vec<Scenario>,
    /// Set when `--horizon` ran the timeline past the model file's last
    /// month (`None` otherwise, and for a horizon at the last month).
    pub horizon: Option<Horizon>,
    /// The `--set` values in force, in the order applied, as reports list
    /// them.
    pub overrides: Vec<Override>,
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

    /// Whether `param`'s value moves over the timeline: it has
    /// `[[changes]]`, or it is the rate of a bank that follows the
    /// auction's rejection rate, which has.
    pub fn scheduled(&self, param: ParamId) -> bool {
        let follows = matches!(param, ParamId::BankRejectionRate(i) if self.base.follows_the_auction(i));
        self.changes_of(param).next().is_some()
            || (follows && self.changes_of(ParamId::RejectionRate).next().is_some())
    }
}
