//! Arbitrary bytes as a model, then `brief --format html`: the whole
//! briefing (brief, rates, trace, tornado and, with [uncertainty], a fan
//! chart from 256 draws) as one HTML page. Errors are fine; a panic is a
//! bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

use dinarflow::render::{self, Format};
use dinarflow::report::briefing::Briefing;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(model) = dinarflow::model::load_str("fuzz.toml", text) else {
        return;
    };
    let Ok(briefing) = Briefing::build(&model, 256, 1, &dinarflow::sensitivity::Silent) else {
        return;
    };
    let mut buf = Vec::new();
    let _ = render::write(&briefing, Format::Html, &mut buf);
});
