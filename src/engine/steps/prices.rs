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
    "Σ lag_weight[k] × (effective / reference_rate − 1) k = 0, 1, … months back, 0 before the timeline (not rounded; shown to 8 places)";
/// The CPI impact as a share, for year-on-year inflation (v2).
pub const IMPACT: &str = "Σ weight × import_content × pass_through × de (not rounded; shown to 8 places)";
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
    let ((num, den), lagged) = lagged_move(a, plan, s, gap, reference)?;
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
            let step = Recorded {
                de: (num, den),
                lagged,
                items: exposures,
                exposure,
                cpi,
                yoy: yoy_value,
            };
            record_prices(a, plan, m, &step);
        }
    }
    Ok(())
}

/// `de` as a fraction `(num, den)` with its lag terms `(w_k, gap, reference)`.
type Lagged<V> = ((V, V), Vec<(V, V, V)>);

/// The move of the effective rate passed on this month, `de = Σ_k w_k ·
/// gap_{t−k} / reference_{t−k}`, as one fraction `(num, den)`, with its
/// terms `(w_k, gap, reference)` from this month back (none without lags;
/// fewer than the weights when the rest fall before the timeline); this
/// month's `(gap, reference)` joins the moves later months' lags read.
#[cfg_attr(not(debug_assertions), inline(always))]
fn lagged_move<A: Arith>(
    a: &mut A,
    plan: &Plan<'_>,
    s: &mut State<A::V>,
    gap: A::V,
    reference: A::V,
) -> Result<Lagged<A::V>, A::E> {
    let lags = &plan.lags;
    let mut terms = Vec::new();
    let de = if lags.len() == 1 && lags[0] == Decimal::ONE {
        (gap, reference)
    } else {
        terms.reserve(lags.len());
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
    Ok((de, terms))
}

/// Year-on-year inflation and the impact twelve months back it used.
type YearOnYear<V> = (V, Option<Impact<V>>);

/// Year-on-year CPI inflation (v2) from this month's impact `now` and the
/// one twelve months back, which `now` joins; with the one twelve months
/// back (`None` before the timeline, where it is 0).
#[cfg_attr(not(debug_assertions), inline(always))]
fn year_on_year<A: Arith>(
    a: &mut A,
    plan: &Plan<'_>,
    s: &mut State<A::V>,
    now: Impact<A::V>,
) -> Result<YearOnYear<A::V>, A::E> {
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
    Ok((y, back))
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
        Some(q) => q
            .checked_sub(minus)
            .unwrap_or_else(saturated)
            .round_dp(MOVE_PLACES),
        None if d.is_zero() => Decimal::ZERO,
        None => saturated(),
    }
}

/// What step 9 computed, for its record: `de` as the fraction `(num,
/// den)` with its lag terms, each item's impact, the basket's exposure
/// `Σ weight × import_content × pass_through`, the CPI impact and, when
/// wanted, year-on-year inflation with the impact twelve months back.
struct Recorded<V> {
    de: (V, V),
    lagged: Vec<(V, V, V)>,
    items: Vec<V>,
    exposure: V,
    cpi: V,
    yoy: Option<YearOnYear<V>>,
}

/// The places `explain` shows `de` and `I` in (not rounded by the step).
const MOVE_PLACES: u32 = 8;

