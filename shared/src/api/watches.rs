//! `POST|GET /watches`, `GET|PATCH|DELETE /watches/{id}`,
//! `GET /watches/{id}/prices`, `GET /notifications` and
//! `POST /notifications/read`: a signed-in traveller's own watches and
//! notifications; anyone else's answer 404.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};

use super::input::{QueryParams, parse_count, parse_json};
use super::search::Scalar;
use super::session::caller;
use super::{ApiError, MAX_BODY_BYTES};
use crate::app::App;
use crate::domain::{NotificationId, WatchId};
use crate::search::RawSearch;
use crate::store::MAX_NOTIFICATION_PAGE;
use crate::watches::{
    NotificationCursor, NotificationPage, PricePoint, RawWatch, Watch, WatchChange,
};

/// Default page of notifications: what fits a panel.
const DEFAULT_PAGE: u32 = 20;

/// `POST /watches` body: a one-way or round-trip search's fields (`return`
/// for a round trip), the window's end, a target.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CreateBody {
    origin: Option<String>,
    destination: Option<String>,
    departure: Option<String>,
    departure_to: Option<String>,
    #[serde(rename = "return")]
    return_date: Option<String>,
    adults: Option<Scalar>,
    children: Option<Scalar>,
    infants: Option<Scalar>,
    cabin: Option<String>,
    max_stops: Option<Scalar>,
    currency: Option<String>,
    target_price: Option<Scalar>,
    language: Option<String>,
}

impl CreateBody {
    fn into_raw(self) -> RawWatch {
        let text = |v: Option<Scalar>| v.map(Scalar::into_text);
        let mut search = RawSearch::trip(
            &self.origin.unwrap_or_default(),
            &self.destination.unwrap_or_default(),
            &self.departure.unwrap_or_default(),
            self.return_date.as_deref(),
        );
        search.adults = text(self.adults);
        search.children = text(self.children);
        search.infants = text(self.infants);
        search.cabin = self.cabin;
        search.max_stops = text(self.max_stops);
        search.currency = self.currency;
        RawWatch {
            search,
            departure_to: self.departure_to,
            target_price: text(self.target_price),
            language: self.language,
        }
    }
}

/// `POST /watches` → 201 with the watch.
pub(super) async fn create(
    State(app): State<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Watch>), ApiError> {
    let who = caller(&app, &headers).await?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let new = parse_json::<CreateBody>(&body)?
        .into_raw()
        .parse((app.clock)())?;
    let watch = app.watches.create_watch(&who, &new).await?;
    Ok((StatusCode::CREATED, Json(watch)))
}

#[derive(Serialize)]
pub(super) struct WatchList {
    watches: Vec<Watch>,
}

/// `GET /watches`: newest first.
pub(super) async fn list(
    State(app): State<App>,
    headers: HeaderMap,
) -> Result<Json<WatchList>, ApiError> {
    let who = caller(&app, &headers).await?;
    Ok(Json(WatchList {
        watches: app.watches.list_watches(&who).await?,
    }))
}

/// `GET /watches/{id}`.
pub(super) async fn get(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Watch>, ApiError> {
    let who = caller(&app, &headers).await?;
    let id = WatchId::parse("id", &id)?;
    Ok(Json(app.watches.watch(&who, id).await?))
}

/// `PATCH /watches/{id}` body: `status` (`active`/`paused`) and/or
/// `target_price` (a positive amount, or `null` to remove it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ChangeBody {
    status: Option<String>,
    #[serde(default, deserialize_with = "present")]
    target_price: Option<Option<Scalar>>,
}

/// A field that may be absent (`None`), `null` (`Some(None)`) or a value.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Scalar>>, D::Error> {
    Option::<Scalar>::deserialize(d).map(Some)
}

/// `PATCH /watches/{id}`: pause, resume, change or remove the target.
pub(super) async fn update(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Watch>, ApiError> {
    let who = caller(&app, &headers).await?;
    let id = WatchId::parse("id", &id)?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let change: ChangeBody = parse_json(&body)?;
    let target = change.target_price.map(|t| t.map(Scalar::into_text));
    let change = WatchChange::parse(
        change.status.as_deref(),
        target.as_ref().map(Option::as_deref),
    )?;
    Ok(Json(app.watches.update_watch(&who, id, &change).await?))
}

/// `DELETE /watches/{id}` → 204.
pub(super) async fn delete(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let who = caller(&app, &headers).await?;
    let id = WatchId::parse("id", &id)?;
    app.watches.delete_watch(&who, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub(super) struct Prices {
    watch_id: WatchId,
    prices: Vec<PricePoint>,
}

/// `GET /watches/{id}/prices`: the observed series, oldest first.
pub(super) async fn prices(
    State(app): State<App>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Prices>, ApiError> {
    let who = caller(&app, &headers).await?;
    let id = WatchId::parse("id", &id)?;
    Ok(Json(Prices {
        watch_id: id,
        prices: app.watches.watch_prices(&who, id).await?,
    }))
}

/// `GET /notifications?limit=20&cursor=...`: newest first, with the unread count.
pub(super) async fn notifications(
    State(app): State<App>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Json<NotificationPage>, ApiError> {
    let who = caller(&app, &headers).await?;
    let mut params = QueryParams::parse(raw.as_deref(), &["limit", "cursor"])?;
    let limit = params.take("limit").map_or(Ok(DEFAULT_PAGE), |t| {
        parse_count("limit", &t, 1, MAX_NOTIFICATION_PAGE)
    })?;
    let after = params
        .take("cursor")
        .map(|t| NotificationCursor::decode(&t))
        .transpose()?;
    let notifications = app.watches.notifications(&who, limit, after).await?;
    let unread = app.watches.unread_notifications(&who).await?;
    let next_cursor = (notifications.len() == limit as usize)
        .then(|| notifications.last())
        .flatten()
        .map(|n| {
            NotificationCursor {
                created_at: n.created_at,
                id: n.id,
            }
            .encode()
        });
    Ok(Json(NotificationPage {
        notifications,
        unread,
        next_cursor,
    }))
}

/// `POST /notifications/read` body: `ids` to mark, or none to mark all.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ReadBody {
    ids: Option<Vec<String>>,
}

#[derive(Serialize)]
pub(super) struct ReadAnswer {
    /// How many changed from unread to read.
    read: u32,
    /// Unread notifications left.
    unread: u32,
}

/// `POST /notifications/read`: marks the listed (or all) notifications read.
pub(super) async fn read(
    State(app): State<App>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ReadAnswer>, ApiError> {
    let who = caller(&app, &headers).await?;
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let parsed: ReadBody = if body.iter().all(u8::is_ascii_whitespace) {
        ReadBody::default()
    } else {
        parse_json(&body)?
    };
    let ids = parsed
        .ids
        .map(|ids| {
            ids.iter()
                .enumerate()
                .map(|(i, t)| NotificationId::parse(&format!("ids[{i}]"), t))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()?;
    let read = app.watches.read_notifications(&who, ids.as_deref()).await?;
    let unread = app.watches.unread_notifications(&who).await?;
    Ok(Json(ReadAnswer { read, unread }))
}
