//! `--scenario FILE`: a scenario file layered on a model gives the numbers
//! of the same changes written into the model (or given with `--set`),
//! scenarios apply in command-line order then `--set`, their problems are
//! located in the scenario file, and `brief`, `check` and `diff` name them.
//! Numbers are worked out by hand on fixtures/small.toml (Jan 2023: 31
//! days, 23 auction sessions; Feb: 28 days, 20 sessions; 1,000 bbl/day).

use std::path::{Path, PathBuf};

use crate::common::{dinarflow, ok};

const SMALL: &str = "fixtures/small.toml";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Oil at $70 all along and screening at 0.4 from February (the model
/// changes it to 0.5 then: the scenario's entry replaces that one).
const CHEAP_OIL: &str = r#"# A scenario for the small model.
[scenario]
name = "Oil at $70, easier screening"
description = "for the tests"

[set]
"exports.price_usd_per_bbl" = { value = 70, source = "a cited price" }

[[changes]]
from = "2023-02"
set = { "auction.rejection_rate" = 0.4 }
note = "screening eased"
"#;

fn total<'a>(csv: &'a str, metric: &str) -> &'a str {
    let prefix = format!("total,{metric},");
    csv.lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .unwrap_or_else(|| panic!("no total of {metric}"))
}

#[test]
fn a_scenario_runs_as_the_same_changes_written_into_the_model_or_set() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "cheap.toml", CHEAP_OIL);
    let text = std::fs::read_to_string(SMALL).unwrap();
    let edited = text
        .replace(
            "price_usd_per_bbl = { value = 80, source = \"made up for the test\" }",
            "price_usd_per_bbl = 70",
        )
        .replace(
            "\"auction.rejection_rate\" = 0.5",
            "\"auction.rejection_rate\" = 0.4",
        );
    assert_ne!(edited, text);
    let edited = write(dir.path(), "edited.toml", &edited);

    let with = ok(&["run", SMALL, "--scenario", s(&scenario), "--format", "csv"]);
    let written = ok(&["run", s(&edited), "--format", "csv"]);
    let set = ok(&[
        "run",
        SMALL,
        "--set",
        "exports.price_usd_per_bbl=70",
        "--set",
        "auction.rejection_rate@2023-02=0.4",
        "--format",
        "csv",
    ]);
    assert_eq!(with.stdout, written.stdout);
    assert_eq!(with.stdout, set.stdout);
    // 1,000 bbl/day × $70 × (31 + 28) days.
    assert_eq!(total(&with.stdout, "gross_revenue_usd"), "4130000.00");
    // Wires: Jan 0.8 × 0.8 × 23 × 100,000 = 1,472,000; Feb 0.4 × 0.8 × 20 × 100,000 = 640,000.
    assert_eq!(total(&with.stdout, "wires_rejected_usd"), "2112000.00");
    assert_eq!(
        with.stderr,
        format!(
            "note: scenario {0} (\"Oil at $70, easier screening\"): 1 value for the whole timeline, 1 step change\n\
             note: scenario {0}: auction.rejection_rate from 2023-02 is 0.4; it replaces the model's [[changes]] entry from 2023-02 (0.5)\n",
            s(&scenario)
        )
    );

    // A factor is `--set 'PATH*=F'`: $80 × 0.875 = $70.
    let factor = write(
        dir.path(),
        "factor.toml",
        &CHEAP_OIL.replace(
            "\"exports.price_usd_per_bbl\" = { value = 70, source = \"a cited price\" }",
            "\"exports.price_usd_per_bbl*\" = { value = 0.875, note = \"an eighth off\" }",
        ),
    );
    let scaled = ok(&["run", SMALL, "--scenario", s(&factor), "--format", "csv"]);
    assert_eq!(scaled.stdout, with.stdout);
}

