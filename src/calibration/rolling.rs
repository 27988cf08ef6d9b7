//! Rolling-origin backtests: the training window ends at each month of a
//! range in turn, the model (optionally refitted on that window alone) and
//! the benchmarks forecast what comes after, and the errors are reported
//! per origin and pooled. Refitting at each origin keeps the test out of
//! sample for the model as well as for the benchmarks — except for a
//! parameter the training observations cannot identify (it moves none of
//! them, or none of their errors and the search left it where it was): it
//! keeps the model's value, which may rest on later data, and each origin
//! says so beside the refit's other warnings.

use super::backtest::{backtest, Backtest, Draws, BENCHMARKS};
use super::compare::{Accuracy, Matched};
use super::fit::{fit, Estimate, Loss, Request};
use super::free::{parse_all, Free};
use super::refusal::Refusal;
use super::scoring::Skill;
use super::write_model::uncertainty_entries;
use crate::calendar::YearMonth;
use crate::error::Error;
use crate::model::{Correlation, Model, Uncertain};
use crate::sampling::Distribution;
use crate::sensitivity::{Evaluator, Progress, Target};

/// One origin's backtest, with the refit that produced its model.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    /// The backtest at this origin.
    pub backtest: Backtest,
    /// The `--set` forms of the refitted values (empty without `--refit`).
    pub refit: Vec<String>,
}

