//! `POST /api/scenario`: the page's what-if (its `--set`s, in order) as a
//! scenario file for `--scenario`, with the `run --set` command it is the
//! same as. A scenario applies its `[set]` (in the file's order) before
//! its `[[changes]]`, while `--set`s apply in order; the page's file keeps
//! one `[set]` entry per parameter (a value, a factor or a value from a
//! month on), so the `--set`s of one parameter are written as that entry
//! and steps:
//!
//! * `PATH=V` then `PATH*=F`: `"PATH" = V × F` (money rounded to cents, as
//!   the factor rounds it);
//! * a later `PATH@M..=V` after a value, a factor or an earlier
//!   `PATH@M0..`: the step from M (with, after a factor, the model's later
//!   steps set to V too, which `..` would have dropped);
//! * `PATH@M=V`: the step from M;
//! * `PATH*=F` after a step or a value from a month on: the factor (or,
//!   after a value, the product) in `[set]`, and each step set before it,
//!   and after `PATH@M..` each of the model's steps after M, written with
//!   the value in force once scaled, as `--set` leaves it.
//!
//! What cannot be written so (a second factor, which a request cannot
//! hold, its keys being unique) is refused, and the
//! file written is layered on the model and run before it is handed out:
//! if its figures are not the `--set`s' to the last digit, it is refused
//! rather than saved.

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::engine;
use crate::error::Error;
use crate::model::{Model, ParamId, SetForm, SetNote};
use crate::report::command_line::command_line;

/// The file name the page saves and the comment lines name.
pub(super) const FILE: &str = "what-if.toml";

/// A scenario written for the page: its text and the `run` command with
/// the same `--set`s.
pub(super) struct Written {
    pub(super) text: String,
    pub(super) command: String,
}

/// One parameter's `[set]` entry.
enum Head {
    /// `"PATH" = V`, and how it came about when not as given (`1400 × 1.1`).
    Whole(Decimal, Option<String>),
    /// `"PATH*" = F`.
    Scale(Decimal),
    /// `"PATH@M.." = V`.
    From(YearMonth, Decimal),
}

/// One `[[changes]]` step, and why it is there when not set as a step.
struct Step {
    month: YearMonth,
    path: String,
    value: Decimal,
    why: Option<String>,
}

/// Why a `--set` list cannot be written as a scenario.
fn cannot(spec: &str, why: &str) -> Error {
    Error::Usage(format!(
        "--set {spec} cannot be saved in a scenario file: {why}; the --set list runs as it is (dinarflow run --set …)"
    ))
}

