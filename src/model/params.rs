//! Parameter paths: every numeric assumption has an address
//! (`auction.rejection_rate`, `exports.buyers[China].share`), a kind that
//! fixes its unit and allowed range, and can be read or replaced by address.

use rust_decimal::Decimal;

use super::{Param, Params, Part};
use crate::diagnostic::nearest;

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
    /// The part of a model it belongs to (MODEL.md v2: optional parts).
    pub part: Part,
    /// A v2 key: optional in a model file, listed only where the file (or
    /// `--set`) gives it, its absence meaning v1's numbers.
    pub v2: bool,
}

const fn field(path: &'static str, list: Option<List>, kind: Kind, unit: &'static str, part: Part) -> Field {
    Field {
        path,
        list,
        kind,
        unit,
        part,
        v2: false,
    }
}

const fn v2(path: &'static str, kind: Kind, unit: &'static str) -> Field {
    Field {
        v2: true,
        ..field(path, None, kind, unit, Part::Market)
    }
}

use Kind::{
    Elasticity as El, ExchangeRate as Fx, Money as Usd, PositiveElasticity as PosEl, PositiveMoney as PosUsd,
    PriceOffset as Off, PricePerBarrel as Bbl, Share as Sh, Volume as Vol,
};
use List::{Banks, Basket, Buyers, Deductions, Payments};
use Part::{Airlift as Air, Flows, Market as Mkt};

/// What an absent v2 parameter reads as: 0, the value that gives v1's
/// numbers (the anchor and opening rates are used only when given).
static ABSENT: Param = Param {
    value: Decimal::ZERO,
    origin: super::Origin {
        span: None,
        source: None,
        note: None,
        from_command_line: false,
    },
};

static NOT_OPTIONAL: Option<Param> = None;

