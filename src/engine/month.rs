//! MODEL.md §5, month by month, written once for every backend: the order
//! of the steps, what each month hands on to the next (balances, last
//! month's parallel rate, the exchange-rate moves that later months' prices
//! still feel), and the ledger identity checked at the end. The steps
//! themselves are in `steps/`.

use super::arith::{Arith, Impact};
use super::metrics::{Core, MetricId};
use super::plan::Plan;
use super::steps;
use crate::calendar::MonthInfo;
use crate::ledger::{Account, Step};
use crate::model::Part;

/// What one month carries into the next.
pub(super) struct State<V> {
    /// Custody and vault balances.
    pub custody: V,
    pub vault: V,
    /// Their opening balances together, and Σ gross and Σ outflows so far
    /// (the two sides of the ledger identity).
    pub opening: V,
    pub gross_total: V,
    pub outflows: V,
    /// Last month's published parallel rate (v2 persistence).
    pub prev_parallel: Option<V>,
    /// The official rate the parallel anchor was observed at (v2).
    pub anchor: Option<V>,
    /// `(effective − reference, reference)` of the months before, most
    /// recent last, as many as later lags need (v2 `lag_weights`).
    pub moves: Vec<(V, V)>,
    /// The CPI impact of the last twelve months, most recent last (v2
    /// `cpi_yoy_pct`).
    pub impacts: Vec<Impact<V>>,
}

/// This month's quantities, as the steps compute them in order.
pub(super) struct Month<V> {
    pub i: usize,
    pub info: MonthInfo,
    /// Custody and vault at the start of the month (for `explain`).
    pub custody_open: V,
    pub vault_open: V,
    pub gross: V,
    pub gross_by_buyer: Vec<V>,
    pub deductions: V,
    pub net: V,
    pub payments: V,
    pub paid_by: Vec<V>,
    pub arrears: V,
    pub shipped: V,
    pub cost_paid: V,
    pub cash_req: V,
    pub approved: V,
    pub rejected: V,
    pub cash_sold: V,
    pub wires_sent: V,
    /// `cash_sold + wires_sent`.
    pub sold: V,
    pub unmet: V,
    pub official: V,
    pub parallel: V,
    pub effective: V,
}

/// Homes kept for the carried state besides the history of moves and
/// impacts: custody, vault, opening, Σ gross, Σ outflows, last parallel
/// rate, anchor.
const FIXED_HOMES: usize = 7;

/// Runs every month of `plan` on `a`: MODEL.md §5 steps 1–9 in order,
/// then the ledger identity.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn run<A: Arith>(a: &mut A, plan: &Plan<'_>) -> Result<(), A::E> {
    let l = &plan.layout;
    let lags = plan.lags.len();
    let yoy = plan.has(Part::Market) && a.wants(MetricId::Core(Core::CpiYoyPct));
    a.reserve(FIXED_HOMES + 2 * lags + if yoy { 36 } else { 0 });
    // Opening balances: the first month's values before its changes.
    let custody = a.param(l.opening);
    let vault = if plan.has(Part::Airlift) {
        a.param(l.vault)
    } else {
        a.int(0)
    };
    let opening = a.add(custody, vault)?;
    let zero = a.int(0);
    let mut s = State {
        custody,
        vault,
        opening,
        gross_total: zero,
        outflows: zero,
        prev_parallel: None,
        anchor: None,
        moves: Vec::new(),
        impacts: Vec::new(),
    };
    for (i, info) in plan.months.iter().enumerate() {
        a.begin_month(i);
        if i == 0 {
            s.prev_parallel = l.opening_parallel.map(|slot| a.param(slot));
        }
        let mut m = Month {
            i,
            info: *info,
            custody_open: s.custody,
            vault_open: s.vault,
            gross: zero,
            gross_by_buyer: Vec::new(),
            deductions: zero,
            net: zero,
            payments: zero,
            paid_by: Vec::new(),
            arrears: zero,
            shipped: zero,
            cost_paid: zero,
            cash_req: zero,
            approved: zero,
            rejected: zero,
            cash_sold: zero,
            wires_sent: zero,
            sold: zero,
            unmet: zero,
            official: zero,
            parallel: zero,
            effective: zero,
        };
        steps::flows::revenue(a, plan, &mut s, &mut m)?;
        steps::flows::deductions(a, plan, &mut s, &mut m)?;
        steps::flows::payments(a, plan, &mut s, &mut m)?;
        if plan.has(Part::Airlift) {
            steps::airlift::airlift(a, plan, &mut s, &mut m)?;
        }
        a.emit(MetricId::Core(Core::Arrears), m.arrears)?;
        if plan.has(Part::Market) {
            steps::auction::requests(a, plan, &mut m)?;
            steps::auction::settlement(a, plan, &mut s, &mut m)?;
            steps::market::parallel(a, plan, &mut s, &mut m)?;
            steps::market::effective(a, plan, &mut m)?;
            steps::prices::prices(a, plan, &mut s, &mut m, yoy)?;
        }
        a.emit(MetricId::Core(Core::CustodyBalance), s.custody)?;
        if plan.has(Part::Airlift) {
            a.emit(MetricId::Core(Core::VaultBalance), s.vault)?;
        }
        keep_state(a, &mut s);
        a.end_month()?;
    }
    // The ledger identity: opening balances + Σ gross = closing balances
    // + Σ outflows, exactly.
    a.context("the conservation check");
    let sources = a.add(s.opening, s.gross_total)?;
    let closing = a.add(s.custody, s.vault)?;
    let uses = a.add(closing, s.outflows)?;
    a.check_equal(sources, uses)
}

/// Moves everything the next month needs into its home.
#[cfg_attr(not(debug_assertions), inline(always))]
fn keep_state<A: Arith>(a: &mut A, s: &mut State<A::V>) {
    s.custody = a.keep(s.custody, 0);
    s.vault = a.keep(s.vault, 1);
    s.opening = a.keep(s.opening, 2);
    s.gross_total = a.keep(s.gross_total, 3);
    s.outflows = a.keep(s.outflows, 4);
    if let Some(p) = s.prev_parallel {
        s.prev_parallel = Some(a.keep(p, 5));
    }
    if let Some(x) = s.anchor {
        s.anchor = Some(a.keep(x, 6));
    }
    let mut home = FIXED_HOMES;
    for (gap, reference) in s.moves.iter_mut() {
        *gap = a.keep(*gap, home);
        *reference = a.keep(*reference, home + 1);
        home += 2;
    }
    for x in s.impacts.iter_mut() {
        x.exposure = a.keep(x.exposure, home);
        x.num = a.keep(x.num, home + 1);
        x.den = a.keep(x.den, home + 2);
        home += 3;
    }
}

/// Posts `amount` out of custody to `to`, counting it as an outflow.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn pay_out<A: Arith>(
    a: &mut A,
    s: &mut State<A::V>,
    to: Account,
    amount: A::V,
    step: Step,
) -> Result<(), A::E> {
    a.post(Account::Custody, to, amount, step)?;
    s.custody = a.sub(s.custody, amount)?;
    s.outflows = a.add(s.outflows, amount)?;
    Ok(())
}
