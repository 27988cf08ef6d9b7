//! `dinarflow check`: valid models list their assumptions and exit 0.

use crate::common::{dinarflow, ok};

#[test]
fn every_shipped_model_passes_check() {
    for m in [
        "models/iraq-2023.toml",
        "models/iraq-2022-baseline.toml",
        "models/oil-for-food-1997.toml",
    ] {
        let o = ok(&["check", m]);
        assert!(o.stdout.starts_with(&format!("{m}: valid model")), "{}", o.stdout);
    }
}

#[test]
fn check_lists_path_value_unit_source() {
    let o = ok(&["check", "fixtures/small.toml"]);
    let line = o
        .stdout
        .lines()
        .find(|l| l.contains("deductions[Kuwait compensation].rate"))
        .unwrap();
    assert!(line.contains("0.05") && line.contains("share") && line.contains("UNSC Res. 1483 (2003)"));
    assert!(line.contains("fixtures/small.toml:24"));
    let offset = o
        .stdout
        .lines()
        .find(|l| l.contains("buyers[China].price_offset"))
        .unwrap();
    assert!(offset.contains("default (not in the file)"));
    assert!(o.stdout.contains("2023-02 | auction.rejection_rate"));
    // 2 buyers × 2 + 1 deduction + volume, price, opening, 1 payment, 6 airlift,
    // 4 auction, 6 parallel, reference, the one lag weight (the default
    // [1], not in the file), 2 items × 3 = 33 parameters.
    assert!(o
        .stdout
        .contains("33 parameters (2 with a source, 31 assumptions), 2 changes, 0 uncertain inputs"));
    let lag = o
        .stdout
        .lines()
        .find(|l| l.starts_with(" prices.lag_weights[0] "))
        .unwrap();
    assert!(
        lag.contains(" 1 | share") && lag.contains("default (not in the file)"),
        "{lag}"
    );
    // A --set of the rejection rate replaces its 2023-02 change, leaving
    // one: "1 change", not "1 changes".
    let o = ok(&[
        "check",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate=0.4",
    ]);
    assert!(
        o.stdout
            .contains("33 parameters (2 with a source, 31 assumptions), 1 change, 0 uncertain inputs"),
        "{}",
        o.stdout
    );
    // mc-6-months.toml draws 4 inputs; three --set leave one.
    let o = ok(&[
        "check",
        "fixtures/mc-6-months.toml",
        "--set",
        "exports.price_usd_per_bbl=80",
        "--set",
        "parallel_market.demand_elasticity=2",
        "--set",
        "parallel_market.spillover_share=0.8",
    ]);
    assert!(o.stdout.contains(", 1 uncertain input\n"), "{}", o.stdout);
}

