//! TOML syntax errors in a file typed by hand, told as the slip they most
//! likely were. The parser's own words ("string values must be quoted",
//! "missing comma between array elements") name neither the parameter nor
//! the fix, and one unclosed `[` makes it report every later line. So:
//! a bracket opened and never closed is one problem at the bracket; a
//! value written as in a note (`40%`, `$65`, `250M`, `0,4`) names its
//! parameter and the number to write; a list written once as `[t]` and
//! once as `[[t]]` says that every entry needs `[[t]]`.

use std::ops::Range;

use super::number_slip::{self, Written};
use super::registry::{field_at, FIELDS};
use crate::diagnostic::Problem;

/// The problems of a file `text` the parser found `errors` in.
pub(super) fn problems(text: &str, errors: &[toml::de::Error]) -> Vec<Problem> {
    if let Some(p) = unclosed(text) {
        return vec![p];
    }
    let mut slip_lines = Vec::new();
    let mut out = Vec::new();
    for e in errors {
        // The parser may stumble more than once on one slip: one problem
        // for it.
        let line = e.span().map(|s| line_of(text, s.start));
        if line.is_some() && slip_lines.contains(&line) {
            continue;
        }
        // A list written `[exports.buyers]` on every entry makes each key
        // of the second entry "set twice": the one problem at its header
        // says it all.
        if e.message().trim() == "duplicate key"
            && e.span().is_some_and(|s| in_list_with_one_bracket(text, s.start))
        {
            continue;
        }
        match slip(text, e) {
            Some(p) => {
                slip_lines.push(line);
                out.push(p);
            }
            None => out.push(syntax_problem(text, e)),
        }
    }
    out
}

/// The parser's error as it is; a duplicate key or table named, since the
/// parser's "duplicate key" does not say which.
fn syntax_problem(text: &str, e: &toml::de::Error) -> Problem {
    let message = e.message().trim();
    let p = Problem::new(e.span(), "", format!("TOML syntax error: {message}"));
    let Some(span) = e.span().filter(|_| message == "duplicate key") else {
        return p;
    };
    let Some(key) = text.get(span.clone()).map(str::trim).filter(|k| !k.is_empty()) else {
        return p;
    };
    let line = line_text(text, span.start);
    if line.trim_start().starts_with('[') {
        let header = header_name(line).unwrap_or(key);
        let list = line.trim_start().starts_with("[[");
        if let Some(single) = single_table_line(text, header).filter(|_| list) {
            return Problem::new(
                Some(span),
                "",
                format!("TOML syntax error: [{header}] on line {single} is one table, and [[{header}]] here adds an entry to a list of them"),
            )
            .help(format!("write every entry as [[{header}]], with two brackets"));
        }
        if is_list(header) {
            // `[exports.buyers]` on every buyer: merging the tables would
            // keep one buyer and drop the rest.
            return Problem::new(
                Some(span),
                "",
                format!("TOML syntax error: the table [{header}] is defined twice; [{header}] is a list, and each entry needs its own [[{header}]]"),
            )
            .help(format!("write every entry as [[{header}]], with two brackets"));
        }
        Problem::new(
            Some(span),
            "",
            format!("TOML syntax error: the table [{header}] is defined twice"),
        )
        .help(format!("merge the two [{header}] tables into one"))
    } else {
        Problem::new(
            Some(span),
            "",
            format!("TOML syntax error: `{key}` is set twice in the same table"),
        )
        .help("keep only one of the two lines")
    }
}

/// Whether `[[name]]` is one of a model file's lists (`[[changes]]`, or
/// a table whose entries carry fields in the registry: `[[exports.buyers]]`).
fn is_list(name: &str) -> bool {
    name == "changes"
        || FIELDS
            .iter()
            .any(|f| f.path.split_once("[*]").is_some_and(|(list, _)| list == name))
}

/// Whether byte `at` is a key's line under a `[name]` header (one
/// bracket) of a list (`[[name]]`) that the file writes so more than once:
/// then the key is a later entry's, not a key set twice. (A list written
/// `[name]` once has no such header problem to explain a key set twice.)
fn in_list_with_one_bracket(text: &str, at: usize) -> bool {
    if line_text(text, at).trim_start().starts_with('[') {
        return false;
    }
    let before = text.get(..line_start(text, at)).unwrap_or("");
    let Some(name) = before
        .lines()
        .rev()
        .map(|l| strip_comment(l).trim())
        .find(|l| l.starts_with('['))
        .filter(|h| !h.starts_with("[["))
        .and_then(header_name)
        .filter(|n| is_list(n))
    else {
        return false;
    };
    let single = |l: &str| {
        let t = strip_comment(l).trim();
        !t.starts_with("[[") && header_name(t) == Some(name)
    };
    text.lines().filter(|l| single(l)).count() > 1
}

