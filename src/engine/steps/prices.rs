//! docs/model.md §3 step 9: the effective import rate passes through to
//! consumer prices, item by item of the CPI basket and for the CPI as a
//! whole, spread over the following months by the lag weights (v2), and
//! compared with twelve months before for year-on-year inflation (v2).

use rust_decimal::Decimal;

use super::super::arith::{Arith, Impact};
use super::super::explain::Line;
use super::super::metrics::{Core, MetricId, LIST_V2};
use super::super::plan::{Layout, Plan};
use super::super::state::{Month, State, Work, IMPACT_MONTHS};
use crate::model::{List, ParamId};

/// One item's price impact.
pub const ITEM: &str = "round4(100 × import_content × pass_through × de)";
/// The CPI impact.
pub const CPI: &str = "round4(100 × Σ weight × import_content × pass_through × de)";
/// The move of the effective rate (v1: no lags).
pub const MOVE: &str = "effective / reference_rate − 1 (not rounded; shown to 8 places)";
/// The move passed on this month (v2 lags).
pub const LAGGED: &str =
    "Σ lag_weight[k] × (effective / reference_rate − 1) k months back (not rounded; shown to 8 places)";
/// Year-on-year CPI inflation (v2).
pub const YOY: &str =
    "round4(100 × ((1 + underlying_inflation_pct / 100) × (1 + I) / (1 + I twelve months back) − 1))";

/// Step 9: price impacts; `yoy` when `cpi_yoy_pct` is wanted.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(in crate::engine) fn prices<A: Arith>(a: &mut A, w: &mut Work<'_, A::V>) -> Result<(), A::E> {
    let yoy = w.yoy;
    let Work { plan, s, m, .. } = w;
    a.context("the price impact");
    let l = &plan.layout;
    let lags = &plan.lags;
    let items = (0..l.len(List::Basket)).any(|i| a.wants(MetricId::PriceImpact(i)));
    let cpi = a.wants(MetricId::Core(Core::CpiImpactPct));
    let recording = a.recording();
    if !(items || cpi || yoy || lags.len() > 1 || recording) {
        return Ok(());
    }
    let reference = a.param(l.at(ParamId::ReferenceRate));
    let gap = a.sub(m.effective, reference)?;
    let (num, den) = lagged_move(a, plan, s, gap, reference)?;
    let mut exposures = Vec::new();
    for i in 0..l.len(List::Basket) {
        if a.wants(MetricId::PriceImpact(i)) || recording {
            let (_, ic, pt) = item(l, i);
            let (ic, pt) = (a.param(ic), a.param(pt));
            let exposure = a.mul(ic, pt)?;
            let x = a.impact(&Impact { exposure, num, den })?;
            a.emit(MetricId::PriceImpact(i), x)?;
            exposures.push(x);
        }
    }
    if cpi || yoy || recording {
        let mut exposure = a.int(0);
        for i in 0..l.len(List::Basket) {
            let (w, ic, pt) = item(l, i);
            let (w, ic, pt) = (a.param(w), a.param(ic), a.param(pt));
            let x = a.mul(w, ic)?;
            let x = a.mul(x, pt)?;
            exposure = a.add(exposure, x)?;
        }
        let now = Impact { exposure, num, den };
        let cpi = a.impact(&now)?;
        a.emit(MetricId::Core(Core::CpiImpactPct), cpi)?;
        let yoy_value = if yoy {
            Some(year_on_year(a, plan, s, now)?)
        } else {
            None
        };
        if recording {
            record_prices(a, plan, m, (num, den), &exposures, cpi, yoy_value);
        }
    }
    Ok(())
}

/// The move of the effective rate passed on this month, `de = Σ_k w_k ·
/// gap_{t−k} / reference_{t−k}`, as one fraction `(num, den)`; this
/// month's `(gap, reference)` joins the moves later months' lags read.
#[cfg_attr(not(debug_assertions), inline(always))]
fn lagged_move<A: Arith>(
    a: &mut A,
    plan: &Plan<'_>,
    s: &mut State<A::V>,
    gap: A::V,
    reference: A::V,
) -> Result<(A::V, A::V), A::E> {
    let lags = &plan.lags;
    let de = if lags.len() == 1 && lags[0] == Decimal::ONE {
        (gap, reference)
    } else {
        let mut terms = Vec::with_capacity(lags.len());
        terms.push((a.decimal(lags[0]), gap, reference));
        for (k, weight) in lags.iter().enumerate().skip(1) {
            let Some(&(g, r)) = s.moves.len().checked_sub(k).and_then(|at| s.moves.get(at)) else {
                break;
            };
            terms.push((a.decimal(*weight), g, r));
        }
        a.lagged(&terms)?
    };
    if lags.len() > 1 {
        s.moves.push((gap, reference));
        if s.moves.len() >= lags.len() {
            s.moves.remove(0);
        }
    }
    Ok(de)
}