#[test]
fn a_scenario_sets_a_value_from_a_month_to_the_end_as_set_does() {
    let dir = tempfile::tempdir().unwrap();
    let from = write(
        dir.path(),
        "from.toml",
        "[scenario]\nname = \"Screening at 0.4 from January on\"\n\n[set]\n\
         \"auction.rejection_rate@2023-01..\" = { value = 0.4, source = \"a cited rate\" }\n",
    );
    let with = ok(&["run", SMALL, "--scenario", s(&from), "--format", "csv"]);
    let set = ok(&[
        "run",
        SMALL,
        "--set",
        "auction.rejection_rate@2023-01..=0.4",
        "--format",
        "csv",
    ]);
    assert_eq!(with.stdout, set.stdout);
    // Wires: 0.4 × 0.8 × 100,000 × (23 + 20) sessions = 1,376,000 (the
    // model's 0.5 from February is dropped).
    assert_eq!(total(&with.stdout, "wires_rejected_usd"), "1376000.00");
    assert_eq!(
        with.stderr,
        format!(
            "note: scenario {0} (\"Screening at 0.4 from January on\"): 0 values for the whole timeline, \
             1 value from a month to the end, 0 step changes\n\
             note: scenario {0}: auction.rejection_rate@2023-01..=0.4 holds from 2023-01 to the end of the timeline (2023-02); \
             it replaces the [[changes]] from 2023-02\n",
            s(&from)
        )
    );
    // The brief cites the scenario's source for the value.
    let brief = ok(&["brief", SMALL, "--scenario", s(&from)]);
    assert!(
        brief
            .stdout
            .lines()
            .any(|l| l.starts_with(" auction.rejection_rate ") && l.contains("| a cited rate")),
        "{}",
        brief.stdout
    );

    // One step of [set] is a [[changes]] entry, and the message says how
    // to write either.
    let step = write(
        dir.path(),
        "step.toml",
        "[scenario]\nname = \"Step\"\n[set]\n\"auction.rejection_rate@2023-02\" = 0.4\n",
    );
    let o = dinarflow(&["run", SMALL, "--scenario", s(&step)]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {0}:4:1: set."auction.rejection_rate@2023-02": [set] replaces a parameter for the whole timeline or from a month to its end; a step from one month until the next is a [[changes]] entry (allowed: "PATH" = VALUE, "PATH*" = FACTOR or "PATH@YYYY-MM.." = VALUE, from that month to the end)
  |
4 | "auction.rejection_rate@2023-02" = 0.4
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: write "auction.rejection_rate@2023-02.." = … to hold it from 2023-02 to the end, or [[changes]] from = "2023-02" set = {{ "auction.rejection_rate" = … }} for one step

error: 1 problem in {0}
"#,
            s(&step)
        )
    );
}

#[test]
fn scenarios_apply_in_command_line_order_then_set() {
    let dir = tempfile::tempdir().unwrap();
    let at = |name: &str, line: &str| {
        write(
            dir.path(),
            name,
            &format!("[scenario]\nname = \"{name}\"\n[set]\n{line}\n"),
        )
    };
    let seventy = at("seventy.toml", "\"exports.price_usd_per_bbl\" = 70");
    let sixty = at("sixty.toml", "\"exports.price_usd_per_bbl\" = 60");
    let half = at("half.toml", "\"exports.price_usd_per_bbl*\" = 0.5");
    let gross = |args: &[&str]| {
        let mut all = vec!["run", SMALL, "--format", "csv"];
        all.extend_from_slice(args);
        total(&ok(&all).stdout, "gross_revenue_usd").to_string()
    };
    // 59,000 barrels in all: the last scenario's price wins.
    assert_eq!(
        gross(&["--scenario", s(&seventy), "--scenario", s(&sixty)]),
        "3540000.00"
    );
    assert_eq!(
        gross(&["--scenario", s(&sixty), "--scenario", s(&seventy)]),
        "4130000.00"
    );
    // A factor scales what the scenarios before it left: 70 × 0.5 = 35; then 70 again.
    assert_eq!(
        gross(&["--scenario", s(&seventy), "--scenario", s(&half)]),
        "2065000.00"
    );
    assert_eq!(
        gross(&["--scenario", s(&half), "--scenario", s(&seventy)]),
        "4130000.00"
    );
    // --set comes last whatever its place on the line.
    assert_eq!(
        gross(&["--set", "exports.price_usd_per_bbl=50", "--scenario", s(&sixty)]),
        "2950000.00"
    );
}

