//! Where a command's output goes and in which format: stdout, or `--out
//! FILE`; or, for large outputs, a [`Sink`] written as it is produced. The
//! format is `--format`'s, or the one the extension of FILE names.
//!
//! A FILE that is a regular file (or does not exist yet) is replaced
//! atomically: a temporary file in the same directory, renamed into place
//! only once everything was written, so a failed or interrupted run leaves
//! no file and never clobbers an existing one. A symbolic link is followed
//! and its target replaced in the target's directory, the link left as it
//! is; a device, FIFO or socket (`/dev/null`, `/dev/stdout`) is written to
//! directly, never replaced. New files get the mode the umask gives
//! (0666 less the umask); a replaced file keeps its mode. Temporary files
//! are registered while they exist, so that [`remove_temporary_files`]
//! (called by the binary on SIGINT, SIGTERM or SIGHUP) can remove them.
//! Conflicts between files (`--out` naming the model being read, `--draws`
//! and `--out` naming one file) are refused by [`refuse_conflicts`] before
//! any work.

use super::refusal::Refusal;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

pub use super::file_target::remove_temporary_files;
pub(crate) use super::file_target::{create_new, refuse_conflicts, refuse_unwritable, write_file, Files};
use super::file_target::{output_error, reason, Target};
use crate::error::Error;
use crate::render::{self, Format, Report};

/// A write to standard output that failed: [`Error::BrokenPipe`] when
/// its reader went away (`| head -1`), else an output error.
pub(crate) fn stdout_error(e: std::io::Error) -> Error {
    stream_error("standard output", &e)
}

/// A note or warning that could not be written to standard error.
pub(crate) fn stderr_error(e: std::io::Error) -> Error {
    stream_error("standard error", &e)
}

/// A write to the standard stream `name` that failed:
/// [`Error::BrokenPipe`] when its reader went away.
fn stream_error(name: &str, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Error::BrokenPipe;
    }
    Error::Output {
        path: name.into(),
        message: reason(e),
    }
}

/// The format to write in: `given` (`--format`), else the one the
/// extension of `out_file` (`--out`) names (`.csv`, `.json`, `.md`, `.svg`,
/// `.png`, `.html`, `.xlsx`; `.txt`, none or another: a table). A `--format` that
/// contradicts the extension is refused; any text format may go to a
/// `.txt` file, a workbook may not. Without `--format`, an extension that
/// names a kind of file dinarflow does not write (`.pdf`, `.xls`, `.jpg`,
/// …) is refused rather than filled with a text table.
pub(crate) fn format_for(given: Option<Format>, out_file: Option<&Path>) -> Result<Format, Error> {
    let named = out_file.and_then(Format::of_file);
    if let (None, Some(out)) = (given, out_file) {
        if let Some((ext, instead)) = out.extension().and_then(|e| e.to_str()).and_then(unwritten) {
            return Err(Refusal::OutOfUnknownKind {
                out: out.display().to_string(),
                ext: ext.to_string(),
                instead,
            }
            .into());
        }
    }
    match (given, named) {
        (Some(g), Some(n)) if g != n && (n != Format::Table || g.is_binary()) => {
            Err(Refusal::FormatAgainstOut {
                format: g.name(),
                out: out_file.map_or(String::new(), |p| p.display().to_string()),
                named: n.name(),
            }
            .into())
        }
        (Some(g), _) => Ok(g),
        (None, Some(n)) => Ok(n),
        (None, None) => Ok(Format::Table),
    }
}

/// `ext` with what to ask for instead, when it names a kind of file that
/// people open in another program (a document, a spreadsheet, a picture,
/// a data file) and dinarflow does not write; `None` for the extensions
/// it writes and for those that name no such kind (`.out`, `.log`), which
/// get the text table.
fn unwritten(ext: &str) -> Option<(&str, &'static str)> {
    let instead = match ext.to_ascii_lowercase().as_str() {
        "pdf" | "doc" | "docx" | "odt" | "rtf" | "tex" | "ps" | "eps" => {
            "for a document give .md, or .html for brief's page (a browser prints it to PDF)"
        }
        "xls" | "xlsm" | "xlsb" | "ods" | "numbers" => "for a workbook give .xlsx",
        "jpg" | "jpeg" | "gif" | "webp" | "bmp" | "tif" | "tiff" => "for a picture give .png or .svg",
        "tsv" | "tab" | "parquet" | "feather" | "dta" | "sav" | "rds" | "yaml" | "yml" | "xml" | "toml" => {
            "for data give .csv (exact values) or .json"
        }
        _ => return None,
    };
    Some((ext, instead))
}

