//! The `[uncertainty]` table: which assumptions are uncertain and with what
//! distribution. Parsed and validated here; sampling is the job of `mc`.
//! A key `"PATH"` draws the parameter's value for the whole timeline; a key
//! `"PATH*"` (docs/model.md v2) draws a factor on every month's value of it.

use std::ops::Range;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use toml::de::DeValue;

use super::factor;
use super::reader::{unquoted_path_help, wrong_type, Node, Obj, Reader};
use super::registry::ParamId;
use super::rules::{self, Rule};
use super::{Change, Params};
use crate::diagnostic::{nearest, Problem};
use crate::sampling::distribution::{self, Distribution};

/// One uncertain assumption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncertain {
    /// The parameter drawn.
    pub param: ParamId,
    /// Its path, as written in `[uncertainty]` without a trailing `*`.
    pub path: String,
    /// How it is drawn.
    pub dist: Distribution,
    /// Whether a factor is drawn (`"PATH*"`) that multiplies the value in
    /// force in every month, rather than the value itself (`"PATH"`).
    pub scale: bool,
    /// Place of the entry in the model file.
    pub span: Range<usize>,
}

impl Uncertain {
    /// The input's name as `[uncertainty]` writes it: `PATH`, or `PATH*`
    /// for a drawn factor.
    pub fn name(&self) -> String {
        if self.scale {
            format!("{}*", self.path)
        } else {
            self.path.clone()
        }
    }
}

const DISTS: [&str; 6] = ["normal", "lognormal", "uniform", "triangular", "beta", "pert"];

/// Reads and validates the `[uncertainty]` table against the base params
/// and the `[[changes]]` (which a drawn factor scales too). With
/// incomplete params (a section failed), a list-entry path that does not
/// resolve may name an entry of a failed list, so it is not reported.
pub(super) fn read(
    r: &mut Reader,
    obj: &Obj<'_, '_>,
    params: &Params,
    changes: &[Change],
    complete: bool,
) -> Vec<Uncertain> {
    let mut out: Vec<Uncertain> = Vec::new();
    for (k, node) in obj.table.iter() {
        let key: &str = k.get_ref();
        let shown = format!("uncertainty.\"{key}\"");
        let (path, scale) = factor::split_key(key);
        let param = match r.resolve(params, path) {
            Ok(id) => id,
            Err(_) if !complete && path.contains('[') => continue,
            Err(near) => {
                if let Some(p) = params.absent_problem(path, k.span(), &shown) {
                    r.report(p);
                    continue;
                }
                let mut p = Problem::new(
                    Some(k.span()),
                    &shown,
                    format!("`{path}` names no numeric parameter"),
                )
                .allowed("a parameter path such as auction.rejection_rate, or PATH* to draw a factor on it");
                if let Some(help) = unquoted_path_help(key, node) {
                    p = p.help(help);
                } else if !near.is_empty() {
                    let near: Vec<String> = near
                        .iter()
                        .map(|n| format!("{n}{}", if scale { "*" } else { "" }))
                        .collect();
                    p = p.help(format!("did you mean {}?", near.join(", ")));
                }
                r.report(p);
                continue;
            }
        };
        if let Some(prev) = out.iter().find(|u| u.param == param) {
            r.report(drawn_twice(prev, path, scale, k.span(), &shown));
            continue;
        }
        if let Some(p) = in_a_sum(params, param, scale, k.span(), &shown) {
            r.report(p);
            continue;
        }
        if let Some(dist) = read_dist(r, node, &shown) {
            if let Some((message, allowed)) = outside(params, changes, param, path, scale, &dist) {
                r.report(Problem::new(Some(node.span()), &shown, message).allowed(allowed));
                continue;
            }
            out.push(Uncertain {
                param,
                path: path.to_string(),
                dist,
                scale,
                span: node.span(),
            });
        }
    }
    out
}

