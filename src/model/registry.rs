//! The parameter registry: every numeric assumption's address
//! (`auction.rejection_rate`, `exports.buyers[China].share`), the kind that
//! fixes its unit and allowed range, and the part of a model it belongs to,
//! in one table ([`FIELDS`]) that paths, units, ranges and listings read.

use rust_decimal::Decimal;

use super::Part;
/// Address of one numeric parameter; list entries by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamId {
    /// Barrels exported per day: `exports.volume_bpd`.
    VolumeBpd,
    /// Oil price: `exports.price_usd_per_bbl`.
    Price,
    /// A buyer's share of the volume: `exports.buyers[NAME].share`.
    BuyerShare(usize),
    /// A buyer's discount or premium: `exports.buyers[NAME].price_offset_usd_per_bbl`.
    BuyerOffset(usize),
    /// A share of gross revenue deducted at source: `deductions[NAME].rate`.
    DeductionRate(usize),
    /// Custody at the start of the first month: `custody.opening_balance_usd`.
    OpeningBalance,
    /// A government payment out of custody: `custody.payments[NAME].usd_per_month`.
    PaymentUsd(usize),
    /// Banknotes requested per month: `airlift.cash_usd_per_month`.
    CashPerMonth,
    /// Banknotes one flight carries: `airlift.plane_capacity_usd`.
    PlaneCapacity,
    /// Transport cost per flight: `airlift.transport_usd_per_flight`.
    TransportPerFlight,
    /// Security cost per flight: `airlift.security_usd_per_flight`.
    SecurityPerFlight,
    /// Insurance as a share of the cash shipped: `airlift.insurance_rate`.
    InsuranceRate,
    /// The CBI vault's opening banknotes: `airlift.vault_opening_usd`.
    VaultOpening,
    /// The CBI selling rate: `auction.official_rate_iqd_per_usd`.
    OfficialRate,
    /// Dollars requested per auction session: `auction.requests_usd_per_day`.
    RequestsPerDay,
    /// The share of requests for banknotes: `auction.cash_share`.
    CashShare,
    /// The share of wire requests rejected: `auction.rejection_rate`.
    RejectionRate,
    /// A bank group's share of wire requests: `auction.banks[NAME].share`.
    BankShare(usize),
    /// A bank group's own rejection rate: `auction.banks[NAME].rejection_rate`.
    BankRejectionRate(usize),
    /// The parallel rate at baseline: `parallel_market.baseline_rate_iqd_per_usd`.
    BaselineRate,
    /// Street turnover at baseline: `parallel_market.baseline_turnover_usd_per_day`.
    BaselineTurnover,
    /// Unmet demand at baseline: `parallel_market.baseline_unmet_usd_per_day`.
    BaselineUnmet,
    /// The share of unmet demand that reaches the street: `parallel_market.spillover_share`.
    SpilloverShare,
    /// `parallel_market.demand_elasticity`.
    DemandElasticity,
    /// `parallel_market.supply_elasticity`.
    SupplyElasticity,
    /// The rate prices were set at: `prices.reference_rate_iqd_per_usd`.
    ReferenceRate,
    /// A basket item's CPI weight: `prices.basket[NAME].weight`.
    ItemWeight(usize),
    /// A basket item's import content: `prices.basket[NAME].import_content`.
    ItemImportContent(usize),
    /// A basket item's exchange-rate pass-through: `prices.basket[NAME].pass_through`.
    ItemPassThrough(usize),
    /// v2: street demand per session that bypasses the auction:
    /// `parallel_market.street_demand_usd_per_day`.
    StreetDemand,
    /// v2: the share of the auction's banknotes resold on the street:
    /// `parallel_market.cash_resale_share`.
    CashResale,
    /// v2: how far the anchor follows the official rate: `parallel_market.anchor_weight`.
    AnchorWeight,
    /// v2: the official rate the baseline rate was observed at:
    /// `parallel_market.anchor_official_rate_iqd_per_usd`.
    AnchorOfficial,
    /// v2: the weight of last month's parallel rate: `parallel_market.persistence`.
    Persistence,
    /// v2: the parallel rate of the month before the timeline:
    /// `parallel_market.opening_parallel_rate_iqd_per_usd`.
    OpeningParallel,
    /// v2: annual inflation from other causes: `prices.underlying_inflation_pct`.
    UnderlyingInflation,
}

