//! `--format svg` and `png`: every chart parses as XML and says what it
//! shows (the model's name as title, labels and units for people, numbers
//! rounded to at most four significant figures), every chart drawn at
//! 1280x720 has no text under 14 pixels and no code name in sight, PNG
//! output is a picture of the size asked for, the same input gives the
//! same bytes, degenerate results (one month, zero swing) still draw, the
//! SVG text is kept as snapshots (insta), and formats are refused where
//! they do not apply.

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

/// Every `<text>` of an SVG with its font size, and whether it lies in a
/// panel (a nested `<svg>`: ticks, labels, legends) rather than the frame
/// (title, subtitle, headings, footer).
fn texts_of(svg: &str) -> Vec<(String, f64, bool)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            let size: f64 = n
                .attribute("font-size")
                .unwrap_or_else(|| panic!("text without a size: {:?}", n.text()))
                .parse()
                .unwrap();
            let in_panel = n.ancestors().filter(|a| a.has_tag_name("svg")).count() > 1;
            (n.text().unwrap_or("").trim().to_string(), size, in_panel)
        })
        .collect()
}

/// The significant figures of each number in `text`: `1,532` has 4,
/// `1,500` 2, `0.1235` 4, `15.54` 4.
fn figures(text: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || ((chars[i] == ',' || chars[i] == '.')
                        && chars.get(i + 1).is_some_and(char::is_ascii_digit)))
            {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            let digits: String = token.chars().filter(|c| *c != ',').collect();
            let n = match digits.split_once('.') {
                Some((int, frac)) => format!("{int}{frac}").trim_start_matches('0').len(),
                None => digits.trim_start_matches('0').trim_end_matches('0').len(),
            };
            out.push((token, n));
        } else {
            i += 1;
        }
    }
    out
}

/// A chart drawn at 1280x720 for slides: the size asked for, no text
/// under 14 pixels, no code name (a path, a metric's identifier, `USD`)
/// in any text but the footer's file names, and no number in a panel
/// with more than four significant figures. Returns the texts.
fn slide(args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["--size", "1280x720", "--format", "svg"]);
    let o = ok(&all);
    let doc = roxmltree::Document::parse(&o.stdout).unwrap();
    let root = doc.root_element();
    assert_eq!(
        (root.attribute("width"), root.attribute("height")),
        (Some("1280"), Some("720")),
        "{args:?}"
    );
    let texts = texts_of(&o.stdout);
    let code = [
        "exports.",
        "deductions[",
        "custody.",
        "airlift.",
        "auction.",
        "parallel_market.",
        "prices.",
        "_usd",
        "_pct",
        "_rate",
        "USD",
        "_",
    ];
    for (t, size, in_panel) in &texts {
        assert!(*size >= 14.0 - 1e-9, "{args:?}: {t:?} at {size} px");
        if !t.starts_with("Model file:") && !t.starts_with("A: ") {
            for c in code {
                assert!(!t.contains(c), "{args:?}: code name {c:?} in {t:?}");
            }
        }
        if *in_panel {
            for (number, n) in figures(t) {
                assert!(n <= 4, "{args:?}: {number} in {t:?} has {n} significant figures");
            }
        }
    }
    texts.into_iter().map(|t| t.0).collect()
}

#[test]
fn figures_are_counted_as_people_read_them() {
    let f = |t: &str| figures(t).into_iter().map(|x| x.1).collect::<Vec<_>>();
    assert_eq!(f("1,532 (at 0.64)"), [4, 2]);
    assert_eq!(f("base 1,500"), [2]);
    assert_eq!(f("0.1235 and 15.54%"), [4, 4]);
    assert_eq!(f("1,700.4924"), [8]);
    assert_eq!(f("Nov 2022, $113.7 bn"), [4, 4]);
}

fn has(texts: &[String], want: &str) -> bool {
    texts.iter().any(|t| t.contains(want))
}

