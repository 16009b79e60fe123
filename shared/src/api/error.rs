use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::domain::FieldError;

/// Every failure an endpoint can answer with; turned into the one JSON error
/// body (`{"error": {"code", "message", "field"}}`) in exactly one place.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A field of the request is invalid (400).
    #[error("{0}")]
    InvalidField(FieldError),
    /// The body is not the JSON we expect (400); `field` when the path is known.
    #[error("{message}")]
    MalformedJson {
        /// The JSON path of the bad value, if any.
        field: Option<String>,
        /// What is wrong, with line and column.
        message: String,
    },
    /// No such route (404).
    #[error("no route for {0}")]
    NotFound(String),
    /// The route exists, the method does not (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is larger than the endpoint accepts (413).
    #[error("request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// A dependency we cannot answer without is down (503).
    #[error("{0}")]
    Unavailable(String),
    /// A bug; the cause is logged, the client sees a generic message (500).
    #[error("internal error")]
    Internal,
}

#[derive(Serialize)]
struct Body<'a> {
    error: Detail<'a>,
}

#[derive(Serialize)]
struct Detail<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str, Option<&str>) {
        match self {
            Self::InvalidField(e) => (
                StatusCode::BAD_REQUEST,
                "invalid_field",
                Some(e.field.as_str()),
            ),
            Self::MalformedJson { field, .. } => {
                (StatusCode::BAD_REQUEST, "malformed_json", field.as_deref())
            }
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", None),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", None),
            Self::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::InvalidField(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, field) = self.parts();
        let message = match &self {
            Self::InvalidField(e) => e.reason.clone(),
            other => other.to_string(),
        };
        let body = Body {
            error: Detail {
                code,
                message,
                field,
            },
        };
        (status, Json(body)).into_response()
    }
}
