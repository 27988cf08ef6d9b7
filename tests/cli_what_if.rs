//! Every output says what it shows: a brief, chart or workbook made with
//! `--set` or `--scenario` names them, in every format (docs/guide.md).
//! The base case has none of it; the CSV stays the data alone.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};

use crate::common::ok;

const SMALL: &str = "fixtures/small.toml";
const MC: &str = "fixtures/mc-6-months.toml";

/// Screening at 0.7 from February 2023 to the end: the model's step from
/// March (0.60) is dropped.
const FROM: &str = "auction.rejection_rate@2023-02..=0.7";
/// The same from February alone: the model's step from March ends it.
const STEP: &str = "auction.rejection_rate@2023-02=0.7";

/// The text of every `<text>` element of an SVG, joined by spaces (a
/// subtitle may wrap onto several).
fn svg_text(svg: &str) -> String {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let open = rest.find('>').unwrap() + 1;
        let close = rest.find("</text>").unwrap();
        out.push(rest[open..close].replace("&quot;", "\"").replace("&amp;", "&"));
        rest = &rest[close..];
    }
    out.join(" ")
}

#[test]
fn the_brief_names_the_overrides_in_every_format() {
    // A terminal table: the lines under the title.
    let o = ok(&[
        "brief",
        MC,
        "--set",
        FROM,
        "--set",
        "parallel_market.supply_elasticity@2023-04=1.5",
    ]);
    let head: Vec<&str> = o.stdout.lines().take(4).collect();
    assert_eq!(
        head,
        [
            "Brief: Iraq H1 2023 (Monte Carlo benchmark)",
            "2023-01 to 2023-06 (6 months)",
            "Set: auction.rejection_rate@2023-02..=0.7 (from 2023-02 to the end, 2023-06)",
            "Set: parallel_market.supply_elasticity@2023-04=1.5 (from 2023-04 to the end, 2023-06)",
        ],
        "{}",
        o.stdout
    );
    // A step that a later step ends says so, with the month.
    let o = ok(&["brief", MC, "--set", STEP, "--format", "md"]);
    assert!(
        o.stdout.contains(
            "Set: auction.rejection_rate@2023-02=0.7 (in 2023-02 only, then the step from 2023-03: 0.60)"
        ),
        "{}",
        o.stdout
    );
    let o = ok(&["brief", MC, "--set", FROM, "--format", "html"]);
    assert!(
        o.stdout
            .contains("Set: auction.rejection_rate@2023-02..=0.7 (from 2023-02 to the end, 2023-06)"),
        "{}",
        o.stdout
    );
    let o = ok(&["brief", MC, "--set", STEP, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v["model"]["overrides"],
        serde_json::json!([{
            "set": "auction.rejection_rate@2023-02=0.7",
            "holds": "in 2023-02 only, then the step from 2023-03: 0.60",
            "until": "2023-02"
        }])
    );
    // The base case says nothing of overrides.
    let base = ok(&["brief", MC, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&base.stdout).unwrap();
    assert!(v["model"].get("overrides").is_none());
    assert!(!ok(&["brief", MC]).stdout.contains("Set:"));
}

/// The first sheet of the workbook `args` write, as lines, and the sheets' names.
fn first_sheet(args: &[&str]) -> (Vec<String>, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.xlsx");
    let mut all = args.to_vec();
    all.extend(["--out", path.to_str().unwrap()]);
    ok(&all);
    let mut b: Xlsx<_> = open_workbook_from_rs(Cursor::new(std::fs::read(path).unwrap())).unwrap();
    let names = b.sheet_names();
    let sheet = b.worksheet_range(&names[0]).unwrap();
    let lines = sheet
        .rows()
        .map(|r| match &r[0] {
            Data::String(s) => s.clone(),
            other => format!("{other:?}"),
        })
        .collect();
    (lines, names)
}

#[test]
fn a_workbook_made_with_overrides_opens_on_them() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("oil.toml");
    std::fs::write(
        &scenario,
        "[scenario]\nname = \"Oil at $70\"\n[set]\n\"exports.price_usd_per_bbl\" = 70\n",
    )
    .unwrap();
    let sc = scenario.to_str().unwrap();
    let (lines, names) = first_sheet(&[
        "brief",
        SMALL,
        "--scenario",
        sc,
        "--set",
        "auction.rejection_rate@2023-02..=0.3",
    ]);
    assert_eq!(names[0], "What-if");
    assert_eq!(
        lines,
        [
            "What this workbook shows: the model file with these changes".to_string(),
            "Small hand-checked model (fixtures/small.toml), 2023-01 to 2023-02".to_string(),
            format!("Scenario: Oil at $70 ({sc}): exports.price_usd_per_bbl=70"),
            "Set: auction.rejection_rate@2023-02..=0.3 (in 2023-02, the last month)".to_string(),
        ]
    );
    // Every report's workbook does it; the base case opens on its data.
    for args in [
        &["run", SMALL, "--set", "auction.rejection_rate=0.3"][..],
        &[
            "sweep",
            SMALL,
            "--vary",
            "auction.cash_share=0.1,0.2",
            "--set",
            "auction.rejection_rate=0.3",
            "-q",
        ],
        &[
            "tornado",
            SMALL,
            "--metric",
            "parallel_rate",
            "--set",
            "auction.rejection_rate=0.3",
            "-q",
        ],
    ] {
        let (lines, names) = first_sheet(args);
        assert_eq!(names[0], "What-if", "{args:?}");
        assert_eq!(
            lines[2], "Set: auction.rejection_rate=0.3 (for the whole timeline)",
            "{args:?}"
        );
    }
    let (_, names) = first_sheet(&["run", SMALL]);
    assert_eq!(names[0], "Summary");
}

#[test]
fn every_chart_names_the_overrides_in_its_subtitle() {
    let what_if = format!("what-if: {FROM}");
    for args in [
        &["run", MC, "--format", "svg"][..],
        &["trace", MC, "--format", "svg"],
        &[
            "sweep",
            MC,
            "--vary",
            "parallel_market.supply_elasticity=1,2",
            "--format",
            "svg",
            "-q",
        ],
        &[
            "tornado",
            MC,
            "--metric",
            "parallel_rate",
            "--format",
            "svg",
            "-q",
        ],
        &["mc", MC, "-n", "64", "--format", "svg", "-q"],
        &["sobol", MC, "-n", "64", "--format", "svg", "-q"],
        &["morris", MC, "-r", "4", "--format", "svg", "-q"],
    ] {
        let mut all = args.to_vec();
        all.extend(["--set", FROM]);
        let text = svg_text(&ok(&all).stdout);
        assert!(text.contains(&what_if), "{args:?}: {text}");
        // The base case's subtitle has no what-if.
        assert!(!svg_text(&ok(args).stdout).contains("what-if"), "{args:?}");
    }
    // A step that a later step ends names its last month.
    let text = svg_text(&ok(&["run", MC, "--format", "svg", "--set", STEP]).stdout);
    assert!(
        text.contains("what-if: auction.rejection_rate@2023-02=0.7 (to 2023-02)"),
        "{text}"
    );
    // The briefing page's charts too.
    let html = ok(&["brief", MC, "--format", "html", "--set", FROM]).stdout;
    assert!(svg_text(&html).contains(&what_if));
}

#[test]
fn the_diff_chart_names_a_and_b() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("oil.toml");
    std::fs::write(
        &scenario,
        "[scenario]\nname = \"Oil at $70\"\n[set]\n\"exports.price_usd_per_bbl\" = 70\n",
    )
    .unwrap();
    let sc = scenario.to_str().unwrap();
    let svg = ok(&["diff", SMALL, "--scenario-b", sc, "--format", "svg", "-q"]).stdout;
    let text = svg_text(&svg);
    assert!(
        text.contains(
            "A = Small hand-checked model (fixtures/small.toml) · \
             B = Small hand-checked model (fixtures/small.toml, scenario \"Oil at $70\") · \
             what moved from A to B, and why"
        ),
        "{text}"
    );
    // Its workbook opens on what A and B are.
    let (lines, _) = first_sheet(&["diff", SMALL, "--scenario-b", sc, "-q"]);
    assert_eq!(
        lines,
        [
            "What this workbook compares: B against A".to_string(),
            "A = Small hand-checked model (fixtures/small.toml), 2023-01 to 2023-02".to_string(),
            "B = Small hand-checked model (fixtures/small.toml), 2023-01 to 2023-02".to_string(),
            format!("  with scenario: Oil at $70 ({sc}): exports.price_usd_per_bbl=70"),
        ]
    );
}

#[test]
fn json_metadata_lists_the_overrides_and_csv_stays_the_data() {
    let o = ok(&[
        "run",
        SMALL,
        "--set",
        "auction.rejection_rate@2023-01..=0.3",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        v["model"]["overrides"],
        serde_json::json!([{
            "set": "auction.rejection_rate@2023-01..=0.3",
            "holds": "from 2023-01 to the end, 2023-02"
        }])
    );
    // The CSV is the data alone, as ref.py and the edited model file give
    // it (tests/reference.rs, tests/model_v2.rs): the note on standard
    // error names the override.
    let o = ok(&[
        "run",
        SMALL,
        "--set",
        "auction.rejection_rate@2023-01..=0.3",
        "--format",
        "csv",
    ]);
    assert!(o.stdout.starts_with("month,metric,value\n"));
    assert!(o.stderr.contains("--set auction.rejection_rate@2023-01..=0.3"));
}
