//! What `fit` and `backtest` ask of this floor before they run, in the
//! user's terms: the training month and rolling origins as given, the
//! parameters to estimate checked, the observations matched and filtered
//! to the training window with notes on those left out. The command line
//! and the Python package both call these, so both check, say and fit
//! exactly the same.

use super::backtest::OwnError;
use super::compare::{match_rows, Matched};
use super::fit::{fit, Fit};
use super::free::{parse_all, Free};
use super::observed::Observed;
use super::problem::{Loss, Request};
use super::refusal::Refusal;
use crate::calendar::YearMonth;
use crate::error::Error;
use crate::model::Model;
use crate::render::plural;
use crate::sensitivity::{Evaluator, Progress};

/// A month given with an option (`--train-until 2023-01`).
pub fn month(flag: &str, text: &str) -> Result<YearMonth, Error> {
    text.trim().parse().map_err(|why: String| {
        Refusal::Month {
            option: flag.to_string(),
            text: text.to_string(),
            why,
        }
        .into()
    })
}

/// `--rolling FROM:TO`: the first and last origin.
pub fn rolling_range(range: &str) -> Result<(YearMonth, YearMonth), Error> {
    let (from, to) = range
        .split_once(':')
        .ok_or_else(|| Refusal::RollingShape(range.to_string()))?;
    let (from, to) = (month("--rolling", from)?, month("--rolling", to)?);
    if from > to {
        return Err(Refusal::RollingOrder(range.to_string()).into());
    }
    Ok((from, to))
}

/// A fit ready to run: the parameters estimated, the observations fitted,
/// and what to say about those left out.
#[derive(Debug, Clone)]
pub struct FitSetup {
    /// The parameters estimated, in `--vary` order.
    pub free: Vec<Free>,
    /// The observations fitted: in the timeline, up to the training month.
    pub rows: Vec<Matched>,
    /// Notes on observations left out (outside the timeline, after `--train-until`).
    pub notes: Vec<String>,
}

impl FitSetup {
    /// Checks each `--vary` (none twice, no two forms of one parameter
    /// overlapping), matches `observed` to `model`'s
    /// metrics and keeps the rows in the timeline up to `until`; no row left
    /// is an error. `progress` is looked at ([`Progress::check`]) before
    /// each `--vary` is read, and may stop there.
    pub fn new(
        model: &Model,
        observed: &Observed,
        vary: &[String],
        until: Option<YearMonth>,
        progress: &dyn Progress,
    ) -> Result<FitSetup, Error> {
        let free = parse_all(model, vary, "--vary", progress)?;
        let matched = match_rows(model, observed)?;
        // How default bounds were chosen, then what is left out.
        let mut notes: Vec<String> = free.iter().filter_map(|f| f.note.clone()).collect();
        let outside = matched.iter().filter(|m| !m.inside()).count();
        if outside > 0 {
            notes.push(format!(
                "note: {} outside the model's timeline ({} to {}) {} not fitted",
                plural(outside, "observation"),
                model.timeline.start,
                model.timeline.end(),
                if outside == 1 { "is" } else { "are" }
            ));
        }
        let later = matched
            .iter()
            .filter(|m| m.inside() && until.is_some_and(|u| m.row.month > u))
            .count();
        if later > 0 {
            notes.push(format!(
                "note: {} after --train-until {} {} not fitted (see `dinarflow backtest`)",
                plural(later, "observation"),
                until.map(|u| u.to_string()).unwrap_or_default(),
                if later == 1 { "is" } else { "are" }
            ));
        }
        let rows: Vec<Matched> = matched
            .into_iter()
            .filter(|m| m.inside() && until.is_none_or(|u| m.row.month <= u))
            .collect();
        if rows.is_empty() {
            return Err(Refusal::NothingToFit {
                file: observed.file.name.to_string(),
                start: model.timeline.start,
                end: model.timeline.end(),
                until: until.map(|u| format!(" up to {u}")).unwrap_or_default(),
            }
            .into());
        }
        Ok(FitSetup { free, rows, notes })
    }

