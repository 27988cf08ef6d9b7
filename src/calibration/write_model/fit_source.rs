//! The `source` a fitted value cites, `dinarflow fit to FILE (FROM to TO,
//! n = N, RMSE R%, loss L)`: written here for `fit --write-model`, and read
//! back here for `backtest`, which warns when a parameter was fitted to
//! the rows it is about to score. Kept together so that the wording and
//! its reader cannot drift apart.

use std::fmt;

use rust_decimal::Decimal;

use crate::calendar::YearMonth;

const PREFIX: &str = "dinarflow fit to ";

/// What a fit was run on, as its fitted values cite it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FitSource<'a> {
    /// The observed file, as named on the command line.
    pub file: &'a str,
    /// The first and last months of the rows fitted (empty when none).
    pub span: (&'a str, &'a str),
    /// The number of observations fitted.
    pub n: usize,
    /// The fit's root mean square error, in percent.
    pub rmse_pct: Decimal,
    /// The loss minimised (`pct`, `abs`, ...).
    pub loss: &'a str,
}

impl fmt::Display for FitSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, last) = self.span;
        write!(
            f,
            "{PREFIX}{} ({first} to {last}, n = {}, RMSE {}%, loss {})",
            self.file, self.n, self.rmse_pct, self.loss
        )
    }
}

/// The observed file and the last month fitted, when `source` is one that
/// [`FitSource`] wrote (not, say, a `--set` given to a fit).
pub fn fitted_to(source: &str) -> Option<(&str, YearMonth)> {
    let rest = source.strip_prefix(PREFIX)?;
    let (file, span) = rest.rsplit_once(" (")?;
    let to = span.split_once(" to ")?.1.split_once(',')?.0;
    Some((file, to.trim().parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_fit_writes_backtest_reads() {
        let s = FitSource {
            file: "obs/quotes (2023).csv",
            span: ("2022-11", "2023-08"),
            n: 9,
            rmse_pct: Decimal::new(264, 2),
            loss: "pct",
        };
        let text = s.to_string();
        assert_eq!(
            text,
            "dinarflow fit to obs/quotes (2023).csv (2022-11 to 2023-08, n = 9, RMSE 2.64%, loss pct)"
        );
        assert_eq!(
            fitted_to(&text),
            Some(("obs/quotes (2023).csv", YearMonth::new(2023, 8).unwrap()))
        );
    }

    #[test]
    fn other_sources_are_not_fits() {
        assert_eq!(fitted_to("CBI, 2023"), None);
        assert_eq!(
            fitted_to(
                "--set a.b=1 given to dinarflow fit to q.csv (2022-11 to 2023-08, n = 9, RMSE 1%, loss pct)"
            ),
            None
        );
        // A fit that matched no rows names no months.
        assert_eq!(
            fitted_to("dinarflow fit to q.csv ( to , n = 0, RMSE 0%, loss pct)"),
            None
        );
    }
}
