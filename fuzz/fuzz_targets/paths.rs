//! Arbitrary bytes through the command-line parsers that take a parameter
//! path or a value: `--set PATH=VALUE` on the small fixture model, the
//! sweep SPEC (`LO:HI:STEP` or a list), `--vary PATH=SPEC` and a metric
//! reference (`NAME[:AGG][@YYYY-MM]`). Errors are fine; panics are bugs.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use dinarflow::engine::metrics::MetricRef;
use dinarflow::model::{load_str, Model};
use dinarflow::sensitivity::spec::{parse_spec, parse_vary};

fn small() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        load_str("small.toml", include_str!("../../fixtures/small.toml"))
            .expect("fixtures/small.toml is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let base = small();
    let mut model = base.clone();
    if model.apply_set(&text).is_ok() {
        // A model that --set accepted must run (an error is allowed, a panic is not).
        let _ = dinarflow::engine::run(&model);
    }
    let _ = parse_spec(&text);
    let _ = parse_vary(base, &text);
    let _ = MetricRef::parse(&text, &base.base, &base.timeline);
});
