//! `GET /openapi.json`: the OpenAPI 3.1 description of every endpoint,
//! checked in and compiled into the binary. `tests/openapi.rs` keeps it in
//! step with the router and with real answers.

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;

/// The document, as served.
pub const DOCUMENT: &str = include_str!("openapi.json");

/// `GET /openapi.json`.
pub(super) async fn get() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], DOCUMENT)
}
