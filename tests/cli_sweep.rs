//! `dinarflow sweep`: every point equals `run --set` at the same value,
//! hand-checked values on the small model, the two-way table, every
//! format, and the errors for bad SPECs, paths, metrics and ranges.

use crate::common::{dinarflow, ok};

use std::collections::HashMap;

/// `run --format csv` of a model with `sets`, as (month, metric) → value.
fn run_csv(model: &str, sets: &[String]) -> HashMap<(String, String), String> {
    let mut args = vec!["run", model, "--format", "csv"];
    for s in sets {
        args.extend(["--set", s.as_str()]);
    }
    let o = ok(&args);
    o.stdout
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.splitn(3, ',');
            let (m, k, v) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
            ((m.to_string(), k.to_string()), v.to_string())
        })
        .collect()
}

fn dec(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

#[test]
fn every_point_equals_run_with_set_at_that_value() {
    let o = ok(&[
        "sweep",
        "models/iraq-2023.toml",
        "--vary",
        "auction.rejection_rate=0.55:0.95:0.1",
        "--metric",
        "parallel_rate",
        "--metric",
        "cpi_impact_pct",
        "--metric",
        "parallel_rate:max",
        "--metric",
        "premium_pct@2023-03",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines[0], "auction.rejection_rate,metric,value");
    // 5 values (0.55 … 0.95, HI reached exactly) × 4 metrics.
    assert_eq!(lines.len(), 1 + 5 * 4);
    for value in ["0.55", "0.65", "0.75", "0.85", "0.95"] {
        let run = run_csv(
            "models/iraq-2023.toml",
            &[format!("auction.rejection_rate={value}")],
        );
        let get = |metric: &str| {
            lines
                .iter()
                .find_map(|l| l.strip_prefix(&format!("{value},{metric},")))
                .unwrap_or_else(|| panic!("no {value},{metric} in {lines:?}"))
                .to_string()
        };
        let total = |m: &str| run[&("total".to_string(), m.to_string())].clone();
        assert_eq!(get("parallel_rate"), total("parallel_rate"));
        assert_eq!(get("cpi_impact_pct"), total("cpi_impact_pct"));
        assert_eq!(
            get("premium_pct@2023-03"),
            run[&("2023-03".to_string(), "premium_pct".to_string())]
        );
        // The largest monthly parallel rate, from run's monthly rows.
        let max = run
            .iter()
            .filter(|((m, k), _)| k == "parallel_rate" && m != "total")
            .map(|(_, v)| dec(v))
            .max()
            .unwrap();
        assert_eq!(dec(&get("parallel_rate:max")), max);
    }
}

#[test]
fn the_small_model_by_hand() {
    // Custody covers every approved wire at these rates, so all rejected
    // wires are unmet: rejection r gives u = r × 1,840,000 / 23 = r × 1,600,000 / 20
    // = r × 80,000 in both months, D = 50,000 + 0.5 u, and
    // parallel = 1480 × (D / 50,000)^(1/3):
    // r = 0.5: D = 70,000, 1480 × 1.4^(1/3) = 1655.6596;
    // r = 0.8: D = 82,000, 1480 × 1.64^(1/3) = 1745.3251;
    // r = 1:   D = 90,000, 1480 × 1.8^(1/3)  = 1800.3318.
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0.5,0.8,1",
        "--metric",
        "parallel_rate",
        "--format",
        "csv",
    ]);
    assert_eq!(
        o.stdout,
        "auction.rejection_rate,metric,value\n\
         0.5,parallel_rate,1655.6596\n\
         0.8,parallel_rate,1745.3251\n\
         1,parallel_rate,1800.3318\n"
    );
    // The model's own rejection rate has a change in February; the sweep
    // replaces it for the whole timeline and says so, as --set does.
    assert!(
        o.stderr.contains("replaces the [[changes]] from 2023-02"),
        "{}",
        o.stderr
    );
}

