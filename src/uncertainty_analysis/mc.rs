//! Running the draws of a Monte Carlo run: in blocks, each block split into
//! fixed chunks evaluated in parallel, results stored in draw order as
//! compact `f64` columns (the evaluation itself stays exact). Optionally
//! every draw is written as a CSV row of exact decimals, block by block in
//! order, so memory does not grow with it. With `--until` the run stops at
//! the first checkpoint where every named statistic has converged.

use std::io::Write;
use std::ops::Range;
use std::sync::Mutex;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::design::{Design, DrawFailure};
use super::stats::{relative_half_width, Statistic};
use super::{try_chunks, Evaluate};
use crate::engine::EngineError;
use crate::num::binary::units_to_f64;
use crate::num::decimal::clean;
use crate::num::fixed::Num;
use crate::sensitivity::Progress;

/// Draws evaluated per parallel task.
const CHUNK: usize = 1024;
/// Draws per block (results of a block are written out before the next).
const BLOCK: u64 = 1 << 16;
/// Draws before the first convergence check, and the least added per batch.
pub const FIRST_BATCH: u64 = 1000;

/// What stopped a run.
#[derive(Debug)]
pub enum McError {
    /// A draw could not be made (a value stuck outside its range, a bad correlation matrix).
    Draw(DrawFailure),
    /// The engine failed on one draw (an overflow, a broken conservation check).
    Engine {
        /// The draw that failed, from 0.
        index: u64,
        /// What went wrong.
        error: EngineError,
    },
    /// Writing the draws (`mc --draws FILE`, or a shard file) failed.
    Io(std::io::Error),
}

impl From<DrawFailure> for McError {
    fn from(f: DrawFailure) -> Self {
        McError::Draw(f)
    }
}

/// A convergence target: `p95:0.5%`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The statistic watched, e.g. P95 or the mean.
    pub stat: Statistic,
    /// Relative half-width of the 95% interval, as a fraction.
    pub tolerance: f64,
    /// As the user wrote the tolerance (`0.5%`).
    pub text: String,
}

impl Target {
    /// Parses `STAT:TOL` with TOL a fraction or a percentage.
    pub fn parse(s: &str) -> Result<Target, String> {
        let (stat, tol) = s
            .split_once(':')
            .ok_or_else(|| format!("`{s}` is not STATISTIC:TOLERANCE, e.g. p95:0.5%"))?;
        let stat = Statistic::parse(stat.trim()).ok_or_else(|| {
            format!(
                "unknown statistic `{stat}` (allowed: mean, sd, median, p5, p10, p25, p50, p75, p90, p95)"
            )
        })?;
        let tol = tol.trim();
        let (num, scale) = match tol.strip_suffix('%') {
            Some(p) => (p, 0.01),
            None => (tol, 1.0),
        };
        let tolerance = num
            .parse::<f64>()
            .ok()
            .filter(|t| t.is_finite() && *t > 0.0)
            .map(|t| t * scale)
            .ok_or_else(|| format!("tolerance `{tol}` is not a positive number such as 0.5% or 0.005"))?;
        // Without `%` a tolerance is a fraction; 0.1 or more is a percentage
        // whose `%` was dropped far more often than a target of 10% or more.
        if scale == 1.0 && tolerance >= 0.1 {
            return Err(format!(
                "tolerance `{tol}` without % is a fraction, {}%: write {tol}% for {tol} percent (or {}% if that is meant)",
                tolerance * 100.0,
                tolerance * 100.0
            ));
        }
        Ok(Target {
            stat,
            tolerance,
            text: tol.to_string(),
        })
    }
}

/// How one statistic of one metric stood at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The statistic's estimate from the draws made, in the metric's unit.
    pub estimate: f64,
    /// The half-width of its 95% interval relative to the estimate, as a fraction.
    pub relative: f64,
    /// Whether `relative` is within the target's tolerance.
    pub converged: bool,
}

/// The outcome of `--until`.
#[derive(Debug, Clone, PartialEq)]
pub struct Convergence {
    /// The `--until` targets, in the order given.
    pub targets: Vec<Target>,
    /// `[metric][target]`.
    pub checks: Vec<Vec<Check>>,
    /// The most draws allowed (`-n`).
    pub max_draws: u64,
}

impl Convergence {
    /// Whether every statistic of every metric met its target.
    pub fn all(&self) -> bool {
        self.checks.iter().flatten().all(|c| c.converged)
    }
}

/// The draws of a run, column by column, in draw order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Samples {
    /// Index of the first draw.
    pub first: u64,
    /// `[input][draw]`: each drawn value exactly, in units of its last
    /// decimal place (10^-2 for money, 10^-6 otherwise).
    pub inputs: Vec<Vec<i64>>,
    /// `[metric][draw]`.
    pub metrics: Vec<Vec<f64>>,
}

