//! Values that are allowed but not believable. A model file can say 103
//! million barrels a day or an official rate of 1.31 IQD/USD and still be
//! valid (the kind's range allows both); such a value is far more often a
//! slip of units than a finding. Each parameter's plausible range, with
//! its basis, is in the registry; this finds every base value and every
//! `[[changes]]` value outside it, as warnings that `check` shows and
//! `--strict` refuses.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::registry::ParamId;
use super::{Model, Param};
use crate::diagnostic::Problem;
use crate::num::decimal::clean;
use crate::render::thousands;

/// A warning for every value of `model` outside its plausible range: the
/// base values, then the changes, in file order.
pub fn implausible(model: &Model) -> Vec<Problem> {
    let base = &model.base;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for id in base.ids() {
        let p = base.param(id);
        // A bank without a rejection rate of its own shows the auction's:
        // warn once, at the auction's.
        if seen.insert(p.origin.span.clone().map(|s| s.start)) || p.origin.span.is_none() {
            out.extend(warning(&base.path(id), id, p, None));
        }
    }
    for c in &model.changes {
        out.extend(warning(
            &base.path(c.param),
            c.param,
            &c.value,
            Some(&c.month.to_string()),
        ));
    }
    out.sort_by_key(|p| p.span.as_ref().map_or(0, |s| s.start));
    out
}

/// The warning for `value` of `id` given on the command line as `given`
/// (`--vary auction.official_rate_iqd_per_usd=1.2,1.31`): what `run --set`
/// of it would warn, on one line, or `None` when it is plausible. A
/// command that tries many values (sweep, tornado) says it once.
pub fn value_warning(id: ParamId, value: Decimal, given: &str) -> Option<String> {
    let p = Param {
        value,
        origin: Default::default(),
    };
    let w = warning("", id, &p, None)?;
    Some(format!("warning: {given}: {}", w.one_line()))
}

/// The warning for a factor on `id`'s base value `base`, given as `given`
/// (`--scale PATH=80:120`): [`value_warning`] of the scaled value, said
/// with how it was scaled (`(base 80.8 × 80)`).
pub fn factor_warning(id: ParamId, base: Decimal, factor: Decimal, given: &str) -> Option<String> {
    let value = base.checked_mul(factor)?.normalize();
    let given = format!("{given} (base {} × {})", clean(base.normalize()), clean(factor));
    value_warning(id, value, &given)
}

/// The warning for one value, if it lies outside the plausible range.
fn warning(path: &str, id: ParamId, p: &Param, from: Option<&str>) -> Option<Problem> {
    let field = id.field();
    let range = &field.plausible;
    if range.contains(p.value) && !fraction_for_percent(id, p.value) {
        return None;
    }
    let unit = match field.unit {
        "share" | "elasticity" => String::new(),
        u => format!(" {u}"),
    };
    let mut message = if range.contains(p.value) {
        format!(
            "{}{unit} is below 1% a year, though within the plausible range {} to {}{unit}",
            clean(p.value),
            thousands(range.lo()),
            thousands(range.hi()),
        )
    } else {
        format!(
            "{}{unit} is outside the plausible range {} to {}{unit}{}",
            clean(p.value),
            thousands(range.lo()),
            thousands(range.hi()),
            if range.zero { " (or 0)" } else { "" },
        )
    };
    if let Some(month) = from {
        message = format!("from {month}: {message}");
    }
    // A factor given with --set leaves the file's place: the value there
    // is what was scaled.
    match (p.origin.set_with, &p.origin.span) {
        (Some(flag), Some(_)) => {
            message.push_str(&format!(" (this value scaled by a factor given with {flag})"))
        }
        (Some(flag), None) => message.push_str(&format!(" (given with {flag})")),
        _ => {}
    }
    let mut w = Problem::new(p.origin.span.clone(), path, message)
        .note(range.basis)
        .help(help(id, p.value));
    if let Some(at) = &p.origin.scenario {
        w.message.push_str(" (set by a scenario)");
        w = w.elsewhere(at.clone());
    }
    Some(w)
}

/// A rate in percent a year written as a fraction: underlying inflation
/// of 0.06 (meaning 6%) is allowed and within a range that reaches down to
/// deflation, but below 1% a year Iraq has been only briefly (2017–18);
/// a value in (0, 1) is far more often 6% written as a share.
fn fraction_for_percent(id: ParamId, v: Decimal) -> bool {
    id.kind() == super::Kind::InflationPct && v > Decimal::ZERO && v < Decimal::ONE
}

/// `v` with `_` between its thousands, as a model file and `--set` read
/// it: 250000000 → `250_000_000`.
fn grouped(v: Decimal) -> String {
    thousands(v).replace(',', "_")
}

