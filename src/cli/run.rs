//! `dinarflow run [MODEL]`: every metric of docs/model.md §4 for every month and
//! the summary, as a table, CSV, JSON or Markdown; a chart of the rates
//! (or of `--metric`) by month; or a workbook.

use super::refusal::Refusal;
use std::io::Write;

use super::common::{Charted, ModelFile};
use super::{load_model, overflow};
use crate::engine;
use crate::error::Error;
use crate::render::{Format, Formats};
use crate::report::periods::{span_text, Per};
use crate::report::run::RunReport;
use crate::report::trace::Trace;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// A metric to draw with --format svg or png instead of the rates and the premium, e.g. cpi_impact_pct (repeatable)
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    /// Group the months into calendar quarters or years: each value is its metric's summary over them (a sum, a mean, or the last month's), as the total is
    #[arg(long = "by", value_enum, default_value_t = Per::Month)]
    pub by: Per,
    #[command(flatten)]
    pub charted: Charted,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.charted.format_in("run", RunReport::FORMATS)?;
    if !a.metric.is_empty() && !format.is_picture() {
        return Err(Refusal::RunMetricWithoutChart.into());
    }
    let model = load_model(a.model.path(), &a.charted.common, err)?;
    super::warnings::check(&model, false, err)?;
    let result = if format == Format::Xlsx {
        engine::run_with_postings(&model)?
    } else {
        engine::run(&model)?
    };
    if let Some(note) = crate::report::custody_dry_note(&model, &result) {
        writeln!(err, "{note}").map_err(super::output::stderr_error)?;
    }
    let report = RunReport::new(&model, &result).map_err(|e| overflow(&model, e))?;
    let months: Vec<_> = model.timeline.months.iter().map(|m| m.month).collect();
    let (mut report, partial) = report.by(&months, a.by).map_err(|e| overflow(&model, e))?;
    for g in partial {
        writeln!(
            err,
            "note: --by {}: {} holds {} only, the part of it in the timeline",
            a.by.name(),
            g.label,
            span_text(months[g.first], months[g.last])
        )
        .map_err(super::output::stderr_error)?;
    }
    for m in &a.metric {
        if !report.metrics.iter().any(|r| &r.name == m) {
            let names: Vec<&str> = report.metrics.iter().map(|r| r.name.as_str()).collect();
            return Err(Refusal::NoSuchMetric {
                metric: m.clone(),
                names: names.join(", "),
            }
            .into());
        }
    }
    report.draw = a.metric.clone();
    if format == Format::Xlsx {
        let trace = Trace::new(&model, &result, None, true).map_err(|e| overflow(&model, e))?;
        report.postings = trace.postings;
    }
    a.charted.write(out, &report, format)
}