impl Samples {
    /// How many draws the columns hold.
    pub fn len(&self) -> u64 {
        match (self.metrics.first(), self.inputs.first()) {
            (Some(c), _) => c.len() as u64,
            (None, Some(c)) => c.len() as u64,
            (None, None) => 0,
        }
    }

    /// Whether the columns hold no draws.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Per-thread buffers.
struct Work<S> {
    scratch: S,
    /// One draw's inputs, as the design makes them.
    units: Vec<i128>,
    /// The chunk's inputs, draw after draw.
    draws: Vec<i64>,
    /// The chunk's results, draw after draw.
    out: Vec<Num>,
}

/// What every chunk of a run shares: the design that draws the inputs,
/// the evaluation, each input's decimal places, and whether each result
/// keeps the engine's own scale (rows written as text show it).
struct Chunks<'a, 'd, E> {
    design: &'a Design<'d>,
    eval: &'a E,
    places: Vec<u32>,
    k: usize,
    m: usize,
    /// The leading outputs written as rows (the rest are kept only).
    shown: usize,
    exact_scale: bool,
    progress: &'a dyn Progress,
}

impl<E: Evaluate> Chunks<'_, '_, E> {
    /// Fresh per-thread buffers.
    fn work(&self) -> Work<E::Scratch> {
        Work {
            scratch: self.eval.scratch(),
            units: vec![0; self.k],
            draws: vec![0; CHUNK * self.k],
            out: vec![Num::ZERO; CHUNK * self.m],
        }
    }

    /// Evaluates the draws from `start` into `buf`, chunk by chunk in
    /// parallel, each chunk's rows written to its text of `texts` if any.
    fn block(&self, start: u64, buf: &mut [u64], texts: &[Mutex<String>]) -> Result<(), McError> {
        try_chunks(
            buf,
            CHUNK * (self.k + self.m),
            || self.work(),
            |c, part, work| {
                let mut text = texts.get(c).map(|t| t.lock().unwrap_or_else(|e| e.into_inner()));
                self.evaluate(start + (c * CHUNK) as u64, part, work, text.as_deref_mut())
            },
        )
    }

