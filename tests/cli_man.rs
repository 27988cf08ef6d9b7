//! `dinarflow man`: the roff manual page on standard output.

use crate::common::ok;

#[test]
fn the_man_page_has_a_title_and_lists_the_subcommands() {
    let o = ok(&["man"]);
    assert!(o.stdout.contains(".TH dinarflow 1"), "{}", &o.stdout[..300]);
    assert!(o.stdout.contains(".SH NAME\ndinarflow \\- Traces Iraq"));
    assert!(o.stdout.contains(".SH SUBCOMMANDS"));
    for sub in ["run", "brief", "check", "tornado", "mc", "completions", "man"] {
        assert!(o.stdout.contains(&format!("dinarflow\\-{sub}(1)")), "no {sub}");
    }
    assert_eq!(o.stderr, "");
}

/// `man COMMAND` is the page the top-level page points to
/// (`dinarflow-run(1)`), with the subcommand's own options.
#[test]
fn a_subcommand_has_its_own_page_with_its_options() {
    let o = ok(&["man", "backtest"]);
    // The release it documents, as on the top-level page (Cargo.toml's
    // version), not the subcommand's name.
    let th = format!(
        ".TH dinarflow-backtest 1  \"dinarflow {}\"",
        env!("CARGO_PKG_VERSION")
    );
    assert!(o.stdout.contains(&th), "{}", &o.stdout[..300]);
    let top = ok(&["man"]).stdout;
    assert!(top.contains(&format!(
        ".TH dinarflow 1  \"dinarflow {}\"",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(
        o.stdout.contains("\\fBdinarflow backtest\\fR"),
        "{}",
        &o.stdout[..600]
    );
    // Options only backtest has.
    for opt in ["\\-\\-rolling", "\\-\\-refit", "\\-\\-observed"] {
        assert!(o.stdout.contains(opt), "no {opt}");
    }
    // The top-level page has none of them.
    let top = ok(&["man"]).stdout;
    assert!(!top.contains("\\-\\-rolling"));
    let o = crate::common::dinarflow(&["man", "nope"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: man nope: no such command (allowed: run, brief, check, trace, init, sweep, tornado, solve, diff, explain, mc, merge, sobol, morris, fit, backtest, serve, completions, man)\n"
    );
    assert_eq!(o.stdout, "");
}
