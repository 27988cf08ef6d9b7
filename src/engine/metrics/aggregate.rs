//! How a metric's months are summed up into one number (total, mean,
//! lowest, highest, first, last): the `:agg` of a metric reference.

use rust_decimal::Decimal;

use crate::num::decimal::{round4, Checked, Overflow};
use crate::num::fixed::{div_round, Num};

/// How months are summarised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Agg {
    /// Total over the months (flows).
    Sum,
    /// Mean, rounded once to four places (rates and percentages).
    Mean,
    /// Lowest month.
    Min,
    /// Highest month.
    Max,
    /// First month.
    First,
    /// Last month (closing balances).
    Last,
}

impl Agg {
    /// Every aggregate, in the order help texts list them.
    pub const ALL: [Agg; 6] = [Agg::Sum, Agg::Mean, Agg::Min, Agg::Max, Agg::First, Agg::Last];

    /// Its name after `:` in a metric reference (`parallel_rate:max`).
    pub fn name(self) -> &'static str {
        match self {
            Agg::Sum => "sum",
            Agg::Mean => "mean",
            Agg::Min => "min",
            Agg::Max => "max",
            Agg::First => "first",
            Agg::Last => "last",
        }
    }

    /// Applies the aggregate; means are rounded with `round4`.
    pub fn apply(self, xs: &[Decimal]) -> Result<Decimal, Overflow> {
        let sum = || xs.iter().try_fold(Decimal::ZERO, |a, x| a.add(*x, "a summary"));
        Ok(match self {
            Agg::Sum => sum()?,
            Agg::Mean => {
                if xs.is_empty() {
                    Decimal::ZERO
                } else {
                    let total = sum()?;
                    // One exact division, rounded once.
                    match div_round(Num::from_dec(total), Num::int(xs.len() as i64), 4) {
                        Some(m) => m.to_dec(),
                        None => round4(total.div(Decimal::from(xs.len()), "a mean")?),
                    }
                }
            }
            Agg::Min => xs.iter().copied().min().unwrap_or_default(),
            Agg::Max => xs.iter().copied().max().unwrap_or_default(),
            Agg::First => xs.first().copied().unwrap_or_default(),
            Agg::Last => xs.last().copied().unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::testing::d;

    #[test]
    fn aggregates() {
        let xs = [d("1.5"), d("2.25"), d("0.25")];
        assert_eq!(Agg::Sum.apply(&xs).unwrap(), d("4.00"));
        // 4 / 3 = 1.3333... → 1.3333
        assert_eq!(Agg::Mean.apply(&xs).unwrap(), d("1.3333"));
        assert_eq!(Agg::Min.apply(&xs).unwrap(), d("0.25"));
        assert_eq!(Agg::Max.apply(&xs).unwrap(), d("2.25"));
        assert_eq!(Agg::First.apply(&xs).unwrap(), d("1.5"));
        assert_eq!(Agg::Last.apply(&xs).unwrap(), d("0.25"));
    }
}
