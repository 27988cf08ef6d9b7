//! The price step's fractions (docs/model.md §3 step 9) on block lanes when
//! they pass 64 bits: the lagged move `Σ w_k × gap_k / reference_k` over
//! reference rates that change (its denominator is the product of the
//! distinct references), and a price impact over such a fraction. Rather
//! than declining the whole block, each draw computes exactly what the
//! exact backend computes — the same functions on that draw's numbers, or
//! 128-bit integers and an `f64` estimate kept only where it provably
//! rounds alike — and the fraction is kept in the block's wide storage.

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use rust_decimal::Decimal;

use super::rounding::{at_scale4, half_step};
use crate::engine::arith::Impact;
use crate::engine::exact;
use crate::num::convert::{small_to_f64, trunc_small, SMALL};
use crate::num::fixed::{num_f64, Num, POW10};
use crate::num::lanes::{Block, LANES, V, X};
use crate::num::quotient;

/// The lagged move as `exact::lagged_exact` computes it, on the block's
/// lanes: terms over the same reference summed first, then the groups
/// brought to the product of their references. `None` (what it allocated
/// is then stale) where the exact function would leave the exact fraction
/// or group otherwise in some draw, or cannot be followed in 64 bits: an
/// operand of a product or sum is zero in some draw (a `Decimal` product of
/// zero has scale 0 and a sum with zero is the other operand, so
/// `lagged_exact` gives up there), a product or sum passes 64 bits (the
/// block is marked), or two references equal in some draw are different
/// quantities here ([`references_apart`]). Inlined into the caller, so it
/// is compiled with the block's instruction set (AVX2 or AVX-512) as the
/// rest of the month is.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn lagged_on_block(b: &mut Block, terms: &[(X, X, X)]) -> Option<(X, X)> {
    let mut groups: Vec<(X, X)> = Vec::with_capacity(terms.len());
    for &(w, gap, reference) in terms {
        if b.any_zero(w) || b.any_zero(gap) || b.any_zero(reference) {
            return None;
        }
        let term = b.mul(w, gap);
        match groups.iter().position(|&(r, _)| r == reference) {
            Some(i) => {
                if b.any_zero(groups[i].1) {
                    return None;
                }
                groups[i].1 = b.add(groups[i].1, term);
            }
            None => groups.push((reference, term)),
        }
    }
    // One reference (the common case: a reference rate with no steps)
    // has no other to be told apart from.
    let one_reference = groups.len() <= 1;
    let mut groups = groups.into_iter();
    let Some((mut den, mut num)) = groups.next() else {
        return Some((X::ZERO, X::constant(1, 0)));
    };
    for (r, n) in groups {
        if b.any_zero(num) || b.any_zero(n) {
            return None;
        }
        let scaled = b.mul(num, r);
        let cross = b.mul(n, den);
        num = b.add(scaled, cross);
        den = b.mul(den, r);
    }
    (!b.bad && (one_reference || references_apart(b, terms))).then_some((num, den))
}

/// Whether the references of `terms` that are different quantities
/// differ in value in every lane: the lanes then group the terms by
/// reference as the exact backend does (by value), draw by draw.
pub(super) fn references_apart(b: &mut Block, terms: &[(X, X, X)]) -> bool {
    let mut refs: Vec<X> = Vec::with_capacity(terms.len());
    for &(_, _, r) in terms {
        if !refs.contains(&r) {
            refs.push(r);
        }
    }
    for i in 0..refs.len() {
        for j in i + 1..refs.len() {
            let (below, above) = (b.less(refs[i], refs[j]), b.less(refs[j], refs[i]));
            if (0..LANES).any(|k| !below[k] && !above[k]) {
                return false;
            }
        }
    }
    true
}

/// What [`lagged_by_lane`] keeps from one month to the next, per draw:
/// each term's `(gap, reference)` and its 28-digit quotient. Next month
/// reads the same months' moves one lag further back, so their quotients
/// are taken from here (when the numbers are the very same).
#[derive(Debug, Default)]
pub(super) struct LagMemo {
    lanes: Vec<Vec<(Num, Num, Decimal)>>,
}