#[test]
fn scenario_errors_are_located_in_the_scenario_file_with_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(
        dir.path(),
        "bad.toml",
        r#"[scenario]
name = "Bad"

[auction]
rejection_rate = 0.5

[set]
"auction.rejection_rte" = 0.5
"auction.cash_share" = { value = 0.1, source = "" }

[[changes]]
from = "2024-07"
set = { "auction.rejection_rate" = 1.5 }
"#,
    );
    let o = dinarflow(&["run", SMALL, "--scenario", s(&bad)]);
    assert_eq!(o.code, 2);
    assert_eq!(o.stdout, "");
    let f = s(&bad);
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {f}:4:2: auction: unknown key `auction` at the top level of a scenario (allowed: [scenario] (name, description), [set] and [[changes]])
  |
4 | [auction]
  |  ^^^^^^^
  |
  = help: a scenario changes a model by path: write "auction.…" = VALUE in [set], or a [[changes]] entry

error: {f}:8:1: set."auction.rejection_rte": `auction.rejection_rte` names no numeric parameter (allowed: a parameter path such as auction.rejection_rate, PATH* for a factor or PATH@YYYY-MM.. from a month on)
  |
8 | "auction.rejection_rte" = 0.5
  | ^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: did you mean auction.rejection_rate, auction.requests_usd_per_day?

error: {f}:9:48: set."auction.cash_share".source: an empty source; cite the publication or use note = … for an assumption
  |
9 | "auction.cash_share" = {{ value = 0.1, source = "" }}
  |                                                ^^
  |

error: {f}:12:8: changes[0].from: 2024-07 is outside the timeline (allowed: a month from 2023-01 to 2023-02)
   |
12 | from = "2024-07"
   |        ^^^^^^^^^
   |
   = help: run the model on to 2024-07 with --horizon 2024-07 (or later): scenarios apply after the horizon

error: {f}:13:36: changes[0].set."auction.rejection_rate": 1.5 is out of range (allowed: 0 to 1)
   |
13 | set = {{ "auction.rejection_rate" = 1.5 }}
   |                                    ^^^
   |
   = help: shares are fractions of 1; if 1.5 is a percentage, write 0.015

error: 5 problems in {f}
"#
        )
    );

    // A sum the scenario breaks, in the first month and after a change.
    let sum = write(
        dir.path(),
        "sum.toml",
        "[scenario]\nname = \"Sum\"\n[set]\n\"exports.buyers[China].share\" = 0.4\n\
         [[changes]]\nfrom = \"2023-02\"\nset = { \"exports.buyers[Others].share\" = 0.5 }\nsource = \"x\"\n",
    );
    let o = dinarflow(&["run", SMALL, "--scenario", s(&sum)]);
    assert_eq!(o.code, 2);
    let f = s(&sum);
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {f}:4:33: exports.buyers[*].share: the shares add up to 1.1 (0.4 + 0.7) (allowed: exactly 1)
  |
4 | "exports.buyers[China].share" = 0.4
  |                                 ^^^
  |

error: {f}:7:42: exports.buyers[*].share: from 2023-02 (after changes): the shares add up to 0.9 (0.4 + 0.5) (allowed: exactly 1)
  |
7 | set = {{ "exports.buyers[Others].share" = 0.5 }}
  |                                          ^^^
  |

