//! Located problems in a model file and how they are shown: every problem
//! names the file, line and column, the parameter path, the value and what is
//! allowed, and shows the offending line with a caret under it.

use std::fmt::{self, Write as _};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use annotate_snippets::{Level, Renderer, Snippet};

/// The text of a model file and the name it is reported under.
#[derive(Clone)]
pub struct SourceFile {
    /// The name problems are reported under (the path as given on the command line).
    pub name: String,
    /// The whole file, as read; spans are byte offsets into it.
    pub text: String,
    /// Byte offsets at which lines start, built on first use, so that
    /// locating a problem or an assumption is a binary search rather than
    /// a scan of the text (a file with 200,000 parameters took minutes).
    line_starts: OnceLock<Vec<usize>>,
}

impl PartialEq for SourceFile {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.text == other.text
    }
}

impl Eq for SourceFile {}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile")
            .field("name", &self.name)
            .field("text", &self.text)
            .finish()
    }
}

impl SourceFile {
    /// The problems found in this file, together.
    pub fn diagnostics(&self, problems: Vec<Problem>) -> Diagnostics {
        Diagnostics {
            file: self.clone(),
            problems,
        }
    }

    /// A file called `name` with contents `text`; line starts are indexed on first use.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// Zero-based line index and the byte range of that line (without its
    /// newline) for a byte offset.
    fn line_of(&self, offset: usize) -> (usize, Range<usize>) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let end = starts.get(line + 1).map_or(self.text.len(), |&next| next - 1);
        (line, starts[line]..end)
    }

    /// The byte range of one-based line `line` (without its newline); an
    /// empty range at the end for a line past the last.
    pub fn line_span(&self, line: usize) -> Range<usize> {
        let starts = self.line_starts();
        match starts.get(line.saturating_sub(1)) {
            Some(&start) => {
                let end = starts.get(line).map_or(self.text.len(), |&next| next - 1);
                start..end.max(start)
            }
            None => self.text.len()..self.text.len(),
        }
    }

    /// One-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let (line, range) = self.line_of(offset);
        let col = self.text[range.start..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// `FILE:LINE` of a span, for listings of assumptions.
    pub fn location(&self, span: &Range<usize>) -> String {
        let (line, _) = self.line_col(span.start);
        format!("{}:{}", self.name, line)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One thing wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    /// Byte range in the file, when the problem has a place in it.
    pub span: Option<Range<usize>>,
    /// Parameter path (`auction.rejection_rate`), or empty.
    pub path: String,
    /// What is wrong, including the offending value.
    pub message: String,
    /// What is allowed instead.
    pub allowed: Option<Box<str>>,
    /// A suggested fix.
    pub help: Option<Box<str>>,
    /// Background the reader needs (why a warning was given), shown as a
    /// `note:` footer. (Boxed text keeps a `Result<_, Problem>` small; a
    /// boxed `String` is one word.)
    #[allow(clippy::box_collection)]
    pub note: Option<Box<String>>,
    /// Another place the problem involves: `FILE:LINE` of the value in
    /// another file than the one reported on (a scenario's value among a
    /// model's warnings, with no `span`), or a second place in the same
    /// file (the first of two entries that clash). Boxed: a `Problem`
    /// stays small to return.
    pub place: Option<Box<Place>>,
}

/// The other place a [`Problem`] involves.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Place {
    /// `FILE:LINE` in another file, reported there instead of a span.
    Elsewhere(String),
    /// A second place in the same file, shown with its line.
    Also(Also),
}

/// The second place of a [`Problem`] and what the two marks say.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Also {
    /// Byte range of the second place.
    pub span: Range<usize>,
    /// The label under it.
    pub there: String,
    /// The label under the problem's own caret.
    pub here: String,
}

