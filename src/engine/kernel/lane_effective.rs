//! The effective rate (docs/model.md §3 step 8) on block lanes: exactly what
//! `engine::exact::effective` gives, lane by lane, with one fast case for
//! the v1 form (one term of parallel-market dollars) and a general one.

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use super::lane_math::{p10, MAX_M};
use super::rounding::half_step;
use crate::num::convert::{small_to_f64, to_f64, trunc_small, SMALL};
use crate::num::fixed::POW10;
use crate::num::lanes::{Block, Lane, LANES, X};
use crate::num::quotient;

/// `x · f` checked as `Num` checks it: no overflow, at most 96 bits.
#[cfg_attr(not(debug_assertions), inline(always))]
fn scaled(x: i128, f: i128) -> Option<i128> {
    x.checked_mul(f).filter(|m| m.abs() <= MAX_M)
}

/// The effective rate per lane (`exact::effective`): `round4((official ×
/// v_off + parallel × v_par) / (v_off + v_par))` with `v_par = Σ a × b`
/// over `terms`; lanes with no dollars at all are flagged in `none` (they
/// take the official rate, which the caller selects).
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn effective(b: &mut Block, blend: Blend, terms: &[(X, X)], none: &mut [bool; LANES]) -> X {
    match terms {
        [] => effective_one(b, blend, (X::ZERO, X::ZERO), none),
        [one] => effective_one(b, blend, *one, none),
        _ => effective_general(b, blend, terms, none),
    }
}

/// What step 8 blends: the official and parallel rates, and the dollars
/// bought at the official rate (`v_off`); the parallel market's dollars
/// are the terms beside it.
#[derive(Debug, Clone, Copy)]
pub struct Blend {
    /// The official rate.
    pub official: X,
    /// The parallel rate.
    pub parallel: X,
    /// Dollars bought at the official rate.
    pub v_off: X,
}

/// The decimal scales of step 8's quantities, as `Num`'s products and
/// sums give them, and the common scale of the division.
#[derive(Debug, Clone, Copy)]
struct Scales {
    /// `v_par = Σ a × b`.
    v_par: u32,
    /// `official × v_off`.
    a: u32,
    /// `parallel × v_par`.
    c: u32,
    /// `weighted = official × v_off + parallel × v_par`.
    w: u32,
    /// `total = v_off + v_par`.
    t: u32,
    /// The common scale of `weighted` and `total`.
    s: u32,
    /// `v_off`.
    v_off: u32,
}

impl Scales {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn new(
        Blend {
            official,
            parallel,
            v_off,
        }: Blend,
        v_par: u32,
    ) -> Scales {
        let a = official.s + v_off.s;
        let c = parallel.s + v_par;
        let w = a.max(c);
        let t = v_off.s.max(v_par);
        Scales {
            v_par,
            a,
            c,
            w,
            t,
            s: w.max(t),
            v_off: v_off.s,
        }
    }

    /// Whether a product would pass a `Decimal`'s 28 places (the block
    /// declines).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn too_fine(&self) -> bool {
        self.v_par.max(self.a).max(self.c) > 28
    }

    /// The powers of ten that bring `official × v_off` and `parallel ×
    /// v_par` to `weighted`'s scale, `v_off` and `v_par` to `total`'s, and
    /// both to the division's (with `weighted`'s four more places).
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn factors(&self) -> Option<Factors> {
        Some(Factors {
            a: p10(self.w - self.a)?,
            c: p10(self.w - self.c)?,
            v_off: p10(self.t - self.v_off)?,
            v_par: p10(self.t - self.v_par)?,
            w: p10(self.s - self.w + 4)?,
            t: p10(self.s - self.t)?,
        })
    }
}

/// The powers of ten of [`Scales::factors`].
#[derive(Debug, Clone, Copy)]
struct Factors {
    a: i128,
    c: i128,
    v_off: i128,
    v_par: i128,
    w: i128,
    t: i128,
}

impl Factors {
    /// `round4(weighted / total)` from the lane's `official × v_off` (`a`),
    /// `parallel × v_par` (`c`), `v_off` and `v_par`, checked as `Num`
    /// checks it; `None` where a check fails.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn quotient(&self, a: i128, c: i128, v_off: i128, v_par: i128) -> Option<i64> {
        let weighted = scaled(a, self.a)?.checked_add(scaled(c, self.c)?)?;
        let total = scaled(v_off, self.v_off)?.checked_add(scaled(v_par, self.v_par)?)?;
        (weighted.abs() <= MAX_M && total.abs() <= MAX_M).then_some(())?;
        let p = weighted.checked_mul(self.w)?;
        let q = total.checked_mul(self.t)?;
        let (p, q) = match q {
            0 => return None,
            q if q < 0 => (p.checked_neg()?, -q),
            q => (p, q),
        };
        i64::try_from(quotient::div_half_even(p, q)).ok()
    }
}

