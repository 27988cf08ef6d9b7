//! `--horizon YYYY-MM`: a model run past its last month, each added month
//! holding the last month's inputs. The independent path is the same
//! model file with `[timeline] months` edited to reach the horizon: every
//! command must print the same numbers from both, byte for byte (the two
//! files are written under the same name in two folders, so that even the
//! file names in the outputs agree). Hand-worked numbers are on
//! fixtures/small.toml: 1,000 bbl/day at $80 from February on, so a month
//! of 30 days grosses $2,400,000 and one of 31 days $2,480,000.

use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate, Weekday};
use serde_json::Value;

use crate::common::{dinarflow, ok, Cmd, Output, MONTH_NAMES};

const SMALL: &str = "fixtures/small.toml";

/// `YYYY-MM` as (year, month).
fn ym(text: &str) -> (i32, u32) {
    let (y, m) = text.split_once('-').unwrap();
    (y.parse().unwrap(), m.parse().unwrap())
}

/// The month `n` months after `text`.
fn later(text: &str, n: u32) -> String {
    let (y, m) = ym(text);
    let i = y * 12 + m as i32 - 1 + n as i32;
    format!("{:04}-{:02}", i / 12, i % 12 + 1)
}

/// `December 2023`.
fn name(text: &str) -> String {
    let (y, m) = ym(text);
    format!("{} {y}", MONTH_NAMES[m as usize - 1])
}

/// The line every report made with a horizon carries.
fn line(end: &str, horizon: &str) -> String {
    format!(
        "Months after {end} hold {}'s inputs (--horizon {horizon})",
        name(end)
    )
}

/// A model's first month, number of months and last month, as the file says.
fn timeline(text: &str) -> (String, u32, String) {
    let m = dinarflow::model::load_str("model.toml", text).unwrap();
    (
        m.timeline.start.to_string(),
        m.timeline.months.len() as u32,
        m.timeline.end().to_string(),
    )
}

/// `text` with `[timeline] months` set to `n`: the line `months = …`
/// after `[timeline]` gets the new number, its comment kept.
fn with_months(text: &str, n: u32) -> String {
    let at = text.find("[timeline]").expect("a [timeline] table");
    let mut out = text[..at].to_string();
    let mut done = false;
    for l in text[at..].split_inclusive('\n') {
        let t = l.trim_start();
        let is_months = t
            .strip_prefix("months")
            .is_some_and(|rest| rest.trim_start().starts_with('='));
        if !done && is_months {
            let eq = l.find('=').unwrap();
            let rest = l[eq + 1..].trim_start();
            let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
            out.push_str(&format!("{}= {n}{}", &l[..eq], &rest[digits..]));
            done = true;
        } else {
            out.push_str(l);
        }
    }
    assert!(done, "no `months = …` in [timeline]");
    out
}

/// The same model twice under one name, `model.toml`: as written (run
/// with `--horizon`) and with its timeline edited to reach the horizon.
struct Pair {
    _dirs: (tempfile::TempDir, tempfile::TempDir),
    horizon_dir: PathBuf,
    edited_dir: PathBuf,
    horizon: String,
    end: String,
}

impl Pair {
    /// `text` run `extra` months past its end.
    fn new(text: &str, extra: u32) -> Pair {
        let (_, months, end) = timeline(text);
        let horizon = later(&end, extra);
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(a.path().join("model.toml"), text).unwrap();
        std::fs::write(b.path().join("model.toml"), with_months(text, months + extra)).unwrap();
        assert_eq!(
            timeline(&with_months(text, months + extra)).2,
            horizon,
            "the edited file ends at the horizon"
        );
        Pair {
            horizon_dir: a.path().to_path_buf(),
            edited_dir: b.path().to_path_buf(),
            _dirs: (a, b),
            horizon,
            end,
        }
    }

    fn of_file(path: &str, extra: u32) -> Pair {
        Pair::new(&std::fs::read_to_string(path).unwrap(), extra)
    }

    /// Writes `name` with `text` beside both models (a scenario, observations).
    fn beside(&self, name: &str, text: &str) {
        std::fs::write(self.horizon_dir.join(name), text).unwrap();
        std::fs::write(self.edited_dir.join(name), text).unwrap();
    }

    /// `args` (`model.toml` among them) with `--horizon`, and on the edited file.
    fn both(&self, args: &[&str]) -> (Output, Output) {
        let mut with: Vec<&str> = args.to_vec();
        with.extend(["--horizon", &self.horizon]);
        (
            Cmd::new(&with).dir(&self.horizon_dir).ok(),
            Cmd::new(args).dir(&self.edited_dir).ok(),
        )
    }

