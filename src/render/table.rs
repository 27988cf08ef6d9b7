//! The terminal renderer (`--format table`): a document as plain text,
//! tables drawn by tabled with `|` between columns and long text wrapped,
//! ranges drawn as a text chart. Given a terminal's width, a table of a
//! series (`run`'s months) too wide for it is drawn in blocks of columns
//! that fit, as R and pandas print a wide data frame, and any other table
//! too wide for it as records (see `expanded.rs`).

use std::io::{self, Write};

use rust_decimal::Decimal;
use tabled::builder::Builder;
use tabled::settings::object::{Columns, Object, Rows};
use tabled::settings::{Alignment, Style};

use super::document::{Block, Cell, Document, Ranges, Table};
use super::numbers::thousands;
use crate::num::decimal::to_f64;

/// Writes `doc`; `width` is the terminal's, when the text goes to one.
pub(super) fn write(doc: &Document, width: Option<usize>, out: &mut dyn Write) -> io::Result<()> {
    for block in &doc.blocks {
        match block {
            Block::Title { model, terminal, .. } => {
                paragraph(out, model, "", "", width)?;
                if let Some(t) = terminal {
                    paragraph(out, t, "", "", width)?;
                }
            }
            Block::Heading { text, .. } => paragraph(out, text, "", "", width)?,
            Block::Line(text) => paragraph(out, text, "", "", width)?,
            // Not wrapped: an indented line is a command to copy whole (fit's
            // `dinarflow run --set …`) or a label's continuation.
            Block::Indented { indent, text } => writeln!(out, "{:indent$}{}", "", printable(text))?,
            Block::Blank => writeln!(out)?,
            Block::Spacer => {}
            Block::Bullets(items) => {
                for item in items {
                    paragraph(out, item, "- ", "  ", width)?;
                }
            }
            Block::Table(t) => {
                let t = trimmed(t, width);
                let wrapped = narrowed(&t, width);
                if let Some(width) =
                    width.filter(|&w| t.series_from.is_none() && drawn(&wrapped).total_width() > w)
                {
                    super::expanded::write(&t, width, out)?;
                    continue;
                }
                for (i, block) in blocks(&wrapped, width).iter().enumerate() {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    writeln!(out, "{}", drawn(block))?;
                }
            }
            Block::Preformatted(lines) => {
                for line in lines {
                    writeln!(out, "{}", printable(line))?;
                }
            }
            Block::Ranges(r) if !r.bars.is_empty() => {
                writeln!(out)?;
                chart(r, out)?;
            }
            Block::Ranges(_) | Block::Chart(_) => {}
        }
    }
    Ok(())
}

/// `text` after `first`; on a terminal of `width`, broken between words
/// into lines that fit it, each after `rest` (a bullet's text hangs under
/// its first word), so that a terminal does not cut words in two. Without
/// a width each paragraph is one line, to paste or `grep`.
fn paragraph(
    out: &mut dyn Write,
    text: &str,
    first: &str,
    rest: &str,
    width: Option<usize>,
) -> io::Result<()> {
    let text = printable(text);
    let Some(width) = width else {
        return writeln!(out, "{first}{text}");
    };
    let options = super::between_words(width.max(first.len() + 1))
        .initial_indent(first)
        .subsequent_indent(rest);
    for line in textwrap::wrap(&text, &options) {
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The table as the terminal shows it.
fn drawn(t: &Table) -> tabled::Table {
    let mut table = tabled(t, "\n", |s| printable(s).into_owned());
    table.with(Style::psql());
    table
}

/// The table as it fits `width`: whole when it fits, when no width is
/// known, or when it is no series; else its series columns in blocks, as
/// many to a block as fit beside the columns before the series (which
/// every block repeats), at least one.
fn blocks(t: &Table, width: Option<usize>) -> Vec<std::borrow::Cow<'_, Table>> {
    let (Some(width), Some(from)) = (width, t.series_from) else {
        return vec![std::borrow::Cow::Borrowed(t)];
    };
    let columns = t.header.len();
    if from >= columns || drawn(t).total_width() <= width {
        return vec![std::borrow::Cow::Borrowed(t)];
    }
    let labels: Vec<usize> = (0..from).collect();
    let mut out = Vec::new();
    let mut next = from;
    while next < columns {
        let mut block = t.columns(&[labels.as_slice(), &[next]].concat());
        let mut end = next + 1;
        while end < columns {
            let wider = t.columns(&[labels.as_slice(), &(next..=end).collect::<Vec<_>>()].concat());
            if drawn(&wider).total_width() > width {
                break;
            }
            block = wider;
            end += 1;
        }
        out.push(std::borrow::Cow::Owned(block));
        next = end;
    }
    out
}

/// On a terminal too narrow for it, the table without its column of
/// exact values beside the figures rounded for people (as HTML shows it)
/// and without its optional columns (an assumption's file and line); CSV,
/// JSON and the workbook keep them, and a pipe gets the whole table.
fn trimmed(t: &Table, width: Option<usize>) -> std::borrow::Cow<'_, Table> {
    match width {
        // Measured with its text column wrapped as a pipe gets it.
        Some(width)
            if (t.exact.is_some() || !t.optional.is_empty())
                && drawn(&narrowed(t, None)).total_width() > width =>
        {
            let gone = |c: &usize| t.exact == Some(*c) || t.optional.contains(c);
            let kept: Vec<usize> = (0..t.header.len()).filter(|c| !gone(c)).collect();
            std::borrow::Cow::Owned(t.columns(&kept))
        }
        _ => std::borrow::Cow::Borrowed(t),
    }
}

