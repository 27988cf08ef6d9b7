//! The guide's sentences that quote a figure. guides.rs proves that each
//! `console` block of docs/guide.md prints what it shows, but the
//! sentences around the blocks (a band "1,468 to 1,538", "$58.9B", a
//! Sobol sum "1.04 with a 95% interval of 0.89 to 1.20") were not
//! checked, and a recalibration leaves them stale, as it left the
//! README's (readme_prose.rs). Here each quoted figure is worked out from
//! what the command behind it prints (in JSON or CSV, every digit),
//! rounded as the sentence rounds it (half away from zero), and the
//! guide, its lines joined, must say the sentence with that figure.

use std::collections::BTreeSet;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::common::prose::{
    cell, decimal, default_forecast_error, json, num, origin_flags, rounded, word, Prose,
};
use crate::common::{ok, on_terminal, MONTH_NAMES};

fn guide() -> Prose {
    Prose::of("docs/guide.md")
}

/// The guide as written (its lines kept), for its `text` blocks.
fn guide_as_written() -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/guide.md")).unwrap()
}

/// A figure with the minus sign the guide prints (−0.60, not -0.60).
fn minus(x: String) -> String {
    match x.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => x,
    }
}

/// `x` divided by `unit` (1e9 for billions), rounded to `dp` places.
fn per(x: &str, unit: i64, dp: u32) -> String {
    rounded(&(decimal(x) / Decimal::from(unit)).to_string(), dp)
}

/// "2026-04" → "Apr 2026".
fn month_in_words(month: &str) -> String {
    let (year, m) = month.split_once('-').unwrap();
    let names = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {year}", names[m.parse::<usize>().unwrap() - 1])
}

/// The rows of `run --format csv` for one metric, month by month (the
/// `total` row left out).
fn monthly<'a>(csv: &'a str, metric: &str) -> Vec<(&'a str, &'a str)> {
    csv.lines()
        .filter_map(|l| {
            let mut parts = l.splitn(3, ',');
            let (month, m, value) = (parts.next()?, parts.next()?, parts.next()?);
            (m == metric && month != "total").then_some((month, value))
        })
        .collect()
}

/// The records of `check --format csv` (`from,path,value,unit,source,note,where`).
fn assumptions(model: &str) -> Vec<csv::StringRecord> {
    let text = ok(&["check", model, "--format", "csv"]).stdout;
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect()
}

/// The value of the first record of `path` in `check --format csv`.
fn assumption(records: &[csv::StringRecord], path: &str) -> String {
    records
        .iter()
        .find(|r| &r[1] == path)
        .unwrap_or_else(|| panic!("no {path} in check's CSV"))[2]
        .to_string()
}

/// The number after `before` in `text`, up to the next character that is
/// not part of a number: `after(note, "for the ")` of "… for the 3
/// parameters" is "3".
fn after<'a>(text: &'a str, before: &str) -> &'a str {
    let rest = text
        .split_once(before)
        .unwrap_or_else(|| panic!("no {before:?} in {text:?}"))
        .1;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == ','))
        .unwrap_or(rest.len());
    rest[..end].trim_end_matches(['.', ','])
}

/// The value of `metric` on `date` (as the file writes it) in an observed
/// file of models/observed/.
fn observed(file: &str, date: &str, metric: &str) -> String {
    let mut rows = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file))
        .unwrap();
    let row = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[0] == date && &r[1] == metric)
        .unwrap_or_else(|| panic!("no {metric} on {date} in {file}"));
    row[2].to_string()
}

/// "Running a model", run: the default model's table, a line per metric.
#[test]
fn the_run_table_is_as_wide_as_it_says() {
    let csv = ok(&["run", "--format", "csv"]).stdout;
    let months: BTreeSet<&str> = monthly(&csv, "parallel_rate")
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    // Piped, `run` prints the whole table.
    let table = ok(&["run"]).stdout;
    let width = table.lines().map(|l| l.chars().count()).max().unwrap();
    guide().says(&format!(
        "({} months of the default model are {width} columns)",
        months.len()
    ));
}

