//! The parallel rate of docs/model.md §3 step 7 on block lanes, estimated
//! in `f64` (the power law, the v2 anchor and last month's pull) and kept
//! only where it provably rounds as the exact rate does; with the
//! logarithms of last month's rates that the pull needs, taken from the
//! estimate's own exponent. Apart from `lane_math.rs` because it is the one
//! place lanes estimate instead of computing exactly.

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use super::rounding::half_step;
use crate::num::approx;
use crate::num::convert::{small_to_f64, to_f64, trunc_small, SMALL};
use crate::num::lanes::{Block, LANES, X};

/// The parallel rate `round4(baseline × ratio^inv)` from an `f64`
/// estimate of `ratio = demand / base`, used only when it provably rounds
/// to what the exact ratio (correctly rounded) and `pow` give: the rate
/// must lie farther from a rounding tie than every error the estimate can
/// carry, counted generously. Otherwise `None`, and the caller computes
/// the exact ratio.
pub struct RateEstimate {
    demand: X,
    base: X,
    /// Whether the exact path could compute the ratio at all (its integers
    /// at the common scale fit 128 bits); if not, neither may the estimate.
    usable: bool,
    /// `demand` and `base` to `f64` at their common scale: multiply by these.
    fa: f64,
    fb: f64,
}

impl RateEstimate {
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn new(demand: X, base: X) -> RateEstimate {
        let s = demand.s.max(base.s);
        RateEstimate {
            demand,
            base,
            usable: s - demand.s <= 18 && s - base.s <= 18,
            fa: 10f64.powi((s - demand.s) as i32),
            fb: 10f64.powi((s - base.s) as i32),
        }
    }

    /// Every lane's rate in ten-thousandths, with `ok[k]` false where the
    /// estimate cannot decide (near a rounding tie, or out of range).
    /// `baseline` is the baseline rate as `f64` per lane.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn rates(
        &self,
        b: &Block,
        baseline: &[f64; LANES],
        inv: &[f64; LANES],
        out: &mut [i64; LANES],
        ok: &mut [bool; LANES],
    ) {
        if !self.usable {
            *ok = [false; LANES];
            return;
        }
        let (dem, base) = (b.get(self.demand), b.get(self.base));
        for k in 0..LANES {
            let ratio = (to_f64(dem[k]) * self.fa) / (to_f64(base[k]) * self.fb);
            // ratio^inv as exp(inv · ln ratio), branch-free (a vector loop).
            let z = inv[k] * approx::ln(ratio);
            let t = baseline[k] * approx::exp(z) * 1e4;
            // Relative error of t against the exact path: the estimate of
            // the ratio (under 3 units of 2^-52) times the exponent, the
            // approximations (1e-14 tested, allowed 2^-36 ≈ 1.5e-11), `pow`
            // in the exact path, the products; the unit errors counted
            // four times over.
            let rel = 2f64.powi(-36) + (16.0 * inv[k].abs() + 16.0 * z.abs() + 64.0) * f64::EPSILON;
            let whole = trunc_small(t);
            let frac = t - small_to_f64(whole);
            let clear = (frac.abs() - 0.5).abs() > t.abs() * rel;
            let in_range =
                (f64::MIN_POSITIVE..f64::MAX).contains(&ratio) && z.abs() < 700.0 && t.abs() < SMALL;
            // (Wrapping: out of range, t may be infinite; `ok` is false then.)
            out[k] = whole.wrapping_add(half_step(frac));
            ok[k] = clear && in_range;
        }
    }
}

/// What docs/model.md v2 adds to the power law, per lane: the anchor factor
/// `(official / anchor)^θ` (as the exact step computes it) and the pull
/// of last month's rate `λ`.
pub struct Target<'a> {
    /// `ln(baseline × anchor factor)` per lane ([`ln_base`]).
    pub ln_base: &'a [f64; LANES],
    pub inv: &'a [f64; LANES],
    /// The persistence weight `λ` per lane; zeros when nothing persists
    /// (then `y` is `ln P*` to the bit: `0 · 0 + 1 · ln P*`).
    pub lambda: &'a [f64; LANES],
    /// `ln` of last month's rate per lane ([`ln_rates`], [`ln_lanes`]):
    /// NaN where the rate is not a positive normal number; zeros with no
    /// last month.
    pub ln_prev: &'a [f64; LANES],
}

/// [`Target::lambda`] and [`Target::ln_prev`] when nothing persists.
pub const NO_PULL: [f64; LANES] = [0.0; LANES];

/// The exponent `y` of each lane's estimate and the estimate `x = exp(y) ·
/// 10^4` itself, kept so that next month's pull needs no logarithm.
pub struct Exponents {
    pub y: [f64; LANES],
    pub x: [f64; LANES],
}