/// The parameter registry, in the order of the file format. Adding a
/// parameter adds a row here, a [`ParamId`] variant (with its row in
/// [`ParamId::row`] and [`ParamId::at`]), its home in [`Params`], and the
/// step that uses it.
pub const FIELDS: [Field; 36] = [
    field("exports.volume_bpd", None, Vol, "bbl/day", Flows),
    field("exports.price_usd_per_bbl", None, Bbl, "USD/bbl", Flows),
    field("exports.buyers[*].share", Some(Buyers), Sh, "share", Flows),
    field(
        "exports.buyers[*].price_offset_usd_per_bbl",
        Some(Buyers),
        Off,
        "USD/bbl",
        Flows,
    ),
    field("deductions[*].rate", Some(Deductions), Sh, "share", Flows),
    field("custody.opening_balance_usd", None, Usd, "USD", Flows),
    field(
        "custody.payments[*].usd_per_month",
        Some(Payments),
        Usd,
        "USD/month",
        Flows,
    ),
    field("airlift.cash_usd_per_month", None, Usd, "USD/month", Air),
    field("airlift.plane_capacity_usd", None, PosUsd, "USD", Air),
    field("airlift.transport_usd_per_flight", None, Usd, "USD/flight", Air),
    field("airlift.security_usd_per_flight", None, Usd, "USD/flight", Air),
    field("airlift.insurance_rate", None, Sh, "share", Air),
    field("airlift.vault_opening_usd", None, Usd, "USD", Air),
    field("auction.official_rate_iqd_per_usd", None, Fx, "IQD/USD", Mkt),
    field("auction.requests_usd_per_day", None, Usd, "USD/day", Mkt),
    field("auction.cash_share", None, Sh, "share", Mkt),
    field("auction.rejection_rate", None, Sh, "share", Mkt),
    field("auction.banks[*].share", Some(Banks), Sh, "share", Mkt),
    field("auction.banks[*].rejection_rate", Some(Banks), Sh, "share", Mkt),
    field(
        "parallel_market.baseline_rate_iqd_per_usd",
        None,
        Fx,
        "IQD/USD",
        Mkt,
    ),
    field(
        "parallel_market.baseline_turnover_usd_per_day",
        None,
        PosUsd,
        "USD/day",
        Mkt,
    ),
    field(
        "parallel_market.baseline_unmet_usd_per_day",
        None,
        Usd,
        "USD/day",
        Mkt,
    ),
    field("parallel_market.spillover_share", None, Sh, "share", Mkt),
    field(
        "parallel_market.demand_elasticity",
        None,
        PosEl,
        "elasticity",
        Mkt,
    ),
    field("parallel_market.supply_elasticity", None, El, "elasticity", Mkt),
    v2("parallel_market.street_demand_usd_per_day", Usd, "USD/day"),
    v2("parallel_market.cash_resale_share", Sh, "share"),
    v2("parallel_market.anchor_weight", Sh, "share"),
    v2("parallel_market.anchor_official_rate_iqd_per_usd", Fx, "IQD/USD"),
    v2("parallel_market.persistence", Kind::Persistence, "share"),
    v2("parallel_market.opening_parallel_rate_iqd_per_usd", Fx, "IQD/USD"),
    field("prices.reference_rate_iqd_per_usd", None, Fx, "IQD/USD", Mkt),
    v2("prices.underlying_inflation_pct", Kind::InflationPct, "%/year"),
    field("prices.basket[*].weight", Some(Basket), Sh, "share", Mkt),
    field("prices.basket[*].import_content", Some(Basket), Sh, "share", Mkt),
    field("prices.basket[*].pass_through", Some(Basket), Sh, "share", Mkt),
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

impl Params {
    /// Every numeric parameter of the parts the model has, in the order of
    /// the file format (a list's entries each with all their fields).
    pub fn ids(&self) -> Vec<ParamId> {
        let mut ids = Vec::new();
        let mut row = 0;
        while row < FIELDS.len() {
            let f = &FIELDS[row];
            // The rows of one list are consecutive.
            let width = FIELDS[row..]
                .iter()
                .take_while(|g| g.list == f.list && g.list.is_some())
                .count()
                .max(1);
            if self.has(f.part) {
                match f.list {
                    None if f.v2 => ids.extend(ParamId::at(row, 0).filter(|id| self.optional(*id).is_some())),
                    None => ids.extend(ParamId::at(row, 0)),
                    Some(list) => {
                        for i in 0..self.len(list) {
                            ids.extend((row..row + width).filter_map(|r| ParamId::at(r, i)));
                        }
                    }
                }
            }
            row += width;
        }
        ids
    }

    /// The home of a v2 parameter (`None` where the model leaves it out).
    fn optional(&self, id: ParamId) -> &Option<Param> {
        use ParamId::*;
        match id {
            StreetDemand => &self.parallel.street_demand,
            CashResale => &self.parallel.cash_resale,
            AnchorWeight => &self.parallel.anchor_weight,
            AnchorOfficial => &self.parallel.anchor_official,
            Persistence => &self.parallel.persistence,
            OpeningParallel => &self.parallel.opening_parallel,
            UnderlyingInflation => &self.prices.underlying_inflation,
            _ => &NOT_OPTIONAL,
        }
    }

    fn optional_mut(&mut self, id: ParamId) -> &mut Option<Param> {
        use ParamId::*;
        match id {
            StreetDemand => &mut self.parallel.street_demand,
            CashResale => &mut self.parallel.cash_resale,
            AnchorWeight => &mut self.parallel.anchor_weight,
            AnchorOfficial => &mut self.parallel.anchor_official,
            Persistence => &mut self.parallel.persistence,
            OpeningParallel => &mut self.parallel.opening_parallel,
            _ => &mut self.prices.underlying_inflation,
        }
    }

    /// Whether the model gives the v2 parameter `id` (every v1 parameter
    /// counts as given).
    pub fn gives(&self, id: ParamId) -> bool {
        !id.field().v2 || self.optional(id).is_some()
    }

    /// How many entries `list` has.
    pub fn len(&self, list: List) -> usize {
        match list {
            List::Buyers => self.exports.buyers.len(),
            List::Deductions => self.deductions.len(),
            List::Payments => self.custody.payments.len(),
            List::Banks => self.auction.banks.len(),
            List::Basket => self.prices.basket.len(),
        }
    }

    /// The name of entry `i` of `list`.
    pub fn name(&self, list: List, i: usize) -> &str {
        match list {
            List::Buyers => &self.exports.buyers[i].name,
            List::Deductions => &self.deductions[i].name,
            List::Payments => &self.custody.payments[i].name,
            List::Banks => &self.auction.banks[i].name,
            List::Basket => &self.prices.basket[i].name,
        }
    }

    /// The parameter at `id`. A bank without its own rejection rate reports
    /// the auction's, which is the one in force for it.
    pub fn param(&self, id: ParamId) -> &Param {
        use ParamId::*;
        match id {
            VolumeBpd => &self.exports.volume_bpd,
            Price => &self.exports.price,
            BuyerShare(i) => &self.exports.buyers[i].share,
            BuyerOffset(i) => &self.exports.buyers[i].price_offset,
            DeductionRate(i) => &self.deductions[i].rate,
            OpeningBalance => &self.custody.opening_balance,
            PaymentUsd(i) => &self.custody.payments[i].usd_per_month,
            CashPerMonth => &self.airlift.cash_per_month,
            PlaneCapacity => &self.airlift.plane_capacity,
            TransportPerFlight => &self.airlift.transport_per_flight,
            SecurityPerFlight => &self.airlift.security_per_flight,
            InsuranceRate => &self.airlift.insurance_rate,
            VaultOpening => &self.airlift.vault_opening,
            OfficialRate => &self.auction.official_rate,
            RequestsPerDay => &self.auction.requests_per_day,
            CashShare => &self.auction.cash_share,
            RejectionRate => &self.auction.rejection_rate,
            BankShare(i) => &self.auction.banks[i].share,
            BankRejectionRate(i) => self.auction.banks[i]
                .rejection_rate
                .as_ref()
                .unwrap_or(&self.auction.rejection_rate),
            BaselineRate => &self.parallel.baseline_rate,
            BaselineTurnover => &self.parallel.baseline_turnover,
            BaselineUnmet => &self.parallel.baseline_unmet,
            SpilloverShare => &self.parallel.spillover_share,
            DemandElasticity => &self.parallel.demand_elasticity,
            SupplyElasticity => &self.parallel.supply_elasticity,
            ReferenceRate => &self.prices.reference_rate,
            StreetDemand | CashResale | AnchorWeight | AnchorOfficial | Persistence | OpeningParallel
            | UnderlyingInflation => self.optional(id).as_ref().unwrap_or(&ABSENT),
            ItemWeight(i) => &self.prices.basket[i].weight,
            ItemImportContent(i) => &self.prices.basket[i].import_content,
            ItemPassThrough(i) => &self.prices.basket[i].pass_through,
        }
    }

    /// The value of the parameter at `id`.
    pub fn get(&self, id: ParamId) -> Decimal {
        self.param(id).value
    }

    /// Replaces the parameter at `id`.
    pub fn set(&mut self, id: ParamId, value: Param) {
        use ParamId::*;
        let slot = match id {
            VolumeBpd => &mut self.exports.volume_bpd,
            Price => &mut self.exports.price,
            BuyerShare(i) => &mut self.exports.buyers[i].share,
            BuyerOffset(i) => &mut self.exports.buyers[i].price_offset,
            DeductionRate(i) => &mut self.deductions[i].rate,
            OpeningBalance => &mut self.custody.opening_balance,
            PaymentUsd(i) => &mut self.custody.payments[i].usd_per_month,
            CashPerMonth => &mut self.airlift.cash_per_month,
            PlaneCapacity => &mut self.airlift.plane_capacity,
            TransportPerFlight => &mut self.airlift.transport_per_flight,
            SecurityPerFlight => &mut self.airlift.security_per_flight,
            InsuranceRate => &mut self.airlift.insurance_rate,
            VaultOpening => &mut self.airlift.vault_opening,
            OfficialRate => &mut self.auction.official_rate,
            RequestsPerDay => &mut self.auction.requests_per_day,
            CashShare => &mut self.auction.cash_share,
            RejectionRate => &mut self.auction.rejection_rate,
            BankShare(i) => &mut self.auction.banks[i].share,
            BankRejectionRate(i) => {
                self.auction.banks[i].rejection_rate = Some(value);
                return;
            }
            BaselineRate => &mut self.parallel.baseline_rate,
            BaselineTurnover => &mut self.parallel.baseline_turnover,
            BaselineUnmet => &mut self.parallel.baseline_unmet,
            SpilloverShare => &mut self.parallel.spillover_share,
            DemandElasticity => &mut self.parallel.demand_elasticity,
            SupplyElasticity => &mut self.parallel.supply_elasticity,
            ReferenceRate => &mut self.prices.reference_rate,
            StreetDemand | CashResale | AnchorWeight | AnchorOfficial | Persistence | OpeningParallel
            | UnderlyingInflation => {
                *self.optional_mut(id) = Some(value);
                return;
            }
            ItemWeight(i) => &mut self.prices.basket[i].weight,
            ItemImportContent(i) => &mut self.prices.basket[i].import_content,
            ItemPassThrough(i) => &mut self.prices.basket[i].pass_through,
        };
        *slot = value;
    }

    /// Replaces only the value at `id`, keeping the parameter's origin
    /// (cheap: no strings are copied). Used by the engine for changes.
    pub fn set_value(&mut self, id: ParamId, value: Decimal) {
        if let ParamId::BankRejectionRate(i) = id {
            if let Some(bank) = self.auction.banks.get_mut(i) {
                match &mut bank.rejection_rate {
                    Some(p) => p.value = value,
                    None => bank.rejection_rate = Some(Param::new(value)),
                }
            }
            return;
        }
        let mut p = self.param(id).clone();
        p.value = value;
        self.set(id, p);
    }

    /// The path that addresses `id` in this model.
    pub fn path(&self, id: ParamId) -> String {
        let f = id.field();
        match (f.list, id.row().1) {
            (Some(list), Some(i)) => f.path.replacen("[*]", &format!("[{}]", self.name(list, i)), 1),
            _ => f.path.to_string(),
        }
    }

    /// The part a path belongs to when the model does not have that part
    /// (`airlift.cash_usd_per_month` in a flow-only model).
    pub fn missing_part(&self, path: &str) -> Option<Part> {
        let section = path.split(['.', '[']).next()?;
        FIELDS
            .iter()
            .find(|f| f.path.split(['.', '[']).next() == Some(section))
            .map(|f| f.part)
            .filter(|part| !self.has(*part))
    }

    /// Every valid path of this model.
    pub fn paths(&self) -> Vec<String> {
        self.ids().into_iter().map(|id| self.path(id)).collect()
    }

    /// Resolves a path; on failure, returns the nearest valid paths.
    pub fn resolve(&self, path: &str) -> Result<ParamId, Vec<String>> {
        let path = path.trim();
        if let Some(id) = self.lookup(path) {
            return Ok(id);
        }
        let mut all = self.paths();
        // v2 parameters the model leaves out can still be set.
        let absent: Vec<String> = FIELDS
            .iter()
            .filter(|f| f.v2 && self.has(f.part) && !all.iter().any(|p| p == f.path))
            .map(|f| f.path.to_string())
            .collect();
        all.extend(absent);
        Err(nearest(path, all.iter().map(String::as_str), 3)
            .into_iter()
            .map(str::to_string)
            .collect())
    }
}

impl Params {
    /// The parameter that `path` names exactly, if any: the inverse of
    /// [`Params::path`], without writing out every path of the model.
    pub fn lookup(&self, path: &str) -> Option<ParamId> {
        if let Some(row) = FIELDS
            .iter()
            .position(|f| f.list.is_none() && f.path == path && self.has(f.part))
        {
            return ParamId::at(row, 0);
        }
        // LIST[NAME].FIELD; names contain no brackets.
        let (list, rest) = path.split_once('[')?;
        let (name, field) = rest.split_once("].")?;
        let row = FIELDS.iter().position(|f| {
            f.list.is_some()
                && self.has(f.part)
                && f.path.strip_suffix(field).and_then(|p| p.strip_suffix("[*].")) == Some(list)
        })?;
        let l = FIELDS[row].list?;
        let i = (0..self.len(l)).find(|i| self.name(l, *i) == name)?;
        ParamId::at(row, i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_looks_up_its_parameter() {
        for (name, text) in [
            ("small.toml", include_str!("../../fixtures/small.toml")),
            ("iraq-2023.toml", include_str!("../../models/iraq-2023.toml")),
        ] {
            let p = crate::model::load_str(name, text).unwrap().base;
            let ids = p.ids();
            assert!(ids.len() > 30);
            for id in ids {
                assert_eq!(p.lookup(&p.path(id)), Some(id), "{}", p.path(id));
                assert_eq!(p.resolve(&format!(" {} ", p.path(id))), Ok(id));
            }
            for bad in [
                "",
                "auction",
                "exports.buyers[China]",
                "exports.buyers[Nobody].share",
                "exports.buyers[China].shares",
                "exports.buyers[China].share.x",
                "exports.buyers.share",
                "timeline.months",
            ] {
                assert_eq!(p.lookup(bad), None, "{bad}");
            }
        }
    }

    #[test]
    fn the_registry_goes_both_ways_in_file_order() {
        use ParamId::*;
        let p = crate::model::load_str("small.toml", include_str!("../../fixtures/small.toml"))
            .unwrap()
            .base;
        let ids = p.ids();
        // Two buyers with share and offset each, then the one deduction.
        assert_eq!(
            ids[..8],
            [
                VolumeBpd,
                Price,
                BuyerShare(0),
                BuyerOffset(0),
                BuyerShare(1),
                BuyerOffset(1),
                DeductionRate(0),
                OpeningBalance
            ]
        );
        for id in ids {
            let (row, i) = id.row();
            assert_eq!(ParamId::at(row, i.unwrap_or(0)), Some(id));
            assert_eq!(FIELDS[row].list.is_some(), i.is_some(), "{id:?}");
        }
        assert_eq!(ParamId::at(FIELDS.len(), 0), None);
        assert_eq!(
            p.path(ItemPassThrough(1)),
            format!("prices.basket[{}].pass_through", p.prices.basket[1].name)
        );
        assert_eq!(p.path(DeductionRate(0)), "deductions[Kuwait compensation].rate");
        assert_eq!(PaymentUsd(0).spec().unit, "USD/month");
        assert_eq!(BuyerOffset(1).kind(), Kind::PriceOffset);
    }

    #[test]
    fn kinds_have_ranges() {
        assert!(Kind::Share.allows(Decimal::ONE));
        assert!(!Kind::Share.allows(Decimal::TWO));
        assert!(!Kind::ExchangeRate.allows(Decimal::ZERO));
        assert!(Kind::Money.allows(Decimal::ZERO));
        assert!(Kind::PriceOffset.allows(Decimal::NEGATIVE_ONE));
        assert!(!Kind::Volume.allows(Decimal::NEGATIVE_ONE));
    }
}
