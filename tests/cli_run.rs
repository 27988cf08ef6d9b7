//! `dinarflow run`: every format, --set, --out and exit codes.

use crate::common::{dinarflow, ok, on_terminal};

#[test]
fn csv_is_tidy_long_rows_in_table_order() {
    let o = ok(&["run", "fixtures/small.toml", "--format", "csv"]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "month,metric,value");
    assert_eq!(lines[1], "2023-01,gross_revenue_usd,2480000.00");
    // 25 table metrics (docs/model.md v2) + 2 buyers + 1 deduction + 1 payment
    // + 2 items = 31 per month; 2 months and the totals: 3 × 31 rows.
    assert_eq!(lines.len(), 1 + 3 * 31);
    assert!(lines.contains(&"2023-01,parallel_rate,1745.3251"));
    // v2's metrics: January 2023 has 31 days less 4 Fridays and 4
    // Saturdays = 23 sessions; sales = 460,000.00 cash + 368,000.00 wires;
    // no underlying inflation and no impact a year before, so the
    // year-on-year CPI is the impact itself.
    assert!(lines.contains(&"2023-01,sessions,23"));
    assert!(lines.contains(&"2023-01,sales_usd,828000.00"));
    assert!(lines.contains(&"2023-01,cpi_yoy_pct,1.5217"));
    assert_eq!(lines[9], "2023-01,sessions,23");
    assert!(lines.contains(&"total,parallel_rate,1700.4924"));
    assert!(lines.contains(&"total,price_impact_pct[Food],0.5172"));
    assert_eq!(lines.last(), Some(&"total,price_impact_pct[Other],0.1724"));
}

#[test]
fn json_holds_decimal_strings() {
    let o = ok(&["run", "fixtures/small.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["model"]["name"], "Small hand-checked model");
    assert_eq!(v["months"][0]["month"], "2023-01");
    assert_eq!(v["months"][0]["metrics"]["parallel_rate"], "1745.3251");
    assert_eq!(v["months"][1]["metrics"]["cpi_impact_pct"], "-0.9010");
    assert_eq!(v["summary"]["flights"], "6");
    assert_eq!(v["summary"]["revenue_usd[China]"], "1416000.00");
}

#[test]
fn table_and_markdown_show_separators() {
    let o = ok(&["run", "fixtures/small.toml"]);
    let row = o
        .stdout
        .lines()
        .find(|l| l.contains("dinars_absorbed_iqd"))
        .unwrap();
    assert!(
        row.contains("1,208,880,000.00") && row.contains("2,780,880,000.00"),
        "{row}"
    );
    let o = ok(&["run", "fixtures/small.toml", "--format", "md"]);
    assert!(o.stdout.starts_with("## Small hand-checked model\n\n| metric"));
    assert!(o.stdout.contains("| parallel_rate "));
}

#[test]
fn set_replaces_the_parameter_for_the_whole_timeline() {
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate=0.5",
        "--format",
        "csv",
    ]);
    // January with half of 1,840,000 rejected: u = 920,000 / 23 = 40,000,
    // D = 70,000: 1,480 × 1.4^(1/3) = 1,655.6596 (as in February).
    assert!(o.stdout.contains("2023-01,parallel_rate,1655.6596\n"));
    assert!(o.stdout.contains("2023-01,wires_rejected_usd,920000.00\n"));
    assert_eq!(
        o.stderr,
        "note: --set auction.rejection_rate=0.5 holds for the whole timeline; it replaces the [[changes]] from 2023-02\n"
    );
}

