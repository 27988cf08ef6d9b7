//! The parameters a fit estimates, written `--vary PATH[=LO:HI]`: a whole
//! timeline (`auction.rejection_rate`), one step of it
//! (`auction.rejection_rate@2023-03`) or a factor on all of it
//! (`exports.price_usd_per_bbl*`), each searched between bounds that
//! `--set` would accept.

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::error::Error;
use crate::model::Model;
use crate::num::decimal::parse_decimal;
use crate::sensitivity::solve::default_bracket;
use crate::sensitivity::{places, resolve, Evaluator, Target};

/// Default bounds of a factor (`PATH*`): a fifth to five times the schedule.
pub const FACTOR_BOUNDS: (Decimal, Decimal) = (
    Decimal::from_parts(2, 0, 0, false, 1),
    Decimal::from_parts(5, 0, 0, false, 0),
);

/// A parameter a fit estimates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Free {
    /// What it changes.
    pub target: Target,
    /// How the command line names it (`PATH`, `PATH@YYYY-MM`, `PATH*`).
    pub path: String,
    /// Lowest value tried.
    pub lo: Decimal,
    /// Highest value tried.
    pub hi: Decimal,
    /// The model's own value (1 for a factor): where the search starts.
    pub start: Decimal,
}

impl Free {
    /// Decimal places a value is tried at: cents for money, 6 otherwise
    /// (and for factors, as MODEL.md rounds drawn factors).
    pub fn places(&self) -> u32 {
        match self.target {
            Target::Scale(_) => 6,
            t => places(t.param()),
        }
    }

    /// `x` rounded to this parameter's places, half to even.
    pub fn round(&self, x: Decimal) -> Decimal {
        x.round_dp_with_strategy(self.places(), rust_decimal::RoundingStrategy::MidpointNearestEven)
            .normalize()
    }

    /// The `--set` that puts `value` in force: `PATH=V`, `PATH@YYYY-MM=V` or `PATH*=V`.
    pub fn set(&self, value: Decimal) -> String {
        format!("{}={}", self.path, value.normalize())
    }
}

/// Parses `PATH[=LO:HI]`, `PATH@YYYY-MM[=LO:HI]` or `PATH*[=LO:HI]`.
pub fn parse_free(model: &Model, text: &str) -> Result<Free, Error> {
    let usage = |m: String| Error::Usage(format!("--vary {text}: {m}"));
    let (path, bounds) = match text.split_once('=') {
        Some((p, b)) => (p.trim(), Some(b.trim())),
        None => (text.trim(), None),
    };
    let (path, scale) = match path.strip_suffix('*') {
        Some(p) => (p.trim(), true),
        None => (path, false),
    };
    let (path, month) = match path.rsplit_once('@') {
        Some((p, m)) if !scale => (p.trim(), Some(m.trim())),
        _ => (path, None),
    };
    let id = resolve(model, path).map_err(|e| match e {
        Error::Usage(m) => usage(m),
        other => other,
    })?;
    let name = model.base.path(id);
    let ev = Evaluator::new(model);
    let (target, shown, start) = match month {
        Some(m) => {
            let ym: YearMonth = m.parse().map_err(usage)?;
            let at = model.timeline.index_of(ym).ok_or_else(|| {
                usage(format!(
                    "{ym} is outside the timeline ({} to {})",
                    model.timeline.start,
                    model.timeline.end()
                ))
            })?;
            let start = model.schedule()[at].get(id);
            (Target::Step(id, at), format!("{name}@{ym}"), start)
        }
        None if scale => (Target::Scale(id), format!("{name}*"), Decimal::ONE),
        None => (Target::Whole(id), name, model.base.get(id)),
    };
    let (lo, hi) = match bounds {
        Some(b) => {
            let (lo, hi) = b.split_once(':').ok_or_else(|| {
                usage("expected PATH=LO:HI, e.g. parallel_market.demand_elasticity=0.5:5".into())
            })?;
            let number = |s: &str| parse_decimal(s.trim()).map_err(|e| usage(format!("{:?} {e}", s.trim())));
            (number(lo)?, number(hi)?)
        }
        None if scale => FACTOR_BOUNDS,
        None => default_bracket(&ev, id),
    };
    if lo >= hi {
        return Err(usage(format!("LO {lo} must be below HI {hi}")));
    }
    for end in [lo, hi] {
        ev.check(&[(target, end)]).map_err(|e| match e {
            Error::Usage(m) => usage(format!("a bound is not allowed: {m}")),
            other => other,
        })?;
    }
    let free = Free {
        target,
        path: shown,
        lo,
        hi,
        start: start.clamp(lo, hi),
    };
    if free.round(lo) != lo || free.round(hi) != hi {
        return Err(usage(format!(
            "bounds have at most {} decimal places for this parameter",
            free.places()
        )));
    }
    Ok(free)
}
