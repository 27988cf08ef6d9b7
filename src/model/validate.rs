//! Rules that involve more than one parameter: shares that must sum to
//! exactly 1, deduction rates that may not exceed 1 together, and a buyer's
//! price that may not go below zero. Run on the base model and again in
//! every month where a change applies.

use rust_decimal::Decimal;

use super::params::ParamId;
use super::Params;
use crate::diagnostic::Problem;

/// Every broken cross-parameter rule, with the parameters involved.
pub(super) fn cross_rules(p: &Params) -> Vec<(Problem, Vec<ParamId>)> {
    let mut out = Vec::new();
    let buyers: Vec<ParamId> = (0..p.exports.buyers.len()).map(ParamId::BuyerShare).collect();
    sum_is_one(p, &buyers, "exports.buyers", "share", &mut out);
    let banks: Vec<ParamId> = (0..p.auction.banks.len()).map(ParamId::BankShare).collect();
    sum_is_one(p, &banks, "auction.banks", "share", &mut out);
    let items: Vec<ParamId> = (0..p.prices.basket.len()).map(ParamId::ItemWeight).collect();
    sum_is_one(p, &items, "prices.basket", "weight", &mut out);

    let rates: Vec<ParamId> = (0..p.deductions.len()).map(ParamId::DeductionRate).collect();
    let total: Decimal = rates.iter().map(|id| p.get(*id)).sum();
    if total > Decimal::ONE {
        out.push((
            Problem::new(
                span_of(p, &rates),
                "deductions[*].rate",
                format!("the deduction rates add up to {total} ({})", terms(p, &rates)),
            )
            .allowed("a total of at most 1"),
            rates,
        ));
    }
    for (i, b) in p.exports.buyers.iter().enumerate() {
        let price = p.exports.price.value + b.price_offset.value;
        if price < Decimal::ZERO {
            let group = vec![ParamId::Price, ParamId::BuyerOffset(i)];
            out.push((
                Problem::new(
                    b.price_offset
                        .origin
                        .span
                        .clone()
                        .or_else(|| p.exports.price.origin.span.clone()),
                    p.path(ParamId::BuyerOffset(i)),
                    format!(
                        "price {} + offset {} gives {} a price of {price} USD/bbl",
                        p.exports.price.value, b.price_offset.value, b.name
                    ),
                )
                .allowed("an offset with price + offset >= 0"),
                group,
            ));
        }
    }
    out
}

/// Most terms a sum is spelled out with; a longer list is cut short.
const TERMS_SHOWN: usize = 10;

/// `a + b + c`, or `a + b + … + z, 1000 terms` for a long list.
fn terms(p: &Params, ids: &[ParamId]) -> String {
    let parts: Vec<String> = ids.iter().map(|id| p.get(*id).to_string()).collect();
    if parts.len() <= TERMS_SHOWN {
        return parts.join(" + ");
    }
    format!(
        "{} + … + {}, {} terms",
        parts[..TERMS_SHOWN - 1].join(" + "),
        parts[parts.len() - 1],
        parts.len()
    )
}

fn span_of(p: &Params, ids: &[ParamId]) -> Option<std::ops::Range<usize>> {
    ids.iter().find_map(|id| p.param(*id).origin.span.clone())
}

fn sum_is_one(p: &Params, ids: &[ParamId], list: &str, field: &str, out: &mut Vec<(Problem, Vec<ParamId>)>) {
    if ids.is_empty() {
        return;
    }
    let total: Decimal = ids.iter().map(|id| p.get(*id)).sum();
    if total != Decimal::ONE {
        out.push((
            Problem::new(
                span_of(p, ids),
                format!("{list}[*].{field}"),
                format!("the {field}s add up to {total} ({})", terms(p, ids)),
            )
            .allowed("exactly 1"),
            ids.to_vec(),
        ));
    }
}
