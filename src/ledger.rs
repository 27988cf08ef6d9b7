//! The double-entry ledger: every movement of dollars is a posting from one
//! named account to another, so the engine can show where each dollar of
//! revenue went and prove, exactly, that none was created or lost.

use std::fmt;

/// What an overflow of a balance says it was computing; the engine then
/// names among its inputs the opening balances and the revenue inputs
/// (volume, price, each buyer's share and offset) that every balance carries.
pub const BALANCE: &str = "a ledger balance";

use rust_decimal::Decimal;

use crate::num::decimal::{Checked, Overflow};
/// Whether `s` is exactly `a + b` (`b` negated for a difference): the
/// mantissas aligned to one scale in 128 bits, where a `Decimal` sum past
/// 28 digits would have rounded.
fn is_exact_sum(a: Decimal, b: Decimal, negate: bool, s: Decimal) -> bool {
    if b.is_zero() {
        return s == a;
    }
    if a.is_zero() {
        return if negate { s == -b } else { s == b };
    }
    let scale = a.scale().max(b.scale()).max(s.scale());
    let up = |x: Decimal| x.mantissa().checked_mul(10i128.checked_pow(scale - x.scale())?);
    let (Some(a), Some(b), Some(s)) = (up(a), up(b), up(s)) else {
        return false;
    };
    a.checked_add(if negate { -b } else { b }) == Some(s)
}

/// `a + b` (`b` negated for a difference) exactly, or the overflow it
/// is: a sum past 28 digits that a `Decimal` would round (a cent lost on a
/// balance of 1e28) is refused, so no cent is lost and the conservation
/// check never fails for want of digits.
fn sum_exact(a: Decimal, b: Decimal, negate: bool, what: &'static str) -> Result<Decimal, Overflow> {
    let s = if negate { a.sub(b, what)? } else { a.add(b, what)? };
    if is_exact_sum(a, b, negate, s) {
        Ok(s)
    } else {
        Err(Overflow { what })
    }
}

/// `a + b` exactly, as [`sum_exact`].
fn add_exact(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    sum_exact(a, b, false, what)
}

/// `a − b` exactly, as [`sum_exact`].
fn sub_exact(a: Decimal, b: Decimal, what: &'static str) -> Result<Decimal, Overflow> {
    sum_exact(a, b, true, what)
}

/// A named account (docs/model.md §3). List entries by index into the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Account {
    /// `buyer:<name>`, a source: its balance is minus what it paid.
    Buyer(usize),
    /// The CBI account at the NY Fed.
    Custody,
    /// Banknotes held by the CBI in Baghdad.
    Vault,
    /// `deduction:<name>`: what step 2 took off gross revenue for that deduction.
    Deduction(usize),
    /// `payment:<name>`: what step 3 paid out of custody for that government payment.
    Payment(usize),
    /// `airlift:costs`: flight, security and insurance costs of step 4 paid from custody.
    AirliftCosts,
    /// `market:cash`: banknotes the auction sold from the vault (step 6).
    MarketCash,
    /// `market:wires`: wire transfers the auction sent from custody (step 6).
    MarketWires,
}

/// The docs/model.md §3 step that made a posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Step 1: a buyer's gross payment into custody.
    Revenue,
    /// Step 2: a deduction taken from custody.
    Deduction,
    /// Step 3: a government payment from custody.
    Payment,
    /// Step 4: banknotes shipped from custody to the vault.
    Airlift,
    /// Step 4: the flights' cost paid from custody.
    AirliftCost,
    /// Step 6: banknotes sold at the auction, from the vault.
    CashSale,
    /// Step 6: approved wires sent at the auction, from custody.
    WireSale,
}

impl Step {
    /// Step number in docs/model.md §3.
    pub fn number(self) -> u8 {
        match self {
            Step::Revenue => 1,
            Step::Deduction => 2,
            Step::Payment => 3,
            Step::Airlift | Step::AirliftCost => 4,
            Step::CashSale | Step::WireSale => 6,
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Step::Revenue => "revenue",
            Step::Deduction => "deduction",
            Step::Payment => "payment",
            Step::Airlift => "airlift",
            Step::AirliftCost => "airlift cost",
            Step::CashSale => "cash sale",
            Step::WireSale => "wire sale",
        };
        write!(f, "{} {}", self.number(), name)
    }
}