#[test]
fn default_metrics_and_table_format() {
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0.8",
    ]);
    assert!(o
        .stdout
        .starts_with("Small hand-checked model\nSweep of auction.rejection_rate (1 run)\n"));
    let header = o.stdout.lines().nth(2).unwrap();
    for m in [
        "auction.rejection_rate",
        "parallel_rate",
        "premium_pct",
        "cpi_impact_pct",
    ] {
        assert!(header.contains(m), "{header}");
    }
    // Both months at 1745.3251: premium 100 × (1745.3251/1460 − 1) = 19.5428
    // and 100 × (1745.3251/1310 − 1) = 33.2309, mean 26.38685 → 26.3868 (round4, half even).
    let row = o.stdout.lines().nth(4).unwrap();
    assert!(row.contains("1,745.3251") && row.contains("26.3868"), "{row}");
}

#[test]
fn two_way_table_equals_runs_with_both_set() {
    let o = ok(&[
        "sweep",
        "models/iraq-2023.toml",
        "--vary",
        "auction.rejection_rate=0.6,0.8",
        "--vary",
        "parallel_market.demand_elasticity=1.5,2,2.5",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "auction.rejection_rate,parallel_market.demand_elasticity,metric,value"
    );
    assert_eq!(lines.len(), 1 + 6);
    // Rows: first path outermost.
    assert!(lines[1].starts_with("0.6,1.5,parallel_rate,"));
    assert!(lines[3].starts_with("0.6,2.5,parallel_rate,"));
    assert!(lines[4].starts_with("0.8,1.5,parallel_rate,"));
    for l in &lines[1..] {
        let f: Vec<&str> = l.split(',').collect();
        let run = run_csv(
            "models/iraq-2023.toml",
            &[
                format!("auction.rejection_rate={}", f[0]),
                format!("parallel_market.demand_elasticity={}", f[1]),
            ],
        );
        assert_eq!(
            f[3],
            run[&("total".to_string(), "parallel_rate".to_string())],
            "{l}"
        );
    }
    let t = ok(&[
        "sweep",
        "models/iraq-2023.toml",
        "--vary",
        "auction.rejection_rate=0.6,0.8",
        "--vary",
        "parallel_market.demand_elasticity=1.5,2,2.5",
        "--format",
        "md",
    ]);
    assert!(t
        .stdout
        .contains("| auction.rejection_rate \\ parallel_market.demand_elasticity |"));
    assert!(t.stdout.contains(
        "### parallel_rate (rows: auction.rejection_rate, columns: parallel_market.demand_elasticity)"
    ));
}

#[test]
fn json_and_out() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep.json");
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "parallel_market.spillover_share=0.5:1:0.25",
        "--metric",
        "parallel_rate@2023-01",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.stdout, "");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["vary"][0]["path"], "parallel_market.spillover_share");
    assert_eq!(v["vary"][0]["values"], serde_json::json!(["0.5", "0.75", "1"]));
    assert_eq!(v["metrics"], serde_json::json!(["parallel_rate@2023-01"]));
    // January: u = 64,000; spillover 0.5 gives D = 82,000 (1745.3251);
    // spillover 1 gives D = 114,000: 1480 × 2.28^(1/3) = 1947.9299.
    assert_eq!(v["points"][0]["metrics"]["parallel_rate@2023-01"], "1745.3251");
    assert_eq!(v["points"][2]["inputs"]["parallel_market.spillover_share"], "1");
    assert_eq!(v["points"][2]["metrics"]["parallel_rate@2023-01"], "1947.9299");
}

#[test]
fn set_applies_under_the_sweep() {
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--set",
        "parallel_market.spillover_share=1",
        "--vary",
        "auction.rejection_rate=0.8",
        "--metric",
        "parallel_rate",
        "--format",
        "csv",
    ]);
    assert_eq!(o.stdout.lines().nth(1), Some("0.8,parallel_rate,1947.9299"));
    assert!(o.stderr.contains("note: --set parallel_market.spillover_share=1"));
}

