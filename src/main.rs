//! The `dinarflow` binary: runs the command line of the library and maps
//! its result to an exit code (0 ok, 1 runtime failure, 2 bad input or
//! usage). The process-wide concerns the library leaves to it (signals, a
//! closed standard output) are in `bin_support/process.rs`.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[path = "bin_support/process.rs"]
mod process;

use dinarflow::cli::Stdout;
use dinarflow::render::WrappedMessages;
use process::{handle_signals, stdout_was_closed, Closed};

fn main() -> ExitCode {
    // `serve` stops on Ctrl-C itself, letting the requests under way
    // finish; it writes no files.
    let serve = std::env::args_os().nth(1).is_some_and(|a| a == "serve");
    if !serve {
        handle_signals();
    }
    let stdout = std::io::stdout();
    let closed = stdout_was_closed();
    let mut out = stdout.lock();
    // Not locked for the whole run: progress bars on other threads write to
    // stderr too. On a terminal, notes and warnings wrap between words.
    let mut err: Box<dyn Write> = match width_of(std::io::stderr().is_terminal(), console::Term::stderr()) {
        Some(width) => {
            // Not for `serve`: the problems it finds go to the page.
            if !serve {
                dinarflow::diagnostic::set_terminal_width(width);
            }
            Box::new(WrappedMessages::new(std::io::stderr(), width))
        }
        None => Box::new(std::io::stderr()),
    };
    let result = if closed {
        dinarflow::cli::main_on(std::env::args_os(), &mut Closed, Stdout::default(), &mut err)
    } else {
        let terminal = stdout.is_terminal();
        let stdout = Stdout {
            terminal,
            width: width_of(terminal, console::Term::stdout()),
        };
        dinarflow::cli::main_on(std::env::args_os(), &mut out, stdout, &mut err)
    };
    let result = result.and_then(|()| {
        out.flush().map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => dinarflow::Error::BrokenPipe,
            _ => dinarflow::Error::Output {
                path: "standard output".into(),
                message: e.to_string(),
            },
        })
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let code = e.exit_code();
            if code != 0 {
                // An argument echoed in the message (`--set`'s path) may
                // hold ESC or a bidirectional override: shown escaped.
                let _ = writeln!(err, "{}", dinarflow::diagnostic::escape_invisible(&e.to_string()));
            }
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
    }
}

/// The width in columns of `term`, when it is a terminal.
fn width_of(terminal: bool, term: console::Term) -> Option<usize> {
    let (_rows, columns) = term.size_checked().filter(|_| terminal)?;
    Some(usize::from(columns))
}
