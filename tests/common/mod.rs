//! Helpers shared by the CLI tests: run the binary, capture everything, and
//! fail loudly on any panic output.
#![allow(dead_code)]

pub mod generate;
pub mod prose;

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

/// Runs `dinarflow ARGS` in the library, as the binary does when its
/// standard output is a terminal `width` columns wide, and returns what it
/// writes there (expecting success).
pub fn on_terminal(args: &[&str], width: usize) -> String {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let stdout = dinarflow::cli::Stdout {
        terminal: true,
        width: Some(width),
    };
    let all = std::iter::once("dinarflow")
        .chain(args.iter().copied())
        .map(Into::into);
    let done = dinarflow::cli::main_on(all, &mut out, stdout, &mut err);
    assert!(
        done.is_ok(),
        "{args:?}: {done:?}\n{}",
        String::from_utf8_lossy(&err)
    );
    String::from_utf8(out).unwrap()
}

/// `(draws, dry)`: how many draws `mc --horizon HORIZON -n N` (seed 1, the
/// built-in model) made, and in how many the custody account's lowest
/// balance was 0, read from the draws file of `--metric
/// custody_balance_usd:min`: the count mc's note and brief's How sure give.
pub fn custody_dry_draws(horizon: &str, n: &str) -> (usize, usize) {
    let dir = tempfile::tempdir().unwrap();
    let draws = dir.path().join("draws.csv");
    ok(&[
        "mc",
        "--horizon",
        horizon,
        "-n",
        n,
        "--seed",
        "1",
        "--metric",
        "custody_balance_usd:min",
        "--draws",
        draws.to_str().unwrap(),
        "-q",
    ]);
    let text = std::fs::read_to_string(&draws).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().ends_with(",custody_balance_usd:min"));
    let rows: Vec<&str> = lines.collect();
    let dry = rows.iter().filter(|r| r.ends_with(",0.00")).count();
    (rows.len(), dry)
}

/// A model with a market, written for the calibration tests: over
/// `months` months, from January 2023 for up to 8 months and from September
/// 2022 for more (no month of any test data lies after August 2023); the
/// official rate falls from 1,460
/// to 1,310 in March 2023, so the anchor weight moves the parallel rate
/// from March on; `pm` adds keys to `[parallel_market]`, `more` sections
/// after `[custody]`, and `tail` (e.g. `[uncertainty]`) comes at the end.
pub fn market_model_of(dir: &std::path::Path, months: u32, pm: &str, more: &str, tail: &str) -> String {
    let start = if months > 8 { "2022-09" } else { "2023-01" };
    let text = format!(
        r#"[model]
name = "Small market for fit tests"

[timeline]
start = "{start}"
months = {months}

[exports]
volume_bpd = 1000
price_usd_per_bbl = 80
[[exports.buyers]]
name = "All"
share = 1

[custody]
opening_balance_usd = 100000000
{more}
[airlift]
cash_usd_per_month = 1000000
plane_capacity_usd = 500000
transport_usd_per_flight = 0
security_usd_per_flight = 0
insurance_rate = 0
vault_opening_usd = 10000000

[auction]
official_rate_iqd_per_usd = 1460
requests_usd_per_day = 100000
cash_share = 0.2
rejection_rate = 0.5

[parallel_market]
baseline_rate_iqd_per_usd = 1480
baseline_turnover_usd_per_day = 50000
spillover_share = 0.5
demand_elasticity = 2
supply_elasticity = 1
anchor_official_rate_iqd_per_usd = 1460
{pm}

[prices]
reference_rate_iqd_per_usd = 1470
[[prices.basket]]
name = "All"
weight = 1
import_content = 0.5
pass_through = 0.5

[[changes]]
from = "2023-03"
set = {{ "auction.official_rate_iqd_per_usd" = 1310 }}
{tail}"#
    );
    let path = dir.join("market.toml");
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// The entry of a report's JSON `figures` list with this `label` (the
/// brief's headline figures, and the what-if page's).
pub fn figure(v: &serde_json::Value, label: &str) -> serde_json::Value {
    v["figures"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["label"] == label))
        .unwrap_or_else(|| panic!("no figure {label} in {v}"))
        .clone()
}

/// The months' names in English, January first, as reports write them.
pub const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
