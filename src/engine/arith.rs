//! The handful of operations docs/model.md §3 is written in, as a trait: the
//! month's steps (`engine::month`) are written once, generic over it, and
//! each backend gives the operations their meaning. The exact backend
//! (`engine::exact`) works on `Decimal`s, posts every movement to the
//! ledger and can record each step for `explain`; the lane backend
//! (`engine::kernel`) works on blocks of 64 draws at once and declines a
//! block it cannot do exactly, which then runs on the exact backend.
//!
//! Every operation is exact or fails: nothing is rounded except by
//! `round`, `mul_round` and the named steps that docs/model.md rounds.

use rust_decimal::Decimal;

use super::explain::Line;
use super::metrics::MetricId;
use crate::ledger::{Account, Step};
use crate::model::ParamId;

/// The inputs of docs/model.md §3 step 7's power law for one month.
#[derive(Debug, Clone, Copy)]
pub struct RateArgs<V> {
    /// `D · sessions` (exactly): the demand ratio's numerator.
    pub demand: V,
    /// `baseline_turnover · sessions`: its denominator.
    pub base: V,
    /// `baseline_rate` (IQD per USD): the street rate when demand is at baseline turnover.
    pub baseline_rate: V,
    /// The exponent is `1 / (demand_elasticity + supply_elasticity)`.
    pub demand_elasticity: V,
    /// `supply_elasticity`, the exponent's other term.
    pub supply_elasticity: V,
    /// This month's official rate (IQD per USD): the result when demand is not positive
    /// and nothing persists, and the anchor term's numerator.
    pub official: V,
    /// `(anchor_weight θ, anchor_official_rate)` when θ applies.
    pub anchor: Option<(V, V)>,
    /// `(persistence λ, last month's parallel rate)` when λ applies; the
    /// rate is `None` in a first month without an opening rate.
    pub persistence: Option<(V, Option<V>)>,
}

/// One fraction of the price step: `num / den` with the basket's exposure.
#[derive(Debug, Clone, Copy)]
pub struct Impact<V> {
    /// Σ weight × import content × pass-through.
    pub exposure: V,
    /// The lagged exchange-rate move `de` as `num / den`.
    pub num: V,
    /// The denominator of `de`: the reference rate, times those of lagged months whose
    /// reference differs.
    pub den: V,
}

/// docs/model.md §3's arithmetic, given a meaning by a backend.
pub trait Arith {
    /// A number: a `Decimal`, or a block of 64 of them.
    type V: Copy;
    /// Why an evaluation stopped.
    type E;

