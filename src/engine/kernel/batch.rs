//! [`Kernel::eval_units`]: MODEL.md §5 for [`LANES`] draws at a time on
//! [`Block`] lanes, for Monte Carlo runs of a million draws. The steps and
//! their order are those of `Kernel::fast`, operation for operation; a block
//! that cannot be done exactly in 64-bit lanes is evaluated draw by draw on
//! the per-draw paths instead, so results never depend on which path ran.
//! The ledger identity is checked for every draw.

// Lane loops index several arrays with the same lane number.
#![allow(clippy::needless_range_loop)]

use rust_decimal::Decimal;

use super::lane_math;
use super::{Kernel, Scratch};
use crate::engine::metrics::{Agg, Core, MetricId};
use crate::engine::EngineError;
use crate::num::fixed::{num_f64, ratio_f64, round4_f64, Num};
use crate::num::lanes::{Block, LANES, V, X};

/// Where a month's parameter value comes from in a block.
#[derive(Debug, Clone, Copy)]
enum Src {
    Const(i64, u32),
    Input(usize),
}

/// One block of `n <= LANES` draws for [`Kernel::lanes`]: their inputs
/// in units (`k` per draw) and where their metrics go (`m` per draw).
struct Job<'a> {
    sources: &'a [Vec<Src>],
    places: &'a [u32],
    units: &'a [i64],
    n: usize,
    exact_scale: bool,
    out: &'a mut [Num],
}

/// Per-thread working memory for [`Kernel::eval_units`].
#[derive(Debug, Clone)]
pub struct BlockScratch {
    block: Block,
    /// `[month][slot]`, or `None` when a parameter does not fit 64 bits
    /// (every block then goes draw by draw).
    sources: Option<Vec<Vec<Src>>>,
    per_draw: Scratch,
    values: Vec<Decimal>,
    out: Vec<Decimal>,
    isa: Isa,
}

/// The instruction set the block code runs on, detected once per scratch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Isa {
    Base,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

impl Isa {
    fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            let common = has!("bmi1") && has!("bmi2") && has!("lzcnt") && has!("popcnt") && has!("avx2");
            if common && has!("avx512f") && has!("avx512dq") && has!("avx512vl") {
                return Isa::Avx512;
            }
            if common {
                return Isa::Avx2;
            }
        }
        Isa::Base
    }
}

/// Converts an exact per-lane result to a lane mantissa at scale `s`.
fn narrow(n: Option<Num>, s: u32, bad: &mut bool) -> i64 {
    match n {
        Some(n) if n.s == s => i64::try_from(n.m).unwrap_or_else(|_| {
            *bad = true;
            0
        }),
        _ => {
            *bad = true;
            0
        }
    }
}

impl BlockScratch {
    /// The same scratch on the portable code, without vector instructions
    /// (for tests: every instruction set must give the same results).
    pub fn portable(mut self) -> Self {
        self.isa = Isa::Base;
        self
    }

    /// The per-draw working memory inside.
    pub fn per_draw(&mut self) -> &mut Scratch {
        &mut self.per_draw
    }
}