    /// Fits the parameters to the rows with `loss`, every run counted on
    /// `progress` (which may stop the fit); with the months the fitted
    /// rows span.
    pub fn fit(
        &self,
        model: &Model,
        loss: Loss,
        progress: &dyn Progress,
    ) -> Result<(Fit, Option<(String, String)>), Error> {
        let ev = Evaluator::new(model);
        let req = Request {
            free: self.free.clone(),
            rows: self.rows.clone(),
            loss,
            ev: &ev,
            progress,
        };
        let result = fit(&req)?;
        let first = self.rows.iter().map(|m| m.row.month).min();
        let last = self.rows.iter().map(|m| m.row.month).max();
        let span = first.zip(last).map(|(a, b)| (a.to_string(), b.to_string()));
        Ok((result, span))
    }
}

/// The most draws a backtest makes per origin.
pub const MAX_BACKTEST_DRAWS: u64 = 100_000;

/// What a backtest computed: at one training month (with the model as
/// refitted there), or at each rolling origin.
#[derive(Debug, Clone)]
pub enum BacktestRun {
    /// `--train-until` (or its default).
    Single(Box<Model>, super::backtest::Backtest),
    /// `--rolling FROM:TO`.
    Rolling(super::rolling::Rolling),
}

/// A backtest as `dinarflow backtest` runs it, with the notes it says
/// (and the warnings of each origin's refit, `warning: origin YYYY-MM: …`):
/// `until` (default: the month before the timeline) or `rolling`
/// (`FROM:TO` as given; not both), refitting `refit` at each origin, the
/// model's forecast drawn `draws.n` times from its `[uncertainty]`; every
/// run and draw counted on `progress`, which may stop them.
#[allow(clippy::too_many_arguments)] // one per option of `backtest`, and the hook
pub fn run_backtest(
    model: &Model,
    observed: &Observed,
    until: Option<&str>,
    rolling_origins: Option<&str>,
    refit: &[String],
    loss: Loss,
    draws: super::backtest::Draws,
    progress: &dyn Progress,
) -> Result<(BacktestRun, Vec<String>), Error> {
    if until.is_some() && rolling_origins.is_some() {
        return Err(Refusal::RollingAndTrainUntil.into());
    }
    if draws.n > MAX_BACKTEST_DRAWS {
        return Err(Refusal::TooManyDraws {
            n: draws.n,
            max: crate::render::count(MAX_BACKTEST_DRAWS),
        }
        .into());
    }
    let until = match until {
        Some(t) => month("--train-until", t)?,
        None => super::backtest::default_train_until(model),
    };
    let matched = match_rows(model, observed)?;
    let first_origin = match rolling_origins {
        Some(range) => rolling_range(range)?.0,
        None => until,
    };
    let flattered = fitted_past(model, &observed.file.name, first_origin, refit);
    // How default bounds of a refit were chosen, said once.
    let mut notes: Vec<String> = parse_all(model, refit, "--refit", progress)?
        .into_iter()
        .filter_map(|f| f.note)
        .collect();
    if !model.uncertainty.is_empty() && draws.n > 0 {
        notes.extend(crate::uncertainty_analysis::Plan::new(model)?.notes);
    }
    notes.extend(flattered.iter().map(|w| format!("warning: {w}")));
    if let Some(range) = rolling_origins {
        let (from, to) = rolling_range(range)?;
        let origins = super::rolling::months(from, to);
        let result = super::rolling::rolling(model, &matched, &origins, refit, loss, draws, progress)?;
        for o in &result.origins {
            notes.extend(super::rolling::origin_warnings(&o.backtest));
        }
        return Ok((BacktestRun::Rolling(result), notes));
    }
    let r = super::rolling::refit_at(model, &matched, until, refit, loss, progress)?;
    let fitted = r.model.clone();
    let mut result = super::rolling::refitted_backtest(r, &matched, until, draws, progress)?;
    notes.extend(super::rolling::origin_warnings(&result));
    let error_past = written_error_past(model, &observed.file.name, until, &result.own_errors);
    notes.extend(error_past.iter().map(|w| format!("warning: {w}")));
    result.warnings.extend(flattered);
    result.warnings.extend(error_past);
    Ok((BacktestRun::Single(Box::new(fitted), result), notes))
}