/// The scenario for `specs` (`--set` arguments, in order, which gave
/// `notes` on `model`), dated `date` (`YYYY-MM-DD`, or none).
pub(super) fn write(
    model: &Model,
    specs: &[&str],
    notes: &[SetNote],
    date: Option<&str>,
) -> Result<Written, Error> {
    let mut heads: Vec<(String, Head)> = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    for (i, (note, spec)) in notes.iter().zip(specs).enumerate() {
        let path = note.path.clone();
        let at = heads.iter().position(|h| h.0 == path);
        let stepped = steps.iter().any(|s| s.path == path);
        let v = note.value;
        let whole = at.and_then(|h| match heads[h].1 {
            Head::Whole(w, _) => Some(w),
            _ => None,
        });
        let scaled = at.is_some_and(|h| matches!(heads[h].1, Head::Scale(_)));
        match (&note.form, at) {
            (SetForm::Whole, None) if !stepped => heads.push((path, Head::Whole(v, None))),
            (SetForm::Scale(..), None) if !stepped => heads.push((path, Head::Scale(v))),
            (SetForm::Scale(..), Some(h)) if !stepped && whole.is_some() => {
                let product = value_after(model, &specs[..=i], &path)?;
                let how = format!("{} × {v}", whole.unwrap_or_default());
                heads[h].1 = Head::Whole(product, Some(how));
            }
            (SetForm::Scale(..), _) if !scaled => {
                // A factor after a step (or a value from a month on): a
                // file applies its [set] before its steps, so the factor
                // (or the value it scaled) goes in [set], and each step
                // set before it is written with the value in force once
                // scaled; after a value from a month on, so is each of the
                // model's later steps, which the factor would bring back.
                let after = applied(model, &specs[..=i])?;
                let id = id_of(&after, &path)?;
                let from = at.and_then(|h| match heads[h].1 {
                    Head::From(m, _) => Some(m),
                    _ => None,
                });
                let mut months: Vec<YearMonth> =
                    steps.iter().filter(|s| s.path == path).map(|s| s.month).collect();
                months.extend(from);
                if let Some(w) = whole {
                    let how = format!("{w} × {v}");
                    heads[at.unwrap_or_default()].1 = Head::Whole(after.base.get(id), Some(how));
                } else {
                    match at {
                        Some(h) => heads[h].1 = Head::Scale(v),
                        None => heads.push((path.clone(), Head::Scale(v))),
                    }
                    if let Some(m) = from {
                        months.extend(
                            model
                                .changes
                                .iter()
                                .filter(|c| c.param == id && c.month > m)
                                .map(|c| c.month),
                        );
                    }
                }
                months.sort();
                months.dedup();
                let why = format!("{spec} was set after it: the value in force once scaled");
                for m in months {
                    put(
                        &mut steps,
                        Step {
                            month: m,
                            path: path.clone(),
                            value: in_force(&after, id, m),
                            why: Some(why.clone()),
                        },
                    );
                }
            }
            (SetForm::Scale(..), _) => {
                return Err(cannot(
                    spec,
                    "a factor applied after another factor of the same parameter",
                ))
            }
            (SetForm::From(m, _), None) => heads.push((path, Head::From(*m, v))),
            (SetForm::From(m, _), Some(_)) => {
                let m = *m;
                // `..` drops the later steps, those this file wrote too.
                steps.retain(|s| s.path != path || s.month <= m);
                // After a factor the model's later steps are still there:
                // `..` drops them, so each is written with V.
                let later = if scaled {
                    later_steps(model, &specs[..i], &path, m)?
                } else {
                    Vec::new()
                };
                put(
                    &mut steps,
                    Step {
                        month: m,
                        path: path.clone(),
                        value: v,
                        why: None,
                    },
                );
                for k in later {
                    let why =
                        format!("{path}@{m}..={v} holds from {m} to the end, over the model's step from {k}");
                    put(
                        &mut steps,
                        Step {
                            month: k,
                            path: path.clone(),
                            value: v,
                            why: Some(why),
                        },
                    );
                }
            }
            (SetForm::Step(m, _), _) => put(
                &mut steps,
                Step {
                    month: *m,
                    path,
                    value: v,
                    why: None,
                },
            ),
            (SetForm::Whole, _) => {
                return Err(cannot(
                    spec,
                    "a value for the whole timeline after another --set of it",
                ))
            }
        }
    }
    let text = text(model, specs, &heads, &steps, date);
    check(model, specs, &text)?;
    Ok(Written {
        text,
        command: command(model, specs),
    })
}

/// Adds `s`, replacing a step of the same path and month (a scenario holds one).
fn put(steps: &mut Vec<Step>, s: Step) {
    match steps.iter_mut().find(|o| o.path == s.path && o.month == s.month) {
        Some(o) => *o = s,
        None => steps.push(s),
    }
}

/// The model with `specs` applied, or the error `--set` gives.
fn applied(model: &Model, specs: &[&str]) -> Result<Model, Error> {
    let mut m = model.clone();
    m.apply_sets(specs)?;
    Ok(m)
}

fn id_of(model: &Model, path: &str) -> Result<ParamId, Error> {
    model.resolve_path(path).map_err(Error::Usage)
}

/// `path`'s first-month value once `specs` are applied.
fn value_after(model: &Model, specs: &[&str], path: &str) -> Result<Decimal, Error> {
    let m = applied(model, specs)?;
    Ok(m.base.get(id_of(&m, path)?))
}

