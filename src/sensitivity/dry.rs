//! Which runs of an analysis emptied the custody account. A sweep over
//! the oil price shows a parallel rate flat down to some price and
//! leaping below it: there the account ran dry, and from then the
//! approved wires it could not send went unmet. `run` and the brief say
//! when the model does this; an analysis runs the model many times, so
//! it says at which of its values it did, from one extra summary (the
//! account's lowest balance) evaluated with its metrics.

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::{Assignment, Evaluator};
use crate::calendar::YearMonth;
use crate::engine::metrics::{Agg, Core, MetricId, MetricRef};
use crate::model::Model;
use crate::report::custody_dry;

/// How many runs whose lowest balance is 0 are run again in full to see
/// whether they ran dry, when the account opens empty (an escrow that
/// fills with the first sales); beyond it the count is a lower bound.
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
    /// The dry runs a note names, in the analysis's order, with the month
    /// each ran dry in: all of them up to [`NAMED`], else the first and
    /// the last (the first alone when `at_least`).
    pub named: Vec<(usize, YearMonth)>,
}

/// The summary evaluated beside an analysis's metrics: the custody
/// account's lowest closing balance.
pub fn probe() -> MetricRef {
    MetricRef {
        agg: Agg::Min,
        ..MetricRef::new(MetricId::Core(Core::CustodyBalance))
    }
}

/// The runs among `points` that ran the account dry, given each one's
/// lowest balance ([`probe`]). An account that opens with dollars ran dry
/// exactly when its lowest balance is 0; one that opens empty, only if it
/// held dollars first, which a full run says.
pub fn dry_runs(ev: &Evaluator<'_>, points: &[Assignment], lowest: &[Decimal]) -> DryRuns {
    let empty: Vec<usize> = (0..points.len()).filter(|&i| lowest[i].is_zero()).collect();
    let model = ev.model;
    let month = |i: usize| ev.run(&points[i]).ok().and_then(|run| custody_dry(model, &run));
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
        let named = picked(&found, at_least);
        (found.len(), at_least, named)
    };
    DryRuns {
        runs: points.len(),
        dry,
        at_least,
        named,
    }
}

/// [`dry_runs`] of a few points (a goal seek's answers), each run in full.
pub fn dry_runs_of(ev: &Evaluator<'_>, points: &[Assignment]) -> DryRuns {
    let found: Vec<(usize, YearMonth)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let run = ev.run(p).ok()?;
            custody_dry(ev.model, &run).map(|m| (i, m))
        })
        .collect();
    DryRuns {
        runs: points.len(),
        dry: found.len(),
        at_least: false,
        named: picked(&found, false),
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

/// Rows evaluated with [`probe`] last: the rows without it, and each
/// row's lowest balance.
pub(crate) fn split(values: Vec<Vec<Decimal>>) -> (Vec<Vec<Decimal>>, Vec<Decimal>) {
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

/// The note an analysis prints when some of its runs ran the account dry,
/// each named run described by `label` ("exports.price_usd_per_bbl = 30").
pub fn dry_runs_note(model: &Model, d: &DryRuns, label: impl Fn(usize) -> String) -> Option<String> {
    if d.dry == 0 {
        return None;
    }
    let how_many = match (d.dry == d.runs, d.at_least) {
        (true, _) if d.runs == 1 => String::new(),
        (true, _) => format!("in every one of the {} runs", count(d.runs)),
        (false, true) => format!("in at least {} of the {} runs", count(d.dry), count(d.runs)),
        (false, false) => format!("in {} of the {} runs", count(d.dry), count(d.runs)),
    };
    let at = |&(i, m): &(usize, YearMonth)| format!("{} (in {})", label(i), m.short_name());
    let which = match d.named.as_slice() {
        [] => String::new(),
        [first] if d.dry > 1 => format!(", the first at {}", at(first)),
        [first, last] if d.dry > 2 => format!(", the first at {}, the last at {}", at(first), at(last)),
        [one] if d.runs == 1 => format!("at {}", at(one)),
        all => format!(
            ": at {}",
            crate::report::join_and(&all.iter().map(at).collect::<Vec<_>>())
        ),
    };
    Some(ran_dry(model, &format!("{how_many}{which}")))
}

/// "note: the custody account (…) ran dry `when`; from then …": the
/// note's whole sentence, with what follows from it.
pub fn ran_dry(model: &Model, when: &str) -> String {
    format!(
        "note: {} ran dry {when}; from then it pays out only what each month's revenue brings in, and {}",
        crate::report::custody_words(model),
        crate::report::dry_consequence(model)
    )
}

/// `n` as people read it: 1,200.
pub(crate) fn count(n: usize) -> String {
    crate::render::display(Decimal::from(n as u64), 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::model;

    fn ym(s: &str) -> YearMonth {
        s.parse().unwrap()
    }

    /// The note's words before "; from then", for runs labelled `v=I`.
    fn said(d: &DryRuns) -> Option<String> {
        let note = dry_runs_note(&model(), d, |i| format!("v={i}"))?;
        Some(note.split("; from then").next()?.to_string())
    }

    #[test]
    fn a_note_names_up_to_three_runs_else_the_first_and_the_last() {
        let custody = "note: the custody account (the CBI's account at the New York Fed) ran dry";
        let d = |runs, dry, at_least, named: &[(usize, &str)]| DryRuns {
            runs,
            dry,
            at_least,
            named: named.iter().map(|&(i, m)| (i, ym(m))).collect(),
        };
        assert_eq!(said(&d(5, 0, false, &[])), None);
        assert_eq!(
            said(&d(1, 1, false, &[(0, "2023-02")])).unwrap(),
            format!("{custody} at v=0 (in Feb 2023)")
        );
        assert_eq!(
            said(&d(5, 2, false, &[(1, "2023-02"), (4, "2023-01")])).unwrap(),
            format!("{custody} in 2 of the 5 runs: at v=1 (in Feb 2023) and v=4 (in Jan 2023)")
        );
        assert_eq!(
            said(&d(1200, 1200, false, &[(0, "2023-02"), (1199, "2023-01")])).unwrap(),
            format!(
                "{custody} in every one of the 1,200 runs, the first at v=0 (in Feb 2023), \
                 the last at v=1199 (in Jan 2023)"
            )
        );
        assert_eq!(
            said(&d(9000, 2000, true, &[(7, "2023-02")])).unwrap(),
            format!("{custody} in at least 2,000 of the 9,000 runs, the first at v=7 (in Feb 2023)")
        );
    }

    #[test]
    fn the_runs_named_are_all_of_three_or_the_ends_of_more() {
        assert_eq!(picked(&[1, 2, 3], false), vec![1, 2, 3]);
        assert_eq!(picked(&[1, 2, 3, 4], false), vec![1, 4]);
        assert_eq!(picked(&[1, 2], true), vec![1]);
        assert_eq!(picked::<usize>(&[], false), Vec::<usize>::new());
    }
}
