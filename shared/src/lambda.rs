//! Running a function's router on the Lambda runtime (API Gateway HTTP API,
//! payload format 2.0).

use axum::Router;

use crate::App;

mod streaming;

/// Serves the router `routes` builds for `app` on the Lambda Runtime API
/// until the process is stopped.
///
/// # Errors
/// When the runtime API cannot be reached (outside Lambda, or a bad
/// `AWS_LAMBDA_RUNTIME_API`).
pub async fn run(app: App, routes: fn(App) -> Router) -> anyhow::Result<()> {
    tracing::info!(adapters = %app.describe(), "function starting");
    lambda_http::run(routes(app))
        .await
        .map_err(|e| anyhow::anyhow!(e))
}

/// Serves the router with Lambda response streaming (a Function URL with
/// `InvokeMode: RESPONSE_STREAM`), so server-sent events reach the client as
/// they are written. HTTP APIs cannot stream; such a function is reached
/// through its Function URL.
///
/// The loop is this crate's own ([`streaming`]): `lambda_http`'s would send
/// the streamed body with Nagle's algorithm on, and each streamed response
/// would end about 40 ms late; this one's connections set `TCP_NODELAY`.
///
/// # Errors
/// When `AWS_LAMBDA_RUNTIME_API` is not set or the runtime API cannot be
/// reached.
pub async fn run_streaming(app: App, routes: fn(App) -> Router) -> anyhow::Result<()> {
    tracing::info!(adapters = %app.describe(), "function starting (response streaming)");
    let endpoint = std::env::var("AWS_LAMBDA_RUNTIME_API")
        .map_err(|_| anyhow::anyhow!("AWS_LAMBDA_RUNTIME_API is not set: not in Lambda"))?;
    let config = lambda_http::lambda_runtime::Config::from_env();
    streaming::serve(&endpoint, config, routes(app))
        .await
        .map_err(|e| anyhow::anyhow!(e))
}
