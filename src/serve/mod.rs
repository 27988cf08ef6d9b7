//! `dinarflow serve`'s web server, as a library: an axum [`Router`] over
//! one loaded model, answering the what-if page (`GET /`) and its API
//! (`POST /api/run`, `POST /api/view`, `POST /api/scenario`, `GET
//! /api/params`; see `api.rs`).
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
mod base;
mod page;
mod params;
mod scenario;
mod view;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::calendar::YearMonth;
use crate::model::Model;

/// The largest request body accepted (64 KiB); a larger one answers 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// What one client may hold of the server, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// How long a client may take to send a request's headers, counted
    /// from when the server is ready for them (so also how long a kept-alive
    /// connection may sit idle); then the connection is closed.
    pub header_timeout: Duration,
    /// How long a request may take once its headers are in: reading its
    /// body and answering it; then it answers 408.
    pub request_timeout: Duration,
    /// Connections served at once; more wait in the kernel's queue until
    /// one closes.
    pub connections: usize,
    /// After Ctrl-C or SIGTERM: how long the requests under way may take
    /// to finish before the server stops anyway.
    pub grace: Duration,
}

impl Default for Limits {
    /// 10 s for headers (and idle), 60 s for a request, 256 connections, 5 s of grace.
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            connections: 256,
            grace: Duration::from_secs(5),
        }
    }
}

/// What every request shares: the base model as loaded, and what the page
/// compares against (its brief's figures), computed once.
#[derive(Debug)]
pub struct App {
    model: Model,
    base: base::Base,
}

impl App {
    /// The server's state for `model` (the base every request's `set`
    /// applies to). Fails when the base model itself cannot be run.
    pub fn new(model: Model) -> Result<Self, crate::Error> {
        App::opening_at(model, None)
    }

    /// [`App::new`], the page opening with the model run on to `horizon`
    /// (`serve --horizon`): the model served stays as loaded, so that the
    /// page can run it on to a nearer month too, or to none. Fails as
    /// `--horizon` does when the month is not one past the model's end.
    pub fn opening_at(model: Model, horizon: Option<YearMonth>) -> Result<Self, crate::Error> {
        if let Some(h) = horizon {
            model.clone().apply_horizon(&h.to_string())?;
        }
        let base = base::Base::of(&model, horizon)?;
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
    router_with(app, addr, &Limits::default())
}

/// [`router`] with `limits.request_timeout` for each request.
pub fn router_with(app: Arc<App>, addr: SocketAddr, limits: &Limits) -> Router {
    let timeout = limits.request_timeout;
    let timed_out = move |_: tower::BoxError| async move {
        api::error(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "error: the request took over {} s (its body and its answer); the server is still running",
                timeout.as_secs_f64()
            ),
            Vec::new(),
        )
    };
    let hosts = Arc::new(Hosts {
        names: allowed_hosts(addr),
        any_ip: addr.ip().is_unspecified().then_some(addr.port()),
    });
    Router::new()
        .route("/", get(page::index))
        .route("/api/params", get(api::params))
        .route("/api/run", post(api::run))
        .route("/api/view", post(api::view))
        .route("/api/scenario", post(api::scenario))
        // Before `fallback`, which would otherwise answer a wrong method too.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .with_state(app)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(
            tower::ServiceBuilder::new()
                .layer(axum::error_handling::HandleErrorLayer::new(timed_out))
                .layer(tower::timeout::TimeoutLayer::new(timeout)),
        )
        .layer(middleware::from_fn(check_origin))
        .layer(middleware::from_fn_with_state(hosts, check_host))
}

/// Serves `router` on `listener` with the default [`Limits`] until
/// `shutdown` completes, then lets the requests under way finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, shutdown, Limits::default()).await
}

/// Serves `router` on `listener` (HTTP/1.1 through hyper, with its header
/// read timeout) until `shutdown` completes: at most `limits.connections`
/// connections at once, an accept error (no file descriptor left, EMFILE)
/// waited out instead of ending the server; after `shutdown`, no new
/// connection, and the requests under way get `limits.grace` to finish (a
/// client holding half a request does not keep the server up).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: Limits,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let slots = Arc::new(tokio::sync::Semaphore::new(limits.connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = slots.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(router.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.grace) => {}
    }
    Ok(())
}

