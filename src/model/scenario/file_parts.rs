//! The parts of a scenario file as written: the keys it may hold (a model
//! section written into a scenario is named as such), its `[scenario]`
//! heading and its `[set]` entries, each read and resolved with its span,
//! before anything is applied to the model.

use std::ops::Range;

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::diagnostic::Problem;
use crate::model::reader::{unquoted_path_help, Node, Obj, Reader};
use crate::model::registry::{Kind, ParamId};
use crate::model::set_overlap::covers;
use crate::model::*;
use crate::num::decimal::clean;

pub(super) const TOP_KEYS: &[&str] = &["scenario", "set", "changes"];

/// What a scenario file may hold, in messages.
pub(super) const ALLOWED: &str = "[scenario] (name, description), [set] and [[changes]]";

/// What a `[set]` key may be.
pub(super) const SET_KEYS: &str =
    "\"PATH\" = VALUE, \"PATH*\" = FACTOR or \"PATH@YYYY-MM..\" = VALUE, from that month to the end";

/// One entry of `[set]`, read and resolved.
pub(super) struct SetEntry {
    pub(super) id: ParamId,
    /// `PATH*`: a factor on the whole schedule.
    pub(super) scale: bool,
    /// `PATH@YYYY-MM..`: from that month to the end of the timeline.
    pub(super) from: Option<YearMonth>,
    pub(super) value: Decimal,
    pub(super) source: Option<String>,
    pub(super) note: Option<String>,
    /// The key's span in the scenario file.
    pub(super) key: Range<usize>,
    /// The value's span.
    pub(super) at: Range<usize>,
}

impl Model {
    /// Reads `[set]`: `"PATH" = V` or `"PATH*" = F`, each a number or
    /// `{ value, source, note }`.
    pub(super) fn read_set(&self, r: &mut Reader, obj: &Obj<'_, '_>) -> Vec<SetEntry> {
        let mut out: Vec<SetEntry> = Vec::new();
        for (k, node) in obj.table.iter() {
            let key: &str = k.get_ref();
            let shown = format!("set.\"{key}\"");
            let (path, scale) = crate::model::factor::split_key(key.trim());
            let (path, from) = match path.rsplit_once('@') {
                Some((p, month)) => match self.set_from_month(k.span(), &shown, p, month, scale) {
                    Ok(m) => (p.trim_end(), Some(m)),
                    Err(problem) => {
                        r.report(problem);
                        continue;
                    }
                },
                None => (path, None),
            };
            let Some(id) = self.set_path(r, (k.span(), node), &shown, path) else {
                continue;
            };
            // A factor is checked by what it makes of each month's value.
            let kind = if scale { Kind::PriceOffset } else { id.kind() };
            let Some(param) = r.param_node(node, &shown, kind) else {
                continue;
            };
            if scale && param.value.is_sign_negative() {
                r.report(
                    Problem::new(
                        param.origin.span.clone(),
                        &shown,
                        format!("{} is a negative factor", clean(param.value)),
                    )
                    .allowed("a factor of 0 or more, e.g. 0.8 for 20% less"),
                );
                continue;
            }
            let at = param.origin.span.clone().unwrap_or(k.span());
            out.push(SetEntry {
                id,
                scale,
                from,
                value: param.value,
                source: param.origin.source,
                note: param.origin.note,
                key: k.span(),
                at,
            });
        }
        for p in undone(&out, obj) {
            r.report(p);
        }
        out
    }

