//! The calendar of a model: its months, the days in each, and the auction
//! sessions in each (days that are neither weekend days nor holidays).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, Weekday};

/// A calendar month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Calendar year, 1..=9999.
    pub year: i32,
    /// Month of the year, 1 (January) ..= 12 (December).
    pub month: u32,
}

impl YearMonth {
    /// The month `year`-`month`, or `None` unless `month` is 1..=12 and `year` 1..=9999.
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1..=9999).contains(&year)).then_some(YearMonth { year, month })
    }

    /// The month after this one.
    pub fn next(self) -> Self {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before this one (January of year 1 stays where it is).
    pub fn prev(self) -> Self {
        match (self.year, self.month) {
            (1, 1) => self,
            (y, 1) => YearMonth {
                year: y - 1,
                month: 12,
            },
            (y, m) => YearMonth {
                year: y,
                month: m - 1,
            },
        }
    }

    fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    /// Number of days, leap years counted.
    pub fn days(self) -> u32 {
        let (Some(first), Some(next)) = (self.first_day(), self.next().first_day()) else {
            return 0;
        };
        u32::try_from((next - first).num_days()).unwrap_or(0)
    }

    /// Every date of the month.
    pub fn dates(self) -> impl Iterator<Item = NaiveDate> {
        let first = self.first_day();
        (0..self.days())
            .filter_map(move |d| first.and_then(|f| f.checked_add_days(chrono::Days::new(u64::from(d)))))
    }

    /// Whether `date` falls in this month.
    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.year && date.month() == self.month
    }

    /// Months from `self` to `later` (0 for the same month, negative when
    /// `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i64 {
        (i64::from(later.year) - i64::from(self.year)) * 12 + i64::from(later.month) - i64::from(self.month)
    }

    /// The month `n` months after this one, or `None` past 9999-12.
    pub fn plus(self, n: u32) -> Option<YearMonth> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + i64::from(n);
        let year = i32::try_from(index / 12).ok()?;
        YearMonth::new(year, u32::try_from(index % 12).ok()? + 1)
    }

    /// The month in words, e.g. `December 2023`.
    pub fn name(self) -> String {
        let name = MONTH_NAMES.get(self.month as usize - 1).copied().unwrap_or("?");
        format!("{name} {}", self.year)
    }

    /// The month in short words, e.g. `Dec 2023`.
    pub fn short_name(self) -> String {
        let name = MONTH_NAMES.get(self.month as usize - 1).copied().unwrap_or("?");
        format!("{} {}", &name[..3], self.year)
    }
}

/// The months' names in English, January first.
const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The most months a model runs (docs/model.md §1.3, `timeline.months`).
pub const MAX_MONTHS: u32 = 600;

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for YearMonth {
    type Err = String;

    /// Parses `YYYY-MM` exactly.
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || match month_meant(s) {
            Some(m) => format!("{s:?} is not a month (expected YYYY-MM: write {m})"),
            None => format!("{s:?} is not a month (expected YYYY-MM, e.g. 2023-02)"),
        };
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4
            || m.len() != 2
            || !y.bytes().all(|b| b.is_ascii_digit())
            || !m.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        YearMonth::new(y.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?).ok_or_else(bad)
    }
}

/// The month a person most likely meant by `s`, written otherwise than
/// `YYYY-MM`: `2024/03`, `2024-3`, `2024.03`, `03/2024`, `2024-03-01`,
/// `March 2024`, `Mar 2024`, `2024 March`. `None` for anything else.
pub fn month_meant(s: &str) -> Option<YearMonth> {
    let t = s.trim();
    let parts: Vec<&str> = t
        .split(['-', '/', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    let number = |p: &str| {
        p.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let named = |p: &str| {
        const NAMES: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let lower = p.to_ascii_lowercase();
        (lower.len() >= 3)
            .then(|| NAMES.iter().position(|n| lower.starts_with(n)))
            .flatten()
            .map(|i| i as u32 + 1)
    };
    let year = |p: &str| {
        (p.len() == 4)
            .then(|| number(p))
            .flatten()
            .and_then(|y| i32::try_from(y).ok())
    };
    let (y, m) = match parts.as_slice() {
        [a, b] | [a, b, _] if year(a).is_some() => (year(a)?, number(b).or_else(|| named(b))?),
        [a, b] if year(b).is_some() => (year(b)?, number(a).or_else(|| named(a))?),
        _ => return None,
    };
    YearMonth::new(y, m)
}

/// Parses a weekday abbreviation as written in model files (`Fri`).
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    WEEKDAY_NAMES
        .iter()
        .position(|n| n.eq_ignore_ascii_case(s))
        .and_then(|i| Weekday::try_from(u8::try_from(i).ok()?).ok())
}

/// The abbreviation meant by a weekday written otherwise (`Friday`,
/// `fri.`, `Thurs`): the one whose full name starts with it, when exactly
/// one does, for "did you mean". `None` for an abbreviation itself.
pub fn weekday_meant(s: &str) -> Option<&'static str> {
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let written = s.trim().trim_end_matches('.').to_lowercase();
    if written.len() < 2 || parse_weekday(s).is_some() {
        return None;
    }
    let mut meant = FULL
        .iter()
        .zip(WEEKDAY_NAMES)
        .filter(|(full, _)| full.starts_with(&written));
    match (meant.next(), meant.next()) {
        (Some((_, abbr)), None) => Some(abbr),
        _ => None,
    }
}

/// The weekday abbreviations model files use, Monday first (index = days from Monday);
/// [`parse_weekday`] matches them ignoring case.
pub const WEEKDAY_NAMES: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// One month of the timeline with its day and session counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthInfo {
    /// Which month this is.
    pub month: YearMonth,
    /// Calendar days in the month (28..=31): the `days` of step 1's revenue.
    pub days: u32,
    /// Auction sessions: days that are neither weekend days nor holidays (steps 5 and 7).
    pub sessions: u32,
}

