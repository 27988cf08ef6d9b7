//! `dinarflow tornado`: every bar equals runs at its low and high value,
//! P10/P90 of the shipped distributions by hand, the ∓ swing without a
//! distribution, sorting, formats and errors.

use crate::common::{dinarflow, ok};

use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The summary of `metric` from `run --set path=value --format csv`.
fn run_total(model: &str, set: &str, metric: &str) -> String {
    let o = ok(&["run", model, "--set", set, "--format", "csv"]);
    o.stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("total,{metric},")))
        .unwrap()
        .to_string()
}

struct Bar {
    path: String,
    low: String,
    high: String,
    metric_low: String,
    metric_high: String,
    swing: Decimal,
}

fn bars(stdout: &str) -> Vec<Bar> {
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("path,low,high,metric_low,metric_high,swing"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            Bar {
                path: f[0].into(),
                low: f[1].into(),
                high: f[2].into(),
                metric_low: f[3].into(),
                metric_high: f[4].into(),
                swing: dec(f[5]),
            }
        })
        .collect()
}

#[test]
fn bars_equal_runs_at_their_low_and_high_values() {
    let o = ok(&[
        "tornado",
        "models/iraq-2023.toml",
        "--metric",
        "premium_pct",
        "--format",
        "csv",
    ]);
    let bars = bars(&o.stdout);
    // The seven entries in the shipped model's [uncertainty]: two flow
    // factors and the five fitted parameters.
    assert_eq!(bars.len(), 7);
    for b in &bars {
        let lo = run_total(
            "models/iraq-2023.toml",
            &format!("{}={}", b.path, b.low),
            "premium_pct",
        );
        let hi = run_total(
            "models/iraq-2023.toml",
            &format!("{}={}", b.path, b.high),
            "premium_pct",
        );
        assert_eq!(b.metric_low, lo, "{}", b.path);
        assert_eq!(b.metric_high, hi, "{}", b.path);
        assert_eq!(b.swing, dec(&hi) - dec(&lo));
    }
    assert!(bars.windows(2).all(|w| w[0].swing.abs() >= w[1].swing.abs()));
}

#[test]
fn p10_and_p90_of_the_shipped_distributions() {
    let o = ok(&[
        "tornado",
        "models/iraq-2023.toml",
        "--metric",
        "parallel_rate",
        "--format",
        "csv",
    ]);
    let bars = bars(&o.stdout);
    let find = |p: &str| bars.iter().find(|b| b.path == p).unwrap();
    // A drawn factor normal(1, 0.1): 1 ∓ 1.2815516 × 0.1 = 0.871845 / 1.128155 (six places).
    let price = find("exports.price_usd_per_bbl*");
    assert_eq!(
        (price.low.as_str(), price.high.as_str()),
        ("0.871845", "1.128155")
    );
    // The factor uniform(0.7, 1.3) on the cash share: 0.7 + 0.1 × 0.6, 0.7 + 0.9 × 0.6.
    let c = find("auction.cash_share*");
    assert_eq!((c.low.as_str(), c.high.as_str()), ("0.76", "1.24"));
    // A fitted parameter is a normal truncated to its allowed range, so P10
    // is Φ⁻¹(Φ(a) + 0.1 (Φ(b) − Φ(a))) in its units (Python's
    // statistics.NormalDist): anchor weight normal(0.323032, 0.33829183) on
    // [0, 1] gives 0.0954596 / 0.7500241; persistence normal(0.490904,
    // 0.27380706) on [0, 0.99] gives 0.1817507 / 0.8031002; turnover
    // normal(119,421,085.14, 43,116,524.17) above 0 gives 64,779,661.932 /
    // 174,746,121.922 (cents).
    let a = find("parallel_market.anchor_weight");
    assert_eq!((a.low.as_str(), a.high.as_str()), ("0.09546", "0.750024"));
    let p = find("parallel_market.persistence");
    assert_eq!((p.low.as_str(), p.high.as_str()), ("0.181751", "0.8031"));
    let t = find("parallel_market.baseline_turnover_usd_per_day");
    assert_eq!((t.low.as_str(), t.high.as_str()), ("64779661.93", "174746121.92"));
    // The table a person reads keeps both cents of a money bound.
    let table = ok(&["tornado", "models/iraq-2023.toml"]).stdout;
    assert!(table.contains("| 64,779,661.93 | 174,746,121.92 |"), "{table}");
    // More turnover absorbs the same unmet demand with a smaller move.
    assert!(t.swing < Decimal::ZERO);
    // The oil price does not reach the auction while custody is ample.
    assert_eq!(price.swing, Decimal::ZERO);
}

