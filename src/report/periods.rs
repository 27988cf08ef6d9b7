//! Months grouped into calendar quarters or years, for `run --by` and the
//! brief's path by quarter: each group's label and the months of the
//! timeline in it. A figure for a group is its metric's own summary over
//! those months (a sum, a mean rounded to 4 places, or the last month's
//! value), as `run`'s total row is over the whole timeline.

use rust_decimal::Decimal;

use crate::calendar::YearMonth;
use crate::engine::metrics::Agg;
use crate::num::decimal::Overflow;

/// How `run --by` groups the months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Per {
    /// Every month on its own (the default): `2023-01`.
    #[default]
    Month,
    /// Calendar quarters: `2023-Q1`.
    Quarter,
    /// Calendar years: `2023`.
    Year,
}

impl Per {
    /// `month`, `quarter` or `year`: a CSV column's name.
    pub fn name(self) -> &'static str {
        match self {
            Per::Month => "month",
            Per::Quarter => "quarter",
            Per::Year => "year",
        }
    }

    /// `months`, `quarters` or `years`: a JSON key.
    pub fn plural(self) -> &'static str {
        match self {
            Per::Month => "months",
            Per::Quarter => "quarters",
            Per::Year => "years",
        }
    }

    /// The label of the group `m` falls in: `2023-01`, `2023-Q1`, `2023`.
    pub fn label(self, m: YearMonth) -> String {
        match self {
            Per::Month => m.to_string(),
            Per::Quarter => format!("{}-Q{}", m.year, quarter_of(m)),
            Per::Year => m.year.to_string(),
        }
    }

    fn key(self, m: YearMonth) -> (i32, u32) {
        match self {
            Per::Month => (m.year, m.month),
            Per::Quarter => (m.year, quarter_of(m)),
            Per::Year => (m.year, 0),
        }
    }
}

impl std::str::FromStr for Per {
    type Err = String;

    /// `month`, `quarter` or `year` (their [`Per::name`]), as `run --by` takes them.
    fn from_str(s: &str) -> Result<Per, String> {
        [Per::Month, Per::Quarter, Per::Year]
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| format!("by {s:?}: allowed are month, quarter and year"))
    }
}

/// One group of consecutive months of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Its label (see [`Per::label`]).
    pub label: String,
    /// The index of its first month in the timeline.
    pub first: usize,
    /// The index of its last month.
    pub last: usize,
    /// Whether the timeline holds only part of it (it starts or ends inside).
    pub partial: bool,
}

/// The groups of `months` (the timeline's, in order) by `per`.
pub fn groups(months: &[YearMonth], per: Per) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for (i, m) in months.iter().enumerate() {
        match out.last_mut() {
            Some(g) if per.key(months[g.first]) == per.key(*m) => g.last = i,
            _ => out.push(Group {
                label: per.label(*m),
                first: i,
                last: i,
                partial: false,
            }),
        }
    }
    let size = match per {
        Per::Month => 1,
        Per::Quarter => 3,
        Per::Year => 12,
    };
    for g in &mut out {
        g.partial = g.last - g.first + 1 < size;
    }
    out
}

/// Each group's summary of `series` (a metric's monthly values over the
/// timeline), `agg` over the group's months.
pub fn summarise(series: &[Decimal], agg: Agg, groups: &[Group]) -> Result<Vec<Decimal>, Overflow> {
    groups
        .iter()
        .map(|g| agg.apply(&series[g.first..=g.last]))
        .collect()
}

/// The months a group holds, for a note or a label: `2022-11 to
/// 2022-12`, or `2024-04` alone.
pub fn span_text(from: YearMonth, to: YearMonth) -> String {
    if from == to {
        from.to_string()
    } else {
        format!("{from} to {to}")
    }
}

/// The quarter, 1 to 4, that `m` falls in.
pub fn quarter_of(m: YearMonth) -> u32 {
    (m.month - 1) / 3 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(year: i32, month: u32) -> YearMonth {
        YearMonth { year, month }
    }

    #[test]
    fn months_fall_in_their_calendar_quarters_and_years() {
        assert_eq!(quarter_of(m(2023, 1)), 1);
        assert_eq!(quarter_of(m(2023, 3)), 1);
        assert_eq!(quarter_of(m(2023, 4)), 2);
        assert_eq!(quarter_of(m(2022, 12)), 4);
        // November 2022 to April 2024: Q4 2022 in part, five whole
        // quarters, Q2 2024 in part.
        let months: Vec<YearMonth> = std::iter::successors(Some(m(2022, 11)), |x| Some(x.next()))
            .take(18)
            .collect();
        assert_eq!(months[0], m(2022, 11));
        assert_eq!(months[17], m(2024, 4));
        let q = groups(&months, Per::Quarter);
        let labels: Vec<&str> = q.iter().map(|g| g.label.as_str()).collect();
        assert_eq!(
            labels,
            ["2022-Q4", "2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"]
        );
        assert_eq!((q[0].first, q[0].last, q[0].partial), (0, 1, true));
        assert_eq!((q[1].first, q[1].last, q[1].partial), (2, 4, false));
        assert_eq!((q[6].first, q[6].last, q[6].partial), (17, 17, true));
        let y = groups(&months, Per::Year);
        let spans: Vec<(&str, usize, usize, bool)> = y
            .iter()
            .map(|g| (g.label.as_str(), g.first, g.last, g.partial))
            .collect();
        assert_eq!(
            spans,
            [
                ("2022", 0, 1, true),
                ("2023", 2, 13, false),
                ("2024", 14, 17, true)
            ]
        );
        assert_eq!(groups(&months, Per::Month).len(), 18);
        assert_eq!("quarter".parse::<Per>(), Ok(Per::Quarter));
        assert_eq!(
            "week".parse::<Per>(),
            Err("by \"week\": allowed are month, quarter and year".to_string())
        );
    }
}
