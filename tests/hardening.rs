//! The third hardening pass (issue 20): each test shows one failure of the
//! pass that the code before it had (a panic, a wrong or refused answer).

use std::path::{Path, PathBuf};

use crate::common::{dinarflow, ok};

/// `fixtures/small.toml` with `from` replaced by `to` (each must occur),
/// written into `dir` as `name`.
fn small_with(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string("fixtures/small.toml").unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

// Item 10: panics on values that check and run accept.

#[test]
fn tornado_and_the_html_brief_skip_a_swing_past_the_largest_decimal() {
    let dir = tempfile::tempdir().unwrap();
    let big = small_with(
        dir.path(),
        "big.toml",
        &[(
            "opening_balance_usd = 1000000",
            "opening_balance_usd = 75000000000000000000000000000",
        )],
    );
    ok(&["check", s(&big)]);
    let out = ok(&["tornado", s(&big), "--metric", "custody_balance_usd"]);
    assert!(
        out.stdout.contains(
            "- custody.opening_balance_usd: 75000000000000000000000000000 × (1 + 10%) is past the largest exact decimal (about 7.9e28)\n"
        ),
        "{}",
        out.stdout
    );
    // Named, it is refused (exit 2) with the same reason.
    let out = dinarflow(&[
        "tornado",
        s(&big),
        "--metric",
        "custody_balance_usd",
        "--param",
        "custody.opening_balance_usd",
    ]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: --param custody.opening_balance_usd: 75000000000000000000000000000 × (1 + 10%) is past the largest exact decimal (about 7.9e28)\n"
    );
    let html = ok(&["brief", s(&big), "--format", "html"]);
    assert!(
        html.stdout.starts_with("<!DOCTYPE html>"),
        "{}",
        &html.stdout[..100]
    );
}

#[test]
fn diff_of_a_change_near_8e26_reports_it() {
    let dir = tempfile::tempdir().unwrap();
    let big = small_with(
        dir.path(),
        "big.toml",
        &[(
            "opening_balance_usd = 1000000",
            "opening_balance_usd = 800000000000000000000000000",
        )],
    );
    let out = ok(&["diff", "fixtures/small.toml", s(&big), "--format", "csv"]);
    // Closing custody 904,600.00 in A; B holds 8e26 − 1,000,000 more:
    // 100 × 799,999,999,999,999,999,999,000,000 / 904,600 by Python's
    // decimal module is 88436878178200309528963.07760336…
    let row = out
        .stdout
        .lines()
        .find(|l| l.contains("custody_balance_usd"))
        .unwrap()
        .to_string();
    assert!(row.ends_with(",88436878178200309528963.0776"), "{row}");
}

#[test]
fn explain_with_an_extreme_rate_over_a_tiny_reference_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        dir.path(),
        "extreme.toml",
        &[
            (
                "reference_rate_iqd_per_usd = 1470",
                "reference_rate_iqd_per_usd = 0.0000000000000000000001",
            ),
            (
                "official_rate_iqd_per_usd = 1460",
                "official_rate_iqd_per_usd = 10000000000",
            ),
            (
                "baseline_rate_iqd_per_usd = 1480",
                "baseline_rate_iqd_per_usd = 10000000000",
            ),
            ("import_content = 0.5", "import_content = 0"),
            ("import_content = 0.25", "import_content = 0"),
        ],
    );
    ok(&["run", s(&m)]);
    let out = ok(&["explain", s(&m), "cpi_impact_pct@2023-01"]);
    // de = 10,000,000,000 / 1e-22 − 1 is past the largest decimal.
    assert!(
        out.stdout
            .contains(" / 0.0000000000000000000001 − 1 = 79,228,162,514,264,337,593,543,950,335\n"),
        "{}",
        out.stdout
    );
}

// Item 3: CSV formula injection.

#[test]
fn csv_cells_a_spreadsheet_would_run_are_quoted_and_numbers_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let m = small_with(
        dir.path(),
        "inject.toml",
        &[
            (
                r#"source = "made up for the test""#,
                r#"source = "=HYPERLINK(\"http://example.invalid\",\"see\")""#,
            ),
            (
                r#"note = "revaluation and easier screening""#,
                r#"note = "@SUM(1+1)""#,
            ),
            (r#"source = "UNSC Res. 1483 (2003)""#, r#"source = "-1.5""#),
        ],
    );
    let out = ok(&["check", s(&m), "--format", "csv"]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    let path = s(&m);
    assert!(lines.contains(&format!(
        r#"2023-01,exports.price_usd_per_bbl,80,USD/bbl,"'=HYPERLINK(""http://example.invalid"",""see"")",,{path}:12"#
    ).as_str()), "{}", out.stdout);
    assert!(
        lines.contains(&format!("2023-02,auction.rejection_rate,0.5,share,,'@SUM(1+1),{path}:71").as_str())
    );
    assert!(lines.contains(
        &format!("2023-01,deductions[Kuwait compensation].rate,0.05,share,-1.5,,{path}:24").as_str()
    ));
}

// Item 4: bidirectional overrides and other format characters.

#[test]
fn format_characters_are_refused_in_names_and_shown_escaped_in_text() {
    let dir = tempfile::tempdir().unwrap();
    let named = small_with(
        dir.path(),
        "named.toml",
        &[(r#"name = "China""#, "name = \"Chi\u{202e}na\"")],
    );
    let out = dinarflow(&["check", s(&named)]);
    assert_eq!(out.code, 2);
    let p = s(&named);
    assert_eq!(
        out.stderr,
        format!(
            "error: {p}:15:8: exports.buyers[0].name: \"Chi\\u{{202e}}na\" cannot be used as a name (allowed: a non-empty name without [ ] = : @ | * or control or format characters)
   |
15 | name = \"Chi\u{fffd}na\"
   |        ^^^^^^^^
   |
   = help: it holds the invisible format character \\u{{202e}}, which reorders or hides the text around it

error: 1 problem in {p}
"
        )
    );
    // A zero-width joiner too.
    let zwj = small_with(
        dir.path(),
        "zwj.toml",
        &[(r#"name = "Food""#, "name = \"Fo\u{200d}od\"")],
    );
    assert_eq!(dinarflow(&["check", s(&zwj)]).code, 2);
    // In free text (a source), shown escaped in the HTML brief and the table.
    let text = small_with(
        dir.path(),
        "text.toml",
        &[(
            r#"source = "made up for the test""#,
            "source = \"made \u{202e}up 0.52%\"",
        )],
    );
    let html = ok(&["brief", s(&text), "--format", "html"]).stdout;
    assert!(html.contains("made \\u{202e}up 0.52%"), "{html}");
    assert!(!html.contains('\u{202e}'));
    let table = ok(&["check", s(&text)]).stdout;
    assert!(table.contains("made \\u{202e}up 0.52%"));
    assert!(!table.contains('\u{202e}'));
}

#[test]
fn escape_in_an_argument_echoed_by_an_error_is_shown_escaped() {
    let out = dinarflow(&["run", "fixtures/small.toml", "--set", "\u{1b}[31mfoo=1"]);
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "error: --set \\u{1b}[31mfoo=1: `\\u{1b}[31mfoo` names no numeric parameter of this model\n"
    );
}
