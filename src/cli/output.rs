//! Where a command's output goes: stdout, or `--out FILE` written
//! atomically (a temporary file in the same directory, renamed into place
//! only once everything was written), so a failed run leaves no file and
//! never clobbers an existing one.

use std::io::Write;
use std::path::Path;

use crate::error::Error;

pub(crate) fn stdout_error(e: std::io::Error) -> Error {
    Error::Output {
        path: "standard output".into(),
        message: e.to_string(),
    }
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
    let fail = |message: String| Error::Output {
        path: path.display().to_string(),
        message,
    };
    if let (Some(m), Ok(a)) = (model, path.canonicalize()) {
        if m.canonicalize().is_ok_and(|b| a == b) {
            return Err(Error::Usage(format!(
                "--out {} is the model file being read; choose another file",
                path.display()
            )));
        }
    }
    if path.is_dir() {
        return Err(fail("it is a directory".into()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| fail(format!("cannot create a file in {}: {e}", dir.display())))?;
    tmp.write_all(bytes).map_err(|e| fail(e.to_string()))?;
    tmp.as_file().sync_all().map_err(|e| fail(e.to_string()))?;
    tmp.persist(path).map_err(|e| fail(e.error.to_string()))?;
    Ok(())
}
