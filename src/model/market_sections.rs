//! Reading the market sections (`[auction]`, `[parallel_market]`,
//! `[prices]`), which a flow-only model leaves out, with docs/model.md v2's
//! optional keys (street demand, resale, anchor, persistence, lag weights,
//! underlying inflation).

use rust_decimal::Decimal;
use toml::de::DeValue;

use super::reader::{Obj, Reader};
use super::registry::Kind;
use super::sections::{entries, got, got_list, require_entries, required_section, section_keys, zero};
use super::*;
use crate::diagnostic::Problem;

/// An optional v2 parameter: `None` when the key is absent; a bad value is
/// reported and clears `complete`.
fn optional(r: &mut Reader, obj: &Obj<'_, '_>, id: ParamId, complete: &mut bool) -> Option<Param> {
    obj.get(id.field().key())?;
    let p = r.param(obj, id, false);
    if p.is_none() {
        *complete = false;
    }
    p
}

/// Most months a move of the exchange rate may take to reach prices.
const MAX_LAGS: usize = 24;

/// `prices.lag_weights`: 1 to 24 shares summing to exactly 1 (`[1]` when
/// absent).
fn read_lags(r: &mut Reader, p: &Obj<'_, '_>, complete: &mut bool) -> Vec<Decimal> {
    let Some(node) = p.get("lag_weights") else {
        return vec![Decimal::ONE];
    };
    let path = p.child_path("lag_weights");
    let allowed = "1 to 24 shares (0 to 1) summing to exactly 1, e.g. [0.5, 0.3, 0.2]";
    let bad = |r: &mut Reader, complete: &mut bool, message: String| {
        r.report(Problem::new(Some(node.span()), path.as_str(), message).allowed(allowed));
        *complete = false;
        vec![Decimal::ONE]
    };
    let DeValue::Array(items) = node.get_ref() else {
        return bad(
            r,
            complete,
            format!(
                "expected an array, found {}",
                super::reader::type_name(node.get_ref())
            ),
        );
    };
    if items.is_empty() || items.len() > MAX_LAGS {
        return bad(r, complete, format!("{} weights", items.len()));
    }
    let mut weights = Vec::with_capacity(items.len());
    // Every element is checked, so that each bad one is reported.
    for (k, item) in items.iter().enumerate() {
        if let Some(w) = r.param_node(item, &format!("{path}[{k}]"), Kind::Share) {
            weights.push(w.value);
        }
    }
    if weights.len() < items.len() {
        *complete = false;
        return vec![Decimal::ONE];
    }
    let total: Decimal = weights.iter().sum();
    if total != Decimal::ONE {
        let terms: Vec<String> = weights.iter().map(|w| w.to_string()).collect();
        return bad(
            r,
            complete,
            format!("the weights add up to {total} ({})", terms.join(" + ")),
        );
    }
    weights
}

pub(super) fn read_auction(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool, wanted: bool) -> Auction {
    let Some(a) = required_section(r, top, "auction", c, wanted) else {
        return Auction::default();
    };
    r.check_keys(
        &a,
        &section_keys("auction", &[], &["weekend", "holidays", "banks"]),
    );
    let official = r.param(&a, ParamId::OfficialRate, true);
    let requests = r.param(&a, ParamId::RequestsPerDay, true);
    let cash_share = r.param(&a, ParamId::CashShare, true);
    let rejection = r.param(&a, ParamId::RejectionRate, true);
    let banks = entries(
        r,
        &a,
        "banks",
        &["name", "share", "rejection_rate"],
        |r, b, name| {
            let share = r.param(b, ParamId::BankShare, true);
            let rejection_rate = match b.get("rejection_rate") {
                Some(_) => Some(r.param(b, ParamId::BankRejectionRate, true)?),
                None => None,
            };
            Some(Bank {
                name,
                share: share?,
                rejection_rate,
                follow_factor: None,
            })
        },
    );
    Auction {
        official_rate: got(official, c),
        requests_per_day: got(requests, c),
        cash_share: got(cash_share, c),
        rejection_rate: got(rejection, c),
        banks: got_list(banks, c),
    }
}

pub(super) fn read_parallel(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool, wanted: bool) -> ParallelMarket {
    let Some(p) = required_section(r, top, "parallel_market", c, wanted) else {
        return ParallelMarket::default();
    };
    r.check_keys(&p, &section_keys("parallel_market", &[], &[]));
    let rate = r.param(&p, ParamId::BaselineRate, true);
    let turnover = r.param(&p, ParamId::BaselineTurnover, true);
    let unmet = match p.get("baseline_unmet_usd_per_day") {
        Some(_) => r.param(&p, ParamId::BaselineUnmet, false),
        None => Some(zero()),
    };
    let spill = r.param(&p, ParamId::SpilloverShare, true);
    let demand = r.param(&p, ParamId::DemandElasticity, true);
    let supply = r.param(&p, ParamId::SupplyElasticity, true);
    ParallelMarket {
        baseline_rate: got(rate, c),
        baseline_turnover: got(turnover, c),
        baseline_unmet: got(unmet, c),
        spillover_share: got(spill, c),
        demand_elasticity: got(demand, c),
        supply_elasticity: got(supply, c),
        street_demand: optional(r, &p, ParamId::StreetDemand, c),
        cash_resale: optional(r, &p, ParamId::CashResale, c),
        anchor_weight: optional(r, &p, ParamId::AnchorWeight, c),
        anchor_official: optional(r, &p, ParamId::AnchorOfficial, c),
        persistence: optional(r, &p, ParamId::Persistence, c),
        opening_parallel: optional(r, &p, ParamId::OpeningParallel, c),
    }
}

pub(super) fn read_prices(r: &mut Reader, top: &Obj<'_, '_>, c: &mut bool, wanted: bool) -> Prices {
    let Some(p) = required_section(r, top, "prices", c, wanted) else {
        return Prices {
            reference_rate: zero(),
            basket: Vec::new(),
            lag_weights: vec![Decimal::ONE],
            lag_weights_at: None,
            underlying_inflation: None,
        };
    };
    r.check_keys(
        &p,
        &[
            "reference_rate_iqd_per_usd",
            "lag_weights",
            "underlying_inflation_pct",
            "basket",
        ],
    );
    let lag_weights = read_lags(r, &p, c);
    let lag_weights_at = p.get("lag_weights").map(|node| node.span());
    let underlying_inflation = optional(r, &p, ParamId::UnderlyingInflation, c);
    let reference = r.param(&p, ParamId::ReferenceRate, true);
    let basket = entries(
        r,
        &p,
        "basket",
        &["name", "weight", "import_content", "pass_through"],
        |r, i, name| {
            let weight = r.param(i, ParamId::ItemWeight, true);
            let import_content = r.param(i, ParamId::ItemImportContent, true);
            let pass_through = r.param(i, ParamId::ItemPassThrough, true);
            Some(BasketItem {
                name,
                weight: weight?,
                import_content: import_content?,
                pass_through: pass_through?,
            })
        },
    );
    require_entries(
        r,
        &p,
        "basket",
        &basket,
        "no basket items",
        "at least one [[prices.basket]] entry with name, weight, import_content and pass_through",
    );
    Prices {
        reference_rate: got(reference, c),
        basket: got_list(basket, c),
        lag_weights,
        lag_weights_at,
        underlying_inflation,
    }
}
