//! The `[correlation]` table: rank correlations between uncertain inputs,
//! `"exports.price_usd_per_bbl|auction.requests_usd_per_day" = 0.6`, which
//! `mc` induces with Iman–Conover (a drawn factor is named `PATH*`, as in
//! `[uncertainty]`). Parsed and validated here: both paths
//! name inputs of `[uncertainty]`, each pair once, values strictly between
//! -1 and 1, and the matrix they make positive definite (a set of
//! correlations no joint distribution can have is refused, naming them).

use std::collections::HashMap;
use std::ops::Range;

use rust_decimal::Decimal;

use super::reader::{Obj, Reader};
use super::registry::{Kind, ParamId};
use super::uncertainty::Uncertain;
use super::Params;
use crate::diagnostic::Problem;
use crate::num::decimal::to_f64;
use crate::sampling::iman_conover::score_correlation;
use crate::sampling::linalg::cholesky;

/// The rank correlation of two uncertain inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correlation {
    /// One input of the pair.
    pub a: ParamId,
    /// The other input.
    pub b: ParamId,
    /// The two paths as the key wrote them, `a|b`.
    pub key: String,
    /// Target rank (Spearman) correlation, -1 to 1.
    pub rho: Decimal,
    /// Place of the entry in the model file.
    pub span: Range<usize>,
    /// The entry's citation.
    pub source: Option<String>,
    /// The entry's remark.
    pub note: Option<String>,
}

const ALLOWED: &str = "a rank correlation strictly between -1 and 1";

/// Reads `[correlation]`; `uncertain` are the inputs of `[uncertainty]`.
pub(super) fn read(
    r: &mut Reader,
    obj: &Obj<'_, '_>,
    params: &Params,
    uncertain: &[Uncertain],
) -> Vec<Correlation> {
    let mut out: Vec<Correlation> = Vec::new();
    let mut pairs: HashMap<(ParamId, ParamId), usize> = HashMap::new();
    for (k, node) in obj.table.iter() {
        let key: &str = k.get_ref();
        let shown = format!("correlation.\"{key}\"");
        let Some((pa, pb)) = key
            .split_once('|')
            .filter(|(a, b)| !b.contains('|') && !a.trim().is_empty() && !b.trim().is_empty())
        else {
            r.report(
                Problem::new(Some(k.span()), &shown, format!("`{key}` is not a pair of parameter paths"))
                    .allowed("\"PATH|PATH\", two [uncertainty] paths joined by |, e.g. \"exports.price_usd_per_bbl|auction.requests_usd_per_day\""),
            );
            continue;
        };
        let ids: Vec<ParamId> = [pa.trim(), pb.trim()]
            .into_iter()
            .filter_map(|p| drawn_input(r, params, uncertain, p, (k.span(), &shown)))
            .collect();
        let Some(param) = r.param_node(node, &shown, Kind::PriceOffset) else {
            continue;
        };
        let rho = param.value;
        let span = param.origin.span.clone().unwrap_or(node.span());
        if rho <= Decimal::NEGATIVE_ONE || rho >= Decimal::ONE {
            let mut p = Problem::new(Some(span), &shown, format!("{rho} is out of range")).allowed(ALLOWED);
            if rho.abs() == Decimal::ONE {
                p = p.help("inputs that move in lockstep are one input: keep one of them uncertain");
            }
            r.report(p);
            continue;
        }
        let [a, b] = ids[..] else { continue };
        if a == b {
            r.report(
                Problem::new(Some(k.span()), &shown, "correlates a path with itself")
                    .allowed("two different [uncertainty] paths"),
            );
            continue;
        }
        if let Some(prev) = pairs.get(&(a.min(b), a.max(b))).map(|&i| &out[i]) {
            r.report(
                Problem::new(
                    Some(k.span()),
                    &shown,
                    format!("repeats the pair \"{}\"", prev.key),
                )
                .allowed("each pair of inputs once"),
            );
            continue;
        }
        pairs.insert((a.min(b), a.max(b)), out.len());
        out.push(Correlation {
            a,
            b,
            key: key.to_string(),
            rho,
            span,
            source: param.origin.source,
            note: param.origin.note,
        });
    }
    if let Some(p) = not_positive_definite(&out, |rho| rho) {
        r.report(p);
    } else if let Some(p) = not_positive_definite(&out, score_correlation) {
        r.report(p);
    }
    out
}

