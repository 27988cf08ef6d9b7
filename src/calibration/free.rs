//! The parameters a fit estimates, written `--vary PATH[=LO:HI]`: a whole
//! timeline (`auction.rejection_rate`), one step of it
//! (`auction.rejection_rate@2023-03`) or a factor on all of it
//! (`exports.price_usd_per_bbl*`), each searched between bounds that
//! `--set` would accept.

use rust_decimal::Decimal;

use crate::error::Error;
use crate::model::Model;
use crate::num::decimal::parse_decimal;
use crate::sensitivity::form::{parse_form, Form};
use crate::sensitivity::{Evaluator, Target};

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
    let usage = |m: String| Error::Usage(format!("--vary {text}: {m}"));
    let (path, bounds) = match text.split_once('=') {
        Some((p, b)) => (p.trim(), Some(b.trim())),
        None => (text.trim(), None),
    };
    let form = parse_form(model, path).map_err(|e| match e {
        Error::Usage(m) => usage(m),
        other => other,
    })?;
    let ev = Evaluator::new(model);
    let (lo, hi) = match bounds {
        Some(b) => {
            let (lo, hi) = b.split_once(':').ok_or_else(|| {
                usage("expected PATH=LO:HI, e.g. parallel_market.demand_elasticity=0.5:5".into())
            })?;
            let number = |s: &str| parse_decimal(s.trim()).map_err(|e| usage(format!("{:?} {e}", s.trim())));
            (number(lo)?, number(hi)?)
        }
        None => form.default_bounds(&ev),
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
    Ok(Free {
        start: form.start.clamp(lo, hi),
        form,
        lo,
        hi,
    })
}
