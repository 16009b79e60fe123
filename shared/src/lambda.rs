//! Running a function's router on the Lambda runtime (API Gateway HTTP API,
//! payload format 2.0).

use axum::Router;

use crate::App;

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
