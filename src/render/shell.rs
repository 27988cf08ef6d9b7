//! Words of the command lines that reports suggest (`dinarflow run --set
//! '…'`, `dinarflow mc models/x.toml --horizon …`), quoted for a POSIX
//! shell so that a reader can paste them as they are.

/// `s` in single quotes, a quote inside it closed, escaped and reopened.
pub fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// `s` as it is when it holds only characters no shell treats specially,
/// else [`quoted`].
pub fn word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@%+,".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        quoted(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_quoted_only_where_a_shell_would_read_it_otherwise() {
        assert_eq!(word("models/iraq-2023.toml"), "models/iraq-2023.toml");
        assert_eq!(word("2025-12"), "2025-12");
        assert_eq!(word("a=b"), "'a=b'");
        assert_eq!(
            word("exports.buyers[China].share=0.4"),
            "'exports.buyers[China].share=0.4'"
        );
        assert_eq!(word("my model.toml"), "'my model.toml'");
        assert_eq!(word(""), "''");
        // A quote inside: 'it'\''s' is the shell's it's.
        assert_eq!(word("it's"), r"'it'\''s'");
        assert_eq!(quoted("x"), "'x'");
    }
}
