//! Criterion benchmarks of the engine: one evaluation of the default model
//! (load once, run many times), loading + validating it from text, one
//! evaluation of the 6-month model through the kernel (a block of one
//! point, what `morris` runs), and 4,096 evaluations on lanes (what `mc`
//! runs).
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use dinarflow::cli::{DEFAULT_MODEL, DEFAULT_MODEL_NAME};
use dinarflow::engine;
use dinarflow::engine::kernel::Kernel;
use dinarflow::engine::metrics::MetricRef;
use dinarflow::model::{load_file, load_str, ParamId};
use rust_decimal::Decimal;

fn bench(c: &mut Criterion) {
    let model = load_str(DEFAULT_MODEL_NAME, DEFAULT_MODEL).expect("default model is valid");
    c.bench_function("run default model", |b| {
        b.iter(|| engine::run(std::hint::black_box(&model)).expect("runs"))
    });
    // What `dinarflow run` and the Python package's `Model.run()` compute:
    // the run and its report (every metric by month, and the summaries).
    c.bench_function("run default model and its report", |b| {
        b.iter(|| {
            let result = engine::run(std::hint::black_box(&model)).expect("runs");
            dinarflow::report::run::RunReport::new(&model, &result).expect("report")
        })
    });
    c.bench_function("load default model, run it, its report", |b| {
        b.iter(|| {
            let model = dinarflow::model::load_default().expect("valid");
            let result = engine::run(&model).expect("runs");
            dinarflow::report::run::RunReport::new(&model, &result).expect("report")
        })
    });
    c.bench_function("load and validate default model", |b| {
        b.iter(|| load_str(DEFAULT_MODEL_NAME, std::hint::black_box(DEFAULT_MODEL)).expect("valid"))
    });

    let mc = load_file(std::path::Path::new("fixtures/mc-6-months.toml")).expect("valid");
    let inputs: Vec<ParamId> = mc.uncertainty.iter().map(|u| u.param).collect();
    let metrics: Vec<MetricRef> = ["parallel_rate", "premium_pct", "cpi_impact_pct"]
        .iter()
        .map(|m| MetricRef::parse(m, &mc.base, &mc.timeline).expect("metric"))
        .collect();
    let kernel = Kernel::new(&mc, &inputs, &metrics);
    let mut scratch = kernel.block_scratch();
    let values: Vec<Decimal> = inputs.iter().map(|id| mc.base.get(*id)).collect();
    let mut out = vec![Decimal::ZERO; metrics.len()];
    c.bench_function(
        "kernel: one point of the 6-month model, 4 inputs, 3 metrics",
        |b| {
            b.iter(|| {
                kernel
                    .eval(&mut scratch, std::hint::black_box(&values), &mut out)
                    .expect("runs")
            })
        },
    );

    // 4,096 draws spread over the inputs' ranges, evaluated on lanes.
    let mut block = kernel.block_scratch();
    let places: Vec<u32> = inputs
        .iter()
        .map(|id| if id.kind().is_money() { 2 } else { 6 })
        .collect();
    let draws = 4096;
    let units: Vec<i64> = (0..draws)
        .flat_map(|d| {
            values.iter().zip(&places).map(move |(v, p)| {
                let base = (*v * Decimal::from(10i64.pow(*p))).trunc();
                let base = i64::try_from(base.mantissa() / 10i128.pow(base.scale())).unwrap_or(0);
                base + (d as i64 % 97 - 48) * base / 500
            })
        })
        .collect();
    let mut results = vec![dinarflow::num::fixed::Num::ZERO; draws * metrics.len()];
    c.bench_function(
        "kernel: 4,096 draws on lanes, 6-month model, 4 inputs, 3 metrics",
        |b| {
            b.iter(|| {
                let on_lanes = kernel
                    .eval_units(
                        &mut block,
                        &places,
                        std::hint::black_box(&units),
                        false,
                        &mut results,
                    )
                    .expect("runs");
                assert_eq!(on_lanes, draws);
            })
        },
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
