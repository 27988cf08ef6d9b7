//! Blocks of draws evaluated together on 64-bit lanes
//! (`Kernel::eval_units`, what `mc` runs) against the `Decimal` engine run
//! draw by draw: on random models and on the shipped ones, every metric of
//! every draw must have the same value, on every instruction set, bit for
//! bit. Failures must name the same draw.

use std::path::Path;

use dinarflow::engine::kernel::{Kernel, LANES};
use dinarflow::engine::metrics::{Agg, MetricId, MetricRef};
use dinarflow::engine::run_model_with;
use dinarflow::model::{load_file, load_str, Model, ParamId};
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
