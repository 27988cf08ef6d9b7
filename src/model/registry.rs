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
    /// Its name for people, on charts: `Demand elasticity`; `{}` stands
    /// for a list entry's name (`{}: share of exports`).
    pub label: &'static str,
    /// Its unit for people, on charts: `IQD per $`; empty for a share or
    /// an elasticity, which the label names (see [`unit_label`]).
    pub unit_label: &'static str,
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
    field(
        "exports.volume_bpd",
        "Oil exports",
        None,
        Vol,
        "bbl/day",
        Flows,
        VOLUME,
    ),
    field(
        "exports.price_usd_per_bbl",
        "Oil price",
        None,
        Bbl,
        "USD/bbl",
        Flows,
        PRICE,
    ),
    field(
        "exports.buyers[*].share",
        "{}: share of exports",
        Some(Buyers),
        Sh,
        "share",
        Flows,
        ANY_SHARE,
    ),
    field(
        "exports.buyers[*].price_offset_usd_per_bbl",
        "{}: price premium or discount",
        Some(Buyers),
        Off,
        "USD/bbl",
        Flows,
        OFFSET,
    ),
    field(
        "deductions[*].rate",
        "Deduction for {}: share of revenue",
        Some(Deductions),
        Sh,
        "share",
        Flows,
        DEDUCTION,
    ),
    field(
        "custody.opening_balance_usd",
        "Opening custody balance",
        None,
        Usd,
        "USD",
        Flows,
        OPENING,
    ),
    field(
        "custody.payments[*].usd_per_month",
        "Payment: {}",
        Some(Payments),
        Usd,
        "USD/month",
        Flows,
        PAYMENT,
    ),
    field(
        "airlift.cash_usd_per_month",
        "Banknotes ordered",
        None,
        Usd,
        "USD/month",
        Air,
        CASH,
    ),
    field(
        "airlift.plane_capacity_usd",
        "Cash one flight carries",
        None,
        PosUsd,
        "USD",
        Air,
        PLANE,
    ),
    field(
        "airlift.transport_usd_per_flight",
        "Transport cost of a flight",
        None,
        Usd,
        "USD/flight",
        Air,
        PER_FLIGHT,
    ),
    field(
        "airlift.security_usd_per_flight",
        "Security cost of a flight",
        None,
        Usd,
        "USD/flight",
        Air,
        PER_FLIGHT,
    ),
    field(
        "airlift.insurance_rate",
        "Insurance on cash flown",
        None,
        Sh,
        "share",
        Air,
        INSURANCE,
    ),
    field(
        "airlift.vault_opening_usd",
        "Opening vault balance",
        None,
        Usd,
        "USD",
        Air,
        VAULT,
    ),
    field(
        "auction.official_rate_iqd_per_usd",
        "Official rate",
        None,
        Fx,
        "IQD/USD",
        Mkt,
        FX,
    ),
    field(
        "auction.requests_usd_per_day",
        "Dollar requests at the auction",
        None,
        Usd,
        "USD/day",
        Mkt,
        PER_DAY,
    ),
    field(
        "auction.cash_share",
        "Share of requests in cash",
        None,
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "auction.rejection_rate",
        "Share of wires rejected",
        None,
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "auction.banks[*].share",
        "{}: share of wire requests",
        Some(Banks),
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "auction.banks[*].rejection_rate",
        "{}: share of wires rejected",
        Some(Banks),
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "parallel_market.baseline_rate_iqd_per_usd",
        "Baseline parallel rate",
        None,
        Fx,
        "IQD/USD",
        Mkt,
        FX,
    ),
    field(
        "parallel_market.baseline_turnover_usd_per_day",
        "Baseline street turnover",
        None,
        PosUsd,
        "USD/day",
        Mkt,
        PER_DAY,
    ),
    field(
        "parallel_market.baseline_unmet_usd_per_day",
        "Baseline unmet demand",
        None,
        Usd,
        "USD/day",
        Mkt,
        PER_DAY,
    ),
    field(
        "parallel_market.spillover_share",
        "Share of unmet demand reaching the street",
        None,
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "parallel_market.demand_elasticity",
        "Demand elasticity",
        None,
        PosEl,
        "elasticity",
        Mkt,
        ELASTICITY,
    ),
    field(
        "parallel_market.supply_elasticity",
        "Supply elasticity",
        None,
        El,
        "elasticity",
        Mkt,
        ELASTICITY,
    ),
    v2(
        "parallel_market.street_demand_usd_per_day",
        "Street demand bypassing the auction",
        Usd,
        "USD/day",
        PER_DAY,
    ),
    v2(
        "parallel_market.cash_resale_share",
        "Share of auction cash resold on the street",
        Sh,
        "share",
        ANY_SHARE,
    ),
    v2(
        "parallel_market.anchor_weight",
        "Weight of the official rate in the anchor",
        Sh,
        "share",
        ANY_SHARE,
    ),
    v2(
        "parallel_market.anchor_official_rate_iqd_per_usd",
        "Official rate at the baseline",
        Fx,
        "IQD/USD",
        FX,
    ),
    v2(
        "parallel_market.persistence",
        "Persistence of the parallel rate",
        Kind::Persistence,
        "share",
        PERSISTENCE,
    ),
    v2(
        "parallel_market.opening_parallel_rate_iqd_per_usd",
        "Opening parallel rate",
        Fx,
        "IQD/USD",
        FX,
    ),
    field(
        "prices.reference_rate_iqd_per_usd",
        "Rate prices were set at",
        None,
        Fx,
        "IQD/USD",
        Mkt,
        FX,
    ),
    v2(
        "prices.underlying_inflation_pct",
        "Underlying inflation",
        Kind::InflationPct,
        "%/year",
        INFLATION,
    ),
    field(
        "prices.basket[*].weight",
        "{}: weight in the CPI",
        Some(Basket),
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "prices.basket[*].import_content",
        "{}: import content",
        Some(Basket),
        Sh,
        "share",
        Mkt,
        ANY_SHARE,
    ),
    field(
        "prices.basket[*].pass_through",
        "{}: pass-through",
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
        assert_eq!(
            l("parallel_market.demand_elasticity").unwrap(),
            "Demand elasticity"
        );
        assert_eq!(
            l("auction.official_rate_iqd_per_usd").unwrap(),
            "Official rate, IQD per $"
        );
        assert_eq!(
            l("auction.banks[Other banks].rejection_rate@2023-07").unwrap(),
            "Other banks: share of wires rejected (Jul 2023)"
        );
        assert_eq!(
            l("auction.rejection_rate@2023-07..").unwrap(),
            "Share of wires rejected (from Jul 2023)"
        );
        assert_eq!(l("exports.price_usd_per_bbl*").unwrap(), "Oil price (× factor)");
        assert_eq!(l("exports.price_usd_per_bbl").unwrap(), "Oil price, $ per barrel");
        assert_eq!(l("auction calendar (weekend, holidays)"), None);
        assert_eq!(l("exports.buyers[].share"), None);
    }
}
