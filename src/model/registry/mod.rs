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
pub use labels::{param_label, per_amount, unit_label, ParamLabel};
pub use plausible_range::Plausible;

use rust_decimal::Decimal;

use super::Part;

/// Declares [`ParamId`] with each variant's row in [`FIELDS`], and the two
/// maps between them ([`ParamId::row`] and [`ParamId::at`]), so that a
/// parameter and its row are written once. `NAME(i) = ROW` is a field of
/// a list's entries (`i`: the entry); `index i;` names that index.
macro_rules! param_ids {
    (index $i:ident; $( $(#[$doc:meta])* $name:ident $(($e:ident))? = $row:literal, )*) => {
        /// Address of one numeric parameter; list entries by index.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ParamId {
            $( $(#[$doc])* $name $((param_ids!(@entry_type $e)))?, )*
        }

        impl ParamId {
            /// Its row in [`FIELDS`] and, for a list field, the entry.
            pub fn row(self) -> (usize, Option<usize>) {
                match self {
                    $( ParamId::$name $(($e))? => ($row, param_ids!(@entry $($e)?)), )*
                }
            }

            /// The parameter of row `row` of [`FIELDS`] (entry `i` of a list).
            pub fn at(row: usize, $i: usize) -> Option<ParamId> {
                Some(match row {
                    $( $row => ParamId::$name $(($e))?, )*
                    _ => return None,
                })
            }
        }
    };
    (@entry_type $e:ident) => { usize };
    (@entry) => { None };
    (@entry $e:ident) => { Some($e) };
}

param_ids! {
    index i;
    /// Barrels exported per day: `exports.volume_bpd`.
    VolumeBpd = 0,
    /// Oil price: `exports.price_usd_per_bbl`.
    Price = 1,
    /// A buyer's share of the volume: `exports.buyers[NAME].share`.
    BuyerShare(i) = 2,
    /// A buyer's discount or premium: `exports.buyers[NAME].price_offset_usd_per_bbl`.
    BuyerOffset(i) = 3,
    /// A share of gross revenue deducted at source: `deductions[NAME].rate`.
    DeductionRate(i) = 4,
    /// Custody at the start of the first month: `custody.opening_balance_usd`.
    OpeningBalance = 5,
    /// A government payment out of custody: `custody.payments[NAME].usd_per_month`.
    PaymentUsd(i) = 6,
    /// Banknotes requested per month: `airlift.cash_usd_per_month`.
    CashPerMonth = 7,
    /// Banknotes one flight carries: `airlift.plane_capacity_usd`.
    PlaneCapacity = 8,
    /// Transport cost per flight: `airlift.transport_usd_per_flight`.
    TransportPerFlight = 9,
    /// Security cost per flight: `airlift.security_usd_per_flight`.
    SecurityPerFlight = 10,
    /// Insurance as a share of the cash shipped: `airlift.insurance_rate`.
    InsuranceRate = 11,
    /// The CBI vault's opening banknotes: `airlift.vault_opening_usd`.
    VaultOpening = 12,
    /// The CBI selling rate: `auction.official_rate_iqd_per_usd`.
    OfficialRate = 13,
    /// Dollars requested per auction session: `auction.requests_usd_per_day`.
    RequestsPerDay = 14,
    /// The share of requests for banknotes: `auction.cash_share`.
    CashShare = 15,
    /// The share of wire requests rejected: `auction.rejection_rate`.
    RejectionRate = 16,
    /// A bank group's share of wire requests: `auction.banks[NAME].share`.
    BankShare(i) = 17,
    /// A bank group's own rejection rate: `auction.banks[NAME].rejection_rate`.
    BankRejectionRate(i) = 18,
    /// The parallel rate at baseline: `parallel_market.baseline_rate_iqd_per_usd`.
    BaselineRate = 19,
    /// Street turnover at baseline: `parallel_market.baseline_turnover_usd_per_day`.
    BaselineTurnover = 20,
    /// Unmet demand at baseline: `parallel_market.baseline_unmet_usd_per_day`.
    BaselineUnmet = 21,
    /// The share of unmet demand that reaches the street: `parallel_market.spillover_share`.
    SpilloverShare = 22,
    /// `parallel_market.demand_elasticity`.
    DemandElasticity = 23,
    /// `parallel_market.supply_elasticity`.
    SupplyElasticity = 24,
    /// The rate prices were set at: `prices.reference_rate_iqd_per_usd`.
    ReferenceRate = 31,
    /// A basket item's CPI weight: `prices.basket[NAME].weight`.
    ItemWeight(i) = 33,
    /// A basket item's import content: `prices.basket[NAME].import_content`.
    ItemImportContent(i) = 34,
    /// A basket item's exchange-rate pass-through: `prices.basket[NAME].pass_through`.
    ItemPassThrough(i) = 35,
    /// v2: street demand per session that bypasses the auction:
    /// `parallel_market.street_demand_usd_per_day`.
    StreetDemand = 25,
    /// v2: the share of the auction's banknotes resold on the street:
    /// `parallel_market.cash_resale_share`.
    CashResale = 26,
    /// v2: how far the anchor follows the official rate: `parallel_market.anchor_weight`.
    AnchorWeight = 27,
    /// v2: the official rate the baseline rate was observed at:
    /// `parallel_market.anchor_official_rate_iqd_per_usd`.
    AnchorOfficial = 28,
    /// v2: the weight of last month's parallel rate: `parallel_market.persistence`.
    Persistence = 29,
    /// v2: the parallel rate of the month before the timeline:
    /// `parallel_market.opening_parallel_rate_iqd_per_usd`.
    OpeningParallel = 30,
    /// v2: annual inflation from other causes: `prices.underlying_inflation_pct`.
    UnderlyingInflation = 32,
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
    /// A weight in 0..=1 that is no share of anything: v2 `anchor_weight`,
    /// the exponent with which the anchor follows the official rate (1.5
    /// is not read as 1.5%).
    Weight,
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
            Kind::Share | Kind::Weight => Some(Decimal::ONE),
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
            Kind::Share | Kind::Weight => "0 to 1",
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

impl Field {
    /// Its key within its table: the path's last part
    /// (`official_rate_iqd_per_usd`, `share` for `auction.banks[*].share`).
    pub fn key(&self) -> &'static str {
        self.path.rsplit('.').next().unwrap_or(self.path)
    }
}

/// What names a registry row where a model file is read: a parameter,
/// or, for a field of a list's entries, its variant's constructor
/// (`ParamId::BankShare`), since the entry is not yet known.
pub trait Row {
    /// The row.
    fn field(self) -> &'static Field;
}

/// The row of the parameter at `path` (a list entry's name in brackets:
/// `exports.buyers[China].share`), if it is one.
pub fn field_at(path: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| match f.path.split_once("[*]") {
        None => f.path == path,
        Some((before, after)) => path
            .strip_prefix(before)
            .and_then(|r| r.strip_prefix('['))
            .and_then(|r| r.split_once(']'))
            .is_some_and(|(_, rest)| rest == after),
    })
}

impl Row for ParamId {
    fn field(self) -> &'static Field {
        ParamId::field(self)
    }
}

impl<F: Fn(usize) -> ParamId> Row for F {
    fn field(self) -> &'static Field {
        ParamId::field(self(0))
    }
}

impl ParamId {
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

    /// Whether it is a stock at the start of the timeline (the opening
    /// custody balance, the vault's opening banknotes, the parallel rate
    /// of the month before): read in the first month only, so a step of
    /// it from a later month changes nothing.
    pub fn is_opening(self) -> bool {
        matches!(
            self,
            ParamId::OpeningBalance | ParamId::VaultOpening | ParamId::OpeningParallel
        )
    }
}
