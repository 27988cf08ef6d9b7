//! Many evaluations of one model with a few inputs replaced (Monte Carlo,
//! Sobol, Morris): the model is prepared once, and each evaluation returns
//! only the requested metric values. Results are identical to
//! `engine::run` on the model with the same values `--set`.
//!
//! Speed comes from doing MODEL.md §5 in exact fixed-point integers
//! ([`Num`]) on a flat table of the parameters in force each month, with
//! no allocation per evaluation. Every operation gives exactly the
//! `Decimal` result or declines; when one declines (numbers beyond a
//! `Decimal`'s 28 digits), that evaluation runs on the `Decimal` engine
//! instead, so results never depend on which path ran. The ledger identity
//! is checked in every evaluation.

mod batch;
mod lane_math;

pub use crate::num::lanes::LANES;
pub use batch::BlockScratch;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};

use rust_decimal::Decimal;

use super::fixed::{Fixed, Num64};
use super::parallel_market::{effective_exact, RateInputs};
use super::prices::item_exact;
use super::{run_model_with, EngineError};
use crate::engine::metrics::{Agg, Core, MetricId, MetricRef};
use crate::model::{Model, ParamId, Params};
use crate::num::decimal::clean;
use crate::num::fixed::{num_f64, Num};

/// Where each parameter sits in a month's row of values.
#[derive(Debug, Clone)]
struct Layout {
    width: usize,
    slot: HashMap<ParamId, usize>,
    buyers: Vec<(usize, usize)>,
    deductions: Vec<usize>,
    payments: Vec<usize>,
    banks: Vec<(usize, usize)>,
    basket: Vec<(usize, usize, usize)>,
    volume: usize,
    price: usize,
    opening: usize,
    cash: usize,
    capacity: usize,
    transport: usize,
    security: usize,
    insurance: usize,
    vault: usize,
    official: usize,
    requests: usize,
    cash_share: usize,
    rejection: usize,
    baseline_rate: usize,
    turnover: usize,
    baseline_unmet: usize,
    spillover: usize,
    demand: usize,
    supply: usize,
    reference: usize,
}

impl Layout {
    fn of(p: &Params) -> Layout {
        let ids = p.ids();
        let slot: HashMap<ParamId, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        let s = |id: ParamId| slot[&id];
        Layout {
            width: ids.len(),
            buyers: (0..p.exports.buyers.len())
                .map(|i| (s(ParamId::BuyerShare(i)), s(ParamId::BuyerOffset(i))))
                .collect(),
            deductions: (0..p.deductions.len())
                .map(|i| s(ParamId::DeductionRate(i)))
                .collect(),
            payments: (0..p.custody.payments.len())
                .map(|i| s(ParamId::PaymentUsd(i)))
                .collect(),
            banks: (0..p.auction.banks.len())
                .map(|i| (s(ParamId::BankShare(i)), s(ParamId::BankRejectionRate(i))))
                .collect(),
            basket: (0..p.prices.basket.len())
                .map(|i| {
                    (
                        s(ParamId::ItemWeight(i)),
                        s(ParamId::ItemImportContent(i)),
                        s(ParamId::ItemPassThrough(i)),
                    )
                })
                .collect(),
            volume: s(ParamId::VolumeBpd),
            price: s(ParamId::Price),
            opening: s(ParamId::OpeningBalance),
            cash: s(ParamId::CashPerMonth),
            capacity: s(ParamId::PlaneCapacity),
            transport: s(ParamId::TransportPerFlight),
            security: s(ParamId::SecurityPerFlight),
            insurance: s(ParamId::InsuranceRate),
            vault: s(ParamId::VaultOpening),
            official: s(ParamId::OfficialRate),
            requests: s(ParamId::RequestsPerDay),
            cash_share: s(ParamId::CashShare),
            rejection: s(ParamId::RejectionRate),
            baseline_rate: s(ParamId::BaselineRate),
            turnover: s(ParamId::BaselineTurnover),
            baseline_unmet: s(ParamId::BaselineUnmet),
            spillover: s(ParamId::SpilloverShare),
            demand: s(ParamId::DemandElasticity),
            supply: s(ParamId::SupplyElasticity),
            reference: s(ParamId::ReferenceRate),
            slot,
        }
    }

