//! `dinarflow sobol [MODEL]`: first-order and total Sobol indices of each
//! `[uncertainty]` input for each metric (Saltelli design from a Sobol'
//! sequence, Jansen estimators) with bootstrap 95% intervals, and warnings
//! where an interval is wide or an index is negative beyond noise.

use std::io::Write;

use super::common::Drawn;
use super::progress::Unit;
use super::say;
use crate::error::Error;
use crate::report::sobol::SobolReport;
use crate::report::ModelInfo;
use crate::sensitivity::metric_name;
use crate::uncertainty_analysis::request::{sobol_indices, sobol_notes, sobol_size};
use crate::uncertainty_analysis::sobol::warnings;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rows of each Saltelli matrix (a power of two is best); N·(inputs + 2) evaluations
    #[arg(short = 'n', value_name = "N", default_value_t = 4096, allow_negative_numbers = true, value_parser = super::whole::sobol_rows_value)]
    pub n: u32,
    /// Seed of the sequence's scrambling and of the bootstrap
    #[arg(long, value_name = "S", default_value_t = 1, allow_negative_numbers = true, value_parser = super::whole::u64_value)]
    pub seed: u64,
    #[command(flatten)]
    pub drawn: Drawn,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let (format, model, plan, metrics) = a.drawn.open::<SobolReport>("sobol", err)?;
    let evaluations = sobol_size(a.n, plan.inputs.len())?;
    say(err, &sobol_notes(&model, &plan, a.n))?;
    let results = sobol_indices(
        &model,
        &plan,
        &metrics,
        a.n,
        a.seed,
        &a.drawn.analysis.bar(Unit::Evaluations),
    )?;
    let names: Vec<String> = metrics.iter().map(|m| metric_name(&model, m)).collect();
    let paths = plan.paths();
    for (name, r) in names.iter().zip(&results) {
        say(err, &warnings(name, &paths, r, a.n))?;
    }
    let report = SobolReport {
        model: ModelInfo::of(&model),
        n: a.n,
        evaluations,
        paths,
        names,
        results,
    };
    a.drawn.analysis.write(out, &report, format)
}
