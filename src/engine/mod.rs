//! One run of a model: docs/model.md §3 month by month, in order, posting every
//! movement of dollars to the ledger, then the conservation check. The run
//! either returns every number or an error; it never returns numbers from a
//! ledger that does not balance.
//!
//! The month's steps are written once (`month`, `steps/`), generic over the
//! arithmetic of [`arith::Arith`]; `exact` gives them `Decimal`s and the
//! ledger, `kernel` blocks of 64 draws for the many-evaluation commands.

pub mod arith;
pub mod exact;
pub mod explain;
pub mod kernel;
pub mod metrics;
pub mod month;
pub mod plan;
pub mod state;
pub mod step_inputs;
pub mod steps;
#[cfg(test)]
pub(crate) mod testing;

use rust_decimal::Decimal;

pub use crate::error::EngineError;
pub use plan::{Plan, Target};

use crate::calendar::YearMonth;
use crate::ledger::{Conservation, Ledger};
use crate::model::{Model, ParamId};

use self::explain::StepRecord;
use self::metrics::N_CORE;

/// Every metric's value in one month, and what `trace` and `brief` need
/// besides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthValues {
    /// The month these values are for (`None` only in the `Default` placeholder).
    pub month: Option<YearMonth>,
    /// Calendar days in the month (step 1's `days`).
    pub days: u32,
    /// Auction sessions in the month (steps 5 and 7).
    pub sessions: u32,
    /// The core metrics, by `Core as usize`.
    pub core: [Decimal; N_CORE],
    /// Step 1: each buyer's gross revenue (USD), by buyer index.
    pub revenue: Vec<Decimal>,
    /// Step 2: each deduction (USD), by deduction index.
    pub deduction: Vec<Decimal>,
    /// Step 3: each government payment actually paid (USD), by payment index.
    pub payment: Vec<Decimal>,
    /// Step 9: each CPI basket item's price impact (percent, `round4`), by item index.
    pub price_impact: Vec<Decimal>,
    /// Custody balance at the end of the month, after step 6 (USD).
    pub custody_closing: Decimal,
    /// Vault balance at the end of the month, after step 6 (USD; zero without an airlift).
    pub vault_closing: Decimal,
    /// Wire-transfer requests (before screening).
    pub wires_req: Decimal,
    /// Cash the airlift was asked to ship (step 4's `cash_usd_per_month`;
    /// zero without an airlift).
    pub cash_asked: Decimal,
}

impl Default for MonthValues {
    fn default() -> Self {
        MonthValues {
            month: None,
            days: 0,
            sessions: 0,
            core: [Decimal::ZERO; N_CORE],
            revenue: Vec::new(),
            deduction: Vec::new(),
            payment: Vec::new(),
            price_impact: Vec::new(),
            custody_closing: Decimal::ZERO,
            vault_closing: Decimal::ZERO,
            wires_req: Decimal::ZERO,
            cash_asked: Decimal::ZERO,
        }
    }
}

impl MonthValues {
    /// The value of core metric `c` this month.
    pub fn get(&self, c: metrics::Core) -> Decimal {
        self.core[c as usize]
    }
}

/// The result of a run: each month's numbers and the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Every month's values, in timeline order.
    pub months: Vec<MonthValues>,
    /// The ledger after the last month (with every posting when they were kept).
    pub ledger: Ledger,
    /// Both sides of the conservation identity, checked equal before the run is returned.
    pub conservation: Conservation,
}

impl MonthValues {
    /// Whether the custody account could not pay all it was asked this
    /// month (docs/model.md §3 steps 3, 4 and 6): a payment or the
    /// airlift's cost went into arrears, the airlift shipped less cash
    /// than it was asked to, or an approved wire went unsent. The account
    /// is then empty at the month's end.
    pub fn custody_short(&self) -> bool {
        use metrics::Core::{Arrears, CashShipped, WiresRejected, WiresSent};
        self.get(Arrears) > Decimal::ZERO
            || self.cash_asked > self.get(CashShipped)
            || self.wires_req - self.get(WiresRejected) > self.get(WiresSent)
    }
}

impl Run {
    /// The first month the custody account ran dry, when it did: the
    /// first month it could not pay all it was asked ([`MonthValues::custody_short`]).
    /// From then it pays out only what each month's revenue brings in. An
    /// account that ends a month at exactly 0 having paid everything has
    /// not run dry; one that opens empty and cannot pay its first month has.
    pub fn custody_dry(&self, model: &Model) -> Option<YearMonth> {
        self.months
            .iter()
            .position(MonthValues::custody_short)
            .map(|i| model.timeline.months[i].month)
    }
}

/// Runs `model` over its timeline.
pub fn run(model: &Model) -> Result<Run, EngineError> {
    run_plan(&Plan::new(model, &[]), &[], false)
}

/// Runs `model` keeping every posting (for `trace`).
pub fn run_with_postings(model: &Model) -> Result<Run, EngineError> {
    run_plan(&Plan::new(model, &[]), &[], true)
}

/// Runs `model` recording the steps of month `month` (an index into the
/// timeline) for `explain`.
pub fn run_explained(model: &Model, month: usize) -> Result<(Run, Vec<StepRecord>), EngineError> {
    exact::Exact::new(&Plan::new(model, &[]), &[], false, Some(month))?.run()
}

/// Runs `model` with `overrides` in force for the whole timeline, as
/// `--set` would put them (their changes do not apply).
pub fn run_model_with(
    model: &Model,
    overrides: &[(ParamId, Decimal)],
    keep_postings: bool,
) -> Result<Run, EngineError> {
    let targets: Vec<Target> = overrides.iter().map(|o| Target::Whole(o.0)).collect();
    let values: Vec<Decimal> = overrides.iter().map(|o| o.1).collect();
    run_plan(&Plan::new(model, &targets), &values, keep_postings)
}

/// Runs `plan` with `values` as its inputs, on the exact backend.
pub fn run_plan(plan: &Plan<'_>, values: &[Decimal], keep_postings: bool) -> Result<Run, EngineError> {
    Ok(exact::Exact::new(plan, values, keep_postings, None)?.run()?.0)
}