    fn at(&self, id: ParamId) -> usize {
        self.slot[&id]
    }
}

/// Per-thread working memory for [`Kernel::eval_with`].
#[derive(Debug, Clone)]
pub struct Scratch {
    /// One row of parameter values per month, inputs written in.
    rows: Vec<Vec<Num>>,
    /// The same rows in 64-bit form, when every value fits.
    rows64: Option<Vec<Vec<Num64>>>,
    /// Monthly values of each requested metric.
    series: Vec<Vec<Num>>,
}

/// Which optional quantities the requested metrics need.
#[derive(Debug, Clone, Copy, Default)]
struct Needs {
    premium: bool,
    effective: bool,
    cpi: bool,
    items: bool,
    per_entry: bool,
}

/// A model prepared for repeated evaluation with `inputs` replaced.
#[derive(Debug, Clone)]
pub struct Kernel<'m> {
    model: &'m Model,
    inputs: Vec<ParamId>,
    metrics: Vec<MetricRef>,
    layout: Layout,
    /// The parameters in force each month (inputs at their base values).
    rows: Vec<Vec<Num>>,
    /// For each input, the (month, slot) cells it fills.
    targets: Vec<Vec<(usize, usize)>>,
    /// For each metric reference, the month index it picks, if any.
    months: Vec<Option<usize>>,
    needs: Needs,
    /// Identifies this kernel's working memory in a thread's cache.
    id: u64,
    /// Whether month i's basket equals month i−1's in every evaluation.
    basket_same: Vec<bool>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

impl<'m> Kernel<'m> {
    /// Prepares `model` for evaluations where `inputs[i]` takes a new value
    /// for the whole timeline (its `[[changes]]` entries no longer apply),
    /// reporting `metrics`.
    pub fn new(model: &'m Model, inputs: &[ParamId], metrics: &[MetricRef]) -> Self {
        let layout = Layout::of(&model.base);
        let schedule = model.schedule();
        let rows: Vec<Vec<Num>> = schedule
            .iter()
            .map(|p| {
                let mut row = vec![Num::ZERO; layout.width];
                for id in p.ids() {
                    row[layout.at(id)] = Num::from_dec(p.get(id));
                }
                row
            })
            .collect();
        let targets = inputs
            .iter()
            .map(|&id| {
                let mut cells = Vec::new();
                for (m, p) in schedule.iter().enumerate() {
                    cells.push((m, layout.at(id)));
                    // Banks without a rate of their own follow the auction's.
                    if id == ParamId::RejectionRate {
                        for (i, bank) in p.auction.banks.iter().enumerate() {
                            let own_input = inputs.contains(&ParamId::BankRejectionRate(i));
                            if bank.rejection_rate.is_none() && !own_input {
                                cells.push((m, layout.banks[i].1));
                            }
                        }
                    }
                }
                cells
            })
            .collect();
        let months = metrics
            .iter()
            .map(|r| r.month.and_then(|m| model.timeline.index_of(m)))
            .collect();
        let mut needs = Needs::default();
        for r in metrics {
            match r.id {
                MetricId::Core(Core::PremiumPct) => needs.premium = true,
                MetricId::Core(Core::EffectiveRate) => needs.effective = true,
                MetricId::Core(Core::CpiImpactPct) => needs.cpi = true,
                MetricId::PriceImpact(_) => needs.items = true,
                MetricId::Core(_) => {}
                _ => needs.per_entry = true,
            }
        }
        needs.effective |= needs.cpi || needs.items;
        let basket_input = inputs.iter().any(|id| {
            matches!(
                id,
                ParamId::ItemWeight(_) | ParamId::ItemImportContent(_) | ParamId::ItemPassThrough(_)
            )
        });
        let basket_same = (0..rows.len())
            .map(|m| {
                m > 0
                    && !basket_input
                    && layout
                        .basket
                        .iter()
                        .all(|&(w, ic, pt)| [w, ic, pt].iter().all(|&k| rows[m][k] == rows[m - 1][k]))
            })
            .collect();
        Kernel {
            model,
            inputs: inputs.to_vec(),
            metrics: metrics.to_vec(),
            layout,
            rows,
            targets,
            months,
            needs,
            id: NEXT_ID.fetch_add(1, AtomicOrdering::Relaxed),
            basket_same,
        }
    }

