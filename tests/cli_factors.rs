//! docs/model.md v2's drawn factors, `"PATH*"` in `[uncertainty]`: a factor
//! multiplies every month's value (base and `[[changes]]`), so the numbers
//! here are worked out by hand on `fixtures/small.toml` (price 80 over 31 +
//! 28 days of 1,000 bpd; rejection 0.8 in January and 0.5 from February on
//! wires of 1,840,000 and 1,600,000); every saved draw equals
//! `run --set 'PATH*=F'` with its factor; factors that take a month out of
//! range are redrawn; and every command that draws names the input `PATH*`.

use crate::common::{dinarflow, ok};

use std::path::Path;

use serde_json::Value;

const SMALL: &str = "fixtures/small.toml";
const BENCH: &str = "fixtures/mc-6-months.toml";

/// `base` (a model file without `[uncertainty]`) with `uncertainty` added.
fn with_uncertainty(dir: &Path, name: &str, base: &str, uncertainty: &str) -> String {
    let text = std::fs::read_to_string(base).unwrap();
    let text = text.split("\n[uncertainty]\n").next().unwrap();
    let path = dir.join(name);
    std::fs::write(&path, format!("{text}\n[uncertainty]\n{uncertainty}")).unwrap();
    path.to_str().unwrap().to_string()
}

