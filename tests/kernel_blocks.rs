//! Blocks of draws evaluated together on 64-bit lanes
//! (`Kernel::eval_units`, what `mc` runs) against the `Decimal` engine run
//! draw by draw: on random models and on the shipped ones, every metric of
//! every draw must have the same value (and scale, when asked for), on
//! every instruction set, bit for bit. Failures must name the same draw.

use std::path::Path;

use dinarflow::engine::kernel::{Kernel, LANES};
use dinarflow::engine::metrics::{Agg, MetricId, MetricRef};
use dinarflow::engine::run_model_with;
use dinarflow::model::{load_file, load_str, Model, ParamId};
use dinarflow::num::decimal::clean;
use dinarflow::num::fixed::Num;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::common::generate::{drawn_value, random_model};

/// Every metric with its summary, `:min`, `:last` and one month.
fn all_metrics(model: &Model) -> Vec<MetricRef> {
    let mut out = Vec::new();
    for id in MetricId::all(&model.base) {
        out.push(MetricRef::new(id));
        for agg in [Agg::Min, Agg::Last] {
            out.push(MetricRef { id, agg, month: None });
        }
        out.push(MetricRef {
            id,
            agg: id.summary(),
            month: Some(model.timeline.start),
        });
    }
    out
}

/// Compares `draws` draws; returns how many ran on lanes.
fn compare(model: &Model, picks: &[u32], draws: usize, exact_scale: bool) -> Result<usize, TestCaseError> {
    let ids = model.base.ids();
    let mut inputs: Vec<ParamId> = Vec::new();
    for p in picks.iter().take(4) {
        let id = ids[*p as usize % ids.len()];
        if !inputs.contains(&id) {
            inputs.push(id);
        }
    }
    let k = inputs.len();
    let mut units = Vec::with_capacity(draws * k);
    let mut places = vec![0; k];
    for d in 0..draws {
        for (j, id) in inputs.iter().enumerate() {
            let x = picks[4 + j]
                .wrapping_mul(2_654_435_761)
                .wrapping_add(d as u32 * 40_503);
            let v = drawn_value(id.kind(), model.base.get(*id), x);
            units.push(i64::try_from(v.mantissa()).unwrap());
            places[j] = v.scale();
        }
    }
    let metrics = all_metrics(model);
    let m = metrics.len();
    let kernel = Kernel::new(model, &inputs, &metrics);
    let mut scratch = kernel.block_scratch();
    let mut out = vec![Num::ZERO; draws * m];
    let got = kernel.eval_units(&mut scratch, &places, &units, exact_scale, &mut out);
    // The portable code (no vector instructions) gives the same, bit for bit.
    let mut portable = kernel.block_scratch().portable();
    let mut out2 = vec![Num::ZERO; draws * m];
    let got2 = kernel.eval_units(&mut portable, &places, &units, exact_scale, &mut out2);
    prop_assert_eq!(got.as_ref().map_err(|e| e.0), got2.as_ref().map_err(|e| e.0));
    prop_assert_eq!(&out, &out2);
    for d in 0..draws {
        let overrides: Vec<(ParamId, Decimal)> = (0..k)
            .map(|j| {
                (
                    inputs[j],
                    Decimal::from_i128_with_scale(i128::from(units[d * k + j]), places[j]),
                )
            })
            .collect();
        match run_model_with(model, &overrides, false) {
            Ok(run) => {
                prop_assert!(
                    got.is_ok() || got.as_ref().err().map(|e| e.0) > Some(d),
                    "draw {d} failed on lanes"
                );
                if got.is_err() {
                    break;
                }
                for (q, metric) in metrics.iter().enumerate() {
                    let want = metric.evaluate(&run).unwrap();
                    let have = out[d * m + q].to_dec();
                    let what = format!(
                        "{} in draw {d} with {:?} = {:?}",
                        metric.display(&model.base),
                        inputs,
                        overrides
                    );
                    prop_assert_eq!(have, want, "{}", what);
                    if exact_scale {
                        // The scale too: what a sweep prints.
                        prop_assert_eq!(clean(have).to_string(), clean(want).to_string(), "{}", what);
                    }
                }
            }
            Err(_) => {
                prop_assert_eq!(got.as_ref().err().map(|e| e.0), Some(d));
                break;
            }
        }
    }
    Ok(got.unwrap_or(0))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn blocks_equal_the_decimal_engine_on_random_models(
        pool in proptest::collection::vec(any::<u32>(), 64..160),
        picks in proptest::collection::vec(any::<u32>(), 8),
        exact_scale in any::<bool>(),
    ) {
        let text = random_model(&pool);
        let model = load_str("random.toml", &text).map_err(|d| TestCaseError::fail(d.render()))?;
        compare(&model, &picks, LANES + 9, exact_scale)?;
    }
}