/// Asserts that each of `wants` is a whole text of the chart.
fn assert_texts(texts: &[String], wants: &[&str]) {
    for w in wants {
        assert!(texts.iter().any(|t| t == w), "no text {w:?} in {texts:?}");
    }
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
            "IQD per $",
            "Jan 2023",
            "Feb 2023",
            "Official rate",
            "Parallel rate",
            "Effective import rate",
            "Parallel-market premium, %",
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
    assert_has(
        &t,
        &[
            "Exchange-rate effect on consumer prices by month",
            "Cash flights by month",
            "Exchange-rate effect on consumer prices, %",
        ],
    );
    assert!(!has(&t, "Official rate"));
    let o = dinarflow(&["run", SMALL, "--metric", "nope", "--format", "svg"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no such metric"), "{}", o.stderr);
    let o = dinarflow(&["run", SMALL, "--metric", "flights"]);
    assert_eq!(o.code, 2, "--metric is for svg only");
}

#[test]
fn one_month_still_draws_a_labelled_chart() {
    let (_, t) = svg(&["run", SHORT]);
    assert_has(&t, &["Shortfall month", "Feb 2024", "IQD per $"]);
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
    // Gross revenue 4,720,000: China 30% = $1,416,000 on its band and
    // node, in four figures.
    assert!(has(&t, "$1.416 million"), "{t:?}");
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
            "Sweep of share of wires rejected (5 runs)",
            "Share of wires rejected",
            "Parallel rate, mean Jan–Feb 2023",
            "Parallel-market premium, mean Jan–Feb 2023",
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
    // The cells hold the values the CSV gives, rounded alike: each cell
    // within half its last printed place of its value, and every cell
    // with the same number of decimals.
    let csv = ok(&[&two[..], &["--format", "csv"]].concat());
    let decimals = |x: &str| x.split_once('.').map_or(0, |(_, f)| f.len());
    let mut places = Vec::new();
    for line in csv.stdout.lines().skip(1) {
        let v: f64 = line.rsplit(',').next().unwrap().parse().unwrap();
        let cell = t
            .iter()
            .find(|x| {
                let n: f64 = x.replace(',', "").parse().unwrap_or(f64::NAN);
                (n - v).abs() <= 0.5 * 10f64.powi(-(decimals(x) as i32)) + 1e-9
            })
            .unwrap_or_else(|| panic!("{v} not in the heatmap: {t:?}"));
        places.push(decimals(cell));
    }
    assert!(places.iter().all(|p| *p == places[0]), "{places:?}");
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
            "Tornado of the parallel rate (mean Jan–Feb 2023): 1,700 IQD per $ with every parameter at base",
            "Parallel rate, IQD per $, mean Jan–Feb 2023",
            "base 1,700",
        ],
    );
    let first: Vec<&str> = csv.stdout.lines().nth(1).unwrap().split(',').collect();
    let low: f64 = first[3].parse().unwrap();
    let label = dinarflow::model::param_label(first[0]).unwrap().label;
    assert!(has(&t, &label), "the largest swing's parameter, {label}");
    let shown = dinarflow::render::svg::style::human(low, 4);
    assert!(has(&t, &format!("{shown} (at ")), "its metric at low, {shown}");
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
    assert_has(&t, &["Rate prices were set at", "base 1,700"]);
}

