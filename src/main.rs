//! The `dinarflow` binary: runs the command line of the library and maps
//! its result to an exit code (0 ok, 1 runtime failure, 2 bad input or
//! usage). Everything else lives in the library.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Not locked for the whole run: progress bars on other threads write to
    // stderr too.
    let mut err = std::io::stderr();
    let terminal = stdout.is_terminal();
    match dinarflow::cli::main_on(std::env::args_os(), &mut out, terminal, &mut err) {
        Ok(()) => match out.flush() {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::from(1),
        },
        Err(e) => {
            let _ = out.flush();
            let _ = writeln!(err, "{e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}