/// A draws file: column names and rows as written.
fn read_draws(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// `total,METRIC,VALUE` of `run --format csv`.
fn total(csv: &str, metric: &str) -> String {
    csv.lines()
        .find_map(|l| l.strip_prefix(&format!("total,{metric},")))
        .unwrap_or_else(|| panic!("no total of {metric}"))
        .to_string()
}

#[test]
fn a_factor_scales_the_whole_schedule_by_hand() {
    // Uniform from 0.5 to 0.5000004: every draw rounds to the factor 0.5
    // (six places), so every draw is the model at half price and half the
    // rejection rate in every month.
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "half.toml",
        SMALL,
        "\"exports.price_usd_per_bbl*\" = { dist = \"uniform\", min = 0.5, max = 0.5000004 }\n\
         \"auction.rejection_rate*\" = { dist = \"uniform\", min = 0.5, max = 0.5000004 }\n",
    );
    let o = ok(&[
        "mc",
        &m,
        "-n",
        "100",
        "--metric",
        "gross_revenue_usd",
        "--metric",
        "wires_rejected_usd",
        "--format",
        "json",
        "-q",
    ]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    // 1,000 bpd × (31 + 28) days × 40 = 2,360,000 (half of 4,720,000).
    let gross = &j["metrics"]["gross_revenue_usd"];
    assert_eq!(gross["min"], "2360000.00");
    assert_eq!(gross["max"], "2360000.00");
    // The schedule keeps its shape: 0.4 × 1,840,000 + 0.25 × 1,600,000 =
    // 736,000 + 400,000; a flat 0.4 would give 1,376,000.
    let rejected = &j["metrics"]["wires_rejected_usd"];
    assert_eq!(rejected["min"], "1136000.00");
    assert_eq!(rejected["max"], "1136000.00");
    // Reports name the inputs PATH*.
    let drivers = j["drivers"]["gross_revenue_usd"].as_object().unwrap();
    let names: Vec<&str> = drivers.keys().map(String::as_str).collect();
    assert_eq!(names, ["exports.price_usd_per_bbl*", "auction.rejection_rate*"]);
}

#[test]
fn every_saved_draw_is_a_run_with_its_factors_set() {
    // The benchmark model: the rejection rate has changes (0.8 from
    // January, 0.6 from March), the volume one (3,422,000 from January).
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "f.toml",
        BENCH,
        "\"auction.rejection_rate*\" = { dist = \"normal\", mean = 1, sd = 0.2 }\n\
         \"exports.volume_bpd*\" = { dist = \"triangular\", min = 0.8, mode = 1, max = 1.1 }\n\
         \"parallel_market.spillover_share\" = { dist = \"uniform\", min = 0.6, max = 1.0 }\n",
    );
    let draws = dir.path().join("d.csv");
    let metrics = ["parallel_rate", "gross_revenue_usd", "wires_rejected_usd"];
    let mut args = vec!["mc", &m, "-n", "300", "--draws", draws.to_str().unwrap(), "-q"];
    for metric in &metrics {
        args.extend_from_slice(&["--metric", metric]);
    }
    ok(&args);
    let (header, rows) = read_draws(&draws);
    assert_eq!(
        header[..4],
        [
            "draw",
            "auction.rejection_rate*",
            "exports.volume_bpd*",
            "parallel_market.spillover_share"
        ]
    );
    for row in [&rows[0], &rows[123], &rows[299]] {
        let mut args = vec!["run".to_string(), m.clone(), "--format".into(), "csv".into()];
        for (h, v) in header.iter().zip(row).skip(1).take(3) {
            args.push("--set".into());
            args.push(format!("{h}={v}"));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = ok(&args);
        assert!(
            run.stderr
                .contains("scales its value in every month (the base value and 1 [[changes]] entry)"),
            "{}",
            run.stderr
        );
        for metric in metrics {
            let j = header.iter().position(|h| h == metric).unwrap();
            assert_eq!(row[j], total(&run.stdout, metric), "{metric} in {row:?}");
        }
    }
    // Factors have at most six places; 0.8 × f <= 1 keeps the rejection
    // factor at or below 1.25, where about 10.6% of normal(1, 0.2) lies
    // above: those are redrawn, so none is kept and the tail below fills in.
    let factors: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert!(factors
        .iter()
        .all(|f| f.split_once('.').is_none_or(|(_, d)| d.len() <= 6)));
    let values: Vec<f64> = factors.iter().map(|f| f.parse().unwrap()).collect();
    assert!(values.iter().all(|f| (0.0..=1.25).contains(f)), "{values:?}");
    assert!(values.iter().any(|f| *f > 1.2), "{values:?}");
}

#[test]
fn factors_that_take_a_month_out_of_range_are_redrawn() {
    // Rejection rates 0.8 and 0.5: factors up to 1.25. Uniform(1, 2) puts
    // three quarters of its draws above, and says so.
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "t.toml",
        SMALL,
        "\"auction.rejection_rate*\" = { dist = \"uniform\", min = 1, max = 2 }\n",
    );
    let draws = dir.path().join("d.csv");
    let o = ok(&["mc", &m, "-n", "500", "--draws", draws.to_str().unwrap(), "-q"]);
    assert!(
        o.stderr.contains(
            "note: 75.0% of uniform(1 to 2) for auction.rejection_rate* lies outside its allowed range \
             (a factor 0 to 1.25); the distribution is cut to that range (truncation)"
        ),
        "{}",
        o.stderr
    );
    let (header, rows) = read_draws(&draws);
    assert_eq!(header[1], "auction.rejection_rate*");
    let f: Vec<f64> = rows.iter().map(|r| r[1].parse().unwrap()).collect();
    assert!(f.iter().all(|x| (1.0..=1.25).contains(x)), "{f:?}");
    // Spread over the kept range, not piled at its end.
    assert!(f.iter().any(|x| *x < 1.05) && f.iter().any(|x| *x > 1.2));
}