/// Every origin, and the test rows of all of them pooled.
#[derive(Debug, Clone, PartialEq)]
pub struct Rolling {
    /// In order of origin.
    pub origins: Vec<Origin>,
    /// The model's accuracy over every origin's test rows.
    pub pooled: Accuracy,
    /// The model's forecasts over every origin's test rows, scored as distributions.
    pub pooled_skill: Skill,
    /// Each benchmark's accuracy and skill, pooled.
    pub pooled_benchmarks: Vec<(&'static str, Accuracy, Skill)>,
    /// Origins left out, and why.
    pub skipped: Vec<String>,
}

/// Months from `from` to `to`, both included.
pub fn months(from: YearMonth, to: YearMonth) -> Vec<YearMonth> {
    let mut out = Vec::new();
    let mut m = from;
    while m <= to {
        out.push(m);
        m = m.next();
    }
    out
}

/// A model as it stands at an origin, and what its refit said.
#[derive(Debug, Clone)]
pub struct Refit {
    /// The model with the refitted values.
    pub model: Model,
    /// The `--set` forms of the values refitted.
    pub sets: Vec<String>,
    /// What the refit warned of (as `fit` says it).
    pub warnings: Vec<String>,
    /// For each parameter the training rows could not identify (it moves
    /// none of them), that it kept the model's value.
    pub kept: Vec<String>,
}

/// The model as it stands at `origin`: `model` with `refit` (texts of
/// `--refit PATH[=LO:HI]`) fitted to the rows up to `origin` that lie in
/// its timeline; `model` itself when `refit` is empty. A parameter those
/// rows cannot identify (see `not_refitted`) keeps the model's value
/// (and any draw of it). The fit's runs are counted on `progress`, which
/// may stop it.
pub fn refit_at(
    model: &Model,
    rows: &[Matched],
    origin: YearMonth,
    refit: &[String],
    loss: Loss,
    progress: &dyn Progress,
) -> Result<Refit, Error> {
    if refit.is_empty() {
        return Ok(Refit {
            model: model.clone(),
            sets: Vec::new(),
            warnings: Vec::new(),
            kept: Vec::new(),
        });
    }
    let free = parse_all(model, refit, "--refit", progress)?;
    let train: Vec<Matched> = rows
        .iter()
        .filter(|m| m.inside() && m.row.month <= origin)
        .cloned()
        .collect();
    if train.is_empty() {
        return Err(Refusal::NothingToRefit {
            origin,
            start: model.timeline.start,
            end: model.timeline.end(),
        }
        .into());
    }
    let ev = Evaluator::new(model);
    let req = Request {
        free,
        rows: train,
        loss,
        ev: &ev,
        progress,
    };
    let f = fit(&req)?;
    let mut sets = Vec::new();
    let mut kept = Vec::new();
    for ((free, e), set) in req.free.iter().zip(&f.estimates).zip(&f.sets) {
        match not_refitted(free, e, origin) {
            Some(why) => kept.push(why),
            None => sets.push(set.clone()),
        }
    }
    let mut refitted = model.clone();
    refitted.apply_sets(&sets.iter().map(String::as_str).collect::<Vec<_>>())?;
    redraw(model, &mut refitted, &f, &req.free);
    // Reports list the refitted values as what they are.
    for o in refitted.overrides.iter_mut().skip(model.overrides.len()) {
        o.holds = format!("refitted on the observations up to {origin}; {}", o.holds);
    }
    Ok(Refit {
        model: refitted,
        sets,
        warnings: f.warnings,
        kept,
    })
}

/// Whether the observations up to `origin` could not identify `free`,
/// estimated at `e`, and so it keeps the model's value, and why: it moves
/// none of them, or it moves none of their errors (they stay in their
/// published ranges) and the search left it at the model's value.
fn not_refitted(free: &Free, e: &Estimate, origin: YearMonth) -> Option<String> {
    let why = if !e.moves {
        format!("it moves none of the observations up to {origin}")
    } else if !e.moves_errors && e.value == free.form.start {
        format!(
            "it changes none of the errors of the observations up to {origin} (their values stay inside their published ranges)"
        )
    } else {
        return None;
    };
    let value = match free.target() {
        Target::Scale(_) => "its schedule as the model gives it".to_string(),
        _ => format!("the value the model gives it ({})", free.form.start.normalize()),
    };
    Some(format!(
        "{} was not refitted: {why}, so they cannot identify it; it keeps {value}, which was not estimated from them",
        free.path()
    ))
}

/// What the refit at a backtest's origin warned of, and each parameter it
/// kept, as said on standard error: `warning: origin YYYY-MM: …`.
pub fn origin_warnings(b: &Backtest) -> Vec<String> {
    b.refit_warnings
        .iter()
        .chain(&b.not_refitted)
        .map(|w| format!("warning: origin {}: {w}", b.train_until))
        .collect()
}

/// In a model with `[uncertainty]`, each refitted parameter is drawn
/// around its refitted estimate with the refit's standard error, and
/// correlated as the refit's estimates are: so a backtest's bands come from
/// the training window alone, as `fit --write-uncertainty` would write them
/// there. (Setting it fixed it; without this the bands would shrink to what
/// the other inputs leave.) A model without `[uncertainty]` stays a point
/// forecast.
fn redraw(model: &Model, refitted: &mut Model, f: &super::fit::Fit, free: &[super::free::Free]) {
    if model.uncertainty.is_empty() {
        return;
    }
    let (drawn, pairs, _) = uncertainty_entries(f, free, refitted, "refit");
    for d in &drawn {
        refitted.uncertainty.retain(|u| u.param != d.param);
        refitted.correlation.retain(|c| c.a != d.param && c.b != d.param);
        refitted.uncertainty.push(Uncertain {
            param: d.param,
            path: d.key.clone(),
            dist: Distribution::Normal {
                mean: d.mean,
                sd: d.sd,
            },
            scale: d.scale,
            span: 0..0,
        });
    }
    let param = |key: &str| drawn.iter().find(|d| d.key == key).map(|d| d.param);
    for p in pairs {
        let Some((a, b)) = p.key.split_once('|') else {
            continue;
        };
        if let (Some(a), Some(b)) = (param(a), param(b)) {
            refitted.correlation.push(Correlation {
                a,
                b,
                key: p.key.clone(),
                rho: p.rho,
                span: 0..0,
                source: Some(p.source),
                note: Some(p.note),
            });
        }
    }
}

/// The backtest at `origin` of the model `r` refitted there, with what
/// the refit warned of; the draws counted on `progress`, which may stop
/// them.
pub fn refitted_backtest(
    r: Refit,
    rows: &[Matched],
    origin: YearMonth,
    draws: Draws,
    progress: &dyn Progress,
) -> Result<Backtest, Error> {
    let mut b = backtest(&r.model, rows, origin, draws, r.sets.len(), progress)?;
    b.refit_warnings = r.warnings;
    b.not_refitted = r.kept;
    Ok(b)
}

/// Backtests at every origin of `origins`, the model's forecasts drawn as
/// `draws` says (the same seed at every origin); every refit's runs and
/// every draw counted on `progress`, which may stop them.
pub fn rolling(
    model: &Model,
    rows: &[Matched],
    origins: &[YearMonth],
    refit: &[String],
    loss: Loss,
    draws: Draws,
    progress: &dyn Progress,
) -> Result<Rolling, Error> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for &origin in origins {
        if !rows.iter().any(|m| m.inside() && m.row.month > origin) {
            skipped.push(format!("{origin}: no observation after it in the timeline"));
            continue;
        }
        let r = match refit_at(model, rows, origin, refit, loss, progress) {
            Ok(x) => x,
            Err(Error::Usage(why)) => {
                skipped.push(format!("{origin}: {why}"));
                continue;
            }
            Err(e) => return Err(e),
        };
        let sets = r.sets.clone();
        out.push(Origin {
            backtest: refitted_backtest(r, rows, origin, draws, progress)?,
            refit: sets,
        });
    }
    if out.is_empty() {
        return Err(Refusal::NoOrigin(skipped.join("; ")).into());
    }
    let pairs = || out.iter().flat_map(|o| o.backtest.rows.iter());
    let f = |d: rust_decimal::Decimal| rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(f64::NAN);
    let pooled = Accuracy::of(pairs().map(|r| (&r.row, f(r.model))));
    let pooled_skill = Skill::of(pairs().map(|r| &r.model_score));
    let pooled_benchmarks = BENCHMARKS
        .iter()
        .enumerate()
        .map(|(b, name)| {
            (
                *name,
                Accuracy::of(pairs().filter_map(|r| Some((&r.row, r.benchmarks[b]?)))),
                Skill::of(pairs().filter_map(|r| r.benchmark_scores[b].as_ref())),
            )
        })
        .collect();
    Ok(Rolling {
        origins: out,
        pooled,
        pooled_skill,
        pooled_benchmarks,
        skipped,
    })
}