error: 2 problems in {f}
"#
        )
    );

    // Read as model files are: a directory is refused, and so is --out onto a scenario.
    let o = dinarflow(&["run", SMALL, "--scenario", s(dir.path())]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("is a directory, not a scenario file"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&["run", SMALL, "--scenario", s(&sum), "--out", s(&sum)]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("is a scenario file being read"), "{}", o.stderr);
}

#[test]
fn brief_and_check_name_the_scenario_and_where_its_values_come_from() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "cheap.toml", CHEAP_OIL);
    let f = s(&scenario);
    let o = ok(&["brief", SMALL, "--scenario", f]);
    assert!(
        o.stdout.starts_with(&format!(
            "Brief: Small hand-checked model\n2023-01 to 2023-02 (2 months)\n\
             Scenario: Oil at $70, easier screening ({f}): exports.price_usd_per_bbl=70, auction.rejection_rate@2023-02=0.4\n\n"
        )),
        "{}",
        o.stdout
    );
    let o = ok(&["brief", SMALL, "--scenario", f, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v["model"]["scenarios"],
        serde_json::json!([{
            "name": "Oil at $70, easier screening",
            "file": f,
            "description": "for the tests",
            "set": ["exports.price_usd_per_bbl=70", "auction.rejection_rate@2023-02=0.4"]
        }])
    );
    // Without a scenario the JSON is as before.
    let plain: serde_json::Value =
        serde_json::from_str(&ok(&["brief", SMALL, "--format", "json"]).stdout).unwrap();
    assert!(plain["model"].get("scenarios").is_none());

    let o = ok(&["check", SMALL, "--scenario", f, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let price = v["assumptions"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["path"] == "exports.price_usd_per_bbl")
        .unwrap();
    assert_eq!(price["value"], "70");
    assert_eq!(price["source"], "a cited price");
    assert_eq!(price["where"], format!("{f}:7"));
    let change = &v["assumptions"]["changes"];
    let rejection = change
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "auction.rejection_rate")
        .unwrap();
    assert_eq!(rejection["value"], "0.4");
    assert_eq!(rejection["note"], "screening eased");
    assert_eq!(rejection["where"], format!("{f}:11"));
    // The model's own change of the official rate is still there, from the model file.
    assert!(change
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["path"] == "auction.official_rate_iqd_per_usd" && c["where"] == "fixtures/small.toml:71"));
}

