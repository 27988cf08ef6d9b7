//! Many evaluations of one model with a few inputs replaced (sweeps,
//! tornadoes, goal seeks, Monte Carlo, Sobol, Morris): the model is
//! prepared once as a [`Plan`], and evaluations run [`LANES`] at a time on
//! the lane backend (`lanes`), returning only the requested metrics. A
//! block the lanes cannot do exactly runs draw by draw on the exact
//! backend instead (the price step's fractions past 64 bits are done draw
//! by draw inside the block, `lane_wide`, so that rarely happens), and
//! [`Kernel::eval_units`] and [`Kernel::eval_points`] say how many draws
//! stayed on the lanes. Results never depend on which backend ran: they
//! are those of `engine::run` on the model with the same values set. The ledger
//! identity is checked in every evaluation.

mod dispatch;
mod lane_effective;
mod lane_math;
mod lane_rate;
mod lane_wide;
mod lanes;
mod rounding;

pub use crate::num::lanes::LANES;
pub use dispatch::BlockScratch;

use rust_decimal::Decimal;

use super::metrics::{MetricId, MetricRef, N_CORE};
use super::plan::{Plan, Target};
use super::{month, run_plan, EngineError};
use crate::model::{Model, ParamId};
use crate::num::decimal::clean;
use crate::num::fixed::Num;
use crate::num::lanes::{Block, X};

/// A model prepared for evaluations with `inputs` replaced, reporting
/// `metrics`.
#[derive(Debug, Clone)]
pub struct Kernel<'m> {
    plan: Plan<'m>,
    metrics: Vec<MetricRef>,
    /// The month each metric reference picks, if any.
    picks: Vec<Option<usize>>,
    /// For each metric of the model (by [`Kernel::slot`]), the references
    /// that want it.
    want: Vec<Vec<u16>>,
    /// Offsets of the per-entry metrics among the slots.
    offsets: [usize; 4],
}

impl<'m> Kernel<'m> {
    /// Prepares `model` for evaluations where `inputs[i]` takes a new value
    /// for the whole timeline (its `[[changes]]` entries no longer apply).
    pub fn new(model: &'m Model, inputs: &[ParamId], metrics: &[MetricRef]) -> Self {
        let targets: Vec<Target> = inputs.iter().map(|id| Target::Whole(*id)).collect();
        Kernel::with_targets(model, &targets, metrics)
    }

    /// Prepares `model` for evaluations that fill in `targets` (a whole
    /// timeline, one step of it, or a factor on all of it).
    pub fn with_targets(model: &'m Model, targets: &[Target], metrics: &[MetricRef]) -> Self {
        let plan = Plan::new(model, targets);
        let p = &model.base;
        let counts = [
            p.exports.buyers.len(),
            p.deductions.len(),
            p.custody.payments.len(),
            p.prices.basket.len(),
        ];
        let mut offsets = [N_CORE; 4];
        for i in 1..4 {
            offsets[i] = offsets[i - 1] + counts[i - 1];
        }
        let mut k = Kernel {
            plan,
            metrics: metrics.to_vec(),
            picks: metrics
                .iter()
                .map(|r| r.month.and_then(|m| model.timeline.index_of(m)))
                .collect(),
            want: vec![Vec::new(); offsets[3] + counts[3]],
            offsets,
        };
        for (q, r) in metrics.iter().enumerate() {
            if let Some(s) = k.slot(r.id) {
                k.want[s].push(q as u16);
            }
        }
        k
    }

    /// The inputs' targets.
    pub fn targets(&self) -> &[Target] {
        &self.plan.inputs
    }

    /// The inputs' parameters.
    pub fn inputs(&self) -> Vec<ParamId> {
        self.plan.inputs.iter().map(|t| t.param()).collect()
    }

    /// The metric references each evaluation reports, in output order (metric `q` of
    /// draw `d` goes to `out[d·m + q]`).
    pub fn metrics(&self) -> &[MetricRef] {
        &self.metrics
    }

    fn slot(&self, id: MetricId) -> Option<usize> {
        let s = match id {
            MetricId::Core(c) => c as usize,
            MetricId::Revenue(i) => self.offsets[0] + i,
            MetricId::Deduction(i) => self.offsets[1] + i,
            MetricId::Payment(i) => self.offsets[2] + i,
            MetricId::PriceImpact(i) => self.offsets[3] + i,
        };
        (s < self.want.len()).then_some(s)
    }

