//! How far a parameter's values are believable, as opposed to allowed:
//! the range each row of the registry carries, so that `check` can warn
//! about a likely slip without refusing a legal value.

use rust_decimal::Decimal;

/// The values of a parameter that are believable, not merely allowed: a
/// value outside is accepted but `check` warns about it (and `--strict`
/// refuses it), since it is more often a slip (barrels a day written in
/// barrels a month, a rate in thousands) than a finding. Bounds are
/// `min`/`max` × 10^-`scale`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plausible {
    /// The least plausible value, in units of 10^-`scale`.
    pub min: i64,
    /// The greatest plausible value, in units of 10^-`scale`.
    pub max: i64,
    /// Decimal places of `min` and `max`.
    pub scale: u32,
    /// Why the range is plausible, in one short sentence.
    pub basis: &'static str,
    /// 0 is plausible too, below `min`: none at all (no exports, no
    /// payments) is a finding, a few dollars a slip of units.
    pub zero: bool,
}

impl Plausible {
    /// The least plausible value.
    pub fn lo(&self) -> Decimal {
        Decimal::new(self.min, self.scale).normalize()
    }

    /// The greatest plausible value.
    pub fn hi(&self) -> Decimal {
        Decimal::new(self.max, self.scale).normalize()
    }

    /// Whether `v` lies in the range (both ends included), or is a
    /// plausible 0.
    pub fn contains(&self, v: Decimal) -> bool {
        (self.zero && v.is_zero()) || (self.lo() <= v && v <= self.hi())
    }
}

/// From `min` to `max`, or 0 (see [`Plausible::zero`]).
pub(super) const fn zero_or(min: i64, max: i64, basis: &'static str) -> Plausible {
    Plausible {
        zero: true,
        ..within(min, max, basis)
    }
}

pub(super) const fn within(min: i64, max: i64, basis: &'static str) -> Plausible {
    Plausible {
        min,
        max,
        scale: 0,
        basis,
        zero: false,
    }
}

pub(super) const fn within_places(min: i64, max: i64, scale: u32, basis: &'static str) -> Plausible {
    Plausible {
        min,
        max,
        scale,
        basis,
        zero: false,
    }
}
