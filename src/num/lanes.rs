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

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use crate::num::binary::POW10_F64;
use crate::num::convert::to_f64;
use crate::num::fixed::Num;
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
    /// Some operation could not be done exactly in 64 bits.
    pub bad: bool,
    /// Results must also carry the `Decimal` engine's scales (for output
    /// as text), not just its values: a selection between operands of
    /// different scales then marks the block.
    pub exact_scale: bool,
}

impl Block {
    /// Readies the storage for a new block: frees every lane, clears `bad` and sets
    /// `exact_scale`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn reset(&mut self, exact_scale: bool) {
        self.top = 0;
        self.bad = false;
        self.exact_scale = exact_scale;
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
        (self.top - 1) as u32
    }

    /// Lane `k` of `x`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn at(&self, x: X, k: usize) -> i64 {
        match x.v {
            V::C(c) => c,
            V::L(i) => self.arena[i as usize][k],
        }
    }

    /// All lanes of `x`, as a copy.
    #[inline]
    pub fn get(&self, x: X) -> Lane {
        match x.v {
            V::C(c) => [c; LANES],
            V::L(i) => self.arena[i as usize],
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
    /// so it survives a release; constants stay constants.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn keep(&mut self, x: X, home: u32) -> X {
        match x.v {
            V::C(_) => x,
            V::L(i) if i == home => x,
            V::L(i) => {
                self.arena[home as usize] = self.arena[i as usize];
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
            (V::C(_), V::C(_)) => unreachable!("handled above"),
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
        if Self::is_zero_within(b, a.s) {
            return a;
        }
        if Self::is_zero_within(a, b.s) {
            return b;
        }
        let s = a.s.max(b.s);
        let (a, b) = (self.align(a, s), self.align(b, s));
        X {
            v: self.zip(a.v, b.v, |x, y| {
                let r = x.wrapping_add(y);
                (r, (x ^ r) & (y ^ r))
            }),
            s,
        }
    }

    /// `a − b` per lane at the larger scale; marks the block `bad` when a difference or
    /// an alignment leaves 64 bits.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn sub(&mut self, a: X, b: X) -> X {
        if Self::is_zero_within(b, a.s) {
            return a;
        }
        let s = a.s.max(b.s);
        let (a, b) = (self.align(a, s), self.align(b, s));
        X {
            v: self.zip(a.v, b.v, |x, y| {
                let r = x.wrapping_sub(y);
                (r, (x ^ y) & (x ^ r))
            }),
            s,
        }
    }

    /// `a · b` per lane at scale `a.s + b.s`, exactly; marks the block `bad` when a
    /// product leaves 64 bits or the scale passes 28.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn mul(&mut self, a: X, b: X) -> X {
        let s = a.s + b.s;
        self.bad |= s > 28;
        if a.v == V::C(0) || b.v == V::C(0) {
            return X { v: V::C(0), s };
        }
        X {
            v: self.times(a.v, b.v),
            s,
        }
    }

    /// `a · b` when the caller knows from bounds that every product fits
    /// 64 bits (and the scales sum to at most 28): no check of its own.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn mul_within(&mut self, a: X, b: X) -> X {
        let s = a.s + b.s;
        if a.v == V::C(0) || b.v == V::C(0) {
            return X { v: V::C(0), s };
        }
        X {
            v: self.zip(a.v, b.v, |x, y| (x.wrapping_mul(y), 0)),
            s,
        }
    }

    /// Rounds half to even to `dp` places, scale fixed at `dp`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn round(&mut self, a: X, dp: u32) -> X {
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
        if a.s != b.s && self.exact_scale {
            self.bad = true;
        }
        let s = a.s.max(b.s);
        let (a, b) = (self.align(a, s), self.align(b, s));
        let (x, y) = (self.get(a), self.get(b));
        let out = self.alloc();
        let dst = &mut self.arena[out as usize];
        for k in 0..LANES {
            dst[k] = if pick_b[k] { y[k] } else { x[k] };
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

    /// The largest absolute mantissa of `x` over all lanes.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn max_abs(&self, x: X) -> u64 {
        match x.v {
            V::C(c) => c.unsigned_abs(),
            V::L(i) => self.arena[i as usize]
                .iter()
                .fold(0, |m, v| m.max(v.unsigned_abs())),
        }
    }

    /// The smallest mantissa of `x` over all lanes.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn min_value(&self, x: X) -> i64 {
        match x.v {
            V::C(c) => c,
            V::L(i) => self.arena[i as usize].iter().fold(i64::MAX, |m, v| m.min(*v)),
        }
    }

    /// Every lane of `x` as the nearest `f64` (what `fixed::num_f64`
    /// gives), when that is one exact division: mantissas within 2^53 and
    /// a power of ten that a double holds exactly; `None` otherwise.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn to_f64s(&self, x: X) -> Option<[f64; LANES]> {
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
        }
        Some(out)
    }

    /// Lane `k` as an exact number.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn num(&self, x: X, k: usize) -> Num {
        Num {
            m: i128::from(self.at(x, k)),
            s: x.s,
        }
    }
}

/// `n / D` rounded half to even, `D` a power of ten known when compiled
/// (so the division is a multiplication).
#[cfg_attr(not(debug_assertions), inline(always))]
fn half_even<const D: i64>(n: i64) -> (i64, i64) {
    (half_even_by(n, D), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_compute_what_each_draw_would() {
        let mut b = Block::default();
        b.reset(false);
        let mut xs = [0i64; LANES];
        for (k, x) in xs.iter_mut().enumerate() {
            *x = k as i64 * 125 - 4000; // −40.00 … +38.75, cents
        }
        let x = b.put(&xs, 2);
        let rate = X::constant(15, 1); // 1.5
        let y = b.mul(x, rate); // scale 3
        let r = b.round(y, 2);
        for k in 0..LANES {
            // x × 1.5 in thousandths, then half to even to cents.
            let exact = Num {
                m: i128::from(xs[k]) * 15,
                s: 3,
            };
            assert_eq!(b.num(r, k), exact.round(2).unwrap(), "lane {k}");
        }
        let sum = b.add(r, X::constant(1, 0));
        assert_eq!(b.num(sum, 0), Num { m: -5900, s: 2 });
        assert!(!b.bad);
        // Overflow marks the block instead of wrapping.
        let big = b.mul(x, X::constant(i64::MAX / 2, 0));
        let _ = big;
        assert!(b.bad);
    }

    #[test]
    fn selections_keep_the_chosen_scale() {
        let mut b = Block::default();
        b.reset(true);
        let a = X::constant(500, 0);
        let c = b.put(&[60_000; LANES], 2); // 600.00
                                            // Every lane keeps 500: the result is `a` itself, scale 0.
        assert_eq!(b.min(a, c), a);
        let mut mixed = [60_000; LANES];
        mixed[3] = 40_000;
        let c = b.put(&mixed, 2);
        let m = b.min(a, c);
        assert_eq!(b.num(m, 3), Num { m: 40_000, s: 2 });
        assert_eq!(b.num(m, 0), Num { m: 50_000, s: 2 });
        // Mixed scales when the text of each scale matters: the block is marked.
        assert!(b.bad);
    }
}
