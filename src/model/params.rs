//! Parameter paths: every numeric assumption has an address
//! (`auction.rejection_rate`, `exports.buyers[China].share`), a kind that
//! fixes its unit and allowed range, and can be read or replaced by address.

use rust_decimal::Decimal;

use super::{Param, Params};
use crate::diagnostic::nearest;

/// Address of one numeric parameter; list entries by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ParamId {
    VolumeBpd,
    Price,
    BuyerShare(usize),
    BuyerOffset(usize),
    DeductionRate(usize),
    OpeningBalance,
    PaymentUsd(usize),
    CashPerMonth,
    PlaneCapacity,
    TransportPerFlight,
    SecurityPerFlight,
    InsuranceRate,
    VaultOpening,
    OfficialRate,
    RequestsPerDay,
    CashShare,
    RejectionRate,
    BankShare(usize),
    BankRejectionRate(usize),
    BaselineRate,
    BaselineTurnover,
    BaselineUnmet,
    SpilloverShare,
    DemandElasticity,
    SupplyElasticity,
    ReferenceRate,
    ItemWeight(usize),
    ItemImportContent(usize),
    ItemPassThrough(usize),
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
}

/// Unit, range and rounding of a parameter kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    pub kind: Kind,
    pub unit: &'static str,
}

impl Kind {
    pub fn unit(self) -> &'static str {
        match self {
            Kind::Money | Kind::PositiveMoney => "USD",
            Kind::Share => "share",
            Kind::Volume => "bbl/day",
            Kind::PricePerBarrel | Kind::PriceOffset => "USD/bbl",
            Kind::ExchangeRate => "IQD/USD",
            Kind::PositiveElasticity | Kind::Elasticity => "elasticity",
        }
    }

    pub fn is_money(self) -> bool {
        matches!(self, Kind::Money | Kind::PositiveMoney)
    }

    /// Lowest allowed value and whether it is allowed itself.
    pub fn min(self) -> Option<(Decimal, bool)> {
        match self {
            Kind::PriceOffset => None,
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
        }
    }
}

impl ParamId {
    pub fn kind(self) -> Kind {
        use ParamId::*;
        match self {
            VolumeBpd => Kind::Volume,
            Price => Kind::PricePerBarrel,
            BuyerOffset(_) => Kind::PriceOffset,
            OpeningBalance | PaymentUsd(_) | CashPerMonth | TransportPerFlight | SecurityPerFlight
            | VaultOpening | RequestsPerDay | BaselineUnmet => Kind::Money,
            PlaneCapacity | BaselineTurnover => Kind::PositiveMoney,
            BuyerShare(_) | DeductionRate(_) | InsuranceRate | CashShare | RejectionRate | BankShare(_)
            | BankRejectionRate(_) | SpilloverShare | ItemWeight(_) | ItemImportContent(_)
            | ItemPassThrough(_) => Kind::Share,
            OfficialRate | BaselineRate | ReferenceRate => Kind::ExchangeRate,
            DemandElasticity => Kind::PositiveElasticity,
            SupplyElasticity => Kind::Elasticity,
        }
    }

    pub fn spec(self) -> ParamSpec {
        let kind = self.kind();
        let unit = match self {
            ParamId::RequestsPerDay | ParamId::BaselineTurnover | ParamId::BaselineUnmet => "USD/day",
            ParamId::PaymentUsd(_) | ParamId::CashPerMonth => "USD/month",
            ParamId::TransportPerFlight | ParamId::SecurityPerFlight => "USD/flight",
            _ => kind.unit(),
        };
        ParamSpec { kind, unit }
    }
}

/// The fixed (non-list) parameters with their paths, in file order.
const SCALARS: &[(ParamId, &str)] = &[
    (ParamId::VolumeBpd, "exports.volume_bpd"),
    (ParamId::Price, "exports.price_usd_per_bbl"),
    (ParamId::OpeningBalance, "custody.opening_balance_usd"),
    (ParamId::CashPerMonth, "airlift.cash_usd_per_month"),
    (ParamId::PlaneCapacity, "airlift.plane_capacity_usd"),
    (ParamId::TransportPerFlight, "airlift.transport_usd_per_flight"),
    (ParamId::SecurityPerFlight, "airlift.security_usd_per_flight"),
    (ParamId::InsuranceRate, "airlift.insurance_rate"),
    (ParamId::VaultOpening, "airlift.vault_opening_usd"),
    (ParamId::OfficialRate, "auction.official_rate_iqd_per_usd"),
    (ParamId::RequestsPerDay, "auction.requests_usd_per_day"),
    (ParamId::CashShare, "auction.cash_share"),
    (ParamId::RejectionRate, "auction.rejection_rate"),
    (ParamId::BaselineRate, "parallel_market.baseline_rate_iqd_per_usd"),
    (
        ParamId::BaselineTurnover,
        "parallel_market.baseline_turnover_usd_per_day",
    ),
    (
        ParamId::BaselineUnmet,
        "parallel_market.baseline_unmet_usd_per_day",
    ),
    (ParamId::SpilloverShare, "parallel_market.spillover_share"),
    (ParamId::DemandElasticity, "parallel_market.demand_elasticity"),
    (ParamId::SupplyElasticity, "parallel_market.supply_elasticity"),
    (ParamId::ReferenceRate, "prices.reference_rate_iqd_per_usd"),
];

