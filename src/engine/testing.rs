//! Shared test inputs: decimals and months written as text, and the
//! hand-checked small model the step tests work on.

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::model::{load_str, Model};

/// The decimal written `s`.
pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The month written `s` (`2023-02`).
pub fn ym(s: &str) -> YearMonth {
    s.parse().unwrap()
}

/// The hand-checked small model, named by its path in the repository
/// (the explanations tested name `fixtures/small.toml:LINE`).
pub fn model() -> Model {
    load_str("fixtures/small.toml", crate::model::testing::SMALL).unwrap()
}
