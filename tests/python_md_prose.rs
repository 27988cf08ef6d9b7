//! docs/python.md's sentences that quote a figure (its code blocks and
//! what they print are run by python/tests/test_docs.py): each figure
//! worked out here from what the command line prints, as
//! readme_prose.rs does for the README.

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
