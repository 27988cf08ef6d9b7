//! `dinarflow serve`'s web server, as a library: an axum [`Router`] over
//! one loaded model, answering the what-if page (`GET /`) and its API
//! (`POST /api/run`, `POST /api/view`, `GET /api/params`; see `api.rs`).
//! It exists so that a question asked in a meeting ("and if the rejection
//! rate falls to 40% from July?") is answered live, exact to the cent, by
//! the same `--set` and the same reports as the command line.
//!
//! Safety: the router refuses any request whose `Host` header is not the
//! address it was bound to (DNS rebinding), caps request bodies at
//! [`BODY_LIMIT`], reads and writes no files, and runs each model run on a
//! blocking thread, so a failing (or panicking) run answers an error and
//! the server keeps running. The library never prints: the command line
//! (`cli/serve.rs`) binds, prints the URL and waits for Ctrl-C.

mod api;
mod page;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::model::Model;

/// The largest request body accepted (64 KiB); a larger one answers 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// What every request shares: the base model as loaded, and what the page
/// compares against (its brief's figures), computed once.
#[derive(Debug)]
pub struct App {
    model: Model,
    base: api::Base,
}

impl App {
    /// The server's state for `model` (the base every request's `set`
    /// applies to). Fails when the base model itself cannot be run.
    pub fn new(model: Model) -> Result<Self, crate::Error> {
        let base = api::Base::of(&model)?;
        Ok(App { model, base })
    }

    /// The base model.
    pub fn model(&self) -> &Model {
        &self.model
    }
}

/// The router for `app` bound at `addr`: requests must name `addr` (or
/// `localhost` with its port, for a loopback address) in their `Host`
/// header.
pub fn router(app: Arc<App>, addr: SocketAddr) -> Router {
    let hosts = Arc::new(Hosts {
        names: allowed_hosts(addr),
        any_ip: addr.ip().is_unspecified().then_some(addr.port()),
    });
    Router::new()
        .route("/", get(page::index))
        .route("/api/params", get(api::params))
        .route("/api/run", post(api::run))
        .route("/api/view", post(api::view))
        .fallback(not_found)
        .with_state(app)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(hosts, check_host))
}

/// Serves `router` on `listener` until `shutdown` completes, then lets the
/// requests under way finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// The `Host` header values a request may carry.
#[derive(Debug)]
struct Hosts {
    /// The bound address, and `localhost:PORT` for a loopback one.
    names: Vec<String>,
    /// Bound to every interface (`--host 0.0.0.0`): any IP address with
    /// this port (an address, unlike a name, cannot be rebound).
    any_ip: Option<u16>,
}

impl Hosts {
    fn allow(&self, host: &str) -> bool {
        self.names.iter().any(|a| a.eq_ignore_ascii_case(host))
            || self
                .any_ip
                .is_some_and(|port| host.parse::<SocketAddr>().is_ok_and(|a| a.port() == port))
    }
}

/// The `Host` header values that name `addr`.
fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    let mut hosts = vec![addr.to_string()];
    if addr.ip().is_loopback() {
        hosts.push(format!("localhost:{}", addr.port()));
    }
    hosts
}

/// 403 for a request whose `Host` is not the bound address: a page on
/// another site that rebinds its own name to 127.0.0.1 sends its own name.
async fn check_host(State(hosts): State<Arc<Hosts>>, req: Request, next: Next) -> Response {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok());
    match host {
        Some(h) if hosts.allow(h) => next.run(req).await,
        _ => api::error(
            StatusCode::FORBIDDEN,
            format!(
                "the Host header must be {} (this server answers only its own address)",
                hosts.names.join(" or ")
            ),
            Vec::new(),
        ),
    }
}

async fn not_found() -> Response {
    api::error(
        StatusCode::NOT_FOUND,
        "no such page: the page is GET /, the API POST /api/run, POST /api/view and GET /api/params".into(),
        Vec::new(),
    )
    .into_response()
}
