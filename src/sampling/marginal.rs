//! One uncertain input ready to draw: its distribution as a `statrs`
//! distribution, the decimal places a drawn value is rounded to (cents for
//! money, six places otherwise; docs/model.md §1.6) and the range the value must
//! lie in. A draw is the inverse CDF of a uniform number; a value outside
//! the range is redrawn from the input's own stream (truncation by redraw,
//! docs/model.md §1.6) up to [`MAX_REDRAWS`] times in a row.

use rust_decimal::Decimal;

use super::distribution::{Distribution, Shape};
use super::stream::Stream;
use crate::num::binary::{round_to_units, units_to_decimal, units_to_f64};

/// Redraws in a row after which a draw is an error (docs/model.md §1.6).
pub const MAX_REDRAWS: u32 = 1000;

/// The largest magnitude of a draw in units (2^62 − 1: 4.6e16 dollars,
/// 4.6e12 of anything else): draws are stored as 64-bit integers, with
/// room for the sums made of them. Every input's range is cut to it.
pub const MAX_UNITS: i128 = (1 << 62) - 1;

/// The allowed range of a drawn value, in units of 10^-places, both ends
/// inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// The least allowed value in units; `None` for no lower bound.
    pub min: Option<i128>,
    /// The greatest allowed value in units; `None` for no upper bound.
    pub max: Option<i128>,
}

impl Bounds {
    /// The units `v` at `places` decimal places may take so that the value
    /// is `>= lo` (or `> lo` when `lo.1` is false) and `<= hi`.
    pub fn of(lo: Option<(Decimal, bool)>, hi: Option<Decimal>, places: u32) -> Bounds {
        let scale = Decimal::from_i128_with_scale(10i128.pow(places), 0);
        let units = |d: Decimal| d.checked_mul(scale);
        let to_i = |d: Decimal| d.mantissa() / 10i128.pow(d.scale());
        let min = lo.and_then(|(v, inclusive)| {
            let s = units(v)?;
            Some(if inclusive {
                to_i(s.ceil())
            } else {
                to_i(s.floor()) + 1
            })
        });
        let max = hi.and_then(|v| units(v).map(|s| to_i(s.floor())));
        Bounds { min, max }
    }

    /// Whether the value of `u` units lies in the range.
    #[inline]
    pub fn contains(&self, u: i128) -> bool {
        self.min.is_none_or(|m| u >= m) && self.max.is_none_or(|m| u <= m)
    }
}

/// A draw that stayed outside the allowed range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exhausted;

/// One uncertain input, ready to draw.
#[derive(Debug, Clone)]
pub struct Marginal {
    shape: Shape,
    places: u32,
    bounds: Bounds,
}

impl Marginal {
    /// `dist` rounded to `places` decimal places and restricted to
    /// `bounds`, cut to ±[`MAX_UNITS`] (so that how much of it is allowed,
    /// [`Marginal::acceptance`], counts what a draw cannot hold too).
    pub fn new(dist: &Distribution, places: u32, bounds: Bounds) -> Result<Marginal, String> {
        let bounds = Bounds {
            min: Some(bounds.min.map_or(-MAX_UNITS, |m| m.max(-MAX_UNITS))),
            max: Some(bounds.max.map_or(MAX_UNITS, |m| m.min(MAX_UNITS))),
        };
        Ok(Marginal {
            shape: Shape::of(dist)?,
            places,
            bounds,
        })
    }

    /// Decimal places a drawn value is rounded to: 2 (cents) for money, 6 otherwise.
    pub fn places(&self) -> u32 {
        self.places
    }

    /// Whether any of the distribution lies beyond ±[`MAX_UNITS`], where
    /// no draw can be.
    pub fn reaches_past_max_units(&self) -> bool {
        let most = units_to_f64(MAX_UNITS, self.places);
        self.shape.cdf(-most) > 0.0 || self.shape.cdf(most) < 1.0
    }

    /// The range a drawn value must lie in.
    pub fn bounds(&self) -> Bounds {
        self.bounds
    }

    /// The value at probability `p` in (0, 1), rounded, if it is allowed
    /// (in the range, which [`MAX_UNITS`] bounds).
    #[inline]
    pub fn value_at(&self, p: f64) -> Option<i128> {
        let units = round_to_units(self.shape.inverse_cdf(p), self.places)?;
        self.bounds.contains(units).then_some(units)
    }

