//! The model's own error (`[forecast_error]`) drawn in a Monte Carlo run:
//! each draw's value of a quoted rate in one month (`parallel_rate@2024-06`,
//! `parallel_rate:first` and `:last`, which name the timeline's first and
//! last month, and the fan chart's months) is multiplied by `exp(σ·z)`, z
//! standard normal, so that its band is one for a quote rather than for the
//! model's monthly mean. The median is kept (the error of ln(quote / model)
//! is centred on 0, as `fit` estimates it). A month's `premium_pct` is
//! computed from that quote, 100·(rate / official − 1), with the same z.
//! A summary over months (the mean of the timeline) carries no such error:
//! it is no one day's quote.
//!
//! z comes from a counter-based stream keyed by the seed and the rate's
//! name and month (`error:parallel_rate@2024-06`), so that a month's error
//! is the same draw whichever command, column or alias asks for it, on any
//! thread and in any shard. The result is rounded to four places, as a rate
//! and a premium are.

use statrs::distribution::{ContinuousCDF, Normal};

use crate::calendar::{Timeline, YearMonth};
use crate::engine::metrics::{Agg, MetricRef};
use crate::model::{ForecastError, Model};
use crate::num::binary::units_to_f64;
use crate::num::decimal::to_f64;
use crate::num::fixed::{round4_f64, Num};
use crate::sampling::stream::Stream;

/// The one month a reference names: `@YYYY-MM`, `:first` or `:last`, or
/// any summary of a one-month timeline; `None` for a summary over months.
pub fn one_month(r: &MetricRef, timeline: &Timeline) -> Option<YearMonth> {
    match (r.month, r.agg) {
        (Some(m), _) => Some(m),
        (None, Agg::First) => Some(timeline.start),
        (None, Agg::Last) => Some(timeline.end()),
        (None, _) if timeline.months.len() == 1 => Some(timeline.start),
        (None, _) => None,
    }
}

/// For each of `metrics`, the model's own error it carries: one month
/// ([`one_month`]) of a metric `[forecast_error]` names, or of the premium
/// computed from one (a summary over months carries none).
pub fn carried<'m>(model: &'m Model, metrics: &[MetricRef]) -> Vec<Option<&'m ForecastError>> {
    metrics
        .iter()
        .map(|m| {
            one_month(m, &model.timeline)?;
            model.quote_error_of(&m.id.name(&model.base))
        })
        .collect()
}

/// How an output takes its error: a rate is multiplied by it; a premium
/// over the official rate, in percent, is recomputed from the rate.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Carrier {
    Rate,
    Premium,
}

/// For each output of an evaluation, the error drawn on it, if any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Noise {
    columns: Vec<Option<(Stream, f64, Carrier)>>,
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
                let (e, month) = (e?, one_month(m, &model.timeline)?);
                let carrier = if m.id.name(&model.base) == e.metric {
                    Carrier::Rate
                } else {
                    Carrier::Premium
                };
                Some((
                    Stream::new(seed, &format!("error:{}@{month}", e.metric)),
                    to_f64(e.sigma),
                    carrier,
                ))
            })
            .collect();
        Noise { columns }
    }

    /// Whether no output carries an error.
    pub fn is_empty(&self) -> bool {
        self.columns.iter().all(Option::is_none)
    }

    /// Multiplies each rate of draw `index` that carries an error by its
    /// `exp(σ·z)`, and recomputes each premium from its rate so multiplied
    /// (100·((1 + premium / 100)·exp(σ·z) − 1)), rounded to four places.
    pub fn apply(&self, index: u64, out: &mut [Num]) {
        let std = Normal::standard();
        for (o, c) in out.iter_mut().zip(&self.columns) {
            let Some((stream, sigma, carrier)) = c else {
                continue;
            };
            let factor = (sigma * std.inverse_cdf(stream.uniform(index, 0))).exp();
            let x = units_to_f64(o.m, o.s);
            let y = match carrier {
                Carrier::Rate => x * factor,
                Carrier::Premium => 100.0 * ((1.0 + x / 100.0) * factor - 1.0),
            };
            if let Some(v) = round4_f64(y) {
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
            p("premium_pct"),
            p(&format!("cpi_impact_pct@{month}")),
        ];
        let noise = Noise::of(&model, &refs, 7);
        assert!(!noise.is_empty());
        // A rate of 1,500 at an official 1,200: a premium of 25%.
        let mut out = [
            Num::int(1500),
            Num::int(1500),
            Num::int(25),
            Num::int(25),
            Num::int(3),
        ];
        noise.apply(0, &mut out);
        assert_eq!(out[0], Num::int(1500));
        assert_eq!(out[3], Num::int(25));
        assert_eq!(out[4], Num::int(3));
        // 1500 · exp(0.05 · z) for the stream's first z, computed apart.
        let z = Normal::standard()
            .inverse_cdf(Stream::new(7, &format!("error:parallel_rate@{month}")).uniform(0, 0));
        let rate = (1500.0 * (0.05 * z).exp() * 1e4).round() / 1e4;
        let f = |n: Num| units_to_f64(n.m, n.s);
        assert!((f(out[1]) - rate).abs() < 1e-9, "{out:?} vs {rate}");
        assert_ne!(out[1], Num::int(1500));
        // The premium of that quote over the official 1,200, to 4 places.
        let premium = 100.0 * (1500.0 * (0.05 * z).exp() / 1200.0 - 1.0);
        assert!((f(out[2]) - premium).abs() < 0.6e-4, "{} vs {premium}", f(out[2]));
    }

    #[test]
    fn first_and_last_carry_the_error_of_their_month() {
        let model = small_with("[forecast_error]\nparallel_rate = 0.05");
        assert!(model.timeline.months.len() > 1);
        let p = |s: &str| MetricRef::parse(s, &model.base, &model.timeline).unwrap();
        let (first, last) = (model.timeline.start, model.timeline.end());
        let refs = [
            p("parallel_rate:first"),
            p(&format!("parallel_rate@{first}")),
            p("parallel_rate:last"),
            p(&format!("parallel_rate@{last}")),
            p("parallel_rate:max"),
        ];
        assert_eq!(one_month(&refs[0], &model.timeline), Some(first));
        assert_eq!(one_month(&refs[2], &model.timeline), Some(last));
        assert_eq!(one_month(&refs[4], &model.timeline), None);
        let noise = Noise::of(&model, &refs, 3);
        for i in 0..20 {
            let mut out = [Num::int(1400); 5];
            noise.apply(i, &mut out);
            // An alias and its month: the same draw of the same error.
            assert_eq!(out[0], out[1]);
            assert_eq!(out[2], out[3]);
            assert_ne!(out[0], Num::int(1400));
            assert_ne!(out[0], out[2]);
            assert_eq!(out[4], Num::int(1400));
        }
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
