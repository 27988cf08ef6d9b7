//! `dinarflow tornado MODEL --metric M`: each parameter moved on its own
//! to a low and a high value, sorted by how far it swings the metric.

use std::io::Write;
use std::path::PathBuf;

use rust_decimal::Decimal;

use super::common::Common;
use super::progress::{Bar, Unit};
use super::{load_model, output, prefix, warnings};
use crate::error::Error;
use crate::model::{Model, ParamId};
use crate::num::decimal::parse_decimal;
use crate::report::tornado::TornadoReport;
use crate::sensitivity::form::parse_form;
use crate::sensitivity::tornado::{tornado, Request};
use crate::sensitivity::{parse_metric, resolve, Evaluator};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The model file (TOML)
    pub model: PathBuf,
    /// The metric, e.g. parallel_rate, premium_pct:max, cpi_impact_pct@2023-03
    #[arg(long, value_name = "METRIC")]
    pub metric: String,
    /// A parameter to move (repeatable): PATH, PATH@YYYY-MM (one step of its timeline), or PATH* (a factor
    /// [uncertainty] draws); default: every parameter in [uncertainty], or every numeric parameter when the
    /// model has none
    #[arg(long = "param", value_name = "PATH")]
    pub param: Vec<String>,
    /// A factor on a parameter's whole schedule (repeatable): low and high are LO and HI, or 1 ∓ --swing%,
    /// e.g. --scale exports.price_usd_per_bbl=0.8:1.2
    #[arg(long = "scale", value_name = "PATH[=LO:HI]")]
    pub scale: Vec<String>,
    /// For parameters without a distribution: low and high are base × (1 ∓ PCT/100)
    #[arg(long, value_name = "PCT", default_value = "10")]
    pub swing: String,
    #[command(flatten)]
    pub common: Common,
    /// No progress bar
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let format = a.common.format_in("tornado", &output::CHART_BOOK)?;
    let model = load_model(Some(&a.model), &a.common, err)?;
    warnings::draws(&model, err)?;
    let metric = parse_metric(&model, &a.metric).map_err(|e| prefix("--metric", &a.metric, e))?;
    let mut params = Vec::new();
    let mut forms = Vec::new();
    for p in &a.param {
        if p.contains('@') {
            forms.push((parse_form(&model, p).map_err(|e| prefix("--param", p, e))?, None));
        } else {
            params.push(param_of(&model, p).map_err(|e| prefix("--param", p, e))?);
        }
    }
    for text in &a.scale {
        let (path, factors) = match text.split_once('=') {
            Some((path, spec)) => {
                let bad = || {
                    Error::Usage(format!(
                        "--scale {text}: expected PATH=LO:HI, e.g. exports.price_usd_per_bbl=0.8:1.2"
                    ))
                };
                let (lo, hi) = spec.split_once(':').ok_or_else(bad)?;
                let num = |x: &str| {
                    parse_decimal(x.trim())
                        .map_err(|e| Error::Usage(format!("--scale {text}: {:?} {e}", x.trim())))
                };
                let (lo, hi) = (num(lo)?, num(hi)?);
                if lo > hi {
                    return Err(Error::Usage(format!("--scale {text}: LO {lo} is above HI {hi}")));
                }
                (path, Some((lo, hi)))
            }
            None => (text.as_str(), None),
        };
        let path = path.trim().trim_end_matches('*');
        let form = parse_form(&model, &format!("{path}*")).map_err(|e| prefix("--scale", text, e))?;
        forms.push((form, factors));
    }
    let swing_pct: Decimal =
        parse_decimal(&a.swing).map_err(|e| Error::Usage(format!("--swing {}: {e}", a.swing)))?;
    let ev = Evaluator::new(&model);
    let unit = metric.id.unit();
    let req = Request {
        metric,
        params,
        swing_pct,
        forms,
    };
    let result = tornado(&ev, &req, &Bar::new(a.quiet, Unit::Runs))?;
    let report = TornadoReport::new(&model, result).with_unit(unit);
    output::report(a.common.out.as_deref(), out, &report, format)
}

/// A `--param` path; `PATH*` names a factor that `[uncertainty]` draws on
/// PATH (its bar is named so), which moves the same as `PATH`.
fn param_of(model: &Model, p: &str) -> Result<ParamId, Error> {
    let Some(path) = p.trim().strip_suffix('*') else {
        return resolve(model, p);
    };
    let id = resolve(model, path)?;
    if model.uncertainty.iter().any(|u| u.param == id && u.scale) {
        return Ok(id);
    }
    Err(Error::Usage(format!(
        "`{p}` names a drawn factor, but [uncertainty] draws none on {}; name the parameter itself (--param {})",
        path.trim_end(),
        path.trim_end()
    )))
}
