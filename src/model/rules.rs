//! The rules that tie parameters together, in one place: shares and
//! weights of a list that must sum to exactly 1, deduction rates that may
//! not exceed 1 together, and a buyer's price (price + offset) that may not
//! go below zero. Loading checks them on the base model and in every month
//! a change applies; `--set` checks them after all its values are in;
//! `[uncertainty]` and `solve` read from them which values a parameter may
//! take given the others, and which inputs cannot be drawn.

use std::ops::Range;

use rust_decimal::Decimal;

use super::registry::ParamId;
use super::Params;
use crate::diagnostic::Problem;

/// One rule across parameters of a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// The entries of `list` must have `field`s that sum to exactly 1.
    SumIsOne {
        /// The list's path (`exports.buyers`).
        list: &'static str,
        /// The field that sums to 1 (`share`).
        field: &'static str,
        /// How a sentence names the entries ("the buyers' shares").
        what: &'static str,
        /// The entries' parameters.
        ids: Vec<ParamId>,
    },
    /// The deduction rates together may not exceed 1.
    DeductionsAtMostOne {
        /// The deduction rates.
        ids: Vec<ParamId>,
    },
    /// Buyer `buyer` pays price + offset >= 0.
    PriceNotNegative {
        /// The buyer's index.
        buyer: usize,
        /// The price and the buyer's offset.
        ids: [ParamId; 2],
    },
}

impl Rule {
    /// The parameters the rule involves.
    pub fn params(&self) -> &[ParamId] {
        match self {
            Rule::SumIsOne { ids, .. } | Rule::DeductionsAtMostOne { ids } => ids,
            Rule::PriceNotNegative { ids, .. } => ids,
        }
    }

    /// What the rule asks, as the end of a sentence.
    pub fn asks(&self) -> &'static str {
        match self {
            Rule::SumIsOne { .. } => "must sum to exactly 1",
            Rule::DeductionsAtMostOne { .. } => "the deduction rates may not exceed 1 together",
            Rule::PriceNotNegative { .. } => "price + offset must stay >= 0",
        }
    }

    /// The problem if `p` breaks the rule.
    pub fn check(&self, p: &Params) -> Option<Problem> {
        match self {
            Rule::SumIsOne { list, field, ids, .. } => {
                let total: Decimal = ids.iter().map(|id| p.get(*id)).sum();
                (!ids.is_empty() && total != Decimal::ONE).then(|| {
                    Problem::new(
                        span_of(p, ids),
                        format!("{list}[*].{field}"),
                        format!("the {field}s add up to {total} ({})", terms(p, ids)),
                    )
                    .allowed("exactly 1")
                })
            }
            Rule::DeductionsAtMostOne { ids } => {
                let total: Decimal = ids.iter().map(|id| p.get(*id)).sum();
                (total > Decimal::ONE).then(|| {
                    Problem::new(
                        span_of(p, ids),
                        "deductions[*].rate",
                        format!("the deduction rates add up to {total} ({})", terms(p, ids)),
                    )
                    .allowed("a total of at most 1")
                })
            }
            Rule::PriceNotNegative { buyer, .. } => {
                let b = &p.exports.buyers[*buyer];
                let price = p.exports.price.value + b.price_offset.value;
                (price < Decimal::ZERO).then(|| {
                    Problem::new(
                        b.price_offset
                            .origin
                            .span
                            .clone()
                            .or_else(|| p.exports.price.origin.span.clone()),
                        p.path(ParamId::BuyerOffset(*buyer)),
                        format!(
                            "price {} + offset {} gives {} a price of {price} USD/bbl",
                            p.exports.price.value, b.price_offset.value, b.name
                        ),
                    )
                    .allowed("an offset with price + offset >= 0")
                })
            }
        }
    }

    /// The (lower, upper) bounds the rule puts on `id` given the other
    /// parameters in `p`; a sum rule fixes its entries and bounds nothing.
    fn bounds(&self, p: &Params, id: ParamId) -> (Option<Decimal>, Option<Decimal>) {
        match (self, id) {
            (Rule::DeductionsAtMostOne { ids }, ParamId::DeductionRate(_)) => {
                let others: Decimal = ids.iter().filter(|o| **o != id).map(|o| p.get(*o)).sum();
                (None, Some(Decimal::ONE - others))
            }
            (Rule::PriceNotNegative { buyer, .. }, ParamId::Price) => {
                (Some(-p.exports.buyers[*buyer].price_offset.value), None)
            }
            (Rule::PriceNotNegative { .. }, ParamId::BuyerOffset(_)) => (Some(-p.exports.price.value), None),
            _ => (None, None),
        }
    }
}