impl Problem {
    /// A problem at `span` (if any) with parameter `path` (or empty), saying `message`.
    pub fn new(span: Option<Range<usize>>, path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            span,
            path: path.into(),
            message: message.into(),
            allowed: None,
            help: None,
            note: None,
            place: None,
        }
    }

    /// The same problem, pointing also at `span` (labelled `there`) in
    /// the same file, with `here` under the caret: both lines are shown.
    pub fn also_at(mut self, span: Range<usize>, there: impl Into<String>, here: impl Into<String>) -> Self {
        self.place = Some(Box::new(Place::Also(Also {
            span,
            there: there.into(),
            here: here.into(),
        })));
        self
    }

    /// The same problem, in another file at `at` (`FILE:LINE`).
    pub fn elsewhere(mut self, at: impl Into<String>) -> Self {
        self.place = Some(Box::new(Place::Elsewhere(at.into())));
        self
    }

    /// The same problem, also saying what is allowed instead.
    pub fn allowed(mut self, allowed: impl Into<String>) -> Self {
        self.allowed = Some(allowed.into().into_boxed_str());
        self
    }

    /// The same problem, with a suggested fix shown as a `help:` footer.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    /// The same problem, with background shown as a `note:` footer.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(Box::new(note.into()));
        self
    }

    /// `PATH: message (allowed: …)` without the location.
    pub fn headline(&self) -> String {
        let mut s = String::new();
        if !self.path.is_empty() {
            let _ = write!(s, "{}: ", self.path);
        }
        s.push_str(&self.message);
        if let Some(allowed) = &self.allowed {
            let _ = write!(s, " (allowed: {allowed})");
        }
        s
    }

    /// The headline and its help on one line (`…; did you mean 0.8?`), for
    /// a value given on the command line.
    pub fn one_line(&self) -> String {
        match &self.help {
            Some(help) => format!("{}; {help}", self.headline()),
            None => self.headline(),
        }
    }
}

/// The columns a problem's source line is cut to, around its caret; 0
/// for annotate-snippets' own 140. Set by the binary from the terminal
/// standard error is shown on (see [`set_terminal_width`]).
static WIDTH: AtomicUsize = AtomicUsize::new(0);

/// Cuts each problem's source line to `columns` around its caret, with
/// `...` where text is left out, as rustc does on a narrow terminal: a
/// terminal that wrapped a 300-column line of a model file would put the
/// caret under the wrong text. The binary calls it when standard error is
/// a terminal; the library alone, a pipe or a file keep the default.
pub fn set_terminal_width(columns: usize) {
    WIDTH.store(columns, Ordering::Relaxed);
}

/// Most problems rendered: past this many (in file order), a file is
/// usually not a model at all, and a count says how many more there are.
pub const MAX_SHOWN: usize = 100;

/// Every problem found in one file, reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    /// The file the problems are in.
    pub file: SourceFile,
    /// Every problem found, in file order as the loader sorts them; the first [`MAX_SHOWN`]
    /// are rendered.
    pub problems: Vec<Problem>,
}

impl Diagnostics {
    /// Renders every problem as `FILE:LINE:COLUMN: PATH: message (allowed: …)`
    /// followed by the offending line with a caret, then a count.
    pub fn render(&self) -> String {
        self.render_as(
            Level::Error,
            "fix these first, then check the file again",
            ("error", "problem"),
        )
    }

    /// Renders every problem as a warning (`warning: FILE:LINE:COLUMN: …`,
    /// the line with a caret, a `note:` with the reason), then a count:
    /// things a valid model says that are worth a second look.
    pub fn render_warnings(&self) -> String {
        self.render_as(Level::Warning, "", ("warning", "warning"))
    }

    /// The problems at `level`, a note on those not shown (`advice` after
    /// it, if any), and the count: `LABEL: N NOUNs in FILE`.
    fn render_as(&self, level: Level, advice: &str, (label, noun): (&str, &str)) -> String {
        let n = self.problems.len();
        let more = n.saturating_sub(MAX_SHOWN);
        let mut out = self.render_each(level);
        if more > 0 {
            let advice = if advice.is_empty() {
                String::new()
            } else {
                format!("; {advice}")
            };
            let _ = writeln!(
                out,
                "note: {more} more {noun}{} not shown{advice}\n",
                if more == 1 { " is" } else { "s are" }
            );
        }
        let _ = writeln!(
            out,
            "{label}: {} {noun}{} in {}",
            n,
            if n == 1 { "" } else { "s" },
            self.file.name
        );
        printable(&out)
    }

