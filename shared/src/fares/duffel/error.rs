use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::wire::ErrorBody;
use crate::fares::ProviderError;

/// Why a Duffel call gave no offers, classified once from the HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum DuffelError {
    /// 401 or 403: the access token is wrong or lacks the scope (configuration).
    #[error("access token refused (HTTP {0})")]
    Unauthorized(u16),
    /// 400 or 422: Duffel refused the query; `field` names what it objects to.
    #[error("{field}: {message}")]
    Invalid {
        /// Duffel's `source.field` (or `source.pointer`), `request` when absent.
        field: String,
        /// Duffel's message.
        message: String,
    },
    /// 429: too many requests; `reset` is when Duffel says to come back.
    #[error("rate limited")]
    RateLimited {
        /// From `ratelimit-reset` or `retry-after`, when given.
        reset: Option<Duration>,
    },
    /// 5xx, a timeout, or no connection.
    #[error("{0}")]
    Unavailable(String),
    /// A 2xx answer we cannot read.
    #[error("unreadable answer: {0}")]
    Malformed(String),
}

impl DuffelError {
    /// Classifies a non-2xx answer from its status, headers and body.
    pub(super) fn from_response(
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        now: DateTime<Utc>,
    ) -> Self {
        match status.as_u16() {
            401 | 403 => Self::Unauthorized(status.as_u16()),
            429 => Self::RateLimited {
                reset: reset_after(headers, now),
            },
            400..=499 => invalid(status, body),
            code => Self::Unavailable(format!("HTTP {code}")),
        }
    }

    /// A transport failure (connection refused, timeout, broken body).
    pub(super) fn transport(err: &reqwest::Error) -> Self {
        // The error's kind, not its text: the URL carries the offer request id.
        let what = if err.is_timeout() {
            "timed out"
        } else if err.is_connect() {
            "cannot connect"
        } else if err.is_decode() || err.is_body() {
            "broken answer body"
        } else {
            "request failed"
        };
        Self::Unavailable(what.to_owned())
    }
}

/// The first error's field and message, from Duffel's `errors[]`.
fn invalid(status: StatusCode, body: &[u8]) -> DuffelError {
    let parsed: ErrorBody = serde_json::from_slice(body).unwrap_or_default();
    let first = parsed.errors.into_iter().next();
    let field = first
        .as_ref()
        .and_then(|e| e.source.as_ref())
        .and_then(|s| s.field.clone().or_else(|| s.pointer.clone()))
        .unwrap_or_else(|| "request".to_owned());
    let message = first
        .and_then(|e| e.message.or(e.code))
        .unwrap_or_else(|| format!("refused with HTTP {}", status.as_u16()));
    DuffelError::Invalid { field, message }
}

/// How long until Duffel accepts calls again: `ratelimit-reset` (an HTTP
/// date in Duffel's docs; a Unix time or a number of seconds is read too),
/// else `retry-after`.
fn reset_after(headers: &HeaderMap, now: DateTime<Utc>) -> Option<Duration> {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    header("ratelimit-reset")
        .and_then(|v| wait_until(v, now))
        .or_else(|| header("retry-after").and_then(|v| wait_until(v, now)))
}

/// Numbers above this are Unix times, not seconds to wait (2001-09-09).
const UNIX_TIME_FROM: i64 = 1_000_000_000;

fn wait_until(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let at = match value.parse::<i64>() {
        Ok(n) if n >= UNIX_TIME_FROM => DateTime::from_timestamp(n, 0)?,
        Ok(seconds) => return u64::try_from(seconds).ok().map(Duration::from_secs),
        Err(_) => DateTime::parse_from_rfc2822(value)
            .ok()?
            .with_timezone(&Utc),
    };
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

impl From<DuffelError> for ProviderError {
    fn from(err: DuffelError) -> Self {
        match err {
            DuffelError::Unauthorized(_) => Self::Unauthorized,
            DuffelError::Invalid { .. } => Self::Rejected(err.to_string()),
            DuffelError::RateLimited { .. } => Self::RateLimited,
            DuffelError::Unavailable(_) | DuffelError::Malformed(_) => {
                Self::Unavailable(err.to_string())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use reqwest::header::HeaderValue;

    #[test]
    fn errors_are_classified_once_from_the_status() {
        let now = Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).unwrap();
        let none = HeaderMap::new();
        let body = br#"{"errors":[{"type":"validation_error","code":"invalid_field","message":"must be a future date","source":{"field":"departure_date","pointer":"/slices/0/departure_date"}}],"meta":{"status":422}}"#;
        let err = DuffelError::from_response(StatusCode::UNPROCESSABLE_ENTITY, &none, body, now);
        assert_eq!(err.to_string(), "departure_date: must be a future date");
        assert!(matches!(
            DuffelError::from_response(StatusCode::FORBIDDEN, &none, b"", now),
            DuffelError::Unauthorized(403)
        ));
        assert!(matches!(
            DuffelError::from_response(StatusCode::BAD_GATEWAY, &none, b"<html>", now),
            DuffelError::Unavailable(_)
        ));

        let mut headers = HeaderMap::new();
        headers.insert(
            "ratelimit-reset",
            HeaderValue::from_static("Mon, 30 Nov 2026 12:00:03 GMT"),
        );
        let err = DuffelError::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, b"{}", now);
        assert!(
            matches!(err, DuffelError::RateLimited { reset: Some(d) } if d == Duration::from_secs(3)),
            "{err:?}"
        );
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("7"));
        let err = DuffelError::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, b"{}", now);
        assert!(
            matches!(err, DuffelError::RateLimited { reset: Some(d) } if d == Duration::from_secs(7))
        );
        let mut headers = HeaderMap::new();
        let unix = (now.timestamp() + 5).to_string();
        headers.insert("ratelimit-reset", HeaderValue::from_str(&unix).unwrap());
        let err = DuffelError::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, b"{}", now);
        assert!(
            matches!(err, DuffelError::RateLimited { reset: Some(d) } if d == Duration::from_secs(5)),
            "a Unix time: {err:?}"
        );
    }
}