#[test]
fn bad_set_is_a_usage_error() {
    let o = dinarflow(&["run", "fixtures/small.toml", "--set", "auction.rejection_rte=0.5"]);
    assert_eq!(o.code, 2);
    assert!(o.stdout.is_empty());
    assert_eq!(
        o.stderr,
        "error: --set auction.rejection_rte=0.5: `auction.rejection_rte` names no numeric parameter of this model; did you mean auction.rejection_rate, auction.requests_usd_per_day?\n"
    );
    // The lag weights exist but are a list, which no path addresses
    // (docs/model.md); the message says so, not "did you mean a basket weight".
    for path in ["prices.lag_weights", "prices.lag_weights[1]"] {
        let o = dinarflow(&["run", "models/iraq-2023.toml", "--set", &format!("{path}=1")]);
        assert_eq!(o.code, 2);
        assert_eq!(
            o.stderr,
            format!("error: --set {path}=1: `{path}` cannot be changed by path: the lag weights are a list of shares (here [0.5, 0.3, 0.2]); edit `lag_weights` in the model file's [prices] section\n")
        );
    }
    let o = dinarflow(&["run", "fixtures/small.toml", "--set", "auction.rejection_rate=80"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("80 is out of range (allowed: 0 to 1)"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "exports.buyers[China].share=0.5",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("add up to 1.2"), "{}", o.stderr);
    let o = dinarflow(&["run", "fixtures/small.toml", "--set", "auction.rejection_rate"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("expected PATH=VALUE"));
}

#[test]
fn out_writes_the_file_atomically_and_only_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("small.csv");
    let out_s = out.to_str().unwrap();
    let o = ok(&["run", "fixtures/small.toml", "--format", "csv", "--out", out_s]);
    assert!(o.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string("fixtures/reference/small.csv").unwrap()
    );
    // A failing run leaves the existing file as it was and no temporary files.
    let o = dinarflow(&["run", "fixtures/small.toml", "--set", "nope=1", "--out", out_s]);
    assert_eq!(o.code, 2);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        std::fs::read_to_string("fixtures/reference/small.csv").unwrap()
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    // An unwritable destination is a runtime failure with a clear message.
    let o = dinarflow(&["run", "fixtures/small.toml", "--out", "/nonexistent-dir/x.csv"]);
    assert_eq!(o.code, 1);
    assert_eq!(
        o.stderr,
        "error: cannot write /nonexistent-dir/x.csv: the directory /nonexistent-dir does not exist\n"
    );
}

#[test]
fn out_never_overwrites_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.toml");
    std::fs::copy("fixtures/small.toml", &model).unwrap();
    let m = model.to_str().unwrap();
    let o = dinarflow(&["run", m, "--out", m]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("is the model file being read"));
    assert_eq!(
        std::fs::read_to_string(&model).unwrap(),
        std::fs::read_to_string("fixtures/small.toml").unwrap()
    );
}

#[test]
fn exit_codes_for_usage_and_missing_files() {
    assert_eq!(dinarflow(&["run", "a.toml", "b.toml"]).code, 2);
    assert_eq!(dinarflow(&["frobnicate"]).code, 2);
    assert_eq!(
        dinarflow(&["run", "fixtures/small.toml", "--format", "xml"]).code,
        2
    );
    let o = dinarflow(&["run", "no-such-model.toml"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (2, "error: no-such-model.toml: no such file\n")
    );
    let o = ok(&["--help"]);
    assert!(o.stdout.contains("brief"));
}

/// Values on the command line get the hints values in a file get: a
/// percentage for a share, a decimal comma; sweep's values too.
#[test]
fn set_values_get_the_hints_file_values_get() {
    let m = "fixtures/small.toml";
    for (args, expected) in [
        (
            vec!["run", m, "--set", "auction.rejection_rate=80"],
            "error: --set auction.rejection_rate=80: auction.rejection_rate: 80 is out of range (allowed: 0 to 1); this looks like a percentage; shares are fractions: did you mean 0.8?\n",
        ),
        (
            vec!["run", m, "--set", "auction.rejection_rate=0,8"],
            "error: --set auction.rejection_rate=0,8: \"0,8\" is not a number; use a dot for the decimals: 0.8\n",
        ),
        (
            vec!["run", m, "--set", "auction.official_rate_iqd_per_usd=1.460,5"],
            "error: --set auction.official_rate_iqd_per_usd=1.460,5: \"1.460,5\" is not a number; use a dot for the decimals: 1460.5\n",
        ),
        (
            // A comma before three digits separates thousands: 1465, not 1.465.
            vec!["run", m, "--set", "auction.official_rate_iqd_per_usd=1,465"],
            "error: --set auction.official_rate_iqd_per_usd=1,465: \"1,465\" is not a number; write it without the thousands separator: 1465\n",
        ),
        (
            vec!["run", m, "--set", "auction.rejection_rate@2023-02=80"],
            "error: --set auction.rejection_rate@2023-02=80: auction.rejection_rate: 80 is out of range (allowed: 0 to 1); this looks like a percentage; shares are fractions: did you mean 0.8?\n",
        ),
        (
            vec!["run", m, "--set", "auction.rejection_rate=abc"],
            "error: --set auction.rejection_rate=abc: \"abc\" is not a number\n",
        ),
    ] {
        let o = dinarflow(&args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert_eq!(o.stderr, expected, "{args:?}");
    }
    let o = dinarflow(&["sweep", m, "--vary", "auction.rejection_rate=0.5,80"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.ends_with("80 is out of range (allowed: 0 to 1); this looks like a percentage; shares are fractions: did you mean 0.8?\n"),
        "{}",
        o.stderr
    );
}

/// 28-digit shares: each buyer's revenue is the exact product rounded
/// once. Here 1,001 bpd × 31 days × $81 × the China share is
/// 4089.1850000000000000000000000001 exactly; a product kept to 28 digits
/// lost the last 1, landed on the tie and moved a cent to the other buyer.
#[test]
fn twenty_eight_digit_shares_keep_every_cent_with_its_buyer() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("fixtures/small.toml")
        .unwrap()
        .replacen("volume_bpd = 1000\n", "volume_bpd = 1001\n", 1)
        .replacen(
            "price_usd_per_bbl = { value = 80,",
            "price_usd_per_bbl = { value = 81,",
            1,
        )
        .replacen("share = 0.3\n", "share = 0.0016268816806451215053365591\n", 1)
        .replacen("share = 0.7\n", "share = 0.9983731183193548784946634409\n", 1);
    let model = dir.path().join("tie.toml");
    std::fs::write(&model, text).unwrap();
    let model = model.to_str().unwrap();
    let o = ok(&["run", model, "--format", "csv"]);
    for row in [
        "2023-01,revenue_usd[China],4089.19",
        "2023-01,revenue_usd[Others],2509421.81",
        "2023-01,gross_revenue_usd,2513511.00",
    ] {
        assert!(o.stdout.lines().any(|l| l == row), "{row}:\n{}", o.stdout);
    }
    // The many-evaluation commands agree (their lanes decline such digits).
    let o = ok(&[
        "sweep",
        model,
        "--vary",
        "auction.cash_share=0.2,0.3",
        "--metric",
        "revenue_usd[China]@2023-01",
        "--format",
        "csv",
    ]);
    assert!(o.stdout.contains(",4089.19"), "{}", o.stdout);
}

#[test]
fn every_command_of_one_model_runs_the_built_in_model_without_one() {
    // Each command with MODEL omitted gives, to the byte, what it gives on
    // the shipped file the binary carries, but for the file's name (check
    // says where each value stands).
    let file = "models/iraq-2023.toml";
    let observed = "models/observed/iraq-parallel-2022-2023.csv";
    let commands: [&[&str]; 11] = [
        &["run"],
        &["check"],
        &["trace"],
        &["sweep", "--vary", "auction.rejection_rate=0.2,0.5"],
        &["tornado", "--metric", "parallel_rate"],
        &[
            "solve",
            "--vary",
            "auction.rejection_rate",
            "--target",
            "parallel_rate=1500",
        ],
        &["mc", "-n", "300", "-q"],
        &["sobol", "-n", "32", "-q"],
        &["morris", "-r", "4", "-q"],
        &[
            "fit",
            "--observed",
            observed,
            "--vary",
            "parallel_market.persistence=0:0.95",
        ],
        &[
            "backtest",
            "--observed",
            observed,
            "--train-until",
            "2023-05",
            "-n",
            "0",
        ],
    ];
    for args in commands {
        let (command, rest) = args.split_first().unwrap();
        let built_in = ok(&[&[*command][..], rest, &["--format", "csv"]].concat());
        let named = ok(&[&[*command, file][..], rest, &["--format", "csv"]].concat());
        assert_eq!(
            built_in.stdout.replace("iraq-2023.toml (built in)", file),
            named.stdout,
            "{command}"
        );
        assert!(!built_in.stdout.is_empty(), "{command}");
    }
    // The default model's wires rejected over Nov 2022–Dec 2024, as
    // the independent reference implementation computes them from the same
    // file (tests/reference.rs runs it where it is present).
    let run = ok(&["run", "--format", "csv"]);
    assert!(run.stdout.contains("total,wires_rejected_usd,31923976051.02\n"));
}

#[test]
fn a_fit_of_the_built_in_model_is_reproduced_by_run_without_a_file() {
    // The model's persistence, 0.490904, is its fit jointly with the
    // turnover and the anchor weight; fitted alone with those two held at
    // their estimates (rounded as --set takes them), it lands at 0.490942,
    // well within its standard error (0.27). The command to
    // reproduce it names no file, since `run` without one is this model.
    let o = ok(&[
        "fit",
        "--observed",
        "models/observed/iraq-parallel-2022-2023.csv",
        "--vary",
        "parallel_market.persistence=0:0.95",
    ]);
    assert!(
        o.stdout
            .ends_with("\n  dinarflow run --set 'parallel_market.persistence=0.490942'\n"),
        "{}",
        o.stdout
    );
}

#[test]
fn by_quarter_and_year_each_value_is_its_metric_s_summary_over_the_months() {
    use rust_decimal::Decimal;
    let monthly = ok(&["run", "--format", "csv"]).stdout;
    let of = |metric: &str, year: &str| -> Vec<Decimal> {
        monthly
            .lines()
            .filter(|l| l.starts_with(&format!("{year}-")))
            .filter_map(|l| l.split_once(',').map(|(_, r)| r))
            .filter_map(|r| r.strip_prefix(&format!("{metric},")))
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let o = ok(&["run", "--by", "year", "--format", "csv"]);
    let yearly = o.stdout;
    let value = |key: &str| -> String {
        yearly
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key},")))
            .unwrap_or_else(|| panic!("{key} in {yearly}"))
            .to_string()
    };
    assert!(yearly.starts_with("year,metric,value\n"), "{yearly}");
    // A flow is the sum of its months: 2023's sales, by hand from the 12
    // monthly values (43,347,187,930.62, 5.9% above the CBI's
    // $40,925,383,937).
    let sales: Decimal = of("sales_usd", "2023").iter().sum();
    assert_eq!(value("2023,sales_usd"), sales.to_string());
    assert_eq!(value("2023,sales_usd"), "43347187930.62");
    // A rate the mean of its months rounded to 4 places; a balance the last month's.
    let rates = of("parallel_rate", "2023");
    assert_eq!(rates.len(), 12);
    let mean = (rates.iter().sum::<Decimal>() / Decimal::from(12))
        .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointNearestEven);
    assert_eq!(value("2023,parallel_rate"), format!("{mean:.4}"));
    assert_eq!(
        value("2023,custody_balance_usd"),
        of("custody_balance_usd", "2023")[11].to_string()
    );
    // The total rows are run's own.
    let totals = |csv: &str| {
        csv.lines()
            .filter(|l| l.starts_with("total,"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(totals(&yearly), totals(&monthly));
    // 2022 is November and December only, and a note says so.
    assert_eq!(
        o.stderr,
        "note: --by year: 2022 holds 2022-11 to 2022-12 only, the part of it in the timeline\n"
    );
    // Quarters: 2023-Q1's parallel rate (1,631.7083 + 1,624.6432 +
    // 1,537.3496) / 3 = 1,597.90036…, 1,597.9004.
    let q = ok(&["run", "--by", "quarter", "--format", "csv"]).stdout;
    assert!(q.starts_with("quarter,metric,value\n"), "{q}");
    assert!(q.contains("\n2023-Q1,parallel_rate,1597.9004\n"), "{q}");
    // JSON names the groups; --by month is run as it is.
    let j: serde_json::Value =
        serde_json::from_str(&ok(&["run", "--by", "quarter", "--format", "json"]).stdout).unwrap();
    assert_eq!(j["quarters"][1]["quarter"], "2023-Q1");
    assert_eq!(j["quarters"][1]["metrics"]["parallel_rate"], "1597.9004");
    assert_eq!(ok(&["run", "--by", "month", "--format", "csv"]).stdout, monthly);
}

/// A `--set` that a later `--set` of the same path undoes entirely is
/// refused (the first would vanish without a trace); one that a later
/// `--set` covers in part says where it ends.
#[test]
fn a_set_undone_by_a_later_one_is_refused_and_a_covered_one_says_where_it_ends() {
    let o = dinarflow(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate=0.3",
        "--set",
        "auction.rejection_rate=0.4",
    ]);
    assert_eq!((o.code, o.stdout.as_str()), (2, ""));
    assert_eq!(
        o.stderr,
        "error: --set auction.rejection_rate=0.3 has no effect: the later --set auction.rejection_rate=0.4 sets every month it sets; keep one of them\n"
    );
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate=0.5",
        "--set",
        "auction.rejection_rate@2023-02=0.7",
        "--format",
        "csv",
    ]);
    // January at 0.5, as in set_replaces_the_parameter_for_the_whole_timeline.
    assert!(
        o.stdout.contains("2023-01,parallel_rate,1655.6596\n"),
        "{}",
        o.stdout
    );
    assert_eq!(
        o.stderr,
        "note: --set auction.rejection_rate=0.5 holds before 2023-02, when a later --set takes over (0.7); it replaces the [[changes]] from 2023-02\n\
         note: --set auction.rejection_rate@2023-02=0.7 holds from 2023-02 to the end of the timeline (2023-02)\n"
    );
}

/// `run` (like `trace`, `explain`, `diff`, `sweep` and `solve`) computes
/// on an implausible value as `check` and `brief` do, but not silently:
/// the same warning, with the line and caret, goes to stderr. An official
/// rate written in thousands (1.31 for 1,310) is the classic.
#[test]
fn run_warns_of_implausible_values_as_check_does() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w1.toml");
    let text = std::fs::read_to_string("fixtures/small.toml").unwrap().replace(
        "\"auction.official_rate_iqd_per_usd\" = 1310",
        "\"auction.official_rate_iqd_per_usd\" = 1.31",
    );
    std::fs::write(&path, text).unwrap();
    let file = path.to_str().unwrap();
    let check = dinarflow(&["check", file]).stderr;
    assert!(
        check.contains("1.31 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD"),
        "{check}"
    );
    for args in [
        vec!["run", file, "--format", "csv"],
        vec!["trace", file],
        vec!["explain", file, "parallel_rate"],
        vec!["sweep", file, "--vary", "auction.cash_share=0.1,0.2"],
    ] {
        let o = ok(&args);
        assert_eq!(o.stderr.matches("warning: ").count(), 2, "{args:?}: {}", o.stderr);
        assert!(
            check.contains(o.stderr.lines().next().unwrap()),
            "{args:?}: {}",
            o.stderr
        );
    }
}

/// On a terminal too narrow for the months, `run` shows them in blocks
/// that fit, the metric and unit repeated; written to a file (or to a pipe,
/// where no width is known) the table stays whole.
#[test]
fn a_terminal_too_narrow_for_the_months_gets_them_in_blocks() {
    let run = ["run", "fixtures/small.toml"];
    // The whole table: the labels 47 wide (the metric column 34 + 2, "|",
    // the unit column 8 + 2), then three columns of 16 + 2, each after a
    // "|": 47 + 3 × 19 = 104.
    let whole = dinarflow(&run).stdout;
    assert!(
        whole.lines().nth(1).unwrap().starts_with(" metric    "),
        "{whole}"
    );
    assert_eq!(whole.lines().map(str::len).max(), Some(104));
    assert_eq!(on_terminal(&run, 104), whole);
    // At 100, the two months fit (47 + 2 × 19 = 85) and the total goes
    // to a block of its own.
    let blocks = on_terminal(&run, 100);
    let headers: Vec<&str> = blocks.lines().filter(|l| l.starts_with(" metric ")).collect();
    assert_eq!(
        headers,
        [
            " metric                             | unit     | 2023-01          | 2023-02          ",
            " metric                             | unit     | total            ",
        ]
    );
    assert!(blocks.lines().all(|l| l.len() <= 100), "{blocks}");
    assert!(blocks.contains(
        "\n parallel_rate                      | IQD/USD  |       1,745.3251 |       1,655.6596 \n"
    ));
    assert!(blocks.contains("\n parallel_rate                      | IQD/USD  |       1,700.4924 \n"));
    // The same values as the whole table, block after block, a blank line
    // between: the whole table's rows, each cut in two, hold them all.
    // (The rule under the header has "+" where the rows have "|".)
    let lines: Vec<&str> = blocks.lines().collect();
    let rows = whole.lines().count() - 1;
    assert_eq!(lines[1 + rows], "");
    for (i, row) in whole.lines().skip(1).enumerate() {
        let bar = if row.starts_with('-') { '+' } else { '|' };
        let labels = &row[..row.match_indices(bar).nth(1).unwrap().0];
        let cut = row.rfind(bar).unwrap();
        assert_eq!(lines[1 + i], &row[..cut]);
        assert_eq!(lines[2 + rows + i], format!("{labels}{}", &row[cut..]));
    }
    // --out writes the whole table, whatever the terminal.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("run.txt");
    let args = ["run", "fixtures/small.toml", "--out", file.to_str().unwrap()];
    assert_eq!(on_terminal(&args, 60), "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), whole);
}

/// A run whose custody account runs dry says so on standard error, so a
/// parallel rate that leaps in the last months of a horizon is explained.
/// By hand, for the small model with debt service of $3,000,000 a month:
/// January 2023 opens with $1,000,000 and brings in 1,000 bbl × 31 days ×
/// $80 = $2,480,000 less the 5% deduction = $2,356,000; $3,356,000 is less
/// than the $3,000,000 of debt service and the $1,200,000 of cash flown,
/// so custody ends January at $0, having held dollars. With the model's
/// own $500,000, January ends with dollars, and so does February, and
/// nothing is said.
#[test]
fn a_custody_account_that_runs_dry_is_noted() {
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "custody.payments[Debt service].usd_per_month=3000000",
        "--format",
        "csv",
    ]);
    assert!(
        o.stdout.contains("2023-01,custody_balance_usd,0.00\n"),
        "{}",
        o.stdout
    );
    assert_eq!(
        o.stderr,
        "note: --set custody.payments[Debt service].usd_per_month=3000000 holds for the whole timeline\n\
         note: the custody account (the CBI's account at the New York Fed) ran dry in Jan 2023; from then it \
         pays out only what each month's revenue brings in, and the approved wires it cannot send go unmet \
         (unmet_usd) and raise the parallel rate\n"
    );
    let o = ok(&["run", "fixtures/small.toml", "--format", "csv"]);
    assert_eq!(o.stderr, "");
    // A flow-only model has no auction: what custody cannot pay is
    // arrears. $1,000,000 in the escrow account and no revenue (a price of
    // 0) against $176,666,666.67 of payments a month: dry in December 1996.
    let o = ok(&[
        "run",
        "models/oil-for-food-1997.toml",
        "--set",
        "custody.opening_balance_usd=1000000",
        "--set",
        "exports.price_usd_per_bbl=0",
        "--format",
        "csv",
    ]);
    assert!(
        o.stderr.ends_with(
            "\nnote: the custody account (UN escrow account for Res. 986 proceeds, held at BNP Paribas) ran dry in \
             Dec 1996; from then it pays out only what each month's revenue brings in, and what it cannot pay adds \
             to the arrears (arrears_usd)\n"
        ),
        "{}",
        o.stderr
    );
}

