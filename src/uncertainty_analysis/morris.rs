//! Morris elementary-effects screening (Morris 1991; mu* of Campolongo et
//! al. 2007): cheap enough for models with many inputs, r·(k+1)
//! evaluations. Each input's distribution is cut into `levels` equal
//! probability bins and takes the quantile at the middle of a bin (of the
//! distribution truncated to the allowed range, so the grid is fixed and
//! needs no redraws). A trajectory starts at random levels and moves each
//! input once, in random order, by half the levels (Δ = levels/2 bins, up
//! from the lower half, down from the upper half). An elementary effect is
//! the change of the output when its input moves up by Δ, in the output's
//! unit. Per input: mu (mean effect), mu* (mean absolute effect, the
//! ranking measure) and sigma (standard deviation: interactions and
//! non-linearity).

use rust_decimal::Decimal;

use super::stats::mean_sd;
use super::{try_chunks, Evaluate};
use crate::engine::EngineError;
use crate::num::binary::decimal_to_f64;
use crate::num::decimal::clean;
use crate::sampling::Stream;
use crate::sensitivity::Progress;

/// One input of the screening; its grid of levels is cut from its marginal.
pub type MorrisInput<'a> = super::Drawn<'a>;

/// The effects of one input on one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effect {
    /// μ*: the mean absolute elementary effect, in the output's unit; ranks the inputs.
    pub mu_star: f64,
    /// μ: the mean elementary effect (signed), in the output's unit.
    pub mu: f64,
    /// σ: the standard deviation of the effects; large next to μ* means interactions or a
    /// non-linear effect.
    pub sigma: f64,
}

/// What stopped a screening.
#[derive(Debug)]
pub enum MorrisError {
    /// No value of input `input`'s distribution is allowed.
    NoGrid {
        /// The input, an index into the inputs screened.
        input: usize,
    },
    /// The engine failed on one evaluation (an overflow, a broken conservation check).
    Engine(EngineError),
}

/// The levels' values of each input: `[input][level]`, in units.
fn grid(inputs: &[MorrisInput<'_>], levels: u32) -> Result<Vec<Vec<i128>>, MorrisError> {
    inputs
        .iter()
        .enumerate()
        .map(|(i, inp)| {
            (0..levels)
                .map(|l| {
                    inp.marginal
                        .truncated_quantile((f64::from(l) + 0.5) / f64::from(levels))
                        .ok_or(MorrisError::NoGrid { input: i })
                })
                .collect()
        })
        .collect()
}

/// Trajectory `t`: the starting level of each input and the order inputs move in.
fn trajectory(inputs: &[MorrisInput<'_>], levels: u32, seed: u64, t: usize) -> (Vec<u32>, Vec<usize>) {
    let start = inputs
        .iter()
        .map(|i| {
            let u = Stream::new(seed, &format!("morris-start:{}", i.path)).uniform(t as u64, 0);
            ((u * f64::from(levels)) as u32).min(levels - 1)
        })
        .collect();
    let k = inputs.len();
    let order_stream = Stream::new(seed, "morris-order");
    let mut order: Vec<usize> = (0..k).collect();
    for s in (1..k).rev() {
        let u = order_stream.uniform((t * k + s) as u64, 0);
        let j = ((u * (s + 1) as f64) as usize).min(s);
        order.swap(s, j);
    }
    (start, order)
}

/// Screens every input for each of `eval`'s outputs with `r` trajectories
/// on a grid of `levels` (even, at least 2). Returns `[output][input]`.
pub fn screen<E: Evaluate>(
    eval: &E,
    inputs: &[MorrisInput<'_>],
    r: usize,
    levels: u32,
    seed: u64,
    progress: &dyn Progress,
) -> Result<Vec<Vec<Effect>>, MorrisError> {
    let k = inputs.len();
    let outs = eval.outputs();
    let values = grid(inputs, levels)?;
    let delta = levels / 2;
    // ee[trajectory][input][output], signed for a move up.
    let per = k * outs;
    let mut ee = vec![0f64; r * per];
    progress.start((r * (k + 1)) as u64);
    let result = try_chunks(
        &mut ee,
        per.max(1),
        || (eval.scratch(), vec![Decimal::ZERO; outs], vec![0f64; outs]),
        |t, effects, (scratch, out, before)| {
            let (mut level, order) = trajectory(inputs, levels, seed, t);
            let mut x: Vec<Decimal> = (0..k)
                .map(|i| inputs[i].marginal.to_decimal(values[i][level[i] as usize]))
                .collect();
            let mut run = |x: &[Decimal], into: &mut [f64]| -> Result<(), MorrisError> {
                eval.eval(scratch, x, out).map_err(MorrisError::Engine)?;
                for (slot, v) in into.iter_mut().zip(out.iter()) {
                    *slot = decimal_to_f64(clean(*v));
                }
                progress.tick();
                Ok(())
            };
            run(&x, before)?;
            let mut after = vec![0f64; outs];
            for &i in &order {
                let up = level[i] < delta;
                level[i] = if up { level[i] + delta } else { level[i] - delta };
                x[i] = inputs[i].marginal.to_decimal(values[i][level[i] as usize]);
                run(&x, &mut after)?;
                for o in 0..outs {
                    let d = after[o] - before[o];
                    effects[i * outs + o] = if up { d } else { -d };
                }
                before.copy_from_slice(&after);
            }
            Ok(())
        },
    );
    progress.finish();
    result?;
    Ok((0..outs)
        .map(|o| {
            (0..k)
                .map(|i| {
                    let e: Vec<f64> = (0..r).map(|t| ee[t * per + i * outs + o]).collect();
                    let abs: Vec<f64> = e.iter().map(|x| x.abs()).collect();
                    let (mu, sigma) = mean_sd(&e);
                    Effect {
                        mu_star: mean_sd(&abs).0,
                        mu,
                        sigma,
                    }
                })
                .collect()
        })
        .collect())
}