#[test]
fn uncertainty_charts_draw() {
    let (_, t) = svg(&["mc", MC, "-n", "800", "-q", "--metric", "parallel_rate"]);
    assert_has(
        &t,
        &[
            "Iraq H1 2023 (Monte Carlo benchmark)",
            "Parallel rate by month: P5–P95, P25–P75 and median (800 draws, seed 1)",
            "Parallel rate, IQD per $, mean Jan–Jun 2023",
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
            "Share of the variance of the parallel rate (mean Jan–Jun 2023)",
            "S1: the input alone",
            "ST: with its interactions",
        ],
    );
    // A narrow interval keeps its digits: the table's ST of
    // auction.cash_share at N = 256 is 0.0191 ± 0.0039, which two decimals
    // would label "0.02 ± 0.00".
    let table = ok(&["sobol", MC, "-n", "256", "-q"]).stdout;
    assert!(
        table.contains(
            " auction.cash_share                |     0.0127 | 0.1182 |                 0.0191 | 0.0039 "
        ),
        "{table}"
    );
    // The index takes the interval's decimals: "0.0191 ± 0.0039", not
    // "0.02 ± 0.0039"; no label is a bare "0" or "± <".
    let (_, t) = svg(&["sobol", MC, "-n", "256", "-q"]);
    assert!(t.iter().any(|x| x == "0.0191 ± 0.0039"), "{t:?}");
    assert!(
        !t.iter()
            .any(|x| x.contains(" ± ") && (x.starts_with("0 ") || x.ends_with("± 0") || x.contains("± <"))),
        "{t:?}"
    );
    let (_, t) = svg(&["morris", MC, "-r", "4", "-q"]);
    assert_has(
        &t,
        &[
            "μ* (mean absolute effect, IQD per $)",
            "σ (spread of the effects, IQD per $)",
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
    assert_has(
        &t,
        &[
            "Parallel rate, IQD per $, mean Jan–Feb 2023: from A to B",
            "A",
            "B",
            "1,700 IQD per $",
        ],
    );
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
        (
            vec!["brief", SMALL, "--draws", "0"],
            "too small (allowed: a whole number from 1 to 1,000,000)",
        ),
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

const IRAQ: &str = "models/iraq-2023.toml";
const PARALLEL: &str = "models/observed/iraq-parallel-2022-2023.csv";

#[test]
fn every_chart_is_slide_ready_at_1280x720() {
    let t = slide(&["run", IRAQ]);
    assert_has(
        &t,
        &[
            "Parallel rate",
            "Official rate",
            "IQD per $",
            "Parallel-market premium",
            "%",
            "Nov 2022",
        ],
    );
    let t = slide(&[
        "run",
        IRAQ,
        "--metric",
        "gross_revenue_usd",
        "--metric",
        "cpi_impact_pct",
    ]);
    assert_has(
        &t,
        &[
            "Gross oil revenue and exchange-rate effect on consumer prices by month",
            "Gross oil revenue, $",
            "bn",
            "Exchange-rate effect on consumer prices",
        ],
    );
    slide(&["trace", IRAQ]);
    let t = slide(&[
        "sweep",
        IRAQ,
        "-q",
        "--vary",
        "auction.rejection_rate=0.3:0.9:0.1",
    ]);
    assert_has(
        &t,
        &[
            "Sweep of share of wires rejected (7 runs)",
            "Share of wires rejected",
            "Parallel rate, mean Nov 2022–Dec 2024",
        ],
    );
    let t = slide(&[
        "sweep",
        IRAQ,
        "-q",
        "--vary",
        "auction.rejection_rate=0.3:0.9:0.2",
        "--vary",
        "parallel_market.demand_elasticity=0.5:2:0.5",
        "--metric",
        "cpi_impact_pct",
    ]);
    assert_has(
        &t,
        &[
            "Demand elasticity",
            "Exchange-rate effect on consumer prices, %, mean Nov 2022–Dec 2024:",
        ],
    );
    let t = slide(&["tornado", IRAQ, "-q", "--metric", "parallel_rate"]);
    assert_has(
        &t,
        &[
            "Tornado of the parallel rate (mean Nov 2022–Dec 2024): 1,531 IQD per $ with every parameter at base",
            "Weight of the official rate in the anchor",
            "Baseline street turnover",
            "Parallel rate, IQD per $, mean Nov 2022–Dec 2024",
            "base 1,531",
        ],
    );
    let t = slide(&["mc", IRAQ, "-q", "-n", "500", "--metric", "parallel_rate"]);
    assert_has(&t, &["Parallel rate, IQD per $", "P5–P95", "median", "draws"]);
    let t = slide(&["sobol", IRAQ, "-q", "-n", "64"]);
    assert_has(
        &t,
        &[
            "Share of the variance of the parallel rate (mean Nov 2022–Dec 2024)",
            "Weight of the official rate in the anchor",
        ],
    );
    // The three inputs with no effect on the parallel rate (oil price,
    // underlying inflation, food pass-through: μ* = σ = 0 in `morris
    // --format csv`) sit on one point, labelled once.
    let (_, t) = svg(&["morris", IRAQ, "-q"]);
    assert_eq!(t.iter().filter(|x| x.as_str() == "5, 6, 7").count(), 1, "{t:?}");
    assert!(!t.iter().any(|x| x == "6" || x == "7"), "{t:?}");
    let t = slide(&["morris", IRAQ, "-q", "-r", "4"]);
    assert_has(
        &t,
        &["μ* (mean absolute effect, IQD per $)", "Baseline street turnover"],
    );
    let t = slide(&[
        "diff",
        IRAQ,
        "--scenario-b",
        "models/scenarios/stricter-screening.toml",
        "-q",
    ]);
    assert_has(
        &t,
        &[
            "Parallel rate, IQD per $, mean Nov 2022–Dec 2024: from A to B",
            "Share of wires rejected",
            "1,531 IQD per $",
            "+314.9",
            "+24 pp",
            "−1.84%",
        ],
    );
    let t = slide(&[
        "fit",
        IRAQ,
        "--observed",
        PARALLEL,
        "--vary",
        "parallel_market.anchor_weight",
    ]);
    assert_has(
        &t,
        &[
            "Parallel rate: observed and fitted",
            "observed",
            "model, fitted",
            "Weight of the official rate in the anchor",
        ],
    );
    let t = slide(&[
        "backtest",
        IRAQ,
        "--observed",
        PARALLEL,
        "--train-until",
        "2023-03",
        "-n",
        "200",
    ]);
    assert_has(
        &t,
        &[
            "Parallel rate after Mar 2023",
            "random walk",
            "model P10–P90",
            "bands from 200 draws",
        ],
    );
}

#[test]
fn the_diff_waterfall_starts_at_zero_and_draws_falls_leftward() {
    let o = ok(&[
        "diff",
        SMALL,
        SMALL,
        "-q",
        "--metric",
        "parallel_rate",
        "--set",
        "auction.official_rate_iqd_per_usd=1400",
        "--format",
        "svg",
    ]);
    let t: Vec<String> = texts_of(&o.stdout).into_iter().map(|x| x.0).collect();
    // The axis includes zero: totals are bars from it.
    assert!(t.iter().any(|x| x == "0"), "{t:?}");
    let doc = roxmltree::Document::parse(&o.stdout).unwrap();
    let bars: Vec<(f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#767676"))
        .map(|n| {
            let x: f64 = n.attribute("x").unwrap().parse().unwrap();
            let w: f64 = n.attribute("width").unwrap().parse().unwrap();
            (x, w)
        })
        .collect();
    // A's and B's bars (grey) start at the same place, zero.
    assert!(bars.len() >= 2, "{bars:?}");
    assert!(bars.iter().all(|b| (b.0 - bars[0].0).abs() < 1.0), "{bars:?}");
}

#[test]
fn png_is_a_picture_of_the_size_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let read = |p: &std::path::Path| {
        let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(p).unwrap()));
        let info = decoder.read_info().unwrap();
        (info.info().width, info.info().height)
    };
    let a = dir.path().join("a.png");
    ok(&["run", SMALL, "--size", "1280x720", "--out", a.to_str().unwrap()]);
    assert_eq!(read(&a), (1280, 720));
    let b = dir.path().join("b.out");
    ok(&[
        "tornado",
        SMALL,
        "-q",
        "--metric",
        "parallel_rate",
        "--format",
        "png",
        "--size",
        "640x480",
        "--out",
        b.to_str().unwrap(),
    ]);
    assert_eq!(read(&b), (640, 480));
    // 1920 wide: the 1280 layout scaled up.
    let c = dir.path().join("c.png");
    ok(&[
        "trace",
        SMALL,
        "--size",
        "1920x1080",
        "--out",
        c.to_str().unwrap(),
    ]);
    assert_eq!(read(&c), (1920, 1080));
    // Without --size, 1280 wide and as tall as the chart needs.
    let d = dir.path().join("d.png");
    ok(&["run", SMALL, "--out", d.to_str().unwrap()]);
    assert_eq!(read(&d).0, 1280);
    // The same chart gives the same bytes.
    let e = dir.path().join("e.png");
    ok(&["run", SMALL, "--size", "1280x720", "--out", e.to_str().unwrap()]);
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&e).unwrap());
}

