//! docs/model.md §4's table of model-wide metrics, in output order: each
//! one's name, unit, label for people, default summary and how its monthly
//! value is read. Adding a metric adds a variant and a row here.

use super::*;
use crate::model::{unit_label, Params, Part};

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
