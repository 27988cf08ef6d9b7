//! Output files written safely: a regular file (or one that does not exist
//! yet) is replaced atomically through a temporary file in its directory; a
//! symbolic link is followed and its target replaced, the link left as it
//! is, except where the kernel itself would not follow it (a link in a
//! sticky, world-writable directory such as /tmp that neither the user nor
//! the directory's owner owns: `fs.protected_symlinks`), which is refused;
//! a device, FIFO or socket is written to directly. New files get the mode
//! the umask gives and a replaced file keeps its mode, less any setuid or
//! setgid bit. Temporary files
//! are registered while they exist so that [`remove_temporary_files`] can
//! remove them on a signal, and conflicts between the files of one command
//! line are refused before any work ([`refuse_conflicts`]).

use super::refusal::Refusal;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::Error;

/// Writes `bytes` to `path`: a regular file is replaced atomically, a
/// device or FIFO written to directly.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut f = Target::open(path)?;
    f.write_all(bytes).map_err(|e| output_error(path, &e))?;
    f.commit(path)
}

/// Creates `path` with `bytes`, failing if anything (a file, a link, a
/// directory) is already there, even when another process creates it at
/// the same moment: the content is written to a temporary file, which is
/// then linked to `path` only if `path` does not exist (one atomic step).
/// `Ok(false)` when `path` already existed.
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> Result<bool, Error> {
    let mut tmp = Staged::new(path, parent(path), None)?;
    tmp.write_all(bytes).map_err(|e| output_error(path, &e))?;
    tmp.file()
        .as_file()
        .sync_all()
        .map_err(|e| output_error(path, &e))?;
    match tmp.persist(path, true) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(output_error(path, &e)),
    }
}

/// What a path given for output is, once symbolic links are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    /// A regular file, with its permission bits.
    File(u32),
    /// Nothing yet: a new file is created.
    Missing,
    /// A device, FIFO or socket: written to directly.
    Special,
}

/// Follows the symbolic links of `path` (at most 40, as the kernel does)
/// to what it finally names; a directory is an error. A path that leads
/// into /proc (`/dev/stdout`, `/dev/fd/3`) names an open file of a process
/// and is written through as given.
fn resolve(path: &Path) -> Result<(PathBuf, Kind), Error> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        if p.starts_with("/proc") {
            return match std::fs::metadata(path) {
                Ok(m) if m.is_dir() => Err(fail(path, "it is a directory".into())),
                Ok(_) => Ok((path.to_path_buf(), Kind::Special)),
                Err(e) => Err(output_error(path, &e)),
            };
        }
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                refuse_planted_link(path, &p, &m)?;
                let link = std::fs::read_link(&p).map_err(|e| output_error(path, &e))?;
                p = match p.parent() {
                    Some(dir) => dir.join(link),
                    None => link,
                };
            }
            Ok(m) if m.is_dir() => return Err(fail(path, "it is a directory".into())),
            Ok(m) if m.is_file() => return Ok((p, Kind::File(mode_of(&m)))),
            Ok(_) => return Ok((p, Kind::Special)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((p, Kind::Missing)),
            Err(e) => return Err(output_error(path, &e)),
        }
    }
    Err(fail(path, "too many levels of symbolic links".into()))
}

/// Refuses to follow the symbolic link `link` (met while resolving the
/// output path `path`) where the kernel's `fs.protected_symlinks` would
/// not: in a sticky, world-writable directory, a link owned neither by the
/// user running the command nor by the directory's owner, as another user
/// may plant in /tmp to make a run (by root) replace the file it names.
#[cfg(unix)]
fn refuse_planted_link(path: &Path, link: &Path, m: &std::fs::Metadata) -> Result<(), Error> {
    use std::os::unix::fs::MetadataExt;
    let dir = parent(link);
    let Ok(d) = std::fs::metadata(dir) else {
        return Ok(());
    };
    let (sticky, world_writable) = (d.mode() & 0o1000 != 0, d.mode() & 0o002 != 0);
    let me = rustix::process::geteuid().as_raw();
    if !(sticky && world_writable) || m.uid() == me || m.uid() == d.uid() {
        return Ok(());
    }
    Err(Refusal::ProtectedSymlink {
        path: path.display().to_string(),
        link: link.display().to_string(),
        dir: dir.display().to_string(),
        owner: m.uid(),
        me,
        dir_owner: d.uid(),
    }
    .into())
}