impl Default for Exponents {
    fn default() -> Self {
        Exponents {
            y: [f64::NAN; LANES],
            x: [f64::NAN; LANES],
        }
    }
}

impl RateEstimate {
    /// [`RateEstimate::rates`] with an anchor and persistence: `x =
    /// exp(λ ln prev + (1 − λ) ln P*)` with `ln P* = ln baseline + inv ·
    /// ln ratio + ln anchor`, decided where `x` lies farther from a rounding
    /// tie than every error the estimate can carry, counted generously.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn rates_v2(
        &self,
        b: &Block,
        t: &Target<'_>,
        out: &mut [i64; LANES],
        ok: &mut [bool; LANES],
        e: &mut Exponents,
    ) {
        if !self.usable {
            *ok = [false; LANES];
            *e = Exponents::default();
            return;
        }
        let (dem, base) = (b.get(self.demand), b.get(self.base));
        for k in 0..LANES {
            let ratio = (to_f64(dem[k]) * self.fa) / (to_f64(base[k]) * self.fb);
            let z = t.inv[k] * approx::ln(ratio);
            let ln_target = t.ln_base[k] + z;
            let (l, p) = (t.lambda[k], t.ln_prev[k]);
            let y = l * p + (1.0 - l) * ln_target;
            let pulled = l.abs() * p.abs();
            let x = approx::exp(y) * 1e4;
            let rel = 2f64.powi(-34)
                + (64.0 * (t.inv[k].abs() + z.abs() + ln_target.abs() + pulled + y.abs()) + 256.0)
                    * f64::EPSILON;
            let whole = trunc_small(x);
            let frac = x - small_to_f64(whole);
            let clear = (frac.abs() - 0.5).abs() > x.abs() * rel;
            let in_range = (f64::MIN_POSITIVE..f64::MAX).contains(&ratio)
                && !t.ln_base[k].is_nan()
                && p.is_finite()
                && y.abs() < 700.0
                && x.abs() < SMALL;
            out[k] = whole.wrapping_add(half_step(frac));
            ok[k] = clear && in_range;
            e.y[k] = y;
            e.x[k] = x;
        }
    }
}

/// `ln(c / 10^4)` for each lane's rate `c` in ten-thousandths, from the
/// estimate `x = exp(y) · 10^4` near it, without a logarithm: ln(c / 10^4)
/// = ln(x / 10^4) + ln(1 + q), q = (c − x) / x. The first term is `y` up to
/// the error of `exp` (1e-14, tested) and of the product (2^-53); |q| <
/// 10^-6 makes `q − q²/2` right to 1e-18 (and `c − x` is exact, the two
/// being within a factor of two). So the result is within 1.2e-14 + 2^-53 ·
/// |y|, no worse than `approx::ln` (1e-14 relative) and far inside the
/// estimate's margin of 2^-34. NaN where `c` is not that close to `x`
/// (the rate was floored at the official rate, or the estimate was out of
/// range): the caller then takes the logarithm.
pub fn ln_rates(c: &[i64; LANES], e: &Exponents, out: &mut [f64; LANES]) {
    for k in 0..LANES {
        let q = (to_f64(c[k]) - e.x[k]) / e.x[k];
        out[k] = if q.abs() < 1e-6 {
            e.y[k] + (q - 0.5 * q * q)
        } else {
            f64::NAN
        };
    }
}

/// `ln` per lane (NaN where a value is not a positive normal number, and
/// the estimate then declines), once when every lane holds the same value.
pub fn ln_lanes(x: &[f64; LANES]) -> [f64; LANES] {
    let one = |v: f64| {
        if (f64::MIN_POSITIVE..f64::MAX).contains(&v) {
            approx::ln(v)
        } else {
            f64::NAN
        }
    };
    if x.iter().all(|v| *v == x[0]) {
        return [one(x[0]); LANES];
    }
    let mut out = [0f64; LANES];
    for k in 0..LANES {
        out[k] = one(x[k]);
    }
    out
}

/// `ln(baseline × anchor)` per lane for [`Target::ln_base`] ([`ln_lanes`]).
pub fn ln_base(baseline: &[f64; LANES], anchor: Option<&[f64; LANES]>) -> [f64; LANES] {
    let mut x = *baseline;
    if let Some(a) = anchor {
        for k in 0..LANES {
            x[k] *= a[k];
        }
    }
    ln_lanes(&x)
}

#[cfg(test)]
mod tests {
    use super::super::lane_math::tests::lane_of;
    use super::*;
    use crate::num::fixed::{self as exact, Num};