#[test]
fn size_is_checked_and_is_for_pictures_only() {
    for (args, want) in [
        (
            vec!["run", SMALL, "--size", "1280x720", "--format", "csv"],
            "--size is the size of a picture",
        ),
        (
            vec!["run", SMALL, "--size", "1280", "--format", "svg"],
            "is not a size",
        ),
        (
            vec!["run", SMALL, "--size", "100x100", "--format", "svg"],
            "320 to 8000",
        ),
        (
            vec!["check", SMALL, "--size", "1280x720"],
            "unexpected argument '--size'",
        ),
        (vec!["brief", SMALL, "--format", "png"], "brief --format html"),
    ] {
        let o = dinarflow(&args);
        assert_eq!(o.code, 2, "{args:?}");
        assert!(o.stderr.contains(want), "{args:?}: {}", o.stderr);
    }
    // A picture is binary: not written to a terminal, but to a pipe or a file.
    let o = ok(&["run", SMALL, "--format", "png"]);
    assert!(o.stdout.len() > 1000);
}

/// A difference that leaves the rates and prices alone (15% cheaper oil in
/// Jul–Dec 2023 moves revenue and custody only) draws the metrics it
/// moves, largest relative change first, in dollars: custody −11.2%, then
/// gross and net revenue −3.45% (−6,621,444,843.52 of 191,864,526,026.48,
/// `diff --format csv`), not three waterfalls of A = B.
#[test]
fn diff_draws_the_metrics_a_difference_moves_in_dollars() {
    let (_, t) = svg(&[
        "diff",
        IRAQ,
        "--scenario-b",
        "models/scenarios/oil-price-fall.toml",
    ]);
    assert_has(
        &t,
        &[
            "Custody balance (NY Fed), $, end of Dec 2024: from A to B through each difference's part",
            "Gross oil revenue, $, total Nov 2022–Dec 2024: from A to B through each difference's part",
            "Net oil revenue, $, total Nov 2022–Dec 2024: from A to B through each difference's part",
            "$191.9 bn",
            "−$6.62 bn",
            "$185.2 bn",
        ],
    );
    assert!(!t.iter().any(|x| x.starts_with("Parallel rate")), "{t:?}");
}

