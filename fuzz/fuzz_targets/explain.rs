//! Arbitrary bytes as a model, then `explain` of every metric (in the
//! month the summary picks, and in the first and last months) rendered
//! in every format explain writes. Errors are fine; a panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

use dinarflow::engine::{self, metrics::MetricId, metrics::MetricRef};
use dinarflow::render::{self, Format};
use dinarflow::report::explain::ExplainReport;
use dinarflow::sensitivity::explain::explain;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(model) = dinarflow::model::load_str("fuzz.toml", text) else {
        return;
    };
    let Ok(run) = engine::run_with_postings(&model) else {
        return;
    };
    let months = [
        None,
        model.timeline.months.first().map(|m| m.month),
        model.timeline.months.last().map(|m| m.month),
    ];
    let mut buf = Vec::new();
    for id in MetricId::all(&model.base) {
        for month in months {
            let metric = MetricRef {
                month,
                ..MetricRef::new(id)
            };
            if let Ok(e) = explain(&model, &run, &metric) {
                let report = ExplainReport::new(&model, e);
                for f in [Format::Table, Format::Json, Format::Md, Format::Csv] {
                    buf.clear();
                    let _ = render::write(&report, f, &mut buf);
                }
            }
        }
    }
});
