//! Sensitivity and scenario analysis: which assumptions move the briefing
//! numbers, and by how much. Every command here evaluates one already
//! parsed and validated model many times with some parameters replaced for
//! the whole timeline (exactly what `--set` does), in parallel, with the
//! results in a deterministic order. The model file is never re-read.
//!
//! The shared piece is [`Evaluator`]: it checks replaced values the way
//! `--set` does and runs batches of evaluations through the engine's
//! [`Kernel`], one kernel per set of replaced parameters.

pub mod attribution;
pub mod diff;
pub mod dry;
pub mod explain;
pub mod form;
pub mod refusal;
pub mod solve;
pub mod spec;
pub mod sweep;
pub mod tornado;

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::engine::kernel::{Kernel, LANES};
use crate::engine::metrics::MetricRef;
use crate::engine::plan::Plan;
use crate::engine::{self, EngineError, Run};
use crate::error::Error;
use crate::model::{Model, ParamId};
use crate::num::decimal::{clean, Overflow};
use refusal::Refusal;

pub use crate::engine::plan::Target;

/// What one evaluation changes: each target (a parameter for the whole
/// timeline, one step of its timeline, or all of it scaled) with its value.
pub type Assignment = Vec<(Target, Decimal)>;

/// `id` replaced by `value` for the whole timeline, as `--set` does.
pub fn whole(id: ParamId, value: Decimal) -> (Target, Decimal) {
    (Target::Whole(id), value)
}

/// Reports how far a long computation has got. The library only counts;
/// whoever runs it decides whether and where to draw anything.
pub trait Progress: Sync {
    /// `total` evaluations are about to run.
    fn start(&self, total: u64);
    /// One evaluation finished.
    fn tick(&self);
    /// All evaluations finished (or failed).
    fn finish(&self);
    /// A point in a long stretch of work that counts no evaluations
    /// (arranging correlated draws, a step of a fit's search) where the
    /// caller may stop it, as it may at a [`Progress::tick`]; counts
    /// nothing and, by default, does nothing. Called at a coarse grain
    /// (per block of thousands of draws, per batch of runs), never per
    /// inner operation.
    fn check(&self) {}
}

/// Progress that is not shown.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: u64) {}
    fn tick(&self) {}
    fn finish(&self) {}
}

/// Progress kept in counters, for another thread to read and show.
#[derive(Debug, Default)]
pub struct Counter {
    total: AtomicU64,
    done: AtomicU64,
}

impl Counter {
    /// Evaluations in the current batch.
    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    /// Evaluations of the current batch finished so far.
    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }
}

impl Progress for Counter {
    fn start(&self, total: u64) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }
    fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }
    fn finish(&self) {
        self.done.store(self.total(), Ordering::Relaxed);
    }
}

/// Runs one model many times with parameters replaced for the whole
/// timeline, as `--set` replaces them, through the engine's [`Kernel`].
pub struct Evaluator<'m> {
    /// The model run: its file's values and `[[changes]]`, except the parameters replaced.
    pub model: &'m Model,
}

impl<'m> Evaluator<'m> {
    /// An evaluator of `model`.
    pub fn new(model: &'m Model) -> Self {
        Evaluator { model }
    }

    /// Checks that every replacement is one `--set` would accept (range,
    /// money to the cent, sums that must hold in every month), and says
    /// which value is wrong when one is not.
    pub fn check(&self, assignment: &[(Target, Decimal)]) -> Result<(), Error> {
        self.refusal(assignment).map_err(Error::from)
    }

    /// [`Evaluator::check`], with the refusal kept apart from its wording
    /// (`tornado` lists why a parameter cannot move).
    pub(crate) fn refusal(&self, assignment: &[(Target, Decimal)]) -> Result<(), Refusal> {
        let mut probe = self.model.clone();
        // An evaluation does not draw: a parameter in [uncertainty] is
        // simply at its base schedule, which a step or a factor may change.
        probe
            .uncertainty
            .retain(|u| assignment.iter().all(|a| a.0.param() != u.param));
        for &(target, value) in assignment {
            let refused = |why: String| Refusal::NotAllowed {
                shown: self.shown(target),
                value: clean(value),
                why,
            };
            let month = |m: usize| self.model.timeline.months[m].month;
            match target {
                Target::Whole(id) => {
                    probe.set_value(id, value).map_err(|p| refused(p.one_line()))?;
                }
                Target::Step(id, m) => probe.set_step_value(id, month(m), value).map_err(refused)?,
                Target::From(id, m) => probe.set_from_value(id, month(m), value).map_err(refused)?,
                Target::Scale(id) => probe.scale_value(id, value).map_err(refused)?,
            }
        }
        // A bank that follows the auction's rate faces it times its
        // factor: together they must stay in range (as `--set` checks).
        if let Some(outside) = probe.follower_out_of_range() {
            let shown: Vec<String> = assignment
                .iter()
                .filter(|a| {
                    matches!(
                        a.0.param(),
                        ParamId::RejectionRate | ParamId::BankRejectionRate(_)
                    )
                })
                .map(|a| format!("{} = {}", self.shown(a.0), clean(a.1)))
                .collect();
            return Err(Refusal::Follower {
                shown: shown.join(", "),
                outside,
            });
        }
        Ok(())
    }