/// The model's own errors that a backtest trained up to `until` took from
/// its `[forecast_error]` (`own`, those `written`) and whose source says
/// `dinarflow fit` measured them on `observed` up to a later month: the
/// bands carry an error measured on the test rows. One warning for them
/// all; none when there are none.
fn written_error_past(model: &Model, observed: &str, until: YearMonth, own: &[OwnError]) -> Vec<String> {
    let past: Vec<(String, YearMonth)> = own
        .iter()
        .filter(|e| e.written)
        .filter_map(|e| {
            let written = model.quote_error_of(&e.metric)?;
            let to = fitted_after(written.source.as_ref(), observed, until)?;
            Some((format!("forecast_error.{}", written.metric), to))
        })
        .collect();
    let Some(last) = past.iter().map(|p| p.1).max() else {
        return Vec::new();
    };
    let names: Vec<String> = past.into_iter().map(|p| p.0).collect();
    vec![format!(
        "{} was measured on {observed} up to {last} (as its source says), after the training window that ends {until}: \
         the model's bands carry an error measured on the test rows, so their coverage flatters the model",
        names.join(", ")
    )]
}

/// The last month `source` says `dinarflow fit` fitted to the observed
/// file `observed` (the same file name), when that is after `until`.
fn fitted_after(source: Option<&String>, observed: &str, until: YearMonth) -> Option<YearMonth> {
    let file = |p: &str| std::path::Path::new(p).file_name().map(|n| n.to_os_string());
    let (name, to) = super::write_model::fitted_to(source?)?;
    (file(name) == file(observed) && to > until).then_some(to)
}

/// The parameters of `model` whose source says `dinarflow fit` fitted them
/// to the observed file `observed` (the same file name) up to a month
/// after `until`, and that the backtest does not refit (`refit`) or
/// `--set`: the test rows after `until` were in their fit, so the scores
/// flatter the model. One warning for them all; none when there are none.
pub fn fitted_past(model: &Model, observed: &str, until: YearMonth, refit: &[String]) -> Vec<String> {
    let refitted: Vec<&str> = refit
        .iter()
        .map(|r| r.split_once('=').map_or(r.as_str(), |(p, _)| p).trim())
        .collect();
    // Fitted to `observed` up to a month after `until`.
    let past = |source: Option<&String>| fitted_after(source, observed, until).map(|to| to.to_string());
    let mut found: Vec<(String, String)> = Vec::new();
    for id in model.base.ids() {
        let p = model.base.param(id);
        let path = model.base.path(id);
        if p.origin.set_with.is_none() && !refitted.contains(&path.as_str()) {
            if let Some(to) = past(p.origin.source.as_ref()) {
                found.push((path, to));
            }
        }
    }
    for c in &model.changes {
        let path = model.base.path(c.param);
        let step = format!("{path}@{}", c.month);
        let named = |r: &&str| *r == path || *r == step || r.strip_suffix("..") == Some(step.as_str());
        if c.value.origin.set_with.is_none() && !refitted.iter().any(named) {
            if let Some(to) = past(c.value.origin.source.as_ref()) {
                found.push((step, to));
            }
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    let last = found.iter().map(|f| f.1.clone()).max().unwrap_or_default();
    let names: Vec<String> = found.into_iter().map(|f| f.0).collect();
    let one = names.len() == 1;
    vec![format!(
        "{} {} fitted to {observed} up to {last} (as {}), after the training window that ends {until}: \
         the test rows were in that fit, so the scores flatter the model; --refit {it} (or --set {it}) to score a forecast made without them",
        names.join(", "),
        if one { "was" } else { "were" },
        if one { "its source says" } else { "their sources say" },
        it = if one { "it" } else { "them" },
    )]
}
