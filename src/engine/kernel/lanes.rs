//! The lane backend of the month: docs/model.md §3 for [`LANES`] draws at a
//! time, every quantity a constant or a lane of 64-bit mantissas with one
//! decimal scale (`num::lanes`). An operation that cannot be done exactly
//! marks the block, which then declines and runs draw by draw on the exact
//! backend, so results never depend on which backend ran. The divisions
//! and the `f64` step live in `lane_math` and `lane_rate`; each lane that an estimate
//! cannot decide is computed by the exact backend's own function, and so
//! is each draw's lagged move when its fraction passes 64 bits (`lane_wide`).

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use rust_decimal::Decimal;

use super::dispatch::Isa;
use super::rounding::at_scale4;
use super::Kernel;
use super::{lane_effective, lane_math, lane_rate, lane_wide};
use crate::engine::arith::{Arith, Impact, RateArgs};
use crate::engine::exact;
use crate::engine::metrics::{Agg, MetricId};
use crate::engine::plan::{Cell, Plan};
use crate::ledger::{Account, Step};
use crate::num::fixed::num_f64;
use crate::num::lanes::{Block, LANES, V, X};

/// A block that cannot be evaluated exactly on lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declined;

/// Conversions to `f64` that rarely change from month to month, each
/// kept with the operands it was computed from.
#[derive(Debug, Clone, Default)]
struct Memo {
    /// `1 / (demand_elasticity + supply_elasticity)` per lane.
    inv: Option<((X, X), [f64; LANES])>,
    baseline: Option<(X, [f64; LANES])>,
    /// `ln(baseline × anchor factor)` per lane, for the baseline and anchor key.
    ln_base: Option<(BaseKey, [f64; LANES])>,
    /// The persistence weight `λ` per lane.
    lambda: Option<(X, [f64; LANES])>,
    /// This month's rates (ten-thousandths) and their logarithms from the
    /// estimate, for next month's pull ([`lane_rate::ln_rates`]).
    ln_rate: Option<([i64; LANES], [f64; LANES])>,
}

/// The memoised value for `key` in `slot`, computed by `f` when the slot
/// holds another key's (the value is borrowed, not copied).
#[cfg_attr(not(debug_assertions), inline(always))]
fn cached<K: PartialEq>(
    slot: &mut Option<(K, [f64; LANES])>,
    key: K,
    f: impl FnOnce() -> [f64; LANES],
) -> &[f64; LANES] {
    if !matches!(slot, Some((k, _)) if *k == key) {
        *slot = None;
    }
    &slot.get_or_insert_with(|| (key, f())).1
}

/// The operands of `ln(baseline × anchor factor)`: the baseline rate and
/// the anchor's operands when an anchor applies.
type BaseKey = (X, Option<AnchorKey>);

/// The operands of an anchor factor: official rate, weight θ, anchor rate.
type AnchorKey = (X, X, X);

/// One block's run: the kernel's plan on a [`Block`].
pub(super) struct Lanes<'a, 'm, I: Isa> {
    /// The instruction set the month's steps are compiled for.
    isa: I,
    pub b: &'a mut Block,
    k: &'a Kernel<'m>,
    row: Vec<X>,
    /// The value of each of the plan's changes in this block.
    changes: Vec<X>,
    next_change: usize,
    homes: Vec<u32>,
    /// Running aggregate of each requested metric, and its home.
    acc: Vec<Option<X>>,
    acc_homes: Vec<u32>,
    month: usize,
    mark: usize,
    memo: Memo,
    /// The lagged moves' quotients of last month, per draw, where the
    /// lanes compute them draw by draw.
    lag_memo: lane_wide::LagMemo,
}