/// [`effective`] for any number of terms, lane by lane in checked 128-bit
/// integers with the checks `Num` makes.
fn effective_general(b: &mut Block, blend: Blend, terms: &[(X, X)], none: &mut [bool; LANES]) -> X {
    let Blend {
        official,
        parallel,
        v_off,
    } = blend;
    let sv = terms.iter().map(|(a, c)| a.s + c.s).max().unwrap_or(0);
    let sc = Scales::new(blend, sv);
    let factors = sc.factors();
    let (false, Some(f)) = (sc.too_fine(), factors) else {
        b.bad = true;
        return X::ZERO;
    };
    let mut out: Lane = [0; LANES];
    let mut bad = false;
    for k in 0..LANES {
        let lane = || -> Option<i64> {
            let mut v_par: i128 = 0;
            for (x, y) in terms {
                let t = scaled(i128::from(b.at(*x, k)), i128::from(b.at(*y, k)))?;
                v_par = v_par.checked_add(scaled(t, p10(sv - x.s - y.s)?)?)?;
                (v_par.abs() <= MAX_M).then_some(())?;
            }
            let vo = i128::from(b.at(v_off, k));
            if vo == 0 && v_par == 0 {
                return Some(i64::MIN);
            }
            let a = scaled(i128::from(b.at(official, k)), vo)?;
            let c = scaled(i128::from(b.at(parallel, k)), v_par)?;
            f.quotient(a, c, vo, v_par)
        };
        match lane() {
            Some(i64::MIN) => none[k] = true,
            Some(x) => out[k] = x,
            None => bad = true,
        }
    }
    b.bad |= bad;
    b.put(&out, 4)
}

/// The lanes of [`effective`] with one term, `spillover × unmet`.
struct OneTerm {
    official: Lane,
    parallel: Lane,
    v_off: Lane,
    spillover: Lane,
    unmet: Lane,
}

/// [`effective`] with one term, `spillover × unmet`.
#[cfg_attr(not(debug_assertions), inline(always))]
fn effective_one(b: &mut Block, blend: Blend, (spillover, unmet): (X, X), none: &mut [bool; LANES]) -> X {
    let Blend {
        official,
        parallel,
        v_off,
    } = blend;
    let sc = Scales::new(blend, spillover.s + unmet.s);
    let Some(f) = sc.factors() else {
        b.bad = true;
        return X::ZERO;
    };
    if sc.too_fine() {
        b.bad = true;
        return X::ZERO;
    }
    // Bounds over the block: when nothing can pass 2^95 (so every `Num`
    // check would pass), the lanes need no checks at all.
    let bound = |x: X| b.max_abs(x) as f64 * (1.0 + 1e-9);
    let fl = |x: i128| x as f64;
    let b_vpar = bound(spillover) * bound(unmet);
    let b_a = bound(official) * bound(v_off);
    let b_c = bound(parallel) * b_vpar;
    let b_w = b_a * fl(f.a) + b_c * fl(f.c);
    let b_t = bound(v_off) * fl(f.v_off) + b_vpar * fl(f.v_par);
    // The terms must stay below a `Decimal`'s 96 bits; the scaled
    // numerator and denominator of the division only within an i128.
    let unchecked = [b_vpar, b_a, b_c, b_w, b_t].iter().all(|x| *x < 2f64.powi(95))
        && [b_w * fl(f.w), b_t * fl(f.t)].iter().all(|x| *x < 2f64.powi(126));
    let lanes = OneTerm {
        official: b.get(official),
        parallel: b.get(parallel),
        v_off: b.get(v_off),
        spillover: b.get(spillover),
        unmet: b.get(unmet),
    };
    let mut out: Lane = [0; LANES];
    let bad = if unchecked {
        lanes.unchecked(&sc, &mut out, none)
    } else {
        lanes.checked(&f, &mut out, none)
    };
    b.bad |= bad;
    b.put(&out, 4)
}

