//! The parameter registry: every numeric assumption's address
//! (`auction.rejection_rate`, `exports.buyers[China].share`), the kind that
//! fixes its unit and allowed range, and the part of a model it belongs to,
//! in one table ([`FIELDS`], `fields.rs`) that paths, units, ranges and
//! listings read. The believable ranges are in `plausible_range.rs`, the
//! names people read on charts in `labels.rs`.

mod fields;
mod labels;
mod plausible_range;

pub use fields::FIELDS;
pub use labels::{param_label, unit_label, ParamLabel};
pub use plausible_range::Plausible;

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