/// One movement of dollars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// Index of the month in the timeline.
    pub month: usize,
    /// The account debited (its balance falls by `amount`).
    pub from: Account,
    /// The account credited (its balance rises by `amount`).
    pub to: Account,
    /// USD moved, exactly (an amount of money: at most 2 decimals).
    pub amount: Decimal,
    /// The docs/model.md §3 step that made the posting.
    pub step: Step,
}

/// Balances of every account, and optionally every posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ledger {
    /// Custody balance (USD) before the first month, `custody.opening_balance_usd`.
    pub custody_opening: Decimal,
    /// Vault balance (USD) before the first month, `airlift.vault_opening_usd`.
    pub vault_opening: Decimal,
    /// Current balance (USD) of the CBI account at the NY Fed.
    pub custody: Decimal,
    /// Current balance (USD) of banknotes in the CBI vault in Baghdad.
    pub vault: Decimal,
    /// Balance of each `buyer:` account, by buyer index: minus what it has paid (USD).
    pub buyers: Vec<Decimal>,
    /// Balance of each `deduction:` account, by deduction index (USD taken so far).
    pub deductions: Vec<Decimal>,
    /// Balance of each `payment:` account, by payment index (USD paid so far).
    pub payments: Vec<Decimal>,
    /// Balance of `airlift:costs`: airlift costs paid so far (USD).
    pub airlift_costs: Decimal,
    /// Balance of `market:cash`: banknotes sold at the auction so far (USD).
    pub market_cash: Decimal,
    /// Balance of `market:wires`: wires sent at the auction so far (USD).
    pub market_wires: Decimal,
    /// Every posting, when the ledger was asked to keep them.
    pub postings: Option<Vec<Posting>>,
}

impl Ledger {
    /// A ledger opening with `custody` and `vault` (USD), `buyers`, `deductions` and
    /// `payments` list accounts at zero, keeping every posting when `keep` is set.
    pub fn new(
        custody: Decimal,
        vault: Decimal,
        buyers: usize,
        deductions: usize,
        payments: usize,
        keep: bool,
    ) -> Self {
        Ledger {
            custody_opening: custody,
            vault_opening: vault,
            custody,
            vault,
            buyers: vec![Decimal::ZERO; buyers],
            deductions: vec![Decimal::ZERO; deductions],
            payments: vec![Decimal::ZERO; payments],
            airlift_costs: Decimal::ZERO,
            market_cash: Decimal::ZERO,
            market_wires: Decimal::ZERO,
            postings: keep.then(Vec::new),
        }
    }

    /// The balance of `account`. Unknown list indices read as zero.
    pub fn balance(&self, account: Account) -> Decimal {
        match account {
            Account::Buyer(i) => self.buyers.get(i).copied().unwrap_or_default(),
            Account::Custody => self.custody,
            Account::Vault => self.vault,
            Account::Deduction(i) => self.deductions.get(i).copied().unwrap_or_default(),
            Account::Payment(i) => self.payments.get(i).copied().unwrap_or_default(),
            Account::AirliftCosts => self.airlift_costs,
            Account::MarketCash => self.market_cash,
            Account::MarketWires => self.market_wires,
        }
    }

    fn slot(&mut self, account: Account) -> Option<&mut Decimal> {
        match account {
            Account::Buyer(i) => self.buyers.get_mut(i),
            Account::Custody => Some(&mut self.custody),
            Account::Vault => Some(&mut self.vault),
            Account::Deduction(i) => self.deductions.get_mut(i),
            Account::Payment(i) => self.payments.get_mut(i),
            Account::AirliftCosts => Some(&mut self.airlift_costs),
            Account::MarketCash => Some(&mut self.market_cash),
            Account::MarketWires => Some(&mut self.market_wires),
        }
    }

    /// Moves `amount` from one account to another.
    pub fn post(
        &mut self,
        month: usize,
        from: Account,
        to: Account,
        amount: Decimal,
        step: Step,
    ) -> Result<(), Overflow> {
        let what = BALANCE;
        let missing = Overflow {
            what: "a posting to an unknown account",
        };
        let f = self.slot(from).ok_or_else(|| missing.clone())?;
        *f = sub_exact(*f, amount, what)?;
        let t = self.slot(to).ok_or(missing)?;
        *t = add_exact(*t, amount, what)?;
        if let Some(p) = &mut self.postings {
            p.push(Posting {
                month,
                from,
                to,
                amount,
                step,
            });
        }
        Ok(())
    }

    /// Total paid in by the buyers so far (Σ gross).
    pub fn gross_total(&self) -> Result<Decimal, Overflow> {
        sum(self.buyers.iter().map(|b| -*b))
    }

