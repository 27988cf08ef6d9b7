//! Probabilistic forecasts and how they are scored: the continuous ranked
//! probability score (CRPS, Gneiting & Raftery 2007), in the units of the
//! observation, and whether the observation lies inside the central 50%
//! and 80% bands. A point forecast is a point mass: its CRPS is the
//! absolute error, and it has no band (coverage is not defined).
//!
//! The CRPS of a predictive distribution F for an observation y is
//! `∫ (F(x) − 1{x ≥ y})² dx = E|X − y| − ½ E|X − X'|`; lower is better, and
//! it rewards a distribution both for being centred on what happened and
//! for being no wider than it needs to be. Closed forms:
//!
//! * normal N(μ, σ), with `z = (y − μ)/σ`:
//!   `σ [z (2Φ(z) − 1) + 2φ(z) − 1/√π]`;
//! * log-normal (`ln X ~ N(μ, σ)`), with `w = (ln y − μ)/σ` and
//!   `m = exp(μ + σ²/2)` (Baran & Lerch 2015):
//!   `y (2Φ(w) − 1) − 2m [Φ(w − σ) + Φ(σ/√2) − 1]` for `y > 0`, and
//!   `2m (1 − Φ(σ/√2)) − y` for `y ≤ 0`;
//! * a sample `x₁ ≤ … ≤ xₙ` (its empirical distribution):
//!   `(1/n) Σ|xᵢ − y| − (1/n²) Σ (2i − n − 1) xᵢ`.

use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::erf::erfc;

use crate::uncertainty_analysis::stats::percentile;

/// The central bands whose coverage is counted: 50% and 80%.
pub const LEVELS: [f64; 2] = [0.5, 0.8];

/// A forecast as a distribution of the value observed.
#[derive(Debug, Clone, PartialEq)]
pub enum Predictive {
    /// One value, no spread.
    Point(f64),
    /// Normal with this mean and standard deviation.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation, > 0.
        sd: f64,
    },
    /// Log-normal: the logarithm is normal with mean `mu` and sd `sigma`.
    LogNormal {
        /// Mean of the logarithm.
        mu: f64,
        /// Standard deviation of the logarithm, > 0.
        sigma: f64,
    },
    /// The draws of a Monte Carlo run, sorted.
    Sample(Vec<f64>),
}

