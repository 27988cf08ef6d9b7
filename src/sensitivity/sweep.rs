//! `sweep`: the data table of a spreadsheet. One parameter over a list of
//! values gives a row per value and a column per metric; two parameters
//! give the two-variable table of one metric (rows the first parameter,
//! columns the second). Each point is the model run with those values set
//! for the whole timeline, exactly as `run --set` would run it.

use rust_decimal::Decimal;

use super::dry::{dry_runs, probe, split, DryRuns};
use super::refusal::Refusal;
use super::spec::{check_values, parse_scale, parse_vary, Vary};
use super::{metric_name, parse_metrics, target_note, Assignment, Evaluator, Progress, Target};
use crate::engine::metrics::{default_metrics, MetricRef};
use crate::error::Error;
use crate::model::Model;
use crate::num::decimal::clean;

/// The parameters and metrics `sweep` is asked for: each `--vary
/// PATH=SPEC`, then each `--scale PATH=SPEC`, and the `--metric`s
/// (default: `parallel_rate`, `premium_pct` and `cpi_impact_pct`, or
/// `parallel_rate` alone for a two-way table; a flow-only model's flows).
pub fn parse_sweep(
    model: &Model,
    vary: &[String],
    scale: &[String],
    metric: &[String],
) -> Result<(Vec<Vary>, Vec<MetricRef>), Error> {
    let varies = vary
        .iter()
        .map(|v| parse_vary(model, v))
        .chain(scale.iter().map(|v| parse_scale(model, v)))
        .collect::<Result<Vec<_>, _>>()?;
    let metrics = if metric.is_empty() {
        let all = default_metrics(&model.base);
        let defaults: &[&str] = if varies.len() == 2 { &all[..1] } else { &all };
        defaults.iter().map(|m| m.to_string()).collect()
    } else {
        metric.to_vec()
    };
    let metrics = parse_metrics(model, &metrics)?;
    Ok((varies, metrics))
}

/// What `sweep` says before it runs: for each parameter held for the whole
/// timeline or to its end, the `[[changes]]` it replaces; for a step that
/// a later step ends, which month ends it.
pub fn sweep_notes(model: &Model, varies: &[Vary]) -> Vec<String> {
    let mut notes: Vec<String> = varies
        .iter()
        .filter_map(|v| target_note(model, v.target, "--vary"))
        .collect();
    notes.extend(varies.iter().filter_map(|v| implausible_in(model, v)));
    notes
}

/// The first value of `v` outside its parameter's plausible range (for a
/// factor: the base value it scales to), as `run --set` would warn of it,
/// and how many more there are.
fn implausible_in(model: &Model, v: &Vary) -> Option<String> {
    let base = model.base.get(v.id);
    let path = v.path.trim_end_matches('*');
    let warned: Vec<String> = v
        .values
        .iter()
        .filter_map(|&x| match v.target {
            Target::Scale(_) => {
                crate::model::factor_warning(v.id, base, x, &format!("--scale {path}={}", clean(x)))
            }
            _ => crate::model::value_warning(v.id, x, &format!("--vary {path}={}", clean(x))),
        })
        .collect();
    let first = warned.first()?.clone();
    Some(match warned.len() {
        1 => first,
        n => format!("{first} (and {} more of its values)", n - 1),
    })
}

/// The result of a sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sweep {
    /// One or two parameters with their values.
    pub varies: Vec<Vary>,
    /// Metric references as written by the user.
    pub metrics: Vec<String>,
    /// One row per point, a value per metric. With two parameters, point
    /// `i × n2 + j` has the first at its value `i` and the second at `j`.
    pub points: Vec<Vec<Decimal>>,
    /// The points whose run emptied the custody account, each named as
    /// `--set` writes it: `PATH=V`, or `PATH=V with PATH2=W`.
    pub dry: DryRuns,
}

/// The point `i` of a sweep over `varies`, as `--set` writes it.
fn point_label(varies: &[Vary], i: usize) -> String {
    let set = |v: &Vary, k: usize| format!("{}={}", v.path, clean(v.values[k]));
    match varies {
        [a] => set(a, i),
        [a, b] => {
            let n = b.values.len();
            format!("{} with {}", set(a, i / n), set(b, i % n))
        }
        _ => String::new(),
    }
}

/// Most model runs one sweep may ask for (a 1,000 × 1,000 two-way table),
/// refused before anything runs so an absurd grid cannot exhaust memory.
pub const MAX_POINTS: usize = 1_000_000;