/// "The briefing", How sure: why the CPI band has no error of its own.
#[test]
fn the_cpi_band_sentence_counts_the_fit_behind_it() {
    let records = assumptions("models/iraq-2023.toml");
    let fitted: Vec<&csv::StringRecord> = records
        .iter()
        .filter(|r| r[4].starts_with("dinarflow fit to models/observed/iraq-cpi-2023.csv"))
        .collect();
    let k = fitted.len() as u64;
    let n: u64 = after(&fitted[0][4], "n = ").parse().unwrap();
    assert!(fitted.iter().all(|r| r[4] == fitted[0][4]), "one fit");
    let brief = json(&["brief", "--format", "json"]);
    let cpi = brief["how_sure"]["bands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| num(&b["metric"]).starts_with("cpi_yoy_pct@"))
        .unwrap();
    assert!(cpi["own_error_pct"].is_null(), "{cpi}");
    guide().says(&format!(
        "({} CPI readings fitted with {} parameters leave {} degrees of freedom, too few to measure a reading's own error, so `[forecast_error]` has none for it)",
        word(n),
        word(k),
        word(n - k)
    ));
}

/// "A forecast horizon", state carries on: the month the default model's
/// custody account runs dry when held to June 2026, and the parallel rate
/// the month before it and at the horizon.
#[test]
fn the_horizon_s_dry_account_sentence_quotes_the_run() {
    let o = ok(&["run", "--horizon", "2026-06", "--format", "csv"]);
    let csv = o.stdout;
    let dry = monthly(&csv, "custody_balance_usd")
        .into_iter()
        .find(|(_, v)| decimal(v).is_zero())
        .unwrap()
        .0;
    let before = monthly(&csv, "parallel_rate")
        .into_iter()
        .take_while(|(m, _)| *m != dry)
        .last()
        .unwrap();
    let full = |month: &str| MONTH_NAMES[month[5..].parse::<usize>().unwrap() - 1];
    guide().says(&format!(
        "the default model held to June 2026 empties it in {} {}, and from then the approved wires it cannot \
         send go unmet and the parallel rate climbs ({} IQD/$ in {}, {} in June). `run` says so in a note (`ran dry in {}`)",
        full(dry),
        &dry[..4],
        rounded(before.1, 0),
        full(before.0),
        rounded(&cell(&csv, "2026-06", "parallel_rate"), 0),
        month_in_words(dry),
    ));
    assert!(
        o.stderr.contains(&format!("ran dry in {}", month_in_words(dry))),
        "{}",
        o.stderr
    );
}

/// "The briefing", How sure: the dollars the CBI did not have, once the
/// built-in model's custody account ran dry (`brief --horizon 2030-12`),
/// and why it drains after 2024.
#[test]
fn the_dry_account_sentence_quotes_the_long_run() {
    let csv = ok(&["run", "--horizon", "2030-12", "--format", "csv"]).stdout;
    // The vault never empties, so every banknote asked for was sold: what
    // went unmet beyond the rejected wires is approved requests unsent.
    assert!(monthly(&csv, "vault_balance_usd")
        .iter()
        .all(|(_, v)| decimal(v) > Decimal::ZERO));
    let approved =
        decimal(&cell(&csv, "total", "unmet_usd")) - decimal(&cell(&csv, "total", "wires_rejected_usd"));
    let dry = monthly(&csv, "custody_balance_usd")
        .into_iter()
        .find(|(_, v)| decimal(v).is_zero())
        .unwrap()
        .0;
    let guide = guide();
    guide.says(&format!(
        "${} billion of it approved requests the CBI had no dollars for once the custody account … ran dry in {}\", `brief --horizon 2030-12`",
        per(&approved.to_string(), 1_000_000_000, 2),
        month_in_words(dry)
    ));
    let in_2024 = |metric: &str| -> Decimal {
        monthly(&csv, metric)
            .iter()
            .filter(|(m, _)| m.starts_with("2024-"))
            .map(|(_, v)| decimal(v))
            .sum()
    };
    assert!(in_2024("sales_usd") + in_2024("payments_usd") > in_2024("gross_revenue_usd"));
    guide.says(
        "On the built-in model the account drains past 2024 (the 2024 auction sales and the assumed government payments abroad exceed oil revenue)",
    );
}

/// "The briefing", What the headline rests on: street demand at its test value.
#[test]
fn the_street_demand_sentence_quotes_the_brief() {
    let brief = json(&["brief", "--format", "json"]);
    let rests = &brief["rests_on"];
    let zero = rests["zero"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["path"] == "parallel_market.street_demand_usd_per_day")
        .unwrap();
    assert!(decimal(num(&zero["headline_at"])) > decimal(num(&rests["headline"])));
    guide().says(&format!(
        "would lift the mean parallel rate from {} to {} at ${} m a day",
        rounded(num(&rests["headline"]), 1),
        rounded(num(&zero["headline_at"]), 1),
        per(num(&zero["test_value"]), 1_000_000, 1)
    ));
}

/// "A forecast horizon": what the small model's added months gross.
#[test]
fn the_added_months_gross_what_the_guide_says() {
    let csv = ok(&[
        "run",
        "fixtures/small.toml",
        "--horizon",
        "2023-05",
        "--format",
        "csv",
    ])
    .stdout;
    let gross = |month: &str| cell(&csv, month, "gross_revenue_usd");
    let days = [("2023-03", 31), ("2023-04", 30), ("2023-05", 31)];
    let per_day: BTreeSet<Decimal> = days
        .iter()
        .map(|(m, length)| decimal(&gross(m)) / Decimal::from(*length))
        .collect();
    assert_eq!(per_day.len(), 1, "{per_day:?}");
    assert_eq!(gross("2023-03"), gross("2023-05"));
    guide().says(&format!(
        "each added month grosses ${} a day of its length (${} in March and May, ${} in April)",
        rounded(&per_day.first().unwrap().to_string(), 0),
        rounded(&gross("2023-03"), 0),
        rounded(&gross("2023-04"), 0)
    ));
}

/// "Sensitivity", tornado: a share that cannot move on its own.
#[test]
fn the_not_moved_example_is_tornados() {
    let out = ok(&["tornado", "fixtures/small.toml"]).stdout;
    let line = out
        .lines()
        .find(|l| l.starts_with("- exports.buyers[China].share: "))
        .unwrap();
    guide().says(&format!("(`{line}`)"));
}

/// "Sensitivity", solve: the figures of "Meeting the target", "A jump
/// across the target" and the unreachable premium.
#[test]
fn the_solve_sentences_quote_their_runs() {
    let guide = guide();
    let small = json(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "auction.cash_share",
        "--target",
        "unmet_usd@2023-01=900000",
        "--format",
        "json",
    ]);
    guide.says(&format!("{} meets 900,000", rounded(num(&small["achieved"]), 2)));

    // The jump: the two adjacent factors solve names, each run.
    let jump = crate::common::dinarflow(&[
        "solve",
        "models/iraq-2023.toml",
        "--vary",
        "exports.price_usd_per_bbl*",
        "--target",
        "arrears_usd=1",
    ]);
    assert_eq!(jump.code, 1, "{}", jump.stderr);
    // "… from 65,785.41 at 0.662632 to 0.00 at 0.662633."
    let tail = jump.stderr.split_once("): from ").unwrap().1;
    let (below, above) = (
        after(tail, " at "),
        after(tail.split_once(" to ").unwrap().1, " at "),
    );
    let arrears = |factor: &str| {
        let set = format!("exports.price_usd_per_bbl*={factor}");
        cell(
            &ok(&["run", "--set", &set, "--format", "csv"]).stdout,
            "total",
            "arrears_usd",
        )
    };
    assert!(decimal(&arrears(above)).is_zero());
    guide.says(&format!(
        "arrears fall from ${} to zero between two adjacent oil-price factors",
        rounded(&arrears(below), 2)
    ));

    // A cent more than two planes' worth of banknotes is a third flight.
    let capacity = assumption(&assumptions("fixtures/small.toml"), "airlift.plane_capacity_usd");
    let two_planes = decimal(&capacity) * Decimal::from(2);
    let flights = |cash: Decimal| {
        let set = format!("airlift.cash_usd_per_month={cash}");
        let csv = ok(&["run", "fixtures/small.toml", "--set", &set, "--format", "csv"]).stdout;
        cell(&csv, "2023-01", "flights")
    };
    guide.says(&format!(
        "a month's flights from {} to {} when the cash ordered passes ${} by a cent",
        flights(two_planes),
        flights(two_planes + Decimal::new(1, 2)),
        rounded(&two_planes.to_string(), 2)
    ));

    let all_rejected = ok(&["run", "--set", "auction.rejection_rate=1", "--format", "csv"]).stdout;
    let premium = cell(&all_rejected, "total", "premium_pct");
    assert!(decimal(&premium) < Decimal::from(60));
    guide.says(&format!(
        "keeps the average premium below 60% ({}% at a rate of 1)",
        rounded(&premium, 0)
    ));
}

