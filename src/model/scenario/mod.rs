//! Scenario files (`--scenario FILE.toml`), so that an economist keeps one
//! base model and a folder of sourced scenarios instead of edited copies.
//! A scenario holds only `[scenario] name`, replacements (`[set]`, as
//! `--set PATH=V`, `--set 'PATH*=F'` and `--set PATH@YYYY-MM..=V` do them)
//! and step changes (`[[changes]]`, as in a model file), each with its own
//! source.
//! It is read and checked against the model it is layered on, and every
//! problem is located in the scenario file, as a model file's are.
//! Reading the file's own parts (its heading, `[set]`, the keys it may
//! hold) is `file_parts.rs`.

mod file_parts;

use file_parts::{check_top_keys, model_given_as_scenario, read_heading, SetEntry, ALLOWED};

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use crate::calendar::YearMonth;
use crate::diagnostic::{Diagnostics, Problem, SourceFile};
use crate::error::Error;
use crate::model::changes::read_changes;
use crate::model::load::{parse_document, read_text};
use crate::model::reader::{Obj, Reader};
use crate::model::registry::ParamId;
use crate::model::rules;
use crate::model::*;
use crate::num::decimal::clean;

/// A scenario applied to a model: what reports name, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// `[scenario] name`.
    pub name: String,
    /// `[scenario] description`, if given.
    pub description: Option<String>,
    /// The file's name as given on the command line, and its text.
    pub file: SourceFile,
    /// What it sets, in `--set`'s words (`auction.rejection_rate@2023-07..=0.4`),
    /// `[set]` entries first, then its `[[changes]]`.
    pub entries: Vec<String>,
}

/// What the scenario touched, for locating a broken rule: the parameter,
/// the month of a change (`None` for `[set]`) and the span to point at.
type Touched = (ParamId, Option<YearMonth>, Range<usize>);

impl Model {
    /// Reads the scenario file at `path` (a regular file, as model files
    /// are read) and layers it on the model; returns the notes to say on
    /// standard error. The model is unchanged on error.
    pub fn apply_scenario_file(&mut self, path: &Path) -> Result<Vec<String>, Error> {
        let text = read_text(path, "a scenario file", "scenario files")?;
        self.apply_scenario(&path.display().to_string(), &text)
            .map_err(|d| Error::Invalid(Box::new(d)))
    }

    /// Layers the scenario `text` (reported as `name`) on the model: its
    /// `[set]` entries first (each replaces or scales its parameter for
    /// the whole timeline), then its `[[changes]]` (each replaces the
    /// model's change of the same path and month, or is added). Every
    /// range and rule is checked on the result; the model is unchanged on
    /// error. Returns the notes to say on standard error.
    pub fn apply_scenario(&mut self, name: &str, text: &str) -> Result<Vec<String>, Diagnostics> {
        // A byte-order mark is not part of the text, as for a model.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let file = SourceFile::new(name, text);
        let root = parse_document(
            &file,
            text,
            ALLOWED,
            "a scenario needs at least [scenario] name = \"…\"",
        )?;
        let mut r = Reader::default();
        let top = Obj::root(&root);
        if let Some(p) = model_given_as_scenario(&top, name) {
            return Err(file.diagnostics(vec![p]));
        }
        check_top_keys(&mut r, &top);
        let (title, description) = read_heading(&mut r, &top);
        let sets = match r.section(&top, "set", false) {
            Some(obj) => self.read_set(&mut r, &obj),
            None => Vec::new(),
        };
        let changes = read_changes(&mut r, &top, &self.base, Some(&self.timeline), true);
        help_past_the_end(&mut r, self.timeline.end());
        if !r.problems.is_empty() {
            return Err(file.diagnostics(r.into_sorted()));
        }
        let mut layer = Layering {
            name,
            file: &file,
            next: self.clone(),
            r,
            notes: Vec::new(),
            entries: Vec::new(),
            touched: Vec::new(),
        };
        for (i, s) in sets.iter().enumerate() {
            // A later entry of the path from a month on ends this one there.
            let until = sets[i + 1..]
                .iter()
                .filter(|l| l.id == s.id && !l.scale)
                .filter_map(|l| l.from)
                .min();
            layer.set(s, until);
        }
        for c in changes {
            layer.change(c);
        }
        layer.check_rules();
        layer.say_step_ends();
        let Layering {
            mut next,
            r,
            mut notes,
            entries,
            touched,
            ..
        } = layer;
        if !r.problems.is_empty() {
            return Err(file.diagnostics(r.into_sorted()));
        }
        notes.insert(0, summary(name, &title, &entries, &touched));
        next.scenarios.push(Scenario {
            name: title,
            description,
            file,
            entries,
        });
        *self = next;
        Ok(notes)
    }
}

