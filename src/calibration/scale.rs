//! The scale fit moves a parameter on. A positive range spanning three
//! orders of magnitude or more (`--vary PATH=1:1e20`, or the default
//! bracket of a positive parameter, 10^-6 to ten times its largest value)
//! is searched and differenced in logarithms: on its values, the start
//! would be moved 1% of the range inside (10^18 for 1 to 10^20), every
//! step of the search would be as coarse, and the standard errors'
//! differences would step 10^16 at a time. Narrower ranges, and ranges
//! reaching 0 or below, keep the linear scale.

/// How many times its low end a positive range's high end must be for
/// the search to map it in logarithms.
pub const LOG_SCALE_RATIO: f64 = 1_000.0;

/// The scale the search moves a parameter on: its values, or their
/// logarithms for a positive range of at least [`LOG_SCALE_RATIO`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log,
}

impl Scale {
    /// The scale of the range `lo..=hi`.
    pub fn of(lo: f64, hi: f64) -> Scale {
        if lo > 0.0 && hi / lo >= LOG_SCALE_RATIO {
            Scale::Log
        } else {
            Scale::Linear
        }
    }

    /// `x` on this scale.
    pub fn to(self, x: f64) -> f64 {
        match self {
            Scale::Linear => x,
            Scale::Log => x.ln(),
        }
    }

    /// The value at `a` on this scale.
    pub fn from(self, a: f64) -> f64 {
        match self {
            Scale::Linear => a,
            Scale::Log => a.exp(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_positive_ranges_are_logarithmic() {
        assert_eq!(Scale::of(1.0, 1e20), Scale::Log);
        assert_eq!(Scale::of(1e-6, 20.0), Scale::Log);
        // Exactly a thousand times is wide enough; a hundred is not.
        assert_eq!(Scale::of(2.0, 2_000.0), Scale::Log);
        assert_eq!(Scale::of(2e7, 2e9), Scale::Linear);
        // A range reaching 0 or below has no logarithm.
        assert_eq!(Scale::of(0.0, 1e20), Scale::Linear);
        assert_eq!(Scale::of(-1.0, 1e20), Scale::Linear);
        let x = 119_421_085.14;
        assert!((Scale::Log.from(Scale::Log.to(x)) - x).abs() < 1e-6);
    }
}
