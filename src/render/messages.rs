//! Notes, warnings and errors on a terminal's standard error, wrapped
//! between words to the terminal's width. `mc` says in one line of about
//! 300 characters what the forecast error does to a band; an 80-column
//! terminal would break it in the middle of words. Wrapped, each
//! message's later lines hang under its text (`note: ` and then six
//! spaces), so one message stays apart from the next.
//!
//! Only message lines are wrapped: a line that starts, after any indent
//! and an optional `= `, with `error: `, `warning: `, `note: `, `help: `
//! or `tip: `. An error's source line and caret (which the diagnostics
//! cut to the same width, `diagnostic::set_terminal_width`), a table and
//! anything else pass through as they are, and so does a line that fits. The
//! binary wraps standard error only when it is a terminal: a pipe or a
//! log file keeps one message a line, for grep.

use std::io::{self, Write};

/// The labels that start a message line.
const LABELS: [&str; 5] = ["error", "warning", "note", "help", "tip"];

/// The fewest columns a message's text keeps beside its hanging indent;
/// on a terminal narrower than that the later lines hang by two spaces.
const TEXT_ROOM: usize = 24;

/// A writer that wraps the message lines written through it to `width`
/// columns. Lines are held until their newline; [`Write::flush`] (and
/// dropping it) writes an unfinished one as it is.
#[derive(Debug)]
pub struct WrappedMessages<W: Write> {
    inner: W,
    width: usize,
    line: Vec<u8>,
}

impl<W: Write> WrappedMessages<W> {
    /// Wraps message lines written to `inner` at `width` columns.
    pub fn new(inner: W, width: usize) -> Self {
        WrappedMessages {
            inner,
            width,
            line: Vec::new(),
        }
    }
}

impl<W: Write> Write for WrappedMessages<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for piece in buf.split_inclusive(|&b| b == b'\n') {
            self.line.extend_from_slice(piece);
            if piece.ends_with(b"\n") {
                let line = std::mem::take(&mut self.line);
                let text = String::from_utf8_lossy(&line[..line.len() - 1]);
                match wrapped(&text, self.width) {
                    Some(lines) => self.inner.write_all(lines.as_bytes())?,
                    None => self.inner.write_all(&line)?,
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let line = std::mem::take(&mut self.line);
        self.inner.write_all(&line)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for WrappedMessages<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// `line` broken into lines of at most `width` columns, each ending in a
/// newline, when it is a message line too wide for them; `None` when it
/// is to be written as it is. A word wider than the room (a path) is
/// left whole, so it can still be copied.
fn wrapped(line: &str, width: usize) -> Option<String> {
    if textwrap::core::display_width(line) <= width {
        return None;
    }
    let hang = hanging_indent(line)?;
    let (label, text) = line.split_at(hang);
    let rest = " ".repeat(if width >= hang + TEXT_ROOM { hang } else { 2 });
    let options = super::between_words(width)
        .initial_indent(label)
        .subsequent_indent(&rest)
        .break_words(false);
    let mut out = String::new();
    for l in textwrap::wrap(text, &options) {
        out.push_str(l.trim_end());
        out.push('\n');
    }
    Some(out)
}

/// Where the text of a message line starts (after `note: `, `  = help: `,
/// …), or `None` when `line` is not a message line.
fn hanging_indent(line: &str) -> Option<usize> {
    let unindented = line.trim_start_matches(' ');
    let after_eq = unindented.strip_prefix("= ").unwrap_or(unindented);
    let label = LABELS
        .iter()
        .find(|l| after_eq.strip_prefix(**l).is_some_and(|r| r.starts_with(": ")))?;
    Some(line.len() - after_eq.len() + label.len() + 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(width: usize, text: &str) -> String {
        let mut out = Vec::new();
        {
            let mut w = WrappedMessages::new(&mut out, width);
            // In pieces, as `writeln!` writes a formatted line.
            for piece in text.split_inclusive(' ') {
                w.write_all(piece.as_bytes()).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_long_note_hangs_under_its_text() {
        // 6 columns of "note: " leave 24 of 30 for the text: "alpha beta
        // gamma delta" is 22, " epsilon" would make 30 > 24; "epsilon zeta
        // eta theta" is 22, " iota" would make 27.
        let got = through(
            30,
            "note: alpha beta gamma delta epsilon zeta eta theta iota kappa\n",
        );
        assert_eq!(
            got,
            "note: alpha beta gamma delta\n      epsilon zeta eta theta\n      iota kappa\n"
        );
        assert!(got.lines().all(|l| l.chars().count() <= 30));
    }

    #[test]
    fn the_help_line_of_an_error_hangs_under_its_own_text() {
        // "    = help: " is 12 columns; 12 + 24 = 36 leaves it its hang.
        let got = through(
            36,
            "    = help: shares are fractions of 1; if 1.60 is a percentage\n",
        );
        assert_eq!(
            got,
            "    = help: shares are fractions of\n            1; if 1.60 is a\n            percentage\n"
        );
    }

    #[test]
    fn other_lines_and_lines_that_fit_pass_unchanged() {
        let source = "189 | rejection_rate = { value = 1.60, source = \"platform rules\" }\n    |                            ^^^^\n";
        assert_eq!(through(20, source), source);
        assert_eq!(through(80, "warning: short\n"), "warning: short\n");
        // A label must be followed by ": " to be one.
        assert_eq!(through(10, "notes: a b c d e f\n"), "notes: a b c d e f\n");
    }

    #[test]
    fn a_word_wider_than_the_room_is_not_broken() {
        // The path and its colon are 39 columns, past the 33 that 40 leave
        // beside "error: ": it overflows whole on the first line.
        let got = through(
            40,
            "error: models/a-very-long-directory/iraq.toml: no such file\n",
        );
        assert_eq!(
            got,
            "error: models/a-very-long-directory/iraq.toml:\n       no such file\n"
        );
    }

    #[test]
    fn a_narrow_terminal_hangs_by_two_spaces() {
        // "warning: " is 9 columns, and 9 + 24 > 30.
        let got = through(30, "warning: one two three four five six seven\n");
        assert_eq!(got, "warning: one two three four\n  five six seven\n");
    }

    #[test]
    fn an_unfinished_line_is_written_when_flushed() {
        let mut out = Vec::new();
        let mut w = WrappedMessages::new(&mut out, 10);
        w.write_all(b"note: a b c d e f g h i").unwrap();
        w.flush().unwrap();
        drop(w);
        assert_eq!(out, b"note: a b c d e f g h i");
    }
}
