//! `dinarflow solve`: the answer reproduces its target when run, hand
//! solutions on the small model, every root of a V-shaped metric, the JSON
//! shape, and the errors (unbracketed target, ranges, names).

use crate::common::{dinarflow, ok};

use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&ok(&all).stdout).unwrap()
}

/// The value of `metric` (a summary, or `name@YYYY-MM`) from `run --set`.
fn run_value(model: &str, set: &str, metric: &str) -> String {
    let o = ok(&["run", model, "--set", set, "--format", "csv"]);
    let (name, month) = match metric.split_once('@') {
        Some((n, m)) => (n, m),
        None => (metric, "total"),
    };
    o.stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{month},{name},")))
        .unwrap()
        .to_string()
}

#[test]
fn the_answer_reproduces_its_target_when_run() {
    for (path, target) in [
        ("parallel_market.demand_elasticity", "parallel_rate@2023-01=1650"),
        ("auction.rejection_rate", "premium_pct=22"),
        (
            "parallel_market.baseline_turnover_usd_per_day",
            "cpi_impact_pct=1",
        ),
    ] {
        let v = json(&[
            "solve",
            "models/iraq-2023.toml",
            "--vary",
            path,
            "--target",
            target,
        ]);
        assert_eq!(v["path"], path);
        let (metric, goal) = target.rsplit_once('=').unwrap();
        assert_eq!(v["metric"], metric);
        assert_eq!(v["target"], goal);
        let value = v["value"].as_str().unwrap();
        let achieved = v["achieved"].as_str().unwrap();
        // Exactly what `run` computes at that value.
        assert_eq!(
            run_value("models/iraq-2023.toml", &format!("{path}={value}"), metric),
            achieved,
            "{path}"
        );
        // And it is the target, to the metric's last decimal or nearly: the
        // parameter is narrowed down to its own last decimal.
        let miss = (dec(achieved) - dec(goal)).abs();
        assert!(miss <= dec("0.001"), "{path}: {achieved} vs {goal}");
        assert!(v["iterations"].as_u64().unwrap() > 0);
        assert!(v.get("roots").is_none());
    }
}

#[test]
fn money_parameters_are_solved_to_the_cent() {
    let v = json(&[
        "solve",
        "models/iraq-2023.toml",
        "--vary",
        "parallel_market.baseline_turnover_usd_per_day",
        "--target",
        "parallel_rate=1600",
    ]);
    let value = dec(v["value"].as_str().unwrap());
    assert_eq!(value, value.round_dp(2), "{value}");
}

#[test]
fn the_small_model_by_hand() {
    // While custody covers the approved wires (rejection above about 0.4),
    // u = r × 80,000 in both months and parallel = 1480 × (1 + 0.8 r)^(1/3),
    // so 1700 needs r = ((1700 / 1480)^3 − 1) / 0.8 = 0.644400 (six places).
    let v = json(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate",
        "--target",
        "parallel_rate=1700",
    ]);
    assert!(
        (dec(v["value"].as_str().unwrap()) - dec("0.644400")).abs() <= dec("0.000001"),
        "{v}"
    );
    let o = ok(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate",
        "--target",
        "parallel_rate=1700",
    ]);
    assert!(
        o.stdout
            .starts_with("Small hand-checked model\nauction.rejection_rate = 0.644"),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("(target 1,700;"), "{}", o.stdout);
    assert!(
        o.stderr.contains("replaces the [[changes]] from 2023-02"),
        "{}",
        o.stderr
    );
}

#[test]
fn every_root_is_reported() {
    // January: 2,300,000 requested, 1,300,000 of banknotes in the vault.
    // Unmet = 0.8 (1 − c) 2.3M while the cash requests c × 2.3M fit in the
    // vault, then the unsold banknotes add c × 2.3M − 1.3M: 900,000 is met
    // at c = 1 − 900,000 / 1,840,000 = 0.510870 and at c = 360,000 / 460,000 = 0.782609.
    let v = json(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "auction.cash_share",
        "--target",
        "unmet_usd@2023-01=900000",
    ]);
    let roots = v["roots"].as_array().unwrap();
    assert_eq!(roots.len(), 2, "{v}");
    for (r, want) in roots.iter().zip(["0.510870", "0.782609"]) {
        let value = r["value"].as_str().unwrap();
        assert!(
            (dec(value) - dec(want)).abs() <= dec("0.000001"),
            "{value} vs {want}"
        );
        // One millionth of the share moves unmet by at most 2.3M × 0.000001 × 1 = 2.30.
        assert!((dec(r["achieved"].as_str().unwrap()) - dec("900000")).abs() <= dec("2.30"));
        assert_eq!(
            run_value(
                "fixtures/small.toml",
                &format!("auction.cash_share={value}"),
                "unmet_usd@2023-01"
            ),
            r["achieved"].as_str().unwrap()
        );
    }
    // The headline answer is the root nearest the base value 0.2.
    assert_eq!(v["value"], roots[0]["value"]);
    let csv = ok(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "auction.cash_share",
        "--target",
        "unmet_usd@2023-01=900000",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines[0], "path,value,metric,target,achieved,iterations");
    assert_eq!(lines.len(), 3);
}