/// A second entry for the parameter `prev` draws already.
fn drawn_twice(prev: &Uncertain, path: &str, scale: bool, key: Range<usize>, shown: &str) -> Problem {
    let both = if prev.scale == scale {
        format!("draws {path} again; \"{}\" draws it already", prev.name())
    } else {
        format!(
            "draws {path} {}, and \"{}\" draws its {} already",
            if scale { "by a factor" } else { "as a value" },
            prev.name(),
            if prev.scale { "factor" } else { "value" }
        )
    };
    Problem::new(Some(key), shown, both)
        .allowed("one entry per parameter: its value (\"PATH\") or a factor on it (\"PATH*\"), not both")
        .help("remove one of the two entries")
}

/// A share or weight of a list whose entries must sum to exactly 1
/// (docs/model.md §1.6, §2.8): a drawn value, or a factor on it, would
/// break the sum, and dinarflow does not rescale the others.
fn in_a_sum(params: &Params, param: ParamId, scale: bool, key: Range<usize>, shown: &str) -> Option<Problem> {
    let Some(Rule::SumIsOne { what, .. }) = rules::sum_rule_of(params, param) else {
        return None;
    };
    let drawn = if scale {
        "a drawn factor on it"
    } else {
        "a drawn value"
    };
    Some(
        Problem::new(
            Some(key),
            shown,
            format!("cannot be drawn: {what} must sum to exactly 1, and {drawn} would break that"),
        )
        .allowed("any parameter but a buyer's share, a bank's share or a basket weight")
        .help(
            "remove it from [uncertainty]; dinarflow does not rescale the other entries behind your back. \
             To compare another split, set the entries together (`dinarflow diff --set-b PATH=VALUE --set-b PATH=VALUE` \
             or a scenario file)",
        ),
    )
}

/// What is wrong and what is allowed when a bounded `dist` lies entirely
/// outside what `param` (or, for a factor, every value of it) may be.
fn outside(
    params: &Params,
    changes: &[Change],
    param: ParamId,
    path: &str,
    scale: bool,
    dist: &Distribution,
) -> Option<(String, String)> {
    let (lo, hi) = distribution::bounded_support(dist)?;
    if scale {
        return factor_outside(params, changes, param, dist, (lo, hi));
    }
    let kind = param.kind();
    let below = kind.max().is_some_and(|m| lo > m);
    let above = kind.min().is_some_and(|(m, incl)| hi < m || (!incl && hi <= m));
    (below || above).then(|| {
        (
            format!("{dist} lies entirely outside the allowed range of {path}"),
            kind.allowed().to_string(),
        )
    })
}

/// For a factor drawn from `lo` to `hi`: what is wrong and what is allowed
/// when no factor it gives keeps `id` in its kind's range in the base and
/// every change (the rules across parameters are checked by `mc`).
fn factor_outside(
    params: &Params,
    changes: &[Change],
    id: ParamId,
    dist: &Distribution,
    (lo, hi): (Decimal, Decimal),
) -> Option<(String, String)> {
    let b = factor::kind_bounds(params, changes, id);
    if b.min.zip(b.max).is_some_and(|(a, z)| a > z) {
        // The values themselves are out of range, reported elsewhere.
        return None;
    }
    let units = |x: Decimal| {
        x.checked_mul(Decimal::from(10i64.pow(factor::PLACES)))
            .map(|u| u.round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointNearestEven))
            .and_then(|u| u.to_i128())
    };
    let above = b.max.is_some_and(|m| units(lo).is_none_or(|u| u > m));
    let below = b.min.is_some_and(|m| units(hi).is_none_or(|u| u < m));
    let path = params.path(id);
    (above || below).then(|| {
        (
            format!("{dist} lies entirely outside the factors allowed for {path}"),
            format!(
                "a factor {}: every month's value of {path} times it must be {}",
                factor::range_text(b),
                id.kind().allowed()
            ),
        )
    })
}

/// `{ dist = "normal", mean = …, sd = … }` for each distribution.
fn shape(dist: &str, keys: &[&str]) -> String {
    format!("{{ dist = \"{dist}\", {} = … }}", keys.join(" = …, "))
}

