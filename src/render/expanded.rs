//! A table as records, for a terminal too narrow for it: each row under a
//! `-[ RECORD n ]` rule, one `column | value` line per cell, long text
//! wrapped between words under its value. It is psql's expanded display
//! (`\x auto`), which the terminal tables' `psql` style already follows;
//! a table whose columns cannot fit side by side (an assumption's path,
//! value, unit and source at 100 columns) reads whole this way instead of
//! being cut by the terminal or wrapped down to a few words a line.

use std::io::{self, Write};

use super::document::{Cell, Table};
use crate::diagnostic::escape_invisible as printable;

/// The narrowest a value's text is wrapped to, however narrow the terminal.
const NARROWEST: usize = 20;

/// Writes `t` as records fitting `width` columns where they can.
pub(super) fn write(t: &Table, width: usize, out: &mut dyn Write) -> io::Result<()> {
    let names: Vec<String> = t.header.iter().map(|h| printable(h).into_owned()).collect();
    let name_width = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let room = width.saturating_sub(name_width + 3).max(NARROWEST);
    let options = super::between_words(room);
    let records: Vec<Vec<Vec<String>>> = (t.rows.iter())
        .map(|row| {
            row.iter()
                .map(|cell| {
                    let lines = match cell {
                        Cell::Lines(lines) => lines.clone(),
                        other => vec![other.shown("\n")],
                    };
                    let wrap = |l: &String| -> Vec<String> {
                        let text = printable(l);
                        let lines = textwrap::wrap(&text, &options);
                        lines.iter().map(|l| l.trim_end().to_string()).collect()
                    };
                    lines.iter().flat_map(wrap).collect()
                })
                .collect()
        })
        .collect();
    // Every rule as long as the widest value of any record, as psql rules them.
    let widest = (records.iter().flatten().flatten())
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0);
    for (n, fields) in records.iter().enumerate() {
        writeln!(out, "{}", rule(n + 1, name_width, widest.min(room), width))?;
        for (name, lines) in names.iter().zip(fields) {
            let mut lines = lines.iter();
            let first = lines.next().map(String::as_str).unwrap_or("");
            writeln!(out, "{}", format!("{name:<name_width$} | {first}").trim_end())?;
            for line in lines {
                writeln!(out, "{:name_width$} | {line}", "")?;
            }
        }
    }
    Ok(())
}

/// `-[ RECORD n ]` ruled out to the `+` over the column separator and on
/// over the widest value, as psql draws it, within `width`.
fn rule(n: usize, name_width: usize, value_width: usize, width: usize) -> String {
    let mut rule = format!("-[ RECORD {n} ]");
    let cross = name_width + 1;
    while rule.chars().count() < cross {
        rule.push('-');
    }
    if rule.chars().count() == cross {
        rule.push('+');
    }
    let end = (name_width + 3 + value_width).min(width.max(cross + 1));
    while rule.chars().count() < end {
        rule.push('-');
    }
    rule
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(t: &Table, width: usize) -> String {
        let mut out = Vec::new();
        write(t, width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn each_row_is_a_record_with_its_text_wrapped_under_its_value() {
        let mut t = Table::new(["path", "value", "source"], 1);
        t.push([
            Cell::from("auction.cash_share"),
            Cell::num(rust_decimal::Decimal::new(15, 2)),
            Cell::from("Shafaq, 4 Apr 2023: $22M cash of $184.4M sold"),
        ]);
        t.push([Cell::from("airlift.flights"), Cell::Empty, Cell::from("none")]);
        // Names 6 wide, " | " 3: 40 − 9 leaves 31 for a value. "Shafaq, 4
        // Apr 2023: $22M cash" is 29 (+ " of" would be 32); the widest value
        // line of any record, 29, sets every rule's length: 6 + 3 + 29 = 38.
        assert_eq!(
            shown(&t, 40),
            "-[ RECORD 1 ]-------------------------\n\
             path   | auction.cash_share\n\
             value  | 0.15\n\
             source | Shafaq, 4 Apr 2023: $22M cash\n       \
             | of $184.4M sold\n\
             -[ RECORD 2 ]-------------------------\n\
             path   | airlift.flights\n\
             value  |\n\
             source | none\n"
        );
    }

    #[test]
    fn a_rule_longer_than_the_names_crosses_after_its_bracket() {
        // Names 2 wide: the rule's own text is past the separator, so no
        // `+`; it runs on over the widest value (2 + 3 + 30).
        assert_eq!(rule(12, 2, 30, 80), format!("-[ RECORD 12 ]{}", "-".repeat(21)));
        // Names 20 wide: dashes to the separator at 21, `+`, then on to 20 + 3 + 5.
        assert_eq!(
            rule(1, 20, 5, 80),
            format!("-[ RECORD 1 ]{}+{}", "-".repeat(8), "-".repeat(6))
        );
    }
}