    /// The month of `"PATH@YYYY-MM.."`, which must be in the timeline (a
    /// step until the next month is a `[[changes]]` entry).
    fn set_from_month(
        &self,
        key: Range<usize>,
        shown: &str,
        p: &str,
        month: &str,
        scale: bool,
    ) -> Result<YearMonth, Problem> {
        let month = month.trim();
        let Some(m) = month.strip_suffix("..").filter(|_| !scale) else {
            return Err(
                Problem::new(Some(key), shown, "[set] replaces a parameter for the whole timeline or from a month to its end; a step from one month until the next is a [[changes]] entry")
                    .allowed(SET_KEYS)
                    .help(format!(
                        "write \"{p}@{month}..\" = … to hold it from {month} to the end, or [[changes]] from = \"{month}\" set = {{ \"{p}\" = … }} for one step",
                        p = p.trim_end(),
                        month = month.trim_end_matches('.')
                    )),
            );
        };
        match m.trim_end().parse::<YearMonth>() {
            Ok(ym) if self.timeline.index_of(ym).is_some() => Ok(ym),
            Ok(ym) => {
                let mut problem = Problem::new(Some(key), shown, format!("{ym} is outside the timeline"))
                    .allowed(format!(
                        "a month from {} to {}",
                        self.timeline.start,
                        self.timeline.end()
                    ));
                if ym > self.timeline.end() {
                    problem = problem.help(format!(
                        "run the model on to {ym} with --horizon {ym} (or later): scenarios apply after the horizon"
                    ));
                }
                Err(problem)
            }
            Err(e) => Err(Problem::new(Some(key), shown, e).allowed(SET_KEYS)),
        }
    }

