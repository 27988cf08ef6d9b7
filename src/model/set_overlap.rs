//! Two `--set` of one path on the command line where the later one sets
//! every month the earlier one set (`--set x=0.3 --set x=0.4`, or
//! `x@2023-07..=0.4` then `x@2023-05..=0.2`): the earlier would be dropped
//! without a trace, so the pair is refused and the user keeps the one
//! meant. A later `--set` that covers only part of an earlier one is
//! allowed, and the earlier one's note says where it ends. The command
//! line and the what-if server's API call it after `apply_sets` (which
//! scenarios and sweeps use too, where layering is the point); the page
//! drops such an earlier `--set` itself, and says so, before it asks.

use super::set::SetNote;
use super::set_refusal::SetRefusal;
use super::timeline_edit::{split, SetForm};
use super::{Model, ParamId};
use crate::calendar::YearMonth;
use crate::error::Error;

/// Refuses the first `--set` (`specs`, in the order given, with the
/// `notes` `apply_sets` gave for them) that a later one undoes entirely.
pub fn refuse_undone(notes: &[SetNote], specs: &[&str]) -> Result<(), Error> {
    let sets: Vec<(&SetNote, &&str)> = notes.iter().zip(specs).collect();
    for (i, (earlier, spec)) in sets.iter().enumerate() {
        let undone_by = sets[i + 1..].iter().find(|(later, _)| {
            later.flag == earlier.flag && later.path == earlier.path && covers(&later.form, &earlier.form)
        });
        if let Some((later_note, later)) = undone_by {
            return Err(SetRefusal::Undone {
                earlier: format!("{} {spec}", earlier.flag),
                later: format!("{} {later}", later_note.flag),
            }
            .into());
        }
    }
    Ok(())
}

/// For `diff`: refuses a shared `--set` that each side's own `--set-a` or
/// `--set-b` undoes entirely (`a` and `b`: each side's notes, the shared
/// ones first, in the same order). A shared `--set` undone on one side
/// only is allowed: it holds on the other.
pub fn refuse_undone_on_both(a: &[SetNote], b: &[SetNote]) -> Result<(), Error> {
    let undoer = |notes: &[SetNote], i: usize| -> Option<String> {
        let shared = &notes[i];
        notes[i + 1..]
            .iter()
            .find(|l| l.flag != shared.flag && l.path == shared.path && covers(&l.form, &shared.form))
            .map(|l| format!("{} {}", l.flag, l.spec()))
    };
    for (i, shared) in a.iter().enumerate().filter(|(_, n)| n.flag == "--set") {
        if let (Some(by_a), Some(by_b)) = (undoer(a, i), undoer(b, i)) {
            return Err(SetRefusal::UndoneOnBoth {
                shared: format!("--set {}", shared.spec()),
                a: by_a,
                b: by_b,
            }
            .into());
        }
    }
    Ok(())
}

/// What part of the timeline a `--vary` (of `sweep` or `solve`) replaces:
/// all of it, the step from a month, or every month from one on. (A
/// factor replaces nothing: it scales what the `--set` left.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Varied {
    /// `--vary PATH=…`.
    Whole,
    /// `--vary PATH@YYYY-MM=…`.
    Step(YearMonth),
    /// `--vary PATH@YYYY-MM..=…`.
    From(YearMonth),
}

/// Refuses the first of `sets` (the `--set` arguments) that the `--vary`
/// of `id` (named `shown`) replaces in every month it sets: its value
/// would never be used, while its note says it holds.
pub fn refuse_set_under_vary(
    model: &Model,
    sets: &[String],
    id: ParamId,
    varied: Varied,
    shown: &str,
) -> Result<(), Error> {
    for spec in sets {
        let Some((path, month, factor, _)) = split(spec) else {
            continue;
        };
        if model.resolve_path(path) != Ok(id) {
            continue;
        }
        let parse = |m: &str| -> Option<(YearMonth, bool)> {
            let (m, to_end) = m.strip_suffix("..").map_or((m, false), |m| (m, true));
            m.trim().parse().ok().map(|m| (m, to_end))
        };
        let set = match (factor, month.and_then(parse)) {
            (true, _) => SetForm::Scale(rust_decimal::Decimal::ONE, 0, None),
            (false, None) => SetForm::Whole,
            (false, Some((m, false))) => SetForm::Step(m, false),
            (false, Some((m, true))) => SetForm::From(m, Vec::new()),
        };
        let later = match varied {
            Varied::Whole => SetForm::Whole,
            Varied::Step(m) => SetForm::Step(m, false),
            Varied::From(m) => SetForm::From(m, Vec::new()),
        };
        if covers(&later, &set) {
            return Err(SetRefusal::UnderVary {
                set: spec.clone(),
                vary: shown.to_string(),
            }
            .into());
        }
    }
    Ok(())
}

/// Whether `later`, applied after `earlier`, replaces every month that
/// `earlier` set (a scenario's `[set]` asks it of its entries too).
pub(super) fn covers(later: &SetForm, earlier: &SetForm) -> bool {
    match (later, earlier) {
        (SetForm::Whole, _) => true,
        (SetForm::From(from, _), SetForm::Step(m, _) | SetForm::From(m, _)) => m >= from,
        (SetForm::Step(at, _), SetForm::Step(m, _) | SetForm::From(m, _)) => m == at,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    fn refused(specs: &[&str]) -> Option<String> {
        let mut m = crate::model::load_default().unwrap();
        let notes = m.apply_sets(specs).unwrap();
        super::refuse_undone(&notes, specs).err().map(|e| e.to_string())
    }

    #[test]
    fn a_set_that_a_later_one_undoes_is_refused() {
        assert_eq!(
            refused(&["auction.rejection_rate=0.3", "auction.rejection_rate=0.4"]).as_deref(),
            Some(
                "error: --set auction.rejection_rate=0.3 has no effect: the later --set auction.rejection_rate=0.4 \
                 sets every month it sets; keep one of them"
            )
        );
        assert!(refused(&[
            "auction.rejection_rate@2023-03..=0.4",
            "auction.rejection_rate@2023-02..=0.2"
        ])
        .is_some());
        assert!(refused(&[
            "auction.rejection_rate@2023-03=0.4",
            "auction.rejection_rate@2023-03=0.2"
        ])
        .is_some());
        assert!(refused(&[
            "auction.rejection_rate@2023-03..=0.4",
            "auction.rejection_rate@2023-03=0.2"
        ])
        .is_some());
        assert!(refused(&["auction.rejection_rate*=1.1", "auction.rejection_rate=0.2"]).is_some());
        // From 2023-02 on drops every step after it, the 2023-03 one too.
        assert!(refused(&[
            "auction.rejection_rate@2023-03=0.4",
            "auction.rejection_rate@2023-02..=0.1"
        ])
        .is_some());
    }

    #[test]
    fn a_later_set_over_part_of_an_earlier_one_is_allowed() {
        for pair in [
            ["auction.rejection_rate=0.3", "auction.rejection_rate@2023-03=0.1"],
            [
                "auction.rejection_rate@2023-02..=0.4",
                "auction.rejection_rate@2023-04..=0.1",
            ],
            [
                "auction.rejection_rate@2023-03=0.4",
                "auction.rejection_rate@2023-05..=0.1",
            ],
            [
                "auction.rejection_rate@2023-03=0.4",
                "auction.rejection_rate@2023-02=0.1",
            ],
            ["auction.rejection_rate=0.3", "auction.rejection_rate*=1.1"],
        ] {
            assert_eq!(refused(&pair), None, "{pair:?}");
        }
    }
}
