//! Inputs the fuzzer (fuzz/, docs/fuzzing.md) found to crash dinarflow,
//! kept in `fixtures/fuzz/` once fixed. Every one must be refused or run
//! cleanly by every command that reads a model: no panic (the tests run the
//! debug binary, with overflow checks), an exit code of 0, 1 or 2, and for
//! each, the message it is known to give.

use std::path::Path;

use crate::common::dinarflow;

fn fixtures() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir("fixtures/fuzz")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn no_fuzz_fixture_crashes_any_command() {
    let files = fixtures();
    assert!(!files.is_empty());
    for f in &files {
        for cmd in ["check", "run", "brief", "trace"] {
            // `dinarflow` itself fails the test on any panic output.
            let o = dinarflow(&[cmd, f]);
            assert!(
                (0..=2).contains(&o.code),
                "{cmd} {f}: exit {}\n{}",
                o.code,
                o.stderr
            );
            if o.code != 0 {
                assert!(o.stdout.is_empty(), "{cmd} {f}: output on failure");
                assert!(o.stderr.starts_with("error: "), "{cmd} {f}: {}", o.stderr);
            }
        }
    }
}

/// Control characters before a syntax error: each problem is reported at
/// the right line and column, the unprintable characters are shown as
/// U+FFFD (one column each), and the caret stands under the reported column.
#[test]
fn control_characters_before_an_error_are_shown_and_located() {
    let f = "fixtures/fuzz/control-characters-before-an-error.toml";
    assert!(Path::new(f).exists());
    let o = dinarflow(&["check", f]);
    assert_eq!(o.code, 2);
    assert!(!o.stderr.chars().any(|c| c.is_control() && c != '\n'));
    let lines: Vec<&str> = o.stderr.lines().collect();
    let mut located = Vec::new();
    for (i, title) in lines.iter().enumerate() {
        let Some(rest) = title.strip_prefix(&format!("error: {f}:")) else {
            continue;
        };
        let mut parts = rest.splitn(3, ':');
        let line: usize = parts.next().unwrap().parse().unwrap();
        let col: usize = parts.next().unwrap().parse().unwrap();
        let shown = lines[i + 2];
        let caret = lines[i + 3];
        assert!(shown.starts_with(&format!("{line} | ")), "{shown}");
        let text = &shown[format!("{line} | ").len()..];
        if (32..=34).contains(&line) {
            assert!(text.starts_with(&"\u{FFFD}".repeat(40)), "{shown}");
        }
        let at = caret.find('^').unwrap() - "   | ".len();
        assert_eq!(at + 1, col, "caret of {title}:\n{shown}\n{caret}");
        located.push((line, col));
    }
    for expected in [(32, 123), (33, 123), (34, 124), (35, 122)] {
        assert!(
            located.contains(&expected),
            "{expected:?} not in {located:?}\n{}",
            o.stderr
        );
    }
    assert!(o.stderr.contains(&format!(
        "{f}:35:122: TOML syntax error: carriage return must be followed by newline"
    )));
}
