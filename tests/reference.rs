//! Cross-checks against the independent Python implementation of MODEL.md
//! (`../shared/reference/ref.py`): the shipped models and fixtures must give
//! byte-identical CSV, and randomly generated models it has never seen must
//! agree on every number to the cent (and to 1e-4 for rates).
//!
//! The reference lives outside the repository; when it (or python3) is not
//! there the live comparisons are skipped with a note, and the snapshots in
//! `fixtures/reference/` (the reference's own output, committed) still run.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn reference() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/ref.py");
    let python = Process::new("python3").arg("--version").output().ok()?;
    (p.exists() && python.status.success()).then_some(p)
}

fn ours(model: &Path) -> String {
    let out = Command::cargo_bin("dinarflow")
        .unwrap()
        .args(["run", "--format", "csv"])
        .arg(model)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn theirs(script: &Path, model: &Path) -> Result<String, String> {
    let out = Process::new("python3").arg(script).arg(model).output().unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8(out.stdout).unwrap())
}

fn models_and_fixtures() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for dir in ["models", "fixtures"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

#[test]
fn shipped_models_match_the_committed_reference_output() {
    for model in models_and_fixtures() {
        let name = model.file_stem().unwrap().to_string_lossy().into_owned();
        let snapshot = Path::new("fixtures/reference").join(format!("{name}.csv"));
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_else(|_| {
            panic!(
                "missing {} (python3 ref.py {} > it)",
                snapshot.display(),
                model.display()
            )
        });
        assert_eq!(ours(&model), expected, "{}", model.display());
    }
}

#[test]
fn shipped_models_match_the_live_reference() {
    let Some(script) = reference() else {
        eprintln!("note: ../shared/reference/ref.py or python3 not found; live cross-check skipped");
        return;
    };
    for model in models_and_fixtures() {
        assert_eq!(
            ours(&model),
            theirs(&script, &model).unwrap(),
            "{}",
            model.display()
        );
    }
}

/// Draws numbers from a pool that proptest generates (and shrinks).
struct Draw<'a> {
    pool: &'a [u32],
    at: usize,
}

impl Draw<'_> {
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        let x = self.pool[self.at % self.pool.len()];
        self.at += 1;
        lo + i64::from(x) % (hi - lo + 1)
    }

    fn chance(&mut self, pct: i64) -> bool {
        self.int(0, 99) < pct
    }

    /// A decimal in [0, max] with up to `dp` places, written as TOML.
    fn dec(&mut self, max: i64, dp: u32) -> String {
        let places = self.int(0, i64::from(dp)) as u32;
        let scale = 10i64.pow(places);
        let v = Decimal::new(self.int(0, max * scale), places);
        v.to_string()
    }

    fn share(&mut self) -> String {
        self.dec(1, 3)
    }

    /// `n` shares summing to exactly 1.
    fn partition(&mut self, n: usize) -> Vec<String> {
        let mut left = 1000;
        let mut out = Vec::new();
        for i in 0..n {
            let x = if i + 1 == n { left } else { self.int(0, left) };
            left -= x;
            out.push(Decimal::new(x, 3).to_string());
        }
        out
    }
}

