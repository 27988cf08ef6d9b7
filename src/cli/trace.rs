//! `dinarflow trace [MODEL]`: where the dollars went, from the ledger, for
//! the whole timeline or one month, optionally with every posting.

use super::refusal::Refusal;
use std::io::Write;

use super::common::{Charted, ModelFile};
use super::overflow;
use crate::calendar::YearMonth;
use crate::engine;
use crate::error::Error;
use crate::report::trace::Trace;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// Trace one month only (YYYY-MM)
    #[arg(long, value_name = "YYYY-MM")]
    pub month: Option<String>,
    /// List every posting (month, step, from, to, amount)
    #[arg(long)]
    pub postings: bool,
    #[command(flatten)]
    pub charted: Charted,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (format, model) = a.charted.open::<Trace>("trace", a.model.path(), err)?;
    super::warnings::check(&model, false, err)?;
    let month = match &a.month {
        None => None,
        Some(text) => {
            let m: YearMonth = text.parse().map_err(|e: String| Refusal::MonthText(e))?;
            model.timeline.locate(m).map_err(Refusal::MonthOutside)?;
            Some(m)
        }
    };
    let result = engine::run_with_postings(&model)?;
    let trace = Trace::new(&model, &result, month, a.postings).map_err(|e| overflow(&model, e))?;
    a.charted.write(out, &trace, format)
}
