//! `[forecast_error]`: the model's own error on a quoted rate, which `mc`
//! draws on a month's value of it. Checked against the same model without
//! the table (the parameters' draws are the same, keyed by their paths, so
//! each draw's ratio is its own error), against the fit's residuals, and
//! for what a bad entry is told.

use std::fs;
use std::path::Path;

use crate::common::{dinarflow, ok};

const MODEL: &str = "models/iraq-2023.toml";

/// The shipped model without its `[forecast_error]` table, written to `dir`.
fn without_error(dir: &Path) -> String {
    let text = fs::read_to_string(MODEL).unwrap();
    let cut = text
        .find("\n[forecast_error]")
        .expect("the shipped model has [forecast_error]");
    let path = dir.join("no-error.toml");
    fs::write(&path, &text[..cut]).unwrap();
    path.to_str().unwrap().to_string()
}

/// The values of `column` in a draws file.
fn drawn(path: &Path, column: &str) -> Vec<f64> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let j = r.headers().unwrap().iter().position(|h| h == column).unwrap();
    r.records().map(|rec| rec.unwrap()[j].parse().unwrap()).collect()
}

fn mc_draws(model: &str, metrics: &[&str], file: &Path) {
    let mut args = vec!["mc", model, "-n", "4000", "--seed", "5", "--format", "csv", "-q"];
    for m in metrics {
        args.extend(["--metric", m]);
    }
    args.extend(["--draws", file.to_str().unwrap()]);
    ok(&args);
}