/// Every rule of a model with the lists of `p`.
pub fn rules(p: &Params) -> Vec<Rule> {
    let sum = |list, field, what, ids: Vec<ParamId>| Rule::SumIsOne {
        list,
        field,
        what,
        ids,
    };
    let mut out = vec![
        sum(
            "exports.buyers",
            "share",
            "the buyers' shares",
            (0..p.exports.buyers.len()).map(ParamId::BuyerShare).collect(),
        ),
        sum(
            "auction.banks",
            "share",
            "the banks' shares",
            (0..p.auction.banks.len()).map(ParamId::BankShare).collect(),
        ),
        sum(
            "prices.basket",
            "weight",
            "the basket weights",
            (0..p.prices.basket.len()).map(ParamId::ItemWeight).collect(),
        ),
        Rule::DeductionsAtMostOne {
            ids: (0..p.deductions.len()).map(ParamId::DeductionRate).collect(),
        },
    ];
    out.extend((0..p.exports.buyers.len()).map(|buyer| Rule::PriceNotNegative {
        buyer,
        ids: [ParamId::Price, ParamId::BuyerOffset(buyer)],
    }));
    out
}

/// Every broken rule with its problem.
pub fn broken(p: &Params) -> Vec<(Problem, Rule)> {
    rules(p)
        .into_iter()
        .filter_map(|r| r.check(p).map(|problem| (problem, r)))
        .collect()
}

/// The sum rule `id` is an entry of, if any.
pub fn sum_rule_of(p: &Params, id: ParamId) -> Option<Rule> {
    rules(p)
        .into_iter()
        .find(|r| matches!(r, Rule::SumIsOne { .. }) && r.params().contains(&id))
}

/// The narrowest (lower, upper) bounds the rules put on `id` over every
/// month of `months`, given the other parameters in force.
pub fn bounds_over<'a>(
    months: impl IntoIterator<Item = &'a Params>,
    id: ParamId,
) -> (Option<Decimal>, Option<Decimal>) {
    let mut lo: Option<Decimal> = None;
    let mut hi: Option<Decimal> = None;
    for p in months {
        for rule in rules(p) {
            let (l, h) = rule.bounds(p, id);
            if let Some(l) = l {
                lo = Some(lo.map_or(l, |m| m.max(l)));
            }
            if let Some(h) = h {
                hi = Some(hi.map_or(h, |m| m.min(h)));
            }
        }
    }
    (lo, hi)
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

fn span_of(p: &Params, ids: &[ParamId]) -> Option<Range<usize>> {
    ids.iter().find_map(|id| p.param(*id).origin.span.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn small() -> Params {
        crate::model::testing::small().base
    }

    #[test]
    fn a_valid_model_breaks_no_rule() {
        let p = small();
        assert!(broken(&p).is_empty());
        // Three sum lists, the deductions, one price rule per buyer (2).
        assert_eq!(rules(&p).len(), 6);
    }

    #[test]
    fn bounds_come_from_the_other_parameters() {
        let mut p = small();
        // One deduction of 0.05: alone it may rise to 1.
        assert_eq!(bounds_over([&p], ParamId::DeductionRate(0)), (None, Some(d("1"))));
        // Price 80: an offset may go down to -80; the price is bounded
        // below by minus the largest discount (offsets 0 and 0 → 0).
        assert_eq!(bounds_over([&p], ParamId::BuyerOffset(1)), (Some(d("-80")), None));
        p.set_value(ParamId::BuyerOffset(0), d("-2.5"));
        p.set_value(ParamId::BuyerOffset(1), d("1"));
        assert_eq!(bounds_over([&p], ParamId::Price), (Some(d("2.5")), None));
        // Over two months the narrowest bound holds.
        let mut q = p.clone();
        q.set_value(ParamId::Price, d("60"));
        assert_eq!(
            bounds_over([&p, &q], ParamId::BuyerOffset(0)),
            (Some(d("-60")), None)
        );
        assert_eq!(bounds_over([&p], ParamId::RejectionRate), (None, None));
    }

    #[test]
    fn broken_rules_name_their_parameters() {
        let mut p = small();
        p.set_value(ParamId::BuyerShare(0), d("0.4"));
        p.set_value(ParamId::BuyerOffset(1), d("-81"));
        let found = broken(&p);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0.message, "the shares add up to 1.1 (0.4 + 0.7)");
        assert_eq!(
            found[0].1.params(),
            &[ParamId::BuyerShare(0), ParamId::BuyerShare(1)]
        );
        assert_eq!(found[1].1.params(), &[ParamId::Price, ParamId::BuyerOffset(1)]);
        assert!(matches!(
            sum_rule_of(&p, ParamId::ItemWeight(1)),
            Some(Rule::SumIsOne {
                what: "the basket weights",
                ..
            })
        ));
        assert_eq!(sum_rule_of(&p, ParamId::Price), None);
    }
}
