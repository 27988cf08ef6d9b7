//! The exact backend of the month: every number a `Decimal` as docs/model.md §1.2
//! defines it, every movement of dollars posted to the ledger, divisions
//! done as exact fractions rounded once, and, for `explain`, each step of
//! one month recorded with its formula and numbers. `run`, `trace`,
//! `explain` and `brief` use it, and every many-evaluation command falls
//! back to it for a block the lanes cannot do exactly.
//! The formulas themselves, on `Decimal`s (shared with the lanes' checks
//! and fallbacks), are `formulas.rs`.

mod formulas;
mod wide_ratio;

use formulas::*;
pub use formulas::{
    effective, flights, impact, lagged_decimal, lagged_exact, lagged_quotient, lagged_sum, power_law, yoy,
};

use rust_decimal::Decimal;

use crate::engine::arith::{Arith, Impact, RateArgs};
use crate::engine::explain::{Line, StepRecord};
use crate::engine::metrics::{Core, MetricId, N_CORE};
use crate::engine::plan::Plan;
use crate::engine::step_inputs::{step_overflow, Reads};
use crate::engine::{EngineError, MonthValues, Run};
use crate::ledger::{Account, Ledger, Step};
use crate::model::ParamId;
use crate::num::decimal::{round4, Checked, Overflow};
use crate::num::fixed::{div_round, Num};

/// The exact backend for one run.
pub struct Exact<'p, 'm> {
    plan: &'p Plan<'m>,
    inputs: &'p [Decimal],
    row: Vec<Decimal>,
    next_change: usize,
    ledger: Ledger,
    month: usize,
    months: Vec<MonthValues>,
    what: &'static str,
    /// The parameters the current step has read, for an overflow's message.
    reads: Reads,
    /// The month whose steps are recorded, and the record so far.
    record_month: Option<usize>,
    lines: Vec<Line>,
    steps: Vec<StepRecord>,
    /// The recorded month's target rate `P*` (step 7), as computed.
    target: Option<Decimal>,
    /// What was being computed when a step read a parameter the model does
    /// not have (an error when the month ends).
    missing: Option<&'static str>,
}

impl<'p, 'm> Exact<'p, 'm> {
    /// A run of `plan` with `inputs` as its inputs' values; postings are
    /// kept when `keep_postings`, and month `record` is recorded.
    pub fn new(
        plan: &'p Plan<'m>,
        inputs: &'p [Decimal],
        keep_postings: bool,
        record: Option<usize>,
    ) -> Result<Self, EngineError> {
        let first = plan
            .months
            .first()
            .map(|m| m.month)
            .unwrap_or(plan.model.timeline.start);
        let overflow = |what| EngineError::Overflow {
            month: first,
            source: Overflow { what },
        };
        let row = plan
            .base
            .iter()
            .map(|c| Plan::resolve(*c, inputs).ok_or_else(|| overflow("an input value")))
            .collect::<Result<Vec<_>, _>>()?;
        let l = &plan.layout;
        let vault = if plan.has(crate::model::Part::Airlift) {
            row[l.at(ParamId::VaultOpening)]
        } else {
            Decimal::ZERO
        };
        let p = &plan.model.base;
        let ledger = Ledger::new(
            row[l.at(ParamId::OpeningBalance)],
            vault,
            p.exports.buyers.len(),
            p.deductions.len(),
            p.custody.payments.len(),
            keep_postings,
        );
        Ok(Exact {
            plan,
            inputs,
            row,
            next_change: 0,
            ledger,
            month: 0,
            months: Vec::with_capacity(plan.months.len()),
            what: "the model",
            reads: Reads::new(plan.layout.width),
            record_month: record,
            lines: Vec::new(),
            steps: Vec::new(),
            target: None,
            missing: None,
        })
    }

    /// Runs every month and checks conservation: the run, and the record
    /// of the month asked for.
    pub fn run(mut self) -> Result<(Run, Vec<StepRecord>), EngineError> {
        let plan = self.plan;
        super::month::run(&mut self, plan)?;
        let end = self
            .plan
            .months
            .last()
            .map_or(self.plan.model.timeline.start, |m| m.month);
        let conservation = self
            .ledger
            .conservation()
            .map_err(|source| EngineError::Overflow { month: end, source })?;
        if !conservation.holds() {
            return Err(EngineError::Conservation(conservation));
        }
        Ok((
            Run {
                months: self.months,
                ledger: self.ledger,
                conservation,
            },
            self.steps,
        ))
    }