    /// Evaluates the draws from `first` into `part` (per draw: the inputs'
    /// units, then the metrics as f64 bits), each written as a row to
    /// `text` when given; stops at the first draw that cannot be made.
    fn evaluate(
        &self,
        first: u64,
        part: &mut [u64],
        work: &mut Work<E::Scratch>,
        mut text: Option<&mut String>,
    ) -> Result<(), McError> {
        let (k, m) = (self.k, self.m);
        let w = k + m;
        let count = part.len() / w;
        // The chunk's inputs, up to the first draw that cannot be made.
        let mut made = 0;
        let mut failure = None;
        for (r, row) in part.chunks_mut(w).enumerate() {
            if let Err(f) = self.design.row(first + r as u64, &mut work.units) {
                failure = Some(f);
                break;
            }
            for (j, u) in work.units.iter().enumerate() {
                // Drawn units are below 2^62 (see Marginal::value_at).
                let u = *u as i64;
                work.draws[r * k + j] = u;
                row[j] = u as u64;
            }
            made += 1;
        }
        let outcome = self.eval.eval_units(
            &mut work.scratch,
            &self.places,
            &work.draws[..made * k],
            self.exact_scale,
            &mut work.out[..made * m],
        );
        if let Err((d, error)) = outcome {
            return Err(McError::Engine {
                index: first + d as u64,
                error,
            });
        }
        for (r, row) in part.chunks_mut(w).take(made).enumerate() {
            let results = &mut work.out[r * m..(r + 1) * m];
            self.design.noise.apply(first + r as u64, results);
            let results = &*results;
            for (q, o) in results.iter().enumerate() {
                row[k + q] = units_to_f64(o.m, o.s).to_bits();
            }
            if let Some(t) = text.as_deref_mut() {
                write_row(
                    t,
                    first + r as u64,
                    &self.places,
                    &work.draws[r * k..(r + 1) * k],
                    &results[..self.shown],
                );
            }
            self.progress.tick();
        }
        match failure {
            Some(f) => Err(f.into()),
            None => {
                debug_assert_eq!(made, count);
                Ok(())
            }
        }
    }
}

/// Evaluates draws `range` of `design` with `eval`. With `until`, stops at
/// the first checkpoint (1,000 draws, then about 25% more each time) where
/// every target holds for every metric. With `rows`, writes each draw as
/// `index,inputs…,metrics…`. Without `keep` (a shard, whose draws only go
/// to `rows`) the returned samples are empty.
pub fn run<E: Evaluate>(
    design: &Design<'_>,
    eval: &E,
    range: Range<u64>,
    until: &[Target],
    rows: Option<&mut dyn Write>,
    keep: bool,
    progress: &dyn Progress,
) -> Result<(Samples, Option<Convergence>), McError> {
    run_watching(design, eval, range, until, rows, keep, progress, 0)
}

/// [`run`], with the last `watched` outputs of `eval` kept in the samples
/// but neither written to `rows` nor held to `until`: what the caller
/// watches for itself (`mc` the custody account's lowest balance).
#[allow(clippy::too_many_arguments)]
pub fn run_watching<E: Evaluate>(
    design: &Design<'_>,
    eval: &E,
    range: Range<u64>,
    until: &[Target],
    mut rows: Option<&mut dyn Write>,
    keep: bool,
    progress: &dyn Progress,
    watched: usize,
) -> Result<(Samples, Option<Convergence>), McError> {
    let m = eval.outputs();
    let chunks = Chunks {
        design,
        eval,
        places: design.plan.inputs.iter().map(|i| i.marginal.places()).collect(),
        k: design.plan.inputs.len(),
        m,
        shown: m.saturating_sub(watched),
        exact_scale: rows.is_some(),
        progress,
    };
    let w = chunks.k + chunks.m;
    let total = range.end - range.start;
    let cap = if keep { total as usize } else { 0 };
    let mut samples = Samples {
        first: range.start,
        inputs: vec![Vec::with_capacity(cap); chunks.k],
        metrics: vec![Vec::with_capacity(cap); chunks.m],
    };
    let mut checkpoint = if until.is_empty() {
        range.end
    } else {
        (range.start + FIRST_BATCH).min(range.end)
    };
    let mut convergence = None;
    progress.start(total);
    let mut done = range.start;
    // Per draw: the inputs' units, then the metrics as f64 bits.
    let mut block = vec![0u64; (BLOCK.min(total) as usize) * w];
    while done < range.end {
        let end = (done + BLOCK).min(checkpoint);
        let len = (end - done) as usize;
        let buf = &mut block[..len * w];
        // One text per chunk when rows are written, joined in order after.
        let texts: Vec<Mutex<String>> = match rows {
            Some(_) => (0..len.div_ceil(CHUNK))
                .map(|_| Mutex::new(String::new()))
                .collect(),
            None => Vec::new(),
        };
        let result = chunks.block(done, buf, &texts);
        if result.is_err() {
            progress.finish();
        }
        result?;
        if keep {
            samples.keep(buf, chunks.k);
        }
        if let Some(out) = rows.as_deref_mut() {
            for t in texts {
                let t = t.into_inner().unwrap_or_else(|e| e.into_inner());
                out.write_all(t.as_bytes()).map_err(McError::Io)?;
            }
        }
        done = end;
        if !until.is_empty() && done == checkpoint {
            let c = check(&samples.metrics[..chunks.shown], until, range.end - range.start);
            let stop = c.all();
            convergence = Some(c);
            if stop {
                break;
            }
            checkpoint = next_checkpoint(&range, done);
        }
    }
    progress.finish();
    Ok((samples, convergence))
}

/// The checkpoint after `done` in `range`: about 25% more draws, at least
/// [`FIRST_BATCH`] more, rounded up to a multiple of it.
fn next_checkpoint(range: &Range<u64>, done: u64) -> u64 {
    let n = done - range.start;
    (range.start + (n + FIRST_BATCH).max(n + n / 4).div_ceil(FIRST_BATCH) * FIRST_BATCH).min(range.end)
}

impl Samples {
    /// Appends a block's draws (per draw: `k` inputs' units, then the
    /// metrics as f64 bits) to the columns.
    fn keep(&mut self, buf: &[u64], k: usize) {
        let w = k + self.metrics.len();
        self.inputs
            .par_iter_mut()
            .enumerate()
            .for_each(|(j, col)| col.extend(buf.chunks(w).map(|row| row[j] as i64)));
        self.metrics
            .par_iter_mut()
            .enumerate()
            .for_each(|(q, col)| col.extend(buf.chunks(w).map(|row| f64::from_bits(row[k + q]))));
    }
}

/// Where each target stands for each metric.
fn check(metrics: &[Vec<f64>], targets: &[Target], max_draws: u64) -> Convergence {
    let checks = metrics
        .iter()
        .map(|col| {
            targets
                .iter()
                .map(|t| {
                    let (estimate, relative) = relative_half_width(t.stat, col);
                    Check {
                        estimate,
                        relative,
                        converged: relative <= t.tolerance,
                    }
                })
                .collect()
        })
        .collect();
    Convergence {
        targets: targets.to_vec(),
        checks,
        max_draws,
    }
}

/// One draw as a CSV row of exact decimals.
fn write_row(t: &mut String, index: u64, places: &[u32], units: &[i64], out: &[Num]) {
    use std::fmt::Write as _;
    let _ = write!(t, "{index}");
    for (u, p) in units.iter().zip(places) {
        let _ = write!(t, ",{}", Decimal::from_i128_with_scale(i128::from(*u), *p));
    }
    for o in out {
        let _ = write!(t, ",{}", clean(o.to_dec()));
    }
    t.push('\n');
}
