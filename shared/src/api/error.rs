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
    /// No such route or resource (404).
    #[error("{0}")]
    NotFound(String),
    /// Missing or refused credentials (401); the code says which.
    #[error("{message}")]
    Unauthorized {
        /// `unauthorized`, `invalid_token` or `invalid_credentials`.
        code: &'static str,
        /// What to do about it.
        message: String,
    },
    /// The resource exists already (409).
    #[error("{0}")]
    Conflict(String),
    /// A well-formed request that cannot be carried out as sent (422).
    #[error("{}", .0.reason)]
    Unprocessable(FieldError),
    /// Too many attempts (429); retry after this many seconds.
    #[error("too many attempts; retry in {0} s")]
    TooManyRequests(u64),
    /// The route exists, the method does not (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The body is larger than the endpoint accepts (413).
    #[error("request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// A dependency we cannot answer without is down (503).
    #[error("{0}")]
    Unavailable(String),
    /// The HTTP framework refused the request before a handler ran.
    #[error("{message}")]
    Rejected {
        /// The status the framework chose.
        status: StatusCode,
        /// Its sentence.
        message: String,
    },
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
            Self::Unauthorized { code, .. } => (StatusCode::UNAUTHORIZED, code, None),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict", None),
            Self::Unprocessable(e) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "unprocessable",
                Some(e.field.as_str()),
            ),
            Self::TooManyRequests(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited", None),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", None),
            Self::PayloadTooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", None),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", None),
            Self::Rejected { status, .. } => (*status, rejection_code(*status), None),
            Self::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
        }
    }
}

/// The code of a status the framework chose.
fn rejection_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}

impl From<crate::auth::AuthError> for ApiError {
    fn from(e: crate::auth::AuthError) -> Self {
        use crate::auth::AuthError;
        match e {
            AuthError::InvalidCredentials => Self::Unauthorized {
                code: "invalid_credentials",
                message: e.to_string(),
            },
            AuthError::InvalidToken(why) => Self::Unauthorized {
                code: "invalid_token",
                message: why.to_owned(),
            },
            AuthError::EmailTaken => Self::Conflict(e.to_string()),
            AuthError::RateLimited(seconds) => Self::TooManyRequests(seconds),
            AuthError::Store(store) => store.into(),
            AuthError::Hashing => {
                tracing::error!("password hashing failed");
                Self::Internal
            }
        }
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match e {
            StoreError::NotFound | StoreError::Forbidden => Self::NotFound("not found".to_owned()),
            StoreError::Conflict(m) => Self::Conflict(m),
            StoreError::Unauthorized => Self::Unauthorized {
                code: "invalid_token",
                message: "credentials refused".to_owned(),
            },
            StoreError::Invalid(m) => Self::InvalidField(FieldError::new("body", m)),
            StoreError::Unavailable(cause) => {
                // Logged once here, where it is handled; the client sees a generic 503.
                tracing::error!(error = %cause, "store unavailable");
                Self::Unavailable("storage is unavailable; try again shortly".to_owned())
            }
        }
    }
}

impl From<crate::assistant::TurnError> for ApiError {
    fn from(e: crate::assistant::TurnError) -> Self {
        use crate::assistant::TurnError;
        match e {
            TurnError::Invalid(field) => Self::InvalidField(field),
            TurnError::RateLimited(seconds) => Self::TooManyRequests(seconds),
            TurnError::KeyReused => Self::Unprocessable(FieldError::new(
                "Idempotency-Key",
                "this key was already used for a different request; send a new key",
            )),
            TurnError::Store(store) => store.into(),
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::InvalidField(e)
    }
}

impl ApiError {
    /// The code, message and field of the JSON error body: what an HTTP
    /// client and a streamed turn's `error` event both see.
    pub fn detail(&self) -> (&'static str, String, Option<&str>) {
        let (_, code, field) = self.parts();
        let message = match self {
            Self::InvalidField(e) => e.reason.clone(),
            other => other.to_string(),
        };
        (code, message, field)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, _, _) = self.parts();
        let (code, message, field) = self.detail();
        let body = Body {
            error: Detail {
                code,
                message,
                field,
            },
        };
        let mut response = (status, Json(body)).into_response();
        match &self {
            Self::TooManyRequests(seconds) => {
                response
                    .headers_mut()
                    .insert(axum::http::header::RETRY_AFTER, (*seconds).into());
            }
            Self::Unauthorized { .. } => {
                response.headers_mut().insert(
                    axum::http::header::WWW_AUTHENTICATE,
                    axum::http::HeaderValue::from_static("Bearer"),
                );
            }
            _ => {}
        }
        response
    }
}