/// After a failed `accept`: at once for a connection the client already
/// dropped; a short wait for anything else (EMFILE: a descriptor frees
/// when a connection closes), so the loop neither spins nor stops.
async fn accept_failed(e: &std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if !matches!(e.kind(), ConnectionAborted | ConnectionRefused | ConnectionReset) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
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
        let bare_ip = |port| {
            // A browser leaves out the default port: `Host: 10.0.0.5` for port 80.
            port == 80
                && host
                    .strip_prefix('[')
                    .and_then(|h| h.strip_suffix(']'))
                    .unwrap_or(host)
                    .parse::<std::net::IpAddr>()
                    .is_ok()
        };
        self.names.iter().any(|a| a.eq_ignore_ascii_case(host))
            || self.any_ip.is_some_and(|port| {
                host.parse::<SocketAddr>().is_ok_and(|a| a.port() == port) || bare_ip(port)
            })
    }
}

/// The `Host` header values that name `addr`.
fn allowed_hosts(addr: SocketAddr) -> Vec<String> {
    let mut hosts = vec![addr.to_string()];
    if addr.ip().is_loopback() {
        hosts.push(format!("localhost:{}", addr.port()));
    }
    // HTTP's default port is left out of the Host header (RFC 9110 §7.2).
    if addr.port() == 80 {
        let ip = match addr.ip() {
            std::net::IpAddr::V6(ip) => format!("[{ip}]"),
            ip => ip.to_string(),
        };
        hosts.push(ip);
        if addr.ip().is_loopback() {
            hosts.push("localhost".into());
        }
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

/// Refuses what a page on another site can make a browser send: a request
/// whose `Origin` is not this server's own (`http://` + its `Host`), one
/// that `Sec-Fetch-Site` says comes from another site, and a `POST` whose
/// body is not declared JSON (a no-cors `text/plain` form post needs no
/// preflight; `application/json` does, and the server grants none).
async fn check_origin(req: Request, next: Next) -> Response {
    let headers = req.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    let host = text(header::HOST).unwrap_or("");
    if let Some(site) = text(header::HeaderName::from_static("sec-fetch-site")) {
        if !matches!(site, "same-origin" | "none") {
            return api::error(
                StatusCode::FORBIDDEN,
                format!("error: a request from another site (Sec-Fetch-Site: {site}) is refused; open the page from this server"),
                Vec::new(),
            );
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let own = format!("http://{host}");
        if origin.to_str().ok().is_none_or(|o| !o.eq_ignore_ascii_case(&own)) {
            return api::error(
                StatusCode::FORBIDDEN,
                format!(
                    "error: a request from another origin ({}) is refused; this server answers only its own page ({own})",
                    crate::diagnostic::escape_invisible(&String::from_utf8_lossy(origin.as_bytes()))
                ),
                Vec::new(),
            );
        }
    }
    if req.method() == axum::http::Method::POST {
        let json = text(header::CONTENT_TYPE).is_some_and(|t| {
            t.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
        if !json {
            return api::error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "error: the request body must be sent as Content-Type: application/json".into(),
                Vec::new(),
            );
        }
    }
    next.run(req).await
}

/// What the server answers, for a wrong path or method.
const ROUTES: &str =
    "the page is GET /, the API POST /api/run, POST /api/view, POST /api/scenario and GET /api/params";

async fn not_found() -> Response {
    api::error(
        StatusCode::NOT_FOUND,
        format!("no such page: {ROUTES}"),
        Vec::new(),
    )
}

/// 405 with a JSON body, as every other refusal has (axum's own is empty).
async fn method_not_allowed(req: Request) -> Response {
    api::error(
        StatusCode::METHOD_NOT_ALLOWED,
        format!(
            "error: {} {} is not answered: {ROUTES}",
            req.method(),
            crate::diagnostic::escape_invisible(req.uri().path())
        ),
        Vec::new(),
    )
}
