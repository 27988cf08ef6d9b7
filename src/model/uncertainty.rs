//! The `[uncertainty]` table: which assumptions are uncertain and with what
//! distribution. Parsed and validated here; sampling is the job of `mc`.

use std::fmt;
use std::ops::Range;

use rust_decimal::Decimal;
use statrs::distribution::{Beta, LogNormal, Normal, Triangular, Uniform};

use super::params::ParamId;
use super::reader::{Node, Obj, Reader};
use super::Params;
use crate::diagnostic::{nearest, Problem};
use crate::number::to_f64;

/// A distribution as written in the model file (exact decimals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Distribution {
    Normal {
        mean: Decimal,
        sd: Decimal,
    },
    LogNormal {
        mu: Decimal,
        sigma: Decimal,
    },
    Uniform {
        min: Decimal,
        max: Decimal,
    },
    Triangular {
        min: Decimal,
        mode: Decimal,
        max: Decimal,
    },
    Beta {
        alpha: Decimal,
        beta: Decimal,
        min: Decimal,
        max: Decimal,
    },
    Pert {
        min: Decimal,
        mode: Decimal,
        max: Decimal,
    },
}

impl fmt::Display for Distribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Distribution::Normal { mean, sd } => write!(f, "normal(mean {mean}, sd {sd})"),
            Distribution::LogNormal { mu, sigma } => write!(f, "lognormal(mu {mu}, sigma {sigma})"),
            Distribution::Uniform { min, max } => write!(f, "uniform({min} to {max})"),
            Distribution::Triangular { min, mode, max } => write!(f, "triangular({min}, mode {mode}, {max})"),
            Distribution::Beta {
                alpha,
                beta,
                min,
                max,
            } => {
                write!(f, "beta(alpha {alpha}, beta {beta}, {min} to {max})")
            }
            Distribution::Pert { min, mode, max } => write!(f, "pert({min}, mode {mode}, {max})"),
        }
    }
}

/// One uncertain assumption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncertain {
    pub param: ParamId,
    pub path: String,
    pub dist: Distribution,
    pub span: Range<usize>,
}

const DISTS: [&str; 6] = ["normal", "lognormal", "uniform", "triangular", "beta", "pert"];

/// Reads and validates the `[uncertainty]` table against the base params.
pub(super) fn read(r: &mut Reader, obj: &Obj<'_, '_>, params: &Params) -> Vec<Uncertain> {
    let mut out = Vec::new();
    for (k, node) in obj.table.iter() {
        let path: &str = k.get_ref();
        let shown = format!("uncertainty.\"{path}\"");
        let param = match params.resolve(path) {
            Ok(id) => id,
            Err(near) => {
                let mut p = Problem::new(
                    Some(k.span()),
                    &shown,
                    format!("`{path}` names no numeric parameter"),
                )
                .allowed("a parameter path such as auction.rejection_rate");
                if !near.is_empty() {
                    p = p.help(format!("did you mean {}?", near.join(", ")));
                }
                r.report(p);
                continue;
            }
        };
        if let Some(dist) = read_dist(r, node, &shown) {
            let kind = param.kind();
            if let Some((lo, hi)) = bounded_support(&dist) {
                let below = kind.max().is_some_and(|m| lo > m);
                let above = kind.min().is_some_and(|(m, incl)| hi < m || (!incl && hi <= m));
                if below || above {
                    r.report(
                        Problem::new(
                            Some(node.span()),
                            &shown,
                            format!("{dist} lies entirely outside the allowed range of {path}"),
                        )
                        .allowed(kind.allowed()),
                    );
                    continue;
                }
            }
            out.push(Uncertain {
                param,
                path: path.to_string(),
                dist,
                span: node.span(),
            });
        }
    }
    out
}

