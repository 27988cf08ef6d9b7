//! Uncertainty analysis of one model: Monte Carlo with percentiles and the
//! inputs that drive them (`mc`), shards of a Monte Carlo run for clusters
//! (`mc --shard`, `merge`), variance-based Sobol indices (`sobol`) and
//! Morris elementary-effects screening (`morris`).
//!
//! The model is evaluated only through [`Evaluate`], which
//! `engine::kernel::Kernel` implements: exact decimal accounting with the
//! conservation check in every evaluation. Statistics are computed in
//! `f64` from the exact results, always in draw order, so they do not
//! depend on the number of threads.

pub mod design;
pub mod mc;
pub mod morris;
pub mod noise;
pub mod plan;
pub mod report;
pub mod request;
pub mod shard;
pub mod sobol;
pub mod stats;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::engine::kernel::{BlockScratch, Kernel};
use crate::engine::EngineError;
use crate::num::fixed::Num;

pub use design::{Design, DrawFailure, Sampler};
pub use plan::{Input, Plan};

/// An input as a design of `sobol` or `morris` sees it.
#[derive(Debug, Clone)]
pub struct Drawn<'a> {
    /// The parameter's path, e.g. `auction.rejection_rate`.
    pub path: &'a str,
    /// Its distribution, rounding and allowed range.
    pub marginal: &'a crate::sampling::Marginal,
}

/// Something evaluated many times with new input values: the model
/// (through its kernel), or a test function with known Sobol indices.
pub trait Evaluate: Sync {
    /// Per-thread working memory.
    type Scratch: Send;
    /// Fresh working memory for one thread.
    fn scratch(&self) -> Self::Scratch;
    /// Number of outputs of one evaluation.
    fn outputs(&self) -> usize;
    /// Evaluates with `values` (one per input, in the inputs' order) and
    /// writes the outputs to `out`.
    fn eval(
        &self,
        scratch: &mut Self::Scratch,
        values: &[Decimal],
        out: &mut [Decimal],
    ) -> Result<(), EngineError>;

    /// Evaluates many draws given as integers: input `j` of draw `d` is
    /// `units[d·k + j] × 10^-places[j]`, and output `q` of draw `d` goes to
    /// `out[d·m + q]`. With `exact_scale` each output also keeps the scale
    /// `eval` gives it (for output as text). On failure, the offset of the
    /// first failing draw and its error. By default, draw by draw.
    fn eval_units(
        &self,
        scratch: &mut Self::Scratch,
        places: &[u32],
        units: &[i64],
        exact_scale: bool,
        out: &mut [Num],
    ) -> Result<(), (usize, EngineError)> {
        let _ = exact_scale;
        let (k, m) = (places.len(), self.outputs());
        let mut values = vec![Decimal::ZERO; k];
        let mut row = vec![Decimal::ZERO; m];
        for (d, draw) in out.chunks_mut(m.max(1)).enumerate() {
            for (j, v) in values.iter_mut().enumerate() {
                *v = Decimal::from_i128_with_scale(i128::from(units[d * k + j]), places[j]);
            }
            self.eval(scratch, &values, &mut row).map_err(|e| (d, e))?;
            for (o, r) in draw.iter_mut().zip(&row) {
                *o = Num::from_dec(*r);
            }
        }
        Ok(())
    }
}

impl Evaluate for Kernel<'_> {
    type Scratch = BlockScratch;
    fn scratch(&self) -> BlockScratch {
        self.block_scratch()
    }
    fn outputs(&self) -> usize {
        self.metrics().len()
    }
    fn eval(
        &self,
        scratch: &mut BlockScratch,
        values: &[Decimal],
        out: &mut [Decimal],
    ) -> Result<(), EngineError> {
        Kernel::eval(self, scratch, values, out)
    }
    fn eval_units(
        &self,
        scratch: &mut BlockScratch,
        places: &[u32],
        units: &[i64],
        exact_scale: bool,
        out: &mut [Num],
    ) -> Result<(), (usize, EngineError)> {
        Kernel::eval_units(self, scratch, places, units, exact_scale, out).map(|_| ())
    }
}

/// The most evaluations one command runs: beyond this a run would take
/// hours and its results would not fit in memory.
pub const MAX_EVALUATIONS: u64 = 200_000_000;

/// The most memory a command plans to hold, in bytes.
pub const MAX_BYTES: u64 = 12 << 30;

/// Runs `f(chunk_index, chunk, state)` on consecutive chunks of `data` in
/// parallel with per-thread `state`, and returns the error of the lowest
/// failing chunk, so the error is the same whatever the number of threads.
/// Chunks after a failing one are skipped. Once a chunk unwinds (a bug, or
/// a progress hook that stops the run, as the Python package's on Ctrl-C),
/// no other chunk begins: rayon passes the unwinding on only when every
/// chunk it has split off has ended, and each would otherwise run until
/// its own first hook.
pub(crate) fn try_chunks<T, S, E>(
    data: &mut [T],
    chunk: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(usize, &mut [T], &mut S) -> Result<(), E> + Sync + Send,
) -> Result<(), E>
where
    T: Send,
    E: Send,
{
    let first_failure = AtomicUsize::new(usize::MAX);
    let unwinding = AtomicBool::new(false);
    let errors: Vec<Option<E>> = data
        .par_chunks_mut(chunk.max(1))
        .enumerate()
        .map_init(init, |state, (c, part)| {
            if unwinding.load(Ordering::Relaxed) || c > first_failure.load(Ordering::Relaxed) {
                return None;
            }
            let _noted = NoteUnwinding(&unwinding);
            match f(c, part, state) {
                Ok(()) => None,
                Err(e) => {
                    first_failure.fetch_min(c, Ordering::Relaxed);
                    Some(e)
                }
            }
        })
        .collect();
    match errors.into_iter().flatten().next() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Sets its flag when dropped by an unwinding chunk of [`try_chunks`].
struct NoteUnwinding<'a>(&'a AtomicBool);

impl Drop for NoteUnwinding<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};

    /// A hook that stops a run unwinds every chunk that gets to it; the
    /// chunks not yet begun are skipped, not each run up to its hook.
    #[test]
    fn no_chunk_begins_after_one_unwinds() {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let begun = AtomicUsize::new(0);
        let mut data = vec![0u8; 10_000];
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            pool.install(|| {
                try_chunks(
                    &mut data,
                    1,
                    || (),
                    |_, _, _| -> Result<(), ()> {
                        begun.fetch_add(1, Ordering::Relaxed);
                        std::thread::sleep(std::time::Duration::from_millis(1));
                        resume_unwind(Box::new("stopped"))
                    },
                )
            })
        }));
        assert!(outcome.is_err());
        let begun = begun.load(Ordering::Relaxed);
        assert!(begun < 100, "{begun} chunks of 10,000 began");
    }
}
