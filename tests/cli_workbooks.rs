//! `--format xlsx`: each workbook is read back (calamine) and compared
//! cell by cell with the CSV (or JSON) of the same command: numbers are
//! numbers with the same values; every workbook ends with the assumptions
//! and the model file's text; the same input gives the same bytes.

use crate::common::ok;

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};

const SMALL: &str = "fixtures/small.toml";
const MC: &str = "fixtures/mc-6-months.toml";

/// The workbook `args` write, as bytes.
fn bytes(args: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.xlsx");
    let mut all = args.to_vec();
    all.extend(["--out", path.to_str().unwrap()]);
    ok(&all);
    std::fs::read(path).unwrap()
}

fn book(args: &[&str]) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes(args))).unwrap()
}

fn sheet(b: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    b.worksheet_range(name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn csv(args: &[&str]) -> Vec<Vec<String>> {
    let mut all = args.to_vec();
    all.extend(["--format", "csv"]);
    ok(&all)
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

/// A cell must hold the number the CSV writes (the nearest `f64`).
fn same_number(cell: Option<&Data>, csv: &str, at: &str) {
    let want: f64 = csv
        .parse()
        .unwrap_or_else(|_| panic!("{at}: {csv:?} is not a number"));
    match cell {
        Some(Data::Float(f)) => assert_eq!(*f, want, "{at}"),
        Some(Data::Int(i)) => assert_eq!(*i as f64, want, "{at}"),
        other => panic!("{at}: {other:?} is not the number {csv}"),
    }
}

/// The row whose first cell is `key`.
fn row_of(r: &Range<Data>, key: &str) -> u32 {
    (0..r.height() as u32)
        .find(|&i| r.get_value((i, 0)).map(text).as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no row {key}"))
}

/// The column whose header is `key`.
fn col_of(r: &Range<Data>, key: &str) -> u32 {
    (0..r.width() as u32)
        .find(|&j| r.get_value((0, j)).map(text).as_deref() == Some(key))
        .unwrap_or_else(|| panic!("no column {key}"))
}

/// The data row (`down`) or column whose first cell (header cell) is
/// the number `v`.
fn number_at(r: &Range<Data>, line: u32, v: &str, down: bool) -> u32 {
    let want: f64 = v.parse().unwrap();
    let n = if down { r.height() } else { r.width() } as u32;
    (1..n)
        .find(|&k| {
            let at = if down { (k, line) } else { (line, k) };
            matches!(r.get_value(at), Some(Data::Float(f)) if *f == want)
        })
        .unwrap_or_else(|| panic!("no {v}"))
}

/// Every workbook ends with the assumptions and the model's text.
fn provenance(b: &mut Xlsx<Cursor<Vec<u8>>>, model: &str) {
    let a = sheet(b, "Assumptions");
    let header: Vec<String> = (0..5).map(|j| text(a.get_value((0, j)).unwrap())).collect();
    assert_eq!(header, ["path", "value", "unit", "source", "where"]);
    if model == SMALL {
        let r = row_of(&a, "exports.price_usd_per_bbl");
        same_number(a.get_value((r, 1)), "80", "price");
        assert_eq!(text(a.get_value((r, 3)).unwrap()), "made up for the test");
        assert_eq!(text(a.get_value((r, 4)).unwrap()), "fixtures/small.toml:12");
    }
    let m = sheet(b, "Model");
    let lines: Vec<String> = std::fs::read_to_string(model)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(text(m.get_value((0, 0)).unwrap()), format!("model file: {model}"));
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(
            &text(m.get_value((i as u32 + 1, 0)).unwrap_or(&Data::Empty)),
            l,
            "model line {}",
            i + 1
        );
    }
}

#[test]
fn run_workbook_matches_the_csv() {
    let mut b = book(&["run", SMALL]);
    assert_eq!(
        b.sheet_names(),
        [
            "Summary",
            "Monthly",
            "Postings",
            "Assumptions",
            "Changes",
            "Model"
        ]
    );
    let monthly = sheet(&mut b, "Monthly");
    let summary = sheet(&mut b, "Summary");
    let rows = csv(&["run", SMALL]);
    assert_eq!(rows.len(), 3 * 31);
    for r in &rows {
        let (month, metric, value) = (&r[0], &r[1], &r[2]);
        let at = format!("{month} {metric}");
        same_number(
            monthly.get_value((row_of(&monthly, metric), col_of(&monthly, month))),
            value,
            &at,
        );
        if month == "total" {
            same_number(summary.get_value((row_of(&summary, metric), 2)), value, &at);
        }
    }
    let postings = sheet(&mut b, "Postings");
    let trace = csv(&["trace", SMALL, "--postings"]);
    assert_eq!(postings.height(), trace.len() + 1);
    for (i, r) in trace.iter().enumerate() {
        let i = i as u32 + 1;
        assert_eq!(text(postings.get_value((i, 0)).unwrap()), r[0]);
        same_number(postings.get_value((i, 1)), &r[1], "step");
        same_number(postings.get_value((i, 4)), &r[4], "amount");
    }
    // The Changes sheet keeps every row whole (a reader may filter it):
    // small.toml's one step sets two paths with one note, and both rows
    // carry it, where `check` prints "as above" on the second.
    let changes = sheet(&mut b, "Changes");
    for row in [1, 2] {
        assert_eq!(
            text(changes.get_value((row, 4)).unwrap()),
            "assumption: revaluation and easier screening"
        );
    }
    provenance(&mut b, SMALL);
}

#[test]
fn workbooks_are_deterministic() {
    assert_eq!(bytes(&["run", SMALL]), bytes(&["run", SMALL]));
}

#[test]
fn tornado_workbook_matches_the_csv() {
    let args = ["tornado", SMALL, "-q", "--metric", "parallel_rate"];
    let mut b = book(&args);
    let t = sheet(&mut b, "Tornado");
    let rows = csv(&args);
    assert_eq!(t.height(), rows.len() + 1);
    for (i, r) in rows.iter().enumerate() {
        let i = i as u32 + 1;
        assert_eq!(text(t.get_value((i, 0)).unwrap()), r[0]);
        for j in 1..6 {
            same_number(t.get_value((i, j as u32)), &r[j], &format!("{} column {j}", r[0]));
        }
    }
    provenance(&mut b, SMALL);
}

#[test]
fn sweep_workbooks_match_the_csv() {
    let args = [
        "sweep",
        SMALL,
        "-q",
        "--vary",
        "auction.rejection_rate=0.5:0.9:0.1",
    ];
    let mut b = book(&args);
    let s = sheet(&mut b, "Sweep");
    for r in csv(&args) {
        let row = number_at(&s, 0, &r[0], true);
        same_number(s.get_value((row, col_of(&s, &r[1]))), &r[2], &r[1]);
    }
    let args = [
        "sweep",
        SMALL,
        "-q",
        "--vary",
        "auction.rejection_rate=0.5,0.8",
        "--vary",
        "exports.price_usd_per_bbl=60,80",
        "--metric",
        "premium_pct:max",
    ];
    let mut b = book(&args);
    // A sheet name may not hold ':'.
    let s = sheet(&mut b, "premium_pct_max");
    for r in csv(&args) {
        let row = number_at(&s, 0, &r[0], true);
        // The second parameter's values are numbers across the top.
        let col = number_at(&s, 0, &r[1], false);
        same_number(s.get_value((row, col)), &r[3], "cell");
    }
}

#[test]
fn diff_workbook_matches_the_csv() {
    let args = [
        "diff",
        SMALL,
        SMALL,
        "-q",
        "--set",
        "auction.official_rate_iqd_per_usd=1400",
    ];
    let mut b = book(&args);
    assert!(b.sheet_names().contains(&"Model A".to_string()));
    let s = sheet(&mut b, "Summary");
    for r in csv(&args) {
        let i = row_of(&s, &r[0]);
        for j in 1..4 {
            same_number(s.get_value((i, j as u32)), &r[j], &r[0]);
        }
    }
}

#[test]
fn mc_workbook_matches_the_csv() {
    let args = ["mc", MC, "-n", "600", "-q"];
    let mut b = book(&args);
    let stats = sheet(&mut b, "Statistics");
    let drivers = sheet(&mut b, "Drivers");
    for r in csv(&args) {
        let (metric, stat, input, value) = (&r[0], &r[1], &r[2], &r[3]);
        if value.is_empty() {
            continue;
        }
        if stat == "spearman_rho" {
            same_number(
                drivers.get_value((row_of(&drivers, input), col_of(&drivers, metric))),
                value,
                input,
            );
        } else {
            let row = (0..stats.height() as u32)
                .find(|&i| {
                    stats
                        .get_value((i, 0))
                        .map(text)
                        .is_some_and(|t| t.eq_ignore_ascii_case(stat))
                })
                .unwrap();
            same_number(
                stats.get_value((row, col_of(&stats, metric))),
                value,
                &format!("{metric} {stat}"),
            );
        }
    }
    let fan = sheet(&mut b, "By month parallel_rate");
    assert_eq!(fan.height(), 7, "a row per month under the header");
}

/// The mc workbook says how its draws were made, and its command makes
/// them again: run with `--format csv`, it gives the CSV of the command
/// that wrote the workbook. The correlations of the default model's
/// `[correlation]` are listed with their values as the file writes them.
#[test]
fn mc_workbook_says_how_to_make_its_draws_again() {
    let args = [
        "mc",
        "-n",
        "300",
        "--seed",
        "7",
        "--sampler",
        "lhs",
        "--metric",
        "parallel_rate@2024-06",
        "-q",
    ];
    let mut b = book(&args);
    let run = sheet(&mut b, "Run");
    let value = |key: &str| text(run.get_value((row_of(&run, key), 1)).unwrap());
    // Numbers a spreadsheet can compute with, not text.
    let number = |key: &str| run.get_value((row_of(&run, key), 1)).unwrap().clone();
    assert_eq!(number("draws"), Data::Float(300.0));
    assert_eq!(number("seed"), Data::Float(7.0));
    assert_eq!(value("sampler"), "lhs");
    assert_eq!(
        value("correlation"),
        "4 rank correlations from [correlation], induced on the ranks (Iman–Conover); see the Correlation sheet"
    );
    // models/iraq-2023.toml's [forecast_error]: parallel_rate = 0.032472, 3.25%.
    assert_eq!(
        value("the model's own error on a quote"),
        "parallel_rate@2024-06: log-normal, σ 3.25% ([forecast_error])"
    );
    let command = value("command");
    assert_eq!(
        command,
        "dinarflow mc -n 300 --seed 7 --sampler lhs --metric parallel_rate@2024-06"
    );
    let mut again: Vec<&str> = command.split(' ').skip(1).collect();
    again.push("-q");
    assert_eq!(csv(&again), csv(&args));
    let c = sheet(&mut b, "Correlation");
    let header: Vec<String> = (0..4).map(|j| text(c.get_value((0, j)).unwrap())).collect();
    assert_eq!(header, ["inputs", "rank correlation", "source", "where"]);
    for (pair, rho) in [
        (
            "parallel_market.baseline_turnover_usd_per_day|parallel_market.anchor_weight",
            "-0.7982",
        ),
        (
            "parallel_market.baseline_turnover_usd_per_day|parallel_market.persistence",
            "-0.8836",
        ),
        (
            "parallel_market.anchor_weight|parallel_market.persistence",
            "0.7796",
        ),
        (
            "prices.underlying_inflation_pct|prices.basket[Food].pass_through",
            "0.8633",
        ),
    ] {
        same_number(c.get_value((row_of(&c, pair), 1)), rho, pair);
    }
    // With --until, the command keeps the most draws and the targets, and
    // --no-forecast-error is kept.
    let mut b = book(&[
        "mc",
        MC,
        "-n",
        "800",
        "--until",
        "p50:5%",
        "--no-forecast-error",
        "-q",
    ]);
    let run = sheet(&mut b, "Run");
    let command = text(run.get_value((row_of(&run, "command"), 1)).unwrap());
    assert!(
        command
            .starts_with("dinarflow mc fixtures/mc-6-months.toml -n 800 --seed 1 --sampler random --metric "),
        "{command}"
    );
    assert!(
        command.ends_with(" --until p50:5% --no-forecast-error"),
        "{command}"
    );
}

#[test]
fn brief_workbook_matches_the_json() {
    let mut b = book(&["brief", SMALL]);
    let s = sheet(&mut b, "Brief");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["brief", SMALL, "--format", "json"]).stdout).unwrap();
    let figures = json["figures"].as_array().unwrap();
    assert_eq!(s.height(), figures.len() + 1);
    for (i, f) in figures.iter().enumerate() {
        let i = i as u32 + 1;
        assert_eq!(
            text(s.get_value((i, 0)).unwrap()).trim(),
            f["label"].as_str().unwrap()
        );
        same_number(
            s.get_value((i, 1)),
            f["value"].as_str().unwrap(),
            f["label"].as_str().unwrap(),
        );
    }
    let results = sheet(&mut b, "Main results");
    assert_eq!(results.height(), json["sentences"].as_array().unwrap().len() + 1);
    provenance(&mut b, SMALL);
}

/// The How sure sheet holds the bands of the brief's JSON, exact, and the
/// share of the draws in which custody ran dry (30.6% of 4,000 with a
/// year-long horizon; tests/cli_brief.rs counts them from `mc --draws`).
#[test]
fn the_how_sure_sheet_matches_the_json() {
    let args = ["brief", "--horizon", "2025-12"];
    let mut b = book(&args);
    let s = sheet(&mut b, "How sure");
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&ok(&json_args).stdout).unwrap();
    let h = &json["how_sure"];
    let bands = h["bands"].as_array().unwrap();
    assert_eq!(bands.len(), 2);
    for (i, band) in bands.iter().enumerate() {
        let i = i as u32 + 1;
        assert_eq!(
            text(s.get_value((i, 0)).unwrap()),
            band["metric"].as_str().unwrap()
        );
        for (col, key) in [(1, "p10"), (2, "p50"), (3, "p90")] {
            same_number(s.get_value((i, col)), band[key].as_str().unwrap(), key);
        }
    }
    assert_eq!(
        text(s.get_value((4, 0)).unwrap()),
        "custody ran dry (custody_balance_usd:min = 0), share of draws"
    );
    same_number(s.get_value((4, 1)), "0.306", "custody");
    assert_eq!(h["custody_dry_share"], "0.306");
}

