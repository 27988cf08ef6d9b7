//! MODEL.md §5 steps 1–3: oil revenue by buyer into custody, the deductions
//! taken off gross revenue, and the government's external payments.

use rust_decimal::Decimal;

use crate::model::Params;
use crate::num::decimal::{round2, Checked, Overflow};

/// Step 1: `gross_b = round2(volume_bpd × days × share_b × (price + offset_b))`.
pub fn gross_by_buyer(p: &Params, days: u32) -> Result<Vec<Decimal>, Overflow> {
    let what = "gross revenue";
    let base = p.exports.volume_bpd.value.mul(Decimal::from(days), what)?;
    p.exports
        .buyers
        .iter()
        .map(|b| {
            let price = p.exports.price.value.add(b.price_offset.value, what)?;
            Ok(round2(base.mul(b.share.value, what)?.mul(price, what)?))
        })
        .collect()
}

/// Step 2: `ded_d = round2(rate_d × gross)`, in file order.
pub fn deductions(p: &Params, gross: Decimal) -> Result<Vec<Decimal>, Overflow> {
    p.deductions
        .iter()
        .map(|d| Ok(round2(d.rate.value.mul(gross, "a deduction")?)))
        .collect()
}

/// Step 3 for one payment: what is paid out of `avail`, and the arrears.
pub fn payment(due: Decimal, avail: Decimal) -> Result<(Decimal, Decimal), Overflow> {
    let paid = due.min(avail);
    Ok((paid, due.sub(paid, "arrears")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, params};

    #[test]
    fn gross_rounds_each_buyer_to_cents() {
        let mut p = params();
        // 1,000 bpd × 31 days × 0.3 × (80.005 - 0.5) = 9,300 × 79.505 = 739,396.5 exactly.
        p.exports.price.value = d("80.005");
        p.exports.buyers[0].price_offset.value = d("-0.5");
        // 1,000 × 31 × 0.7 × 80.005 = 1,736,108.5 exactly.
        assert_eq!(
            gross_by_buyer(&p, 31).unwrap(),
            vec![d("739396.50"), d("1736108.50")]
        );
        // 1,000 × 30 × 0.3 × 79.505 = 715,545.00; × 0.7 × 80.005 = 1,680,105.00
        assert_eq!(
            gross_by_buyer(&p, 30).unwrap(),
            vec![d("715545.00"), d("1680105.00")]
        );
    }

    #[test]
    fn gross_rounds_half_to_even() {
        let mut p = params();
        p.exports.volume_bpd.value = d("1");
        p.exports.price.value = d("0.0125");
        p.exports.buyers[0].price_offset.value = d("0");
        // 1 × 1 × 0.3 × 0.0125 = 0.00375 → 0.00 (3.75 tenths of a cent → 0.00? no: 0.00375 → 0.00)
        // 1 × 1 × 0.7 × 0.0125 = 0.00875 → 0.01
        assert_eq!(gross_by_buyer(&p, 1).unwrap(), vec![d("0.00"), d("0.01")]);
        p.exports.price.value = d("0.05");
        // 0.3 × 0.05 = 0.015 → 0.02 (half to even: 1.5 cents → 2); 0.7 × 0.05 = 0.035 → 0.04
        assert_eq!(gross_by_buyer(&p, 1).unwrap(), vec![d("0.02"), d("0.04")]);
        p.exports.price.value = d("0.25");
        // 0.3 × 0.25 = 0.075 → 0.08; 0.7 × 0.25 = 0.175 → 0.18; now with 0.05 → ties even
        p.exports.buyers[0].share.value = d("0.1");
        p.exports.buyers[1].share.value = d("0.9");
        // 0.1 × 0.25 = 0.025 → 0.02 (even); 0.9 × 0.25 = 0.225 → 0.22 (even)
        assert_eq!(gross_by_buyer(&p, 1).unwrap(), vec![d("0.02"), d("0.22")]);
    }

    #[test]
    fn deductions_are_a_rounded_share_of_gross() {
        let p = params();
        // 5% of 1,234,567.89 = 61,728.3945 → 61,728.39
        assert_eq!(deductions(&p, d("1234567.89")).unwrap(), vec![d("61728.39")]);
        // 5% of 0.10 = 0.005 → 0.00 (half to even)
        assert_eq!(deductions(&p, d("0.10")).unwrap(), vec![d("0.00")]);
    }

    #[test]
    fn payments_are_capped_by_the_balance() {
        assert_eq!(payment(d("500"), d("800.00")).unwrap(), (d("500"), d("0")));
        assert_eq!(
            payment(d("500"), d("120.50")).unwrap(),
            (d("120.50"), d("379.50"))
        );
    }
}
