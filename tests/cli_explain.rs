//! `dinarflow explain`: the chain of steps behind a number, with the hand-
//! checked intermediate values of the small model, FILE:LINE of every
//! assumption, the change in force, summaries, formats and errors.

use crate::common::{dinarflow, ok};

/// `FILE:LINE` of the first line of `file` containing `needle`.
fn line_of(file: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let n = text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    format!("{file}:{n}")
}

fn run_value(model: &str, month: &str, metric: &str) -> String {
    let o = ok(&["run", model, "--format", "csv"]);
    o.stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{month},{metric},")))
        .unwrap()
        .to_string()
}

#[test]
fn the_parallel_rate_in_january_step_by_step() {
    let o = ok(&["explain", "fixtures/small.toml", "parallel_rate@2023-01"]);
    let t = &o.stdout;
    assert!(
        t.starts_with("parallel_rate@2023-01 = 1,745.3251 IQD/USD\nSmall hand-checked model\n"),
        "{t}"
    );
    // Steps 1 to 7, each with the numbers worked out by hand in tests/golden.rs.
    for step in 1..=7 {
        assert!(t.contains(&format!("\nStep {step}. ")), "step {step}: {t}");
    }
    assert!(!t.contains("Step 8."));
    for line in [
        "= round2(1,000 × 31 × 0.3 × (80 + 0)) = 744,000.00",
        "= 744,000.00 + 1,736,000.00 = 2,480,000.00",
        "= round2(0.05 × 2,480,000.00) = 124,000.00",
        "= 1,000,000 + 2,356,000.00 = 3,356,000.00",
        "= ceil(1,200,000 / 500,000) = 3",
        "= 3 × (1,000 + 500) + round2(0.001 × 1,200,000) = 4,500 + 1,200.00 = 5,700.00",
        "= 31 days − 8 weekend days and holidays = 23",
        "= round2(0.8 × 1,840,000.00) = 1,472,000.00",
        "= 1,472,000.00 / 23 = 64,000",
        "= 50,000 + 0.5 × (64,000",
        "= max(round4(1,480 × (82,000",
        ") = 1,745.3251   <- parallel_rate@2023-01",
    ] {
        assert!(t.contains(line), "missing {line:?} in\n{t}");
    }
    // Every assumption with the line it is written on.
    for (path, needle) in [
        (
            "parallel_market.baseline_rate_iqd_per_usd",
            "baseline_rate_iqd_per_usd = 1480",
        ),
        ("auction.rejection_rate", "rejection_rate = 0.8"),
        ("exports.price_usd_per_bbl", "price_usd_per_bbl"),
        ("custody.opening_balance_usd", "opening_balance_usd"),
    ] {
        let row = t
            .lines()
            .find(|l| l.starts_with(&format!(" {path} ")))
            .unwrap_or_else(|| panic!("{path}"));
        assert!(row.contains(&line_of("fixtures/small.toml", needle)), "{row}");
        assert!(row.contains("base value"), "{row}");
    }
    let row = t
        .lines()
        .find(|l| l.contains("baseline_unmet_usd_per_day"))
        .unwrap();
    assert!(row.contains("default (not in the file)"), "{row}");
}

#[test]
fn the_change_in_force_is_named() {
    let o = ok(&["explain", "fixtures/small.toml", "premium_pct@2023-02"]);
    let t = &o.stdout;
    let row = t
        .lines()
        .find(|l| l.starts_with(" auction.official_rate_iqd_per_usd "))
        .unwrap();
    assert!(
        row.contains(&line_of(
            "fixtures/small.toml",
            "\"auction.official_rate_iqd_per_usd\" = 1310"
        )),
        "{row}"
    );
    assert!(
        row.contains("[[changes]] from 2023-02: revaluation and easier screening"),
        "{row}"
    );
    assert!(row.contains("1,310 IQD/USD"), "{row}");
    // February opens with January's closing custody.
    assert!(t.contains("custody at the end of last month + net"), "{t}");
    assert!(t.contains("= 1,282,300.00 + 2,128,000.00"), "{t}");
    let value = run_value("fixtures/small.toml", "2023-02", "premium_pct");
    assert!(t.starts_with(&format!("premium_pct@2023-02 = {value} %")), "{t}");
}

