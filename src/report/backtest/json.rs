//! `backtest --format json`: the scores, the model's own error and every
//! test row with its bands, as exact decimal strings (`null` where a
//! score is not defined); `--rolling`'s JSON reuses the score shapes.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

use super::{model_error_pct, BacktestReport};
use crate::calibration::backtest::{OwnError, Row};
use crate::calibration::compare::{decimal, Accuracy};
use crate::calibration::scoring::Skill;
use crate::report::ModelInfo;

/// Probabilistic scores in JSON: CRPS % and coverage, `null` where not defined.
#[derive(Serialize)]
pub(crate) struct SkillJson {
    crps_pct: Option<Decimal>,
    coverage_50_pct: Option<Decimal>,
    coverage_80_pct: Option<Decimal>,
}

impl SkillJson {
    pub(crate) fn of(k: &Skill) -> SkillJson {
        SkillJson {
            crps_pct: if k.n == 0 { None } else { decimal(k.crps_pct, 4) },
            coverage_50_pct: k.coverage[0].and_then(|x| decimal(x, 4)),
            coverage_80_pct: k.coverage[1].and_then(|x| decimal(x, 4)),
        }
    }
}

/// One forecast's point scores in JSON, `null` where it scored no row,
/// with its probabilistic scores.
#[derive(Serialize)]
pub(crate) struct ScoreJson {
    n: usize,
    rmse_pct: Option<Decimal>,
    mae_pct: Option<Decimal>,
    bias_pct: Option<Decimal>,
    #[serde(flatten)]
    skill: SkillJson,
}

impl ScoreJson {
    pub(crate) fn of(a: &Accuracy, k: &Skill) -> ScoreJson {
        let p = |x: f64| if a.n == 0 { None } else { decimal(x, 4) };
        ScoreJson {
            n: a.n,
            rmse_pct: p(a.rmse_pct),
            mae_pct: p(a.mae_pct),
            bias_pct: p(a.bias_pct),
            skill: SkillJson::of(k),
        }
    }
}

/// A named forecast's scores in JSON (a benchmark, or the pooled model).
#[derive(Serialize)]
pub(crate) struct NamedScoreJson {
    name: &'static str,
    #[serde(flatten)]
    score: ScoreJson,
}

impl NamedScoreJson {
    pub(crate) fn of(name: &'static str, a: &Accuracy, k: &Skill) -> NamedScoreJson {
        NamedScoreJson {
            name,
            score: ScoreJson::of(a, k),
        }
    }
}

/// A test row in JSON: the observation, the model's forecast with its
/// bands and CRPS %, and each benchmark's forecast and CRPS %.
#[derive(Serialize)]
struct RowJson<'a> {
    date: &'a str,
    month: String,
    metric: &'a str,
    observed: Decimal,
    model: Decimal,
    error_pct: Option<Decimal>,
    model_p25: Option<Decimal>,
    model_p75: Option<Decimal>,
    model_p10: Option<Decimal>,
    model_p90: Option<Decimal>,
    crps_pct: Option<Decimal>,
    random_walk: Option<Decimal>,
    training_mean: Option<Decimal>,
    premium_held: Option<Decimal>,
    random_walk_crps_pct: Option<Decimal>,
    training_mean_crps_pct: Option<Decimal>,
    premium_held_crps_pct: Option<Decimal>,
}

