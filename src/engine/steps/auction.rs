//! docs/model.md §3 steps 5–6: the CBI dollar auction. Banks' requests are
//! split into banknotes and wire transfers, the compliance platform rejects
//! a share of the wires (bank by bank when the model lists banks), and what
//! is approved is settled from the vault and from custody; whatever is not
//! settled is unmet demand.

use chrono::Datelike;

use super::super::arith::Arith;
use super::super::explain::Line;
use super::super::metrics::{Core, MetricId};
use super::super::plan::Plan;
use super::super::state::{Month, State, Work};
use crate::ledger::{Account, Step};
use crate::model::{List, ParamId};

/// `requests = requests_usd_per_day × sessions`.
pub const REQUESTS: &str = "requests_usd_per_day × sessions";
/// `cash_req = round2(cash_share × requests)`.
pub const CASH_REQ: &str = "round2(cash_share × requests)";
/// Rejected wires without banks.
pub const REJECTED: &str = "round2(rejection_rate × wires_req)";
/// Rejected wires of one bank.
pub const REJECTED_BANK: &str = "round2(rejection_rate × round2(share × wires_req))";
/// What was not settled.
pub const UNMET: &str = "rejected + (cash_req − cash_sold) + (approved_req − wires_sent)";
/// Dinars taken out of circulation by the sales.
pub const DINARS: &str = "round2((cash_sold + wires_sent) × official_rate)";

/// Step 5: the month's requests and how screening treats them.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn requests<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let Work { plan, m, .. } = w;
    a.context("the auction requests");
    let l = &plan.layout;
    let per_day = a.param(l.at(ParamId::RequestsPerDay));
    let sessions = a.int(i64::from(m.info.sessions));
    let requests = a.mul(per_day, sessions)?;
    let cash_share = a.param(l.at(ParamId::CashShare));
    m.cash_req = a.mul_round(cash_share, requests, 2)?;
    let wires_req = a.sub(requests, m.cash_req)?;
    a.aside_wire_requests(wires_req);
    let rate = a.param(l.at(ParamId::RejectionRate));
    let mut bank_lines = Vec::new();
    m.rejected = if l.len(List::Banks) == 0 {
        a.mul_round(rate, wires_req, 2)?
    } else {
        rejected_by_bank(a, plan, wires_req, &mut bank_lines)?
    };
    m.approved = a.sub(wires_req, m.rejected)?;
    a.emit(MetricId::Core(Core::Sessions), sessions)?;
    a.emit(MetricId::Core(Core::Requests), requests)?;
    a.emit(MetricId::Core(Core::WiresRejected), m.rejected)?;
    if a.recording() {
        let r = Requests {
            per_day,
            requests,
            cash_share,
            wires_req,
            rate,
        };
        record_requests(a, plan, m, &r, bank_lines);
    }
    Ok(())
}

/// The wires screening rejects bank by bank: `Σ round2(rejection_rate ×
/// round2(share × wires_req))`, each bank's line in `lines` when recording.
#[cfg_attr(not(debug_assertions), inline(always))]
fn rejected_by_bank<A: Arith>(
    a: &mut A,
    plan: &Plan<'_>,
    wires_req: A::V,
    lines: &mut Vec<Line>,
) -> Result<A::V, A::E> {
    let banks = &plan.model.base.auction.banks;
    let mut total = a.int(0);
    for (k, bank) in banks.iter().enumerate() {
        let share = a.param(plan.layout.at(ParamId::BankShare(k)));
        let rate = a.param(plan.layout.at(ParamId::BankRejectionRate(k)));
        let bank_req = a.mul_round(share, wires_req, 2)?;
        let x = a.mul_round(rate, bank_req, 2)?;
        total = a.add(total, x)?;
        if a.recording() {
            let args = [rate, share, wires_req, x].map(|v| a.show(v));
            let name = format!("rejected[{}]", bank.name);
            let template = "round2({} × round2({} × {}))";
            lines.push(Line::new(
                name,
                REJECTED_BANK,
                template,
                args[..3].to_vec(),
                args[3],
            ));
        }
    }
    Ok(total)
}