/// The 1-based line of `[name]` written with single brackets, if any.
fn single_table_line(text: &str, name: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = strip_comment(l).trim();
            !t.starts_with("[[") && header_name(t) == Some(name)
        })
        .map(|i| i + 1)
}

/// `exports.buyers` of a header line `[exports.buyers]` or
/// `[[exports.buyers]]`.
fn header_name(line: &str) -> Option<&str> {
    let t = strip_comment(line).trim();
    let inner = t.strip_prefix("[[").and_then(|r| r.strip_suffix("]]"));
    let inner = inner.or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')))?;
    let inner = inner.trim();
    let bare = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"' | ' ');
    let first = inner.chars().next()?;
    let word = inner.to_ascii_lowercase();
    (inner.chars().all(bare)
        && (first.is_ascii_alphabetic() || first == '_' || first == '"')
        && !matches!(word.as_str(), "true" | "false" | "inf" | "nan"))
    .then_some(inner)
}

/// `line` up to a `#` outside quotes.
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The 1-based line number of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |b| b.matches('\n').count()) + 1
}

/// The byte where the line holding byte `at` starts.
fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|b| b.rfind('\n')).map_or(0, |i| i + 1)
}

/// The whole line holding byte `at`, without its newline.
fn line_text(text: &str, at: usize) -> &str {
    let start = line_start(text, at);
    let end = text
        .get(start..)
        .and_then(|r| r.find('\n'))
        .map_or(text.len(), |i| start + i);
    text.get(start..end).unwrap_or("").trim_end_matches('\r')
}

/// The table a line at byte `at` is in: the name of the last header
/// before it and, for a list entry (`[[…]]`), the entry's `name` if it has
/// one, else its number (`exports.buyers[2]`).
fn table_at(text: &str, at: usize) -> String {
    let before = text.get(..at).unwrap_or("");
    let Some((start, line)) = before
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .chain([0])
        .filter_map(|s| {
            let l = line_text(text, s);
            header_name(l).is_some().then_some((s, l))
        })
        .max_by_key(|(s, _)| *s)
    else {
        return String::new();
    };
    let Some(name) = header_name(line) else {
        return String::new();
    };
    if !strip_comment(line).trim().starts_with("[[") {
        return name.to_string();
    }
    // The entry's own `name = "…"` within its table, else its number.
    let end = text
        .get(start..)
        .and_then(|r| r.find("\n[").map(|i| start + i))
        .unwrap_or(text.len());
    let entry = text.get(start..end).unwrap_or("").lines().skip(1).find_map(|l| {
        let (k, v) = strip_comment(l).split_once('=')?;
        (k.trim() == "name").then(|| v.trim().trim_matches('"').to_string())
    });
    let number = before
        .lines()
        .filter(|l| strip_comment(l).trim().starts_with("[[") && header_name(l) == Some(name))
        .count()
        .max(1);
    match entry.filter(|e| !e.is_empty()) {
        Some(e) => format!("{name}[{e}]"),
        None => format!("{name}[{number}]"),
    }
}

/// A value written as in a note on the line of error `e`: the problem
/// naming its parameter and what to write.
fn slip(text: &str, e: &toml::de::Error) -> Option<Problem> {
    let at = e.span()?.start;
    let line_start = line_start(text, at);
    let line = line_text(text, at);
    let upto = at.checked_sub(line_start)?.min(line.len());
    // The `KEY =` before the error and the value after it.
    let eq = line.get(..upto.max(1))?.rfind('=').or_else(|| line.find('='))?;
    let key_part = line.get(..eq)?;
    let key = key_part
        .rsplit(['{', ','])
        .next()?
        .trim()
        .trim_matches('"')
        .to_string();
    let rest = strip_comment(line.get(eq + 1..)?);
    let value = value_text(rest);
    // `x = { value = 40%, … }`: the parameter is `x`.
    let key = if matches!(key.as_str(), "value" | "mean" | "min" | "max" | "sd" | "mode") {
        let outer = key_part.rsplit_once('{')?.0;
        outer
            .trim_end()
            .strip_suffix('=')?
            .rsplit([',', '{'])
            .next()?
            .trim()
            .trim_matches('"')
            .to_string()
    } else {
        key
    };
    let path = if key.contains('.') {
        key
    } else {
        let table = table_at(text, line_start);
        if table.is_empty() {
            key
        } else {
            format!("{table}.{key}")
        }
    };
    let field = field_at(&path);
    let help = number_slip::hint(value, field.map(|f| f.kind), Written::Toml)?;
    let start = line_start + eq + 1 + (rest.len() - rest.trim_start().len());
    let span: Range<usize> = start..start + value.len();
    let mut p = Problem::new(
        Some(span),
        path,
        format!("`{value}` is not a number TOML can read"),
    )
    .help(help);
    if let Some(f) = field {
        p = p.allowed(f.kind.allowed());
    }
    Some(p)
}

