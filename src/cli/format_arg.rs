//! `--format` as each subcommand's help shows it: the derived clap
//! definition knows one list of formats for every command, so `backtest
//! --help` offered `html` and `explain --help` `svg`, which they then
//! refused. Here the parsed command gets, per subcommand, a `--format`
//! whose help, completions and man page list only the formats that
//! subcommand writes, and the `--out` extensions that name them.
//!
//! A format the command does not write still parses: the command's own
//! refusal then says why and where that output lives (`--format html` is
//! the briefing's), which clap's "invalid value" could not. A word that
//! is no format at all gets clap's error, naming the command's formats.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::ValueEnum;

use crate::render::Format;

/// Parses `--format` for a command that writes `formats`.
#[derive(Debug, Clone)]
pub(crate) struct FormatOf {
    formats: Vec<Format>,
}

impl FormatOf {
    pub(crate) fn new(formats: Vec<Format>) -> FormatOf {
        FormatOf { formats }
    }

    fn offered(&self) -> impl Iterator<Item = PossibleValue> + '_ {
        self.formats.iter().filter_map(|f| f.to_possible_value())
    }
}

impl TypedValueParser for FormatOf {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<Format, clap::Error> {
        let ignore_case = arg.is_some_and(|a| a.is_ignore_case_set());
        let known = value.to_str().and_then(|text| {
            Format::value_variants().iter().find(|f| {
                f.to_possible_value()
                    .is_some_and(|p| p.matches(text, ignore_case))
            })
        });
        match known {
            Some(format) => Ok(*format),
            // Not a format at all: clap's own error, with this command's
            // formats as the possible values and the near one suggested.
            None => PossibleValuesParser::new(self.offered())
                .parse_ref(cmd, arg, value)
                .map(|_| Format::Table),
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.offered()))
    }
}

/// `command` with each subcommand's `--format` listing the formats
/// `formats_of` gives for it by name.
pub(crate) fn per_subcommand(
    mut command: clap::Command,
    formats_of: impl Fn(&str) -> Option<Vec<Format>>,
) -> clap::Command {
    // In place, so that the subcommands keep their order in the help.
    for sub in command.get_subcommands_mut() {
        let has_format = sub.get_arguments().any(|a| a.get_id() == "format");
        if let (true, Some(formats)) = (has_format, formats_of(sub.get_name())) {
            let help = default_help(&formats);
            let taken = std::mem::take(sub);
            *sub = taken.mut_arg("format", |arg| {
                arg.value_parser(FormatOf::new(formats)).help(help)
            });
        }
    }
    command
}

/// `--format`'s help for a command that writes `formats`: the files
/// `--out` takes the format from are those it writes.
fn default_help(formats: &[Format]) -> String {
    let extensions: Vec<String> = formats
        .iter()
        .filter(|f| **f != Format::Table)
        .map(|f| format!(".{}", f.name()))
        .collect();
    format!(
        "Output format [default: the one --out's extension names ({}), else table]",
        extensions.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, Command};

    fn command(formats: Vec<Format>) -> Command {
        Command::new("t").arg(
            Arg::new("format")
                .long("format")
                .value_parser(FormatOf::new(formats)),
        )
    }

    fn parse(formats: Vec<Format>, value: &str) -> Result<Format, String> {
        command(formats)
            .try_get_matches_from(["t", "--format", value])
            .map(|m| *m.get_one::<Format>("format").expect("given"))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_format_the_command_writes_parses() {
        assert_eq!(parse(vec![Format::Table, Format::Csv], "csv"), Ok(Format::Csv));
    }

    #[test]
    fn a_format_it_does_not_write_still_parses_for_the_command_to_refuse() {
        // The command's refusal explains (html is the briefing's); clap's
        // "invalid value" would not.
        assert_eq!(parse(vec![Format::Table, Format::Csv], "html"), Ok(Format::Html));
    }

    #[test]
    fn a_word_that_is_no_format_names_the_commands_formats() {
        let error = parse(vec![Format::Table, Format::Csv, Format::Xlsx], "xslx").unwrap_err();
        assert!(
            error.contains("invalid value 'xslx' for '--format <format>'"),
            "{error}"
        );
        assert!(error.contains("[possible values: table, csv, xlsx]"), "{error}");
        assert!(error.contains("a similar value exists: 'xlsx'"), "{error}");
    }

    #[test]
    fn help_lists_only_the_commands_formats() {
        let help = command(vec![Format::Table, Format::Json])
            .render_help()
            .to_string();
        assert!(help.contains("[possible values: table, json]"), "{help}");
    }
}
