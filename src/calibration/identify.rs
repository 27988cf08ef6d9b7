//! What the data say about each estimate: standard errors and
//! correlations from the Jacobian at the estimates (`s² (JᵀJ)⁻¹`, with
//! nalgebra), and warnings where the data cannot tell parameters apart —
//! a parameter that moves no observed value, or two that move every
//! observed value in the same proportion (elasticities that enter only
//! through their sum), or a combination of several (the smallest
//! eigenvector of the scaled `JᵀJ`).

#![allow(clippy::needless_range_loop)] // k×k index loops over matrices read plainest

use nalgebra::{DMatrix, SymmetricEigen};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::compare::combine_all;
use super::problem::Request;
use super::scale::Scale;
use crate::engine::metrics::MetricRef;
use crate::error::Error;
use crate::sensitivity::Assignment;

/// Which way the data pull an estimate that sits on a bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pull {
    /// Beyond the bound: the loss falls as the value leaves the range.
    Outward,
    /// Into the range: the loss falls as the value moves inside, so the
    /// search stopped short of the best fit.
    Inward,
    /// Neither way at first order (an exact fit, or residuals the
    /// parameter does not tilt).
    Neither,
}

/// Standard errors, correlations and warnings at the estimates.
pub struct Identification {
    /// One per estimate; `None` where the data do not determine it.
    pub std_errors: Vec<Option<f64>>,
    /// Correlation matrix of the estimates, when every one has a standard error.
    pub correlation: Option<Vec<Vec<f64>>>,
    /// What the data cannot separate.
    pub warnings: Vec<String>,
    /// Runs used.
    pub evaluations: usize,
    /// Whether the observed values move each parameter at all (its column of
    /// the Jacobian is not zero).
    pub moves: Vec<bool>,
    /// Whether each parameter changes the model's value of any observed
    /// row (it may do so and still move no error, where the values stay
    /// inside their published ranges).
    pub affects: Vec<bool>,
    /// `Jᵀr` per parameter in its own units (half the slope of the loss;
    /// one-sided, inward, at a bound).
    pub gradient: Vec<f64>,
    /// The cosine between each parameter's column of the Jacobian and the
    /// residuals, which says how strongly the data pull it.
    pub cosine: Vec<f64>,
}

/// Cosines smaller than this count as no pull at all.
const FLAT: f64 = 1e-6;

impl Identification {
    /// Which way the data pull parameter `j`, sitting on its lower bound
    /// (`lower`) or its upper one. The loss `Σ r²` has slope `2 (Jᵀr)_j`:
    /// at the lower bound a positive slope means it falls below the bound
    /// (outward), at the upper bound a negative one means it falls above it.
    pub fn pull(&self, j: usize, lower: bool) -> Pull {
        let (g, c) = (self.gradient[j], self.cosine[j]);
        if !g.is_finite() || !c.is_finite() || c.abs() < FLAT {
            Pull::Neither
        } else if (g > 0.0) == lower {
            Pull::Outward
        } else {
            Pull::Inward
        }
    }
}

/// Cosine above which two parameters' effects count as the same.
const SAME: f64 = 0.999;

/// Identification at `x` (the rounded estimates), whose weighted errors
/// are `residuals` (their sum of squares is the loss).
pub fn identify(
    req: &Request<'_>,
    metrics: &[MetricRef],
    at: &[std::ops::Range<usize>],
    x: &[Decimal],
    residuals: &[f64],
) -> Result<Identification, Error> {
    let loss: f64 = residuals.iter().map(|r| r * r).sum();
    let k = x.len();
    let n = req.rows.len();
    let (jac, affects, evaluations) = jacobian(req, metrics, at, x);
    let mut warnings = Vec::new();
    let path = |j: usize| req.free[j].path();
    let norms: Vec<f64> = (0..k).map(|j| jac.column(j).norm()).collect();
    let r = nalgebra::DVector::from_column_slice(residuals);
    let gradient: Vec<f64> = (0..k).map(|j| jac.column(j).dot(&r)).collect();
    let r_norm = r.norm();
    let cosine: Vec<f64> = (0..k)
        .map(|j| {
            if norms[j] > 0.0 && r_norm > 0.0 {
                gradient[j] / (norms[j] * r_norm)
            } else {
                0.0
            }
        })
        .collect();
    let moves: Vec<bool> = norms.iter().map(|n| *n != 0.0 && n.is_finite()).collect();
    let unidentified = unidentified(&jac, &norms, &affects, req, &mut warnings);
    let dof = n.saturating_sub(k);
    if dof == 0 {
        warnings.push(format!(
            "{n} observations for {k} parameters: no degrees of freedom left, so no standard errors"
        ));
        return Ok(Identification {
            std_errors: vec![None; k],
            correlation: None,
            warnings,
            evaluations,
            moves,
            affects,
            gradient,
            cosine,
        });
    }
    let (std_errors, correlation) = covariance(&jac, &unidentified, loss / dof as f64);
    if let Some(c) = &correlation {
        for a in 0..k {
            for b in a + 1..k {
                if c[a][b].abs() > 0.95 {
                    warnings.push(format!(
                        "the estimates of {} and {} are correlated {:+.2}: the data pin down mostly a combination of them",
                        path(a),
                        path(b),
                        c[a][b]
                    ));
                }
            }
        }
    }
    Ok(Identification {
        std_errors,
        correlation,
        warnings,
        evaluations,
        moves,
        affects,
        gradient,
        cosine,
    })
}