/// The value at the start of `rest` (what follows `=`): up to the end of
/// the line, a closing `}` or `]`, or a comma before the next `KEY =`.
fn value_text(rest: &str) -> &str {
    let t = rest.trim_start();
    let mut end = t.find(['}', ']']).unwrap_or(t.len());
    let mut from = 0;
    while let Some(i) = t.get(from..end).and_then(|s| s.find(',')) {
        let comma = from + i;
        let after = t.get(comma + 1..).unwrap_or("").trim_start();
        let next_key = after.split_once('=').is_some_and(|(k, _)| {
            !k.trim().is_empty()
                && !k.trim().contains(' ')
                && !k.trim().starts_with(|c: char| c.is_ascii_digit())
        });
        if next_key {
            end = comma;
            break;
        }
        from = comma + 1;
    }
    t.get(..end).unwrap_or("").trim()
}

/// A `[` or `{` of a value that is never closed: where it opens, with the
/// parameter it belongs to. A list may span lines, and (TOML 1.1) so may
/// an inline table; either is unclosed when a table header or a new
/// `KEY =` line comes before its closing bracket, or the file ends.
fn unclosed(text: &str) -> Option<Problem> {
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut pos = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let t = strip_comment(line).trim();
        if let Some(&(_, at)) = open.first() {
            let new_key = t.split_once('=').is_some_and(|(k, _)| {
                let k = k.trim();
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '"'))
            });
            let inline_entry = open.last().is_some_and(|(c, _)| *c == '{') && previous_ends_entry(text, pos);
            if header_name(t).is_some() || (new_key && !inline_entry) {
                return Some(unclosed_problem(text, open[0].0, at));
            }
        } else if t.starts_with('[') {
            pos += raw.len();
            continue;
        }
        scan(line, pos, &mut open);
        pos += raw.len();
    }
    open.first().map(|&(c, at)| unclosed_problem(text, c, at))
}

/// Whether the last line with content before byte `pos` ends an entry of
/// an inline table with `,` or opens it with `{`, so that a `KEY =` line
/// may follow within it.
fn previous_ends_entry(text: &str, pos: usize) -> bool {
    text.get(..pos)
        .unwrap_or("")
        .lines()
        .rev()
        .map(|l| strip_comment(l).trim())
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.ends_with(',') || l.ends_with('{'))
}

/// The brackets `line` (starting at byte `pos`) opens and closes, outside
/// strings and comments, applied to `open`.
fn scan(line: &str, pos: usize, open: &mut Vec<(char, usize)>) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut in_value = !open.is_empty();
    for (i, c) in line.char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '#' => return,
            '=' => in_value = true,
            '[' | '{' if in_value => open.push((c, pos + i)),
            ']' if open.last().is_some_and(|(o, _)| *o == '[') => {
                open.pop();
            }
            '}' if open.last().is_some_and(|(o, _)| *o == '{') => {
                open.pop();
            }
            _ => {}
        }
    }
}