/// The workbook carries what the headline rests on, as the text brief
/// does: each untested assumption with the headline at −20% and +20%,
/// exact as the JSON gives them, then the sentences on zeros and loose
/// fits.
#[test]
fn the_rests_on_sheet_matches_the_json() {
    let mut b = book(&["brief"]);
    let s = sheet(&mut b, "Rests on, untested");
    let json: serde_json::Value = serde_json::from_str(&ok(&["brief", "--format", "json"]).stdout).unwrap();
    let r = &json["rests_on"];
    let untested = r["untested"].as_array().unwrap();
    assert!(!untested.is_empty());
    assert_eq!(text(s.get_value((0, 2)).unwrap()), "parallel_rate at −20%");
    for (i, u) in untested.iter().enumerate() {
        let i = i as u32 + 1;
        assert_eq!(text(s.get_value((i, 0)).unwrap()), u["path"].as_str().unwrap());
        same_number(s.get_value((i, 1)), u["value"].as_str().unwrap(), "value");
        same_number(s.get_value((i, 2)), u["headline_low"].as_str().unwrap(), "low");
        same_number(s.get_value((i, 3)), u["headline_high"].as_str().unwrap(), "high");
    }
    let below = untested.len() as u32 + 2;
    assert!(text(s.get_value((below, 0)).unwrap()).starts_with("Set to 0 without a source or a fit"));
    assert!(text(s.get_value((below + 2, 0)).unwrap()).starts_with("Fitted, but barely pinned down"));
}

