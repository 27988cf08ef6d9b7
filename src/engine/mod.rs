//! One run of a model: MODEL.md §5 month by month, in order, posting every
//! movement of dollars to the ledger, then the conservation check. The run
//! either returns every number or an error; it never returns numbers from a
//! ledger that does not balance.

pub mod airlift;
pub mod auction;
pub mod fixed;
pub mod kernel;
pub mod metrics;
pub mod parallel_market;
pub mod prices;
pub mod revenue;

/// Transition alias: the exact fixed-point numbers now live in `num::fixed`.
pub mod exact {
    pub use crate::num::fixed::*;
}
#[cfg(test)]
pub(crate) mod testing;

use rust_decimal::Decimal;

use crate::calendar::{MonthInfo, YearMonth};
use crate::ledger::{Account, Conservation, Ledger, Step};
use crate::model::{Model, ParamId, Params};
use crate::num::decimal::{Checked, Overflow};

pub use crate::error::EngineError;

/// Every number the engine computes for one month, intermediates included.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonthValues {
    pub month: Option<YearMonth>,
    pub days: u32,
    pub sessions: u32,
    pub gross_by_buyer: Vec<Decimal>,
    pub gross: Decimal,
    pub deduction_by: Vec<Decimal>,
    pub deductions: Decimal,
    pub net: Decimal,
    pub paid_by: Vec<Decimal>,
    pub payments: Decimal,
    pub arrears: Decimal,
    pub airlift: airlift::Airlift,
    pub airlift_cost_paid: Decimal,
    pub requests: auction::Requests,
    pub settlement: auction::Settlement,
    pub official_rate: Decimal,
    pub parallel: parallel_market::Parallel,
    pub effective_rate: Decimal,
    pub prices: prices::PriceImpact,
    pub custody_closing: Decimal,
    pub vault_closing: Decimal,
}

/// The result of a run: each month's numbers and the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub months: Vec<MonthValues>,
    pub ledger: Ledger,
    pub conservation: Conservation,
}

/// Runs `model` over its timeline.
pub fn run(model: &Model) -> Result<Run, EngineError> {
    run_model(model, false)
}

/// Runs `model` keeping every posting (for `trace`).
pub fn run_with_postings(model: &Model) -> Result<Run, EngineError> {
    run_model(model, true)
}

/// Runs `model`, applying its changes to one working copy of the base
/// parameters as their months arrive.
fn run_model(model: &Model, keep_postings: bool) -> Result<Run, EngineError> {
    run_model_with(model, &[], keep_postings)
}

/// Runs `model` with `overrides` in force for the whole timeline, as
/// `--set` would put them (their changes do not apply).
pub fn run_model_with(
    model: &Model,
    overrides: &[(ParamId, Decimal)],
    keep_postings: bool,
) -> Result<Run, EngineError> {
    let mut params = model.base.clone();
    for &(id, v) in overrides {
        params.set_value(id, v);
    }
    let overridden = |id: ParamId| overrides.iter().any(|o| o.0 == id);
    let mut next = 0;
    let mut ledger = new_ledger(&params, keep_postings);
    let mut out = Vec::with_capacity(model.timeline.months.len());
    for (i, info) in model.timeline.months.iter().enumerate() {
        while let Some(c) = model.changes.get(next).filter(|c| c.month <= info.month) {
            if !overridden(c.param) {
                params.set_value(c.param, c.value.value);
            }
            next += 1;
        }
        let v = month(i, info, &params, &mut ledger).map_err(|source| EngineError::Overflow {
            month: info.month,
            source,
        })?;
        out.push(v);
    }
    finish(&model.timeline.months, out, ledger)
}

fn new_ledger(first: &Params, keep_postings: bool) -> Ledger {
    Ledger::new(
        first.custody.opening_balance.value,
        first.airlift.vault_opening.value,
        first.exports.buyers.len(),
        first.deductions.len(),
        first.custody.payments.len(),
        keep_postings,
    )
}

/// Checks conservation and assembles the run.
fn finish(months: &[MonthInfo], out: Vec<MonthValues>, ledger: Ledger) -> Result<Run, EngineError> {
    let conservation = ledger.conservation().map_err(|source| EngineError::Overflow {
        month: months.last().map_or(YearMonth { year: 1, month: 1 }, |m| m.month),
        source,
    })?;
    if !conservation.holds() {
        return Err(EngineError::Conservation(conservation));
    }
    Ok(Run {
        months: out,
        ledger,
        conservation,
    })
}