/// The months a model covers and the auction calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The first month of the run.
    pub start: YearMonth,
    /// Every month of the run, in order from `start`, with its days and sessions.
    pub months: Vec<MonthInfo>,
    /// Weekdays with no auction session (e.g. Friday and Saturday).
    pub weekend: Vec<Weekday>,
    /// Dates with no auction session, all inside the timeline.
    pub holidays: Vec<NaiveDate>,
}

impl Timeline {
    /// Builds `count` months from `start`. Holidays must lie inside the
    /// timeline (checked by the loader); a holiday on a weekend counts once.
    pub fn new(start: YearMonth, count: u32, weekend: Vec<Weekday>, holidays: Vec<NaiveDate>) -> Self {
        let mut months = Vec::with_capacity(count as usize);
        let mut m = start;
        for _ in 0..count {
            let sessions = m
                .dates()
                .filter(|d| !weekend.contains(&d.weekday()) && !holidays.contains(d))
                .count();
            months.push(MonthInfo {
                month: m,
                days: m.days(),
                sessions: u32::try_from(sessions).unwrap_or(0),
            });
            m = m.next();
        }
        Timeline {
            start,
            months,
            weekend,
            holidays,
        }
    }

    /// Adds every month after the timeline's last up to and including
    /// `last` (nothing when `last` is not later). Their sessions are the
    /// days outside the weekend: the holidays all lie in the months the
    /// timeline had, so they are not looked at, and each added month costs
    /// its days alone.
    pub fn extend_to(&mut self, last: YearMonth) {
        let mut m = self.end().next();
        if self.months.is_empty() {
            m = self.start;
        }
        while m <= last {
            let sessions = m.dates().filter(|d| !self.weekend.contains(&d.weekday())).count();
            self.months.push(MonthInfo {
                month: m,
                days: m.days(),
                sessions: u32::try_from(sessions).unwrap_or(0),
            });
            if m.year == 9999 && m.month == 12 {
                break;
            }
            m = m.next();
        }
    }

    /// The last month of the run (`start` when the timeline has no months).
    pub fn end(&self) -> YearMonth {
        self.months.last().map_or(self.start, |m| m.month)
    }

    /// Index of `month` in the timeline.
    pub fn index_of(&self, month: YearMonth) -> Option<usize> {
        self.months.iter().position(|m| m.month == month)
    }

    /// Index of `month` in the timeline, or why it is not there: the
    /// timeline's span and, for a month after its end, the option that
    /// runs the model on to it (every command that takes a model has it).
    pub fn locate(&self, month: YearMonth) -> Result<usize, String> {
        self.index_of(month).ok_or_else(|| {
            let end = self.end();
            let later = if month > end {
                format!("; --horizon {month} runs the model on to that month")
            } else {
                String::new()
            };
            format!("{month} is outside the timeline ({} to {end}){later}", self.start)
        })
    }

