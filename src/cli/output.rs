//! Where a command's output goes: stdout, or `--out FILE` written
//! atomically (a temporary file in the same directory, renamed into place
//! only once everything was written), so a failed run leaves no file and
//! never clobbers an existing one.

use std::io::Write;
use std::path::Path;

use crate::error::Error;
use crate::render::{self, Format, Report};

pub(crate) fn stdout_error(e: std::io::Error) -> Error {
    Error::Output {
        path: "standard output".into(),
        message: e.to_string(),
    }
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