/// The values step 5's record shows besides the month's.
struct Requests<V> {
    per_day: V,
    requests: V,
    cash_share: V,
    wires_req: V,
    rate: V,
}

/// The lines of step 5 for `explain`, with each bank's rejected wires in
/// `bank_lines` (none without banks).
fn record_requests<A: Arith>(
    a: &mut A,
    plan: &Plan<'_>,
    m: &Month<A::V>,
    r: &Requests<A::V>,
    bank_lines: Vec<Line>,
) {
    let banks = &plan.model.base.auction.banks;
    let v = |x| a.show(x);
    let sessions = i64::from(m.info.sessions);
    let (per_day, requests, share, cash_req) = (v(r.per_day), v(r.requests), v(r.cash_share), v(m.cash_req));
    let (wires, rejected, approved, rate) = (v(r.wires_req), v(m.rejected), v(m.approved), v(r.rate));
    #[rustfmt::skip]
    let mut lines = vec![
        sessions_line(plan, m),
        Line::new("requests", REQUESTS, "{} × {}", vec![per_day, sessions.into()], requests).core(Core::Requests),
        Line::new("cash_req", CASH_REQ, "round2({} × {})", vec![share, requests], cash_req),
        Line::new("wires_req", "requests − cash_req", "{} − {}", vec![requests, cash_req], wires),
    ];
    let mut used = vec![
        ParamId::RequestsPerDay,
        ParamId::CashShare,
        ParamId::RejectionRate,
    ];
    if banks.is_empty() {
        lines.push(
            Line::new(
                "rejected",
                REJECTED,
                "round2({} × {})",
                vec![rate, wires],
                rejected,
            )
            .core(Core::WiresRejected),
        );
    } else {
        let parts = bank_lines.iter().map(|line| line.value).collect();
        lines.extend(bank_lines);
        for k in 0..banks.len() {
            used.extend([ParamId::BankShare(k), ParamId::BankRejectionRate(k)]);
        }
        lines.push(Line::sum("rejected", "Σ rejected[bank]", parts, rejected).core(Core::WiresRejected));
    }
    lines.push(Line::new(
        "approved_req",
        "wires_req − rejected",
        "{} − {}",
        vec![wires, rejected],
        approved,
    ));
    let title = "Auction requests, screened by the compliance platform";
    super::record(a, lines, 5, title, used);
}

/// Step 5's `sessions`: the month's days less its weekend days and its
/// holidays on other days, each named (`auction.weekend` and
/// `auction.holidays`, which no path changes).
fn sessions_line<V>(plan: &Plan<'_>, m: &Month<V>) -> Line {
    let t = &plan.model.timeline;
    let month = m.info.month;
    let weekend_days = month.dates().filter(|d| t.weekend.contains(&d.weekday())).count();
    let holidays: Vec<String> = month
        .dates()
        .filter(|d| !t.weekend.contains(&d.weekday()) && t.holidays.contains(d))
        .map(|d| d.to_string())
        .collect();
    let weekend: Vec<String> = t.weekend.iter().map(ToString::to_string).collect();
    let mut template = format!("{{}} days − {{}} weekend days ({})", weekend.join(", "));
    let mut args = vec![m.info.days.into(), weekend_days.into()];
    if !holidays.is_empty() {
        template.push_str(&format!(" − {{}} holidays ({})", holidays.join(", ")));
        args.push(holidays.len().into());
    }
    let formula =
        "days of the month not on the auction weekend (auction.weekend) or a holiday (auction.holidays)";
    Line::new("sessions", formula, template, args, m.info.sessions.into())
}