#[cfg(not(unix))]
fn refuse_planted_link(_: &Path, _: &Path, _: &std::fs::Metadata) -> Result<(), Error> {
    Ok(())
}

/// The permission bits a replaced file keeps: not setuid or setgid (a
/// report written over a setuid program must not stay one).
#[cfg(unix)]
fn mode_of(m: &std::fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o1777
}

#[cfg(not(unix))]
fn mode_of(_: &std::fs::Metadata) -> u32 {
    0o666
}

/// The directory a file at `path` is created in.
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn fail(path: &Path, message: String) -> Error {
    Error::Output {
        path: path.display().to_string(),
        message,
    }
}

/// What the files of one command line are (see [`refuse_conflicts`]).
pub(crate) struct Files<'a> {
    /// The files read: model files or shard files.
    pub inputs: Vec<&'a Path>,
    /// What the inputs are, in messages: "the model file" or "one of the shard files".
    pub inputs_are: &'static str,
    /// The files written, with the option that names each (`--out`, `--draws`).
    pub outputs: Vec<(&'static str, &'a Path)>,
}

/// The same file, however it is spelled: device and inode of what exists,
/// else the canonical directory and the name.
#[derive(Debug, PartialEq, Eq)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    Path(PathBuf),
}

fn identity(path: &Path) -> Option<Identity> {
    let (target, kind) = resolve(path).ok()?;
    match kind {
        // Writing twice to /dev/null, or reading a model from a FIFO, is
        // no conflict; what such a path is, is refused elsewhere.
        Kind::Special => None,
        Kind::File(_) => inode(&target),
        Kind::Missing => {
            let dir = parent(&target).canonicalize().ok()?;
            Some(Identity::Path(dir.join(target.file_name()?)))
        }
    }
}

#[cfg(unix)]
fn inode(path: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::metadata(path).ok()?;
    Some(Identity::Inode(m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn inode(path: &Path) -> Option<Identity> {
    path.canonicalize().ok().map(Identity::Path)
}

/// Refuses, before any work, an output file that is one of the files read
/// or another output file of the same command line.
pub(crate) fn refuse_conflicts(files: &Files<'_>) -> Result<(), Error> {
    let inputs: Vec<Identity> = files.inputs.iter().filter_map(|p| identity(p)).collect();
    let mut seen: Vec<(&str, &Path, Identity)> = Vec::new();
    for &(flag, path) in &files.outputs {
        let Some(id) = identity(path) else { continue };
        if inputs.contains(&id) {
            return Err(Refusal::OutputIsInput {
                flag: flag.to_string(),
                path: path.display().to_string(),
                read: files.inputs_are.to_string(),
            }
            .into());
        }
        if let Some((other, other_path, _)) = seen.iter().find(|s| s.2 == id) {
            return Err(Refusal::SameOutput {
                first: other.to_string(),
                first_path: other_path.display().to_string(),
                flag: flag.to_string(),
                path: path.display().to_string(),
            }
            .into());
        }
        seen.push((flag, path, id));
    }
    Ok(())
}

/// Tries, before any work, that each output file of a command could be
/// written: its links resolve and a temporary file can be made where it
/// will be staged. Otherwise a long run could end on a directory that
/// does not exist, or one file (the `--draws`, the `--write-model`) be
/// written and the command then fail on the other, half done. A device
/// or FIFO is not tried (opening one may block or consume it).
pub(crate) fn refuse_unwritable(files: &Files<'_>) -> Result<(), Error> {
    for &(_, path) in &files.outputs {
        let (real, kind) = resolve(path)?;
        if kind != Kind::Special {
            drop(Staged::new(path, parent(&real), None)?);
        }
    }
    Ok(())
}

/// The temporary files that exist now; `None` once
/// [`remove_temporary_files`] has run, when no more may be created.
static TEMPORARY: Mutex<Option<Vec<PathBuf>>> = Mutex::new(Some(Vec::new()));

/// Removes every temporary file of this process (an interrupted run's), and
/// refuses to create more. The binary calls it on SIGINT, SIGTERM and SIGHUP
/// before it ends.
pub fn remove_temporary_files() {
    let mut live = TEMPORARY.lock().unwrap_or_else(|p| p.into_inner());
    for p in live.take().unwrap_or_default() {
        let _ = std::fs::remove_file(p);
    }
}

/// A temporary file in the directory of the file it will replace,
/// registered while it exists (see [`remove_temporary_files`]).
pub(crate) struct Staged(Option<tempfile::NamedTempFile>);

impl Staged {
    /// Creates one in `dir` for the output file `shown` (in messages),
    /// with `mode`, else 0666 less the umask.
    fn new(shown: &Path, dir: &Path, mode: Option<u32>) -> Result<Staged, Error> {
        let mut live = TEMPORARY.lock().unwrap_or_else(|p| p.into_inner());
        let Some(list) = live.as_mut() else {
            return Err(fail(shown, "interrupted".into()));
        };
        let mut b = tempfile::Builder::new();
        b.prefix(".dinarflow-").suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            b.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let tmp = b
            .tempfile_in(dir)
            .map_err(|e| fail(shown, create_reason(dir, &e)))?;
        list.push(tmp.path().to_path_buf());
        drop(live);
        let staged = Staged(Some(tmp));
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt;
            staged
                .file()
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))
                .map_err(|e| output_error(shown, &e))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
        Ok(staged)
    }

    fn file(&self) -> &tempfile::NamedTempFile {
        self.0.as_ref().expect("a staged file is present until persisted")
    }

    /// Renames (or with `exclusive`, links) the file onto `to`.
    fn persist(mut self, to: &Path, exclusive: bool) -> std::io::Result<()> {
        let tmp = self.0.take().expect("a staged file is persisted once");
        let path = tmp.path().to_path_buf();
        let done = if exclusive {
            tmp.persist_noclobber(to)
        } else {
            tmp.persist(to)
        };
        unregister(&path);
        // On failure the temporary file is dropped here, which removes it.
        done.map(drop).map_err(|e| e.error)
    }
}

fn unregister(path: &Path) {
    let mut live = TEMPORARY.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(list) = live.as_mut() {
        list.retain(|p| p != path);
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(tmp) = self.0.take() {
            let path = tmp.path().to_path_buf();
            drop(tmp);
            unregister(&path);
        }
    }
}

impl Write for Staged {
    // Through the plain file: the temporary file's own errors name its
    // path, which means nothing to the user.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file().as_file().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file().as_file().flush()
    }
}

