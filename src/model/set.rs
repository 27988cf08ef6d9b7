//! `--set PATH=VALUE`: replacing parameters for the whole timeline (or, with
//! `PATH@YYYY-MM=VALUE` and `PATH*=F`, one step of it or all of it scaled:
//! `timeline_edit.rs`), checked together so that shares which must sum to
//! 1 can be moved at once.

use rust_decimal::Decimal;

use super::number_slip::{self, Written};
use super::reader::check_range;
use super::registry::ParamId;
use super::rules::{self, Rule};
use super::set_refusal::{FollowerOutside, SetRefusal};
use super::timeline_edit::split;
pub use super::timeline_edit::SetForm;
use super::*;
use crate::calendar::YearMonth;
use crate::diagnostic::Problem;
use crate::error::{BadArgument, Error};
use crate::num::decimal as number;
use crate::num::decimal::clean;

/// What a `--set` did, to be said on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetNote {
    /// The path as the model names it.
    pub path: String,
    /// The value now in force (the factor, for `PATH*=F`).
    pub value: Decimal,
    /// Months of the `[[changes]]` entries that the override dropped.
    pub dropped: Vec<YearMonth>,
    /// Whether the path was in `[uncertainty]` (the override fixes it).
    pub was_uncertain: bool,
    /// Which part of the timeline was set.
    pub form: SetForm,
    /// For a step (`PATH@YYYY-MM=V`): the later step of PATH that ends
    /// it, its month and value, once every `--set` is applied.
    pub ended_by: Option<(YearMonth, Decimal)>,
    /// The timeline's last month.
    pub last: YearMonth,
    /// For a bank's rate that followed the auction's before this `--set`
    /// gave it a value of its own: the path it followed.
    pub followed: Option<Followed>,
    /// The option it was given with: `--set`, or `diff`'s `--set-a` and
    /// `--set-b` (notes and refusals name it as the user typed it).
    pub flag: &'static str,
}

/// The auction's rate that a bank followed, and the timeline's first month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Followed {
    /// `auction.rejection_rate`.
    pub path: String,
    /// The first month of the timeline.
    pub first: YearMonth,
}

impl SetNote {
    /// The `--set` as the model reads it: the path as the model names
    /// it, `@YYYY-MM`, `@YYYY-MM..` or `*`, then `=` and the value.
    pub fn spec(&self) -> String {
        let v = self.value;
        match &self.form {
            SetForm::Whole => format!("{}={v}", self.path),
            SetForm::Step(m, _) => format!("{}@{m}={v}", self.path),
            SetForm::From(m, _) => format!("{}@{m}..={v}", self.path),
            SetForm::Scale(f, ..) => format!("{}*={f}", self.path),
        }
    }

    /// Which months it holds in, in words: `for the whole timeline`,
    /// `from 2023-07 to the end, 2024-12`, `from 2023-07 to 2023-09,
    /// then the step from 2023-10: 0.25`, `every month's value × 0.8`.
    pub fn holds(&self) -> String {
        match &self.form {
            SetForm::Whole => match self.ended_by {
                Some((n, w)) => format!("before {n}, then the step from {n}: {}", clean(w)),
                None => "for the whole timeline".into(),
            },
            SetForm::Scale(f, ..) => format!("every month's value × {f}"),
            SetForm::From(m, _) | SetForm::Step(m, _) => match self.ended_by {
                Some((n, w)) => format!("{}, then the step from {n}: {}", step_months(*m, n), clean(w)),
                _ if *m == self.last => format!("in {m}, the last month"),
                _ => format!("from {m} to the end, {}", self.last),
            },
        }
    }

    /// The override as reports list it.
    pub fn override_of(&self) -> Override {
        Override {
            flag: self.flag,
            spec: self.spec(),
            holds: self.holds(),
            until: match (&self.form, self.ended_by) {
                (SetForm::Scale(..), _) => None,
                (_, ended) => ended.map(|(n, _)| n.prev()),
            },
        }
    }
}

/// The months a step from `month` holds in when the step from `next`
/// ends it: `from 2023-07 to 2023-09`, or `in 2023-07 only`.
pub fn step_months(month: YearMonth, next: YearMonth) -> String {
    if next.prev() <= month {
        format!("in {month} only")
    } else {
        format!("from {month} to {}", next.prev())
    }
}

