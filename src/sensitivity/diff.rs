//! `diff`: what moved between two briefings, and why. Both models are run
//! and their summaries set side by side; the assumptions whose values
//! differ in any month are listed (base values and timeline changes alike,
//! compared month by month); and each metric's change is attributed to
//! those differences by running hybrids of the two models, each
//! difference taken with its whole per-month schedule from A or from B.
//!
//! Attribution needs both models on the same months with the same named
//! entries (buyers, basket items, …): a hybrid of models that run over
//! different months has no meaning. For other pairs the summaries and the
//! differing assumptions are still shown, with a note saying why there is
//! no attribution. Different auction calendars over the same months
//! (weekend, holidays) count as one more difference.

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::attribution::{one_at_a_time, shapley, MAX_SHAPLEY};
use super::refusal::Refusal;
use super::{metric_name, metric_values, Progress};

use crate::engine::metrics::{MetricId, MetricRef};
use crate::engine::{self, EngineError, Plan, Run};
use crate::error::Error;
use crate::model::{Model, ParamId, Params};
use crate::num::decimal::{clean, round4, Overflow};
use crate::render::thousands;

/// The name of the auction-calendar difference.
pub const CALENDAR: &str = "auction calendar (weekend, holidays)";

/// One metric in both models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// The metric as named on the command line, e.g. `parallel_rate` or `premium_pct:max`.
    pub metric: String,
    /// Its value in model A (over the period unless it names a month), in its unit.
    pub a: Decimal,
    /// Its value in model B.
    pub b: Decimal,
    /// `b - a`.
    pub change: Decimal,
    /// `100 × change / |a|`, rounded to 4 places; `None` when `a` is 0
    /// or the metric is in percent (its change is in percentage points).
    pub change_pct: Option<Decimal>,
}

impl SummaryRow {
    /// Whether the metric is in percent, so that its change is in
    /// percentage points and it has no change %.
    pub fn in_points(&self) -> bool {
        self.change_pct.is_none() && !self.a.is_zero()
    }
}

/// An assumption that differs, each side described over the timeline:
/// its first value, then each later value with the month it starts
/// (`["0.6", "0.7 from 2022-12"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The parameter's path, or [`CALENDAR`] for the auction calendar.
    pub path: String,
    /// Model A's side: its first value, then each later value with its month.
    pub a: Vec<String>,
    /// Model B's side, described the same way.
    pub b: Vec<String>,
}

/// How a metric's change splits among the differences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts {
    /// The metric's name.
    pub metric: String,
    /// Its change from A to B, in the metric's unit: what the parts split.
    pub change: Decimal,
    /// One per difference, in the order of [`Attribution::factors`].
    pub parts: Vec<Decimal>,
    /// One at a time only: the change the single switches leave unexplained.
    pub interactions: Option<Decimal>,
}

/// How a metric's change is split among the differences: Shapley up to
/// [`MAX_SHAPLEY`] differences, one at a time beyond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Exact Shapley values over all 2^k combinations.
    Shapley,
    /// Each difference switched alone, plus the interaction remainder.
    OneAtATime,
}

/// Each metric's change from A to B split among the differences, from runs of hybrid
/// models (each difference with its whole per-month schedule from A or from B).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// Shapley or one at a time.
    pub method: Method,
    /// The differences, in the order they are switched and listed.
    pub factors: Vec<String>,
    /// The split of each compared metric, in the order of [`Comparison::summary`].
    pub metrics: Vec<Parts>,
    /// Model runs it took.
    pub runs: usize,
}

/// Everything `diff` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Each compared metric in A and in B.
    pub summary: Vec<SummaryRow>,
    /// The metrics of an entry one model has and the other lacks (a buyer
    /// named in one only), which cannot be compared: A's, then B's.
    pub only_in: (Vec<String>, Vec<String>),
    /// The assumptions whose values differ in any month.
    pub differences: Vec<Difference>,
    /// `Err` says why there is no attribution.
    pub attribution: Result<Attribution, String>,
}

/// A factor the hybrids switch between A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Factor {
    Param(ParamId),
    Calendar,
}

/// `to − from`, or the overflow it is (two metrics of about ±8e28).
fn change_of(model: &Model, from: Decimal, to: Decimal) -> Result<Decimal, EngineError> {
    to.checked_sub(from).ok_or_else(|| {
        super::overflow(
            model,
            Overflow {
                what: "the change of a metric from A to B",
            },
        )
    })
}

