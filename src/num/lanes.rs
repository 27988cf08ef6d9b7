//! Exact fixed-point arithmetic on a block of draws at once: every quantity
//! of docs/model.md §3 is either one constant or a lane of [`LANES`] 64-bit
//! mantissas sharing one decimal scale (the scales follow from the inputs'
//! fixed places, not from the drawn values). One operation is a short loop
//! the compiler keeps in registers, instead of one checked call per draw.
//!
//! Nothing is ever rounded or wrapped silently: an operation that would
//! leave 64 bits (or a `Decimal`'s scale of 28) marks the block, and the
//! caller evaluates that block's draws one by one on the exact per-draw
//! paths instead. So a block's results are always those of the `Decimal`
//! engine.
//!
//! Two exceptions to one scale and 64 bits, each for what the `Decimal`
//! engine does: a draw may keep its own scale (`lanes/scales.rs`: a
//! selection between operands of different scales, when the scales are
//! wanted), and a few quantities that pass 64 bits (lagged moves over many
//! reference rates) are held as one exact number per draw in wide storage
//! ([`V::W`]), which only the operations that say so accept.

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use std::cell::Cell;

use crate::num::binary::POW10_F64;
use crate::num::convert::to_f64;
use crate::num::fixed::{Num, POW10};
use crate::num::quotient::div_half_even_near;
use crate::num::quotient::{half_even as half_even_by, P10};

/// Draws evaluated together.
pub const LANES: usize = 64;

/// One mantissa per draw.
pub type Lane = [i64; LANES];

/// A constant or a lane of the block's storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V {
    /// One mantissa shared by every lane: a value that does not vary across the draws.
    C(i64),
    /// A lane of the [`Block`]'s storage, by index: one mantissa per draw.
    L(u32),
    /// A lane of the block's wide storage, by index: one exact number per
    /// draw, each with its own scale (the quantity's `s` is unused). Only
    /// [`Block::num`], [`Block::keep`] and the per-draw fallbacks read one;
    /// any other operation on it marks the block.
    W(u32),
}

/// A block quantity: mantissas `v` over `10^s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct X {
    /// The mantissas: one constant, or a lane of the block.
    pub v: V,
    /// The decimal scale every mantissa shares (value = mantissa / 10^s).
    pub s: u32,
}

impl X {
    /// The constant `m / 10^s` in every lane.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn constant(m: i64, s: u32) -> X {
        X { v: V::C(m), s }
    }

    /// The constant zero, at scale 0.
    pub const ZERO: X = X { v: V::C(0), s: 0 };
}

/// The storage of one block's lanes, reused from block to block.
#[derive(Debug, Clone, Default)]
pub struct Block {
    arena: Vec<Lane>,
    top: usize,
    /// The draws' own scales of storage lanes, where a selection gave them
    /// scales other than their quantity's (only with `exact_scale`).
    scales: scales::LaneScales,
    /// Wide storage: one exact number per draw. It lives for the whole
    /// block (a few lanes a month), so keeping one needs no copy.
    wide: Vec<[Num; LANES]>,
    wide_top: usize,
    /// A wide quantity reached an operation that reads 64-bit mantissas
    /// (which then read zeros): the block must decline, see
    /// [`Block::declined`].
    misused: Cell<bool>,
    /// Some operation could not be done exactly in 64 bits.
    pub bad: bool,
    /// Results must also carry the `Decimal` engine's scales (for output
    /// as text), not just its values: a selection between operands of
    /// different scales then records each draw's own scale.
    pub exact_scale: bool,
}

