//! A parameter as a command names it for a search or a bar: `PATH` (its
//! whole timeline, as `--set` replaces it), `PATH@YYYY-MM` (the step of its
//! timeline from that month) or `PATH*` (a factor on every month's value).
//! Shared by `solve --vary`, `tornado --param`/`--scale` and `fit --vary`,
//! so every command reads the three forms, rounds and brackets them alike.

use rust_decimal::Decimal;

use super::solve::default_bracket;
use super::{places, resolve, Evaluator, Target};
use crate::calendar::YearMonth;
use crate::error::Error;
use crate::model::{factor, Model};

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
    /// How the command line names it (`PATH`, `PATH@YYYY-MM`, `PATH*`).
    pub path: String,
    /// The model's own value: the base value, the step's value, or 1 for a factor.
    pub start: Decimal,
}

impl Form {
    /// Decimal places a value is tried at: cents for money, 6 otherwise
    /// and for factors (MODEL.md rounds factors to 6 places).
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

    /// The `--set` that puts `value` in force: `PATH=V`, `PATH@YYYY-MM=V` or `PATH*=V`.
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

/// Parses `PATH`, `PATH@YYYY-MM` or `PATH*` against `model`.
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
            let ym: YearMonth = m.parse().map_err(Error::Usage)?;
            let at = model.timeline.index_of(ym).ok_or_else(|| {
                Error::Usage(format!(
                    "{ym} is outside the timeline ({} to {})",
                    model.timeline.start,
                    model.timeline.end()
                ))
            })?;
            Form {
                target: Target::Step(id, at),
                path: format!("{name}@{ym}"),
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