#[test]
fn bad_specs_are_usage_errors() {
    for (spec, msg) in [
        (
            "auction.rejection_rate=0.5:0.9",
            "has 2 parts; expected LO:HI:STEP",
        ),
        (
            "auction.rejection_rate=0.5:0.9:0",
            "the step 0 must be greater than 0",
        ),
        ("auction.rejection_rate=0.9:0.5:0.1", "LO 0.9 is above HI 0.5"),
        ("auction.rejection_rate=0.5,x", "\"x\" is not a number"),
        ("auction.rejection_rate=", "no values given"),
        ("auction.rejection_rate", "expected PATH=SPEC"),
        ("auction.rejection_rate=0:1:0.000001", "more than 100000 values"),
    ] {
        let o = dinarflow(&["sweep", "fixtures/small.toml", "--vary", spec]);
        assert_eq!(o.code, 2, "{spec}: {}", o.stderr);
        assert!(o.stderr.contains(msg), "{spec}: {}", o.stderr);
        assert!(
            o.stderr.starts_with(&format!("error: --vary {spec}: ")),
            "{}",
            o.stderr
        );
        assert_eq!(o.stdout, "");
    }
}

#[test]
fn unknown_paths_and_metrics_suggest_the_nearest() {
    let o = dinarflow(&["sweep", "fixtures/small.toml", "--vary", "auction.rejection=0.5"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("`auction.rejection` names no numeric parameter of this model; did you mean auction.rejection_rate"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0.5",
        "--metric",
        "paralel_rate",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("--metric paralel_rate: unknown metric `paralel_rate`; did you mean parallel_rate?"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0.5",
        "--metric",
        "parallel_rate@2024-01",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("2024-01 is outside the timeline"),
        "{}",
        o.stderr
    );
}

#[test]
fn values_outside_the_allowed_range_stop_before_anything_runs() {
    let o = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0.8:1.2:0.1",
    ]);
    assert_eq!(o.code, 2);
    assert_eq!(o.stdout, "");
    assert!(
        o.stderr.contains("error: --vary auction.rejection_rate: 1.1 is not allowed: auction.rejection_rate: 1.1 is out of range (allowed: 0 to 1)"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("(allowed: 0 to 1)"), "{}", o.stderr);
    // Money to the cent.
    let o = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "airlift.cash_usd_per_month=1000000.005",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("has more than two decimal places"),
        "{}",
        o.stderr
    );
    // A share that must sum to 1 with the others cannot move alone.
    let o = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "exports.buyers[China].share=0.3,0.4",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("the shares add up to 1.1"), "{}", o.stderr);
}

#[test]
fn more_than_two_varies_or_the_same_path_twice() {
    let o = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0.5",
        "--vary",
        "auction.cash_share=0.1",
        "--vary",
        "parallel_market.spillover_share=0.5",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("sweep takes one or two --vary, not 3"),
        "{}",
        o.stderr
    );
    let o = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0.5",
        "--vary",
        "auction.rejection_rate=0.6",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("names auction.rejection_rate twice"),
        "{}",
        o.stderr
    );
}

#[test]
fn an_absurd_grid_is_refused_before_anything_runs() {
    // 10,001 × 10,001 values would be 100,020,001 runs of the model.
    let out = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate=0:1:0.0001",
        "--vary",
        "auction.cash_share=0:1:0.0001",
        "--metric",
        "parallel_rate",
    ]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    let err = &out.stderr;
    assert!(
        err.contains(
            "error: the sweep would run the model 100020001 times; at most 1000000 runs are allowed"
        ),
        "{err}"
    );
}

/// The value of `metric`'s `total` row in `run MODEL --set SPEC --format csv`.
fn run_total(spec: &str, metric: &str) -> String {
    let o = ok(&["run", "fixtures/small.toml", "--set", spec, "--format", "csv"]);
    let key = format!("total,{metric},");
    o.stdout
        .lines()
        .find_map(|l| l.strip_prefix(&key))
        .unwrap()
        .to_string()
}