/// The months of `path`'s steps after `month` once `specs` are applied.
fn later_steps(model: &Model, specs: &[&str], path: &str, month: YearMonth) -> Result<Vec<YearMonth>, Error> {
    let m = applied(model, specs)?;
    let id = id_of(&m, path)?;
    Ok(m.changes
        .iter()
        .filter(|c| c.param == id && c.month > month)
        .map(|c| c.month)
        .collect())
}

/// The value of `id` in force in `month` in `model`: its last step up to
/// that month, else its first month's.
fn in_force(model: &Model, id: ParamId, month: YearMonth) -> Decimal {
    model
        .changes
        .iter()
        .filter(|c| c.param == id && c.month <= month)
        .max_by_key(|c| c.month)
        .map_or_else(|| model.base.get(id), |c| c.value.value)
}

/// `s` as a TOML basic string.
fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `dinarflow run FILE --set '…' …`.
fn command(model: &Model, specs: &[&str]) -> String {
    let sets: Vec<String> = specs
        .iter()
        .map(|s| format!(" --set {}", crate::render::shell::quoted(s)))
        .collect();
    format!("dinarflow run{}{}", command_line(model), sets.concat())
}

fn text(
    model: &Model,
    specs: &[&str],
    heads: &[(String, Head)],
    steps: &[Step],
    date: Option<&str>,
) -> String {
    let on = date.map(|d| format!(" on {d}")).unwrap_or_default();
    let note = |why: Option<&str>| {
        let mut n = format!("assumption: set on the what-if page (dinarflow serve){on}");
        if let Some(w) = why {
            n.push_str(&format!("; {w}"));
        }
        quoted(&n)
    };
    let name = match specs {
        [one] => format!("What-if: {}", one.replacen('=', " = ", 1)),
        _ => format!("What-if: {} changes", specs.len()),
    };
    let mut lines = vec![
        format!(
            "# A scenario for {} ({}), written by dinarflow serve's what-if page.",
            model.file.name, model.name
        ),
        format!("#   dinarflow brief{} --scenario {FILE}", command_line(model)),
        format!("# The same as: {}", command(model, specs)),
        String::new(),
        "[scenario]".into(),
        format!("name = {}", quoted(&name)),
        format!(
            "description = {}",
            quoted(&format!(
                "Changes made on the what-if page{on}: {}",
                specs.join(", ")
            ))
        ),
    ];
    if !heads.is_empty() {
        lines.extend([String::new(), "[set]".into()]);
    }
    for (path, head) in heads {
        let (key, value, why) = match head {
            Head::Whole(v, how) => (path.clone(), *v, how.clone()),
            Head::Scale(f) => (format!("{path}*"), *f, None),
            Head::From(m, v) => (format!("{path}@{m}.."), *v, None),
        };
        lines.push(format!(
            "{} = {{ value = {value}, note = {} }}",
            quoted(&key),
            note(why.as_deref())
        ));
    }
    for s in steps {
        lines.extend([
            String::new(),
            "[[changes]]".into(),
            format!("from = {}", quoted(&s.month.to_string())),
            format!("set = {{ {} = {} }}", quoted(&s.path), s.value),
            format!("note = {}", note(s.why.as_deref())),
        ]);
    }
    lines.join("\n") + "\n"
}

/// Refuses `text` unless, layered on `model`, it gives every month's
/// figures that `specs` give.
fn check(model: &Model, specs: &[&str], text: &str) -> Result<(), Error> {
    let by_sets = engine::run(&applied(model, specs)?)?;
    let mut layered = model.clone();
    let differs = |why: String| {
        Error::Usage(format!(
            "the scenario file written for these --set would not give their figures ({why}); it is not saved: the --set list runs as it is (dinarflow run --set …)"
        ))
    };
    layered
        .apply_scenario(FILE, text)
        .map_err(|d| differs(Error::Invalid(Box::new(d)).to_string()))?;
    let by_file = engine::run(&layered)?;
    if by_file.months != by_sets.months {
        return Err(differs("a month's figures differ".into()));
    }
    Ok(())
}
