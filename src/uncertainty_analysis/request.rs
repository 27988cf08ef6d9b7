//! What the commands that draw (`mc`, `sobol`, `morris`, and the HTML
//! briefing's fan chart) ask of this floor around a run, in the user's
//! terms: the metrics to report, the size checks made before any work, the
//! notes said before a run, failures to draw inputs as errors, and a whole
//! Monte Carlo run or Sobol' analysis in one call. The command line and
//! the Python package both call these, so both check, say and compute
//! exactly the same.

use crate::engine::kernel::Kernel;
use crate::engine::metrics::MetricRef;
use crate::error::Error;
use crate::model::{Model, DERIVED_PREMIUM};
use crate::render::count;
use crate::sensitivity::{metric_name, parse_metrics, Progress};

use super::design::{Design, DrawFailure, Sampler};
use super::mc::{run_watching, Convergence, McError, Samples, Target};
use super::noise::Noise;
use super::report::RunInfo;
use super::shard::Header;
use super::sobol::{analyse, OutputIndices, SobolError, MAX_INPUTS, MAX_N};
use super::{Plan, MAX_BYTES, MAX_EVALUATIONS};

/// Draws of `mc` unless `-n` says otherwise.
pub const DEFAULT_DRAWS: u64 = 10_000;
/// The seed of `mc` (and every drawing command) unless `--seed` says otherwise.
pub const DEFAULT_SEED: u64 = 1;

/// A request to draw that is refused before any work, each refusal with
/// its fields and its wording in one place.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// A metric given twice with `--metric`.
    #[error("--metric {0} is given twice")]
    MetricTwice(String),
    /// An `--until` target that does not parse (the reason names it).
    #[error("--until {0}")]
    Until(String),
    /// A statistic given twice with `--until`.
    #[error("--until names {0} twice")]
    UntilTwice(String),
    /// `-n 0`.
    #[error("-n must be at least 1")]
    NoDraws,
    /// More draws than one run makes.
    #[error(
        "-n {} is more draws than one run makes (at most {}); percentiles settle long before that — \
         try --until p95:0.1% to stop when they have",
        count(*.0),
        count(MAX_EVALUATIONS)
    )]
    TooManyDraws(u64),
    /// More draws than memory holds.
    #[error(
        "-n {} would need about {} GB of memory for exact percentiles and rank correlations of {columns} columns \
         (the limit is {} GB); use fewer draws or fewer --metric",
        count(*.n),
        .bytes >> 30,
        MAX_BYTES >> 30
    )]
    TooMuchMemory {
        /// The draws asked for.
        n: u64,
        /// The bytes they would take.
        bytes: u64,
        /// The columns (inputs and metrics) kept for each draw.
        columns: usize,
    },
    /// Sobol' rows outside the sequence.
    #[error("-n {0} is outside 2 to {max} (the length of the Sobol' sequence)", max = count(u64::from(MAX_N)))]
    SobolRows(u32),
    /// More inputs than Sobol' indices are estimated for.
    #[error(
        "{0} uncertain inputs are more than Sobol indices can be estimated for here (at most {MAX_INPUTS}); \
         screen them first with `dinarflow morris`"
    )]
    SobolInputs(usize),
    /// A Sobol' analysis of more evaluations than one run makes.
    #[error("-n {n} with {k} inputs needs {} evaluations, more than one run makes ({})", count(*.evaluations), count(MAX_EVALUATIONS))]
    SobolEvaluations {
        /// The rows of each Saltelli matrix.
        n: u32,
        /// The inputs.
        k: usize,
        /// The evaluations they take.
        evaluations: u64,
    },
}

crate::error::usage_refusal!(RequestError);

/// `--metric` references, or `defaults`; a metric named twice is refused.
pub fn metrics_or(model: &Model, given: &[String], defaults: &[&str]) -> Result<Vec<MetricRef>, Error> {
    let texts: Vec<String> = if given.is_empty() {
        defaults.iter().map(|s| s.to_string()).collect()
    } else {
        given.to_vec()
    };
    let metrics = parse_metrics(model, &texts)?;
    for (i, m) in metrics.iter().enumerate() {
        if metrics[..i].contains(m) {
            return Err(RequestError::MetricTwice(metric_name(model, m)).into());
        }
    }
    Ok(metrics)
}