    /// Both runs print the same standard output, byte for byte.
    fn same(&self, args: &[&str]) -> (Output, Output) {
        let (h, e) = self.both(args);
        assert!(!h.stdout.is_empty(), "{args:?}");
        assert!(
            h.stdout == e.stdout,
            "{args:?}: --horizon {} differs from the edited file",
            self.horizon
        );
        (h, e)
    }

    fn file(&self, dir: &Path, name: &str) -> Vec<u8> {
        std::fs::read(dir.join(name)).unwrap()
    }
}

/// The note `--horizon` says on stderr for `model.toml`.
fn note(end: &str, horizon: &str, added: u32, market: bool) -> String {
    let months = if added == 1 {
        format!("1 month past its last month, {end}: {horizon} holds")
    } else {
        format!(
            "{added} months past its last month, {end}: {} to {horizon} hold",
            later(end, 1)
        )
    };
    let mut n = format!(
        "note: --horizon {horizon} runs model.toml {months} {}'s inputs",
        name(end)
    );
    if market {
        n.push_str(&format!(
            "; {} auction sessions are the days outside the weekend (Fri+Sat), with no holidays",
            if added == 1 { "its" } else { "their" }
        ));
    }
    n + "\n"
}

/// `value` with `model.horizon` taken out, which it must hold.
fn without_horizon(mut value: Value, side: &str, end: &str, horizon: &str, added: u32) -> Value {
    let h = value[side]
        .as_object_mut()
        .unwrap()
        .remove("horizon")
        .expect("model.horizon in the JSON");
    assert_eq!(
        h,
        serde_json::json!({
            "month": horizon,
            "model_end": end,
            "months_added": added,
            "note": line(end, horizon),
        })
    );
    value
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// Every shipped model with a timeline.
fn shipped() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir("models")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.sort();
    out
}

#[test]
fn run_with_a_horizon_is_every_shipped_model_with_its_timeline_edited() {
    let models = shipped();
    for want in [
        "iraq-2023.toml",
        "iraq-2022-baseline.toml",
        "oil-for-food-1991.toml",
        "oil-for-food-1997.toml",
    ] {
        assert!(models.iter().any(|p| p.ends_with(want)), "{want}");
    }
    for path in &models {
        let text = std::fs::read_to_string(path).unwrap();
        // 18 months: past a year's end, and through February 2024 (a leap
        // month) for the 2023 model.
        let pair = Pair::new(&text, 18);
        let market = text.contains("\n[auction]");
        let (h, e) = pair.same(&["run", "model.toml", "--format", "csv"]);
        // Held for 18 months, the 2023 model's outflows (payments abroad,
        // the airlift and the auction's wires) exceed its revenue and its
        // custody account runs dry: both runs say so, in the month its
        // balance first reads 0.
        let dry = if path.ends_with("iraq-2023.toml") {
            let month = e
                .stdout
                .lines()
                .find(|l| l.ends_with(",custody_balance_usd,0.00"))
                .map(|l| &l[..7])
                .unwrap();
            assert_eq!(month, "2026-04");
            "note: the custody account (the CBI's account at the New York Fed) ran dry in Apr 2026; from then it \
             pays out only what each month's revenue brings in, and the approved wires it cannot send go unmet \
             (unmet_usd) and raise the parallel rate\n"
        } else {
            assert!(!e.stdout.contains(",custody_balance_usd,0.00\n"), "{path:?}");
            ""
        };
        assert_eq!(
            h.stderr,
            note(&pair.end, &pair.horizon, 18, market) + dry,
            "{path:?}"
        );
        assert_eq!(e.stderr, dry, "{path:?}");
        // The table and Markdown say the horizon under the title, then a
        // blank line; the rest is the edited file's.
        for format in ["table", "md"] {
            let (h, e) = pair.both(&["run", "model.toml", "--format", format]);
            let said = format!(
                "Months after {} hold {}'s inputs (--horizon {})\n\n",
                pair.end,
                name(&pair.end),
                pair.horizon
            );
            assert!(h.stdout.contains(&said), "{path:?}: {}", h.stdout);
            assert_eq!(h.stdout.replacen(&said, "", 1), e.stdout, "{path:?} {format}");
        }
        let (h, e) = pair.both(&["run", "model.toml", "--format", "json"]);
        assert_eq!(
            without_horizon(json(&h.stdout), "model", &pair.end, &pair.horizon, 18),
            json(&e.stdout),
            "{path:?}"
        );
    }
}

#[test]
fn a_horizon_at_the_last_month_changes_nothing() {
    let (_, _, end) = timeline(&std::fs::read_to_string(SMALL).unwrap());
    let with = ok(&["run", SMALL, "--horizon", &end, "--format", "json"]);
    let without = ok(&["run", SMALL, "--format", "json"]);
    assert_eq!(with.stdout, without.stdout);
    assert_eq!(
        with.stderr,
        format!("note: --horizon {end} is the last month of {SMALL}; nothing is added\n")
    );
}

