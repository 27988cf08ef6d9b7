//! The README's sentences that quote a figure. readme.rs proves that each
//! `console` block prints what it shows, but the sentences around the
//! blocks were not checked, and after a recalibration they went stale:
//! "an 80% band of about 1,438 to 1,589" stood under a block printing
//! 1431.7987 and 1581.0085. Here each quoted figure is worked out from
//! what the command behind it prints (in JSON or CSV, every digit),
//! rounded as a person rounds (half away from zero), and the README,
//! its lines joined, must say the sentence with that figure.

use serde_json::Value;

use crate::common::ok;
use crate::common::prose::{cell, default_forecast_error, json, num, origin_flags, rounded, word, Prose};

/// The README, its lines joined (the helpers are shared with
/// guide_prose.rs, in common/prose.rs).
fn readme() -> Prose {
    Prose::of("README.md")
}

/// §2: what the rejection rate at 40% from July 2023 does to the mean rate.
#[test]
fn the_what_if_sentence_quotes_the_runs() {
    let base = ok(&["run", "models/iraq-2023.toml", "--format", "csv"]).stdout;
    let what_if = ok(&[
        "run",
        "models/iraq-2023.toml",
        "--set",
        "auction.rejection_rate@2023-07..=0.4",
        "--format",
        "csv",
    ])
    .stdout;
    readme().says(&format!(
        "The parallel rate averages {} dinars per dollar instead of {} over the 26 months",
        rounded(&cell(&what_if, "total", "parallel_rate"), 0),
        rounded(&cell(&base, "total", "parallel_rate"), 0)
    ));
}

/// §5: the fit's standard errors.
#[test]
fn the_fit_sentence_quotes_its_standard_errors() {
    let dir = tempfile::tempdir().unwrap();
    let observed = dir.path().join("your.csv");
    // The README's three post-revaluation quotes, as its `grep | cut` makes them.
    std::fs::write(
        &observed,
        "date,metric,value\n2023-03-16,parallel_rate,1564\n2023-05-17,parallel_rate,1441\n2023-08-14,parallel_rate,1530\n",
    )
    .unwrap();
    let fit = json(&[
        "fit",
        "models/iraq-2023.toml",
        "--observed",
        observed.to_str().unwrap(),
        "--vary",
        "parallel_market.anchor_weight",
        "--vary",
        "parallel_market.persistence=0:0.95",
        "--format",
        "json",
    ]);
    let se = |i: usize| rounded(num(&fit["estimates"][i]["std_error"]), 2);
    readme().says(&format!("(standard errors of {} and {})", se(0), se(1)));
}

/// The README's backtest flags, with `range` as `--rolling` or
/// `--train-until` and `--format json`/`csv` appended by the caller.
fn backtest(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = vec!["backtest".into(), "models/iraq-2023.toml".into()];
    args.extend(origin_flags("--refit"));
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn backtest_json(extra: &[&str]) -> Value {
    let args = backtest(&[extra, &["--format", "json"]].concat());
    json(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

fn benchmark<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|b| b["name"] == name)
        .unwrap()
}

/// §6 "Read it honestly": the rolling backtest from March to July 2023.
#[test]
fn the_rolling_backtest_sentences_quote_it() {
    let readme = readme();
    let bt = backtest_json(&["--rolling", "2023-03:2023-07"]);
    let pooled = &bt["pooled"];
    let walk = benchmark(&bt["pooled_benchmarks"], "random walk");
    readme.says(&format!(
        "the model's RMSE is {}% against {}% for the random walk (and its CRPS {}% against {}%)",
        rounded(num(&pooled["rmse_pct"]), 2),
        rounded(num(&walk["rmse_pct"]), 2),
        rounded(num(&pooled["crps_pct"]), 2),
        rounded(num(&walk["crps_pct"]), 2),
    ));
    let origins = bt["origins"].as_array().unwrap();
    let mut theil: Vec<String> = origins.iter().map(|o| rounded(num(&o["theil_u"]), 2)).collect();
    theil.dedup();
    assert!(origins
        .iter()
        .all(|o| num(&o["theil_u"]).parse::<f64>().unwrap() < 1.0));
    readme.says(&format!(
        "Theil's U is below 1 at every origin ({})",
        theil.join(" and ")
    ));
    let n: u64 = pooled["n"].as_u64().unwrap();
    readme.says(&format!("the {} test rows are **two quotes**", word(n)));
    // From May, June and July: one quote (August's), and the training mean wins.
    let late: Vec<&Value> = origins
        .iter()
        .filter(|o| num(&o["train_until"]) >= "2023-05")
        .collect();
    assert_eq!(late.len(), 3);
    let mean = benchmark(&late[0]["benchmarks"], "training mean");
    assert!(late.iter().all(|o| o["rmse_pct"] == late[0]["rmse_pct"]));
    readme.says(&format!(
        "the **training mean wins** ({}% against the model's {}%)",
        rounded(num(&mean["rmse_pct"]), 2),
        rounded(num(&late[0]["rmse_pct"]), 2)
    ));
    assert_eq!(
        (num(&pooled["coverage_80_pct"]), num(&pooled["coverage_50_pct"])),
        ("100", "100")
    );
    readme.says(&format!(
        "The model's 80% band holds all {n} rows, and so does its 50% band (100%,"
    ));
    // σ by origin, and the root mean square under it.
    let own = |key: &str, dp: u32| -> Vec<String> {
        let mut v: Vec<String> = origins
            .iter()
            .map(|o| rounded(num(&o["own_error"][0][key]), dp))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    readme.says(&format!(
        "σ {}%: the root mean square of its log errors there ({}%)",
        own("sigma_pct", 1).join("–"),
        own("rms_pct", 1).join("–")
    ));
    // The anchor weight's swing between its bounds.
    let anchor = |o: &Value| -> String {
        let refit = o["refit"].as_array().unwrap();
        let set = refit
            .iter()
            .map(|r| r.as_str().unwrap())
            .find(|r| r.starts_with("parallel_market.anchor_weight="))
            .unwrap();
        rounded(&set["parallel_market.anchor_weight=".len()..], 2)
    };
    let weights: Vec<String> = origins.iter().map(anchor).collect();
    assert_eq!(weights, ["0.00", "0.00", "1.00", "1.00", "1.00"]);
    readme.says("The refitted anchor weight swings from 0 (March and April origins) to 1 (May to July)");
}

/// §6: August's band from the March origin, from the test observations
/// of `--train-until 2023-03` (the same fit as the rolling March origin).
#[test]
fn the_band_of_august_from_march_is_the_backtests() {
    let args = backtest(&["--train-until", "2023-03", "--format", "csv"]);
    let csv = ok(&args.iter().map(String::as_str).collect::<Vec<_>>()).stdout;
    let mut rows = csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}: {header:?}"))
    };
    let august = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| r.iter().any(|c| c == "2023-08-14"))
        .expect("the 14 August 2023 quote among the test rows");
    let (observed, model, p10, p90) = (
        &august[column("observed")],
        &august[column("model")],
        &august[column("model P10")],
        &august[column("model P90")],
    );
    readme().says(&format!(
        "the 80% band of August runs from {} to {} around a forecast of {}, and the quote ({}) is inside it",
        rounded(p10, 0),
        rounded(p90, 0),
        rounded(model, 0),
        rounded(observed, 0)
    ));
}