    /// Whether `date` falls in one of the timeline's months.
    pub fn contains_date(&self, date: NaiveDate) -> bool {
        self.months.iter().any(|m| m.month.contains(date))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_month_written_otherwise_is_the_month_meant() {
        let m = |s: &str| month_meant(s).map(|m| m.to_string());
        for s in [
            "2024/03",
            "2024-3",
            "2024.03",
            "03/2024",
            "2024-03-01",
            "March 2024",
            "Mar 2024",
            "2024 march",
        ] {
            assert_eq!(m(s).as_deref(), Some("2024-03"), "{s}");
        }
        for s in ["2024-13", "soon", "24-03", "2024", "Ma 2024"] {
            assert_eq!(m(s), None, "{s}");
        }
        assert_eq!(
            "2023/07".parse::<YearMonth>().unwrap_err(),
            "\"2023/07\" is not a month (expected YYYY-MM: write 2023-07)"
        );
    }

    use super::*;
    use crate::engine::testing::ym;

    #[test]
    fn days_count_leap_years() {
        assert_eq!(ym("2023-02").days(), 28);
        assert_eq!(ym("2024-02").days(), 29);
        assert_eq!(ym("1900-02").days(), 28);
        assert_eq!(ym("2000-02").days(), 29);
        assert_eq!(ym("2023-12").days(), 31);
    }

    #[test]
    fn sessions_skip_friday_saturday_and_holidays() {
        // January 2023 starts on a Sunday: 31 days, Fridays 6,13,20,27 and
        // Saturdays 7,14,21,28 are weekend, so 31 - 8 = 23 sessions.
        let weekend = vec![Weekday::Fri, Weekday::Sat];
        let t = Timeline::new(ym("2023-01"), 2, weekend.clone(), vec![]);
        assert_eq!(t.months[0].sessions, 23);
        // February 2023: 28 days, 4 Fridays and 4 Saturdays: 20 sessions.
        assert_eq!(t.months[1].sessions, 20);
        // A holiday on Sunday 1 Jan removes a session; one on Friday 6 Jan
        // is a weekend day already and counts once.
        let hol = vec![
            NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2023, 1, 6).unwrap(),
        ];
        let t = Timeline::new(ym("2023-01"), 1, weekend, hol);
        assert_eq!(t.months[0].sessions, 22);
    }

    #[test]
    fn months_roll_over_years() {
        let t = Timeline::new(ym("2022-11"), 3, vec![], vec![]);
        let labels: Vec<String> = t.months.iter().map(|m| m.month.to_string()).collect();
        assert_eq!(labels, ["2022-11", "2022-12", "2023-01"]);
        assert_eq!(t.months[0].sessions, 30);
    }

    #[test]
    fn an_extended_timeline_is_the_longer_timeline_with_no_holidays_after_its_end() {
        let weekend = vec![Weekday::Fri, Weekday::Sat];
        let hol = vec![NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()];
        let mut t = Timeline::new(ym("2022-12"), 2, weekend.clone(), hol.clone());
        t.extend_to(ym("2024-03"));
        assert_eq!(t, Timeline::new(ym("2022-12"), 16, weekend, hol));
        assert_eq!(t.end(), ym("2024-03"));
        // February 2024, a leap month starting on a Thursday: 29 days,
        // Fridays 2, 9, 16, 23 and Saturdays 3, 10, 17, 24: 21 sessions.
        let feb = t.months[t.index_of(ym("2024-02")).unwrap()];
        assert_eq!((feb.days, feb.sessions), (29, 21));
        // Extending to a month already in the timeline adds nothing.
        let before = t.clone();
        t.extend_to(ym("2023-05"));
        assert_eq!(t, before);
    }

    #[test]
    fn month_arithmetic_and_names() {
        assert_eq!(ym("2023-12").months_until(ym("2025-06")), 18);
        assert_eq!(ym("2023-12").months_until(ym("2023-01")), -11);
        assert_eq!(ym("2023-01").plus(599), Some(ym("2072-12")));
        assert_eq!(ym("9999-11").plus(1), Some(ym("9999-12")));
        assert_eq!(ym("9999-12").plus(1), None);
        assert_eq!(ym("2023-12").name(), "December 2023");
        assert_eq!(ym("1997-05").name(), "May 1997");
    }

    #[test]
    fn month_text_is_strict() {
        assert!("2023-2".parse::<YearMonth>().is_err());
        assert!("2023-13".parse::<YearMonth>().is_err());
        assert!("23-02".parse::<YearMonth>().is_err());
        assert_eq!(parse_weekday("fri"), Some(Weekday::Fri));
        assert_eq!(parse_weekday("Friday"), None);
        assert_eq!(weekday_meant("Friday"), Some("Fri"));
        assert_eq!(weekday_meant("thurs."), Some("Thu"));
        assert_eq!(weekday_meant("T"), None);
        assert_eq!(weekday_meant("S"), None);
        assert_eq!(weekday_meant("fri"), None);
        assert_eq!(weekday_meant("Fryday"), None);
    }
}