/// The added months' sessions are the days that are not Friday or
/// Saturday (counted here with chrono); the model's holidays stay in its
/// own months.
#[test]
fn sessions_of_added_months_are_weekdays_without_holidays() {
    let text = std::fs::read_to_string("models/iraq-2023.toml").unwrap();
    assert!(text.contains("holidays = ["), "the 2023 model has holidays");
    let pair = Pair::new(&text, 14);
    let sessions = |csv: &str| -> Vec<(String, u32)> {
        csv.lines()
            .filter_map(|l| l.split_once(",sessions,"))
            .filter(|(m, _)| *m != "total")
            .map(|(m, v)| (m.to_string(), v.parse().unwrap()))
            .collect()
    };
    let (h, _) = pair.same(&["run", "model.toml", "--format", "csv"]);
    let got = sessions(&h.stdout);
    let own = sessions(&ok(&["run", "models/iraq-2023.toml", "--format", "csv"]).stdout);
    assert_eq!(
        &got[..own.len()],
        &own[..],
        "the model's own months keep their holidays"
    );
    assert_eq!(got.len(), own.len() + 14);
    for (month, n) in &got[own.len()..] {
        let (y, m) = ym(month);
        let mut d = NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        let mut weekdays = 0;
        while d.month() == m {
            if !matches!(d.weekday(), Weekday::Fri | Weekday::Sat) {
                weekdays += 1;
            }
            d = d.succ_opt().unwrap();
        }
        assert_eq!(*n, weekdays, "{month}");
    }
}

#[test]
fn mc_with_a_seed_draws_what_the_edited_file_draws() {
    let pair = Pair::of_file("models/iraq-2023.toml", 6);
    let last = format!("parallel_rate@{}", pair.horizon);
    let args = [
        "mc",
        "model.toml",
        "-n",
        "3000",
        "--seed",
        "17",
        "--metric",
        "parallel_rate",
        "--metric",
        &last,
        "--metric",
        "cpi_impact_pct:last",
        "--draws",
        "draws.csv",
        "--format",
        "csv",
        "-q",
    ];
    pair.same(&args);
    let draws = pair.file(&pair.horizon_dir, "draws.csv");
    assert!(!draws.is_empty());
    assert!(
        draws == pair.file(&pair.edited_dir, "draws.csv"),
        "every draw the same"
    );
    // Latin hypercube too.
    let mut lhs = args.to_vec();
    lhs.extend(["--sampler", "lhs"]);
    pair.same(&lhs);
}

#[test]
fn sweep_tornado_and_the_other_commands_match_the_edited_file() {
    let small = Pair::of_file(SMALL, 4);
    let at = |m: &str| format!("{m}@{}", small.horizon);
    let (rate, cpi) = (at("parallel_rate"), at("cpi_impact_pct"));
    let step = format!("exports.price_usd_per_bbl@{}=60", later(&small.end, 2));
    for args in [
        vec![
            "sweep",
            "model.toml",
            "--vary",
            "auction.rejection_rate=0.3:0.9:0.2",
            "--metric",
            "parallel_rate",
            "--metric",
            &rate,
        ],
        vec![
            "sweep",
            "model.toml",
            "--vary",
            "auction.cash_share=0.1,0.3",
            "--vary",
            "auction.rejection_rate=0.5,0.7",
            "--metric",
            &cpi,
        ],
        vec!["tornado", "model.toml", "--metric", "cpi_impact_pct:last"],
        vec![
            "tornado",
            "model.toml",
            "--metric",
            &rate,
            "--scale",
            "exports.price_usd_per_bbl=0.8:1.2",
        ],
        vec![
            "solve",
            "model.toml",
            "--vary",
            "auction.rejection_rate",
            "--target",
            &format!("{rate}=1750"),
        ],
        vec!["trace", "model.toml"],
        vec!["explain", "model.toml", &rate],
        vec!["check", "model.toml"],
        vec!["run", "model.toml", "--set", &step],
    ] {
        let mut a = args.clone();
        a.extend(["--format", "csv"]);
        if a[0] != "run" && a[0] != "check" && a[0] != "trace" && a[0] != "explain" {
            a.push("-q");
        }
        small.same(&a);
    }
    let big = Pair::of_file("models/iraq-2023.toml", 6);
    let rate = format!("parallel_rate@{}", big.horizon);
    big.same(&[
        "sobol",
        "model.toml",
        "-n",
        "128",
        "--metric",
        &rate,
        "--format",
        "csv",
        "-q",
    ]);
    big.same(&["morris", "model.toml", "--metric", &rate, "--format", "csv", "-q"]);
    big.same(&[
        "tornado",
        "model.toml",
        "--metric",
        &rate,
        "--format",
        "csv",
        "-q",
    ]);
    // The brief says the same, with the horizon's line besides.
    let (h, e) = big.both(&["brief", "model.toml", "--format", "json"]);
    assert_eq!(
        without_horizon(json(&h.stdout), "model", &big.end, &big.horizon, 6),
        json(&e.stdout)
    );
    let (h, e) = big.both(&["brief", "model.toml"]);
    let l = format!("{}\n", line(&big.end, &big.horizon));
    assert_eq!(h.stdout.matches(&l).count(), 1, "{}", h.stdout);
    // The commands it suggests run the model as briefed, so they carry
    // the horizon too (`dinarflow mc model.toml --horizon …`).
    let carried = format!(" --horizon {}", big.horizon);
    assert!(
        h.stdout
            .contains(&format!("`dinarflow tornado model.toml{carried} --metric ")),
        "{}",
        h.stdout
    );
    assert_eq!(h.stdout.replacen(&l, "", 1).replace(&carried, ""), e.stdout);
}

