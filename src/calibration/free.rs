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

use rust_decimal::Decimal;

use crate::error::{BadArgument, Error};
use crate::model::{Kind, Model, ParamId};
use crate::num::decimal::parse_decimal;
use crate::render::thousands;
use crate::sensitivity::form::{parse_form, Form};
use crate::sensitivity::{round_for, Evaluator, Target};

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

/// Parses `PATH[=LO:HI]`, `PATH@YYYY-MM[=LO:HI]` or `PATH*[=LO:HI]`.
pub fn parse_free(model: &Model, text: &str) -> Result<Free, Error> {
    let usage = |m: String| Error::from(BadArgument::new("--vary", text, m));
    let (path, bounds) = match text.split_once('=') {
        Some((p, b)) => (p.trim(), Some(b.trim())),
        None => (text.trim(), None),
    };
    let form = parse_form(model, path).map_err(|e| e.for_option("--vary", text))?;
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
                note_text = Some(format!("note: --vary {}: {note}", form.path));
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
        if let Some(n) = crate::sensitivity::target_note(model, form.target, "--vary") {
            note_text = Some(match note_text {
                Some(t) => format!("{t}\n{n}"),
                None => n,
            });
        }
    }
    Ok(Free {
        start: form.start.clamp(lo, hi),
        form,
        lo,
        hi,
        note: note_text,
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
