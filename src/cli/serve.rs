//! `dinarflow serve [MODEL]`: the interactive what-if page. Binds a local
//! web server (127.0.0.1 unless `--host` says otherwise), prints its URL,
//! optionally opens it in the default browser, and serves until Ctrl-C.
//! The server itself is `crate::serve`; this file only binds and prints.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use super::common::{HorizonArg, ModelFile};
use super::output::{stderr_error, stdout_error};
use crate::error::Error;
use crate::serve::{router, serve, App};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub model: ModelFile,
    /// The port to listen on; 0 picks a free one
    #[arg(long, value_name = "N", default_value_t = 8023, allow_negative_numbers = true, value_parser = super::whole::u16_value)]
    pub port: u16,
    /// The address to listen on; anything but a loopback address exposes the page to the network
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Open the page in the default browser (xdg-open)
    #[arg(long)]
    pub open: bool,
    #[command(flatten)]
    pub horizon: HorizonArg,
}

pub fn run(a: Args, out: &mut dyn Write, err: &mut dyn Write) -> Result<(), Error> {
    let model = a.model.load()?;
    // The page opens at --horizon, but the model served stays as loaded,
    // so that the page's horizon box can run it shorter too. The horizon is
    // checked (and said) here, as every command does.
    let mut opened = model.clone();
    a.horizon.apply(&mut opened, err)?;
    if !a.host.is_loopback() {
        writeln!(
            err,
            "warning: --host {} serves the page to every machine that can reach this address; it has no password",
            a.host
        )
        .map_err(stderr_error)?;
    }
    let opening = opened.horizon.map(|h| h.month);
    let app = Arc::new(App::opening_at(model, opening)?);
    // Timers too: the header and request timeouts, and the wait after an
    // accept error (without them the first EMFILE panicked).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServerFailure::Start(e.to_string()))?;
    let result = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(a.host, a.port))
            .await
            .map_err(|e| listen(&a, &e))?;
        let addr = listener.local_addr().map_err(|e| listen(&a, &e))?;
        let url = format!("http://{addr}/");
        let name = &app.model().name;
        write!(out, "dinarflow serve: {name} at {url}\nPress Ctrl-C to stop.\n").map_err(stdout_error)?;
        out.flush().map_err(stdout_error)?;
        if a.open {
            open(&url, err)?;
        }
        serve(listener, router(app, addr), stopped())
            .await
            .map_err(|e| ServerFailure::Stopped(e.to_string()))?;
        writeln!(err, "dinarflow serve: stopped").map_err(stderr_error)
    });
    // A run still going on a blocking thread is not waited for.
    runtime.shutdown_background();
    result
}

/// Completes on Ctrl-C (or SIGTERM).
async fn stopped() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

/// Opens `url` in the default browser; says so on `err` when there is none.
/// The server cannot listen on the address asked for.
fn listen(a: &Args, why: &std::io::Error) -> ServerFailure {
    ServerFailure::Listen {
        host: a.host.to_string(),
        port: a.port,
        why: why.to_string(),
    }
}

/// A server the system does not let run: not the user's input, so it
/// leaves with exit code 1 (a port in use, a port below 1024 without the
/// right, no threads for the runtime).
#[derive(Debug, thiserror::Error)]
pub enum ServerFailure {
    /// The server's runtime could not start.
    #[error("cannot start the server: {0}")]
    Start(String),
    /// The server could not listen on its address.
    #[error("cannot listen on {host}:{port}: {why}")]
    Listen {
        /// The host given.
        host: String,
        /// The port given.
        port: u16,
        /// Why, from the system.
        why: String,
    },
    /// The server stopped on an error.
    #[error("the server stopped: {0}")]
    Stopped(String),
}

impl From<ServerFailure> for Error {
    fn from(f: ServerFailure) -> Error {
        Error::Runtime(f.to_string())
    }
}

fn open(url: &str, err: &mut dyn Write) -> Result<(), Error> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let started = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    match started {
        // Reaped on a thread of its own, so it never lingers as a zombie.
        Ok(mut child) => drop(std::thread::spawn(move || child.wait())),
        Err(e) => writeln!(
            err,
            "note: --open: cannot start {opener} ({e}); open {url} yourself"
        )
        .map_err(stderr_error)?,
    }
    Ok(())
}
