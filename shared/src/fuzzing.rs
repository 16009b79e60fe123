//! The parsers and decoders the `cargo fuzz` targets under `fuzz/` drive,
//! reached as the product runs them: each function only opens a private
//! item (a handler's body reader, the model's stream decoder, the Upstash
//! answer decoder), none reimplements one. Compiled for this crate's tests
//! and with the `fuzzing` feature; the product never calls it.

use axum::http::{HeaderMap, HeaderValue};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::api::{self, ApiError, Policy};
use crate::assistant::TurnInput;
use crate::assistant::model::{Completion, Deltas, ModelError, StreamDecoder};
use crate::cache::{self, CacheError};
use crate::domain::{Email, UserMessage};
use crate::search::SearchQuery;

/// `GET /search`'s query string (`None`: no `?`), read as the handler reads it.
///
/// # Errors
/// The handler's answer to a bad query string.
pub fn search_from_query(raw: Option<&str>, now: DateTime<Utc>) -> Result<SearchQuery, ApiError> {
    api::search_from_query(raw, now)
}

/// A `POST /search` body, read as the handler reads it.
///
/// # Errors
/// The handler's answer to a bad body.
pub fn search_from_body(body: &[u8], now: DateTime<Utc>) -> Result<SearchQuery, ApiError> {
    api::search_from_body(body, now)
}

/// A sign-up body (`signup`) or a login body: the e-mail as it is stored.
///
/// # Errors
/// The handler's answer to a bad body, e-mail or password.
pub fn credentials(body: &[u8], signup: bool) -> Result<Email, ApiError> {
    let policy = if signup {
        Policy::NewPassword
    } else {
        Policy::Given
    };
    api::read_credentials(body, policy).map(|(email, _)| email)
}

/// A `/auth/refresh` body: the token looked up.
///
/// # Errors
/// The handler's answer to a bad body.
pub fn refresh_token(body: &[u8]) -> Result<String, ApiError> {
    api::read_refresh_token(body)
}

/// A `POST /chat` body with the bytes of its `Idempotency-Key` header (left
/// out when no HTTP server would pass them on), and its message checked as
/// the turn checks it.
///
/// # Errors
/// The handler's or the turn's answer to a bad body or header.
pub fn chat_turn(
    body: &[u8],
    idempotency_key: Option<&[u8]>,
) -> Result<(TurnInput, UserMessage), ApiError> {
    let mut headers = HeaderMap::new();
    if let Some(value) = idempotency_key.and_then(|k| HeaderValue::from_bytes(k).ok()) {
        headers.insert("idempotency-key", value);
    }
    let input = api::read_turn(&headers, body)?;
    let message = UserMessage::parse(&input.message)?;
    Ok((input, message))
}

/// A model's streamed answer arriving in these pieces, decoded as the
/// OpenAI-compatible adapter decodes it: the completion (or why there is
/// none) and the text deltas a streaming client was sent, in order.
pub fn model_stream(pieces: &[&[u8]]) -> (Result<Completion, ModelError>, Vec<String>) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let result = decode_stream(pieces, &tx);
    let mut deltas = Vec::new();
    while let Ok(text) = rx.try_recv() {
        deltas.push(text);
    }
    (result, deltas)
}

fn decode_stream(pieces: &[&[u8]], deltas: &Deltas) -> Result<Completion, ModelError> {
    let mut decoder = StreamDecoder::default();
    for piece in pieces {
        if decoder.feed(piece, Some(deltas))? {
            return Ok(decoder.done());
        }
    }
    decoder.end(Some(deltas))
}

/// An Upstash answer body to one command, as the adapter reads it.
///
/// # Errors
/// The command's error, or an answer the adapter cannot read.
pub fn upstash_answer(body: &[u8]) -> Result<Value, CacheError> {
    cache::result_of(serde_json::from_slice(body).unwrap_or(Value::Null))
}

/// An Upstash `/pipeline` answer body, as the adapter reads it.
///
/// # Errors
/// An answer the adapter cannot read (a failing command fails its slot).
pub fn upstash_pipeline(body: &[u8]) -> Result<Vec<Result<Value, CacheError>>, CacheError> {
    cache::pipeline_results(serde_json::from_slice(body).unwrap_or(Value::Null))
}

/// The HTTP status an error answers with.
pub fn status(error: ApiError) -> u16 {
    use axum::response::IntoResponse as _;
    error.into_response().status().as_u16()
}