    /// The first [`MAX_SHOWN`] problems at `level`, each followed by a blank line.
    fn render_each(&self, level: Level) -> String {
        self.render_each_at(level, WIDTH.load(Ordering::Relaxed))
    }

    /// As [`Self::render_each`], source lines cut to `width` (0: 140).
    fn render_each_at(&self, level: Level, width: usize) -> String {
        let renderer = match width {
            0 => Renderer::plain(),
            w => Renderer::plain().term_width(w),
        };
        let mut out = String::new();
        for p in self.problems.iter().take(MAX_SHOWN) {
            let title = match &p.span {
                Some(span) => {
                    let (line, col) = self.file.line_col(span.start);
                    format!("{}:{}:{}: {}", self.file.name, line, col, p.headline())
                }
                None => match p.place.as_deref() {
                    Some(Place::Elsewhere(at)) => format!("{at}: {}", p.headline()),
                    _ => format!("{}: {}", self.file.name, p.headline()),
                },
            };
            // Only the offending lines go to the renderer: giving it the
            // whole file made each problem cost a pass over the file.
            let places = p.span.as_ref().map(|span| {
                let also = match p.place.as_deref() {
                    Some(Place::Also(a)) => Some((a.span.clone(), a.there.as_str(), a.here.as_str())),
                    _ => None,
                };
                self.file.shown_lines(span.clone(), also)
            });
            let mut message = level.title(&title);
            if let Some(places) = &places {
                // A caret (`^`) under the value for warnings too, as
                // rustc draws it; the renderer's own mark for a warning is
                // a dash. A second place is marked with dashes.
                let mut snippet = Snippet::source(&places.text).line_start(places.first_line + 1);
                if let Some((at, label)) = &places.also {
                    snippet = snippet
                        .fold(true)
                        .annotation(Level::Error.span(places.at.clone()).label(places.label))
                        .annotation(Level::Warning.span(at.clone()).label(label));
                } else {
                    snippet = snippet.annotation(Level::Error.span(places.at.clone()));
                }
                message = message.snippet(snippet);
            }
            if let Some(note) = &p.note {
                message = message.footer(Level::Note.title(note.as_ref()));
            }
            if let Some(help) = &p.help {
                message = message.footer(Level::Help.title(help.as_ref()));
            }
            let _ = writeln!(out, "{}\n", renderer.render(message));
        }
        out
    }
}

/// The lines a problem shows, as the renderer is given them: from the
/// first place's line to the last's, the caret's span and the second
/// place's span within them.
struct Shown<'a> {
    text: String,
    first_line: usize,
    at: Range<usize>,
    label: &'a str,
    also: Option<(Range<usize>, &'a str)>,
}

impl SourceFile {
    /// The line of `span` (and of a second place `also`, with the lines
    /// between, which the renderer folds), each line made safe to show.
    fn shown_lines<'a>(
        &self,
        span: Range<usize>,
        also: Option<(Range<usize>, &'a str, &'a str)>,
    ) -> Shown<'a> {
        let text = &self.text;
        let span = clamp_span(text, span);
        let (line, _) = self.line_of(span.start);
        let other = also.as_ref().map(|(s, _, _)| {
            let s = clamp_span(text, s.clone());
            (self.line_of(s.start).0, s)
        });
        let first = other.as_ref().map_or(line, |(l, _)| (*l).min(line));
        let last = other.as_ref().map_or(line, |(l, _)| (*l).max(line));
        let mut shown = String::new();
        let (mut at, mut also_at) = (0..0, None);
        for n in first..=last {
            let range = self.line_span(n + 1);
            let local =
                |s: &Range<usize>| s.start - range.start..s.end.min(range.end).max(s.start) - range.start;
            let mine = (n == line).then(|| local(&span));
            let theirs = other.as_ref().filter(|(l, _)| *l == n).map(|(_, s)| local(s));
            let (text_n, spans) = display_line_spans(&text[range.clone()], [mine, theirs]);
            if n > first {
                shown.push('\n');
            }
            let offset = shown.len();
            if let Some(s) = &spans[0] {
                at = s.start + offset..s.end + offset;
            }
            if let Some(s) = &spans[1] {
                also_at = Some(s.start + offset..s.end + offset);
            }
            shown.push_str(&text_n);
        }
        let (label, also) = match also {
            Some((_, there, here)) => (here, also_at.map(|s| (s, there))),
            None => ("", None),
        };
        Shown {
            text: shown,
            first_line: first,
            at,
            label,
            also,
        }
    }
}

