//! Arbitrary bytes through everything a model file goes through: load and
//! validate, run, and every report rendered in every format. Errors are
//! fine; a panic, a hang or an abort is a bug, and so is a silently wrong
//! number: a ledger that does not balance, money with more than two
//! decimals, or the fast kernel (sweep, tornado, mc, ...) disagreeing with
//! the exact engine.
#![no_main]

use libfuzzer_sys::fuzz_target;

use dinarflow::engine::kernel::Kernel;
use dinarflow::engine::metrics::{Agg, MetricId, MetricRef};
use dinarflow::engine::{self, EngineError};
use dinarflow::render::{self, Format};
use dinarflow::report::brief::Brief;
use dinarflow::report::run::RunReport;
use dinarflow::report::trace::Trace;

fuzz_target!(|data: &[u8]| {
    // load_file refuses non-UTF-8 before parsing; only text reaches load_str.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let model = match dinarflow::model::load_str("fuzz.toml", text) {
        Ok(m) => m,
        Err(d) => {
            // Rendering the diagnostics (carets under spans) must not panic either.
            let _ = d.render();
            return;
        }
    };
    let run = match engine::run_with_postings(&model) {
        Ok(run) => run,
        Err(EngineError::Conservation(c)) => panic!("the ledger does not balance: {c:?}"),
        Err(_) => return,
    };
    // Every money figure is to the cent.
    for id in MetricId::all(&model.base) {
        if matches!(id.unit(), "USD" | "IQD") {
            for v in id.series(&run) {
                assert!(v.normalize().scale() <= 2, "{} = {v}", id.name(&model.base));
            }
        }
    }
    // The fast kernel (used by sweep, tornado, mc, ...) gives the engine's
    // numbers exactly, or an error where the engine has one.
    let mut metrics = Vec::new();
    for id in MetricId::all(&model.base) {
        metrics.push(MetricRef::new(id));
        metrics.push(MetricRef {
            id,
            agg: Agg::Max,
            month: None,
        });
        metrics.push(MetricRef {
            id,
            agg: id.summary(),
            month: Some(model.timeline.end()),
        });
    }
    let kernel = Kernel::new(&model, &[], &metrics);
    let mut fast = vec![Default::default(); metrics.len()];
    let mut scratch = kernel.block_scratch();
    kernel
        .eval(&mut scratch, &[], &mut fast)
        .expect("the kernel fails where the engine runs");
    for (m, got) in metrics.iter().zip(&fast) {
        let want = m.evaluate(&run).expect("a metric of a run that succeeded");
        assert_eq!(
            *got,
            want,
            "kernel differs from the engine on {}",
            m.display(&model.base)
        );
    }
    let mut buf = Vec::new();
    if let Ok(report) = RunReport::new(&model, &run) {
        for f in [Format::Csv, Format::Json, Format::Table, Format::Md] {
            buf.clear();
            render::write(&report, f, &mut buf).unwrap();
        }
    }
    if let Ok(brief) = Brief::new(&model, &run, &dinarflow::sensitivity::Silent) {
        for f in [Format::Table, Format::Json] {
            buf.clear();
            render::write(&brief, f, &mut buf).unwrap();
        }
    }
    let first = model.timeline.months.first().map(|m| m.month);
    for month in [None, first] {
        if let Ok(trace) = Trace::new(&model, &run, month, true) {
            buf.clear();
            render::write(&trace, Format::Csv, &mut buf).unwrap();
        }
    }
});
