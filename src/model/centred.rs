//! Distributions that miss their base value. `run` uses a parameter's base
//! value and `mc` draws it from its `[uncertainty]` distribution; when the
//! base value lies outside the distribution's central 98% (P1 to P99, of
//! the distribution as drawn: truncated to the allowed range), the Monte
//! Carlo describes another model than the one `run` and `brief` report,
//! usually because one of the two was edited and the other not.

use rust_decimal::Decimal;

use super::factor::tighter;
use super::registry::Kind;
use super::{rules, Model};
use crate::diagnostic::Problem;
use crate::num::binary::f64_to_decimal;
use crate::num::decimal::{clean, to_f64};
use crate::render::thousands;
use crate::sampling::distribution::Shape;

/// The central share of a distribution a base value should lie in.
const LOW: f64 = 0.01;
const HIGH: f64 = 0.99;

/// A warning for every `[uncertainty]` entry whose parameter's base value
/// lies outside P1 to P99 of its distribution. Drawn factors (keys written
/// `"PATH*"`) are centred on 1 by design and are skipped.
pub fn off_centre(model: &Model) -> Vec<Problem> {
    let mut out = Vec::new();
    let entries: Vec<_> = model.uncertainty.iter().filter(|u| !u.scale).collect();
    if entries.is_empty() {
        return out;
    }
    // The rules' bounds over every month, in one pass that keeps one copy
    // of the parameters (`Model::schedule` keeps one per month).
    let mut rule_bounds = vec![(None, None); entries.len()];
    model.each_month(|_, params, _| {
        for (b, u) in rule_bounds.iter_mut().zip(&entries) {
            let (l, h) = rules::bounds_over([params], u.param);
            b.0 = tighter(b.0, l, Ord::max);
            b.1 = tighter(b.1, h, Ord::min);
        }
    });
    for (u, rule) in entries.iter().zip(rule_bounds) {
        let Ok(shape) = Shape::of(&u.dist) else {
            continue;
        };
        let kind = u.param.kind();
        let (lo, hi) = bounds(kind, rule);
        let (p1, p99) = (
            shape.truncated_quantile(LOW, lo, hi),
            shape.truncated_quantile(HIGH, lo, hi),
        );
        let base = model.base.param(u.param);
        let v = to_f64(base.value);
        if !(p1.is_finite() && p99.is_finite()) || (p1..=p99).contains(&v) {
            continue;
        }
        let places = if kind.is_money() { 2 } else { 4 };
        let shown = |x: f64| f64_to_decimal(x, places).map_or(x.to_string(), |d| thousands(d.normalize()));
        let unit = u.param.spec().unit;
        let at = match (&base.origin.scenario, &base.origin.span) {
            (Some(at), _) => format!(" ({at})"),
            (None, Some(s)) => format!(" ({})", model.file.location(s)),
            (None, None) => String::new(),
        };
        out.push(
            Problem::new(
                Some(u.span.clone()),
                format!("uncertainty.\"{}\"", u.path),
                format!(
                    "the base value {} {unit}{at} lies outside P1–P99 of {}, {} to {} {unit}",
                    thousands(clean(base.value.normalize())),
                    u.dist,
                    shown(p1),
                    shown(p99),
                ),
            )
            .note("the Monte Carlo is centred elsewhere than the base value")
            .help(format!(
                "edit the distribution or use a drawn factor \"{}*\"",
                u.path
            )),
        );
    }
    out
}

/// The range a value is drawn in, as `mc` truncates it: the kind's allowed
/// range narrowed by the rules (`rule_lo`, `rule_hi`).
fn bounds(kind: Kind, (rule_lo, rule_hi): (Option<Decimal>, Option<Decimal>)) -> (Option<f64>, Option<f64>) {
    let lo = tighter(kind.min().map(|(m, _)| m), rule_lo, Ord::max);
    let hi = tighter(kind.max(), rule_hi, Ord::min);
    (lo.map(to_f64), hi.map(to_f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::small_with;

    fn with_uncertainty(entry: &str) -> Model {
        small_with(&format!("[uncertainty]\n{entry}"))
    }

    #[test]
    fn a_distribution_around_the_base_value_is_quiet() {
        let m = with_uncertainty("\"exports.price_usd_per_bbl\" = { dist = \"normal\", mean = 80, sd = 8 }");
        assert!(off_centre(&m).is_empty());
    }

    #[test]
    fn a_distribution_away_from_the_base_value_is_caught() {
        let m = with_uncertainty("\"exports.price_usd_per_bbl\" = { dist = \"normal\", mean = 55, sd = 8 }");
        let w = off_centre(&m);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "uncertainty.\"exports.price_usd_per_bbl\"");
        assert_eq!(
            w[0].message,
            "the base value 80 USD/bbl (small.toml:12) lies outside P1–P99 of normal(mean 55, sd 8), \
             36.3892 to 73.6108 USD/bbl"
        );
        // cash_share is 0.2: above P1 of uniform(0.196, 0.5), 0.19904, it is
        // quiet; below P1 of uniform(0.198, 0.5), 0.20102, it is caught.
        let m = with_uncertainty("\"auction.cash_share\" = { dist = \"uniform\", min = 0.196, max = 0.5 }");
        assert!(off_centre(&m).is_empty());
        let m = with_uncertainty("\"auction.cash_share\" = { dist = \"uniform\", min = 0.198, max = 0.5 }");
        assert_eq!(off_centre(&m).len(), 1);
    }
}
