//! A bound on how many values a model file may hold, checked by one scan of
//! its text before it is parsed: a 15 MB file of empty inline tables
//! (`x = [{},{},…]`) took 1.1 GB to parse before being refused; the
//! largest real models hold a few hundred thousand.

use crate::diagnostic::Problem;

/// Most `=`, `,`, `[` and `{` outside strings and comments a model file
/// may hold (each value, table or separator costs a few hundred bytes
/// once parsed; 600 months of changes to 1,000 entries is about 1.2 million).
pub const MAX_TOKENS: usize = 2_000_000;

/// The problem with `text` if it holds more than [`MAX_TOKENS`] values,
/// tables and separators, located where the limit was passed.
pub fn too_many_values(text: &str) -> Option<Problem> {
    let b = text.as_bytes();
    let mut count = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'#' => i = skip_to(b, i, b"\n"),
            b'"' if b[i..].starts_with(b"\"\"\"") => i = skip_string(b, i + 3, b"\"\"\"", true),
            b'"' => i = skip_string(b, i + 1, b"\"", true),
            b'\'' if b[i..].starts_with(b"'''") => i = skip_string(b, i + 3, b"'''", false),
            b'\'' => i = skip_string(b, i + 1, b"'", false),
            b'=' | b',' | b'[' | b'{' => {
                count += 1;
                if count > MAX_TOKENS {
                    return Some(
                        Problem::new(
                            Some(i..i + 1),
                            "",
                            format!("the file holds more than {MAX_TOKENS} values, tables and separators"),
                        )
                        .allowed(format!("at most {MAX_TOKENS} in a model file"))
                        .help("no model needs this many; is this a model file?"),
                    );
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// The index of `end` at or after `i` (or the end of the text).
fn skip_to(b: &[u8], i: usize, end: &[u8]) -> usize {
    b[i..]
        .windows(end.len())
        .position(|w| w == end)
        .map_or(b.len(), |p| i + p)
}

/// The index just past the string's closing `quote`, from `i` inside it;
/// a backslash escapes the next byte in basic strings. An unclosed string
/// ends the scan (the parser reports it).
fn skip_string(b: &[u8], mut i: usize, quote: &[u8], escapes: bool) -> usize {
    while i < b.len() {
        if escapes && b[i] == b'\\' {
            i += 2;
        } else if b[i..].starts_with(quote) {
            return i + quote.len();
        } else {
            i += 1;
        }
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_comments_do_not_count() {
        assert!(too_many_values("a = 1 # ,,,,\nb = \"[[,,\\\"{{\"\nc = '''\n,,,'''\n").is_none());
        let many = format!("x = [{}]\n", "{},".repeat(MAX_TOKENS / 2 + 1));
        let p = too_many_values(&many).expect("refused");
        assert_eq!(
            p.headline(),
            "the file holds more than 2000000 values, tables and separators (allowed: at most 2000000 in a model file)"
        );
        let inside = format!("x = \"{}\"\n", "{},".repeat(MAX_TOKENS));
        assert!(too_many_values(&inside).is_none());
    }
}
