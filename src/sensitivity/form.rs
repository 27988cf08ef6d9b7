//! A parameter as a command names it for a search or a bar: `PATH` (its
//! whole timeline, as `--set` replaces it), `PATH@YYYY-MM` (the step of its
//! timeline from that month), `PATH@YYYY-MM..` (from that month to the
//! end of the timeline) or `PATH*` (a factor on every month's value).
//! Shared by `solve --vary`, `tornado --param`/`--scale` and `fit --vary`,
//! so every command reads the three forms, rounds and brackets them alike.

use rust_decimal::Decimal;

use super::{places, resolve, round_for, Evaluator, Target};
use crate::calendar::YearMonth;
use crate::error::Error;
use crate::model::{factor, rules, Kind, Model, ParamId};

/// Default bounds of a factor where nothing else limits it: a fifth to five times the schedule.
pub const FACTOR_BOUNDS: (Decimal, Decimal) = (
    Decimal::from_parts(2, 0, 0, false, 1),
    Decimal::from_parts(5, 0, 0, false, 0),
);

/// A parameter in one of the three forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// What a value of it changes.
    pub target: Target,
    /// How the command line names it (`PATH`, `PATH@YYYY-MM`, `PATH@YYYY-MM..`, `PATH*`).
    pub path: String,
    /// The model's own value: the base value, the step's value, or 1 for a factor.
    pub start: Decimal,
}

impl Form {
    /// Decimal places a value is tried at: cents for money, 6 otherwise
    /// and for factors (docs/model.md rounds factors to 6 places).
    pub fn places(&self) -> u32 {
        match self.target {
            Target::Scale(_) => factor::PLACES,
            t => places(t.param()),
        }
    }

    /// `x` rounded half to even to this parameter's places.
    pub fn round(&self, x: Decimal) -> Decimal {
        x.round_dp_with_strategy(self.places(), rust_decimal::RoundingStrategy::MidpointNearestEven)
            .normalize()
    }

    /// The `--set` that puts `value` in force: `PATH=V`, `PATH@YYYY-MM=V`,
    /// `PATH@YYYY-MM..=V` or `PATH*=V`.
    pub fn set(&self, value: Decimal) -> String {
        format!("{}={}", self.path, value.normalize())
    }

    /// The search bracket when none is given: the allowed range for a
    /// value (as `solve` searches it); for a factor, the factors `--set`
    /// accepts, within [`FACTOR_BOUNDS`].
    pub fn default_bounds(&self, ev: &Evaluator<'_>) -> (Decimal, Decimal) {
        match self.target {
            Target::Scale(id) => {
                let b = factor::bounds(ev.model, id);
                let lo = b
                    .min
                    .map_or(FACTOR_BOUNDS.0, |m| factor::to_decimal(m).max(FACTOR_BOUNDS.0));
                let hi = b
                    .max
                    .map_or(FACTOR_BOUNDS.1, |m| factor::to_decimal(m).min(FACTOR_BOUNDS.1));
                (lo, hi.max(lo))
            }
            t => default_bracket(ev, t.param()),
        }
    }
}

/// Parses `PATH`, `PATH@YYYY-MM`, `PATH@YYYY-MM..` or `PATH*` against `model`.
pub fn parse_form(model: &Model, text: &str) -> Result<Form, Error> {
    let text = text.trim();
    let (path, scale) = match text.strip_suffix('*') {
        Some(p) => (p.trim(), true),
        None => (text, false),
    };
    let (path, month) = match path.rsplit_once('@') {
        Some((p, m)) if !scale => (p.trim(), Some(m.trim())),
        _ => (path, None),
    };
    let id = resolve(model, path)?;
    let name = model.base.path(id);
    Ok(match month {
        Some(m) => {
            let (ym, at, to_end) = step_month(model, m).map_err(Error::Usage)?;
            Form {
                target: if to_end {
                    Target::From(id, at)
                } else {
                    Target::Step(id, at)
                },
                path: format!("{name}@{ym}{}", if to_end { ".." } else { "" }),
                start: model.schedule()[at].get(id),
            }
        }
        None if scale => Form {
            target: Target::Scale(id),
            path: format!("{name}*"),
            start: Decimal::ONE,
        },
        None => Form {
            target: Target::Whole(id),
            path: name,
            start: model.base.get(id),
        },
    })
}

/// The month of `PATH@YYYY-MM` or `PATH@YYYY-MM..` (the text after `@`):
/// the month, its index in the timeline, and whether it runs to the end.
pub fn step_month(model: &Model, text: &str) -> Result<(YearMonth, usize, bool), String> {
    let text = text.trim();
    let (m, to_end) = match text.strip_suffix("..") {
        Some(m) => (m.trim_end(), true),
        None => (text, false),
    };
    let ym: YearMonth = m.parse()?;
    let at = model.timeline.locate(ym)?;
    Ok((ym, at, to_end))
}

/// The bracket searched when none is given: the allowed range, ending at
/// 10 × the largest value in the timeline (at least 1) where the range
/// has no upper end; an excluded lower end (> 0) starts one unit above it.
pub fn default_bracket(ev: &Evaluator<'_>, id: ParamId) -> (Decimal, Decimal) {
    let kind = id.kind();
    let unit = Decimal::new(1, places(id));
    let schedule = ev.model.schedule();
    let largest = schedule.iter().map(|p| p.get(id).abs()).max().unwrap_or_default();
    let ten = round_for(id, (largest * Decimal::TEN).max(Decimal::ONE));
    if kind == Kind::PriceOffset {
        // From the rule price + offset >= 0 in every month up to the
        // lowest price (at least `ten`).
        let lo = rules::bounds_over(&schedule, id).0.unwrap_or(-ten);
        return (lo, (-lo).max(ten));
    }
    let lo = match kind.min() {
        Some((m, true)) => m,
        Some((m, false)) => m + unit,
        None => -ten,
    };
    (lo, kind.max().unwrap_or(ten))
}
