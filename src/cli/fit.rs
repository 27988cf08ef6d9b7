//! `dinarflow fit [MODEL] --observed FILE --vary PATH[=LO:HI]...`: bounded
//! least squares of any parameters (whole timelines, single steps,
//! factors) against observed series; `--write-model` saves the model with
//! the fitted values, each citing the fit.

use super::refusal::Refusal;
use std::io::Write;
use std::path::{Path, PathBuf};

use rust_decimal::Decimal;

use super::common::{Charted, Common, Compared, Progress};
use super::progress::Unit;
use super::{output, say};
use crate::calendar::YearMonth;
use crate::calibration::compare::Matched;
use crate::calibration::fit::{Fit, Loss};
use crate::calibration::free::Free;
use crate::calibration::observed::read_observed;
use crate::calibration::request::{month, FitSetup};
use crate::calibration::write_model::{
    error_entries, reproduces, uncertainty_entries, write_model, Edits, Estimated, FitSource, Provenance,
};
use crate::error::Error;
use crate::model::{load_str, Model, ParamId};
use crate::render::Format;
use crate::report::fit::{fitted_paths, FitReport};
use crate::sensitivity::Target;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub compared: Compared,
    /// A parameter to estimate, optionally with bounds: PATH, PATH@YYYY-MM (one step), PATH@YYYY-MM.. (one
    /// value from that month to the end) or PATH* (a factor on its whole timeline), e.g.
    /// parallel_market.baseline_turnover_usd_per_day=100000000:500000000 (repeatable)
    #[arg(long, value_name = "PATH[=LO:HI]", required = true)]
    pub vary: Vec<String>,
    /// Fit only the observations up to this month (the rest are left for `backtest`)
    #[arg(long, value_name = "YYYY-MM")]
    pub train_until: Option<String>,
    /// How errors are measured: percent of the observed value, log ratio, or the metric's units
    #[arg(long, value_enum, default_value = "pct")]
    pub loss: Loss,
    /// Also write the model with the fitted values (each citing the fit) to this file; values --scenario and
    /// --set gave the fit are written too, so the file reproduces the fit
    #[arg(long, value_name = "OUT.toml")]
    pub write_model: Option<PathBuf>,
    /// With --write-model: also write the estimates' uncertainty, each fitted parameter drawn from a normal
    /// around its estimate with its standard error ([uncertainty]) and their correlations ([correlation])
    #[arg(long, requires = "write_model")]
    pub write_uncertainty: bool,
    #[command(flatten)]
    pub charted: Charted,
    #[command(flatten)]
    pub progress: Progress,
}

/// The text `--write-model` writes: the model file with the values
/// `--scenario` and `--set` gave the fit and the fitted values, each
/// citing where it came from (with `--write-uncertainty`, the estimates'
/// uncertainty too); checked to load and to reproduce the fit's residuals.
fn written(
    a: &Args,
    model: &Model,
    free: &[Free],
    result: &Fit,
    fit_text: &str,
    rows: &[Matched],
    err: &mut dyn Write,
) -> Result<String, Error> {
    let original = a.compared.model.load()?;
    let mut edits = Edits {
        values: assumed_values(&original, &a.charted.common, fit_text)?,
        ..Edits::default()
    };
    let mut fitted = model.clone();
    let fit_sets: Vec<&str> = result.sets.iter().map(String::as_str).collect();
    fitted.apply_sets(&fit_sets)?;
    for f in free {
        let why = Provenance {
            source: fit_text.to_string(),
            what: "fitted".into(),
            estimated: vec![estimated(model, f.target())],
        };
        cite(&mut edits.values, f.target().param(), why);
    }
    let out = a
        .write_model
        .as_deref()
        .map(Path::display)
        .map(|d| d.to_string())
        .unwrap_or_default();
    if a.write_uncertainty {
        let (drawn, pairs, notes) = uncertainty_entries(result, free, &fitted, fit_text);
        say(err, &notes)?;
        edits.drawn = drawn;
        edits.pairs = pairs;
        let (errors, notes) = error_entries(result, free.len(), fit_text);
        say(err, &notes)?;
        edits.errors = errors;
    } else {
        say(err, &no_longer_drawn(model, &fitted, &out))?;
    }
    let text = write_model(&original, &fitted, &edits).map_err(Error::Usage)?;
    check_written(&out, &text, model, rows, result)?;
    Ok(text)
}

