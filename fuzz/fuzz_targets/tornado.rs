//! Arbitrary bytes as a model, then `tornado` on each of its default
//! metrics with the default swing (every parameter, or the [uncertainty]
//! inputs), rendered in every text format. Errors are fine; a panic is a
//! bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

use dinarflow::engine::metrics::default_metrics;
use dinarflow::render::{self, Format};
use dinarflow::report::tornado::TornadoReport;
use dinarflow::sensitivity::tornado::{tornado, Request};
use dinarflow::sensitivity::{Evaluator, Silent};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(model) = dinarflow::model::load_str("fuzz.toml", text) else {
        return;
    };
    let ev = Evaluator::new(&model);
    let mut buf = Vec::new();
    for metric in default_metrics(&model.base) {
        let Ok(req) = Request::parse(&model, Some(metric), &[], &[], "10") else {
            continue;
        };
        let Ok(result) = tornado(&ev, &req, &Silent) else {
            continue;
        };
        let report = TornadoReport::new(&model, result).with_unit(req.metric.id.unit());
        for f in [Format::Table, Format::Csv, Format::Json, Format::Md] {
            buf.clear();
            let _ = render::write(&report, f, &mut buf);
        }
    }
});
