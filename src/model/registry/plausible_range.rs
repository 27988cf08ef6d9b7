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

    /// Whether `v` lies in the range (both ends included).
    pub fn contains(&self, v: Decimal) -> bool {
        self.lo() <= v && v <= self.hi()
    }
}

pub(super) const fn within(min: i64, max: i64, basis: &'static str) -> Plausible {
    Plausible {
        min,
        max,
        scale: 0,
        basis,
    }
}

pub(super) const fn within_places(min: i64, max: i64, scale: u32, basis: &'static str) -> Plausible {
    Plausible {
        min,
        max,
        scale,
        basis,
    }
}
