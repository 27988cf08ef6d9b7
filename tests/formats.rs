//! `--format` per subcommand: its help lists exactly the formats the
//! command writes, and every other format is refused by the command
//! itself (with its reason), before any work.

/// Each subcommand with the arguments it needs to parse, on files that do
/// not exist: a format it writes gets as far as opening them.
const COMMANDS: &[(&str, &[&str])] = &[
    ("run", &["/no/m.toml"]),
    ("brief", &["/no/m.toml"]),
    ("check", &["/no/m.toml"]),
    ("trace", &["/no/m.toml"]),
    (
        "sweep",
        &["/no/m.toml", "--vary", "auction.rejection_rate=0.1:0.9"],
    ),
    ("tornado", &["/no/m.toml"]),
    (
        "solve",
        &[
            "/no/m.toml",
            "--vary",
            "auction.rejection_rate",
            "--target",
            "parallel_rate=1500",
        ],
    ),
    ("diff", &["/no/a.toml", "/no/b.toml"]),
    ("explain", &["/no/m.toml", "parallel_rate"]),
    ("mc", &["/no/m.toml"]),
    ("merge", &["/no/shard-1", "/no/shard-2"]),
    ("sobol", &["/no/m.toml"]),
    ("morris", &["/no/m.toml"]),
    (
        "fit",
        &[
            "/no/m.toml",
            "--observed",
            "/no/o.csv",
            "--vary",
            "auction.rejection_rate",
        ],
    ),
    ("backtest", &["/no/m.toml", "--observed", "/no/o.csv"]),
];

const EVERY_FORMAT: [&str; 8] = ["table", "csv", "json", "md", "svg", "png", "html", "xlsx"];

/// `dinarflow ARGS` in the library: the error's text, or `None` on success.
fn error_of(args: &[&str]) -> Option<String> {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let all = std::iter::once("dinarflow")
        .chain(args.iter().copied())
        .map(Into::into);
    dinarflow::cli::main_with(all, &mut out, &mut err)
        .err()
        .map(|e| e.to_string())
}

/// The formats `command -h` lists for `--format`.
fn listed(command: &str) -> Vec<String> {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let all = ["dinarflow", command, "-h"].map(Into::into);
    dinarflow::cli::main_with(all, &mut out, &mut err).unwrap();
    let help = String::from_utf8(out).unwrap();
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("--format"))
        .unwrap();
    let values = line.split("[possible values: ").nth(1).unwrap();
    values
        .trim_end_matches(']')
        .split(", ")
        .map(str::to_string)
        .collect()
}

#[test]
fn each_commands_help_lists_exactly_the_formats_it_writes() {
    for (command, args) in COMMANDS {
        let listed = listed(command);
        for format in EVERY_FORMAT {
            let mut line = vec![*command];
            line.extend_from_slice(args);
            line.extend_from_slice(&["--format", format]);
            let error = error_of(&line).expect("the files do not exist");
            let refused =
                error.contains(&format!("has no {format} output")) || error.contains("has no CSV form");
            assert_eq!(
                refused,
                !listed.iter().any(|l| l == format),
                "{line:?}: help lists {listed:?}, the command said {error}"
            );
            if !refused {
                assert!(
                    error.contains("/no/"),
                    "{line:?} failed before opening its files: {error}"
                );
            }
        }
    }
}

#[test]
fn the_refusal_names_the_same_formats_as_the_help() {
    // `backtest --format html`: help and refusal agree word for word.
    let error = error_of(&["backtest", "--observed", "o.csv", "--format", "html"]).unwrap();
    assert_eq!(
        error,
        "error: `dinarflow backtest` has no html output; it writes table, csv, json, md, svg, png, xlsx; \
         the HTML page is the briefing's: `dinarflow brief --format html`"
    );
    assert_eq!(
        listed("backtest").join(", "),
        "table, csv, json, md, svg, png, xlsx"
    );
    assert_eq!(listed("brief").join(", "), "table, json, md, html, xlsx");
    assert_eq!(listed("explain").join(", "), "table, csv, json, md");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let all = ["dinarflow", "explain", "-h"].map(Into::into);
    dinarflow::cli::main_with(all, &mut out, &mut err).unwrap();
    let help = String::from_utf8(out).unwrap();
    assert!(
        help.contains(
            "--format <FORMAT>    Output format [default: the one --out's extension names (.csv, .json, .md), else table] \
             [possible values: table, csv, json, md]"
        ),
        "{help}"
    );
}

#[test]
fn a_word_that_is_no_format_gets_the_commands_own_list() {
    let o = crate::common::dinarflow(&["explain", "parallel_rate", "--format", "jsn"]);
    assert_eq!(o.code, 2);
    assert_eq!(
        o.stderr,
        "error: invalid value 'jsn' for '--format <FORMAT>'\n  [possible values: table, csv, json, md]\n\n  \
         tip: a similar value exists: 'json'\n\nFor more information, try '--help'.\n"
    );
    assert_eq!(o.stdout, "");
}