/// $85 a barrel in the last added month (31 days): 1,000 × 31 × 85 =
/// $2,635,000 gross, which `solve` finds from the gross alone.
#[test]
fn solve_finds_a_value_of_an_added_month_worked_out_by_hand() {
    let o = ok(&[
        "solve",
        SMALL,
        "--horizon",
        "2023-05",
        "--vary",
        "exports.price_usd_per_bbl@2023-05",
        "--target",
        "gross_revenue_usd@2023-05=2635000",
        "--format",
        "csv",
        "-q",
    ]);
    assert!(
        o.stdout.contains("exports.price_usd_per_bbl@2023-05,85,"),
        "{}",
        o.stdout
    );
}

#[test]
fn diff_runs_both_sides_to_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SMALL).unwrap();
    let (_, months, _) = timeline(&text);
    let longer = dir.path().join("longer.toml");
    std::fs::write(&longer, with_months(&text, months + 1)).unwrap();
    let longer = longer.to_str().unwrap();
    let (_, _, b_end) = timeline(&with_months(&text, months + 1));
    // Without a horizon the two timelines cannot be switched month by month.
    let o = ok(&["diff", SMALL, longer, "--format", "json", "-q"]);
    assert_eq!(json(&o.stdout)["attribution"]["available"], false);
    // With it, A is run to B's end and the two are the same model.
    let o = ok(&[
        "diff",
        SMALL,
        longer,
        "--horizon",
        &b_end,
        "--format",
        "json",
        "-q",
    ]);
    let a_end = timeline(&text).2;
    let v = without_horizon(json(&o.stdout), "a", &a_end, &b_end, 1);
    assert!(v["b"].get("horizon").is_none(), "B already ends at the horizon");
    assert_eq!(v["attribution"]["available"], true);
    assert_eq!(v["differences"], serde_json::json!([]));
    for row in v["summary"].as_array().unwrap() {
        assert_eq!(row["a"], row["b"], "{row}");
    }
    assert_eq!(
        o.stderr,
        format!(
            "note: --horizon {b_end} runs {SMALL} 1 month past its last month, {}: {b_end} holds {}'s inputs; \
             its auction sessions are the days outside the weekend (Fri+Sat), with no holidays\n\
             note: --horizon {b_end} is the last month of {longer}; nothing is added\n",
            timeline(&text).2,
            name(&timeline(&text).2)
        )
    );
    let o = ok(&["diff", SMALL, longer, "--horizon", &b_end, "-q"]);
    assert!(
        o.stdout.contains(&format!(
            "          with months after {0} holding {1}'s inputs (--horizon {b_end})\n",
            timeline(&text).2,
            name(&timeline(&text).2)
        )),
        "{}",
        o.stdout
    );

    // A model against itself under a scenario: as on the edited file.
    let pair = Pair::of_file("models/iraq-2023.toml", 6);
    pair.beside(
        "s.toml",
        &std::fs::read_to_string("models/scenarios/stricter-screening.toml").unwrap(),
    );
    pair.same(&[
        "diff",
        "model.toml",
        "--scenario-b",
        "s.toml",
        "--format",
        "csv",
        "-q",
    ]);
    // The table says so under each side, and is otherwise the same.
    let (h, e) = pair.both(&["diff", "model.toml", "--scenario-b", "s.toml", "-q"]);
    let l = format!(
        "          with months after {} holding {}'s inputs (--horizon {})\n",
        pair.end,
        name(&pair.end),
        pair.horizon
    );
    assert_eq!(h.stdout.matches(&l).count(), 2, "{}", h.stdout);
    assert_eq!(h.stdout.replace(&l, ""), e.stdout);
    let (h, e) = pair.both(&[
        "diff",
        "model.toml",
        "--scenario-b",
        "s.toml",
        "--format",
        "json",
        "-q",
    ]);
    let h = without_horizon(json(&h.stdout), "a", &pair.end, &pair.horizon, 6);
    assert_eq!(
        without_horizon(h, "b", &pair.end, &pair.horizon, 6),
        json(&e.stdout)
    );
}

