//! A `[[changes]]` entry from the timeline's first month replaces the base
//! value written in the parameter's section in every month, so that value
//! is never used, while the file still reads as if it held (and once was
//! listed as the assumption in force, with its source). Valid, since a
//! model may be edited to start later, but worth a warning naming both
//! lines; the assumptions listing shows the value in force instead
//! (docs/model.md §1.5).

use super::registry::ParamId;
use super::{Change, Model};
use crate::diagnostic::Problem;
use crate::num::decimal::clean;

/// The changes of `model` from its first month that hide a base value
/// written in the model file, each with the base value's line
/// (`FILE:LINE`). A bank that follows the auction's rejection rate has no
/// base value of its own to hide, and a base value or change from the
/// command line or a scenario is meant to replace what it replaces.
pub fn hidden_bases(model: &Model) -> Vec<(&Change, String)> {
    let first = model.timeline.start;
    model
        .changes
        .iter()
        .filter(|c| c.month == first && c.value.origin.span.is_some())
        .filter(|c| !matches!(c.param, ParamId::BankRejectionRate(i) if model.base.follows_the_auction(i)))
        .filter_map(|c| {
            let base = model.base.param(c.param);
            let o = &base.origin;
            if o.scenario.is_some() || o.set_with.is_some() {
                return None;
            }
            o.span.as_ref().map(|s| (c, model.file.location(s)))
        })
        .collect()
}

/// A warning for each base value a first-month change hides, at the
/// change's value, with the base value's line shown too.
pub fn hidden_base_warnings(model: &Model) -> Vec<Problem> {
    hidden_bases(model)
        .into_iter()
        .filter_map(|(c, base_at)| {
            let base = model.base.param(c.param);
            let (at, span) = (c.value.origin.span.clone()?, base.origin.span.clone()?);
            let path = model.base.path(c.param);
            let change_at = model.file.location(&at);
            let section = path.split(['.', '[']).next().unwrap_or(&path);
            Some(
                Problem::new(
                    Some(at),
                    &path,
                    format!(
                        "the [[changes]] entry from {} ({change_at}), the timeline's first month, \
                         replaces the base value {} ({base_at}) in every month, so the base value is never used",
                        c.month,
                        clean(base.value)
                    ),
                )
                .also_at(span, "never used", format!("in force from {}", c.month))
                .note("check, brief and explain list the change's value as the one in force from the first month")
                .help(format!(
                    "write the value in force from {} as the base value in [{section}] and remove it from the change, \
                     or start the change in a later month",
                    c.month
                )),
            )
        })
        .collect()
}
