//! What the steps of one month compute (`Month`) and what a month hands on
//! to the next (`State`: balances, last month's parallel rate, the
//! exchange-rate moves that later months' prices still feel), with the one
//! posting every outflow from custody goes through.

use super::arith::{Arith, Impact};
use super::plan::Plan;
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
    /// How many entries `moves` may hold (one per lag): its homes are set
    /// aside, so that the impacts' homes stay put while it grows.
    pub lags: usize,
    /// How many months of `impacts` are kept: [`IMPACT_MONTHS`] when
    /// `cpi_yoy_pct` is wanted, else none.
    pub impact_months: usize,
}

/// What a step of the month works on: the plan, what the months carry
/// from one to the next, this month's quantities so far, and whether
/// `cpi_yoy_pct` is wanted (step 9 then keeps twelve months of impacts).
pub struct Work<'w, V> {
    /// The plan being run.
    pub plan: &'w Plan<'w>,
    /// What the months carry.
    pub s: &'w mut State<V>,
    /// This month's quantities.
    pub m: &'w mut Month<V>,
    /// Whether `cpi_yoy_pct` is wanted.
    pub yoy: bool,
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

/// The most months of CPI impacts `State::impacts` holds (`cpi_yoy_pct`
/// looks twelve months back).
pub const IMPACT_MONTHS: usize = 12;

/// What [`State::carry`] hands each carried value to, in declaration
/// order: the lane backend's homes are given out in that order, so none is
/// numbered by hand.
pub trait Carrier<V> {
    /// One value, always present.
    fn one(&mut self, name: &'static str, v: &mut V);
    /// A value some models have (v2 persistence, the anchor).
    fn maybe(&mut self, name: &'static str, v: &mut Option<V>);
    /// A history of `entries` entries at most, `width` values each, most
    /// recent last; its homes stay put as it grows.
    fn history<'v>(
        &mut self,
        name: &'static str,
        width: usize,
        entries: usize,
        values: impl Iterator<Item = &'v mut V>,
    ) where
        V: 'v;
}

impl<V: Copy> State<V> {
    /// The declaration of what a month carries into the next, the one place
    /// that lists it: every field of `State` is named here (the pattern has
    /// no `..`, so a field added to `State` and left out is a compile
    /// error), and every backend keeps exactly what this hands on
    /// ([`State::keep`], [`State::homes`]).
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn carry(&mut self, c: &mut impl Carrier<V>) {
        let State {
            custody,
            vault,
            opening,
            gross_total,
            outflows,
            prev_parallel,
            anchor,
            moves,
            impacts,
            lags,
            impact_months,
        } = self;
        c.one("custody", custody);
        c.one("vault", vault);
        c.one("opening", opening);
        c.one("gross_total", gross_total);
        c.one("outflows", outflows);
        c.maybe("prev_parallel", prev_parallel);
        c.maybe("anchor", anchor);
        c.history("moves", 2, *lags, moves.iter_mut().flat_map(|(g, r)| [g, r]));
        c.history(
            "impacts",
            3,
            *impact_months,
            impacts
                .iter_mut()
                .flat_map(|x| [&mut x.exposure, &mut x.num, &mut x.den]),
        );
    }

    /// Moves everything the next month needs into its home.
    #[cfg_attr(not(debug_assertions), inline(always))]
    pub fn keep<A: Arith<V = V>>(&mut self, a: &mut A) {
        self.carry(&mut Keeper { a, next: 0 });
    }

    /// How many homes [`State::keep`] uses at most.
    pub fn homes(&mut self) -> usize {
        let mut n = Counter(0);
        self.carry(&mut n);
        n.0
    }
}

/// Keeps each carried value in the next home ([`State::keep`]).
struct Keeper<'a, A> {
    a: &'a mut A,
    next: usize,
}

impl<A: Arith> Keeper<'_, A> {
    /// The first of `n` homes.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn take(&mut self, n: usize) -> usize {
        self.next += n;
        self.next - n
    }
}

impl<A: Arith> Carrier<A::V> for Keeper<'_, A> {
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn one(&mut self, name: &'static str, v: &mut A::V) {
        let home = self.take(1);
        if !left_out(name) {
            *v = self.a.keep(*v, home);
        }
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn maybe(&mut self, name: &'static str, v: &mut Option<A::V>) {
        let home = self.take(1);
        if let Some(x) = v {
            if !left_out(name) {
                *x = self.a.keep(*x, home);
            }
        }
    }
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn history<'v>(
        &mut self,
        name: &'static str,
        width: usize,
        entries: usize,
        values: impl Iterator<Item = &'v mut A::V>,
    ) where
        A::V: 'v,
    {
        let first = self.take(width * entries);
        if left_out(name) {
            return;
        }
        for (home, x) in (first..).zip(values) {
            *x = self.a.keep(*x, home);
        }
    }
}

/// Counts the homes [`State::keep`] uses ([`State::homes`]).
struct Counter(usize);

impl<V> Carrier<V> for Counter {
    fn one(&mut self, _: &'static str, _: &mut V) {
        self.0 += 1;
    }
    fn maybe(&mut self, _: &'static str, _: &mut Option<V>) {
        self.0 += 1;
    }
    fn history<'v>(
        &mut self,
        _: &'static str,
        width: usize,
        entries: usize,
        _: impl Iterator<Item = &'v mut V>,
    ) where
        V: 'v,
    {
        self.0 += width * entries;
    }
}

/// Whether the test in progress leaves the carried value `name` out of
/// [`State::keep`], to show that it cannot go unnoticed.
#[cfg(test)]
fn left_out(name: &str) -> bool {
    tests::LEFT_OUT.with(|l| l.get() == Some(name))
}