/// A month after the model's end is reached by running on with `--horizon`:
/// the problems that name one say so.
fn help_past_the_end(r: &mut Reader, end: YearMonth) {
    for p in r.problems.iter_mut().filter(|p| p.help.is_none()) {
        let later = p
            .message
            .strip_suffix(" is outside the timeline")
            .and_then(|m| m.parse::<YearMonth>().ok())
            .filter(|m| *m > end && p.path.ends_with(".from"));
        if let Some(m) = later {
            p.help = Some(
                format!("run the model on to {m} with --horizon {m} (or later): scenarios apply after the horizon")
                    .into_boxed_str(),
            );
        }
    }
}

/// The first note: how many values and steps the scenario `name` set.
fn summary(name: &str, title: &str, entries: &[String], touched: &[Touched]) -> String {
    let n_from = entries.iter().filter(|e| e.contains("..=")).count();
    let n_set = touched.iter().filter(|t| t.1.is_none()).count();
    let n_changes = touched.iter().filter(|t| t.1.is_some()).count() - n_from;
    let from = if n_from == 0 {
        String::new()
    } else {
        format!(
            ", {n_from} value{} from a month to the end",
            if n_from == 1 { "" } else { "s" }
        )
    };
    format!(
        "note: scenario {name} ({title:?}): {n_set} value{} for the whole timeline{from}, {n_changes} step change{}",
        if n_set == 1 { "" } else { "s" },
        if n_changes == 1 { "" } else { "s" },
    )
}

/// A scenario being layered on a copy of the model: the copy, the
/// problems and notes so far, and what each entry set.
struct Layering<'a> {
    /// The scenario's name as given, for notes.
    name: &'a str,
    file: &'a SourceFile,
    next: Model,
    r: Reader,
    notes: Vec<String>,
    /// What it sets, in `--set`'s words.
    entries: Vec<String>,
    touched: Vec<Touched>,
}

