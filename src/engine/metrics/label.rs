//! Metrics as people read them on charts and in tables: `Parallel rate`,
//! its unit `IQD per $`, and what one number stands for
//! (`mean Nov 2022–Dec 2024`).

use super::*;
use crate::calendar::YearMonth;
use crate::model::unit_label;

/// A metric as people read it on a chart: `Parallel rate`, its unit
/// `IQD per $`, and what summarises the months when one number stands
/// for them: `mean Nov 2022–Dec 2024`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricLabel {
    /// `Parallel rate`, `Revenue from China`.
    pub label: String,
    /// `IQD per $`, `$`, `%`.
    pub unit: &'static str,
    /// `mean Nov 2022–Dec 2024`, `total Nov 2022–Dec 2024`, `in Jul 2023`;
    /// `None` for a metric by month.
    pub summary: Option<String>,
}

impl MetricLabel {
    /// `label, unit, summary`, leaving out what is empty:
    /// `Parallel rate, IQD per $, mean Nov 2022–Dec 2024`.
    pub fn full(&self) -> String {
        let mut s = self.label.clone();
        for part in [Some(self.unit), self.summary.as_deref()].into_iter().flatten() {
            if !part.is_empty() {
                s.push_str(", ");
                s.push_str(part);
            }
        }
        s
    }

    /// `label, summary`, without the unit (for a heading above an axis
    /// that carries it).
    pub fn without_unit(&self) -> String {
        match &self.summary {
            Some(s) => format!("{}, {s}", self.label),
            None => self.label.clone(),
        }
    }
}

/// The label and unit of a metric by its name (`parallel_rate`,
/// `revenue_usd[China]`); `None` for a name no model has.
pub fn metric_label(name: &str) -> Option<(String, &'static str)> {
    if let Some(c) = CORE.iter().find(|c| c.name == name) {
        return Some((c.label.to_string(), c.unit_label));
    }
    let (kind, rest) = name.split_once('[')?;
    let entry = rest.strip_suffix(']')?;
    Some(match kind {
        "revenue_usd" => (format!("Revenue from {entry}"), unit_label("USD")),
        "deduction_usd" => (format!("Deduction: {entry}"), unit_label("USD")),
        "payment_usd" => (format!("Payment: {entry}"), unit_label("USD")),
        "price_impact_pct" => (format!("Price effect on {entry}"), unit_label("%")),
        _ => return None,
    })
}

/// The unit of a metric by its name (`IQD/USD`, `USD`, `%`); `None` for
/// a name no model has.
pub fn metric_unit(name: &str) -> Option<&'static str> {
    if let Some(c) = CORE.iter().find(|c| c.name == name) {
        return Some(c.unit);
    }
    match name.split_once('[')?.0 {
        "revenue_usd" | "deduction_usd" | "payment_usd" => Some("USD"),
        "price_impact_pct" => Some("%"),
        _ => None,
    }
}

/// The label of a metric reference `NAME[:AGG][@YYYY-MM]` as commands
/// take it, its summary named over the months `period` (first, last):
/// `parallel_rate` → `Parallel rate, IQD per $, mean Nov 2022–Dec 2024`.
/// A name no model has keeps its text as the label.
pub fn metric_ref_label(text: &str, period: Option<(YearMonth, YearMonth)>) -> MetricLabel {
    let text = text.trim();
    let (rest, month) = match text.rsplit_once('@') {
        Some((r, m)) => (r, m.parse::<YearMonth>().ok()),
        None => (text, None),
    };
    let (name, agg) = match rest.rsplit_once(':') {
        Some((n, a)) => (n, Agg::ALL.iter().copied().find(|x| x.name() == a)),
        None => (rest, None),
    };
    let Some((label, unit)) = metric_label(name) else {
        return MetricLabel {
            label: text.to_string(),
            unit: "",
            summary: None,
        };
    };
    let agg = agg.unwrap_or_else(|| default_summary(name));
    let span = period.map(|(a, z)| {
        if a == z {
            a.short_name()
        } else if a.year == z.year {
            format!("{}–{}", &a.short_name()[..3], z.short_name())
        } else {
            format!("{}–{}", a.short_name(), z.short_name())
        }
    });
    let summary = match (month, agg) {
        (Some(m), _) => format!("in {}", m.short_name()),
        (None, Agg::Last) => match period {
            Some((_, z)) => format!("end of {}", z.short_name()),
            None => "last month".into(),
        },
        (None, Agg::First) => match period {
            Some((a, _)) => format!("in {}", a.short_name()),
            None => "first month".into(),
        },
        (None, a) => {
            let word = match a {
                Agg::Sum => "total",
                Agg::Mean => "mean",
                Agg::Min => "lowest month",
                _ => "highest month",
            };
            match span {
                Some(s) => format!("{word} {s}"),
                None => word.to_string(),
            }
        }
    };
    MetricLabel {
        label,
        unit,
        summary: Some(summary),
    }
}

/// The default summary of a metric by its name: a core metric's own,
/// else a sum (amounts) or a mean (`price_impact_pct[...]`).
fn default_summary(name: &str) -> Agg {
    match CORE.iter().find(|c| c.name == name) {
        Some(c) => c.summary,
        None if name.starts_with("price_impact_pct[") => Agg::Mean,
        None => Agg::Sum,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_has_a_label_without_code_names() {
        for c in &CORE {
            assert!(!c.label.is_empty() && !c.label.contains('_'), "{}", c.name);
            assert!(!c.unit_label.contains("USD"), "{}", c.unit_label);
        }
        let period = Some(("2022-11".parse().unwrap(), "2024-12".parse().unwrap()));
        let l = |t: &str| metric_ref_label(t, period).full();
        assert_eq!(
            l("parallel_rate"),
            "Parallel rate, IQD per $, mean Nov 2022–Dec 2024"
        );
        assert_eq!(
            l("gross_revenue_usd"),
            "Gross oil revenue, $, total Nov 2022–Dec 2024"
        );
        assert_eq!(
            l("premium_pct:max"),
            "Parallel-market premium, %, highest month Nov 2022–Dec 2024"
        );
        assert_eq!(
            l("cpi_impact_pct@2023-07"),
            "Exchange-rate effect on consumer prices, %, in Jul 2023"
        );
        assert_eq!(
            l("custody_balance_usd"),
            "Custody balance (NY Fed), $, end of Dec 2024"
        );
        assert_eq!(
            l("price_impact_pct[Food]"),
            "Price effect on Food, %, mean Nov 2022–Dec 2024"
        );
        assert_eq!(
            l("revenue_usd[China]:mean"),
            "Revenue from China, $, mean Nov 2022–Dec 2024"
        );
        assert_eq!(l("nope"), "nope");
        assert_eq!(metric_ref_label("flights", None).full(), "Cash flights, total");
        let h1 = Some(("2023-01".parse().unwrap(), "2023-06".parse().unwrap()));
        assert_eq!(
            metric_ref_label("parallel_rate", h1).full(),
            "Parallel rate, IQD per $, mean Jan–Jun 2023"
        );
    }
}