/// A `--set` in force, as reports list it (`Set: SPEC (HOLDS)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The option it was given with (`--set`, `--set-a`, `--set-b`).
    pub flag: &'static str,
    /// The `--set` as the model reads it: `auction.rejection_rate@2023-07..=0.4`.
    pub spec: String,
    /// Which months it holds in: `from 2023-07 to the end, 2024-12`.
    pub holds: String,
    /// For a step that a later step of its path ends: the last month it
    /// holds in.
    pub until: Option<YearMonth>,
}

impl std::fmt::Display for SetNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let end = format!("to the end of the timeline ({})", self.last);
        match &self.form {
            SetForm::Step(month, replaced) => {
                write!(f, "note: {} {} holds ", self.flag, self.spec())?;
                match self.ended_by {
                    Some((n, w)) => write!(
                        f,
                        "{}, until its next step, from {n} ({}); {} {}@{month}..={} holds it {end}",
                        step_months(*month, n),
                        clean(w),
                        self.flag,
                        self.path,
                        self.value
                    )?,
                    None => write!(f, "from {month} {end}")?,
                }
                if *replaced {
                    write!(f, "; it replaces the [[changes]] entry from {month}")?;
                }
                return self.stops_following(f, Some(*month));
            }
            SetForm::From(month, dropped) => {
                match self.ended_by {
                    Some((n, w)) => write!(
                        f,
                        "note: {} {} holds {}, until a later --set takes over from {n} ({})",
                        self.flag,
                        self.spec(),
                        step_months(*month, n),
                        clean(w)
                    )?,
                    None => write!(f, "note: {} {} holds from {month} {end}", self.flag, self.spec())?,
                }
                if !dropped.is_empty() {
                    let months: Vec<String> = dropped.iter().map(ToString::to_string).collect();
                    write!(f, "; it replaces the [[changes]] from {}", months.join(", "))?;
                }
                return self.stops_following(f, Some(*month));
            }
            SetForm::Scale(factor, changes, follows) => {
                let entries = if *changes == 1 { "y" } else { "ies" };
                match follows {
                    None => write!(
                        f,
                        "note: {} {}*={factor} scales its value in every month (the base value and {changes} [[changes]] entr{entries})",
                        self.flag,
                        self.path,
                    ),
                    Some(of) => write!(
                        f,
                        "note: {} {}*={factor} scales the rate it faces in every month ({of}, which it follows, and {changes} [[changes]] entr{entries} of its own)",
                        self.flag,
                        self.path,
                    ),
                }?;
                if self.was_uncertain {
                    write!(
                        f,
                        "; [uncertainty] still draws {0}* around the scaled values ({0}=VALUE fixes it)",
                        self.path
                    )?;
                }
                return Ok(());
            }
            SetForm::Whole => {}
        }
        match self.ended_by {
            Some((n, w)) => write!(
                f,
                "note: {} {}={} holds before {n}, when a later --set takes over ({})",
                self.flag,
                self.path,
                self.value,
                clean(w)
            )?,
            None => write!(
                f,
                "note: {} {}={} holds for the whole timeline",
                self.flag, self.path, self.value
            )?,
        }
        if !self.dropped.is_empty() {
            let months: Vec<String> = self.dropped.iter().map(ToString::to_string).collect();
            write!(f, "; it replaces the [[changes]] from {}", months.join(", "))?;
        }
        if self.was_uncertain {
            write!(f, "; it also fixes the [uncertainty] entry for it")?;
        }
        self.stops_following(f, None)
    }
}

impl SetNote {
    /// For a bank's rate that followed the auction's: from when the bank
    /// has this rate of its own instead (`from`: the month set, `None`
    /// for the whole timeline).
    fn stops_following(&self, f: &mut std::fmt::Formatter<'_>, from: Option<YearMonth>) -> std::fmt::Result {
        let Some(Followed { path: of, first }) = &self.followed else {
            return Ok(());
        };
        match from.filter(|m| m > first) {
            Some(m) => write!(
                f,
                "; the bank faces this rate of its own from {m} instead of {of} (steps included), which it follows before {m}"
            ),
            None => write!(
                f,
                "; the bank faces this rate of its own instead of {of} (steps included), which it followed"
            ),
        }
    }
}

impl Model {
    /// Applies `--set PATH=VALUE`: replaces the base value, drops the
    /// changes of that path, and re-validates.
    pub fn apply_set(&mut self, spec: &str) -> Result<SetNote, Error> {
        let mut notes = self.apply_sets(&[spec])?;
        Ok(notes.remove(0))
    }

