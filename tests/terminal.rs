//! The binary on a real terminal: a pseudo-terminal from util-linux's
//! `script` (Debian's bsdutils, always installed), whose width `stty`
//! sets. What the library cannot see from its tests is checked here: the
//! binary finds standard error to be a terminal and wraps its notes,
//! warnings and errors between words to its width.

use std::process::{Command, Stdio};

/// What `dinarflow ARGS` writes to standard error on a terminal `width`
/// columns wide (standard output goes to /dev/null), and its exit code.
fn stderr_on_terminal(args: &str, width: usize) -> (String, i32) {
    let bin = assert_cmd::cargo::cargo_bin("dinarflow");
    let line = format!(
        "stty cols {width} rows 40; exec '{}' {args} > /dev/null",
        bin.display()
    );
    let out = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .expect("util-linux's script runs the binary on a pseudo-terminal");
    let text = String::from_utf8_lossy(&out.stdout).replace('\r', "");
    (text, out.status.code().unwrap_or(-1))
}

#[test]
fn notes_wrap_between_words_and_hang_under_their_text() {
    let (shown, code) = stderr_on_terminal("mc -n 100 --quiet", 80);
    assert_eq!(code, 0, "{shown}");
    assert!(shown.lines().all(|l| l.chars().count() <= 80), "{shown}");
    // The forecast-error note, 337 characters piped, as `note: ` and then
    // lines hanging by its six columns, each broken at a space.
    let note = shown
        .split("note: a month's parallel_rate")
        .nth(1)
        .expect("the forecast-error note");
    assert_eq!(
        note,
        " (`parallel_rate@YYYY-MM`, `:first`, `:last`, the\n      \
         fan chart's months) carries the model's own error, log-normal with σ 3.25%\n      \
         ([forecast_error]), beside the spread of [uncertainty]: its band is one\n      \
         for a quote, and a month's premium_pct is computed from that quote; the\n      \
         summary over the timeline carries none\n"
    );
    // Piped, each note is one line, for grep.
    let piped = common_stderr(&["mc", "-n", "100", "--quiet"]);
    assert!(piped
        .lines()
        .any(|l| l.starts_with("note: a month's") && l.len() > 300));
}

#[test]
fn an_error_wraps_its_messages_and_cuts_its_source_line_around_the_caret() {
    let file = "fixtures/bad/change-value-out-of-range.toml";
    let (shown, code) = stderr_on_terminal(&format!("check {file}"), 60);
    assert_eq!(code, 2, "{shown}");
    // By hand, at 60 columns: "error: " hangs by 7; the path and its
    // position are 50 (57 in all), and the next word would pass 60.
    // "   = help: " hangs by 11, and "percentage," would end at 61.
    assert_eq!(
        shown,
        "error: fixtures/bad/change-value-out-of-range.toml:71:80:\n       \
         changes[0].set.\"auction.rejection_rate\": 1.2 is out\n       \
         of range (allowed: 0 to 1)\n   \
         |\n\
         71 | ...tion.rejection_rate\" = 1.2 }\n   \
         |                           ^^^\n   \
         |\n   \
         = help: shares are fractions of 1; if 1.2 is a\n           \
         percentage, write 0.012\n\
         \n\
         error: 1 problem in\n       \
         fixtures/bad/change-value-out-of-range.toml\n"
    );
    // The file's line 71 (84 columns) is cut from the left, "..." where
    // text is left out, and the caret still sits under the value 1.2.
    let line_71 = std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .nth(70)
        .unwrap()
        .to_string();
    assert_eq!(line_71.chars().count(), 84);
    let lines: Vec<&str> = shown.lines().collect();
    let source = lines.iter().find(|l| l.starts_with("71 | ...")).unwrap();
    let caret = lines.iter().find(|l| l.contains('^')).unwrap();
    assert!(line_71.ends_with(&source["71 | ...".len()..]));
    assert_eq!(caret.find("^^^"), source.find("1.2"));
    // Piped, the line is whole.
    let piped = common_stderr(&["check", file]);
    assert!(piped.contains(&format!("71 | {line_71}\n")), "{piped}");
}

/// Standard error of `dinarflow ARGS` through a pipe.
fn common_stderr(args: &[&str]) -> String {
    crate::common::dinarflow(args).stderr
}

/// `--help` on a terminal wraps at its width, at most 100 columns; piped,
/// each option's help is one line (mc's `--set` is about 250 characters).
#[test]
fn help_wraps_to_the_terminal_up_to_100_columns() {
    let piped = crate::common::ok(&["mc", "--help"]).stdout;
    let set = piped
        .lines()
        .find(|l| l.trim_start().starts_with("Replace a parameter (repeatable)"))
        .unwrap();
    assert!(set.len() > 200, "{set}");
    for (width, widest) in [(80, 80), (100, 100), (200, 100)] {
        let shown = crate::common::on_terminal(&["mc", "--help"], width);
        let longest = shown.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(longest <= widest, "{width}: a line of {longest}\n{shown}");
        // The text is all there, broken between words.
        let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&shown), words(&piped));
    }
}
