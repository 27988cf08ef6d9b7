//! What reaches the terminal: names that commands could not address or
//! that would act on a terminal are refused at load time with the reason;
//! control characters in free text are printed as escapes; `|` in a
//! Markdown table cell is escaped.

use crate::common::{dinarflow, ok};

fn base() -> String {
    std::fs::read_to_string("fixtures/mc-6-months.toml").unwrap()
}

fn write(dir: &tempfile::TempDir, text: &str) -> String {
    let p = dir.path().join("m.toml");
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// A buyer name with each character commands split at, or a control
/// character: exit 2, located, with the reason.
#[test]
fn unaddressable_names_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let text = base();
    let first = text.find("name = \"China\"").expect("a buyer named China");
    let line = text[..first].lines().count() + 1;
    for (name, written, why) in [
        (
            "Chi=na",
            "Chi=na",
            "`--set PATH=VALUE` and `--vary PATH=…` split at `=`",
        ),
        ("Chi:na", "Chi:na", "`--vary PATH=LO:HI:STEP` splits at `:`"),
        ("Chi@na", "Chi@na", "`METRIC@YYYY-MM` splits at `@`"),
        ("Chi|na", "Chi|na", "`|` separates the cells of tables"),
        (
            "Chi*na",
            "Chi*na",
            "`*` stands for every entry in a path (`deductions[*].rate`)",
        ),
        (
            "Chi\\u001bna",
            "Chi\\u{1b}na",
            "it holds the control character \\u{1b}, which a terminal would act on",
        ),
        (
            "Chi\\nna",
            "Chi\\nna",
            "it holds the control character \\u{a}, which a terminal would act on",
        ),
    ] {
        let p = write(
            &dir,
            &text.replacen("name = \"China\"", &format!("name = \"{name}\""), 1),
        );
        for command in ["check", "run"] {
            let o = dinarflow(&[command, &p]);
            assert_eq!(o.code, 2, "{name}: {}", o.stderr);
            let first_line = o.stderr.lines().next().unwrap();
            assert_eq!(
                first_line,
                format!(
                    "error: {p}:{line}:8: exports.buyers[0].name: \"{written}\" cannot be used as a name (allowed: a non-empty name without [ ] = : @ | *, control or format characters, or spaces at either end)"
                ),
                "{name}"
            );
            assert!(
                o.stderr.contains(&format!("= help: {why}\n")),
                "{name}: {}",
                o.stderr
            );
            assert!(!o.stderr.contains('\u{1b}'), "raw ESC on stderr");
        }
    }
}

/// The model's name with a control character: refused, with the reason.
#[test]
fn a_model_name_with_a_control_character_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = base().replacen(
        "name = \"Iraq H1 2023",
        "name = \"\\u001b[2J\\u0007Iraq H1 2023",
        1,
    );
    let p = write(&dir, &text);
    let o = dinarflow(&["check", &p]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.lines().next().unwrap().ends_with(
            "model.name: \"\\u{1b}[2J\\u{7}Iraq H1 2023 (Monte Carlo benchmark)\" cannot be used as the model's name (allowed: a name on one line, without control or format characters)"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("help: it holds the control character \\u{1b}"),
        "{}",
        o.stderr
    );
    assert!(!o.stderr.contains('\u{1b}') && !o.stderr.contains('\u{7}'));
}

/// ESC and BEL in a description and a source reach no command's table or
/// Markdown raw: they are printed as escapes. `|` in a source is escaped
/// in Markdown tables, so every row keeps its number of cells.
#[test]
fn control_characters_in_free_text_are_escaped_on_output() {
    let dir = tempfile::tempdir().unwrap();
    let text = base()
        .replacen(
            "description = \"Iraq",
            "description = \"\\u001b[31mRED\\u0007 Iraq",
            1,
        )
        .replacen(
            "source = \"SOMO: 2023 exports",
            "source = \"A | B \\u001b]0;title\\u0007 Oil Ministry",
            1,
        );
    let p = write(&dir, &text);
    for args in [
        vec!["check", p.as_str()],
        vec!["check", p.as_str(), "--format", "md"],
        vec!["brief", p.as_str()],
        vec!["brief", p.as_str(), "--format", "md"],
        vec!["run", p.as_str()],
        vec!["trace", p.as_str()],
        vec!["explain", p.as_str(), "gross_revenue_usd"],
    ] {
        let o = ok(&args);
        assert!(
            !o.stdout.contains('\u{1b}') && !o.stdout.contains('\u{7}'),
            "{args:?}: a raw control character"
        );
        assert!(!o.stderr.contains('\u{1b}'), "{args:?}: {}", o.stderr);
    }
    let o = ok(&["check", &p]);
    assert!(
        o.stdout.contains("A | B \\u{1b}]0;title\\u{7} Oil Ministry"),
        "{}",
        o.stdout
    );
    let o = ok(&["check", &p, "--format", "md"]);
    let row = o
        .stdout
        .lines()
        .find(|l| l.starts_with("| exports.volume_bpd"))
        .unwrap();
    assert!(
        row.contains("A \\| B \\u{1b}]0;title\\u{7} Oil Ministry"),
        "{row}"
    );
    let header = o.stdout.lines().find(|l| l.starts_with("| path")).unwrap();
    let cells = |l: &str| l.replace("\\|", "").matches('|').count();
    assert_eq!(cells(row), cells(header), "{row}");
    // The description is shown in JSON (escaped by JSON itself) and HTML.
    let o = ok(&["brief", &p, "--format", "json"]);
    assert!(o.stdout.contains("\\u001b[31mRED\\u0007 Iraq"), "{}", o.stdout);
}
