//! `dinarflow mc [MODEL]`: Monte Carlo over the model's `[uncertainty]`, with
//! percentiles of each metric and the inputs that drive them; `--draws`
//! writes every draw, `--until` stops when statistics have converged and
//! `--shard K/N` runs one slice of the draws for `dinarflow merge`.

use super::refusal::Refusal;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::common::{Analysis, ModelFile};
use super::output::{self, Sink};
use super::progress::{Bar, Unit};
use super::{load_model, plan_draws, say};
use crate::engine::kernel::Kernel;
use crate::error::Error;
use crate::model::Model;
use crate::render::{Format, Formats};
use crate::report::fan::fans;
use crate::report::how_sure::dry_note;
use crate::report::mc_view::McView;
use crate::sensitivity::Silent;
use crate::uncertainty_analysis::design::{Design, Sampler};
use crate::uncertainty_analysis::mc::{
    run as run_draws, run_watching, Convergence, McError, Samples, Target,
};
use crate::uncertainty_analysis::noise::Noise;
use crate::uncertainty_analysis::report::{McReport, RunInfo};
use crate::uncertainty_analysis::request::{
    check_draws, convergence_note, draw_error, mc_error as in_words, mc_notes, parse_until, run_info,
    with_custody_min,
};
use crate::uncertainty_analysis::shard::{model_hash, parse_shard, slice, Header};
use crate::uncertainty_analysis::Plan;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// Number of draws (with --until: the most draws)
    #[arg(short = 'n', value_name = "N", default_value_t = crate::uncertainty_analysis::request::DEFAULT_DRAWS, allow_negative_numbers = true, value_parser = super::whole::draws_value)]
    pub n: u64,
    /// Seed of the random streams; the same seed gives the same draws
    #[arg(long, value_name = "S", default_value_t = crate::uncertainty_analysis::request::DEFAULT_SEED, allow_negative_numbers = true, value_parser = super::whole::u64_value)]
    pub seed: u64,
    /// How the draws are spread
    #[arg(long, value_enum, default_value_t = Sampler::Random)]
    pub sampler: Sampler,
    /// A metric to report (repeatable); default parallel_rate, premium_pct, cpi_impact_pct
    #[arg(long = "metric", value_name = "METRIC")]
    pub metric: Vec<String>,
    /// Write every draw's inputs and metrics to FILE as CSV
    #[arg(long, value_name = "FILE")]
    pub draws: Option<PathBuf>,
    /// Stop when a statistic has converged, e.g. p95:0.5% (relative half-width of its 95% interval; repeatable or comma-separated)
    #[arg(long, value_name = "STAT:TOL")]
    pub until: Vec<String>,
    /// Add each metric's percentiles by month (the fan chart's P5, P25, P50, P75 and P95, with the base run) to
    /// the table, CSV and JSON; they take the draws again, one column per month
    #[arg(long)]
    pub by_month: bool,
    /// Leave out the model's own error on a quote ([forecast_error]): a month's rate is then the
    /// spread of [uncertainty] alone
    #[arg(long)]
    pub no_forecast_error: bool,
    /// Run only the K-th of N slices of the draws and write them as a shard file for `dinarflow merge`
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    #[command(flatten)]
    pub analysis: Analysis,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    if let Some(p) = a.draws.as_deref().and_then(Path::to_str) {
        if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '_' || c == ',') {
            return Err(Refusal::DrawsLikeACount(p.to_string()).into());
        }
    }
    let shard = a.shard()?;
    // A shard file is not a report: --out names where it goes, not a format.
    let format = match shard {
        Some(_) => Format::Table,
        None => a.analysis.common().format_in("mc", McView::FORMATS)?,
    };
    a.analysis.charted.picture.check(format)?;
    let mut model = load_model(a.model.path(), a.analysis.common(), err)?;
    if a.no_forecast_error {
        model.forecast_error.clear();
    }
    let (plan, metrics) = plan_draws(&model, &a.metric, 3, err)?;
    let targets = parse_until(&a.until)?;
    check_draws(a.n, plan.inputs.len() + metrics.len(), plan.inputs.len())?;
    if let Some((_, count)) = shard {
        a.refuse_with_shard(count, &targets)?;
    }
    say(err, &mc_notes(&model, &plan))?;
    // A report also watches the custody account's lowest balance in each
    // draw, the kernel's last output, to say how often it runs dry; a
    // shard's rows are what it asks.
    let (outputs, watched) = match shard {
        Some(_) => (metrics.clone(), 0),
        None => (with_custody_min(&model, &metrics)?, 1),
    };
    let draws = Draws {
        plan: &plan,
        design: Design::new(&plan, a.seed, a.sampler, a.n)
            .map_err(|f| draw_error(&plan, f))?
            .with_noise(Noise::of(&model, &outputs, a.seed)),
        kernel: Kernel::with_targets(&model, &plan.targets(), &outputs),
        watched,
        bar: a.analysis.bar(Unit::Evaluations),
    };
    let info = run_info(&model, &plan, &metrics, a.seed, a.sampler);
    if let Some(shard) = shard {
        let header = a.header(&model, info, shard);
        let out_file = a.analysis.common().out.as_deref();
        return draws.shard(&header, Sink::open(out_file, out)?, err);
    }
    let (mut samples, convergence, draws_file) = draws.all(a.n, &targets, a.draws.as_deref(), &info, err)?;
    let lowest = samples.metrics.split_off(metrics.len()).pop().unwrap_or_default();
    if let Some(c) = &convergence {
        say(err, &[convergence_note(c, samples.len(), a.n)])?;
    }
    if let Some(note) = dry_note(&model, &lowest) {
        say(err, &[note])?;
    }
    let stats = McReport::compute(info, samples, convergence);
    // The pictures and the workbook show each metric's spread by month:
    // the same draws again, one column per month.
    let fans = if a.by_month || matches!(format, Format::Svg | Format::Png | Format::Xlsx) {
        fans(&model, &metrics, stats.n, a.seed, a.sampler, &Silent)?
    } else {
        Vec::new()
    };
    let mut report = McView::new(stats, &model, fans, a.by_month);
    report.no_forecast_error = a.no_forecast_error;
    a.analysis.write(out, &report, format)?;
    // The draws file replaces what was there only once the report is out:
    // a report that cannot be written leaves an existing file as it was.
    match draws_file {
        Some(f) => f.commit(),
        None => Ok(()),
    }
}