/// A scenario may change a month the horizon adds: the horizon applies
/// first. Oil at $60 from April 2023: 1,000 × 30 × 60 = $1,800,000 in
/// April, × 31 = $1,860,000 in May.
#[test]
fn a_scenario_may_change_the_months_the_horizon_adds() {
    let pair = Pair::of_file(SMALL, 3);
    assert_eq!((pair.end.as_str(), pair.horizon.as_str()), ("2023-02", "2023-05"));
    pair.beside(
        "s.toml",
        "[scenario]\nname = \"Cheaper oil after the model\"\n\n[[changes]]\nfrom = \"2023-04\"\nset = { \"exports.price_usd_per_bbl\" = 60 }\n",
    );
    let o = Cmd::new(&["run", "model.toml", "--scenario", "s.toml"])
        .dir(&pair.horizon_dir)
        .run();
    assert_eq!(o.code, 2);
    assert_eq!(o.stdout, "");
    assert_eq!(
        o.stderr,
        "\
error: s.toml:5:8: changes[0].from: 2023-04 is outside the timeline (allowed: a month from 2023-01 to 2023-02)
  |
5 | from = \"2023-04\"
  |        ^^^^^^^^^
  |
  = help: run the model on to 2023-04 with --horizon 2023-04 (or later): scenarios apply after the horizon

error: 1 problem in s.toml
"
    );
    let (h, _) = pair.same(&["run", "model.toml", "--scenario", "s.toml", "--format", "csv"]);
    for (month, gross) in [
        ("2023-03", "2480000.00"),
        ("2023-04", "1800000.00"),
        ("2023-05", "1860000.00"),
    ] {
        let row = format!("{month},gross_revenue_usd,{gross}\n");
        assert!(h.stdout.contains(&row), "{row}");
    }
    // `--set PATH@YYYY-MM` in an added month, likewise.
    pair.same(&[
        "run",
        "model.toml",
        "--set",
        "exports.price_usd_per_bbl@2023-04=60",
        "--format",
        "csv",
    ]);
    let o = dinarflow(&["run", SMALL, "--set", "exports.price_usd_per_bbl@2023-04=60"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: --set exports.price_usd_per_bbl@2023-04=60: 2023-04 is outside the timeline (2023-01 to 2023-02); \
         --horizon 2023-04 runs the model on to that month\n"
    );
}

#[test]
fn a_bad_horizon_is_refused_by_every_model_command_naming_what_is_allowed() {
    let cases = [
        (
            "2022-12",
            "error: --horizon 2022-12: fixtures/small.toml ends in 2023-02, and a horizon runs a model past its end, \
             never short of it (allowed: a month from 2023-02 to 2072-12)\n",
        ),
        (
            "2073-01",
            "error: --horizon 2073-01: fixtures/small.toml would run 601 months, from 2023-01 to 2073-01; \
             a model runs at most 600 (allowed: a month from 2023-02 to 2072-12)\n",
        ),
        (
            "2023-4",
            "error: --horizon 2023-4: \"2023-4\" is not a month (allowed: a month from 2023-02 to 2072-12, written YYYY-MM)\n",
        ),
        (
            "",
            "error: --horizon : \"\" is not a month (allowed: a month from 2023-02 to 2072-12, written YYYY-MM)\n",
        ),
    ];
    let obs = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        obs.path(),
        "date,metric,value\n2023-01,gross_revenue_usd,2480000\n",
    )
    .unwrap();
    let obs = obs.path().to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["run", SMALL],
        vec!["brief", SMALL],
        vec!["check", SMALL],
        vec!["trace", SMALL],
        vec!["explain", SMALL, "parallel_rate"],
        vec!["sweep", SMALL, "--vary", "auction.rejection_rate=0.5"],
        vec!["tornado", SMALL, "--metric", "parallel_rate"],
        vec![
            "solve",
            SMALL,
            "--vary",
            "auction.rejection_rate",
            "--target",
            "parallel_rate=1600",
        ],
        vec!["mc", SMALL, "-n", "10"],
        vec!["sobol", SMALL, "-n", "64"],
        vec!["morris", SMALL],
        vec![
            "fit",
            SMALL,
            "--observed",
            obs,
            "--vary",
            "exports.price_usd_per_bbl",
        ],
        vec!["backtest", SMALL, "--observed", obs],
        vec!["diff", SMALL, SMALL],
        vec!["serve", SMALL, "--port", "0"],
    ];
    for (value, expected) in cases {
        for c in &commands {
            let mut args = c.clone();
            args.extend(["--horizon", value]);
            let o = dinarflow(&args);
            assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
            assert_eq!(o.stdout, "", "{args:?}");
            assert_eq!(o.stderr, expected, "{args:?}");
        }
    }
}