    #[test]
    fn estimated_rates_round_as_the_exact_ones() {
        let mut b = Block::default();
        b.reset(false);
        // Demand (8 places) from half to twice the base of 5.4 billion (no places).
        let mut z = 0x9e37_79b9_7f4a_7c15u64;
        let mut checked = 0;
        for round in 0..400 {
            let demand = b.put(
                &lane_of(|k| {
                    z = z
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407 + k as u64);
                    270_000_000_000_000_000 + (z >> 25) as i64 * 1_000_003
                }),
                8,
            );
            let base = X::constant(5_400_000_000, 0);
            let est = RateEstimate::new(demand, base);
            let inv = [1.0 / (1.5 + f64::from(round) / 100.0); LANES];
            let (mut out, mut ok) = ([0i64; LANES], [false; LANES]);
            est.rates(&b, &[1475.0; LANES], &inv, &mut out, &mut ok);
            for k in 0..LANES {
                let exact = exact::ratio_f64(b.num(demand, k), b.num(base, k))
                    .and_then(|r| exact::round4_f64(1475.0 * r.powf(inv[k])));
                if ok[k] {
                    assert_eq!(
                        Some(Num {
                            m: i128::from(out[k]),
                            s: 4
                        }),
                        exact,
                        "round {round} lane {k}"
                    );
                    checked += 1;
                }
            }
        }
        // Almost every lane is far from a tie.
        assert!(checked > 400 * LANES * 99 / 100, "{checked}");
    }

    #[test]
    fn logarithms_of_rounded_rates_come_from_the_estimate() {
        // Exponents of rates from 200 to 100,000 units; each lane's rate is its
        // estimate rounded, then moved by -2 … +2 units (an exact fallback
        // may differ from the estimate by one): ln(c / 10^4) is within
        // 1.2e-14 + 2^-53 |y| of libm's, as the budget in `ln_rates` says.
        let mut z = 0x2545_f491_4f6c_dd1du64;
        let mut checked = 0;
        for round in 0..2_000 {
            let mut e = Exponents::default();
            let mut c = [0i64; LANES];
            for k in 0..LANES {
                z ^= z << 13;
                z ^= z >> 7;
                z ^= z << 17;
                let u = (z >> 11) as f64 / (1u64 << 53) as f64;
                e.y[k] = 5.3 + 6.2 * u;
                e.x[k] = approx::exp(e.y[k]) * 1e4;
                c[k] = e.x[k].round() as i64 + (k as i64 % 5) - 2;
            }
            // A lane floored at a rate far from its estimate is left to the caller.
            c[7] *= 2;
            let mut ln = [0f64; LANES];
            ln_rates(&c, &e, &mut ln);
            for k in 0..LANES {
                let want = (c[k] as f64 / 1e4).ln();
                if k == 7 || ((c[k] as f64 - e.x[k]) / e.x[k]).abs() >= 1e-6 {
                    assert!(ln[k].is_nan(), "round {round} lane {k}");
                    continue;
                }
                let allowed = 1.2e-14 + e.y[k].abs() * f64::EPSILON / 2.0 + want.abs() * f64::EPSILON;
                assert!(
                    (ln[k] - want).abs() <= allowed,
                    "round {round} lane {k}: {} {want}",
                    ln[k]
                );
                checked += 1;
            }
        }
        assert!(checked > 2_000 * (LANES - 1) * 99 / 100, "{checked}");
        // Lanes near a rate of one unit: two units off is too far.
        let e = Exponents {
            y: [0.0; LANES],
            x: [1e4; LANES],
        };
        let mut ln = [0f64; LANES];
        ln_rates(&[10_002i64; LANES], &e, &mut ln);
        assert!(ln.iter().all(|x| x.is_nan()));
        // Equal lanes take one logarithm, and agree with lane-by-lane ones.
        let same = ln_lanes(&[1475.0; LANES]);
        assert!(same.iter().all(|x| *x == approx::ln(1475.0)));
        let mut mixed = [1475.0; LANES];
        mixed[3] = -1.0;
        let ln = ln_lanes(&mixed);
        assert!(ln[3].is_nan() && ln[4] == same[4]);
        let base = ln_base(&[1475.0; LANES], Some(&[1310.0 / 1460.0; LANES]));
        let mut lanes = [1475.0; LANES];
        lanes[0] = 1476.0;
        let per_lane = ln_base(&lanes, Some(&[1310.0 / 1460.0; LANES]));
        assert_eq!(base[1], per_lane[1]);
        assert_eq!(base[1], approx::ln(1475.0 * (1310.0 / 1460.0)));
    }
}
