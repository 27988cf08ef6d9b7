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
