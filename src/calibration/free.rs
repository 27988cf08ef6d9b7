//! The parameters a fit estimates, written `--vary PATH[=LO:HI]`: a whole
//! timeline (`auction.rejection_rate`), one step of it
//! (`auction.rejection_rate@2023-03`) or a factor on all of it
//! (`exports.price_usd_per_bbl*`), each searched between bounds that
//! `--set` would accept.
//!
//! Without `=LO:HI` a value is searched over its allowed range, up to ten
//! times its largest value in the timeline where the range has no top.
//! Money that is 0 in every month has no scale of its own, and `0..1`
//! dollars would search nothing: a dollar flow per auction session
//! (`USD/day`: street demand, unmet demand at baseline, requests) takes
//! the scale of the market it flows into, from 0 to the largest of the
//! auction's requests and the parallel market's baseline turnover per
//! session in any month; any other zero money parameter (a payment, a
//! balance, a cost per flight) is refused until bounds are given, as is a
//! factor on a timeline that is 0 in every month (no factor changes it).
//!
//! As `--set` would, a step or a factor of a parameter that `[uncertainty]`
//! draws for its whole timeline is refused, and so are two forms of one
//! parameter that change the same months (steps of different months may
//! be fitted together). The errors name the option the user gave
//! (`fit --vary`, `backtest --refit`).

use rust_decimal::Decimal;

use super::refusal::Refusal;
use crate::error::{BadArgument, Error};
use crate::model::{Kind, Model, ParamId};
use crate::num::decimal::parse_decimal;
use crate::render::thousands;
use crate::sensitivity::form::{parse_form, Form};
use crate::sensitivity::{round_for, Evaluator, Progress, Target};

/// A parameter a fit estimates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Free {
    /// The parameter and its form.
    pub form: Form,
    /// Lowest value tried.
    pub lo: Decimal,
    /// Highest value tried.
    pub hi: Decimal,
    /// Where the search starts: the model's own value, within the bounds.
    pub start: Decimal,
    /// How default bounds were chosen where that needs saying (a zero
    /// dollar flow searched on its market's scale), for standard error.
    pub note: Option<String>,
    /// Whether `lo` and `hi` are the limits the parameter allows (no value
    /// a unit beyond them is allowed), so that no wider bound can be given.
    pub limits: (bool, bool),
}

impl Free {
    /// What a value changes.
    pub fn target(&self) -> Target {
        self.form.target
    }

    /// How the command line names it.
    pub fn path(&self) -> &str {
        &self.form.path
    }

    /// Decimal places a value is tried at.
    pub fn places(&self) -> u32 {
        self.form.places()
    }

    /// `x` rounded to this parameter's places, half to even.
    pub fn round(&self, x: Decimal) -> Decimal {
        self.form.round(x)
    }

    /// The `--set` that puts `value` in force.
    pub fn set(&self, value: Decimal) -> String {
        self.form.set(value)
    }
}

/// Parses every `PATH[=LO:HI]` given to `option` (`--vary`, `--refit`),
/// refusing one given twice and two forms of one parameter that change
/// the same months; `progress` is looked at ([`Progress::check`]) before
/// each, and may stop there.
pub fn parse_all(
    model: &Model,
    texts: &[String],
    option: &str,
    progress: &dyn Progress,
) -> Result<Vec<Free>, Error> {
    let free = texts
        .iter()
        .map(|t| {
            // A default bound looks at the whole timeline: many parameters
            // on a long one take seconds, and the caller may stop there.
            progress.check();
            parse_free(model, t, option)
        })
        .collect::<Result<Vec<_>, _>>()?;
    for (i, f) in free.iter().enumerate() {
        for g in &free[..i] {
            if g.target() == f.target() {
                return Err(Refusal::VaryTwice {
                    option: option.to_string(),
                    path: f.path().to_string(),
                }
                .into());
            }
            if overlap(g.target(), f.target()) {
                return Err(Refusal::VaryOverlap {
                    option: option.to_string(),
                    first: g.path().to_string(),
                    path: f.path().to_string(),
                    param: model.base.path(f.target().param()),
                }
                .into());
            }
        }
    }
    Ok(free)
}

/// Whether two different targets change some month of one parameter
/// both: its whole timeline or a factor on it overlaps anything else of
/// it; a step overlaps a value from its month or an earlier one on.
fn overlap(a: Target, b: Target) -> bool {
    if a.param() != b.param() {
        return false;
    }
    match (a, b) {
        (Target::Step(_, m), Target::Step(_, n)) => m == n,
        (Target::Step(_, m), Target::From(_, n)) | (Target::From(_, n), Target::Step(_, m)) => m >= n,
        _ => true,
    }
}