    fn fail(&self, what: &'static str) -> EngineError {
        let month = self
            .plan
            .months
            .get(self.month)
            .map_or(self.plan.model.timeline.start, |m| m.month);
        let model = self.plan.model;
        // A balance carries the opening balances and every month's revenue
        // along with this month's flows: a huge opening balance, volume or
        // price is as likely the cause as the inputs of the failing step.
        let mut inputs: Vec<(ParamId, Decimal)> = Vec::new();
        let at = |id: ParamId| {
            let s = self.plan.layout.slot(id)?;
            Some((id, *self.row.get(s)?))
        };
        if what == crate::ledger::BALANCE {
            inputs.push((ParamId::OpeningBalance, model.base.get(ParamId::OpeningBalance)));
            if model.base.has(crate::model::Part::Airlift) {
                inputs.push((ParamId::VaultOpening, model.base.get(ParamId::VaultOpening)));
            }
            let buyers = (0..model.base.exports.buyers.len())
                .flat_map(|i| [ParamId::BuyerShare(i), ParamId::BuyerOffset(i)]);
            inputs.extend(
                [ParamId::VolumeBpd, ParamId::Price]
                    .into_iter()
                    .chain(buyers)
                    .filter_map(at),
            );
        }
        for &s in self.reads.slots() {
            if let Some(&id) = self.plan.layout.ids.get(s) {
                if !inputs.iter().any(|(i, _)| *i == id) {
                    inputs.push((id, self.row[s]));
                }
            }
        }
        EngineError::Step(Box::new(step_overflow(model, month, Overflow { what }, &inputs)))
    }

    fn cur(&mut self) -> &mut MonthValues {
        let i = self.month;
        &mut self.months[i]
    }
}

impl Arith for Exact<'_, '_> {
    type V = Decimal;
    type E = EngineError;

