//! What `--set` refuses once every value is in: a rule across parameters
//! broken, or a bank that follows the auction's rate pushed out of range
//! (which a sweep, solve or fit point is refused for too). Each refusal
//! has its fields and its wording here; it leaves with the usage exit
//! code (2).

use crate::calendar::YearMonth;
use crate::error::usage_refusal;

/// A bank that follows the auction's rate faces it times its own factor,
/// and in this month that product leaves the allowed range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem} in {month} (the auction's rate times the bank's factor)")]
pub struct FollowerOutside {
    /// The range problem, as its headline (`PATH: message (allowed: …)`).
    pub problem: String,
    /// The first month it happens in.
    pub month: YearMonth,
}

/// Several `--set` refused together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetRefusal {
    /// A rule across parameters (shares summing to 1, …) that the values
    /// set break.
    #[error(
        "{specs}: {problem}{}",
        if *.alone { "; --set the other entries of the list too (every --set is checked together)" } else { "" }
    )]
    BrokenRule {
        /// The rule's parameters' `--set` options and arguments, joined by
        /// spaces: `--set a=0.5 --set b=0.6`.
        specs: String,
        /// The rule's problem, as its headline.
        problem: String,
        /// Whether one entry of a list that must sum to 1 was set alone.
        alone: bool,
    },
    /// A `--set` that a later `--set` of the same path undoes entirely.
    #[error("{earlier} has no effect: the later {later} sets every month it sets; keep one of them")]
    Undone {
        /// The earlier `--set`, option and argument.
        earlier: String,
        /// The later one, which would win.
        later: String,
    },
    /// `diff`'s shared `--set` that `--set-a` and `--set-b` of the same
    /// path both undo entirely: it holds on neither side.
    #[error("{shared} has no effect: {a} and {b} set every month it sets, on A and on B; leave it out")]
    UndoneOnBoth {
        /// The shared `--set`, option and argument.
        shared: String,
        /// The `--set-a` that undoes it on A.
        a: String,
        /// The `--set-b` that undoes it on B.
        b: String,
    },
    /// A `--set` that a `--vary` of the same path replaces in every month
    /// it sets (`sweep`, `solve`).
    #[error(
        "--set {set} has no effect: --vary {vary} replaces every month it sets; leave the --set out (or give --vary the values to try)"
    )]
    UnderVary {
        /// The `--set` argument.
        set: String,
        /// The `--vary` as the command line names it.
        vary: String,
    },
    /// A bank that follows the auction's rate out of range.
    #[error("{specs}: {outside}")]
    Follower {
        /// The rejection rates' `--set` options and arguments, joined by spaces.
        specs: String,
        /// Where and how the bank's rate leaves its range.
        outside: FollowerOutside,
    },
}

usage_refusal!(SetRefusal);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn the_wording_is_the_commands() {
        let e: Error = SetRefusal::BrokenRule {
            specs: "--set exports.buyers[China].share=0.5".into(),
            problem: "exports.buyers[*].share: the shares add up to 1.1 (0.5 + 0.6) (allowed: exactly 1)"
                .into(),
            alone: true,
        }
        .into();
        assert_eq!(
            e.to_string(),
            "error: --set exports.buyers[China].share=0.5: exports.buyers[*].share: the shares add up to 1.1 \
             (0.5 + 0.6) (allowed: exactly 1); --set the other entries of the list too (every --set is checked together)"
        );
        let e: Error = SetRefusal::BrokenRule {
            specs: "--set a=0.5 --set b=0.6".into(),
            problem: "the shares add up to 1.1".into(),
            alone: false,
        }
        .into();
        assert_eq!(
            e.to_string(),
            "error: --set a=0.5 --set b=0.6: the shares add up to 1.1"
        );
    }
}
