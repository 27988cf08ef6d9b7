//! Criterion benchmarks of the Monte Carlo machinery on the 6-month
//! benchmark model (4 uncertain inputs, 3 metrics): the whole of `mc`
//! without the model (sampling, storage, percentiles and Spearman ranks,
//! with a stand-in that copies inputs to outputs), the same with the
//! exact kernel, one draw of four inputs, and ranking a million values;
//! and 4,000 draws of the default model with three equal lag weights over
//! two reference-rate steps (once a speed cliff: every block declined to
//! the exact backend).
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use dinarflow::cli::DEFAULT_MODEL;
use dinarflow::engine::kernel::Kernel;
use dinarflow::engine::metrics::MetricRef;
use dinarflow::engine::EngineError;
use dinarflow::model::{load_file, load_str, Model};
use dinarflow::sensitivity::Silent;
use dinarflow::uncertainty_analysis::design::{Design, Sampler};
use dinarflow::uncertainty_analysis::mc::run;
use dinarflow::uncertainty_analysis::report::{McReport, RunInfo};
use dinarflow::uncertainty_analysis::stats::rank;
use dinarflow::uncertainty_analysis::{Evaluate, Plan};
use rust_decimal::Decimal;

/// Three outputs computed from the inputs at almost no cost.
struct StandIn;

impl Evaluate for StandIn {
    type Scratch = ();
    fn scratch(&self) {}
    fn outputs(&self) -> usize {
        3
    }
    fn eval(&self, _: &mut (), v: &[Decimal], out: &mut [Decimal]) -> Result<(), EngineError> {
        out[0] = v[0];
        out[1] = v[1];
        out[2] = v[2];
        Ok(())
    }
}

fn model() -> Model {
    load_file(std::path::Path::new("fixtures/mc-6-months.toml")).expect("benchmark model is valid")
}

/// The default model with lag weights 0.333333, 0.333333, 0.333334 and
/// the reference rate stepping to 1,401 in March 2023 and 1,402 in April:
/// the lagged move's fraction passes 64 bits.
fn lagged_model() -> Model {
    let line = "lag_weights = [0.5, 0.3, 0.2]";
    assert!(
        DEFAULT_MODEL.contains(line),
        "the default model's lag weights moved"
    );
    let text = DEFAULT_MODEL.replace(line, "lag_weights = [0.333333, 0.333333, 0.333334]");
    let mut model = load_str("lags.toml", &text).expect("valid model");
    model
        .apply_sets(&[
            "prices.reference_rate_iqd_per_usd@2023-03=1401",
            "prices.reference_rate_iqd_per_usd@2023-04=1402",
        ])
        .expect("valid sets");
    model
}

fn info(plan: &Plan) -> RunInfo {
    RunInfo {
        seed: 1,
        sampler: Sampler::Random,
        inputs: plan.paths(),
        metrics: ["parallel_rate", "premium_pct", "cpi_impact_pct"]
            .iter()
            .map(|m| (m.to_string(), "%".to_string()))
            .collect(),
        forecast_error: Vec::new(),
    }
}

fn bench(c: &mut Criterion) {
    let model = model();
    let plan = Plan::new(&model).unwrap();
    let mut g = c.benchmark_group("mc");
    g.sample_size(10);
    for sampler in [Sampler::Random, Sampler::Lhs] {
        g.bench_function(format!("1M draws without the model, {}", sampler.name()), |b| {
            b.iter(|| {
                let design = Design::new(&plan, 1, sampler, 1_000_000).unwrap();
                let (s, _) = run(&design, &StandIn, 0..1_000_000, &[], None, true, &Silent).unwrap();
                McReport::compute(info(&plan), s, None)
            })
        });
    }
    let metrics: Vec<MetricRef> = ["parallel_rate", "premium_pct", "cpi_impact_pct"]
        .iter()
        .map(|m| MetricRef::parse(m, &model.base, &model.timeline).unwrap())
        .collect();
    let kernel = Kernel::new(&model, &plan.params(), &metrics);
    g.bench_function("100k draws with the exact kernel", |b| {
        b.iter(|| {
            let design = Design::new(&plan, 1, Sampler::Random, 100_000).unwrap();
            let (s, _) = run(&design, &kernel, 0..100_000, &[], None, true, &Silent).unwrap();
            McReport::compute(info(&plan), s, None)
        })
    });
    let xs: Vec<f64> = (0..1_000_000)
        .map(|i| ((i * 7919) % 1_000_003) as f64 * 0.0001)
        .collect();
    g.bench_function("rank 1M values", |b| b.iter(|| rank(std::hint::black_box(&xs))));
    let lagged = lagged_model();
    let lagged_plan = Plan::new(&lagged).unwrap();
    let lagged_metrics: Vec<MetricRef> = ["parallel_rate", "premium_pct", "cpi_impact_pct"]
        .iter()
        .map(|m| MetricRef::parse(m, &lagged.base, &lagged.timeline).unwrap())
        .collect();
    let lagged_kernel = Kernel::new(&lagged, &lagged_plan.params(), &lagged_metrics);
    g.bench_function(
        "4,000 draws of the default model, three lags over two reference steps",
        |b| {
            b.iter(|| {
                let design = Design::new(&lagged_plan, 1, Sampler::Random, 4_000).unwrap();
                run(&design, &lagged_kernel, 0..4_000, &[], None, true, &Silent).unwrap()
            })
        },
    );
    g.finish();
    let design = Design::new(&plan, 1, Sampler::Random, 1_000_000).unwrap();
    let mut units = vec![0i128; plan.inputs.len()];
    let mut i = 0u64;
    c.bench_function("one draw of 4 inputs", |b| {
        b.iter(|| {
            i = (i + 1) % 1_000_000;
            design.row(i, &mut units).unwrap();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
