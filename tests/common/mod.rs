//! Helpers shared by the CLI tests: run the binary, capture everything, and
//! fail loudly on any panic output.
#![allow(dead_code)]

pub mod generate;

use assert_cmd::Command;

/// What a run of the binary printed and how it ended.
pub struct Output {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A command line of the binary being built: `Cmd::new(&["run", M]).env(..)`,
/// then `.run()` (anything but a panic) or `.ok()` (exit 0). Every run has a
/// time limit, so a hang fails the test instead of stalling the suite.
pub struct Cmd(Command);

impl Cmd {
    pub fn new<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Cmd {
        let mut c = Command::cargo_bin("dinarflow").unwrap();
        c.args(args).timeout(std::time::Duration::from_secs(120));
        Cmd(c)
    }

    pub fn env(mut self, key: &str, value: &str) -> Cmd {
        self.0.env(key, value);
        self
    }

    /// Runs in `dir` instead of the repository.
    pub fn dir(mut self, dir: &std::path::Path) -> Cmd {
        self.0.current_dir(dir);
        self
    }

    pub fn stdin(mut self, text: &str) -> Cmd {
        self.0.write_stdin(text.to_string());
        self
    }

    /// Runs; fails the test on a panic message.
    pub fn run(mut self) -> Output {
        let out = self.0.output().unwrap();
        let o = Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        assert!(!o.stderr.contains("panicked"), "panic: {}", o.stderr);
        o
    }

    /// Runs and expects exit code 0.
    pub fn ok(self) -> Output {
        let args = format!("{:?}", self.0);
        let o = self.run();
        assert_eq!(o.code, 0, "{args} failed: {}", o.stderr);
        o
    }
}

/// Runs `dinarflow ARGS`.
pub fn dinarflow(args: &[&str]) -> Output {
    Cmd::new(args).run()
}

/// Runs and expects success.
pub fn ok(args: &[&str]) -> Output {
    Cmd::new(args).ok()
}