    pub fn inputs(&self) -> &[ParamId] {
        &self.inputs
    }

    pub fn metrics(&self) -> &[MetricRef] {
        &self.metrics
    }

    /// Working memory for one thread.
    pub fn scratch(&self) -> Scratch {
        let rows64 = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|n| Num64::from_num(*n))
                    .collect::<Option<Vec<_>>>()
            })
            .collect::<Option<Vec<_>>>();
        Scratch {
            rows64,
            rows: self.rows.clone(),
            series: vec![Vec::with_capacity(self.rows.len()); self.metrics.len()],
        }
    }

    /// Runs the model with `values[i]` in place of `inputs[i]` (values must
    /// be in their parameters' allowed ranges) and writes each metric's
    /// value to `out[j]`. The run's conservation check is part of it.
    /// Each thread keeps its working memory between calls.
    pub fn eval(&self, values: &[Decimal], out: &mut [Decimal]) -> Result<(), EngineError> {
        thread_local! {
            static SCRATCH: RefCell<Option<(u64, Scratch)>> = const { RefCell::new(None) };
        }
        SCRATCH.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.as_ref().is_none_or(|(id, _)| *id != self.id) {
                *slot = Some((self.id, self.scratch()));
            }
            match slot.as_mut() {
                Some((_, scratch)) => self.eval_with(scratch, values, out),
                None => self.eval_with(&mut self.scratch(), values, out),
            }
        })
    }

    /// [`Kernel::eval`] reusing a thread's [`Scratch`] (no allocation).
    pub fn eval_with(
        &self,
        scratch: &mut Scratch,
        values: &[Decimal],
        out: &mut [Decimal],
    ) -> Result<(), EngineError> {
        match self.eval_fixed_point(scratch, values, out) {
            Some(()) => Ok(()),
            None => self.exact_decimal(values, out),
        }
    }

    /// The fixed-point path alone (for tests and benchmarks): `None` when it
    /// declines an evaluation that [`Kernel::eval_with`] would then run on
    /// the `Decimal` engine.
    pub fn eval_fixed_point(
        &self,
        scratch: &mut Scratch,
        values: &[Decimal],
        out: &mut [Decimal],
    ) -> Option<()> {
        let mut narrow = scratch.rows64.is_some();
        for (cells, v) in self.targets.iter().zip(values) {
            let n = Num::from_dec(*v);
            let n64 = Num64::from_num(n);
            narrow &= n64.is_some();
            for &(m, slot) in cells {
                scratch.rows[m][slot] = n;
                if let (Some(rows), Some(x)) = (scratch.rows64.as_mut(), n64) {
                    rows[m][slot] = x;
                }
            }
        }
        if narrow {
            if let Some(rows) = scratch.rows64.as_deref() {
                if self.fast(rows, &mut scratch.series, out).is_some() {
                    return Some(());
                }
            }
        }
        self.fast(&scratch.rows, &mut scratch.series, out)
    }

    /// The 128-bit fixed-point path alone, skipping the 64-bit one (for
    /// tests: both widths must give the `Decimal` engine's numbers).
    pub fn eval_fixed_point_wide(
        &self,
        scratch: &mut Scratch,
        values: &[Decimal],
        out: &mut [Decimal],
    ) -> Option<()> {
        for (cells, v) in self.targets.iter().zip(values) {
            for &(m, slot) in cells {
                scratch.rows[m][slot] = Num::from_dec(*v);
            }
        }
        self.fast(&scratch.rows, &mut scratch.series, out)
    }

    /// The `Decimal` engine, for evaluations the fixed-point path declined.
    fn exact_decimal(&self, values: &[Decimal], out: &mut [Decimal]) -> Result<(), EngineError> {
        let overrides: Vec<(ParamId, Decimal)> =
            self.inputs.iter().copied().zip(values.iter().copied()).collect();
        let run = run_model_with(self.model, &overrides, false)?;
        for (slot, m) in out.iter_mut().zip(&self.metrics) {
            *slot = clean(m.evaluate(&run).map_err(|source| EngineError::Overflow {
                month: self.model.timeline.end(),
                source,
            })?);
        }
        Ok(())
    }

    /// MODEL.md §5 on the rows in `scratch`; `None` when a number would
    /// leave the exact range (the caller then uses the `Decimal` engine).
    fn fast<T: Fixed>(&self, rows: &[Vec<T>], series: &mut [Vec<Num>], out: &mut [Decimal]) -> Option<()> {
        let l = &self.layout;
        let first = &rows[0];
        let mut custody = first[l.opening];
        let mut vault = first[l.vault];
        let opening = custody.plus(vault)?;
        let mut gross_total = T::ZERO;
        let mut outflows = T::ZERO;
        for s in series.iter_mut() {
            s.clear();
        }
        // Month-to-month memos of conversions whose inputs rarely change.
        let mut elasticity_memo: Option<((T, T), Option<f64>)> = None;
        let mut baseline_memo: Option<(T, Option<f64>)> = None;
        let mut exposure_memo: Option<(usize, T)> = None;
        for (mi, info) in self.model.timeline.months.iter().enumerate() {
            let v = &rows[mi];
            // 1. Revenue.
            let base = v[l.volume].times(T::int(i64::from(info.days)))?;
            let price = v[l.price];
            let mut gross = T::ZERO;
            let mut revenue = Vec::new();
            let per_entry = self.needs.per_entry;
            for &(share, offset) in &l.buyers {
                let g = base.times(v[share])?.times(price.plus(v[offset])?)?.round(2)?;
                gross = gross.plus(g)?;
                if per_entry {
                    revenue.push(g);
                }
            }
            custody = custody.plus(gross)?;
            gross_total = gross_total.plus(gross)?;
            // 2. Deductions.
            let mut deductions = T::ZERO;
            let mut deducted = Vec::new();
            for &d in &l.deductions {
                let x = v[d].times(gross)?.round(2)?;
                deductions = deductions.plus(x)?;
                if per_entry {
                    deducted.push(x);
                }
            }
            custody = custody.minus(deductions)?;
            // 3. Payments.
            let (mut payments, mut arrears) = (T::ZERO, T::ZERO);
            let mut paid_by = Vec::new();
            for &p in &l.payments {
                let paid = v[p].min(custody);
                custody = custody.minus(paid)?;
                payments = payments.plus(paid)?;
                arrears = arrears.plus(v[p].minus(paid)?)?;
                if per_entry {
                    paid_by.push(paid);
                }
            }
            // 4. Airlift.
            let shipped = v[l.cash].min(custody);
            custody = custody.minus(shipped)?;
            vault = vault.plus(shipped)?;
            let flights = flights(shipped, v[l.capacity])?;
            let per_flight = v[l.transport].plus(v[l.security])?;
            let cost = flights
                .times(per_flight)?
                .plus(v[l.insurance].times(shipped)?.round(2)?)?;
            let cost_paid = cost.min(custody);
            custody = custody.minus(cost_paid)?;
            arrears = arrears.plus(cost.minus(cost_paid)?)?;
            // 5. Requests.
            let requests = v[l.requests].times(T::int(i64::from(info.sessions)))?;
            let cash_req = v[l.cash_share].times(requests)?.round(2)?;
            let wires_req = requests.minus(cash_req)?;
            let rejected = if l.banks.is_empty() {
                v[l.rejection].times(wires_req)?.round(2)?
            } else {
                let mut r = T::ZERO;
                for &(share, rate) in &l.banks {
                    let bank_req = v[share].times(wires_req)?.round(2)?;
                    r = r.plus(v[rate].times(bank_req)?.round(2)?)?;
                }
                r
            };
            let approved = wires_req.minus(rejected)?;
            // 6. Settlement.
            let cash_sold = cash_req.min(vault);
            vault = vault.minus(cash_sold)?;
            let wires_sent = approved.min(custody);
            custody = custody.minus(wires_sent)?;
            let unmet = rejected
                .plus(cash_req.minus(cash_sold)?)?
                .plus(approved.minus(wires_sent)?)?;
            let sold = cash_sold.plus(wires_sent)?;
            let official = v[l.official];
            outflows = outflows
                .plus(deductions)?
                .plus(payments)?
                .plus(cost_paid)?
                .plus(sold)?;
            // 7. Parallel market.
            let key = (v[l.demand], v[l.supply]);
            let elasticity = match elasticity_memo {
                Some((k, e)) if k == key => e,
                _ => {
                    let e = key.0.plus(key.1).map(T::to_num).and_then(num_f64);
                    elasticity_memo = Some((key, e));
                    e
                }
            };
            let baseline_f64 = match baseline_memo {
                Some((k, b)) if k == v[l.baseline_rate] => b,
                _ => {
                    let b = num_f64(v[l.baseline_rate].to_num());
                    baseline_memo = Some((v[l.baseline_rate], b));
                    b
                }
            };
            let rate_inputs = RateInputs {
                official,
                turnover: v[l.turnover],
                baseline_unmet: v[l.baseline_unmet],
                spillover: v[l.spillover],
                elasticity,
                baseline_f64,
            };
            let (parallel, premium) = rate_inputs.rate(unmet, info.sessions)?;
            // 8. Effective rate; 9. prices.
            let reference = v[l.reference];
            let effective = if self.needs.effective {
                // In 128 bits: official × sold + parallel × spillover × unmet
                // reaches ~10^24 in cents and ten-thousandths.
                effective_exact(
                    official.to_num(),
                    parallel.to_num(),
                    sold.to_num(),
                    v[l.spillover].to_num(),
                    unmet.to_num(),
                )?
            } else {
                Num::ZERO
            };
            let cpi = if self.needs.cpi {
                // The basket's exposure is the same every month unless a
                // change or an input touches it: recompute when the row differs.
                let exposure = match exposure_memo {
                    Some((m, e)) if self.basket_same[mi] && m + 1 == mi => {
                        exposure_memo = Some((mi, e));
                        e
                    }
                    _ => {
                        let mut e = T::ZERO;
                        for &(w, ic, pt) in &l.basket {
                            e = e.plus(v[w].times(v[ic])?.times(v[pt])?)?;
                        }
                        exposure_memo = Some((mi, e));
                        e
                    }
                };
                item_exact(exposure.to_num(), effective, reference.to_num())?
            } else {
                Num::ZERO
            };
            for (k, r) in self.metrics.iter().enumerate() {
                let x = match r.id {
                    MetricId::Core(c) => match c {
                        Core::GrossRevenue => gross.to_num(),
                        Core::Deductions => deductions.to_num(),
                        Core::NetRevenue => gross.minus(deductions)?.to_num(),
                        Core::Payments => payments.to_num(),
                        Core::Arrears => arrears.to_num(),
                        Core::CashShipped => shipped.to_num(),
                        Core::Flights => flights.to_num(),
                        Core::AirliftCost => cost_paid.to_num(),
                        Core::Requests => requests.to_num(),
                        Core::CashSold => cash_sold.to_num(),
                        Core::WiresSent => wires_sent.to_num(),
                        Core::WiresRejected => rejected.to_num(),
                        Core::Unmet => unmet.to_num(),
                        Core::DinarsAbsorbed => sold.times(official)?.round(2)?.to_num(),
                        Core::CustodyBalance => custody.to_num(),
                        Core::VaultBalance => vault.to_num(),
                        Core::OfficialRate => official.to_num(),
                        Core::ParallelRate => parallel.to_num(),
                        Core::PremiumPct => premium.to_num(),
                        Core::EffectiveRate => effective,
                        Core::CpiImpactPct => cpi,
                        _ => return None,
                    },
                    MetricId::Revenue(i) => revenue.get(i)?.to_num(),
                    MetricId::Deduction(i) => deducted.get(i)?.to_num(),
                    MetricId::Payment(i) => paid_by.get(i)?.to_num(),
                    MetricId::PriceImpact(i) => {
                        let (_, ic, pt) = *l.basket.get(i)?;
                        item_exact(v[ic].times(v[pt])?.to_num(), effective, reference.to_num())?
                    }
                };
                series[k].push(x);
            }
        }
        // The ledger identity, exactly, in every evaluation.
        let sources = opening.plus(gross_total)?;
        let uses = custody.plus(vault)?.plus(outflows)?;
        if sources.cmp_num(uses) != std::cmp::Ordering::Equal {
            // Never expected: the Decimal engine re-runs and reports it.
            return None;
        }
        for (k, r) in self.metrics.iter().enumerate() {
            let xs = &series[k];
            let x = match self.months[k] {
                Some(m) => *xs.get(m)?,
                None => aggregate(r.agg, xs)?,
            };
            out[k] = clean(x.to_dec());
        }
        Some(())
    }
}