    /// Σ balances of every deduction:, payment:, airlift:costs and market: account.
    pub fn outflows_total(&self) -> Result<Decimal, Overflow> {
        sum(self
            .deductions
            .iter()
            .chain(&self.payments)
            .chain([&self.airlift_costs, &self.market_cash, &self.market_wires])
            .copied())
    }

    /// Checks docs/model.md's conservation identity exactly:
    /// custody_opening + vault_opening + Σ gross =
    /// custody_closing + vault_closing + Σ outflow balances.
    pub fn conservation(&self) -> Result<Conservation, Overflow> {
        let what = "the conservation check";
        let sources = add_exact(
            add_exact(self.custody_opening, self.vault_opening, what)?,
            self.gross_total()?,
            what,
        )?;
        let uses = add_exact(
            add_exact(self.custody, self.vault, what)?,
            self.outflows_total()?,
            what,
        )?;
        Ok(Conservation { sources, uses })
    }
}

/// Both sides of the conservation identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conservation {
    /// Opening balances plus gross revenue.
    pub sources: Decimal,
    /// Closing balances plus every outflow.
    pub uses: Decimal,
}

impl Conservation {
    /// Whether the two sides are exactly equal: no dollar was created or lost.
    pub fn holds(&self) -> bool {
        self.sources == self.uses
    }
}

fn sum(xs: impl Iterator<Item = Decimal>) -> Result<Decimal, Overflow> {
    xs.into_iter()
        .try_fold(Decimal::ZERO, |a, x| add_exact(a, x, "a ledger total"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    #[test]
    fn a_posting_that_would_lose_a_cent_is_an_overflow() {
        // 1e28 + 0.01 has 31 digits: a Decimal would keep 1e28.
        let mut l = Ledger::new(d("10000000000000000000000000000"), d("0"), 1, 1, 0, false);
        let e = l
            .post(0, Account::Buyer(0), Account::Custody, d("0.01"), Step::Revenue)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "arithmetic overflow while computing a ledger balance"
        );
        // Digits that are zeros are not lost: 1e28 + 5.00 is exact.
        let mut l = Ledger::new(d("10000000000000000000000000000"), d("0"), 1, 1, 0, false);
        l.post(0, Account::Buyer(0), Account::Custody, d("5.00"), Step::Revenue)
            .unwrap();
        assert_eq!(l.custody, d("10000000000000000000000000005"));
        assert!(l.conservation().unwrap().holds());
    }

    #[test]
    fn postings_move_money_and_conserve() {
        let mut l = Ledger::new(d("100.00"), d("5.00"), 1, 1, 0, true);
        l.post(0, Account::Buyer(0), Account::Custody, d("50.00"), Step::Revenue)
            .unwrap();
        l.post(
            0,
            Account::Custody,
            Account::Deduction(0),
            d("2.50"),
            Step::Deduction,
        )
        .unwrap();
        l.post(0, Account::Custody, Account::Vault, d("10.00"), Step::Airlift)
            .unwrap();
        l.post(0, Account::Vault, Account::MarketCash, d("12.00"), Step::CashSale)
            .unwrap();
        assert_eq!(l.custody, d("137.50"));
        assert_eq!(l.vault, d("3.00"));
        assert_eq!(l.gross_total().unwrap(), d("50.00"));
        // 100 + 5 + 50 = 137.50 + 3.00 + 2.50 + 12.00 = 155
        let c = l.conservation().unwrap();
        assert_eq!(c.sources, d("155.00"));
        assert!(c.holds());
        assert_eq!(l.postings.as_ref().map(Vec::len), Some(4));
    }

    /// One dollar of revenue from `buyer` into custody, in the first month.
    fn revenue_of_one(l: &mut Ledger, buyer: usize) -> Result<(), Overflow> {
        l.post(
            0,
            Account::Buyer(buyer),
            Account::Custody,
            Decimal::ONE,
            Step::Revenue,
        )
    }

    #[test]
    fn overflow_is_an_error() {
        let mut l = Ledger::new(Decimal::MAX, Decimal::ZERO, 1, 0, 0, false);
        assert!(revenue_of_one(&mut l, 0).is_err());
    }

    #[test]
    fn unknown_account_is_an_error_not_a_panic() {
        let mut l = Ledger::new(Decimal::ZERO, Decimal::ZERO, 0, 0, 0, false);
        assert!(revenue_of_one(&mut l, 3).is_err());
    }
}
