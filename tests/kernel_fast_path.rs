//! Inputs that once sent every block to the exact backend, draw by draw,
//! a hundred times slower: lag weights over reference rates that change
//! (the lagged move's fraction passed 64 bits), and sweeps whose points
//! put the parallel rate on the official floor in some months and not in
//! others (the two have different decimal scales, which a sweep prints).
//! Each must now run on the lanes — `Kernel::eval_units` and
//! `Kernel::eval_points` say how many draws did, so no timing is needed —
//! and give the exact engine's numbers digit for digit, scale included.

use std::path::Path;

use dinarflow::engine::kernel::{Kernel, LANES};
use dinarflow::engine::metrics::{Agg, MetricId, MetricRef};
use dinarflow::engine::run_model_with;
use dinarflow::model::{load_file, load_str, Model, ParamId};
use dinarflow::num::decimal::clean;
use dinarflow::num::fixed::Num;
use proptest::prelude::*;
use rust_decimal::Decimal;

const DEFAULT: &str = "models/iraq-2023.toml";

/// Every metric with its summary, `:min`, `:max`, `:first`, `:last` and
/// two single months (one where the official floor may bind).
fn all_metrics(model: &Model) -> Vec<MetricRef> {
    let mut out = Vec::new();
    let t = &model.timeline;
    for id in MetricId::all(&model.base) {
        out.push(MetricRef::new(id));
        for agg in [Agg::Min, Agg::Max, Agg::First, Agg::Last] {
            out.push(MetricRef { id, agg, month: None });
        }
        for month in [t.start, t.end()] {
            out.push(MetricRef {
                id,
                agg: id.summary(),
                month: Some(month),
            });
        }
    }
    out
}

/// The default model with `lag_weights` replaced and `sets` applied.
fn with_lags(weights: &[&str], sets: &[String]) -> Model {
    let text = std::fs::read_to_string(DEFAULT).unwrap();
    let line = "lag_weights = [0.5, 0.3, 0.2]";
    assert!(text.contains(line), "the default model's lag weights moved");
    let text = text.replace(line, &format!("lag_weights = [{}]", weights.join(", ")));
    let mut model = load_str("lags.toml", &text).unwrap();
    let specs: Vec<&str> = sets.iter().map(String::as_str).collect();
    model.apply_sets(&specs).unwrap();
    model
}

/// `--set` specs giving the reference rate a new value every month up to
/// August 2023 (ten in all: with 24 lags their fraction passes a
/// `Decimal`, and the exact backend sums 28-digit quotients instead).
fn monthly_references(model: &Model) -> Vec<String> {
    let last = "2023-08".parse().unwrap();
    model
        .timeline
        .months
        .iter()
        .take_while(|info| info.month <= last)
        .enumerate()
        .map(|(i, info)| format!("prices.reference_rate_iqd_per_usd@{}={}", info.month, 1400 + i))
        .collect()
}

/// A value as the exact engine's output shows it (value and scale).
fn text(x: Decimal) -> String {
    clean(x).to_string()
}