fn keys_of(dist: &str) -> &'static [&'static str] {
    match dist {
        "normal" => &["mean", "sd"],
        "lognormal" => &["mu", "sigma"],
        "uniform" => &["min", "max"],
        "beta" => &["alpha", "beta", "min", "max"],
        _ => &["min", "mode", "max"],
    }
}

/// Reads one distribution table of `[uncertainty]` (`path` is the entry as
/// messages show it): its kind, its parameters, and the rules on them.
fn read_dist(r: &mut Reader, node: &Node<'_>, path: &str) -> Option<Distribution> {
    let (obj, dist) = dist_table(r, node, path)?;
    let keys = keys_of(dist);
    let mut known = vec!["dist"];
    known.extend_from_slice(keys);
    r.check_keys(&obj, &known);
    let vals = dist_values(r, &obj, node, dist)?;
    let v = |i: usize| vals[i].0;
    let d = match dist {
        "normal" => Distribution::Normal { mean: v(0), sd: v(1) },
        "lognormal" => Distribution::LogNormal {
            mu: v(0),
            sigma: v(1),
        },
        "uniform" => Distribution::Uniform { min: v(0), max: v(1) },
        "triangular" => Distribution::Triangular {
            min: v(0),
            mode: v(1),
            max: v(2),
        },
        "beta" => Distribution::Beta {
            alpha: v(0),
            beta: v(1),
            min: v(2),
            max: v(3),
        },
        _ => Distribution::Pert {
            min: v(0),
            mode: v(1),
            max: v(2),
        },
    };
    let problem = too_peaked(&d, path, &vals)
        .or_else(|| {
            broken_parameter(&d).map(|(i, why, allowed)| {
                Problem::new(
                    Some(vals[i].1.clone()),
                    format!("{path}.{}", keys[i]),
                    format!("invalid {dist} distribution: {why}"),
                )
                .allowed(allowed)
            })
        })
        .or_else(|| {
            distribution::check(&d).err().map(|why| {
                Problem::new(
                    Some(node.span()),
                    path,
                    format!("invalid {dist} distribution: {why}"),
                )
                .allowed(why_allowed(dist))
            })
        });
    match problem {
        Some(p) => {
            r.report(p);
            None
        }
        None => Some(d),
    }
}

/// The entry as a table, with the name of its distribution (one of [`DISTS`]).
fn dist_table<'t, 'a>(r: &mut Reader, node: &'t Node<'a>, path: &str) -> Option<(Obj<'t, 'a>, &'static str)> {
    let DeValue::Table(table) = node.get_ref() else {
        r.report(
            wrong_type(node, path, "a distribution table")
                .allowed(format!("a table such as {}", shape("normal", keys_of("normal")))),
        );
        return None;
    };
    let obj = Obj {
        table,
        span: node.span(),
        path: path.to_string(),
    };
    let Some(name_node) = obj.get("dist") else {
        r.missing_allowed(&obj, "dist", Some(&DISTS.join(", ")));
        return None;
    };
    let (name, name_span) = r.as_string(name_node, &format!("{path}.dist"))?;
    let Some(&dist) = DISTS.iter().find(|d| **d == name) else {
        let mut p = Problem::new(
            Some(name_span),
            format!("{path}.dist"),
            format!("unknown distribution {name:?}"),
        )
        .allowed(DISTS.join(", "));
        if let Some(best) = nearest(&name, DISTS, 1).first() {
            p = p.help(format!("did you mean {best:?}?"));
        }
        r.report(p);
        return None;
    };
    Some((obj, dist))
}

