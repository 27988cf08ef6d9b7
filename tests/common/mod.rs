//! Helpers shared by the CLI tests: run the binary, capture everything, and
//! fail loudly on any panic output.
#![allow(dead_code)]

pub mod generate;

use assert_cmd::Command;

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn dinarflow(args: &[&str]) -> Output {
    let out = Command::cargo_bin("dinarflow")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    let o = Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!o.stderr.contains("panicked"), "panic: {}", o.stderr);
    o
}

/// Runs and expects success.
pub fn ok(args: &[&str]) -> Output {
    let o = dinarflow(args);
    assert_eq!(o.code, 0, "{args:?} failed: {}", o.stderr);
    o
}