    /// Whether some requested metric is `id`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn wants(&self, id: MetricId) -> bool {
        self.slot(id).is_some_and(|s| !self.want[s].is_empty())
    }

    /// The requested metrics that are `id`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn wanted(&self, id: MetricId) -> Option<&[u16]> {
        let s = self.slot(id)?;
        (!self.want[s].is_empty()).then(|| self.want[s].as_slice())
    }

    /// Working memory for one thread.
    pub fn block_scratch(&self) -> BlockScratch {
        BlockScratch::new()
    }

    /// Evaluates draws given as integers: input `j` of draw `d` is
    /// `units[d·k + j] × 10^-places[j]` (k inputs), and metric `q` of draw
    /// `d` goes to `out[d·m + q]` (m metrics), exactly. With `exact_scale`
    /// every result also has the scale its lane arithmetic gives (for
    /// output as text); otherwise only its value is guaranteed. Returns how
    /// many draws were evaluated together on lanes (the rest went one by
    /// one on the exact backend); on failure, the offset of the first
    /// failing draw and its error.
    pub fn eval_units(
        &self,
        scratch: &mut BlockScratch,
        places: &[u32],
        units: &[i64],
        exact_scale: bool,
        out: &mut [Num],
    ) -> Result<usize, (usize, EngineError)> {
        let (k, m) = (self.plan.inputs.len(), self.metrics.len());
        let draws = units.len().checked_div(k).unwrap_or(out.len() / m.max(1));
        let mut first = 0;
        let mut on_lanes = 0;
        let mut values = vec![Decimal::ZERO; k];
        while first < draws {
            let n = (draws - first).min(LANES);
            let job = dispatch::Job {
                places,
                units: &units[first * k..(first + n) * k],
                n,
                exact_scale,
                out: &mut out[first * m..(first + n) * m],
            };
            if scratch.run(self, job) {
                on_lanes += n;
            } else {
                for d in first..first + n {
                    for j in 0..k {
                        values[j] = Decimal::from_i128_with_scale(i128::from(units[d * k + j]), places[j]);
                    }
                    let row = self.exact(&values).map_err(|e| (d, e))?;
                    for (q, v) in row.iter().enumerate() {
                        out[d * m + q] = Num::from_dec(*v);
                    }
                }
            }
            first += n;
        }
        Ok(on_lanes)
    }

    /// Evaluates points given as decimals (`values[d·k + j]` for input `j`
    /// of point `d`), on lanes where every value of a block fits, writing
    /// metric `q` of point `d` to `out[d·m + q]`; a point that fails keeps
    /// its error in `errors[d]`. Returns how many points were evaluated
    /// together on lanes (the rest went one by one on the exact backend).
    pub fn eval_points(
        &self,
        scratch: &mut BlockScratch,
        values: &[Decimal],
        out: &mut [Decimal],
        errors: &mut [Option<EngineError>],
    ) -> usize {
        let (k, m) = (self.plan.inputs.len(), self.metrics.len());
        let points = errors.len();
        let mut first = 0;
        let mut on_lanes = 0;
        while first < points {
            let n = (points - first).min(LANES);
            let block = &values[first * k..(first + n) * k];
            let done = units_of(block, k).is_some_and(|(places, units)| {
                let mut nums = vec![Num::ZERO; n * m];
                let Ok(together) = self.eval_units(scratch, &places, &units, true, &mut nums) else {
                    return false;
                };
                on_lanes += together;
                for (o, x) in out[first * m..(first + n) * m].iter_mut().zip(&nums) {
                    *o = clean(x.to_dec());
                }
                true
            });
            if !done {
                for d in first..first + n {
                    match self.exact(&values[d * k..(d + 1) * k]) {
                        Ok(row) => out[d * m..(d + 1) * m].copy_from_slice(&row),
                        Err(e) => errors[d] = Some(e),
                    }
                }
            }
            first += n;
        }
        on_lanes
    }

    /// One evaluation with `values` for the inputs, writing each metric's
    /// value to `out[j]`.
    pub fn eval(
        &self,
        scratch: &mut BlockScratch,
        values: &[Decimal],
        out: &mut [Decimal],
    ) -> Result<(), EngineError> {
        let mut errors = [None];
        let _ = self.eval_points(scratch, values, out, &mut errors);
        match errors[0].take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// One evaluation on the exact backend.
    fn exact(&self, values: &[Decimal]) -> Result<Vec<Decimal>, EngineError> {
        let run = run_plan(&self.plan, values, false)?;
        self.metrics
            .iter()
            .map(|r| {
                r.evaluate(&run)
                    .map(clean)
                    .map_err(|source| EngineError::Overflow {
                        month: self.plan.model.timeline.end(),
                        source,
                    })
            })
            .collect()
    }

    /// One block of draws on lanes, each lane operation on `isa`: `false`
    /// when it must go draw by draw.
    fn block<I: dispatch::Isa>(&self, isa: I, b: &mut Block, job: dispatch::Job<'_>) -> bool {
        let dispatch::Job {
            places,
            units,
            n,
            exact_scale,
            out,
        } = job;
        let k = self.plan.inputs.len();
        let nm = self.metrics.len();
        b.reset(exact_scale);
        // Inputs: lanes past `n` repeat the first draw.
        let inputs: Vec<X> = isa.step(
            #[inline(always)]
            || {
                (0..k)
                    .map(|j| {
                        let mut lane = [0i64; LANES];
                        for (d, x) in lane.iter_mut().enumerate() {
                            *x = units[(if d < n { d } else { 0 }) * k + j];
                        }
                        b.put(&lane, places[j])
                    })
                    .collect()
            },
        );
        let mut lanes = lanes::Lanes::new(b, self, &inputs, isa);
        if month::run(&mut lanes, &self.plan).is_err() {
            return false;
        }
        isa.step(
            #[inline(always)]
            || {
                let Some(results) = lanes.results() else {
                    return false;
                };
                for (q, x) in results.iter().enumerate() {
                    for d in 0..n {
                        out[d * nm + q] = lanes.b.num(*x, d);
                    }
                }
                !lanes.b.declined()
            },
        )
    }
}