/// Runs the model at every value (every pair of values with two
/// parameters). Every value is checked before anything runs.
pub fn sweep(
    ev: &Evaluator<'_>,
    varies: Vec<Vary>,
    metrics: &[MetricRef],
    progress: &dyn Progress,
) -> Result<Sweep, Error> {
    match varies.as_slice() {
        [_] => {}
        [a, b] if a.id == b.id => return Err(Refusal::VaryTwice(a.path.clone()).into()),
        [_, _] => {}
        _ => return Err(Refusal::VaryCount(varies.len()).into()),
    }
    let runs: usize = varies.iter().map(|v| v.values.len()).product();
    if runs > MAX_POINTS {
        return Err(Refusal::TooManyRuns {
            runs,
            max: MAX_POINTS,
        }
        .into());
    }
    check_values(ev, &varies.iter().collect::<Vec<_>>())?;
    let points: Vec<Assignment> = match varies.as_slice() {
        [a] => a.values.iter().map(|x| vec![(a.target, *x)]).collect(),
        [a, b] => a
            .values
            .iter()
            .flat_map(|x| b.values.iter().map(move |y| vec![(a.target, *x), (b.target, *y)]))
            .collect(),
        _ => Vec::new(),
    };
    let probed: Vec<MetricRef> = metrics.iter().copied().chain([probe()]).collect();
    let (values, lowest) = split(ev.evaluate(&points, &probed, progress)?);
    Ok(Sweep {
        metrics: metrics.iter().map(|m| metric_name(ev.model, m)).collect(),
        dry: dry_runs(ev, &points, &lowest, |i| point_label(&varies, i)),
        varies,
        points: values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::{d, model};
    use crate::model::Model;
    use crate::render::{self, Format};
    use crate::report::sweep::SweepReport;
    use crate::sensitivity::spec::parse_vary;
    use crate::sensitivity::{parse_metrics, Silent};

    /// The sweep of the small model over `varies` reporting `metrics`.
    fn swept(m: &Model, varies: &[&str], metrics: &[&str]) -> Result<Sweep, Error> {
        let metrics: Vec<String> = metrics.iter().map(|t| t.to_string()).collect();
        let metrics = parse_metrics(m, &metrics)?;
        let varies = varies
            .iter()
            .map(|v| parse_vary(m, v))
            .collect::<Result<_, _>>()?;
        sweep(&Evaluator::new(m), varies, &metrics, &Silent)
    }

    fn text(s: &Sweep, m: &Model, f: Format) -> String {
        let mut out = Vec::new();
        render::write(&SweepReport::new(m, s.clone()), f, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn one_way_sweep_of_the_small_model() {
        let m = model();
        let s = swept(
            &m,
            &["auction.rejection_rate=0.8,1"],
            &["parallel_rate", "premium_pct@2023-02"],
        )
        .unwrap();
        // Custody does not run short at these rates, so every rejected dollar
        // is unmet. Rejection 0.8 in both months: u = 1,472,000 / 23 =
        // 1,280,000 / 20 = 64,000, D = 82,000, 1480 × 1.64^(1/3) = 1745.3251
        // in both; February's premium over 1310 is 100 × (1745.3251 / 1310 − 1)
        // = 33.2309. Rejection 1: u = 1,840,000 / 23 = 1,600,000 / 20 = 80,000,
        // D = 90,000, 1480 × 1.8^(1/3) = 1800.3318, premium 37.4299.
        assert_eq!(s.points[0], vec![d("1745.3251"), d("33.2309")]);
        assert_eq!(s.points[1], vec![d("1800.3318"), d("37.4299")]);
        assert_eq!(
            text(&s, &m, Format::Csv),
            "auction.rejection_rate,metric,value\n\
             0.8,parallel_rate,1745.3251\n0.8,premium_pct@2023-02,33.2309\n\
             1,parallel_rate,1800.3318\n1,premium_pct@2023-02,37.4299\n"
        );
        let md = text(&s, &m, Format::Md);
        assert!(
            md.contains("| auction.rejection_rate | parallel_rate | premium_pct@2023-02 |"),
            "{md}"
        );
        assert!(
            md.contains("|                      1 |    1,800.3318 |             37.4299 |"),
            "{md}"
        );
    }

    #[test]
    fn two_way_sweep_is_a_table_of_one_metric() {
        let m = model();
        let s = swept(
            &m,
            &[
                "auction.rejection_rate=0.8,1",
                "parallel_market.spillover_share=0.5,1",
            ],
            &["parallel_rate"],
        )
        .unwrap();
        // u = 64,000 or 80,000 in both months (see above); spillover 1 gives
        // D = 50,000 + u: 1480 × 2.28^(1/3) = 1947.9299, 1480 × 2.6^(1/3) = 2035.1019.
        let got: Vec<Decimal> = s.points.iter().map(|p| p[0]).collect();
        assert_eq!(
            got,
            vec![d("1745.3251"), d("1947.9299"), d("1800.3318"), d("2035.1019")]
        );
        let csv = text(&s, &m, Format::Csv);
        assert!(csv.starts_with(
            "auction.rejection_rate,parallel_market.spillover_share,metric,value\n0.8,0.5,parallel_rate,1745.3251\n0.8,1,parallel_rate,1947.9299\n"
        ), "{csv}");
        let table = text(&s, &m, Format::Table);
        assert!(
            table.contains("auction.rejection_rate \\ parallel_market.spillover_share"),
            "{table}"
        );
        let json = serde_json::to_value(SweepReport::new(&m, s.clone())).unwrap();
        assert_eq!(
            json["points"][3]["inputs"]["parallel_market.spillover_share"],
            "1"
        );
        assert_eq!(json["points"][2]["metrics"]["parallel_rate"], "1800.3318");
    }

    #[test]
    fn the_same_path_twice_is_an_error() {
        let m = model();
        let twice = "auction.rejection_rate=0.5";
        let e = swept(&m, &[twice, twice], &["parallel_rate"]).unwrap_err();
        assert!(e.to_string().contains("names auction.rejection_rate twice"));
    }
}