#[test]
fn diff_names_the_scenarios_of_each_side() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "cheap.toml", CHEAP_OIL);
    let f = s(&scenario);
    // B omitted: A against A under the scenario.
    let o = ok(&["diff", SMALL, "--scenario-b", f, "--metric", "gross_revenue_usd"]);
    assert!(
        o.stdout.starts_with(&format!(
            "Diff: A = Small hand-checked model (fixtures/small.toml)\n      \
             B = Small hand-checked model (fixtures/small.toml)\n          \
             with scenario: Oil at $70, easier screening ({f}): exports.price_usd_per_bbl=70, \
             auction.rejection_rate@2023-02=0.4\n"
        )),
        "{}",
        o.stdout
    );
    let o = ok(&["diff", SMALL, SMALL, "--scenario-a", f, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["a"]["scenarios"][0]["file"], f);
    assert!(v["b"].get("scenarios").is_none());
    let gross = v["summary"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "gross_revenue_usd")
        .unwrap();
    // A at $70 (4,130,000), B as written at $80 (4,720,000).
    assert_eq!(gross["a"], "4130000.00");
    assert_eq!(gross["b"], "4720000.00");
    // The shared --scenario applies to both sides, as --set does: nothing differs.
    let o = ok(&["diff", SMALL, SMALL, "--scenario", f, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["differences"], serde_json::json!([]));
    assert_eq!(v["b"]["scenarios"][0]["name"], "Oil at $70, easier screening");
    // Without B there must be a scenario to compare with.
    let o = dinarflow(&["diff", SMALL]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--scenario-b FILE"), "{}", o.stderr);
}

#[test]
fn the_shipped_scenarios_apply_to_the_2023_model_alone_and_together() {
    let oil = "models/scenarios/oil-price-fall.toml";
    let screening = "models/scenarios/stricter-screening.toml";
    let o = ok(&[
        "brief",
        "models/iraq-2023.toml",
        "--scenario",
        oil,
        "--scenario",
        screening,
    ]);
    let head: Vec<&str> = o.stdout.lines().take(4).collect();
    assert_eq!(
        head[2..],
        [
            format!("Scenario: Oil 15% cheaper in July–December 2023 ({oil}): exports.price_usd_per_bbl@2023-07=60.44"),
            format!(
                "Scenario: Stricter screening: 80% of wires rejected throughout, 90% after the bank bans ({screening}): \
                 auction.rejection_rate=0.80, auction.rejection_rate@2023-08=0.90"
            ),
        ]
    );
    for s in [oil, screening] {
        ok(&["check", "models/iraq-2023.toml", "--scenario", s]);
    }
}

#[test]
fn a_workbook_carries_the_scenario_text_after_the_model() {
    use calamine::{open_workbook, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "cheap.toml", CHEAP_OIL);
    let out = dir.path().join("brief.xlsx");
    ok(&["brief", SMALL, "--scenario", s(&scenario), "--out", s(&out)]);
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let names = book.sheet_names();
    let at = |n: &str| {
        names
            .iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("no sheet {n}: {names:?}"))
    };
    assert_eq!(at("Scenario 1"), at("Model") + 1);
    let sheet = book.worksheet_range("Scenario 1").unwrap();
    let lines: Vec<String> = sheet.rows().map(|r| r[0].to_string()).collect();
    assert_eq!(lines[0], format!("scenario file: {}", s(&scenario)));
    assert_eq!(lines[1..], CHEAP_OIL.lines().collect::<Vec<_>>()[..]);
}

#[test]
fn a_scenario_file_given_as_the_model_is_one_error_saying_how_to_apply_it() {
    // Not five "missing [model]…" errors and an unknown-key error for
    // [scenario]: the one thing to say is where the file goes.
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "cheap.toml", CHEAP_OIL);
    let f = s(&sc);
    let o = dinarflow(&["run", f]);
    assert_eq!(o.code, 2);
    assert_eq!(o.stdout, "");
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {f}:2:2: this is a scenario file, not a model (allowed: a model with at least [model] (its name), [timeline], [exports] with one or more [[exports.buyers]], and [custody])
  |
2 | [scenario]
  |  ^^^^^^^^
  |
  = help: a scenario changes a model: give the model, and add --scenario {f} (without a model file, the built-in model is used)

error: 1 problem in {f}
"#
        )
    );
    // What the help says works.
    ok(&["run", SMALL, "--scenario", f]);
}

#[test]
fn lag_weights_in_a_scenario_are_refused_without_an_unrelated_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(
        dir.path(),
        "lags.toml",
        "[scenario]\nname = \"Lags\"\n\n[set]\n\"prices.lag_weights\" = 1\n",
    );
    let f = s(&sc);
    let o = dinarflow(&["run", "models/iraq-2023.toml", "--scenario", f]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {f}:5:1: set."prices.lag_weights": `prices.lag_weights` cannot be changed by path: the lag weights are a list of shares (here [0.5, 0.3, 0.2]); edit `lag_weights` in the model file's [prices] section (allowed: a parameter path such as auction.rejection_rate, PATH* for a factor or PATH@YYYY-MM.. from a month on)
  |
5 | "prices.lag_weights" = 1
  | ^^^^^^^^^^^^^^^^^^^^
  |

error: 1 problem in {f}
"#
        )
    );
}