#[test]
fn a_summary_says_how_the_months_aggregate() {
    let o = ok(&["explain", "models/iraq-2023.toml", "cpi_impact_pct"]);
    let t = &o.stdout;
    assert!(
        t.contains("cpi_impact_pct is the mean of the 26 monthly values, rounded to 4 places (round4):"),
        "{t}"
    );
    let total = run_value("models/iraq-2023.toml", "total", "cpi_impact_pct");
    assert!(t.starts_with(&format!("cpi_impact_pct = {total} %")), "{t}");
    // The peak month is the one with the largest monthly value in `run`.
    let run = ok(&["run", "models/iraq-2023.toml", "--format", "csv"]);
    let (peak, _) = run
        .stdout
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1] == "cpi_impact_pct" && f[0] != "total")
                .then(|| (f[0].to_string(), f[2].parse::<rust_decimal::Decimal>().unwrap()))
        })
        .fold(
            (String::new(), None),
            |(bm, bv): (String, Option<rust_decimal::Decimal>), (m, v)| {
                if bv.is_none_or(|b| v > b) {
                    (m, Some(v))
                } else {
                    (bm, bv)
                }
            },
        );
    assert!(
        t.contains(&format!("The chain for {peak}, the largest month:")),
        "{t}"
    );
    assert!(t.contains("Step 9. Prices"), "{t}");
    let o = ok(&["explain", "models/iraq-2023.toml", "custody_balance_usd"]);
    assert!(o
        .stdout
        .contains("custody_balance_usd is the value in the last month:"));
    assert!(o.stdout.contains("The chain for 2024-12, the last month:"));
    let o = ok(&["explain", "models/iraq-2023.toml", "premium_pct:min"]);
    assert!(o
        .stdout
        .contains("premium_pct:min is the smallest of the 26 monthly values:"));
}