impl Layering<'_> {
    /// Where a value set by `s` comes from.
    fn origin(&self, s: &SetEntry, note: Option<String>) -> Origin {
        Origin {
            span: None,
            source: s.source.clone(),
            note,
            set_with: None,
            scenario: Some(self.file.location(&s.key)),
        }
    }

    /// A `[set]` entry: from a month on, a factor, or a value for the
    /// whole timeline.
    fn set(&mut self, s: &SetEntry, until: Option<YearMonth>) {
        if let Some(month) = s.from {
            self.set_from(s, month);
            return;
        }
        if s.scale {
            if !self.scale(s) {
                return;
            }
        } else {
            self.replace(s, until);
        }
        let path = self.next.base.path(s.id);
        self.entries.push(format!(
            "{path}{}={}",
            if s.scale { "*" } else { "" },
            clean(s.value)
        ));
        self.touched.push((s.id, None, s.at.clone()));
    }

    /// `"PATH@YYYY-MM.." = V`: the value from `month` to the end.
    fn set_from(&mut self, s: &SetEntry, month: YearMonth) {
        let name = self.name;
        let path = self.next.base.path(s.id);
        let dropped = match self.next.set_from(s.id, month, s.value, "--set") {
            Ok(SetForm::From(_, dropped)) => dropped,
            Ok(_) => Vec::new(),
            Err(m) => {
                self.r.report(Problem::new(
                    Some(s.at.clone()),
                    format!("set.\"{path}@{month}..\""),
                    m,
                ));
                return;
            }
        };
        let o = self.origin(s, s.note.clone());
        let next = &mut self.next;
        if month == next.timeline.start {
            let mut base = next.base.param(s.id).clone();
            base.origin = o;
            next.base.set(s.id, base);
        } else if let Some(c) = next
            .changes
            .iter_mut()
            .find(|c| c.param == s.id && c.month == month)
        {
            c.value.origin = o;
            c.note = s.note.clone();
            c.source = s.source.clone();
        }
        if !dropped.is_empty() {
            let months: Vec<String> = dropped.iter().map(ToString::to_string).collect();
            self.notes.push(format!(
                "note: scenario {name}: {path}@{month}..={} holds from {month} to the end of the timeline ({}); it replaces the [[changes]] from {}",
                clean(s.value),
                self.next.timeline.end(),
                months.join(", ")
            ));
        }
        self.entries.push(format!("{path}@{month}..={}", clean(s.value)));
        self.touched.push((s.id, Some(month), s.at.clone()));
    }

    /// `"PATH*" = F`: the whole schedule times a factor; false if refused.
    fn scale(&mut self, s: &SetEntry) -> bool {
        let path = self.next.base.path(s.id);
        if let Err(m) = self.next.scale(s.id, s.value, "--set") {
            self.r.report(
                Problem::new(Some(s.at.clone()), format!("set.\"{path}*\""), m).help(
                    "a factor multiplies the value in force in every month; it must keep each in range",
                ),
            );
            return false;
        }
        let note = s
            .note
            .clone()
            .or_else(|| Some(format!("the model's value × {}", clean(s.value))));
        // A bank that follows the auction's rate has no base value of its
        // own to mark (its factor is kept with the bank).
        let follows = matches!(s.id, ParamId::BankRejectionRate(i) if self.next.base.follows_the_auction(i));
        if !follows {
            let mut base = self.next.base.param(s.id).clone();
            base.origin = self.origin(s, note.clone());
            self.next.base.set(s.id, base);
        }
        let origin = self.origin(s, note);
        for c in self.next.changes.iter_mut().filter(|c| c.param == s.id) {
            c.value.origin = origin.clone();
        }
        true
    }

    /// `"PATH" = V`: the value for the whole timeline, or `until` a later
    /// entry of the path from a month on.
    fn replace(&mut self, s: &SetEntry, until: Option<YearMonth>) {
        let name = self.name;
        let path = self.next.base.path(s.id);
        let n = self.next.replace(s.id, s.value, "--set");
        let origin = self.origin(s, s.note.clone());
        self.next.base.set(
            s.id,
            Param {
                value: s.value,
                origin,
            },
        );
        let mut said = Vec::new();
        if !n.dropped.is_empty() {
            let months: Vec<String> = n.dropped.iter().map(ToString::to_string).collect();
            said.push(format!(
                "it replaces the model's [[changes]] from {}",
                months.join(", ")
            ));
        }
        if n.was_uncertain {
            said.push("it also fixes the [uncertainty] entry for it".into());
        }
        if let Some(m) = until {
            let later = format!("holds before {m}, when a later [set] entry takes over");
            said.insert(0, later);
            self.notes.push(format!(
                "note: scenario {name}: {path}={} {}",
                clean(s.value),
                said.join("; ")
            ));
        } else if !said.is_empty() {
            self.notes.push(format!(
                "note: scenario {name}: {path}={} holds for the whole timeline; {}",
                clean(s.value),
                said.join("; ")
            ));
        }
    }

    /// A `[[changes]]` step: replaces the model's step of the same path and
    /// month, or is added; a drawn path cannot change.
    fn change(&mut self, mut c: Change) {
        let name = self.name;
        let next = &mut self.next;
        let path = next.base.path(c.param);
        let span = c.value.origin.span.clone().unwrap_or(0..0);
        if next.uncertainty.iter().any(|u| u.param == c.param && !u.scale) {
            self.r.report(
                Problem::new(
                    Some(span),
                    path.clone(),
                    format!("is drawn in the model's [uncertainty] for the whole timeline and cannot change from {}", c.month),
                )
                .allowed("a change of a parameter the model does not draw")
                .help(format!(
                    "set it for the whole timeline in [set] first (\"{path}\" = …), which fixes the draw"
                )),
            );
            return;
        }
        c.value.origin.span = None;
        c.value.origin.scenario = Some(self.file.location(&span));
        self.touched.push((c.param, Some(c.month), span));
        self.entries
            .push(format!("{path}@{}={}", c.month, clean(c.value.value)));
        let month = c.month;
        if let Some(old) = next
            .changes
            .iter_mut()
            .find(|o| o.param == c.param && o.month == month)
        {
            self.notes.push(format!(
                "note: scenario {name}: {path} from {month} is {}; it replaces the model's [[changes]] entry from {month} ({})",
                clean(c.value.value),
                clean(old.value.value)
            ));
            *old = c;
        } else {
            let at = next.changes.partition_point(|o| o.month <= month);
            next.changes.insert(at, c);
        }
    }

    /// The rules across parameters, on the layered model.
    fn check_rules(&mut self) {
        for p in broken(&self.next, &self.touched) {
            self.r.report(p);
        }
    }

    /// A step of the scenario that a later step of its path ends says
    /// which month ends it.
    fn say_step_ends(&mut self) {
        let name = self.name;
        let next = &self.next;
        for (id, month, _) in self.touched.iter().filter(|t| t.1.is_some()) {
            let month = month.unwrap_or(next.timeline.start);
            let path = next.base.path(*id);
            let from = next
                .changes
                .iter()
                .any(|c| c.param == *id && c.month == month && c.value.origin.scenario.is_some());
            let step = self
                .entries
                .iter()
                .any(|e| e.starts_with(&format!("{path}@{month}=")));
            if let (true, true, Some((n, w))) = (from, step, next.step_end(*id, month)) {
                self.notes.push(format!(
                    "note: scenario {name}: {path} from {month} holds {}, until its next step, from {n} ({}); \
                     \"{path}@{month}..\" in [set] holds it to the end of the timeline ({})",
                    super::set::step_months(month, n),
                    clean(w),
                    next.timeline.end()
                ));
            }
        }
    }
}