/// The Jacobian of the weighted errors at `x` by central differences in
/// each parameter's own units (one-sided at a bound), whether each
/// parameter changes any row's model value, and the runs it took.
fn jacobian(
    req: &Request<'_>,
    metrics: &[MetricRef],
    at: &[std::ops::Range<usize>],
    x: &[Decimal],
) -> (DMatrix<f64>, Vec<bool>, usize) {
    let k = x.len();
    let n = req.rows.len();
    let mut points: Vec<Assignment> = Vec::new();
    let mut steps = Vec::new();
    for (j, f) in req.free.iter().enumerate() {
        let unit = Decimal::new(1, f.places());
        let (lo, hi) = (f.lo.to_f64().unwrap_or(0.0), f.hi.to_f64().unwrap_or(0.0));
        // In f64: bounds as wide as 0.01 to 10^27 are allowed, and their
        // width or ratio would overflow a decimal.
        let h = match Scale::of(lo, hi) {
            Scale::Linear => (hi - lo) / 10_000.0,
            // A ten-thousandth of the range's logarithm, at the estimate:
            // x (e^(ln(hi / lo) / 10,000) − 1).
            Scale::Log => x[j].to_f64().unwrap_or(0.0) * ((hi / lo).ln() / 10_000.0).exp_m1(),
        };
        let h = Decimal::from_f64_retain(h).unwrap_or(unit);
        let h = f.round(h.max(unit)).max(unit);
        let up = x[j].checked_add(h).map_or(f.hi, |v| v.min(f.hi));
        let down = x[j].checked_sub(h).map_or(f.lo, |v| v.max(f.lo));
        for v in [up, down] {
            let mut a: Assignment = req.free.iter().zip(x).map(|(f, v)| (f.target(), *v)).collect();
            a[j].1 = v;
            points.push(a);
        }
        steps.push((up - down).to_f64().unwrap_or(0.0));
    }
    let results = req.ev.try_evaluate(&points, metrics, req.progress);
    let mut jac = DMatrix::<f64>::zeros(n, k);
    let mut affects = vec![false; k];
    for j in 0..k {
        let (Ok(up), Ok(down)) = (&results[2 * j], &results[2 * j + 1]) else {
            continue;
        };
        let (Ok(up), Ok(down)) = (combine_all(&req.rows, at, up), combine_all(&req.rows, at, down)) else {
            continue;
        };
        if steps[j] == 0.0 {
            continue;
        }
        affects[j] = up != down;
        for (i, m) in req.rows.iter().enumerate() {
            let w = m.row.weight.to_f64().unwrap_or(1.0).sqrt();
            let e = |v: &Decimal| w * loss_error(req, i, v.to_f64().unwrap_or(f64::NAN));
            jac[(i, j)] = (e(&up[i]) - e(&down[i])) / steps[j];
        }
    }
    (jac, affects, points.len())
}

