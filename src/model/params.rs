//! Reading, replacing and addressing the parameters of a model by
//! [`ParamId`]: every parameter in file order, its value, its path in this
//! model (with the list entries' names) and the inverse, a path's id.

use rust_decimal::Decimal;

use super::registry::{List, ParamId, FIELDS};
use super::{Bank, Param, Params, Part};
use std::ops::Range;

use crate::diagnostic::{nearest, Problem};

/// What an absent v2 parameter reads as: 0, the value that gives v1's
/// numbers (the anchor and opening rates are used only when given).
static ABSENT: Param = Param {
    value: Decimal::ZERO,
    origin: super::Origin {
        span: None,
        source: None,
        note: None,
        set_with: None,
        scenario: None,
    },
};

static NOT_OPTIONAL: Option<Param> = None;

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

    /// The value of the parameter at `id`: for a bank that follows the
    /// auction's rejection rate, that rate times the bank's factor.
    pub fn get(&self, id: ParamId) -> Decimal {
        if let ParamId::BankRejectionRate(i) = id {
            if let Some(Bank {
                rejection_rate: None,
                follow_factor: Some(f),
                ..
            }) = self.auction.banks.get(i)
            {
                // A rate (0 to 1) times a factor that `--set` checked keeps
                // the product in 0 to 1: no overflow.
                return self.auction.rejection_rate.value * f;
            }
        }
        self.param(id).value
    }

    /// Whether bank `i` has no rejection rate of its own (it follows the
    /// auction's, times its factor).
    pub fn follows_the_auction(&self, i: usize) -> bool {
        self.auction
            .banks
            .get(i)
            .is_some_and(|b| b.rejection_rate.is_none())
    }

    /// What a listing says of `id` when it is the rate of a bank that
    /// follows the auction's: `no rate of its own: it faces
    /// auction.rejection_rate × 0.5, steps included`.
    pub fn follow_note(&self, id: ParamId) -> Option<String> {
        let ParamId::BankRejectionRate(i) = id else {
            return None;
        };
        let bank = self.auction.banks.get(i).filter(|b| b.rejection_rate.is_none())?;
        let factor = match bank.follow_factor {
            Some(f) => format!(" × {}", crate::num::decimal::clean(f)),
            None => String::new(),
        };
        Some(format!(
            "no rate of its own: it faces {}{factor}, steps included",
            self.path(ParamId::RejectionRate)
        ))
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

    /// Why `path` names nothing in this model when it is a parameter of
    /// a part the model leaves out (`auction.rejection_rate` in a model of
    /// the flows only), in words; `None` otherwise.
    pub fn absent_part(&self, path: &str) -> Option<String> {
        let what = match self.missing_part(path)? {
            Part::Airlift => "[airlift]",
            _ => "[auction], [parallel_market] and [prices]",
        };
        Some(format!(
            "`{path}` is a parameter of {what}, which this model does not have (it traces the flows only)"
        ))
    }

    /// [`Self::absent_part`] as the problem of an entry at `span` (shown
    /// as `shown`) in a model file, with the way to add the part: said
    /// instead of "names no numeric parameter" and an example that is that
    /// very path.
    pub(super) fn absent_problem(&self, path: &str, span: Range<usize>, shown: &str) -> Option<Problem> {
        let why = self.absent_part(path)?;
        Some(Problem::new(Some(span), shown, why).help(
            "add them (`dinarflow init FILE` writes a starter model with every section to copy from), or remove this entry",
        ))
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
    use crate::model::Kind;

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