#[test]
fn a_horizon_before_one_side_of_a_diff_names_that_side() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(SMALL).unwrap();
    let b = dir.path().join("b.toml");
    std::fs::write(&b, with_months(&text, 3)).unwrap();
    let b = b.to_str().unwrap();
    let o = dinarflow(&["diff", SMALL, b, "--horizon", "2023-02"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            "note: --horizon 2023-02 is the last month of {SMALL}; nothing is added\n\
             error: --horizon 2023-02: {b} ends in 2023-03, and a horizon runs a model past its end, never short of it \
             (allowed: a month from 2023-03 to 2072-12)\n"
        )
    );
}

/// The built-in model, whose timeline grows: its months are read from it.
fn built_in() -> (String, String) {
    let m = dinarflow::model::load_str("built-in", dinarflow::cli::DEFAULT_MODEL).unwrap();
    (m.timeline.start.to_string(), m.timeline.end().to_string())
}

#[test]
fn a_bad_horizon_on_the_built_in_model_names_its_months() {
    let (start, end) = built_in();
    let o = dinarflow(&["brief", "--horizon", "1999-01"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            "error: --horizon 1999-01: iraq-2023.toml (built in) ends in {end}, and a horizon runs a model past its end, \
             never short of it (allowed: a month from {end} to {})\n",
            later(&start, 599)
        )
    );
}

#[test]
fn the_brief_names_the_horizon_in_every_format() {
    let (_, end) = built_in();
    let horizon = later(&end, 6);
    let expected = line(&end, &horizon);
    for format in ["table", "md"] {
        let o = ok(&["brief", "--horizon", &horizon, "--format", format]);
        let lines: Vec<&str> = o.stdout.lines().collect();
        // Under the title and the period.
        assert_eq!(lines[2], expected, "{format}: {}", o.stdout);
    }
    let o = ok(&[
        "brief",
        "--horizon",
        &horizon,
        "--format",
        "html",
        "--draws",
        "200",
    ]);
    assert!(o.stdout.contains(&format!("<p>{expected}</p>")), "html");
    // The fan chart's subtitle says it too.
    assert!(o.stdout.contains(&format!(
        "seed 1 · months after {end} hold {}'s inputs (--horizon {horizon})",
        name(&end)
    )));
    let o = ok(&["brief", "--horizon", &horizon, "--format", "json"]);
    let v = json(&o.stdout);
    assert_eq!(v["model"]["horizon"]["note"], expected.as_str());
    assert_eq!(v["model"]["horizon"]["month"], horizon.as_str());
    assert_eq!(v["model"]["horizon"]["model_end"], end.as_str());
    assert_eq!(v["model"]["horizon"]["months_added"], 6);
    // Without a horizon, no such line or key.
    let o = ok(&["brief", "--format", "json"]);
    assert!(json(&o.stdout)["model"].get("horizon").is_none());
    assert!(!ok(&["brief"]).stdout.contains("--horizon"));
}

#[test]
fn charts_name_the_horizon_in_their_subtitle() {
    let expected = " · months after 2023-02 hold February 2023's inputs (--horizon 2023-05)";
    for args in [
        vec!["run", SMALL],
        vec!["trace", SMALL],
        vec!["sweep", SMALL, "--vary", "auction.rejection_rate=0.5,0.6", "-q"],
        vec!["tornado", SMALL, "--metric", "parallel_rate", "-q"],
    ] {
        let mut a = args.clone();
        a.extend(["--horizon", "2023-05", "--format", "svg"]);
        let svg = ok(&a).stdout;
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap();
        assert!(title.ends_with(expected), "{args:?}: {title}");
    }
}