/// docs/model.md §1.6: a factor's distribution of which less than 5%
/// lies within the factors allowed is refused when the file is loaded (it
/// once ran until 1,000 redraws in a row, in some runs and not others).
#[test]
fn a_factor_mostly_outside_its_range_is_refused_when_loaded() {
    let dir = tempfile::tempdir().unwrap();
    // P(f <= 1.25) for normal(1.3, 0.02) = P(z <= -2.5) = 0.62%.
    let m = with_uncertainty(
        dir.path(),
        "x.toml",
        SMALL,
        "\"auction.rejection_rate*\" = { dist = \"normal\", mean = 1.3, sd = 0.02 }\n",
    );
    let expected = format!(
        "\
error: {m}:75:29: uncertainty.\"auction.rejection_rate*\": only 0.6% of normal(mean 1.3, sd 0.02) lies within the factors allowed for auction.rejection_rate (allowed: at least 5% of the distribution within the factors 0 to 1.25: every month's value of auction.rejection_rate times the factor must be 0 to 1)
   |
75 | \"auction.rejection_rate*\" = {{ dist = \"normal\", mean = 1.3, sd = 0.02 }}
   |                             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
   |
   = help: a draw outside the range is drawn again (at most 1,000 times in a row), so what is drawn would be the edge of the range, not this distribution; move the distribution into the range

error: 1 problem in {m}
"
    );
    for args in [
        vec!["check", m.as_str()],
        vec!["mc", m.as_str(), "-n", "20000", "-q"],
    ] {
        let o = dinarflow(&args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert_eq!(o.stderr, expected, "{args:?}");
        assert!(o.stdout.is_empty());
    }
    // P = 2.9e-7 for sd 0.01.
    let m = with_uncertainty(
        dir.path(),
        "y.toml",
        SMALL,
        "\"auction.rejection_rate*\" = { dist = \"normal\", mean = 1.3, sd = 0.01 }\n",
    );
    let o = dinarflow(&["mc", &m, "-n", "10"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.starts_with(&format!(
            "error: {m}:75:29: uncertainty.\"auction.rejection_rate*\": less than 0.1% of normal(mean 1.3, sd 0.01) lies within"
        )),
        "{}",
        o.stderr
    );
}

#[test]
fn tornado_scales_the_schedule_by_the_factors_p10_and_p90() {
    // P10/P90 of uniform(0.5, 1) are 0.55 and 0.95. Price: 44 and 76 a
    // barrel over 59,000 barrels. Rejection: 0.44 × 1,840,000 + 0.275 ×
    // 1,600,000 = 1,249,600 and 0.76 × 1,840,000 + 0.475 × 1,600,000 =
    // 2,158,400.
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "t.toml",
        SMALL,
        "\"exports.price_usd_per_bbl*\" = { dist = \"uniform\", min = 0.5, max = 1 }\n\
         \"auction.rejection_rate*\" = { dist = \"uniform\", min = 0.5, max = 1 }\n",
    );
    let o = ok(&["tornado", &m, "--metric", "gross_revenue_usd", "--format", "csv"]);
    assert!(
        o.stdout
            .contains("exports.price_usd_per_bbl*,0.55,0.95,2596000.00,4484000.00,1888000.00\n"),
        "{}",
        o.stdout
    );
    let o = ok(&["tornado", &m, "--metric", "wires_rejected_usd", "--format", "csv"]);
    assert!(
        o.stdout
            .contains("auction.rejection_rate*,0.55,0.95,1249600.00,2158400.00,908800.00\n"),
        "{}",
        o.stdout
    );
    let o = ok(&["tornado", &m, "--metric", "wires_rejected_usd"]);
    assert!(
        o.stdout.contains("P10/P90 of uniform(0.5 to 1), a factor on its"),
        "{}",
        o.stdout
    );
}

#[test]
fn check_sobol_and_morris_name_the_factor() {
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "s.toml",
        SMALL,
        "\"exports.price_usd_per_bbl*\" = { dist = \"normal\", mean = 1, sd = 0.1 }\n\
         \"parallel_market.spillover_share\" = { dist = \"uniform\", min = 0.3, max = 0.7 }\n",
    );
    let o = ok(&["check", &m]);
    let line = o
        .stdout
        .lines()
        .find(|l| l.contains("exports.price_usd_per_bbl*"))
        .unwrap_or_else(|| panic!("{}", o.stdout));
    assert!(line.contains("normal(mean 1, sd 0.1)"), "{line}");
    assert!(o
        .stdout
        .contains("A path ending in * draws a factor that multiplies its value in every month"));
    let o = ok(&["check", &m, "--format", "json"]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        j["assumptions"]["uncertainty"][0]["path"],
        "exports.price_usd_per_bbl*"
    );
    for cmd in ["sobol", "morris"] {
        let o = ok(&[cmd, &m, "--metric", "gross_revenue_usd", "--format", "csv", "-q"]);
        assert!(
            o.stdout.contains("exports.price_usd_per_bbl*"),
            "{cmd}: {}",
            o.stdout
        );
    }
}

