//! Variance-based sensitivity: first-order (S1) and total (ST) Sobol
//! indices of each input for each output, with bootstrap 95% intervals.
//!
//! Design (Saltelli 2010): two N × k matrices A and B from one Sobol'
//! sequence of dimension 2k (A the first k coordinates, B the last k), and
//! for each input i the matrix A_B^i, A with column i taken from B; N(k+2)
//! evaluations. Estimators (Jansen 1999):
//!
//! - ST_i = mean((f(A) − f(A_B^i))²) / (2V)
//! - S1_i = 1 − mean((f(B) − f(A_B^i))²) / (2V)
//!
//! with V the variance of f over A and B together. An input that cannot
//! affect an output leaves f(A_B^i) = f(A) in every row, so its ST is
//! exactly 0. Intervals: ±1.96 × the standard deviation of the estimates
//! over bootstrap resamples of the N rows.

use rayon::prelude::*;

use super::stats::Z95;
use super::{try_chunks, Evaluate};
use crate::engine::EngineError;
use crate::num::binary::units_to_f64;
use crate::num::fixed::Num;
use crate::sampling::sobol_points::{point, MAX_DIMENSIONS, MAX_POINTS};
use crate::sampling::Stream;
use crate::sensitivity::Progress;

/// Bootstrap resamples behind each interval.
pub const RESAMPLES: usize = 1000;
/// Largest N: the length of the Sobol' sequence.
pub const MAX_N: u32 = MAX_POINTS;
/// Most inputs: two coordinates of the sequence each.
pub const MAX_INPUTS: usize = (MAX_DIMENSIONS / 2) as usize;
/// An interval wider than ± this is reported as wide.
pub const WIDE: f64 = 0.1;

/// One input of the design, drawn at Sobol' points.
pub type SobolInput<'a> = super::Drawn<'a>;

/// The indices of one input for one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Indices {
    /// S1: the share of the output's variance due to the input alone (0..1).
    pub s1: f64,
    /// Half-width of S1's bootstrap 95% interval.
    pub s1_conf: f64,
    /// ST: the share of variance due to the input with all its interactions (0..1).
    pub st: f64,
    /// Half-width of ST's bootstrap 95% interval.
    pub st_conf: f64,
}

/// The indices of every input for one output.
#[derive(Debug, Clone, PartialEq)]
pub struct OutputIndices {
    /// The output's variance over A and B together (V), in its unit squared.
    pub variance: f64,
    /// One per input, in the inputs' order.
    pub indices: Vec<Indices>,
    /// Half-width of the bootstrap 95% interval of the sum of S1 (1 minus
    /// that sum is the share of variance due to interactions).
    pub s1_sum_conf: f64,
}

impl OutputIndices {
    /// Whether the indices are defined: an output that does not vary has
    /// no variance to share out.
    pub fn defined(&self) -> bool {
        self.variance > 0.0
    }

    /// The sum of S1 over the inputs.
    pub fn s1_sum(&self) -> f64 {
        self.indices.iter().map(|ix| ix.s1).sum()
    }
}

/// What stopped an analysis.
#[derive(Debug)]
pub enum SobolError {
    /// Input `input` stayed outside its range for 1,000 redraws.
    Exhausted {
        /// The input, an index into the inputs analysed.
        input: usize,
    },
    /// The engine failed on one evaluation (an overflow, a broken conservation check).
    Engine(EngineError),
}

