//! Properties of the sensitivity machinery, checked on random inputs:
//! the economics the model must respect when one assumption moves, that
//! evaluating with a replaced parameter is exactly `--set`, that Shapley
//! attributions add up exactly, and that SPEC ranges step exactly.

use proptest::prelude::*;
use rust_decimal::Decimal;

use dinarflow::cli::{DEFAULT_MODEL, DEFAULT_MODEL_NAME};
use dinarflow::engine;
use dinarflow::engine::metrics::{Core, MetricId, MetricRef};
use dinarflow::model::{load_str, Model, ParamId};
use dinarflow::sensitivity::attribution::{shapley, shapley_scaled};
use dinarflow::sensitivity::spec::parse_spec;
use dinarflow::sensitivity::{round_for, whole, Evaluator};

fn default_model() -> Model {
    load_str(DEFAULT_MODEL_NAME, DEFAULT_MODEL).unwrap()
}

fn small_model() -> Model {
    load_str("fixtures/small.toml", include_str!("../fixtures/small.toml")).unwrap()
}

/// A decimal in [0, 1] with six places.
fn share() -> impl Strategy<Value = Decimal> {
    (0u32..=1_000_000).prop_map(|n| Decimal::new(i64::from(n), 6))
}

/// A decimal in (lo, hi] with four places.
fn between(lo: u32, hi: u32) -> impl Strategy<Value = Decimal> {
    (lo * 10_000 + 1..=hi * 10_000).prop_map(|n| Decimal::new(i64::from(n), 4))
}

fn series(run: &engine::Run, c: Core) -> Vec<Decimal> {
    MetricId::Core(c).series(run)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A higher rejection rate never lowers the parallel rate, in any month
    /// or on average, whatever the parallel market's other assumptions.
    /// (This needs custody to cover the approved wires, as it does with the
    /// default model's $100B: when custody runs short, wires rejected this
    /// month leave dollars that settle next month's requests, and a higher
    /// rejection rate can lower a later month's rate. See fixtures/small.toml
    /// at rejection rates below 0.4.)
    #[test]
    fn a_higher_rejection_rate_never_lowers_the_parallel_rate(
        r1 in share(), r2 in share(), spill in share(), cash in share(),
        demand in between(0, 5), supply in between(0, 3),
    ) {
        let m = default_model();
        let ev = Evaluator::new(&m);
        let (lo, hi) = (r1.min(r2), r1.max(r2));
        let others = [
            whole(ParamId::SpilloverShare, spill),
            whole(ParamId::CashShare, cash),
            whole(ParamId::DemandElasticity, demand),
            whole(ParamId::SupplyElasticity, supply),
        ];
        let at = |r: Decimal| {
            let mut a = others.to_vec();
            a.push(whole(ParamId::RejectionRate, r));
            ev.run(&a).unwrap()
        };
        let (low, high) = (at(lo), at(hi));
        for (a, b) in series(&low, Core::ParallelRate).iter().zip(series(&high, Core::ParallelRate)) {
            prop_assert!(b >= *a, "rejection {lo} gives {a}, {hi} gives {b}");
        }
        let mean = MetricRef::new(MetricId::Core(Core::ParallelRate));
        prop_assert!(mean.evaluate(&high).unwrap() >= mean.evaluate(&low).unwrap());
    }

    /// The first month cannot be affected by custody carried over, so there
    /// the property holds on any model, the small one included.
    #[test]
    fn the_first_month_never_falls_with_rejection(r1 in share(), r2 in share(), open in 0u64..5_000_000) {
        let m = small_model();
        let ev = Evaluator::new(&m);
        let (lo, hi) = (r1.min(r2), r1.max(r2));
        let at = |r: Decimal| {
            ev.run(&[whole(ParamId::RejectionRate, r), whole(ParamId::OpeningBalance, Decimal::from(open))]).unwrap()
        };
        let (a, b) = (series(&at(lo), Core::ParallelRate)[0], series(&at(hi), Core::ParallelRate)[0]);
        prop_assert!(b >= a, "rejection {lo} gives {a}, {hi} gives {b}");
    }

    /// A higher pass-through never lowers the CPI impact (nor the item's own
    /// impact) in a month whose lag window has the effective rate above the reference.
    #[test]
    fn a_higher_pass_through_never_lowers_the_cpi_impact_above_the_reference(
        item in 0usize..8, p1 in share(), p2 in share(), rejection in share(), reference in 1200u32..1700,
    ) {
        let m = default_model();
        let ev = Evaluator::new(&m);
        let (lo, hi) = (p1.min(p2), p1.max(p2));
        let at = |p: Decimal| {
            ev.run(&[
                whole(ParamId::ItemPassThrough(item), p),
                whole(ParamId::RejectionRate, rejection),
                whole(ParamId::ReferenceRate, Decimal::from(reference)),
            ])
            .unwrap()
        };
        let (low, high) = (at(lo), at(hi));
        let reference = Decimal::from(reference);
        // With lag weights (docs/model.md §3 step 9) a month's impact is
        // pass-through × the weighted gaps of this and earlier months, so
        // the property holds where every gap in the lag window is positive
        // (months before the timeline have no gap).
        let lags = m.base.prices.lag_weights.len().max(1);
        let above: Vec<bool> = low.months.iter().map(|v| v.get(Core::EffectiveRate) > reference).collect();
        for (month, (a, b)) in low.months.iter().zip(&high.months).enumerate() {
            // Pass-through acts after the effective rate: both runs share it.
            prop_assert_eq!(a.get(Core::EffectiveRate), b.get(Core::EffectiveRate));
            if above[month.saturating_sub(lags - 1)..=month].iter().all(|x| *x) {
                prop_assert!(b.get(Core::CpiImpactPct) >= a.get(Core::CpiImpactPct), "month {}: {} then {}", month, a.get(Core::CpiImpactPct), b.get(Core::CpiImpactPct));
                prop_assert!(b.price_impact[item] >= a.price_impact[item]);
            }
        }
    }

    /// Evaluating with a replaced parameter is exactly running the model
    /// after `--set` (Model::set_value) at that value, for any parameter.
    #[test]
    fn an_evaluation_is_exactly_a_run_with_set(pick in 0usize..1000, factor in 0u32..=20_000, small in any::<bool>()) {
        let m = if small { small_model() } else { default_model() };
        let ids = m.base.ids();
        let id = ids[pick % ids.len()];
        let base = m.base.get(id);
        // From 0 to twice the base value (or to 2 for a parameter at 0).
        let scale = if base.is_zero() { Decimal::TWO } else { base * Decimal::TWO };
        let mut value = round_for(id, scale * Decimal::new(i64::from(factor), 4) / Decimal::TWO);
        if let Some(max) = id.kind().max() {
            value = value.min(max);
        }
        let mut set = m.clone();
        prop_assume!(set.set_value(id, value).is_ok());
        let direct = engine::run(&set).unwrap();
        let ev = Evaluator::new(&m);
        prop_assert_eq!(ev.run(&[whole(id, value)]).unwrap().months, direct.months);
    }
}

