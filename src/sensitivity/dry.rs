//! Which runs of an analysis emptied the custody account. A sweep over
//! the oil price shows a parallel rate flat down to some price and
//! leaping below it: there the account ran dry, and from then the
//! approved wires it could not send went unmet. `run` and the brief say
//! when the model does this; an analysis runs the model many times, so
//! it finds at which of its values it did, from one extra summary (the
//! account's lowest balance) evaluated with its metrics. The words are
//! `report::dry`'s.

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::{Assignment, Evaluator};
use crate::calendar::YearMonth;
use crate::engine::metrics::{Agg, Core, MetricId, MetricRef};

/// How many runs whose lowest balance is 0 are run again in full to see
/// whether they ran dry, when the account opens empty (an escrow that
/// fills with the first sales, which may pay nothing until then); beyond
/// it the count is a lower bound.
const CONFIRMED: usize = 2_000;

/// How many dry runs a note names one by one; of more, it names the first
/// and the last.
pub const NAMED: usize = 3;

/// The runs of an analysis that emptied the custody account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DryRuns {
    /// How many runs there were.
    pub runs: usize,
    /// How many of them ran dry (at least, when `at_least`).
    pub dry: usize,
    /// Whether more may have: some runs were not looked at in full.
    pub at_least: bool,
    /// The dry runs a note names, in the analysis's order, each as
    /// `--set` writes its values (`exports.price_usd_per_bbl=30`) with the
    /// month it ran dry in: all of them up to [`NAMED`], else the first
    /// and the last (the first alone when `at_least`).
    pub named: Vec<(String, YearMonth)>,
}

/// The summary evaluated beside an analysis's metrics: the custody
/// account's lowest closing balance.
pub fn probe() -> MetricRef {
    MetricRef {
        agg: Agg::Min,
        ..MetricRef::new(MetricId::Core(Core::CustodyBalance))
    }
}

/// Rows evaluated with [`probe`] last: the rows without it, and each
/// row's lowest balance.
pub fn split(values: Vec<Vec<Decimal>>) -> (Vec<Vec<Decimal>>, Vec<Decimal>) {
    let mut lowest = Vec::with_capacity(values.len());
    let rows = values
        .into_iter()
        .map(|mut row| {
            lowest.push(row.pop().unwrap_or(Decimal::ONE));
            row
        })
        .collect();
    (rows, lowest)
}

/// The runs among `points` that ran the account dry, given each one's
/// lowest balance ([`probe`]), each named by `label`. Only a run whose
/// lowest balance is 0 can have (a dry account ends the month empty). An
/// account that opens with dollars then ran dry, but for a month that
/// paid everything and left exactly 0; one that opens empty may have been
/// asked nothing yet, so a full run says whether it ran dry.
pub fn dry_runs(
    ev: &Evaluator<'_>,
    points: &[Assignment],
    lowest: &[Decimal],
    label: impl Fn(usize) -> String,
) -> DryRuns {
    let empty: Vec<usize> = (0..points.len()).filter(|&i| lowest[i].is_zero()).collect();
    let model = ev.model;
    let month = |i: usize| ev.run(&points[i]).ok().and_then(|run| run.custody_dry(model));
    let opens_with_dollars = !model.base.custody.opening_balance.value.is_zero();
    let (dry, at_least, named) = if opens_with_dollars {
        let named = picked(&empty, false)
            .into_iter()
            .filter_map(|i| month(i).map(|m| (i, m)))
            .collect();
        (empty.len(), false, named)
    } else {
        let looked = &empty[..empty.len().min(CONFIRMED)];
        let found: Vec<(usize, YearMonth)> = looked
            .par_iter()
            .filter_map(|&i| month(i).map(|m| (i, m)))
            .collect();
        let at_least = looked.len() < empty.len();
        (found.len(), at_least, picked(&found, at_least))
    };
    DryRuns {
        runs: points.len(),
        dry,
        at_least,
        named: named.into_iter().map(|(i, m)| (label(i), m)).collect(),
    }
}

/// [`dry_runs`] of a few points (a goal seek's answers), each run in full.
pub fn dry_runs_of(ev: &Evaluator<'_>, points: &[Assignment], label: impl Fn(usize) -> String) -> DryRuns {
    let found: Vec<(usize, YearMonth)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| ev.run(p).ok()?.custody_dry(ev.model).map(|m| (i, m)))
        .collect();
    DryRuns {
        runs: points.len(),
        dry: found.len(),
        at_least: false,
        named: picked(&found, false)
            .into_iter()
            .map(|(i, m)| (label(i), m))
            .collect(),
    }
}

/// The ones of `all` a note names: every one up to [`NAMED`], else the
/// first and the last (the first alone when more may follow unseen).
fn picked<T: Copy>(all: &[T], at_least: bool) -> Vec<T> {
    match all {
        _ if all.len() <= NAMED && !at_least => all.to_vec(),
        [first, .., last] if !at_least => vec![*first, *last],
        [first, ..] => vec![*first],
        [] => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};
    use crate::sensitivity::whole;

    #[test]
    fn the_runs_named_are_all_of_three_or_the_ends_of_more() {
        assert_eq!(picked(&[1, 2, 3], false), vec![1, 2, 3]);
        assert_eq!(picked(&[1, 2, 3, 4], false), vec![1, 4]);
        assert_eq!(picked(&[1, 2], true), vec![1]);
        assert_eq!(picked::<usize>(&[], false), Vec::<usize>::new());
    }

    /// The small model's account (see tests/cli_sweep.rs for the sums):
    /// dry in February at $1,500,000 of debt service a month, in January
    /// at $3,000,000, never at $500,000.
    #[test]
    fn a_lowest_balance_of_0_is_a_dry_run_with_the_month_a_full_run_gives() {
        let m = model();
        let ev = Evaluator::new(&m);
        let id = m
            .base
            .resolve("custody.payments[Debt service].usd_per_month")
            .unwrap();
        let points: Vec<Assignment> = ["500000", "1500000", "3000000"]
            .iter()
            .map(|v| vec![whole(id, d(v))])
            .collect();
        let (_, lowest) = split(
            ev.evaluate(&points, &[probe()], &crate::sensitivity::Silent)
                .unwrap(),
        );
        assert!(!lowest[0].is_zero() && lowest[1].is_zero() && lowest[2].is_zero());
        let dry = dry_runs(&ev, &points, &lowest, |i| format!("point {i}"));
        let ym = |s: &str| s.parse::<YearMonth>().unwrap();
        assert_eq!(
            dry,
            DryRuns {
                runs: 3,
                dry: 2,
                at_least: false,
                named: vec![
                    ("point 1".into(), ym("2023-02")),
                    ("point 2".into(), ym("2023-01"))
                ],
            }
        );
        assert_eq!(dry_runs_of(&ev, &points, |i| format!("point {i}")), dry);
    }
}