#[test]
fn without_uncertainty_every_parameter_moves_by_the_swing() {
    let o = ok(&[
        "tornado",
        "fixtures/small.toml",
        "--metric",
        "parallel_rate@2023-01",
        "--swing",
        "20",
        "--format",
        "csv",
    ]);
    let bars = bars(&o.stdout);
    let find = |p: &str| bars.iter().find(|b| b.path == p).unwrap();
    // 0.8 ∓ 20%.
    let r = find("auction.rejection_rate");
    assert_eq!((r.low.as_str(), r.high.as_str()), ("0.64", "0.96"));
    // Money rounded to cents: 100,000 ∓ 20%.
    let q = find("auction.requests_usd_per_day");
    assert_eq!((q.low.as_str(), q.high.as_str()), ("80000", "120000"));
    // January by hand: baseline rate 1480 × 0.8 = 1184 and × 1.2 = 1776 scale
    // 1.64^(1/3) = 1.179274…: 1396.2601 and 2094.3901.
    let b = find("parallel_market.baseline_rate_iqd_per_usd");
    assert_eq!((b.low.as_str(), b.high.as_str()), ("1184", "1776"));
    assert_eq!(
        (b.metric_low.as_str(), b.metric_high.as_str()),
        ("1460", "2094.3901")
    );
    // Shares that must sum to 1 cannot move alone: left out.
    assert!(!bars
        .iter()
        .any(|b| b.path.ends_with(".share") && b.path.contains("buyers")));
    assert!(!bars.iter().any(|b| b.path.ends_with(".weight")));
    for b in &bars {
        assert_eq!(
            b.metric_low,
            {
                let o = ok(&[
                    "run",
                    "fixtures/small.toml",
                    "--set",
                    &format!("{}={}", b.path, b.low),
                    "--format",
                    "csv",
                ]);
                o.stdout
                    .lines()
                    .find_map(|l| l.strip_prefix("2023-01,parallel_rate,"))
                    .unwrap()
                    .to_string()
            },
            "{}",
            b.path
        );
    }
    let t = ok(&[
        "tornado",
        "fixtures/small.toml",
        "--metric",
        "parallel_rate@2023-01",
    ]);
    assert!(
        t.stdout.contains("Not moved (cannot change on its own):"),
        "{}",
        t.stdout
    );
    // Each reason whole: the value tried and the rule it breaks (it was
    // once cut at the last ": ", leaving "exactly 1)"). 0.27 is the low
    // value, 90% of 0.3.
    let not_moved = t
        .stdout
        .split("Not moved (cannot change on its own):\n")
        .nth(1)
        .unwrap();
    assert_eq!(
        not_moved.split("\n\n").next().unwrap().trim_end(),
        "\
- exports.buyers[China].share: 0.27 is not allowed: exports.buyers[*].share: the shares add up to 0.97 (0.27 + 0.7) (allowed: exactly 1)
- exports.buyers[Others].share: 0.63 is not allowed: exports.buyers[*].share: the shares add up to 0.93 (0.3 + 0.63) (allowed: exactly 1)
- prices.basket[Food].weight: 0.36 is not allowed: prices.basket[*].weight: the weights add up to 0.96 (0.36 + 0.6) (allowed: exactly 1)
- prices.basket[Other].weight: 0.54 is not allowed: prices.basket[*].weight: the weights add up to 0.94 (0.4 + 0.54) (allowed: exactly 1)"
    );
    assert!(
        t.stdout
            .contains("parallel_rate@2023-01 with every parameter at base: 1,745.3251"),
        "{}",
        t.stdout
    );
    // The rejection rate has a change in February (0.5): its whole schedule
    // is scaled by 0.9 and 1.1 rather than flattened (docs/model.md v2).
    assert!(
        t.stdout.contains("its schedule × (1 ∓ 10%), base 0.8"),
        "{}",
        t.stdout
    );
    assert!(!t.stdout.contains("auction.rejection_rate *"), "{}", t.stdout);
}

