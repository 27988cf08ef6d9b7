//! docs/model.md §3 steps 7–8: unmet demand for dollars spills into the
//! parallel market (with street demand that never reaches the auction, and
//! banknotes resold there) and raises the dinar price of the dollar by a
//! constant-elasticity power law, anchored to the official rate and
//! persistent from month to month (docs/model.md v2); the effective import rate
//! blends the official and parallel rates by the dollars bought at each.

use rust_decimal::Decimal;

use super::super::arith::{Arith, RateArgs};
use super::super::explain::{shown, Line};
use super::super::metrics::{Core, MetricId};
use super::super::plan::Plan;
use super::super::state::{Month, Work};
use crate::model::{List, ParamId};

/// Demand on the parallel market (v1 form).
pub const DEMAND: &str = "baseline_turnover + spillover_share × (u − baseline_unmet)";
/// Demand with street demand and resold banknotes (v2).
pub const DEMAND_V2: &str =
    "baseline_turnover + spillover_share × (u − baseline_unmet) + street_demand − cash_resale_share × c";
/// The parallel rate (v1 form).
pub const PARALLEL: &str = "max(round4(baseline_rate × (D / baseline_turnover)^(1 / (demand_elasticity + supply_elasticity))), official_rate); official_rate when D <= 0";
/// The target rate of v2, before persistence.
pub const TARGET: &str = "baseline_rate × (official_rate / anchor_official)^anchor_weight × (D / baseline_turnover)^(1 / (demand_elasticity + supply_elasticity)); official_rate when D <= 0";
/// The target rate of v2 without an anchor (no `anchor_weight`, or 0).
pub const TARGET_UNANCHORED: &str = "baseline_rate × (D / baseline_turnover)^(1 / (demand_elasticity + supply_elasticity)); official_rate when D <= 0";
/// The parallel rate with persistence (v2).
pub const PERSISTENT: &str =
    "max(round4(exp(persistence × ln(last month's parallel) + (1 − persistence) × ln(P*))), official_rate)";
/// The parallel rate with persistence in the first month (v2): the rate
/// before the timeline is the model's opening parallel rate.
pub const PERSISTENT_FIRST: &str =
    "max(round4(exp(persistence × ln(opening_parallel_rate) + (1 − persistence) × ln(P*))), official_rate)";
/// The places `explain` shows a quantity per session in (`u`, `c`, `D`):
/// money, to the cent.
const CENTS: u32 = 2;
/// The places `explain` shows the market's target rate `P*` in.
const RATE_PLACES: u32 = 6;
/// The premium over the official rate.
pub const PREMIUM: &str = "round4(100 × (parallel / official_rate − 1))";
/// The effective import rate.
pub const EFFECTIVE: &str =
    "round4((official_rate × v_off + parallel × v_par) / (v_off + v_par)); official_rate when both are 0";

/// Step 7: the parallel market.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn parallel<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let Work { plan, s, m, .. } = w;
    a.context("the parallel rate");
    let l = &plan.layout;
    let inputs = demand(a, plan, m)?;
    m.official = a.param(l.at(ParamId::OfficialRate));
    if m.i == 0 && l.slot(ParamId::AnchorWeight).is_some() {
        s.anchor = Some(match l.slot(ParamId::AnchorOfficial) {
            Some(slot) => a.param(slot),
            None => m.official,
        });
    }
    let anchor = match (l.slot(ParamId::AnchorWeight), s.anchor) {
        (Some(slot), Some(official)) => Some((a.param(slot), official)),
        _ => None,
    };
    let persistence = l
        .slot(ParamId::Persistence)
        .map(|slot| (a.param(slot), s.prev_parallel));
    let (demand_elasticity, supply_elasticity) = (
        a.param(l.at(ParamId::DemandElasticity)),
        a.param(l.at(ParamId::SupplyElasticity)),
    );
    let baseline_rate = a.param(l.at(ParamId::BaselineRate));
    let args = RateArgs {
        demand: inputs.total,
        base: inputs.base,
        baseline_rate,
        demand_elasticity,
        supply_elasticity,
        official: m.official,
        anchor,
        persistence,
    };
    let rate = a.power_law(&args)?;
    m.parallel = a.max(rate, m.official);
    if l.slot(ParamId::Persistence).is_some() {
        s.prev_parallel = Some(m.parallel);
    }
    a.emit(MetricId::Core(Core::ParallelRate), m.parallel)?;
    let premium = premium(a, m, inputs.street)?;
    if a.recording() {
        record_parallel(a, m, &inputs, &args, premium);
    }
    Ok(())
}

