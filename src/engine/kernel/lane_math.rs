//! The divisions of docs/model.md §3 on block lanes: each gives, lane by lane,
//! exactly what the exact backend gives (`fixed::div_round`,
//! `fixed::ratio_f64`, `engine::exact::effective`), with the
//! decimal scale factors worked out once per block instead of per draw.
//! A lane whose numbers leave the exact range marks the block.

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use super::lane_wide;
use super::rounding::{at_scale4, half_step};
use crate::engine::arith::Impact;
use crate::num::convert::{small_to_f64, to_f64, trunc_small, SMALL};
use crate::num::fixed::{self as exact, POW10};
use crate::num::lanes::{Block, Lane, LANES, V, X};
use crate::num::quotient;
use crate::num::quotient::div_half_even_by;

/// Largest mantissa a `Decimal` holds (what `Num` checks after each step).
pub(super) const MAX_M: i128 = (1 << 96) - 1;

/// `10^e` as an `i128`, `None` beyond 10^38.
#[cfg_attr(not(debug_assertions), inline(always))]
pub(super) fn p10(e: u32) -> Option<i128> {
    POW10.get(e as usize).copied()
}

/// `round4(n / d)` per lane (`exact::div_round(n, d, 4)`).
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn divide(b: &mut Block, n: X, d: X) -> X {
    let s = n.s.max(d.s);
    let (Some(fn_), Some(fd)) = (p10(s - n.s + 4), p10(s - d.s)) else {
        b.bad = true;
        return X::ZERO;
    };
    // When no lane can overflow 64 bits and every divisor is positive,
    // the plain loop (the divisor's reciprocal computed once if constant).
    let limit = 1u128 << 62;
    if fn_ < limit as i128
        && fd < limit as i128
        && u128::from(b.max_abs(n)) * (fn_ as u128) < limit
        && u128::from(b.max_abs(d)) * (fd as u128) < limit
        && b.min_value(d) > 0
    {
        let (fn_, fd) = (fn_ as i64, fd as i64);
        let mut out: Lane = [0; LANES];
        let nl = b.get(n);
        match d.v {
            V::C(c) => {
                let q = c * fd;
                let inv = 1.0 / q as f64;
                if (b.max_abs(n) as f64 * fn_ as f64) * inv < 2f64.powi(40) {
                    for k in 0..LANES {
                        out[k] = quotient::div_half_even_near(nl[k] * fn_, q, inv);
                    }
                } else {
                    for k in 0..LANES {
                        out[k] = quotient::div_half_even_i64(nl[k] * fn_, q, inv);
                    }
                }
            }
            _ => {
                let dl = b.get(d);
                for k in 0..LANES {
                    let q = dl[k] * fd;
                    out[k] = quotient::div_half_even_i64(nl[k] * fn_, q, 1.0 / to_f64(q));
                }
            }
        }
        return b.put(&out, 4);
    }
    let (nl, dl) = (b.get(n), b.get(d));
    let mut out: Lane = [0; LANES];
    let mut bad = false;
    for k in 0..LANES {
        let (Some(p), Some(q)) = (
            i128::from(nl[k]).checked_mul(fn_),
            i128::from(dl[k]).checked_mul(fd),
        ) else {
            bad = true;
            continue;
        };
        if q == 0 {
            bad = true;
            continue;
        }
        let (p, q) = if q < 0 { (-p, -q) } else { (p, q) };
        let r = match (i64::try_from(p), i64::try_from(q)) {
            (Ok(p), Ok(q)) => quotient::div_half_even_i64(p, q, 1.0 / q as f64),
            _ => match i64::try_from(quotient::div_half_even(p, q)) {
                Ok(r) => r,
                Err(_) => {
                    bad = true;
                    0
                }
            },
        };
        out[k] = r;
    }
    b.bad |= bad;
    b.put(&out, 4)
}

