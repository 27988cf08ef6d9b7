//! `dinarflow backtest`: the model's errors and the naive benchmarks
//! worked out by hand on a three-row file, and the JSON shape.

use std::fs;

use crate::common::ok;

const MODEL: &str = "models/iraq-2023.toml";

#[test]
fn errors_and_benchmarks_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obs.csv");
    // Training: September 2022 (before the timeline) 1,475 and November
    // 2022 1,585; test: January 2023 1,650.
    fs::write(
        &path,
        "date,metric,value\n2022-09,parallel_rate,1475\n2022-11,parallel_rate,1585\n2023-01,parallel_rate,1650\n",
    )
    .unwrap();
    let model: f64 = ok(&["run", MODEL, "--format", "csv"])
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("2023-01,parallel_rate,"))
        .unwrap()
        .parse()
        .unwrap();
    let o = ok(&[
        "backtest",
        MODEL,
        "--observed",
        path.to_str().unwrap(),
        "--train-until",
        "2022-12",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let num = |x: &serde_json::Value| x.as_str().unwrap().parse::<f64>().unwrap();
    let e_model = 100.0 * (model - 1650.0) / 1650.0;
    assert_eq!(v["test"]["n"], 1);
    assert!((num(&v["test"]["rmse_pct"]) - e_model.abs()).abs() < 1e-4);
    assert!((num(&v["test"]["bias_pct"]) - e_model).abs() < 1e-4);
    // Random walk: the last training observation, 1,585: 100 × (1585 − 1650) / 1650 = −3.9394%.
    let b = &v["benchmarks"];
    assert_eq!(b[0]["name"], "random walk");
    assert!((num(&b[0]["bias_pct"]) + 3.9394).abs() < 1e-4, "{b}");
    // Training mean (1475 + 1585) / 2 = 1530: −7.2727%.
    assert!((num(&b[1]["bias_pct"]) + 7.2727).abs() < 1e-4, "{b}");
    // Premium held: 1,585 at an official 1,460 in November, official still 1,460 in January: 1,585 again.
    assert!((num(&b[2]["bias_pct"]) + 3.9394).abs() < 1e-4, "{b}");
    // Theil's U: |model error| / |random-walk error|.
    assert!(
        (num(&v["test"]["theil_u"]) - e_model.abs() / 3.939_393_939).abs() < 1e-3,
        "{v}"
    );
    assert_eq!(v["train_until"], "2022-12");
}

#[test]
fn the_premium_benchmark_follows_the_official_rate() {
    // Trained up to January 2023 (official 1,460), tested in March 2023
    // (official 1,310 since February): 1,650 × 1310 / 1460 = 1,480.4795.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("obs.csv");
    fs::write(
        &path,
        "date,metric,value\n2023-01,parallel_rate,1650\n2023-03,parallel_rate,1500\n",
    )
    .unwrap();
    let o = ok(&[
        "backtest",
        MODEL,
        "--observed",
        path.to_str().unwrap(),
        "--train-until",
        "2023-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let held: f64 = v["rows"][0]["premium_held"].as_str().unwrap().parse().unwrap();
    assert!((held - 1480.4795).abs() < 1e-3, "{v}");
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&ok(&all).stdout).unwrap()
}

const PARALLEL: &str = "models/observed/iraq-parallel-2022-2023.csv";

#[test]
fn each_rolling_origin_is_the_backtest_at_that_origin_and_the_pool_adds_them() {
    let r = json(&[
        "backtest",
        MODEL,
        "--observed",
        PARALLEL,
        "--rolling",
        "2022-09:2022-11",
    ]);
    let origins = r["origins"].as_array().unwrap();
    assert_eq!(origins.len(), 3);
    let mut n = 0;
    for o in origins {
        let until = o["train_until"].as_str().unwrap();
        let single = json(&["backtest", MODEL, "--observed", PARALLEL, "--train-until", until]);
        assert_eq!(o["rmse_pct"], single["test"]["rmse_pct"], "{until}");
        assert_eq!(o["theil_u"], single["test"]["theil_u"], "{until}");
        assert_eq!(
            o["benchmarks"][0]["rmse_pct"], single["benchmarks"][0]["rmse_pct"],
            "{until}"
        );
        n += o["n"].as_u64().unwrap();
    }
    // Nine test rows after 2022-09 and 2022-10 (November 2022, five in
    // January 2023, March, May and August 2023), eight after 2022-11.
    assert_eq!(n, 26);
    assert_eq!(r["pooled"]["n"], 26);
}

#[test]
fn a_refit_uses_the_training_window_alone() {
    // Refitting at 2022-11 is `fit --train-until 2022-11` of the same parameter.
    let turnover = "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000";
    let r = json(&[
        "backtest",
        MODEL,
        "--observed",
        PARALLEL,
        "--rolling",
        "2022-11:2022-11",
        "--refit",
        turnover,
    ]);
    let f = json(&[
        "fit",
        MODEL,
        "--observed",
        PARALLEL,
        "--train-until",
        "2022-11",
        "--vary",
        turnover,
    ]);
    assert_eq!(r["origins"][0]["refit"][0], f["sets"][0]);
    // The single-origin form gives the same model errors.
    let single = json(&[
        "backtest",
        MODEL,
        "--observed",
        PARALLEL,
        "--train-until",
        "2022-11",
        "--refit",
        turnover,
    ]);
    assert_eq!(r["origins"][0]["rmse_pct"], single["test"]["rmse_pct"]);
    // An origin with nothing in the timeline to refit on is left out, and said so.
    let r = json(&[
        "backtest",
        MODEL,
        "--observed",
        PARALLEL,
        "--rolling",
        "2022-10:2022-11",
        "--refit",
        turnover,
    ]);
    assert_eq!(r["origins"].as_array().unwrap().len(), 1);
    assert!(
        r["skipped"][0]
            .as_str()
            .unwrap()
            .starts_with("2022-10: no observation up to 2022-10"),
        "{r}"
    );
}
