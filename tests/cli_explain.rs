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
        "= 31 days − 8 weekend days (Fri, Sat) = 23",
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
    // The mean is negative (-1.8207), so the month shown is the one
    // furthest below zero in `run`: June 2023 at -2.6040, not January
    // 2023, the one month up (+1.2931).
    let run = ok(&["run", "models/iraq-2023.toml", "--format", "csv"]);
    let months: Vec<(String, rust_decimal::Decimal)> = run
        .stdout
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1] == "cpi_impact_pct" && f[0] != "total")
                .then(|| (f[0].to_string(), f[2].parse::<rust_decimal::Decimal>().unwrap()))
        })
        .collect();
    let lowest = months.iter().min_by_key(|(_, v)| *v).unwrap();
    assert_eq!(lowest.0, "2023-06");
    assert!(
        t.contains("The chain for 2023-06, the month furthest below zero, as the mean is negative:"),
        "{t}"
    );
    // A positive mean shows its largest month: the parallel rate peaks in
    // January 2023 (1,631.7151).
    let o = ok(&["explain", "models/iraq-2023.toml", "parallel_rate"]);
    let peak = run
        .stdout
        .lines()
        .filter_map(|l| l.split_once(",parallel_rate,"))
        .filter(|(m, _)| *m != "total")
        .max_by_key(|(_, v)| v.parse::<rust_decimal::Decimal>().unwrap())
        .unwrap();
    assert_eq!(peak, ("2023-01", "1631.7083"));
    assert!(
        o.stdout.contains("The chain for 2023-01, the largest month:"),
        "{}",
        o.stdout
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
    // The argument is named, with the timeline's months and, for a later
    // month, the flag that reaches it; with that flag the month explains.
    let o = dinarflow(&["explain", "fixtures/small.toml", "parallel_rate@2023-05"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: explain parallel_rate@2023-05: 2023-05 is outside the timeline (2023-01 to 2023-02); \
         --horizon 2023-05 runs the model on to that month\n"
    );
    let o = dinarflow(&[
        "explain",
        "fixtures/small.toml",
        "parallel_rate@2023-05",
        "--horizon",
        "2023-05",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.starts_with("parallel_rate@2023-05 = "), "{}", o.stdout);
    let o = dinarflow(&["explain", "fixtures/small.toml", "parallel_rate@2022-12"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: explain parallel_rate@2022-12: 2022-12 is outside the timeline (2023-01 to 2023-02)\n"
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
    // 1475 × (1310 / 1460)^0.323032 × (147386127.54 / 119421085.14)^(1/3)
    // = 1527.71274401…, shown to six places; exp(0.490904 × ln
    // 1466.8324 + 0.509096 × ln 1527.712744) = 1497.516941, 1497.5169
    // after round4. CSV keeps the step's P* whole (Python's pow gives
    // 1527.7127440114566, the engine's 1527.712744019749: they part at
    // the 11th significant digit, far below the rate's four places).
    let o = ok(&["explain", "models/iraq-2023.toml", "parallel_rate@2023-07"]);
    for line in [
        "= 1,475 × (1,310 / 1,460)^0.323032 × (147,386,127.54 / 119,421,085.14)^(1 / (2.0 + 1.0)) ≈ 1,527.712744",
        "= max(round4(exp(0.490904 × ln(1,466.8324) + (1 − 0.490904) × ln(1,527.712744))), 1,310) = 1,497.5169   <- parallel_rate@2023-07",
    ] {
        assert!(o.stdout.contains(line), "missing {line:?} in\n{}", o.stdout);
    }
    assert!(!o.stdout.contains(") = 0\n"), "{}", o.stdout);
    let csv = ok(&[
        "explain",
        "models/iraq-2023.toml",
        "parallel_rate@2023-07",
        "--format",
        "csv",
    ]);
    assert!(csv.stdout.contains("\n7,value,P*,1527.7127440"), "{}", csv.stdout);
}

#[test]
fn one_argument_is_the_metric_on_the_built_in_model() {
    // The default model's August 2023 wires rejected, 1,389,416,844.07, as
    // `run` and the independent reference implementation give them.
    let file = "models/iraq-2023.toml";
    let built_in = ok(&["explain", "wires_rejected_usd@2023-08"]);
    assert!(built_in
        .stdout
        .starts_with("wires_rejected_usd@2023-08 = 1,389,416,844.07 USD\n"));
    assert_eq!(run_value(file, "2023-08", "wires_rejected_usd"), "1389416844.07");
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

/// Whether `formula` names `symbol` as a whole word (`official_rate` in
/// `(official_rate / anchor_official)`, not in
/// `auction.official_rate_iqd_per_usd`).
fn names(formula: &str, symbol: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    formula.match_indices(symbol).any(|(i, _)| {
        let before = formula[..i].chars().next_back();
        let after = formula[i + symbol.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[test]
fn every_parameter_a_formula_names_is_in_its_steps_table() {
    // The symbols docs/model.md §5's formulas use, with their paths.
    let symbols = [
        ("volume_bpd", "exports.volume_bpd"),
        ("cash_usd_per_month", "airlift.cash_usd_per_month"),
        ("plane_capacity_usd", "airlift.plane_capacity_usd"),
        ("insurance_rate", "airlift.insurance_rate"),
        ("requests_usd_per_day", "auction.requests_usd_per_day"),
        ("cash_share", "auction.cash_share"),
        ("official_rate", "auction.official_rate_iqd_per_usd"),
        ("baseline_rate", "parallel_market.baseline_rate_iqd_per_usd"),
        (
            "baseline_turnover",
            "parallel_market.baseline_turnover_usd_per_day",
        ),
        ("baseline_unmet", "parallel_market.baseline_unmet_usd_per_day"),
        ("spillover_share", "parallel_market.spillover_share"),
        ("street_demand", "parallel_market.street_demand_usd_per_day"),
        ("cash_resale_share", "parallel_market.cash_resale_share"),
        ("demand_elasticity", "parallel_market.demand_elasticity"),
        ("supply_elasticity", "parallel_market.supply_elasticity"),
        ("anchor_weight", "parallel_market.anchor_weight"),
        (
            "anchor_official",
            "parallel_market.anchor_official_rate_iqd_per_usd",
        ),
        ("persistence", "parallel_market.persistence"),
        (
            "opening_parallel_rate",
            "parallel_market.opening_parallel_rate_iqd_per_usd",
        ),
        ("reference_rate", "prices.reference_rate_iqd_per_usd"),
        ("lag_weight", "prices.lag_weights"),
        ("underlying_inflation_pct", "prices.underlying_inflation_pct"),
    ];
    let cases: [&[&str]; 5] = [
        // The first month (persistence from the opening rate) and one after
        // the revaluation, of the anchored, persistent, lagged model.
        &["models/iraq-2023.toml", "cpi_yoy_pct@2022-11"],
        &["models/iraq-2023.toml", "cpi_yoy_pct@2024-12"],
        // Street demand in the effective rate's volume too.
        &[
            "models/iraq-2023.toml",
            "cpi_yoy_pct@2023-07",
            "--set",
            "parallel_market.street_demand_usd_per_day=1000000",
        ],
        // A v1 model: none of v2's parameters.
        &["fixtures/small.toml", "cpi_impact_pct@2023-01"],
        &["fixtures/small.toml", "cpi_impact_pct@2023-02"],
    ];
    for args in cases {
        let o = ok(&[&["explain"], args, &["--format", "json"]].concat());
        let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        let steps = v["steps"].as_array().unwrap();
        assert_eq!(steps.len(), 9, "{args:?}");
        for s in steps {
            let listed: Vec<&str> = s["assumptions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["path"].as_str().unwrap())
                .collect();
            for l in s["values"].as_array().unwrap() {
                let formula = l["formula"].as_str().unwrap();
                for (symbol, path) in symbols {
                    if names(formula, symbol) {
                        assert!(
                            listed.contains(&path),
                            "{args:?} step {}: {formula} names {symbol}, but {path} is not in {listed:?}",
                            s["step"]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_parallel_market_lists_every_v2_parameter_it_uses() {
    // January 2023 of models/iraq-2023.toml: the values written in the
    // file (anchor 0.323032 at 1,460, persistence 0.490904, no street
    // demand, half the banknotes resold) and the official rate of 1,460.
    let o = ok(&["explain", "models/iraq-2023.toml", "parallel_rate@2023-01"]);
    let step7 = o
        .stdout
        .split("Step 7.")
        .nth(1)
        .unwrap()
        .split("Step 8.")
        .next()
        .unwrap();
    for (path, value) in [
        ("auction.official_rate_iqd_per_usd", "1,460 IQD/USD"),
        ("parallel_market.anchor_weight", "0.323032 share"),
        (
            "parallel_market.anchor_official_rate_iqd_per_usd",
            "1,460 IQD/USD",
        ),
        ("parallel_market.persistence", "0.490904 share"),
        ("parallel_market.street_demand_usd_per_day", "0 USD/day"),
        ("parallel_market.cash_resale_share", "0.5 share"),
    ] {
        let row = step7
            .lines()
            .find(|l| l.starts_with(&format!(" {path} ")))
            .unwrap_or_else(|| panic!("no {path} in\n{step7}"));
        assert!(row.contains(value), "{row}");
        assert!(row.contains("models/iraq-2023.toml:"), "{row}");
    }
    // Not the first month: last month's rate is December 2022's.
    assert!(!step7.contains("opening_parallel_rate"), "{step7}");
    assert!(step7.contains("ln(1,587.4826)"), "{step7}");
    // The first month persists from the opening rate, 1,475, and says so.
    let o = ok(&["explain", "models/iraq-2023.toml", "parallel_rate@2022-11"]);
    let step7 = o.stdout.split("Step 7.").nth(1).unwrap();
    assert!(
        step7.contains("persistence × ln(opening_parallel_rate)"),
        "{step7}"
    );
    assert!(step7.contains("ln(1,475)"), "{step7}");
    let row = step7
        .lines()
        .find(|l| l.starts_with(" parallel_market.opening_parallel_rate_iqd_per_usd "))
        .unwrap_or_else(|| panic!("{step7}"));
    assert!(row.contains("1,475 IQD/USD"), "{row}");
    // Without anchor_official_rate_iqd_per_usd in the file the anchor is
    // the first month's official rate, 1,460 (docs/model.md v2).
    let text = std::fs::read_to_string("models/iraq-2023.toml").unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("anchor_official_rate_iqd_per_usd"))
        .map(|l| format!("{l}\n"))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-anchor-rate.toml");
    std::fs::write(&file, without).unwrap();
    let o = ok(&["explain", file.to_str().unwrap(), "parallel_rate@2023-03"]);
    let row = o
        .stdout
        .lines()
        .find(|l| l.starts_with(" parallel_market.anchor_official_rate_iqd_per_usd "))
        .unwrap_or_else(|| panic!("{}", o.stdout));
    assert!(
        row.contains("default: the official rate of the first month"),
        "{row}"
    );
    assert!(row.contains("1,460 IQD/USD"), "{row}");
}

#[test]
fn the_lagged_move_and_year_on_year_show_every_term() {
    // December 2024 of models/iraq-2023.toml, lag weights [0.5, 0.3, 0.2]
    // and the effective rates of `run`: 1,348.0607 (Dec), 1,347.9432
    // (Nov), 1,347.7040 (Oct), all against 1,460. Worked in Python
    // (fractions):
    // de = 0.5 × (1348.0607/1460 − 1) + 0.3 × (1347.9432/1460 − 1)
    //    + 0.2 × (1347.7040/1460 − 1) = −0.0767437602…
    // The basket's exposure Σ weight × import content × pass-through =
    // 0.30·0.60·0.876623 + 0.25·0.10·0.50 + 0.15·0.40·0.50 + 0.07·0.80·0.60
    // + 0.06·0.85·0.60 + 0.04·0.70·0.50 + 0.05·0.50·0.50 + 0.08·0.30·0.50
    // = 0.30299214, so I = −0.0232527561…; twelve months back (2023-12,
    // effective rates 1,354.0467, 1,353.8637 and 1,353.4913) I =
    // −0.0220228135…; and
    // 100 × (1.06189389 × (1 − 0.02325276) / (1 − 0.02202281) − 1)
    // = 6.05584104…, 6.0558 after round4.
    let model = "models/iraq-2023.toml";
    for (month, rate) in [
        ("2024-12", "1348.0607"),
        ("2024-11", "1347.9432"),
        ("2024-10", "1347.7040"),
    ] {
        assert_eq!(run_value(model, month, "effective_rate"), rate);
    }
    let o = ok(&["explain", model, "cpi_yoy_pct@2024-12"]);
    let step9 = o.stdout.split("Step 9.").nth(1).unwrap();
    for line in [
        "= 0.5 × (1,348.0607 / 1,460 − 1) + 0.3 × (1,347.9432 / 1,460 − 1) + 0.2 × (1,347.7040 / 1,460 − 1) = -0.07674376",
        "= 0.30299214 × -0.07674376 = -0.02325276",
        "= -0.02202281",
        "= round4(100 × ((1 + 6.189389 / 100) × (1 + -0.02325276) / (1 + -0.02202281) − 1)) = 6.0558   <- cpi_yoy_pct@2024-12",
    ] {
        assert!(step9.contains(line), "missing {line:?} in\n{step9}");
    }
    assert!(step9.contains("I of 2023-12, twelve months back"), "{step9}");
    for (path, value) in [
        ("prices.lag_weights", "[0.5, 0.3, 0.2] shares"),
        ("prices.underlying_inflation_pct", "6.189389"),
    ] {
        let row = step9
            .lines()
            .find(|l| l.starts_with(&format!(" {path} ")))
            .unwrap_or_else(|| panic!("no {path} in\n{step9}"));
        assert!(row.contains(value), "{row}");
        assert!(row.contains("models/iraq-2023.toml:"), "{row}");
    }
    // In the first month the two earlier lags fall before the timeline,
    // where the move is 0; twelve months back is before it too.
    let o = ok(&["explain", model, "cpi_yoy_pct@2022-11"]);
    assert!(o.stdout.contains(" + 0.3 × 0 + 0.2 × 0 = "), "{}", o.stdout);
    // CSV and JSON carry the lag weights as a list.
    let o = ok(&["explain", model, "cpi_yoy_pct@2024-12", "--format", "csv"]);
    assert!(
        o.stdout
            .contains("\n9,assumption,prices.lag_weights,0.5 0.3 0.2,"),
        "{}",
        o.stdout
    );
    let o = ok(&["explain", model, "cpi_yoy_pct@2024-12", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let lags = v["steps"][8]["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["path"] == "prices.lag_weights")
        .unwrap();
    assert_eq!(lags["value"], serde_json::json!(["0.5", "0.3", "0.2"]));
}

#[test]
fn values_worked_out_beside_the_steps_are_shown_for_people() {
    // December 2024: 1,399,868,546.07 unmet over 22 sessions is
    // 63,630,388.4577…, shown to the cent; D = 119,421,085.14 + 0.8 ×
    // (63,630,388.4577… − 9,500,000) − 0.5 × 13,725,447.8109… =
    // 155,862,672.0007…; spillover 0.8 × 1,399,868,546.07 =
    // 1,119,894,836.856, to the cent 1,119,894,836.86.
    let o = ok(&["explain", "models/iraq-2023.toml", "cpi_yoy_pct@2024-12"]);
    let t = &o.stdout;
    for line in [
        "= 1,399,868,546.07 / 22 ≈ 63,630,388.46",
        "= 301,959,851.84 / 22 ≈ 13,725,447.81",
        "= 119,421,085.14 + 0.8 × (63,630,388.46 − 9,500,000) + 0 − 0.5 × 13,725,447.81 ≈ 155,862,672.00",
        "= 0.8 × 1,399,868,546.07 ≈ 1,119,894,836.86",
    ] {
        assert!(t.contains(line), "missing {line:?} in\n{t}");
    }
    // No number anywhere with more than 8 decimal places.
    for word in t.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')) {
        if let Some((_, places)) = word.trim_end_matches(['.', ',']).split_once('.') {
            assert!(places.len() <= 8, "{word} in\n{t}");
        }
    }
    // The exact values stay in CSV.
    let csv = ok(&[
        "explain",
        "models/iraq-2023.toml",
        "cpi_yoy_pct@2024-12",
        "--format",
        "csv",
    ]);
    assert!(
        csv.stdout.contains("\n7,value,u,63630388.457727272727272727273,"),
        "{}",
        csv.stdout
    );
    // A mean of money (round4) is shown to the cent: China's 26 monthly
    // revenues sum to 67,152,584,109.28 (`run`'s total); / 26 =
    // 2,582,791,696.51077 → round4 2,582,791,696.5108, shown ≈ …696.51.
    assert_eq!(
        run_value("models/iraq-2023.toml", "total", "revenue_usd[China]"),
        "67152584109.28"
    );
    let o = ok(&["explain", "models/iraq-2023.toml", "revenue_usd[China]:mean"]);
    assert!(
        o.stdout
            .starts_with("revenue_usd[China]:mean ≈ 2,582,791,696.51 USD\n"),
        "{}",
        o.stdout
    );
    let o = ok(&[
        "explain",
        "models/iraq-2023.toml",
        "revenue_usd[China]:mean",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["value"], "2582791696.5108");
}
