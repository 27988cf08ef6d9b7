//! Where a command's output goes and in which format: stdout, or `--out
//! FILE` written atomically (a temporary file in the same directory,
//! renamed into place only once everything was written), so a failed run
//! leaves no file and never clobbers an existing one; or, for large
//! outputs, a [`Sink`] written as it is produced. The format is
//! `--format`'s, or the one the extension of FILE names.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::render::{self, Format, Report};

pub(crate) fn stdout_error(e: std::io::Error) -> Error {
    Error::Output {
        path: "standard output".into(),
        message: e.to_string(),
    }
}

/// The format to write in: `given` (`--format`), else the one the
/// extension of `out_file` (`--out`) names (`.csv`, `.json`, `.md`, `.svg`,
/// `.html`, `.xlsx`; `.txt`, none or another: a table). A `--format` that
/// contradicts the extension is refused; any text format may go to a
/// `.txt` file, a workbook may not.
pub(crate) fn format_for(given: Option<Format>, out_file: Option<&Path>) -> Result<Format, Error> {
    let named = out_file.and_then(Format::of_file);
    match (given, named) {
        (Some(g), Some(n)) if g != n && (n != Format::Table || g.is_binary()) => Err(Error::Usage(format!(
            "--format {} does not match --out {}, which names {} output; leave out --format or change the file name",
            g.name(),
            out_file.map_or(String::new(), |p| p.display().to_string()),
            n.name()
        ))),
        (Some(g), _) => Ok(g),
        (None, Some(n)) => Ok(n),
        (None, None) => Ok(Format::Table),
    }
}

/// The four formats every report is written in.
pub(crate) const TEXT: [Format; 4] = [Format::Table, Format::Csv, Format::Json, Format::Md];

/// The text formats and a chart.
pub(crate) const CHART: [Format; 5] = [Format::Table, Format::Csv, Format::Json, Format::Md, Format::Svg];
/// The text formats, a chart and a workbook.
pub(crate) const CHART_BOOK: [Format; 6] = [
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Md,
    Format::Svg,
    Format::Xlsx,
];

/// `format` when `command` writes it (one of `allowed`), else a usage
/// error naming the formats it does write.
pub(crate) fn allowed(command: &str, format: Format, allowed: &[Format]) -> Result<Format, Error> {
    if allowed.contains(&format) {
        return Ok(format);
    }
    let names: Vec<&str> = allowed.iter().map(|f| f.name()).collect();
    let hint = match format {
        Format::Html => "; the HTML page is the briefing's: `dinarflow brief --format html`",
        Format::Svg if command == "brief" => "; `brief --format html` draws every chart of the briefing",
        _ => "",
    };
    Err(Error::Usage(format!(
        "`dinarflow {command}` has no {} output; it writes {}{hint}",
        format.name(),
        names.join(", ")
    )))
}

/// A workbook (or another binary format) is not written to a terminal.
pub(crate) fn refuse_binary_on_terminal(format: Format) -> Result<(), Error> {
    if format.is_binary() {
        return Err(Error::Usage(format!(
            "{} is a binary file format and standard output is a terminal; write it to a file with --out FILE.{}",
            format.name(),
            format.name()
        )));
    }
    Ok(())
}

/// Writes `report` in `format` to `out_file` atomically, or to `out`.
pub(crate) fn report(
    out_file: Option<&Path>,
    model: Option<&Path>,
    out: &mut dyn Write,
    report: &dyn Report,
    format: Format,
) -> Result<(), Error> {
    emit(out_file, model, out, |w| render::write(report, format, w))
}