/// The lagged move of each draw as the exact backend's `lagged` gives it:
/// the exact fraction where it fits a `Decimal` (`exact::lagged_exact`),
/// else the 28-digit sum with denominator 1 (`exact::lagged_decimal`);
/// as wide quantities `(num, den)`. The block is marked where neither can
/// be computed (the exact backend then reports the error).
pub(super) fn lagged_by_lane(b: &mut Block, terms: &[(X, X, X)], memo: &mut LagMemo) -> (X, X) {
    let mut num = [Num::ZERO; LANES];
    let mut den = [Num::ZERO; LANES];
    let mut bad = false;
    // References that are constants group alike in every draw.
    let groups = terms
        .iter()
        .all(|t| matches!(t.2.v, V::C(_)))
        .then(|| group_of(&terms.iter().map(|t| b.num(t.2, 0)).collect::<Vec<_>>()));
    memo.lanes.resize_with(LANES, Vec::new);
    let mut nums = Vec::with_capacity(terms.len());
    for k in 0..LANES {
        nums.clear();
        nums.extend(
            terms
                .iter()
                .map(|&(w, g, r)| (b.num(w, k), b.num(g, k), b.num(r, k))),
        );
        let fraction = match lagged_num(&nums, groups.as_deref()) {
            Lagged::Exact(n, d) => Some((n, d)),
            Lagged::NotExact => None,
            Lagged::Unsure => {
                let dec: Vec<_> = nums
                    .iter()
                    .map(|(w, g, r)| (w.to_dec(), g.to_dec(), r.to_dec()))
                    .collect();
                exact::lagged_exact(&dec).map(|(n, d)| (Num::from_dec(n), Num::from_dec(d)))
            }
        };
        let fraction = fraction.or_else(|| {
            let de = lagged_decimal(&nums, &mut memo.lanes[k])?;
            Some((Num::from_dec(de), Num::int(1)))
        });
        match fraction {
            Some((n, d)) => {
                num[k] = n;
                den[k] = d;
            }
            None => bad = true,
        }
    }
    b.bad |= bad;
    (b.put_wide(&num), b.put_wide(&den))
}

/// `exact::lagged_decimal` on one draw's terms, each month's quotient
/// taken from `memo` (last month's terms, one lag nearer) where its gap
/// and reference are the same numbers; `memo` then holds this month's.
fn lagged_decimal(terms: &[(Num, Num, Num)], memo: &mut Vec<(Num, Num, Decimal)>) -> Option<Decimal> {
    let mut now = Vec::with_capacity(terms.len());
    let mut products = Vec::with_capacity(terms.len());
    for (j, &(w, gap, reference)) in terms.iter().enumerate() {
        let known = j
            .checked_sub(1)
            .and_then(|i| memo.get(i))
            .filter(|(g, r, _)| *g == gap && *r == reference);
        let q = match known {
            Some(&(_, _, q)) => q,
            None => exact::lagged_quotient(gap.to_dec(), reference.to_dec()).ok()?,
        };
        now.push((gap, reference, q));
        products.push((w.to_dec(), q));
    }
    *memo = now;
    exact::lagged_sum(&products).ok()
}

/// The group of each reference in order of first appearance, as
/// `exact::lagged_exact` groups them (by value).
fn group_of(references: &[Num]) -> Vec<usize> {
    let mut firsts: Vec<Num> = Vec::new();
    references
        .iter()
        .map(|r| match firsts.iter().position(|f| f.cmp_num(*r).is_eq()) {
            Some(i) => i,
            None => {
                firsts.push(*r);
                firsts.len() - 1
            }
        })
        .collect()
}

/// What [`lagged_num`] found of `exact::lagged_exact` on one draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lagged {
    /// Its fraction, every step exact.
    Exact(Num, Num),
    /// It gives none: a product does not fit a `Decimal` exactly.
    NotExact,
    /// A sum left what `Num` holds; `Decimal`'s own addition (with a
    /// wider buffer) decides.
    Unsure,
}

/// `a × b` as `exact::lagged_exact` multiplies (`mul_exact`): exact, or
/// no fraction at all; a product of zero keeps no scale in a `Decimal`,
/// so it ends the fraction unless both scales are 0.
fn times(a: Num, b: Num) -> Result<Num, Lagged> {
    if (a.is_zero() || b.is_zero()) && a.s + b.s > 0 {
        return Err(Lagged::NotExact);
    }
    a.times(b).ok_or(Lagged::NotExact)
}

/// `a + b` as `exact::lagged_exact` adds (`add_exact`) where `Num`
/// decides it; a sum past what `Num` holds, or with a zero operand (a
/// `Decimal` returns the other operand, scale and all), is left to the
/// `Decimal` function.
fn plus(a: Num, b: Num) -> Result<Num, Lagged> {
    if a.is_zero() || b.is_zero() {
        return Err(Lagged::Unsure);
    }
    a.plus(b).ok_or(Lagged::Unsure)
}

/// `exact::lagged_exact` on one draw's numbers, step for step in `Num`
/// (which gives exactly the `Decimal` result wherever that is exact, and
/// says when a product is not): the same groups by value (`groups`, the
/// group of each term, when known), the same order.
fn lagged_num(terms: &[(Num, Num, Num)], groups: Option<&[usize]>) -> Lagged {
    match lagged_steps(terms, groups) {
        Ok((num, den)) => Lagged::Exact(num, den),
        Err(found) => found,
    }
}