/// The values `--scenario` and `--set` gave the fit, layered on the model
/// file as `load_model` layered them, each citing where it came from.
fn assumed_values(
    original: &Model,
    common: &Common,
    fit_text: &str,
) -> Result<Vec<(ParamId, Provenance)>, Error> {
    let mut values = Vec::new();
    let mut layered = original.clone();
    for file in &common.scenario {
        let before = layered.clone();
        layered.apply_scenario_file(file)?;
        for id in changed(&before, &layered) {
            let own = layered.base.param(id).origin.source.clone();
            let why = Provenance {
                source: match own {
                    Some(s) => format!("scenario {}: {s}", file.display()),
                    None => format!("scenario {}", file.display()),
                },
                what: format!("assumed for the fit (scenario {})", file.display()),
                estimated: Vec::new(),
            };
            cite(&mut values, id, why);
        }
    }
    let sets: Vec<&str> = common.set.iter().map(String::as_str).collect();
    let before = layered.clone();
    layered.apply_sets(&sets)?;
    for id in changed(&before, &layered) {
        let spec = sets
            .iter()
            .find(|s| set_target(&layered, s) == Some(id))
            .copied()
            .unwrap_or("…");
        let why = Provenance {
            source: format!("--set {spec} given to {fit_text}"),
            what: format!("assumed for the fit (--set {spec})"),
            estimated: Vec::new(),
        };
        cite(&mut values, id, why);
    }
    Ok(values)
}

/// Cites `why` for parameter `id`, in place of an earlier citation; the
/// values a fit estimated add up over the parameter's forms
/// (`PATH@2022-12` and `PATH@2023-01` both fitted).
fn cite(values: &mut Vec<(ParamId, Provenance)>, id: ParamId, mut why: Provenance) {
    match values.iter_mut().find(|e| e.0 == id) {
        Some(e) => {
            why.estimated.splice(0..0, e.1.estimated.drain(..));
            e.1 = why;
        }
        None => values.push((id, why)),
    }
}

/// The value a fit of `target` estimates in `model`'s file: the base for
/// the whole timeline or a step in its first month, else that month's step.
fn estimated(model: &Model, target: Target) -> Estimated {
    match target {
        Target::Whole(_) => Estimated::Base,
        Target::Scale(_) => Estimated::Every,
        Target::Step(_, i) | Target::From(_, i) => {
            let index = u32::try_from(i).ok();
            match index.and_then(|i| model.timeline.start.plus(i)) {
                Some(m) if i > 0 => Estimated::Step(m),
                _ => Estimated::Base,
            }
        }
    }
}

/// Notes on the `[uncertainty]` entries of `model` that the file written
/// to `out` without `--write-uncertainty` no longer has (the fit fixes
/// them), and on the `[correlation]` pairs that went with them.
fn no_longer_drawn(model: &Model, fitted: &Model, out: &str) -> Vec<String> {
    let mut notes: Vec<String> = model
        .uncertainty
        .iter()
        .filter(|u| !fitted.uncertainty.iter().any(|v| v.param == u.param && v.scale == u.scale))
        .map(|u| {
            format!(
                "note: {out} does not draw {} in [uncertainty] (its entry is removed): the fit fixes it, as --set does; add --write-uncertainty to draw it around the estimate with its standard error",
                u.name()
            )
        })
        .collect();
    let gone: Vec<&str> = model
        .correlation
        .iter()
        .filter(|c| !fitted.correlation.iter().any(|k| k.key == c.key))
        .map(|c| c.key.as_str())
        .collect();
    if !gone.is_empty() {
        notes.push(format!(
            "note: {out} has no [correlation] {} {}: {} named a parameter it no longer draws",
            if gone.len() == 1 { "pair" } else { "pairs" },
            gone.iter()
                .map(|k| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", "),
            if gone.len() == 1 { "it" } else { "each" }
        ));
    }
    notes
}

/// The model file `text` (to be written to `out`) loads and, run with the
/// fit's horizon, gives the fit's residuals; else nothing is written.
fn check_written(out: &str, text: &str, model: &Model, rows: &[Matched], result: &Fit) -> Result<(), Error> {
    let mut reloaded = load_str(out, text).map_err(|d| {
        Error::from(Refusal::WrittenModelDoesNotLoad(
            d.problems.first().map(|p| p.headline()).unwrap_or_default(),
        ))
    })?;
    // The file keeps its own timeline; run with the fit's horizon, it
    // must give the fit's residuals.
    if let Some(h) = model.horizon {
        reloaded.apply_horizon(&h.month.to_string())?;
    }
    if !reproduces(&reloaded, rows, &result.residuals)? {
        return Err(Refusal::WrittenModelDiffers.into());
    }
    Ok(())
}