/// Parses `PATH[=LO:HI]`, `PATH@YYYY-MM[=LO:HI]` or `PATH*[=LO:HI]`, as
/// given to `option` (`--vary`, `--refit`), which errors name.
pub fn parse_free(model: &Model, text: &str, option: &str) -> Result<Free, Error> {
    let usage = |m: String| Error::from(BadArgument::new(option, text, m));
    let (path, bounds) = match text.split_once('=') {
        Some((p, b)) => (p.trim(), Some(b.trim())),
        None => (text.trim(), None),
    };
    let form = parse_form(model, path).map_err(|e| e.for_option(option, text))?;
    // `run --set` refuses a step or a factor of a parameter drawn for its
    // whole timeline, and so could not reproduce the fit.
    let edit = match form.target {
        Target::Step(..) | Target::From(..) => Some("set by step"),
        Target::Scale(_) => Some("scaled"),
        Target::Whole(_) => None,
    };
    if let Some(what) = edit {
        model.refuse_drawn(form.target.param(), what).map_err(usage)?;
    }
    let ev = Evaluator::new(model);
    let mut note_text = None;
    let (lo, hi) = match bounds {
        Some(b) => {
            let (lo, hi) = b.split_once(':').ok_or_else(|| {
                usage("expected PATH=LO:HI, e.g. parallel_market.demand_elasticity=0.5:5".into())
            })?;
            let number = |s: &str| parse_decimal(s.trim()).map_err(|e| usage(format!("{:?} {e}", s.trim())));
            (number(lo)?, number(hi)?)
        }
        None => match zero_scale(model, &form).map_err(usage)? {
            Some((lo, hi, note)) => {
                note_text = Some(format!("note: {option} {}: {note}", form.path));
                (lo, hi)
            }
            None => form.default_bounds(&ev),
        },
    };
    if lo >= hi {
        return Err(usage(format!("LO {lo} must be below HI {hi}")));
    }
    for end in [lo, hi] {
        ev.check(&[(form.target, end)]).map_err(|e| match e {
            Error::Usage(m) => usage(format!("a bound is not allowed: {m}")),
            other => other,
        })?;
    }
    if form.round(lo) != lo || form.round(hi) != hi {
        return Err(usage(format!(
            "bounds have at most {} decimal places for this parameter",
            form.places()
        )));
    }
    // A step that a later step ends, or a value from a month on, says so.
    if matches!(form.target, Target::Step(..) | Target::From(..)) {
        if let Some(n) = crate::sensitivity::target_note(model, form.target, option) {
            note_text = Some(match note_text {
                Some(t) => format!("{t}\n{n}"),
                None => n,
            });
        }
    }
    // A bound the parameter allows no value beyond cannot be widened.
    let unit = Decimal::new(1, form.places());
    let limit = |x: Option<Decimal>| x.is_none_or(|x| ev.check(&[(form.target, x)]).is_err());
    let limits = (limit(lo.checked_sub(unit)), limit(hi.checked_add(unit)));
    Ok(Free {
        start: form.start.clamp(lo, hi),
        form,
        lo,
        hi,
        note: note_text,
        limits,
    })
}

/// The scale of a dollar flow per auction session in `model`: the largest
/// of the auction's requests and the parallel market's baseline turnover
/// in any month (0 for a model without them).
pub(crate) fn per_session_scale(model: &Model) -> Decimal {
    let flows = [ParamId::RequestsPerDay, ParamId::BaselineTurnover];
    model
        .schedule()
        .iter()
        .flat_map(|p| flows.iter().map(move |f| p.get(*f)))
        .max()
        .unwrap_or_default()
}

/// Default bounds for a parameter that is 0 in every month, where the
/// ordinary default (up to ten times its largest value) has no scale:
/// `Ok(Some((lo, hi, why)))` for a dollar flow per session, an error for
/// other money and for a factor, `Ok(None)` where the ordinary default
/// serves.
fn zero_scale(model: &Model, form: &Form) -> Result<Option<(Decimal, Decimal, String)>, String> {
    let id = form.target.param();
    let schedule = model.schedule();
    if schedule.iter().any(|p| !p.get(id).is_zero()) {
        return Ok(None);
    }
    let path = model.base.path(id);
    let unit = id.field().unit;
    if let Target::Scale(_) = form.target {
        return Err(format!(
            "{path} is 0 in every month, so no factor changes it; vary its value instead, with bounds in {unit} (--vary {path}=LO:HI)"
        ));
    }
    if id.kind() != Kind::Money {
        return Ok(None);
    }
    if unit != "USD/day" {
        return Err(format!(
            "it is 0 in every month, so it has no scale to search on (without bounds a value is searched up to ten times its largest value); give its range in {unit}: --vary {}=LO:HI",
            form.path
        ));
    }
    let hi = round_for(id, per_session_scale(model));
    if hi <= Decimal::ZERO {
        return Err(format!(
            "it is 0 in every month and so are the auction's requests, so it has no scale to search on; give its range in {unit}: --vary {}=LO:HI",
            form.path
        ));
    }
    Ok(Some((
        Decimal::ZERO,
        hi,
        format!(
            "it is 0 in every month, so it is searched from 0 to {} {unit}, the largest of the auction's requests and the parallel market's baseline turnover per session in the model; give =LO:HI to search elsewhere",
            thousands(hi)
        ),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_one_parameter_overlap_where_they_change_the_same_months() {
        let (a, b) = (ParamId::RejectionRate, ParamId::BaselineTurnover);
        // The whole timeline or a factor on it changes every month.
        assert!(overlap(Target::Whole(a), Target::Step(a, 4)));
        assert!(overlap(Target::Scale(a), Target::Whole(a)));
        assert!(overlap(Target::Step(a, 4), Target::Scale(a)));
        assert!(overlap(Target::Scale(a), Target::From(a, 4)));
        // Steps of different months are different steps.
        assert!(!overlap(Target::Step(a, 4), Target::Step(a, 8)));
        // A value from month 4 on holds every month from 4: a step of
        // month 4 or later lies inside it, an earlier one does not.
        assert!(overlap(Target::From(a, 4), Target::Step(a, 8)));
        assert!(overlap(Target::Step(a, 4), Target::From(a, 4)));
        assert!(!overlap(Target::Step(a, 2), Target::From(a, 4)));
        assert!(overlap(Target::From(a, 2), Target::From(a, 4)));
        // Different parameters never overlap.
        assert!(!overlap(Target::Whole(a), Target::Whole(b)));
        assert!(!overlap(Target::Scale(a), Target::Step(b, 4)));
    }
}
