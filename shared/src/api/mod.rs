//! The HTTP edge: one module per endpoint group, the error body, and the
//! layers every function shares (request id, logging, CORS, panics → 500).

mod airports;
mod error;
mod health;
mod layers;
mod search;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::routing::get;

pub use error::ApiError;

use crate::app::App;

/// Largest request body accepted: a six-leg search with every filter is
/// under 2 KB, so 16 KB leaves room without inviting abuse.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The `search` function's routes: `GET|POST /search`, `GET /airports`, `GET /health`.
pub fn search_router(app: App) -> Router {
    let routes = Router::new()
        .route("/search", get(search::get).post(search::post))
        .route("/airports", get(airports::get))
        .route("/health", get(health::get))
        .with_state(app.clone());
    finish(routes, &app)
}

/// Every function's routes in one router, for the local server.
pub fn local_router(app: App) -> Router {
    search_router(app)
}

/// Adds the 404/405 bodies and the shared layers.
fn finish(routes: Router, app: &App) -> Router {
    let routes = routes
        .fallback(|uri: Uri| async move { ApiError::NotFound(uri.path().to_owned()) })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    layers::apply(routes, &app.cors_allowed_origins)
}