/// An account can end a month at exactly $0 having paid everything: it
/// has not run dry until a month it cannot pay. By hand (fixtures/small.toml),
/// $1,782,300 of debt service a month: January has $1,000,000 + $2,356,000
/// (1,000 bbl × 31 days × $80 less 5%) = $3,356,000, pays the $1,782,300,
/// flies $1,200,000 of cash on 3 flights costing 3 × $1,500 + 0.1% of
/// $1,200,000 = $5,700, and sends every approved wire, 23 sessions ×
/// $100,000 × 80% wires × 20% approved = $368,000: $3,356,000 −
/// $1,782,300 − $1,200,000 − $5,700 − $368,000 = $0, with no arrears.
/// February brings in 1,000 × 28 × $80 × 0.95 = $2,128,000; after the
/// debt service, $345,700 cannot fly $1,200,000 of cash: dry in February.
#[test]
fn an_account_that_ends_a_month_at_0_having_paid_everything_has_not_run_dry() {
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "custody.payments[Debt service].usd_per_month=1782300",
        "--format",
        "csv",
    ]);
    for line in [
        "2023-01,custody_balance_usd,0.00\n",
        "2023-01,arrears_usd,0.00\n",
        "2023-01,wires_sent_usd,368000.00\n",
    ] {
        assert!(o.stdout.contains(line), "{line} in {}", o.stdout);
    }
    assert!(
        o.stderr.contains(") ran dry in Feb 2023; from then"),
        "{}",
        o.stderr
    );
}