#[test]
fn steps_and_scales_sweep_as_set_puts_them() {
    // One step of the rejection rate's timeline (February's), on lanes,
    // against run --set PATH@YYYY-MM=V on the exact backend.
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        "auction.rejection_rate@2023-02=0.3,0.5",
        "--metric",
        "parallel_rate",
        "--format",
        "csv",
    ]);
    assert!(o.stderr.is_empty(), "no note: nothing is flattened\n{}", o.stderr);
    for v in ["0.3", "0.5"] {
        let want = run_total(&format!("auction.rejection_rate@2023-02={v}"), "parallel_rate");
        assert!(
            o.stdout.contains(&format!("\n{v},parallel_rate,{want}\n")),
            "{v}: {}",
            o.stdout
        );
    }
    // February's 0.5 is the model's own value: the model's number.
    assert!(
        o.stdout.contains("\n0.5,parallel_rate,1700.4924\n"),
        "{}",
        o.stdout
    );
    // Factors on the official rate's whole schedule (1460, then 1310).
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--scale",
        "auction.official_rate_iqd_per_usd=0.9,1.1",
        "--metric",
        "official_rate",
        "--format",
        "csv",
    ]);
    assert!(
        o.stdout
            .starts_with("auction.official_rate_iqd_per_usd*,metric,value\n"),
        "{}",
        o.stdout
    );
    // Mean of 1460 × 0.9 = 1314 and 1310 × 0.9 = 1179: 1246.5.
    assert!(
        o.stdout.contains("\n0.9,official_rate,1246.5000\n"),
        "{}",
        o.stdout
    );
    assert_eq!(
        run_total("auction.official_rate_iqd_per_usd*=1.1", "official_rate"),
        "1523.5000"
    );
    assert!(
        o.stdout.contains("\n1.1,official_rate,1523.5000\n"),
        "{}",
        o.stdout
    );
    // A sweep does not draw: a parameter in [uncertainty] can be scaled.
    // The price follows its schedule (80.80 in Nov 2022, 73.6 in Dec, 71.10
    // in 2023, 71.81 in 2024), each month's value scaled by 0.8, each
    // buyer's month rounded to cents: the reference implementation gives
    // 153,491,620,821.14 (`ref.py --set 'exports.price_usd_per_bbl*=0.8'`),
    // not 0.8 × the base 191,864,526,026.48, since 2024's 57.448 a barrel
    // leaves fractions of a cent to round.
    let o = ok(&[
        "sweep",
        "models/iraq-2023.toml",
        "--scale",
        "exports.price_usd_per_bbl=0.8",
        "--metric",
        "gross_revenue_usd",
        "--format",
        "csv",
    ]);
    assert!(
        o.stdout.contains("\n0.8,gross_revenue_usd,153491620821.14\n"),
        "{}",
        o.stdout
    );
    // A factor that takes a month out of range is refused before any run.
    let o = dinarflow(&[
        "sweep",
        "fixtures/small.toml",
        "--scale",
        "auction.rejection_rate=1,2",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("error: --scale auction.rejection_rate*: 2 is not allowed: 0.8 × 2: auction.rejection_rate: 1.6 is out of range (allowed: 0 to 1)"),
        "{}",
        o.stderr
    );
}

/// A `--set` that `--vary` replaces in every month it sets would never be
/// used, while its note says it holds: refused (exit 2), as two `--set` of
/// one path are. A `--set` of other months stays, and its value is used.
#[test]
fn a_set_that_vary_replaces_is_refused() {
    let o = dinarflow(&[
        "sweep",
        "--vary",
        "auction.rejection_rate=0:1:0.5",
        "--set",
        "auction.rejection_rate=0.3",
    ]);
    assert_eq!(o.code, 2);
    assert!(o.stdout.is_empty());
    assert!(
        o.stderr.ends_with(
            "error: --set auction.rejection_rate=0.3 has no effect: --vary auction.rejection_rate \
             replaces every month it sets; leave the --set out (or give --vary the values to try)\n"
        ),
        "{}",
        o.stderr
    );
    // --vary of the July 2023 step leaves the --set's other months: the
    // sweep at 0.5 in July 2023 is `run` with both as --set.
    let swept = ok(&[
        "sweep",
        "--vary",
        "auction.rejection_rate@2023-07=0.5",
        "--set",
        "auction.rejection_rate=0.3",
        "--metric",
        "parallel_rate",
        "--format",
        "csv",
    ])
    .stdout;
    let run = ok(&[
        "run",
        "--set",
        "auction.rejection_rate=0.3",
        "--set",
        "auction.rejection_rate@2023-07=0.5",
        "--format",
        "csv",
    ])
    .stdout;
    let total = run
        .lines()
        .find(|l| l.starts_with("total,parallel_rate,"))
        .unwrap();
    let value = total.rsplit(',').next().unwrap();
    assert!(
        swept.contains(&format!("0.5,parallel_rate,{value}\n")),
        "{swept}\n{total}"
    );
}

