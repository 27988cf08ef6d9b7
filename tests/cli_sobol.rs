//! `dinarflow sobol`: the JSON shape, an input that cannot affect a metric
//! getting ST = 0 exactly, warnings for wide intervals, several metrics,
//! and sizes refused before any work. The estimator's accuracy against
//! analytic indices (Ishigami) is in tests/sampling.rs.

use crate::common::{dinarflow, ok};

use serde_json::Value;

const MODEL: &str = "fixtures/mc-6-months.toml";

fn num(v: &Value) -> f64 {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn indices_of_the_parallel_rate() {
    let o = ok(&["sobol", MODEL, "-n", "1024", "--format", "json"]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(j["metric"], "parallel_rate");
    assert_eq!(j["n"], "1024");
    let ix = j["indices"].as_object().unwrap();
    assert_eq!(ix.len(), 4);
    for v in ix.values() {
        for k in ["S1", "S1_conf", "ST", "ST_conf"] {
            assert!(v[k].is_string(), "{k}: {v}");
        }
    }
    // The oil price only moves revenue into a custody account that never
    // runs short here, so the parallel rate cannot depend on it.
    let price = &ix["exports.price_usd_per_bbl"];
    assert_eq!(price["ST"], "0.0000");
    assert_eq!(price["ST_conf"], "0.0000");
    // The two market parameters carry nearly all the variance, the
    // elasticity most; ST is at least S1 up to noise.
    let e = &ix["parallel_market.demand_elasticity"];
    let s = &ix["parallel_market.spillover_share"];
    assert!(num(&e["ST"]) > num(&s["ST"]) && num(&s["ST"]) > 0.1);
    assert!(num(&e["ST"]) + num(&s["ST"]) > 0.9);
    for v in ix.values() {
        assert!(num(&v["ST"]) >= num(&v["S1"]) - num(&v["S1_conf"]) - num(&v["ST_conf"]));
    }
}

#[test]
fn tables_several_metrics_and_warnings() {
    let o = ok(&[
        "sobol",
        MODEL,
        "-n",
        "64",
        "--metric",
        "parallel_rate",
        "--metric",
        "cpi_impact_pct",
        "--format",
        "json",
    ]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(j.as_array().unwrap().len(), 2);
    assert_eq!(j[1]["metric"], "cpi_impact_pct");
    assert!(o.stderr.contains("wide 95% interval"), "{}", o.stderr);
    let o = ok(&["sobol", MODEL, "-n", "100"]);
    assert!(
        o.stderr.contains("-n 100 is used as given (next: 128)"),
        "{}",
        o.stderr
    );
    assert!(
        o.stdout
            .starts_with("Sobol indices of parallel_rate (N = 100, 600 evaluations"),
        "{}",
        o.stdout
    );
    let first = o.stdout.lines().nth(4).unwrap();
    assert!(
        first.contains("parallel_market.demand_elasticity"),
        "{}",
        o.stdout
    );
    let o = ok(&["sobol", MODEL, "-n", "64", "--format", "csv"]);
    assert!(o
        .stdout
        .starts_with("metric,input,S1,S1_conf,ST,ST_conf\nparallel_rate,"));
}

/// A metric that does not vary (the 12 flights are fixed) has no variance
/// to share out: its indices are undefined, not 0, and nothing is said
/// about interactions.
#[test]
fn a_metric_that_does_not_vary_has_no_indices() {
    let o = ok(&["sobol", MODEL, "-n", "64", "--metric", "flights"]);
    assert!(
        o.stdout.contains(
            "\n exports.price_usd_per_bbl         |          – | – |                      – | – \n"
        ),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("\nflights does not vary with these inputs (its variance is 0), so its Sobol indices are undefined.\n"), "{}", o.stdout);
    assert!(!o.stdout.contains("interactions between"), "{}", o.stdout);
    assert!(o.stderr.contains("undefined (shown as –)"), "{}", o.stderr);
    let o = ok(&[
        "sobol", MODEL, "-n", "64", "--metric", "flights", "--format", "json",
    ]);
    let j: Value = serde_json::from_str(&o.stdout).unwrap();
    for v in j["indices"].as_object().unwrap().values() {
        for k in ["S1", "S1_conf", "ST", "ST_conf"] {
            assert_eq!(v[k], Value::Null, "{k}: {v}");
        }
    }
    let o = ok(&[
        "sobol", MODEL, "-n", "64", "--metric", "flights", "--format", "csv",
    ]);
    assert!(
        o.stdout.contains("\nflights,auction.cash_share,,,,\n"),
        "{}",
        o.stdout
    );
}

/// The official rate is set by the model, not drawn: its mean over the
/// default model's 26 months is (3 × 1,460 + 23 × 1,310) / 26 =
/// 1,327.3077 in every draw. Summed in floating point, the mean of the
/// draws misses that value by a rounding error, which once left a
/// "variance" of 1e-26 that every input then explained alone (S1 = 1).
#[test]
fn a_metric_whose_mean_is_not_a_short_binary_fraction_does_not_vary_either() {
    let o = ok(&["sobol", "-n", "256", "--metric", "official_rate", "-q"]);
    assert!(
        o.stdout.contains(
            "\nofficial_rate does not vary with these inputs (its variance is 0), so its Sobol indices are undefined.\n"
        ),
        "{}",
        o.stdout
    );
    assert!(!o.stdout.contains("1.0000"), "{}", o.stdout);
    assert!(o.stderr.contains("undefined (shown as –)"), "{}", o.stderr);
}

/// With 2 rows the S1 sum to −0.60 and with the built-in model's heavy
/// tail to 1.26 at N = 8,192: neither is a share of interactions.
#[test]
fn a_sum_of_s1_outside_0_to_1_claims_no_interaction_share() {
    for args in [vec!["sobol", MODEL, "-n", "2"], vec!["sobol", "-n", "8192", "-q"]] {
        let o = ok(&args);
        assert!(
            o.stdout
                .contains("too noisy to split the variance of parallel_rate"),
            "{}",
            o.stdout
        );
        assert!(!o.stdout.contains("% of the variance"), "{}", o.stdout);
    }
}

#[test]
fn refusals() {
    let o = dinarflow(&["sobol", MODEL, "-n", "100000"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: invalid value '100000' for '-n <N>': too large (allowed: a whole number from 2 to 65,536)\n\n\
         For more information, try '--help'.\n"
    );
    let o = dinarflow(&["sobol", "fixtures/small.toml"]);
    assert_eq!(o.code, 2);
}
