//! `GET /conversations`, `GET|PATCH|DELETE /conversations/{id}`: a
//! signed-in traveller's own conversations; anyone else's answer 404.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use super::input::{QueryParams, parse_count, parse_json};
use super::session::caller;
use super::{ApiError, MAX_BODY_BYTES};
use crate::app::App;
use crate::domain::{Conversation, ConversationDetail, ConversationId, Cursor, Title};
use crate::store::MAX_PAGE_SIZE;

/// Default page: what fits a sidebar.
const DEFAULT_PAGE: u32 = 20;

#[derive(Serialize)]
pub(super) struct Page {
    conversations: Vec<Conversation>,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    next_cursor: Option<String>,
}

/// `GET /conversations?limit=20&cursor=...`: newest first.
pub(super) async fn list(
    State(app): State<App>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<Page>, ApiError> {
    let who = caller(&app, &headers).await?;
    let mut params = QueryParams::parse(raw.as_deref(), &["limit", "cursor"])?;
    let limit = params.take("limit").map_or(Ok(DEFAULT_PAGE), |t| {
        parse_count("limit", &t, 1, MAX_PAGE_SIZE)
    })?;
    let after = params
        .take("cursor")
        .map(|t| Cursor::decode(&t))
        .transpose()?;
    let conversations = app.history.list_conversations(&who, limit, after).await?;
    let next_cursor = (conversations.len() == limit as usize)
        .then(|| {
            conversations.last().map(|c| {
                Cursor {
                    updated_at: c.updated_at,
                    id: c.id,
                }
                .encode()
            })
        })
        .flatten();
    Ok(Json(Page {
        conversations,
        next_cursor,
    }))
}

/// `GET /conversations/{id}`: the conversation and its messages in order.
pub(super) async fn get(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<ConversationDetail>, ApiError> {
    let who = caller(&app, &headers).await?;
    let id = ConversationId::parse("id", &id)?;
    Ok(Json(app.history.conversation(&who, id).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    title: String,
}

/// `PATCH /conversations/{id}` `{title}`.
pub(super) async fn rename(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Conversation>, ApiError> {
    let who = caller(&app, &headers).await?;
    let id = ConversationId::parse("id", &id)?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let rename: Rename = parse_json(&body)?;
    let title = Title::parse(&rename.title)?;
    Ok(Json(
        app.history.rename_conversation(&who, id, &title).await?,
    ))
}

/// `DELETE /conversations/{id}` → 204.
pub(super) async fn delete(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let who = caller(&app, &headers).await?;
    let id = ConversationId::parse("id", &id)?;
    app.history.delete_conversation(&who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
