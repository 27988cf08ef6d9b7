//! `fit --write-uncertainty`: each estimate and its standard error as an
//! `[uncertainty]` entry (the value itself, or a factor on its schedule
//! when the fit moved one step of a timeline), and the estimates'
//! correlations as `[correlation]` pairs, or a note saying why not; and
//! the model's own error on the quoted rates it was fitted to, as
//! `[forecast_error]` entries.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::*;
use crate::calibration::backtest::OwnError;
use crate::calibration::compare::decimal;
use crate::calibration::fit::{Estimate, Fit};
use crate::calibration::free::Free;
use crate::model::Model;
use crate::render::plural;
use crate::sampling::linalg::cholesky;
use crate::sensitivity::Target;

/// The `[forecast_error]` entries of a fit of `refitted` parameters: for
/// each quoted rate (`parallel_rate`) with at least two fitted rows, σ of
/// ln(observed / model) over them, taken over the degrees of freedom the
/// fit left (√(N / (N − k)) for k parameters fitted to N rows), as
/// `backtest` measures the model's own error; notes on those that cannot
/// be written.
pub fn error_entries(fit: &Fit, refitted: usize, source: &str) -> (Vec<Pair>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for metric in crate::model::FORECAST_ERROR_METRICS {
        let logs: Vec<f64> = fit
            .residuals
            .iter()
            .filter(|r| r.metric.trim() == metric && r.model > Decimal::ZERO && r.observed > Decimal::ZERO)
            .filter_map(|r| Some((r.observed.to_f64()? / r.model.to_f64()?).ln()))
            .collect();
        if logs.len() < 2 {
            continue;
        }
        if fit.n <= refitted {
            notes.push(format!(
                "note: [forecast_error] {metric} is not written: {} fitted to {} {} no degree of freedom to estimate it by",
                plural(refitted, "parameter"),
                plural(fit.n, "observation"),
                if refitted == 1 { "leaves" } else { "leave" }
            ));
            continue;
        }
        let ssr: f64 = logs.iter().map(|x| x * x).sum();
        let e = OwnError::of(metric, ssr, logs.len(), fit.n, refitted);
        let Some(sigma) = decimal(e.sigma, 6).filter(|s| *s > Decimal::ZERO && *s <= Decimal::ONE) else {
            continue;
        };
        out.push(Pair {
            key: metric.to_string(),
            rho: sigma,
            source: source.to_string(),
            note: format!(
                "fitted: σ of ln(observed / model), the root mean square {}% over the {} × √({}/{}) for the {} fitted to {}; mc draws it on a month's {metric}",
                decimal(100.0 * e.rms, 2).unwrap_or_default(),
                plural(e.n, &format!("{metric} observation")),
                e.all,
                e.all - refitted,
                plural(refitted, "parameter"),
                plural(e.all, "observation")
            ),
        });
    }
    (out, notes)
}

/// How a fitted parameter is drawn in `[uncertainty]`, or why it is not.
enum Draw {
    /// As `PATH` (the value) or `PATH*` (a factor on its schedule), with mean and sd.
    As {
        key: String,
        scale: bool,
        mean: Decimal,
        sd: Decimal,
        how: String,
    },
    /// Not drawn, and why.
    Not(String),
}

/// The `[uncertainty]` and `[correlation]` entries of a fit's estimates in
/// `fitted` (the model with the estimates in force), and notes on those
/// that cannot be written. Each estimate with a standard error is drawn
/// from a normal around it, with that standard error:
///
/// * `PATH` (the whole timeline): `"PATH" = normal(estimate, s.e.)`;
/// * `PATH*` (a factor F̂ on the schedule, which the written file already
///   holds scaled): `"PATH*" = normal(1, s.e. / F̂)`, the same spread of
///   F̂ × the drawn factor;
/// * `PATH@YYYY-MM` (one step): `[uncertainty]` draws a parameter for its
///   whole timeline (docs/model.md §1.6), so a step is drawn only where that is
///   the same thing: as `"PATH"` when the step covers the whole timeline,
///   and as `"PATH*" = normal(1, s.e. / estimate)` when every month
///   outside the step is 0 (a factor leaves zeros alone); otherwise not
///   at all, and the note says so.
///
/// Correlations of two drawn estimates become rank correlations
/// `(6/π)·asin(ρ/2)`, the rank correlation of a bivariate normal with
/// correlation ρ, which `mc`'s Iman–Conover turns back into ρ between
/// the normal scores.
pub fn uncertainty_entries(
    fit: &Fit,
    free: &[Free],
    fitted: &Model,
    source: &str,
) -> (Vec<Drawn>, Vec<Pair>, Vec<String>) {
    let mut drawn: Vec<(usize, Drawn)> = Vec::new();
    let mut notes = Vec::new();
    for (j, (f, e)) in free.iter().zip(&fit.estimates).enumerate() {
        match drawn_entry(f, e, free, fitted, source) {
            Ok(d) => drawn.push((j, d)),
            Err(why) => notes.push(format!("note: {} is not drawn in [uncertainty]: {why}", e.path)),
        }
    }
    let pairs = match &fit.correlation_precise {
        Some(c) => correlation_pairs(c, &drawn, source, &mut notes),
        None => Vec::new(),
    };
    (drawn.into_iter().map(|d| d.1).collect(), pairs, notes)
}

