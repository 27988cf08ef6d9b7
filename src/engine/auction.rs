//! MODEL.md §5 steps 5–6: the CBI dollar auction. Banks' requests are split
//! into banknotes and wire transfers, the compliance platform rejects a
//! share of the wires, and what is approved is settled from the vault and
//! from custody; whatever is not settled is unmet demand.

use rust_decimal::Decimal;

use crate::model::Params;
use crate::num::decimal::{round2, Checked, Overflow};

/// Step 5: the month's requests and how screening treats them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Requests {
    pub requests: Decimal,
    pub cash_req: Decimal,
    pub wires_req: Decimal,
    pub rejected: Decimal,
    pub approved_req: Decimal,
}

/// `requests = requests_usd_per_day × sessions`; `cash_req = round2(cash_share × requests)`;
/// rejected wires per bank (or for the whole window) rounded to cents.
pub fn requests(p: &Params, sessions: u32) -> Result<Requests, Overflow> {
    let a = &p.auction;
    let requests = a
        .requests_per_day
        .value
        .mul(Decimal::from(sessions), "auction requests")?;
    let cash_req = round2(a.cash_share.value.mul(requests, "cash requests")?);
    let wires_req = requests.sub(cash_req, "wire requests")?;
    let rejected = if a.banks.is_empty() {
        round2(a.rejection_rate.value.mul(wires_req, "rejected wires")?)
    } else {
        a.banks.iter().try_fold(Decimal::ZERO, |acc, b| {
            let rate = b.rejection_rate.as_ref().unwrap_or(&a.rejection_rate).value;
            let bank_req = round2(b.share.value.mul(wires_req, "a bank's wire requests")?);
            acc.add(round2(rate.mul(bank_req, "rejected wires")?), "rejected wires")
        })?
    };
    let approved_req = wires_req.sub(rejected, "approved wires")?;
    Ok(Requests {
        requests,
        cash_req,
        wires_req,
        rejected,
        approved_req,
    })
}

/// Step 6: what was settled and what was left unmet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Settlement {
    pub cash_sold: Decimal,
    pub wires_sent: Decimal,
    pub unmet: Decimal,
    pub dinars_absorbed: Decimal,
}

/// `cash_sold = min(cash_req, vault)`, `wires_sent = min(approved_req, avail)`,
/// `unmet = rejected + unsold cash + unsent approved wires`,
/// `dinars_absorbed = round2((cash_sold + wires_sent) × official_rate)`.
pub fn settle(
    r: &Requests,
    vault: Decimal,
    avail: Decimal,
    official_rate: Decimal,
) -> Result<Settlement, Overflow> {
    let what = "unmet demand";
    let cash_sold = r.cash_req.min(vault);
    let wires_sent = r.approved_req.min(avail);
    let unmet = r
        .rejected
        .add(r.cash_req.sub(cash_sold, what)?, what)?
        .add(r.approved_req.sub(wires_sent, what)?, what)?;
    let sold = cash_sold.add(wires_sent, "dollars sold")?;
    let dinars_absorbed = round2(sold.mul(official_rate, "dinars absorbed")?);
    Ok(Settlement {
        cash_sold,
        wires_sent,
        unmet,
        dinars_absorbed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, params};
    use crate::model::{Bank, Param};

    #[test]
    fn requests_split_into_cash_and_screened_wires() {
        let p = params();
        // 100,000 × 23 sessions = 2,300,000; cash 20% = 460,000.00;
        // wires 1,840,000.00, 80% rejected = 1,472,000.00, approved 368,000.00.
        let r = requests(&p, 23).unwrap();
        assert_eq!(r.requests, d("2300000"));
        assert_eq!(r.cash_req, d("460000.00"));
        assert_eq!(r.wires_req, d("1840000.00"));
        assert_eq!(r.rejected, d("1472000.00"));
        assert_eq!(r.approved_req, d("368000.00"));
    }

    #[test]
    fn banks_are_screened_one_by_one() {
        let mut p = params();
        p.auction.requests_per_day.value = d("333.33");
        p.auction.banks = vec![
            Bank {
                name: "Sanctioned".into(),
                share: Param::new(d("0.1")),
                rejection_rate: Some(Param::new(d("1"))),
            },
            Bank {
                name: "Rest".into(),
                share: Param::new(d("0.9")),
                rejection_rate: None,
            },
        ];
        // requests = 333.33 × 3 = 999.99; cash = round2(199.998) = 200.00; wires = 799.99.
        // Sanctioned: round2(0.1 × 799.99 = 79.999) = 80.00, all rejected: 80.00.
        // Rest: round2(0.9 × 799.99 = 719.991) = 719.99, 80% = 575.992 → 575.99.
        // rejected = 655.99; approved = 799.99 − 655.99 = 144.00.
        let r = requests(&p, 3).unwrap();
        assert_eq!(r.cash_req, d("200.00"));
        assert_eq!(r.rejected, d("655.99"));
        assert_eq!(r.approved_req, d("144.00"));
    }

    #[test]
    fn shortages_of_banknotes_and_funds_become_unmet_demand() {
        let r = Requests {
            requests: d("1000"),
            cash_req: d("200.00"),
            wires_req: d("800.00"),
            rejected: d("640.00"),
            approved_req: d("160.00"),
        };
        // Vault has 150, custody 100.25: unmet = 640 + 50 + 59.75 = 749.75;
        // dinars = (150 + 100.25) × 1,310 = 327,827.50.
        let s = settle(&r, d("150.00"), d("100.25"), d("1310")).unwrap();
        assert_eq!(s.cash_sold, d("150.00"));
        assert_eq!(s.wires_sent, d("100.25"));
        assert_eq!(s.unmet, d("749.75"));
        assert_eq!(s.dinars_absorbed, d("327827.50"));
    }
}
