//! Layers shared by every function.

use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use lambda_http::RequestExt;
use lambda_http::request::RequestContext;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tracing::Instrument;

use super::ApiError;

static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request id + span + one access line, panics as JSON 500, and CORS when configured.
pub(super) fn apply(router: Router, cors_origins: &[String]) -> Router {
    let router = router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(middleware::from_fn(json_errors))
        .layer(middleware::from_fn(trace_request));
    if cors_origins.is_empty() {
        return router;
    }
    let origins: Vec<HeaderValue> = cors_origins.iter().filter_map(|o| o.parse().ok()).collect();
    router.layer(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
            .allow_headers([
                axum::http::header::CONTENT_TYPE,
                axum::http::header::AUTHORIZATION,
                HeaderName::from_static("idempotency-key"),
            ])
            .expose_headers([REQUEST_ID.clone()]),
    )
}

fn panic_response(cause: Box<dyn Any + Send + 'static>) -> Response {
    let detail = cause
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| cause.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    tracing::error!(panic = %detail, "handler panicked");
    ApiError::Internal.into_response()
}

/// The framework's own rejections (a path that does not decode, a missing
/// content type) come as plain text; every error leaves as the one JSON
/// body, with the framework's sentence as its message.
pub(super) async fn json_errors(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    // A server error's text could say more than a client should see.
    let message = if status.is_server_error() {
        String::new()
    } else {
        String::from_utf8_lossy(&text).trim().to_owned()
    };
    let error = ApiError::Rejected {
        status: parts.status,
        message: if message.is_empty() {
            parts
                .status
                .canonical_reason()
                .unwrap_or("error")
                .to_lowercase()
        } else {
            message
        },
    };
    let mut json = error.into_response();
    for (name, value) in &parts.headers {
        if name != axum::http::header::CONTENT_TYPE && name != axum::http::header::CONTENT_LENGTH {
            json.headers_mut().insert(name.clone(), value.clone());
        }
    }
    json
}

/// The request id: API Gateway's (the one its access logs and the client
/// see), else the Lambda invocation's, else the caller's `x-request-id` when
/// it has a safe shape (it is written into every log line), else a local one.
fn request_id(req: &Request) -> String {
    #[allow(unreachable_patterns)] // one variant with only the `apigw_http` feature
    let gateway = req.request_context_ref().and_then(|ctx| match ctx {
        RequestContext::ApiGatewayV2(http) => http.request_id.clone(),
        _ => None,
    });
    if let Some(id) = gateway.or_else(|| req.lambda_context_ref().map(|ctx| ctx.request_id.clone()))
    {
        return id;
    }
    if let Some(id) = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok())
        && safe_request_id(id)
    {
        return id.to_owned();
    }
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!(
        "local-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// 1 to 128 letters, digits, `-`, `_`, `.` or `:`: nothing that could end a
/// log field or forge another.
fn safe_request_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

async fn trace_request(req: Request, next: Next) -> Response {
    let id = request_id(&req);
    let span = tracing::info_span!("request", request_id = %id);
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    let duration_ms = started.elapsed().as_secs_f64() * 1000.0;
    span.in_scope(|| {
        tracing::info!(http.method = %method, http.path = %path, http.status = status, duration_ms, "request")
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}