#[test]
fn a_drawn_factor_can_be_correlated_and_sharded() {
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "c.toml",
        BENCH,
        "\"exports.price_usd_per_bbl*\" = { dist = \"normal\", mean = 1, sd = 0.1 }\n\
         \"auction.rejection_rate*\" = { dist = \"uniform\", min = 0.9, max = 1.1 }\n\
         [correlation]\n\"exports.price_usd_per_bbl*|auction.rejection_rate*\" = 0.8\n",
    );
    let whole = ok(&[
        "mc",
        &m,
        "-n",
        "400",
        "--format",
        "json",
        "--metric",
        "parallel_rate",
    ]);
    let mut files = Vec::new();
    for k in 1..=2 {
        let f = dir.path().join(format!("shard-{k}.csv"));
        let shard = format!("{k}/2");
        let args = [
            "mc",
            &m,
            "-n",
            "400",
            "--metric",
            "parallel_rate",
            "--shard",
            &shard,
            "--out",
            f.to_str().unwrap(),
        ];
        ok(&args);
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            text.contains("draw,exports.price_usd_per_bbl*,auction.rejection_rate*,parallel_rate"),
            "{text}"
        );
        files.push(f.to_str().unwrap().to_string());
    }
    let merged = ok(&["merge", &files[0], &files[1], "--format", "json"]);
    assert_eq!(merged.stdout, whole.stdout);
    // The rank correlation of the two factors' draws is near 0.8.
    let draws = dir.path().join("d.csv");
    ok(&[
        "mc",
        &m,
        "-n",
        "400",
        "--metric",
        "parallel_rate",
        "--draws",
        draws.to_str().unwrap(),
        "-q",
    ]);
    let (_, rows) = read_draws(&draws);
    let rank = |j: usize| {
        let mut idx: Vec<usize> = (0..rows.len()).collect();
        idx.sort_by(|a, b| {
            let x: f64 = rows[*a][j].parse().unwrap();
            let y: f64 = rows[*b][j].parse().unwrap();
            x.total_cmp(&y)
        });
        let mut r = vec![0.0; rows.len()];
        for (k, i) in idx.into_iter().enumerate() {
            r[i] = k as f64;
        }
        r
    };
    let (a, b) = (rank(1), rank(2));
    let n = a.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let cov: f64 = a.iter().zip(&b).map(|(x, y)| (x - mean) * (y - mean)).sum();
    let var: f64 = a.iter().map(|x| (x - mean) * (x - mean)).sum();
    let rho = cov / var;
    assert!((rho - 0.8).abs() < 0.05, "{rho}");
}