#[test]
fn an_unbracketed_target_fails_and_shows_both_ends() {
    let o = dinarflow(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate",
        "--target",
        "parallel_rate=2000",
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    // r = 1: u = 80,000 in both months, 1480 × 1.8^(1/3) = 1800.3318. At r = 0
    // custody runs short and the wires it cannot send are unmet too: 1623.3036,
    // as `run --set auction.rejection_rate=0` gives.
    assert_eq!(
        run_value("fixtures/small.toml", "auction.rejection_rate=0", "parallel_rate"),
        "1623.3036"
    );
    assert!(
        o.stderr
            .contains("the target parallel_rate = 2,000 is not bracketed"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("parallel_rate is 1,623.3036 at 0 and 1,800.3318 at 1"),
        "{}",
        o.stderr
    );
}

#[test]
fn between_and_tolerance() {
    let v = json(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate",
        "--target",
        "parallel_rate=1700",
        "--between",
        "0.5,0.9",
        "--tolerance",
        "1",
    ]);
    let achieved = dec(v["achieved"].as_str().unwrap());
    assert!((achieved - dec("1700")).abs() <= dec("1"), "{v}");
    let value = dec(v["value"].as_str().unwrap());
    assert!(value >= dec("0.5") && value <= dec("0.9"));
    // A bracket that misses the root.
    let o = dinarflow(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate",
        "--target",
        "parallel_rate=1700",
        "--between",
        "0.7,0.9",
    ]);
    assert_eq!(o.code, 1);
    assert!(
        o.stderr
            .contains("no value of auction.rejection_rate from 0.7 to 0.9 reaches it"),
        "{}",
        o.stderr
    );
}

#[test]
fn usage_errors() {
    let base = ["solve", "fixtures/small.toml"];
    for (extra, msg) in [
        (
            vec!["--vary", "auction.rejection", "--target", "parallel_rate=1700"],
            "did you mean auction.rejection_rate",
        ),
        (
            vec!["--vary", "auction.rejection_rate", "--target", "parallel=1700"],
            "did you mean parallel_rate",
        ),
        (
            vec!["--vary", "auction.rejection_rate", "--target", "parallel_rate"],
            "expected METRIC=VALUE",
        ),
        (
            vec![
                "--vary",
                "auction.rejection_rate",
                "--target",
                "parallel_rate=high",
            ],
            "\"high\" is not a number",
        ),
        (
            vec![
                "--vary",
                "auction.rejection_rate",
                "--target",
                "parallel_rate=1700",
                "--between",
                "0.5",
            ],
            "expected LO,HI",
        ),
        (
            vec![
                "--vary",
                "auction.rejection_rate",
                "--target",
                "parallel_rate=1700",
                "--between",
                "0.5,1.5",
            ],
            "error: --between 0.5,1.5: 1.5 is not allowed: auction.rejection_rate: 1.5 is out of range (allowed: 0 to 1)",
        ),
        (
            vec![
                "--vary",
                "auction.rejection_rate",
                "--target",
                "parallel_rate=1700",
                "--between",
                "0.9,0.5",
            ],
            "the low end must be below the high end",
        ),
        (
            vec![
                "--vary",
                "exports.buyers[China].share",
                "--target",
                "parallel_rate=1700",
            ],
            "error: --vary exports.buyers[China].share: 0 is not allowed: exports.buyers[*].share: the shares add up to",
        ),
    ] {
        let mut args = base.to_vec();
        args.extend(extra.iter().copied());
        let o = dinarflow(&args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(msg), "{args:?}: {}", o.stderr);
    }
}