/// The table wrapped (see [`wrapped`]) and, on a terminal it is too wide
/// for, its wrap column (or its fold column) wrapped narrower, so that it
/// fits when its other columns leave that column at least 24 characters.
fn narrowed(t: &Table, width: Option<usize>) -> std::borrow::Cow<'_, Table> {
    const NARROWEST: usize = 24;
    let whole = match t.wrap {
        Some((col, at)) => wrapped(t, col, at),
        None => std::borrow::Cow::Borrowed(t),
    };
    let (Some(width), Some(col)) = (width, t.wrap.map(|(c, _)| c).or(t.fold)) else {
        return whole;
    };
    let over = drawn(&whole).total_width().saturating_sub(width);
    // The column as wide as its longest line.
    let lines = whole.rows.iter().filter_map(|r| match r.get(col) {
        Some(Cell::Lines(ls)) => ls.iter().map(|l| l.chars().count()).max(),
        Some(Cell::Text(text)) => text.lines().map(|l| l.chars().count()).max(),
        _ => None,
    });
    let now = lines.chain([t.header[col].chars().count()]).max().unwrap_or(0);
    if over == 0 || now <= NARROWEST {
        return whole;
    }
    wrapped(t, col, now.saturating_sub(over).max(NARROWEST))
}

/// The table with column `col`'s text broken into lines of at most
/// `width`, at spaces (a word longer than the width is split), each line
/// starting with a word, not with the space it was broken at.
fn wrapped(t: &Table, col: usize, width: usize) -> std::borrow::Cow<'_, Table> {
    let options = super::between_words(width).wrap_algorithm(textwrap::WrapAlgorithm::FirstFit);
    let lines = |text: &str| -> Vec<String> {
        textwrap::wrap(text, &options)
            .into_iter()
            .map(|l| l.into_owned())
            .collect()
    };
    let mut t = t.clone();
    for row in &mut t.rows {
        if let Some(cell) = row.get_mut(col) {
            match cell {
                Cell::Text(text) => *cell = Cell::Lines(lines(text)),
                Cell::Lines(ls) => *ls = ls.iter().flat_map(|l| lines(l)).collect(),
                _ => {}
            }
        }
    }
    std::borrow::Cow::Owned(t)
}

/// Text as it may go to a terminal: control characters (ESC, BEL, a
/// carriage return…) other than line breaks and tabs, and format
/// characters (bidirectional overrides, zero-width joiners), written as
/// escapes (`\u{1b}`, `\u{202e}`), so that free text from a model file (a
/// description, a source, a note) cannot move the cursor, ring, recolour
/// the terminal or reverse the figures beside it.
pub(super) fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    crate::diagnostic::escape_invisible(s)
}

