//! The CSV renderer (`--format csv`): a report's tidy table, one record
//! per row, values exactly as computed (no separators, no rounding).
//!
//! Text that a spreadsheet would take as a formula (a cell starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return: `=HYPERLINK(…)` in a
//! source or note) is written with a `'` in front, as spreadsheet-safe
//! CSV writers do, so that opening the file runs nothing; numbers
//! (`-1.5`, `+2e3`) are written as they are.

use std::borrow::Cow;
use std::io::{self, Write};

use super::document::{Cell, Table};

pub(super) fn write(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(table.header.iter().map(|h| safe(h).into_owned()))?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| match c {
            Cell::Text(_) | Cell::Lines(_) => safe(&c.raw()).into_owned(),
            other => other.raw(),
        }))?;
    }
    w.flush()
}

/// `text` with a `'` in front when a spreadsheet would read it as a
/// formula, and as it is otherwise (a number stays a number).
pub fn safe(text: &str) -> Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A plain decimal number, optionally signed and with an exponent
/// (`-1.5`, `+2`, `-3e-4`); not `-inf` or `-nan`.
fn is_number(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
        && text.bytes().any(|b| b.is_ascii_digit())
        && text.parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn formulas_are_quoted_and_numbers_are_not() {
        for (text, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("= change", "'= change"),
            ("-1.5", "-1.5"),
            ("+2", "+2"),
            ("-3e-4", "-3e-4"),
            ("CBI bulletin, p. 4", "CBI bulletin, p. 4"),
            ("", ""),
        ] {
            assert_eq!(safe(text), want, "{text:?}");
        }
    }
}
