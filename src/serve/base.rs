//! What every answer of the what-if page is compared against, computed
//! once when the server starts: the base model's headline figures, its
//! own warnings (the page shows only those a what-if adds) and the
//! parameter list the page builds its controls from (and, for a request
//! that runs the model on to a horizon, the same figures and warnings of
//! that longer model, computed for it). Both the API
//! (`api.rs`) and the page's drawing (`view.rs`) read it.

use super::params::params_of;
use crate::calendar::YearMonth;
use crate::diagnostic::Problem;
use crate::engine;
use crate::error::Error;
use crate::model::{all_warnings, Model};
use crate::report::brief::{Brief, Figure};
use crate::sensitivity::{overflow, Silent};

/// What the base model's answers are compared against, computed once.
#[derive(Debug)]
pub(super) struct Base {
    /// The brief's headline figures.
    pub(super) figures: Vec<Figure>,
    /// The warnings the model as loaded has (the page shows the others).
    pub(super) warnings: Vec<Problem>,
    /// `GET /api/params`'s answer.
    pub(super) params: Vec<u8>,
}

impl Base {
    /// The base of `model`, whose page opens run on to `opening` if any.
    pub(super) fn of(model: &Model, opening: Option<YearMonth>) -> Result<Self, Error> {
        let params =
            serde_json::to_vec(&params_of(model, opening)).map_err(|e| Error::Usage(e.to_string()))?;
        Ok(Base {
            params,
            ..Base::compared(model)?
        })
    }

    /// What a what-if on `model` is compared against (the model run on to
    /// a horizon, for a request that asks one), without the parameter list.
    pub(super) fn compared(model: &Model) -> Result<Self, Error> {
        let run = engine::run(model)?;
        let brief = Brief::new(model, &run, &Silent).map_err(|e| overflow(model, e))?;
        Ok(Base {
            figures: brief.figures,
            warnings: all_warnings(model),
            params: Vec::new(),
        })
    }
}
