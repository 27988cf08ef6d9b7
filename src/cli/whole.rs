//! Whole-number options (`-n`, `--seed`, `--draws`, `-r`, `--levels`,
//! `--port`) read as the rest of the command line reads values: a value
//! that is not one says what is allowed. clap's own parsers answer `-5`
//! with a tip to write `-- -5` (which makes it a model file) and `1.5`
//! with "invalid digit found in string".

use crate::calibration::request::MAX_BACKTEST_DRAWS;
use crate::render::count;
use crate::report::briefing::MAX_BRIEF_DRAWS;
use crate::uncertainty_analysis::sobol::MAX_N;
use crate::uncertainty_analysis::MAX_EVALUATIONS;

/// `text` as a whole number from 0 to `max`, or what is wrong with it.
fn whole(text: &str, max: u64) -> Result<u64, String> {
    whole_from(text, 0, max)
}

/// `text` as a whole number from `min` to `max`, or what is wrong with it.
fn whole_from(text: &str, min: u64, max: u64) -> Result<u64, String> {
    let allowed = format!("allowed: a whole number from {min} to {}", count(max));
    let trimmed = text.trim();
    if let Ok(v) = trimmed.parse::<i128>() {
        return if v < 0 {
            Err(format!("a negative number ({allowed})"))
        } else if v < i128::from(min) {
            Err(format!("too small ({allowed})"))
        } else if v > i128::from(max) {
            Err(format!("too large ({allowed})"))
        } else {
            Ok(v as u64)
        };
    }
    if trimmed.parse::<f64>().is_ok_and(f64::is_finite) {
        return Err(format!("not a whole number ({allowed})"));
    }
    Err(format!("not a number ({allowed})"))
}

/// A `u64` option.
pub fn u64_value(text: &str) -> Result<u64, String> {
    whole(text, u64::MAX)
}

/// A count of draws (`mc -n`): 1 to the most one run makes. The range is
/// said when the value is read, so `-n 0` does not claim that any `u64`
/// up to 18 quintillion would do.
pub fn draws_value(text: &str) -> Result<u64, String> {
    whole_from(text, 1, MAX_EVALUATIONS).map_err(|e| {
        if e.starts_with("too large") {
            format!("{e}; percentiles settle long before that: try --until p95:0.1% to stop when they have")
        } else {
            e
        }
    })
}

/// Rows of each Saltelli matrix (`sobol -n`): 2 to the length of the
/// Sobol' sequence.
pub fn sobol_rows_value(text: &str) -> Result<u32, String> {
    whole_from(text, 2, u64::from(MAX_N)).map(|v| v as u32)
}

/// Draws of the briefing's "How sure" (`brief --draws`).
pub fn brief_draws_value(text: &str) -> Result<u64, String> {
    whole_from(text, 1, MAX_BRIEF_DRAWS)
}

/// Draws of a backtest's forecast (`backtest -n`; 0 is a point forecast).
pub fn backtest_draws_value(text: &str) -> Result<u64, String> {
    whole(text, MAX_BACKTEST_DRAWS)
}

/// Levels of a Morris grid (`morris --levels`): an even number from 2
/// to 100, so that a step of half the levels moves every level.
pub fn levels_value(text: &str) -> Result<u32, String> {
    let allowed = "allowed: an even number from 2 to 100";
    match whole_from(text, 2, 100) {
        Ok(v) if v % 2 == 0 => Ok(v as u32),
        Ok(_) => Err(format!("an odd number ({allowed})")),
        Err(e) => Err(e.replace("allowed: a whole number from 2 to 100", allowed)),
    }
}

/// Morris trajectories (`morris -r`): at least 2, since sigma needs two;
/// how many a run can make depends on its inputs, and is checked with them.
pub fn trajectories_value(text: &str) -> Result<usize, String> {
    whole_from(text, 2, MAX_EVALUATIONS / 2).map(|v| v as usize).map_err(|e| {
        if e.starts_with("too small") {
            format!("{e}; sigma needs two trajectories")
        } else if e.starts_with("too large") {
            format!(
                "{e}: each trajectory runs the model once per input and once more, and one morris runs it at most {} times",
                count(MAX_EVALUATIONS)
            )
        } else {
            e
        }
    })
}

/// A `u16` option (a port).
pub fn u16_value(text: &str) -> Result<u16, String> {
    whole(text, u64::from(u16::MAX)).map(|v| v as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_that_is_not_a_whole_number_says_what_is_allowed() {
        assert_eq!(u64_value("42"), Ok(42));
        assert_eq!(
            draws_value("-5"),
            Err("a negative number (allowed: a whole number from 1 to 200,000,000)".into())
        );
        assert_eq!(
            draws_value("0"),
            Err("too small (allowed: a whole number from 1 to 200,000,000)".into())
        );
        assert_eq!(draws_value("1"), Ok(1));
        assert_eq!(draws_value("200000000"), Ok(200_000_000));
        assert_eq!(
            draws_value("200000001"),
            Err("too large (allowed: a whole number from 1 to 200,000,000); percentiles settle long before that: \
                 try --until p95:0.1% to stop when they have"
                .into())
        );
        assert_eq!(
            sobol_rows_value("1"),
            Err("too small (allowed: a whole number from 2 to 65,536)".into())
        );
        assert_eq!(sobol_rows_value("65536"), Ok(65_536));
        assert_eq!(
            brief_draws_value("0"),
            Err("too small (allowed: a whole number from 1 to 1,000,000)".into())
        );
        assert_eq!(backtest_draws_value("0"), Ok(0));
        assert_eq!(
            backtest_draws_value("100001"),
            Err("too large (allowed: a whole number from 0 to 100,000)".into())
        );
        assert_eq!(u64_value("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            u64_value("-5"),
            Err("a negative number (allowed: a whole number from 0 to 18,446,744,073,709,551,615)".into())
        );
        assert_eq!(
            u64_value("18446744073709551616"),
            Err("too large (allowed: a whole number from 0 to 18,446,744,073,709,551,615)".into())
        );
        assert_eq!(
            levels_value("1.5"),
            Err("not a whole number (allowed: an even number from 2 to 100)".into())
        );
        assert_eq!(levels_value("100"), Ok(100));
        assert_eq!(
            levels_value("0"),
            Err("too small (allowed: an even number from 2 to 100)".into())
        );
        assert_eq!(
            u16_value("x"),
            Err("not a number (allowed: a whole number from 0 to 65,535)".into())
        );
        assert_eq!(u16_value("8023"), Ok(8023));
        assert_eq!(trajectories_value("20"), Ok(20));
    }
}