/// "A note on the economics": the small model's custody pays every
/// approved wire from a rejection rate of about 0.4 up.
#[test]
fn the_small_model_runs_short_below_the_rate_it_names() {
    let csv = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0.39,0.4",
        "--metric",
        "unmet_usd",
        "--metric",
        "wires_rejected_usd",
        "--metric",
        "vault_balance_usd:min",
        "--format",
        "csv",
    ])
    .stdout;
    // The vault never empties, so what goes unmet beyond the rejected
    // wires is approved wires custody could not pay.
    let short = |rate: &str| {
        assert!(decimal(&cell(&csv, rate, "vault_balance_usd:min")) > Decimal::ZERO);
        decimal(&cell(&csv, rate, "unmet_usd")) - decimal(&cell(&csv, rate, "wires_rejected_usd"))
    };
    assert!(short("0.39") > Decimal::ZERO);
    assert!(short("0.4").is_zero());
    guide().says(
        "In `fixtures/small.toml`, custody cannot pay every approved wire below a rejection rate of about 0.4:",
    );
}

/// "Uncertainty": the fixture's band, its driver, and the oil price's
/// noise; and a metric that is the same in every draw.
#[test]
fn the_monte_carlo_sentences_quote_the_fixture() {
    let guide = guide();
    let mc = json(&["mc", "fixtures/mc-6-months.toml", "--format", "json"]);
    let rate = &mc["metrics"]["parallel_rate"];
    let drivers = mc["drivers"]["parallel_rate"].as_object().unwrap();
    let strongest = drivers
        .iter()
        .max_by_key(|(_, rho)| decimal(num(rho)).abs())
        .unwrap()
        .0;
    assert_eq!(strongest, "parallel_market.demand_elasticity");
    guide.says(&format!(
        "\"the parallel rate between {} and {} IQD per $ in 90% of draws (P5–P95), driven mostly by the demand elasticity\"",
        rounded(num(&rate["p5"]), 0),
        rounded(num(&rate["p95"]), 0)
    ));
    let sobol = json(&["sobol", "fixtures/mc-6-months.toml", "--format", "json"]);
    let oil = &sobol["indices"]["exports.price_usd_per_bbl"];
    assert!(decimal(num(&oil["ST"])).is_zero() && decimal(num(&oil["ST_conf"])).is_zero());
    guide.says(&format!(
        "Its {} is sampling noise; `sobol` gives it ST = 0 exactly.",
        minus(rounded(num(&drivers["exports.price_usd_per_bbl"]), 3))
    ));

    let run = ok(&["run", "fixtures/mc-6-months.toml", "--format", "csv"]).stdout;
    let sentence = format!(
        "flights: {} flights in every draw.",
        cell(&run, "total", "flights")
    );
    let out = ok(&[
        "mc",
        "fixtures/mc-6-months.toml",
        "-n",
        "100",
        "--metric",
        "flights",
    ])
    .stdout;
    assert!(out.contains(&sentence), "{out}");
    guide.says(&format!("(`{sentence}`)"));
}

