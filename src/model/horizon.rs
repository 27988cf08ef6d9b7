//! `--horizon YYYY-MM`: a model run past its last month, so that "what if
//! today's policy holds through 2025" is one flag. Every parameter keeps
//! the value in force in the model's last month (its `[[changes]]` are
//! step changes), so the horizon is only a longer timeline: the model
//! equals the same file with `[timeline] months` reaching the horizon.
//! The added months' auction sessions come from the calendar (weekend
//! days), with no holidays: a model's `auction.holidays` lie in its own
//! timeline. It is applied before scenarios and `--set`, so that they may
//! change months of the horizon.

use super::Model;
use crate::calendar::{YearMonth, MAX_MONTHS, WEEKDAY_NAMES};
use crate::error::{BadArgument, Error};

/// A model's timeline run past the model file's last month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Horizon {
    /// The last month of the run: the `--horizon` month.
    pub month: YearMonth,
    /// The model's own last month, whose inputs every added month holds.
    pub held: YearMonth,
}

impl Horizon {
    /// How many months the horizon adds.
    pub fn added(&self) -> i64 {
        self.held.months_until(self.month)
    }

    /// The line reports carry: `Months after 2023-12 hold December 2023's
    /// inputs (--horizon 2025-06)`.
    pub fn line(&self) -> String {
        format!(
            "Months after {} hold {}'s inputs (--horizon {})",
            self.held,
            self.held.name(),
            self.month
        )
    }
}

impl Model {
    /// Applies `--horizon TEXT`: runs the timeline on to the month TEXT
    /// names, which must be the model's last month or later and leave at
    /// most [`MAX_MONTHS`] months. Returns the note to say on standard
    /// error. The model is unchanged on error.
    pub fn apply_horizon(&mut self, text: &str) -> Result<String, Error> {
        let usage = |m: String| Error::from(BadArgument::new("--horizon", text, m));
        let t = &self.timeline;
        let (start, end) = (t.start, t.end());
        let last = start
            .plus(MAX_MONTHS - 1)
            .or(YearMonth::new(9999, 12))
            .unwrap_or(end)
            .max(end);
        let allowed = if last == end {
            format!("{end}, the model's last month: it runs the {MAX_MONTHS} months a model may run already")
        } else {
            format!("a month from {end} to {last}")
        };
        let month: YearMonth = text.trim().parse().map_err(|_| {
            usage(format!(
                "{:?} is not a month (allowed: {}, written YYYY-MM)",
                text.trim(),
                allowed
            ))
        })?;
        if month < end {
            return Err(usage(format!(
                "{} ends in {end}, and a horizon runs a model past its end, never short of it (allowed: {allowed})",
                self.file.name
            )));
        }
        if month > last {
            return Err(usage(format!(
                "{} would run {} months, from {start} to {month}; a model runs at most {MAX_MONTHS} (allowed: {allowed})",
                self.file.name,
                start.months_until(month) + 1
            )));
        }
        if month == end {
            return Ok(format!(
                "note: --horizon {month} is the last month of {}; nothing is added",
                self.file.name
            ));
        }
        self.extend_to(month);
        let added = end.months_until(month);
        let (months, verb, their) = if added == 1 {
            ("1 month".to_string(), format!("{month} holds"), "its")
        } else {
            (
                format!("{added} months"),
                format!("{} to {month} hold", end.next()),
                "their",
            )
        };
        let mut note = format!(
            "note: --horizon {month} runs {} {months} past its last month, {end}: {verb} {}'s inputs",
            self.file.name,
            end.name()
        );
        if self.base.has(super::Part::Market) {
            let weekend: Vec<&str> = self
                .timeline
                .weekend
                .iter()
                .map(|d| WEEKDAY_NAMES[d.num_days_from_monday() as usize])
                .collect();
            if weekend.is_empty() {
                note.push_str("; every day is an auction session, with no holidays");
            } else {
                note.push_str(&format!(
                    "; {their} auction sessions are the days outside the weekend ({}), with no holidays",
                    weekend.join("+")
                ));
            }
        }
        Ok(note)
    }

    /// Runs the timeline on to `month` (nothing when it is not later than
    /// the last month), each added month holding the last month's inputs,
    /// and records the horizon. The caller checks [`MAX_MONTHS`].
    fn extend_to(&mut self, month: YearMonth) {
        let end = self.timeline.end();
        if month <= end {
            return;
        }
        let held = self.horizon.map_or(end, |h| h.held);
        self.timeline.extend_to(month);
        self.horizon = Some(Horizon { month, held });
    }
}

