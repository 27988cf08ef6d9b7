//! Exact arithmetic that knows nothing of the model: decimals read from
//! their literal text with the two roundings docs/model.md allows, exact
//! fixed-point numbers and quotients, blocks of 64-bit lanes for many
//! evaluations at once, the `ln`/`exp` estimates those blocks use, and
//! exact conversions between drawn doubles and decimals.
//! Every floor above may use it; it uses none of them.

pub mod approx;
pub mod binary;
pub mod convert;
pub mod decimal;
pub mod fixed;
pub mod lanes;
pub mod quotient;
pub mod wide;