/// The lines of step 9 for `explain`, with every parameter their
/// formulas name (the lag weights are listed by `explain` itself: they
/// have no path).
fn record_prices<A: Arith>(a: &mut A, plan: &Plan<'_>, m: &Month<A::V>, r: &Recorded<A::V>) {
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
    let lagged: Vec<(Decimal, Decimal, Decimal)> =
        r.lagged.iter().map(|(w, g, rf)| (v(*w), v(*g), v(*rf))).collect();
    let de = de_line(
        plan,
        (v(m.effective), v(reference)),
        (v(r.de.0), v(r.de.1)),
        &lagged,
    );
    let de_value = de.value;
    let mut lines = vec![de];
    let mut used = vec![ParamId::ReferenceRate];
    let mut terms = Vec::new();
    let mut args = Vec::new();
    for (k, &(w, ic, pt)) in shares.iter().enumerate() {
        let (w, ic, pt) = (v(w), v(ic), v(pt));
        let name = format!("price_impact[{}]", basket[k].name);
        let template = "round4(100 × {} × {} × de)";
        lines.push(
            Line::new(name, ITEM, template, vec![ic, pt], v(r.items[k])).metric(MetricId::PriceImpact(k)),
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
    lines.push(Line::new("cpi_impact_pct", CPI, template, args, v(r.cpi)).core(Core::CpiImpactPct));
    // A v2 metric: shown once v2's metrics are listed.
    if let Some((y, back)) = r.yoy.as_ref().filter(|_| LIST_V2) {
        let exposure = v(r.exposure).normalize();
        let i_now = shown_ratio(
            exposure.checked_mul(v(r.de.0)).unwrap_or(Decimal::MAX),
            v(r.de.1),
            Decimal::ZERO,
        );
        let i_back = back.as_ref().map_or(Decimal::ZERO, |b| {
            let (x, n, d) = (v(b.exposure), v(b.num), v(b.den));
            shown_ratio(x.checked_mul(n).unwrap_or(Decimal::MAX), d, Decimal::ZERO)
        });
        let twelve_back = (0..12).fold(m.info.month, |month, _| month.prev());
        let back_formula =
            format!("I of {twelve_back}, twelve months back (0 before the timeline; shown to 8 places)");
        lines.extend([
            Line::new("I", IMPACT, "{} × {}", vec![exposure, de_value], i_now),
            Line::new("I twelve months back", back_formula, "{}", vec![i_back], i_back),
        ]);
        used.push(ParamId::UnderlyingInflation);
        let inflation = inflation.map_or(Decimal::ZERO, v);
        let template = "round4(100 × ((1 + {} / 100) × (1 + {}) / (1 + {}) − 1))";
        let args = vec![inflation, i_now, i_back];
        lines.push(Line::new("cpi_yoy_pct", YOY, template, args, v(*y)).core(Core::CpiYoyPct));
    }
    let title = "Prices: the effective rate passes through to the CPI basket";
    super::record(a, lines, 9, title, used);
}

/// The line of `de`, the move of the effective rate: this month's
/// `(effective, reference)` without lags (v1), else each lag's weight
/// times its month's move, `(weight, gap, reference)` in `lagged` from
/// this month back (a weight past them falls before the timeline, where
/// the move is 0), summing to the fraction `(num, den)`.
fn de_line(
    plan: &Plan<'_>,
    (effective, reference): (Decimal, Decimal),
    (num, den): (Decimal, Decimal),
    lagged: &[(Decimal, Decimal, Decimal)],
) -> Line {
    if plan.lags.len() == 1 && plan.lags[0] == Decimal::ONE {
        let value = shown_ratio(effective, reference, Decimal::ONE);
        return Line::new("de", MOVE, "{} / {} − 1", vec![effective, reference], value);
    }
    let mut terms = Vec::with_capacity(plan.lags.len());
    let mut args = Vec::new();
    for (k, w) in plan.lags.iter().enumerate() {
        match lagged.get(k) {
            Some(&(_, gap, reference)) => {
                terms.push("{} × ({} / {} − 1)");
                // The month's effective rate: its gap over its reference.
                let effective = gap.checked_add(reference).unwrap_or(Decimal::MAX);
                args.extend([*w, effective, reference]);
            }
            None => {
                terms.push("{} × 0");
                args.push(*w);
            }
        }
    }
    Line::new(
        "de",
        LAGGED,
        terms.join(" + "),
        args,
        shown_ratio(num, den, Decimal::ZERO),
    )
}

/// The slots of basket item `i`: weight, import content, pass-through.
fn item(l: &Layout, i: usize) -> (usize, usize, usize) {
    (
        l.at(ParamId::ItemWeight(i)),
        l.at(ParamId::ItemImportContent(i)),
        l.at(ParamId::ItemPassThrough(i)),
    )
}