/// The parameters the data cannot determine, each with a warning: one
/// that moves nothing, two that move everything alike, or a combination
/// of three or more (the smallest eigenvalue of the column-scaled JᵀJ,
/// named by its eigenvector).
fn unidentified(
    jac: &DMatrix<f64>,
    norms: &[f64],
    affects: &[bool],
    req: &Request<'_>,
    warnings: &mut Vec<String>,
) -> Vec<bool> {
    let k = norms.len();
    let path = |j: usize| req.free[j].path();
    let mut unidentified = vec![false; k];
    for j in 0..k {
        if norms[j] == 0.0 || !norms[j].is_finite() {
            unidentified[j] = true;
            warnings.push(if affects[j] && norms[j] == 0.0 {
                format!(
                    "{} changes no error of the fit: the observed values it moves stay inside their published ranges (lo to hi), where no error is counted, so the data say nothing more about it; fix it or add observations it affects",
                    path(j)
                )
            } else {
                format!(
                    "{} moves none of the observed values: the data say nothing about it; fix it or add observations it affects",
                    path(j)
                )
            });
        }
    }
    for a in 0..k {
        for b in a + 1..k {
            if unidentified[a] || unidentified[b] {
                continue;
            }
            let cos = jac.column(a).dot(&jac.column(b)) / (norms[a] * norms[b]);
            if cos.abs() > SAME {
                unidentified[a] = true;
                unidentified[b] = true;
                warnings.push(format!(
                    "{} and {} move every observed value in the same proportion (cosine {:.4}): the data determine one combination of them (such as their sum), not each; fix one and fit the other",
                    path(a),
                    path(b),
                    cos
                ));
            }
        }
    }
    if k >= 3 && !unidentified.iter().any(|u| *u) {
        let mut scaled = jac.clone();
        for j in 0..k {
            scaled.column_mut(j).scale_mut(1.0 / norms[j]);
        }
        let eig = SymmetricEigen::new(scaled.transpose() * &scaled);
        let (i, &min) = eig
            .eigenvalues
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .unwrap_or((0, &1.0));
        if min < 1e-6 {
            let v = eig.eigenvectors.column(i);
            let parts: Vec<String> = (0..k)
                .filter(|&j| v[j].abs() > 0.1)
                .map(|j| format!("{:+.2} × {}", v[j], path(j)))
                .collect();
            unidentified.iter_mut().for_each(|u| *u = true);
            warnings.push(format!(
                "the data cannot separate the combination {} (each scaled by its effect): fix one of them",
                parts.join(" ")
            ));
        }
    }
    unidentified
}

/// Standard errors of the identified parameters (JᵀJ inverted over them
/// only, times the error variance `s2`), and the correlation of the
/// estimates when every parameter is identified.
fn covariance(
    jac: &DMatrix<f64>,
    unidentified: &[bool],
    s2: f64,
) -> (Vec<Option<f64>>, Option<Vec<Vec<f64>>>) {
    let k = unidentified.len();
    let keep: Vec<usize> = (0..k).filter(|&j| !unidentified[j]).collect();
    let mut std_errors = vec![None; k];
    if keep.is_empty() {
        return (std_errors, None);
    }
    let sub = jac.select_columns(&keep);
    let Some(inv) = (sub.transpose() * &sub).try_inverse() else {
        return (std_errors, None);
    };
    let cov = inv * s2;
    for (a, &j) in keep.iter().enumerate() {
        std_errors[j] = Some(cov[(a, a)].max(0.0).sqrt());
    }
    if keep.len() != k {
        return (std_errors, None);
    }
    let correlation = (0..k)
        .map(|a| {
            (0..k)
                .map(|b| {
                    let d = (cov[(a, a)] * cov[(b, b)]).sqrt();
                    if d > 0.0 {
                        cov[(a, b)] / d
                    } else if a == b {
                        1.0
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    (std_errors, Some(correlation))
}

fn loss_error(req: &Request<'_>, i: usize, m: f64) -> f64 {
    req.loss.error_of(&req.rows[i].row, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(gradient: f64, cosine: f64) -> Identification {
        Identification {
            std_errors: vec![None],
            correlation: None,
            warnings: Vec::new(),
            evaluations: 0,
            moves: vec![true],
            affects: vec![true],
            gradient: vec![gradient],
            cosine: vec![cosine],
        }
    }

    #[test]
    fn the_pull_at_a_bound_follows_the_slope_of_the_loss() {
        // The loss Σr² has slope 2·(Jᵀr). Rising into the range (slope > 0)
        // at the lower bound: it falls below the bound, outward.
        assert_eq!(with(3.0, 0.5).pull(0, true), Pull::Outward);
        assert_eq!(with(3.0, 0.5).pull(0, false), Pull::Inward);
        // Falling as it rises: at the lower bound the best fit is inside.
        assert_eq!(with(-3.0, -0.5).pull(0, true), Pull::Inward);
        assert_eq!(with(-3.0, -0.5).pull(0, false), Pull::Outward);
        // Residuals the parameter does not tilt: no pull either way.
        assert_eq!(with(1e-12, 1e-9).pull(0, true), Pull::Neither);
        assert_eq!(with(f64::NAN, 0.5).pull(0, false), Pull::Neither);
    }
}