#[test]
fn named_parameters_json_and_markdown() {
    let o = ok(&[
        "tornado",
        "fixtures/small.toml",
        "--metric",
        "cpi_impact_pct",
        "--param",
        "prices.basket[Food].pass_through",
        "--param",
        "parallel_market.spillover_share",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["metric"], "cpi_impact_pct");
    assert_eq!(v["base"], "0.3104");
    let bars = v["bars"].as_array().unwrap();
    assert_eq!(bars.len(), 2);
    let food = bars
        .iter()
        .find(|b| b["path"] == "prices.basket[Food].pass_through")
        .unwrap();
    assert_eq!(
        (food["low"].as_str(), food["high"].as_str()),
        (Some("0.54"), Some("0.66"))
    );
    assert_eq!(food["basis"], "base 0.6 ∓ 10%");
    let md = ok(&[
        "tornado",
        "fixtures/small.toml",
        "--metric",
        "cpi_impact_pct",
        "--param",
        "parallel_market.spillover_share",
        "--format",
        "md",
    ]);
    assert!(md
        .stdout
        .starts_with("## Tornado of cpi_impact_pct: Small hand-checked model\n"));
    assert!(md.stdout.contains("| parallel_market.spillover_share |"));
}

#[test]
fn errors() {
    let o = dinarflow(&[
        "tornado",
        "fixtures/small.toml",
        "--metric",
        "cpi_impact",
        "--format",
        "csv",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("did you mean cpi_impact_pct"), "{}", o.stderr);
    let o = dinarflow(&[
        "tornado",
        "fixtures/small.toml",
        "--metric",
        "cpi_impact_pct",
        "--param",
        "prices.basket[Food].passthrough",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("did you mean prices.basket[Food].pass_through"),
        "{}",
        o.stderr
    );
    // A named share that cannot move alone is an error, not a silent skip.
    let o = dinarflow(&[
        "tornado",
        "fixtures/small.toml",
        "--metric",
        "cpi_impact_pct",
        "--param",
        "prices.basket[Food].weight",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains(
            "error: --param prices.basket[Food].weight: 0.36 is not allowed: prices.basket[*].weight: the weights add up to 0.96 (0.36 + 0.6) (allowed: exactly 1)\n"
        ),
        "{}",
        o.stderr
    );
    for swing in ["0", "100", "-5", "ten"] {
        let arg = format!("--swing={swing}");
        let o = dinarflow(&[
            "tornado",
            "fixtures/small.toml",
            "--metric",
            "cpi_impact_pct",
            &arg,
        ]);
        assert_eq!(o.code, 2, "{swing}");
        assert!(o.stderr.contains("--swing"), "{}", o.stderr);
    }
}

/// `--param PATH@YYYY-MM` moves one step of a timeline and `--scale PATH`
/// a factor on all of it; each bar's ends are `run --set` of that form.
#[test]
fn steps_and_factors_are_bars_that_run_set_reproduces() {
    let o = ok(&[
        "tornado",
        "models/iraq-2023.toml",
        "--metric",
        "premium_pct",
        "--param",
        "auction.rejection_rate@2023-07",
        "--scale",
        "exports.price_usd_per_bbl=0.8:1.2",
        "--scale",
        "auction.rejection_rate",
        "--format",
        "csv",
    ]);
    let bars = bars(&o.stdout);
    let find = |p: &str| bars.iter().find(|b| b.path == p).unwrap();
    // The rate in force in July 2023 is March's 0.205559: × 0.9 =
    // 0.1850031 and × 1.1 = 0.2261149, rounded to six places.
    let step = find("auction.rejection_rate@2023-07");
    assert_eq!((step.low.as_str(), step.high.as_str()), ("0.185003", "0.226115"));
    // A factor 1 ∓ 10% by default, or the LO:HI given.
    let rate = find("auction.rejection_rate*");
    assert_eq!((rate.low.as_str(), rate.high.as_str()), ("0.9", "1.1"));
    let price = find("exports.price_usd_per_bbl*");
    assert_eq!((price.low.as_str(), price.high.as_str()), ("0.8", "1.2"));
    for (bar, set) in [
        (step, "auction.rejection_rate@2023-07="),
        (rate, "auction.rejection_rate*="),
        (price, "exports.price_usd_per_bbl*="),
    ] {
        for (value, metric) in [(&bar.low, &bar.metric_low), (&bar.high, &bar.metric_high)] {
            let got = ok(&[
                "run",
                "models/iraq-2023.toml",
                "--set",
                &format!("{set}{value}"),
                "--format",
                "csv",
            ])
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("total,premium_pct,").map(str::to_string))
            .unwrap();
            assert_eq!(&got, metric, "{set}{value}");
        }
    }
}

/// Without --metric, tornado moves the model's headline metric, as morris
/// and brief do: parallel_rate with an auction (the same bars as
/// `--metric parallel_rate`, each end a `run --set`), net revenue without.
#[test]
fn without_a_metric_the_headline_is_moved() {
    let model = "models/iraq-2023.toml";
    let default = ok(&["tornado", model, "--format", "csv"]).stdout;
    let named = ok(&["tornado", model, "--metric", "parallel_rate", "--format", "csv"]).stdout;
    assert_eq!(default, named);
    let b = bars(&default);
    let top = &b[0];
    assert_eq!(top.path, "parallel_market.baseline_turnover_usd_per_day");
    let set = |v: &str| format!("{}={v}", top.path);
    assert_eq!(top.metric_low, run_total(model, &set(&top.low), "parallel_rate"));
    assert_eq!(
        top.metric_high,
        run_total(model, &set(&top.high), "parallel_rate")
    );
    let flow = ok(&["tornado", "models/oil-for-food-1997.toml"]).stdout;
    assert!(
        flow.lines().nth(1) == Some("Tornado of net_revenue_usd"),
        "{flow}"
    );
}

/// `--swing` moves only parameters without a distribution: a drawn one
/// keeps its P10 and P90 and a note names it. Triangular(0.8, 2.0, 3.5):
/// P10 = 0.8 + √(0.1 · 2.7 · 1.2) = 1.369210, P90 = 3.5 − √(0.1 · 2.7 ·
/// 1.5) = 2.863604.
#[test]
fn swing_leaves_a_drawn_parameter_at_its_p10_and_p90_and_says_so() {
    const M: &str = "fixtures/mc-6-months.toml";
    let args = [
        "tornado",
        M,
        "--param",
        "parallel_market.demand_elasticity",
        "--format",
        "csv",
    ];
    let plain = ok(&args);
    let swung = ok(&[&args[..], &["--swing", "99"]].concat());
    assert_eq!(swung.stdout, plain.stdout);
    let row = plain.stdout.lines().nth(1).unwrap();
    assert!(
        row.starts_with("parallel_market.demand_elasticity,1.36921,2.863604,"),
        "{row}"
    );
    assert!(
        swung.stderr.contains(
            "note: --swing 99% does not apply to parameters drawn in [uncertainty], which swing between their P10 and P90: parallel_market.demand_elasticity\n"
        ),
        "{}",
        swung.stderr
    );
    assert!(!plain.stderr.contains("--swing"), "{}", plain.stderr);
    // Every [uncertainty] input by default, all of them drawn.
    let o = ok(&["tornado", M, "--swing", "50", "--format", "csv"]);
    assert!(o.stderr.contains("which swing between their P10 and P90: exports.price_usd_per_bbl, parallel_market.demand_elasticity, parallel_market.spillover_share, auction.cash_share\n"), "{}", o.stderr);
}

/// tornado moves one parameter at a time: a model's [correlation] plays no
/// part, and stderr says so only when the model has one.
#[test]
fn tornado_says_it_ignores_correlation() {
    let note = "note: tornado moves one parameter at a time with the others at base, so [correlation] is not used here";
    let o = ok(&["tornado", "models/iraq-2023.toml", "--format", "csv"]);
    assert!(o.stderr.contains(note), "{}", o.stderr);
    let o = ok(&["tornado", "fixtures/mc-6-months.toml", "--format", "csv"]);
    assert!(!o.stderr.contains("[correlation]"), "{}", o.stderr);
}

#[test]
fn a_bar_from_a_month_to_the_end_says_it_replaces_the_later_changes() {
    // auction.rejection_rate steps to 0.078 in 2024-01 (models/iraq-2023.toml);
    // `@2023-07..` holds low and high from 2023-07 to the end in its place,
    // so both ends sit above the base: the note and the `*` say why.
    let o = ok(&[
        "tornado",
        "models/iraq-2023.toml",
        "--metric",
        "premium_pct",
        "--param",
        "auction.rejection_rate@2023-07..",
    ]);
    assert!(
        o.stderr.contains(
            "note: --param auction.rejection_rate@2023-07.. holds each value from 2023-07 to the end of the timeline (2024-12); it replaces the [[changes]] from 2024-01"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stdout.contains(" auction.rejection_rate@2023-07.. * |"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains(
        "low and high replace them for the whole timeline (from the month named, for PATH@YYYY-MM..)"
    ));
    // The high end is what run gives with that value from 2023-07 on.
    let csv = ok(&[
        "tornado",
        "models/iraq-2023.toml",
        "--metric",
        "premium_pct",
        "--param",
        "auction.rejection_rate@2023-07..",
        "--format",
        "csv",
    ]);
    let b = &bars(&csv.stdout)[0];
    let set = format!("auction.rejection_rate@2023-07..={}", b.high);
    assert_eq!(
        run_total("models/iraq-2023.toml", &set, "premium_pct"),
        b.metric_high
    );
}

#[test]
fn a_value_out_of_range_names_the_option_that_gave_it() {
    // 0.60 (the 2023-03 step) × 1.80 = 1.08, above a share's 1.
    let o = dinarflow(&[
        "tornado",
        "models/iraq-2023.toml",
        "--param",
        "auction.rejection_rate",
        "--swing",
        "80",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains(
            "error: --param auction.rejection_rate: 1.80 is not allowed: 0.60 × 1.80: auction.rejection_rate: 1.0800 is out of range (allowed: 0 to 1) (--swing 80 moves it by ∓80%; a smaller --swing keeps it in range)"
        ),
        "{}",
        o.stderr
    );
    let o = dinarflow(&[
        "tornado",
        "models/iraq-2023.toml",
        "--scale",
        "auction.rejection_rate=0.5:5",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains(
            "error: --scale auction.rejection_rate*: 5 is not allowed: 0.60 × 5: auction.rejection_rate: 3.00 is out of range (allowed: 0 to 1)"
        ),
        "{}",
        o.stderr
    );
}

#[test]
fn quantiles_of_a_cut_distribution_say_so() {
    // The default model draws the anchor weight from normal(0.323032,
    // 0.33829183) cut to 0..1: Φ(−0.323032/0.33829183) = Φ(−0.955) ≈ 17%
    // lies below 0 and Φ(−2.001) ≈ 2.3% above 1, so its P10/P90 are not the
    // plain normal's (P10 = 0.323 − 1.2816 × 0.338 = −0.11).
    let o = ok(&["tornado", "-q", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let bar = v["bars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["path"] == "parallel_market.anchor_weight")
        .unwrap()
        .clone();
    assert_eq!(
        bar["basis"],
        "P10/P90 of normal(mean 0.323032, sd 0.33829183) cut to 0 to 1"
    );
    assert!(dec(bar["low"].as_str().unwrap()) > Decimal::ZERO);
    let basis = |path: &str| {
        v["bars"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["path"] == path)
            .unwrap()["basis"]
            .clone()
    };
    // Food's pass-through: Φ((0.876623 − 1)/0.05718379) = Φ(−2.158) ≈ 1.5%
    // above 1, past the 1% at which mc notes a cut too.
    assert_eq!(
        basis("prices.basket[Food].pass_through"),
        "P10/P90 of normal(mean 0.876623, sd 0.05718379) cut to 0 to 1"
    );
    // Underlying inflation has no bound: the plain normal's quantiles.
    assert_eq!(
        basis("prices.underlying_inflation_pct"),
        "P10/P90 of normal(mean 6.189389, sd 0.06698825)"
    );
}

#[test]
fn the_text_says_which_what_if_it_is() {
    let o = ok(&[
        "tornado",
        "-q",
        "--set",
        "auction.rejection_rate=0.5",
        "--format",
        "md",
    ]);
    assert!(
        o.stdout
            .contains("Set: auction.rejection_rate=0.5 (for the whole timeline)"),
        "{}",
        o.stdout
    );
}

#[test]
fn factors_given_as_percentages_warn() {
    // --scale PATH=80:120 meant 0.8:1.2: 80.8 $/bbl × 80 = 6,464 $/bbl.
    let o = ok(&[
        "tornado",
        "models/iraq-2023.toml",
        "--scale",
        "exports.price_usd_per_bbl=80:120",
    ]);
    assert!(
        o.stderr
            .contains("warning: --scale exports.price_usd_per_bbl=80:120 (base 80.8 × 80): "),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("is outside the plausible range 5 to 250 USD/bbl"),
        "{}",
        o.stderr
    );
}

/// Runs that empty the custody account are said, the base run first. By
/// hand, for the small model (see cli_sweep's
/// runs_that_empty_the_custody_account_are_named): with debt service of
/// $D a month, January ends at $3,356,000 − D − $1,568,000 of cash and
/// wires − $5,700 of airlift costs, and February, after its $2,128,000 of
/// revenue, must pay D, $1,200,000 of cash, $5,700 and $800,000 of wires.
/// At D = $995,000 (base $500,000 + 99%) January ends at $787,300 and
/// February has $714,600 left for the wires: dry in February. At $5,000
/// (−99%) it keeps dollars.
#[test]
fn runs_that_empty_the_custody_account_are_noted() {
    let path = "custody.payments[Debt service].usd_per_month";
    let note = |o: &crate::common::Output| {
        o.stderr
            .lines()
            .find(|l| l.contains("ran dry"))
            .map(|l| l.split("; from then").next().unwrap().to_string())
    };
    let o = ok(&[
        "tornado",
        "fixtures/small.toml",
        "--param",
        path,
        "--swing",
        "99",
        "-q",
    ]);
    assert_eq!(
        note(&o).unwrap(),
        format!(
            "note: the custody account (the CBI's account at the New York Fed) ran dry in 1 of the 2 runs: \
             at {path}=995000 (in Feb 2023)"
        )
    );
    // At $1,000,000 the base itself is dry in February (January ends at
    // $782,300, February has $704,600 for $800,000 of wires). Opening with
    // $1,500,000 instead of $1,000,000 adds $500,000 and February keeps
    // $404,600; opening with $500,000 is dry.
    let o = ok(&[
        "tornado",
        "fixtures/small.toml",
        "--set",
        &format!("{path}=1000000"),
        "--param",
        "custody.opening_balance_usd",
        "--swing",
        "50",
        "-q",
    ]);
    assert_eq!(
        note(&o).unwrap(),
        "note: the custody account (the CBI's account at the New York Fed) ran dry in Feb 2023 with every \
         parameter at base, and in 1 of the 2 runs that move one"
    );
    let o = ok(&["tornado", "fixtures/small.toml", "--param", path, "-q"]);
    assert_eq!(note(&o), None);
}