impl Kernel<'_> {
    /// Working memory for one thread's [`Kernel::eval_units`].
    pub fn block_scratch(&self) -> BlockScratch {
        let mut sources: Option<Vec<Vec<Src>>> = self
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|n| Some(Src::Const(i64::try_from(n.m).ok()?, n.s)))
                    .collect::<Option<Vec<_>>>()
            })
            .collect();
        if let Some(src) = sources.as_mut() {
            for (j, cells) in self.targets.iter().enumerate() {
                for &(m, slot) in cells {
                    src[m][slot] = Src::Input(j);
                }
            }
        }
        BlockScratch {
            block: Block::default(),
            sources,
            per_draw: self.scratch(),
            values: vec![Decimal::ZERO; self.inputs.len()],
            out: vec![Decimal::ZERO; self.metrics.len()],
            isa: Isa::detect(),
        }
    }

    /// Evaluates draws given as integers: input `j` of draw `d` is
    /// `units[d·k + j] × 10^-places[j]` (k inputs), and metric `q` of draw
    /// `d` goes to `out[d·m + q]` (m metrics), exactly. With `exact_scale`
    /// every result also has the `Decimal` engine's scale (as its text
    /// shows it); otherwise only its value is guaranteed. Returns how many
    /// draws were evaluated together on lanes (the rest went one by one);
    /// on failure, the offset of the first failing draw and its error.
    pub fn eval_units(
        &self,
        scratch: &mut BlockScratch,
        places: &[u32],
        units: &[i64],
        exact_scale: bool,
        out: &mut [Num],
    ) -> Result<usize, (usize, EngineError)> {
        let (k, m) = (self.inputs.len(), self.metrics.len());
        let draws = units.len().checked_div(k).unwrap_or(out.len() / m.max(1));
        let mut first = 0;
        let mut on_lanes = 0;
        while first < draws {
            let n = (draws - first).min(LANES);
            let ok = match &scratch.sources {
                Some(sources) => {
                    let job = Job {
                        sources,
                        places,
                        units: &units[first * k..(first + n) * k],
                        n,
                        exact_scale,
                        out: &mut out[first * m..(first + n) * m],
                    };
                    self.lanes_on(scratch.isa, &mut scratch.block, job)
                }
                None => false,
            };
            if ok {
                on_lanes += n;
            } else {
                for d in first..first + n {
                    for j in 0..k {
                        scratch.values[j] =
                            Decimal::from_i128_with_scale(i128::from(units[d * k + j]), places[j]);
                    }
                    self.eval_with(&mut scratch.per_draw, &scratch.values, &mut scratch.out)
                        .map_err(|e| (d, e))?;
                    for (q, v) in scratch.out.iter().enumerate() {
                        out[d * m + q] = Num::from_dec(*v);
                    }
                }
            }
            first += n;
        }
        Ok(on_lanes)
    }

    /// [`Kernel::lanes`] compiled for the widest vector instructions this
    /// processor has (the results are the same on every path: integer
    /// operations are exact and `f64` ones correctly rounded either way).
    fn lanes_on(&self, isa: Isa, b: &mut Block, job: Job<'_>) -> bool {
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::detect` found these instructions on this processor.
            Isa::Avx512 => unsafe { self.lanes_avx512(b, job) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            Isa::Avx2 => unsafe { self.lanes_avx2(b, job) },
            Isa::Base => self.lanes(b, job),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx2,bmi1,bmi2,lzcnt,popcnt")]
    unsafe fn lanes_avx512(&self, b: &mut Block, job: Job<'_>) -> bool {
        self.lanes(b, job)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt")]
    unsafe fn lanes_avx2(&self, b: &mut Block, job: Job<'_>) -> bool {
        self.lanes(b, job)
    }

    /// One block of draws on lanes; `false` when the block must go draw by
    /// draw.
    #[inline(always)]
    fn lanes(&self, b: &mut Block, job: Job<'_>) -> bool {
        let Job {
            sources,
            places,
            units,
            n,
            exact_scale,
            out,
        } = job;
        let (k, nm) = (self.inputs.len(), self.metrics.len());
        b.reset(exact_scale);
        // Inputs: lanes past `n` repeat the first draw.
        let inputs: Vec<X> = (0..k)
            .map(|j| {
                let mut lane = [0i64; LANES];
                for (d, x) in lane.iter_mut().enumerate() {
                    *x = units[(if d < n { d } else { 0 }) * k + j];
                }
                b.put(&lane, places[j])
            })
            .collect();
        let homes: Vec<u32> = (0..5 + nm).map(|_| b.alloc()).collect();
        let (h_custody, h_vault, h_gross, h_out, h_opening) =
            (homes[0], homes[1], homes[2], homes[3], homes[4]);
        let l = &self.layout;
        let val = |m: usize, slot: usize| match sources[m][slot] {
            Src::Const(c, s) => X::constant(c, s),
            Src::Input(j) => inputs[j],
        };
        let mut custody = val(0, l.opening);
        let mut vault = val(0, l.vault);
        let opening = b.add(custody, vault);
        let opening = b.keep(opening, h_opening);
        let mut gross_total = X::ZERO;
        let mut outflows = X::ZERO;
        let mut acc: Vec<Option<X>> = vec![None; nm];
        let mut inv_memo: Option<((X, X), [f64; LANES])> = None;
        let months = &self.model.timeline.months;
        for (mi, info) in months.iter().enumerate() {
            let mark = b.mark();
            let v = |slot: usize| val(mi, slot);
            let per_entry = self.needs.per_entry;
            // 1. Revenue.
            let base = b.mul(v(l.volume), X::constant(i64::from(info.days), 0));
            let price = v(l.price);
            let mut gross = X::ZERO;
            let mut revenue = Vec::new();
            for &(share, offset) in &l.buyers {
                let p = b.add(price, v(offset));
                let g = b.mul(base, v(share));
                let g = b.mul(g, p);
                let g = b.round(g, 2);
                gross = b.add(gross, g);
                if per_entry {
                    revenue.push(g);
                }
            }
            custody = b.add(custody, gross);
            gross_total = b.add(gross_total, gross);
            // 2. Deductions.
            let mut deductions = X::ZERO;
            let mut deducted = Vec::new();
            for &d in &l.deductions {
                let x = b.mul(v(d), gross);
                let x = b.round(x, 2);
                deductions = b.add(deductions, x);
                if per_entry {
                    deducted.push(x);
                }
            }
            custody = b.sub(custody, deductions);
            // 3. Payments.
            let (mut payments, mut arrears) = (X::ZERO, X::ZERO);
            let mut paid_by = Vec::new();
            for &p in &l.payments {
                let paid = b.min(v(p), custody);
                custody = b.sub(custody, paid);
                payments = b.add(payments, paid);
                let short = b.sub(v(p), paid);
                arrears = b.add(arrears, short);
                if per_entry {
                    paid_by.push(paid);
                }
            }
            // 4. Airlift.
            let shipped = b.min(v(l.cash), custody);
            custody = b.sub(custody, shipped);
            vault = b.add(vault, shipped);
            let flights = self.flights(b, shipped, v(l.capacity));
            let per_flight = b.add(v(l.transport), v(l.security));
            let cost = b.mul(flights, per_flight);
            let insurance = b.mul(v(l.insurance), shipped);
            let insurance = b.round(insurance, 2);
            let cost = b.add(cost, insurance);
            let cost_paid = b.min(cost, custody);
            custody = b.sub(custody, cost_paid);
            let unpaid = b.sub(cost, cost_paid);
            arrears = b.add(arrears, unpaid);
            // 5. Requests.
            let requests = b.mul(v(l.requests), X::constant(i64::from(info.sessions), 0));
            let cash_req = b.mul(v(l.cash_share), requests);
            let cash_req = b.round(cash_req, 2);
            let wires_req = b.sub(requests, cash_req);
            let rejected = if l.banks.is_empty() {
                let r = b.mul(v(l.rejection), wires_req);
                b.round(r, 2)
            } else {
                let mut r = X::ZERO;
                for &(share, rate) in &l.banks {
                    let bank_req = b.mul(v(share), wires_req);
                    let bank_req = b.round(bank_req, 2);
                    let x = b.mul(v(rate), bank_req);
                    let x = b.round(x, 2);
                    r = b.add(r, x);
                }
                r
            };
            let approved = b.sub(wires_req, rejected);
            // 6. Settlement.
            let cash_sold = b.min(cash_req, vault);
            vault = b.sub(vault, cash_sold);
            let wires_sent = b.min(approved, custody);
            custody = b.sub(custody, wires_sent);
            let cash_short = b.sub(cash_req, cash_sold);
            let wires_short = b.sub(approved, wires_sent);
            let unmet = b.add(rejected, cash_short);
            let unmet = b.add(unmet, wires_short);
            let sold = b.add(cash_sold, wires_sent);
            let official = v(l.official);
            for x in [deductions, payments, cost_paid, sold] {
                outflows = b.add(outflows, x);
            }
            // 7. Parallel market.
            let key = (v(l.demand), v(l.supply));
            let inv = match &inv_memo {
                Some((k, inv)) if *k == key => *inv,
                _ => {
                    let e = b.add(key.0, key.1);
                    let mut inv = [0f64; LANES];
                    for (d, x) in inv.iter_mut().enumerate() {
                        match num_f64(b.num(e, d)) {
                            Some(e) => *x = 1.0 / e,
                            None => b.bad = true,
                        }
                    }
                    inv_memo = Some((key, inv));
                    inv
                }
            };
            let sessions = X::constant(i64::from(info.sessions.max(1)), 0);
            let unmet_s = if info.sessions == 0 { X::ZERO } else { unmet };
            let rate_base = b.mul(v(l.turnover), sessions);
            let floor = b.mul(v(l.baseline_unmet), sessions);
            let excess = b.sub(unmet_s, floor);
            let spill = b.mul(v(l.spillover), excess);
            let demand = b.add(rate_base, spill);
            let baseline_rate = v(l.baseline_rate);
            let mut computed = [0i64; LANES];
            let mut use_official = [false; LANES];
            let mut bad = false;
            let fixed_baseline = match baseline_rate.v {
                V::C(_) => Some(num_f64(b.num(baseline_rate, 0))),
                V::L(_) => None,
            };
            // The official rate at the parallel rate's four places, if exact.
            let official4 = (official.s <= 4).then(|| {
                let f = 10i64.pow(4 - official.s);
                let o = b.get(official);
                o.map(|x| x.checked_mul(f))
            });
            // Most lanes: the rate from an estimate of the ratio, where that
            // provably rounds as the exact one would; the others exactly.
            let mut baselines = [0f64; LANES];
            for (d, x) in baselines.iter_mut().enumerate() {
                match fixed_baseline.unwrap_or_else(|| num_f64(b.num(baseline_rate, d))) {
                    Some(f) => *x = f,
                    None => bad = true,
                }
            }
            let (mut estimated, mut decided) = ([0i64; LANES], [false; LANES]);
            lane_math::RateEstimate::new(demand, rate_base).rates(
                b,
                &baselines,
                &inv,
                &mut estimated,
                &mut decided,
            );
            for d in 0..LANES {
                if b.at(demand, d) <= 0 {
                    use_official[d] = true;
                    continue;
                }
                let rate = if decided[d] {
                    Some(Num {
                        m: i128::from(estimated[d]),
                        s: 4,
                    })
                } else {
                    ratio_f64(b.num(demand, d), b.num(rate_base, d))
                        .and_then(|ratio| round4_f64(baselines[d] * ratio.powf(inv[d])))
                };
                let r = narrow(rate, 4, &mut bad);
                computed[d] = r;
                use_official[d] = match official4.as_ref().and_then(|o| o[d]) {
                    Some(o) => o > r,
                    None => b
                        .num(official, d)
                        .cmp_num(Num {
                            m: i128::from(r),
                            s: 4,
                        })
                        .is_gt(),
                };
            }
            b.bad |= bad;
            let computed = b.put(&computed, 4);
            let parallel = b.select(&use_official, computed, official);
            let gap = b.sub(parallel, official);
            let gap = b.mul(gap, X::constant(100, 0));
            let premium = self.divide(b, gap, official);
            // 8. Effective rate; 9. prices.
            let reference = v(l.reference);
            let effective = if self.needs.effective {
                let mut none = [false; LANES];
                let e = lane_math::effective(b, official, parallel, sold, v(l.spillover), unmet, &mut none);
                b.select(&none, e, official)
            } else {
                X::ZERO
            };
            let cpi = if self.needs.cpi {
                let mut exposure = X::ZERO;
                for &(w, ic, pt) in &l.basket {
                    let x = b.mul(v(w), v(ic));
                    let x = b.mul(x, v(pt));
                    exposure = b.add(exposure, x);
                }
                self.impact(b, exposure, effective, reference)
            } else {
                X::ZERO
            };
            for (q, r) in self.metrics.iter().enumerate() {
                let x = match r.id {
                    MetricId::Core(c) => match c {
                        Core::GrossRevenue => gross,
                        Core::Deductions => deductions,
                        Core::NetRevenue => b.sub(gross, deductions),
                        Core::Payments => payments,
                        Core::Arrears => arrears,
                        Core::CashShipped => shipped,
                        Core::Flights => flights,
                        Core::AirliftCost => cost_paid,
                        Core::Requests => requests,
                        Core::CashSold => cash_sold,
                        Core::WiresSent => wires_sent,
                        Core::WiresRejected => rejected,
                        Core::Unmet => unmet,
                        Core::DinarsAbsorbed => lane_math::round_product(b, sold, official, 2),
                        Core::CustodyBalance => custody,
                        Core::VaultBalance => vault,
                        Core::OfficialRate => official,
                        Core::ParallelRate => parallel,
                        Core::PremiumPct => premium,
                        Core::EffectiveRate => effective,
                        Core::CpiImpactPct => cpi,
                        _ => return false,
                    },
                    MetricId::Revenue(i) => revenue[i],
                    MetricId::Deduction(i) => deducted[i],
                    MetricId::Payment(i) => paid_by[i],
                    MetricId::PriceImpact(i) => {
                        let (_, ic, pt) = l.basket[i];
                        let x = b.mul(v(ic), v(pt));
                        self.impact(b, x, effective, reference)
                    }
                };
                let home = homes[5 + q];
                let next = match (self.months[q], acc[q]) {
                    (Some(pick), _) if pick == mi => Some(x),
                    (Some(_), a) => a,
                    (None, None) => Some(x),
                    (None, Some(a)) => Some(match r.agg {
                        Agg::Sum | Agg::Mean => b.add(a, x),
                        Agg::Min => b.min(a, x),
                        Agg::Max => b.max(a, x),
                        Agg::First => a,
                        Agg::Last => x,
                    }),
                };
                acc[q] = next.map(|x| b.keep(x, home));
            }
            custody = b.keep(custody, h_custody);
            vault = b.keep(vault, h_vault);
            gross_total = b.keep(gross_total, h_gross);
            outflows = b.keep(outflows, h_out);
            b.release(mark);
            if b.bad {
                return false;
            }
        }
        // The ledger identity, exactly, for every draw.
        let sources_total = b.add(opening, gross_total);
        let uses = b.add(custody, vault);
        let uses = b.add(uses, outflows);
        for d in 0..LANES {
            if b.num(sources_total, d).cmp_num(b.num(uses, d)).is_ne() {
                return false;
            }
        }
        let len = X::constant(months.len() as i64, 0);
        for (q, r) in self.metrics.iter().enumerate() {
            let Some(a) = acc[q] else { return false };
            let x = if self.months[q].is_none() && r.agg == Agg::Mean {
                self.divide(b, a, len)
            } else {
                a
            };
            for d in 0..n {
                out[d * nm + q] = b.num(x, d);
            }
        }
        !b.bad
    }

    /// Planes needed per lane: `ceil(shipped / capacity)` in cents.
    #[inline(always)]
    fn flights(&self, b: &mut Block, shipped: X, capacity: X) -> X {
        let s = b.round(shipped, 2);
        let c = b.round(capacity, 2);
        let planes = |s: i64, c: i64| {
            if s > 0 && c > 0 {
                s / c + i64::from(s % c != 0)
            } else {
                0
            }
        };
        if let (V::C(s), V::C(c)) = (s.v, c.v) {
            return X::constant(planes(s, c), 0);
        }
        let (s, c) = (b.get(s), b.get(c));
        let mut lane = [0i64; LANES];
        for d in 0..LANES {
            lane[d] = planes(s[d], c[d]);
        }
        b.put(&lane, 0)
    }

    /// `round4(n / d)` per lane.
    #[inline(always)]
    fn divide(&self, b: &mut Block, n: X, d: X) -> X {
        lane_math::divide(b, n, d)
    }

    /// `item_exact` per lane: `round4(100 × exposure × (effective −
    /// reference) / reference)`.
    #[inline(always)]
    fn impact(&self, b: &mut Block, exposure: X, effective: X, reference: X) -> X {
        let gap = b.sub(effective, reference);
        lane_math::impact(b, exposure, gap, reference)
    }
}