/// `100 × change / base` (`base` > 0), exact where `100 × change` fits,
/// or the overflow it is (a change of about 8e26 on a base below 1).
fn percent_of(model: &Model, change: Decimal, base: Decimal) -> Result<Decimal, EngineError> {
    Decimal::ONE_HUNDRED
        .checked_mul(change)
        .and_then(|p| p.checked_div(base))
        .or_else(|| change.checked_div(base)?.checked_mul(Decimal::ONE_HUNDRED))
        .ok_or_else(|| {
            super::overflow(
                model,
                Overflow {
                    what: "the change of a metric from A to B in percent",
                },
            )
        })
}

/// Compares `a` with `b` on `metric_texts` (every metric both have when empty).
pub fn compare(
    a: &Model,
    b: &Model,
    metric_texts: &[String],
    progress: &dyn Progress,
) -> Result<Comparison, Error> {
    let metrics = metric_pairs(a, b, metric_texts)?;
    let (sa, sb) = (a.schedule(), b.schedule());
    let (run_a, run_b) = rayon::join(|| engine::run(a), || engine::run(b));
    let (run_a, run_b) = (run_a?, run_b?);
    let refs_a: Vec<MetricRef> = metrics.iter().map(|m| m.0).collect();
    let refs_b: Vec<MetricRef> = metrics.iter().map(|m| m.1).collect();
    let va = metric_values(a, &run_a, &refs_a)?;
    let vb = metric_values(b, &run_b, &refs_b)?;
    let summary = summary_rows(a, &refs_a, &va, &vb)?;
    let only_in = if metric_texts.is_empty() {
        (unpaired(a, b), unpaired(b, a))
    } else {
        (Vec::new(), Vec::new())
    };
    if let Some(why) = no_attribution(a, b) {
        return Ok(Comparison {
            summary,
            only_in,
            differences: differences_by_path(a, b, &sa, &sb),
            attribution: Err(why),
        });
    }
    let Switches {
        factors,
        differences,
        inheriting,
    } = switches(a, b, &sa, &sb);
    let k = factors.len();
    let method = if k <= MAX_SHAPLEY {
        Method::Shapley
    } else {
        Method::OneAtATime
    };
    let hybrids = method.hybrids(k);
    progress.start(hybrids.len() as u64);
    let (pa, pb) = (Plan::new(a, &[]), Plan::new(b, &[]));
    let values: Vec<Vec<Decimal>> = hybrids
        .par_iter()
        .map(|from_b| {
            let run = hybrid(&pa, &pb, &factors, &inheriting, from_b);
            progress.tick();
            run.and_then(|r| metric_values(a, &r, &refs_a))
        })
        .collect::<Result<_, EngineError>>()?;
    progress.finish();
    let parts = refs_a
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let column: Vec<Decimal> = values.iter().map(|v| v[i]).collect();
            method.split(a, metric_name(a, m), k, &column)
        })
        .collect::<Result<_, EngineError>>()?;
    Ok(Comparison {
        summary,
        only_in,
        differences,
        attribution: Ok(Attribution {
            method,
            factors: factors
                .iter()
                .map(|f| match f {
                    Factor::Param(id) => a.base.path(*id),
                    Factor::Calendar => CALENDAR.to_string(),
                })
                .collect(),
            metrics: parts,
            runs: hybrids.len(),
        }),
    })
}

/// Each metric in A (`va`) and in B (`vb`), with its change.
fn summary_rows(
    a: &Model,
    refs: &[MetricRef],
    va: &[Decimal],
    vb: &[Decimal],
) -> Result<Vec<SummaryRow>, EngineError> {
    refs.iter()
        .zip(va.iter().zip(vb))
        .map(|(m, (x, y))| {
            let change = clean(change_of(a, *x, *y)?);
            // A metric in percent changes by percentage points (the
            // change); a percent change of a percentage says nothing.
            let change_pct = if x.is_zero() || m.id.unit() == "%" {
                None
            } else {
                Some(clean(round4(percent_of(a, change, x.abs())?)))
            };
            Ok(SummaryRow {
                metric: metric_name(a, m),
                a: *x,
                b: *y,
                change,
                change_pct,
            })
        })
        .collect()
}