/// The uncertain input a side `p` of a pair names (`PATH*` a drawn factor,
/// `PATH` a drawn value), or the problem reported at the pair's `key`.
fn drawn_input(
    r: &mut Reader,
    params: &Params,
    uncertain: &[Uncertain],
    p: &str,
    (key, shown): (Range<usize>, &str),
) -> Option<ParamId> {
    let (path, scale) = super::factor::split_key(p);
    let id = match r.resolve(params, path) {
        Ok(id) => id,
        Err(near) => {
            if let Some(p) = params.absent_problem(path, key.clone(), shown) {
                r.report(p);
                return None;
            }
            let mut pr = Problem::new(Some(key), shown, format!("`{path}` names no numeric parameter"))
                .allowed("paths of [uncertainty] entries");
            if !near.is_empty() {
                pr = pr.help(format!("did you mean {}?", near.join(", ")));
            }
            r.report(pr);
            return None;
        }
    };
    let found = uncertain.iter().find(|u| u.param == id);
    let help = match found {
        Some(u) if u.scale == scale => return Some(id),
        Some(u) => format!("[uncertainty] draws it as \"{}\"; write that here", u.name()),
        None => format!("add a distribution for {p} to [uncertainty], or remove this pair"),
    };
    r.report(
        Problem::new(Some(key), shown, format!("`{p}` has no [uncertainty] entry"))
            .allowed("paths of [uncertainty] entries: only uncertain inputs can be correlated")
            .help(help),
    );
    None
}

/// Inputs linked by correlations, each group in order of first mention,
/// with the group's matrix of `f(rho)` (row-major, ones on the diagonal).
pub fn groups(pairs: &[Correlation], f: impl Fn(f64) -> f64) -> Vec<(Vec<ParamId>, Vec<f64>)> {
    let mut order: Vec<ParamId> = Vec::new();
    for c in pairs {
        for id in [c.a, c.b] {
            if !order.contains(&id) {
                order.push(id);
            }
        }
    }
    // Union-find over the inputs mentioned.
    let index: HashMap<ParamId, usize> = order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let mut parent: Vec<usize> = (0..order.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for c in pairs {
        let (x, y) = (find(&mut parent, index[&c.a]), find(&mut parent, index[&c.b]));
        parent[x.max(y)] = x.min(y);
    }
    let mut out: Vec<(Vec<ParamId>, Vec<f64>)> = Vec::new();
    let mut root_of_group: Vec<usize> = Vec::new();
    for (i, id) in order.iter().enumerate() {
        let root = find(&mut parent, i);
        match root_of_group.iter().position(|r| *r == root) {
            Some(g) => out[g].0.push(*id),
            None => {
                root_of_group.push(root);
                out.push((vec![*id], Vec::new()));
            }
        }
    }
    for (members, matrix) in &mut out {
        let g = members.len();
        *matrix = vec![0.0; g * g];
        for i in 0..g {
            matrix[i * g + i] = 1.0;
        }
        for c in pairs {
            let (Some(i), Some(j)) = (
                members.iter().position(|m| *m == c.a),
                members.iter().position(|m| *m == c.b),
            ) else {
                continue;
            };
            let v = f(to_f64(c.rho));
            matrix[i * g + j] = v;
            matrix[j * g + i] = v;
        }
    }
    out
}

/// The problem with a set of correlations no joint distribution can have:
/// the pairs among the inputs of the first group block that is not
/// positive definite.
fn not_positive_definite(pairs: &[Correlation], f: impl Fn(f64) -> f64 + Copy) -> Option<Problem> {
    for (members, matrix) in groups(pairs, f) {
        let g = members.len();
        let Err(j) = cholesky(&matrix, g) else {
            continue;
        };
        let involved = &members[..=j];
        let named: Vec<&Correlation> = pairs
            .iter()
            .filter(|c| involved.contains(&c.a) && involved.contains(&c.b))
            .collect();
        let list: Vec<String> = named
            .iter()
            .map(|c| format!("\"{}\" = {}", c.key, c.rho))
            .collect();
        let span = named.last().map(|c| c.span.clone());
        return Some(
            Problem::new(
                span,
                "correlation",
                format!(
                    "these correlations cannot hold together (the matrix is not positive definite): {}",
                    list.join(", ")
                ),
            )
            .allowed("correlations that some joint distribution can have (a positive definite matrix)")
            .help("weaken the strongest of these correlations or remove one of the pairs"),
        );
    }
    None
}