/// What sort of quantity a parameter is; fixes unit, range and rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// USD amount, >= 0, at most two decimals.
    Money,
    /// USD amount, > 0, at most two decimals.
    PositiveMoney,
    /// A share, rate or fraction in 0..=1.
    Share,
    /// Barrels per day, >= 0.
    Volume,
    /// USD per barrel, >= 0.
    PricePerBarrel,
    /// USD per barrel, any sign (a buyer's discount or premium).
    PriceOffset,
    /// IQD per USD, > 0.
    ExchangeRate,
    /// An elasticity, > 0.
    PositiveElasticity,
    /// An elasticity, >= 0.
    Elasticity,
    /// A weight of last month's value, 0 to 0.99 (v2 `persistence`).
    Persistence,
    /// An annual inflation rate in percent, -50 to 1000 (v2).
    InflationPct,
}

/// Unit and kind of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    /// What sort of quantity it is (range and rounding).
    pub kind: Kind,
    /// The unit shown beside its values.
    pub unit: &'static str,
}

impl Kind {
    /// Whether values are money: at most two decimals, drawn to the cent.
    pub fn is_money(self) -> bool {
        matches!(self, Kind::Money | Kind::PositiveMoney)
    }

    /// Lowest allowed value and whether it is allowed itself.
    pub fn min(self) -> Option<(Decimal, bool)> {
        match self {
            Kind::PriceOffset => None,
            Kind::InflationPct => Some((Decimal::from(-50), true)),
            Kind::PositiveMoney | Kind::ExchangeRate | Kind::PositiveElasticity => {
                Some((Decimal::ZERO, false))
            }
            _ => Some((Decimal::ZERO, true)),
        }
    }

    /// Highest allowed value (inclusive).
    pub fn max(self) -> Option<Decimal> {
        match self {
            Kind::Share => Some(Decimal::ONE),
            Kind::Persistence => Some(Decimal::new(99, 2)),
            Kind::InflationPct => Some(Decimal::from(1000)),
            _ => None,
        }
    }

    /// Whether `v` lies in the allowed range.
    pub fn allows(self, v: Decimal) -> bool {
        let lo_ok = match self.min() {
            None => true,
            Some((m, true)) => v >= m,
            Some((m, false)) => v > m,
        };
        lo_ok && self.max().is_none_or(|m| v <= m)
    }

    /// The allowed range in words, for error messages.
    pub fn allowed(self) -> &'static str {
        match self {
            Kind::Money => "an amount >= 0 with at most two decimals",
            Kind::PositiveMoney => "an amount > 0 with at most two decimals",
            Kind::Share => "0 to 1",
            Kind::Volume | Kind::PricePerBarrel | Kind::Elasticity => ">= 0",
            Kind::PriceOffset => "any number, as long as price + offset >= 0",
            Kind::ExchangeRate | Kind::PositiveElasticity => "> 0",
            Kind::Persistence => "0 to 0.99",
            Kind::InflationPct => "-50 to 1000 (percent a year)",
        }
    }
}

/// The values of a parameter that are believable, not merely allowed: a
/// value outside is accepted but `check` warns about it (and `--strict`
/// refuses it), since it is more often a slip (barrels a day written in
/// barrels a month, a rate in thousands) than a finding. Bounds are
/// `min`/`max` × 10^-`scale`, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plausible {
    /// The least plausible value, in units of 10^-`scale`.
    pub min: i64,
    /// The greatest plausible value, in units of 10^-`scale`.
    pub max: i64,
    /// Decimal places of `min` and `max`.
    pub scale: u32,
    /// Why the range is plausible, in one short sentence.
    pub basis: &'static str,
}