/// Why `a` and `b` cannot be attributed, if they cannot: other months, or
/// other named entries.
fn no_attribution(a: &Model, b: &Model) -> Option<String> {
    let same_months = a.timeline.months.len() == b.timeline.months.len()
        && a.timeline
            .months
            .iter()
            .zip(&b.timeline.months)
            .all(|(x, y)| x.month == y.month);
    if !same_months {
        return Some(format!(
            "no attribution: A runs {} and B runs {}; attribution switches assumptions month by month, so it needs both models on the same months",
            span(a),
            span(b)
        ));
    }
    (a.base.paths() != b.base.paths()).then(|| {
        "no attribution: the models have different named entries (buyers, deductions, payments, banks or basket items), so an assumption of one has no counterpart in the other".to_string()
    })
}

/// What the hybrids switch between A and B: the factors, each described
/// as a difference, and the bank groups that move with the auction's rate.
struct Switches {
    factors: Vec<Factor>,
    differences: Vec<Difference>,
    inheriting: Vec<ParamId>,
}

/// The factors that differ between `a` and `b` (schedules `sa`, `sb`).
fn switches(a: &Model, b: &Model, sa: &[Params], sb: &[Params]) -> Switches {
    let mut factors = Vec::new();
    let mut differences = Vec::new();
    if a.timeline.months != b.timeline.months {
        factors.push(Factor::Calendar);
        differences.push(Difference {
            path: CALENDAR.into(),
            a: vec![calendar(a)],
            b: vec![calendar(b)],
        });
    }
    // A bank group without a rate of its own, in every month of both
    // models, is screened at `auction.rejection_rate`: it moves with that
    // factor rather than as one of its own.
    let inheriting: Vec<ParamId> = (0..a.base.auction.banks.len())
        .filter(|&i| {
            [sa, sb].iter().all(|s| {
                s.iter()
                    .all(|p| p.auction.banks.get(i).is_some_and(|k| k.rejection_rate.is_none()))
            })
        })
        .map(ParamId::BankRejectionRate)
        .collect();
    for id in a.base.ids() {
        if inheriting.contains(&id) {
            continue;
        }
        let xa: Vec<Decimal> = sa.iter().map(|p| p.get(id)).collect();
        let xb: Vec<Decimal> = sb.iter().map(|p| p.get(id)).collect();
        if xa != xb {
            factors.push(Factor::Param(id));
            differences.push(Difference {
                path: a.base.path(id),
                a: describe(a, &xa),
                b: describe(b, &xb),
            });
        }
    }
    Switches {
        factors,
        differences,
        inheriting,
    }
}

impl Method {
    /// Which of `k` differences each run takes from B. Shapley: every
    /// combination, difference j from B when bit j of the index is set, so
    /// the last run is B. One at a time: A, B, then each difference alone.
    fn hybrids(self, k: usize) -> Vec<Vec<bool>> {
        match self {
            Method::Shapley => (0..1usize << k)
                .map(|s| (0..k).map(|j| s & (1 << j) != 0).collect())
                .collect(),
            Method::OneAtATime => {
                let mut h = vec![vec![false; k], vec![true; k]];
                h.extend((0..k).map(|j| (0..k).map(|i| i == j).collect()));
                h
            }
        }
    }

    /// The split of metric `name`'s change among `k` differences, from its
    /// value in each hybrid run (`column`, in the order of [`Method::hybrids`]).
    fn split(self, a: &Model, name: String, k: usize, column: &[Decimal]) -> Result<Parts, EngineError> {
        Ok(match self {
            Method::Shapley => {
                let dp = column.iter().map(|x| x.scale()).max().unwrap_or(0);
                let shares = shapley(k, column, dp).map_err(|e| super::overflow(a, e))?;
                Parts {
                    metric: name,
                    change: clean(change_of(a, column[0], column[column.len() - 1])?),
                    parts: shares.into_iter().map(clean).collect(),
                    interactions: None,
                }
            }
            Method::OneAtATime => {
                let (single, rest) =
                    one_at_a_time(column[0], &column[2..], column[1]).map_err(|e| super::overflow(a, e))?;
                Parts {
                    metric: name,
                    change: clean(change_of(a, column[0], column[1])?),
                    parts: single.into_iter().map(clean).collect(),
                    interactions: Some(clean(rest)),
                }
            }
        })
    }
}

