//! dinarflow traces Iraq's oil dollars from the buyers through the Central
//! Bank of Iraq's account at the New York Fed, the deductions, the banknote
//! airlift and the CBI dollar auction, in an exact double-entry ledger, and
//! estimates what unmet dollar demand does to the parallel exchange rate and
//! consumer prices. The library computes and renders; it never prints or
//! exits (the `dinarflow` binary does that).

pub mod calendar;
pub mod calibration;
pub mod cli;
pub mod diagnostic;
pub mod engine;
pub mod error;
pub mod ledger;
pub mod model;
pub mod num;
pub mod render;
pub mod report;
pub mod sampling;
pub mod sensitivity;
pub mod serve;
pub mod uncertainty_analysis;

pub use error::Error;