/// A price impact per lane (`engine::exact::impact`, the lagged move `num / den`
/// as `gap / reference`): `round4(100 × exposure × gap / reference)`, in
/// 128 bits (basket shares drawn to six places each make the product 18
/// places deep). The exact backend computes the exact fraction at any
/// width, so only the integers here must fit, not a `Decimal`; where they
/// do not, or the move is wide, each draw on its own (`lane_wide`).
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn impact(b: &mut Block, exposure: X, gap: X, reference: X) -> X {
    if [exposure, gap, reference].iter().any(|x| Block::is_wide(*x)) {
        return lane_wide::impact_by_lane(b, exposure, gap, reference);
    }
    let sp = exposure.s + gap.s; // 100 × exposure × gap
    let s = sp.max(reference.s);
    let (Some(fp), Some(fq)) = (p10(s - sp + 4), p10(s - reference.s)) else {
        return lane_wide::impact_by_lane(b, exposure, gap, reference);
    };
    let bound = |x: X| b.max_abs(x) as f64 * (1.0 + 1e-9);
    let b_scaled = 100.0 * bound(exposure) * bound(gap);
    let unchecked = b_scaled * (fp as f64) < 2f64.powi(126)
        && bound(reference) * (fq as f64) < 2f64.powi(126)
        && b.min_value(reference) > 0;
    let (ex, ga, re) = (b.get(exposure), b.get(gap), b.get(reference));
    let mut out: Lane = [0; LANES];
    // In 64 bits when nothing can pass 2^62 and quotients stay small.
    let limit = 2f64.powi(62);
    if unchecked && b_scaled * (fp as f64) < limit && bound(reference) * (fq as f64) < limit && fp < (1 << 62)
    {
        let min_q = b.min_value(reference) as f64 * fq as f64;
        if b_scaled * (fp as f64) / min_q < 2f64.powi(40) {
            let (fp, fq) = (fp as i64, fq as i64);
            for k in 0..LANES {
                let q = re[k] * fq;
                let p = 100 * ex[k] * ga[k] * fp;
                out[k] = quotient::div_half_even_near(p, q, 1.0 / to_f64(q));
            }
            return b.put(&out, 4);
        }
    }
    let mut bad = false;
    for k in 0..LANES {
        let r = if unchecked {
            let p = 100 * i128::from(ex[k]) * i128::from(ga[k]) * fp;
            let q = i128::from(re[k]) * fq;
            i64::try_from(quotient::div_half_even(p, q)).ok()
        } else {
            lane_wide::impact_of(b.num(exposure, k), b.num(gap, k), b.num(reference, k))
        };
        match r {
            Some(x) => out[k] = x,
            None => bad = true,
        }
    }
    b.bad |= bad;
    b.put(&out, 4)
}

/// `round(Π factors, dp)` per lane with the product in 128 bits (dollars
/// times a rate drawn to six places pass 64 bits), exactly as the exact
/// backend's arbitrary-precision product rounds it; a lane whose product
/// passes 128 bits, or whose result passes 64, marks the block. The scale
/// of the product is the same in every lane, so the power of ten it is
/// divided by, and its reciprocal for the quotient's estimate, are found
/// once. `bound` is the product of the factors' largest magnitudes (the
/// caller has it from deciding that 64 bits do not do): below 2^126, no
/// lane's product needs checking.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn round_product(b: &mut Block, factors: &[X], dp: u32, bound: u128) -> X {
    let lanes: Vec<Lane> = factors.iter().map(|x| b.get(*x)).collect();
    let scale: u32 = factors.iter().map(|f| f.s).sum();
    // Multiplied by 10^(dp − scale), or divided by 10^(scale − dp) (with
    // the divisor's reciprocal).
    enum ToDp {
        Up(i128),
        Down(i128, f64),
    }
    let to_dp = if scale <= dp {
        POW10.get((dp - scale) as usize).map(|&up| ToDp::Up(up))
    } else {
        POW10
            .get((scale - dp) as usize)
            .map(|&d| ToDp::Down(d, 1.0 / d as f64))
    };
    let Some(to_dp) = to_dp else {
        b.bad = true;
        return b.put(&[0; LANES], dp);
    };
    let unchecked = bound < 1 << 126;
    let mut out: Lane = [0; LANES];
    let mut bad = false;
    for k in 0..LANES {
        let product = if unchecked {
            Some(lanes.iter().fold(1i128, |x, l| x.wrapping_mul(i128::from(l[k]))))
        } else {
            lanes
                .iter()
                .try_fold(1i128, |x, l| x.checked_mul(i128::from(l[k])))
        };
        let units = product.and_then(|x| match to_dp {
            ToDp::Up(up) => x.checked_mul(up),
            ToDp::Down(d, inv) => Some(div_half_even_by(x, d, inv)),
        });
        match units.and_then(|u| i64::try_from(u).ok()) {
            Some(u) => out[k] = u,
            None => bad = true,
        }
    }
    b.bad |= bad;
    b.put(&out, dp)
}