/// Runs A with the factors marked in `from_b` taken from B, each with its
/// whole per-month series (a bank that follows the auction's rate keeps
/// its own series, so switching the auction's rate does not move a bank's
/// that is the same in A and B).
fn hybrid(
    pa: &Plan<'_>,
    pb: &Plan<'_>,
    factors: &[Factor],
    inheriting: &[ParamId],
    from_b: &[bool],
) -> Result<Run, EngineError> {
    let mut plan = pa.clone();
    for (f, take_b) in factors.iter().zip(from_b) {
        match (f, take_b) {
            (Factor::Param(ParamId::RejectionRate), true) => {
                plan.splice(ParamId::RejectionRate, pb);
                for id in inheriting {
                    plan.splice(*id, pb);
                }
            }
            (Factor::Param(id), true) => plan.splice(*id, pb),
            (Factor::Calendar, true) => plan.months.clone_from(&pb.months),
            _ => {}
        }
    }
    engine::run_plan(&plan, &[], false)
}

/// The metrics of `a` that `b` does not have (by name).
fn unpaired(a: &Model, b: &Model) -> Vec<String> {
    MetricId::all(&a.base)
        .into_iter()
        .map(|id| id.name(&a.base))
        .filter(|name| MetricRef::parse(name, &b.base, &b.timeline).is_err())
        .collect()
}

/// Pairs each metric of A with the same metric of B (by name).
fn metric_pairs(a: &Model, b: &Model, texts: &[String]) -> Result<Vec<(MetricRef, MetricRef)>, Error> {
    if texts.is_empty() {
        return Ok(MetricId::all(&a.base)
            .into_iter()
            .filter_map(|id| {
                let name = id.name(&a.base);
                let rb = MetricRef::parse(&name, &b.base, &b.timeline).ok()?;
                Some((MetricRef::new(id), rb))
            })
            .collect());
    }
    texts
        .iter()
        .map(|t| {
            let side = |m: &Model| {
                MetricRef::parse(t, &m.base, &m.timeline).map_err(|why| Refusal::MetricIn {
                    text: t.clone(),
                    file: m.file.name.clone(),
                    why,
                })
            };
            Ok((side(a)?, side(b)?))
        })
        .collect()
}

fn span(m: &Model) -> String {
    format!(
        "{} to {} ({} months)",
        m.timeline.start,
        m.timeline.end(),
        m.timeline.months.len()
    )
}

fn calendar(m: &Model) -> String {
    let sessions: u32 = m.timeline.months.iter().map(|x| x.sessions).sum();
    format!("{sessions} auction sessions")
}

/// A per-month series in words: `["0.6", "0.7 from 2022-12", "0.8 from 2023-01"]`.
fn describe(m: &Model, xs: &[Decimal]) -> Vec<String> {
    let mut out = Vec::new();
    let mut last: Option<Decimal> = None;
    for (x, info) in xs.iter().zip(&m.timeline.months) {
        if last == Some(*x) {
            continue;
        }
        let v = thousands(clean(x.normalize()));
        if last.is_none() {
            out.push(v);
        } else {
            out.push(format!("{v} from {}", info.month));
        }
        last = Some(*x);
    }
    out
}

/// Differences by path for models that cannot be switched month by month.
fn differences_by_path(a: &Model, b: &Model, sa: &[Params], sb: &[Params]) -> Vec<Difference> {
    let mut out = vec![];
    if span(a) != span(b) {
        out.push(Difference {
            path: "timeline".into(),
            a: vec![span(a)],
            b: vec![span(b)],
        });
    }
    let side = |m: &Model, s: &[Params], path: &str| -> Vec<String> {
        match m.base.resolve(path) {
            Ok(id) => describe(m, &s.iter().map(|p| p.get(id)).collect::<Vec<_>>()),
            Err(_) => vec!["—".into()],
        }
    };
    let mut paths = a.base.paths();
    paths.extend(b.base.paths().into_iter().filter(|p| a.base.resolve(p).is_err()));
    for path in paths {
        let (x, y) = (side(a, sa, &path), side(b, sb, &path));
        if x != y {
            out.push(Difference { path, a: x, b: y });
        }
    }
    out
}