#[test]
fn the_shipped_models_run_on_lanes_and_agree() {
    for path in [
        "models/iraq-2023.toml",
        "models/iraq-2022-baseline.toml",
        "models/oil-for-food-1997.toml",
        "fixtures/mc-6-months.toml",
    ] {
        let model = load_file(Path::new(path)).unwrap();
        for seed in [1u32, 7, 99] {
            let picks: Vec<u32> = (0..8)
                .map(|i| seed.wrapping_mul(2_654_435_761).wrapping_add(i * 97))
                .collect();
            let on_lanes = compare(&model, &picks, 2 * LANES + 5, false).unwrap();
            // A realistic model never needs the draw-by-draw path.
            assert_eq!(on_lanes, 2 * LANES + 5, "{path}, seed {seed}");
            compare(&model, &picks, LANES, true).unwrap();
        }
    }
}

/// A random model found in a fresh clone's `cargo test`: underlying
/// inflation drawn at 764.85145% a year and the same impact in March 2015
/// as a year before, so March 2015's year-on-year CPI is exactly
/// 764.85145, half a unit of the fourth place: 764.8514 (to even), and
/// the mean over the 13 months 730.1840. On lanes the year-on-year
/// function met a fraction wider than 128 bits and fell back to 28-digit
/// decimals, whose quotient rounded the half up (764.8515, mean 730.1841);
/// it is now exact at any width.
#[test]
fn a_year_on_year_cpi_at_hyperinflation_agrees() {
    let pool: Vec<u32> = vec![
        1366817798, 2296146818, 2926893180, 3488996942, 4131895105, 1653538276, 2973173561, 2652383793,
        2120025008, 19547725, 2627175360, 2483116552, 1297250183, 1853127903, 1521773926, 31560220,
        102797166, 2859692801, 1715625086, 3421444822, 4289315439, 395807691, 3698435373, 2726945027,
        3822585593, 916625229, 1905024876, 739341856, 1090727804, 1803180044, 2313812839, 4079398205,
        254651279, 2292253844, 3058356410, 2659638103, 608560452, 4287138335, 758083885, 721719902,
        1200161708, 4144416584, 2386480151, 677247785, 246274163, 1055891199, 1189589360, 3935124417,
        1099659329, 3752069390, 2037853010, 694852070, 2065266644, 71792719, 959248108, 2614502009,
        1227958823, 1300415963, 3047217059, 4148559288, 4243321841, 1775392393, 1693702191, 653660734,
        784536253, 584507129, 1341314510, 2094421173, 3842645242, 1463089585, 4029511690, 1177709056,
        1901627913, 1545248202, 860487367, 1280086715, 511172551, 2365275125, 1027600713, 3751005463,
        1976939788, 3323003185, 3187999118, 403969634, 1644008465, 2048907289, 928692492, 2873778671,
        3260178975, 2005917904, 2614765739, 191953720, 124566358, 549383523, 112635814, 2382438248, 58438089,
        1337406536, 3014061566, 3561505769, 1558200798, 3550055337, 2335034618, 1172447068, 2951273355,
        1436582899, 4244453675, 4119913506, 3318387004, 267618386, 1297158232, 26735857, 2224106334,
        603428652, 3621910304, 1217003652, 1736982521, 757286982, 3125543115, 842687417, 3067804369,
        3955267416, 535078266, 3706180, 485326962, 2052721996, 3680617163, 3347485914, 2213171115, 418253203,
        835455162, 1263621942, 4127903606, 2877633255, 498224900, 1934840527, 464797255, 1818005663,
        1869845501, 2936522360, 3190748925, 1749596392, 3693612839, 4003146232, 1000811138, 3461039242,
        598216839, 658276535,
    ];
    let picks = [
        4079912131, 2865605480, 2812029715, 3157048044, 2456666305, 1882969673, 2092236077, 3368117516,
    ];
    let model = load_str("random.toml", &random_model(&pool)).unwrap();
    compare(&model, &picks, LANES + 9, false).unwrap();
}
