//! Arbitrary bytes as two models (split at the first NUL byte, or the
//! same text twice when there is none), then `diff` A against B with its
//! attribution, rendered in every text format. Errors are fine; a panic
//! is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

use dinarflow::render::{self, Format};
use dinarflow::report::diff::DiffReport;
use dinarflow::sensitivity::diff::compare;
use dinarflow::sensitivity::Silent;

fuzz_target!(|data: &[u8]| {
    let (a, b) = match data.iter().position(|&c| c == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, data),
    };
    let (Ok(a), Ok(b)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return;
    };
    let (Ok(a), Ok(b)) = (
        dinarflow::model::load_str("a.toml", a),
        dinarflow::model::load_str("b.toml", b),
    ) else {
        return;
    };
    let Ok(comparison) = compare(&a, &b, &[], &Silent) else {
        return;
    };
    let report = DiffReport::new(&a, &b, comparison);
    let mut buf = Vec::new();
    for f in [Format::Table, Format::Csv, Format::Json, Format::Md] {
        buf.clear();
        let _ = render::write(&report, f, &mut buf);
    }
});