/// Planes needed: `ceil(shipped / capacity)`, both in cents.
fn flights<T: Fixed>(shipped: T, capacity: T) -> Option<T> {
    let (s, c) = (shipped.round(2)?.to_num().m, capacity.round(2)?.to_num().m);
    if s <= 0 || c <= 0 {
        return Some(T::ZERO);
    }
    let (s, c) = (i64::try_from(s).ok()?, i64::try_from(c).ok()?);
    Some(T::int(s / c + i64::from(s % c != 0)))
}

fn aggregate(agg: Agg, xs: &[Num]) -> Option<Num> {
    let sum = || xs.iter().try_fold(Num::ZERO, |a, x| a.plus(*x));
    Some(match agg {
        Agg::Sum => sum()?,
        Agg::Mean => {
            if xs.is_empty() {
                Num::ZERO
            } else {
                crate::num::fixed::div_round(sum()?, Num::int(xs.len() as i64), 4)?
            }
        }
        Agg::Min => xs
            .iter()
            .copied()
            .reduce(|a, b| if b.cmp_num(a).is_lt() { b } else { a })?,
        Agg::Max => xs
            .iter()
            .copied()
            .reduce(|a, b| if b.cmp_num(a).is_gt() { b } else { a })?,
        Agg::First => *xs.first()?,
        Agg::Last => *xs.last()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};

    #[test]
    fn eval_equals_a_run_with_the_values_set() {
        let m = model();
        let metrics: Vec<MetricRef> = ["parallel_rate", "cpi_impact_pct@2023-02", "unmet_usd"]
            .iter()
            .map(|t| MetricRef::parse(t, &m.base, &m.timeline).unwrap())
            .collect();
        let inputs = [ParamId::RejectionRate, ParamId::Price];
        let k = Kernel::new(&m, &inputs, &metrics);
        let mut out = [Decimal::ZERO; 3];
        k.eval(&[d("0.5"), d("75.5")], &mut out).unwrap();
        // The same through --set, which also drops the February change of the rate.
        let mut set = m.clone();
        set.apply_set("auction.rejection_rate=0.5").unwrap();
        set.apply_set("exports.price_usd_per_bbl=75.5").unwrap();
        let run = crate::engine::run(&set).unwrap();
        let expected: Vec<Decimal> = metrics.iter().map(|r| r.evaluate(&run).unwrap()).collect();
        assert_eq!(out.to_vec(), expected);
        // Half of 1,840,000 + half of 1,600,000 rejected in the two months.
        assert_eq!(out[2], d("1720000.00"));
    }
}