    /// A replacement as the user names it: `PATH`, `PATH@YYYY-MM`,
    /// `PATH@YYYY-MM..` or `PATH*`.
    fn shown(&self, target: Target) -> String {
        let path = self.model.base.path(target.param());
        let month = |m: usize| self.model.timeline.months[m].month;
        match target {
            Target::Whole(_) => path,
            Target::Step(_, m) => format!("{path}@{}", month(m)),
            Target::From(_, m) => format!("{path}@{}..", month(m)),
            Target::Scale(_) => format!("{path}*"),
        }
    }

    /// One run with `assignment` in force.
    pub fn run(&self, assignment: &[(Target, Decimal)]) -> Result<Run, EngineError> {
        let targets: Vec<Target> = assignment.iter().map(|a| a.0).collect();
        let values: Vec<Decimal> = assignment.iter().map(|a| a.1).collect();
        engine::run_plan(&Plan::new(self.model, &targets), &values, false)
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
    /// overflow at an extreme value) as an error in its place. The points
    /// that replace the same parameters share a kernel, prepared and
    /// dropped in turn (memory does not grow with the number of
    /// parameters), and run on lanes in blocks.
    pub fn try_evaluate(
        &self,
        points: &[Assignment],
        metrics: &[MetricRef],
        progress: &dyn Progress,
    ) -> Vec<Result<Vec<Decimal>, EngineError>> {
        // Points grouped by what they replace, in order of first use (a
        // look-up per point: tornado has a group per parameter).
        let mut groups: Vec<(Vec<Target>, Vec<usize>)> = Vec::new();
        let mut group_of: std::collections::HashMap<Vec<Target>, usize> = std::collections::HashMap::new();
        for (i, a) in points.iter().enumerate() {
            let ids: Vec<Target> = a.iter().map(|x| x.0).collect();
            match group_of.get(&ids) {
                Some(&g) => groups[g].1.push(i),
                None => {
                    group_of.insert(ids.clone(), groups.len());
                    groups.push((ids, vec![i]));
                }
            }
        }
        progress.start(points.len() as u64);
        let m = metrics.len();
        let mut out: Vec<Option<Result<Vec<Decimal>, EngineError>>> =
            (0..points.len()).map(|_| None).collect();
        for (ids, members) in groups {
            let kernel = Kernel::with_targets(self.model, &ids, metrics);
            let k = ids.len();
            let results: Vec<Vec<Result<Vec<Decimal>, EngineError>>> = members
                .par_chunks(LANES)
                .map_init(
                    || kernel.block_scratch(),
                    |scratch, chunk| {
                        // A chunk begun after the caller asked to stop
                        // evaluates nothing (rayon runs every chunk it has
                        // split off before it passes an unwinding on).
                        progress.check();
                        let values: Vec<Decimal> = chunk
                            .iter()
                            .flat_map(|&i| points[i].iter().map(|x| x.1))
                            .collect();
                        let mut rows = vec![Decimal::ZERO; chunk.len() * m];
                        let mut errors: Vec<Option<EngineError>> = vec![None; chunk.len()];
                        debug_assert_eq!(values.len(), chunk.len() * k);
                        kernel.eval_points(scratch, &values, &mut rows, &mut errors);
                        for _ in chunk {
                            progress.tick();
                        }
                        errors
                            .into_iter()
                            .zip(rows.chunks(m.max(1)))
                            .map(|(e, row)| match e {
                                Some(e) => Err(e),
                                None => Ok(row[..m].to_vec()),
                            })
                            .collect()
                    },
                )
                .collect();
            for (i, r) in members.iter().zip(results.into_iter().flatten()) {
                out[*i] = Some(r);
            }
        }
        progress.finish();
        out.into_iter()
            .map(|r| r.unwrap_or_else(|| Ok(Vec::new())))
            .collect()
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
        .map(|t| parse_metric(model, t).map_err(|e| e.for_option("--metric", t)))
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

/// Refuses a `--set` (one of `sets`) that the `--vary` of `target`
/// (named `shown`) replaces in every month it sets, as two `--set` of
/// one path are refused: its value would never be used.
pub fn refuse_set_under(model: &Model, sets: &[String], target: Target, shown: &str) -> Result<(), Error> {
    use crate::model::Varied;
    let month = |at: usize| model.timeline.months.get(at).map(|m| m.month);
    let varied = match target {
        Target::Whole(_) => Some(Varied::Whole),
        Target::Step(_, at) => month(at).map(Varied::Step),
        Target::From(_, at) => month(at).map(Varied::From),
        Target::Scale(_) => None,
    };
    match varied {
        Some(v) => crate::model::refuse_set_under_vary(model, sets, target.param(), v, shown),
        None => Ok(()),
    }
}

/// What trying values of `target` holds, to be said on stderr as `--set`
/// says it: for a whole timeline, the `[[changes]]` it drops; for a step
/// (`PATH@YYYY-MM`) that a later step of PATH ends, which month ends it;
/// for `PATH@YYYY-MM..`, the later `[[changes]]` it drops.
pub fn target_note(model: &Model, target: Target, flag: &str) -> Option<String> {
    let month = |at: usize| model.timeline.months.get(at).map(|m| m.month);
    match target {
        Target::Whole(id) => replaced_note(model, id, flag),
        Target::Scale(_) => None,
        Target::Step(id, at) => {
            let m = month(at)?;
            let (n, w) = model.step_end(id, m)?;
            let path = model.base.path(id);
            Some(format!(
                "note: {flag} {path}@{m} holds each value {}, until its next step, from {n} ({}); \
                 {path}@{m}.. holds it to the end of the timeline ({})",
                crate::model::step_months(m, n),
                clean(w),
                model.timeline.end()
            ))
        }
        Target::From(id, at) => {
            let m = month(at)?;
            let months: Vec<String> = model
                .changes_of(id)
                .filter(|c| c.month > m)
                .map(|c| c.month.to_string())
                .collect();
            (!months.is_empty()).then(|| {
                format!(
                    "note: {flag} {}@{m}.. holds each value from {m} to the end of the timeline ({}); it replaces the [[changes]] from {}",
                    model.base.path(id),
                    model.timeline.end(),
                    months.join(", ")
                )
            })
        }
    }
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
/// six places docs/model.md §1.6 uses for drawn values.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::metrics::{Core, MetricId};
    use crate::engine::testing::{d, model};

    #[test]
    fn an_evaluation_equals_a_run_of_the_model_with_the_value_set() {
        let m = model();
        let ev = Evaluator::new(&m);
        let id = ParamId::RejectionRate;
        let mut set = m.clone();
        set.set_value(id, d("0.65")).unwrap();
        let direct = engine::run(&set).unwrap();
        assert_eq!(ev.run(&[whole(id, d("0.65"))]).unwrap().months, direct.months);
        // Evaluations in a batch do not leak into each other.
        let metrics = [MetricRef::new(MetricId::Core(Core::ParallelRate))];
        let points = vec![vec![whole(id, d("0.65"))], vec![], vec![whole(id, d("0.65"))]];
        let v = ev.evaluate(&points, &metrics, &Silent).unwrap();
        let base = engine::run(&m).unwrap();
        assert_eq!(v[1][0], metrics[0].evaluate(&base).unwrap());
        assert_eq!(v[0], v[2]);
    }

    #[test]
    fn a_counter_counts_every_evaluation_of_a_batch() {
        let m = model();
        let ev = Evaluator::new(&m);
        let metrics = [MetricRef::new(MetricId::Core(Core::ParallelRate))];
        let points: Vec<Assignment> = (0..50)
            .map(|i| vec![whole(ParamId::RejectionRate, Decimal::new(i, 2))])
            .collect();
        let c = Counter::default();
        ev.evaluate(&points, &metrics, &c).unwrap();
        assert_eq!((c.total(), c.done()), (50, 50));
        ev.evaluate(&points[..3], &metrics, &c).unwrap();
        assert_eq!((c.total(), c.done()), (3, 3));
    }

    #[test]
    fn checks_name_the_value_and_the_rule() {
        let m = model();
        let ev = Evaluator::new(&m);
        let e = ev.check(&[whole(ParamId::RejectionRate, d("1.2"))]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "error: auction.rejection_rate = 1.2 is not allowed: auction.rejection_rate: 1.2 is out of range (allowed: 0 to 1); shares are fractions of 1; if 1.2 is a percentage, write 0.012"
        );
        assert!(ev.check(&[whole(ParamId::BuyerShare(0), d("0.4"))]).is_err());
        assert!(ev.check(&[whole(ParamId::RejectionRate, d("1"))]).is_ok());
    }

    #[test]
    fn rounding_follows_the_kind() {
        assert_eq!(round_for(ParamId::CashPerMonth, d("1.005")), d("1"));
        assert_eq!(round_for(ParamId::RejectionRate, d("0.12345675")), d("0.123457"));
    }
}