/// An output file being written: staged beside a regular file, or a
/// device or FIFO opened directly.
pub(crate) enum Target {
    /// Replaces `.1` when committed.
    Staged(Staged, PathBuf),
    /// Written as it goes.
    Direct(File),
}

impl Target {
    /// Opens the output file `path` (see the module's comment).
    pub(crate) fn open(path: &Path) -> Result<Target, Error> {
        let (target, kind) = resolve(path)?;
        match kind {
            // Appending: harmless for a device or a FIFO, and it does not
            // truncate a file a shell redirected standard output to.
            Kind::Special => OpenOptions::new()
                .append(true)
                .open(&target)
                .map(Target::Direct)
                .map_err(|e| output_error(path, &e)),
            Kind::File(mode) => Ok(Target::Staged(
                Staged::new(path, parent(&target), Some(mode))?,
                target,
            )),
            Kind::Missing => Ok(Target::Staged(Staged::new(path, parent(&target), None)?, target)),
        }
    }

    /// Puts a staged file in place; `path` is the file as given, for messages.
    pub(crate) fn commit(self, path: &Path) -> Result<(), Error> {
        match self {
            Target::Staged(tmp, target) => {
                tmp.file()
                    .as_file()
                    .sync_all()
                    .map_err(|e| output_error(path, &e))?;
                tmp.persist(&target, false).map_err(|e| output_error(path, &e))
            }
            Target::Direct(mut f) => f.flush().map_err(|e| output_error(path, &e)),
        }
    }
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Target::Staged(t, _) => t.write(buf),
            Target::Direct(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Target::Staged(t, _) => t.flush(),
            Target::Direct(f) => f.flush(),
        }
    }
}

/// A write to `path` that failed, in words; [`Error::BrokenPipe`] when
/// the reader of a pipe (`--draws /dev/stdout | head`) went away.
pub(crate) fn output_error(path: &Path, e: &std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return Error::BrokenPipe;
    }
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
        FileTooLarge => "the file would exceed the file-size limit (ulimit -f)".into(),
        _ => match e.raw_os_error() {
            Some(code) => {
                let text = std::io::Error::from_raw_os_error(code).to_string();
                match text.rfind(" (os error") {
                    Some(i) => text[..i].to_string(),
                    None => text,
                }
            }
            None => e.to_string(),
        },
    }
}