#[test]
fn a_step_and_a_factor_can_be_solved_for() {
    // The reference implementation gives 172,678,073,423.76 of revenue with
    // `ref.py --set 'exports.price_usd_per_bbl*=0.9'`; one millionth of the
    // factor moves revenue by about $190,000, so 0.9 is the only factor
    // that reaches it.
    let v = json(&[
        "solve",
        "models/iraq-2023.toml",
        "--vary",
        "exports.price_usd_per_bbl*",
        "--target",
        "gross_revenue_usd=172678073423.76",
    ]);
    assert_eq!(v["path"], "exports.price_usd_per_bbl*");
    assert_eq!(v["value"], "0.9");
    assert_eq!(v["achieved"], "172678073423.76");
    // One step: the value found reproduces its target with run --set.
    let v = json(&[
        "solve",
        "models/iraq-2023.toml",
        "--vary",
        "auction.rejection_rate@2023-07",
        "--target",
        "premium_pct@2023-08=10",
    ]);
    assert_eq!(v["path"], "auction.rejection_rate@2023-07");
    let set = format!("auction.rejection_rate@2023-07={}", v["value"].as_str().unwrap());
    assert_eq!(
        run_value("models/iraq-2023.toml", &set, "premium_pct@2023-08"),
        v["achieved"].as_str().unwrap()
    );
}