const MODEL: &str = "models/iraq-2023.toml";
const PARALLEL: &str = "models/observed/iraq-parallel-2022-2023.csv";

/// Compares a sheet with CSV rows: text in the `texts` columns, numbers
/// (or empty cells for empty fields) elsewhere.
fn same_table(t: &Range<Data>, rows: &[Vec<String>], texts: &[usize]) {
    assert_eq!(t.height(), rows.len() + 1);
    for (i, r) in rows.iter().enumerate() {
        let at = i as u32 + 1;
        for (j, v) in r.iter().enumerate() {
            let cell = t.get_value((at, j as u32));
            if texts.contains(&j) {
                assert_eq!(text(cell.unwrap()), *v, "row {at} column {j}");
            } else if v.is_empty() {
                assert!(
                    matches!(cell, None | Some(Data::Empty)),
                    "row {at} column {j}: {cell:?}"
                );
            } else {
                same_number(cell, v, &format!("row {at} column {j}"));
            }
        }
    }
}

#[test]
fn fit_workbook_matches_the_csv() {
    let args = [
        "fit",
        MODEL,
        "--observed",
        PARALLEL,
        "--vary",
        "parallel_market.persistence=0:0.9",
        "--vary",
        "parallel_market.baseline_turnover_usd_per_day=20000000:2000000000",
    ];
    let mut b = book(&args);
    same_table(&sheet(&mut b, "Estimates"), &csv(&args), &[0, 3]);
    // The residuals sheet holds a header and one row per fitted observation
    // (nine in the timeline).
    assert_eq!(sheet(&mut b, "Residuals").height(), 10);
    provenance(&mut b, MODEL);
}

