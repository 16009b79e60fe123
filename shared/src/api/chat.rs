//! `POST /chat` (one turn with the assistant) and `GET /chat/suggestions`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::search::{QueryParams, parse_json};
use super::session::caller;
use super::{ApiError, MAX_BODY_BYTES};
use crate::app::App;
use crate::assistant::{Lang, MAX_MESSAGE_CHARS, TurnError, TurnEvent, TurnInput, suggestions};
use crate::domain::{FieldError, parse_id};

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

/// Longest `Idempotency-Key` accepted (the store keeps it with the turn).
const MAX_KEY_CHARS: usize = 200;

/// `POST /chat` `{conversation_id?, message, locale?}` with an optional
/// `Idempotency-Key`: a retried turn returns the first answer.
pub(super) async fn post(
    State(app): State<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let who = caller(&app, &headers)?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let parsed: ChatBody = parse_json(&body)?;
    let conversation_id = parsed
        .conversation_id
        .as_deref()
        .map(|id| parse_id("conversation_id", id))
        .transpose()?;
    let locale = parsed
        .locale
        .as_deref()
        .map(|l| locale("locale", l))
        .transpose()?;
    let idempotency_key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let key = v
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= MAX_KEY_CHARS);
            Some(
                key.ok_or_else(|| {
                    FieldError::new(
                        "Idempotency-Key",
                        format!("expected 1 to {MAX_KEY_CHARS} visible characters"),
                    )
                })?
                .to_owned(),
            )
        }
    };
    let now = (app.clock)();
    let limit = app
        .cache
        .rate_limit(
            &format!("ratelimit:chat:{}", who.user_id),
            app.chat_limit,
            std::time::Duration::from_secs(60),
            now.timestamp_millis(),
        )
        .await;
    match limit {
        Ok(d) if !d.allowed => {
            return Err(ApiError::TooManyRequests(
                u64::try_from(d.reset_after_ms)
                    .unwrap_or(0)
                    .div_ceil(1000)
                    .max(1),
            ));
        }
        Ok(_) => {}
        Err(err) => tracing::warn!(error = %err, "chat rate limit unavailable; allowing the turn"),
    }
    let message = parsed.message.trim();
    if message.is_empty() {
        return Err(FieldError::new("message", "must not be empty").into());
    }
    if message.chars().count() > MAX_MESSAGE_CHARS {
        return Err(FieldError::new(
            "message",
            format!("must have at most {MAX_MESSAGE_CHARS} characters"),
        )
        .into());
    }
    let streaming = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/event-stream"));
    let mut input = TurnInput {
        conversation_id,
        message: message.to_owned(),
        locale,
        idempotency_key,
        events: None,
    };
    if !streaming {
        return app
            .chat
            .turn(&who, input, now)
            .await
            .map(|out| Json(out).into_response())
            .map_err(turn_error);
    }
    // The turn runs on its own task: a client that disconnects mid-stream
    // stops receiving events, not the turn, which is still stored whole.
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    input.events = Some(tx.clone());
    let chat = app.chat.clone();
    tokio::spawn(async move {
        if let Err(e) = chat.turn(&who, input, now).await {
            let (code, message) = match turn_error(e) {
                ApiError::NotFound(_) => ("not_found", "conversation not found".to_owned()),
                ApiError::InvalidField(f) => ("invalid_field", f.to_string()),
                _ => (
                    "unavailable",
                    "the turn could not be completed; nothing was stored".to_owned(),
                ),
            };
            let _ = tx.send(TurnEvent::Error {
                code: code.to_owned(),
                message,
            });
        }
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        let event = rx.recv().await?;
        let sse = Event::default()
            .event(event.name())
            .json_data(event.data())
            .unwrap_or_default();
        Some((Ok::<_, std::convert::Infallible>(sse), rx))
    });
    Ok(Sse::new(stream).into_response())
}

fn turn_error(e: TurnError) -> ApiError {
    match e {
        TurnError::Invalid(field) => ApiError::InvalidField(field),
        TurnError::Store(store) => store.into(),
    }
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