/// The formats any of `lists` has, in the order `--format` lists them:
/// what a command writes that writes one of several reports.
pub(crate) fn any_of(lists: &[&[Format]]) -> Vec<Format> {
    use clap::ValueEnum;
    Format::value_variants()
        .iter()
        .copied()
        .filter(|f| lists.iter().any(|l| l.contains(f)))
        .collect()
}

/// `format` when `command` writes it (one of `allowed`), else a usage
/// error naming the formats it does write.
pub(crate) fn allowed(command: &str, format: Format, allowed: &[Format]) -> Result<Format, Error> {
    if allowed.contains(&format) {
        return Ok(format);
    }
    let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
    let hint = match format {
        Format::Html => "; the HTML page is the briefing's: `dinarflow brief --format html`",
        Format::Svg | Format::Png if command == "brief" => {
            "; `brief --format html` draws every chart of the briefing"
        }
        _ => "",
    };
    Err(Refusal::NoSuchOutput {
        command: command.to_string(),
        format: format.name(),
        writes: names.join(", "),
        hint,
    }
    .into())
}

/// A workbook (or another binary format) is not written to a terminal.
pub(crate) fn refuse_binary_on_terminal(format: Format) -> Result<(), Error> {
    if format.is_binary() {
        return Err(Refusal::BinaryOnTerminal {
            format: format.name(),
        }
        .into());
    }
    Ok(())
}

/// Writes `report` in `format` to `out_file` atomically, or to `out`.
pub(crate) fn report(
    out_file: Option<&Path>,
    out: &mut dyn Write,
    report: &dyn Report,
    format: Format,
) -> Result<(), Error> {
    emit(out_file, out, |w| render::write(report, format, w))
}

/// Renders with `render` into memory, then writes to `out_file` (see the
/// module's comment) or to `out`.
pub(crate) fn emit(
    out_file: Option<&Path>,
    out: &mut dyn Write,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut buf = Vec::new();
    render(&mut buf).map_err(stdout_error)?;
    match out_file {
        None => out.write_all(&buf).map_err(stdout_error),
        Some(path) => write_file(path, &buf),
    }
}

/// A large output written as it is produced: to stdout, or to FILE
/// through a [`Target`] (a regular file replaced only when everything was
/// written).
pub(crate) enum Sink<'o> {
    /// Standard output.
    Stdout(BufWriter<&'o mut dyn Write>),
    /// `--out` or `--draws FILE`.
    File {
        /// The file as given.
        path: PathBuf,
        /// Where the bytes go.
        target: BufWriter<Target>,
    },
}

impl<'o> Sink<'o> {
    /// FILE if given, else `out`.
    pub(crate) fn open(path: Option<&Path>, out: &'o mut dyn Write) -> Result<Sink<'o>, Error> {
        match path {
            Some(p) => Sink::file(p),
            None => Ok(Sink::Stdout(BufWriter::with_capacity(1 << 20, out))),
        }
    }

    /// The output file `path`.
    pub(crate) fn file(path: &Path) -> Result<Sink<'o>, Error> {
        Ok(Sink::File {
            path: path.to_path_buf(),
            target: BufWriter::with_capacity(1 << 20, Target::open(path)?),
        })
    }

    /// A write that failed, naming where it went.
    pub(crate) fn error(&self, e: std::io::Error) -> Error {
        match self {
            Sink::Stdout(_) => stdout_error(e),
            Sink::File { path, .. } => output_error(path, &e),
        }
    }

    /// Flushes, and puts a file in place.
    pub(crate) fn commit(self) -> Result<(), Error> {
        match self {
            Sink::Stdout(mut w) => w.flush().map_err(stdout_error),
            Sink::File { path, target } => {
                let t = target.into_inner().map_err(|e| output_error(&path, e.error()))?;
                t.commit(&path)
            }
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File { target, .. } => target.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File { target, .. } => target.flush(),
        }
    }
}