impl Plausible {
    /// The least plausible value.
    pub fn lo(&self) -> Decimal {
        Decimal::new(self.min, self.scale).normalize()
    }

    /// The greatest plausible value.
    pub fn hi(&self) -> Decimal {
        Decimal::new(self.max, self.scale).normalize()
    }

    /// Whether `v` lies in the range (both ends included).
    pub fn contains(&self, v: Decimal) -> bool {
        self.lo() <= v && v <= self.hi()
    }
}

const fn within(min: i64, max: i64, basis: &'static str) -> Plausible {
    Plausible {
        min,
        max,
        scale: 0,
        basis,
    }
}

const fn within_places(min: i64, max: i64, scale: u32, basis: &'static str) -> Plausible {
    Plausible {
        min,
        max,
        scale,
        basis,
    }
}

/// A list of named entries in a model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// `[[exports.buyers]]`.
    Buyers,
    /// `[[deductions]]`.
    Deductions,
    /// `[[custody.payments]]`.
    Payments,
    /// `[[auction.banks]]`.
    Banks,
    /// `[[prices.basket]]`.
    Basket,
}

/// One row of the parameter registry: the facts shared by a parameter, or
/// by one field of every entry of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The path, with `[*]` where a list entry's name goes.
    pub path: &'static str,
    /// The list whose entries carry the field, if any.
    pub list: Option<List>,
    /// Range and rounding.
    pub kind: Kind,
    /// The unit shown beside its values.
    pub unit: &'static str,
    /// The part of a model it belongs to (docs/model.md v2: optional parts).
    pub part: Part,
    /// A v2 key: optional in a model file, listed only where the file (or
    /// `--set`) gives it, its absence meaning v1's numbers.
    pub v2: bool,
    /// The values that are believable, within the allowed ones.
    pub plausible: Plausible,
}

const fn field(
    path: &'static str,
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
        part,
        v2: false,
        plausible,
    }
}

