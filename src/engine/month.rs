//! docs/model.md §3, month by month, written once for every backend: the order
//! of the steps and the ledger identity checked at the end. What a month
//! hands on to the next is in `state.rs`, the steps themselves in `steps/`.

use super::arith::Arith;
use super::metrics::{Core, MetricId};
use super::plan::Plan;
use super::state::{Month, State, Work, IMPACT_MONTHS};
use super::steps;
use crate::model::{ParamId, Part};

/// Runs one step of the month, `$f(a, w)`, through [`Arith::step`] as a
/// closure marked to inline, so that the lane backend compiles the whole
/// step for the processor's instruction set (a function passed as a value
/// would be called through a shim compiled without it).
macro_rules! step {
    ($a:expr, $w:expr, $f:path) => {
        $a.step(
            #[cfg_attr(not(debug_assertions), inline(always))]
            |a| $f(a, $w),
        )
    };
}

/// Runs every month of `plan` on `a`: docs/model.md §3 steps 1–9 in order,
/// then the ledger identity.
pub fn run<A: Arith>(a: &mut A, plan: &Plan<'_>) -> Result<(), A::E> {
    let l = &plan.layout;
    let yoy = plan.has(Part::Market) && a.wants(MetricId::Core(Core::CpiYoyPct));
    let mut s = opening(a, plan, yoy)?;
    let zero = a.int(0);
    a.reserve(s.homes());
    for (i, info) in plan.months.iter().enumerate() {
        a.begin_month(i);
        if i == 0 {
            s.prev_parallel = l.slot(ParamId::OpeningParallel).map(|slot| a.param(slot));
        }
        let mut m = Month::new(i, *info, &s, zero);
        let mut w = Work {
            plan,
            s: &mut s,
            m: &mut m,
            yoy,
        };
        step!(a, &mut w, steps::flows::revenue)?;
        step!(a, &mut w, steps::flows::deductions)?;
        step!(a, &mut w, steps::flows::payments)?;
        if plan.has(Part::Airlift) {
            step!(a, &mut w, steps::airlift::airlift)?;
        }
        a.emit(MetricId::Core(Core::Arrears), w.m.arrears)?;
        if plan.has(Part::Market) {
            step!(a, &mut w, steps::auction::requests)?;
            step!(a, &mut w, steps::auction::settlement)?;
            step!(a, &mut w, steps::market::parallel)?;
            step!(a, &mut w, steps::market::effective)?;
            step!(a, &mut w, steps::prices::prices)?;
        }
        a.emit(MetricId::Core(Core::CustodyBalance), s.custody)?;
        if plan.has(Part::Airlift) {
            a.emit(MetricId::Core(Core::VaultBalance), s.vault)?;
        }
        s.keep(a);
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

/// What the first month opens with: the balances before its changes,
/// nothing flowed yet, nothing remembered; `yoy` when `cpi_yoy_pct` is
/// wanted (its months of impacts are then kept).
#[cfg_attr(not(debug_assertions), inline(always))]
fn opening<A: Arith>(a: &mut A, plan: &Plan<'_>, yoy: bool) -> Result<State<A::V>, A::E> {
    let l = &plan.layout;
    let custody = a.param(l.at(ParamId::OpeningBalance));
    let vault = if plan.has(Part::Airlift) {
        a.param(l.at(ParamId::VaultOpening))
    } else {
        a.int(0)
    };
    let opening = a.add(custody, vault)?;
    let zero = a.int(0);
    Ok(State {
        custody,
        vault,
        opening,
        gross_total: zero,
        outflows: zero,
        prev_parallel: None,
        anchor: None,
        moves: Vec::new(),
        impacts: Vec::new(),
        lags: plan.lags.len(),
        impact_months: if yoy { IMPACT_MONTHS } else { 0 },
    })
}
