//! The ways a set of shard files can fail to merge, each with its fields
//! and its wording in one place; `shard` raises them where it checks.

use std::ops::Range;

/// Why a set of shard files cannot be merged; the wording of each message
/// is here, the checks that raise them below.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// A problem with one file as a whole or with one of its draw lines.
    #[error("{file}: {problem}")]
    File {
        /// The file as given.
        file: String,
        /// What is wrong with it.
        problem: FileProblem,
    },
    /// A problem with one line of a file's header.
    #[error("{file}:{line}: {problem}")]
    Header {
        /// The file as given.
        file: String,
        /// The header line, 1-based (0 when the line is absent).
        line: usize,
        /// What is wrong with it.
        problem: HeaderProblem,
    },
    /// `merge` without any file.
    #[error("merge needs the shard files of one run")]
    NoShards,
    /// Two files of different runs.
    #[error("{first} and {other} are not shards of the same run: they differ in {what}")]
    OtherRun {
        /// The first file given.
        first: String,
        /// A file that differs from it.
        other: String,
        /// What differs.
        what: &'static str,
    },
    /// A header with more draws than one run makes.
    #[error("{file}: its header says {n} draws, more than one run makes")]
    TooManyDraws {
        /// The file.
        file: String,
        /// Its number of draws.
        n: u64,
    },
    /// One shard given in two files.
    #[error("shard {k}/{count} is given twice: {first} and {second}")]
    Twice {
        /// The shard's number.
        k: u64,
        /// The number of shards of the run.
        count: u64,
        /// One file holding it.
        first: String,
        /// The other.
        second: String,
    },
    /// Shards of the run not given (`K/N` each).
    #[error(
        "shard{} {} of this run {} missing; every draw must be covered once",
        if .missing.len() > 1 { "s" } else { "" },
        .missing.join(", "),
        if .missing.len() > 1 { "are" } else { "is" }
    )]
    Missing {
        /// The shards not given, as `K/N`.
        missing: Vec<String>,
    },
    /// A shard holding other draws than its slice of the run.
    #[error(
        "{file}: shard {k}/{count} of {n} draws should hold draws {} to {}, not {} to {}",
        .want.start, .want.end.saturating_sub(1), .found.start, .found.end.saturating_sub(1)
    )]
    WrongSlice {
        /// The file.
        file: String,
        /// The shard's number.
        k: u64,
        /// The number of shards of the run.
        count: u64,
        /// The run's number of draws.
        n: u64,
        /// The draws the shard should hold.
        want: Range<u64>,
        /// The draws its header says it holds.
        found: Range<u64>,
    },
    /// A file whose header changed between its two readings.
    #[error("{file} changed while it was being read")]
    Changed {
        /// The file.
        file: String,
    },
}

/// What is wrong with a shard file as a whole or with one of its draw lines.
#[derive(Debug, thiserror::Error)]
pub enum FileProblem {
    /// An I/O error while reading it.
    #[error("cannot read it: {0}")]
    Unreadable(String),
    /// The file ends inside its header.
    #[error("ends before its {0}")]
    EndsEarly(&'static str),
    /// The first line is not a shard file's.
    #[error("is not a dinarflow mc shard file (write one with `dinarflow mc MODEL --shard K/N --out FILE`)")]
    NotAShard,
    /// A header line left out.
    #[error("its header has no `{0}` line")]
    NoLine(&'static str),
    /// A sampler this version does not know.
    #[error("unknown sampler {0}")]
    UnknownSampler(String),
    /// A draw line out of order.
    #[error("line {row}: expected draw {expected}, found {found}")]
    OutOfOrder {
        /// The line, 1-based.
        row: usize,
        /// The draw expected there.
        expected: u64,
        /// The first field found instead.
        found: String,
    },
    /// A blank line between draws (blank lines at the end are ignored).
    #[error("line {row} is blank, but draws follow it")]
    BlankLine {
        /// The line, 1-based.
        row: usize,
    },
    /// A value that is not a decimal.
    #[error("line {row}: {text:?} is not a decimal")]
    NotDecimal {
        /// The line, 1-based.
        row: usize,
        /// The value as written.
        text: String,
    },
    /// An input value with more digits than a drawn value has.
    #[error("line {row}: {text} is too large for a drawn value")]
    TooLarge {
        /// The line, 1-based.
        row: usize,
        /// The value as written.
        text: String,
    },
    /// A draw line with too few or too many values.
    #[error("line {row}: {found} values, expected {expected}")]
    Width {
        /// The line, 1-based.
        row: usize,
        /// The values found.
        found: usize,
        /// The values a line holds.
        expected: usize,
    },
    /// More draw lines than the header says.
    #[error("line {row}: a draw after the last one its header announces ({end}): the file has more rows than its header says")]
    TooMany {
        /// The line, 1-based.
        row: usize,
        /// The last draw the header announces.
        end: u64,
    },
    /// Fewer draws than the header says.
    #[error("holds draws {start} to {last} but its header says up to {end} (was it cut short?)")]
    CutShort {
        /// The first draw.
        start: u64,
        /// The last draw found.
        last: u64,
        /// The last draw the header announces.
        end: u64,
    },
}

/// What is wrong with one line of a shard file's header.
#[derive(Debug, thiserror::Error)]
pub enum HeaderProblem {
    /// A line with its key only.
    #[error("its `{0}` line is empty")]
    Empty(&'static str),
    /// A count that is not a whole number.
    #[error("`{key}` is not a whole number: {text}")]
    NotWhole {
        /// The line's key.
        key: &'static str,
        /// The value as written.
        text: String,
    },
    /// `shard` or `draws` without exactly two numbers.
    #[error("`{key}` needs two numbers, found {found}")]
    NotTwo {
        /// The line's key.
        key: &'static str,
        /// The numbers found.
        found: usize,
    },
    /// A number of draws no run has.
    #[error("`n` is {0}; a run has from 1 to {max} draws", max = super::super::MAX_EVALUATIONS)]
    DrawCount(u64),
    /// A shard number outside the run's shards.
    #[error("`shard` is {k} of {count}; a run of {n} draws has from 1 to {n} shards, numbered from 1")]
    ShardNumber {
        /// The shard's number.
        k: u64,
        /// The number of shards.
        count: u64,
        /// The run's number of draws.
        n: u64,
    },
    /// Draws outside the run.
    #[error("`draws` is {start} to {end}; a shard holds at least one draw, from 0 to {n}")]
    DrawRange {
        /// The first draw.
        start: u64,
        /// One past the last.
        end: u64,
        /// The run's number of draws.
        n: u64,
    },
    /// A column line that does not start with `draw`.
    #[error("the column line does not start with `draw`")]
    NoDrawColumn,
    /// Counts that do not add up to the columns.
    #[error("`inputs` is {inputs} and `metric_units` names {metrics} metrics, but the column line (line {column_line}) has {columns} columns after `draw`")]
    Columns {
        /// The header's count of inputs.
        inputs: u64,
        /// The metrics `metric_units` names.
        metrics: usize,
        /// The column line, 1-based.
        column_line: usize,
        /// The columns after `draw`.
        columns: usize,
    },
    /// `metric_units` without any metric.
    #[error("`metric_units` names no metric")]
    NoMetric,
    /// A `forecast_error` line that is not pairs of a metric and a σ.
    #[error("`forecast_error` needs pairs of a metric and a σ from 0 to 1, found `{0}`")]
    ForecastError(String),
}