/// The rules across parameters broken by the scenario, each located at
/// the scenario entry that broke it: a change of this month, else the
/// change in force, else the `[set]` entry.
fn broken(model: &Model, touched: &[Touched]) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    model.each_month(|info, params, here| {
        let first = info.month == model.timeline.start;
        if !first && here.is_empty() {
            return;
        }
        for (problem, rule) in rules::broken(params) {
            let ids = rule.params();
            let mine = |t: &&Touched| ids.contains(&t.0);
            let at = touched
                .iter()
                .filter(mine)
                .filter(|t| t.1.is_some_and(|m| m <= info.month))
                .max_by_key(|t| t.1)
                .or_else(|| touched.iter().find(|t| mine(t) && t.1.is_none()));
            let Some((_, _, span)) = at else { continue };
            if !seen.insert((span.start, problem.path.clone())) {
                continue;
            }
            let mut p = problem;
            p.span = Some(span.clone());
            if !first {
                p.message = format!("from {} (after changes): {}", info.month, p.message);
            }
            out.push(p);
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::small_with;

    /// The small model with the auction's cash share drawn.
    fn drawn() -> Model {
        small_with("[uncertainty]\n\"auction.cash_share\" = { dist = \"uniform\", min = 0.1, max = 0.3 }")
    }

    #[test]
    fn a_change_of_a_drawn_path_is_refused_and_the_model_is_unchanged() {
        let mut m = drawn();
        let before = m.clone();
        let d = m
            .apply_scenario(
                "s.toml",
                "[scenario]\nname = \"S\"\n[[changes]]\nfrom = \"2023-02\"\nset = { \"auction.cash_share\" = 0.25 }\n",
            )
            .unwrap_err();
        assert_eq!(d.problems.len(), 1);
        assert_eq!(
            d.problems[0].headline(),
            "auction.cash_share: is drawn in the model's [uncertainty] for the whole timeline and cannot change from 2023-02 \
             (allowed: a change of a parameter the model does not draw)"
        );
        assert_eq!(m, before);
    }

    #[test]
    fn a_whole_timeline_value_fixes_the_draw_and_says_so() {
        let mut m = drawn();
        let notes = m
            .apply_scenario(
                "s.toml",
                "[scenario]\nname = \"S\"\n[set]\n\"auction.cash_share\" = { value = 0.25, note = \"fixed\" }\n\
                 \"auction.rejection_rate\" = 0.6\n",
            )
            .unwrap();
        assert_eq!(
            notes,
            [
                "note: scenario s.toml (\"S\"): 2 values for the whole timeline, 0 step changes",
                "note: scenario s.toml: auction.cash_share=0.25 holds for the whole timeline; it also fixes the [uncertainty] entry for it",
                "note: scenario s.toml: auction.rejection_rate=0.6 holds for the whole timeline; it replaces the model's [[changes]] from 2023-02",
            ]
        );
        assert!(m.uncertainty.is_empty());
        let share = &m.base.auction.cash_share;
        assert_eq!(share.value, Decimal::new(25, 2));
        assert_eq!(share.origin.note.as_deref(), Some("fixed"));
        assert_eq!(share.origin.scenario.as_deref(), Some("s.toml:4"));
        assert_eq!(m.scenarios.len(), 1);
        assert_eq!(m.scenarios[0].name, "S");
        // The official rate's change stays; the rejection rate's is gone.
        assert_eq!(m.changes.len(), 1);
        assert_eq!(m.changes[0].param, ParamId::OfficialRate);
    }

    #[test]
    fn a_scenario_without_its_heading_or_empty_is_refused() {
        let mut m = drawn();
        let d = m.apply_scenario("s.toml", "# nothing\n").unwrap_err();
        assert_eq!(
            d.problems[0].headline(),
            "the file has no settings, only comments or blank lines (allowed: [scenario] (name, description), [set] and [[changes]])"
        );
        let d = m
            .apply_scenario("s.toml", "[set]\n\"auction.cash_share\" = 0.2\n")
            .unwrap_err();
        assert_eq!(
            d.problems[0].headline(),
            "scenario: missing; a scenario file needs a [scenario] table with its name \
             (allowed: [scenario] name = \"…\", description = \"…\" (optional))"
        );
    }
}
