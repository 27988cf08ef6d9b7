//! Calibration and forecast evaluation: observed series read from a tidy
//! CSV (`observed`), matched to a model's metrics (`compare`), fitted by
//! bounded least squares (`free`, `fit`, `identify`), written back into a
//! model file with provenance (`write_model`), and backtested against
//! naive benchmarks (`backtest`).

pub mod backtest;
mod benchmarks;
pub mod compare;
pub mod fit;
pub mod free;
pub mod identify;
pub mod observed;
pub mod problem;
pub mod refusal;
pub mod request;
pub mod rolling;
mod scale;
pub mod scoring;
pub mod write_model;