impl Args {
    /// `--shard K/N`, if given.
    fn shard(&self) -> Result<Option<(u64, u64)>, Error> {
        self.shard
            .as_deref()
            .map(|s| parse_shard(s).map_err(|e| Refusal::ShardText(e.to_string()).into()))
            .transpose()
    }

    /// What a shard of `count` cannot do: have no draws, or take an option
    /// that needs every draw or writes a report.
    fn refuse_with_shard(&self, count: u64, targets: &[Target]) -> Result<(), Error> {
        if count > self.n {
            return Err(Refusal::MoreShardsThanDraws { count, n: self.n }.into());
        }
        let refused = if self.by_month {
            Refusal::ShardByMonth
        } else if !targets.is_empty() {
            Refusal::ShardUntil
        } else if self.draws.is_some() {
            Refusal::ShardDraws
        } else if self.analysis.common().format.is_some_and(|f| f != Format::Table) {
            Refusal::ShardFormat
        } else {
            return Ok(());
        };
        Err(refused.into())
    }

    /// The header of shard `(k, count)`: which run it is a slice of.
    fn header(&self, model: &Model, info: RunInfo, (k, count): (u64, u64)) -> Header {
        // Shards of different horizons or scenarios must not merge: they
        // count as edits, before the --set ones.
        let edits: Vec<String> = (model.horizon.iter())
            .map(|h| format!("--horizon {}", h.month))
            .chain(
                model
                    .scenarios
                    .iter()
                    .map(|s| format!("--scenario {}", s.file.text)),
            )
            .chain(self.analysis.common().set.iter().cloned())
            .collect();
        Header {
            version: env!("CARGO_PKG_VERSION").to_string(),
            model: model.name.clone(),
            model_hash: model_hash(&model.file.text, &edits),
            info,
            n: self.n,
            shard: (k, count),
            draws: slice(self.n, k, count),
        }
    }
}

/// The draws to make, the kernel that evaluates them and the bar that
/// counts them.
struct Draws<'m> {
    plan: &'m Plan,
    design: Design<'m>,
    kernel: Kernel<'m>,
    /// How many of the kernel's last outputs are watched, not reported.
    watched: usize,
    bar: Bar,
}

impl Draws<'_> {
    /// Runs the slice of the draws `header` names into a shard file.
    fn shard(self, header: &Header, mut file: Sink, err: &mut dyn Write) -> Result<(), Error> {
        header.write(&mut file).map_err(|e| file.error(e))?;
        let range = header.draws.clone();
        let result = run_draws(
            &self.design,
            &self.kernel,
            range,
            &[],
            Some(&mut file),
            false,
            &self.bar,
        );
        drop(self.bar);
        result.map_err(|e| mc_error(self.plan, e, err, Some(&file)))?;
        file.commit()
    }

    /// Runs `n` draws (fewer when `targets` converge first), writing each
    /// to `draws_file` (`--draws`) if given, staged: the caller commits it.
    fn all(
        self,
        n: u64,
        targets: &[Target],
        draws_file: Option<&Path>,
        info: &RunInfo,
        err: &mut dyn Write,
    ) -> Result<(Samples, Option<Convergence>, Option<Sink<'static>>), Error> {
        let mut draws_file = match draws_file {
            Some(p) => {
                let mut f = Sink::file(p)?;
                f.write_all(&Header::columns(info)).map_err(|e| f.error(e))?;
                Some(f)
            }
            None => None,
        };
        let rows = draws_file.as_mut().map(|f| f as &mut dyn Write);
        let result = run_watching(
            &self.design,
            &self.kernel,
            0..n,
            targets,
            rows,
            true,
            &self.bar,
            self.watched,
        );
        drop(self.bar);
        let (samples, convergence) = result.map_err(|e| mc_error(self.plan, e, err, draws_file.as_ref()))?;
        Ok((samples, convergence, draws_file))
    }
}

/// A failed run in words; a write error names the file written to (`sink`).
fn mc_error(plan: &Plan, e: McError, err: &mut dyn Write, sink: Option<&Sink>) -> Error {
    if let McError::Engine { index, .. } = &e {
        let _ = writeln!(err, "note: the failing evaluation is draw {index}");
    }
    in_words(plan, e, |e| match sink {
        Some(s) => s.error(e),
        None => output::stdout_error(e),
    })
}