fn bounded_support(d: &Distribution) -> Option<(Decimal, Decimal)> {
    match d {
        Distribution::Uniform { min, max }
        | Distribution::Triangular { min, max, .. }
        | Distribution::Beta { min, max, .. }
        | Distribution::Pert { min, max, .. } => Some((*min, *max)),
        _ => None,
    }
}

fn read_dist(r: &mut Reader, node: &Node<'_>, path: &str) -> Option<Distribution> {
    let obj = r.obj(node, path)?;
    let (name, name_span) = r.string(&obj, "dist", true)?;
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
    let keys: &[&str] = match dist {
        "normal" => &["mean", "sd"],
        "lognormal" => &["mu", "sigma"],
        "uniform" => &["min", "max"],
        "beta" => &["alpha", "beta", "min", "max"],
        _ => &["min", "mode", "max"],
    };
    let mut known = vec!["dist"];
    known.extend_from_slice(keys);
    r.check_keys(&obj, &known);
    let mut vals = Vec::new();
    for key in keys {
        let optional = dist == "beta" && (*key == "min" || *key == "max");
        match obj.get(key) {
            Some(n) => vals.push(r.number(n, &format!("{path}.{key}"))?),
            None if optional => vals.push(if *key == "min" {
                Decimal::ZERO
            } else {
                Decimal::ONE
            }),
            None => {
                r.report(
                    Problem::new(Some(node.span()), path, format!("{dist} needs `{key}`")).allowed(format!(
                        "{{ dist = \"{dist}\", {} }}",
                        keys.join(" = …, ") + " = …"
                    )),
                );
                return None;
            }
        }
    }
    let d = match dist {
        "normal" => Distribution::Normal {
            mean: vals[0],
            sd: vals[1],
        },
        "lognormal" => Distribution::LogNormal {
            mu: vals[0],
            sigma: vals[1],
        },
        "uniform" => Distribution::Uniform {
            min: vals[0],
            max: vals[1],
        },
        "triangular" => Distribution::Triangular {
            min: vals[0],
            mode: vals[1],
            max: vals[2],
        },
        "beta" => Distribution::Beta {
            alpha: vals[0],
            beta: vals[1],
            min: vals[2],
            max: vals[3],
        },
        _ => Distribution::Pert {
            min: vals[0],
            mode: vals[1],
            max: vals[2],
        },
    };
    if let Err(why) = check_with_statrs(&d) {
        r.report(
            Problem::new(
                Some(node.span()),
                path,
                format!("invalid {dist} distribution: {why}"),
            )
            .allowed(why_allowed(dist)),
        );
        return None;
    }
    Some(d)
}

fn why_allowed(dist: &str) -> &'static str {
    match dist {
        "normal" => "sd > 0",
        "lognormal" => "sigma > 0",
        "uniform" => "min < max",
        "beta" => "alpha > 0, beta > 0, min < max",
        _ => "min <= mode <= max, min < max",
    }
}

/// Builds the statrs distribution to check its parameters.
fn check_with_statrs(d: &Distribution) -> Result<(), String> {
    let f = |x: &Decimal| to_f64(*x);
    let res = match d {
        Distribution::Normal { mean, sd } => {
            Normal::new(f(mean), f(sd)).map(|_| ()).map_err(|e| e.to_string())
        }
        Distribution::LogNormal { mu, sigma } => LogNormal::new(f(mu), f(sigma))
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Distribution::Uniform { min, max } => Uniform::new(f(min), f(max))
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Distribution::Triangular { min, mode, max } => Triangular::new(f(min), f(max), f(mode))
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Distribution::Beta {
            alpha,
            beta,
            min,
            max,
        } => {
            if min >= max {
                Err("min must be below max".to_string())
            } else {
                Beta::new(f(alpha), f(beta))
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        }
        Distribution::Pert { min, mode, max } => {
            if !(min <= mode && mode <= max && min < max) {
                Err("needs min <= mode <= max and min < max".to_string())
            } else {
                Ok(())
            }
        }
    };
    res.map_err(|e| e.to_lowercase())
}
