//! The sentences of docs/python.md and docs/model.md that quote a figure
//! (python.md's code blocks are run by python/tests/test_docs.py,
//! model.md's console examples by guides.rs): each figure worked out here
//! from what the command line prints, as readme_prose.rs does for the
//! README.

use rust_decimal::Decimal;

use crate::common::ok;
use crate::common::prose::{cell, decimal, rounded, Prose};

/// "`m.run(by="year", wide=True).loc["2023", "sales_usd"]` is 2023's
/// auction sales, 43,347,187,931", and AFP's range against the model's
/// November 2022 rate.
#[test]
fn the_python_pages_figures_are_the_command_lines() {
    let page = Prose::of("docs/python.md");
    let years = ok(&["run", "models/iraq-2023.toml", "--by", "year", "--format", "csv"]).stdout;
    page.says(&format!(
        "is 2023's auction sales, {}.",
        rounded(&cell(&years, "2023", "sales_usd"), 0)
    ));
    let months = ok(&["run", "models/iraq-2023.toml", "--format", "csv"]).stdout;
    let model = cell(&months, "2022-11", "parallel_rate");
    // The observed row: 2022-11-15, 1,585 within 1,570 to 1,600 (AFP).
    let row = std::fs::read_to_string("models/observed/iraq-parallel-2022-2023.csv")
        .unwrap()
        .lines()
        .find(|l| l.starts_with("2022-11-15,parallel_rate,"))
        .unwrap()
        .to_string();
    let fields: Vec<&str> = row.split(',').collect();
    let (lo, hi) = (decimal(fields[3]), decimal(fields[4]));
    let m = decimal(&model);
    assert!(m < lo, "below the range, so measured from its low end");
    let below = (lo - m) / lo * Decimal::from(100);
    page.says(&format!(
        "is {} to {}, and the model's {} is {}% below {}.",
        rounded(&lo.to_string(), 0),
        rounded(&hi.to_string(), 0),
        rounded(&model, 2),
        rounded(&below.to_string(), 2),
        rounded(&lo.to_string(), 0)
    ));
}

/// model.md's examples: "the mean parallel rate rises from 1,530.8957:
/// the model's own rates are about 21% from March 2023 and 8% from
/// January 2024".
#[test]
fn the_model_pages_figures_are_the_models() {
    let page = Prose::of("docs/model.md");
    let base = ok(&["run", "models/iraq-2023.toml", "--format", "csv"]).stdout;
    // The rejection rate in force in a month, from the trace of its inputs.
    let rate_in = |month: &str| -> String {
        let out = ok(&[
            "explain",
            &format!("wires_rejected_usd@{month}"),
            "--format",
            "json",
        ])
        .stdout;
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let steps = v["steps"].as_array().expect("explain's steps");
        let rate = steps
            .iter()
            .flat_map(|s| s["assumptions"].as_array().into_iter().flatten())
            .find(|a| a["path"] == "auction.rejection_rate")
            .expect("the rejection rate among wires_rejected_usd's assumptions");
        let pct = decimal(rate["value"].as_str().unwrap()) * Decimal::from(100);
        rounded(&pct.to_string(), 0)
    };
    page.says(&format!(
        "the mean parallel rate rises from {}: the model's own rates are about {}% from March 2023 and {}% from January 2024",
        rounded(&cell(&base, "total", "parallel_rate"), 4),
        rate_in("2023-03"),
        rate_in("2024-01")
    ));
}