/// `draws` draws of `paths`, each value at `places[j]` places somewhere
/// in `ranges[j]`: evaluated as `mc` does (blocks of lanes) on every
/// instruction set, checked against whole runs of the exact engine.
/// Returns how many draws ran on lanes.
fn blocks_agree(model: &Model, inputs: &[(&str, f64, f64, u32)], draws: usize, exact_scale: bool) -> usize {
    let ids: Vec<ParamId> = inputs.iter().map(|i| model.resolve_path(i.0).unwrap()).collect();
    let places: Vec<u32> = inputs.iter().map(|i| i.3).collect();
    let mut units = Vec::new();
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..draws {
        for &(_, lo, hi, dp) in inputs {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let u = (x >> 11) as f64 / (1u64 << 53) as f64;
            units.push(((lo + (hi - lo) * u) * 10f64.powi(dp as i32)).round() as i64);
        }
    }
    let metrics = all_metrics(model);
    let m = metrics.len();
    let kernel = Kernel::new(model, &ids, &metrics);
    let mut out = vec![Num::ZERO; draws * m];
    let on_lanes = kernel
        .eval_units(
            &mut kernel.block_scratch(),
            &places,
            &units,
            exact_scale,
            &mut out,
        )
        .unwrap();
    let mut portable = vec![Num::ZERO; draws * m];
    kernel
        .eval_units(
            &mut kernel.block_scratch().portable(),
            &places,
            &units,
            exact_scale,
            &mut portable,
        )
        .unwrap();
    assert_eq!(out, portable, "the portable build differs");
    let k = ids.len();
    for d in 0..draws {
        let overrides: Vec<(ParamId, Decimal)> = (0..k)
            .map(|j| (ids[j], Decimal::new(units[d * k + j], places[j])))
            .collect();
        let run = run_model_with(model, &overrides, false).unwrap();
        for (q, metric) in metrics.iter().enumerate() {
            let want = metric.evaluate(&run).unwrap();
            let have = out[d * m + q].to_dec();
            let what = || format!("{} in draw {d} with {overrides:?}", metric.display(&model.base));
            if exact_scale {
                assert_eq!(text(have), text(want), "{}", what());
            } else {
                assert_eq!(have, want, "{}", what());
            }
        }
    }
    on_lanes
}

/// The default model's drawn inputs (the brief's Monte Carlo), at the
/// places `mc` draws them: path, low, high, places.
const DRAWN: [(&str, f64, f64, u32); 5] = [
    (
        "parallel_market.baseline_turnover_usd_per_day",
        40_000_000.0,
        250_000_000.0,
        2,
    ),
    ("parallel_market.anchor_weight", 0.0, 1.0, 6),
    ("parallel_market.persistence", 0.0, 0.99, 6),
    ("prices.underlying_inflation_pct", 5.9, 6.4, 6),
    ("prices.basket[Food].pass_through", 0.7, 1.0, 6),
];

#[test]
fn three_lags_over_two_reference_changes_run_on_lanes() {
    let sets = [
        "prices.reference_rate_iqd_per_usd@2023-03=1401".to_string(),
        "prices.reference_rate_iqd_per_usd@2023-04=1402".to_string(),
    ];
    let model = with_lags(&["0.333333", "0.333333", "0.333334"], &sets);
    let draws = 2 * LANES + 5;
    assert_eq!(blocks_agree(&model, &DRAWN, draws, false), draws);
    assert_eq!(blocks_agree(&model, &DRAWN, LANES, true), LANES);
}

#[test]
fn many_lags_over_monthly_references_run_on_lanes() {
    let mut weights = vec!["0.041667"; 23];
    weights.push("0.041659");
    let plain = with_lags(&weights, &[]);
    let model = with_lags(&weights, &monthly_references(&plain));
    let draws = LANES + 9;
    assert_eq!(blocks_agree(&model, &DRAWN, draws, false), draws);
    // A fixture of twenty lags over monthly references, too.
    let fixture = load_file(Path::new("fixtures/lags-monthly-references.toml")).unwrap();
    let inputs = [
        (
            "parallel_market.baseline_turnover_usd_per_day",
            20_000.0,
            90_000.0,
            2,
        ),
        ("prices.basket[Food].pass_through", 0.3, 0.9, 6),
    ];
    assert_eq!(blocks_agree(&fixture, &inputs, draws, true), draws);
}

