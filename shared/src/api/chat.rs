//! `POST /chat` (one turn with the assistant) and `GET /chat/suggestions`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};

use super::search::{QueryParams, parse_json};
use super::session::caller;
use super::{ApiError, MAX_BODY_BYTES};
use crate::app::App;
use crate::assistant::{Lang, TurnError, TurnInput, TurnOutput, suggestions};
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
) -> Result<Json<TurnOutput>, ApiError> {
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
    let input = TurnInput {
        conversation_id,
        message: parsed.message,
        locale,
        idempotency_key,
    };
    app.chat
        .turn(&who, input, now)
        .await
        .map(Json)
        .map_err(|e| match e {
            TurnError::Invalid(field) => ApiError::InvalidField(field),
            TurnError::Store(store) => store.into(),
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