#[test]
fn check_json() {
    let o = ok(&["check", "models/iraq-2023.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["valid"], true);
    let unc = v["assumptions"]["uncertainty"].as_array().unwrap();
    assert!(!unc.is_empty());
    let p = v["assumptions"]["parameters"].as_array().unwrap();
    let cap = p
        .iter()
        .find(|x| x["path"] == "airlift.plane_capacity_usd")
        .unwrap();
    assert_eq!(cap["value"], "500000000");
    assert_eq!(cap["unit"], "USD");
}

/// The small model with one edit, written to a temporary directory.
/// A step that sets several paths with one note prints it once: the rows
/// after the first say "as above" (small.toml's revaluation sets the
/// official rate and the rejection rate together, at line 71).
#[test]
fn a_step_s_source_is_printed_once() {
    let o = ok(&["check", "fixtures/small.toml"]);
    let at = o.stdout.find("Changes over the timeline:").unwrap();
    let table: Vec<&str> = o.stdout[at..].lines().skip(2).take(4).collect();
    assert_eq!(
        table,
        [
            " from    | path                              | value | unit    | source                                       | where                  ",
            "---------+-----------------------------------+-------+---------+----------------------------------------------+------------------------",
            " 2023-02 | auction.official_rate_iqd_per_usd | 1,310 | IQD/USD | assumption: revaluation and easier screening | fixtures/small.toml:71 ",
            " 2023-02 | auction.rejection_rate            |   0.5 | share   | as above                                     | fixtures/small.toml:71 ",
        ]
    );
    // The built-in model's January 2024 step: one long source for its
    // volume, price and requests, printed once in the brief.
    let brief = ok(&["brief"]).stdout;
    let changes = &brief[brief.find("Changes over the timeline").unwrap()..];
    assert_eq!(changes.matches("SOMO via Shafaq News, 23 Jan 2025").count(), 1);
    let price = changes
        .lines()
        .find(|l| l.starts_with(" 2024-01 | exports.price_usd_per_bbl "))
        .unwrap();
    assert!(price.contains("| as above "), "{price}");
}

fn small_with(dir: &tempfile::TempDir, from: &str, to: &str, extra: &str) -> String {
    let text = std::fs::read_to_string("fixtures/small.toml").unwrap();
    assert!(text.contains(from), "{from}");
    let path = dir.path().join("m.toml");
    std::fs::write(&path, format!("{}{extra}", text.replacen(from, to, 1))).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn every_shipped_model_passes_strict() {
    for m in [
        "models/iraq-2023.toml",
        "models/iraq-2022-baseline.toml",
        "models/oil-for-food-1997.toml",
    ] {
        let o = ok(&["check", "--strict", m]);
        assert_eq!(o.stderr, "", "{m}");
        let o = ok(&["brief", "--strict", m]);
        assert_eq!(o.stderr, "", "{m}");
    }
    assert_eq!(ok(&["brief", "--strict"]).stderr, "");
}

/// A cent a flight is a valid capacity (any amount > 0) but no airlift:
/// 120 million flights a month in the small model. Below $100,000 a
/// flight would cost more to fly than it carries (docs/model.md §2.9).
#[test]
fn a_plane_that_carries_a_cent_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        &dir,
        "plane_capacity_usd = 500000\n",
        "plane_capacity_usd = 0.01\n",
        "",
    );
    let o = ok(&["check", &m]);
    assert_eq!(
        o.stderr,
        format!(
            "\
warning: {m}:35:22: airlift.plane_capacity_usd: 0.01 USD is outside the plausible range 100,000 to 5,000,000,000 USD
   |
35 | plane_capacity_usd = 0.01
   |                      ^^^^
   |
   = note: shipments to Baghdad carry ~$0.5 billion a flight, the largest in the New York Fed's history $2.4 billion (June 2004); a flight costs hundreds of thousands of dollars, so one carrying under $100,000 would cost more to fly than it carries
   = help: check the unit and the digits; if the value is right, cite its source

warning: 1 warning in {m}
"
        )
    );
    assert_eq!(dinarflow(&["check", &m, "--strict"]).code, 2);
}

/// 103 million barrels a day: valid (a volume may be any amount >= 0),
/// but far beyond any exporter; `check` warns, `--strict` refuses.
#[test]
fn a_volume_of_103_million_barrels_a_day_is_warned_and_refused_by_strict() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(&dir, "volume_bpd = 1000\n", "volume_bpd = 103_000_000\n", "");
    let warning = format!(
        "\
warning: {m}:11:14: exports.volume_bpd: 103000000 bbl/day is outside the plausible range 1,000 to 10,000,000 bbl/day (or 0)
   |
11 | volume_bpd = 103_000_000
   |              ^^^^^^^^^^^
   |
   = note: Iraq's record exports are ~3.5M bpd; the world's largest exporter ships ~7–8M bpd
   = help: the volume is barrels a day, not a month or a year

warning: 1 warning in {m}
"
    );
    let o = ok(&["check", &m]);
    assert_eq!(o.stderr, warning);
    assert!(o.stdout.contains("valid model"));
    for command in ["check", "brief"] {
        let o = dinarflow(&[command, &m, "--strict"]);
        assert_eq!(o.code, 2, "{command}");
        assert_eq!(o.stdout, "", "{command}");
        assert_eq!(
            o.stderr,
            format!(
                "{warning}error: --strict: 1 warning in {m}; correct the values, or leave out --strict to go on with them\n"
            ),
            "{command}"
        );
    }
}

