//! Criterion benchmarks of the sensitivity sweep: the 1,001-point sweep of
//! the default model's rejection rate (0 to 1 by 0.001) with the three
//! default metrics, and the two-way sweep of rejection rate × cash share
//! (0.01 to 0.99 by 0.01 each, 9,801 points, some on the official floor:
//! once a speed cliff), from the parsed model (no file reading or
//! printing). The whole-process figures are in docs/performance.md.
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use dinarflow::cli::{DEFAULT_MODEL, DEFAULT_MODEL_NAME};
use dinarflow::engine::metrics::default_metrics;
use dinarflow::model::load_str;
use dinarflow::sensitivity::spec::parse_vary;
use dinarflow::sensitivity::sweep::sweep;
use dinarflow::sensitivity::{parse_metrics, Evaluator, Silent};

fn bench(c: &mut Criterion) {
    let model = load_str(DEFAULT_MODEL_NAME, DEFAULT_MODEL).expect("default model is valid");
    let metrics: Vec<String> = default_metrics(&model.base)
        .iter()
        .map(|m| m.to_string())
        .collect();
    let metrics = parse_metrics(&model, &metrics).expect("default metrics");
    let vary = parse_vary(&model, "auction.rejection_rate=0:1:0.001").expect("valid spec");
    assert_eq!(vary.values.len(), 1001);
    let ev = Evaluator::new(&model);
    c.bench_function("sweep 1,001 points of the default model", |b| {
        b.iter(|| sweep(&ev, vec![vary.clone()], &metrics, &Silent).expect("sweeps"))
    });
    let two = [
        "auction.rejection_rate=0.01:0.99:0.01",
        "auction.cash_share=0.01:0.99:0.01",
    ]
    .map(|spec| parse_vary(&model, spec).expect("valid spec"));
    let mut g = c.benchmark_group("sweep two-way");
    g.sample_size(10);
    g.bench_function("rejection rate x cash share, 9,801 points", |b| {
        b.iter(|| sweep(&ev, two.to_vec(), &metrics, &Silent).expect("sweeps"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