/// The table as tabled lays it out, before a style is chosen; multi-line
/// cells joined with `line_break`, every piece of text passed through
/// `text` (escapes for the format).
pub(super) fn tabled(t: &Table, line_break: &str, text: impl Fn(&str) -> String) -> tabled::Table {
    let mut b = Builder::default();
    b.push_record(t.header.iter().map(|h| text(h)));
    for row in &t.rows {
        b.push_record(row.iter().map(|c| match c {
            Cell::Lines(lines) => lines.iter().map(|l| text(l)).collect::<Vec<_>>().join(line_break),
            other => text(&other.shown(line_break)),
        }));
    }
    let mut table = b.build();
    for col in 0..t.header.len() {
        if t.right_aligned(col) {
            table.modify(Columns::one(col).not(Rows::first()), Alignment::right());
        }
    }
    table
}

/// The bars drawn in text: `=` from one end of each range to the other,
/// `|` at the base value, and the scale below.
fn chart(r: &Ranges, out: &mut dyn Write) -> io::Result<()> {
    const WIDTH: usize = 40;
    let all = r.bars.iter().flat_map(|b| [b.from, b.to]).chain([r.base]);
    let (lo, hi) = all.fold((r.base, r.base), |(l, h), x| (l.min(x), h.max(x)));
    let col = |x: Decimal| -> usize {
        if hi == lo {
            return WIDTH / 2;
        }
        let f = to_f64((x - lo) / (hi - lo));
        ((f * (WIDTH - 1) as f64).round() as usize).min(WIDTH - 1)
    };
    let name_width = r.bars.iter().map(|b| b.label.chars().count()).max().unwrap_or(0);
    let base_col = col(r.base);
    for b in &r.bars {
        let (a, z) = (col(b.from.min(b.to)), col(b.from.max(b.to)));
        let line: String = (0..WIDTH)
            .map(|c| {
                if c == base_col {
                    '|'
                } else if c >= a && c <= z {
                    '='
                } else {
                    ' '
                }
            })
            .collect();
        writeln!(out, "{:<name_width$}  {}", b.label, line.trim_end())?;
    }
    writeln!(
        out,
        "{:<name_width$}  {} to {}, | = base {}",
        "",
        thousands(lo),
        thousands(hi),
        thousands(r.base)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `doc` as the terminal shows it at `width`.
    fn shown(doc: &Document, width: Option<usize>) -> String {
        let mut out = Vec::new();
        write(doc, width, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A wrapped column breaks at spaces, no line starting with the space
    /// it broke at, and the column is as wide as its longest line.
    #[test]
    fn a_wrapped_column_breaks_between_words() {
        let mut t = Table::new(["path", "note"], 1).wrap(1, 12);
        t.push([Cell::from("a"), Cell::from("assumption: no published estimate")]);
        let mut doc = Document::new();
        doc.table(t);
        // "assumption:" (11) + " no" would be 14 > 12; "no published" is 12.
        assert_eq!(
            shown(&doc, None),
            " path | note         \n\
             ------+--------------\n \
             a    | assumption:  \n      \
             | no published \n      \
             | estimate     \n"
        );
    }

    /// A series too wide for the terminal comes in blocks that each fit,
    /// the label columns repeated; without a width, or when it fits, the
    /// table is whole.
    #[test]
    fn a_wide_series_comes_in_blocks_that_fit() {
        let mut t = Table::new(["metric", "unit", "2023-01", "2023-02", "2023-03", "total"], 1)
            .text_column(1)
            .series_from(2);
        t.push([
            Cell::from("sales_usd"),
            Cell::from("USD"),
            Cell::fixed(Decimal::new(123_456, 0), 0),
            Cell::fixed(Decimal::new(7, 0), 0),
            Cell::fixed(Decimal::new(89, 0), 0),
            Cell::fixed(Decimal::new(123_552, 0), 0),
        ]);
        let mut doc = Document::new();
        doc.table(t);
        let text = |width| shown(&doc, width);
        // Whole: the metric column 9 + 2, "|", the unit column 4 + 2, then
        // four columns of 7 + 2, each after a "|": 11 + 1 + 6 + 4 × 10 = 58.
        let whole = " metric    | unit | 2023-01 | 2023-02 | 2023-03 | total   \n\
                     -----------+------+---------+---------+---------+---------\n \
                     sales_usd | USD  | 123,456 |       7 |      89 | 123,552 \n";
        assert_eq!(text(None), whole);
        assert_eq!(text(Some(58)), whole);
        // At 40: the labels take 18, each month 10 more; two months make
        // 38, three 48.
        assert_eq!(
            text(Some(40)),
            " metric    | unit | 2023-01 | 2023-02 \n\
             -----------+------+---------+---------\n \
             sales_usd | USD  | 123,456 |       7 \n\
             \n \
             metric    | unit | 2023-03 | total   \n\
             -----------+------+---------+---------\n \
             sales_usd | USD  |      89 | 123,552 \n"
        );
        // Narrower than labels and one column: one column a block.
        assert_eq!(text(Some(10)).matches("metric").count(), 4);
    }

    /// An indented line (a command to copy) is never broken.
    #[test]
    fn an_indented_command_is_not_wrapped() {
        let mut doc = Document::new();
        doc.push(Block::Indented {
            indent: 2,
            text: "dinarflow run --set 'a.b=1' --set 'c.d=2'".into(),
        });
        assert_eq!(
            shown(&doc, Some(20)),
            "  dinarflow run --set 'a.b=1' --set 'c.d=2'\n"
        );
    }

    /// On a terminal, a bullet's text is broken between words and hangs
    /// under its first word; without a width it stays one line.
    #[test]
    fn a_bullet_wraps_on_a_terminal_only() {
        let mut doc = Document::new();
        doc.push(Block::Bullets(vec![
            "The parallel rate averaged 1,531 IQD per dollar over Nov 2022–Dec 2024.".into(),
        ]));
        let text = |width| shown(&doc, width);
        assert_eq!(
            text(None),
            "- The parallel rate averaged 1,531 IQD per dollar over Nov 2022–Dec 2024.\n"
        );
        // "- The parallel rate averaged 1,531 IQD" is 38 characters; with
        // " per" it would be 42.
        assert_eq!(
            text(Some(40)),
            "- The parallel rate averaged 1,531 IQD\n  per dollar over Nov 2022–Dec 2024.\n"
        );
    }

    /// Whether the optional column goes is decided on the table as a
    /// pipe shows it, its long text wrapped: a source of 80 characters
    /// wrapped at 20 leaves room for `where` at 60 columns.
    #[test]
    fn an_optional_column_stays_where_the_wrapped_table_fits() {
        let source = "Shafaq News citing CBI bulletins: 2022 sales $48.509B, about $200M a day";
        let mut t = Table::new(["path", "source", "where"], 1)
            .wrap(1, 20)
            .optional_column(2);
        t.push([
            Cell::from("auction.requests"),
            Cell::from(source),
            Cell::from("m.toml:12"),
        ]);
        let mut doc = Document::new();
        doc.table(t);
        // Wrapped at 20 the source's longest line is "CBI bulletins: 2022"
        // (19): 16 + 2, 1, 19 + 2, 1, 9 + 2 = 52 wide as a pipe gets it
        // (unwrapped, 105).
        assert_eq!(
            shown(&doc, None).lines().map(|l| l.chars().count()).max(),
            Some(52)
        );
        assert_eq!(shown(&doc, Some(52)), shown(&doc, None));
        assert!(shown(&doc, Some(51))
            .lines()
            .next()
            .unwrap()
            .trim_end()
            .ends_with("| source"));
    }

    /// A heading (backtest's "Backtest against FILE: trained up to …")
    /// breaks between words on a terminal, with no indent; piped, it is
    /// one line.
    #[test]
    fn a_heading_wraps_on_a_terminal_only() {
        let mut doc = Document::new();
        doc.heading(
            2,
            "Backtest against obs.csv: trained up to 2023-03 (8 observations)",
        );
        assert_eq!(
            shown(&doc, None),
            "Backtest against obs.csv: trained up to 2023-03 (8 observations)\n"
        );
        // "Backtest against obs.csv: trained up to" is 39; " 2023-03" would make 47.
        assert_eq!(
            shown(&doc, Some(40)),
            "Backtest against obs.csv: trained up to\n2023-03 (8 observations)\n"
        );
    }

    /// On a terminal too narrow for a table, its wrapped column is wrapped
    /// narrower so that the table fits, but not below 24 characters.
    #[test]
    fn a_wrapped_column_narrows_to_fit_a_terminal() {
        let mut t = Table::new(["path", "source"], 1).wrap(1, 60);
        t.push([
            Cell::from("auction.cash_share"),
            Cell::from("Shafaq, 4 Apr 2023: $22M cash of $184.4M sold (derived)"),
        ]);
        let mut doc = Document::new();
        doc.table(t);
        let text = |width| shown(&doc, width);
        // Whole: the path column 18 + 2, "|", the source's 55 + 2: 78.
        assert_eq!(text(None).lines().map(str::len).max(), Some(78));
        assert_eq!(text(Some(78)), text(None));
        // At 60, 18 over: the source gets 55 - 18 = 37; "Shafaq, 4 Apr
        // 2023: $22M cash of" is 32, and " $184.4M" would make 40.
        assert_eq!(
            text(Some(60)),
            " path               | source                           \n\
             --------------------+----------------------------------\n \
             auction.cash_share | Shafaq, 4 Apr 2023: $22M cash of \n                    \
             | $184.4M sold (derived)           \n"
        );
        // At 40 it would get 17, under 24: the table cannot fit, so it
        // comes as a record (names 6 wide + " | " leave 31 for a value).
        assert_eq!(
            text(Some(40)),
            "-[ RECORD 1 ]-------------------------\n\
             path   | auction.cash_share\n\
             source | Shafaq, 4 Apr 2023: $22M cash\n       \
             | of $184.4M sold (derived)\n"
        );
    }

    /// A table too wide for the terminal even without its optional
    /// columns comes as records; one that fits without them is drawn
    /// without them; a pipe gets every column.
    #[test]
    fn an_optional_column_goes_first_then_the_table_comes_as_records() {
        let mut t = Table::new(["path", "value", "where"], 1).optional_column(2);
        t.push([
            Cell::from("auction.cash_share"),
            Cell::from("0.15"),
            Cell::from("m.toml:12"),
        ]);
        let mut doc = Document::new();
        doc.table(t);
        // " path               | value | where     ": 20 + 1 + 7 + 1 + 11 = 40.
        assert_eq!(
            shown(&doc, None).lines().map(|l| l.chars().count()).max(),
            Some(40)
        );
        assert_eq!(shown(&doc, Some(40)), shown(&doc, None));
        // Without `where`, 28 wide.
        assert_eq!(
            shown(&doc, Some(39)),
            " path               | value \n\
             --------------------+-------\n \
             auction.cash_share |  0.15 \n"
        );
        // At 27 not even that fits: a record, its rule as long as the
        // names (5), " | " and the widest value (18): 26.
        assert_eq!(
            shown(&doc, Some(27)),
            "-[ RECORD 1 ]-------------\n\
             path  | auction.cash_share\n\
             value | 0.15\n"
        );
    }

    /// On a terminal too narrow for it, the column of exact values goes
    /// (the rounded figures stay); where the table fits, it stays.
    #[test]
    fn the_exact_column_goes_on_a_narrow_terminal() {
        let mut t = Table::new(["figure", "value", "exact"], 1).exact_column(2);
        t.push([
            Cell::from("Dollars sold"),
            Cell::from("$107.33 bn"),
            Cell::from("107,331,555,955.51"),
        ]);
        let mut doc = Document::new();
        doc.table(t);
        // " figure       | value      | exact              ": 14 + 1 + 12 + 1 + 20 = 48.
        assert_eq!(shown(&doc, Some(48)), shown(&doc, None));
        assert_eq!(shown(&doc, None).lines().map(str::len).max(), Some(48));
        assert_eq!(
            shown(&doc, Some(47)),
            " figure       | value      \n\
             --------------+------------\n \
             Dollars sold | $107.33 bn \n"
        );
    }
}