#[test]
fn charts_by_month_mark_where_the_held_inputs_begin() {
    // The small model ends in February 2023: run on to May, March is the
    // first month holding February's inputs, and the line charts and the
    // fan mark it; without a horizon nothing is marked.
    let marked = |args: &[&str]| {
        let mut a = args.to_vec();
        a.extend(["--format", "svg"]);
        let svg = ok(&a).stdout;
        let doc = roxmltree::Document::parse(&svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter(|n| n.text().unwrap_or("").contains("inputs held"))
            .map(|n| n.text().unwrap().trim().to_string())
            .collect::<Vec<_>>()
    };
    let held = "inputs held from Mar 2023";
    // Two panels: the rates and the premium.
    assert_eq!(marked(&["run", SMALL, "--horizon", "2023-05"]), [held, held]);
    assert_eq!(
        marked(&[
            "mc",
            "fixtures/mc-6-months.toml",
            "-n",
            "50",
            "-q",
            "--metric",
            "parallel_rate",
            "--horizon",
            "2023-08"
        ]),
        ["inputs held from Jul 2023"]
    );
    assert!(marked(&["run", SMALL]).is_empty());
    assert!(marked(&["run", SMALL, "--horizon", "2023-02"]).is_empty());
    // By quarter and by year too: 2023-Q1 and 2023 hold January and
    // February (the model's) and March (held).
    assert_eq!(
        marked(&["run", SMALL, "--horizon", "2023-05", "--by", "quarter"]),
        [held, held]
    );
    assert_eq!(
        marked(&["run", SMALL, "--horizon", "2023-05", "--by", "year"]),
        [held, held]
    );
}

/// By quarter, the mark sits inside the quarter that holds both the
/// model's own months and held ones, as far in as its own months reach:
/// 2023-Q1 spans from half a step before its centre to half a step after,
/// and two of its three months are the model's, so the line is at
/// centre − 1/2 + 2/3 = a sixth of the way from 2023-Q1's centre to
/// 2023-Q2's. The label starts 8 px right of the line.
#[test]
fn by_quarter_the_mark_sits_inside_a_quarter_that_holds_both() {
    let svg = ok(&[
        "run",
        SMALL,
        "--horizon",
        "2023-05",
        "--by",
        "quarter",
        "--format",
        "svg",
    ])
    .stdout;
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let x_of = |label: &str| -> f64 {
        doc.descendants()
            .find(|n| n.has_tag_name("text") && n.text().unwrap_or("").trim() == label)
            .and_then(|n| n.attribute("x"))
            .unwrap()
            .parse()
            .unwrap()
    };
    let (q1, q2) = (x_of("2023-Q1"), x_of("2023-Q2"));
    let line = x_of("inputs held from Mar 2023") - 8.0;
    assert!((line - (q1 + (q2 - q1) / 6.0)).abs() <= 1.0, "{q1} {q2} {line}");
}

#[test]
fn backtest_scores_forecasts_after_the_model_end() {
    let dir = tempfile::tempdir().unwrap();
    let obs = dir.path().join("obs.csv");
    std::fs::write(
        &obs,
        "date,metric,value\n2023-01,gross_revenue_usd,2480000\n2023-02,gross_revenue_usd,2240000\n\
         2023-03,gross_revenue_usd,2480000\n2023-04,gross_revenue_usd,2400000\n2023-05,gross_revenue_usd,2635000\n",
    )
    .unwrap();
    let obs = obs.to_str().unwrap();
    let args = [
        "backtest",
        SMALL,
        "--observed",
        obs,
        "--train-until",
        "2023-02",
        "--format",
        "csv",
    ];
    let o = dinarflow(&args);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: no observations after 2023-02 inside the model's timeline (2023-01 to 2023-02) to test on; \
         choose an earlier --train-until\n"
    );
    let mut with = args.to_vec();
    with.extend(["--horizon", "2023-05"]);
    let o = ok(&with);
    // Forecasts of February's inputs held: $80 × 1,000 bbl × the month's days.
    for row in [
        "2023-03,gross_revenue_usd,2480000,2480000.00,0,",
        "2023-04,gross_revenue_usd,2400000,2400000.00,0,",
        "2023-05,gross_revenue_usd,2635000,2480000.00,",
    ] {
        assert!(o.stdout.contains(row), "{row}\n{}", o.stdout);
    }
    // The report says what the forecasts hold.
    with.truncate(with.len() - 4);
    with.extend(["--horizon", "2023-05"]);
    let o = ok(&with);
    assert!(o.stdout.contains(&line("2023-02", "2023-05")), "{}", o.stdout);
}

