//! The metrics of docs/model.md §4: their names (the identifiers used in every
//! command and output), units, monthly values and summaries, and metric
//! references such as `parallel_rate:max` or `cpi_impact_pct@2023-03`.

use std::fmt;

use rust_decimal::Decimal;

use crate::calendar::{Timeline, YearMonth};
use crate::diagnostic::nearest;
use crate::engine::{MonthValues, Run};
use crate::model::{unit_label, Params, Part};
use crate::num::decimal::{round4, Checked, Overflow};
use crate::num::fixed::{div_round, Num};

/// The model-wide metrics (docs/model.md §4), in output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Core {
    /// `gross_revenue_usd`.
    GrossRevenue,
    /// `deductions_usd`.
    Deductions,
    /// `net_revenue_usd`.
    NetRevenue,
    /// `payments_usd`.
    Payments,
    /// `arrears_usd`.
    Arrears,
    /// `cash_shipped_usd`.
    CashShipped,
    /// `flights`.
    Flights,
    /// `airlift_cost_usd`.
    AirliftCost,
    /// `sessions`.
    Sessions,
    /// `requests_usd`.
    Requests,
    /// `cash_sold_usd`.
    CashSold,
    /// `wires_sent_usd`.
    WiresSent,
    /// `sales_usd`.
    Sales,
    /// `wires_rejected_usd`.
    WiresRejected,
    /// `unmet_usd`.
    Unmet,
    /// `street_demand_usd`.
    StreetDemand,
    /// `dinars_absorbed_iqd`.
    DinarsAbsorbed,
    /// `custody_balance_usd`.
    CustodyBalance,
    /// `vault_balance_usd`.
    VaultBalance,
    /// `official_rate`.
    OfficialRate,
    /// `parallel_rate`.
    ParallelRate,
    /// `premium_pct`.
    PremiumPct,
    /// `effective_rate`.
    EffectiveRate,
    /// `cpi_impact_pct`.
    CpiImpactPct,
    /// `cpi_yoy_pct`.
    CpiYoyPct,
}

/// Everything there is to know about one core metric: the one table that
/// names, units, summaries and steps are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoreDef {
    /// The metric.
    pub core: Core,
    /// Its identifier in every command and output.
    pub name: &'static str,
    /// Its unit, shown in tables and chart axes.
    pub unit: &'static str,
    /// Its name for people, on charts: `Parallel rate`.
    pub label: &'static str,
    /// Its unit for people, on charts: `IQD per $` (see [`unit_label`]).
    pub unit_label: &'static str,
    /// How the months are summarised by default.
    pub summary: Agg,
    /// The docs/model.md §3 step that computes it.
    pub step: u8,
    /// The part of a model it needs (absent, not zero, without it).
    pub needs: Part,
    /// Added by docs/model.md v2.
    pub v2: bool,
}

/// Number of core metrics.
pub const N_CORE: usize = 25;

/// The core metrics, in output order (docs/model.md §4): the one table.
pub const CORE: [CoreDef; N_CORE] = {
    use Agg::{Last, Mean, Sum};
    use Core::*;
    use Part::{Airlift, Flows, Market};
    const fn d(
        core: Core,
        name: &'static str,
        unit: &'static str,
        summary: Agg,
        step: u8,
        needs: Part,
        label: &'static str,
    ) -> CoreDef {
        CoreDef {
            core,
            name,
            unit,
            label,
            unit_label: unit_label(unit),
            summary,
            step,
            needs,
            v2: false,
        }
    }
    const fn v2(x: CoreDef) -> CoreDef {
        CoreDef { v2: true, ..x }
    }
    [
        d(
            GrossRevenue,
            "gross_revenue_usd",
            "USD",
            Sum,
            1,
            Flows,
            "Gross oil revenue",
        ),
        d(
            Deductions,
            "deductions_usd",
            "USD",
            Sum,
            2,
            Flows,
            "Deductions from revenue",
        ),
        d(
            NetRevenue,
            "net_revenue_usd",
            "USD",
            Sum,
            2,
            Flows,
            "Net oil revenue",
        ),
        d(
            Payments,
            "payments_usd",
            "USD",
            Sum,
            3,
            Flows,
            "Government payments made",
        ),
        d(
            Arrears,
            "arrears_usd",
            "USD",
            Sum,
            4,
            Flows,
            "Payments not covered (arrears)",
        ),
        d(
            CashShipped,
            "cash_shipped_usd",
            "USD",
            Sum,
            4,
            Airlift,
            "Banknotes flown to Baghdad",
        ),
        d(Flights, "flights", "flights", Sum, 4, Airlift, "Cash flights"),
        d(
            AirliftCost,
            "airlift_cost_usd",
            "USD",
            Sum,
            4,
            Airlift,
            "Airlift cost",
        ),
        v2(d(
            Sessions,
            "sessions",
            "sessions",
            Sum,
            5,
            Market,
            "Auction sessions",
        )),
        d(
            Requests,
            "requests_usd",
            "USD",
            Sum,
            5,
            Market,
            "Dollars requested at the auction",
        ),
        d(
            CashSold,
            "cash_sold_usd",
            "USD",
            Sum,
            6,
            Market,
            "Banknotes sold at the auction",
        ),
        d(WiresSent, "wires_sent_usd", "USD", Sum, 6, Market, "Wires sent"),
        v2(d(
            Sales,
            "sales_usd",
            "USD",
            Sum,
            6,
            Market,
            "Auction dollar sales",
        )),
        d(
            WiresRejected,
            "wires_rejected_usd",
            "USD",
            Sum,
            5,
            Market,
            "Wires rejected",
        ),
        d(Unmet, "unmet_usd", "USD", Sum, 6, Market, "Unmet dollar demand"),
        v2(d(
            StreetDemand,
            "street_demand_usd",
            "USD",
            Sum,
            7,
            Market,
            "Street demand bypassing the auction",
        )),
        d(
            DinarsAbsorbed,
            "dinars_absorbed_iqd",
            "IQD",
            Sum,
            6,
            Market,
            "Dinars absorbed by the sales",
        ),
        d(
            CustodyBalance,
            "custody_balance_usd",
            "USD",
            Last,
            6,
            Flows,
            "Custody balance (NY Fed)",
        ),
        d(
            VaultBalance,
            "vault_balance_usd",
            "USD",
            Last,
            6,
            Airlift,
            "Vault balance (Baghdad)",
        ),
        d(
            OfficialRate,
            "official_rate",
            "IQD/USD",
            Mean,
            6,
            Market,
            "Official rate",
        ),
        d(
            ParallelRate,
            "parallel_rate",
            "IQD/USD",
            Mean,
            7,
            Market,
            "Parallel rate",
        ),
        d(
            PremiumPct,
            "premium_pct",
            "%",
            Mean,
            7,
            Market,
            "Parallel-market premium",
        ),
        d(
            EffectiveRate,
            "effective_rate",
            "IQD/USD",
            Mean,
            8,
            Market,
            "Effective import rate",
        ),
        d(
            CpiImpactPct,
            "cpi_impact_pct",
            "%",
            Mean,
            9,
            Market,
            "Exchange-rate effect on consumer prices",
        ),
        v2(d(
            CpiYoyPct,
            "cpi_yoy_pct",
            "%",
            Mean,
            9,
            Market,
            "Consumer-price inflation, year on year",
        )),
    ]
};

