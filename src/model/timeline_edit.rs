//! The model's edits of a parameter's timeline from the command line
//! (docs/model.md, "Parameter paths"): `PATH@YYYY-MM=VALUE` sets the step
//! of PATH that starts that month (it replaces that month's change of
//! PATH, or inserts one, and leaves every other month alone);
//! `PATH@YYYY-MM..=VALUE` holds VALUE from that month to the end of the
//! timeline (the step, with every later change of PATH removed); and
//! `PATH*=F` multiplies the value in force in
//! every month (the base value and every change of PATH) by F, keeping the
//! schedule's shape; money is rounded to cents after the product. The
//! rules across parameters are checked by the caller, with every `--set`.

use rust_decimal::Decimal;

use super::reader::check_range;
use super::registry::ParamId;
use super::*;
use crate::calendar::YearMonth;
use crate::num::decimal::round2;

/// What a `--set` changed of a parameter's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetForm {
    /// `PATH=VALUE`: the whole timeline holds VALUE.
    Whole,
    /// `PATH@YYYY-MM=VALUE`: the step from that month; whether it replaced
    /// a change of the model.
    Step(YearMonth, bool),
    /// `PATH@YYYY-MM..=VALUE`: from that month to the end of the timeline;
    /// the months of the changes of PATH it replaced (that month's and
    /// every later one).
    From(YearMonth, Vec<YearMonth>),
    /// `PATH*=F`: every month's value times F; how many changes were
    /// scaled; and the path whose value it follows where it has none of
    /// its own (a bank without a rejection rate follows the auction's).
    Scale(Decimal, usize, Option<String>),
}

/// Why a step of `id` from `month` is refused where `id` is an opening
/// stock (read in the timeline's `first` month only, so a later step
/// would change nothing); `None` otherwise.
pub(super) fn opening_step(id: ParamId, path: &str, month: YearMonth, first: YearMonth) -> Option<String> {
    (id.is_opening() && month != first).then(|| {
        format!("{path} is a stock at the start of the timeline, read in {first} only, so a step from {month} would change nothing")
    })
}

/// A `--set` spec split into its parts: the path, the month text (with
/// its `..` when it runs to the end), whether it is a factor, and the text
/// of the value (or factor).
pub(super) fn split(spec: &str) -> Option<(&str, Option<&str>, bool, &str)> {
    let (left, value) = spec.split_once('=')?;
    let left = left.trim();
    if let Some(path) = left.strip_suffix('*') {
        return Some((path.trim_end(), None, true, value));
    }
    match left.rsplit_once('@') {
        Some((path, month)) => Some((path.trim_end(), Some(month.trim()), false, value)),
        None => Some((left, None, false, value)),
    }
}

impl Model {
    /// Sets the step of `id` that starts in `month` to `value`.
    pub(super) fn set_step(
        &mut self,
        id: ParamId,
        month: YearMonth,
        value: Decimal,
        flag: &'static str,
    ) -> Result<SetForm, String> {
        self.timeline.locate(month)?;
        self.refuse_drawn(id, "set by step")?;
        let path = self.base.path(id);
        if let Some(why) = opening_step(id, &path, month, self.timeline.start) {
            return Err(format!(
                "{why} (allowed: {path}=VALUE or {path}@{}=VALUE)",
                self.timeline.start
            ));
        }
        if let Some(p) = check_range(id.kind(), value, &path, None) {
            return Err(p.one_line());
        }
        let param = Param {
            value,
            origin: Origin {
                set_with: Some(flag),
                ..Origin::default()
            },
        };
        if month == self.timeline.start {
            // The first month's step is the base value (changes of the
            // first month, if any, stand on top of it).
            let replaced = self.changes.iter().any(|c| c.param == id && c.month == month);
            self.changes.retain(|c| !(c.param == id && c.month == month));
            self.base.set(id, param);
            return Ok(SetForm::Step(month, replaced));
        }
        if let Some(c) = self
            .changes
            .iter_mut()
            .find(|c| c.param == id && c.month == month)
        {
            c.value = param;
            c.note = Some(format!("{flag} {path}@{month}"));
            return Ok(SetForm::Step(month, true));
        }
        let at = self.changes.partition_point(|c| c.month <= month);
        self.changes.insert(
            at,
            Change {
                month,
                param: id,
                value: param,
                note: Some(format!("{flag} {path}@{month}")),
                source: None,
            },
        );
        Ok(SetForm::Step(month, false))
    }