/// The problem of bracket `c` opened at byte `at` and never closed.
fn unclosed_problem(text: &str, c: char, at: usize) -> Problem {
    let line_start = line_start(text, at);
    let line = line_text(text, at);
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().trim_matches('"').to_string())
        .unwrap_or_default();
    let table = table_at(text, line_start);
    let path = match (table.is_empty(), key.is_empty()) {
        (_, true) => String::new(),
        (true, false) => key,
        (false, false) => format!("{table}.{key}"),
    };
    let (what, close) = if c == '[' {
        ("a list", ']')
    } else {
        ("an inline table", '}')
    };
    Problem::new(
        Some(at..at + 1),
        path,
        format!("TOML syntax error: this `{c}` opens {what} that is never closed"),
    )
    .help(format!(
        "add the closing `{close}` after its last value (the lines after it were read as part of it)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<Problem> {
        let (_, errors) = toml::de::DeTable::parse_recoverable(text);
        assert!(!errors.is_empty(), "{text}");
        problems(text, &errors)
    }

    #[test]
    fn an_unclosed_list_is_one_problem_at_its_bracket() {
        let text = "[exports]\nvolume_bpd = 1\n\n[[exports.buyers]]\nname = \"China\"\nshare = [0.4\n\n[[exports.buyers]]\nname = \"Rest\"\nshare = 0.6\n";
        let p = errors(text);
        assert_eq!(p.len(), 1, "{p:?}");
        // `[` is byte 68: 10 + 15 + 1 + 19 + 15 bytes of lines 1 to 5,
        // then `share = `.
        assert_eq!(p[0].span, Some(68..69));
        assert_eq!(&text[68..69], "[");
        assert_eq!(p[0].path, "exports.buyers[China].share");
        assert_eq!(
            p[0].message,
            "TOML syntax error: this `[` opens a list that is never closed"
        );
    }

    #[test]
    fn an_unclosed_inline_table_is_one_problem_at_its_brace() {
        let text = "[exports]\nprice_usd_per_bbl = { value = 80, source = \"x\"\n\n[auction]\nrejection_rate = 0.5\n";
        let p = errors(text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path, "exports.price_usd_per_bbl");
        assert!(
            p[0].message.contains("`{` opens an inline table"),
            "{}",
            p[0].message
        );
        // A multi-line inline table (TOML 1.1) with its brace is no problem.
        let ok = "[exports]\nprice_usd_per_bbl = { value = 80,\n  source = \"x\" }\n";
        assert!(toml::de::DeTable::parse_recoverable(ok).1.is_empty());
        assert!(unclosed(ok).is_none());
    }

    #[test]
    fn a_value_written_as_in_a_note_names_its_parameter_and_the_fix() {
        let text = "[auction]\nrejection_rate = 40%\n";
        let p = errors(text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].path, "auction.rejection_rate");
        assert_eq!(p[0].message, "`40%` is not a number TOML can read");
        assert_eq!(p[0].allowed.as_deref(), Some("0 to 1"));
        assert_eq!(
            p[0].help.as_deref(),
            Some("write 0.4 (a share is a fraction of 1: 40% is 0.4)")
        );
        // After `[auction]\n` (10 bytes) and `rejection_rate = ` (17).
        assert_eq!(p[0].span, Some(27..30));
        // Inside an inline table, after the value's key.
        let text = "[exports]\nprice_usd_per_bbl = { value = $65, source = \"x\" }\n";
        let p = errors(text);
        assert_eq!(p[0].path, "exports.price_usd_per_bbl");
        assert_eq!(p[0].help.as_deref(), Some("write it without the dollar sign: 65"));
        assert_eq!(&text[p[0].span.clone().unwrap()], "$65");
        // Money with a comma or a suffix.
        for (v, help) in [
            (
                "250,000,000",
                "write it without the thousands separator: 250000000",
            ),
            ("250M", "write it as a plain number: 250_000_000"),
            ("0,4", "use a dot for the decimals: 0.4"),
        ] {
            let text = format!("[auction]\nrequests_usd_per_day = {v}\n");
            let p = errors(&text);
            assert_eq!(p.len(), 1, "{v}: {p:?}");
            assert_eq!(p[0].path, "auction.requests_usd_per_day", "{v}");
            assert_eq!(p[0].help.as_deref(), Some(help), "{v}");
        }
        // A path in a change's `set`.
        let text = "[[changes]]\nfrom = \"2024-03\"\nset = { \"auction.rejection_rate\" = 40% }\n";
        let p = errors(text);
        assert_eq!(p[0].path, "auction.rejection_rate");
    }

    #[test]
    fn a_list_written_once_with_one_bracket_says_every_entry_needs_two() {
        let text = "[exports.buyers]\nname = \"China\"\nshare = 0.4\n\n[[exports.buyers]]\nname = \"Rest\"\nshare = 0.6\n";
        let p = errors(text);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            p[0].message,
            "TOML syntax error: [exports.buyers] on line 1 is one table, and [[exports.buyers]] here adds an entry to a list of them"
        );
        assert_eq!(
            p[0].help.as_deref(),
            Some("write every entry as [[exports.buyers]], with two brackets")
        );
    }

    #[test]
    fn other_syntax_errors_keep_the_parser_s_words() {
        let p = errors("[auction]\nrejection_rate = = 0.4\n");
        assert!(
            p[0].message.starts_with("TOML syntax error: "),
            "{}",
            p[0].message
        );
        assert_eq!(p[0].path, "");
        let p = errors("[auction]\nrejection_rate = 0.4\nrejection_rate = 0.5\n");
        assert_eq!(
            p[0].message,
            "TOML syntax error: `rejection_rate` is set twice in the same table"
        );
    }
}