#[test]
fn each_draw_of_a_month_is_the_models_rate_times_a_log_normal_error() {
    let dir = tempfile::tempdir().unwrap();
    let bare = without_error(dir.path());
    let (with, without) = (dir.path().join("with.csv"), dir.path().join("without.csv"));
    let metrics = [
        "parallel_rate@2024-06",
        "parallel_rate",
        "premium_pct@2024-06",
        "official_rate@2024-06",
        "parallel_rate:last",
        "parallel_rate@2024-12",
        "premium_pct",
    ];
    mc_draws(MODEL, &metrics, &with);
    mc_draws(&bare, &metrics, &without);
    let logs: Vec<f64> = drawn(&with, "parallel_rate@2024-06")
        .iter()
        .zip(drawn(&without, "parallel_rate@2024-06"))
        .map(|(a, b)| (a / b).ln())
        .collect();
    let n = logs.len() as f64;
    let mean = logs.iter().sum::<f64>() / n;
    let sd = (logs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    // σ = 0.032579 in the model file; over 4,000 draws the sample sd's own
    // standard error is σ/√(2n) = 0.00036 and the mean's σ/√n = 0.00052.
    assert!((sd - 0.032579).abs() < 0.0015, "sd {sd}");
    assert!(mean.abs() < 0.002, "mean {mean}");
    // Summaries over the timeline and the official rate carry none.
    for m in ["parallel_rate", "premium_pct", "official_rate@2024-06"] {
        assert_eq!(drawn(&with, m), drawn(&without, m), "{m}");
    }
    // The month's premium is that of the month's quote over the official
    // rate, 100·(rate / official − 1), to within the 4 places both are
    // rounded to (at a rate near 1,500: 2e-4 of a point).
    let official = drawn(&with, "official_rate@2024-06");
    let premium = drawn(&with, "premium_pct@2024-06");
    assert_ne!(premium, drawn(&without, "premium_pct@2024-06"));
    for ((r, o), p) in drawn(&with, "parallel_rate@2024-06")
        .iter()
        .zip(&official)
        .zip(&premium)
    {
        let want = 100.0 * (r / o - 1.0);
        assert!(
            (p - want).abs() < 2e-4,
            "premium {p}, rate {r} over {o} is {want}"
        );
    }
    // `:last` names the timeline's last month, Dec 2024: the same quote,
    // draw by draw, error and all.
    let last = drawn(&with, "parallel_rate:last");
    assert_eq!(last, drawn(&with, "parallel_rate@2024-12"));
    assert_ne!(last, drawn(&without, "parallel_rate:last"));
}

#[test]
fn the_band_for_a_months_quote_is_wider_than_the_parameters_alone() {
    let dir = tempfile::tempdir().unwrap();
    let bare = without_error(dir.path());
    let band = |model: &str| -> (f64, f64) {
        let o = ok(&[
            "mc",
            model,
            "-n",
            "4000",
            "--metric",
            "parallel_rate@2024-06",
            "--format",
            "json",
            "-q",
        ]);
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        let m = &v["metrics"]["parallel_rate@2024-06"];
        let p = |k: &str| m[k].as_str().unwrap().parse::<f64>().unwrap();
        (p("p10"), p("p90"))
    };
    let (lo, hi) = band(MODEL);
    let (lo0, hi0) = band(&bare);
    assert!(lo < lo0 && hi > hi0, "with {lo}-{hi}, without {lo0}-{hi0}");
    // Independent errors add in quadrature: the log band's half-width
    // grows from w0 to about √(w0² + (1.2816·σ)²).
    let (w, w0) = ((hi / lo).ln() / 2.0, (hi0 / lo0).ln() / 2.0);
    let want = (w0 * w0 + (1.2816 * 0.032579f64).powi(2)).sqrt();
    assert!(
        (w - want).abs() < 0.1 * want,
        "half-width {w}, expected about {want} (without: {w0})"
    );
}

#[test]
fn no_forecast_error_draws_the_parameters_alone() {
    let dir = tempfile::tempdir().unwrap();
    let bare = without_error(dir.path());
    let args = [
        "-n",
        "2000",
        "--metric",
        "parallel_rate@2024-06",
        "--format",
        "csv",
    ];
    let flag = ok(&[&["mc", MODEL, "--no-forecast-error"][..], &args[..]].concat());
    let copy = ok(&[&["mc", bare.as_str()][..], &args[..]].concat());
    assert_eq!(flag.stdout, copy.stdout);
    assert!(!flag.stderr.contains("[forecast_error]"), "{}", flag.stderr);
    let with = ok(&[&["mc", MODEL][..], &args[..]].concat());
    assert_ne!(with.stdout, flag.stdout);
}

#[test]
fn mc_says_which_values_carry_the_error() {
    let o = ok(&[
        "mc",
        "-n",
        "200",
        "--metric",
        "parallel_rate@2024-06",
        "--format",
        "csv",
    ]);
    assert!(
        o.stderr.contains("note: a month's parallel_rate (`parallel_rate@YYYY-MM`, `:first`, `:last`, the fan chart's months) carries the model's own error, log-normal with σ 3.25% ([forecast_error]), beside the spread of [uncertainty]: its band is one for a quote, and a month's premium_pct is computed from that quote; the summary over the timeline carries none"),
        "{}",
        o.stderr
    );
    // The report itself says so (a table pasted without stderr), for the
    // month's rate and the premium computed from it.
    let o = ok(&[
        "mc",
        "-n",
        "200",
        "--metric",
        "parallel_rate@2024-06",
        "--metric",
        "premium_pct@2024-06",
    ]);
    assert!(o.stdout.ends_with("\nparallel_rate@2024-06 is a quote, not the model's monthly mean: each draw is the model's value times its own error on a quote, log-normal with σ 3.25% ([forecast_error]), which the drivers above do not list.\n\
        premium_pct@2024-06 is the premium of a quote: each draw's parallel rate that month is the model's value times its own error on a quote, log-normal with σ 3.25% ([forecast_error]), and the premium is computed from it, 100·(rate / official − 1); the drivers above do not list that error.\n"), "{}", o.stdout);
    let o = ok(&["mc", "-n", "200", "--metric", "parallel_rate:last"]);
    assert!(
        o.stdout.contains("\nparallel_rate:last is a quote, not"),
        "{}",
        o.stdout
    );
    let o = ok(&[
        "mc",
        "-n",
        "200",
        "--metric",
        "parallel_rate",
        "--metric",
        "premium_pct",
    ]);
    assert!(!o.stdout.contains("of a quote"), "{}", o.stdout);
}

#[test]
fn the_shipped_sigma_is_what_the_parallel_market_fit_writes() {
    // The nine quotes against the fitted model (fit's residuals, the same
    // numbers as docs/python.md's table): ln(observed / model) has a root
    // mean square of 2.6513% (by hand, with the model's 1,563.9329,
    // 1,631.7083, 1,537.3496, 1,476.4474 and 1,512.8142 of November 2022,
    // January, March, May and August 2023: Σ ln² = 0.0063264 over 9), and
    // three parameters were fitted to the nine: σ = 2.6513% × √(9/6) =
    // 3.2472%.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("refit.toml");
    ok(&[
        "fit",
        MODEL,
        "--observed",
        "models/observed/iraq-parallel-2022-2023.csv",
        "--vary",
        "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000",
        "--vary",
        "parallel_market.anchor_weight",
        "--vary",
        "parallel_market.persistence=0:0.95",
        "--write-model",
        out.to_str().unwrap(),
        "--write-uncertainty",
    ]);
    let written = fs::read_to_string(&out).unwrap();
    let line = |text: &str| -> String {
        let from = text.find("\n[forecast_error]").unwrap();
        text[from..]
            .lines()
            .find(|l| l.starts_with("parallel_rate = "))
            .unwrap()
            .to_string()
    };
    assert!(
        line(&written).starts_with("parallel_rate = { value = 0.032472, "),
        "{}",
        line(&written)
    );
    assert_eq!(line(&written), line(&fs::read_to_string(MODEL).unwrap()));
}

#[test]
fn a_bad_entry_is_located_and_says_what_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    let text = fs::read_to_string("fixtures/small.toml").unwrap();
    fs::write(
        &path,
        format!("{text}\n[forecast_error]\nparalel_rate = 0.03\neffective_rate = 3.5\n"),
    )
    .unwrap();
    let p = path.to_str().unwrap();
    let o = dinarflow(&["check", p]);
    assert_eq!(o.code, 2);
    let line = text.lines().count() + 3;
    let (a, b) = (line, line + 1);
    let pad = " ".repeat(a.to_string().len());
    assert_eq!(
        o.stderr,
        format!(
            "error: {p}:{a}:1: forecast_error.paralel_rate: `paralel_rate` is not a quoted rate (allowed: one of parallel_rate, effective_rate)\n\
             {pad} |\n{a} | paralel_rate = 0.03\n{pad} | ^^^^^^^^^^^^\n{pad} |\n{pad} = help: did you mean `parallel_rate`?\n\n\
             error: {p}:{b}:18: forecast_error.effective_rate: 3.5 is out of range (allowed: 0 to 1)\n\
             {pad} |\n{b} | effective_rate = 3.5\n{pad} |                  ^^^\n{pad} |\n{pad} = help: this looks like a percentage; shares are fractions: did you mean 0.035?\n\n\
             error: 2 problems in {p}\n"
        )
    );
}