/// A draw or correlation failure in the user's terms.
pub fn draw_error(plan: &Plan, f: DrawFailure) -> Error {
    plan.draw_error(f)
}

/// docs/model.md §1.6: 1,000 redraws in a row outside the range are an error.
pub fn exhausted(plan: &Plan, input: usize, index: Option<u64>) -> Error {
    plan.exhausted(input, index)
}

/// `--until` targets (`p95:0.5%`), each given or comma-separated; a
/// statistic named twice is refused.
pub fn parse_until(given: &[String]) -> Result<Vec<Target>, Error> {
    let mut out: Vec<Target> = Vec::new();
    for part in given.iter().flat_map(|g| g.split(',')) {
        let t = Target::parse(part.trim()).map_err(RequestError::Until)?;
        if out.iter().any(|o| o.stat == t.stat) {
            return Err(RequestError::UntilTwice(t.stat.name().to_string()).into());
        }
        out.push(t);
    }
    Ok(out)
}

/// Refuses a Monte Carlo run of `n` draws (of `columns` inputs and
/// metrics, `inputs` of them inputs) that is empty, too large to finish or
/// too large to hold in memory, before any work.
pub fn check_draws(n: u64, columns: usize, inputs: usize) -> Result<(), Error> {
    if n == 0 {
        return Err(RequestError::NoDraws.into());
    }
    if n > MAX_EVALUATIONS {
        return Err(RequestError::TooManyDraws(n).into());
    }
    let bytes = draw_bytes(n, columns, inputs);
    if bytes > MAX_BYTES {
        return Err(RequestError::TooMuchMemory { n, bytes, columns }.into());
    }
    Ok(())
}

/// The memory `n` draws of `columns` inputs and metrics (`inputs` of them
/// inputs) take for exact percentiles and rank correlations: columns of
/// f64 and u32 ranks, sorting room, and re-paired inputs (saturating, for
/// a count no run would make).
pub fn draw_bytes(n: u64, columns: usize, inputs: usize) -> u64 {
    n.saturating_mul(columns as u64 * 12 + 24)
        .saturating_add(n.saturating_mul(16 * inputs as u64))
}

/// What `mc` says before it draws: the plan's notes, and how many rank
/// correlations it induces.
pub fn mc_notes(model: &Model, plan: &Plan) -> Vec<String> {
    let mut notes = plan.notes.clone();
    if !model.correlation.is_empty() {
        notes.push(format!(
            "note: inducing {} rank correlation{} from [correlation] (Iman–Conover): correlated inputs move together in the draws, so an input's Spearman coefficient also carries its partners' effect; tornado and sobol move the inputs independently and can rank them differently",
            model.correlation.len(),
            if model.correlation.len() == 1 { "" } else { "s" }
        ));
    }
    for e in model.forecast_error.iter().filter(|e| !e.sigma.is_zero()) {
        let premium = if model.quote_error_of(DERIVED_PREMIUM) == Some(e) {
            format!(", and a month's {DERIVED_PREMIUM} is computed from that quote")
        } else {
            String::new()
        };
        notes.push(format!(
            "note: a month's {} (`{0}@YYYY-MM`, `:first`, `:last`, the fan chart's months) carries the model's own error, log-normal with σ {}% ([forecast_error]), beside the spread of [uncertainty]: its band is one for a quote{premium}; the summary over the timeline carries none",
            e.metric,
            e.sigma_pct()
        ));
    }
    notes
}

/// What `mc --until` says once the run stopped, after `n` draws of at
/// most `max_n`.
pub fn convergence_note(convergence: &Convergence, n: u64, max_n: u64) -> String {
    if convergence.all() {
        format!("note: every statistic converged after {} draws", count(n))
    } else {
        format!(
            "note: not every statistic converged within -n {} draws; the report says which",
            count(max_n)
        )
    }
}