#[test]
fn fit_estimates_from_observations_after_the_model_end() {
    let dir = tempfile::tempdir().unwrap();
    let obs = dir.path().join("obs.csv");
    std::fs::write(
        &obs,
        "date,metric,value\n2023-01,gross_revenue_usd,2480000\n2023-05,gross_revenue_usd,2635000\n",
    )
    .unwrap();
    let obs = obs.to_str().unwrap();
    let step = "exports.price_usd_per_bbl@2023-05=60:100";
    let o = ok(&[
        "fit",
        SMALL,
        "--observed",
        obs,
        "--vary",
        step,
        "--horizon",
        "2023-05",
        "--format",
        "csv",
    ]);
    // 2,635,000 / (1,000 × 31) = $85.
    assert!(
        o.stdout.contains("exports.price_usd_per_bbl@2023-05,85,"),
        "{}",
        o.stdout
    );
    // --write-model writes the file's own timeline: a step in an added
    // month cannot be written there.
    let out = dir.path().join("fitted.toml");
    let o = dinarflow(&[
        "fit",
        SMALL,
        "--observed",
        obs,
        "--vary",
        step,
        "--horizon",
        "2023-05",
        "--write-model",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            "{}error: --vary exports.price_usd_per_bbl@2023-05: --write-model writes the model file, whose timeline ends in 2023-02; a step from \
             2023-05 lies in the months --horizon 2023-05 adds and cannot be written there (leave out --write-model, \
             or make [timeline] months in the file reach 2023-05)\n",
            "note: --horizon 2023-05 runs fixtures/small.toml 3 months past its last month, 2023-02: 2023-03 to 2023-05 \
             hold February 2023's inputs; their auction sessions are the days outside the weekend (Fri+Sat), with no holidays\n"
        )
    );
    assert!(!out.exists());
    // A factor on the whole schedule is written, on the file's timeline:
    // Jan 2,480,000 at $80 and May 2,635,000 at $85 give 85/80 in May
    // and 80/80 in January, a least-squares compromise between them.
    ok(&[
        "fit",
        SMALL,
        "--observed",
        obs,
        "--vary",
        "exports.price_usd_per_bbl*=0.5:2",
        "--horizon",
        "2023-05",
        "--write-model",
        out.to_str().unwrap(),
    ]);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(timeline(&written).1, 2, "the written model keeps months = 2");
}

/// A model the library already ran on to a horizon is served as it is:
/// the what-if page's API answers for the extended model, exactly what
/// `run --horizon` prints. (`serve --horizon` serves the model as loaded
/// and opens the page at the horizon instead: tests/serve_api.rs.)
#[tokio::test]
async fn serve_answers_for_the_extended_model() {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let mut model = dinarflow::model::load_file(Path::new(SMALL)).unwrap();
    model.apply_horizon("2023-05").unwrap();
    let addr: std::net::SocketAddr = "127.0.0.1:8023".parse().unwrap();
    let app = dinarflow::serve::router(
        std::sync::Arc::new(dinarflow::serve::App::new(model).unwrap()),
        addr,
    );
    let send = |method: &str, uri: &str, body: &str| {
        Request::builder()
            .method(method)
            .uri(uri)
            .header("host", "127.0.0.1:8023")
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let res = app.clone().oneshot(send("POST", "/api/run", "{}")).await.unwrap();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let cli = ok(&["run", SMALL, "--horizon", "2023-05", "--format", "json"]);
    assert_eq!(String::from_utf8_lossy(&bytes), cli.stdout);
    let res = app.clone().oneshot(send("GET", "/api/params", "")).await.unwrap();
    let v: Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(
        v["model"]["horizon"],
        serde_json::json!({ "month": "2023-05", "note": line("2023-02", "2023-05") })
    );
    assert_eq!(v["months"].as_array().unwrap().len(), 5);
}

#[test]
fn shards_of_another_horizon_are_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("1.shard"), dir.path().join("2.shard"));
    let m = "fixtures/mc-6-months.toml";
    let (_, _, end) = timeline(&std::fs::read_to_string(m).unwrap());
    let h = later(&end, 2);
    ok(&[
        "mc",
        m,
        "-n",
        "20",
        "--shard",
        "1/2",
        "--horizon",
        &h,
        "--out",
        a.to_str().unwrap(),
        "-q",
    ]);
    ok(&[
        "mc",
        m,
        "-n",
        "20",
        "--shard",
        "2/2",
        "--out",
        b.to_str().unwrap(),
        "-q",
    ]);
    let o = dinarflow(&["merge", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("other --horizon"), "{}", o.stderr);
}

/// A workbook's Model sheet names the horizon under the model file.
#[test]
fn the_workbook_names_the_horizon_on_its_model_sheet() {
    use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brief.xlsx");
    ok(&[
        "brief",
        SMALL,
        "--horizon",
        "2023-05",
        "--out",
        out.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> =
        open_workbook_from_rs(std::io::Cursor::new(std::fs::read(&out).unwrap())).unwrap();
    let sheet = book.worksheet_range("Model").unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String(format!(
            "model file: {SMALL} · months after 2023-02 hold February 2023's inputs (--horizon 2023-05)"
        )))
    );
}