/// Step 6: settlement from the vault and custody.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn settlement<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let Work { plan, s, m, .. } = w;
    a.context("the settlement");
    let vault = s.vault;
    let available = s.custody;
    m.cash_sold = a.min(m.cash_req, s.vault);
    m.wires_sent = a.min(m.approved, s.custody);
    let cash_short = a.sub(m.cash_req, m.cash_sold)?;
    let wires_short = a.sub(m.approved, m.wires_sent)?;
    let unmet = a.add(m.rejected, cash_short)?;
    m.unmet = a.add(unmet, wires_short)?;
    m.official = a.param(plan.layout.at(ParamId::OfficialRate));
    a.post(Account::Vault, Account::MarketCash, m.cash_sold, Step::CashSale)?;
    s.vault = a.sub(s.vault, m.cash_sold)?;
    a.post(
        Account::Custody,
        Account::MarketWires,
        m.wires_sent,
        Step::WireSale,
    )?;
    s.custody = a.sub(s.custody, m.wires_sent)?;
    m.sold = a.add(m.cash_sold, m.wires_sent)?;
    s.outflows = a.add(s.outflows, m.sold)?;
    a.emit(MetricId::Core(Core::CashSold), m.cash_sold)?;
    a.emit(MetricId::Core(Core::WiresSent), m.wires_sent)?;
    a.emit(MetricId::Core(Core::Unmet), m.unmet)?;
    a.emit(MetricId::Core(Core::OfficialRate), m.official)?;
    let wants_sales = a.wants(MetricId::Core(Core::Sales));
    let dinars_wanted = a.wants(MetricId::Core(Core::DinarsAbsorbed));
    if wants_sales || dinars_wanted || a.recording() {
        a.emit(MetricId::Core(Core::Sales), m.sold)?;
        if dinars_wanted || a.recording() {
            let dinars = a.mul_round(m.sold, m.official, 2)?;
            a.emit(MetricId::Core(Core::DinarsAbsorbed), dinars)?;
            if a.recording() {
                record_settlement(a, m, vault, available, dinars, s);
            }
        }
    }
    Ok(())
}

/// The lines of step 6 for `explain`.
fn record_settlement<A: Arith>(
    a: &mut A,
    m: &Month<A::V>,
    vault: A::V,
    available: A::V,
    dinars: A::V,
    s: &State<A::V>,
) {
    let v = |x| a.show(x);
    let (cash_req, vault, cash_sold, available) = (v(m.cash_req), v(vault), v(m.cash_sold), v(available));
    let (approved, wires_sent, rejected, unmet) = (v(m.approved), v(m.wires_sent), v(m.rejected), v(m.unmet));
    let (official, dinars, custody, vault_closing) = (v(m.official), v(dinars), v(s.custody), v(s.vault));
    let unmet_args = vec![rejected, cash_req, cash_sold, approved, wires_sent];
    #[rustfmt::skip]
    let lines = [
        Line::new("cash_sold", "min(cash_req, vault)", "min({}, {})", vec![cash_req, vault], cash_sold).core(Core::CashSold),
        Line::new("available", "custody after payments and airlift", "{}", vec![available], available),
        Line::new("wires_sent", "min(approved_req, available)", "min({}, {})", vec![approved, available], wires_sent).core(Core::WiresSent),
        Line::new("unmet", UNMET, "{} + ({} − {}) + ({} − {})", unmet_args, unmet).core(Core::Unmet),
        Line::new("official_rate", "auction.official_rate_iqd_per_usd", "{}", vec![official], official).core(Core::OfficialRate),
        Line::new("dinars_absorbed", DINARS, "round2(({} + {}) × {})", vec![cash_sold, wires_sent, official], dinars).core(Core::DinarsAbsorbed),
        Line::new("custody_closing", "available − wires_sent", "{} − {}", vec![available, wires_sent], custody).core(Core::CustodyBalance),
        Line::new("vault_closing", "vault − cash_sold", "{} − {}", vec![vault, cash_sold], vault_closing).core(Core::VaultBalance),
    ];
    let title = "Settlement from the vault and custody";
    super::record(a, lines, 6, title, vec![ParamId::OfficialRate]);
}