/// Planes needed per lane: `ceil(shipped / capacity)` in cents.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn flights(b: &mut Block, shipped: X, capacity: X) -> X {
    let s = b.round(shipped, 2);
    let c = b.round(capacity, 2);
    let planes = |s: i64, c: i64| {
        if s > 0 && c > 0 {
            s / c + i64::from(s % c != 0)
        } else {
            0
        }
    };
    if let (V::C(s), V::C(c)) = (s.v, c.v) {
        return X::constant(planes(s, c), 0);
    }
    let (s, c) = (b.get(s), b.get(c));
    let mut lane = [0i64; LANES];
    for d in 0..LANES {
        lane[d] = planes(s[d], c[d]);
    }
    b.put(&lane, 0)
}

/// Year-on-year CPI inflation per lane (`exact::yoy`): from an `f64`
/// estimate where it provably rounds as the exact fraction, else by the
/// exact function on that lane's numbers.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn yoy(b: &mut Block, inflation: X, now: &Impact<X>, back: Option<&Impact<X>>) -> X {
    let mut out: Lane = [0; LANES];
    let mut bad = false;
    // Each operand's lanes as f64 (NaN where a lane has none: its
    // estimate is then not finite and the exact function decides).
    let all = |x: X| {
        b.to_f64s(x).unwrap_or_else(|| {
            let mut out = [f64::NAN; LANES];
            for (k, o) in out.iter_mut().enumerate() {
                *o = exact::num_f64(b.num(x, k)).unwrap_or(f64::NAN);
            }
            out
        })
    };
    let levels = |i: &Impact<X>| (all(i.exposure), all(i.num), all(i.den));
    let (infl, (e, n, d)) = (all(inflation), levels(now));
    let back_levels = back.map(levels);
    for k in 0..LANES {
        let level_back = back_levels
            .as_ref()
            .map_or(1.0, |(e, n, d)| 1.0 + e[k] * n[k] / d[k]);
        let q = (1.0 + infl[k] / 100.0) * (1.0 + e[k] * n[k] / d[k]) / level_back;
        let x = 100.0 * (q - 1.0) * 1e4;
        if x.is_finite() && x.abs() < SMALL {
            // Each of the dozen operations errs by half a unit of 2^-52 of
            // its result; q is within a few percent of 1, so the error of
            // x is below 1e6 · 64 units; a tie farther than that decides.
            let whole = trunc_small(x);
            let frac = x - small_to_f64(whole);
            if (frac.abs() - 0.5).abs() > 1e6 * 64.0 * f64::EPSILON * (1.0 + x.abs() / 1e6) {
                out[k] = whole + half_step(frac);
                continue;
            }
        }
        let d = |x: X| b.num(x, k).to_dec();
        let imp = |i: &Impact<X>| Impact {
            exposure: d(i.exposure),
            num: d(i.num),
            den: d(i.den),
        };
        let back = back.map(imp);
        match crate::engine::exact::yoy(d(inflation), &imp(now), back.as_ref()) {
            Ok(v) if v.scale() <= 4 => match i64::try_from(at_scale4(v).mantissa()) {
                Ok(m) => out[k] = m,
                Err(_) => bad = true,
            },
            _ => bad = true,
        }
    }
    b.bad |= bad;
    b.put(&out, 4)
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::lane_effective::{effective, Blend};
    use super::*;

    /// A lane whose `k`-th value is `f(k)` (also for `lane_rate`'s tests).
    pub(in crate::engine::kernel) fn lane_of(mut f: impl FnMut(usize) -> i64) -> Lane {
        let mut l = [0; LANES];
        for (k, x) in l.iter_mut().enumerate() {
            *x = f(k);
        }
        l
    }

    #[test]
    fn divisions_agree_with_the_exact_functions() {
        let mut b = Block::default();
        b.reset(false);
        // Numerators around ±1,234.5678 in ten-thousandths, divisors around 1,310.
        let n = b.put(&lane_of(|k| (k as i64 - 32) * 385_802_469), 4);
        let d = b.put(&lane_of(|k| 1_310_000_000 + k as i64 * 77), 6);
        let q = divide(&mut b, n, d);
        assert!(!b.bad);
        for k in 0..LANES {
            let (nn, dd) = (b.num(n, k), b.num(d, k));
            assert_eq!(Some(b.num(q, k)), exact::div_round(nn, dd, 4), "lane {k}");
        }
    }

    /// The product of the factors' largest magnitudes, as `product_round`
    /// passes it.
    fn bound(b: &Block, xs: &[X]) -> u128 {
        xs.iter()
            .fold(1, |m, x| m.saturating_mul(u128::from(b.max_abs(*x))))
    }

    /// `round_product` of `factors` (lanes and their scales) against the
    /// exact backend's arbitrary-precision product, lane by lane.
    fn products_agree(factors: &[(Lane, u32)], dp: u32) -> bool {
        let mut b = Block::default();
        b.reset(false);
        let xs: Vec<X> = factors.iter().map(|(l, s)| b.put(l, *s)).collect();
        let most = bound(&b, &xs);
        let r = round_product(&mut b, &xs, dp, most);
        for k in 0..LANES {
            let ds: Vec<_> = xs.iter().map(|x| b.num(*x, k).to_dec()).collect();
            let want = crate::num::wide::product_round(&ds, dp);
            if !b.bad {
                assert_eq!(Some(b.num(r, k).to_dec()), want, "lane {k}");
            }
        }
        !b.bad
    }

    #[test]
    fn products_round_as_the_exact_backend_rounds_them() {
        // Barrels × days × a price drawn to eight places, in cents: the
        // product's mantissa passes 64 bits before the rounding. Lane 0 by
        // hand: 3,375,808 × 31 = 104,650,048 barrels at $75.05519100 is
        // $7,854,529,340.799168 → 7,854,529,340.80.
        let volume = lane_of(|k| 3_375_808 + k as i64 * 1_001);
        let days = [31; LANES];
        let price = lane_of(|k| 7_110_456_700 - (k as i64 - 32) * 12_345_700);
        assert!(products_agree(&[(volume, 0), (days, 0), (price, 8)], 2));
        let mut b = Block::default();
        b.reset(false);
        let xs = [b.put(&volume, 0), b.put(&days, 0), b.put(&price, 8)];
        let most = bound(&b, &xs);
        let r = round_product(&mut b, &xs, 2, most);
        assert_eq!(b.num(r, 0).to_dec(), "7854529340.80".parse().unwrap());
        // Signs, and ties at the rounding digit: 0.005 × 1 and −0.015 × 1
        // to 2 places are 0.00 and −0.02 (half to even).
        let ties = lane_of(|k| [5, -15, 25, -35][k % 4] * 1_000_000_000_000);
        assert!(products_agree(&[(ties, 15), ([1; LANES], 0)], 2));
        // Fewer places than wanted: scaled up, not divided.
        assert!(products_agree(
            &[(lane_of(|k| k as i64 - 32), 0), ([3; LANES], 1)],
            4
        ));
        // Magnitudes near 2^63 in two factors: each lane checked.
        let big = lane_of(|k| i64::MAX - k as i64);
        assert!(products_agree(&[(big, 18), (big, 18)], 2));
        // A result past 64 bits marks the block (the exact backend then decides).
        assert!(!products_agree(&[(big, 0), ([10; LANES], 0)], 0));
    }

    #[test]
    fn effective_rate_agrees_with_the_exact_function() {
        let mut b = Block::default();
        b.reset(false);
        let official = X::constant(1310, 0);
        let parallel = b.put(&lane_of(|k| 15_000_000 + k as i64 * 1_234), 4);
        let v_off = b.put(
            &lane_of(|k| if k == 5 { 0 } else { 40_000_000_000 + k as i64 }),
            2,
        );
        let spill = b.put(&lane_of(|k| 600_000 + k as i64 * 6_000), 6);
        let unmet = b.put(
            &lane_of(|k| if k == 5 { 0 } else { 160_000_000_000 - k as i64 }),
            2,
        );
        let mut none = [false; LANES];
        let blend = Blend {
            official,
            parallel,
            v_off,
        };
        let e = effective(&mut b, blend, &[(spill, unmet)], &mut none);
        assert!(!b.bad);
        assert!(none[5] && none.iter().filter(|x| **x).count() == 1);
        // With a second term (street demand × 23 sessions) the general path.
        let street = b.put(&lane_of(|k| 4_000_000_000 + k as i64 * 100), 2);
        let sessions = X::constant(23, 0);
        let mut none2 = [false; LANES];
        let e2 = effective(&mut b, blend, &[(spill, unmet), (street, sessions)], &mut none2);
        assert!(!b.bad);
        for k in (0..LANES).filter(|k| *k != 5) {
            let d = |x: X| b.num(x, k).to_dec();
            let want =
                crate::engine::exact::effective(d(official), d(parallel), d(v_off), &[(d(spill), d(unmet))]);
            assert_eq!(Ok(d(e)), want, "lane {k}");
            let want2 = crate::engine::exact::effective(
                d(official),
                d(parallel),
                d(v_off),
                &[(d(spill), d(unmet)), (d(street), d(sessions))],
            );
            assert_eq!(Ok(d(e2)), want2, "lane {k}, two terms");
        }
    }
}