const fn v2(path: &'static str, kind: Kind, unit: &'static str, plausible: Plausible) -> Field {
    Field {
        v2: true,
        ..field(path, None, kind, unit, Part::Market, plausible)
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
const PER_DAY: Plausible = within(
    0,
    2_000_000_000,
    "the CBI auction sold ~$200–300 million a session at its height (2022); $2 billion a day is far beyond",
);
const ELASTICITY: Plausible = within(
    0,
    10,
    "estimated elasticities of currency demand and supply mostly lie within ~0.1–5",
);
const PER_FLIGHT: Plausible = within(
    0,
    10_000_000,
    "a chartered cargo flight, or its escort, costs hundreds of thousands of dollars",
);
const VOLUME: Plausible = within(
    0,
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
const OPENING: Plausible = within(
    0,
    500_000_000_000,
    "the CBI's reserves were ~$100–115 billion at their 2023–24 peak",
);
const PAYMENT: Plausible = within(
    0,
    20_000_000_000,
    "Iraq's whole federal budget is ~$150 billion a year (2023), ~$12.5 billion a month",
);
const CASH: Plausible = within(
    0,
    10_000_000_000,
    "banknotes flown to Iraq run near $10 billion a year (~$0.8 billion a month)",
);
const PLANE: Plausible = within(
    0,
    5_000_000_000,
    "the largest cash shipment in the New York Fed's history, $2.4 billion, went to Baghdad in June 2004",
);
const INSURANCE: Plausible = within_places(
    0,
    5,
    2,
    "insuring cash in transit costs a fraction of a percent of its value",
);
const VAULT: Plausible = within(
    0,
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
/// parameter adds a row here, a [`ParamId`] variant (with its row in
/// [`ParamId::row`] and [`ParamId::at`]), its home in [`Params`], and the
/// step that uses it.
pub const FIELDS: [Field; 36] = [
    field("exports.volume_bpd", None, Vol, "bbl/day", Flows, VOLUME),
    field("exports.price_usd_per_bbl", None, Bbl, "USD/bbl", Flows, PRICE),
    field(
        "exports.buyers[*].share",
        Some(Buyers),
        Sh,
        "share",
        Flows,
        ANY_SHARE,
    ),
    field(
        "exports.buyers[*].price_offset_usd_per_bbl",
        Some(Buyers),
        Off,
        "USD/bbl",
        Flows,
        OFFSET,
    ),
    field(
        "deductions[*].rate",
        Some(Deductions),
        Sh,
        "share",
        Flows,
        DEDUCTION,
    ),
    field("custody.opening_balance_usd", None, Usd, "USD", Flows, OPENING),
    field(
        "custody.payments[*].usd_per_month",
        Some(Payments),
        Usd,
        "USD/month",
        Flows,
        PAYMENT,
    ),
    field("airlift.cash_usd_per_month", None, Usd, "USD/month", Air, CASH),
    field("airlift.plane_capacity_usd", None, PosUsd, "USD", Air, PLANE),
    field(
        "airlift.transport_usd_per_flight",
        None,
        Usd,
        "USD/flight",
        Air,
        PER_FLIGHT,
    ),
    field(
        "airlift.security_usd_per_flight",
        None,
        Usd,
        "USD/flight",
        Air,
        PER_FLIGHT,
    ),
    field("airlift.insurance_rate", None, Sh, "share", Air, INSURANCE),
    field("airlift.vault_opening_usd", None, Usd, "USD", Air, VAULT),
    field("auction.official_rate_iqd_per_usd", None, Fx, "IQD/USD", Mkt, FX),
    field("auction.requests_usd_per_day", None, Usd, "USD/day", Mkt, PER_DAY),
    field("auction.cash_share", None, Sh, "share", Mkt, ANY_SHARE),
    field("auction.rejection_rate", None, Sh, "share", Mkt, ANY_SHARE),
    field("auction.banks[*].share", Some(Banks), Sh, "share", Mkt, ANY_SHARE),
    field(
        "auction.banks[*].rejection_rate",
        Some(Banks),
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "parallel_market.baseline_rate_iqd_per_usd",
        None,
        Fx,
        "IQD/USD",
        Mkt,
        FX,
    ),
    field(
        "parallel_market.baseline_turnover_usd_per_day",
        None,
        PosUsd,
        "USD/day",
        Mkt,
        PER_DAY,
    ),
    field(
        "parallel_market.baseline_unmet_usd_per_day",
        None,
        Usd,
        "USD/day",
        Mkt,
        PER_DAY,
    ),
    field(
        "parallel_market.spillover_share",
        None,
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "parallel_market.demand_elasticity",
        None,
        PosEl,
        "elasticity",
        Mkt,
        ELASTICITY,
    ),
    field(
        "parallel_market.supply_elasticity",
        None,
        El,
        "elasticity",
        Mkt,
        ELASTICITY,
    ),
    v2(
        "parallel_market.street_demand_usd_per_day",
        Usd,
        "USD/day",
        PER_DAY,
    ),
    v2("parallel_market.cash_resale_share", Sh, "share", ANY_SHARE),
    v2("parallel_market.anchor_weight", Sh, "share", ANY_SHARE),
    v2(
        "parallel_market.anchor_official_rate_iqd_per_usd",
        Fx,
        "IQD/USD",
        FX,
    ),
    v2(
        "parallel_market.persistence",
        Kind::Persistence,
        "share",
        PERSISTENCE,
    ),
    v2(
        "parallel_market.opening_parallel_rate_iqd_per_usd",
        Fx,
        "IQD/USD",
        FX,
    ),
    field("prices.reference_rate_iqd_per_usd", None, Fx, "IQD/USD", Mkt, FX),
    v2(
        "prices.underlying_inflation_pct",
        Kind::InflationPct,
        "%/year",
        INFLATION,
    ),
    field(
        "prices.basket[*].weight",
        Some(Basket),
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "prices.basket[*].import_content",
        Some(Basket),
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "prices.basket[*].pass_through",
        Some(Basket),
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
];

impl ParamId {
    /// Its row in [`FIELDS`] and, for a list field, the entry.
    pub fn row(self) -> (usize, Option<usize>) {
        use ParamId::*;
        match self {
            VolumeBpd => (0, None),
            Price => (1, None),
            BuyerShare(i) => (2, Some(i)),
            BuyerOffset(i) => (3, Some(i)),
            DeductionRate(i) => (4, Some(i)),
            OpeningBalance => (5, None),
            PaymentUsd(i) => (6, Some(i)),
            CashPerMonth => (7, None),
            PlaneCapacity => (8, None),
            TransportPerFlight => (9, None),
            SecurityPerFlight => (10, None),
            InsuranceRate => (11, None),
            VaultOpening => (12, None),
            OfficialRate => (13, None),
            RequestsPerDay => (14, None),
            CashShare => (15, None),
            RejectionRate => (16, None),
            BankShare(i) => (17, Some(i)),
            BankRejectionRate(i) => (18, Some(i)),
            BaselineRate => (19, None),
            BaselineTurnover => (20, None),
            BaselineUnmet => (21, None),
            SpilloverShare => (22, None),
            DemandElasticity => (23, None),
            SupplyElasticity => (24, None),
            ReferenceRate => (31, None),
            ItemWeight(i) => (33, Some(i)),
            ItemImportContent(i) => (34, Some(i)),
            ItemPassThrough(i) => (35, Some(i)),
            StreetDemand => (25, None),
            CashResale => (26, None),
            AnchorWeight => (27, None),
            AnchorOfficial => (28, None),
            Persistence => (29, None),
            OpeningParallel => (30, None),
            UnderlyingInflation => (32, None),
        }
    }

    /// The parameter of row `row` of [`FIELDS`] (entry `i` of a list).
    pub fn at(row: usize, i: usize) -> Option<ParamId> {
        use ParamId::*;
        Some(match row {
            0 => VolumeBpd,
            1 => Price,
            2 => BuyerShare(i),
            3 => BuyerOffset(i),
            4 => DeductionRate(i),
            5 => OpeningBalance,
            6 => PaymentUsd(i),
            7 => CashPerMonth,
            8 => PlaneCapacity,
            9 => TransportPerFlight,
            10 => SecurityPerFlight,
            11 => InsuranceRate,
            12 => VaultOpening,
            13 => OfficialRate,
            14 => RequestsPerDay,
            15 => CashShare,
            16 => RejectionRate,
            17 => BankShare(i),
            18 => BankRejectionRate(i),
            19 => BaselineRate,
            20 => BaselineTurnover,
            21 => BaselineUnmet,
            22 => SpilloverShare,
            23 => DemandElasticity,
            24 => SupplyElasticity,
            31 => ReferenceRate,
            33 => ItemWeight(i),
            34 => ItemImportContent(i),
            35 => ItemPassThrough(i),
            25 => StreetDemand,
            26 => CashResale,
            27 => AnchorWeight,
            28 => AnchorOfficial,
            29 => Persistence,
            30 => OpeningParallel,
            32 => UnderlyingInflation,
            _ => return None,
        })
    }

    /// Its row of the registry.
    pub fn field(self) -> &'static Field {
        &FIELDS[self.row().0]
    }

    /// What sort of quantity it is.
    pub fn kind(self) -> Kind {
        self.field().kind
    }

    /// Its kind and unit.
    pub fn spec(self) -> ParamSpec {
        let f = self.field();
        ParamSpec {
            kind: f.kind,
            unit: f.unit,
        }
    }
}