/// Standard normal distribution function.
fn cdf(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// Standard normal density.
fn pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Points of the observation error per draw (see [`Predictive::sample_with_error`]).
pub const NOISE_POINTS: usize = 8;

/// The standard normal quantile of the upper end of a central band.
fn z_of(level: f64) -> f64 {
    Normal::standard().inverse_cdf(0.5 + level / 2.0)
}

impl Predictive {
    /// A sample of draws, sorted; a point mass when they are all equal.
    pub fn sample(mut draws: Vec<f64>) -> Predictive {
        radsort::sort(&mut draws);
        match (draws.first(), draws.last()) {
            (Some(a), Some(z)) if a == z => Predictive::Point(*a),
            _ => Predictive::Sample(draws),
        }
    }

    /// Draws, each spread by a multiplicative error `exp(σ·z)` for the
    /// [`NOISE_POINTS`] standard normal quantiles `z` at the middles of equal
    /// slices of probability (a deterministic, stratified sample of the
    /// log-normal error): the model's parameter uncertainty and its own
    /// error on the observations together. Without a positive `sigma`, the
    /// draws as they are.
    pub fn sample_with_error(draws: Vec<f64>, sigma: f64) -> Predictive {
        if !(sigma > 0.0 && sigma.is_finite()) {
            return Predictive::sample(draws);
        }
        let factors: Vec<f64> = (0..NOISE_POINTS)
            .map(|k| (sigma * Normal::standard().inverse_cdf((k as f64 + 0.5) / NOISE_POINTS as f64)).exp())
            .collect();
        Predictive::sample(
            draws
                .iter()
                .flat_map(|d| factors.iter().map(move |f| d * f))
                .collect(),
        )
    }

    /// A normal, or a point mass where the sd is not positive.
    pub fn normal(mean: f64, sd: f64) -> Predictive {
        if sd > 0.0 && sd.is_finite() {
            Predictive::Normal { mean, sd }
        } else {
            Predictive::Point(mean)
        }
    }

    /// A log-normal whose median is `median`, or a point mass where
    /// `sigma` is not positive or the median not above 0.
    pub fn log_normal(median: f64, sigma: f64) -> Predictive {
        if sigma > 0.0 && sigma.is_finite() && median > 0.0 {
            Predictive::LogNormal {
                mu: median.ln(),
                sigma,
            }
        } else {
            Predictive::Point(median)
        }
    }

    /// The CRPS for observation `y`, in the units of `y`.
    pub fn crps(&self, y: f64) -> f64 {
        match self {
            Predictive::Point(x) => (x - y).abs(),
            Predictive::Normal { mean, sd } => {
                let z = (y - mean) / sd;
                sd * (z * (2.0 * cdf(z) - 1.0) + 2.0 * pdf(z) - 1.0 / std::f64::consts::PI.sqrt())
            }
            Predictive::LogNormal { mu, sigma } => {
                let m = (mu + sigma * sigma / 2.0).exp();
                let half = cdf(sigma / std::f64::consts::SQRT_2);
                if y <= 0.0 {
                    return 2.0 * m * (1.0 - half) - y;
                }
                let w = (y.ln() - mu) / sigma;
                y * (2.0 * cdf(w) - 1.0) - 2.0 * m * (cdf(w - sigma) + half - 1.0)
            }
            Predictive::Sample(xs) => {
                let n = xs.len() as f64;
                let spread: f64 = xs.iter().map(|x| (x - y).abs()).sum::<f64>() / n;
                let pairs: f64 = xs
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n - 1.0) * x)
                    .sum::<f64>()
                    / (n * n);
                spread - pairs
            }
        }
    }

    /// The central band holding `level` of the distribution, `None` for a
    /// point mass. A sample's band runs between its quantiles (linear
    /// interpolation, as `mc` reports percentiles).
    pub fn band(&self, level: f64) -> Option<(f64, f64)> {
        match self {
            Predictive::Point(_) => None,
            Predictive::Normal { mean, sd } => {
                let h = z_of(level) * sd;
                Some((mean - h, mean + h))
            }
            Predictive::LogNormal { mu, sigma } => {
                let h = z_of(level) * sigma;
                Some(((mu - h).exp(), (mu + h).exp()))
            }
            Predictive::Sample(xs) => {
                let tail = (1.0 - level) / 2.0;
                Some((percentile(xs, tail), percentile(xs, 1.0 - tail)))
            }
        }
    }
}

/// One forecast of one observation, scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scored {
    /// CRPS in percent of the observed value: `100 × CRPS / |y|`.
    pub crps_pct: f64,
    /// Whether `y` lies inside each band of [`LEVELS`] (ends included);
    /// `None` for a point forecast.
    pub inside: [Option<bool>; 2],
}

impl Scored {
    /// Scores `forecast` against the observed value `y`.
    pub fn of(forecast: &Predictive, y: f64) -> Scored {
        let inside = LEVELS.map(|l| forecast.band(l).map(|(lo, hi)| lo <= y && y <= hi));
        Scored {
            crps_pct: 100.0 * forecast.crps(y) / y.abs(),
            inside,
        }
    }
}

/// The probabilistic skill of a set of forecasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Skill {
    /// Forecasts scored.
    pub n: usize,
    /// Mean CRPS, % of the observed values.
    pub crps_pct: f64,
    /// Share of the observations inside each band of [`LEVELS`], in
    /// percent, over the forecasts that have bands; `None` when none has.
    pub coverage: [Option<f64>; 2],
    /// Forecasts with bands.
    pub with_bands: usize,
}

