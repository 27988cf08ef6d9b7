//! docs/model.md §3 steps 1–3: oil revenue by buyer into custody, the
//! deductions taken off gross revenue, and the government's payments
//! abroad. Every model has these (a flow-only model has nothing else).

use super::super::arith::Arith;
use super::super::explain::Line;
use super::super::metrics::{Core, MetricId};
use super::super::state::Work;
use crate::ledger::{Account, Step};
use crate::model::ParamId;

/// Step 1: `gross_b = round2(volume_bpd × days × share_b × (price + offset_b))`.
pub const GROSS: &str = "round2(volume_bpd × days × share × (price + offset))";
/// Step 2: `ded_d = round2(rate_d × gross)`.
pub const DEDUCTION: &str = "round2(rate × gross)";
/// Step 3: `paid_p = min(usd_per_month_p, avail)`.
pub const PAID: &str = "min(usd_per_month, available)";

/// Step 1: each buyer pays into custody.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn revenue<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let Work { plan, s, m, .. } = w;
    a.context("gross revenue");
    let l = &plan.layout;
    let buyers = &plan.model.base.exports.buyers;
    let volume = a.param(l.at(ParamId::VolumeBpd));
    let days = a.int(i64::from(m.info.days));
    let base = a.mul(volume, days)?;
    let price = a.param(l.at(ParamId::Price));
    for (b, buyer) in buyers.iter().enumerate() {
        let share = a.param(l.at(ParamId::BuyerShare(b)));
        let offset = a.param(l.at(ParamId::BuyerOffset(b)));
        let p = a.add(price, offset)?;
        let g = a.product_round(&[base, share, p], 2)?;
        a.post(Account::Buyer(b), Account::Custody, g, Step::Revenue)?;
        m.gross = a.add(m.gross, g)?;
        if a.wants(MetricId::Revenue(b)) {
            a.emit(MetricId::Revenue(b), g)?;
        }
        if a.recording() {
            let args = [volume, days, share, price, offset, g].map(|x| a.show(x));
            let (name, template) = (
                format!("gross[{}]", buyer.name),
                "round2({} × {} × {} × ({} + {}))",
            );
            let line = Line::new(name, GROSS, template, args[..5].to_vec(), args[5]);
            a.record(line.metric(MetricId::Revenue(b)));
            m.gross_by_buyer.push(g);
        }
    }
    s.custody = a.add(s.custody, m.gross)?;
    s.gross_total = a.add(s.gross_total, m.gross)?;
    a.emit(MetricId::Core(Core::GrossRevenue), m.gross)?;
    if a.recording() {
        let terms = m.gross_by_buyer.iter().map(|g| a.show(*g)).collect();
        let gross = a.show(m.gross);
        let line = Line::sum("gross", "Σ gross[buyer]", terms, gross).core(Core::GrossRevenue);
        let mut used = vec![ParamId::VolumeBpd, ParamId::Price];
        for b in 0..buyers.len() {
            used.extend([ParamId::BuyerShare(b), ParamId::BuyerOffset(b)]);
        }
        super::record(a, [line], 1, "Revenue: each buyer pays into custody", used);
    }
    Ok(())
}

/// Step 2: deductions come off gross revenue, in file order.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn deductions<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let Work { plan, s, m, .. } = w;
    a.context("deductions");
    let list = &plan.model.base.deductions;
    let mut by = Vec::new();
    for (d, deduction) in list.iter().enumerate() {
        let rate = a.param(plan.layout.at(ParamId::DeductionRate(d)));
        let x = a.mul_round(rate, m.gross, 2)?;
        a.post(Account::Custody, Account::Deduction(d), x, Step::Deduction)?;
        m.deductions = a.add(m.deductions, x)?;
        if a.wants(MetricId::Deduction(d)) {
            a.emit(MetricId::Deduction(d), x)?;
        }
        if a.recording() {
            let args = [rate, m.gross, x].map(|v| a.show(v));
            let name = format!("deduction[{}]", deduction.name);
            let line = Line::new(name, DEDUCTION, "round2({} × {})", args[..2].to_vec(), args[2]);
            a.record(line.metric(MetricId::Deduction(d)));
            by.push(x);
        }
    }
    s.custody = a.sub(s.custody, m.deductions)?;
    s.outflows = a.add(s.outflows, m.deductions)?;
    m.net = a.sub(m.gross, m.deductions)?;
    a.emit(MetricId::Core(Core::Deductions), m.deductions)?;
    a.emit(MetricId::Core(Core::NetRevenue), m.net)?;
    if a.recording() {
        let terms = by.iter().map(|x| a.show(*x)).collect();
        let (gross, deductions, net) = (a.show(m.gross), a.show(m.deductions), a.show(m.net));
        let used = (0..list.len()).map(ParamId::DeductionRate).collect();
        #[rustfmt::skip]
        let lines = [
            Line::sum("deductions", "Σ deduction", terms, deductions).core(Core::Deductions),
            Line::new("net", "gross − deductions", "{} − {}", vec![gross, deductions], net).core(Core::NetRevenue),
        ];
        super::record(a, lines, 2, "Deductions taken off gross revenue", used);
    }
    Ok(())
}

/// Step 3: government payments abroad, each capped by the balance.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn payments<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let Work { plan, s, m, .. } = w;
    a.context("payments");
    let list = &plan.model.base.custody.payments;
    let recording = a.recording();
    let mut used = Vec::new();
    let mut available = rust_decimal::Decimal::ZERO;
    if recording {
        let (open, net) = (a.show(m.custody_open), a.show(m.net));
        let formula = if m.i == 0 {
            used.push(ParamId::OpeningBalance);
            "custody.opening_balance_usd + net"
        } else {
            "custody at the end of last month + net"
        };
        available = open + net;
        a.record(Line::new(
            "available",
            formula,
            "{} + {}",
            vec![open, net],
            available,
        ));
    }
    for (k, payment) in list.iter().enumerate() {
        let due = a.param(plan.layout.at(ParamId::PaymentUsd(k)));
        let paid = a.min(due, s.custody);
        a.post(Account::Custody, Account::Payment(k), paid, Step::Payment)?;
        s.custody = a.sub(s.custody, paid)?;
        m.payments = a.add(m.payments, paid)?;
        let short = a.sub(due, paid)?;
        m.arrears = a.add(m.arrears, short)?;
        if a.wants(MetricId::Payment(k)) {
            a.emit(MetricId::Payment(k), paid)?;
        }
        if recording {
            let (due, paid_d) = (a.show(due), a.show(paid));
            let name = format!("paid[{}]", payment.name);
            let line = Line::new(name, PAID, "min({}, {})", vec![due, available], paid_d);
            a.record(line.metric(MetricId::Payment(k)));
            available -= paid_d;
            used.push(ParamId::PaymentUsd(k));
            m.paid_by.push(paid);
        }
    }
    s.outflows = a.add(s.outflows, m.payments)?;
    a.emit(MetricId::Core(Core::Payments), m.payments)?;
    if recording {
        let terms = m.paid_by.iter().map(|x| a.show(*x)).collect();
        let payments = a.show(m.payments);
        let line = Line::sum("payments", "Σ paid", terms, payments).core(Core::Payments);
        super::record(a, [line], 3, "Government payments out of custody", used);
    }
    Ok(())
}