/// The parameters whose values, steps or `[uncertainty]` entries differ
/// between two layers of one model.
fn changed(before: &Model, after: &Model) -> Vec<ParamId> {
    let steps = |m: &Model, id: ParamId| -> Vec<(YearMonth, Decimal)> {
        m.changes_of(id).map(|c| (c.month, c.value.value)).collect()
    };
    let drawn = |m: &Model, id: ParamId| -> Vec<bool> {
        m.uncertainty
            .iter()
            .filter(|u| u.param == id)
            .map(|u| u.scale)
            .collect()
    };
    before
        .base
        .ids()
        .into_iter()
        .filter(|&id| {
            before.base.get(id) != after.base.get(id)
                || steps(before, id) != steps(after, id)
                || drawn(before, id) != drawn(after, id)
        })
        .collect()
}

/// The parameter a `--set` names.
fn set_target(model: &Model, spec: &str) -> Option<ParamId> {
    let left = spec.split_once('=')?.0.trim();
    let path = left.strip_suffix('*').unwrap_or(left).trim_end();
    let path = path.rsplit_once('@').map_or(path, |(p, _)| p.trim_end());
    model.resolve_path(path).ok()
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (format, model) = a.charted.open::<FitReport>("fit", a.compared.model.path(), err)?;
    let common = &a.charted.common;
    let observed = read_observed(&a.compared.observed)?;
    observed.check_loss(a.loss)?;
    let until = a
        .train_until
        .as_deref()
        .map(|t| month("--train-until", t))
        .transpose()?;
    let setup = FitSetup::new(&model, &observed, &a.vary, until, &a.progress.bar(Unit::Runs))?;
    if a.write_model.is_some() {
        refuse_unwritable(&model, &setup.free)?;
    }
    say(err, &setup.notes)?;
    let (result, span) = setup.fit(&model, a.loss, &a.progress.bar(Unit::Runs))?;
    let mut model_text = None;
    if let Some(path) = &a.write_model {
        let (first, last) = span.clone().unwrap_or_default();
        let fit_text = FitSource {
            file: &observed.file.name,
            span: (&first, &last),
            n: result.n,
            rmse_pct: result.rmse_pct,
            loss: a.loss.name(),
        }
        .to_string();
        let text = written(&a, &model, &setup.free, &result, &fit_text, &setup.rows, err)?;
        model_text = Some((path, text));
    }
    let quoted = crate::render::shell::quoted;
    let assumed = (common.horizon.horizon.iter())
        .map(|h| format!("--horizon {}", quoted(h)))
        .chain(
            common
                .scenario
                .iter()
                .map(|s| format!("--scenario {}", quoted(&s.display().to_string()))),
        )
        .chain(common.set.iter().map(|s| format!("--set {}", quoted(s))))
        .collect();
    let fitted = if format.is_picture() {
        fitted_paths(&model, &result)?
    } else {
        Vec::new()
    };
    let report = FitReport {
        model: crate::report::ModelInfo::of(&model),
        observed: observed.file.name.clone(),
        fit: result,
        span,
        assumed,
        fitted,
    };
    if matches!(format, Format::Csv | Format::Xlsx) {
        say(err, &report.stderr_lines())?;
    }
    a.charted.write(out, &report, format)?;
    // The model file replaces what was there only once the report is out:
    // a report that cannot be written leaves an existing file as it was.
    if let Some((path, text)) = model_text {
        output::write_file(path, text.as_bytes())?;
        say(err, &[format!("wrote {} with the fitted values", path.display())])?;
    }
    Ok(())
}

/// `--write-model` writes the model file, with its own timeline: a step
/// of a month `--horizon` added would be a `[[changes]]` entry outside it.
fn refuse_unwritable(model: &Model, free: &[Free]) -> Result<(), Error> {
    let Some(h) = model.horizon else {
        return Ok(());
    };
    for f in free {
        let (Target::Step(_, i) | Target::From(_, i)) = f.target() else {
            continue;
        };
        let Some(month) = model.timeline.months.get(i).map(|m| m.month) else {
            continue;
        };
        if month > h.held {
            return Err(Refusal::StepPastTheFile {
                path: f.path().to_string(),
                held: h.held.to_string(),
                month: month.to_string(),
                horizon: h.month.to_string(),
            }
            .into());
        }
    }
    Ok(())
}