/// Step 7's demand inputs as read this month (street demand and resale
/// only in the models that have them).
struct Demand<V> {
    /// `D · sessions`, exactly.
    total: V,
    /// `baseline_turnover · sessions`, the power law's denominator.
    base: V,
    turnover: V,
    baseline_unmet: V,
    spillover: V,
    street: Option<V>,
    resale: Option<V>,
}

/// Demand on the parallel market times the month's sessions, exactly:
/// turnover·S + spillover·(unmet − baseline_unmet·S) + street·S −
/// resale·cash_sold; with its inputs and `baseline_turnover · S`, the power
/// law's denominator (S = sessions, at least 1).
#[cfg_attr(not(debug_assertions), inline(always))]
fn demand<A: Arith>(a: &mut A, plan: &Plan<'_>, m: &Month<A::V>) -> Result<Demand<A::V>, A::E> {
    let l = &plan.layout;
    let sessions = m.info.sessions;
    let count = a.int(i64::from(sessions.max(1)));
    let zero = a.int(0);
    let unmet = if sessions == 0 { zero } else { m.unmet };
    let turnover = a.param(l.at(ParamId::BaselineTurnover));
    let base = a.mul(turnover, count)?;
    let baseline_unmet = a.param(l.at(ParamId::BaselineUnmet));
    let floor = a.mul(baseline_unmet, count)?;
    let excess = a.sub(unmet, floor)?;
    let spillover = a.param(l.at(ParamId::SpilloverShare));
    let spilled = a.mul(spillover, excess)?;
    let mut demand = a.add(base, spilled)?;
    let street = l.slot(ParamId::StreetDemand).map(|slot| a.param(slot));
    if let Some(street) = street {
        let x = a.mul(street, count)?;
        demand = a.add(demand, x)?;
    }
    let resale = l.slot(ParamId::CashResale).map(|slot| a.param(slot));
    if let Some(resale) = resale {
        let cash = if sessions == 0 { zero } else { m.cash_sold };
        let x = a.mul(resale, cash)?;
        demand = a.sub(demand, x)?;
    }
    Ok(Demand {
        total: demand,
        base,
        turnover,
        baseline_unmet,
        spillover,
        street,
        resale,
    })
}

/// The premium of the parallel rate over the official rate (when wanted
/// or recorded, else zero), and the month's street demand when wanted.
#[cfg_attr(not(debug_assertions), inline(always))]
fn premium<A: Arith>(a: &mut A, m: &Month<A::V>, street: Option<A::V>) -> Result<A::V, A::E> {
    let zero = a.int(0);
    let premium = if a.wants(MetricId::Core(Core::PremiumPct)) || a.recording() {
        let gap = a.sub(m.parallel, m.official)?;
        let hundred = a.int(100);
        let gap = a.mul(gap, hundred)?;
        let premium = a.div4(gap, m.official)?;
        a.emit(MetricId::Core(Core::PremiumPct), premium)?;
        premium
    } else {
        zero
    };
    if a.wants(MetricId::Core(Core::StreetDemand)) {
        let x = match street {
            Some(street) => {
                let sessions = a.int(i64::from(m.info.sessions));
                a.mul(street, sessions)?
            }
            None => zero,
        };
        a.emit(MetricId::Core(Core::StreetDemand), x)?;
    }
    Ok(premium)
}

/// The lines of step 7 for `explain`: `u` and `D` as decimals (the rate
/// itself comes from the exact fraction).
fn record_parallel<A: Arith>(
    a: &mut A,
    m: &Month<A::V>,
    d: &Demand<A::V>,
    r: &RateArgs<A::V>,
    premium: A::V,
) {
    let (mut lines, demand, street_terms) = demand_lines(a, m, d);
    let turnover = a.show(d.turnover);
    let (rate, rate_used) = rate_lines(a, m, r, demand, turnover);
    lines.extend(rate);
    let (parallel, official, premium) = (a.show(m.parallel), a.show(m.official), a.show(premium));
    let args = vec![parallel, official];
    lines.push(
        Line::new(
            "premium_pct",
            PREMIUM,
            "round4(100 × ({} / {} − 1))",
            args,
            premium,
        )
        .core(Core::PremiumPct),
    );
    // Every parameter the lines' formulas name.
    let mut used = vec![
        ParamId::BaselineRate,
        ParamId::BaselineTurnover,
        ParamId::BaselineUnmet,
        ParamId::SpilloverShare,
    ];
    if street_terms {
        used.extend([ParamId::StreetDemand, ParamId::CashResale]);
    }
    used.extend([
        ParamId::DemandElasticity,
        ParamId::SupplyElasticity,
        ParamId::OfficialRate,
    ]);
    used.extend(rate_used);
    super::record(
        a,
        lines,
        7,
        "Parallel market: unmet demand raises the street rate",
        used,
    );
}

