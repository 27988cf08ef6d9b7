//! Rank correlation between inputs by Iman and Conover (1982): the drawn
//! values of each input are kept and only re-paired, so every marginal
//! distribution is exactly what it was, while the ranks follow a target
//! rank-correlation matrix.
//!
//! 1. Each input gets a column of van der Waerden scores Φ⁻¹(r/(N+1)) in a
//!    random order of its own (a keyed permutation, so it depends on the
//!    seed and the input's path only).
//! 2. The scores' own sample correlation `E = Q Qᵀ` is removed and the
//!    target `C = P Pᵀ` put in: `T = S (P Q⁻¹)ᵀ`. `T` has sample
//!    correlation exactly `C`.
//! 3. Each input's values are re-paired so that their ranks are the ranks
//!    of its column of `T`.
//!
//! The target is a *rank* (Spearman) correlation. Normal scores with
//! Pearson correlation ρ have rank correlation (6/π)·asin(ρ/2), so the
//! scores are given ρ = 2·sin(π·ρₛ/6) to land on the requested ρₛ (without
//! this, 0.6 would come out as 0.58).
//!
//! With many draws this is seconds of work that evaluates nothing; the
//! caller's `check` is called between blocks of `ROWS` draws (and
//! around each column's sort), where it may stop the work by unwinding.

use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};

use super::linalg::{cholesky, mul_lower, solve_lower};
use super::stream::Permutation;

/// Draws handled between two calls of `induce`'s `check`.
const ROWS: usize = 4096;

/// The normal-score (Pearson) correlation that gives rank correlation `rho_s`.
pub fn score_correlation(rho_s: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rho_s / 6.0).sin()
}

/// Why the re-pairing cannot be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The score correlations converted from the target are not positive
    /// definite; the leading block up to this column already is not.
    NotPositiveDefinite(usize),
}

/// Re-pairs `columns` (each one input's values in draw order, all of the
/// same length N) so that their rank correlations approach `target`
/// (g × g, row-major, rank correlations, ones on the diagonal). `orders`
/// gives each column's score order. With fewer than g + 2 draws there is
/// nothing to re-pair and the columns are left as they are. `check` is
/// called every `ROWS` draws of each step; it may unwind to stop.
pub fn induce<T: Copy + Ord + Send + Sync>(
    columns: &mut [Vec<T>],
    target: &[f64],
    orders: &[Permutation],
    check: &(dyn Fn() + Sync),
) -> Result<(), Failure> {
    let g = columns.len();
    let n = columns.first().map_or(0, Vec::len);
    let c: Vec<f64> = target
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if i % (g + 1) == 0 {
                1.0
            } else {
                score_correlation(*r)
            }
        })
        .collect();
    let p = cholesky(&c, g).map_err(Failure::NotPositiveDefinite)?;
    if g < 2 || n < g + 2 {
        return Ok(());
    }
    let scores = van_der_waerden(n, check);
    // S, row-major: row i holds each input's score at draw i.
    let mut t = vec![0.0; n * g];
    t.par_chunks_mut(g * ROWS).enumerate().for_each(|(c, block)| {
        check();
        for (r, row) in block.chunks_mut(g).enumerate() {
            let i = (c * ROWS + r) as u64;
            for (j, x) in row.iter_mut().enumerate() {
                *x = scores[orders[j].apply(i) as usize];
            }
        }
    });
    drop(scores);
    // E: the scores' sample correlation (their mean is 0 and variance 1).
    let mut e = vec![0.0; g * g];
    for block in t.chunks(g * ROWS) {
        check();
        for row in block.chunks(g) {
            for a in 0..g {
                for b in 0..a {
                    e[a * g + b] += row[a] * row[b];
                }
            }
        }
    }
    for a in 0..g {
        e[a * g + a] = 1.0;
        for b in 0..a {
            e[a * g + b] /= n as f64;
            e[b * g + a] = e[a * g + b];
        }
    }
    let Ok(q) = cholesky(&e, g) else {
        return Ok(()); // degenerate scores: too few draws to re-pair
    };
    // T = S (P Q⁻¹)ᵀ, row by row in place.
    t.par_chunks_mut(g * ROWS).for_each(|block| {
        check();
        let mut s = vec![0.0; g];
        for row in block.chunks_mut(g) {
            s.copy_from_slice(row);
            solve_lower(&q, g, &mut s);
            mul_lower(&p, g, &s, row);
        }
    });
    columns.par_iter_mut().enumerate().for_each(|(j, col)| {
        check();
        let mut order: Vec<(f64, u32)> = (0..n).map(|i| (t[i * g + j], i as u32)).collect();
        radsort::sort_by_key(&mut order, |x| x.0);
        check();
        let mut sorted = col.clone();
        sorted.sort_unstable();
        check();
        for (r, (_, i)) in order.iter().enumerate() {
            col[*i as usize] = sorted[r];
        }
    });
    Ok(())
}

/// Φ⁻¹(r / (N + 1)) for r = 1..=N, scaled to variance 1; `check` called
/// every [`ROWS`] scores.
fn van_der_waerden(n: usize, check: &(dyn Fn() + Sync)) -> Vec<f64> {
    let std = Normal::standard();
    let mut s: Vec<f64> = Vec::with_capacity(n);
    for first in (1..=n).step_by(ROWS) {
        check();
        let last = (first + ROWS - 1).min(n);
        s.extend((first..=last).map(|r| std.inverse_cdf(r as f64 / (n as f64 + 1.0))));
    }
    let var = s.iter().map(|x| x * x).sum::<f64>() / n as f64;
    let sd = var.sqrt();
    if sd > 0.0 {
        for x in &mut s {
            *x /= sd;
        }
    }
    s
}