/// The seed, sampler, inputs and metrics of a run, for its report, and
/// which metrics carry the model's own error (as [`Noise::of`] draws it).
pub fn run_info(model: &Model, plan: &Plan, metrics: &[MetricRef], seed: u64, sampler: Sampler) -> RunInfo {
    RunInfo {
        seed,
        sampler,
        inputs: plan.paths(),
        metrics: metrics
            .iter()
            .map(|m| (metric_name(model, m), m.id.unit().to_string()))
            .collect(),
        forecast_error: metrics
            .iter()
            .zip(super::noise::carried(model, metrics))
            .filter_map(|(m, e)| Some((metric_name(model, m), e?.sigma)))
            .collect(),
    }
}

/// A failed run in the user's terms; a draws file that cannot be written
/// is named by `io`.
pub fn mc_error(plan: &Plan, e: McError, io: impl FnOnce(std::io::Error) -> Error) -> Error {
    match e {
        McError::Draw(f) => draw_error(plan, f),
        McError::Engine { error, .. } => Error::Engine(error),
        McError::Io(e) => io(e),
    }
}

/// How many draws a run makes, and how: `-n`, `--seed`, `--sampler`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Draws {
    /// The number of draws (with `--until`: the most draws).
    pub n: u64,
    /// The seed of the random streams.
    pub seed: u64,
    /// Independent or Latin hypercube draws.
    pub sampler: Sampler,
}

/// Draws `draws.n` values of every input of `plan` and evaluates `metrics`
/// for each, stopping early once every `until` target holds: the columns
/// of a whole `mc` run, kept in memory, in draw order. A month's value of
/// a rate in `[forecast_error]` carries the model's own error
/// ([`Noise`]).
pub fn monte_carlo(
    model: &Model,
    plan: &Plan,
    metrics: &[MetricRef],
    draws: Draws,
    until: &[Target],
    progress: &dyn Progress,
) -> Result<(Samples, Option<Convergence>), Error> {
    draw_all(model, plan, metrics, 0, draws, until, progress, None)
}

/// [`monte_carlo`], also watching each draw's lowest custody balance
/// (`custody_balance_usd:min`, not among the returned columns and not held
/// to `until`): the columns, and that balance in each draw.
pub fn monte_carlo_watching_custody(
    model: &Model,
    plan: &Plan,
    metrics: &[MetricRef],
    draws: Draws,
    until: &[Target],
    progress: &dyn Progress,
) -> Result<(Samples, Option<Convergence>, Vec<f64>), Error> {
    let watched = with_custody_min(model, metrics)?;
    let (mut samples, convergence) = draw_all(model, plan, &watched, 1, draws, until, progress, None)?;
    let lowest = samples.metrics.pop().unwrap_or_default();
    Ok((samples, convergence, lowest))
}

/// `metrics`, then `custody_balance_usd:min` (each draw's lowest custody
/// balance), which `mc` watches to say how often the account runs dry.
pub fn with_custody_min(model: &Model, metrics: &[MetricRef]) -> Result<Vec<MetricRef>, Error> {
    let lowest =
        MetricRef::parse("custody_balance_usd:min", &model.base, &model.timeline).map_err(Error::Usage)?;
    Ok(metrics.iter().cloned().chain([lowest]).collect())
}

/// The text of the file `mc --draws FILE` writes for these draws: the
/// column line, then a row per draw (`draw`, each input at its own
/// places, each metric at the engine's own scale), made as the command
/// makes them (the custody account's lowest balance watched, not written);
/// the draws themselves are kept only where `until` needs them.
pub fn draws_csv(
    model: &Model,
    plan: &Plan,
    metrics: &[MetricRef],
    draws: Draws,
    until: &[Target],
    progress: &dyn Progress,
) -> Result<String, Error> {
    let watched = with_custody_min(model, metrics)?;
    let info = run_info(model, plan, metrics, draws.seed, draws.sampler);
    let mut text = Header::columns(&info);
    let rows = Rows {
        to: &mut text,
        keep: !until.is_empty(),
    };
    draw_all(model, plan, &watched, 1, draws, until, progress, Some(rows))?;
    String::from_utf8(text).map_err(|e| Error::Usage(e.to_string()))
}