/// The block's values as integer units at one number of places per input
/// (the most any value of the input has), if they fit 64 bits.
fn units_of(values: &[Decimal], k: usize) -> Option<(Vec<u32>, Vec<i64>)> {
    let mut places = vec![0u32; k];
    for (i, v) in values.iter().enumerate() {
        places[i % k] = places[i % k].max(v.scale());
    }
    let units = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let f = 10i128.checked_pow(places[i % k] - v.scale())?;
            i64::try_from(v.mantissa().checked_mul(f)?).ok()
        })
        .collect::<Option<Vec<i64>>>()?;
    (places.iter().all(|p| *p <= 18)).then_some((places, units))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::exact::Exact;
    use crate::engine::plan::Layout;

    /// A step that reads a parameter the plan has no slot for fails on
    /// every backend (the exact one says so; the lanes decline to it),
    /// instead of reading another parameter's value.
    #[test]
    fn a_missing_parameter_is_an_error_in_every_backend() {
        let model = crate::model::testing::small();
        let mut plan = Plan::new(&model, &[]);
        plan.layout.place(ParamId::Price, Layout::MISSING);
        let e = Exact::new(&plan, &[], false, None).unwrap().run().unwrap_err();
        assert!(matches!(e, EngineError::MissingParameter { .. }), "{e}");
        assert!(
            e.to_string().contains("read a parameter the model does not have"),
            "{e}"
        );

        let metrics = [MetricRef::new(MetricId::Core(
            super::super::metrics::Core::GrossRevenue,
        ))];
        let mut kernel = Kernel::new(&model, &[ParamId::VolumeBpd], &metrics);
        kernel.plan.layout.place(ParamId::Price, Layout::MISSING);
        let mut scratch = kernel.block_scratch();
        let volume = model.base.get(ParamId::VolumeBpd);
        let units = [i64::try_from(volume.mantissa()).unwrap()];
        let mut out = [Num::ZERO];
        let e = kernel
            .eval_units(&mut scratch, &[volume.scale()], &units, false, &mut out)
            .unwrap_err();
        assert!(matches!(e.1, EngineError::MissingParameter { .. }), "{}", e.1);
    }
}