#[test]
fn a_heatmap_of_dollars_reads_in_dollars() {
    // Custody at the end of 2024 is hundreds of billions of dollars: the
    // cells and the key's ends read "$28.99 bn", as every dollar axis does.
    let o = ok(&[
        "sweep",
        "models/iraq-2023.toml",
        "--vary",
        "auction.rejection_rate=0.2,0.8",
        "--vary",
        "exports.price_usd_per_bbl=60,100",
        "--metric",
        "custody_balance_usd:last",
        "--format",
        "svg",
        "-q",
    ]);
    let amounts: Vec<&str> = o
        .stdout
        .split('>')
        .filter_map(|t| t.split('<').next())
        .map(str::trim)
        .filter(|t| t.ends_with(" bn"))
        .collect();
    assert!(amounts.len() >= 6, "{amounts:?}");
    assert!(amounts.iter().all(|t| t.starts_with('$')), "{amounts:?}");
}

#[test]
fn a_heatmap_prints_every_cell_with_the_same_decimals() {
    // The small model's net revenue over its 59 days is price × volume ×
    // 59 × 0.95 (5% to Kuwait): $4,484,000 at $80 and 1,000 bbl a day,
    // $5,605,000 at $100, $89,680,000 and $112,100,000 at 20,000 bbl.
    // Three figures of the largest, $112 m, leave no decimals for any
    // cell, and the four still differ: "$4 m", not "$4.484 m" beside
    // "$112.1 m".
    let (_, t) = svg(&[
        "sweep",
        SMALL,
        "-q",
        "--vary",
        "exports.volume_bpd=1000,20000",
        "--vary",
        "exports.price_usd_per_bbl=80,100",
        "--metric",
        "net_revenue_usd",
    ]);
    assert_texts(&t, &["$4 m", "$6 m", "$90 m", "$112 m"]);
    assert!(!t.iter().any(|x| x.contains('.') && x.ends_with(" m")), "{t:?}");
    // A parameter's values read with the same decimals down the map.
    let (_, t) = svg(&[
        "sweep",
        SMALL,
        "-q",
        "--vary",
        "auction.rejection_rate=0.2,0.35",
        "--vary",
        "exports.price_usd_per_bbl=60,80",
    ]);
    assert_texts(&t, &["0.20", "0.35", "60", "80"]);
}

