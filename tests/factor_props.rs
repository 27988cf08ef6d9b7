//! Drawn factors (`"PATH*"` in `[uncertainty]`) on random models: every
//! factor `mc` draws is one `--set 'PATH*=F'` accepts, the factor one unit
//! (10^-6) past either end of the range it is truncated to is one `--set`
//! refuses, and each draw evaluated through the kernel equals a whole run
//! of the `Decimal` engine on the model with those factors set.

use dinarflow::engine::kernel::Kernel;
use dinarflow::engine::metrics::{MetricId, MetricRef};
use dinarflow::engine::run;
use dinarflow::model::{factor, load_str};
use dinarflow::num::fixed::Num;
use dinarflow::uncertainty_analysis::{Design, Plan, Sampler};
use proptest::prelude::*;

use crate::common::generate::{random_factors, random_model};

const DRAWS: u64 = 64;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn drawn_factors_are_set_scales_and_run_like_them(
        pool in proptest::collection::vec(any::<u32>(), 64..160),
        picks in proptest::collection::vec(any::<u32>(), 12),
        seed in any::<u64>(),
    ) {
        let text = random_model(&pool);
        let plain = load_str("random.toml", &text).map_err(|d| TestCaseError::fail(d.render()))?;
        let text = text + &random_factors(&picks, &plain.base.paths());
        // A factor no draw can satisfy is refused at load, and shares that
        // must sum to 1 or inputs under one rule by the plan: both are
        // tested elsewhere, here they just end the case.
        let Ok(model) = load_str("factors.toml", &text) else { return Ok(()) };
        let Ok(plan) = Plan::new(&model) else { return Ok(()) };
        let Ok(design) = Design::new(&plan, seed, Sampler::Random, DRAWS) else { return Ok(()) };
        for input in &plan.inputs {
            prop_assert!(input.scale, "{}", input.path);
            // The ends of the truncation are exactly --set's.
            let b = input.marginal.bounds();
            let set = |u: i128| model.clone().apply_set(&format!("{}={}", input.path, factor::to_decimal(u)));
            for (end, beyond) in [(b.max, 1), (b.min, -1)] {
                if let Some(u) = end {
                    prop_assert!(set(u).is_ok(), "{} at {u}: {:?}", input.path, set(u).err());
                    prop_assert!(set(u + beyond).is_err(), "{} at {}", input.path, u + beyond);
                }
            }
        }
        let metrics: Vec<MetricRef> = MetricId::all(&model.base).into_iter().map(MetricRef::new).collect();
        let kernel = Kernel::with_targets(&model, &plan.targets(), &metrics);
        let k = plan.inputs.len();
        let places: Vec<u32> = plan.inputs.iter().map(|i| i.marginal.places()).collect();
        let mut row = vec![0i128; k];
        let mut scratch = kernel.block_scratch();
        for d in 0..DRAWS {
            if design.row(d, &mut row).is_err() {
                continue; // 1,000 redraws in a row: an error, tested elsewhere
            }
            let units: Vec<i64> = row.iter().map(|u| i64::try_from(*u).unwrap()).collect();
            let sets: Vec<String> = plan
                .inputs
                .iter()
                .zip(&row)
                .map(|(i, u)| format!("{}={}", i.path, i.marginal.to_decimal(*u)))
                .collect();
            let mut fixed = model.clone();
            let specs: Vec<&str> = sets.iter().map(String::as_str).collect();
            prop_assert!(fixed.apply_sets(&specs).is_ok(), "{sets:?}: {:?}", fixed.clone().apply_sets(&specs).err());
            let mut out = vec![Num::ZERO; metrics.len()];
            let evaluated = kernel.eval_units(&mut scratch, &places, &units, true, &mut out);
            match run(&fixed) {
                Ok(whole) => {
                    prop_assert!(evaluated.is_ok(), "{sets:?}");
                    for (q, m) in metrics.iter().enumerate() {
                        prop_assert_eq!(out[q].to_dec(), m.evaluate(&whole).unwrap(), "{} with {:?}", m.display(&model.base), sets);
                    }
                }
                Err(_) => prop_assert!(evaluated.is_err(), "{sets:?}"),
            }
        }
    }
}
