//! Which metric of a particular model is meant (per-entry metrics by list
//! index) and a reference to it as commands take it: `NAME[:AGG][@YYYY-MM]`,
//! parsed against the model and its timeline and spelled back.

use std::fmt;

use rust_decimal::Decimal;

use super::*;
use crate::calendar::{Timeline, YearMonth};
use crate::diagnostic::nearest;
use crate::engine::{MonthValues, Run};
use crate::model::{Params, Part};
use crate::num::decimal::Overflow;

/// A metric of a particular model (per-entry metrics by list index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetricId {
    /// A metric of docs/model.md §4's table.
    Core(Core),
    /// Gross revenue from buyer `i` (`revenue_usd[NAME]`).
    Revenue(usize),
    /// Deduction `i` (`deduction_usd[NAME]`).
    Deduction(usize),
    /// Payment `i` made (`payment_usd[NAME]`).
    Payment(usize),
    /// Price impact on basket item `i` (`price_impact_pct[NAME]`).
    PriceImpact(usize),
}

impl MetricId {
    /// Every metric of a model, in output order: the table of docs/model.md §4
    /// (the metrics of the model's parts), then per buyer, per deduction,
    /// per payment, per basket item.
    pub fn all(p: &Params) -> Vec<MetricId> {
        let mut out: Vec<MetricId> = CORE
            .iter()
            .filter(|c| (LIST_V2 || !c.v2) && p.has(c.needs))
            .map(|c| MetricId::Core(c.core))
            .collect();
        out.extend((0..p.exports.buyers.len()).map(MetricId::Revenue));
        out.extend((0..p.deductions.len()).map(MetricId::Deduction));
        out.extend((0..p.custody.payments.len()).map(MetricId::Payment));
        if p.has(Part::Market) {
            out.extend((0..p.prices.basket.len()).map(MetricId::PriceImpact));
        }
        out
    }

    /// Its identifier in `p`'s model (`revenue_usd[China]`).
    pub fn name(self, p: &Params) -> String {
        match self {
            MetricId::Core(c) => c.name().to_string(),
            MetricId::Revenue(i) => format!("revenue_usd[{}]", p.exports.buyers[i].name),
            MetricId::Deduction(i) => format!("deduction_usd[{}]", p.deductions[i].name),
            MetricId::Payment(i) => format!("payment_usd[{}]", p.custody.payments[i].name),
            MetricId::PriceImpact(i) => format!("price_impact_pct[{}]", p.prices.basket[i].name),
        }
    }

    /// Its unit.
    pub fn unit(self) -> &'static str {
        match self {
            MetricId::Core(c) => c.def().unit,
            MetricId::PriceImpact(_) => "%",
            _ => "USD",
        }
    }

    /// How the months are summarised by default (docs/model.md §4).
    pub fn summary(self) -> Agg {
        match self {
            MetricId::Core(c) => c.def().summary,
            MetricId::PriceImpact(_) => Agg::Mean,
            _ => Agg::Sum,
        }
    }

    /// The docs/model.md §3 step that computes the metric.
    pub fn step(self) -> u8 {
        match self {
            MetricId::Core(c) => c.def().step,
            MetricId::Revenue(_) => 1,
            MetricId::Deduction(_) => 2,
            MetricId::Payment(_) => 3,
            MetricId::PriceImpact(_) => 9,
        }
    }

    /// The part of the model the metric needs.
    pub fn needs(self) -> Part {
        match self {
            MetricId::Core(c) => c.def().needs,
            MetricId::PriceImpact(_) => Part::Market,
            _ => Part::Flows,
        }
    }

    /// The metric's value in one month.
    pub fn value(self, v: &MonthValues) -> Decimal {
        let at = |xs: &[Decimal], i: usize| xs.get(i).copied().unwrap_or_default();
        match self {
            MetricId::Core(c) => v.core[c as usize],
            MetricId::Revenue(i) => at(&v.revenue, i),
            MetricId::Deduction(i) => at(&v.deduction, i),
            MetricId::Payment(i) => at(&v.payment, i),
            MetricId::PriceImpact(i) => at(&v.price_impact, i),
        }
    }

    /// The metric's monthly values over a run.
    pub fn series(self, run: &Run) -> Vec<Decimal> {
        run.months.iter().map(|m| self.value(m)).collect()
    }
}

/// A metric, optionally with another aggregate or a single month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricRef {
    /// The metric.
    pub id: MetricId,
    /// How its months are summarised (its own summary unless `:AGG`).
    pub agg: Agg,
    /// One month instead of a summary (`@YYYY-MM`).
    pub month: Option<YearMonth>,
}

