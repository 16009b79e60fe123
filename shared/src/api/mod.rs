//! The HTTP edge: one module per endpoint group, the error body, and the
//! layers every function shares (request id, logging, CORS, panics → 500).

mod airports;
mod auth;
mod calendar;
mod chat;
mod error;
mod health;
mod history;
mod input;
mod layers;
mod openapi;
mod prices;
mod search;
mod session;
mod watches;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::Uri;
use axum::routing::{get, post};

pub use error::ApiError;
pub use openapi::DOCUMENT as OPENAPI_DOCUMENT;

// The request readers, for the fuzz targets (`crate::fuzzing`).
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) use {
    auth::{Policy, read_credentials, read_refresh_token},
    chat::read_turn,
    search::{parse_body as search_from_body, parse_query_string as search_from_query},
};

use crate::app::App;

/// Largest request body accepted: a six-leg search with every filter is
/// under 2 KB, so 16 KB leaves room without inviting abuse.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// The `search` function's routes: `GET|POST /search`, `GET /airports`,
/// `GET /prices/insight`, `GET /prices/series`, `GET /calendar`, `GET /health` and
/// `GET /openapi.json`.
pub fn search_router(app: App) -> Router {
    finish(search_routes(app.clone()), &app)
}

/// The `auth` function's routes: sign-up, login, refresh, logout, me.
pub fn auth_router(app: App) -> Router {
    finish(auth_routes(app.clone()), &app)
}

/// The `chat` function's routes: a turn with the assistant, and suggestions.
pub fn chat_router(app: App) -> Router {
    finish(chat_routes(app.clone()), &app)
}

fn chat_routes(app: App) -> Router {
    Router::new()
        .route("/chat", post(chat::post))
        .route("/chat/suggestions", get(chat::get_suggestions))
        .with_state(app)
}

/// The `history` function's routes: the caller's conversations.
pub fn history_router(app: App) -> Router {
    finish(history_routes(app.clone()), &app)
}

fn search_routes(app: App) -> Router {
    Router::new()
        .route("/search", get(search::get).post(search::post))
        .route("/airports", get(airports::get))
        .route("/prices/insight", get(prices::insight))
        .route("/prices/series", get(prices::series))
        .route("/calendar", get(calendar::get))
        .route("/health", get(health::get))
        .route("/openapi.json", get(openapi::get))
        .with_state(app)
}

fn auth_routes(app: App) -> Router {
    Router::new()
        .route("/auth/signup", post(auth::signup))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me))
        .with_state(app)
}

fn history_routes(app: App) -> Router {
    Router::new()
        .route("/conversations", get(history::list))
        .route(
            "/conversations/{id}",
            get(history::get)
                .patch(history::rename)
                .delete(history::delete),
        )
        .with_state(app)
}

/// The `watches` function's routes: the caller's watches, their prices and
/// the caller's notifications.
pub fn watches_router(app: App) -> Router {
    finish(watches_routes(app.clone()), &app)
}

fn watches_routes(app: App) -> Router {
    Router::new()
        .route("/watches", get(watches::list).post(watches::create))
        .route(
            "/watches/{id}",
            get(watches::get)
                .patch(watches::update)
                .delete(watches::delete),
        )
        .route("/watches/{id}/prices", get(watches::prices))
        .route("/notifications", get(watches::notifications))
        .route("/notifications/read", post(watches::read))
        .with_state(app)
}

/// Every function's routes in one router, for the local server.
pub fn local_router(app: App) -> Router {
    let routes = search_routes(app.clone())
        .merge(auth_routes(app.clone()))
        .merge(history_routes(app.clone()))
        .merge(chat_routes(app.clone()))
        .merge(watches_routes(app.clone()));
    finish(routes, &app)
}

/// `router` with every error it answers as the one JSON error body: for
/// what `serve` mounts beside the API (the web client's files, whose own
/// refusals, such as 405 for a `POST`, would otherwise leave bodiless).
pub fn with_json_errors(router: Router) -> Router {
    router.layer(axum::middleware::from_fn(layers::json_errors))
}

/// Adds the 404/405 bodies and the shared layers.
fn finish(routes: Router, app: &App) -> Router {
    let routes = routes
        .fallback(
            |uri: Uri| async move { ApiError::NotFound(format!("no route for {}", uri.path())) },
        )
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES));
    layers::apply(routes, &app.cors_allowed_origins)
}