impl Block {
    /// Readies the storage for a new block: frees every lane, clears `bad` and sets
    /// `exact_scale`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn reset(&mut self, exact_scale: bool) {
        self.top = 0;
        self.wide_top = 0;
        self.scales.reset();
        self.misused.set(false);
        self.bad = false;
        self.exact_scale = exact_scale;
    }

    /// Whether the block cannot be done exactly on lanes: an operation
    /// marked it, or a wide quantity reached one that cannot take it.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn declined(&self) -> bool {
        self.bad || self.misused.get()
    }

    /// The current top of storage; [`Block::release`] frees what came after.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn mark(&self) -> usize {
        self.top
    }

    /// Frees every lane allocated after `mark` (a value from [`Block::mark`]).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn release(&mut self, mark: usize) {
        self.top = mark;
    }

    /// A new lane (its contents are stale until written).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn alloc(&mut self) -> u32 {
        if self.top == self.arena.len() {
            self.arena.push([0; LANES]);
        }
        self.top += 1;
        let i = (self.top - 1) as u32;
        self.scales.clear(i);
        i
    }

    /// Lane `k` of `x` (a wide quantity has none: the block declines).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn at(&self, x: X, k: usize) -> i64 {
        match x.v {
            V::C(c) => c,
            V::L(i) => self.arena[i as usize][k],
            V::W(_) => {
                self.misuse();
                0
            }
        }
    }

    /// All lanes of `x`, as a copy (a wide quantity has none: the block
    /// declines).
    #[inline]
    pub fn get(&self, x: X) -> Lane {
        match x.v {
            V::C(c) => [c; LANES],
            V::L(i) => self.arena[i as usize],
            V::W(_) => {
                self.misuse();
                [0; LANES]
            }
        }
    }

    /// Stores `lane` as a new quantity of scale `s`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn put(&mut self, lane: &Lane, s: u32) -> X {
        let i = self.alloc();
        self.arena[i as usize] = *lane;
        X { v: V::L(i), s }
    }

    /// Copies `x` into the lane `home` (allocated before a [`Block::mark`])
    /// so it survives a release; constants stay constants, and wide
    /// quantities live for the whole block anyway.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn keep(&mut self, x: X, home: u32) -> X {
        match x.v {
            V::C(_) | V::W(_) => x,
            V::L(i) if i == home => x,
            V::L(i) => {
                self.arena[home as usize] = self.arena[i as usize];
                self.scales.copy(i, home);
                X {
                    v: V::L(home),
                    s: x.s,
                }
            }
        }
    }

    /// `f` on every lane of `a`. `f` returns the result and a word whose
    /// sign bit says the result overflowed; the words are OR-ed, with no
    /// branch, so the loop vectorises.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn map(&mut self, a: V, f: impl Fn(i64) -> (i64, i64)) -> V {
        match a {
            V::C(x) => {
                let (r, o) = f(x);
                self.bad |= o < 0;
                V::C(r)
            }
            V::L(i) => {
                let out = self.alloc();
                let (lo, hi) = self.arena.split_at_mut(out as usize);
                let (src, dst) = (&lo[i as usize], &mut hi[0]);
                let mut flags = 0;
                for k in 0..LANES {
                    let (r, o) = f(src[k]);
                    dst[k] = r;
                    flags |= o;
                }
                self.bad |= flags < 0;
                V::L(out)
            }
            V::W(_) => {
                self.bad = true;
                V::C(0)
            }
        }
    }

    /// `f` on every pair of lanes of `a` and `b` (see [`Block::map`]).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn zip(&mut self, a: V, b: V, f: impl Fn(i64, i64) -> (i64, i64)) -> V {
        if let (V::C(x), V::C(y)) = (a, b) {
            let (r, o) = f(x, y);
            self.bad |= o < 0;
            return V::C(r);
        }
        if matches!(a, V::W(_)) || matches!(b, V::W(_)) {
            self.bad = true;
            return V::C(0);
        }
        let out = self.alloc();
        let (lo, hi) = self.arena.split_at_mut(out as usize);
        let dst = &mut hi[0];
        let mut flags = 0;
        match (a, b) {
            (V::L(i), V::L(j)) => {
                let (x, y) = (&lo[i as usize], &lo[j as usize]);
                for k in 0..LANES {
                    let (r, o) = f(x[k], y[k]);
                    dst[k] = r;
                    flags |= o;
                }
            }
            (V::L(i), V::C(y)) => {
                let x = &lo[i as usize];
                for k in 0..LANES {
                    let (r, o) = f(x[k], y);
                    dst[k] = r;
                    flags |= o;
                }
            }
            (V::C(x), V::L(j)) => {
                let y = &lo[j as usize];
                for k in 0..LANES {
                    let (r, o) = f(x, y[k]);
                    dst[k] = r;
                    flags |= o;
                }
            }
            (V::C(_), V::C(_)) | (V::W(_), _) | (_, V::W(_)) => unreachable!("handled above"),
        }
        self.bad |= flags < 0;
        V::L(out)
    }

    /// Whether every product of a lane of `a` and one of `b` fits 64 bits.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn products_fit(&self, a: V, b: V) -> bool {
        let (x, y) = (self.max_abs(X { v: a, s: 0 }), self.max_abs(X { v: b, s: 0 }));
        u128::from(x) * u128::from(y) <= i64::MAX as u128
    }

    /// `a · b` per lane: unchecked when the bounds allow, else checked.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn times(&mut self, a: V, b: V) -> V {
        if self.products_fit(a, b) {
            self.zip(a, b, |x, y| (x.wrapping_mul(y), 0))
        } else {
            self.zip(a, b, |x, y| {
                let (r, o) = x.overflowing_mul(y);
                (r, -i64::from(o))
            })
        }
    }

    /// `a` at the larger scale `s`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn align(&mut self, a: X, s: u32) -> X {
        if a.s == s {
            return a;
        }
        let Some(&f) = P10.get((s - a.s) as usize) else {
            self.bad = true;
            return X { v: V::C(0), s };
        };
        X {
            v: self.times(a.v, V::C(f)),
            s,
        }
    }

    /// Whether `x` is the constant zero at a scale no finer than `s` (so
    /// adding it changes neither the value nor the scale of the sum).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn is_zero_within(x: X, s: u32) -> bool {
        x.v == V::C(0) && x.s <= s
    }

    /// `a + b` per lane at the larger scale (a constant zero no finer is skipped); marks
    /// the block `bad` when a sum or an alignment leaves 64 bits.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn add(&mut self, a: X, b: X) -> X {
        let mixed = self.mixed(a, b);
        if !mixed && Self::is_zero_within(b, a.s) {
            return a;
        }
        if !mixed && Self::is_zero_within(a, b.s) {
            return b;
        }
        let s = a.s.max(b.s);
        let (x, y) = (self.align(a, s), self.align(b, s));
        let r = X {
            v: self.zip(x.v, y.v, |x, y| {
                let r = x.wrapping_add(y);
                (r, (x ^ r) & (y ^ r))
            }),
            s,
        };
        if mixed {
            self.carry_scales(r, a, b, scales::of_sum);
        }
        r
    }

    /// `a − b` per lane at the larger scale; marks the block `bad` when a difference or
    /// an alignment leaves 64 bits.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn sub(&mut self, a: X, b: X) -> X {
        let mixed = self.mixed(a, b);
        if !mixed && Self::is_zero_within(b, a.s) {
            return a;
        }
        let s = a.s.max(b.s);
        let (x, y) = (self.align(a, s), self.align(b, s));
        let r = X {
            v: self.zip(x.v, y.v, |x, y| {
                let r = x.wrapping_sub(y);
                (r, (x ^ y) & (x ^ r))
            }),
            s,
        };
        if mixed {
            self.carry_scales(r, a, b, scales::of_sum);
        }
        r
    }

    /// `a · b` per lane at scale `a.s + b.s`, exactly; marks the block `bad` when a
    /// product leaves 64 bits or the scale passes 28. A product of zero has
    /// scale 0, as a `Decimal`'s does.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn mul(&mut self, a: X, b: X) -> X {
        let s = a.s + b.s;
        self.bad |= s > 28;
        let mixed = self.mixed(a, b);
        if !mixed && (a.v == V::C(0) || b.v == V::C(0)) {
            return X::ZERO;
        }
        let r = X {
            v: self.times(a.v, b.v),
            s,
        };
        if mixed || (self.exact_scale && s > 0) {
            self.carry_product_scales(r, a, b);
        }
        r
    }

    /// `a · b` when the caller knows from bounds that every product fits
    /// 64 bits (and the scales sum to at most 28): no check of its own.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn mul_within(&mut self, a: X, b: X) -> X {
        let s = a.s + b.s;
        let mixed = self.mixed(a, b);
        if !mixed && (a.v == V::C(0) || b.v == V::C(0)) {
            return X::ZERO;
        }
        let r = X {
            v: self.zip(a.v, b.v, |x, y| (x.wrapping_mul(y), 0)),
            s,
        };
        if mixed || (self.exact_scale && s > 0) {
            self.carry_product_scales(r, a, b);
        }
        r
    }

    /// Rounds half to even to `dp` places, scale fixed at `dp`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn round(&mut self, a: X, dp: u32) -> X {
        if Self::is_wide(a) {
            self.bad = true;
            return X { v: V::C(0), s: dp };
        }
        if a.s == dp && self.own_scales(a).is_some() {
            // The same values, every draw now at scale `dp`.
            let lane = self.get(a);
            return self.put(&lane, dp);
        }
        if a.s <= dp {
            return self.align(a, dp);
        }
        let Some(&d) = P10.get((a.s - dp) as usize) else {
            self.bad = true;
            return X { v: V::C(0), s: dp };
        };
        // With every quotient far inside f64's exact range, the quotient
        // estimated through f64 is off by less than two, and a branch-free
        // fix gives the exact one (a loop the compiler vectorises).
        let max = self.max_abs(a) as f64;
        let v = if max / (d as f64) < 2f64.powi(40) {
            let inv = 1.0 / d as f64;
            self.map(a.v, |x| (div_half_even_near(x, d, inv), 0))
        } else {
            match a.s - dp {
                1 => self.map(a.v, half_even::<10>),
                2 => self.map(a.v, half_even::<100>),
                4 => self.map(a.v, half_even::<10_000>),
                6 => self.map(a.v, half_even::<1_000_000>),
                _ => self.map(a.v, |x| (half_even_by(x, d), 0)),
            }
        };
        X { v, s: dp }
    }

    /// Per lane `b` where `pick_b`, else `a`. When every lane picks the
    /// same side that operand is returned as it is (its scale too).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn select(&mut self, pick_b: &[bool; LANES], a: X, b: X) -> X {
        let picks = pick_b.iter().filter(|p| **p).count();
        if picks == 0 {
            return a;
        }
        if picks == LANES {
            return b;
        }
        let s = a.s.max(b.s);
        let (x, y) = (self.align(a, s), self.align(b, s));
        let (x, y) = (self.get(x), self.get(y));
        let out = self.alloc();
        let dst = &mut self.arena[out as usize];
        for k in 0..LANES {
            dst[k] = if pick_b[k] { y[k] } else { x[k] };
        }
        if self.exact_scale && (a.s != b.s || self.mixed(a, b)) {
            let scales = scales::of_selection(pick_b, &self.lane_scales(a), &self.lane_scales(b));
            self.scales.set(out, scales, s);
        }
        X { v: V::L(out), s }
    }

    /// Per lane whether `b < a` (numerically).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn less(&mut self, b: X, a: X) -> [bool; LANES] {
        let s = a.s.max(b.s);
        let mark = self.mark();
        let (a2, b2) = (self.align(a, s), self.align(b, s));
        let mut out = [false; LANES];
        match (a2.v, b2.v) {
            (V::C(x), V::C(y)) => out = [y < x; LANES],
            (V::L(i), V::C(y)) => {
                let x = &self.arena[i as usize];
                for k in 0..LANES {
                    out[k] = y < x[k];
                }
            }
            (V::C(x), V::L(j)) => {
                let y = &self.arena[j as usize];
                for k in 0..LANES {
                    out[k] = y[k] < x;
                }
            }
            (V::L(i), V::L(j)) => {
                let (x, y) = (&self.arena[i as usize], &self.arena[j as usize]);
                for k in 0..LANES {
                    out[k] = y[k] < x[k];
                }
            }
            (V::W(_), _) | (_, V::W(_)) => self.misuse(),
        }
        self.release(mark);
        out
    }

    /// The smaller of the two, the first when equal (`Fixed::min`).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn min(&mut self, a: X, b: X) -> X {
        let pick = self.less(b, a);
        self.select(&pick, a, b)
    }

    /// The larger of the two, the first when equal.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn max(&mut self, a: X, b: X) -> X {
        let pick = self.less(a, b);
        self.select(&pick, a, b)
    }

    /// Whether some lane of `x` is zero (a wide quantity counts as one).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn any_zero(&self, x: X) -> bool {
        match x.v {
            V::C(c) => c == 0,
            V::L(i) => self.arena[i as usize].iter().fold(false, |z, v| z | (*v == 0)),
            V::W(_) => true,
        }
    }

    /// The largest absolute mantissa of `x` over all lanes.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn max_abs(&self, x: X) -> u64 {
        match x.v {
            V::C(c) => c.unsigned_abs(),
            V::L(i) => self.arena[i as usize]
                .iter()
                .fold(0, |m, v| m.max(v.unsigned_abs())),
            V::W(_) => u64::MAX,
        }
    }

    /// The smallest mantissa of `x` over all lanes.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn min_value(&self, x: X) -> i64 {
        match x.v {
            V::C(c) => c,
            V::L(i) => self.arena[i as usize].iter().fold(i64::MAX, |m, v| m.min(*v)),
            V::W(_) => i64::MIN,
        }
    }

    /// Every lane of `x` as the nearest `f64` (what `fixed::num_f64`
    /// gives), when that is one exact division: mantissas within 2^53 and
    /// a power of ten that a double holds exactly; `None` otherwise.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn to_f64s(&self, x: X) -> Option<[f64; LANES]> {
        if Self::is_wide(x) {
            return None;
        }
        let p = *POW10_F64.get(x.s as usize)?;
        if self.max_abs(x) > 1 << 53 {
            return None;
        }
        let mut out = [0f64; LANES];
        match x.v {
            V::C(c) => out = [to_f64(c) / p; LANES],
            V::L(i) => {
                let lane = &self.arena[i as usize];
                for k in 0..LANES {
                    out[k] = to_f64(lane[k]) / p;
                }
            }
            V::W(_) => return None,
        }
        Some(out)
    }

    /// Lane `k` as an exact number, at the scale the `Decimal` engine
    /// gives it.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn num(&self, x: X, k: usize) -> Num {
        if let V::W(i) = x.v {
            return self.wide[i as usize][k];
        }
        let m = i128::from(self.at(x, k));
        match self.own_scales(x) {
            Some(scales) if u32::from(scales[k]) < x.s => {
                let own = u32::from(scales[k]);
                Num {
                    m: m / POW10[(x.s - own) as usize],
                    s: own,
                }
            }
            _ => Num { m, s: x.s },
        }
    }
}

/// `n / D` rounded half to even, `D` a power of ten known when compiled
/// (so the division is a multiplication).
#[cfg_attr(not(debug_assertions), inline(always))]
fn half_even<const D: i64>(n: i64) -> (i64, i64) {
    (half_even_by(n, D), 0)
}

mod scales;

#[cfg(test)]
mod tests;
