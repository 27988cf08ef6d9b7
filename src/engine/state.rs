//! What the steps of one month compute (`Month`) and what a month hands on
//! to the next (`State`: balances, last month's parallel rate, the
//! exchange-rate moves that later months' prices still feel), with the one
//! posting every outflow from custody goes through.

use super::arith::{Arith, Impact};
use crate::calendar::MonthInfo;
use crate::ledger::{Account, Step};

/// What one month carries into the next.
pub struct State<V> {
    /// Custody and vault balances.
    pub custody: V,
    /// Banknotes in the CBI vault in Baghdad (USD): step 4 adds, step 6 sells.
    pub vault: V,
    /// Their opening balances together, and Σ gross and Σ outflows so far
    /// (the two sides of the ledger identity).
    pub opening: V,
    /// Σ gross revenue (USD) of every month so far (step 1).
    pub gross_total: V,
    /// Σ outflows (USD) so far: deductions, payments, airlift costs paid, cash sold and
    /// wires sent (steps 2, 3, 4 and 6).
    pub outflows: V,
    /// Last month's published parallel rate (v2 persistence).
    pub prev_parallel: Option<V>,
    /// The official rate the parallel anchor was observed at (v2).
    pub anchor: Option<V>,
    /// `(effective − reference, reference)` of the months before, most
    /// recent last, as many as later lags need (v2 `lag_weights`).
    pub moves: Vec<(V, V)>,
    /// The CPI impact of the last twelve months, most recent last (v2
    /// `cpi_yoy_pct`).
    pub impacts: Vec<Impact<V>>,
    /// Homes set aside for `moves` (two per lag), so that the impacts'
    /// homes stay put while the history of moves grows.
    pub move_homes: usize,
}

/// This month's quantities, as the steps compute them in order.
pub struct Month<V> {
    /// Index of the month in the plan's timeline.
    pub i: usize,
    /// The month, its days and its auction sessions.
    pub info: MonthInfo,
    /// Custody and vault at the start of the month (for `explain`).
    pub custody_open: V,
    /// Vault at the start of the month (USD), before step 4's shipment.
    pub vault_open: V,
    /// Step 1: Σ gross revenue of every buyer this month (USD, each `round2`).
    pub gross: V,
    /// Step 1: each buyer's gross (USD), in buyer order; filled only when recording.
    pub gross_by_buyer: Vec<V>,
    /// Step 2: Σ deductions this month (USD, each `round2`).
    pub deductions: V,
    /// Step 2: `gross − deductions` (USD).
    pub net: V,
    /// Step 3: Σ government payments actually paid from custody (USD).
    pub payments: V,
    /// Step 3: each payment paid (USD), in file order; filled only when recording.
    pub paid_by: Vec<V>,
    /// Steps 3–4: what fell due but custody could not pay (USD); not carried over.
    pub arrears: V,
    /// Step 4: banknotes flown from custody to the vault (USD).
    pub shipped: V,
    /// Step 4: the part of the airlift's cost custody could pay (USD).
    pub cost_paid: V,
    /// Step 5: banknote requests, `round2(cash_share × requests)` (USD).
    pub cash_req: V,
    /// Step 5: wire requests that passed screening, `wires_req − rejected` (USD).
    pub approved: V,
    /// Step 5: wire requests rejected by screening (USD, each `round2`).
    pub rejected: V,
    /// Step 6: banknotes sold from the vault, `min(cash_req, vault)` (USD).
    pub cash_sold: V,
    /// Step 6: approved wires sent from custody, `min(approved, custody)` (USD).
    pub wires_sent: V,
    /// `cash_sold + wires_sent`.
    pub sold: V,
    /// Step 6: demand the auction did not meet: rejected wires plus what the vault and
    /// custody could not cover (USD).
    pub unmet: V,
    /// The official rate in force this month (IQD per USD), read in steps 6 and 7.
    pub official: V,
    /// Step 7: the parallel (street) rate, floored at the official rate (IQD per USD).
    pub parallel: V,
    /// Step 8: the effective import rate (IQD per USD, `round4`); left at zero when no
    /// metric needs it.
    pub effective: V,
}

impl<V: Copy> Month<V> {
    /// Month `i` before its steps: every quantity zero, the opening
    /// balances those `s` carries in.
    pub fn new(i: usize, info: MonthInfo, s: &State<V>, zero: V) -> Self {
        Month {
            i,
            info,
            custody_open: s.custody,
            vault_open: s.vault,
            gross: zero,
            gross_by_buyer: Vec::new(),
            deductions: zero,
            net: zero,
            payments: zero,
            paid_by: Vec::new(),
            arrears: zero,
            shipped: zero,
            cost_paid: zero,
            cash_req: zero,
            approved: zero,
            rejected: zero,
            cash_sold: zero,
            wires_sent: zero,
            sold: zero,
            unmet: zero,
            official: zero,
            parallel: zero,
            effective: zero,
        }
    }
}

/// Homes kept for the carried state besides the history of moves and
/// impacts: custody, vault, opening, Σ gross, Σ outflows, last parallel
/// rate, anchor.
pub const FIXED_HOMES: usize = 7;

impl<V: Copy> State<V> {
    /// Moves everything the next month needs into its home.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn keep<A: Arith<V = V>>(&mut self, a: &mut A) {
        self.custody = a.keep(self.custody, 0);
        self.vault = a.keep(self.vault, 1);
        self.opening = a.keep(self.opening, 2);
        self.gross_total = a.keep(self.gross_total, 3);
        self.outflows = a.keep(self.outflows, 4);
        if let Some(p) = self.prev_parallel {
            self.prev_parallel = Some(a.keep(p, 5));
        }
        if let Some(x) = self.anchor {
            self.anchor = Some(a.keep(x, 6));
        }
        let mut home = FIXED_HOMES;
        for (gap, reference) in self.moves.iter_mut() {
            *gap = a.keep(*gap, home);
            *reference = a.keep(*reference, home + 1);
            home += 2;
        }
        // Fixed homes: the moves' history grows over the first months and
        // must not shift the impacts onto homes it has just written.
        home = FIXED_HOMES + self.move_homes;
        for x in self.impacts.iter_mut() {
            x.exposure = a.keep(x.exposure, home);
            x.num = a.keep(x.num, home + 1);
            x.den = a.keep(x.den, home + 2);
            home += 3;
        }
    }
}

/// Posts `amount` out of custody to `to`, counting it as an outflow.
#[cfg_attr(not(debug_assertions), inline(always))]
pub fn pay_out<A: Arith>(
    a: &mut A,
    s: &mut State<A::V>,
    to: Account,
    amount: A::V,
    step: Step,
) -> Result<(), A::E> {
    a.post(Account::Custody, to, amount, step)?;
    s.custody = a.sub(s.custody, amount)?;
    s.outflows = a.add(s.outflows, amount)?;
    Ok(())
}
