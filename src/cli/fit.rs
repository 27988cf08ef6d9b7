//! `dinarflow fit MODEL --observed FILE --vary PATH[=LO:HI]...`: bounded
//! least squares of any parameters (whole timelines, single steps,
//! factors) against observed series; `--write-model` saves the model with
//! the fitted values, each citing the fit.

use std::io::Write;
use std::path::PathBuf;

use super::common::Common;
use super::{load_model, output, say};
use crate::calendar::YearMonth;
use crate::calibration::compare::{match_rows, Matched};
use crate::calibration::fit::{fit, Loss, Request};
use crate::calibration::free::parse_free;
use crate::calibration::observed::read_observed;
use crate::calibration::write_model::write_model;
use crate::error::Error;
use crate::model::ParamId;
use crate::render::Format;
use crate::report::fit::FitReport;
use crate::sensitivity::Evaluator;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    /// The observed series: CSV with date,metric,value[,lo,hi,weight,source]
    #[arg(long, value_name = "FILE")]
    pub observed: PathBuf,
    /// A parameter to estimate, optionally with bounds: PATH, PATH@YYYY-MM (one step) or PATH* (a factor on
    /// its whole timeline), e.g. parallel_market.baseline_turnover_usd_per_day=100000000:500000000 (repeatable)
    #[arg(long, value_name = "PATH[=LO:HI]", required = true)]
    pub vary: Vec<String>,
    /// Fit only the observations up to this month (the rest are left for `backtest`)
    #[arg(long, value_name = "YYYY-MM")]
    pub train_until: Option<String>,
    /// How errors are measured: percent of the observed value, log ratio, or the metric's units
    #[arg(long, value_enum, default_value = "pct")]
    pub loss: Loss,
    /// Also write the model with the fitted values (each citing the fit) to this file
    #[arg(long, value_name = "OUT.toml")]
    pub write_model: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

/// Parses `--train-until`.
pub(crate) fn month(flag: &str, text: &str) -> Result<YearMonth, Error> {
    text.trim()
        .parse()
        .map_err(|e: String| Error::Usage(format!("{flag} {text}: {e}")))
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format_in(
        "fit",
        &[Format::Table, Format::Csv, Format::Json, Format::Md, Format::Xlsx],
    )?;
    let model = load_model(Some(&a.model), &a.common, err)?;
    let observed = read_observed(&a.observed)?;
    let until = a
        .train_until
        .as_deref()
        .map(|t| month("--train-until", t))
        .transpose()?;
    let free = a
        .vary
        .iter()
        .map(|v| parse_free(&model, v))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, f) in free.iter().enumerate() {
        if free[..i].iter().any(|g| g.target() == f.target()) {
            return Err(Error::Usage(format!("--vary {}: given twice", f.path())));
        }
    }
    let matched = match_rows(&model, &observed)?;
    let mut notes: Vec<String> = free.iter().filter_map(|f| f.note.clone()).collect();
    let outside: Vec<&Matched> = matched.iter().filter(|m| !m.inside()).collect();
    if !outside.is_empty() {
        notes.push(format!(
            "note: {} observation(s) outside the model's timeline ({} to {}) are not fitted",
            outside.len(),
            model.timeline.start,
            model.timeline.end()
        ));
    }
    let later = matched
        .iter()
        .filter(|m| m.inside() && until.is_some_and(|u| m.row.month > u))
        .count();
    if later > 0 {
        notes.push(format!(
            "note: {later} observation(s) after --train-until {} are not fitted (see `dinarflow backtest`)",
            until.map(|u| u.to_string()).unwrap_or_default()
        ));
    }
    let rows: Vec<Matched> = matched
        .into_iter()
        .filter(|m| m.inside() && until.is_none_or(|u| m.row.month <= u))
        .collect();
    if rows.is_empty() {
        return Err(Error::Usage(format!(
            "no observation of {} lies in the model's timeline ({} to {}){}: nothing to fit",
            observed.file.name,
            model.timeline.start,
            model.timeline.end(),
            until.map(|u| format!(" up to {u}")).unwrap_or_default()
        )));
    }
    say(err, &notes)?;
    let ev = Evaluator::new(&model);
    let req = Request {
        free: free.clone(),
        rows,
        loss: a.loss,
        ev: &ev,
    };
    let result = fit(&req)?;
    let span = {
        let first = req.rows.iter().map(|m| m.row.month).min();
        let last = req.rows.iter().map(|m| m.row.month).max();
        first.zip(last).map(|(a, b)| (a.to_string(), b.to_string()))
    };
    if let Some(path) = &a.write_model {
        let mut fitted = model.clone();
        let sets: Vec<&str> = result.sets.iter().map(String::as_str).collect();
        fitted.apply_sets(&sets)?;
        let ids: Vec<ParamId> = free.iter().map(|f| f.target().param()).collect();
        let (first, last) = span.clone().unwrap_or_default();
        let source = format!(
            "dinarflow fit to {} ({first} to {last}, n = {}, RMSE {}%, loss {})",
            observed.file.name,
            result.n,
            result.rmse_pct,
            a.loss.name()
        );
        let text = write_model(&model, &fitted, &ids, &source).map_err(Error::Usage)?;
        output::write_file(path, text.as_bytes())?;
        say(err, &[format!("wrote {} with the fitted values", path.display())])?;
    }
    let report = FitReport {
        model: crate::report::ModelInfo::of(&model),
        observed: observed.file.name.clone(),
        fit: result,
        span,
    };
    if matches!(format, Format::Csv | Format::Xlsx) {
        say(err, &report.stderr_lines())?;
    }
    output::report(a.common.out.as_deref(), out, &report, format)
}