/// The parameters of a `dist` distribution in [`keys_of`] order, each with
/// the span it is reported at (a beta's `min` and `max` default to 0 and 1).
fn dist_values(
    r: &mut Reader,
    obj: &Obj<'_, '_>,
    node: &Node<'_>,
    dist: &str,
) -> Option<Vec<(Decimal, Range<usize>)>> {
    let path = obj.path.as_str();
    let keys = keys_of(dist);
    let mut vals: Vec<(Decimal, Range<usize>)> = Vec::new();
    let mut ok = true;
    for key in keys {
        let optional = dist == "beta" && (*key == "min" || *key == "max");
        match obj.get(key) {
            Some(n) => match r.number(n, &format!("{path}.{key}")) {
                Some(v) => vals.push((v, n.span())),
                None => ok = false,
            },
            None if optional => vals.push((
                if *key == "min" {
                    Decimal::ZERO
                } else {
                    Decimal::ONE
                },
                node.span(),
            )),
            None => {
                // `stdev` written for `sd`: the unknown key's own problem
                // says which key it is written as, once.
                let written = obj
                    .table
                    .iter()
                    .any(|(k, _)| super::key_hints::synonym(k.get_ref(), &[*key]).is_some());
                if !written {
                    r.report(
                        Problem::new(Some(node.span()), path, format!("{dist} needs `{key}`"))
                            .allowed(shape(dist, keys)),
                    );
                }
                ok = false;
            }
        }
    }
    ok.then_some(vals)
}

/// The parameter that breaks a rule, said in the file's own terms: its
/// index in [`keys_of`], what is wrong and what is allowed.
fn broken_parameter(d: &Distribution) -> Option<(usize, String, &'static str)> {
    match d {
        Distribution::Normal { sd, .. } if *sd <= Decimal::ZERO => Some((1, format!("sd = {sd}"), "sd > 0")),
        Distribution::LogNormal { sigma, .. } if *sigma <= Decimal::ZERO => {
            Some((1, format!("sigma = {sigma}"), "sigma > 0"))
        }
        Distribution::Beta { alpha, .. } if *alpha <= Decimal::ZERO => {
            Some((0, format!("alpha = {alpha}"), "alpha > 0"))
        }
        Distribution::Beta { beta, .. } if *beta <= Decimal::ZERO => {
            Some((1, format!("beta = {beta}"), "beta > 0"))
        }
        Distribution::Uniform { min, max } if min >= max => {
            Some((1, format!("max {max} is not above min {min}"), "min < max"))
        }
        Distribution::Beta { min, max, .. } if min >= max => {
            Some((3, format!("max {max} is not above min {min}"), "min < max"))
        }
        Distribution::Triangular { min, max, .. } | Distribution::Pert { min, max, .. } if min >= max => {
            Some((2, format!("max {max} is not above min {min}"), "min < max"))
        }
        Distribution::Triangular { min, mode, max } | Distribution::Pert { min, mode, max }
            if mode < min || mode > max =>
        {
            Some((
                1,
                format!("mode {mode} is outside min {min} to max {max}"),
                "min <= mode <= max",
            ))
        }
        _ => None,
    }
}

/// Shapes past a million send statrs's inverse beta CDF into a search
/// that does not end (alpha = 1e7 did not finish in 20 s); such a beta
/// is a point a millionth wide anyway.
fn too_peaked(d: &Distribution, path: &str, vals: &[(Decimal, Range<usize>)]) -> Option<Problem> {
    let (i, key, value) = match d {
        Distribution::Beta { alpha, .. } if *alpha > MAX_BETA_SHAPE => (0, "alpha", *alpha),
        Distribution::Beta { beta, .. } if *beta > MAX_BETA_SHAPE => (1, "beta", *beta),
        _ => return None,
    };
    Some(
        Problem::new(
            Some(vals[i].1.clone()),
            format!("{path}.{key}"),
            format!("invalid beta distribution: {key} = {value} is above 1000000"),
        )
        .allowed(format!("0 < {key} <= 1000000"))
        .help(
            "a beta this peaked puts every draw within a millionth of one value; \
             give that value in the model instead, or a narrower min and max",
        ),
    )
}

/// The largest `alpha` or `beta` of a beta distribution.
pub const MAX_BETA_SHAPE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

fn why_allowed(dist: &str) -> &'static str {
    match dist {
        "normal" => "sd > 0",
        "lognormal" => "sigma > 0",
        "uniform" => "min < max",
        "beta" => "alpha > 0, beta > 0, min < max",
        _ => "min <= mode <= max, min < max",
    }
}
