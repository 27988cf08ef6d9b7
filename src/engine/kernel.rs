//! Many evaluations of one model with a few inputs replaced (Monte Carlo,
//! Sobol, Morris): the model is prepared once, and each evaluation returns
//! only the requested metric values. Results are identical to
//! `engine::run` on the model with the same values `--set`.

use rust_decimal::Decimal;

use super::{run_model_with, EngineError};
use crate::metrics::MetricRef;
use crate::model::{Model, ParamId};
use crate::number::clean;

/// A model prepared for repeated evaluation with `inputs` replaced.
#[derive(Debug, Clone)]
pub struct Kernel<'m> {
    model: &'m Model,
    inputs: Vec<ParamId>,
    metrics: Vec<MetricRef>,
}

impl<'m> Kernel<'m> {
    /// Prepares `model` for evaluations where `inputs[i]` takes a new value
    /// for the whole timeline (its `[[changes]]` entries no longer apply),
    /// reporting `metrics`.
    pub fn new(model: &'m Model, inputs: &[ParamId], metrics: &[MetricRef]) -> Self {
        Kernel {
            model,
            inputs: inputs.to_vec(),
            metrics: metrics.to_vec(),
        }
    }

    pub fn inputs(&self) -> &[ParamId] {
        &self.inputs
    }

    pub fn metrics(&self) -> &[MetricRef] {
        &self.metrics
    }

    /// Runs the model with `values[i]` in place of `inputs[i]` (values must
    /// be in their parameters' allowed ranges) and writes each metric's
    /// value to `out[j]`. The run's conservation check is part of it.
    pub fn eval(&self, values: &[Decimal], out: &mut [Decimal]) -> Result<(), EngineError> {
        let overrides: Vec<(ParamId, Decimal)> =
            self.inputs.iter().copied().zip(values.iter().copied()).collect();
        let run = run_model_with(self.model, &overrides, false)?;
        for (slot, m) in out.iter_mut().zip(&self.metrics) {
            *slot = clean(m.evaluate(&run).map_err(|source| EngineError::Overflow {
                month: self.model.timeline.end(),
                source,
            })?);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};

    #[test]
    fn eval_equals_a_run_with_the_values_set() {
        let m = model();
        let metrics: Vec<MetricRef> = ["parallel_rate", "cpi_impact_pct@2023-02", "unmet_usd"]
            .iter()
            .map(|t| MetricRef::parse(t, &m.base, &m.timeline).unwrap())
            .collect();
        let inputs = [ParamId::RejectionRate, ParamId::Price];
        let k = Kernel::new(&m, &inputs, &metrics);
        let mut out = [Decimal::ZERO; 3];
        k.eval(&[d("0.5"), d("75.5")], &mut out).unwrap();
        // The same through --set, which also drops the February change of the rate.
        let mut set = m.clone();
        set.apply_set("auction.rejection_rate=0.5").unwrap();
        set.apply_set("exports.price_usd_per_bbl=75.5").unwrap();
        let run = crate::engine::run(&set).unwrap();
        let expected: Vec<Decimal> = metrics.iter().map(|r| r.evaluate(&run).unwrap()).collect();
        assert_eq!(out.to_vec(), expected);
        // Half of 1,840,000 + half of 1,600,000 rejected in the two months.
        assert_eq!(out[2], d("1720000.00"));
    }
}