/// [`lagged_num`]'s steps: the fraction, or what stopped it.
fn lagged_steps(terms: &[(Num, Num, Num)], groups: Option<&[usize]>) -> Result<(Num, Num), Lagged> {
    let mut sums: Vec<(Num, Num)> = Vec::with_capacity(terms.len());
    for (j, &(w, gap, reference)) in terms.iter().enumerate() {
        let term = times(w, gap)?;
        let group = match groups {
            Some(g) => (g[j] < sums.len()).then_some(g[j]),
            None => sums.iter().position(|(r, _)| r.cmp_num(reference).is_eq()),
        };
        match group {
            Some(i) => sums[i].1 = plus(sums[i].1, term)?,
            None => sums.push((reference, term)),
        }
    }
    let mut sums = sums.into_iter();
    let Some((mut den, mut num)) = sums.next() else {
        return Ok((Num::ZERO, Num::int(1)));
    };
    for (r, n) in sums {
        // In `lagged_exact`'s order: a product that fails ends it there.
        let scaled = times(num, r)?;
        let cross = times(n, den)?;
        num = plus(scaled, cross)?;
        den = times(den, r)?;
    }
    Ok((num, den))
}

/// A price impact per lane, draw by draw ([`impact_of`]).
pub(super) fn impact_by_lane(b: &mut Block, exposure: X, num: X, den: X) -> X {
    let mut out = [0i64; LANES];
    let mut bad = false;
    for k in 0..LANES {
        match impact_of(b.num(exposure, k), b.num(num, k), b.num(den, k)) {
            Some(x) => out[k] = x,
            None => bad = true,
        }
    }
    b.bad |= bad;
    b.put(&out, 4)
}