/// Runs explicit per-month parameters (one `Params` per month).
pub fn run_schedule(
    months: &[MonthInfo],
    schedule: &[Params],
    keep_postings: bool,
) -> Result<Run, EngineError> {
    let first = schedule.first().or(None);
    let Some(first) = first else {
        return Err(EngineError::Overflow {
            month: months
                .first()
                .map_or(YearMonth { year: 1, month: 1 }, |m| m.month),
            source: Overflow {
                what: "an empty timeline",
            },
        });
    };
    let mut ledger = Ledger::new(
        first.custody.opening_balance.value,
        first.airlift.vault_opening.value,
        first.exports.buyers.len(),
        first.deductions.len(),
        first.custody.payments.len(),
        keep_postings,
    );
    let mut out = Vec::with_capacity(months.len());
    for (i, (info, params)) in months.iter().zip(schedule).enumerate() {
        let v = month(i, info, params, &mut ledger).map_err(|source| EngineError::Overflow {
            month: info.month,
            source,
        })?;
        out.push(v);
    }
    finish(months, out, ledger)
}

/// MODEL.md §5 steps 1–9 for month `i`.
fn month(i: usize, info: &MonthInfo, p: &Params, ledger: &mut Ledger) -> Result<MonthValues, Overflow> {
    let mut v = MonthValues {
        month: Some(info.month),
        days: info.days,
        sessions: info.sessions,
        ..MonthValues::default()
    };
    // 1. Revenue.
    v.gross_by_buyer = revenue::gross_by_buyer(p, info.days)?;
    for (b, g) in v.gross_by_buyer.iter().enumerate() {
        ledger.post(i, Account::Buyer(b), Account::Custody, *g, Step::Revenue)?;
        v.gross = v.gross.add(*g, "gross revenue")?;
    }
    // 2. Deductions.
    v.deduction_by = revenue::deductions(p, v.gross)?;
    for (d, x) in v.deduction_by.iter().enumerate() {
        ledger.post(i, Account::Custody, Account::Deduction(d), *x, Step::Deduction)?;
        v.deductions = v.deductions.add(*x, "deductions")?;
    }
    v.net = v.gross.sub(v.deductions, "net revenue")?;
    // 3. Government payments.
    for (k, pay) in p.custody.payments.iter().enumerate() {
        let (paid, short) = revenue::payment(pay.usd_per_month.value, ledger.custody)?;
        ledger.post(i, Account::Custody, Account::Payment(k), paid, Step::Payment)?;
        v.paid_by.push(paid);
        v.payments = v.payments.add(paid, "payments")?;
        v.arrears = v.arrears.add(short, "arrears")?;
    }
    // 4. Airlift.
    v.airlift = airlift::airlift(p, ledger.custody)?;
    ledger.post(
        i,
        Account::Custody,
        Account::Vault,
        v.airlift.shipped,
        Step::Airlift,
    )?;
    v.airlift_cost_paid = v.airlift.cost.min(ledger.custody);
    ledger.post(
        i,
        Account::Custody,
        Account::AirliftCosts,
        v.airlift_cost_paid,
        Step::AirliftCost,
    )?;
    v.arrears = v
        .arrears
        .add(v.airlift.cost.sub(v.airlift_cost_paid, "arrears")?, "arrears")?;
    // 5. Auction requests; 6. settlement.
    v.requests = auction::requests(p, info.sessions)?;
    v.official_rate = p.auction.official_rate.value;
    v.settlement = auction::settle(&v.requests, ledger.vault, ledger.custody, v.official_rate)?;
    ledger.post(
        i,
        Account::Vault,
        Account::MarketCash,
        v.settlement.cash_sold,
        Step::CashSale,
    )?;
    ledger.post(
        i,
        Account::Custody,
        Account::MarketWires,
        v.settlement.wires_sent,
        Step::WireSale,
    )?;
    // 7. Parallel market; 8. effective rate.
    v.parallel = parallel_market::parallel_rate(p, v.settlement.unmet, info.sessions, v.official_rate)?;
    let sold = v
        .settlement
        .cash_sold
        .add(v.settlement.wires_sent, "dollars sold")?;
    v.effective_rate =
        parallel_market::effective_rate(p, v.official_rate, v.parallel.rate, sold, v.settlement.unmet)?;
    // 9. Prices.
    v.prices = prices::price_impact(p, v.effective_rate)?;
    v.custody_closing = ledger.custody;
    v.vault_closing = ledger.vault;
    Ok(v)
}