/// `--vary PATH@YYYY-MM..` replaces a `--set` of a later step of PATH in
/// every month it sets: refused (exit 2). A factor scales what the --set
/// left, so it is allowed.
#[test]
fn a_set_that_vary_replaces_is_refused() {
    let o = dinarflow(&[
        "solve",
        "--vary",
        "auction.rejection_rate@2023-03..",
        "--target",
        "parallel_rate=1600",
        "--set",
        "auction.rejection_rate@2024-01=0.2",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.ends_with(
            "error: --set auction.rejection_rate@2024-01=0.2 has no effect: --vary auction.rejection_rate@2023-03.. \
             replaces every month it sets; leave the --set out (or give --vary the values to try)\n"
        ),
        "{}",
        o.stderr
    );
    let o = dinarflow(&[
        "solve",
        "--vary",
        "auction.rejection_rate*",
        "--target",
        "parallel_rate=1600",
        "--set",
        "auction.rejection_rate@2024-01=0.2",
        "-q",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
}

/// A metric that jumps past the target between two adjacent values of the
/// parameter meets it nowhere: `solve` says so and exits 1, as for an
/// unbracketed target. In the small model a month's flights are
/// ceil(cash / 500,000): 2 at $1,000,000.00 and 3 one cent above.
#[test]
fn a_metric_that_jumps_across_the_target_is_not_a_solution() {
    let o = dinarflow(&[
        "solve",
        "fixtures/small.toml",
        "--vary",
        "airlift.cash_usd_per_month",
        "--target",
        "flights@2023-01=2.5",
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.stdout, "");
    assert_eq!(
        o.stderr,
        "error: the target flights@2023-01 = 2.5 is not met: flights@2023-01 jumps across it between adjacent values \
         of airlift.cash_usd_per_month (one unit of its last decimal apart): from 2 at 1,000,000 to 3 at 1,000,000.01. \
         No value between them can be set, and the nearer misses the target by more than 0.00025 (0.01% of the target, \
         or one unit of the metric's last decimal). Give a --tolerance to accept the nearer value, or choose another target.\n"
    );
}

/// Arrears fall to 0 between two adjacent oil-price
/// factors, from $65,785.41 (the total over the timeline) at 0.662632, so
/// no factor gives arrears of $1; it once printed "= 0.66107 gives
/// arrears_usd = 0.00 (target 1)" and exited 0. With a tolerance the
/// nearer value is accepted.
#[test]
fn arrears_that_fall_past_a_target_are_not_reported_as_meeting_it() {
    let args = [
        "solve",
        "models/iraq-2023.toml",
        "--vary",
        "exports.price_usd_per_bbl*",
        "--target",
        "arrears_usd=1",
    ];
    let o = dinarflow(&args);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(
        o.stderr,
        "error: the target arrears_usd = 1 is not met: arrears_usd jumps across it between adjacent values \
         of exports.price_usd_per_bbl* (one unit of its last decimal apart): from 65,785.41 at 0.662632 to 0.00 at 0.662633. \
         No value between them can be set, and the nearer misses the target by more than 0.01 (0.01% of the target, \
         or one unit of the metric's last decimal). Give a --tolerance to accept the nearer value, or choose another target.\n"
    );
    assert_eq!(
        run_value(
            "models/iraq-2023.toml",
            "exports.price_usd_per_bbl*=0.662632",
            "arrears_usd"
        ),
        "65785.41"
    );
    let mut with = args.to_vec();
    with.extend(["--tolerance", "1"]);
    let o = ok(&with);
    assert!(
        o.stdout.contains("gives arrears_usd = 0.00 (target 1;"),
        "{}",
        o.stdout
    );
}

/// `--between` takes LO:HI as every other range is written, as well as
/// LO,HI, with the same answer.
#[test]
fn between_takes_a_colon_as_well_as_a_comma() {
    let args = |between: &'static str| {
        [
            "solve",
            "--vary",
            "auction.rejection_rate",
            "--target",
            "premium_pct=20",
            "--between",
            between,
            "--format",
            "csv",
        ]
    };
    let comma = ok(&args("0.1,0.9")).stdout;
    assert_eq!(ok(&args("0.1:0.9")).stdout, comma);
    let o = dinarflow(&args("0.1;0.9"));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("--between 0.1;0.9: expected LO,HI (or LO:HI), e.g. --between 0.5,0.9"),
        "{}",
        o.stderr
    );
}

/// A target the metric meets exactly over a stretch (custody dry, a
/// balance of exactly 0, at every oil price below some level) used to be
/// answered with the stretch's first value (a factor of 0.2, the low end
/// of the search) and nothing more. Solve now says where the stretch ends,
/// to the parameter's last decimal: `run` at that factor leaves December
/// 2024's custody balance at 0.00, and one millionth more leaves $137,907.26.
#[test]
fn a_target_met_over_a_stretch_says_where_it_ends() {
    let args = [
        "solve",
        "--vary",
        "exports.price_usd_per_bbl*",
        "--target",
        "custody_balance_usd=0",
        "-q",
    ];
    let o = ok(&args);
    assert!(
        o.stdout.contains(
            "note: custody_balance_usd is exactly 0 at every value of exports.price_usd_per_bbl* from 0.2 to 0.692905 \
             (and no longer at 0.692906): the target holds over that stretch, and 0.2 is only its start"
        ),
        "{}",
        o.stdout
    );
    let balance = |factor: &str| {
        let set = format!("exports.price_usd_per_bbl*={factor}");
        let csv = ok(&["run", "--set", &set, "--format", "csv"]).stdout;
        csv.lines()
            .find_map(|l| l.strip_prefix("2024-12,custody_balance_usd,"))
            .unwrap()
            .to_string()
    };
    assert_eq!(balance("0.692905"), "0.00");
    assert_eq!(balance("0.692906"), "137907.26");
    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&ok(&json_args).stdout).unwrap();
    assert_eq!(
        (v["value"].as_str(), v["holds_through"].as_str()),
        (Some("0.2"), Some("0.692905"))
    );
}

#[test]
fn an_end_out_of_range_names_between() {
    let o = dinarflow(&[
        "solve",
        "models/iraq-2023.toml",
        "--vary",
        "auction.rejection_rate",
        "--target",
        "premium_pct=10",
        "--between",
        "0,2",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("\nerror: --between 0,2: 2 is not allowed: auction.rejection_rate: 2 is out of range (allowed: 0 to 1)"),
        "{}",
        o.stderr
    );
}

/// An answer at which the model empties the custody account says so: the
/// metric stops moving, or leaps, there. By hand (see cli_sweep's
/// runs_that_empty_the_custody_account_are_named): the small model's
/// account is dry in February at any debt service from about $995,000 to
/// $1,788,000 a month, in January above that, and never at $500,000.
#[test]
fn an_answer_that_empties_the_custody_account_is_noted() {
    let path = "custody.payments[Debt service].usd_per_month";
    let solved = |target: &str| {
        ok(&[
            "solve",
            "fixtures/small.toml",
            "--vary",
            path,
            "--target",
            target,
            "-q",
        ])
    };
    let o = solved("parallel_rate=1760");
    // The answer lies where February is dry.
    let value: Decimal = o
        .stdout
        .split(" = ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(
        value > Decimal::from(995_000) && value < Decimal::from(1_788_000),
        "{value}"
    );
    assert_eq!(
        o.stderr,
        format!(
            "note: the custody account (the CBI's account at the New York Fed) ran dry in Feb 2023 with \
             {path}={value}; from then it pays out only what each month's revenue brings in, and the approved \
             wires it cannot send go unmet (unmet_usd) and raise the parallel rate\n"
        )
    );
    // 1,700.4924 is the rate at the model's own $500,000 (cli_sweep): no note.
    let o = solved("parallel_rate=1700.4924");
    assert!(!o.stderr.contains("ran dry"), "{}", o.stderr);
}
