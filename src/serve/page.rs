//! `GET /`: the what-if page, one self-contained HTML file (inline CSS
//! and script, no external URL) compiled into the binary. It asks
//! `/api/params` for the controls and `/api/view` for everything it draws.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The page (`page.html` beside this file).
pub const PAGE: &str = include_str!("page.html");

/// `GET /`.
pub(super) async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; frame-ancestors 'none'",
            ),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        PAGE,
    )
        .into_response()
}