#[test]
fn a_model_file_given_as_a_scenario_is_one_error_pointing_to_diff() {
    let o = dinarflow(&["run", SMALL, "--scenario", "models/iraq-2022-baseline.toml"]);
    assert_eq!(o.code, 2);
    assert_eq!(o.stdout, "");
    assert_eq!(
        o.stderr,
        r#"error: models/iraq-2022-baseline.toml:16:2: this is a model file, not a scenario (allowed: [scenario] (name, description), [set] and [[changes]])
   |
16 | [model]
   |  ^^^^^
   |
   = help: a scenario holds only what it changes; to compare this model with another, give both to diff: `dinarflow diff MODEL.toml models/iraq-2022-baseline.toml`

error: 1 problem in models/iraq-2022-baseline.toml
"#
    );
}

#[test]
fn a_scenario_says_which_model_sections_it_cannot_change_and_how_to_quote_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(
        dir.path(),
        "sections.toml",
        "[scenario]\nname = \"S\"\n\n[set]\nauction.rejection_rate = 0.5\n\n[timeline]\nmonths = 30\n\n[uncertainty]\n",
    );
    let f = s(&sc);
    let o = dinarflow(&["run", SMALL, "--scenario", f]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {f}:5:1: set."auction": `auction` names no numeric parameter (allowed: a parameter path such as auction.rejection_rate, PATH* for a factor or PATH@YYYY-MM.. from a month on)
  |
5 | auction.rejection_rate = 0.5
  | ^^^^^^^
  |
  = help: without quotes, TOML reads auction.rejection_rate as a table `auction`; write the path in quotes: "auction.rejection_rate" = …

error: {f}:7:2: timeline: unknown key `timeline` at the top level of a scenario (allowed: [scenario] (name, description), [set] and [[changes]])
  |
7 | [timeline]
  |  ^^^^^^^^
  |
  = help: a scenario cannot change the timeline; run the model past its end with --horizon YYYY-MM

error: {f}:10:2: uncertainty: unknown key `uncertainty` at the top level of a scenario (allowed: [scenario] (name, description), [set] and [[changes]])
   |
10 | [uncertainty]
   |  ^^^^^^^^^^^
   |
   = help: a scenario cannot change [uncertainty]; edit it in the model file

error: 3 problems in {f}
"#
        )
    );
}

/// A scenario's implausible value is warned about at its own line, not
/// as if the model file held it.
#[test]
fn a_scenarios_implausible_value_is_warned_about_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(
        dir.path(),
        "fx.toml",
        "[scenario]\nname = \"fx\"\n\n[set]\n\"auction.official_rate_iqd_per_usd@2023-02..\" = 1.31\n",
    );
    let f = s(&sc);
    let o = ok(&["check", SMALL, "--scenario", f]);
    let warning = o.stderr.lines().find(|l| l.starts_with("warning: ")).unwrap();
    assert_eq!(
        warning,
        format!("warning: {f}:5: auction.official_rate_iqd_per_usd: from 2023-02: 1.31 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD (set by a scenario)")
    );
    assert!(o
        .stderr
        .contains(" = help: an exchange rate is dinars per dollar, e.g. 1310, not 1.31\n"));
    // --strict refuses it, as a value in the file.
    assert_eq!(dinarflow(&["check", SMALL, "--scenario", f, "--strict"]).code, 2);
}