/// "Uncertainty", the rules of a draw: the note on a distribution that
/// lies partly outside its range is mc's, word for word. The share is
/// P(X > 1) for X ~ normal(0.95, 0.1), 1 − Φ(0.5) = 0.3085 (statrs), so
/// "30.9%".
#[test]
fn the_truncation_note_is_mcs() {
    use statrs::distribution::{ContinuousCDF, Normal};
    let above = 1.0 - Normal::new(0.95, 0.1).unwrap().cdf(1.0);
    assert_eq!(format!("{:.1}%", above * 100.0), "30.9%");
    let baseline = std::fs::read_to_string("models/iraq-2022-baseline.toml").unwrap();
    let line = r#""auction.rejection_rate" = { dist = "uniform", min = 0.0, max = 0.15 }"#;
    assert!(baseline.contains(line));
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("wide.toml");
    std::fs::write(
        &model,
        baseline.replace(
            line,
            r#""auction.rejection_rate" = { dist = "normal", mean = 0.95, sd = 0.1 }"#,
        ),
    )
    .unwrap();
    let out = ok(&[
        "mc",
        model.to_str().unwrap(),
        "-n",
        "10",
        "--metric",
        "parallel_rate",
    ]);
    let note = out
        .stderr
        .lines()
        .find(|l| l.starts_with("note: 30.9% of normal(mean 0.95, sd 0.1)"))
        .unwrap_or_else(|| panic!("{}", out.stderr));
    guide().says(&format!("(`{note}`)"));
}

