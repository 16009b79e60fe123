//! `POST /chat` (one turn with the assistant) and `GET /chat/suggestions`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use futures::FutureExt as _;
use serde::{Deserialize, Serialize};
use tracing::Instrument as _;

use super::input::{QueryParams, parse_json};
use super::session::caller;
use super::{ApiError, MAX_BODY_BYTES};
use crate::app::App;
use crate::assistant::{Lang, TurnEvent, TurnInput, suggestions};
use crate::domain::{ConversationId, FieldError, IdempotencyKey};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChatBody {
    conversation_id: Option<String>,
    message: String,
    locale: Option<String>,
}

fn locale(field: &str, text: &str) -> Result<Lang, FieldError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "pt" | "pt-br" | "pt_br" | "pt-pt" => Ok(Lang::Pt),
        "en" | "en-us" | "en-gb" | "en_us" => Ok(Lang::En),
        other => Err(FieldError::new(
            field,
            format!("unsupported locale '{other}' (pt-BR or en)"),
        )),
    }
}

/// `POST /chat` `{conversation_id?, message, locale?}` with an optional
/// `Idempotency-Key`: a retried turn returns the first answer. With
/// `Accept: text/event-stream` the turn streams its events.
pub(super) async fn post(
    State(app): State<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let who = caller(&app, &headers).await?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let mut input = read_turn(&headers, &body)?;
    let now = (app.clock)();
    if !wants_stream(&headers) {
        let out = app.chat.turn(&who, input, now).await?;
        return Ok(Json(out).into_response());
    }
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    input.events = Some(tx.clone());
    let chat = app.chat.clone();
    // The turn runs on its own task: a client that disconnects mid-stream
    // stops receiving events, not the turn, which is still stored whole.
    // The task keeps the request's span, so its logs carry the request id.
    let turn = async move {
        let run = std::panic::AssertUnwindSafe(chat.turn(&who, input, now)).catch_unwind();
        let error = match run.await {
            Ok(Ok(_)) => return,
            Ok(Err(e)) => ApiError::from(e),
            Err(_) => {
                tracing::error!("chat turn panicked; nothing was stored");
                ApiError::Internal
            }
        };
        let (code, message, field) = error.detail();
        let _ = tx.send(TurnEvent::Error {
            code: code.to_owned(),
            message,
            field: field.map(str::to_owned),
        });
    };
    tokio::spawn(turn.instrument(tracing::Span::current()));
    Ok(Sse::new(events(rx)).into_response())
}

/// A turn as the client sent it: the body's fields and the
/// `Idempotency-Key` header, each checked but the message (the turn checks
/// it with its rules).
pub(crate) fn read_turn(headers: &HeaderMap, body: &[u8]) -> Result<TurnInput, ApiError> {
    let parsed: ChatBody = parse_json(body)?;
    Ok(TurnInput {
        conversation_id: parsed
            .conversation_id
            .as_deref()
            .map(|id| ConversationId::parse("conversation_id", id))
            .transpose()?,
        message: parsed.message,
        locale: parsed
            .locale
            .as_deref()
            .map(|l| locale("locale", l))
            .transpose()?,
        idempotency_key: headers
            .get("idempotency-key")
            .map(|v| IdempotencyKey::parse(v.to_str().unwrap_or("")))
            .transpose()?,
        events: None,
    })
}

fn wants_stream(headers: &HeaderMap) -> bool {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"))
}

/// The turn's events as SSE, each named for its kind with its fields as data.
fn events(
    rx: tokio::sync::mpsc::UnboundedReceiver<TurnEvent>,
) -> impl futures::Stream<Item = Result<Event, std::convert::Infallible>> {
    futures::stream::unfold(rx, |mut rx| async move {
        let event = rx.recv().await?;
        let sse = Event::default()
            .event(event.name())
            .json_data(&event)
            .unwrap_or_default();
        Some((Ok(sse), rx))
    })
}

#[derive(Serialize)]
pub(super) struct Suggestions {
    suggestions: Vec<String>,
}

/// `GET /chat/suggestions?locale=pt-BR`: prompts to start a conversation.
pub(super) async fn get_suggestions(
    RawQuery(raw): RawQuery,
) -> Result<Json<Suggestions>, ApiError> {
    let mut params = QueryParams::parse(raw.as_deref(), &["locale"])?;
    let lang = params
        .take("locale")
        .map(|l| locale("locale", &l))
        .transpose()?
        .unwrap_or(Lang::Pt);
    Ok(Json(Suggestions {
        suggestions: suggestions(lang),
    }))
}