#[test]
fn a_factor_lives_with_the_changes_and_with_edits_of_its_schedule() {
    // The rejection rate of small.toml has a change; a factor on it loads,
    // and --set may still move one step or scale it, which the factor
    // then multiplies.
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "e.toml",
        SMALL,
        "\"auction.rejection_rate*\" = { dist = \"uniform\", min = 0.5, max = 0.5000004 }\n",
    );
    ok(&["check", &m]);
    let mc = |set: &str| {
        let o = ok(&[
            "mc",
            &m,
            "-n",
            "10",
            "--metric",
            "wires_rejected_usd",
            "--format",
            "json",
            "-q",
            "--set",
            set,
        ]);
        let j: Value = serde_json::from_str(&o.stdout).unwrap();
        j["metrics"]["wires_rejected_usd"]["max"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // February at 0.9 × 0.5 = 0.45: 0.4 × 1,840,000 + 0.45 × 1,600,000.
    assert_eq!(mc("auction.rejection_rate@2023-02=0.9"), "1456000.00");
    // Scaled by 1.2 first: 0.48 × 1,840,000 + 0.3 × 1,600,000.
    assert_eq!(mc("auction.rejection_rate*=1.2"), "1363200.00");
}

#[test]
fn tornado_param_names_a_drawn_factor_with_its_star() {
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "p.toml",
        SMALL,
        "\"exports.price_usd_per_bbl*\" = { dist = \"uniform\", min = 0.5, max = 1 }\n",
    );
    for param in ["exports.price_usd_per_bbl*", "exports.price_usd_per_bbl"] {
        let o = ok(&[
            "tornado",
            &m,
            "--metric",
            "gross_revenue_usd",
            "--param",
            param,
            "--format",
            "csv",
        ]);
        assert_eq!(
            o.stdout,
            "path,low,high,metric_low,metric_high,swing\n\
             exports.price_usd_per_bbl*,0.55,0.95,2596000.00,4484000.00,1888000.00\n"
        );
    }
    let o = dinarflow(&[
        "tornado",
        &m,
        "--metric",
        "gross_revenue_usd",
        "--param",
        "auction.rejection_rate*",
    ]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: --param auction.rejection_rate*: `auction.rejection_rate*` names a drawn factor, but [uncertainty] \
         draws none on auction.rejection_rate; name the parameter itself (--param auction.rejection_rate)\n"
    );
}