impl<'a, 'm, I: Isa> Lanes<'a, 'm, I> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(super) fn new(b: &'a mut Block, k: &'a Kernel<'m>, inputs: &'a [X], isa: I) -> Self {
        let plan = &k.plan;
        let row = plan.base.iter().map(|c| cell(b, *c, inputs)).collect();
        let changes = plan.changes.iter().map(|c| cell(b, c.2, inputs)).collect();
        let acc_homes = (0..k.metrics.len()).map(|_| b.alloc()).collect();
        Lanes {
            isa,
            b,
            k,
            row,
            changes,
            next_change: 0,
            homes: Vec::new(),
            acc: vec![None; k.metrics.len()],
            acc_homes,
            month: 0,
            mark: 0,
            memo: Memo::default(),
            lag_memo: lane_wide::LagMemo::default(),
        }
    }

    /// The requested metrics of every lane, once the months have run
    /// (means divided by the number of months).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(super) fn results(&mut self) -> Option<Vec<X>> {
        let n = self.k.plan.months.len() as i64;
        let len = X::constant(n, 0);
        let mut out = Vec::with_capacity(self.acc.len());
        for (q, r) in self.k.metrics.iter().enumerate() {
            let a = self.acc[q]?;
            out.push(if self.k.picks[q].is_none() && r.agg == Agg::Mean {
                lane_math::divide(self.b, a, len)
            } else {
                a
            });
        }
        (!self.b.declined()).then_some(out)
    }

    /// The exact backend's value of `f` on lane `d`'s numbers.
    fn dec(&self, x: X, d: usize) -> Decimal {
        self.b.num(x, d).to_dec()
    }

    /// Step 7's rate on each lane from the `f64` power law (v1) or its v2
    /// target with anchor and persistence (`persistence` when λ applies):
    /// the estimate's mantissa at 4 places where `decided` says it rounds
    /// surely, and the exponents next month's pull starts from.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn estimate_rates(
        &mut self,
        r: &RateArgs<X>,
        persistence: Option<(X, Option<X>)>,
        (estimated, decided): (&mut [i64; LANES], &mut [bool; LANES]),
        exponents: &mut lane_rate::Exponents,
    ) {
        let anchor = match r.anchor {
            Some((theta, anchor)) if theta.v != V::C(0) => Some((r.official, theta, anchor)),
            _ => None,
        };
        let estimate = lane_rate::RateEstimate::new(r.demand, r.base);
        let (b, memo) = (&mut *self.b, &mut self.memo);
        let inv = cached(&mut memo.inv, (r.demand_elasticity, r.supply_elasticity), || {
            inverse_elasticity(b, r.demand_elasticity, r.supply_elasticity)
        });
        if persistence.is_none() && anchor.is_none() {
            let baselines = cached(&mut memo.baseline, r.baseline_rate, || f64s(b, r.baseline_rate));
            estimate.rates(b, baselines, inv, estimated, decided);
            return;
        }
        // Without last month's rate nothing persists yet.
        let pull = persistence.and_then(|(l, p)| Some((l, p?)));
        let mut buf = [0f64; LANES];
        let (lambda, ln_prev) = match pull {
            Some((l, p)) => (
                cached(&mut memo.lambda, l, || f64s(b, l)),
                ln_prev(b, memo.ln_rate.as_ref(), p, &mut buf),
            ),
            None => (&lane_rate::NO_PULL, &lane_rate::NO_PULL),
        };
        let ln_base = cached(&mut memo.ln_base, (r.baseline_rate, anchor), || {
            let baselines = f64s(b, r.baseline_rate);
            let factors = anchor.map(|key| anchor_factors(b, key));
            lane_rate::ln_base(&baselines, factors.as_ref())
        });
        let target = lane_rate::Target {
            ln_base,
            inv,
            lambda,
            ln_prev,
        };
        estimate.rates_v2(b, &target, estimated, decided, exponents);
    }

    /// The lagged move on the block's lanes where every draw follows the
    /// exact fraction in 64 bits ([`lane_wide::lagged_on_block`]); `None`
    /// otherwise (what it allocated is freed). Inlined, as every step of
    /// the month is, so that it is compiled with the block's instruction
    /// set.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lagged_on_lanes(&mut self, terms: &[(X, X, X)]) -> Option<(X, X)> {
        let (was_bad, mark) = (self.b.bad, self.b.mark());
        self.b.bad = false;
        let fraction = lane_wide::lagged_on_block(self.b, terms);
        self.b.bad = was_bad;
        if fraction.is_none() {
            self.b.release(mark);
        }
        fraction
    }

    /// The exact backend's own step 7 on lane `d`, as a mantissa at 4
    /// places (`None` where it fails or does not fit).
    fn exact_rate(&self, r: &RateArgs<X>, d: usize) -> Option<i64> {
        let args = RateArgs {
            demand: self.dec(r.demand, d),
            base: self.dec(r.base, d),
            baseline_rate: self.dec(r.baseline_rate, d),
            demand_elasticity: self.dec(r.demand_elasticity, d),
            supply_elasticity: self.dec(r.supply_elasticity, d),
            official: self.dec(r.official, d),
            anchor: r.anchor.map(|(t, a)| (self.dec(t, d), self.dec(a, d))),
            persistence: r
                .persistence
                .map(|(l, p)| (self.dec(l, d), p.map(|p| self.dec(p, d)))),
        };
        match exact::power_law(&args) {
            Ok(v) if v.scale() <= 4 => i64::try_from(at_scale4(v).mantissa()).ok(),
            _ => None,
        }
    }
}

