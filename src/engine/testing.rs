//! Shared test inputs for the step tests: the hand-checked small model.

use rust_decimal::Decimal;

use crate::model::{load_str, Model};

pub fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn model() -> Model {
    load_str("fixtures/small.toml", include_str!("../../fixtures/small.toml")).unwrap()
}