/// The value matrices: `[row][input]` for A and B.
fn matrix(
    inputs: &[SobolInput<'_>],
    n: usize,
    seed: u64,
    offset: u32,
    tag: &str,
) -> Result<Vec<i128>, SobolError> {
    let k = inputs.len();
    let seed32 = (seed ^ (seed >> 32)) as u32;
    let streams: Vec<Stream> = inputs
        .iter()
        .map(|i| Stream::new(seed, &format!("sobol-{tag}:{}", i.path)))
        .collect();
    let mut m = vec![0i128; n * k];
    try_chunks(
        &mut m,
        k.max(1) * 256,
        || (),
        |c, part, _| {
            for (r, row) in part.chunks_mut(k).enumerate() {
                let j = c * 256 + r;
                for (i, slot) in row.iter_mut().enumerate() {
                    let u = point(j as u32, offset + i as u32, seed32);
                    *slot = inputs[i]
                        .marginal
                        .draw(u, &streams[i], j as u64)
                        .map_err(|_| SobolError::Exhausted { input: i })?;
                }
            }
            Ok(())
        },
    )?;
    Ok(m)
}

/// Evaluates the Saltelli design and estimates the indices of every input
/// for each of `eval`'s outputs. `n` is the number of rows of A and B.
pub fn analyse<E: Evaluate>(
    eval: &E,
    inputs: &[SobolInput<'_>],
    n: u32,
    seed: u64,
    progress: &dyn Progress,
) -> Result<Vec<OutputIndices>, SobolError> {
    let k = inputs.len();
    let n = n as usize;
    let outs = eval.outputs();
    let a = matrix(inputs, n, seed, 0, "a")?;
    let b = matrix(inputs, n, seed, k as u32, "b")?;
    let places: Vec<u32> = inputs.iter().map(|i| i.marginal.places()).collect();
    // y[row][variant][output], variant 0 = A, 1 = B, 2 + i = A_B^i.
    let variants = k + 2;
    let per_row = variants * outs;
    let mut y = vec![0f64; n * per_row];
    progress.start((n * variants) as u64);
    let result = try_chunks(
        &mut y,
        per_row * 64,
        || (eval.scratch(), Vec::new(), Vec::new()),
        |c, part, (scratch, units, out)| {
            // The chunk's evaluations in order, row by row: A, B, A_B^1 …
            // A_B^k, each input in units of its last place (below 2^62).
            let rows = part.len() / per_row;
            units.clear();
            for r in 0..rows {
                let j = c * 64 + r;
                let (ra, rb) = (&a[j * k..(j + 1) * k], &b[j * k..(j + 1) * k]);
                units.extend(ra.iter().chain(rb).map(|u| *u as i64));
                for i in 0..k {
                    units.extend((0..k).map(|q| if q == i { rb[q] } else { ra[q] } as i64));
                }
            }
            out.clear();
            out.resize(rows * per_row, Num::ZERO);
            eval.eval_units(scratch, &places, units, false, out)
                .map_err(|(_, e)| SobolError::Engine(e))?;
            for (ys, o) in part.iter_mut().zip(out.iter()) {
                *ys = units_to_f64(o.m, o.s);
            }
            for _ in 0..rows * variants {
                progress.tick();
            }
            Ok(())
        },
    );
    progress.finish();
    result?;
    let column = |variant: usize, o: usize| -> Vec<f64> {
        (0..n).map(|j| y[j * per_row + variant * outs + o]).collect()
    };
    Ok((0..outs)
        .map(|o| {
            let fa = column(0, o);
            let fb = column(1, o);
            let fab: Vec<Vec<f64>> = (0..k).map(|i| column(2 + i, o)).collect();
            estimate_with_intervals(&fa, &fb, &fab, seed)
        })
        .collect())
}

/// Jansen's estimators over the rows `rows` (with repetition).
fn jansen(fa: &[f64], fb: &[f64], fab: &[Vec<f64>], rows: &[u32]) -> (f64, Vec<(f64, f64)>) {
    let n = rows.len() as f64;
    let mean = rows.iter().map(|&j| fa[j as usize] + fb[j as usize]).sum::<f64>() / (2.0 * n);
    // An output with one value in every row does not vary, though its
    // mean, summed in floating point, may miss that value by a rounding
    // error and leave a variance of 1e-26 to share out.
    let first = rows.first().map(|&j| fa[j as usize]);
    let constant = rows
        .iter()
        .all(|&j| Some(fa[j as usize]) == first && Some(fb[j as usize]) == first);
    let var = if constant {
        0.0
    } else {
        rows.iter()
            .map(|&j| (fa[j as usize] - mean).powi(2) + (fb[j as usize] - mean).powi(2))
            .sum::<f64>()
            / (2.0 * n)
    };
    let per_input = fab
        .iter()
        .map(|ab| {
            if var == 0.0 {
                return (0.0, 0.0);
            }
            let (mut first, mut total) = (0.0, 0.0);
            for &j in rows {
                let j = j as usize;
                first += (fb[j] - ab[j]).powi(2);
                total += (fa[j] - ab[j]).powi(2);
            }
            (1.0 - first / (2.0 * n * var), total / (2.0 * n * var))
        })
        .collect();
    (var, per_input)
}

/// Indices over all rows, and their bootstrap intervals.
fn estimate_with_intervals(fa: &[f64], fb: &[f64], fab: &[Vec<f64>], seed: u64) -> OutputIndices {
    let n = fa.len();
    let all: Vec<u32> = (0..n as u32).collect();
    let (variance, point) = jansen(fa, fb, fab, &all);
    let stream = Stream::new(seed, "sobol-bootstrap");
    let boots: Vec<Vec<(f64, f64)>> = (0..RESAMPLES)
        .into_par_iter()
        .map(|r| {
            let rows: Vec<u32> = (0..n)
                .map(|t| ((stream.uniform((r * n + t) as u64, 0) * n as f64) as usize).min(n - 1) as u32)
                .collect();
            jansen(fa, fb, fab, &rows).1
        })
        .collect();
    let sd = |f: &dyn Fn(&(f64, f64)) -> f64, i: usize| -> f64 {
        let xs: Vec<f64> = boots.iter().map(|b| f(&b[i])).collect();
        super::stats::mean_sd(&xs).1
    };
    let indices = point
        .iter()
        .enumerate()
        .map(|(i, (s1, st))| Indices {
            s1: *s1,
            s1_conf: Z95 * sd(&|p| p.0, i),
            st: *st,
            st_conf: Z95 * sd(&|p| p.1, i),
        })
        .collect();
    let sums: Vec<f64> = boots.iter().map(|b| b.iter().map(|p| p.0).sum()).collect();
    OutputIndices {
        variance,
        indices,
        s1_sum_conf: Z95 * super::stats::mean_sd(&sums).1,
    }
}

/// Warnings about one output's indices: wide intervals and indices below
/// zero by more than their interval.
pub fn warnings(metric: &str, paths: &[String], r: &OutputIndices, n: u32) -> Vec<String> {
    if r.variance == 0.0 {
        return vec![format!(
            "warning: {metric} does not vary with these inputs, so its Sobol indices are undefined (shown as –)"
        )];
    }
    let mut out = Vec::new();
    // At the most -n allows, raising it is no advice.
    let n_ = crate::render::count(u64::from(n));
    let (unreliable, firmer) = if n >= MAX_N {
        (
            format!("the estimate is unreliable even at -n {n_}, the most sobol allows"),
            format!("-n is at its most ({n_}), so this is as firm as sobol gets here"),
        )
    } else {
        (
            format!("the estimate is unreliable at -n {n_}, raise it"),
            format!("raise -n (now {n_}) for a firmer estimate"),
        )
    };
    for (p, ix) in paths.iter().zip(&r.indices) {
        for (name, v, conf) in [("S1", ix.s1, ix.s1_conf), ("ST", ix.st, ix.st_conf)] {
            if v < -conf && v < -0.01 {
                out.push(format!(
                    "warning: {name} of {p} for {metric} is {v:.4} ± {conf:.4}: below zero beyond sampling noise; {unreliable}"
                ));
            } else if conf > WIDE {
                out.push(format!(
                    "warning: {name} of {p} for {metric} has a wide 95% interval (± {conf:.4}); {firmer}"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One input's indices with a wide interval (± 0.2) and an S1 below
    /// zero beyond its interval (−0.05 ± 0.02).
    fn noisy() -> OutputIndices {
        OutputIndices {
            variance: 1.0,
            indices: vec![
                Indices {
                    s1: 0.5,
                    s1_conf: 0.2,
                    st: 0.5,
                    st_conf: 0.0,
                },
                Indices {
                    s1: -0.05,
                    s1_conf: 0.02,
                    st: 0.1,
                    st_conf: 0.0,
                },
            ],
            s1_sum_conf: 0.0,
        }
    }

    #[test]
    fn warnings_advise_a_larger_n_only_below_the_most_it_allows() {
        let paths = ["a".to_string(), "b".to_string()];
        assert_eq!(
            warnings("m", &paths, &noisy(), 64),
            [
                "warning: S1 of a for m has a wide 95% interval (± 0.2000); raise -n (now 64) for a firmer estimate",
                "warning: S1 of b for m is -0.0500 ± 0.0200: below zero beyond sampling noise; the estimate is \
                 unreliable at -n 64, raise it",
            ]
        );
        assert_eq!(
            warnings("m", &paths, &noisy(), MAX_N),
            [
                "warning: S1 of a for m has a wide 95% interval (± 0.2000); -n is at its most (65,536), so this is \
                 as firm as sobol gets here",
                "warning: S1 of b for m is -0.0500 ± 0.0200: below zero beyond sampling noise; the estimate is \
                 unreliable even at -n 65,536, the most sobol allows",
            ]
        );
    }

    /// Every row at 1,327.3077 (the default model's mean official rate):
    /// summed in floating point, the mean misses it by a rounding error,
    /// yet the output does not vary.
    #[test]
    fn an_output_with_one_value_has_no_variance() {
        let v = vec![1_327.307_692_307_692_3; 7];
        let (var, per_input) = jansen(&v, &v, std::slice::from_ref(&v), &(0..7).collect::<Vec<u32>>());
        assert_eq!(var, 0.0);
        assert_eq!(per_input, [(0.0, 0.0)]);
    }
}