/// A two-way sweep of `a` × `b` over `lo..=hi` in `step`s through
/// `Kernel::eval_points` (what `sweep` calls): every point on lanes, each
/// value and its scale those of a whole exact run. Returns the values.
fn sweep_agrees(model: &Model, (a, b): (&str, &str), grid: [(i64, i64); 2], step: i64) -> Vec<String> {
    let ids = [model.resolve_path(a).unwrap(), model.resolve_path(b).unwrap()];
    let axis = |(lo, hi): (i64, i64)| {
        (lo..=hi)
            .step_by(step as usize)
            .map(|u| Decimal::new(u, 2).normalize())
    };
    let points: Vec<[Decimal; 2]> = axis(grid[0])
        .flat_map(|x| axis(grid[1]).map(move |y| [x, y]))
        .collect();
    let metrics = all_metrics(model);
    let m = metrics.len();
    let kernel = Kernel::new(model, &ids, &metrics);
    let values: Vec<Decimal> = points.iter().flatten().copied().collect();
    let mut out = vec![Decimal::ZERO; points.len() * m];
    let mut errors = vec![None; points.len()];
    let on_lanes = kernel.eval_points(&mut kernel.block_scratch(), &values, &mut out, &mut errors);
    assert!(errors.iter().all(Option::is_none));
    assert_eq!(on_lanes, points.len(), "{a} × {b}: points left the lanes");
    let mut shown = Vec::new();
    for (p, point) in points.iter().enumerate() {
        let run = run_model_with(model, &[(ids[0], point[0]), (ids[1], point[1])], false).unwrap();
        for (q, metric) in metrics.iter().enumerate() {
            let want = text(metric.evaluate(&run).unwrap());
            let have = text(out[p * m + q]);
            assert_eq!(
                have,
                want,
                "{} at {a} = {}, {b} = {}",
                metric.display(&model.base),
                point[0],
                point[1]
            );
            shown.push(have);
        }
    }
    shown
}

#[test]
fn sweeps_across_the_official_floor_run_on_lanes_with_the_engine_s_scales() {
    let model = load_file(Path::new(DEFAULT)).unwrap();
    let shown = sweep_agrees(
        &model,
        ("auction.rejection_rate", "auction.cash_share"),
        [(1, 99), (1, 99)],
        7,
    );
    // The floor binds in some points' months: the official rate's own
    // scale (1310) beside the power law's four places (1310.0000).
    assert!(shown.iter().any(|v| v == "1310"), "no point on the floor");
    assert!(shown.iter().any(|v| v.ends_with(".0000")));
    sweep_agrees(
        &model,
        ("auction.cash_share", "parallel_market.persistence"),
        [(0, 100), (0, 99)],
        9,
    );
}

/// `n` lag weights of `places` places each, positive, summing to 1.
fn weights(n: usize, places: u32, pool: &[u32]) -> Vec<String> {
    let unit = 10i64.pow(places);
    let raw: Vec<i64> = (0..n)
        .map(|i| 1 + i64::from(pool[i % pool.len()] % 1000))
        .collect();
    let total: i64 = raw.iter().sum();
    let mut parts: Vec<i64> = raw.iter().map(|x| (x * unit / total).max(1)).collect();
    let rest = unit - parts.iter().sum::<i64>();
    parts[0] += rest;
    if parts[0] < 1 {
        // Too many weights for so few places: equal ones at more places.
        return weights(n, places + 2, pool);
    }
    parts
        .iter()
        .map(|p| Decimal::new(*p, places).to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random lags over random reference changes (months up to August
    /// 2023), drawn as `mc` draws: every draw on lanes, every value (and
    /// scale, when asked for) the exact engine's.
    #[test]
    fn random_lags_over_changing_references_run_on_lanes(
        n in 2usize..=24,
        places in 1u32..=6,
        pool in proptest::collection::vec(any::<u32>(), 24),
        changes in proptest::collection::vec((0usize..10, 1000u32..2000, 0u32..5), 1..8),
        exact_scale in any::<bool>(),
    ) {
        let plain = load_file(Path::new(DEFAULT)).unwrap();
        let by_month: std::collections::BTreeMap<usize, (u32, u32)> =
            changes.iter().map(|&(month, whole, frac)| (month, (whole, frac))).collect();
        let sets: Vec<String> = by_month
            .iter()
            .map(|(&month, &(whole, frac))| {
                let m = plain.timeline.months[month].month;
                let v = Decimal::new(i64::from(whole) * 10 + i64::from(frac), 1);
                format!("prices.reference_rate_iqd_per_usd@{m}={v}")
            })
            .collect();
        let w = weights(n, places, &pool);
        let model = with_lags(&w.iter().map(String::as_str).collect::<Vec<_>>(), &sets);
        let draws = LANES + 3;
        prop_assert_eq!(blocks_agree(&model, &DRAWN[1..4], draws, exact_scale), draws);
    }
}