/// The lane (or constant) of a plan cell.
fn cell(b: &mut Block, c: Cell, inputs: &[X]) -> X {
    // An input the evaluation lacks (`Cell::UNDEFINED`): the block
    // declines, and the exact backend reports the error.
    let input = |b: &mut Block, j: usize| match inputs.get(j) {
        Some(&x) => x,
        None => {
            b.bad = true;
            X::ZERO
        }
    };
    match c {
        Cell::Const(v) => constant(b, v),
        Cell::Input(j) => input(b, j),
        Cell::Scaled {
            input: j,
            base,
            money,
        } => {
            let base = constant(b, base);
            let x = input(b, j);
            let x = b.mul(base, x);
            if money {
                b.round(x, 2)
            } else {
                x
            }
        }
        Cell::Product { inputs: (i, j), base } => {
            let base = constant(b, base);
            let (x, y) = (input(b, i), input(b, j));
            let x = b.mul(base, x);
            b.mul(x, y)
        }
    }
}

/// A decimal constant, or a marked block when it does not fit a lane.
fn constant(b: &mut Block, v: Decimal) -> X {
    match i64::try_from(v.mantissa()) {
        Ok(m) => X::constant(m, v.scale()),
        Err(_) => {
            b.bad = true;
            X::ZERO
        }
    }
}

/// A lane (or constant) as `f64`s, marking the block where one does not convert.
fn f64s(b: &mut Block, x: X) -> [f64; LANES] {
    if let Some(out) = b.to_f64s(x) {
        return out;
    }
    let mut out = [0f64; LANES];
    for d in 0..LANES {
        match num_f64(b.num(x, d)) {
            Some(f) => out[d] = f,
            None => b.bad = true,
        }
    }
    out
}

/// `1 / (demand_elasticity + supply_elasticity)` per lane.
fn inverse_elasticity(b: &mut Block, demand: X, supply: X) -> [f64; LANES] {
    let e = b.add(demand, supply);
    let mut inv = f64s(b, e);
    for x in inv.iter_mut() {
        *x = 1.0 / *x;
    }
    inv
}

/// `(official / anchor)^θ` per lane, as the exact backend computes it
/// (once for the block when all three are constants).
fn anchor_factors(b: &mut Block, (official, theta, anchor): AnchorKey) -> [f64; LANES] {
    let uniform = [official, theta, anchor].iter().all(|x| matches!(x.v, V::C(_)));
    let mut out = [1f64; LANES];
    for d in 0..if uniform { 1 } else { LANES } {
        let (o, a, t) = (b.num(official, d), b.num(anchor, d), b.num(theta, d));
        match (crate::num::fixed::ratio_f64(o, a), num_f64(t)) {
            (Some(r), Some(t)) if !t.is_nan() => out[d] = if t == 0.0 { 1.0 } else { r.powf(t) },
            _ => b.bad = true,
        }
    }
    if uniform {
        out = [out[0]; LANES];
    }
    out
}

