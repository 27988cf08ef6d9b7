//! MODEL.md §5 step 9: the effective import rate passes through to consumer
//! prices, item by item of the CPI basket and for the CPI as a whole.

use rust_decimal::Decimal;

use super::fixed::Fixed;
use crate::model::Params;
use crate::num::decimal::{round4, Checked, Overflow};
use crate::num::fixed::{div_round, Num};

/// Price impacts in percent: per basket item, and the CPI.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PriceImpact {
    pub items: Vec<Decimal>,
    pub cpi: Decimal,
}

/// `de = effective / reference − 1`;
/// `item_i = round4(100 × import_content_i × pass_through_i × de)`;
/// `cpi = round4(100 × Σ weight_i × import_content_i × pass_through_i × de)`
/// from the unrounded terms: each is one exact division by the reference
/// rate, rounded once.
pub fn price_impact(p: &Params, effective: Decimal) -> Result<PriceImpact, Overflow> {
    let basket: Vec<(Num, Num, Num)> = p
        .prices
        .basket
        .iter()
        .map(|i| {
            (
                Num::from_dec(i.weight.value),
                Num::from_dec(i.import_content.value),
                Num::from_dec(i.pass_through.value),
            )
        })
        .collect();
    let reference = Num::from_dec(p.prices.reference_rate.value);
    let eff = Num::from_dec(effective);
    let items: Option<Vec<Decimal>> = basket
        .iter()
        .map(|&(_, ic, pt)| item_exact(ic.times(pt)?, eff, reference).map(Num::to_dec))
        .collect();
    let cpi = cpi_exact(&basket, eff, reference).map(Num::to_dec);
    match (items, cpi) {
        (Some(items), Some(cpi)) => Ok(PriceImpact { items, cpi }),
        _ => decimal_price_impact(p, effective),
    }
}

/// `round4(100 × exposure × (effective − reference) / reference)` with
/// `exposure = import_content × pass_through`.
pub fn item_exact<T: Fixed>(exposure: T, effective: T, reference: T) -> Option<T> {
    let gap = effective.minus(reference)?;
    let scaled = T::int(100).times(exposure)?.times(gap)?;
    T::from_num(div_round(scaled.to_num(), reference.to_num(), 4)?)
}

/// `round4(100 × Σ weight × import_content × pass_through × (effective − reference) / reference)`.
pub fn cpi_exact(basket: &[(Num, Num, Num)], effective: Num, reference: Num) -> Option<Num> {
    let exposure = basket
        .iter()
        .try_fold(Num::ZERO, |acc, &(w, ic, pt)| acc.plus(w.times(ic)?.times(pt)?))?;
    item_exact(exposure, effective, reference)
}

/// Step 9 in `Decimal` with a 28-digit `de`, for numbers too large for the
/// exact fractions.
fn decimal_price_impact(p: &Params, effective: Decimal) -> Result<PriceImpact, Overflow> {
    let what = "the price impact";
    let de = effective
        .div(p.prices.reference_rate.value, what)?
        .sub(Decimal::ONE, what)?;
    let mut items = Vec::with_capacity(p.prices.basket.len());
    let mut total = Decimal::ZERO;
    for item in &p.prices.basket {
        let term = item
            .import_content
            .value
            .mul(item.pass_through.value, what)?
            .mul(de, what)?;
        items.push(round4(Decimal::ONE_HUNDRED.mul(term, what)?));
        total = total.add(item.weight.value.mul(term, what)?, what)?;
    }
    let cpi = round4(Decimal::ONE_HUNDRED.mul(total, what)?);
    Ok(PriceImpact { items, cpi })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, params};

    #[test]
    fn impacts_follow_import_content_and_pass_through() {
        let p = params();
        // de = 1594.2706 / 1470 − 1 = 0.0845378231...
        // Food: 100 × 0.5 × 0.6 × de = 2.53613... → 2.5361
        // Other: 100 × 0.25 × 0.4 × de = 0.845378... → 0.8454
        // CPI: 100 × (0.4 × 0.3 + 0.6 × 0.1) × de = 18 × de = 1.52168... → 1.5217
        let r = price_impact(&p, d("1594.2706")).unwrap();
        assert_eq!(r.items, vec![d("2.5361"), d("0.8454")]);
        assert_eq!(r.cpi, d("1.5217"));
    }

    #[test]
    fn cpi_uses_unrounded_terms() {
        let mut p = params();
        p.prices.reference_rate.value = d("1000");
        for (item, pt) in p.prices.basket.iter_mut().zip(["0.0000004", "0.0000014"]) {
            item.weight.value = d("0.5");
            item.import_content.value = d("1");
            item.pass_through.value = d(pt);
        }
        // de = 2000 / 1000 − 1 = 1.
        // Items: 100 × 0.0000004 = 0.00004 → 0.0000; 100 × 0.0000014 = 0.00014 → 0.0001.
        // CPI from unrounded terms: 100 × (0.5 × 0.0000004 + 0.5 × 0.0000014) = 0.00009 → 0.0001,
        // where weighting the rounded items would give 0.00005 → 0.0000.
        let r = price_impact(&p, d("2000")).unwrap();
        assert_eq!(r.items, vec![d("0.0000"), d("0.0001")]);
        assert_eq!(r.cpi, d("0.0001"));
    }
}
