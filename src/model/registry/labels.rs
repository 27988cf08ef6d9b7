//! Parameters and units as people read them on charts and in tables
//! (`Share of wires rejected`, `IQD per $`), from the registry's labels,
//! in every form commands name a parameter in (`PATH`, `PATH@YYYY-MM`,
//! `PATH@YYYY-MM..`, `PATH*`).

use super::FIELDS;

/// A unit as people read it on a chart: `IQD/USD` → `IQD per $`, `USD`
/// → `$`, `USD/day` → `$ per day`; empty for a share, an elasticity or
/// a count (flights, sessions), whose label says what it is. Any other unit is kept as it is.
pub const fn unit_label(unit: &str) -> &str {
    const TABLE: [(&str, &str); 15] = [
        ("USD", "$"),
        ("IQD", "IQD"),
        ("IQD/USD", "IQD per $"),
        ("%", "%"),
        ("%/year", "% a year"),
        ("USD/day", "$ per day"),
        ("USD/month", "$ per month"),
        ("USD/flight", "$ per flight"),
        ("USD/bbl", "$ per barrel"),
        ("bbl/day", "barrels per day"),
        ("share", ""),
        ("shares", ""),
        ("elasticity", ""),
        ("flights", ""),
        ("sessions", ""),
    ];
    let mut i = 0;
    while i < TABLE.len() {
        if same(TABLE[i].0, unit) {
            return TABLE[i].1;
        }
        i += 1;
    }
    unit
}

/// What an amount in `unit` is per, as people say it after the amount
/// (`USD/day` → ` a day`, `USD/bbl` → ` a barrel`); empty for an amount
/// that is per nothing (`USD`) or a unit that is no amount of money.
pub fn per_amount(unit: &str) -> String {
    unit_label(unit)
        .strip_prefix("$ per ")
        .map_or(String::new(), |w| format!(" a {w}"))
}

/// `a == b`, in a `const fn`.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A parameter as people read it on a chart: its label and its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamLabel {
    /// `Share of wires rejected`, `Other banks: share of wires rejected`,
    /// with the month or the factor after it: `Oil price (from Jul 2023)`.
    pub label: String,
    /// `IQD per $`; empty for a share, an elasticity or a factor.
    pub unit: &'static str,
}

impl ParamLabel {
    /// `label, unit`, or the label alone without a unit.
    pub fn with_unit(&self) -> String {
        if self.unit.is_empty() {
            self.label.clone()
        } else {
            format!("{}, {}", self.label, self.unit)
        }
    }
}

/// The label of a parameter named in any of the forms commands take:
/// `PATH`, `PATH@YYYY-MM` (one step: `(Jul 2023)`), `PATH@YYYY-MM..`
/// (from a month on: `(from Jul 2023)`) and `PATH*` (a factor on every
/// month: `(× factor)`, without a unit). `None` for text that names no
/// parameter of the registry (then callers show the text as it is).
pub fn param_label(text: &str) -> Option<ParamLabel> {
    let text = text.trim();
    let (text, factor) = match text.strip_suffix('*') {
        Some(t) => (t, true),
        None => (text, false),
    };
    let (path, when) = match text.split_once('@') {
        Some((p, m)) => (p, Some(m)),
        None => (text, None),
    };
    let (field, name) = FIELDS.iter().find_map(|f| match f.path.split_once("[*]") {
        None => (f.path == path).then_some((f, None)),
        Some((before, after)) => {
            let inner = path.strip_prefix(before)?.strip_prefix('[')?;
            let name = inner.strip_suffix(after)?.strip_suffix(']')?;
            (!name.is_empty()).then_some((f, Some(name)))
        }
    })?;
    let mut label = match name {
        Some(n) => field.label.replace("{}", n),
        None => field.label.to_string(),
    };
    if let Some(m) = when {
        let (month, from) = match m.strip_suffix("..") {
            Some(m) => (m, true),
            None => (m, false),
        };
        let month = month
            .parse::<crate::calendar::YearMonth>()
            .map_or_else(|_| month.to_string(), |ym| ym.short_name());
        label.push_str(&if from {
            format!(" (from {month})")
        } else {
            format!(" ({month})")
        });
    }
    if factor {
        label.push_str(" (× factor)");
    }
    Some(ParamLabel {
        label,
        unit: if factor { "" } else { field.unit_label },
    })
}

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn every_parameter_has_a_label_without_code_names() {
        for f in &FIELDS {
            assert!(!f.label.is_empty(), "{}", f.path);
            assert!(!f.label.contains('_') && !f.label.contains('.'), "{}", f.label);
            assert_eq!(f.list.is_some(), f.label.contains("{}"), "{}", f.path);
            assert!(!f.unit_label.contains("USD"), "{}", f.unit_label);
        }
    }

    #[test]
    fn paths_in_every_form_have_labels() {
        let l = |t: &str| param_label(t).map(|l| l.with_unit());
        for (path, label) in [
            ("parallel_market.demand_elasticity", "Demand elasticity"),
            ("auction.official_rate_iqd_per_usd", "Official rate, IQD per $"),
            (
                "auction.banks[Other banks].rejection_rate@2023-07",
                "Other banks: share of wires rejected (Jul 2023)",
            ),
            (
                "auction.rejection_rate@2023-07..",
                "Share of wires rejected (from Jul 2023)",
            ),
            ("exports.price_usd_per_bbl*", "Oil price (× factor)"),
            ("exports.price_usd_per_bbl", "Oil price, $ per barrel"),
        ] {
            assert_eq!(l(path).as_deref(), Some(label), "{path}");
        }
        assert_eq!(l("auction calendar (weekend, holidays)"), None);
        assert_eq!(l("exports.buyers[].share"), None);
    }
}