#[test]
fn csv_json_markdown_and_set() {
    let o = ok(&[
        "explain",
        "fixtures/small.toml",
        "revenue_usd[China]@2023-02",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "step,kind,name,value,detail");
    // February: 1,000 × 28 × 0.3 × 80 = 672,000.00.
    assert_eq!(
        lines[1],
        "1,value,gross[China],672000.00,\"round2(volume_bpd × days × share × (price + offset)) = round2(1,000 × 28 × 0.3 × (80 + 0))\""
    );
    assert!(o.stdout.contains(&format!(
        "1,assumption,exports.volume_bpd,1000,{}",
        line_of("fixtures/small.toml", "volume_bpd")
    )));
    let o = ok(&[
        "explain",
        "fixtures/small.toml",
        "effective_rate@2023-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["value"], "1594.2706");
    assert_eq!(v["month"], "2023-01");
    assert_eq!(v["steps"].as_array().unwrap().len(), 8);
    let eff = &v["steps"][7]["values"][2];
    assert_eq!(eff["metric"], "effective_rate");
    assert_eq!(eff["value"], "1594.2706");
    let o = ok(&["explain", "fixtures/small.toml", "flights", "--format", "md"]);
    assert!(o.stdout.starts_with("# flights = 6 flights\n"), "{}", o.stdout);
    assert!(o.stdout.contains("## Step 4. Airlift"));
    assert!(o.stdout.contains("```text"));
    let o = ok(&[
        "explain",
        "fixtures/small.toml",
        "parallel_rate@2023-01",
        "--set",
        "parallel_market.spillover_share=1",
    ]);
    let row = o
        .stdout
        .lines()
        .find(|l| l.starts_with(" parallel_market.spillover_share "))
        .unwrap();
    assert!(row.contains("--set"), "{row}");
    // D = 50,000 + 64,000: 1480 × 2.28^(1/3) = 1947.9299.
    assert!(
        o.stdout.starts_with("parallel_rate@2023-01 = 1,947.9299"),
        "{}",
        o.stdout
    );
}

#[test]
fn errors() {
    let o = dinarflow(&["explain", "fixtures/small.toml", "parallel_rat@2023-01"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("unknown metric `parallel_rat`; did you mean parallel_rate?"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&["explain", "fixtures/small.toml", "parallel_rate@2023-05"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("2023-05 is outside the timeline (2023-01 to 2023-02)"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&["explain", "fixtures/small.toml", "parallel_rate:median"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown aggregate `median`"), "{}", o.stderr);
}

#[test]
fn the_market_clearing_rate_shows_the_step_s_own_value() {
    // Every month of the default model (anchored, persistent) shows P*
    // as the step computed it, never 0.
    let run = ok(&["run", "models/iraq-2023.toml", "--format", "csv"]);
    let months: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split_once(",parallel_rate,").map(|x| x.0))
        .filter(|m| *m != "total")
        .collect();
    assert_eq!(months.len(), 26);
    for m in months {
        let o = ok(&[
            "explain",
            "models/iraq-2023.toml",
            &format!("parallel_rate@{m}"),
            "--format",
            "csv",
        ]);
        let target = o
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("7,value,P*,"))
            .unwrap_or_else(|| panic!("{m}: no P* in {}", o.stdout));
        let v: f64 = target.split(',').next().unwrap().parse().unwrap();
        assert!(v > 1000.0, "{m}: P* = {v}");
    }
    // July 2023, worked in Python from the line's own numbers:
    // 1475 × (1310 / 1460)^0.363911 × (148672655.44 / 118926396.84)^(1/3)
    // = 1527.4821194255935, and exp(0.494063 × ln 1467.5187 + 0.505937 ×
    // ln 1527.4821194255935) = 1497.5563 after round4.
    let o = ok(&["explain", "models/iraq-2023.toml", "parallel_rate@2023-07"]);
    for line in [
        "= 1,475 × (1,310 / 1,460)^0.363911 × (148,672,655.440 / 118,926,396.84)^(1 / (2.0 + 1.0)) = 1,527.4821194255935",
        "= max(round4(exp(0.494063 × ln(1,467.5187) + (1 − 0.494063) × ln(1,527.4821194255935))), 1,310) = 1,497.5563   <- parallel_rate@2023-07",
    ] {
        assert!(o.stdout.contains(line), "missing {line:?} in\n{}", o.stdout);
    }
    assert!(!o.stdout.contains(") = 0\n"), "{}", o.stdout);
}

#[test]
fn one_argument_is_the_metric_on_the_built_in_model() {
    // The default model's August 2023 wires rejected: the barred banks'
    // 413,001,340.00 and the other banks' 1,027,880,626.00, as `run` (and
    // the independent reference implementation) give them.
    let file = "models/iraq-2023.toml";
    let built_in = ok(&["explain", "wires_rejected_usd@2023-08"]);
    assert!(built_in
        .stdout
        .starts_with("wires_rejected_usd@2023-08 = 1,440,881,966.00 USD\n"));
    assert_eq!(run_value(file, "2023-08", "wires_rejected_usd"), "1440881966.00");
    // The same explanation as on the file (JSON: a table's column widths
    // follow the file's name).
    let json = |args: &[&str]| ok(&[args, &["--format", "json"]].concat()).stdout;
    assert_eq!(
        json(&["explain", "wires_rejected_usd@2023-08"]).replace("iraq-2023.toml (built in)", file),
        json(&["explain", file, "wires_rejected_usd@2023-08"])
    );
    // A model file and no metric is a refusal that says so, not an
    // unknown metric named like a file.
    let o = dinarflow(&["explain", "fixtures/small.toml"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (
            2,
            "",
            "error: explain fixtures/small.toml: a model file, and no METRIC to explain; \
             e.g. dinarflow explain fixtures/small.toml parallel_rate\n"
        )
    );
    let o = dinarflow(&["explain"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("<METRIC>"), "{}", o.stderr);
}