#[test]
fn backtest_workbooks_match_the_csv() {
    let args = [
        "backtest",
        MODEL,
        "--observed",
        PARALLEL,
        "--train-until",
        "2022-11",
    ];
    let mut b = book(&args);
    same_table(&sheet(&mut b, "Test rows"), &csv(&args), &[0, 1]);
    assert_eq!(text(sheet(&mut b, "Scores").get_value((1, 0)).unwrap()), "model");
    provenance(&mut b, MODEL);
    let args = [
        "backtest",
        MODEL,
        "--observed",
        PARALLEL,
        "--rolling",
        "2022-09:2022-11",
    ];
    let mut b = book(&args);
    same_table(&sheet(&mut b, "Origins"), &csv(&args), &[0]);
}

/// The warnings the text prints under a backtest's scores are a sheet of
/// the workbook, as fit's are: a parameter fitted to the test rows
/// "flatters the model", and a workbook without that line would not say so.
#[test]
fn backtest_workbooks_keep_the_warnings() {
    let json = |args: &[&str]| -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        serde_json::from_str(&ok(&all).stdout).unwrap()
    };
    let single = [
        "backtest",
        MODEL,
        "--observed",
        PARALLEL,
        "--train-until",
        "2023-03",
    ];
    let warned: Vec<String> = json(&single)["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap().to_string())
        .collect();
    assert!(
        warned
            .iter()
            .any(|w| w.contains("so the scores flatter the model")),
        "{warned:?}"
    );
    let mut b = book(&single);
    let sheet_says: Vec<String> = sheet(&mut b, "Warnings")
        .rows()
        .skip(1)
        .map(|r| text(&r[0]))
        .collect();
    assert_eq!(sheet_says, warned);

    // A rolling backtest's workbook lists each origin's, as its text does:
    // a refitted step of 2024 moves none of the quotes up to the origin.
    let rolling = [
        "backtest",
        MODEL,
        "--observed",
        PARALLEL,
        "--rolling",
        "2023-03:2023-04",
        "--refit",
        "auction.rejection_rate@2024-01",
    ];
    let origins = json(&rolling)["origins"].as_array().unwrap().clone();
    let mut expected = Vec::new();
    for o in &origins {
        for w in o["warnings"].as_array().unwrap() {
            let w = w.as_str().unwrap();
            if w.contains("was not refitted") {
                expected.push((o["train_until"].as_str().unwrap().to_string(), w.to_string()));
            }
        }
    }
    assert_eq!(expected.len(), 2, "{origins:?}");
    let mut b = book(&rolling);
    let rows: Vec<(String, String)> = sheet(&mut b, "Warnings")
        .rows()
        .skip(1)
        .map(|r| (text(&r[0]), text(&r[1])))
        .collect();
    assert_eq!(rows, expected);
}