/// A month whose airlift finds the account empty ships nothing, so it
/// costs nothing and no arrears arise; with every wire rejected none goes
/// unsent either. The account has still fallen short: the cash it was
/// asked to fly stayed in New York. By hand (fixtures/small.toml), debt
/// service of $3,356,000 takes all of January's $1,000,000 + $2,356,000;
/// the airlift asked for $1,200,000 ships $0, and at a rejection rate of 1
/// no wire is approved: dry in January (before, February, whose arrears
/// of $1,228,000 were the first).
#[test]
fn an_airlift_that_ships_less_than_asked_means_the_account_ran_dry() {
    let o = ok(&[
        "run",
        "fixtures/small.toml",
        "--set",
        "custody.payments[Debt service].usd_per_month=3356000",
        "--set",
        "auction.rejection_rate=1",
        "--format",
        "csv",
    ]);
    for line in [
        "2023-01,custody_balance_usd,0.00\n",
        "2023-01,arrears_usd,0.00\n",
        "2023-01,cash_shipped_usd,0.00\n",
        "2023-01,wires_sent_usd,0.00\n",
        "2023-02,arrears_usd,1228000.00\n",
    ] {
        assert!(o.stdout.contains(line), "{line} in {}", o.stdout);
    }
    assert!(
        o.stderr.contains(") ran dry in Jan 2023; from then"),
        "{}",
        o.stderr
    );
}