/// A scenario's `[set]` may give one path as a value for the whole
/// timeline and then from a month on, applied in the file's order as the
/// same `--set` are on the command line (it was refused as "already set");
/// an entry a later one replaces in every month is refused at both.
#[test]
fn a_set_of_a_path_then_from_a_month_runs_as_the_same_set_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let both = write(
        dir.path(),
        "both.toml",
        "[scenario]\nname = \"Screening at 0.3, then 0.6 from February\"\n\n[set]\n\
         \"auction.rejection_rate\" = 0.3\n\"auction.rejection_rate@2023-02..\" = 0.6\n",
    );
    let with = ok(&["run", SMALL, "--scenario", s(&both), "--format", "csv"]);
    let set = ok(&[
        "run",
        SMALL,
        "--set",
        "auction.rejection_rate=0.3",
        "--set",
        "auction.rejection_rate@2023-02..=0.6",
        "--format",
        "csv",
    ]);
    assert_eq!(with.stdout, set.stdout);
    // Wires: 0.8 × 100,000 a session; 0.3 × 23 sessions in January and
    // 0.6 × 20 in February: 0.8 × 100,000 × (6.9 + 12) = 1,512,000.
    assert_eq!(total(&with.stdout, "wires_rejected_usd"), "1512000.00");
    let f = s(&both);
    assert_eq!(
        with.stderr,
        format!(
            "note: scenario {f} (\"Screening at 0.3, then 0.6 from February\"): 1 value for the whole timeline, \
             1 value from a month to the end, 0 step changes\n\
             note: scenario {f}: auction.rejection_rate=0.3 holds before 2023-02, when a later [set] entry takes over; \
             it replaces the model's [[changes]] from 2023-02\n"
        )
    );

    // The other way round the first entry would never be used.
    let undone = write(
        dir.path(),
        "undone.toml",
        "[scenario]\nname = \"Undone\"\n[set]\n\
         \"auction.rejection_rate@2023-02..\" = 0.6\n\"auction.rejection_rate\" = 0.3\n",
    );
    let o = dinarflow(&["run", SMALL, "--scenario", s(&undone)]);
    assert_eq!(o.code, 2);
    let f = s(&undone);
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {f}:4:1: set."auction.rejection_rate@2023-02..": has no effect: the later "auction.rejection_rate" sets every month it sets (allowed: entries of one path applied in the file's order, each setting a month no later one does)
  |
4 | "auction.rejection_rate@2023-02.." = 0.6
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ this entry is never used
5 | "auction.rejection_rate" = 0.3
  | ------------------------ this entry replaces it
  |
  = help: keep one of them

error: 1 problem in {f}
"#
        )
    );
}

/// A path written in a scenario's `[[changes]]` beside `from`, or above
/// the `[set]` header, is told where it goes.
#[test]
fn a_path_outside_set_in_a_scenario_is_told_where_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    let beside = write(
        dir.path(),
        "beside.toml",
        "[scenario]\nname = \"S\"\n\n[[changes]]\nfrom = \"2023-02\"\n\"exports.price_usd_per_bbl\" = 73.6\n",
    );
    let o = dinarflow(&["run", SMALL, "--scenario", s(&beside)]);
    assert_eq!(o.code, 2);
    let f = s(&beside);
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {f}:6:1: changes[0]."exports.price_usd_per_bbl": unknown key `exports.price_usd_per_bbl` in changes[0] (allowed: from, set, note, source)
  |
6 | "exports.price_usd_per_bbl" = 73.6
  | ^^^^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: a [[changes]] entry sets its paths inside `set`: write set = {{ "exports.price_usd_per_bbl" = … }}

error: 1 problem in {f}
"#
        )
    );
    let above = write(
        dir.path(),
        "above.toml",
        "\"auction.rejection_rate\" = 0.5\n[scenario]\nname = \"S\"\n",
    );
    let o = dinarflow(&["run", SMALL, "--scenario", s(&above)]);
    assert_eq!(o.code, 2);
    let f = s(&above);
    assert_eq!(
        o.stderr,
        format!(
            r#"error: {f}:1:1: auction.rejection_rate: unknown key `auction.rejection_rate` at the top level of a scenario (allowed: [scenario] (name, description), [set] and [[changes]])
  |
1 | "auction.rejection_rate" = 0.5
  | ^^^^^^^^^^^^^^^^^^^^^^^^
  |
  = help: a path is set under the [set] header: write [set] on a line above "auction.rejection_rate" = …

error: 1 problem in {f}
"#
        )
    );
}