/// An official rate of 1.31 in a `[[changes]]` entry (thousands of dinars
/// per dollar) is caught in the change's month, as is a value from `--set`.
#[test]
fn a_rate_written_in_thousands_is_caught_in_a_change_and_from_set() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        &dir,
        "\"auction.official_rate_iqd_per_usd\" = 1310",
        "\"auction.official_rate_iqd_per_usd\" = 1.31",
        "",
    );
    let o = ok(&["check", &m]);
    assert!(
        o.stderr.starts_with(&format!(
            "warning: {m}:71:47: auction.official_rate_iqd_per_usd: from 2023-02: 1.31 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD\n"
        )),
        "{}",
        o.stderr
    );
    assert!(o
        .stderr
        .contains("= help: an exchange rate is dinars per dollar, e.g. 1310, not 1.31"));
    assert_eq!(dinarflow(&["check", &m, "--strict"]).code, 2);
    let o = dinarflow(&[
        "check",
        "fixtures/small.toml",
        "--strict",
        "--set",
        "exports.price_usd_per_bbl=780",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains(
        "warning: fixtures/small.toml: exports.price_usd_per_bbl: 780 USD/bbl is outside the plausible range 5 to 250 USD/bbl (given with --set)\n"
    ), "{}", o.stderr);
}

/// A distribution whose central 98% misses the base value: `check` and
/// every command that draws say so on stderr.
#[test]
fn a_distribution_centred_away_from_the_base_value_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        &dir,
        "",
        "",
        "\n[uncertainty]\n\"exports.price_usd_per_bbl\" = { dist = \"normal\", mean = 55, sd = 8 }\n",
    );
    let headline = format!(
        "warning: {m}:75:31: uncertainty.\"exports.price_usd_per_bbl\": the base value 80 USD/bbl ({m}:12) lies outside P1–P99 of normal(mean 55, sd 8), 36.3892 to 73.6108 USD/bbl\n"
    );
    let o = ok(&["check", &m]);
    assert!(o.stderr.starts_with(&headline), "{}", o.stderr);
    assert!(o
        .stderr
        .contains("= note: the Monte Carlo is centred elsewhere than the base value\n"));
    assert!(o
        .stderr
        .contains("= help: edit the distribution or use a drawn factor \"exports.price_usd_per_bbl*\"\n"));
    assert_eq!(dinarflow(&["check", &m, "--strict"]).code, 2);
    for args in [
        vec!["mc", &m, "-n", "64", "-q"],
        vec!["tornado", &m, "--metric", "parallel_rate", "-q"],
        vec!["sobol", &m, "-n", "8", "-q"],
        vec!["morris", &m, "-r", "2", "-q"],
    ] {
        let o = ok(&args);
        assert!(o.stderr.contains(&headline), "{args:?}: {}", o.stderr);
    }
    // Centred on it: nothing to say.
    let m = small_with(
        &dir,
        "",
        "",
        "\n[uncertainty]\n\"exports.price_usd_per_bbl\" = { dist = \"normal\", mean = 80, sd = 8 }\n",
    );
    // (mc's only note: 1 of its 64 draws, at a low oil price, runs the
    // small model's custody account dry.)
    let mc = ok(&["mc", &m, "-n", "64", "-q"]).stderr;
    assert!(
        mc.starts_with("note: in 1.56% of the draws (1 of 64) the custody account")
            && mc.lines().count() == 1,
        "{mc}"
    );
    assert_eq!(ok(&["check", &m, "--strict"]).stderr, "");
}

#[test]
fn check_takes_set_like_every_model_command() {
    let o = ok(&[
        "check",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate=0.6",
    ]);
    let line = o
        .stdout
        .lines()
        .find(|l| l.starts_with(" auction.rejection_rate "))
        .unwrap();
    assert!(line.contains("0.6") && line.contains("--set"), "{line}");
    assert!(o
        .stderr
        .contains("note: --set auction.rejection_rate=0.6 holds for the whole timeline"));
    // Checked like any --set: out of range is refused.
    let o = dinarflow(&[
        "check",
        "fixtures/small.toml",
        "--set",
        "auction.rejection_rate=80",
    ]);
    assert_eq!(o.code, 2, "{}", o.stderr);
}

