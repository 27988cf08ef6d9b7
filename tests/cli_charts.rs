//! `--format svg`: every chart parses as XML and says what it shows (the
//! model's name as title, axis labels with units, the numbers printed as
//! the tables print them), the same input gives the same bytes, degenerate
//! results (one month, zero swing) still draw, the SVG text is kept as
//! snapshots (insta), and formats are refused where they do not apply.

use crate::common::{dinarflow, ok};

const SMALL: &str = "fixtures/small.toml";
const MC: &str = "fixtures/mc-6-months.toml";
const SHORT: &str = "fixtures/shortfall.toml";

/// The SVG of `args`, parsed; returns the text and every `<text>` content.
fn svg(args: &[&str]) -> (String, Vec<String>) {
    let mut all = args.to_vec();
    all.extend(["--format", "svg"]);
    let o = ok(&all);
    let doc = roxmltree::Document::parse(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert!(root.attribute("width").is_some() && root.attribute("viewBox").is_some());
    let texts = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect();
    (o.stdout, texts)
}

fn has(texts: &[String], want: &str) -> bool {
    texts.iter().any(|t| t.contains(want))
}

fn assert_has(texts: &[String], wants: &[&str]) {
    for w in wants {
        assert!(has(texts, w), "no text containing {w:?} in {texts:?}");
    }
}

#[test]
fn run_draws_the_rates_and_the_premium_with_units() {
    let (text, t) = svg(&["run", SMALL]);
    assert_has(
        &t,
        &[
            "Small hand-checked model",
            "Official, parallel and effective exchange rates by month",
            "IQD per USD",
            "month",
            "2023-01",
            "2023-02",
            "official_rate",
            "parallel_rate",
            "effective_rate",
            "premium_pct",
            "percent",
            "Model file: fixtures/small.toml · 2023-01 to 2023-02 (2 months)",
        ],
    );
    // Tick labels carry thousands separators as the tables do.
    assert!(t.iter().any(|x| x.starts_with("1,") && x.len() == 5), "{t:?}");
    // Greyscale-safe: the second series is dashed, the third dotted.
    assert!(text.contains("stroke-dasharray") || text.matches("<line").count() > 0);
    insta::assert_snapshot!("run_small", text);
}

#[test]
fn run_metric_draws_what_is_named_and_refuses_unknown_metrics() {
    let (_, t) = svg(&["run", SMALL, "--metric", "cpi_impact_pct", "--metric", "flights"]);
    assert_has(&t, &["cpi_impact_pct by month", "flights by month", "percent"]);
    assert!(!has(&t, "official_rate"));
    let o = dinarflow(&["run", SMALL, "--metric", "nope", "--format", "svg"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no such metric"), "{}", o.stderr);
    let o = dinarflow(&["run", SMALL, "--metric", "flights"]);
    assert_eq!(o.code, 2, "--metric is for svg only");
}

#[test]
fn one_month_still_draws_a_labelled_chart() {
    let (_, t) = svg(&["run", SHORT]);
    assert_has(&t, &["Shortfall month", "2024-02", "IQD per USD"]);
    let (_, t) = svg(&["trace", SHORT]);
    assert_has(&t, &["Custody (NY Fed)", "2024-02 to 2024-02"]);
}

#[test]
fn charts_are_deterministic() {
    for args in [
        vec!["run", "models/iraq-2023.toml"],
        vec!["trace", SMALL],
        vec!["mc", MC, "-n", "500", "-q"],
    ] {
        let (a, _) = svg(&args);
        let (b, _) = svg(&args);
        assert_eq!(a, b, "{args:?}");
    }
}

#[test]
fn trace_draws_the_flows_with_amounts() {
    let (text, t) = svg(&["trace", SMALL]);
    assert_has(
        &t,
        &[
            "Where the dollars went, 2023-01 to 2023-02",
            "Buyer: China",
            "Custody (NY Fed)",
            // Names wrap at about 16 characters.
            "Deduction:",
            "Kuwait",
            "Payment: Debt",
            "Vault (Baghdad)",
            "Sold to banks",
            "Unmet demand, to",
            "of which rejected wires:",
            "Band widths are US dollars",
        ],
    );
    // Gross revenue 4,720,000: China 30% = $1.4 million on its band and node.
    assert!(has(&t, "$1.4 million"), "{t:?}");
    // Unmet demand is drawn dashed.
    assert!(text.contains("stroke-dasharray=\"5,3\""));
    insta::assert_snapshot!("trace_small", text);
    let (_, t) = svg(&["trace", SMALL, "--month", "2023-02"]);
    assert_has(&t, &["Where the dollars went, 2023-02"]);
}

#[test]
fn sweep_draws_lines_or_a_heatmap_with_values() {
    let (text, t) = svg(&[
        "sweep",
        SMALL,
        "-q",
        "--vary",
        "auction.rejection_rate=0.5:0.9:0.1",
    ]);
    assert_has(
        &t,
        &[
            "Sweep of auction.rejection_rate (5 runs)",
            "auction.rejection_rate (share)",
            "parallel_rate",
            "premium_pct",
        ],
    );
    insta::assert_snapshot!("sweep_small", text);
    let two = [
        "sweep",
        SMALL,
        "-q",
        "--vary",
        "auction.rejection_rate=0.5,0.8",
        "--vary",
        "exports.price_usd_per_bbl=60,80",
    ];
    let (text, t) = svg(&two);
    // The cells hold the values the CSV gives, printed with separators.
    let csv = ok(&[&two[..], &["--format", "csv"]].concat());
    for line in csv.stdout.lines().skip(1) {
        let v: rust_decimal::Decimal = line.rsplit(',').next().unwrap().parse().unwrap();
        let shown = dinarflow::render::display(v, 4);
        assert!(has(&t, &shown), "{shown} not in the heatmap");
    }
    insta::assert_snapshot!("sweep2_small", text);
}

#[test]
fn tornado_labels_bars_and_base() {
    let (text, t) = svg(&["tornado", SMALL, "-q", "--metric", "parallel_rate"]);
    let csv = ok(&[
        "tornado",
        SMALL,
        "-q",
        "--metric",
        "parallel_rate",
        "--format",
        "csv",
    ]);
    assert_has(
        &t,
        &[
            "Tornado of parallel_rate: base 1,700.4924",
            "parallel_rate (IQD per USD)",
            "base 1,700.4924",
        ],
    );
    let first: Vec<&str> = csv.stdout.lines().nth(1).unwrap().split(',').collect();
    let low: rust_decimal::Decimal = first[3].parse().unwrap();
    assert!(has(&t, first[0]), "the largest swing's path");
    assert!(has(&t, &dinarflow::render::display(low, 4)), "its metric at low");
    insta::assert_snapshot!("tornado_small", text);
    // Zero swing: a parameter the rate does not depend on.
    let (_, t) = svg(&[
        "tornado",
        SMALL,
        "-q",
        "--metric",
        "parallel_rate",
        "--param",
        "prices.reference_rate_iqd_per_usd",
    ]);
    assert_has(&t, &["prices.reference_rate_iqd_per_usd", "base 1,700.4924"]);
}

#[test]
fn uncertainty_charts_draw() {
    let (_, t) = svg(&["mc", MC, "-n", "800", "-q", "--metric", "parallel_rate"]);
    assert_has(
        &t,
        &[
            "Iraq H1 2023 (Monte Carlo benchmark)",
            "parallel_rate by month: P5–P95, P25–P75 and median (800 draws, seed 1)",
            "P5–P95",
            "median",
            "base run (no uncertainty)",
            "draws",
        ],
    );
    let (_, t) = svg(&["sobol", MC, "-n", "64", "-q"]);
    assert_has(
        &t,
        &[
            "Share of the variance of parallel_rate",
            "S1: the input alone",
            "ST: with its interactions",
        ],
    );
    let (_, t) = svg(&["morris", MC, "-r", "4", "-q"]);
    assert_has(
        &t,
        &[
            "μ* (mean absolute effect, IQD per USD)",
            "σ (spread of the effects, IQD per USD)",
        ],
    );
}

#[test]
fn diff_draws_a_waterfall_from_a_to_b() {
    let (text, t) = svg(&[
        "diff",
        SMALL,
        SMALL,
        "-q",
        "--metric",
        "parallel_rate",
        "--set",
        "auction.official_rate_iqd_per_usd=1400",
    ]);
    assert_has(&t, &["parallel_rate: from A to B", "A", "B"]);
    assert!(text.contains("<rect"));
}

#[test]
fn formats_are_refused_where_they_do_not_apply() {
    for (args, want) in [
        (
            vec!["explain", SMALL, "parallel_rate@2023-01", "--format", "svg"],
            "has no svg output",
        ),
        (vec!["brief", SMALL, "--format", "svg"], "brief --format html"),
        (vec!["run", SMALL, "--format", "html"], "brief --format html"),
        (
            vec!["run", SMALL, "--format", "csv", "--out", "/tmp/x.xlsx"],
            "does not match",
        ),
        (
            vec!["run", SMALL, "--format", "xlsx", "--out", "/tmp/x.txt"],
            "does not match",
        ),
        (vec!["check", SMALL, "--format", "xlsx"], "has no xlsx output"),
        (vec!["brief", SMALL, "--draws", "10"], "--draws"),
    ] {
        let o = dinarflow(&args);
        assert_eq!(o.code, 2, "{args:?}");
        assert!(o.stderr.contains(want), "{args:?}: {}", o.stderr);
    }
}

#[test]
fn out_picks_svg_html_and_xlsx_from_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    for (name, start) in [
        ("r.svg", &b"<svg"[..]),
        ("r.xlsx", &b"PK"[..]),
        ("b.html", &b"<!DOCTYPE html>"[..]),
    ] {
        let path = dir.path().join(name);
        let cmd = if name.ends_with("html") { "brief" } else { "run" };
        ok(&[cmd, SMALL, "--out", path.to_str().unwrap()]);
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(start), "{name}");
    }
}