#[cfg(test)]
mod tests {
    use crate::model::load_str;
    use crate::model::testing::{small, SMALL};

    #[test]
    fn the_extended_model_is_the_model_with_more_months() {
        let mut m = small();
        let note = m.apply_horizon("2023-06").unwrap();
        assert_eq!(
            note,
            "note: --horizon 2023-06 runs small.toml 4 months past its last month, 2023-02: 2023-03 to 2023-06 hold \
             February 2023's inputs; their auction sessions are the days outside the weekend (Fri+Sat), with no holidays"
        );
        let edited = load_str("small.toml", &SMALL.replace("months = 2", "months = 6")).unwrap();
        assert_eq!(m.timeline, edited.timeline);
        assert_eq!((m.base.clone(), m.changes.clone()), (edited.base, edited.changes));
        let h = m.horizon.unwrap();
        assert_eq!(h.added(), 4);
        assert_eq!(
            h.line(),
            "Months after 2023-02 hold February 2023's inputs (--horizon 2023-06)"
        );
        // A second horizon keeps the file's own last month as the one held.
        m.apply_horizon("2023-08").unwrap();
        assert_eq!(m.horizon.unwrap().held.to_string(), "2023-02");
    }

    #[test]
    fn the_last_month_itself_changes_nothing() {
        let mut m = small();
        let note = m.apply_horizon("2023-02").unwrap();
        assert_eq!(
            note,
            "note: --horizon 2023-02 is the last month of small.toml; nothing is added"
        );
        assert_eq!(m, small());
    }

    #[test]
    fn a_horizon_out_of_range_is_refused_and_the_model_is_unchanged() {
        let mut m = small();
        for (text, message) in [
            (
                "2023-01",
                "--horizon 2023-01: small.toml ends in 2023-02, and a horizon runs a model past its end, \
                 never short of it (allowed: a month from 2023-02 to 2072-12)",
            ),
            (
                "2073-01",
                "--horizon 2073-01: small.toml would run 601 months, from 2023-01 to 2073-01; \
                 a model runs at most 600 (allowed: a month from 2023-02 to 2072-12)",
            ),
            (
                "2024-1",
                "--horizon 2024-1: \"2024-1\" is not a month (allowed: a month from 2023-02 to 2072-12, written YYYY-MM)",
            ),
        ] {
            let e = m.apply_horizon(text).unwrap_err();
            assert_eq!(e.to_string(), format!("error: {message}"));
            assert_eq!(e.exit_code(), 2);
        }
        assert_eq!(m, small());
        // The 600th month is allowed.
        m.apply_horizon("2072-12").unwrap();
        assert_eq!(m.timeline.months.len(), 600);
    }

    #[test]
    fn a_model_of_600_months_allows_only_its_last_month() {
        let mut m = load_str("small.toml", &SMALL.replace("months = 2", "months = 600")).unwrap();
        let e = m.apply_horizon("2073-01").unwrap_err();
        assert_eq!(
            e.to_string(),
            "error: --horizon 2073-01: small.toml would run 601 months, from 2023-01 to 2073-01; a model runs at most 600 \
             (allowed: 2072-12, the model's last month: it runs the 600 months a model may run already)"
        );
    }

    #[test]
    fn a_timeline_near_the_year_9999_stops_there() {
        let text = SMALL
            .replace("start = \"2023-01\"", "start = \"9999-01\"")
            .replace("from = \"2023-02\"", "from = \"9999-02\"");
        let mut m = load_str("small.toml", &text).unwrap();
        let e = m.apply_horizon("2024-01").unwrap_err();
        assert!(
            e.to_string()
                .ends_with("(allowed: a month from 9999-02 to 9999-12)"),
            "{e}"
        );
        m.apply_horizon("9999-12").unwrap();
        assert_eq!(m.timeline.months.len(), 12);
    }

    #[test]
    fn a_flow_only_model_says_nothing_of_sessions() {
        let mut m = load_str(
            "oil-for-food-1997.toml",
            include_str!("../../models/oil-for-food-1997.toml"),
        )
        .unwrap();
        let note = m.apply_horizon("1997-06").unwrap();
        assert_eq!(
            note,
            "note: --horizon 1997-06 runs oil-for-food-1997.toml 1 month past its last month, 1997-05: 1997-06 holds May 1997's inputs"
        );
    }
}