impl MetricRef {
    /// `id` with its own summary.
    pub fn new(id: MetricId) -> Self {
        MetricRef {
            id,
            agg: id.summary(),
            month: None,
        }
    }

    /// Parses `NAME[:AGG][@YYYY-MM]` against a model's metrics and timeline.
    pub fn parse(text: &str, p: &Params, timeline: &Timeline) -> Result<MetricRef, String> {
        let text = text.trim();
        let (rest, month) = match text.rsplit_once('@') {
            Some((r, m)) => {
                let ym: YearMonth = m.parse()?;
                timeline.locate(ym)?;
                (r, Some(ym))
            }
            None => (text, None),
        };
        let (name, agg) = match rest.rsplit_once(':') {
            Some((n, a)) => {
                let agg = Agg::ALL.iter().find(|x| x.name() == a).copied().ok_or_else(|| {
                    let names: Vec<&str> = Agg::ALL.iter().map(|x| x.name()).collect();
                    format!("unknown aggregate `{a}` (allowed: {})", names.join(", "))
                })?;
                (n, Some(agg))
            }
            None => (rest, None),
        };
        let all = MetricId::all(p);
        let Some(id) = all.iter().copied().find(|m| m.name(p) == name) else {
            if let Some(c) = CORE.iter().find(|c| c.name == name && (LIST_V2 || !c.v2)) {
                let what = match c.needs {
                    Part::Airlift => "no airlift ([airlift])",
                    _ => "no auction ([auction], [parallel_market] and [prices])",
                };
                return Err(format!(
                    "`{name}` is not computed for this model: it has {what}, so it traces the flows only"
                ));
            }
            let names: Vec<String> = all.iter().map(|m| m.name(p)).collect();
            let near = nearest(name, names.iter().map(String::as_str), 3);
            let mut msg = format!("unknown metric `{name}`");
            if near.is_empty() {
                msg.push_str(&format!(" (metrics: {})", names.join(", ")));
            } else {
                msg.push_str(&format!("; did you mean {}?", near.join(", ")));
            }
            return Err(msg);
        };
        Ok(MetricRef {
            id,
            agg: agg.unwrap_or(id.summary()),
            month,
        })
    }

    /// The referenced number in a run.
    pub fn evaluate(&self, run: &Run) -> Result<Decimal, Overflow> {
        match self.month {
            Some(m) => Ok(run
                .months
                .iter()
                .find(|v| v.month == Some(m))
                .map(|v| self.id.value(v))
                .unwrap_or_default()),
            None => self.agg.apply(&self.id.series(run)),
        }
    }

    /// The reference as the user would write it, for `p`'s model.
    pub fn display(&self, p: &Params) -> MetricRefDisplay {
        MetricRefDisplay {
            name: self.id.name(p),
            agg: (self.agg != self.id.summary()).then_some(self.agg),
            month: self.month,
        }
    }
}

/// A metric reference spelled as the user would write it.
pub struct MetricRefDisplay {
    name: String,
    agg: Option<Agg>,
    month: Option<YearMonth>,
}

impl fmt::Display for MetricRefDisplay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(a) = self.agg {
            write!(f, ":{}", a.name())?;
        }
        if let Some(m) = self.month {
            write!(f, "@{m}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::model;

    #[test]
    fn references_parse_with_aggregate_and_month() {
        let m = model();
        let r = MetricRef::parse("parallel_rate:max", &m.base, &m.timeline).unwrap();
        assert_eq!(
            (r.id, r.agg, r.month),
            (MetricId::Core(Core::ParallelRate), Agg::Max, None)
        );
        let r = MetricRef::parse("price_impact_pct[Food]@2023-02", &m.base, &m.timeline).unwrap();
        assert_eq!(r.id, MetricId::PriceImpact(0));
        assert_eq!(r.month, Some("2023-02".parse().unwrap()));
        let e = MetricRef::parse("paralel_rate", &m.base, &m.timeline).unwrap_err();
        assert_eq!(e, "unknown metric `paralel_rate`; did you mean parallel_rate?");
        let e = MetricRef::parse("parallel_rate@2024-01", &m.base, &m.timeline).unwrap_err();
        assert_eq!(
            e,
            "2024-01 is outside the timeline (2023-01 to 2023-02); --horizon 2024-01 runs the model on to that month"
        );
        let e = MetricRef::parse("parallel_rate@2022-12", &m.base, &m.timeline).unwrap_err();
        assert_eq!(e, "2022-12 is outside the timeline (2023-01 to 2023-02)");
        assert!(MetricRef::parse("parallel_rate:median", &m.base, &m.timeline).is_err());
    }
}