/// Where a run writes its draws' rows, and whether it also keeps them.
struct Rows<'w> {
    to: &'w mut dyn std::io::Write,
    keep: bool,
}

/// The run behind [`monte_carlo`] and [`draws_csv`]: the last `watched`
/// of `metrics` kept but not held to `until`; each draw's row written to
/// `rows` if given.
#[allow(clippy::too_many_arguments)]
fn draw_all(
    model: &Model,
    plan: &Plan,
    metrics: &[MetricRef],
    watched: usize,
    draws: Draws,
    until: &[Target],
    progress: &dyn Progress,
    rows: Option<Rows<'_>>,
) -> Result<(Samples, Option<Convergence>), Error> {
    let Draws { n, seed, sampler } = draws;
    let design = Design::watching(plan, seed, sampler, n, progress)
        .map_err(|f| draw_error(plan, f))?
        .with_noise(Noise::of(model, metrics, seed));
    let kernel = Kernel::with_targets(model, &plan.targets(), metrics);
    let (to, keep) = match rows {
        Some(r) => (Some(r.to), r.keep),
        None => (None, true),
    };
    run_watching(&design, &kernel, 0..n, until, to, keep, progress, watched).map_err(|e| {
        mc_error(plan, e, |e| Error::Output {
            path: "memory".into(),
            message: e.to_string(),
        })
    })
}

/// Refuses a Sobol' analysis of `n` rows over `inputs` inputs that the
/// sequence or one run cannot hold; the number of evaluations it makes.
pub fn sobol_size(n: u32, inputs: usize) -> Result<u64, Error> {
    let k = inputs;
    if !(2..=MAX_N).contains(&n) {
        return Err(RequestError::SobolRows(n).into());
    }
    if k > MAX_INPUTS {
        return Err(RequestError::SobolInputs(k).into());
    }
    let evaluations = u64::from(n) * (k as u64 + 2);
    if evaluations > MAX_EVALUATIONS {
        return Err(RequestError::SobolEvaluations { n, k, evaluations }.into());
    }
    Ok(evaluations)
}

/// What `sobol` says before it runs: the plan's notes, an `n` that is not
/// a power of two, and that `[correlation]` is not used.
pub fn sobol_notes(model: &Model, plan: &Plan, n: u32) -> Vec<String> {
    let mut notes = plan.notes.clone();
    if !n.is_power_of_two() {
        notes.push(format!(
            "note: Sobol' points are balanced for powers of two; -n {} is used as given (next: {})",
            n,
            n.next_power_of_two()
        ));
    }
    if !model.correlation.is_empty() {
        notes.push("note: Sobol indices assume independent inputs; [correlation] is not used here".into());
    }
    notes
}

/// What `morris` says before it runs: the plan's notes, and that
/// `[correlation]` is not used (each trajectory moves one input at a time
/// on its own grid).
pub fn morris_notes(model: &Model, plan: &Plan) -> Vec<String> {
    let mut notes = plan.notes.clone();
    if !model.correlation.is_empty() {
        notes.push(
            "note: Morris screening moves independent inputs one at a time; [correlation] is not used here"
                .into(),
        );
    }
    notes
}

/// First-order and total Sobol indices of every input of `plan` for each
/// of `metrics`, from `n` rows of each Saltelli matrix scrambled by `seed`.
pub fn sobol_indices(
    model: &Model,
    plan: &Plan,
    metrics: &[MetricRef],
    n: u32,
    seed: u64,
    progress: &dyn Progress,
) -> Result<Vec<OutputIndices>, Error> {
    let kernel = Kernel::with_targets(model, &plan.targets(), metrics);
    analyse(&kernel, &plan.drawn(), n, seed, progress).map_err(|e| match e {
        SobolError::Exhausted { input } => exhausted(plan, input, None),
        SobolError::Engine(e) => Error::Engine(e),
    })
}