/// CSV is every command's tidy table with exact values (as `run`'s), never
/// a terminal table under a CSV name; a command without one refuses CSV
/// (`brief`), and `check` has one: each value with the month it holds from.
#[test]
fn check_csv_is_a_tidy_table_of_values() {
    let o = ok(&["check", "fixtures/small.toml", "--format", "csv"]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "from,path,value,unit,source,note,where");
    assert_eq!(
        lines[2],
        "2023-01,exports.price_usd_per_bbl,80,USD/bbl,made up for the test,,fixtures/small.toml:12"
    );
    assert!(lines.contains(&"2023-01,custody.opening_balance_usd,1000000,USD,,,fixtures/small.toml:27"));
    assert_eq!(
        lines.last().unwrap(),
        &"2023-02,auction.rejection_rate,0.5,share,,revaluation and easier screening,fixtures/small.toml:71"
    );
    // 33 parameters and 2 changes, each a record of 7 fields; the lag
    // weights follow the reference rate, here the default [1].
    assert_eq!(lines.len(), 1 + 33 + 2);
    assert!(lines.contains(&"2023-01,prices.lag_weights[0],1,share,,,"));
    assert!(!o.stdout.contains(" | "));
    // --out FILE.csv writes the same.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("assumptions.csv");
    ok(&["check", "fixtures/small.toml", "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), o.stdout);
    // brief has no tidy table and says so, as before.
    let o = dinarflow(&["brief", "fixtures/small.toml", "--format", "csv"]);
    assert_eq!(o.code, 2);
    assert!(o.stdout.is_empty());
}

/// docs/model.md lists every parameter's plausible range and its basis,
/// exactly as the registry has them.
#[test]
fn the_model_reference_lists_every_plausible_range() {
    let docs = std::fs::read_to_string("docs/model.md").unwrap();
    let missing: Vec<String> = dinarflow::model::FIELDS
        .iter()
        .map(|f| {
            let r = &f.plausible;
            format!(
                "| `{}` | {} to {}{} | {} | {} |",
                f.path.replace("[*]", "[NAME]"),
                dinarflow::render::thousands(r.lo()),
                dinarflow::render::thousands(r.hi()),
                if r.zero { ", or 0" } else { "" },
                f.unit,
                r.basis
            )
        })
        .filter(|row| !docs.contains(row.as_str()))
        .collect();
    assert!(missing.is_empty(), "docs/model.md lacks:\n{}", missing.join("\n"));
}

/// `check --format json` on a model that does not load still prints JSON
/// (`"valid": false`, each problem with line, column, path, message and
/// what is allowed), and still fails with exit 2 and the rendered errors
/// on stderr. The first problem is `volume_bpd = -1000` on line 11, the
/// value starting in column 14.
#[test]
fn json_of_an_invalid_model_lists_its_problems() {
    let o = crate::common::dinarflow(&["check", "fixtures/bad/multiple-problems.toml", "--format", "json"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("error: 5 problems in fixtures/bad/multiple-problems.toml"),
        "{}",
        o.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["file"], "fixtures/bad/multiple-problems.toml");
    assert_eq!(v["problems"].as_array().unwrap().len(), 5);
    assert_eq!(
        v["problems"][0],
        serde_json::json!({
            "line": 11, "column": 14, "path": "exports.volume_bpd",
            "message": "-1000 is out of range", "allowed": ">= 0", "help": null, "note": null
        })
    );
    assert_eq!(v["strict"], false);
    assert_eq!(v["problems"][3]["help"], "did you mean `rejection_rate`?");
    // The table format keeps standard output empty on an error.
    let o = crate::common::dinarflow(&["check", "fixtures/bad/multiple-problems.toml"]);
    assert_eq!((o.code, o.stdout.as_str()), (2, ""));
}

/// A `[[changes]]` entry from the timeline's first month hides the base
/// value written in [auction]: every command that warns says so, at the
/// change with the base value's line, `--strict` refuses it, and the
/// assumptions list the change's value as the one in force (they listed
/// the unused base value, 0.8, with its line, as if it held).
#[test]
fn a_change_in_the_first_month_that_hides_the_base_value_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        &dir,
        "from = \"2023-02\"\nset = { \"auction.official_rate_iqd_per_usd\" = 1310, \"auction.rejection_rate\" = 0.5 }",
        "from = \"2023-01\"\nset = { \"auction.rejection_rate\" = 0.5 }",
        "",
    );
    let warning = format!(
        "\
warning: {m}:71:36: auction.rejection_rate: the [[changes]] entry from 2023-01 ({m}:71), the timeline's first month, replaces the base value 0.8 ({m}:45) in every month, so the base value is never used
   |
45 | rejection_rate = 0.8
   |                  --- never used
46 |
...
70 | from = \"2023-01\"
71 | set = {{ \"auction.rejection_rate\" = 0.5 }}
   |                                    ^^^ in force from 2023-01
   |
   = note: check, brief and explain list the change's value as the one in force from the first month
   = help: write the value in force from 2023-01 as the base value in [auction] and remove it from the change, or start the change in a later month

warning: 1 warning in {m}
"
    );
    let o = ok(&["check", &m]);
    assert_eq!(o.stderr, warning);
    let row = o
        .stdout
        .lines()
        .find(|l| l.starts_with(" auction.rejection_rate "))
        .unwrap();
    assert!(row.contains("|       0.5 | share "), "{row}");
    assert!(row.contains(&format!("| {m}:71 ")), "{row}");
    assert!(
        o.stdout.contains("the base value 0.8") && o.stdout.contains(&format!("({m}:45)")),
        "{}",
        o.stdout
    );
    for command in ["check", "brief"] {
        assert_eq!(dinarflow(&[command, &m, "--strict"]).code, 2, "{command}");
    }
    for args in [
        vec!["brief", &m],
        vec!["run", &m],
        vec!["explain", &m, "parallel_rate@2023-01"],
    ] {
        let o = ok(&args);
        assert!(o.stderr.starts_with(&warning), "{args:?}: {}", o.stderr);
    }
    // From the second month the base value holds in the first: no warning.
    let later = small_with(&dir, "", "", "");
    assert_eq!(ok(&["check", &later, "--strict"]).stderr, "");
}

/// Every refusal of `check --format json` is JSON a script can parse: a
/// file that is not there, and a valid model `--strict` refuses for a
/// warning (103,000,000 bbl/day is over the plausible 10,000,000). A
/// valid model lists its warnings (none for the small model; the same
/// one with the implausible volume), so a script need not read stderr.
#[test]
fn json_of_every_refusal_and_of_a_valid_models_warnings() {
    let json = |args: &[&str]| {
        let o = crate::common::dinarflow(args);
        let v: serde_json::Value =
            serde_json::from_str(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", o.stdout));
        (o.code, v)
    };
    let (code, v) = json(&["check", "no-such-model.toml", "--format", "json"]);
    assert_eq!(code, 2);
    assert_eq!(
        v,
        serde_json::json!({
            "valid": false, "file": "no-such-model.toml", "strict": false,
            "problems": [{"line": null, "column": null, "path": "", "message": "no such file",
                          "allowed": null, "help": null, "note": null}]
        })
    );
    let huge = "exports.volume_bpd=103000000";
    let (code, v) = json(&[
        "check",
        "fixtures/small.toml",
        "--strict",
        "--set",
        huge,
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        (&v["valid"], &v["strict"]),
        (&serde_json::json!(false), &serde_json::json!(true))
    );
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0]["path"], "exports.volume_bpd");
    assert_eq!(
        problems[0]["message"],
        "103000000 bbl/day is outside the plausible range 1,000 to 10,000,000 bbl/day (or 0) (given with --set)"
    );
    let (code, v) = json(&["check", "fixtures/small.toml", "--set", huge, "--format", "json"]);
    assert_eq!((code, &v["valid"]), (0, &serde_json::json!(true)));
    assert_eq!(v["warnings"][0]["path"], "exports.volume_bpd");
    assert_eq!(
        v["warnings"][0]["help"],
        "the volume is barrels a day, not a month or a year"
    );
    let (code, v) = json(&["check", "fixtures/small.toml", "--format", "json"]);
    assert_eq!((code, v["warnings"].as_array().map(Vec::len)), (0, Some(0)));
}