/// `fit` of the guide's synthetic market (street demand and the anchor
/// weight) to `observed`, written with its uncertainty to `out`; JSON.
fn fit_market(observed: &str, out: &Path) -> crate::common::Output {
    ok(&[
        "fit",
        "fixtures/calibration/market.toml",
        "--observed",
        observed,
        "--vary",
        "parallel_market.street_demand_usd_per_day=0:100000",
        "--vary",
        "parallel_market.anchor_weight",
        "--write-model",
        out.to_str().unwrap(),
        "--write-uncertainty",
        "--format",
        "json",
    ])
}

#[test]
fn fit_writes_sigma_from_its_residuals_over_the_degrees_of_freedom_left() {
    // The guide's synthetic market: twelve quotes, two parameters fitted.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fitted.toml");
    let o = fit_market("fixtures/calibration/parallel-synthetic.csv", &out);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let logs: Vec<f64> = v["residuals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let x = |k: &str| r[k].as_str().unwrap().parse::<f64>().unwrap();
            (x("observed") / x("model")).ln()
        })
        .collect();
    assert_eq!(logs.len(), 12);
    let sigma = (logs.iter().map(|x| x * x).sum::<f64>() / 12.0 * 12.0 / 10.0).sqrt();
    let written = fs::read_to_string(&out).unwrap();
    let line = written
        .lines()
        .find(|l| l.starts_with("parallel_rate = { value = "))
        .unwrap();
    let value: f64 = line["parallel_rate = { value = ".len()..]
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((value - sigma).abs() < 5e-7, "{line}: {sigma}");
    // The written model loads, and mc draws it.
    let mc = ok(&[
        "mc",
        out.to_str().unwrap(),
        "-n",
        "100",
        "--metric",
        "parallel_rate@2023-01",
        "-q",
    ]);
    assert!(mc.stdout.contains("parallel_rate@2023-01"));
}

