//! The command line's own refusals, before or around a command's work: a
//! format a command does not write, an output file that clashes with what
//! is read, options that do not go together, sizes too large to run. Each
//! is a kind with its fields; its wording is in one place, here, and it
//! leaves with the usage exit code (2). (A server the system does not let
//! start is `serve`'s own failure, exit code 1.)

use crate::error::usage_refusal;

/// A command line refused, with what the user asked for.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// `--format` against the extension of `--out`.
    #[error("--format {format} does not match --out {out}, which names {named} output; leave out --format or change the file name")]
    FormatAgainstOut {
        /// The format asked for.
        format: &'static str,
        /// The output file as given.
        out: String,
        /// The format its extension names.
        named: &'static str,
    },
    /// `--out` whose extension names a kind of file dinarflow does not
    /// write (`.pdf`, `.xls`, `.jpg`, …), without `--format`.
    #[error("--out {out}: dinarflow writes no .{ext} file; {instead}, or give --format table to write the text table to {out}")]
    OutOfUnknownKind {
        /// The output file as given.
        out: String,
        /// Its extension, as written.
        ext: String,
        /// The file to ask for instead.
        instead: &'static str,
    },
    /// A format the command does not write.
    #[error("`dinarflow {command}` has no {format} output; it writes {writes}{hint}")]
    NoSuchOutput {
        /// The command.
        command: String,
        /// The format asked for.
        format: &'static str,
        /// The formats it writes, comma-separated.
        writes: String,
        /// Where that format is written instead (`; …`), or empty.
        hint: &'static str,
    },
    /// `explain` given a model file and no metric.
    #[error(
        "explain {file}: a model file, and no METRIC to explain; e.g. dinarflow explain {file} parallel_rate"
    )]
    ExplainWithoutMetric {
        /// The model file as given.
        file: String,
    },
    /// A format `backtest --rolling` does not write.
    #[error("`backtest --rolling` has no {format} output (a chart is of one backtest); it writes {writes}")]
    NoRollingOutput {
        /// The format asked for.
        format: &'static str,
        /// The formats it writes, comma-separated.
        writes: String,
    },
    /// A workbook or picture bound for a terminal.
    #[error("{format} is a binary file format and standard output is a terminal; write it to a file with --out FILE.{format}")]
    BinaryOnTerminal {
        /// The format.
        format: &'static str,
    },
    /// `--size` for a format that is not a picture.
    #[error("--size is the size of a picture (--format svg or png); {format} output has none")]
    SizeOfNoPicture {
        /// The format.
        format: &'static str,
    },
    /// `run --metric` without a chart to draw it in.
    #[error("--metric chooses what `run --format svg` (or png) draws; every metric is in the other formats")]
    RunMetricWithoutChart,
    /// `run --metric` naming no metric of the model.
    #[error("--metric {metric}: no such metric; the metrics are {names}")]
    NoSuchMetric {
        /// The name given.
        metric: String,
        /// The model's metrics, comma-separated.
        names: String,
    },
    /// `brief --format csv`.
    #[error("brief has no CSV form; use --format table, md, json, html or xlsx (or `run --format csv`)")]
    BriefAsCsv,
    /// `mc --draws N`: a file named like a number of draws.
    #[error("--draws {0}: mc's --draws names the file to write every draw to (brief's --draws is a number); for {0} draws give -n {0}, for a file of that name ./{0}")]
    DrawsLikeACount(String),
    /// `diff` with nothing to compare the model with.
    #[error("diff needs a second model B, or --set-b PATH=VALUE or --scenario-b FILE to compare A with A under a what-if")]
    NothingToCompare,
    /// `trace --month` that is not a month (the reason says why).
    #[error("--month: {0}")]
    MonthText(String),
    /// `trace --month` outside the model's timeline (the reason says
    /// where the timeline runs, and how to run it on to a later month).
    #[error("--month {0}")]
    MonthOutside(String),
    /// `init FILE` where FILE exists.
    #[error("{path} already exists; init does not overwrite files (choose another name or remove it)")]
    WouldOverwrite {
        /// The file.
        path: String,
    },
    /// An output file that is a file being read.
    #[error("{flag} {path} is {read} being read; choose another file")]
    OutputIsInput {
        /// The option that names it (`--out`, `--draws`, …).
        flag: String,
        /// The file.
        path: String,
        /// What the files read are (`the model or a scenario`, …).
        read: String,
    },
    /// Two output options naming one file.
    #[error("{first} {first_path} and {flag} {path} name the same file; choose two files")]
    SameOutput {
        /// The option named first.
        first: String,
        /// Its file.
        first_path: String,
        /// The option named second.
        flag: String,
        /// Its file (the same one).
        path: String,
    },
    /// An output through a symbolic link the kernel would not follow.
    #[error(
        "cannot write {path}: {link} is a symbolic link in {dir}, a sticky directory anyone may write to, and it belongs to \
         user {owner}, neither you (user {me}) nor the directory's owner (user {dir_owner}); it is not followed, as the kernel \
         would not follow it (fs.protected_symlinks): write to the file it names directly, or remove the link"
    )]
    ProtectedSymlink {
        /// The output file as given.
        path: String,
        /// The link on its way.
        link: String,
        /// The sticky, world-writable directory the link is in.
        dir: String,
        /// The link's owner.
        owner: u32,
        /// This process's user.
        me: u32,
        /// The directory's owner.
        dir_owner: u32,
    },
    /// `morris -r` below 2.
    #[error("-r must be at least 2 (sigma needs two trajectories)")]
    TooFewTrajectories,
    /// `morris --levels` odd or out of 2 to 100.
    #[error("--levels {0} is not an even number from 2 to 100")]
    Levels(u32),
    /// `morris -r` with more evaluations than one run makes.
    #[error("-r {r} with {inputs} inputs needs {needs} evaluations, more than one run makes ({most})")]
    TooManyEvaluations {
        /// Trajectories asked for.
        r: usize,
        /// Inputs drawn.
        inputs: usize,
        /// The evaluations that takes, written for people.
        needs: String,
        /// The most one run makes, written for people.
        most: String,
    },
    /// `morris -r` whose elementary effects would not fit in memory.
    #[error("-r {r} would hold about {gb} GB of elementary effects (the limit is {limit} GB); use fewer trajectories")]
    TooManyEffects {
        /// Trajectories asked for.
        r: usize,
        /// The gigabytes they would take.
        gb: u64,
        /// The most allowed, in gigabytes.
        limit: u64,
    },
    /// An input of a Morris screening whose grid has no allowed value.
    #[error("{path}: no value of {dist} lies in the allowed range ({range})")]
    NoGrid {
        /// The input.
        path: String,
        /// Its distribution.
        dist: String,
        /// Its allowed range.
        range: String,
    },
    /// `mc --shard` that is not K/N (the reason says why).
    #[error("--shard {0}")]
    ShardText(String),
    /// `mc --shard K/N` with more shards than draws.
    #[error("--shard K/{count} splits -n {n} draws into more shards than draws; use at most {n} shards")]
    MoreShardsThanDraws {
        /// Shards asked for.
        count: u64,
        /// Draws asked for.
        n: u64,
    },
    /// `mc --shard` with `--by-month`.
    #[error(
        "--by-month takes every draw's months, which shards do not keep; run mc --by-month unsharded \
         (the same seed gives the same draws)"
    )]
    ShardByMonth,
    /// `mc --shard` with `--until`.
    #[error("--until cannot be split into shards: convergence needs every draw; run it unsharded")]
    ShardUntil,
    /// `mc --shard` with `--draws`.
    #[error("--shard already writes every draw of its slice; leave out --draws")]
    ShardDraws,
    /// `mc --shard` with `--format`.
    #[error("--format applies to `dinarflow merge`, which prints the report of all shards")]
    ShardFormat,
    /// `fit --write-model` whose model would not load (a bug).
    #[error(
        "the model --write-model would write does not load, so it was not written (please report this): {0}"
    )]
    WrittenModelDoesNotLoad(String),
    /// `fit --write-model` whose model would not give the fit (a bug).
    #[error("the model --write-model would write does not reproduce the fit's residuals, so it was not written (please report this)")]
    WrittenModelDiffers,
    /// `fit --write-model` with a step in the months `--horizon` adds.
    #[error(
        "--vary {path}: --write-model writes the model file, whose timeline ends in {held}; a step from {month} \
         lies in the months --horizon {horizon} adds and cannot be written there (leave out --write-model, or \
         make [timeline] months in the file reach {month})"
    )]
    StepPastTheFile {
        /// The varied path.
        path: String,
        /// The file's last month.
        held: String,
        /// The step's month.
        month: String,
        /// The horizon.
        horizon: String,
    },
}

usage_refusal!(Refusal);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn the_wording_is_the_commands() {
        let e: Error = Refusal::MoreShardsThanDraws { count: 9, n: 4 }.into();
        assert_eq!(
            e.to_string(),
            "error: --shard K/9 splits -n 4 draws into more shards than draws; use at most 4 shards"
        );
        let e: Error = Refusal::BinaryOnTerminal { format: "xlsx" }.into();
        assert_eq!(
            e.to_string(),
            "error: xlsx is a binary file format and standard output is a terminal; write it to a file with --out FILE.xlsx"
        );
    }
}