#[cfg(not(test))]
#[cfg_attr(not(debug_assertions), inline(always))]
fn left_out(_: &str) -> bool {
    false
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use rust_decimal::Decimal;

    use super::*;
    use crate::engine::kernel::Kernel;
    use crate::engine::metrics::{MetricId, MetricRef};
    use crate::model::{load_str, Model, ParamId};
    use crate::num::fixed::Num;

    thread_local! {
        /// The carried value the test in progress leaves out of `State::keep`.
        pub(super) static LEFT_OUT: Cell<Option<&'static str>> = const { Cell::new(None) };
    }

    /// The names [`State::carry`] declares, in order.
    struct Names(Vec<&'static str>);

    impl<V> Carrier<V> for Names {
        fn one(&mut self, name: &'static str, _: &mut V) {
            self.0.push(name);
        }
        fn maybe(&mut self, name: &'static str, _: &mut Option<V>) {
            self.0.push(name);
        }
        fn history<'v>(&mut self, name: &'static str, _: usize, _: usize, _: impl Iterator<Item = &'v mut V>)
        where
            V: 'v,
        {
            self.0.push(name);
        }
    }

    /// A state of zero balances that remembers nothing.
    fn blank() -> State<i32> {
        State {
            custody: 0,
            vault: 0,
            opening: 0,
            gross_total: 0,
            outflows: 0,
            prev_parallel: None,
            anchor: None,
            moves: Vec::new(),
            impacts: Vec::new(),
            lags: 0,
            impact_months: 0,
        }
    }

    fn declared() -> Vec<&'static str> {
        let mut s = blank();
        let mut names = Names(Vec::new());
        s.carry(&mut names);
        names.0
    }

    /// The metrics whose value on the lane backend differs from the exact
    /// run's (or that the lanes could not give), with the parameters every
    /// carried value depends on drawn (at their own values), so that none
    /// is a constant the lanes need not keep.
    fn lanes_differ(model: &Model) -> Vec<String> {
        use crate::model::ParamId::*;
        let inputs = [
            Price,
            OpeningBalance,
            CashPerMonth,
            VaultOpening,
            BaselineRate,
            AnchorOfficial,
            ReferenceRate,
            ItemPassThrough(0),
        ];
        let values: Vec<(ParamId, Decimal)> = inputs.iter().map(|id| (*id, model.base.get(*id))).collect();
        let places: Vec<u32> = values.iter().map(|v| v.1.scale()).collect();
        let units: Vec<i64> = values
            .iter()
            .map(|v| i64::try_from(v.1.mantissa()).unwrap())
            .collect();
        let metrics: Vec<MetricRef> = MetricId::all(&model.base)
            .into_iter()
            .map(MetricRef::new)
            .collect();
        let run = crate::engine::run_model_with(model, &values, false).unwrap();
        let kernel = Kernel::new(model, &inputs, &metrics);
        let mut scratch = kernel.block_scratch();
        let mut got = vec![Num::ZERO; metrics.len()];
        let on_lanes = kernel.eval_units(&mut scratch, &places, &units, false, &mut got);
        let mut out = Vec::new();
        if on_lanes.as_ref().ok() != Some(&1) {
            out.push(format!("the lanes declined: {on_lanes:?}"));
        }
        for (m, v) in metrics.iter().zip(&got) {
            let want = m.evaluate(&run).unwrap();
            if v.to_dec() != want {
                out.push(format!(
                    "{}: {} on lanes, {want} exact",
                    m.display(&model.base),
                    v.to_dec()
                ));
            }
        }
        out
    }

    /// Leaving any carried value out of what a month keeps cannot go
    /// unnoticed: the exact backend keeps nothing by hand, so the lane
    /// backend (which `sweep`, `mc` and the other batch commands use) then
    /// disagrees with it. The default model carries every kind of value
    /// (the vault, persistence, the anchor, lags, `cpi_yoy_pct`).
    #[test]
    fn a_carried_value_left_out_of_keep_shows_in_the_lanes() {
        let model = load_str("iraq-2023.toml", include_str!("../../models/iraq-2023.toml")).unwrap();
        assert_eq!(lanes_differ(&model), Vec::<String>::new());
        let names = declared();
        assert_eq!(names.len(), 9, "{names:?}");
        // Made before the first month (`opening`) or read straight from a
        // parameter (`anchor`): the lanes never release them, so leaving
        // them out changes nothing; every other value must show.
        let harmless = ["opening", "anchor"];
        for name in names {
            LEFT_OUT.with(|l| l.set(Some(name)));
            // A stale lane may also be read past the block's end: a panic
            // is noticed too.
            let differ = std::panic::catch_unwind(|| lanes_differ(&model))
                .unwrap_or_else(|_| vec!["a panic on the lanes".to_string()]);
            LEFT_OUT.with(|l| l.set(None));
            if harmless.contains(&name) {
                assert_eq!(differ, Vec::<String>::new(), "{name}");
            } else {
                assert!(
                    !differ.is_empty(),
                    "{name} left out of State::keep went unnoticed"
                );
            }
        }
    }

    /// Every home `keep` uses is one `homes` counted, and no two overlap.
    #[test]
    fn homes_are_counted_as_they_are_used() {
        let mut s = State {
            prev_parallel: Some(0),
            anchor: Some(0),
            moves: vec![(0, 0); 2],
            impacts: vec![
                Impact {
                    exposure: 0,
                    num: 0,
                    den: 0
                };
                IMPACT_MONTHS
            ],
            lags: 3,
            impact_months: IMPACT_MONTHS,
            ..blank()
        };
        assert_eq!(s.homes(), 7 + 2 * 3 + 3 * IMPACT_MONTHS);
    }
}