impl Skill {
    /// The skill of `scores`.
    pub fn of<'a>(scores: impl IntoIterator<Item = &'a Scored>) -> Skill {
        let (mut n, mut crps) = (0usize, 0.0);
        let mut counts = [(0usize, 0usize); 2];
        for s in scores {
            n += 1;
            crps += s.crps_pct;
            for (c, inside) in counts.iter_mut().zip(s.inside) {
                if let Some(i) = inside {
                    c.1 += 1;
                    c.0 += usize::from(i);
                }
            }
        }
        Skill {
            n,
            crps_pct: crps / n.max(1) as f64,
            coverage: counts.map(|(inside, all)| (all > 0).then(|| 100.0 * inside as f64 / all as f64)),
            with_bands: counts[0].1,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn an_error_spreads_each_draw_by_the_normal_quantiles() {
        // One draw of 100 and σ = 0.1: the eight points are 100·exp(0.1·z)
        // for z = Φ⁻¹(1/16), Φ⁻¹(3/16), …; the 1/16 quantile is −1.5341,
        // so the least is 100·e^-0.15341 = 85.78, and they are symmetric in
        // logs around 100.
        let Predictive::Sample(xs) = Predictive::sample_with_error(vec![100.0], 0.1) else {
            panic!("a sample")
        };
        assert_eq!(xs.len(), NOISE_POINTS);
        assert!((xs[0] - 85.778).abs() < 0.01, "{xs:?}");
        assert!((xs[0] * xs[7] - 10_000.0).abs() < 1e-6, "{xs:?}");
        // No error: the draws as they are.
        assert_eq!(
            Predictive::sample_with_error(vec![1.0, 2.0], 0.0),
            Predictive::sample(vec![1.0, 2.0])
        );
    }

    use super::*;

    #[test]
    fn the_crps_of_a_point_is_the_absolute_error() {
        assert_eq!(Predictive::Point(1_650.0).crps(1_585.0), 65.0);
        assert_eq!(Predictive::Point(1_585.0).crps(1_650.0), 65.0);
        // A sample of equal draws is a point.
        let s = Predictive::sample(vec![1_500.0; 10]);
        assert_eq!(s, Predictive::Point(1_500.0));
        assert_eq!(s.crps(1_560.0), 60.0);
        // A sample of one draw is too: (1/1)|x − y| − 0.
        assert_eq!(Predictive::Sample(vec![7.0]).crps(4.0), 3.0);
        // And a point has no band.
        assert_eq!(Scored::of(&Predictive::Point(110.0), 100.0).inside, [None, None]);
        assert!((Scored::of(&Predictive::Point(110.0), 100.0).crps_pct - 10.0).abs() < 1e-12);
    }

    #[test]
    fn the_crps_of_a_normal_against_the_closed_form_by_hand() {
        // N(0, 1) at y = 0: z = 0, Φ = 1/2, φ(0) = 1/√(2π):
        // 0 + 2/√(2π) − 1/√π = 0.797885 − 0.564190 = 0.233695.
        let n = Predictive::normal(0.0, 1.0);
        assert!((n.crps(0.0) - 0.233_695).abs() < 1e-6, "{}", n.crps(0.0));
        // N(100, 10) at y = 110: z = 1, Φ(1) = 0.841345, φ(1) = 0.241971:
        // 10 × [1 × 0.682689 + 0.483941 − 0.564190] = 6.024404.
        let n = Predictive::normal(100.0, 10.0);
        assert!((n.crps(110.0) - 6.024_404).abs() < 1e-5, "{}", n.crps(110.0));
        // Far from the mean the CRPS tends to |y − μ| − σ/√π.
        assert!((n.crps(200.0) - (100.0 - 10.0 / std::f64::consts::PI.sqrt())).abs() < 1e-9);
        // The same normal as a large sample of its quantiles gives the same score.
        let k = 20_000;
        let draws: Vec<f64> = (0..k)
            .map(|i| 100.0 + 10.0 * Normal::standard().inverse_cdf((i as f64 + 0.5) / k as f64))
            .collect();
        let s = Predictive::sample(draws);
        assert!((s.crps(110.0) - 6.024_404).abs() < 2e-3, "{}", s.crps(110.0));
    }

    #[test]
    fn the_crps_of_a_log_normal_matches_its_definition() {
        // E|X − y| − ½E|X − X'| by quadrature over the quantiles of a
        // log-normal with median 1,500 and σ = 0.05, at y = 1,600 and at
        // the median; and the formula for y ≤ 0, E X − y − ½E|X − X'| with
        // E|X − X'| = 2m(2Φ(σ/√2) − 1).
        let p = Predictive::log_normal(1_500.0, 0.05);
        let k = 20_000;
        let xs: Vec<f64> = (0..k)
            .map(|i| 1_500.0 * (0.05 * Normal::standard().inverse_cdf((i as f64 + 0.5) / k as f64)).exp())
            .collect();
        let s = Predictive::Sample(xs);
        for y in [1_600.0, 1_500.0, 1_350.0] {
            assert!(
                (p.crps(y) - s.crps(y)).abs() < 0.05,
                "{y}: {} vs {}",
                p.crps(y),
                s.crps(y)
            );
        }
        let m = 1_500.0 * (0.05f64 * 0.05 / 2.0).exp();
        let pairs = 2.0 * m * (2.0 * cdf(0.05 / std::f64::consts::SQRT_2) - 1.0);
        assert!((p.crps(0.0) - (m - pairs / 2.0)).abs() < 1e-9);
        // Its bands are the median times exp(±z σ): z(0.8) = 1.281552.
        let (lo, hi) = p.band(0.8).unwrap();
        assert!((lo - 1_500.0 * (-0.05 * 1.281_552f64).exp()).abs() < 1e-3);
        assert!((hi - 1_500.0 * (0.05 * 1.281_552f64).exp()).abs() < 1e-3);
    }

    #[test]
    fn coverage_is_counted_on_a_small_example() {
        // Five forecasts N(100, 10): the 50% band is 100 ± 6.7449, the 80%
        // band 100 ± 12.8155. Observations 103 (in both), 93.5 (in both),
        // 110 (80% only), 120 (neither), 87.5 (80% only); a sixth forecast
        // is a point and has no band.
        let n = Predictive::normal(100.0, 10.0);
        let mut scores: Vec<Scored> = [103.0, 93.5, 110.0, 120.0, 87.5]
            .iter()
            .map(|&y| Scored::of(&n, y))
            .collect();
        scores.push(Scored::of(&Predictive::Point(100.0), 100.0));
        let skill = Skill::of(&scores);
        assert_eq!(skill.n, 6);
        assert_eq!(skill.with_bands, 5);
        // 2 of 5 inside the 50% band, 4 of 5 inside the 80% band.
        assert_eq!(skill.coverage, [Some(40.0), Some(80.0)]);
        // Only points: coverage is not defined.
        let points = [Scored::of(&Predictive::Point(1.0), 2.0)];
        assert_eq!(Skill::of(&points).coverage, [None, None]);
        // A sample's bands are its quantiles: draws 1..=9, 50% band
        // P25..P75 = 3..7, 80% band P10..P90 = 1.8..8.2.
        let s = Predictive::sample((1..=9).rev().map(f64::from).collect());
        assert_eq!(s.band(0.5), Some((3.0, 7.0)));
        let (lo, hi) = s.band(0.8).unwrap();
        assert!((lo - 1.8).abs() < 1e-12 && (hi - 8.2).abs() < 1e-12);
        assert_eq!(Scored::of(&s, 8.0).inside, [Some(false), Some(true)]);
    }
}
