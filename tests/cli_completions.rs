//! `dinarflow completions SHELL`: completion scripts generated from the
//! command line's own definition.

use crate::common::{dinarflow, ok};

#[test]
fn bash_completions_know_every_subcommand() {
    let o = ok(&["completions", "bash"]);
    assert!(o.stdout.starts_with("_dinarflow() {"), "{}", &o.stdout[..200]);
    for word in ["tornado", "sobol", "check", "--strict", "completions", "man"] {
        assert!(o.stdout.contains(word), "no {word}");
    }
    assert_eq!(o.stderr, "");
}

#[test]
fn every_shell_gets_a_script_and_an_unknown_one_is_refused() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = ok(&["completions", shell]);
        assert!(o.stdout.contains("tornado"), "{shell}");
    }
    let o = dinarflow(&["completions", "tcsh"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr
            .contains("possible values: bash, elvish, fish, powershell, zsh"),
        "{}",
        o.stderr
    );
}
