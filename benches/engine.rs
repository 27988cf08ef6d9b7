//! Criterion benchmarks of the engine: one evaluation of the default model
//! (load once, run many times) and loading + validating it from text.

use criterion::{criterion_group, criterion_main, Criterion};
use dinarflow::cli::{DEFAULT_MODEL, DEFAULT_MODEL_NAME};
use dinarflow::engine;
use dinarflow::model::load_str;

fn bench(c: &mut Criterion) {
    let model = load_str(DEFAULT_MODEL_NAME, DEFAULT_MODEL).expect("default model is valid");
    c.bench_function("run default model (14 months)", |b| {
        b.iter(|| engine::run(std::hint::black_box(&model)).expect("runs"))
    });
    c.bench_function("load and validate default model", |b| {
        b.iter(|| load_str(DEFAULT_MODEL_NAME, std::hint::black_box(DEFAULT_MODEL)).expect("valid"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
