//! docs/model.md §3 step 4: banknotes flown from New York to Baghdad, the
//! flights they need, and what the flights cost the treasury.

use super::super::arith::Arith;
use super::super::explain::Line;
use super::super::metrics::{Core, MetricId};
use super::super::state::{pay_out, Month, Work};
use crate::ledger::{Account, Step};
use crate::model::ParamId;

/// `shipped = min(cash_usd_per_month, avail)`.
pub const SHIPPED: &str = "min(cash_usd_per_month, available)";
/// Whole planes, counted in cents.
pub const FLIGHTS: &str = "ceil(shipped / plane_capacity_usd)";
/// What the flights cost.
pub const COST: &str = "flights × (transport + security) + round2(insurance_rate × shipped)";
/// The cost is paid as far as custody allows; the rest is arrears.
pub const COST_PAID: &str = "min(cost, available − shipped)";

/// Step 4: the airlift.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn airlift<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let Work { plan, s, m, .. } = w;
    a.context("the airlift");
    let l = &plan.layout;
    let available = s.custody;
    let cash = a.param(l.at(ParamId::CashPerMonth));
    let capacity = a.param(l.at(ParamId::PlaneCapacity));
    let (transport, security) = (
        a.param(l.at(ParamId::TransportPerFlight)),
        a.param(l.at(ParamId::SecurityPerFlight)),
    );
    let rate = a.param(l.at(ParamId::InsuranceRate));
    a.aside_cash_asked(cash);
    m.shipped = a.min(cash, available);
    let flights = a.flights(m.shipped, capacity)?;
    let per_flight = a.add(transport, security)?;
    let insurance = a.mul_round(rate, m.shipped, 2)?;
    let fixed = a.mul(flights, per_flight)?;
    let cost = a.add(fixed, insurance)?;
    a.post(Account::Custody, Account::Vault, m.shipped, Step::Airlift)?;
    s.custody = a.sub(s.custody, m.shipped)?;
    s.vault = a.add(s.vault, m.shipped)?;
    m.cost_paid = a.min(cost, s.custody);
    pay_out(a, s, Account::AirliftCosts, m.cost_paid, Step::AirliftCost)?;
    let unpaid = a.sub(cost, m.cost_paid)?;
    let arrears_before = m.arrears;
    m.arrears = a.add(m.arrears, unpaid)?;
    a.emit(MetricId::Core(Core::CashShipped), m.shipped)?;
    a.emit(MetricId::Core(Core::Flights), flights)?;
    a.emit(MetricId::Core(Core::AirliftCost), m.cost_paid)?;
    if a.recording() {
        let r = Record {
            available,
            cash,
            capacity,
            flights,
            per_flight: (transport, security),
            insurance: (rate, insurance),
            fixed,
            cost,
            arrears_before,
        };
        record_airlift(a, m, &r);
    }
    Ok(())
}

/// The values step 4's record shows besides the month's.
struct Record<V> {
    available: V,
    cash: V,
    capacity: V,
    flights: V,
    /// Transport and security, per flight.
    per_flight: (V, V),
    /// The insurance rate and the premium on what was shipped.
    insurance: (V, V),
    fixed: V,
    cost: V,
    arrears_before: V,
}

/// The lines of step 4 for `explain`.
fn record_airlift<A: Arith>(a: &mut A, m: &Month<A::V>, r: &Record<A::V>) {
    let v = |x| a.show(x);
    let (available, shipped, cost, paid) = (v(r.available), v(m.shipped), v(r.cost), v(m.cost_paid));
    let (flights, transport, security) = (v(r.flights), v(r.per_flight.0), v(r.per_flight.1));
    let (rate, insurance, fixed) = (v(r.insurance.0), v(r.insurance.1), v(r.fixed));
    let (cash, capacity, before, arrears) = (v(r.cash), v(r.capacity), v(r.arrears_before), v(m.arrears));
    let vault_open = v(m.vault_open);
    let vault = if m.i == 0 {
        "airlift.vault_opening_usd + shipped"
    } else {
        "vault at the end of last month + shipped"
    };
    let cost_args = vec![flights, transport, security, rate, shipped, fixed, insurance];
    let arrears_formula = "unpaid payments + (cost − cost_paid)";
    #[rustfmt::skip]
    let lines = [
        Line::new("available", "custody after payments", "{}", vec![available], available),
        Line::new("shipped", SHIPPED, "min({}, {})", vec![cash, available], shipped).core(Core::CashShipped),
        Line::new("flights", FLIGHTS, "ceil({} / {})", vec![shipped, capacity], flights).core(Core::Flights),
        Line::new("cost", COST, "{} × ({} + {}) + round2({} × {}) = {} + {}", cost_args, cost),
        Line::new("cost_paid", COST_PAID, "min({}, {})", vec![cost, available - shipped], paid).core(Core::AirliftCost),
        Line::new("arrears", arrears_formula, "{} + ({} − {})", vec![before, cost, paid], arrears).core(Core::Arrears),
        Line::new("vault", vault, "{} + {}", vec![vault_open, shipped], vault_open + shipped),
    ];
    let mut used = vec![
        ParamId::CashPerMonth,
        ParamId::PlaneCapacity,
        ParamId::TransportPerFlight,
        ParamId::SecurityPerFlight,
        ParamId::InsuranceRate,
    ];
    if m.i == 0 {
        used.push(ParamId::VaultOpening);
    }
    super::record(
        a,
        lines,
        4,
        "Airlift: banknotes flown to the vault in Baghdad",
        used,
    );
}