/// `ln` of last month's rate `p` per lane: what this block's estimate left
/// in `known` for lanes that still hold that rate (not floored at the
/// official rate since), else the logarithm (written into `buf`).
fn ln_prev<'x>(
    b: &mut Block,
    known: Option<&'x ([i64; LANES], [f64; LANES])>,
    p: X,
    buf: &'x mut [f64; LANES],
) -> &'x [f64; LANES] {
    let Some((rates, lns)) = known.filter(|_| matches!(p.v, V::L(_)) && p.s == 4) else {
        *buf = lane_rate::ln_lanes(&f64s(b, p));
        return buf;
    };
    let lane = b.get(p);
    let mut hit = [false; LANES];
    let mut all = true;
    for k in 0..LANES {
        hit[k] = (lane[k] == rates[k]) & !lns[k].is_nan();
        all &= hit[k];
    }
    if all {
        return lns;
    }
    let computed = lane_rate::ln_lanes(&f64s(b, p));
    for k in 0..LANES {
        buf[k] = if hit[k] { lns[k] } else { computed[k] };
    }
    buf
}

impl<I: Isa> Arith for Lanes<'_, '_, I> {
    type V = X;
    type E = Declined;

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let isa = self.isa;
        isa.step(
            #[inline(always)]
            || f(self),
        )
    }

    #[cfg_attr(not(debug_assertions), inline(always))]
    fn param(&mut self, slot: usize) -> X {
        match self.row.get(slot) {
            Some(&x) => x,
            // A parameter the model does not have (`Layout::MISSING`): the
            // block declines, and the exact backend reports the error.
            None => {
                self.b.bad = true;
                X::constant(0, 0)
            }
        }
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn int(&mut self, n: i64) -> X {
        X::constant(n, 0)
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn decimal(&mut self, d: Decimal) -> X {
        constant(self.b, d)
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn add(&mut self, a: X, b: X) -> Result<X, Declined> {
        Ok(self.b.add(a, b))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn sub(&mut self, a: X, b: X) -> Result<X, Declined> {
        Ok(self.b.sub(a, b))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul(&mut self, a: X, b: X) -> Result<X, Declined> {
        Ok(self.b.mul(a, b))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn round(&mut self, a: X, dp: u32) -> Result<X, Declined> {
        Ok(self.b.round(a, dp))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn product_round(&mut self, factors: &[X], dp: u32) -> Result<X, Declined> {
        // In 64 bits when every partial product fits, else in 128.
        let mut fits = true;
        let mut bound: u128 = 1;
        let mut scale = 0;
        for f in factors {
            bound = bound.saturating_mul(u128::from(self.b.max_abs(*f)));
            scale += f.s;
            fits &= bound <= i64::MAX as u128 && scale <= 28;
        }
        if fits {
            let mut x = factors[0];
            for f in &factors[1..] {
                x = self.b.mul_within(x, *f);
            }
            return Ok(self.b.round(x, dp));
        }
        Ok(lane_math::round_product(self.b, factors, dp, bound))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn min(&mut self, a: X, b: X) -> X {
        self.b.min(a, b)
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn max(&mut self, a: X, b: X) -> X {
        self.b.max(a, b)
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn flights(&mut self, shipped: X, capacity: X) -> Result<X, Declined> {
        Ok(lane_math::flights(self.b, shipped, capacity))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn div4(&mut self, n: X, d: X) -> Result<X, Declined> {
        Ok(lane_math::divide(self.b, n, d))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn power_law(&mut self, r: &RateArgs<X>) -> Result<X, Declined> {
        let persistence = match r.persistence {
            Some((lambda, prev)) if lambda.v != V::C(0) => Some((lambda, prev)),
            _ => None,
        };
        let (mut estimated, mut decided) = ([0i64; LANES], [false; LANES]);
        let mut exponents = lane_rate::Exponents::default();
        self.estimate_rates(r, persistence, (&mut estimated, &mut decided), &mut exponents);
        let mut computed = [0i64; LANES];
        let mut use_official = [false; LANES];
        let mut bad = false;
        for d in 0..LANES {
            let positive = self.b.at(r.demand, d) > 0;
            if !positive && persistence.is_none() {
                use_official[d] = true;
                continue;
            }
            if positive && decided[d] {
                computed[d] = estimated[d];
                continue;
            }
            match self.exact_rate(r, d) {
                Some(m) => computed[d] = m,
                None => bad = true,
            }
        }
        self.b.bad |= bad;
        if persistence.is_some() {
            let (rates, lns) = self.memo.ln_rate.get_or_insert(([0; LANES], [0.0; LANES]));
            *rates = computed;
            lane_rate::ln_rates(&computed, &exponents, lns);
        }
        let computed = self.b.put(&computed, 4);
        Ok(self.b.select(&use_official, computed, r.official))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn effective(&mut self, official: X, parallel: X, v_off: X, v_par: &[(X, X)]) -> Result<X, Declined> {
        let terms: Vec<(X, X)> = v_par.iter().copied().filter(|(a, _)| a.v != V::C(0)).collect();
        let mut none = [false; LANES];
        let blend = lane_effective::Blend {
            official,
            parallel,
            v_off,
        };
        let e = lane_effective::effective(self.b, blend, &terms, &mut none);
        Ok(self.b.select(&none, e, official))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn lagged(&mut self, terms: &[(X, X, X)]) -> Result<(X, X), Declined> {
        match self.lagged_on_lanes(terms) {
            Some(fraction) => Ok(fraction),
            None => Ok(lane_wide::lagged_by_lane(self.b, terms, &mut self.lag_memo)),
        }
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn impact(&mut self, x: &Impact<X>) -> Result<X, Declined> {
        Ok(lane_math::impact(self.b, x.exposure, x.num, x.den))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn yoy(&mut self, inflation: X, now: &Impact<X>, back: Option<&Impact<X>>) -> Result<X, Declined> {
        Ok(lane_math::yoy(self.b, inflation, now, back))
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn post(&mut self, _from: Account, _to: Account, _amount: X, _step: Step) -> Result<(), Declined> {
        Ok(())
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn wants(&self, metric: MetricId) -> bool {
        self.k.wants(metric)
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn emit(&mut self, metric: MetricId, x: X) -> Result<(), Declined> {
        let Some(qs) = self.k.wanted(metric) else {
            return Ok(());
        };
        for &q in qs {
            let q = q as usize;
            let next = match (self.k.picks[q], self.acc[q]) {
                (Some(pick), _) if pick == self.month => Some(x),
                (Some(_), a) => a,
                (None, None) => Some(x),
                (None, Some(a)) => Some(match self.k.metrics[q].agg {
                    Agg::Sum | Agg::Mean => self.b.add(a, x),
                    // As the exact summaries (`Iterator::min`, `max`): the
                    // first of equal minima, the last of equal maxima (equal
                    // values may differ in scale).
                    Agg::Min => self.b.min(a, x),
                    Agg::Max => self.b.max(x, a),
                    Agg::First => a,
                    Agg::Last => x,
                }),
            };
            self.acc[q] = next.map(|x| self.b.keep(x, self.acc_homes[q]));
        }
        Ok(())
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn aside_wire_requests(&mut self, _v: X) {}
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn aside_cash_asked(&mut self, _v: X) {}
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn context(&mut self, _what: &'static str) {}
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn reserve(&mut self, homes: usize) {
        while self.homes.len() < homes {
            let h = self.b.alloc();
            self.homes.push(h);
        }
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn begin_month(&mut self, i: usize) {
        self.month = i;
        self.mark = self.b.mark();
        let plan: &Plan<'_> = &self.k.plan;
        while let Some(&(m, slot, _)) = plan.changes.get(self.next_change) {
            if m > i {
                break;
            }
            self.row[slot] = self.changes[self.next_change];
            self.next_change += 1;
        }
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn keep(&mut self, v: X, home: usize) -> X {
        match self.homes.get(home) {
            Some(&h) => self.b.keep(v, h),
            None => {
                self.b.bad = true;
                v
            }
        }
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn end_month(&mut self) -> Result<(), Declined> {
        self.b.release(self.mark);
        if self.b.declined() {
            Err(Declined)
        } else {
            Ok(())
        }
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn check_equal(&mut self, a: X, b: X) -> Result<(), Declined> {
        for d in 0..LANES {
            if self.b.num(a, d).cmp_num(self.b.num(b, d)).is_ne() {
                return Err(Declined);
            }
        }
        Ok(())
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn same(&self, a: X, b: X) -> bool {
        a == b
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn show(&self, v: X) -> Decimal {
        self.b.num(v, 0).to_dec()
    }
}