#[test]
fn a_sweep_has_a_tick_at_each_value_it_ran() {
    // Five values 0.1 apart: five ticks, not 0.2 and 0.4 alone.
    let (_, t) = svg(&[
        "sweep",
        SMALL,
        "-q",
        "--vary",
        "auction.rejection_rate=0.1:0.5:0.1",
        "--metric",
        "parallel_rate",
    ]);
    assert_texts(&t, &["0.1", "0.2", "0.3", "0.4", "0.5"]);
    // The lowest value has its tick, and the ticks are the values run
    // (0.25 to 0.45 by 0.05), not plotters' 0.26, 0.28, ….
    let (_, t) = svg(&[
        "sweep",
        SMALL,
        "-q",
        "--vary",
        "auction.rejection_rate=0.25:0.45:0.05",
        "--metric",
        "parallel_rate",
    ]);
    assert_texts(&t, &["0.25", "0.30", "0.35", "0.40", "0.45"]);
    assert!(!t.iter().any(|x| x == "0.26"), "{t:?}");
}

#[test]
fn the_tornado_subtitle_rounds_its_base_as_the_brief_does() {
    // Net revenue at base: $80 × 1,000 bbl × 59 days × 0.95 = $4,484,000,
    // which the brief writes "$4.5 m" (millions with one place), not
    // "$4.484 m".
    let (_, t) = svg(&["tornado", SMALL, "-q", "--metric", "net_revenue_usd"]);
    let subtitle = t.iter().find(|x| x.starts_with("Tornado of")).unwrap();
    assert!(
        subtitle.ends_with(": $4.5 m with every parameter at base"),
        "{subtitle}"
    );
}

#[test]
fn a_zero_tick_reads_with_its_unit_as_its_neighbours() {
    // Net revenue of $4,484,000 in A against $3,363,000 in B at $60 a
    // barrel: the waterfall's axis from zero is in millions, and its zero
    // tick reads "$0 m" (with the decimals of the tick after it), not "$0".
    let o = ok(&[
        "diff",
        SMALL,
        SMALL,
        "-q",
        "--metric",
        "net_revenue_usd",
        "--set-b",
        "exports.price_usd_per_bbl=60",
        "--format",
        "svg",
    ]);
    let t: Vec<String> = texts_of(&o.stdout).into_iter().map(|x| x.0).collect();
    let zero = t
        .iter()
        .position(|x| x == "$0 m" || x == "$0.0 m")
        .unwrap_or_else(|| panic!("no zero tick in {t:?}"));
    let decimals = |x: &str| x.split_once('.').map_or(0, |(_, f)| f.len());
    let next = &t[zero + 1];
    assert!(next.starts_with('$') && next.ends_with(" m"), "{t:?}");
    assert_eq!(decimals(&t[zero]), decimals(next), "{t:?}");
    assert!(!t.iter().any(|x| x == "$0"), "{t:?}");
    // A's and B's bars and the price's part are labelled to four figures,
    // not "$4 m" and "$3 m": $4,484,000, $3,363,000 and their difference.
    assert_texts(&t, &["$4.48 m", "$3.36 m", "−$1.12 m"]);
}

#[test]
fn morris_axes_of_money_read_in_dollars() {
    // μ* and σ of net revenue are dollars: "$2.0 bn", not "2.0 bn".
    let (_, t) = svg(&["morris", MC, "-r", "4", "-q", "--metric", "net_revenue_usd"]);
    let amounts: Vec<&String> = t.iter().filter(|x| x.ends_with(" bn")).collect();
    assert!(amounts.len() >= 3, "{t:?}");
    assert!(amounts.iter().all(|x| x.starts_with('$')), "{amounts:?}");
}