/// What to look at: the likely slip for the usual ones.
fn help(id: ParamId, v: Decimal) -> String {
    let field = id.field();
    let below = v < field.plausible.lo();
    if fraction_for_percent(id, v) {
        return format!(
            "the rate is in percent a year: {}% a year is written {}, not {}",
            clean((v * Decimal::ONE_HUNDRED).normalize()),
            clean((v * Decimal::ONE_HUNDRED).normalize()),
            clean(v)
        );
    }
    // A few dollars or barrels where the range allows none: the amount
    // written in millions (3.32 for 3.32 million).
    let millions = || grouped((v * Decimal::from(1_000_000)).normalize());
    match (field.unit, below) {
        ("IQD/USD", true) => "an exchange rate is dinars per dollar, e.g. 1310, not 1.31".into(),
        ("bbl/day", false) => "the volume is barrels a day, not a month or a year".into(),
        ("bbl/day", true) if field.plausible.zero => format!(
            "the volume is whole barrels a day, not millions: {} million barrels a day is {}",
            clean(v),
            millions()
        ),
        (u, true) if field.plausible.zero && u.starts_with("USD") => format!(
            "amounts are whole dollars, not millions or billions: ${} million is {}",
            clean(v),
            millions()
        ),
        _ => "check the unit and the digits; if the value is right, cite its source".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::load_str;

    fn model(edit: &str, with: &str) -> Model {
        let text = include_str!("../../fixtures/small.toml").replace(edit, with);
        load_str("m.toml", &text).unwrap()
    }

    #[test]
    fn every_plausible_range_is_ordered_allowed_and_explained() {
        for f in crate::model::FIELDS.iter() {
            let r = &f.plausible;
            assert!(r.lo() < r.hi(), "{}", f.path);
            // The ends are values the kind allows (a positive kind's 0 aside).
            assert!(f.kind.allows(r.hi()), "{}", f.path);
            assert!(f.kind.allows(r.lo()) || r.lo().is_zero(), "{}", f.path);
            assert!(r.basis.len() > 20, "{}: no basis", f.path);
        }
    }

    #[test]
    fn the_small_model_is_plausible() {
        assert!(implausible(&model("", "")).is_empty());
    }

    #[test]
    fn a_volume_in_barrels_a_month_and_a_rate_in_thousands_are_caught() {
        let m = model("volume_bpd = 1000", "volume_bpd = 103_000_000");
        let w = implausible(&m);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].path, "exports.volume_bpd");
        assert_eq!(
            w[0].message,
            "103000000 bbl/day is outside the plausible range 1,000 to 10,000,000 bbl/day (or 0)"
        );
        let m = model(
            "\"auction.official_rate_iqd_per_usd\" = 1310",
            "\"auction.official_rate_iqd_per_usd\" = 1.31",
        );
        let w = implausible(&m);
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].message,
            "from 2023-02: 1.31 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD"
        );
        assert!(w[0].help.as_deref().unwrap_or("").contains("1310, not 1.31"));
    }

    #[test]
    fn inflation_written_as_a_fraction_is_caught() {
        // 0.06 meant as 6% a year: within -20 to 500 but below 1%.
        let text = include_str!("../../fixtures/small.toml")
            .replace("[prices]\n", "[prices]\nunderlying_inflation_pct = 0.06\n");
        let w = implausible(&load_str("m.toml", &text).unwrap());
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].path, "prices.underlying_inflation_pct");
        assert_eq!(
            w[0].message,
            "0.06 %/year is below 1% a year, though within the plausible range -20 to 500 %/year"
        );
        assert_eq!(
            w[0].help.as_deref(),
            Some("the rate is in percent a year: 6% a year is written 6, not 0.06")
        );
        // 6 and 0 are no slip.
        for v in ["6", "0"] {
            let text = include_str!("../../fixtures/small.toml").replace(
                "[prices]\n",
                &format!("[prices]\nunderlying_inflation_pct = {v}\n"),
            );
            assert!(implausible(&load_str("m.toml", &text).unwrap()).is_empty(), "{v}");
        }
    }

    #[test]
    fn amounts_written_in_millions_are_caught_and_none_at_all_is_not() {
        // 250 meant as $250 million a day, 3.32 as 3.32 million barrels.
        let m = model("requests_usd_per_day = 100000", "requests_usd_per_day = 250");
        let w = implausible(&m);
        assert_eq!(w.len(), 1);
        assert_eq!(
            w[0].message,
            "250 USD/day is outside the plausible range 1,000 to 2,000,000,000 USD/day (or 0)"
        );
        assert_eq!(
            w[0].help.as_deref(),
            Some("amounts are whole dollars, not millions or billions: $250 million is 250_000_000")
        );
        let m = model("volume_bpd = 1000", "volume_bpd = 3.32");
        assert_eq!(
            implausible(&m)[0].help.as_deref(),
            Some("the volume is whole barrels a day, not millions: 3.32 million barrels a day is 3_320_000")
        );
        // No exports, no payments: an embargo is plausible.
        let m = model("volume_bpd = 1000", "volume_bpd = 0");
        assert!(implausible(&m).is_empty());
        let m = model("usd_per_month = 500000", "usd_per_month = 0");
        assert!(implausible(&m).is_empty());
    }
}