/// The `[uncertainty]` entry of the estimate `e` of `f`, or why it is not drawn.
fn drawn_entry(f: &Free, e: &Estimate, free: &[Free], fitted: &Model, source: &str) -> Result<Drawn, String> {
    let id = f.target().param();
    if let Some(other) = free
        .iter()
        .find(|g| g.target() != f.target() && g.target().param() == id)
    {
        return Err(format!(
            "{} is fitted too, and [uncertainty] draws a parameter once, for its whole timeline",
            other.path()
        ));
    }
    let Some(se) = e.std_error.filter(|s| *s > Decimal::ZERO) else {
        return Err("the data do not determine its standard error".into());
    };
    match draw_of(f, e.value, se, fitted) {
        Draw::Not(why) => Err(why),
        Draw::As {
            key,
            scale,
            mean,
            sd,
            how,
        } => Ok(Drawn {
            key,
            param: id,
            scale,
            mean,
            sd,
            comment: vec![
                format!(
                    "{}: estimate {}, standard error {}; {how}",
                    e.path,
                    e.value.normalize(),
                    se.normalize()
                ),
                format!("source: {source}"),
            ],
        }),
    }
}

/// The `[correlation]` pairs of the drawn estimates (each with its index
/// among the estimates), from their correlation `c`; none, with a note,
/// when rounded they are too close to ±1 for a joint distribution.
fn correlation_pairs(
    c: &[Vec<Decimal>],
    drawn: &[(usize, Drawn)],
    source: &str,
    notes: &mut Vec<String>,
) -> Vec<Pair> {
    let rank = |rho: Decimal| -> Decimal {
        let r = rho.to_f64().unwrap_or(0.0).clamp(-1.0, 1.0);
        decimal(6.0 / std::f64::consts::PI * (r / 2.0).asin(), 4).unwrap_or_default()
    };
    let n = drawn.len();
    let mut matrix = vec![0.0; n * n];
    let mut found = Vec::new();
    for a in 0..n {
        matrix[a * n + a] = 1.0;
        for b in a + 1..n {
            let rho_s = rank(c[drawn[a].0][drawn[b].0]);
            let score = crate::sampling::iman_conover::score_correlation(rho_s.to_f64().unwrap_or(0.0));
            matrix[a * n + b] = score;
            matrix[b * n + a] = score;
            if !rho_s.is_zero() {
                found.push((a, b, rho_s, c[drawn[a].0][drawn[b].0]));
            }
        }
    }
    if found.iter().any(|f| f.2.abs() >= Decimal::ONE) || cholesky(&matrix, n).is_err() {
        notes.push(
            "note: the correlations of the estimates are not written to [correlation]: rounded, they are too close to ±1 for a joint distribution; the estimates are drawn independently"
                .into(),
        );
        return Vec::new();
    }
    found
        .into_iter()
        .map(|(a, b, rho_s, rho)| Pair {
            key: format!("{}|{}", drawn[a].1.key, drawn[b].1.key),
            rho: rho_s,
            source: source.to_string(),
            note: format!(
                "fitted: the estimates are correlated {}; as a rank correlation (6/π)·asin(ρ/2)",
                rho.normalize()
            ),
        })
        .collect()
}

impl Draw {
    /// `"PATH" = normal(value, se)`.
    fn value(path: String, value: Decimal, se: Decimal, how: &str) -> Draw {
        Draw::As {
            key: path,
            scale: false,
            mean: value,
            sd: se,
            how: how.into(),
        }
    }

    /// `"PATH*" = normal(1, se / value)`; `how` words it from the sum
    /// `se / value = sd`, and `zero` why not when the estimate is 0.
    fn factor(
        path: &str,
        value: Decimal,
        se: Decimal,
        how: impl FnOnce(String) -> String,
        zero: &str,
    ) -> Draw {
        if value.is_zero() {
            return Draw::Not(zero.into());
        }
        let sd = (se / value.abs())
            .round_dp_with_strategy(8, rust_decimal::RoundingStrategy::MidpointNearestEven)
            .normalize();
        Draw::As {
            key: format!("{path}*"),
            scale: true,
            mean: Decimal::ONE,
            sd,
            how: how(format!("{} / {} = {sd}", se.normalize(), value.normalize())),
        }
    }
}

/// How the estimate `value` (standard error `se`) of `f` is drawn in `fitted`.
fn draw_of(f: &Free, value: Decimal, se: Decimal, fitted: &Model) -> Draw {
    let id = f.target().param();
    let path = fitted.base.path(id);
    match f.target() {
        Target::Whole(_) => Draw::value(
            path,
            value,
            se,
            "drawn from a normal around the estimate with that sd (redrawn outside the allowed range)",
        ),
        Target::Scale(_) => Draw::factor(
            &path,
            value,
            se,
            |sum| {
                format!("the schedule above is already scaled by the estimate, so the drawn factor has mean 1 and sd {sum}")
            },
            "its estimate is 0",
        ),
        Target::Step(_, at) | Target::From(_, at) => {
            let schedule = fitted.schedule();
            let n = schedule.len();
            let end = fitted
                .changes_of(id)
                .filter_map(|c| fitted.timeline.index_of(c.month))
                .filter(|&i| i > at)
                .min()
                .unwrap_or(n);
            let outside = (0..n).filter(|i| *i < at || *i >= end);
            let mut outside_values = outside.map(|i| schedule[i].get(id));
            if at == 0 && end == n {
                Draw::value(
                    path,
                    value,
                    se,
                    "the step covers the whole timeline, so its value is drawn from a normal around the estimate with that sd",
                )
            } else if outside_values.all(|v| v.is_zero()) {
                Draw::factor(
                    &path,
                    value,
                    se,
                    |sum| {
                        format!("its other months are 0, so a factor on the whole timeline draws this step alone: mean 1, sd {sum}")
                    },
                    "its estimate is 0, so no factor on its timeline can draw it",
                )
            } else {
                Draw::Not(format!(
                    "[uncertainty] draws a parameter for its whole timeline (docs/model.md §1.6), and a factor \"{path}*\" would move its other steps too; its standard error is in the fit's report"
                ))
            }
        }
    }
}
