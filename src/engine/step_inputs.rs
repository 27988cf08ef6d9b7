//! The parameters a step of the month read before it failed, so that an
//! overflow names the file and each input of the failing step with its
//! value in that month and the line it was written on (or `--set`).

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::error::{StepInput, StepOverflow};
use crate::model::{Model, ParamId};
use crate::num::decimal::Overflow;

/// The slots of the plan's row a step has read since it began, each once.
#[derive(Debug, Default)]
pub struct Reads {
    seen: Vec<bool>,
    order: Vec<usize>,
}

impl Reads {
    /// Room for a row of `width` slots.
    pub fn new(width: usize) -> Reads {
        Reads {
            seen: vec![false; width],
            order: Vec::new(),
        }
    }

    /// Notes that `slot` was read.
    pub fn read(&mut self, slot: usize) {
        if let Some(s) = self.seen.get_mut(slot) {
            if !*s {
                *s = true;
                self.order.push(slot);
            }
        }
    }

    /// Forgets every read: a new step begins.
    pub fn clear(&mut self) {
        for &s in &self.order {
            self.seen[s] = false;
        }
        self.order.clear();
    }

    /// The slots read, in the order first read.
    pub fn slots(&self) -> &[usize] {
        &self.order
    }
}

/// The overflow of `source` in `month`, naming the parameters `inputs`
/// (with their values in that month), located in `model`.
pub fn step_overflow(
    model: &Model,
    month: YearMonth,
    source: Overflow,
    inputs: &[(ParamId, Decimal)],
) -> StepOverflow {
    let inputs = inputs
        .iter()
        .map(|&(id, value)| StepInput {
            path: model.base.path(id),
            value,
            at: located(model, id, month),
        })
        .collect();
    StepOverflow {
        month,
        source,
        file: model.file.name.clone(),
        inputs,
    }
}

/// Where the value of `id` in force in `month` was written: the last
/// change at or before `month`, else the base value.
fn located(model: &Model, id: ParamId, month: YearMonth) -> Option<String> {
    let param = model
        .changes
        .iter()
        .rev()
        .find(|c| c.param == id && c.month <= month)
        .map_or_else(|| model.base.param(id), |c| &c.value);
    if let Some(flag) = param.origin.set_with {
        return Some(flag.to_string());
    }
    let span = param.origin.span.as_ref()?;
    Some(model.file.location(span))
}
