//! Drawing values for uncertain inputs: counter-based random streams keyed
//! by (seed, parameter path, draw index), exact rounding of drawn values to
//! decimals, distributions with truncation by redraw, Latin hypercube
//! strata, Iman–Conover rank correlation and Sobol' points. Nothing here
//! knows about the model's economics; `uncertainty_analysis` puts these
//! pieces together for `mc`, `sobol` and `morris`.

pub mod distribution;
pub mod iman_conover;
pub mod linalg;
pub mod marginal;
pub mod sobol_points;
pub mod stream;

pub use distribution::Distribution;
pub(crate) use distribution::Shape;
pub use marginal::{Bounds, Exhausted, Marginal, MAX_REDRAWS, MAX_UNITS};
pub use stream::{Permutation, Stream};

/// The uniform for draw `index` of `n` in a Latin hypercube: the stratum
/// `perm(index)` of `n` equal strata, and a position within it from
/// `stream`. Over all `n` draws each stratum is used exactly once.
#[inline]
pub fn lhs_uniform(perm: &Permutation, stream: &Stream, index: u64, n: u64) -> f64 {
    let stratum = perm.apply(index) as f64;
    let u = (stratum + stream.uniform(index, 0)) / n as f64;
    // (k + u) / n can round up to exactly 1 for the last stratum.
    u.min(1.0 - f64::EPSILON / 2.0)
}
