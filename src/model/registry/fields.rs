//! The registry's table itself: one row per parameter (or per field of a
//! list's entries) with its path, kind, unit, label, part and believable
//! range, in the order of the file format. Kept apart from the types it is
//! made of because it is data: adding a parameter adds a row here.

use super::labels::unit_label;
use super::plausible_range::{within, within_places, zero_or, Plausible};
use super::{Field, Kind, List};
use crate::model::Part;

const fn field(
    path: &'static str,
    label: &'static str,
    list: Option<List>,
    kind: Kind,
    unit: &'static str,
    part: Part,
    plausible: Plausible,
) -> Field {
    Field {
        path,
        list,
        kind,
        unit,
        label,
        unit_label: unit_label(unit),
        part,
        v2: false,
        plausible,
    }
}

const fn v2(
    path: &'static str,
    label: &'static str,
    kind: Kind,
    unit: &'static str,
    plausible: Plausible,
) -> Field {
    Field {
        v2: true,
        ..field(path, label, None, kind, unit, Part::Market, plausible)
    }
}

use Kind::{
    Elasticity as El, ExchangeRate as Fx, Money as Usd, PositiveElasticity as PosEl, PositiveMoney as PosUsd,
    PriceOffset as Off, PricePerBarrel as Bbl, Share as Sh, Volume as Vol,
};
use List::{Banks, Basket, Buyers, Deductions, Payments};
use Part::{Airlift as Air, Flows, Market as Mkt};

// The plausible ranges, each with its basis: shared ones first.
const ANY_SHARE: Plausible = within(0, 1, "a share: any fraction of the whole can happen");
const FX: Plausible = within(
    500,
    5_000,
    "the CBI has sold dollars at 1,170–1,470 IQD since 2004 (1,310 from Feb 2023); the street rate \
     peaked near 1,750 in 2023; a value near 1 is a rate written in thousands",
);
const PER_DAY: Plausible = zero_or(
    1_000,
    2_000_000_000,
    "the CBI auction sold ~$200–300 million a session at its height (2022); $2 billion a day is far beyond",
);
const ELASTICITY: Plausible = within_places(
    1,
    100,
    1,
    "estimated elasticities of currency demand and supply mostly lie within ~0.1–5; near 0 the parallel premium explodes",
);
/// A supply that does not respond at all (0) is a finding, a tiny one a slip.
const SUPPLY_ELASTICITY: Plausible = Plausible {
    zero: true,
    ..ELASTICITY
};
const PER_FLIGHT: Plausible = within(
    0,
    10_000_000,
    "a chartered cargo flight, or its escort, costs hundreds of thousands of dollars",
);
const VOLUME: Plausible = zero_or(
    1_000,
    10_000_000,
    "Iraq's record exports are ~3.5M bpd; the world's largest exporter ships ~7–8M bpd",
);
const PRICE: Plausible = within(
    5,
    250,
    "Brent has traded from under $10 (Dec 1998) to ~$147 (July 2008) a barrel",
);
const OFFSET: Plausible = within(
    -50,
    50,
    "discounts and premiums to a benchmark are a few dollars a barrel; Urals' discount reached ~$35 in 2022–23",
);
const DEDUCTION: Plausible = within_places(
    0,
    5,
    1,
    "the UN Compensation Commission took 30% of Iraq's oil revenue (1996–2000); all Oil-for-Food \
     deductions together 33%",
);
const OPENING: Plausible = zero_or(
    1_000,
    500_000_000_000,
    "the CBI's reserves were ~$100–115 billion at their 2023–24 peak",
);
const PAYMENT: Plausible = zero_or(
    1_000,
    20_000_000_000,
    "Iraq's whole federal budget is ~$150 billion a year (2023), ~$12.5 billion a month",
);
const CASH: Plausible = zero_or(
    1_000,
    10_000_000_000,
    "banknotes flown to Iraq run near $10 billion a year (~$0.8 billion a month)",
);
const PLANE: Plausible = within(
    100_000,
    5_000_000_000,
    "shipments to Baghdad carry ~$0.5 billion a flight, the largest in the New York Fed's history $2.4 billion \
     (June 2004); a flight costs hundreds of thousands of dollars, so one carrying under $100,000 would cost \
     more to fly than it carries",
);
const INSURANCE: Plausible = within_places(
    0,
    5,
    2,
    "insuring cash in transit costs a fraction of a percent of its value",
);
const VAULT: Plausible = zero_or(
    1_000,
    100_000_000_000,
    "banknotes in the CBI's vault are part of its reserves, ~$100–115 billion at their 2023–24 peak",
);
const PERSISTENCE: Plausible = within_places(
    0,
    99,
    2,
    "a weight of last month's rate: anything from 0 to 0.99 can be argued for",
);
const INFLATION: Plausible = within(
    -20,
    500,
    "Iraq's inflation was 0–8% a year in 2010–23, ~50–65% in 2006 and a few hundred percent in the mid-1990s",
);