fn random_model(pool: &[u32]) -> String {
    let mut r = Draw { pool, at: 0 };
    let year = r.int(1995, 2035);
    let month = r.int(1, 12);
    let months = r.int(1, 18);
    let mut t = String::new();
    let mut line = |s: String| {
        t.push_str(&s);
        t.push('\n');
    };
    line("[model]\nname = \"random\"".into());
    line(format!(
        "[timeline]\nstart = \"{year:04}-{month:02}\"\nmonths = {months}"
    ));
    let price = r.int(0, 150);
    line(format!(
        "[exports]\nvolume_bpd = {}\nprice_usd_per_bbl = {price}.{}",
        r.dec(5_000_000, 1),
        r.int(0, 99)
    ));
    let n = r.int(1, 4) as usize;
    for (i, s) in r.partition(n).into_iter().enumerate() {
        let offset = r.int(-price.min(5), 5);
        line(format!(
            "[[exports.buyers]]\nname = \"B{i}\"\nshare = {s}\nprice_offset_usd_per_bbl = {offset}"
        ));
    }
    for i in 0..r.int(0, 3) {
        line(format!(
            "[[deductions]]\nname = \"D{i}\"\nrate = {}",
            Decimal::new(r.int(0, 300), 3)
        ));
    }
    line(format!(
        "[custody]\nopening_balance_usd = {}",
        r.dec(100_000_000_000, 2)
    ));
    for i in 0..r.int(0, 3) {
        line(format!(
            "[[custody.payments]]\nname = \"P{i}\"\nusd_per_month = {}",
            r.dec(9_000_000_000, 2)
        ));
    }
    line(format!(
        "[airlift]\ncash_usd_per_month = {}\nplane_capacity_usd = {}\ntransport_usd_per_flight = {}\nsecurity_usd_per_flight = {}\ninsurance_rate = {}\nvault_opening_usd = {}",
        r.dec(2_000_000_000, 2),
        r.int(1, 1_000_000_000),
        r.dec(1_000_000, 2),
        r.dec(100_000, 2),
        Decimal::new(r.int(0, 1000), 5),
        r.dec(5_000_000_000, 2)
    ));
    let weekend: Vec<&str> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .into_iter()
        .filter(|_| r.chance(25))
        .collect();
    let mut holidays = Vec::new();
    for _ in 0..r.int(0, 3) {
        let k = r.int(0, months - 1);
        let (y, m) = (year + (month - 1 + k) / 12, (month - 1 + k) % 12 + 1);
        holidays.push(format!("\"{y:04}-{m:02}-{:02}\"", r.int(1, 28)));
    }
    line(format!(
        "[auction]\nofficial_rate_iqd_per_usd = {}.{}\nrequests_usd_per_day = {}\ncash_share = {}\nrejection_rate = {}\nweekend = [{}]\nholidays = [{}]",
        r.int(1, 3000),
        r.int(0, 9),
        r.dec(500_000_000, 2),
        r.share(),
        r.share(),
        weekend.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", "),
        holidays.join(", ")
    ));
    if r.chance(40) {
        let n = r.int(1, 3) as usize;
        for (i, s) in r.partition(n).into_iter().enumerate() {
            line(format!("[[auction.banks]]\nname = \"K{i}\"\nshare = {s}"));
            if r.chance(50) {
                line(format!("rejection_rate = {}", r.share()));
            }
        }
    }
    line(format!(
        "[parallel_market]\nbaseline_rate_iqd_per_usd = {}\nbaseline_turnover_usd_per_day = {}\nbaseline_unmet_usd_per_day = {}\nspillover_share = {}\ndemand_elasticity = {}.{}\nsupply_elasticity = {}",
        r.int(1, 3000),
        r.int(1, 1_000_000_000),
        r.dec(100_000_000, 2),
        r.share(),
        r.int(0, 4),
        r.int(1, 99),
        r.dec(3, 2)
    ));
    line(format!(
        "[prices]\nreference_rate_iqd_per_usd = {}",
        r.int(1, 3000)
    ));
    let n = r.int(1, 4) as usize;
    for (i, w) in r.partition(n).into_iter().enumerate() {
        line(format!(
            "[[prices.basket]]\nname = \"I{i}\"\nweight = {w}\nimport_content = {}\npass_through = {}",
            r.share(),
            r.share()
        ));
    }
    let paths = [
        ("auction.official_rate_iqd_per_usd", 3000),
        ("auction.rejection_rate", 1),
        ("auction.cash_share", 1),
        ("exports.price_usd_per_bbl", 150),
        ("parallel_market.spillover_share", 1),
    ];
    for (k, (path, max)) in paths.iter().enumerate() {
        if months > 1 && r.chance(35) {
            let at = r.int(0, months - 1);
            let (y, m) = (year + (month - 1 + at) / 12, (month - 1 + at) % 12 + 1);
            // Prices stay >= 5 so that no buyer's offset (>= -5) makes them negative.
            let v = match k {
                0 => format!("{}", r.int(1, *max)),
                3 => format!("{}.{}", r.int(5, *max), r.int(0, 9)),
                _ => r.dec(*max, 3),
            };
            line(format!(
                "[[changes]]\nfrom = \"{y:04}-{m:02}\"\nset = {{ \"{path}\" = {v} }}"
            ));
        }
    }
    t
}

/// Compares two `month,metric,value` CSVs: same rows, equal decimal values.
fn same_numbers(a: &str, b: &str) -> Result<(), String> {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    if la.len() != lb.len() {
        return Err(format!("{} rows against {}", la.len(), lb.len()));
    }
    for (x, y) in la.iter().zip(&lb).skip(1) {
        let (kx, vx) = x.rsplit_once(',').unwrap();
        let (ky, vy) = y.rsplit_once(',').unwrap();
        let (dx, dy): (Decimal, Decimal) = (vx.parse().unwrap(), vy.parse().unwrap());
        if kx != ky || dx != dy {
            return Err(format!("ours {x} | reference {y}"));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_models_agree_with_the_reference(pool in proptest::collection::vec(any::<u32>(), 64..160)) {
        let Some(script) = reference() else { return Ok(()); };
        let text = random_model(&pool);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("random.toml");
        std::fs::write(&path, &text).unwrap();
        let check = Command::cargo_bin("dinarflow").unwrap().arg("check").arg(&path).output().unwrap();
        prop_assert!(check.status.success(), "generated an invalid model:\n{}\n{}", text, String::from_utf8_lossy(&check.stderr));
        let expected = theirs(&script, &path).map_err(|e| TestCaseError::fail(format!("ref.py failed: {e}\n{text}")))?;
        if let Err(e) = same_numbers(&ours(&path), &expected) {
            return Err(TestCaseError::fail(format!("{e}\nmodel:\n{text}")));
        }
    }
}