/// An account that opens empty runs dry in the first month it cannot pay.
/// By hand (models/oil-for-food-1991.toml, the escrow opening at $0): at
/// $15 a barrel, October 1991 brings in 437,158.47 bpd × 31 days × $15 =
/// $203,278,688.55; less 30% ($60,983,606.56) and 7.5% ($15,245,901.64),
/// $127,049,180.35 reaches the escrow, short of the $158,000,000 of
/// imports by $30,950,819.65 of arrears: dry in October, its first month.
#[test]
fn an_account_that_opens_empty_runs_dry_in_the_first_month_it_cannot_pay() {
    let o = ok(&[
        "run",
        "models/oil-for-food-1991.toml",
        "--set",
        "exports.price_usd_per_bbl=15",
        "--format",
        "csv",
    ]);
    assert!(
        o.stdout.contains("1991-10,arrears_usd,30950819.65\n"),
        "{}",
        o.stdout
    );
    assert!(
        o.stderr.ends_with(
            "\nnote: the custody account (UN escrow account under Res. 706, never funded) ran dry in Oct 1991; \
             from then it pays out only what each month's revenue brings in, and what it cannot pay adds to the \
             arrears (arrears_usd)\n"
        ),
        "{}",
        o.stderr
    );
    // At the model's $20 it never is.
    let o = ok(&["run", "models/oil-for-food-1991.toml", "--format", "csv"]);
    assert!(!o.stderr.contains("ran dry"), "{}", o.stderr);
}