    /// Applies several `--set PATH=VALUE` together, then checks the rules
    /// across parameters once, so that `--set` can move shares that must
    /// add up to 1 (`buyers[A].share=0.4` with `buyers[B].share=0.6`). The
    /// model is unchanged on error.
    pub fn apply_sets(&mut self, specs: &[&str]) -> Result<Vec<SetNote>, Error> {
        let flagged: Vec<(&'static str, &str)> = specs.iter().map(|s| ("--set", *s)).collect();
        self.apply_flagged_sets(&flagged)
    }

    /// [`Model::apply_sets`] for values given with different options
    /// (`diff`'s shared `--set` and its `--set-a`/`--set-b`): each pair is
    /// the option and its argument, and notes and refusals name the option.
    pub fn apply_flagged_sets(&mut self, specs: &[(&'static str, &str)]) -> Result<Vec<SetNote>, Error> {
        let mut next = self.clone();
        let mut notes = Vec::new();
        let mut set: Vec<(ParamId, String)> = Vec::new();
        for &(flag, spec) in specs {
            let usage = |m: String| Error::from(BadArgument::new(flag, spec, m));
            let (path, month, scale, text) = split(spec).ok_or_else(|| {
                usage(
                    "expected PATH=VALUE, PATH@YYYY-MM=VALUE, PATH@YYYY-MM..=VALUE or PATH*=FACTOR, e.g. --set auction.rejection_rate=0.5"
                        .into(),
                )
            })?;
            let id = next.resolve_path(path).map_err(&usage)?;
            let followed = (!scale && next.base.follow_note(id).is_some()).then(|| Followed {
                path: next.base.path(ParamId::RejectionRate),
                first: next.timeline.start,
            });
            let value = number::parse_decimal(text.trim()).map_err(|e| {
                let hint = number_slip::hint(text, Some(id.kind()), Written::Command)
                    .map(|h| format!("; {h}"))
                    .unwrap_or_default();
                usage(format!("{:?} {e}{hint}", text.trim()))
            })?;
            let note = if scale {
                let form = next.scale(id, value, flag).map_err(&usage)?;
                SetNote {
                    // A drawn factor on the path still multiplies the scaled schedule.
                    was_uncertain: next.uncertainty.iter().any(|u| u.param == id && u.scale),
                    ..next.note(id, value, form)
                }
            } else if let Some(month) = month {
                let (month, to_end) = match month.strip_suffix("..") {
                    Some(m) => (m.trim_end(), true),
                    None => (month, false),
                };
                let month: YearMonth = month.parse().map_err(|e: String| usage(e))?;
                let form = if to_end {
                    next.set_from(id, month, value, flag)
                } else {
                    next.set_step(id, month, value, flag)
                }
                .map_err(&usage)?;
                next.note(id, value, form)
            } else {
                if let Some(p) = check_range(id.kind(), value, &next.base.path(id), None) {
                    return Err(usage(p.one_line()));
                }
                next.replace(id, value, flag)
            };
            notes.push(SetNote {
                followed,
                flag,
                ..note
            });
            set.push((id, format!("{flag} {spec}")));
        }
        let ids: Vec<ParamId> = set.iter().map(|s| s.0).collect();
        if let Some((p, rule)) = next.broken_rule(&ids) {
            let group = rule.params();
            let specs: Vec<&str> = set
                .iter()
                .filter(|s| group.contains(&s.0))
                .map(|s| s.1.as_str())
                .collect();
            return Err(SetRefusal::BrokenRule {
                specs: specs.join(" "),
                problem: p.headline(),
                alone: specs.len() == 1 && matches!(rule, Rule::SumIsOne { .. }),
            }
            .into());
        }
        if let Some(outside) = next.follower_out_of_range() {
            let touched: Vec<&str> = set
                .iter()
                .filter(|s| matches!(s.0, ParamId::RejectionRate | ParamId::BankRejectionRate(_)))
                .map(|s| s.1.as_str())
                .collect();
            return Err(SetRefusal::Follower {
                specs: touched.join(" "),
                outside,
            }
            .into());
        }
        // A step ends where the next step of its path starts, once every
        // --set is in (a later --set may be that step); a value set for
        // the whole timeline or from a month on ends where a later --set
        // of the same path starts.
        for (note, (id, _)) in notes.iter_mut().zip(&set) {
            note.ended_by = match note.form {
                SetForm::Step(month, _) | SetForm::From(month, _) => next.step_end(*id, month),
                SetForm::Whole => next.step_end(*id, next.timeline.start.prev()),
                SetForm::Scale(..) => None,
            };
        }
        next.overrides.extend(notes.iter().map(SetNote::override_of));
        *self = next;
        Ok(notes)
    }

    /// Resolves a parameter path, or explains which paths are near.
    pub fn resolve_path(&self, path: &str) -> Result<ParamId, String> {
        if path.is_empty() {
            return Err("no parameter path before `=`".into());
        }
        let fixed = path.starts_with("timeline.")
            || path.ends_with(".name")
            || matches!(path, "auction.weekend" | "auction.holidays" | "model.description");
        if fixed && self.base.lookup(path).is_none() {
            return Err(format!(
                "`{path}` cannot be changed by path: the timeline, names, weekend and holidays are set in the model file only"
            ));
        }
        if let Some(why) = self.base.absent_part(path) {
            return Err(why);
        }
        if path
            .strip_prefix("prices.lag_weights")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
        {
            let shares: Vec<String> = self
                .base
                .prices
                .lag_weights
                .iter()
                .map(ToString::to_string)
                .collect();
            return Err(format!(
                "`{path}` cannot be changed by path: the lag weights are a list of shares (here [{}]); edit `lag_weights` in the model file's [prices] section",
                shares.join(", ")
            ));
        }
        self.base.resolve(path).map_err(|near| {
            let mut m = format!("`{path}` names no numeric parameter of this model");
            if !near.is_empty() {
                m.push_str(&format!("; did you mean {}?", near.join(", ")));
            }
            m
        })
    }

    /// Sets the step of `id` that starts in `month` (`PATH@YYYY-MM=V`),
    /// checking its range and the rules; the model is unchanged on error.
    pub fn set_step_value(&mut self, id: ParamId, month: YearMonth, value: Decimal) -> Result<(), String> {
        self.edit_checked(id, |m| m.set_step(id, month, value, "--set").map(drop))
    }

    /// Sets `id` from `month` to the end of the timeline
    /// (`PATH@YYYY-MM..=V`), checking its range and the rules; the model
    /// is unchanged on error.
    pub fn set_from_value(&mut self, id: ParamId, month: YearMonth, value: Decimal) -> Result<(), String> {
        self.edit_checked(id, |m| m.set_from(id, month, value, "--set").map(drop))
    }

    /// Scales every month's value of `id` by `factor` (`PATH*=F`),
    /// checking ranges and the rules; the model is unchanged on error.
    pub fn scale_value(&mut self, id: ParamId, factor: Decimal) -> Result<(), String> {
        self.edit_checked(id, |m| m.scale(id, factor, "--set").map(drop))
    }

    /// Applies `edit` of `id` to a copy of the model and keeps it if no
    /// rule across parameters breaks; the model is unchanged on error.
    fn edit_checked(
        &mut self,
        id: ParamId,
        edit: impl FnOnce(&mut Model) -> Result<(), String>,
    ) -> Result<(), String> {
        let mut next = self.clone();
        edit(&mut next)?;
        if let Some((p, _)) = next.broken_rule(&[id]) {
            return Err(p.headline());
        }
        *self = next;
        Ok(())
    }

    /// Replaces `id` for the whole timeline with `value`, checking ranges
    /// and the sum rules; the model is unchanged on error.
    pub fn set_value(&mut self, id: ParamId, value: Decimal) -> Result<SetNote, Problem> {
        if let Some(p) = check_range(id.kind(), value, &self.base.path(id), None) {
            return Err(p);
        }
        let mut next = self.clone();
        let note = next.replace(id, value, "--set");
        if let Some((p, _)) = next.broken_rule(&[id]) {
            return Err(p);
        }
        *self = next;
        Ok(note)
    }

    /// The note of a step or scale edit of `id`.
    fn note(&self, id: ParamId, value: Decimal, form: SetForm) -> SetNote {
        SetNote {
            path: self.base.path(id),
            value,
            dropped: Vec::new(),
            was_uncertain: false,
            form,
            ended_by: None,
            last: self.timeline.end(),
            followed: None,
            flag: "--set",
        }
    }

    /// Replaces `id` for the whole timeline, dropping its changes and its
    /// uncertainty, without checking the rules across parameters.
    pub(super) fn replace(&mut self, id: ParamId, value: Decimal, flag: &'static str) -> SetNote {
        let dropped: Vec<YearMonth> = self
            .changes
            .iter()
            .filter(|c| c.param == id)
            .map(|c| c.month)
            .collect();
        self.changes.retain(|c| c.param != id);
        let was_uncertain = self.uncertainty.iter().any(|u| u.param == id);
        let fixed: Vec<String> = self
            .uncertainty
            .iter()
            .filter(|u| u.param == id)
            .map(|u| u.name())
            .collect();
        self.fixed.extend(fixed);
        self.uncertainty.retain(|u| u.param != id);
        self.correlation.retain(|c| c.a != id && c.b != id);
        self.base.set(
            id,
            Param {
                value,
                origin: Origin {
                    set_with: Some(flag),
                    ..Origin::default()
                },
            },
        );
        SetNote {
            path: self.base.path(id),
            value,
            dropped,
            was_uncertain,
            form: SetForm::Whole,
            ended_by: None,
            last: self.timeline.end(),
            followed: None,
            flag: "--set",
        }
    }

    /// The first month in which a bank that follows the auction's rate,
    /// times its factor, faces a rate out of range, and why.
    pub fn follower_out_of_range(&self) -> Option<FollowerOutside> {
        if !self.base.auction.banks.iter().any(|b| b.rejection_rate.is_none()) {
            return None;
        }
        let mut found = None;
        self.each_month(|info, params, _| {
            for i in 0..params.auction.banks.len() {
                let id = ParamId::BankRejectionRate(i);
                if found.is_none() && params.follows_the_auction(i) {
                    found = check_range(id.kind(), params.get(id), &params.path(id), None).map(|p| {
                        FollowerOutside {
                            problem: p.headline(),
                            month: info.month,
                        }
                    });
                }
            }
        });
        found
    }

    /// The first rule across parameters that involves one of `ids` and is
    /// broken in some month. The parameters change only in the first month
    /// and where a change applies: only those are checked, without a copy
    /// of the parameters per month.
    fn broken_rule(&self, ids: &[ParamId]) -> Option<(Problem, Rule)> {
        let mut broken = None;
        self.each_month(|info, params, here| {
            let first = info.month == self.timeline.start;
            if broken.is_none() && (first || !here.is_empty()) {
                broken = rules::broken(params)
                    .into_iter()
                    .find(|(_, rule)| rule.params().iter().any(|id| ids.contains(id)));
            }
        });
        broken
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::small;

    #[test]
    fn sets_are_checked_together_so_shares_can_move() {
        let mut m = small();
        let notes = m
            .apply_sets(&[
                "exports.buyers[China].share=0.4",
                "exports.buyers[Others].share = 0.6",
            ])
            .unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(m.base.exports.buyers[0].share.value, Decimal::new(4, 1));
        assert_eq!(m.base.exports.buyers[1].share.value, Decimal::new(6, 1));
        assert_eq!(m.base.exports.buyers[1].share.origin.set_with, Some("--set"));
    }

    #[test]
    fn a_broken_sum_names_the_sets_involved_and_changes_nothing() {
        let mut m = small();
        let before = m.clone();
        let e = m
            .apply_sets(&[
                "auction.rejection_rate=0.5",
                "exports.buyers[China].share=0.4",
                "exports.buyers[Others].share=0.5",
            ])
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "error: --set exports.buyers[China].share=0.4 --set exports.buyers[Others].share=0.5: \
             exports.buyers[*].share: the shares add up to 0.9 (0.4 + 0.5) (allowed: exactly 1)"
        );
        assert_eq!(m, before);
        let e = m
            .apply_set("exports.buyers[China].share=0.4")
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("(allowed: exactly 1); --set the other entries of the list too (every --set is checked together)"), "{e}");
        assert_eq!(m, before);
    }

    #[test]
    fn paths_that_cannot_be_set_say_why() {
        let m = small();
        for path in [
            "timeline.months",
            "timeline.start",
            "exports.buyers[China].name",
            "auction.weekend",
            "auction.holidays",
            "model.name",
        ] {
            let e = m.resolve_path(path).unwrap_err();
            assert!(e.contains("cannot be changed by path"), "{path}: {e}");
        }
        assert_eq!(m.resolve_path("").unwrap_err(), "no parameter path before `=`");
        assert!(m
            .resolve_path("auction.rejection_rte")
            .unwrap_err()
            .contains("did you mean auction.rejection_rate"));
    }
}