/// [`display_line`] with up to two spans on the line.
fn display_line_spans(line: &str, spans: [Option<Range<usize>>; 2]) -> (String, [Option<Range<usize>>; 2]) {
    let mut out = [None, None];
    let mut shown = String::new();
    for (i, s) in spans.iter().enumerate() {
        let (text, at) = display_line(line, s.clone().unwrap_or(0..0));
        if s.is_some() {
            out[i] = Some(at);
        }
        shown = text;
    }
    (shown, out)
}

/// Whether `c` is an invisible format character (Unicode category Cf):
/// the bidirectional embeddings, overrides and isolates (U+202A–202E,
/// U+2066–2069) and marks, zero-width spaces and joiners (U+200B–200D),
/// the byte-order mark, the soft hyphen and the like. They reorder or hide
/// the text around them: an override before "0.52%" shows "%25.0".
pub fn is_format_char(c: char) -> bool {
    matches!(
        c as u32,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x890..=0x891
            | 0x8E2
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x2064
            | 0x2066..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x110CD
            | 0x13430..=0x1343F
            | 0x1BCA0..=0x1BCA3
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
    )
}

/// Whether `c` is shown escaped by [`escape_invisible`]: a control
/// character other than a line break or tab, or a format character.
pub fn is_invisible(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_format_char(c)
}