    /// The value of the parameter at `slot` in force this month.
    fn param(&mut self, slot: usize) -> Self::V;
    /// An integer constant (days, sessions, 100).
    fn int(&mut self, n: i64) -> Self::V;
    /// A decimal constant of the model (a lag weight).
    fn decimal(&mut self, d: Decimal) -> Self::V;
    /// `a + b`, not rounded by the model (an error when it leaves the backend's range).
    fn add(&mut self, a: Self::V, b: Self::V) -> Result<Self::V, Self::E>;
    /// `a − b`, not rounded by the model (an error when it leaves the backend's range).
    fn sub(&mut self, a: Self::V, b: Self::V) -> Result<Self::V, Self::E>;
    /// `a × b`, not rounded by the model (an error when it leaves the backend's range).
    fn mul(&mut self, a: Self::V, b: Self::V) -> Result<Self::V, Self::E>;
    /// Half to even to `dp` places (docs/model.md `round2`/`round4`).
    fn round(&mut self, a: Self::V, dp: u32) -> Result<Self::V, Self::E>;
    /// `round(a × b × …, dp)`, multiplied left to right; the product may
    /// be wider than the operands.
    fn product_round(&mut self, factors: &[Self::V], dp: u32) -> Result<Self::V, Self::E>;
    /// `round(a × b, dp)`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn mul_round(&mut self, a: Self::V, b: Self::V, dp: u32) -> Result<Self::V, Self::E> {
        self.product_round(&[a, b], dp)
    }
    /// The smaller; the first when equal.
    fn min(&mut self, a: Self::V, b: Self::V) -> Self::V;
    /// The larger; the first when equal.
    fn max(&mut self, a: Self::V, b: Self::V) -> Self::V;
    /// `ceil(shipped / capacity)` counted in cents, 0 when nothing ships.
    fn flights(&mut self, shipped: Self::V, capacity: Self::V) -> Result<Self::V, Self::E>;
    /// `round4(n / d)` of the exact fraction.
    fn div4(&mut self, n: Self::V, d: Self::V) -> Result<Self::V, Self::E>;
    /// Step 7's rate before the floor at the official rate: `round4` of
    /// the `f64` power law (with anchor and persistence), or the official
    /// rate itself when demand is not positive and nothing persists.
    fn power_law(&mut self, r: &RateArgs<Self::V>) -> Result<Self::V, Self::E>;
    /// Step 8: `round4((official × v_off + parallel × v_par) / (v_off +
    /// v_par))` with `v_par = Σ a × b` over `v_par`, or `official` when
    /// both volumes are zero.
    fn effective(
        &mut self,
        official: Self::V,
        parallel: Self::V,
        v_off: Self::V,
        v_par: &[(Self::V, Self::V)],
    ) -> Result<Self::V, Self::E>;
    /// Step 9 (v2 lags): the lagged move `Σ_k w_k × gap_k / reference_k`
    /// as one fraction `(num, den)`, from `(w_k, gap_k, reference_k)` with
    /// k = 0 this month. Terms over the same reference are summed first, so
    /// the denominator is the product of the distinct references (not one
    /// factor per lag). A backend that cannot hold the fraction exactly
    /// may give `(de, 1)` with `de` in 28-digit decimals (the exact
    /// backend does; the lanes decline instead).
    fn lagged(&mut self, terms: &[(Self::V, Self::V, Self::V)]) -> Result<(Self::V, Self::V), Self::E> {
        let mut groups: Vec<(Self::V, Self::V)> = Vec::with_capacity(terms.len());
        for &(w, gap, reference) in terms {
            let term = self.mul(w, gap)?;
            match groups.iter().position(|&(r, _)| self.same(r, reference)) {
                Some(i) => groups[i].1 = self.add(groups[i].1, term)?,
                None => groups.push((reference, term)),
            }
        }
        let mut groups = groups.into_iter();
        let Some((mut den, mut num)) = groups.next() else {
            let zero = self.int(0);
            let one = self.int(1);
            return Ok((zero, one));
        };
        for (r, n) in groups {
            let scaled = self.mul(num, r)?;
            let cross = self.mul(n, den)?;
            num = self.add(scaled, cross)?;
            den = self.mul(den, r)?;
        }
        Ok((num, den))
    }
    /// Step 9: `round4(100 × exposure × num / den)`.
    fn impact(&mut self, x: &Impact<Self::V>) -> Result<Self::V, Self::E>;
    /// Step 9, v2: `round4(100 × ((1 + inflation/100) × (1 + I_now) /
    /// (1 + I_back) − 1))` with `I = exposure × num / den` (`I_back` = 0
    /// without a month twelve back).
    fn yoy(
        &mut self,
        inflation: Self::V,
        now: &Impact<Self::V>,
        back: Option<&Impact<Self::V>>,
    ) -> Result<Self::V, Self::E>;

    /// Moves `amount` between two accounts of the ledger.
    fn post(&mut self, from: Account, to: Account, amount: Self::V, step: Step) -> Result<(), Self::E>;
    /// Whether the metric's value is wanted (it is only computed if so).
    fn wants(&self, metric: MetricId) -> bool;
    /// The metric's value this month.
    fn emit(&mut self, metric: MetricId, v: Self::V) -> Result<(), Self::E>;
    /// Requests remembered by the exact backend for the briefing's wording.
    fn aside_wire_requests(&mut self, v: Self::V);
    /// The cash the airlift was asked to ship this month, remembered by
    /// the exact backend to tell a month the custody account fell short.
    fn aside_cash_asked(&mut self, v: Self::V);

    /// What is being computed, for messages.
    fn context(&mut self, what: &'static str);
    /// Values to keep from month to month, `homes` of them at most.
    fn reserve(&mut self, homes: usize);
    /// The month with index `i` starts.
    fn begin_month(&mut self, i: usize);
    /// Keeps `v` past the end of the month in home `home`.
    fn keep(&mut self, v: Self::V, home: usize) -> Self::V;
    /// The month ends (values not kept may be dropped).
    fn end_month(&mut self) -> Result<(), Self::E>;
    /// Whether the two are equal (the ledger identity).
    fn check_equal(&mut self, a: Self::V, b: Self::V) -> Result<(), Self::E>;
    /// Whether the two are certainly the same number (the same parameter
    /// value), so fractions over them share a denominator.
    fn same(&self, a: Self::V, b: Self::V) -> bool;

    /// Whether this month's steps are being recorded for `explain`.
    fn recording(&self) -> bool {
        false
    }
    /// The value as a `Decimal`, for a recording.
    fn show(&self, v: Self::V) -> Decimal;
    /// The target rate `P*` the last [`Arith::power_law`] of a recorded
    /// month went through (docs/model.md §3 step 7), as the step computed it.
    fn target(&self) -> Option<Decimal> {
        None
    }
    /// Records a line of the current step (only when [`Arith::recording`]).
    fn record(&mut self, _line: Line) {}
    /// Closes the current step's record: its number, title and the
    /// assumptions it read.
    fn record_step(&mut self, _number: u8, _title: &'static str, _used: Vec<ParamId>) {}
    /// Runs `f`, one step of the month, on this backend (the lane backend
    /// may compile it whole for the processor's instruction set, see
    /// `kernel::dispatch`).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn step<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        f(self)
    }
}