/// Renders with `render` into memory, then writes to `out_file` atomically
/// or to `out`. `model` is the model file read, which `--out` may not name.
pub(crate) fn emit(
    out_file: Option<&Path>,
    model: Option<&Path>,
    out: &mut dyn Write,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut buf = Vec::new();
    render(&mut buf).map_err(stdout_error)?;
    match out_file {
        None => out.write_all(&buf).map_err(stdout_error),
        Some(path) => write_atomic(path, &buf, model),
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], model: Option<&Path>) -> Result<(), Error> {
    let mut tmp = temp_beside(path, model)?;
    tmp.write_all(bytes).map_err(|e| output_error(path, &e))?;
    persist(tmp, path)
}

/// A temporary file in `path`'s directory, after checking that `path` is
/// neither the model file being read nor a directory.
pub(crate) fn temp_beside(path: &Path, model: Option<&Path>) -> Result<tempfile::NamedTempFile, Error> {
    if let (Some(m), Ok(a)) = (model, path.canonicalize()) {
        if m.canonicalize().is_ok_and(|b| a == b) {
            return Err(Error::Usage(format!(
                "--out {} is the model file being read; choose another file",
                path.display()
            )));
        }
    }
    let fail = |message: String| Error::Output {
        path: path.display().to_string(),
        message,
    };
    if path.is_dir() {
        return Err(fail("it is a directory".into()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    tempfile::NamedTempFile::new_in(dir).map_err(|e| fail(create_reason(dir, &e)))
}

/// Syncs the finished temporary file and renames it onto `path`.
pub(crate) fn persist(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), Error> {
    tmp.as_file().sync_all().map_err(|e| output_error(path, &e))?;
    tmp.persist(path).map_err(|e| output_error(path, &e.error))?;
    Ok(())
}

/// A write to `path` that failed, in words.
pub(crate) fn output_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Output {
        path: path.display().to_string(),
        message: reason(e),
    }
}

/// Why a file could not be created in `dir`, in words (the I/O error
/// itself names the temporary file, which means nothing to the user).
pub(crate) fn create_reason(dir: &Path, e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    let dir = dir.display();
    match e.kind() {
        NotFound => format!("the directory {dir} does not exist"),
        NotADirectory => format!("{dir} is not a directory"),
        PermissionDenied => format!("permission denied: cannot create a file in {dir}"),
        ReadOnlyFilesystem => format!("{dir} is on a read-only file system"),
        _ => format!("cannot create a file in {dir}: {}", reason(e)),
    }
}

/// An I/O error in words, without the OS error number.
pub(crate) fn reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        StorageFull => "no space left on the device".into(),
        PermissionDenied => "permission denied".into(),
        IsADirectory => "it is a directory".into(),
        ReadOnlyFilesystem => "the file system is read-only".into(),
        _ => e.to_string(),
    }
}

/// A large output written as it is produced: to stdout, or to a temporary
/// file beside FILE that replaces FILE only when everything was written.
pub(crate) enum Sink<'o> {
    Stdout(BufWriter<&'o mut dyn Write>),
    File {
        path: PathBuf,
        tmp: BufWriter<tempfile::NamedTempFile>,
    },
}

impl<'o> Sink<'o> {
    /// FILE if given, else `out`.
    pub(crate) fn open(path: Option<&Path>, model: &Path, out: &'o mut dyn Write) -> Result<Sink<'o>, Error> {
        match path {
            Some(p) => Sink::file(p, model),
            None => Ok(Sink::Stdout(BufWriter::with_capacity(1 << 20, out))),
        }
    }

    /// A temporary file beside `path`, which may not be the model file.
    pub(crate) fn file(path: &Path, model: &Path) -> Result<Sink<'o>, Error> {
        let tmp = temp_beside(path, Some(model))?;
        Ok(Sink::File {
            path: path.to_path_buf(),
            tmp: BufWriter::with_capacity(1 << 20, tmp),
        })
    }

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
            Sink::File { path, tmp } => {
                let tmp = tmp.into_inner().map_err(|e| output_error(&path, e.error()))?;
                persist(tmp, &path)
            }
        }
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File { tmp, .. } => tmp.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File { tmp, .. } => tmp.flush(),
        }
    }
}