/// Year-on-year CPI inflation (v2) from this month's impact `now` and the
/// one twelve months back, which `now` joins.
#[cfg_attr(not(debug_assertions), inline(always))]
fn year_on_year<A: Arith>(
    a: &mut A,
    plan: &Plan<'_>,
    s: &mut State<A::V>,
    now: Impact<A::V>,
) -> Result<A::V, A::E> {
    let inflation = match plan.layout.slot(ParamId::UnderlyingInflation) {
        Some(slot) => a.param(slot),
        None => a.int(0),
    };
    let back = s
        .impacts
        .len()
        .checked_sub(12)
        .and_then(|at| s.impacts.get(at))
        .copied();
    let y = a.yoy(inflation, &now, back.as_ref())?;
    a.emit(MetricId::Core(Core::CpiYoyPct), y)?;
    s.impacts.push(now);
    if s.impacts.len() > IMPACT_MONTHS {
        s.impacts.remove(0);
    }
    Ok(y)
}

/// `n / d − minus` to 8 places for an explain line, never a panic: a
/// quotient past the largest decimal (a reference rate near 0 under an
/// extreme effective rate) is shown as the largest decimal of its sign.
fn shown_ratio(n: Decimal, d: Decimal, minus: Decimal) -> Decimal {
    let saturated = || {
        if n.is_sign_negative() == d.is_sign_negative() {
            Decimal::MAX
        } else {
            Decimal::MIN
        }
    };
    match n.checked_div(d) {
        Some(q) => q.checked_sub(minus).unwrap_or_else(saturated).round_dp(8),
        None if d.is_zero() => Decimal::ZERO,
        None => saturated(),
    }
}

/// The lines of step 9 for `explain`.
fn record_prices<A: Arith>(
    a: &mut A,
    plan: &Plan<'_>,
    m: &Month<A::V>,
    de: (A::V, A::V),
    items: &[A::V],
    cpi: A::V,
    yoy: Option<A::V>,
) {
    let l = &plan.layout;
    let basket = &plan.model.base.prices.basket;
    let reference = a.param(l.at(ParamId::ReferenceRate));
    let shares: Vec<(A::V, A::V, A::V)> = (0..l.len(List::Basket))
        .map(|i| {
            let (w, ic, pt) = item(l, i);
            (a.param(w), a.param(ic), a.param(pt))
        })
        .collect();
    let inflation = l.slot(ParamId::UnderlyingInflation).map(|slot| a.param(slot));
    let v = |x| a.show(x);
    let mut lines = vec![de_line(plan, (v(m.effective), v(reference)), (v(de.0), v(de.1)))];
    let mut used = vec![ParamId::ReferenceRate];
    let mut terms = Vec::new();
    let mut args = Vec::new();
    for (k, &(w, ic, pt)) in shares.iter().enumerate() {
        let (w, ic, pt) = (v(w), v(ic), v(pt));
        let name = format!("price_impact[{}]", basket[k].name);
        let template = "round4(100 × {} × {} × de)";
        lines.push(
            Line::new(name, ITEM, template, vec![ic, pt], v(items[k])).metric(MetricId::PriceImpact(k)),
        );
        terms.push("{} × {} × {}");
        args.extend([w, ic, pt]);
        used.extend([
            ParamId::ItemWeight(k),
            ParamId::ItemImportContent(k),
            ParamId::ItemPassThrough(k),
        ]);
    }
    let template = format!("round4(100 × ({}) × de)", terms.join(" + "));
    lines.push(Line::new("cpi_impact_pct", CPI, template, args, v(cpi)).core(Core::CpiImpactPct));
    // A v2 metric: shown once v2's metrics are listed.
    if let Some(y) = yoy.filter(|_| LIST_V2) {
        let inflation = inflation.map_or(Decimal::ZERO, v);
        let template = "round4(100 × ((1 + {} / 100) × (1 + I) / (1 + I twelve months back) − 1))";
        lines.push(Line::new("cpi_yoy_pct", YOY, template, vec![inflation], v(y)).core(Core::CpiYoyPct));
    }
    let title = "Prices: the effective rate passes through to the CPI basket";
    super::record(a, lines, 9, title, used);
}

/// The line of `de`, the move of the effective rate: this month's
/// `(effective, reference)` without lags (v1), else the lagged fraction
/// `(num, den)`.
fn de_line(
    plan: &Plan<'_>,
    (effective, reference): (Decimal, Decimal),
    (num, den): (Decimal, Decimal),
) -> Line {
    if plan.lags.len() == 1 && plan.lags[0] == Decimal::ONE {
        let value = shown_ratio(effective, reference, Decimal::ONE);
        Line::new("de", MOVE, "{} / {} − 1", vec![effective, reference], value)
    } else {
        Line::new(
            "de",
            LAGGED,
            "{} / {}",
            vec![num, den],
            shown_ratio(num, den, Decimal::ZERO),
        )
    }
}

/// The slots of basket item `i`: weight, import content, pass-through.
fn item(l: &Layout, i: usize) -> (usize, usize, usize) {
    (
        l.at(ParamId::ItemWeight(i)),
        l.at(ParamId::ItemImportContent(i)),
        l.at(ParamId::ItemPassThrough(i)),
    )
}
