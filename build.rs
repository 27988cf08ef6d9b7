//! Build script: only tells the tests what this machine can run, so that
//! `cargo test` reports a test it cannot run as ignored, with the reason,
//! rather than as passing:
//!
//! * `live_reference`: the independent reference implementation of the
//!   model, when present beside the checkout (`../shared/reference/ref.py`),
//!   and a `python3` to run it (tests/reference.rs's live cross-checks).
//!   `DINARFLOW_REFERENCE=0` turns it off.
//! * `browser`: a headless Chromium (`chromium`, `chromium-browser` or
//!   `google-chrome`) for the what-if page's tests (tests/serve_live.rs).

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(live_reference)");
    println!("cargo::rustc-check-cfg=cfg(browser)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=DINARFLOW_REFERENCE");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/ref.py");
    // Watching a path that does not exist would rerun this on every build;
    // watch the script only when it is there.
    if script.exists() {
        println!("cargo::rerun-if-changed={}", script.display());
    }
    let off = std::env::var("DINARFLOW_REFERENCE").is_ok_and(|v| v == "0");
    let python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if script.exists() && python && !off {
        println!("cargo::rustc-cfg=live_reference");
    }
    let browser = ["chromium", "chromium-browser", "google-chrome"].iter().any(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if browser {
        println!("cargo::rustc-cfg=browser");
    }
}
