//! Build script: only tells the tests whether the live cross-check can run
//! (`../shared/reference/ref.py` beside the repository and a `python3`),
//! as the cfg `live_reference`. Without it, tests/reference.rs marks its
//! live tests `#[ignore]` with the reason, so `cargo test` reports them as
//! ignored rather than as passing. `DINARFLOW_REFERENCE=0` turns it off.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(live_reference)");
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
}
