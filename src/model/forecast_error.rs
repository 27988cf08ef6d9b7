//! The `[forecast_error]` table: the model's own error on a rate that is
//! quoted, `parallel_rate = 0.0348`, the σ of ln(quote / model). A
//! parameter's spread (`[uncertainty]`) says how unsure the model's rate
//! is; a quote is one day's price on one street while the model gives a
//! month's mean, so even the right parameters miss it by this much. `mc`
//! draws it on top of the parameters for a month's value of the metric
//! (`parallel_rate@2024-06`, `:first`, `:last`, the fan chart's months), so
//! that its band is one for the quote a reader will compare it with; the
//! month's `premium_pct` is computed from that quote. `fit
//! --write-uncertainty` writes it from the fit's residuals. Parsed and
//! validated here: a quoted rate's metric name, σ from 0 to 1 (log points:
//! 0.0348 is 3.48%), each metric once.

use std::ops::Range;

use rust_decimal::Decimal;

use super::reader::{Obj, Reader};
use super::registry::Kind;
use crate::diagnostic::{nearest, Problem};

/// The metrics whose error may be given: rates in IQD per dollar, which a
/// log-normal error keeps positive.
pub const METRICS: [&str; 2] = ["parallel_rate", "effective_rate"];

/// The model's own error on one quoted metric.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastError {
    /// The metric's name, one of [`METRICS`].
    pub metric: String,
    /// σ of ln(quote / model), 0 to 1.
    pub sigma: Decimal,
    /// Place of the entry in the model file.
    pub span: Range<usize>,
    /// The entry's citation (how σ was estimated).
    pub source: Option<String>,
    /// The entry's remark.
    pub note: Option<String>,
}

impl ForecastError {
    /// σ in percent, to 2 places, as reports print it (`3.26`).
    pub fn sigma_pct(&self) -> Decimal {
        sigma_pct(self.sigma)
    }
}

/// A σ in log points (`0.032579`) in percent, to 2 places, as reports
/// print it (`3.26`).
pub fn sigma_pct(sigma: Decimal) -> Decimal {
    (sigma * Decimal::ONE_HUNDRED).round_dp(2).normalize()
}

impl super::Model {
    /// The model's own error on a quote of `metric`, if it draws one (a
    /// σ of 0 draws none).
    pub fn forecast_error_of(&self, metric: &str) -> Option<&ForecastError> {
        self.forecast_error
            .iter()
            .find(|e| e.metric == metric && !e.sigma.is_zero())
    }

    /// The model's own error a month's value of `metric` carries: its own
    /// ([`Self::forecast_error_of`]), or for `premium_pct`, which is
    /// computed from the parallel rate, the parallel rate's.
    pub fn quote_error_of(&self, metric: &str) -> Option<&ForecastError> {
        match metric {
            DERIVED_PREMIUM => self.forecast_error_of(PREMIUM_OF),
            _ => self.forecast_error_of(metric),
        }
    }
}

/// The metric computed from a quoted rate, 100·(rate / official − 1), whose
/// month carries that rate's error.
pub const DERIVED_PREMIUM: &str = "premium_pct";

/// The quoted rate [`DERIVED_PREMIUM`] is computed from.
pub const PREMIUM_OF: &str = "parallel_rate";

/// Reads `[forecast_error]`.
pub(super) fn read(r: &mut Reader, obj: &Obj<'_, '_>) -> Vec<ForecastError> {
    let mut out: Vec<ForecastError> = Vec::new();
    for (k, node) in obj.table.iter() {
        let key: &str = k.get_ref();
        let shown = format!("forecast_error.{key}");
        if !METRICS.contains(&key) {
            let mut p = Problem::new(Some(k.span()), &shown, format!("`{key}` is not a quoted rate"))
                .allowed(format!("one of {}", METRICS.join(", ")));
            if let Some(near) = nearest(key, METRICS, 1).first() {
                p = p.help(format!("did you mean `{near}`?"));
            }
            r.report(p);
            continue;
        }
        let Some(param) = r.param_node(node, &shown, Kind::Share) else {
            continue;
        };
        out.push(ForecastError {
            metric: key.to_string(),
            sigma: param.value,
            span: param.origin.span.clone().unwrap_or(node.span()),
            source: param.origin.source,
            note: param.origin.note,
        });
    }
    out
}
