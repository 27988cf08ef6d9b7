//! The distributions of `[uncertainty]` (docs/model.md §1.6): as written in the
//! model file (exact decimals), and as the `statrs` distribution each one
//! is sampled with. The one home of the statrs forms: the model's loader
//! checks parameters here and the sampler draws through the same shapes.

use std::fmt;

use rust_decimal::Decimal;
use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Normal, Triangular, Uniform};

use crate::num::decimal::to_f64;

/// A distribution as written in the model file (exact decimals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distribution {
    /// `dist = "normal"`: the bell curve around `mean`.
    Normal {
        /// The mean, in the parameter's unit.
        mean: Decimal,
        /// The standard deviation, in the parameter's unit; above 0.
        sd: Decimal,
    },
    /// `dist = "lognormal"`: a value whose logarithm is normal (positive, right-skewed).
    LogNormal {
        /// The mean of the value's natural logarithm.
        mu: Decimal,
        /// The standard deviation of the value's natural logarithm; above 0.
        sigma: Decimal,
    },
    /// `dist = "uniform"`: every value from `min` to `max` equally likely.
    Uniform {
        /// The least value, in the parameter's unit.
        min: Decimal,
        /// The greatest value, in the parameter's unit.
        max: Decimal,
    },
    /// `dist = "triangular"`: density rising linearly from `min` to `mode`, then falling to `max`.
    Triangular {
        /// The least value.
        min: Decimal,
        /// The most likely value.
        mode: Decimal,
        /// The greatest value.
        max: Decimal,
    },
    /// `dist = "beta"`: a beta(`alpha`, `beta`) on [0, 1] stretched to [`min`, `max`], e.g. for
    /// a share such as `auction.rejection_rate`.
    Beta {
        /// The first shape parameter; above 0.
        alpha: Decimal,
        /// The second shape parameter; above 0.
        beta: Decimal,
        /// The least value (0 unless written).
        min: Decimal,
        /// The greatest value (1 unless written).
        max: Decimal,
    },
    /// `dist = "pert"`: beta-PERT (λ = 4), a smooth version of the triangular from an
    /// expert's low, most likely and high guesses.
    Pert {
        /// The least value.
        min: Decimal,
        /// The most likely value.
        mode: Decimal,
        /// The greatest value.
        max: Decimal,
    },
}

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Distribution::Normal { mean, sd } => write!(f, "normal(mean {mean}, sd {sd})"),
            Distribution::LogNormal { mu, sigma } => write!(f, "lognormal(mu {mu}, sigma {sigma})"),
            Distribution::Uniform { min, max } => write!(f, "uniform({min} to {max})"),
            Distribution::Triangular { min, mode, max } => write!(f, "triangular({min}, mode {mode}, {max})"),
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                write!(f, "beta(alpha {alpha}, beta {beta}, {min} to {max})")
            }
            Distribution::Pert { min, mode, max } => write!(f, "pert({min}, mode {mode}, {max})"),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Shape {
    Normal(Normal),
    LogNormal(LogNormal),
    Uniform(Uniform),
    Triangular(Triangular),
    /// Beta on [0, 1] scaled to [min, max] (also beta-PERT).
    ScaledBeta {
        beta: Beta,
        min: f64,
        width: f64,
    },
}

fn e<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

impl Shape {
    pub(crate) fn of(d: &Distribution) -> Result<Shape, String> {
        let f = |x: &Decimal| to_f64(*x);
        Ok(match d {
            Distribution::Normal { mean, sd } => Shape::Normal(Normal::new(f(mean), f(sd)).map_err(e)?),
            Distribution::LogNormal { mu, sigma } => {
                Shape::LogNormal(LogNormal::new(f(mu), f(sigma)).map_err(e)?)
            }
            Distribution::Uniform { min, max } => Shape::Uniform(Uniform::new(f(min), f(max)).map_err(e)?),
            Distribution::Triangular { min, mode, max } => {
                Shape::Triangular(Triangular::new(f(min), f(max), f(mode)).map_err(e)?)
            }
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => Shape::ScaledBeta {
                beta: Beta::new(f(alpha), f(beta)).map_err(e)?,
                min: f(min),
                width: f(max) - f(min),
            },
            Distribution::Pert { min, mode, max } => {
                // Beta-PERT with lambda = 4: alpha = 1 + 4 (mode - min) / (max - min).
                let (a, c, b) = (f(min), f(mode), f(max));
                let alpha = 1.0 + 4.0 * (c - a) / (b - a);
                let beta = 1.0 + 4.0 * (b - c) / (b - a);
                Shape::ScaledBeta {
                    beta: Beta::new(alpha, beta).map_err(e)?,
                    min: a,
                    width: b - a,
                }
            }
        })
    }