    /// The numeric parameter a `[set]` key names, or the problem reported.
    fn set_path(
        &self,
        r: &mut Reader,
        (key, node): (Range<usize>, &Node<'_>),
        shown: &str,
        path: &str,
    ) -> Option<ParamId> {
        let near = match r.resolve(&self.base, path) {
            Ok(id) => return Some(id),
            Err(near) => near,
        };
        let why = self
            .resolve_path(path)
            .err()
            .filter(|m| !m.contains("names no numeric parameter"));
        // A path that exists but cannot be changed gets no "did you mean".
        let near = if why.is_some() { Vec::new() } else { near };
        let mut p = Problem::new(
            Some(key),
            shown,
            why.unwrap_or_else(|| format!("`{path}` names no numeric parameter")),
        )
        .allowed("a parameter path such as auction.rejection_rate, PATH* for a factor or PATH@YYYY-MM.. from a month on");
        if let Some(help) = unquoted_path_help(path, node) {
            p = p.help(help);
        } else if !near.is_empty() {
            p = p.help(format!("did you mean {}?", near.join(", ")));
        }
        r.report(p);
        None
    }
}

/// `[set]` entries of one path apply in the file's order, as repeated
/// `--set` do (`"PATH" = V` then `"PATH@YYYY-MM.." = W`): an entry that a
/// later one replaces in every month it sets would be dropped without a
/// trace, so it is refused, as `--set` refuses it.
fn undone(entries: &[SetEntry], obj: &Obj<'_, '_>) -> Vec<Problem> {
    let form = |e: &SetEntry| match (e.scale, e.from) {
        (true, _) => SetForm::Scale(Decimal::ONE, 0, None),
        (false, Some(m)) => SetForm::From(m, Vec::new()),
        (false, None) => SetForm::Whole,
    };
    let key = |e: &SetEntry| {
        obj.table
            .iter()
            .find(|(k, _)| k.span() == e.key)
            .map_or(String::new(), |(k, _)| k.get_ref().to_string())
    };
    let mut out = Vec::new();
    for (i, earlier) in entries.iter().enumerate() {
        let Some(later) = entries[i + 1..]
            .iter()
            .find(|l| l.id == earlier.id && covers(&form(l), &form(earlier)))
        else {
            continue;
        };
        let (mine, theirs) = (key(earlier), key(later));
        out.push(
            Problem::new(
                Some(earlier.key.clone()),
                format!("set.\"{mine}\""),
                format!("has no effect: the later \"{theirs}\" sets every month it sets"),
            )
            .allowed(
                "entries of one path applied in the file's order, each setting a month no later one does",
            )
            .also_at(
                later.key.clone(),
                "this entry replaces it",
                "this entry is never used",
            )
            .help("keep one of them"),
        );
    }
    out
}

/// What to say of the model file section `key` written into a scenario:
/// how its values are changed by path, or that they cannot be.
fn model_section_help(key: &str) -> Option<String> {
    Some(match key {
        "exports" | "custody" | "airlift" | "auction" | "parallel_market" | "prices" => format!(
            "a scenario changes a model by path: write \"{key}.…\" = VALUE in [set], or a [[changes]] entry"
        ),
        "deductions" => "a scenario changes a model by path: write \"deductions[NAME].rate\" = VALUE in [set], or a [[changes]] entry".into(),
        "timeline" => "a scenario cannot change the timeline; run the model past its end with --horizon YYYY-MM".into(),
        "model" | "uncertainty" | "correlation" | "forecast_error" => {
            format!("a scenario cannot change [{key}]; edit it in the model file")
        }
        _ => return None,
    })
}

/// A model file given where a scenario belongs (`[model]` and no
/// `[scenario]`): one problem saying so, rather than one for each of its
/// sections.
pub(super) fn model_given_as_scenario(top: &Obj<'_, '_>, name: &str) -> Option<Problem> {
    if top.get("scenario").is_some() {
        return None;
    }
    let (key, _) = top.table.iter().find(|(k, _)| k.get_ref() == "model")?;
    Some(
        Problem::new(Some(key.span()), "", "this is a model file, not a scenario")
            .allowed(ALLOWED)
            .help(format!(
                "a scenario holds only what it changes; to compare this model with another, give both to diff: `dinarflow diff MODEL.toml {name}`"
            )),
    )
}

/// Unknown top-level keys, with a word for a model section written into a
/// scenario.
pub(super) fn check_top_keys(r: &mut Reader, top: &Obj<'_, '_>) {
    for (k, _) in top.table.iter() {
        let key: &str = k.get_ref();
        if TOP_KEYS.contains(&key) {
            continue;
        }
        let mut p = Problem::new(
            Some(k.span()),
            key,
            format!("unknown key `{key}` at the top level of a scenario"),
        )
        .allowed(ALLOWED);
        // A section of a model file, which a scenario does not repeat.
        if let Some(help) = model_section_help(key) {
            p = p.help(help);
        } else if key.contains(['.', '[']) {
            // A path written above the [set] header, or without one.
            p = p.help(format!(
                "a path is set under the [set] header: write [set] on a line above \"{key}\" = …"
            ));
        } else if let Some(best) = crate::diagnostic::nearest(key, TOP_KEYS.iter().copied(), 1).first() {
            p = p.help(format!("did you mean `{best}`?"));
        }
        r.report(p);
    }
}

/// `[scenario]`: its name (required, one line) and description.
pub(super) fn read_heading(r: &mut Reader, top: &Obj<'_, '_>) -> (String, Option<String>) {
    if top.get("scenario").is_none() {
        r.report(
            Problem::new(
                None,
                "scenario",
                "missing; a scenario file needs a [scenario] table with its name",
            )
            .allowed("[scenario] name = \"…\", description = \"…\" (optional)")
            .help("reports name the scenarios applied by it"),
        );
        return (String::new(), None);
    }
    let Some(s) = r.section(top, "scenario", true) else {
        return (String::new(), None);
    };
    r.check_keys(&s, &["name", "description"]);
    let name = match r.string(&s, "name", true) {
        Some((name, span))
            if name.trim().is_empty()
                || name
                    .chars()
                    .any(|c| c.is_control() || crate::diagnostic::is_format_char(c)) =>
        {
            r.report(
                Problem::new(
                    Some(span),
                    "scenario.name",
                    format!("{name:?} cannot be used as the scenario's name"),
                )
                .allowed("a name on one line, without control or format characters")
                .help("reports name the scenarios applied by it"),
            );
            String::new()
        }
        Some((name, _)) => name,
        None => String::new(),
    };
    (name, r.string(&s, "description", false).map(|d| d.0))
}