/// A factor on a whole schedule is swept with `--scale`; `--vary PATH*=…`
/// says so instead of calling PATH* no parameter.
#[test]
fn a_factor_given_to_vary_points_to_scale() {
    let o = dinarflow(&["sweep", "--vary", "exports.price_usd_per_bbl*=0.8:1.2:0.1"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (
            2,
            "error: --vary exports.price_usd_per_bbl*=0.8:1.2:0.1: a factor on every month's value is swept with --scale, e.g. --scale exports.price_usd_per_bbl=0.8:1.2:0.1\n"
        )
    );
    // The suggested command runs.
    let o = ok(&[
        "sweep",
        "--scale",
        "exports.price_usd_per_bbl=0.8:1.2:0.1",
        "--format",
        "csv",
    ]);
    assert!(o.stdout.lines().count() > 5, "{}", o.stdout);
}

/// `LO:HI:STEP` with a count where the step goes (as numpy's `linspace`
/// takes one) would try LO alone: refused, with the step for that many
/// values, (0.9 − 0.1) / (5 − 1) = 0.2, and nothing written.
#[test]
fn a_count_given_as_the_step_is_refused_with_the_step_it_means() {
    let o = dinarflow(&["sweep", "--vary", "auction.rejection_rate=0.1:0.9:5"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: --vary auction.rejection_rate=0.1:0.9:5: the step 5 is larger than HI − LO (0.8), \
         so only LO 0.1 would be tried; the third number is the step between values, not their count: \
         for 5 values from 0.1 to 0.9 write 0.1:0.9:0.2\n"
    );
    assert_eq!(o.stdout, "");
    let o = ok(&[
        "sweep",
        "--vary",
        "auction.rejection_rate=0.1:0.9:0.2",
        "--format",
        "csv",
    ]);
    let rates: Vec<&str> = o
        .stdout
        .lines()
        .skip(1)
        .filter(|l| l.contains(",parallel_rate,"))
        .collect();
    assert_eq!(rates.len(), 5, "{}", o.stdout);
}

#[test]
fn a_value_out_of_range_names_the_option_and_path_that_gave_it() {
    let o = dinarflow(&[
        "sweep",
        "models/iraq-2023.toml",
        "--vary",
        "auction.rejection_rate=0:2:0.5",
    ]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains(
            "error: --vary auction.rejection_rate: 1.5 is not allowed: auction.rejection_rate: 1.5 is out of range (allowed: 0 to 1); shares are fractions of 1; if 1.5 is a percentage, write 0.015"
        ),
        "{}",
        o.stderr
    );
    // 0.60 (the 2023-03 step) × 5 = 3.
    let o = dinarflow(&[
        "sweep",
        "models/iraq-2023.toml",
        "--scale",
        "auction.rejection_rate=0.5,5",
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
fn the_text_says_which_what_if_it_is() {
    let o = ok(&[
        "sweep",
        "models/iraq-2023.toml",
        "--vary",
        "auction.rejection_rate=0.2,0.4",
        "--scenario",
        "models/scenarios/oil-price-fall.toml",
        "--horizon",
        "2025-03",
    ]);
    let lines: Vec<&str> = o.stdout.lines().take(4).collect();
    assert_eq!(lines[0], "Iraq 2022-24: compliance platform shock");
    assert!(lines[2].starts_with("Scenario: "), "{}", o.stdout);
    assert!(lines[3].contains("--horizon 2025-03"), "{}", o.stdout);
}

#[test]
fn an_implausible_value_warns_as_run_set_would() {
    // 1.2 and 1.31 IQD per dollar: the rate written in thousands.
    let o = ok(&[
        "sweep",
        "models/iraq-2023.toml",
        "--vary",
        "auction.official_rate_iqd_per_usd=1.2,1.31",
    ]);
    assert!(
        o.stderr.contains(
            "warning: --vary auction.official_rate_iqd_per_usd=1.2: 1.2 IQD/USD is outside the plausible range 500 to 5,000 IQD/USD; an exchange rate is dinars per dollar, e.g. 1310, not 1.31 (and 1 more of its values)"
        ),
        "{}",
        o.stderr
    );
    // A plausible sweep says nothing of the kind.
    let o = ok(&[
        "sweep",
        "models/iraq-2023.toml",
        "--vary",
        "auction.official_rate_iqd_per_usd=1300,1450",
    ]);
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
}

/// A sweep whose runs empty the custody account says at which values, so
/// a parallel rate that leaps between two of them is explained. By hand,
/// for the small model: January opens with $1,000,000 and brings in
/// 1,000 bbl × 31 days × $80 less 5% = $2,356,000. At $3,000,000 of debt
/// service a month, $3,356,000 cannot pay it and the $1,200,000 of cash
/// flown: dry in January. At $1,500,000, January sends $368,000 of wires
/// (23 sessions × $100,000 × 80% wires × 20% approved) and $5,700 of
/// airlift costs (3 flights × $1,500 and 0.1% of $1,200,000), ending at
/// $3,356,000 − $1,500,000 − $1,200,000 − $368,000 − $5,700 = $282,300;
/// February brings in 1,000 × 28 × $80 × 0.95 = $2,128,000, and
/// $2,410,300 less the $1,500,000 leaves $910,300 for $1,200,000 of cash:
/// dry in February. At the model's $500,000 it never is.
#[test]
fn runs_that_empty_the_custody_account_are_named() {
    let path = "custody.payments[Debt service].usd_per_month";
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        &format!("{path}=500000,1500000,3000000"),
        "--format",
        "csv",
    ]);
    assert_eq!(
        o.stderr,
        format!(
            "note: the custody account (the CBI's account at the New York Fed) ran dry in 2 of the 3 runs: \
             at {path}=1500000 (in Feb 2023) and {path}=3000000 (in Jan 2023); from then it pays out only \
             what each month's revenue brings in, and the approved wires it cannot send go unmet (unmet_usd) \
             and raise the parallel rate\n"
        )
    );
    // Each month is the one `run --set` names.
    for (value, month) in [("1500000", "Feb 2023"), ("3000000", "Jan 2023")] {
        let run = ok(&["run", "fixtures/small.toml", "--set", &format!("{path}={value}")]);
        assert!(
            run.stderr.contains(&format!("ran dry in {month};")),
            "{}",
            run.stderr
        );
    }
    // Of more than three, the first and the last; a two-way table names
    // both values. Only $1,000,000 of debt service with $2,000,000 opening
    // keeps dollars: January ends at $2,000,000 + $2,356,000 − $1,000,000
    // − $1,200,000 − $368,000 − $5,700 = $1,782,300, and February at
    // $1,782,300 + $2,128,000 − $1,000,000 − $1,200,000 − $800,000 of
    // wires (20 sessions × $100,000 × 80% × 50% approved) − $5,700 =
    // $904,600. With $1,000,000 opening, February's $710,300 after the
    // cash is short of its wires: dry in February, the first of 9 dry runs.
    // The last: $3,000,000 with $2,000,000 opening leaves $156,000 in
    // January after the cash, short of $368,000 of wires.
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        &format!("{path}=1000000:3000000:500000"),
        "--vary",
        "custody.opening_balance_usd=1000000,2000000",
        "-q",
    ]);
    let note = o.stderr.lines().find(|l| l.contains("ran dry")).unwrap();
    assert!(
        note.contains(&format!(
            "ran dry in 9 of the 10 runs, the first at {path}=1000000 with custody.opening_balance_usd=1000000 \
             (in Feb 2023), the last at {path}=3000000 with custody.opening_balance_usd=2000000 (in Jan 2023);"
        )),
        "{note}"
    );
    // Nothing is said when no run does.
    let o = ok(&[
        "sweep",
        "fixtures/small.toml",
        "--vary",
        &format!("{path}=0,500000"),
    ]);
    assert!(!o.stderr.contains("ran dry"), "{}", o.stderr);
}