/// Whether outputs list docs/model.md v2's metrics (`sessions`, `sales_usd`,
/// `street_demand_usd`, `cpi_yoy_pct`) as well as v1's 21.
pub const LIST_V2: bool = true;

/// The metrics a command reports when none is named: the parallel rate,
/// its premium and the CPI impact; for a model without the market (a
/// flow-only model), what reached custody, what was paid and what is left.
pub fn default_metrics(p: &Params) -> [&'static str; 3] {
    if p.has(Part::Market) {
        ["parallel_rate", "premium_pct", "cpi_impact_pct"]
    } else {
        ["net_revenue_usd", "payments_usd", "custody_balance_usd"]
    }
}

impl Core {
    /// This metric's row of [`CORE`].
    pub fn def(self) -> &'static CoreDef {
        &CORE[self as usize]
    }

    /// Its identifier in commands and outputs.
    pub fn name(self) -> &'static str {
        self.def().name
    }
}

/// How months are summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Agg {
    /// Total over the months (flows).
    Sum,
    /// Mean, rounded once to four places (rates and percentages).
    Mean,
    /// Lowest month.
    Min,
    /// Highest month.
    Max,
    /// First month.
    First,
    /// Last month (closing balances).
    Last,
}

impl Agg {
    /// Every aggregate, in the order help texts list them.
    pub const ALL: [Agg; 6] = [Agg::Sum, Agg::Mean, Agg::Min, Agg::Max, Agg::First, Agg::Last];

    /// Its name after `:` in a metric reference (`parallel_rate:max`).
    pub fn name(self) -> &'static str {
        match self {
            Agg::Sum => "sum",
            Agg::Mean => "mean",
            Agg::Min => "min",
            Agg::Max => "max",
            Agg::First => "first",
            Agg::Last => "last",
        }
    }

    /// Applies the aggregate; means are rounded with `round4`.
    pub fn apply(self, xs: &[Decimal]) -> Result<Decimal, Overflow> {
        let sum = || xs.iter().try_fold(Decimal::ZERO, |a, x| a.add(*x, "a summary"));
        Ok(match self {
            Agg::Sum => sum()?,
            Agg::Mean => {
                if xs.is_empty() {
                    Decimal::ZERO
                } else {
                    let total = sum()?;
                    // One exact division, rounded once.
                    match div_round(Num::from_dec(total), Num::int(xs.len() as i64), 4) {
                        Some(m) => m.to_dec(),
                        None => round4(total.div(Decimal::from(xs.len()), "a mean")?),
                    }
                }
            }
            Agg::Min => xs.iter().copied().min().unwrap_or_default(),
            Agg::Max => xs.iter().copied().max().unwrap_or_default(),
            Agg::First => xs.first().copied().unwrap_or_default(),
            Agg::Last => xs.last().copied().unwrap_or_default(),
        })
    }
}

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
                if timeline.index_of(ym).is_none() {
                    return Err(format!(
                        "{ym} is outside the timeline ({} to {})",
                        timeline.start,
                        timeline.end()
                    ));
                }
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
    use crate::engine::testing::{d, model};

    #[test]
    fn aggregates() {
        let xs = [d("1.5"), d("2.25"), d("0.25")];
        assert_eq!(Agg::Sum.apply(&xs).unwrap(), d("4.00"));
        // 4 / 3 = 1.3333... → 1.3333
        assert_eq!(Agg::Mean.apply(&xs).unwrap(), d("1.3333"));
        assert_eq!(Agg::Min.apply(&xs).unwrap(), d("0.25"));
        assert_eq!(Agg::Max.apply(&xs).unwrap(), d("2.25"));
        assert_eq!(Agg::First.apply(&xs).unwrap(), d("1.5"));
        assert_eq!(Agg::Last.apply(&xs).unwrap(), d("0.25"));
    }

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
        assert_eq!(e, "2024-01 is outside the timeline (2023-01 to 2023-02)");
        assert!(MetricRef::parse("parallel_rate:median", &m.base, &m.timeline).is_err());
    }

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