/// Text safe to show on a terminal or a page: control characters (other
/// than line breaks and tabs) and format characters written as escapes
/// (`\u{1b}`, `\u{202e}`), so that free text from a model file or a
/// command-line argument cannot move the cursor, recolour the terminal or
/// reverse the figures around it.
pub fn escape_invisible(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_invisible) {
        return s.into();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_invisible(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// The text with Windows line ends made plain and every other control
/// or format character shown as U+FFFD, so that a model file (or a key in it) cannot
/// send escape sequences to the terminal through an error message.
fn printable(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| {
            if (c.is_control() && c != '\n') || is_format_char(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// The line as the renderer is given it, and the span within it. The
/// renderer widens a tab in the shown line but not under it, and it
/// miscounts (and in a debug build panics on) vertical tabs, form feeds,
/// lone carriage returns and NEL: so a tab is shown as a space and every
/// other control character as U+FFFD, each still one column, and a
/// Windows line end is dropped.
fn display_line(line: &str, span: Range<usize>) -> (String, Range<usize>) {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut shown = String::with_capacity(line.len());
    let (mut start, mut end) = (None, None);
    for (i, c) in line.char_indices() {
        if i == span.start {
            start = Some(shown.len());
        }
        if i == span.end {
            end = Some(shown.len());
        }
        shown.push(match c {
            '\t' => ' ',
            c if c.is_control() || is_format_char(c) => '\u{FFFD}',
            c => c,
        });
    }
    let start = start.unwrap_or(shown.len());
    let end = end.unwrap_or(shown.len()).max(start);
    (shown, start..end)
}

/// Keeps a caret span on one line and inside the text, at least one char wide.
fn clamp_span(text: &str, span: Range<usize>) -> Range<usize> {
    let start = floor_char_boundary(text, span.start.min(text.len()));
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = floor_char_boundary(text, span.end.min(line_end)).max(start);
    if end > start {
        start..end
    } else {
        let next = text[start..].chars().next().map_or(0, char::len_utf8);
        start..(start + next).min(line_end.max(start))
    }
}

/// The known names closest to `name`, best first (for "did you mean …?").
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    // A name no candidate can be within half of is not compared: the
    // distance is at least the difference in length (a 60 KB key against
    // every path took 0.4 s), and no name is compared past 200 characters.
    const LONGEST: usize = 200;
    let len = name.chars().count();
    if len > LONGEST {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .filter(|c| {
            let l = c.chars().count();
            l.abs_diff(len) * 2 <= l.max(len)
        })
        .map(|c| (strsim::normalized_damerau_levenshtein(name, c), c))
        .filter(|(score, _)| *score >= 0.5)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` as `m.toml`, with one problem in it.
    fn one(text: &str, problem: Problem) -> Diagnostics {
        Diagnostics {
            file: SourceFile::new("m.toml", text),
            problems: vec![problem],
        }
    }

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("m.toml", "a = 1\nbé = 2\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(6), (2, 1));
        assert_eq!(f.line_col(12), (2, 6));
    }

    #[test]
    fn renders_location_line_and_caret() {
        let d = one(
            "[auction]\nrejection_rate = 80\n",
            Problem::new(Some(27..29), "auction.rejection_rate", "80 is out of range")
                .allowed("0 to 1")
                .help("a share is written as a fraction: did you mean 0.8?"),
        );
        assert_eq!(
            d.render(),
            "error: m.toml:2:18: auction.rejection_rate: 80 is out of range (allowed: 0 to 1)\n  |\n2 | rejection_rate = 80\n  |                  ^^\n  |\n  = help: a share is written as a fraction: did you mean 0.8?\n\nerror: 1 problem in m.toml\n"
        );
    }

    #[test]
    fn a_narrow_width_cuts_the_line_around_the_caret() {
        // A line of 27 + 40 + 4 = 71 columns with the value at its end.
        let text = format!(
            "rejection_rate = {{ note = \"{}\", value = 80 }}\n",
            "x".repeat(30)
        );
        let at = text.find("80").unwrap();
        let d = one(
            &text,
            Problem::new(Some(at..at + 2), "auction.rejection_rate", "80 is out of range"),
        );
        let whole = d.render_each_at(Level::Error, 0);
        assert!(whole.contains(&format!("1 | {}", text.trim_end())), "{whole}");
        let cut = d.render_each_at(Level::Error, 40);
        let lines: Vec<&str> = cut.lines().collect();
        let source = lines.iter().find(|l| l.starts_with("1 | ")).unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        // Cut from the left with "...", the rest the line's own tail, and
        // the caret still under the 80.
        assert!(source.starts_with("1 | ..."), "{cut}");
        assert!(text.trim_end().ends_with(&source["1 | ...".len()..]), "{cut}");
        assert!(source.chars().count() <= 40, "{cut}");
        assert_eq!(caret.find("^^"), source.find("80"), "{cut}");
    }

    #[test]
    fn caret_stays_under_the_value_after_a_tab() {
        let d = one(
            "[auction]\n\trejection_rate = 80\n",
            Problem::new(Some(28..30), "auction.rejection_rate", "80 is out of range"),
        );
        let out = d.render();
        assert!(out.starts_with("error: m.toml:2:19: "), "{out}");
        assert!(
            out.contains("2 |  rejection_rate = 80\n  |                   ^^\n"),
            "{out}"
        );
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let d = one(
            "[auction]\r\nrejection_rate = 80 # \u{1b}[31m\r\n",
            Problem::new(Some(28..30), "auction.\u{1b}]0;x\u{7}", "80 is out of range"),
        );
        let out = d.render();
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        assert!(
            out.starts_with("error: m.toml:2:18: auction.\u{FFFD}]0;x\u{FFFD}: 80 is out of range\n"),
            "{out}"
        );
        assert!(out.contains("2 | rejection_rate = 80 # \u{FFFD}[31m\n"), "{out}");
    }

    #[test]
    fn a_second_place_is_shown_with_its_line_and_label() {
        let text = "a = 1\nb = 2\nc = 3\n";
        let d = one(
            text,
            Problem::new(Some(16..17), "c", "clashes with a").also_at(4..5, "first here", "then here"),
        );
        assert_eq!(
            d.render(),
            "error: m.toml:3:5: c: clashes with a\n  |\n1 | a = 1\n  |     - first here\n2 | b = 2\n3 | c = 3\n  |     ^ then here\n  |\n\nerror: 1 problem in m.toml\n"
        );
    }

    #[test]
    fn nearest_names() {
        let c = ["rejection_rate", "requests_usd_per_day", "cash_share"];
        assert_eq!(nearest("rejection_rte", c, 2), vec!["rejection_rate"]);
        assert!(nearest("zzz", c, 2).is_empty());
    }
}
