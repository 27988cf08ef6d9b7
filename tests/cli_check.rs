//! `dinarflow check`: valid models list their assumptions and exit 0.

use crate::common::ok;

#[test]
fn every_shipped_model_passes_check() {
    for m in [
        "models/iraq-2023.toml",
        "models/iraq-2022-baseline.toml",
        "models/oil-for-food-1997.toml",
    ] {
        let o = ok(&["check", m]);
        assert!(o.stdout.starts_with(&format!("{m}: valid model")), "{}", o.stdout);
    }
}

#[test]
fn check_lists_path_value_unit_source() {
    let o = ok(&["check", "fixtures/small.toml"]);
    let line = o
        .stdout
        .lines()
        .find(|l| l.contains("deductions[Kuwait compensation].rate"))
        .unwrap();
    assert!(line.contains("0.05") && line.contains("share") && line.contains("UNSC Res. 1483 (2003)"));
    assert!(line.contains("fixtures/small.toml:24"));
    let offset = o
        .stdout
        .lines()
        .find(|l| l.contains("buyers[China].price_offset"))
        .unwrap();
    assert!(offset.contains("default (not in the file)"));
    assert!(o.stdout.contains("2023-02 | auction.rejection_rate"));
    // 2 buyers × 2 + 1 deduction + volume, price, opening, 1 payment, 6 airlift,
    // 4 auction, 6 parallel, reference, 2 items × 3 = 32 parameters.
    assert!(o
        .stdout
        .contains("32 parameters (2 with a source, 30 assumptions), 2 changes, 0 uncertain inputs"));
}

#[test]
fn check_json() {
    let o = ok(&["check", "models/iraq-2023.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["valid"], true);
    let unc = v["assumptions"]["uncertainty"].as_array().unwrap();
    assert!(!unc.is_empty());
    let p = v["assumptions"]["parameters"].as_array().unwrap();
    let cap = p
        .iter()
        .find(|x| x["path"] == "airlift.plane_capacity_usd")
        .unwrap();
    assert_eq!(cap["value"], "500000000");
    assert_eq!(cap["unit"], "USD");
}