impl Params {
    /// Every numeric parameter, in the order of the file format.
    pub fn ids(&self) -> Vec<ParamId> {
        use ParamId::*;
        let mut ids = vec![VolumeBpd, Price];
        for i in 0..self.exports.buyers.len() {
            ids.extend([BuyerShare(i), BuyerOffset(i)]);
        }
        ids.extend((0..self.deductions.len()).map(DeductionRate));
        ids.push(OpeningBalance);
        ids.extend((0..self.custody.payments.len()).map(PaymentUsd));
        ids.extend([
            CashPerMonth,
            PlaneCapacity,
            TransportPerFlight,
            SecurityPerFlight,
            InsuranceRate,
            VaultOpening,
            OfficialRate,
            RequestsPerDay,
            CashShare,
            RejectionRate,
        ]);
        for i in 0..self.auction.banks.len() {
            ids.extend([BankShare(i), BankRejectionRate(i)]);
        }
        ids.extend([
            BaselineRate,
            BaselineTurnover,
            BaselineUnmet,
            SpilloverShare,
            DemandElasticity,
            SupplyElasticity,
            ReferenceRate,
        ]);
        for i in 0..self.prices.basket.len() {
            ids.extend([ItemWeight(i), ItemImportContent(i), ItemPassThrough(i)]);
        }
        ids
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
            ItemWeight(i) => &self.prices.basket[i].weight,
            ItemImportContent(i) => &self.prices.basket[i].import_content,
            ItemPassThrough(i) => &self.prices.basket[i].pass_through,
        }
    }

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
        use ParamId::*;
        if let Some((_, p)) = SCALARS.iter().find(|(s, _)| *s == id) {
            return (*p).to_string();
        }
        match id {
            BuyerShare(i) => format!("exports.buyers[{}].share", self.exports.buyers[i].name),
            BuyerOffset(i) => format!(
                "exports.buyers[{}].price_offset_usd_per_bbl",
                self.exports.buyers[i].name
            ),
            DeductionRate(i) => format!("deductions[{}].rate", self.deductions[i].name),
            PaymentUsd(i) => format!(
                "custody.payments[{}].usd_per_month",
                self.custody.payments[i].name
            ),
            BankShare(i) => format!("auction.banks[{}].share", self.auction.banks[i].name),
            BankRejectionRate(i) => format!("auction.banks[{}].rejection_rate", self.auction.banks[i].name),
            ItemWeight(i) => format!("prices.basket[{}].weight", self.prices.basket[i].name),
            ItemImportContent(i) => format!("prices.basket[{}].import_content", self.prices.basket[i].name),
            ItemPassThrough(i) => format!("prices.basket[{}].pass_through", self.prices.basket[i].name),
            _ => unreachable_scalar(id),
        }
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
        let all = self.paths();
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
        use ParamId::*;
        if let Some((id, _)) = SCALARS.iter().find(|(_, p)| *p == path) {
            return Some(*id);
        }
        // LIST[NAME].FIELD; names contain no brackets.
        let (list, rest) = path.split_once('[')?;
        let (name, field) = rest.split_once("].")?;
        fn at<'a>(mut names: impl Iterator<Item = &'a str>, name: &str) -> Option<usize> {
            names.position(|n| n == name)
        }
        let buyer = || at(self.exports.buyers.iter().map(|b| b.name.as_str()), name);
        let bank = || at(self.auction.banks.iter().map(|b| b.name.as_str()), name);
        let item = || at(self.prices.basket.iter().map(|b| b.name.as_str()), name);
        match (list, field) {
            ("exports.buyers", "share") => buyer().map(BuyerShare),
            ("exports.buyers", "price_offset_usd_per_bbl") => buyer().map(BuyerOffset),
            ("deductions", "rate") => {
                at(self.deductions.iter().map(|d| d.name.as_str()), name).map(DeductionRate)
            }
            ("custody.payments", "usd_per_month") => {
                at(self.custody.payments.iter().map(|p| p.name.as_str()), name).map(PaymentUsd)
            }
            ("auction.banks", "share") => bank().map(BankShare),
            ("auction.banks", "rejection_rate") => bank().map(BankRejectionRate),
            ("prices.basket", "weight") => item().map(ItemWeight),
            ("prices.basket", "import_content") => item().map(ItemImportContent),
            ("prices.basket", "pass_through") => item().map(ItemPassThrough),
            _ => None,
        }
    }
}

fn unreachable_scalar(id: ParamId) -> String {
    // Every scalar id is listed in SCALARS; this keeps `path` total without a panic.
    format!("{id:?}")
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
    fn kinds_have_ranges() {
        assert!(Kind::Share.allows(Decimal::ONE));
        assert!(!Kind::Share.allows(Decimal::TWO));
        assert!(!Kind::ExchangeRate.allows(Decimal::ZERO));
        assert!(Kind::Money.allows(Decimal::ZERO));
        assert!(Kind::PriceOffset.allows(Decimal::NEGATIVE_ONE));
        assert!(!Kind::Volume.allows(Decimal::NEGATIVE_ONE));
    }
}