/// The parameter registry, in the order of the file format. Adding a
/// parameter adds a row here, a [`ParamId`](super::ParamId) variant with
/// that row (one line of `param_ids!` in `mod.rs`), its home in
/// [`Params`](crate::model::Params), and the step that uses it.
///
/// One row a line, kept out of rustfmt so that the table reads as one:
/// `field(path, label, list, kind, unit, part, plausible range)`, or
/// `v2(path, label, kind, unit, plausible range)` for a v2 key of the market.
#[rustfmt::skip]
pub const FIELDS: [Field; 36] = [
    field("exports.volume_bpd", "Oil exports", None, Vol, "bbl/day", Flows, VOLUME),
    field("exports.price_usd_per_bbl", "Oil price", None, Bbl, "USD/bbl", Flows, PRICE),
    field("exports.buyers[*].share", "{}: share of exports", Some(Buyers), Sh, "share", Flows, ANY_SHARE),
    field("exports.buyers[*].price_offset_usd_per_bbl", "{}: price premium or discount", Some(Buyers), Off, "USD/bbl", Flows, OFFSET),
    field("deductions[*].rate", "Deduction for {}: share of revenue", Some(Deductions), Sh, "share", Flows, DEDUCTION),
    field("custody.opening_balance_usd", "Opening custody balance", None, Usd, "USD", Flows, OPENING),
    field("custody.payments[*].usd_per_month", "Payment: {}", Some(Payments), Usd, "USD/month", Flows, PAYMENT),
    field("airlift.cash_usd_per_month", "Banknotes ordered", None, Usd, "USD/month", Air, CASH),
    field("airlift.plane_capacity_usd", "Cash one flight carries", None, PosUsd, "USD", Air, PLANE),
    field("airlift.transport_usd_per_flight", "Transport cost of a flight", None, Usd, "USD/flight", Air, PER_FLIGHT),
    field("airlift.security_usd_per_flight", "Security cost of a flight", None, Usd, "USD/flight", Air, PER_FLIGHT),
    field("airlift.insurance_rate", "Insurance on cash flown", None, Sh, "share", Air, INSURANCE),
    field("airlift.vault_opening_usd", "Opening vault balance", None, Usd, "USD", Air, VAULT),
    field("auction.official_rate_iqd_per_usd", "Official rate", None, Fx, "IQD/USD", Mkt, FX),
    field("auction.requests_usd_per_day", "Dollar requests at the auction", None, Usd, "USD/day", Mkt, PER_DAY),
    field("auction.cash_share", "Share of requests in cash", None, Sh, "share", Mkt, ANY_SHARE),
    field("auction.rejection_rate", "Share of wires rejected", None, Sh, "share", Mkt, ANY_SHARE),
    field("auction.banks[*].share", "{}: share of wire requests", Some(Banks), Sh, "share", Mkt, ANY_SHARE),
    field("auction.banks[*].rejection_rate", "{}: share of wires rejected", Some(Banks), Sh, "share", Mkt, ANY_SHARE),
    field("parallel_market.baseline_rate_iqd_per_usd", "Baseline parallel rate", None, Fx, "IQD/USD", Mkt, FX),
    field("parallel_market.baseline_turnover_usd_per_day", "Baseline street turnover", None, PosUsd, "USD/day", Mkt, PER_DAY),
    field("parallel_market.baseline_unmet_usd_per_day", "Baseline unmet demand", None, Usd, "USD/day", Mkt, PER_DAY),
    field("parallel_market.spillover_share", "Share of unmet demand reaching the street", None, Sh, "share", Mkt, ANY_SHARE),
    field("parallel_market.demand_elasticity", "Demand elasticity", None, PosEl, "elasticity", Mkt, ELASTICITY),
    field("parallel_market.supply_elasticity", "Supply elasticity", None, El, "elasticity", Mkt, SUPPLY_ELASTICITY),
    v2("parallel_market.street_demand_usd_per_day", "Street demand bypassing the auction", Usd, "USD/day", PER_DAY),
    v2("parallel_market.cash_resale_share", "Share of auction cash resold on the street", Sh, "share", ANY_SHARE),
    v2("parallel_market.anchor_weight", "Weight of the official rate in the anchor", Kind::Weight, "share", ANY_SHARE),
    v2("parallel_market.anchor_official_rate_iqd_per_usd", "Official rate at the baseline", Fx, "IQD/USD", FX),
    v2("parallel_market.persistence", "Persistence of the parallel rate", Kind::Persistence, "share", PERSISTENCE),
    v2("parallel_market.opening_parallel_rate_iqd_per_usd", "Opening parallel rate", Fx, "IQD/USD", FX),
    field("prices.reference_rate_iqd_per_usd", "Rate prices were set at", None, Fx, "IQD/USD", Mkt, FX),
    v2("prices.underlying_inflation_pct", "Underlying inflation", Kind::InflationPct, "%/year", INFLATION),
    field("prices.basket[*].weight", "{}: weight in the CPI", Some(Basket), Sh, "share", Mkt, ANY_SHARE),
    field("prices.basket[*].import_content", "{}: import content", Some(Basket), Sh, "share", Mkt, ANY_SHARE),
    field("prices.basket[*].pass_through", "{}: pass-through", Some(Basket), Sh, "share", Mkt, ANY_SHARE),
];