    /// Sets `id` to `value` from `month` to the end of the timeline: the
    /// step from `month`, with every later change of `id` removed.
    pub(super) fn set_from(
        &mut self,
        id: ParamId,
        month: YearMonth,
        value: Decimal,
        flag: &'static str,
    ) -> Result<SetForm, String> {
        let mut next = self.clone();
        let later: Vec<YearMonth> = next
            .changes
            .iter()
            .filter(|c| c.param == id && c.month > month)
            .map(|c| c.month)
            .collect();
        next.changes.retain(|c| !(c.param == id && c.month > month));
        let SetForm::Step(_, replaced) = next.set_step(id, month, value, flag)? else {
            return Err("not a step".into());
        };
        let mut dropped = if replaced { vec![month] } else { Vec::new() };
        dropped.extend(later);
        *self = next;
        Ok(SetForm::From(month, dropped))
    }

    /// The change of `id` that ends the step from `month`: the first
    /// change of `id` after it, with its value.
    pub fn step_end(&self, id: ParamId, month: YearMonth) -> Option<(YearMonth, Decimal)> {
        self.changes
            .iter()
            .filter(|c| c.param == id && c.month > month)
            .map(|c| (c.month, c.value.value))
            .min_by_key(|c| c.0)
    }

    /// Multiplies the value of `id` in force in every month by `factor`.
    pub(super) fn scale(
        &mut self,
        id: ParamId,
        factor: Decimal,
        flag: &'static str,
    ) -> Result<SetForm, String> {
        self.refuse_drawn(id, "scaled")?;
        let path = self.base.path(id);
        let money = id.kind().is_money();
        let times = |v: Decimal| -> Result<Decimal, String> {
            let x = v
                .checked_mul(factor)
                .ok_or_else(|| format!("{v} × {factor} is too large"))?;
            let x = if money { round2(x) } else { x };
            match check_range(id.kind(), x, &path, None) {
                Some(p) => Err(format!("{v} × {factor}: {}", p.headline())),
                None => Ok(x),
            }
        };
        let mut follows = None;
        match id {
            // A bank that follows the auction's rate keeps following it:
            // the factor scales the rate it faces in each month it follows.
            ParamId::BankRejectionRate(i) if self.base.follows_the_auction(i) => {
                // The first month's value is checked even where a change
                // of the bank's own replaces it, as for every parameter.
                let mut faced = vec![self.base.get(id)];
                self.each_month(|_, p, _| {
                    if p.follows_the_auction(i) {
                        faced.push(p.get(id));
                    }
                });
                for v in faced {
                    times(v)?;
                }
                follows = Some(self.base.path(ParamId::RejectionRate));
                let bank = &mut self.base.auction.banks[i];
                let before = bank.follow_factor.unwrap_or(Decimal::ONE);
                bank.follow_factor = Some(
                    before
                        .checked_mul(factor)
                        .ok_or_else(|| format!("{before} × {factor} is too large"))?,
                );
            }
            _ => {
                let mut base = self.base.param(id).clone();
                base.value = times(base.value)?;
                base.origin.set_with = Some(flag);
                self.base.set(id, base);
            }
        }
        let mut scaled = 0;
        for c in self.changes.iter_mut().filter(|c| c.param == id) {
            c.value.value = times(c.value.value)?;
            c.value.origin.set_with = Some(flag);
            scaled += 1;
        }
        Ok(SetForm::Scale(factor, scaled, follows))
    }

    /// A value drawn for the whole timeline cannot be edited by step or
    /// scaled; a drawn factor (`"PATH*"`) multiplies whatever schedule the
    /// edit leaves, so it is no obstacle.
    pub(crate) fn refuse_drawn(&self, id: ParamId, what: &str) -> Result<(), String> {
        if self.uncertainty.iter().any(|u| u.param == id && !u.scale) {
            return Err(format!(
                "{} is drawn in [uncertainty] for the whole timeline and cannot be {what}; \
                 remove it from [uncertainty] or set it whole (PATH=VALUE)",
                self.base.path(id)
            ));
        }
        Ok(())
    }
}
