//! The metrics of docs/model.md §4: their names (the identifiers used in every
//! command and output), units, monthly values and summaries, and metric
//! references such as `parallel_rate:max` or `cpi_impact_pct@2023-03`.
//! The table of model-wide metrics is `table.rs`, how months are summed up
//! `aggregate.rs`, a metric of one model and a reference to it
//! `reference.rs`, and their names for people `label.rs`.

mod aggregate;
mod label;
mod reference;
mod table;

pub use aggregate::Agg;
pub use label::{metric_label, metric_ref_label, metric_unit, MetricLabel};
pub use reference::{MetricId, MetricRef, MetricRefDisplay};
pub use table::{default_metrics, Core, CoreDef, CORE, LIST_V2, N_CORE};