/// "Uncertainty", mc: the built-in model's custody account against the
/// CBI's reserves, and the payments a fit to them would take.
#[test]
fn the_custody_paragraph_quotes_the_model_and_the_reserves() {
    let run = ok(&["run", "--format", "csv"]).stdout;
    let reserves_file = "models/observed/iraq-reserves-2022-2024.csv";
    let reserve = |month: &str| decimal(&observed(reserves_file, month, "custody_balance_usd"));
    let custody = |month: &str| decimal(&cell(&run, month, "custody_balance_usd"));
    let billions = |x: Decimal, dp: u32| per(&x.to_string(), 1_000_000_000, dp);
    // The payments abroad, the same every month (custody never runs short).
    let payments: BTreeSet<&str> = monthly(&run, "payments_usd")
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    assert_eq!(payments.len(), 1, "{payments:?}");
    let guide = guide();
    guide.says(&format!(
        "(${}B a month in all), and it ends 2024 at ${}B, where the CBI's reserves without gold stood at ${}B",
        billions(decimal(payments.first().unwrap()), 1),
        billions(custody("2024-12"), 1),
        billions(reserve("2024-12"), 1)
    ));
    // What the account loses in a year beyond what the reserves lost.
    let gap = |year: u32| {
        let (from, to) = (format!("{}-12", year - 1), format!("{year}-12"));
        (custody(&from) - custody(&to)) - (reserve(&from) - reserve(&to))
    };
    guide.says(&format!(
        "the account loses ${}B more than the CBI's books in 2023 and ${}B more in 2024",
        billions(gap(2023), 1),
        billions(gap(2024), 1)
    ));
    // The model's [custody] notes: "a fit of the opening balance and this
    // payment from Jan 2023 and Jan 2024 to that file".
    let fit = json(&[
        "fit",
        "models/iraq-2023.toml",
        "--observed",
        reserves_file,
        "--vary",
        "custody.opening_balance_usd",
        "--vary",
        "custody.payments[Government imports].usd_per_month@2023-01",
        "--vary",
        "custody.payments[Government imports].usd_per_month@2024-01",
        "--format",
        "json",
    ]);
    let imports = fit["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "custody.payments[Government imports].usd_per_month@2023-01")
        .unwrap();
    guide.says(&format!(
        "it would take government imports of ${}B a month in 2023",
        billions(decimal(num(&imports["value"])), 2)
    ));
}

/// "Uncertainty", A band for a quote: the premium's P5 from the quote's,
/// the default model's σ, and the band without it.
#[test]
fn the_forecast_error_sentences_quote_mc() {
    let guide = guide();
    let mc = json(&[
        "mc",
        "-n",
        "2000",
        "--metric",
        "parallel_rate@2024-06",
        "--metric",
        "premium_pct@2024-06",
        "--format",
        "json",
    ]);
    let rate = num(&mc["metrics"]["parallel_rate@2024-06"]["p5"]);
    let premium = num(&mc["metrics"]["premium_pct@2024-06"]["p5"]);
    let official = cell(
        &ok(&["run", "--format", "csv"]).stdout,
        "2024-06",
        "official_rate",
    );
    // The premium is computed from the quote, so the two bands agree.
    let from_rate = (decimal(rate) / decimal(&official) - Decimal::ONE) * Decimal::from(100);
    assert_eq!(rounded(&from_rate.to_string(), 1), rounded(premium, 1));
    guide.says(&format!(
        "a P5 of {} IQD/$ at an official {} and a P5 premium of {}%)",
        rounded(rate, 0),
        rounded(&official, 0),
        rounded(premium, 1)
    ));

    let entry = &default_forecast_error();
    let sigma = entry["value"].as_float().unwrap();
    let n: u64 = after(entry["source"].as_str().unwrap(), "n = ").parse().unwrap();
    guide.says(&format!(
        "default model's σ is {}% (the {} quotes it was fitted to)",
        rounded(&format!("{}", sigma * 100.0), 2),
        word(n)
    ));

    let parameters = json(&[
        "mc",
        "-n",
        "4000",
        "--metric",
        "parallel_rate@2024-06",
        "--no-forecast-error",
        "--format",
        "json",
    ]);
    let june = &parameters["metrics"]["parallel_rate@2024-06"];
    guide.says(&format!(
        "P10–P90 of June 2024 {} to {})",
        rounded(num(&june["p10"]), 0),
        rounded(num(&june["p90"]), 0)
    ));
}

/// "Uncertainty", A band for a quote: May's and August's quotes against
/// the bands of the model fitted as it stood in March 2023, and its σ.
#[test]
fn the_origin_paragraph_quotes_the_fit_and_its_bands() {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin-2023-03.toml");
    let origin = origin.to_str().unwrap();
    let mut args: Vec<String> = ["fit", "models/iraq-2023.toml", "--train-until", "2023-03"]
        .map(String::from)
        .to_vec();
    args.extend(origin_flags("--vary"));
    args.extend(["--write-model", origin, "--write-uncertainty"].map(String::from));
    ok(&args.iter().map(String::as_str).collect::<Vec<_>>());

    let mc = json(&[
        "mc",
        origin,
        "-n",
        "4000",
        "--metric",
        "parallel_rate@2023-05",
        "--metric",
        "parallel_rate@2023-08",
        "--format",
        "json",
    ]);
    let quotes = "models/observed/iraq-parallel-2022-2023.csv";
    let half = |date: &str, month: &str| -> (String, &'static str) {
        let q = observed(quotes, date, "parallel_rate");
        let band = &mc["metrics"][format!("parallel_rate@{month}")];
        let (p10, p50, p90) = (
            decimal(num(&band["p10"])),
            decimal(num(&band["p50"])),
            decimal(num(&band["p90"])),
        );
        let x = decimal(&q);
        assert!(p10 < x && x < p90, "the {date} quote {q} outside {p10} to {p90}");
        (rounded(&q, 0), if x < p50 { "lower" } else { "upper" })
    };
    let (may, may_half) = half("2023-05-17", "2023-05");
    let (august, august_half) = half("2023-08-14", "2023-08");
    let guide = guide();
    guide.says(&format!(
        "The quotes, {may} on 17 May and {august} on 14 August, both lie inside their 80% bands, May's in its {may_half} half and August's in its {august_half} half."
    ));

    // σ as the fit wrote it, and as the rolling backtest finds it there.
    let written: toml::Table = std::fs::read_to_string(origin).unwrap().parse().unwrap();
    let entry = &written["forecast_error"]["parallel_rate"];
    let sigma = rounded(&format!("{}", entry["value"].as_float().unwrap() * 100.0), 2);
    let note = entry["note"].as_str().unwrap();
    let k: u64 = after(note, "for the ").parse().unwrap();
    let n: u64 = after(note, "parameters fitted to ").parse().unwrap();
    let mut args: Vec<String> = ["backtest", "models/iraq-2023.toml"].map(String::from).to_vec();
    args.extend(origin_flags("--refit"));
    args.extend(["--rolling", "2023-03:2023-03", "--format", "json"].map(String::from));
    let bt = json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let own = &bt["origins"][0]["own_error"][0];
    assert_eq!(rounded(num(&own["sigma_pct"]), 2), sigma);
    assert_eq!((own["n"].as_u64(), own["refitted"].as_u64()), (Some(n), Some(k)));
    guide.says(&format!(
        "σ is {sigma}% here: {} quotes, {} parameters fitted to them, √({n}/{}) × their root mean square {}%, the same error `backtest --rolling` gives this origin.",
        word(n),
        word(k),
        n - k,
        rounded(num(&own["rms_pct"]), 2)
    ));
}

/// "Uncertainty", mc `--by-month`: the row the CSV bullet quotes.
#[test]
fn the_by_month_row_is_mcs() {
    let csv = ok(&[
        "mc",
        "fixtures/mc-6-months.toml",
        "-n",
        "1000",
        "--metric",
        "parallel_rate",
        "--by-month",
        "--format",
        "csv",
        "-q",
    ])
    .stdout;
    let row = csv
        .lines()
        .find(|l| l.starts_with("parallel_rate@2023-03,p5,,"))
        .unwrap();
    guide().says(&format!("named for its month: `{row}`"));
}

/// The sum of the first-order indices as `sobol`'s table sentence gives
/// it, after checking it against the sum of the JSON's S1, and the 95%
/// interval the sentence gives (the JSON has none).
fn sobol_sum(args: &[&str]) -> (String, String, String) {
    let sentence = ok(args)
        .stdout
        .lines()
        .find(|l| l.starts_with("S1 add up to "))
        .unwrap()
        .to_string();
    assert!(sentence.contains("too noisy to split"), "{sentence}");
    let sum = after(&sentence, "S1 add up to ").to_string();
    let interval = sentence.split_once("(95% interval ").unwrap().1;
    let (lo, hi) = (
        after(interval, "").to_string(),
        after(interval, " to ").to_string(),
    );
    let v = json(&[args, &["--format", "json"]].concat());
    let s1: Decimal = v["indices"]
        .as_object()
        .unwrap()
        .values()
        .map(|i| decimal(num(&i["S1"])))
        .sum();
    assert_eq!(rounded(&s1.to_string(), 2), sum, "{sentence}");
    (sum, lo, hi)
}

/// "Uncertainty", sobol: the sums too noisy to split.
#[test]
fn the_sobol_sentence_quotes_its_sums() {
    let (fixture, _, _) = sobol_sum(&["sobol", "fixtures/mc-6-months.toml", "-n", "2", "-q"]);
    let (built_in, lo, hi) = sobol_sum(&["sobol", "-n", "8192", "-q"]);
    guide().says(&format!(
        "(a sum of {} at `-n 2` on the fixture, or {built_in} with a 95% interval of {lo} to {hi} at `-n 8192` on the built-in model)",
        minus(fixture)
    ));
}

/// The fit of the calibration guide's market, with `extra` flags.
fn market_fit(extra: &[&str]) -> Value {
    let args = [
        &[
            "fit",
            "fixtures/calibration/market.toml",
            "--observed",
            "fixtures/calibration/parallel-synthetic.csv",
        ],
        extra,
        &[
            "--vary",
            "parallel_market.street_demand_usd_per_day=0:100000",
            "--vary",
            "parallel_market.anchor_weight",
            "--format",
            "json",
        ],
    ]
    .concat();
    json(&args)
}

fn street_demand(fit: &Value) -> String {
    let e = fit["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "parallel_market.street_demand_usd_per_day")
        .unwrap();
    rounded(num(&e["value"]), 0)
}

/// "Calibration", `fit --write-model` and `--write-uncertainty`: the
/// estimate with the supply elasticity assumed, the rank correlation
/// written, and the forecast error.
#[test]
fn the_fit_sentences_quote_the_fits_and_the_file() {
    let guide = guide();
    guide.says(&format!(
        "the estimate moved from {} to {}.",
        street_demand(&market_fit(&[])),
        street_demand(&market_fit(&["--set", "parallel_market.supply_elasticity=1.5"]))
    ));

    let dir = tempfile::tempdir().unwrap();
    let fitted = dir.path().join("fitted.toml");
    let fitted = fitted.to_str().unwrap();
    market_fit(&["--write-model", fitted, "--write-uncertainty"]);
    let written: toml::Table = std::fs::read_to_string(fitted).unwrap().parse().unwrap();
    let pairs = written["correlation"].as_table().unwrap();
    assert_eq!(pairs.len(), 1);
    let pair = pairs.values().next().unwrap();
    let rho = after(pair["note"].as_str().unwrap(), "the estimates are correlated ");
    let rank = rounded(&pair["value"].as_float().unwrap().to_string(), 4);
    let by_formula = 6.0 / std::f64::consts::PI * (rho.parse::<f64>().unwrap() / 2.0).asin();
    assert_eq!(rounded(&format!("{by_formula:.12}"), 4), rank);
    guide.says(&format!("({rho} becomes {rank})"));

    let entry = &written["forecast_error"]["parallel_rate"];
    let sigma = rounded(&format!("{}", entry["value"].as_float().unwrap() * 100.0), 2);
    let note = entry["note"].as_str().unwrap();
    let rms = after(note, "the root mean square ");
    let n: u64 = after(note, "parameters fitted to ").parse().unwrap();
    let k: u64 = after(note, "for the ").parse().unwrap();
    guide.says(&format!("here {rms}% × √({n}/{}) = {sigma}%", n - k));
}

/// "Calibration", backtest: the market as written, then refitted.
#[test]
fn the_backtest_sentences_quote_the_scores() {
    let guide = guide();
    let bt = json(&[
        "backtest",
        "fixtures/calibration/market.toml",
        "--observed",
        "fixtures/calibration/parallel-synthetic.csv",
        "--train-until",
        "2023-02",
        "--format",
        "json",
    ]);
    let test = &bt["test"];
    let walk = &bt["benchmarks"][0];
    assert_eq!(walk["name"], "random walk");
    assert!(decimal(num(&test["bias_pct"])) < Decimal::ZERO);
    assert!(decimal(num(&test["coverage_80_pct"])).is_zero());
    assert!(decimal(num(&walk["rmse_pct"])) * Decimal::from(2) < decimal(num(&test["rmse_pct"])));
    guide.says(&format!(
        "the model as written (anchor weight 1, street demand 0) misses the rate by {}%, and its draws of the spillover share and demand elasticity do not cover what happened; the random walk does far better:",
        rounded(num(&test["mae_pct"]), 0)
    ));

    let rolling = json(&[
        "backtest",
        "fixtures/calibration/market.toml",
        "--observed",
        "fixtures/calibration/parallel-synthetic.csv",
        "--rolling",
        "2023-03:2023-05",
        "--refit",
        "parallel_market.street_demand_usd_per_day=0:100000",
        "--refit",
        "parallel_market.anchor_weight",
        "--format",
        "json",
    ]);
    for score in ["rmse_pct", "crps_pct"] {
        let model = decimal(num(&rolling["pooled"][score]));
        for b in rolling["pooled_benchmarks"].as_array().unwrap() {
            assert!(model < decimal(num(&b[score])), "{score}: {b}");
        }
    }
    guide.says("the model beats the benchmarks pooled, on both scores:");
}

/// "Charts and sizes", Numbers and How each picture reads: the figures
/// the charts print, from the built-in model, the flow diagram and the
/// guide's two `diff` what-ifs.
#[test]
fn the_chart_sentences_quote_the_charts_figures() {
    let guide = guide();
    let run = ok(&["run", "--format", "csv"]).stdout;
    let (rate, premium) = (
        cell(&run, "total", "parallel_rate"),
        cell(&run, "total", "premium_pct"),
    );
    guide.says(&format!(
        "{} rather than {}, {} rather than {},",
        rounded(&rate, 0),
        rounded(&rate, 4),
        rounded(&premium, 2),
        rounded(&premium, 4)
    ));

    // The flow diagram's custody band: the opening balance and the revenue in.
    let trace = ok(&["trace", "--format", "csv"]).stdout;
    let row = |section: &str, account: &str| {
        let prefix = format!("{section},{account},");
        let line = trace.lines().find(|l| l.starts_with(&prefix)).unwrap();
        decimal(line[prefix.len()..].split(',').next().unwrap())
    };
    let custody = row("opening", "custody") + row("revenue in", "gross revenue");
    let label = format!("${} billion", per(&custody.to_string(), 1_000_000_000, 1));
    assert!(ok(&["trace", "--format", "svg"])
        .stdout
        .contains(&format!(">{label}<")));
    guide.says(&format!("(`{label}`)"));

    let stricter = json(&[
        "diff",
        "models/iraq-2023.toml",
        "--scenario-b",
        "models/scenarios/stricter-screening.toml",
        "--format",
        "json",
    ]);
    let summary = |v: &Value, metric: &str| -> Value {
        v["summary"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["metric"] == metric)
            .unwrap()
            .clone()
    };
    let parts = |v: &Value, metric: &str| -> Vec<String> {
        let m = v["attribution"]["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == metric)
            .unwrap();
        m["parts"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| num(p).to_string())
            .filter(|p| !decimal(p).is_zero())
            .collect()
    };
    let rates = summary(&stricter, "parallel_rate");
    guide.says(&format!(
        "(a total of {} against {} looks like it)",
        rounded(num(&rates["a"]), 0),
        rounded(num(&rates["b"]), 0)
    ));
    let (rate_parts, premium_parts) = (parts(&stricter, "parallel_rate"), parts(&stricter, "premium_pct"));
    assert_eq!((rate_parts.len(), premium_parts.len()), (1, 1));
    // The guide's `--set-b` diff: the more elastic supply's part.
    let set_b = json(&[
        "diff",
        "--set-b",
        "exports.price_usd_per_bbl@2023-01=65",
        "--set-b",
        "auction.rejection_rate@2023-01=0.75",
        "--set-b",
        "parallel_market.supply_elasticity=1.5",
        "--metric",
        "parallel_rate",
        "--format",
        "json",
    ]);
    let supply = num(&set_b["attribution"]["metrics"][0]["parts"]["parallel_market.supply_elasticity"]);
    guide.says(&format!(
        "labelled signed (`+{}`, `{}`)",
        rounded(&rate_parts[0], 1),
        minus(rounded(supply, 1))
    ));
    // A part of a percentage to three significant figures, trailing
    // zeros dropped as the chart drops them: 23.98 reads 24.
    let pp = rounded(&premium_parts[0], 1);
    guide.says(&format!("(`+{} pp`)", pp.trim_end_matches(".0")));
}

/// "Figures rounded for people": the examples, from the built-in model
/// (and the small model's deductions).
#[test]
fn the_rounding_examples_are_the_models_figures() {
    let guide = guide();
    let run = ok(&["run", "--format", "csv"]).stdout;
    let small = ok(&["run", "fixtures/small.toml", "--format", "csv"]).stdout;
    let total = |metric: &str| cell(&run, "total", metric);
    guide.says(&format!(
        "(`${} bn`, `${} m`, `${}`)",
        per(&total("gross_revenue_usd"), 1_000_000_000, 2),
        per(&total("airlift_cost_usd"), 1_000_000, 1),
        rounded(&cell(&small, "total", "deductions_usd"), 0)
    ));
    // Three significant figures would make it 1,530.
    let rate = total("parallel_rate");
    guide.says(&format!(
        "(`{} IQD per $`, never `{}`)",
        rounded(&rate, 0),
        rounded(
            &((decimal(&rate) / Decimal::TEN).round() * Decimal::TEN).to_string(),
            0
        )
    ));
    guide.says(&format!(
        "(`{}%`, `{}%`, `0.31%`;",
        rounded(&total("premium_pct"), 1),
        rounded(&total("cpi_impact_pct"), 2)
    ));
    guide.says(&format!("**counts** whole: `{} flights`.", total("flights")));
}

/// "Exact numbers": the price impact that lies on a tie, and planes
/// counted in cents.
#[test]
fn the_exact_numbers_sentences_quote_the_engine() {
    let guide = guide();
    let run = ok(&["run", "--format", "csv"]).stdout;
    let records = assumptions("models/iraq-2023.toml");
    let input = |path: &str| decimal(&assumption(&records, path));
    let model: toml::Table = std::fs::read_to_string("models/iraq-2023.toml")
        .unwrap()
        .parse()
        .unwrap();
    let weights: Vec<Decimal> = model["prices"]["lag_weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| decimal(&w.as_float().unwrap().to_string()))
        .collect();
    // The impact in January 2023: the effective rates of it and the two
    // months before, weighted, against the reference rate.
    let months = ["2023-01", "2022-12", "2022-11"];
    assert_eq!(weights.len(), months.len());
    let weighted: Decimal = weights
        .iter()
        .zip(months)
        .map(|(w, m)| *w * decimal(&cell(&run, m, "effective_rate")))
        .sum();
    let reference = input("prices.reference_rate_iqd_per_usd");
    let share = Decimal::from(100)
        * input("prices.basket[Miscellaneous].import_content")
        * input("prices.basket[Miscellaneous].pass_through");
    let numerator = share * (weighted - reference * weights.iter().sum::<Decimal>());
    let exact = (numerator / reference).normalize();
    // The fraction in whole numbers, scaled by the places of the weighted rates.
    let scale = Decimal::from(10i64.pow(weighted.normalize().scale()));
    let shown = cell(&run, "2023-01", "price_impact_pct[Miscellaneous]");
    assert_eq!(exact.scale(), 5, "{exact} is not a tie at four places");
    assert_eq!(
        exact
            .round_dp_with_strategy(4, RoundingStrategy::MidpointNearestEven)
            .to_string(),
        shown
    );
    guide.says(&format!(
        "group's price impact in January 2023 is exactly {exact}% ({} / {}), which dinarflow rounds to {shown}",
        rounded(&(numerator * scale).to_string(), 0),
        rounded(&(reference * scale).to_string(), 0)
    ));

    let capacity = input("airlift.plane_capacity_usd");
    let cash = capacity + Decimal::new(1, 2);
    let set = format!("airlift.cash_usd_per_month={cash}");
    let flights = cell(
        &ok(&["run", "--set", &set, "--format", "csv"]).stdout,
        "2022-11",
        "flights",
    );
    guide.says(&format!(
        "`flights` counts planes exactly in cents: ${} on ${} planes is {flights} flights.",
        rounded(&cash.to_string(), 2),
        rounded(&capacity.to_string(), 0)
    ));
}

/// The `text` block of the guide that follows `lead`, its lines without
/// the block's indent.
fn text_block(lead: &str) -> Vec<String> {
    let text = guide_as_written();
    let rest = &text[text.find(lead).unwrap_or_else(|| panic!("no {lead:?}"))..];
    let open = rest.find("```text\n").unwrap();
    let indent = rest[..open].rsplit('\n').next().unwrap().len();
    let body = &rest[open + "```text\n".len()..];
    body.lines()
        .take_while(|l| l.trim() != "```")
        .map(|l| l.get(indent..).unwrap_or("").to_string())
        .collect()
}

/// The "What the headline rests on, untested" part of the brief as a
/// terminal `width` columns wide shows it.
fn untested_on_terminal(width: usize) -> String {
    let brief = on_terminal(&["brief"], width);
    let from = brief.find("What the headline rests on, untested").unwrap();
    let to = from + brief[from..].find("Set to 0 without").unwrap();
    brief[from..to].to_string()
}

/// "Workbooks, CSV, JSON", the terminal table: the brief's untested
/// assumptions come as records below the width the guide names, and the
/// record it shows is the brief's at 100 columns.
#[test]
fn the_terminal_records_are_the_briefs() {
    // The narrowest terminal that shows them as a table (records below it).
    let as_records = |width: usize| untested_on_terminal(width).contains("-[ RECORD");
    let at_100 = untested_on_terminal(100);
    assert!(at_100.contains("-[ RECORD") && !as_records(400));
    let (mut records, mut table) = (100, 400);
    while table - records > 1 {
        let mid = (records + table) / 2;
        if as_records(mid) {
            records = mid;
        } else {
            table = mid;
        }
    }
    let needs = table;
    guide().says(&format!(
        "(at 100 columns, the brief's untested assumptions, whose name and path, value, two results and reason need {needs}) comes as records"
    ));
    let shown: Vec<&str> = at_100.lines().map(str::trim_end).collect();
    let block = text_block("one `column | value` line per");
    let start = shown
        .iter()
        .position(|l| *l == block[0])
        .unwrap_or_else(|| panic!("{:?} is not in the brief at 100 columns:\n{at_100}", block[0]));
    for (k, line) in block.iter().enumerate() {
        let got = shown.get(start + k).copied().unwrap_or("");
        assert_eq!(
            got,
            line.trim_end(),
            "line {k} of the guide's record; the brief at 100 columns:\n{at_100}"
        );
    }
}

/// "Errors, exit codes and files", What gets printed: mc's note on an
/// 80-column terminal.
#[test]
fn the_wrapped_note_is_mcs() {
    let out = ok(&["mc", "-n", "10", "--metric", "parallel_rate@2024-06", "-q"]);
    let note = out
        .stderr
        .lines()
        .find(|l| l.starts_with("note: a month's parallel_rate"))
        .unwrap();
    let mut wrapped = Vec::new();
    {
        use std::io::Write;
        let mut w = ::dinarflow::render::WrappedMessages::new(&mut wrapped, 80);
        writeln!(w, "{note}").unwrap();
        w.flush().unwrap();
    }
    let wrapped = String::from_utf8(wrapped).unwrap();
    let block = text_block("On an 80-column terminal `mc` says:");
    assert_eq!(wrapped.lines().collect::<Vec<_>>(), block, "{wrapped}");
}
