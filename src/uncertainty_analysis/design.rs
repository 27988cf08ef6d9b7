//! The draws of a Monte Carlo run: which value each input takes in draw i
//! of N. An input's draw depends only on (seed, its path, i) and, with the
//! Latin hypercube sampler, on N; inputs linked by `[correlation]` are then
//! re-paired over all N draws (Iman–Conover). So a draw can be made on any
//! thread, a shard makes exactly the draws of the unsharded run, and
//! adding or removing another input changes nothing here. Arranging the
//! correlated draws counts no evaluations, but looks at the caller's
//! progress hook ([`Progress::check`]) block by block, so a caller that
//! stops a run (the Python package, on Ctrl-C) stops it here too.

use super::noise::Noise;
pub use super::plan::DrawFailure;
use super::plan::Plan;
use super::try_chunks;
use crate::sampling::iman_conover::{induce, Failure};
use crate::sampling::{lhs_uniform, Permutation, Stream};
use crate::sensitivity::{Progress, Silent};
use clap::ValueEnum;

/// How the uniform numbers behind the draws are spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Sampler {
    /// Independent draws.
    Random,
    /// Latin hypercube: each input's N draws fall one in each of N
    /// equal-probability strata.
    Lhs,
}

impl Sampler {
    /// The name `--sampler` takes and reports and shard files record: `random` or `lhs`.
    pub fn name(self) -> &'static str {
        match self {
            Sampler::Random => "random",
            Sampler::Lhs => "lhs",
        }
    }

    /// The sampler named `s` (as [`Sampler::name`] writes it), e.g. from a shard file.
    pub fn parse(s: &str) -> Option<Sampler> {
        match s {
            "random" => Some(Sampler::Random),
            "lhs" => Some(Sampler::Lhs),
            _ => None,
        }
    }
}

/// The draws of one run of N.
#[derive(Debug)]
pub struct Design<'p> {
    /// The uncertain inputs drawn and their correlated groups.
    pub plan: &'p Plan,
    /// Draws in the whole run (N), also when only a shard of them is made.
    pub n: u64,
    /// The seed every stream derives from (`--seed`).
    pub seed: u64,
    /// Independent or Latin hypercube draws (`--sampler`).
    pub sampler: Sampler,
    streams: Vec<Stream>,
    strata: Vec<Permutation>,
    /// Every draw of each correlated input, re-paired; `None` for the others.
    fixed: Vec<Option<Vec<i128>>>,
    /// The model's own error drawn on the outputs that carry one (none
    /// unless [`Design::with_noise`]).
    pub noise: Noise,
}

impl<'p> Design<'p> {
    /// The `n` draws of `plan` under `seed`, correlated inputs re-paired (Iman–Conover).
    pub fn new(plan: &'p Plan, seed: u64, sampler: Sampler, n: u64) -> Result<Design<'p>, DrawFailure> {
        Design::watching(plan, seed, sampler, n, &Silent)
    }

    /// [`Design::new`], looking at `progress` ([`Progress::check`]) while
    /// it draws and re-pairs the correlated inputs, block by block.
    pub fn watching(
        plan: &'p Plan,
        seed: u64,
        sampler: Sampler,
        n: u64,
        progress: &dyn Progress,
    ) -> Result<Design<'p>, DrawFailure> {
        let streams: Vec<Stream> = plan
            .inputs
            .iter()
            .map(|i| Stream::new(seed, &format!("draw:{}", i.path)))
            .collect();
        let strata = plan
            .inputs
            .iter()
            .map(|i| Permutation::new(Stream::new(seed, &format!("lhs:{}", i.path)), n))
            .collect();
        let mut d = Design {
            plan,
            n,
            seed,
            sampler,
            streams,
            strata,
            fixed: vec![None; plan.inputs.len()],
            noise: Noise::none(),
        };
        for (gi, group) in plan.groups.iter().enumerate() {
            let mut columns = group
                .members
                .iter()
                .map(|&j| d.column(j, progress))
                .collect::<Result<Vec<_>, _>>()?;
            let orders: Vec<Permutation> = group
                .members
                .iter()
                .map(|&j| Permutation::new(Stream::new(seed, &format!("ic:{}", plan.inputs[j].path)), n))
                .collect();
            induce(&mut columns, &group.target, &orders, &|| progress.check())
                .map_err(|Failure::NotPositiveDefinite(_)| DrawFailure::NotPositiveDefinite { group: gi })?;
            for (&j, col) in group.members.iter().zip(columns) {
                d.fixed[j] = Some(col);
            }
        }
        Ok(d)
    }

    /// The same draws, each output that carries an error (`[forecast_error]`,
    /// for `mc` and its fan chart) multiplied by its draw of it.
    pub fn with_noise(mut self, noise: Noise) -> Self {
        self.noise = noise;
        self
    }

    /// Draws every value of input `j` independently of the others.
    fn column(&self, j: usize, progress: &dyn Progress) -> Result<Vec<i128>, DrawFailure> {
        let mut col = vec![0i128; self.n as usize];
        try_chunks(
            &mut col,
            4096,
            || (),
            |c, chunk, _| {
                progress.check();
                for (k, slot) in chunk.iter_mut().enumerate() {
                    *slot = self.independent(j, (c * 4096 + k) as u64)?;
                }
                Ok(())
            },
        )?;
        Ok(col)
    }

    /// Input `j`'s own draw at `index`, before any re-pairing.
    #[inline]
    fn independent(&self, j: usize, index: u64) -> Result<i128, DrawFailure> {
        let stream = &self.streams[j];
        let first = match self.sampler {
            Sampler::Random => stream.uniform(index, 0),
            Sampler::Lhs => lhs_uniform(&self.strata[j], stream, index, self.n),
        };
        self.plan.inputs[j]
            .marginal
            .draw(first, stream, index)
            .map_err(|_| DrawFailure::Exhausted { input: j, index })
    }

    /// The value of input `j` in draw `index`, in units of 10^-places.
    #[inline]
    pub fn value(&self, j: usize, index: u64) -> Result<i128, DrawFailure> {
        match &self.fixed[j] {
            Some(col) => Ok(col[index as usize]),
            None => self.independent(j, index),
        }
    }

    /// Every input's value in draw `index`.
    #[inline]
    pub fn row(&self, index: u64, out: &mut [i128]) -> Result<(), DrawFailure> {
        let inputs = self
            .plan
            .inputs
            .iter()
            .zip(&self.streams)
            .zip(&self.strata)
            .zip(&self.fixed);
        for (j, (slot, (((input, stream), strata), fixed))) in out.iter_mut().zip(inputs).enumerate() {
            *slot = match fixed {
                Some(col) => col[index as usize],
                None => {
                    let first = match self.sampler {
                        Sampler::Random => stream.uniform(index, 0),
                        Sampler::Lhs => lhs_uniform(strata, stream, index, self.n),
                    };
                    input
                        .marginal
                        .draw(first, stream, index)
                        .map_err(|_| DrawFailure::Exhausted { input: j, index })?
                }
            };
        }
        Ok(())
    }
}
