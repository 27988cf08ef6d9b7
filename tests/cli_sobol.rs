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

#[test]
fn refusals() {
    let o = dinarflow(&["sobol", MODEL, "-n", "100000"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("outside 2 to 65,536"), "{}", o.stderr);
    let o = dinarflow(&["sobol", "fixtures/small.toml"]);
    assert_eq!(o.code, 2);
}
