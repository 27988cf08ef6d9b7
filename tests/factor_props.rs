//! Drawn factors (`"PATH*"` in `[uncertainty]`) on random models: every
//! factor `mc` draws is one `--set 'PATH*=F'` accepts, the factor one unit
//! (10^-6) past either end of the range it is truncated to is one `--set`
//! refuses, and each draw evaluated through the kernel equals a whole run
//! of the `Decimal` engine on the model with those factors set.

use dinarflow::engine::kernel::Kernel;
use dinarflow::engine::metrics::{Core, MetricId, MetricRef};
use dinarflow::engine::plan::Target;
use dinarflow::engine::run;
use dinarflow::model::{factor, load_str, ParamId};
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
        drawn_factors_run_like_set_scales(&pool, &picks, seed)?;
    }
}

/// A case the property above once found: a bank with no rejection rate of
/// its own (K1) follows the auction's, and factors on both, the auction's
/// rate 1 × 0.541692 and K1's × 0.721279, make K1 face their product,
/// 0.3907, and reject 312,413,825.48 of wires in all, through the kernel
/// (as a two-way `sweep --scale` evaluates them) exactly as `run --set`
/// (the kernel once gave K1 0.7213 and 315,555,638.73: it scaled the
/// bank's first-month value and stopped following the auction). Drawn
/// together in `[uncertainty]` they are refused: only the two together
/// keep K1's rate within 0 to 1.
#[test]
fn factors_on_a_bank_that_follows_the_auction_and_on_the_auction() {
    let pool = [
        28412, 2663390857, 1750010168, 3030543251, 1924040973, 1513682584, 1679224250, 3750855650,
        2230932609, 2757519979, 368602133, 1031643642, 1259086117, 3801249025, 2184339128, 812013804,
        1660864619, 4239811376, 3125006063, 840098643, 2908342348, 3423068583, 4259517270, 3979800811,
        2290379706, 2976904294, 2034382343, 1150886548, 1793567549, 2148718147, 2660210621, 279369976,
        2046914862, 3180174449, 1231148953, 3369893870, 1490034929, 3709629476, 309859387, 706127691,
        1129627494, 3835974186, 3077697966, 1658134272, 645783423, 1137258216, 232203626, 4229297656,
        3946954879, 1775314439, 1769327956, 3039890837, 1336397927, 3964461821, 3281058024, 3074809877,
        2447891590, 3153201289, 3421606549, 4138355918, 1887168630, 1310373489, 3966244536, 18231439,
        4234130633, 110941594, 3283767999, 1220671807, 129078432, 3828426386, 866671615, 2861535578,
        1668954486, 1541322583, 3122216753, 1310176090, 79864841, 893580691, 526363292, 3850770895,
        182474552,
    ];
    let picks = [
        1259521460, 3633292555, 2362356032, 860826045, 2006083955, 1709447008, 2555656844, 1207033131,
        2217635334, 779674925, 127329479, 3954635654,
    ];
    let text = random_model(&pool);
    let plain = load_str("random.toml", &text).unwrap();
    let text = text + &random_factors(&picks, &plain.base.paths());
    let model = load_str("factors.toml", &text).unwrap();
    let refused = Plan::new(&model).unwrap_err().to_string();
    assert!(refused.contains("cannot be truncated one at a time"), "{refused}");
    let targets: Vec<Target> = model.uncertainty.iter().map(|u| Target::Scale(u.param)).collect();
    let factors: Vec<(String, i64)> = model
        .uncertainty
        .iter()
        .map(|u| {
            let f = if u.param == ParamId::RejectionRate {
                541_692
            } else {
                721_279
            };
            (u.name(), f)
        })
        .collect();
    let metric = [MetricRef::new(MetricId::Core(Core::WiresRejected))];
    let kernel = Kernel::with_targets(&model, &targets, &metric);
    let units: Vec<i64> = factors.iter().map(|f| f.1).collect();
    let mut out = vec![Num::ZERO; 1];
    kernel
        .eval_units(
            &mut kernel.block_scratch(),
            &vec![6; units.len()],
            &units,
            true,
            &mut out,
        )
        .unwrap();
    let mut fixed = model.clone();
    let sets: Vec<String> = factors
        .iter()
        .map(|(name, f)| format!("{name}={}", factor::to_decimal(i128::from(*f))))
        .collect();
    fixed
        .apply_sets(&sets.iter().map(String::as_str).collect::<Vec<_>>())
        .unwrap();
    let whole = metric[0].evaluate(&run(&fixed).unwrap()).unwrap();
    assert_eq!(whole.to_string(), "312413825.48");
    assert_eq!(out[0].to_dec(), whole);
}

/// The property: each draw's factors accepted by `--set` at the ends of
/// their range and refused past them, and evaluated through the kernel as
/// a whole run of the `Decimal` engine with those factors set.
fn drawn_factors_run_like_set_scales(pool: &[u32], picks: &[u32], seed: u64) -> Result<(), TestCaseError> {
    let text = random_model(pool);
    let plain = load_str("random.toml", &text).map_err(|d| TestCaseError::fail(d.render()))?;
    let text = text + &random_factors(picks, &plain.base.paths());
    // A factor no draw can satisfy is refused at load, and shares that
    // must sum to 1 or inputs under one rule by the plan: both are
    // tested elsewhere, here they just end the case.
    let Ok(model) = load_str("factors.toml", &text) else {
        return Ok(());
    };
    let Ok(plan) = Plan::new(&model) else {
        return Ok(());
    };
    let Ok(design) = Design::new(&plan, seed, Sampler::Random, DRAWS) else {
        return Ok(());
    };
    for input in &plan.inputs {
        prop_assert!(input.scale, "{}", input.path);
        // The ends of the truncation are exactly --set's, except where the
        // most a draw can hold (±MAX_UNITS) is nearer: --set goes on past it.
        let b = input.marginal.bounds();
        let set = |u: i128| {
            model
                .clone()
                .apply_set(&format!("{}={}", input.path, factor::to_decimal(u)))
        };
        for (end, beyond) in [(b.max, 1), (b.min, -1)] {
            if let Some(u) = end {
                prop_assert!(set(u).is_ok(), "{} at {u}: {:?}", input.path, set(u).err());
                if u.abs() < dinarflow::sampling::MAX_UNITS {
                    prop_assert!(set(u + beyond).is_err(), "{} at {}", input.path, u + beyond);
                }
            }
        }
    }
    let metrics: Vec<MetricRef> = MetricId::all(&model.base)
        .into_iter()
        .map(MetricRef::new)
        .collect();
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
        prop_assert!(
            fixed.apply_sets(&specs).is_ok(),
            "{sets:?}: {:?}",
            fixed.clone().apply_sets(&specs).err()
        );
        let mut out = vec![Num::ZERO; metrics.len()];
        let evaluated = kernel.eval_units(&mut scratch, &places, &units, true, &mut out);
        match run(&fixed) {
            Ok(whole) => {
                prop_assert!(evaluated.is_ok(), "{sets:?}");
                for (q, m) in metrics.iter().enumerate() {
                    prop_assert_eq!(
                        out[q].to_dec(),
                        m.evaluate(&whole).unwrap(),
                        "{} with {:?}",
                        m.display(&model.base),
                        sets
                    );
                }
            }
            Err(_) => prop_assert!(evaluated.is_err(), "{sets:?}"),
        }
    }
    Ok(())
}