impl OneTerm {
    /// Each lane's rate into `out` when no `Num` check can fail: the
    /// double's estimate where it rounds surely, else the exact quotient
    /// from it; lanes with no dollars flagged in `none`. Whether a lane
    /// could not be done.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn unchecked(&self, sc: &Scales, out: &mut Lane, none: &mut [bool; LANES]) -> bool {
        let (off, par, vo, sp, un) = (
            &self.official,
            &self.parallel,
            &self.v_off,
            &self.spillover,
            &self.unmet,
        );
        let mut bad = false;
        // weighted · 10^a / (total · 10^b) with the common power of ten of
        // the four factors cancelled: the same fraction, smaller numbers.
        let exps = [
            (sc.w - sc.a) + (sc.s - sc.w + 4),
            (sc.w - sc.c) + (sc.s - sc.w + 4),
            (sc.t - sc.v_off) + (sc.s - sc.t),
            (sc.t - sc.v_par) + (sc.s - sc.t),
        ];
        let c = exps.iter().copied().min().unwrap_or(0);
        let [f1, f2, g1, g2] = exps.map(|e| POW10[(e - c) as usize]);
        let (f1f, f2f, g1f, g2f) = (f1 as f64, f2 as f64, g1 as f64, g2 as f64);
        for k in 0..LANES {
            if vo[k] == 0 && (sp[k] == 0 || un[k] == 0) {
                none[k] = true;
                continue;
            }
            let (o, p, v) = (to_f64(off[k]), to_f64(par[k]), to_f64(vo[k]));
            let v_par_f = to_f64(sp[k]) * to_f64(un[k]);
            let total_f = v * g1f + v_par_f * g2f;
            let est = (o * v * f1f + p * v_par_f * f2f) / total_f;
            // With every term non-negative the estimate is within 12 units
            // of 2^-52 (relative) of the exact fraction (conversions, the
            // products and sums, the division); when it lies farther than
            // 32 units from a rounding tie it rounds as the fraction does.
            let positive = off[k] >= 0 && par[k] >= 0 && vo[k] >= 0 && sp[k] >= 0 && un[k] >= 0;
            if positive && total_f > 0.0 && est.is_finite() && est.abs() < SMALL {
                let whole = trunc_small(est);
                let frac = est - small_to_f64(whole);
                if (frac.abs() - 0.5).abs() > est.abs() * 32.0 * f64::EPSILON {
                    out[k] = whole + half_step(frac);
                    continue;
                }
            }
            let v_par = i128::from(sp[k]) * i128::from(un[k]);
            let vol = i128::from(vo[k]);
            let weighted = i128::from(off[k]) * vol * f1 + i128::from(par[k]) * v_par * f2;
            let total = vol * g1 + v_par * g2;
            // (NaN fails the test too.)
            if total <= 0 || est.abs().partial_cmp(&2f64.powi(40)) != Some(std::cmp::Ordering::Less) {
                bad = true;
                continue;
            }
            // The estimate is within two of the quotient: a branch-free fix.
            let q = trunc_small(est);
            let r = weighted - i128::from(q) * total;
            let (q, r) = if r < 0 { (q - 1, r + total) } else { (q, r) };
            let (q, r) = if r < 0 { (q - 1, r + total) } else { (q, r) };
            let (q, r) = if r >= total { (q + 1, r - total) } else { (q, r) };
            let (q, r) = if r >= total { (q + 1, r - total) } else { (q, r) };
            let rest = total - r;
            out[k] = q + i64::from(r > rest || (r == rest && q & 1 != 0));
            bad |= !(0..total).contains(&r);
        }
        bad
    }

    /// Each lane's rate into `out` with every check `Num` makes; lanes
    /// with no dollars flagged in `none`. Whether a lane could not be done.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn checked(&self, f: &Factors, out: &mut Lane, none: &mut [bool; LANES]) -> bool {
        let mut bad = false;
        for k in 0..LANES {
            let (sp, un, vo) = (self.spillover[k], self.unmet[k], self.v_off[k]);
            if vo == 0 && (sp == 0 || un == 0) {
                none[k] = true;
                continue;
            }
            let lane = || -> Option<i64> {
                let v_par = i128::from(sp) * i128::from(un);
                let vo = i128::from(vo);
                (v_par.abs() <= MAX_M).then_some(())?;
                let a = scaled(i128::from(self.official[k]) * vo, 1)?;
                let c = scaled(i128::from(self.parallel[k]), v_par)?;
                f.quotient(a, c, vo, v_par)
            };
            match lane() {
                Some(x) => out[k] = x,
                None => bad = true,
            }
        }
        bad
    }
}
