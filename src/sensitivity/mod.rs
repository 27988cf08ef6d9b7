//! Sensitivity and scenario analysis: which assumptions move the briefing
//! numbers, and by how much. Every command here evaluates one already
//! parsed and validated model many times with some parameters replaced for
//! the whole timeline (exactly what `--set` does), in parallel, with the
//! results in a deterministic order. The model file is never re-read.
//!
//! The shared piece is [`Evaluator`]: it takes the model's month-by-month
//! schedule once, and for each evaluation only overwrites the replaced
//! parameters in a per-thread copy before running the engine.

pub mod attribution;
pub mod diff;
pub mod explain;
pub mod solve;
pub mod spec;
pub mod sweep;
pub mod tornado;

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::engine::{self, EngineError, Run};
use crate::error::Error;
use crate::metrics::MetricRef;
use crate::model::{Model, Param, ParamId, Params};
use crate::number::{clean, Overflow};

/// Parameters replaced for the whole timeline in one evaluation.
pub type Assignment = Vec<(ParamId, Decimal)>;

/// Reports how far a long computation has got. The library only counts;
/// whoever runs it decides whether and where to draw anything.
pub trait Progress: Sync {
    /// `total` evaluations are about to run.
    fn start(&self, total: u64);
    /// One evaluation finished.
    fn tick(&self);
    /// All evaluations finished (or failed).
    fn finish(&self);
}

/// Progress that is not shown.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

impl Progress for indicatif::ProgressBar {
    fn start(&self, total: u64) {
        self.set_length(total);
        self.set_position(0);
    }
    fn tick(&self) {
        self.inc(1);
    }
    fn finish(&self) {
        self.finish_and_clear();
    }
}

/// Runs one model many times with parameters replaced for the whole
/// timeline, as `--set` replaces them.
pub struct Evaluator<'m> {
    pub model: &'m Model,
    schedule: Vec<Params>,
}

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m Model) -> Self {
        Evaluator {
            model,
            schedule: model.schedule(),
        }
    }

    /// The model's own per-month parameters.
    pub fn schedule(&self) -> &[Params] {
        &self.schedule
    }

    /// Checks that every replacement is one `--set` would accept (range,
    /// money to the cent, sums that must hold in every month), and says
    /// which value is wrong when one is not.
    pub fn check(&self, assignment: &[(ParamId, Decimal)]) -> Result<(), Error> {
        let mut probe = self.model.clone();
        for &(id, value) in assignment {
            probe.set_value(id, value).map_err(|p| {
                Error::Usage(format!(
                    "{} = {} is not allowed: {}",
                    self.model.base.path(id),
                    clean(value),
                    p.headline()
                ))
            })?;
        }
        Ok(())
    }

    /// One run with `assignment` in force for the whole timeline.
    pub fn run(&self, assignment: &[(ParamId, Decimal)]) -> Result<Run, EngineError> {
        let mut scratch = self.schedule.clone();
        self.run_in(&mut scratch, assignment)
    }

    /// Like [`Evaluator::run`], reusing `scratch` (a copy of the schedule)
    /// and restoring it afterwards, so a thread clones the schedule once.
    fn run_in(&self, scratch: &mut [Params], assignment: &[(ParamId, Decimal)]) -> Result<Run, EngineError> {
        for month in scratch.iter_mut() {
            for &(id, value) in assignment {
                month.set(id, Param::new(value));
            }
        }
        let run = engine::run_schedule(&self.model.timeline.months, scratch, false);
        for (month, base) in scratch.iter_mut().zip(&self.schedule) {
            for &(id, _) in assignment {
                restore(month, base, id);
            }
        }
        run
    }

    /// Evaluates `metrics` for each assignment, in parallel, in the order
    /// given, ticking `progress` once per evaluation.
    pub fn evaluate(
        &self,
        points: &[Assignment],
        metrics: &[MetricRef],
        progress: &dyn Progress,
    ) -> Result<Vec<Vec<Decimal>>, Error> {
        let results = self.try_evaluate(points, metrics, progress);
        results.into_iter().map(|r| r.map_err(Error::from)).collect()
    }

    /// Like [`Evaluator::evaluate`], but keeps a failed evaluation (an
    /// overflow at an extreme value) as an error in its place.
    pub fn try_evaluate(
        &self,
        points: &[Assignment],
        metrics: &[MetricRef],
        progress: &dyn Progress,
    ) -> Vec<Result<Vec<Decimal>, EngineError>> {
        progress.start(points.len() as u64);
        let out = points
            .par_iter()
            .map_init(
                || self.schedule.clone(),
                |scratch, a| {
                    let values = self
                        .run_in(scratch, a)
                        .and_then(|run| metric_values(self.model, &run, metrics));
                    progress.tick();
                    values
                },
            )
            .collect();
        progress.finish();
        out
    }
}