/// `round4(100 × exposure × num / den)` in ten-thousandths, exactly what
/// `exact::impact` gives: in 128-bit integers where they hold the
/// fraction, else from an `f64` estimate that lies provably far from a
/// rounding tie, else by `exact::impact` itself. `None` where the exact
/// function fails or its result passes 64 bits.
pub(super) fn impact_of(exposure: Num, num: Num, den: Num) -> Option<i64> {
    // 100·e·n·10^(den.s + 4) / (d·10^(e.s + n.s)), the common powers of ten cancelled.
    let shift = i64::from(den.s) + 4 - i64::from(exposure.s) - i64::from(num.s);
    let in_128 = || -> Option<i64> {
        let mut p = exposure.m.checked_mul(num.m)?.checked_mul(100)?;
        let mut q = den.m;
        let f = *POW10.get(usize::try_from(shift.unsigned_abs()).ok()?)?;
        if shift >= 0 {
            p = p.checked_mul(f)?;
        } else {
            q = q.checked_mul(f)?;
        }
        if q < 0 {
            p = p.checked_neg()?;
            q = q.checked_neg()?;
        }
        if q == 0 {
            return None;
        }
        i64::try_from(quotient::div_half_even(p, q)).ok()
    };
    if let Some(x) = in_128() {
        return Some(x);
    }
    if let (Some(e), Some(n), Some(d)) = (num_f64(exposure), num_f64(num), num_f64(den)) {
        // Three conversions and four operations, each correctly rounded:
        // within 7 units of 2^-53 of the exact value, relative (no operand
        // of at most 28 digits and 28 places under- or overflows a double).
        let x = 100.0 * e * n / d * 1e4;
        if x.is_finite() && x.abs() < SMALL {
            let whole = trunc_small(x);
            let frac = x - small_to_f64(whole);
            if (frac.abs() - 0.5).abs() > x.abs() * 16.0 * f64::EPSILON {
                return Some(whole + half_step(frac));
            }
        }
    }
    let v = exact::impact(&Impact {
        exposure: exposure.to_dec(),
        num: num.to_dec(),
        den: den.to_dec(),
    })
    .ok()?;
    (v.scale() <= 4)
        .then(|| i64::try_from(at_scale4(v).mantissa()).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    fn n(s: &str) -> Num {
        Num::from_dec(d(s))
    }

    #[test]
    fn impacts_agree_with_the_exact_function_at_every_width() {
        let cases = [
            // Fits 64 bits.
            ("0.2016", "-12.3456", "1460"),
            // A numerator past 2^95, within 128 bits.
            ("0.2015998765", "668123456789.0123456789", "2869643640"),
            // A 28-digit move over 1: past 128 bits, the estimate decides.
            ("0.2015998765432101", "0.0412345678901234567890123456", "1"),
            ("-0.2015998765432101", "0.0412345678901234567890123456", "3"),
            // Ties at the fifth place past 128 bits: the exact function decides.
            (
                "1.0000000000000000000000000000",
                "0.0000005000000000000000000000",
                "1",
            ),
            (
                "1.0000000000000000000000000000",
                "0.0000015000000000000000000000",
                "1",
            ),
            (
                "-1.0000000000000000000000000000",
                "0.0000025000000000000000000000",
                "1",
            ),
        ];
        for (e, num, den) in cases {
            let want = exact::impact(&Impact {
                exposure: d(e),
                num: d(num),
                den: d(den),
            })
            .unwrap();
            let got = impact_of(n(e), n(num), n(den)).unwrap();
            assert_eq!(Decimal::new(got, 4), want, "{e} × {num} / {den}");
        }
        assert_eq!(impact_of(n("1"), n("1"), n("0")), None);
    }

    #[test]
    fn lagged_moves_step_as_the_exact_function_does() {
        let lags = [
            "0.041667", "0.041667", "0.041667", "0.041667", "0.041667", "0.041666",
        ];
        for references in [6, 12, 24] {
            let terms: Vec<(Decimal, Decimal, Decimal)> = (0..references)
                .map(|k| {
                    let w = d(lags[k % lags.len()]);
                    let gap = Decimal::new(1_234_567 - 97_531 * k as i64, 4);
                    (w, gap, Decimal::from(1400 + k as i64))
                })
                .collect();
            let nums: Vec<(Num, Num, Num)> = terms
                .iter()
                .map(|(w, g, r)| (Num::from_dec(*w), Num::from_dec(*g), Num::from_dec(*r)))
                .collect();
            let groups = group_of(&nums.iter().map(|t| t.2).collect::<Vec<_>>());
            let (by_value, by_group) = (lagged_num(&nums, None), lagged_num(&nums, Some(&groups)));
            assert_eq!(by_value, by_group);
            let mut memo = Vec::new();
            assert_eq!(
                lagged_decimal(&nums, &mut memo),
                exact::lagged_decimal(&terms).ok(),
                "{references} references"
            );
            // Next month: the same moves one lag further back, quotients remembered.
            let mut later = nums.clone();
            later.insert(
                0,
                (
                    Num::from_dec(d("0.05")),
                    Num::from_dec(d("-3.25")),
                    Num::from_dec(d("1399.5")),
                ),
            );
            later.pop();
            let later_dec: Vec<_> = later
                .iter()
                .map(|(w, g, r)| (w.to_dec(), g.to_dec(), r.to_dec()))
                .collect();
            assert_eq!(
                lagged_decimal(&later, &mut memo),
                exact::lagged_decimal(&later_dec).ok()
            );
            agrees(&terms);
            assert_eq!(matches!(by_value, Lagged::Exact(..)), references == 6);
        }
        // Zeros: a product of zero ends the exact fraction (its `Decimal`
        // has scale 0); a sum with zero is left to `Decimal`.
        let t = |w: &str, g: &str, r: &str| (d(w), d(g), d(r));
        let zero_gap = [t("0.5", "12.5000", "1460"), t("0.5", "0.0000", "1470")];
        assert_eq!(agrees(&zero_gap), Lagged::NotExact);
        let cancelling = [
            t("0.5", "1.0000", "1400"),
            t("0.25", "-2.0000", "1400"),
            t("0.25", "1.0000", "1400"),
        ];
        assert_eq!(agrees(&cancelling), Lagged::Unsure);
        let integers = [t("0", "7", "1400"), t("1", "3", "1400")];
        assert_eq!(agrees(&integers), Lagged::Unsure);
    }

    /// `lagged_num` on `terms` against `exact::lagged_exact`: the same
    /// fraction when exact, none when not exact; what it found.
    fn agrees(terms: &[(Decimal, Decimal, Decimal)]) -> Lagged {
        let nums: Vec<(Num, Num, Num)> = terms
            .iter()
            .map(|(w, g, r)| (Num::from_dec(*w), Num::from_dec(*g), Num::from_dec(*r)))
            .collect();
        let found = lagged_num(&nums, None);
        match (found, exact::lagged_exact(terms)) {
            (Lagged::Exact(n, den), Some((en, ed))) => {
                assert_eq!((n.to_dec(), den.to_dec()), (en, ed), "{terms:?}");
                assert_eq!((n.s, den.s), (en.scale(), ed.scale()), "{terms:?}");
            }
            (Lagged::NotExact, None) | (Lagged::Unsure, _) => {}
            (got, want) => panic!("{terms:?}: {got:?} against {want:?}"),
        }
        found
    }
}