impl<'a> RowJson<'a> {
    fn of(r: &'a Row) -> RowJson<'a> {
        let p = |x: f64| decimal(x, 4);
        let band = |i: usize, end: usize| {
            r.model_bands
                .and_then(|b| p(if end == 0 { b[i].0 } else { b[i].1 }))
        };
        let bench = |i: usize| r.benchmark_scores[i].and_then(|s| p(s.crps_pct));
        RowJson {
            date: &r.row.date,
            month: r.row.month.to_string(),
            metric: &r.row.metric,
            observed: r.row.value,
            model: r.model,
            error_pct: p(model_error_pct(r)),
            model_p25: band(0, 0),
            model_p75: band(0, 1),
            model_p10: band(1, 0),
            model_p90: band(1, 1),
            crps_pct: p(r.model_score.crps_pct),
            random_walk: r.benchmarks[0].and_then(p),
            training_mean: r.benchmarks[1].and_then(p),
            premium_held: r.benchmarks[2].and_then(p),
            random_walk_crps_pct: bench(0),
            training_mean_crps_pct: bench(1),
            premium_held_crps_pct: bench(2),
        }
    }
}

/// The model's own error on a metric's training rows, as JSON: σ and
/// the root mean square in percent (4 places), the rows, and the
/// parameters refitted to how many rows.
#[derive(Serialize)]
pub(crate) struct OwnErrorJson {
    metric: String,
    sigma_pct: Option<Decimal>,
    rms_pct: Option<Decimal>,
    n: usize,
    refitted: usize,
    refitted_to: usize,
    /// `training` (estimated from the training rows) or `model` (the
    /// model's `[forecast_error]`, the training rows being too few).
    from: &'static str,
}

impl OwnErrorJson {
    pub(crate) fn of(e: &OwnError) -> Self {
        OwnErrorJson {
            metric: e.metric.clone(),
            sigma_pct: decimal(100.0 * e.sigma, 4),
            rms_pct: decimal(100.0 * e.rms, 4),
            n: e.n,
            refitted: e.refitted,
            refitted_to: if e.refitted > 0 { e.all } else { 0 },
            from: if e.written { "model" } else { "training" },
        }
    }
}

/// `{"test": {"n","rmse_pct","mae_pct","bias_pct","mape_pct","theil_u",
/// "crps_pct","coverage_50_pct","coverage_80_pct"}, "draws", "seed",
/// "benchmarks": [{"name","n","rmse_pct","mae_pct","bias_pct","crps_pct",
/// "coverage_50_pct","coverage_80_pct"}], "spreads", "own_error":
/// [{"metric","sigma_pct","rms_pct","n","refitted","refitted_to","from"}],
/// "rows": [...], "warnings", "refit_warnings" (the refit's, and each
/// parameter it kept)}`.
impl Serialize for BacktestReport {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Test {
            n: usize,
            rmse_pct: Option<Decimal>,
            mae_pct: Option<Decimal>,
            bias_pct: Option<Decimal>,
            mape_pct: Option<Decimal>,
            theil_u: Option<Decimal>,
            #[serde(flatten)]
            skill: SkillJson,
        }
        #[derive(Serialize)]
        struct Json<'a> {
            model: &'a ModelInfo,
            observed: &'a str,
            train_until: String,
            draws: u64,
            seed: u64,
            test: Test,
            benchmarks: Vec<NamedScoreJson>,
            spreads: &'a [String],
            own_error: Vec<OwnErrorJson>,
            rows: Vec<RowJson<'a>>,
            warnings: &'a [String],
            refit_warnings: Vec<&'a String>,
        }
        let b = &self.backtest;
        let p = |x: f64| decimal(x, 4);
        Json {
            model: &self.model,
            observed: &self.observed,
            train_until: b.train_until.to_string(),
            draws: b.draws,
            seed: b.seed,
            test: Test {
                n: b.test.n,
                rmse_pct: p(b.test.rmse_pct),
                mae_pct: p(b.test.mae_pct),
                bias_pct: p(b.test.bias_pct),
                mape_pct: p(b.test.mape_pct),
                theil_u: b.theil_u.and_then(p),
                skill: SkillJson::of(&b.skill),
            },
            benchmarks: b
                .benchmarks
                .iter()
                .map(|s| NamedScoreJson::of(s.name, &s.accuracy, &s.skill))
                .collect(),
            spreads: &b.spreads,
            own_error: b.own_errors.iter().map(OwnErrorJson::of).collect(),
            rows: b.rows.iter().map(RowJson::of).collect(),
            warnings: &b.warnings,
            refit_warnings: b.refit_warnings.iter().chain(&b.not_refitted).collect(),
        }
        .serialize(s)
    }
}