    fn param(&mut self, slot: usize) -> Decimal {
        self.reads.read(slot);
        match self.row.get(slot) {
            Some(v) => *v,
            None => {
                // Reported when the month ends (`Layout::MISSING`).
                self.missing.get_or_insert(self.what);
                Decimal::ZERO
            }
        }
    }
    fn int(&mut self, n: i64) -> Decimal {
        Decimal::from(n)
    }
    fn decimal(&mut self, d: Decimal) -> Decimal {
        d
    }
    fn add(&mut self, a: Decimal, b: Decimal) -> Result<Decimal, EngineError> {
        a.add(b, self.what).map_err(|e| self.fail(e.what))
    }
    fn sub(&mut self, a: Decimal, b: Decimal) -> Result<Decimal, EngineError> {
        a.sub(b, self.what).map_err(|e| self.fail(e.what))
    }
    fn mul(&mut self, a: Decimal, b: Decimal) -> Result<Decimal, EngineError> {
        a.mul(b, self.what).map_err(|e| self.fail(e.what))
    }
    fn round(&mut self, a: Decimal, dp: u32) -> Result<Decimal, EngineError> {
        Ok(quantize(a, dp))
    }
    fn product_round(&mut self, factors: &[Decimal], dp: u32) -> Result<Decimal, EngineError> {
        // Exact and rounded once, however many digits the factors have
        // (a product past 28 digits would otherwise be rounded twice).
        crate::num::wide::product_round(factors, dp).ok_or_else(|| self.fail(self.what))
    }
    fn min(&mut self, a: Decimal, b: Decimal) -> Decimal {
        a.min(b)
    }
    fn max(&mut self, a: Decimal, b: Decimal) -> Decimal {
        if b > a {
            b
        } else {
            a
        }
    }
    fn flights(&mut self, shipped: Decimal, capacity: Decimal) -> Result<Decimal, EngineError> {
        flights(shipped, capacity).map_err(|e| self.fail(e.what))
    }
    fn div4(&mut self, n: Decimal, d: Decimal) -> Result<Decimal, EngineError> {
        if let Some(q) = div_round(Num::from_dec(n), Num::from_dec(d), 4) {
            return Ok(q.to_dec());
        }
        let q = n.div(d, self.what).map_err(|e| self.fail(e.what))?;
        Ok(round4(q))
    }
    fn power_law(&mut self, r: &RateArgs<Decimal>) -> Result<Decimal, EngineError> {
        if self.recording() {
            let (rate, target) = power_law_and_target(r).map_err(|e| self.fail(e.what))?;
            self.target = Some(target);
            return Ok(rate);
        }
        power_law(r).map_err(|e| self.fail(e.what))
    }
    fn target(&self) -> Option<Decimal> {
        self.target
    }
    fn effective(
        &mut self,
        official: Decimal,
        parallel: Decimal,
        v_off: Decimal,
        v_par: &[(Decimal, Decimal)],
    ) -> Result<Decimal, EngineError> {
        effective(official, parallel, v_off, v_par).map_err(|e| self.fail(e.what))
    }
    fn lagged(&mut self, terms: &[(Decimal, Decimal, Decimal)]) -> Result<(Decimal, Decimal), EngineError> {
        if let Some(fraction) = lagged_exact(terms) {
            return Ok(fraction);
        }
        let de = lagged_decimal(terms).map_err(|e| self.fail(e.what))?;
        Ok((de, Decimal::ONE))
    }
    fn impact(&mut self, x: &Impact<Decimal>) -> Result<Decimal, EngineError> {
        impact(x).map_err(|e| self.fail(e.what))
    }
    fn yoy(
        &mut self,
        inflation: Decimal,
        now: &Impact<Decimal>,
        back: Option<&Impact<Decimal>>,
    ) -> Result<Decimal, EngineError> {
        yoy(inflation, now, back).map_err(|e| self.fail(e.what))
    }
    fn post(&mut self, from: Account, to: Account, amount: Decimal, step: Step) -> Result<(), EngineError> {
        let i = self.month;
        self.ledger
            .post(i, from, to, amount, step)
            .map_err(|e| self.fail(e.what))
    }
    fn wants(&self, _metric: MetricId) -> bool {
        true
    }
    fn emit(&mut self, metric: MetricId, v: Decimal) -> Result<(), EngineError> {
        let cur = self.cur();
        let slot = match metric {
            MetricId::Core(c) => {
                match c {
                    Core::CustodyBalance => cur.custody_closing = v,
                    Core::VaultBalance => cur.vault_closing = v,
                    _ => {}
                }
                &mut cur.core[c as usize]
            }
            MetricId::Revenue(i) => &mut cur.revenue[i],
            MetricId::Deduction(i) => &mut cur.deduction[i],
            MetricId::Payment(i) => &mut cur.payment[i],
            MetricId::PriceImpact(i) => &mut cur.price_impact[i],
        };
        *slot = v;
        Ok(())
    }
    fn aside_wire_requests(&mut self, v: Decimal) {
        self.cur().wires_req = v;
    }
    fn aside_cash_asked(&mut self, v: Decimal) {
        self.cur().cash_asked = v;
    }
    fn context(&mut self, what: &'static str) {
        self.what = what;
        self.reads.clear();
    }
    fn reserve(&mut self, _homes: usize) {}
    fn begin_month(&mut self, i: usize) {
        self.month = i;
        let changes = &self.plan.changes;
        while let Some(&(m, slot, cell)) = changes.get(self.next_change) {
            if m > i {
                break;
            }
            if let Some(v) = Plan::resolve(cell, self.inputs) {
                self.row[slot] = v;
            }
            self.next_change += 1;
        }
        let info = self.plan.months[i];
        let p = &self.plan.model.base;
        self.months.push(MonthValues {
            month: Some(info.month),
            days: info.days,
            sessions: info.sessions,
            core: [Decimal::ZERO; N_CORE],
            revenue: vec![Decimal::ZERO; p.exports.buyers.len()],
            deduction: vec![Decimal::ZERO; p.deductions.len()],
            payment: vec![Decimal::ZERO; p.custody.payments.len()],
            price_impact: vec![Decimal::ZERO; p.prices.basket.len()],
            ..MonthValues::default()
        });
    }
    fn keep(&mut self, v: Decimal, _home: usize) -> Decimal {
        v
    }
    fn end_month(&mut self) -> Result<(), EngineError> {
        match self.missing {
            Some(what) => Err(EngineError::MissingParameter {
                month: self
                    .plan
                    .months
                    .get(self.month)
                    .map_or(self.plan.model.timeline.start, |m| m.month),
                what,
            }),
            None => Ok(()),
        }
    }
    fn check_equal(&mut self, a: Decimal, b: Decimal) -> Result<(), EngineError> {
        if a == b {
            Ok(())
        } else {
            // The ledger's own check reports the two sides in words.
            let conservation = self.ledger.conservation().map_err(|e| self.fail(e.what))?;
            Err(EngineError::Conservation(conservation))
        }
    }
    fn same(&self, a: Decimal, b: Decimal) -> bool {
        a == b
    }
    fn recording(&self) -> bool {
        self.record_month == Some(self.month)
    }
    fn show(&self, v: Decimal) -> Decimal {
        v
    }
    fn record(&mut self, line: Line) {
        self.lines.push(line);
    }
    fn record_step(&mut self, number: u8, title: &'static str, used: Vec<ParamId>) {
        self.steps.push(StepRecord {
            number,
            title,
            lines: std::mem::take(&mut self.lines),
            used: used
                .into_iter()
                .map(|id| (id, self.plan.layout.slot(id).map(|s| self.row[s])))
                .collect(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    #[test]
    fn lags_over_one_reference_change_stay_an_exact_fraction_over_both() {
        // 0.5 × 10/1300 + 0.25 × 20/1470 + 0.25 × 30/1470 over 1300 × 1470.
        let terms = [
            (d("0.5"), d("10"), d("1300")),
            (d("0.25"), d("20"), d("1470")),
            (d("0.25"), d("30"), d("1470")),
        ];
        let (num, den) = lagged_exact(&terms).unwrap();
        assert_eq!(den, d("1911000"));
        // 5 × 1470 + 12.5 × 1300 = 7350 + 16250.
        assert_eq!(num, d("23600"));
    }

    #[test]
    fn lags_over_twenty_references_are_carried_in_decimals() {
        let terms: Vec<_> = (0..20)
            .map(|k| (d("0.05"), Decimal::from(10 + k), Decimal::from(1301 + k)))
            .collect();
        assert_eq!(lagged_exact(&terms), None);
        let de = lagged_decimal(&terms).unwrap();
        // Σ 0.05 × (10 + k) / (1301 + k), k = 0..19, by Python's decimal
        // module at 40 digits: 0.01486074373679284013547321096778628511227.
        assert_eq!(de.round_dp(20), d("0.01486074373679284014"));
    }
}