    #[inline]
    pub(crate) fn inverse_cdf(&self, p: f64) -> f64 {
        match self {
            Shape::Normal(d) => d.inverse_cdf(p),
            Shape::LogNormal(d) => d.inverse_cdf(p),
            Shape::Uniform(d) => d.inverse_cdf(p),
            Shape::Triangular(d) => d.inverse_cdf(p),
            Shape::ScaledBeta { beta, min, width } => min + width * beta.inverse_cdf(p),
        }
    }

    /// The `p` quantile of the distribution restricted to `[lo, hi]`
    /// (either end may be open), `F⁻¹(F(lo) + p·(F(hi) − F(lo)))`: the
    /// quantile of the values kept when those outside the range are drawn
    /// again.
    pub(crate) fn truncated_quantile(&self, p: f64, lo: Option<f64>, hi: Option<f64>) -> f64 {
        let f_lo = lo.map_or(0.0, |x| self.cdf(x));
        let f_hi = hi.map_or(1.0, |x| self.cdf(x));
        if f_lo <= 0.0 && f_hi >= 1.0 {
            return self.inverse_cdf(p);
        }
        self.inverse_cdf((f_lo + p * (f_hi - f_lo)).clamp(0.0, 1.0))
    }

    pub(crate) fn cdf(&self, x: f64) -> f64 {
        match self {
            Shape::Normal(d) => d.cdf(x),
            Shape::LogNormal(d) => d.cdf(x),
            Shape::Uniform(d) => d.cdf(x),
            Shape::Triangular(d) => d.cdf(x),
            Shape::ScaledBeta { beta, min, width } => beta.cdf(((x - min) / width).clamp(0.0, 1.0)),
        }
    }
}

/// The range a bounded distribution draws from (`None` when unbounded).
pub fn bounded_support(d: &Distribution) -> Option<(Decimal, Decimal)> {
    match d {
        Distribution::Uniform { min, max }
        | Distribution::Triangular { min, max, .. }
        | Distribution::Beta { min, max, .. }
        | Distribution::Pert { min, max, .. } => Some((*min, *max)),
        _ => None,
    }
}

/// Whether statrs accepts the distribution's parameters (the reason in
/// lower case when not).
pub fn check(d: &Distribution) -> Result<(), String> {
    let f = |x: &Decimal| to_f64(*x);
    let res = match d {
        Distribution::Normal { mean, sd } => {
            Normal::new(f(mean), f(sd)).map(|_| ()).map_err(|e| e.to_string())
        }
        Distribution::LogNormal { mu, sigma } => LogNormal::new(f(mu), f(sigma))
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Distribution::Uniform { min, max } => Uniform::new(f(min), f(max))
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Distribution::Triangular { min, mode, max } => Triangular::new(f(min), f(max), f(mode))
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Distribution::Beta {
            alpha,
            beta,
            min,
            max,
        } => {
            if min >= max {
                Err("min must be below max".to_string())
            } else {
                Beta::new(f(alpha), f(beta))
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
        Distribution::Pert { min, mode, max } => {
            if !(min <= mode && mode <= max && min < max) {
                Err("needs min <= mode <= max and min < max".to_string())
            } else if f(max) - f(min) <= 0.0 {
                // min < max as decimals, but as doubles (in which it is
                // drawn) the range is empty: its shape cannot be formed.
                Err(format!(
                    "max {max} is not above min {min} in double precision, in which it is drawn"
                ))
            } else {
                Shape::of(d).map(|_| ())
            }
        }
    };
    res.map_err(|e| e.to_lowercase())
}