#[test]
fn no_sigma_is_written_without_a_degree_of_freedom_left() {
    let dir = tempfile::tempdir().unwrap();
    let observed = dir.path().join("two.csv");
    fs::write(
        &observed,
        "date,metric,value\n2023-01,parallel_rate,1600\n2023-03,parallel_rate,1560\n",
    )
    .unwrap();
    let out = dir.path().join("fitted.toml");
    let o = fit_market(observed.to_str().unwrap(), &out);
    assert!(
        o.stderr.contains("note: [forecast_error] parallel_rate is not written: 2 parameters fitted to 2 observations leave no degree of freedom to estimate it by"),
        "{}",
        o.stderr
    );
    assert!(!fs::read_to_string(&out).unwrap().contains("[forecast_error]"));
}

/// A backtest trained up to October 2022, the month before the default
/// model's timeline, has no training quote inside it to measure the
/// model's own error on. It takes the model's `[forecast_error]`
/// (`parallel_rate = 0.032472`, σ 3.25% to two places), says so, and
/// warns that it was measured on the test quotes. Without the table, it
/// says the bands are the parameters' spread alone (before, it said
/// nothing, and its 80% band held 6 of the 9 quotes).
#[test]
fn a_backtest_without_training_quotes_in_the_timeline_takes_the_written_error() {
    let parallel = "models/observed/iraq-parallel-2022-2023.csv";
    let o = ok(&["backtest", MODEL, "--observed", parallel, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["train_until"], "2022-10");
    let e = &v["own_error"][0];
    assert_eq!(
        (e["metric"].as_str(), e["from"].as_str()),
        (Some("parallel_rate"), Some("model"))
    );
    assert_eq!(
        (e["sigma_pct"].as_str(), e["n"].as_u64()),
        (Some("3.2472"), Some(0))
    );
    assert!(
        o.stderr.contains(
            "warning: forecast_error.parallel_rate was measured on models/observed/iraq-parallel-2022-2023.csv up to 2023-08 (as its source says), after the training window that ends 2022-10"
        ),
        "{}",
        o.stderr
    );
    let text = ok(&["backtest", MODEL, "--observed", parallel]).stdout;
    assert!(
        text.contains("note: parallel_rate: the model's own error log-normal, σ 3.25% (the model's [forecast_error]: 0 training observations in the timeline, too few to estimate it from)"),
        "{text}"
    );

    let dir = tempfile::tempdir().unwrap();
    let bare = without_error(dir.path());
    let text = ok(&["backtest", &bare, "--observed", parallel]).stdout;
    assert!(
        text.contains("note: parallel_rate: 0 training observations in the timeline, too few to estimate the model's own error from, and the model has no [forecast_error] for it: its bands are the spread of its [uncertainty] alone, narrower than a reading's"),
        "{text}"
    );
}