/// §6: from February, before any post-revaluation quote.
#[test]
fn the_february_origin_sentence_quotes_its_backtest() {
    let bt = backtest_json(&["--rolling", "2023-02:2023-02"]);
    let b = |name: &str| rounded(num(&benchmark(&bt["pooled_benchmarks"], name)["rmse_pct"]), 2);
    readme().says(
        &format!(
            "RMSE {}% against {}% for the premium held and {}% for the training mean. It still beats the random walk ({}%; Theil's U {})",
            rounded(num(&bt["pooled"]["rmse_pct"]), 2),
            b("premium held"),
            b("training mean"),
            b("random walk"),
            rounded(num(&bt["origins"][0]["theil_u"]), 2)
        ),
    );
}

/// §6: the forecast error, and the bands `mc` gives with and without it.
#[test]
fn the_forecast_error_sentences_quote_the_model_and_mc() {
    let readme = readme();
    let entry = &default_forecast_error();
    let sigma = entry["value"].as_float().unwrap();
    let source = entry["source"].as_str().unwrap();
    let n: u64 = source
        .split("n = ")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // "… for the 3 parameters fitted to 9 observations; …"
    let note = entry["note"].as_str().unwrap();
    let k: u64 = note
        .split("for the ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    readme.says(
        &format!(
            "`[forecast_error]` is σ {}%: the {} quotes against the fitted model, the mean square over the {} degrees of freedom the {} fitted parameters left",
            rounded(&format!("{}", sigma * 100.0), 2),
            word(n),
            word(n - k),
            word(k)
        ),
    );
    let band = |extra: &[&str]| -> (String, String) {
        let args = [
            &["mc", "--metric", "parallel_rate@2024-06", "--format", "json"],
            extra,
        ]
        .concat();
        let mc = json(&args);
        let m = &mc["metrics"]["parallel_rate@2024-06"];
        (rounded(num(&m["p10"]), 0), rounded(num(&m["p90"]), 0))
    };
    let (lo, hi) = band(&[]);
    readme.says(&format!(
        "An 80% band of about {lo} to {hi} IQD/$ for a June 2024 quote"
    ));
    let (lo, hi) = band(&["--no-forecast-error"]);
    readme.says(&format!("(`--no-forecast-error`) gives {lo} to {hi}."));
}

/// The shared rounding (common/prose.rs), which both files rest on.
#[test]
fn rounding_is_half_away_from_zero_with_thousands() {
    assert_eq!(rounded("1431.7987", 0), "1,432");
    assert_eq!(rounded("2.745", 2), "2.75");
    assert_eq!(rounded("0.5", 0), "1");
    assert_eq!(rounded("4.6473", 2), "4.65");
    assert_eq!(rounded("1234567.891", 1), "1,234,567.9");
    assert_eq!(rounded("-14.7997", 1), "-14.8");
    assert_eq!(rounded("-1234.5", 0), "-1,235");
    assert_eq!(rounded("-0.004", 2), "0.00");
    assert_eq!(rounded("7.8191", 1), "7.8");
}
