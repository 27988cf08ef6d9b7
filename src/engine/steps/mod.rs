//! The steps of docs/model.md §3, each formula once, generic over the
//! arithmetic backend, with its formula text beside it for `explain`.

pub mod airlift;
pub mod auction;
pub mod flows;
pub mod market;
pub mod prices;

#[cfg(test)]
mod tests;

use super::arith::Arith;
use super::explain::Line;
use crate::model::ParamId;

/// Records a step's `lines` for `explain`, then closes the step with its
/// number, title and the assumptions it read.
fn record<A: Arith>(
    a: &mut A,
    lines: impl IntoIterator<Item = Line>,
    number: u8,
    title: &'static str,
    used: Vec<ParamId>,
) {
    for line in lines {
        a.record(line);
    }
    a.record_step(number, title, used);
}