proptest! {
    /// Shapley parts add up exactly to the whole change, and each is its
    /// exact rational value rounded to the places asked for (within one unit).
    #[test]
    fn shapley_parts_sum_exactly_to_the_change(
        k in 1usize..=6, raw in proptest::collection::vec(-1_000_000_000i64..1_000_000_000, 64), dp in 0u32..=4,
    ) {
        let v: Vec<Decimal> = raw[..1 << k].iter().map(|x| Decimal::new(*x, dp)).collect();
        let parts = shapley(k, &v, dp).unwrap();
        let total = v[(1 << k) - 1] - v[0];
        prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
        let kf: i64 = (1..=k as i64).product();
        let unit = Decimal::new(1, dp);
        for (p, exact_times_kf) in parts.iter().zip(shapley_scaled(k, &v).unwrap()) {
            prop_assert!((*p * Decimal::from(kf) - exact_times_kf).abs() < unit * Decimal::from(kf));
        }
    }

    /// `LO:HI:STEP` tries LO + k × STEP exactly, up to HI, HI included
    /// exactly when a step lands on it; a step past HI (no whole step
    /// fits between LO and a higher HI) is refused, since it would try LO
    /// alone.
    #[test]
    fn ranges_step_exactly(lo in -100_000i64..100_000, step in 1i64..10_000, n in 0i64..200, extra in 0i64..10_000, dp in 0u32..=4) {
        let lo_d = Decimal::new(lo, dp);
        let step_d = Decimal::new(step, dp);
        let extra = extra % step;
        let hi_d = lo_d + step_d * Decimal::from(n) + Decimal::new(extra, dp);
        let spec = format!("{lo_d}:{hi_d}:{step_d}");
        if n == 0 && extra > 0 {
            let refused = parse_spec(&spec).unwrap_err();
            prop_assert!(refused.starts_with(&format!("the step {step_d} is larger than HI − LO")), "{}", refused);
            return Ok(());
        }
        let values = parse_spec(&spec).unwrap();
        prop_assert_eq!(values.len() as i64, n + 1);
        for (k, v) in values.iter().enumerate() {
            prop_assert_eq!(*v, lo_d + step_d * Decimal::from(k as i64));
        }
        prop_assert_eq!(*values.last().unwrap() == hi_d, extra == 0);
    }
}