/// Step 7's `u` (and `c`) per session and the demand `D` they make, with
/// `D` as a decimal and whether its formula has v2's street terms
/// (street demand and resold banknotes). Per-session amounts are shown to
/// the cent, and `D`'s numbers use them so shown.
fn demand_lines<A: Arith>(a: &A, m: &Month<A::V>, d: &Demand<A::V>) -> (Vec<Line>, Decimal, bool) {
    let v = |x| a.show(x);
    let sessions = Decimal::from(m.info.sessions);
    let per_session = |x: Decimal| {
        if m.info.sessions == 0 {
            Decimal::ZERO
        } else {
            x.checked_div(sessions).unwrap_or_default()
        }
    };
    let (unmet, turnover, spillover, floor) =
        (v(m.unmet), v(d.turnover), v(d.spillover), v(d.baseline_unmet));
    let u = per_session(unmet);
    let spilled = spillover
        .checked_mul(u.checked_sub(floor).unwrap_or_default())
        .unwrap_or_default();
    let demand = turnover.checked_add(spilled).unwrap_or_default();
    let street = d.street.map(v).filter(|x| !x.is_zero());
    let resale = d.resale.map(v).filter(|x| !x.is_zero());
    let u_line = Line::new(
        "u",
        "unmet / sessions (0 without sessions)",
        "{} / {}",
        vec![unmet, sessions],
        u,
    )
    .shown_to(CENTS);
    let shown_u = shown(u, CENTS);
    if street.is_none() && resale.is_none() {
        let args = vec![turnover, spillover, shown_u, floor];
        let d_line = Line::new("D", DEMAND, "{} + {} × ({} − {})", args, demand).shown_to(CENTS);
        return (vec![u_line, d_line], demand, false);
    }
    let cash = v(m.cash_sold);
    let c = per_session(cash);
    let (street, resale) = (street.unwrap_or_default(), resale.unwrap_or_default());
    let demand = demand
        .checked_add(street)
        .and_then(|d| d.checked_sub(resale.checked_mul(c)?))
        .unwrap_or_default();
    let c_formula = "cash_sold / sessions (0 without sessions)";
    let args = vec![
        turnover,
        spillover,
        shown_u,
        floor,
        street,
        resale,
        shown(c, CENTS),
    ];
    let template = "{} + {} × ({} − {}) + {} − {} × {}";
    #[rustfmt::skip]
    let lines = vec![
        u_line,
        Line::new("c", c_formula, "{} / {}", vec![cash, sessions], c).shown_to(CENTS),
        Line::new("D", DEMAND_V2, template, args, demand).shown_to(CENTS),
    ];
    (lines, demand, true)
}

/// Step 7's rate: the v1 power law, or v2's target `P*` and the rate that
/// persists from it; with the v2 parameters their formulas name (the
/// anchor's, persistence, and in the first month the opening rate). `D`
/// is shown to the cent and `P*` to six places.
fn rate_lines<A: Arith>(
    a: &A,
    m: &Month<A::V>,
    r: &RateArgs<A::V>,
    demand: Decimal,
    turnover: Decimal,
) -> (Vec<Line>, Vec<ParamId>) {
    let v = |x| a.show(x);
    let (baseline, ed, es) = (v(r.baseline_rate), v(r.demand_elasticity), v(r.supply_elasticity));
    let (official, parallel) = (v(m.official), v(m.parallel));
    let anchor = r.anchor.map(|(w, o)| (v(w), v(o))).filter(|(w, _)| !w.is_zero());
    let persistence = r
        .persistence
        .map(|(w, p)| (v(w), p.map(v)))
        .filter(|(w, p)| !w.is_zero() && p.is_some());
    let shown_demand = shown(demand, CENTS);
    if anchor.is_none() && persistence.is_none() {
        let args = vec![baseline, shown_demand, turnover, ed, es, official];
        let template = "max(round4({} × ({} / {})^(1 / ({} + {}))), {})";
        let line = Line::new("parallel", PARALLEL, template, args, parallel).core(Core::ParallelRate);
        return (vec![line], Vec::new());
    }
    let mut used = Vec::new();
    // The step's own P*: the double it computed, as its shortest
    // decimal (the official rate when D <= 0).
    let target = a.target().unwrap_or(official);
    let formula = if anchor.is_some() {
        TARGET
    } else {
        TARGET_UNANCHORED
    };
    let target_line = match anchor {
        _ if demand <= Decimal::ZERO => Line::new(
            "P*",
            formula,
            "official_rate (D <= 0) = {}",
            vec![official],
            target,
        ),
        Some((w, o)) => {
            used.extend([ParamId::AnchorWeight, ParamId::AnchorOfficial]);
            let args = vec![baseline, official, o, w, shown_demand, turnover, ed, es];
            let template = "{} × ({} / {})^{} × ({} / {})^(1 / ({} + {}))";
            Line::new("P*", formula, template, args, target)
        }
        None => {
            let args = vec![baseline, shown_demand, turnover, ed, es];
            let template = "{} × ({} / {})^(1 / ({} + {}))";
            Line::new("P*", formula, template, args, target)
        }
    };
    let shown_target = shown(target, RATE_PLACES);
    let rate_line = match persistence {
        Some((lambda, Some(prev))) => {
            used.push(ParamId::Persistence);
            // In the first month last month's rate is the opening one.
            let first = m.i == 0;
            if first {
                used.push(ParamId::OpeningParallel);
            }
            let args = vec![lambda, prev, lambda, shown_target, official];
            let template = "max(round4(exp({} × ln({}) + (1 − {}) × ln({}))), {})";
            let formula = if first { PERSISTENT_FIRST } else { PERSISTENT };
            Line::new("parallel", formula, template, args, parallel)
        }
        _ => {
            let args = vec![shown_target, official];
            Line::new(
                "parallel",
                "max(round4(P*), official_rate)",
                "max(round4({}), {})",
                args,
                parallel,
            )
        }
    };
    let lines = vec![
        target_line.shown_to(RATE_PLACES),
        rate_line.core(Core::ParallelRate),
    ];
    (lines, used)
}