/// Puts `id` of `base` back into `month` exactly, including a bank that
/// had no rejection rate of its own (it follows the auction's again).
fn restore(month: &mut Params, base: &Params, id: ParamId) {
    match id {
        ParamId::BankRejectionRate(i) => {
            month.auction.banks[i]
                .rejection_rate
                .clone_from(&base.auction.banks[i].rejection_rate);
        }
        _ => month.set(id, Param::new(base.get(id))),
    }
}

/// The referenced numbers of a run, in order.
pub fn metric_values(model: &Model, run: &Run, metrics: &[MetricRef]) -> Result<Vec<Decimal>, EngineError> {
    metrics
        .iter()
        .map(|m| m.evaluate(run).map(clean).map_err(|e| overflow(model, e)))
        .collect()
}

/// An overflow while summarising, as the engine error it is.
pub fn overflow(model: &Model, source: Overflow) -> EngineError {
    EngineError::Overflow {
        month: model.timeline.end(),
        source,
    }
}

/// Parses `--metric` references (`parallel_rate:max@2023-01`) against a model.
pub fn parse_metrics(model: &Model, texts: &[String]) -> Result<Vec<MetricRef>, Error> {
    texts
        .iter()
        .map(|t| {
            MetricRef::parse(t, &model.base, &model.timeline)
                .map_err(|e| Error::Usage(format!("--metric {t}: {e}")))
        })
        .collect()
}

/// Parses one metric reference, as a usage error when it names nothing.
pub fn parse_metric(model: &Model, text: &str) -> Result<MetricRef, Error> {
    MetricRef::parse(text, &model.base, &model.timeline).map_err(Error::Usage)
}

/// What trying values of `id` replaces, to be said on stderr as `--set`
/// says it: the `[[changes]]` of that path are dropped for every value.
pub fn replaced_note(model: &Model, id: ParamId, flag: &str) -> Option<String> {
    let months: Vec<String> = model.changes_of(id).map(|c| c.month.to_string()).collect();
    (!months.is_empty()).then(|| {
        format!(
            "note: {flag} {} holds each value for the whole timeline; it replaces the [[changes]] from {}",
            model.base.path(id),
            months.join(", ")
        )
    })
}

/// Resolves a parameter path, as a usage error listing the nearest paths.
pub fn resolve(model: &Model, path: &str) -> Result<ParamId, Error> {
    let id = model.resolve_path(path.trim()).map_err(Error::Usage)?;
    Ok(id)
}

/// A metric reference as the user writes it.
pub fn metric_name(model: &Model, m: &MetricRef) -> String {
    m.display(&model.base).to_string()
}

/// Decimal places a parameter is tried at: cents for money, otherwise the
/// six places MODEL.md §2 uses for drawn values.
pub fn places(id: ParamId) -> u32 {
    if id.kind().is_money() {
        2
    } else {
        6
    }
}

/// `x` rounded (half to even) to the places of `id`, trailing zeros dropped.
pub fn round_for(id: ParamId, x: Decimal) -> Decimal {
    x.round_dp_with_strategy(places(id), rust_decimal::RoundingStrategy::MidpointNearestEven)
        .normalize()
}

/// `1 run`, `2 runs`.
pub fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};
    use crate::metrics::{Core, MetricId};

    #[test]
    fn an_evaluation_equals_a_run_of_the_model_with_the_value_set() {
        let m = model();
        let ev = Evaluator::new(&m);
        let id = ParamId::RejectionRate;
        let mut set = m.clone();
        set.set_value(id, d("0.65")).unwrap();
        let direct = engine::run(&set).unwrap();
        assert_eq!(ev.run(&[(id, d("0.65"))]).unwrap().months, direct.months);
        // The scratch copy is restored: the base run is unchanged afterwards.
        let metrics = [MetricRef::new(MetricId::Core(Core::ParallelRate))];
        let points = vec![vec![(id, d("0.65"))], vec![], vec![(id, d("0.65"))]];
        let v = ev.evaluate(&points, &metrics, &Silent).unwrap();
        let base = engine::run(&m).unwrap();
        assert_eq!(v[1][0], metrics[0].evaluate(&base).unwrap());
        assert_eq!(v[0], v[2]);
    }

    #[test]
    fn checks_name_the_value_and_the_rule() {
        let m = model();
        let ev = Evaluator::new(&m);
        let e = ev.check(&[(ParamId::RejectionRate, d("1.2"))]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "error: auction.rejection_rate = 1.2 is not allowed: auction.rejection_rate: 1.2 is out of range (allowed: 0 to 1)"
        );
        assert!(ev.check(&[(ParamId::BuyerShare(0), d("0.4"))]).is_err());
        assert!(ev.check(&[(ParamId::RejectionRate, d("1"))]).is_ok());
    }

    #[test]
    fn rounding_follows_the_kind() {
        assert_eq!(round_for(ParamId::CashPerMonth, d("1.005")), d("1"));
        assert_eq!(round_for(ParamId::RejectionRate, d("0.12345675")), d("0.123457"));
    }
}
