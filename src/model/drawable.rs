//! Whether an `[uncertainty]` entry can be drawn (docs/model.md §1.6): the
//! range a drawn value or factor must lie in (the parameter's allowed
//! range, narrowed by the rules of §2.8 in every month), its distribution
//! as drawn, and how much of that distribution lies in the range. An entry
//! of which less than [`MIN_IN_RANGE`] lies in its range is refused when
//! the file is loaded, and by `mc`, `sobol`, `morris` and `brief` when a
//! `--set` makes it so; `mc` draws from the same marginal.

use rust_decimal::Decimal;

use super::factor::{self, tighter};
use super::registry::ParamId;
use super::{rules, Model, Uncertain};
use crate::diagnostic::Problem;
use crate::sampling::{Bounds, Marginal, MAX_UNITS};

/// The least share of a distribution that must lie in its range. A draw
/// outside is redrawn: with 5% inside, 1,000 misses in a row (the limit of
/// §1.6) have a chance below 10^-22 per draw, while with 1% inside they
/// happen about once in 20,000 draws; and the draws of a distribution
/// mostly outside are the edge of the range, not the distribution written.
pub const MIN_IN_RANGE: f64 = 0.05;

/// The distribution of `u` ready to draw (rounded to cents or six places
/// and truncated to its range) and that range in words: `>= 0 and <= 1`
/// for a value, `a factor 0 to 1.25` for a factor. An error says why the
/// distribution cannot be sampled.
pub fn marginal(model: &Model, u: &Uncertain) -> Result<(Marginal, String), String> {
    if u.scale {
        let bounds = factor::bounds(model, u.param);
        let m = Marginal::new(&u.dist, factor::PLACES, bounds)?;
        return Ok((m, format!("a factor {}", factor::range_text(bounds))));
    }
    let kind = u.param.kind();
    let places = if kind.is_money() { 2 } else { 6 };
    let (rule_lo, rule_hi, follow_cap) = rule_bounds(model, u.param);
    let lo = match (kind.min(), rule_lo) {
        (Some((m, incl)), Some(x)) if m > x || (m == x && !incl) => Some((m, incl)),
        (_, Some(x)) => Some((x, true)),
        (own, None) => own,
    };
    let hi = tighter(tighter(kind.max(), rule_hi, Ord::min), follow_cap, Ord::min);
    let m = Marginal::new(&u.dist, places, Bounds::of(lo, hi, places))?;
    // A draw holds at most MAX_UNITS: where the distribution reaches
    // further, the range in words says where draws stop.
    if m.reaches_past_max_units() {
        let most = Decimal::from_i128_with_scale(MAX_UNITS, places);
        let hi = tighter(hi, Some(most), Ord::min);
        let lo = match lo {
            Some((v, incl)) if v >= -most => Some((v, incl)),
            _ => Some((-most, true)),
        };
        return Ok((m, format!("{}, the most a draw can hold", range_text(lo, hi))));
    }
    Ok((m, range_text(lo, hi)))
}

/// The bounds the rules put on `id` over every month, and the most the
/// auction's rejection rate may be so that a bank that follows it, times
/// the bank's factor F > 1, faces at most 1 (1/F for the largest F).
fn rule_bounds(model: &Model, id: ParamId) -> (Option<Decimal>, Option<Decimal>, Option<Decimal>) {
    let (mut lo, mut hi, mut most) = (None, None, None::<Decimal>);
    model.each_month(|_, params, _| {
        let (l, h) = rules::bounds_over([params], id);
        lo = tighter(lo, l, Ord::max);
        hi = tighter(hi, h, Ord::min);
        if id == ParamId::RejectionRate {
            let factors = params
                .auction
                .banks
                .iter()
                .filter(|b| b.rejection_rate.is_none())
                .filter_map(|b| b.follow_factor);
            most = factors.fold(most, |a, f| tighter(a, Some(f), Ord::max));
        }
    });
    let cap = most
        .filter(|f| *f > Decimal::ONE)
        .and_then(|f| Decimal::ONE.checked_div(f));
    (lo, hi, cap)
}

fn range_text(lo: Option<(Decimal, bool)>, hi: Option<Decimal>) -> String {
    let lo = lo.map(|(v, incl)| format!("{} {}", if incl { ">=" } else { ">" }, v.normalize()));
    let hi = hi.map(|v| format!("<= {}", v.normalize()));
    match (lo, hi) {
        (Some(a), Some(b)) => format!("{a} and {b}"),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => "any value".into(),
    }
}

/// The problem, at the entry's distribution, when less than
/// [`MIN_IN_RANGE`] of `u`'s `marginal` lies in its `range` (in words).
pub fn too_little_in_range(
    model: &Model,
    u: &Uncertain,
    marginal: &Marginal,
    range: &str,
) -> Option<Problem> {
    let p = marginal.acceptance();
    if p >= MIN_IN_RANGE {
        return None;
    }
    let share = if p <= 0.0 {
        "none".to_string()
    } else if p < 0.001 {
        "less than 0.1%".to_string()
    } else {
        format!("only {:.1}%", 100.0 * p)
    };
    let path = model.base.path(u.param);
    let whose = if u.scale {
        format!("the factors allowed for {path}")
    } else {
        format!("the allowed range of {path}")
    };
    let allowed = match range.strip_prefix("a factor ") {
        Some(factors) if u.scale => format!(
            "at least 5% of the distribution within the factors {factors}: every month's value of {path} times the factor must be {}",
            u.param.kind().allowed()
        ),
        _ => format!("at least 5% of the distribution within {range}"),
    };
    Some(
        Problem::new(
            Some(u.span.clone()),
            format!("uncertainty.\"{}\"", u.name()),
            format!("{share} of {} lies within {whose}", u.dist),
        )
        .allowed(allowed)
        .help(
            "a draw outside the range is drawn again (at most 1,000 times in a row), so what is drawn \
             would be the edge of the range, not this distribution; move the distribution into the range",
        ),
    )
}

/// The problems of every `[uncertainty]` entry of `model` of which too
/// little lies in its range, in file order. A range that is empty (the
/// values themselves break a rule) is reported where the values are.
pub fn problems(model: &Model) -> Vec<Problem> {
    model
        .uncertainty
        .iter()
        .filter_map(|u| {
            let (m, range) = marginal(model, u).ok()?;
            let b = m.bounds();
            if b.min.zip(b.max).is_some_and(|(lo, hi)| lo > hi) {
                return None;
            }
            too_little_in_range(model, u, &m, &range)
        })
        .collect()
}