#[test]
fn factors_on_shares_or_on_two_inputs_of_one_rule_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let m = with_uncertainty(
        dir.path(),
        "share.toml",
        SMALL,
        "\"exports.buyers[China].share*\" = { dist = \"uniform\", min = 0.9, max = 1.1 }\n",
    );
    let o = dinarflow(&["mc", &m, "-n", "10"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.starts_with(&format!(
            "error: {m}:75:1: uncertainty.\"exports.buyers[China].share*\": cannot be drawn: the buyers' shares \
             must sum to exactly 1, and a drawn factor on it would break that"
        )),
        "{}",
        o.stderr
    );
    let m = with_uncertainty(
        dir.path(),
        "joint.toml",
        SMALL,
        "\"exports.price_usd_per_bbl*\" = { dist = \"uniform\", min = 0.9, max = 1.1 }\n\
         \"exports.buyers[China].price_offset_usd_per_bbl*\" = { dist = \"uniform\", min = 0.9, max = 1.1 }\n",
    );
    let o = dinarflow(&["mc", &m, "-n", "10"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: exports.price_usd_per_bbl* and exports.buyers[China].price_offset_usd_per_bbl* are both in \
         [uncertainty], but price + offset must stay >= 0 and they cannot be truncated one at a time; keep one of them fixed\n"
    );
}

/// `fixtures/small.toml` with two bank groups: "Barred" (a quarter of the
/// wires, all rejected) and "Rest", which has no rate of its own and so
/// follows the auction's (0.8 in January, 0.5 from February).
fn with_banks(dir: &Path, uncertainty: &str) -> String {
    let text = std::fs::read_to_string(SMALL).unwrap();
    let text = text.split("\n[uncertainty]\n").next().unwrap();
    let path = dir.join("banks.toml");
    std::fs::write(
        &path,
        format!(
            "{text}\n[[auction.banks]]\nname = \"Barred\"\nshare = 0.25\nrejection_rate = 1\n\n\
             [[auction.banks]]\nname = \"Rest\"\nshare = 0.75\n\n[uncertainty]\n{uncertainty}"
        ),
    )
    .unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_bank_that_follows_the_auction_goes_on_following_when_scaled() {
    // Wires of 1,840,000 (January) and 1,600,000 (February): Barred
    // rejects a quarter, 460,000 + 400,000; Rest faces the auction's rate.
    // Plain: 1,380,000 × 0.8 + 1,200,000 × 0.5 = 1,104,000 + 600,000, so
    // 2,564,000 in all. Rest × 0.5 faces 0.4 then 0.25: 552,000 + 300,000,
    // so 1,712,000 (a bank frozen at 0.8 × 0.5 would give 1,892,000).
    let dir = tempfile::tempdir().unwrap();
    let m = with_banks(dir.path(), "");
    let rest = "auction.banks[Rest].rejection_rate";
    let plain = ok(&["run", &m, "--format", "csv"]);
    assert_eq!(total(&plain.stdout, "wires_rejected_usd"), "2564000.00");
    let times_one = ok(&["run", &m, "--set", &format!("{rest}*=1"), "--format", "csv"]);
    assert_eq!(times_one.stdout, plain.stdout);
    let half = ok(&["run", &m, "--set", &format!("{rest}*=0.5"), "--format", "csv"]);
    assert_eq!(total(&half.stdout, "wires_rejected_usd"), "1712000.00");
    assert_eq!(
        half.stderr,
        "note: --set auction.banks[Rest].rejection_rate*=0.5 scales the rate it faces in every month \
         (auction.rejection_rate, which it follows, and 0 [[changes]] entries of its own)\n"
    );
    // Set in either order, the auction's factor reaches the bank: Rest
    // faces 0.8 × 0.5 × 0.5 = 0.2 then 0.125, rejecting 276,000 + 150,000.
    for order in [[rest, "auction.rejection_rate"], ["auction.rejection_rate", rest]] {
        let both = ok(&[
            "run",
            &m,
            "--set",
            &format!("{}*=0.5", order[0]),
            "--set",
            &format!("{}*=0.5", order[1]),
            "--format",
            "csv",
        ]);
        // Barred keeps its own rate: 460,000 + 276,000 + 400,000 + 150,000.
        assert_eq!(
            total(&both.stdout, "wires_rejected_usd"),
            "1286000.00",
            "{order:?}"
        );
    }
    // explain says whose rate the bank faces, with the factor: 0.5 × 0.5
    // in February, set on the command line.
    let e = ok(&[
        "explain",
        &m,
        "wires_rejected_usd@2023-02",
        "--set",
        &format!("{rest}*=0.5"),
        "--format",
        "json",
    ]);
    let j: Value = serde_json::from_str(&e.stdout).unwrap();
    let used: Vec<&Value> = j["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["assumptions"].as_array().into_iter().flatten())
        .filter(|a| a["path"] == rest)
        .collect();
    assert!(!used.is_empty(), "{}", e.stdout);
    for a in used {
        assert_eq!(a["value"], "0.25", "{a}");
        assert_eq!(a["location"], "--set", "{a}");
        assert_eq!(
            a["change"], "follows auction.rejection_rate × 0.5, its [[changes]] from 2023-02: revaluation and easier screening",
            "{a}"
        );
    }
    // The factor's range is what keeps every month the bank follows in
    // 0 to 1: 0.8 × 1.25 = 1 in January.
    let e = dinarflow(&["run", &m, "--set", &format!("{rest}*=1.26")]);
    assert_eq!(e.code, 2, "{}", e.stderr);
    assert_eq!(
        e.stderr,
        "error: --set auction.banks[Rest].rejection_rate*=1.26: 0.8 × 1.26: \
         auction.banks[Rest].rejection_rate: 1.008 is out of range (allowed: 0 to 1)\n"
    );
    // The kernel (sweep, mc) evaluates the same rates.
    let sweep = ok(&[
        "sweep",
        &m,
        "--scale",
        &format!("{rest}=0.5,1"),
        "--metric",
        "wires_rejected_usd",
        "--format",
        "csv",
    ]);
    assert!(
        sweep.stdout.contains("\n0.5,wires_rejected_usd,1712000.00\n"),
        "{}",
        sweep.stdout
    );
    assert!(
        sweep.stdout.contains("\n1,wires_rejected_usd,2564000.00\n"),
        "{}",
        sweep.stdout
    );
    // A step from the first month is the bank's own: 0.3 in both months,
    // 460,000 + 414,000 + 400,000 + 360,000 = 1,634,000.
    let step = format!("{rest}@2023-01=0.3");
    let set = ok(&["run", &m, "--set", &step, "--format", "csv"]);
    assert_eq!(total(&set.stdout, "wires_rejected_usd"), "1634000.00");
    let vary = ok(&[
        "sweep",
        &m,
        "--vary",
        &step,
        "--metric",
        "wires_rejected_usd",
        "--format",
        "csv",
    ]);
    assert!(
        vary.stdout.ends_with("\n0.3,wires_rejected_usd,1634000.00\n"),
        "{}",
        vary.stdout
    );
    // tornado scales the schedule the bank follows by 1 ∓ 10%: 0.72 then
    // 0.45 gives 460,000 + 993,600 + 400,000 + 540,000 = 2,393,600, and
    // 0.88 then 0.55 gives 460,000 + 1,214,400 + 400,000 + 660,000 =
    // 2,734,400 (a flat 0.72 and 0.88 would give 2,657,600 and 2,878,400).
    let o = ok(&[
        "tornado",
        &m,
        "--metric",
        "wires_rejected_usd",
        "--param",
        rest,
        "--format",
        "csv",
    ]);
    assert!(
        o.stdout
            .ends_with("\nauction.banks[Rest].rejection_rate,0.72,0.88,2393600.00,2734400.00,340800.00\n"),
        "{}",
        o.stdout
    );
    // Both factors in a two-way sweep (the kernel): 1,286,000 as above.
    let m2 = with_banks(dir.path(), "");
    let sweep = ok(&[
        "sweep",
        &m2,
        "--scale",
        "auction.rejection_rate=0.5",
        "--scale",
        &format!("{rest}=0.5"),
        "--metric",
        "wires_rejected_usd",
        "--format",
        "csv",
    ]);
    assert!(
        sweep
            .stdout
            .ends_with("\n0.5,0.5,wires_rejected_usd,1286000.00\n"),
        "{}",
        sweep.stdout
    );
    // Set in this order, the bank's factor is checked again once the
    // auction's is in: 0.8 × 1.2 × 1.25 = 1.2 in January.
    let e = dinarflow(&[
        "run",
        &m,
        "--set",
        &format!("{rest}*=1.25"),
        "--set",
        "auction.rejection_rate*=1.2",
    ]);
    assert_eq!(
        e.stderr,
        "error: --set auction.banks[Rest].rejection_rate*=1.25 --set auction.rejection_rate*=1.2: \
         auction.banks[Rest].rejection_rate: 1.2000 is out of range (allowed: 0 to 1) in 2023-01 \
         (the auction's rate times the bank's factor)\n"
    );
    // sweep checks each point the same way: 0.9 × 1.25 is past 1.
    let e = dinarflow(&[
        "sweep",
        &m,
        "--set",
        &format!("{rest}*=1.25"),
        "--vary",
        "auction.rejection_rate=0.7,0.9",
    ]);
    assert_eq!(e.code, 2);
    assert!(
        e.stderr.ends_with(
            "error: auction.rejection_rate = 0.9 is not allowed: auction.banks[Rest].rejection_rate: 1.125 \
             is out of range (allowed: 0 to 1) in 2023-01 (the auction's rate times the bank's factor)\n"
        ),
        "{}",
        e.stderr
    );
    // Drawn together they are refused (only the two together keep the
    // bank's rate in range); the auction's factor alone, with the bank's
    // set to 1.25, is truncated at 1 (0.8 × 1 × 1.25 = 1).
    let drawn = with_banks(
        dir.path(),
        "\"auction.banks[Rest].rejection_rate*\" = { dist = \"uniform\", min = 0.5, max = 1 }\n\
         \"auction.rejection_rate*\" = { dist = \"uniform\", min = 0.5, max = 1.2 }\n",
    );
    let e = dinarflow(&["mc", &drawn, "-n", "100", "-q"]);
    assert_eq!(e.code, 2);
    assert_eq!(
        e.stderr,
        "error: auction.banks[Rest].rejection_rate* and auction.rejection_rate* are both in [uncertainty], \
         but a bank that follows the auction faces the auction's rate times its factor, which must stay within \
         0 to 1, and they cannot be truncated one at a time; keep one of them fixed\n"
    );
    let auction_only = with_banks(
        dir.path(),
        "\"auction.rejection_rate*\" = { dist = \"uniform\", min = 0.5, max = 1.2 }\n",
    );
    let o = ok(&[
        "mc",
        &auction_only,
        "-n",
        "100",
        "--set",
        &format!("{rest}*=1.25"),
        "--metric",
        "wires_rejected_usd",
    ]);
    assert!(
        o.stderr
            .contains("for auction.rejection_rate* lies outside its allowed range (a factor 0 to 1)"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_bank_given_a_rate_of_its_own_stops_following_and_says_from_when() {
    // As above: Rest's wires are 1,380,000 (January) and 1,200,000
    // (February), Barred rejects 460,000 + 400,000. Rest at 0.2 from
    // February follows the auction's 0.8 in January: 1,104,000 + 240,000,
    // so 2,204,000 in all; at 0.2 throughout: 276,000 + 240,000, 1,376,000.
    let dir = tempfile::tempdir().unwrap();
    let m = with_banks(dir.path(), "");
    let rest = "auction.banks[Rest].rejection_rate";
    let from_feb = ok(&[
        "run",
        &m,
        "--set",
        &format!("{rest}@2023-02..=0.2"),
        "--format",
        "csv",
    ]);
    assert_eq!(total(&from_feb.stdout, "wires_rejected_usd"), "2204000.00");
    assert_eq!(
        from_feb.stderr,
        "note: --set auction.banks[Rest].rejection_rate@2023-02..=0.2 holds from 2023-02 to the end of the timeline (2023-02); \
         the bank faces this rate of its own from 2023-02 instead of auction.rejection_rate (steps included), which it follows before 2023-02\n"
    );
    let whole = ok(&["run", &m, "--set", &format!("{rest}=0.2"), "--format", "csv"]);
    assert_eq!(total(&whole.stdout, "wires_rejected_usd"), "1376000.00");
    assert_eq!(
        whole.stderr,
        "note: --set auction.banks[Rest].rejection_rate=0.2 holds for the whole timeline; \
         the bank faces this rate of its own instead of auction.rejection_rate (steps included), which it followed\n"
    );
    // A bank with a rate of its own says nothing of following.
    let barred = ok(&[
        "run",
        &m,
        "--set",
        "auction.banks[Barred].rejection_rate=0.9",
        "--format",
        "csv",
    ]);
    assert_eq!(
        barred.stderr,
        "note: --set auction.banks[Barred].rejection_rate=0.9 holds for the whole timeline\n"
    );
}

/// A factor given with --set that takes values out of their plausible
/// range is warned about at each value it scaled (1,460 and February's
/// 1,310, × 0.001), saying that the value there was scaled, not written.
#[test]
fn a_set_factor_out_of_plausible_range_is_warned_about_as_scaled() {
    let o = ok(&[
        "check",
        SMALL,
        "--set",
        "auction.official_rate_iqd_per_usd*=0.001",
    ]);
    let warnings: Vec<&str> = o.stderr.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(
        warnings,
        [
            "warning: fixtures/small.toml:42:29: auction.official_rate_iqd_per_usd: 1.460 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD (this value scaled by a factor given with --set)",
            "warning: fixtures/small.toml:71:47: auction.official_rate_iqd_per_usd: from 2023-02: 1.310 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD (this value scaled by a factor given with --set)",
            "warning: 2 warnings in fixtures/small.toml",
        ]
    );
}