/// Step 8: the effective import rate.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn effective<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let Work { plan, m, .. } = w;
    a.context("the effective rate");
    let l = &plan.layout;
    let wanted = [Core::EffectiveRate, Core::CpiImpactPct, Core::CpiYoyPct]
        .iter()
        .any(|c| a.wants(MetricId::Core(*c)))
        || (0..l.len(List::Basket)).any(|i| a.wants(MetricId::PriceImpact(i)))
        || plan.lags.len() > 1
        || a.recording();
    if !wanted {
        return Ok(());
    }
    let spillover = a.param(l.at(ParamId::SpilloverShare));
    let v_off = m.sold;
    // (Room for the street term: no reallocation in a month's loop.)
    let mut v_par = Vec::with_capacity(2);
    v_par.push((spillover, m.unmet));
    if let Some(slot) = l.slot(ParamId::StreetDemand) {
        let street = a.param(slot);
        let sessions = a.int(i64::from(m.info.sessions));
        v_par.push((street, sessions));
    }
    m.effective = a.effective(m.official, m.parallel, v_off, &v_par)?;
    a.emit(MetricId::Core(Core::EffectiveRate), m.effective)?;
    if a.recording() {
        record_effective(a, m, &v_par);
    }
    Ok(())
}

/// The lines of step 8 for `explain`, with the parallel-market volume's
/// terms `v_par` (spillover × unmet, then street demand × sessions).
fn record_effective<A: Arith>(a: &mut A, m: &Month<A::V>, v_par: &[(A::V, A::V)]) {
    let v = |x| a.show(x);
    let (cash, wires, official) = (v(m.cash_sold), v(m.wires_sent), v(m.official));
    let (parallel, effective) = (v(m.parallel), v(m.effective));
    let v_off = cash + wires;
    let terms: Vec<(Decimal, Decimal)> = v_par.iter().map(|(x, y)| (v(*x), v(*y))).collect();
    let street = terms.get(1).filter(|(s, _)| !s.is_zero());
    let (spill, unmet) = terms[0];
    let v_par_line = match street {
        Some((s, n)) => {
            let sum = terms.iter().map(|(x, y)| *x * *y).sum();
            let formula = "spillover_share × unmet + street_demand × sessions";
            Line::new(
                "v_par",
                formula,
                "{} × {} + {} × {}",
                vec![spill, unmet, *s, *n],
                sum,
            )
        }
        None => Line::new(
            "v_par",
            "spillover_share × unmet",
            "{} × {}",
            vec![spill, unmet],
            spill * unmet,
        ),
    };
    // v_par is spillover × unmet exactly, shown to the cent.
    let v_par_line = v_par_line.shown_to(CENTS);
    let v_par = shown(v_par_line.value, CENTS);
    let args = vec![official, v_off, parallel, v_par, v_off, v_par];
    let template = "round4(({} × {} + {} × {}) / ({} + {}))";
    #[rustfmt::skip]
    let lines = [
        Line::new("v_off", "cash_sold + wires_sent", "{} + {}", vec![cash, wires], v_off),
        v_par_line,
        Line::new("effective", EFFECTIVE, template, args, effective).core(Core::EffectiveRate),
    ];
    let mut used = vec![ParamId::OfficialRate, ParamId::SpilloverShare];
    if street.is_some() {
        used.push(ParamId::StreetDemand);
    }
    super::record(a, lines, 8, "Effective import rate", used);
}
