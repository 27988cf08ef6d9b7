//! The two exceptions a block makes to one scale and 64 bits per
//! quantity, each for what the `Decimal` engine does.
//!
//! The draws' own scales: a block holds every draw of a quantity at one
//! scale, but the `Decimal` engine keeps the scale of whichever operand a
//! `min`, `max` or selection picked (the parallel rate is `1310` where the
//! official floor binds and `1480.1234` elsewhere). When results must
//! carry the engine's scales (values written out as text), the block
//! keeps those draws' own scales beside their values instead of giving up;
//! sums and products carry them on as the `Decimal` engine does, and
//! every rounding or division ends them (its scale is fixed). The values
//! are unaffected: a draw's mantissa at the shared scale is its own
//! mantissa times a power of ten.
//!
//! Wide storage ([`V::W`]): one exact number per draw, for the few
//! quantities past 64 bits (lagged moves over many reference rates), with
//! the misuse of one (an operation that reads 64-bit mantissas) declining
//! the block.

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use super::{Block, LANES, V, X};
use crate::num::fixed::Num;

impl Block {
    /// Stores one exact number per draw as a wide quantity ([`V::W`]).
    pub fn put_wide(&mut self, lane: &[Num; LANES]) -> X {
        if self.wide_top == self.wide.len() {
            self.wide.push([Num::ZERO; LANES]);
        }
        self.wide[self.wide_top] = *lane;
        self.wide_top += 1;
        X {
            v: V::W((self.wide_top - 1) as u32),
            s: 0,
        }
    }

    /// Whether `x` is a wide quantity.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn is_wide(x: X) -> bool {
        matches!(x.v, V::W(_))
    }

    /// The draws' own scales of `x` where they differ from `x.s`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(super) fn own_scales(&self, x: X) -> Option<&[u8; LANES]> {
        match x.v {
            V::L(i) => self.scales.get(i),
            _ => None,
        }
    }

    /// Every draw's scale of `x` (its own where recorded, else `x.s`).
    pub(super) fn lane_scales(&self, x: X) -> [u8; LANES] {
        match self.own_scales(x) {
            Some(s) => *s,
            None => [x.s.min(255) as u8; LANES],
        }
    }

    /// Whether `a` or `b` has draws with scales of their own.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(super) fn mixed(&self, a: X, b: X) -> bool {
        self.own_scales(a).is_some() || self.own_scales(b).is_some()
    }

    /// Records the scales of the draws of `r`, just computed from `a` and
    /// `b` by `combine` (a sum's, a product's).
    pub(super) fn carry_scales(
        &mut self,
        r: X,
        a: X,
        b: X,
        combine: fn(&[u8; LANES], &[u8; LANES]) -> [u8; LANES],
    ) {
        if let V::L(i) = r.v {
            let scales = combine(&self.lane_scales(a), &self.lane_scales(b));
            self.scales.set(i, scales, r.s);
        }
    }

    /// Records the scales of the draws of `r`, just computed as `a × b`:
    /// the sum of the operands' where the product is not zero, else 0 (a
    /// `Decimal` product of zero has scale 0).
    pub(super) fn carry_product_scales(&mut self, r: X, a: X, b: X) {
        let V::L(i) = r.v else {
            return;
        };
        if !self.mixed(a, b) && !self.any_zero(r) {
            // Every draw has the product's own scale (a fresh lane records none).
            return;
        }
        let (sa, sb) = (self.lane_scales(a), self.lane_scales(b));
        let lane = &self.arena[i as usize];
        let mut out = [0u8; LANES];
        for k in 0..LANES {
            out[k] = if lane[k] == 0 {
                0
            } else {
                sa[k].saturating_add(sb[k])
            };
        }
        self.scales.set(i, out, r.s);
    }

    /// Marks a wide quantity's use where 64-bit mantissas are read.
    #[cold]
    pub(super) fn misuse(&self) {
        self.misused.set(true);
    }
}

/// Per lane of a block's storage, the scales of its draws when they are
/// not all the quantity's own; nothing is recorded until a block needs it.
#[derive(Debug, Clone, Default)]
pub(super) struct LaneScales {
    table: Vec<Option<[u8; LANES]>>,
    /// Whether any entry is recorded (the table is otherwise all `None`).
    any: bool,
}

impl LaneScales {
    /// Forgets every entry (a new block).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(super) fn reset(&mut self) {
        if self.any {
            self.table.iter_mut().for_each(|e| *e = None);
            self.any = false;
        }
    }

    /// Forgets the entry of storage lane `i` (just allocated or rewritten).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(super) fn clear(&mut self, i: u32) {
        if self.any {
            if let Some(e) = self.table.get_mut(i as usize) {
                *e = None;
            }
        }
    }

    /// The draws' own scales of storage lane `i`, if they differ from its
    /// quantity's.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(super) fn get(&self, i: u32) -> Option<&[u8; LANES]> {
        if !self.any {
            return None;
        }
        self.table.get(i as usize)?.as_ref()
    }

    /// Records the draws' scales of storage lane `i`, whose quantity has
    /// scale `s` (nothing is kept when every draw has `s`).
    pub(super) fn set(&mut self, i: u32, scales: [u8; LANES], s: u32) {
        if scales.iter().all(|x| u32::from(*x) == s) {
            self.clear(i);
            return;
        }
        let i = i as usize;
        if self.table.len() <= i {
            self.table.resize(i + 1, None);
        }
        self.table[i] = Some(scales);
        self.any = true;
    }

    /// Gives storage lane `to` the entry of lane `from` (a copy of its values).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub(super) fn copy(&mut self, from: u32, to: u32) {
        if !self.any {
            return;
        }
        let entry = self.get(from).copied();
        let to = to as usize;
        if self.table.len() <= to {
            self.table.resize(to + 1, None);
        }
        self.table[to] = entry;
    }
}

/// Each lane's scale of a sum, `max` of the operands' (`Decimal` addition).
pub(super) fn of_sum(a: &[u8; LANES], b: &[u8; LANES]) -> [u8; LANES] {
    let mut out = [0u8; LANES];
    for k in 0..LANES {
        out[k] = a[k].max(b[k]);
    }
    out
}

/// Each lane's scale of a selection: `b`'s where `pick_b`, else `a`'s.
pub(super) fn of_selection(pick_b: &[bool; LANES], a: &[u8; LANES], b: &[u8; LANES]) -> [u8; LANES] {
    let mut out = [0u8; LANES];
    for k in 0..LANES {
        out[k] = if pick_b[k] { b[k] } else { a[k] };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_kept_only_where_the_scales_differ() {
        let mut t = LaneScales::default();
        assert!(t.get(3).is_none());
        t.set(3, [4; LANES], 4);
        assert!(t.get(3).is_none(), "uniform scales are the quantity's own");
        let mut mixed = [4u8; LANES];
        mixed[7] = 0;
        t.set(3, mixed, 4);
        assert_eq!(t.get(3).map(|s| s[7]), Some(0));
        t.copy(3, 9);
        assert_eq!(t.get(9), Some(&mixed));
        t.clear(3);
        assert!(t.get(3).is_none());
        t.reset();
        assert!(t.get(9).is_none());
        assert_eq!(of_sum(&mixed, &[2; LANES])[7], 2);
        let mut pick = [false; LANES];
        pick[7] = true;
        assert_eq!(of_selection(&pick, &[4; LANES], &mixed)[7], 0);
    }
}
