//! What only the `dinarflow` process may do, kept out of the library (which
//! never exits): signals (an interrupted run removes its temporary files,
//! then ends as the signal would have ended it; a file-size limit makes
//! writes fail instead of killing the process) and a standard output that
//! was closed when the process started.

use std::io::Write;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGXFSZ};

/// On SIGINT, SIGTERM or SIGHUP: removes the temporary files of the
/// outputs being written, then ends by that signal. SIGXFSZ (a file-size
/// limit, `ulimit -f`) is caught so that the write fails with an error,
/// which removes the temporary file, instead of killing the process.
pub fn handle_signals() {
    static FILE_TOO_LARGE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let _ = signal_hook::flag::register(SIGXFSZ, &FILE_TOO_LARGE);
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            dinarflow::cli::remove_temporary_files();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

/// Whether standard output was closed when the process started (`>&-`).
/// The Rust runtime then opens /dev/null read-write in its place, so
/// output would be lost without a word; a shell's `> /dev/null` opens it
/// write-only.
pub fn stdout_was_closed() -> bool {
    let stdout = std::io::stdout();
    let Ok(stat) = rustix::fs::fstat(&stdout) else {
        return true;
    };
    let Ok(flags) = rustix::fs::fcntl_getfl(&stdout) else {
        return true;
    };
    let dev_null = std::fs::metadata("/dev/null").ok().map(|m| {
        use std::os::unix::fs::MetadataExt;
        m.rdev()
    });
    rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::CharacterDevice
        && Some(stat.st_rdev) == dev_null
        && flags & rustix::fs::OFlags::ACCMODE == rustix::fs::OFlags::RDWR
}

/// Standard output when it was closed: every write fails, so a command
/// that prints ends with exit code 1 and says why.
pub struct Closed;

impl Write for Closed {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other(
            "it was closed when dinarflow started; redirect it to a file or use --out FILE",
        ))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