    /// A draw: the value at `first` (a uniform from a stream, a Latin
    /// hypercube stratum or a Sobol' point); while it is outside the range,
    /// redraws from `stream` at `index` with attempt 1, 2, … up to
    /// [`MAX_REDRAWS`].
    #[inline]
    pub fn draw(&self, first: f64, stream: &Stream, index: u64) -> Result<i128, Exhausted> {
        if let Some(v) = self.value_at(first) {
            return Ok(v);
        }
        for attempt in 1..=MAX_REDRAWS {
            if let Some(v) = self.value_at(stream.uniform(index, attempt)) {
                return Ok(v);
            }
        }
        Err(Exhausted)
    }

    /// The quantile at `p` of the distribution truncated to the allowed
    /// range (for Morris grids, which need fixed levels rather than
    /// redraws); `None` when no value of the distribution is allowed.
    pub fn truncated_quantile(&self, p: f64) -> Option<i128> {
        let (lo, hi) = self.allowed_mass();
        if hi - lo <= 0.0 {
            return None;
        }
        let q = (lo + p * (hi - lo)).clamp(f64::MIN_POSITIVE, 1.0 - f64::EPSILON / 2.0);
        let units = round_to_units(self.shape.inverse_cdf(q), self.places)?;
        let units = self.bounds.min.map_or(units, |m| units.max(m));
        Some(self.bounds.max.map_or(units, |m| units.min(m)))
    }

    /// The CDF at the two ends of the allowed range.
    fn allowed_mass(&self) -> (f64, f64) {
        let lo = self
            .bounds
            .min
            .map_or(0.0, |m| self.shape.cdf(units_to_f64(m, self.places)));
        let hi = self
            .bounds
            .max
            .map_or(1.0, |m| self.shape.cdf(units_to_f64(m, self.places)));
        (lo, hi)
    }

    /// The probability that a draw lies in the allowed range (before
    /// rounding): 1 when truncation never bites.
    pub fn acceptance(&self) -> f64 {
        let (lo, hi) = self.allowed_mass();
        (hi - lo).clamp(0.0, 1.0)
    }

    /// A drawn value in units of 10^-places as the exact decimal it stands for.
    pub fn to_decimal(&self, units: i128) -> Decimal {
        units_to_decimal(units, self.places)
    }

    /// A drawn value in units of 10^-places as an `f64` (for statistics, not for the ledger).
    pub fn to_f64(&self, units: i128) -> f64 {
        units_to_f64(units, self.places)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    #[test]
    fn bounds_in_units() {
        let b = Bounds::of(Some((Decimal::ZERO, false)), None, 6);
        assert_eq!(
            b,
            Bounds {
                min: Some(1),
                max: None
            }
        );
        let b = Bounds::of(Some((Decimal::ZERO, true)), Some(Decimal::ONE), 6);
        assert_eq!(
            b,
            Bounds {
                min: Some(0),
                max: Some(1_000_000)
            }
        );
        // A bound between two representable values.
        let b = Bounds::of(Some((d("0.0000015"), true)), Some(d("0.9999995")), 6);
        assert_eq!(
            b,
            Bounds {
                min: Some(2),
                max: Some(999_999)
            }
        );
        let b = Bounds::of(Some((d("-12.5"), false)), None, 2);
        assert_eq!(b.min, Some(-1249));
    }

    /// `dist` drawn as a share: 6 places, between 0 and 1.
    fn share_of(dist: Distribution) -> Marginal {
        let share = Bounds::of(Some((Decimal::ZERO, true)), Some(Decimal::ONE), 6);
        Marginal::new(&dist, 6, share).unwrap()
    }

    #[test]
    fn redraws_stay_in_range_and_give_up_after_1000() {
        let m = share_of(Distribution::Normal {
            mean: d("0.95"),
            sd: d("0.1"),
        });
        let s = Stream::new(1, "draw:x");
        for i in 0..10_000 {
            let u = m.draw(s.uniform(i, 0), &s, i).unwrap();
            assert!((0..=1_000_000).contains(&u));
        }
        let hopeless = share_of(Distribution::Normal {
            mean: d("-50"),
            sd: d("1"),
        });
        assert_eq!(hopeless.draw(0.5, &s, 0), Err(Exhausted));
        assert!(hopeless.acceptance() < 1e-12);
        assert!((m.acceptance() - 0.691_462).abs() < 1e-5);
    }

    #[test]
    fn truncated_quantiles() {
        let m = share_of(Distribution::Uniform {
            min: d("0.5"),
            max: d("1.5"),
        });
        // Truncated to [0.5, 1]: the median is 0.75.
        assert_eq!(m.truncated_quantile(0.5), Some(750_000));
        assert_eq!(m.truncated_quantile(1.0), Some(1_000_000));
    }
}
