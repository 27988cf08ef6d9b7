//! The model's own error (`[forecast_error]`) drawn in a Monte Carlo run:
//! each draw's value of a quoted rate in one month (`parallel_rate@2024-06`,
//! and the fan chart's months) is multiplied by `exp(σ·z)`, z standard
//! normal, so that its band is one for a quote rather than for the model's
//! monthly mean. The median is kept (the error of ln(quote / model) is
//! centred on 0, as `fit` estimates it). A summary over months (the mean
//! of the timeline) carries no such error: it is no one day's quote.
//!
//! z comes from a counter-based stream keyed by the seed and the metric's
//! name and month (`error:parallel_rate@2024-06`), so that a month's error
//! is the same draw whichever command or column asks for it, on any thread
//! and in any shard. The result is rounded to four places, as a rate is.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::engine::metrics::MetricRef;
use crate::model::{ForecastError, Model};
use crate::num::binary::units_to_f64;
use crate::num::decimal::to_f64;
use crate::num::fixed::{round4_f64, Num};
use crate::sampling::stream::Stream;

/// For each of `metrics`, the model's own error it carries: one month of a
/// metric `[forecast_error]` names (a summary over months carries none).
pub fn carried<'m>(model: &'m Model, metrics: &[MetricRef]) -> Vec<Option<&'m ForecastError>> {
    metrics
        .iter()
        .map(|m| {
            m.month?;
            model.forecast_error_of(&m.id.name(&model.base))
        })
        .collect()
}

/// For each output of an evaluation, the error drawn on it, if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Noise {
    columns: Vec<Option<(Stream, f64)>>,
}

impl Noise {
    /// No error on any output (`backtest` adds its own, `sobol` and
    /// `morris` study the model's parameters alone).
    pub fn none() -> Noise {
        Noise::default()
    }

    /// The error of `model`'s `[forecast_error]` on each of `metrics` that
    /// carries one ([`carried`]), under `seed`.
    pub fn of(model: &Model, metrics: &[MetricRef], seed: u64) -> Noise {
        let columns = metrics
            .iter()
            .zip(carried(model, metrics))
            .map(|(m, e)| {
                let (e, month) = (e?, m.month?);
                Some((
                    Stream::new(seed, &format!("error:{}@{month}", e.metric)),
                    to_f64(e.sigma),
                ))
            })
            .collect();
        Noise { columns }
    }

    /// Whether no output carries an error.
    pub fn is_empty(&self) -> bool {
        self.columns.iter().all(Option::is_none)
    }

    /// Multiplies each output of draw `index` that carries an error by its
    /// `exp(σ·z)`, rounded to four places.
    pub fn apply(&self, index: u64, out: &mut [Num]) {
        let std = Normal::standard();
        for (o, c) in out.iter_mut().zip(&self.columns) {
            let Some((stream, sigma)) = c else { continue };
            let z = std.inverse_cdf(stream.uniform(index, 0));
            if let Some(v) = round4_f64(units_to_f64(o.m, o.s) * (sigma * z).exp()) {
                *o = v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{small, small_with};

    #[test]
    fn only_a_named_metric_in_one_month_carries_the_error() {
        let model = small_with("[forecast_error]\nparallel_rate = 0.05");
        let p = |s: &str| MetricRef::parse(s, &model.base, &model.timeline).unwrap();
        let month = model.timeline.start.to_string();
        let refs = [
            p("parallel_rate"),
            p(&format!("parallel_rate@{month}")),
            p(&format!("premium_pct@{month}")),
        ];
        let noise = Noise::of(&model, &refs, 7);
        assert!(!noise.is_empty());
        let mut out = [Num::int(1500); 3];
        noise.apply(0, &mut out);
        assert_eq!(out[0], Num::int(1500));
        assert_eq!(out[2], Num::int(1500));
        // 1500 · exp(0.05 · z) for the stream's first z, computed apart.
        let z = Normal::standard()
            .inverse_cdf(Stream::new(7, &format!("error:parallel_rate@{month}")).uniform(0, 0));
        let want = (1500.0 * (0.05 * z).exp() * 1e4).round() / 1e4;
        assert!(
            (units_to_f64(out[1].m, out[1].s) - want).abs() < 1e-9,
            "{out:?} vs {want}"
        );
        assert_ne!(out[1], Num::int(1500));
    }

    #[test]
    fn over_many_draws_the_log_error_has_the_given_sigma_and_no_bias() {
        let model = small_with("[forecast_error]\nparallel_rate = 0.04");
        let month = model.timeline.start.to_string();
        let r = MetricRef::parse(&format!("parallel_rate@{month}"), &model.base, &model.timeline).unwrap();
        let noise = Noise::of(&model, &[r], 1);
        let n = 20_000;
        let logs: Vec<f64> = (0..n)
            .map(|i| {
                let mut out = [Num::int(1000)];
                noise.apply(i, &mut out);
                (units_to_f64(out[0].m, out[0].s) / 1000.0).ln()
            })
            .collect();
        let mean = logs.iter().sum::<f64>() / n as f64;
        let sd = (logs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        // Standard errors: 0.04/√20000 = 0.00028 for the mean, 0.0002 for the sd.
        assert!(mean.abs() < 0.0012, "{mean}");
        assert!((sd - 0.04).abs() < 0.001, "{sd}");
    }

    #[test]
    fn a_model_without_the_table_draws_no_error() {
        let model = small();
        let month = model.timeline.start.to_string();
        let r = MetricRef::parse(&format!("parallel_rate@{month}"), &model.base, &model.timeline).unwrap();
        assert!(Noise::of(&model, &[r], 1).is_empty());
    }
}
