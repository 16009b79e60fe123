//! `GET /search` (query string: one-way and round trip) and `POST /search`
//! (JSON: multi-city too). Both become a [`RawSearch`] and go through its one
//! parser, or answer 400 naming the field as this client sent it.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::input::{QueryParams, parse_json};
use super::{ApiError, MAX_BODY_BYTES};
use crate::app::App;
use crate::domain::FieldError;
use crate::fares::SearchResults;
use crate::search::{RawLeg, RawSearch, SearchQuery, Surface};

/// The answer: the query as understood, then the results.
#[derive(Serialize)]
pub(super) struct SearchResponse {
    query: SearchQuery,
    #[serde(flatten)]
    results: SearchResults,
}

/// `GET /search?origin=SAO&destination=LIS&departure=2027-03-10&return=2027-03-24&adults=2`
pub(super) async fn get(
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchResponse>, ApiError> {
    let query = parse_query_string(raw.as_deref(), (app.clock)())?;
    Ok(Json(run(&app, query).await))
}

/// `POST /search` with a JSON body (see [`SearchBody`]).
pub(super) async fn post(
    State(app): State<App>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let body = body.map_err(|_| ApiError::PayloadTooLarge(MAX_BODY_BYTES))?;
    let query = parse_body(&body, (app.clock)())?;
    Ok(Json(run(&app, query).await))
}

async fn run(app: &App, query: SearchQuery) -> SearchResponse {
    let leg = &query.legs()[0];
    tracing::info!(
        fare.origin = %leg.origin.code(),
        fare.destination = %leg.destination.code(),
        fare.legs = query.legs().len(),
        "search"
    );
    let results = app.search.search(&query, (app.clock)()).await;
    SearchResponse { query, results }
}

const GET_PARAMS: &[&str] = &[
    "origin",
    "destination",
    "departure",
    "return",
    "adults",
    "children",
    "infants",
    "cabin",
    "max_stops",
    "currency",
    "sort",
    "carriers",
    "max_price",
    "depart_after",
    "depart_before",
    "limit",
    "departure_from",
    "departure_to",
    "departure_days",
    "trip_days",
    "trip_days_min",
    "trip_days_max",
    "other_origins",
    "origin_radius_km",
];

/// The query string as a [`RawSearch`]: a one-way or round trip, as of `now`.
pub(crate) fn parse_query_string(
    raw: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SearchQuery, ApiError> {
    let mut p = QueryParams::parse(raw, GET_PARAMS)?;
    let mut search = RawSearch::trip(
        &p.take("origin").unwrap_or_default(),
        &p.take("destination").unwrap_or_default(),
        &p.take("departure").unwrap_or_default(),
        p.take("return").as_deref(),
    );
    search.adults = p.take("adults");
    search.children = p.take("children");
    search.infants = p.take("infants");
    search.cabin = p.take("cabin");
    search.max_stops = p.take("max_stops");
    search.currency = p.take("currency");
    search.sort = p.take("sort");
    search.carriers = list(p.take("carriers"));
    search.max_price = p.take("max_price");
    search.depart_after = p.take("depart_after");
    search.depart_before = p.take("depart_before");
    search.limit = p.take("limit");
    search.departure_from = p.take("departure_from");
    search.departure_to = p.take("departure_to");
    search.departure_days = p.take("departure_days");
    search.trip_days = p.take("trip_days");
    search.trip_days_min = p.take("trip_days_min");
    search.trip_days_max = p.take("trip_days_max");
    search.other_origins = list(p.take("other_origins"));
    search.origin_radius_km = p.take("origin_radius_km");
    search.parse(now).map_err(|e| Surface::Get.rename(e).into())
}

/// A comma-separated parameter as its items.
fn list(text: Option<String>) -> Vec<String> {
    text.map(|t| t.split(',').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// A `POST /search` body as a query, as of `now`.
pub(crate) fn parse_body(body: &[u8], now: DateTime<Utc>) -> Result<SearchQuery, ApiError> {
    let parsed: SearchBody = parse_json(body)?;
    Ok(parsed.into_query(now)?)
}

/// `POST /search` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SearchBody {
    legs: Vec<LegBody>,
    #[serde(default)]
    passengers: PassengersBody,
    cabin: Option<String>,
    max_stops: Option<Scalar>,
    currency: Option<String>,
    sort: Option<String>,
    #[serde(default)]
    filters: FiltersBody,
    limit: Option<Scalar>,
    departure_window: Option<WindowBody>,
    trip_days: Option<Scalar>,
    trip_days_min: Option<Scalar>,
    trip_days_max: Option<Scalar>,
    #[serde(default)]
    other_origins: Vec<String>,
    origin_radius_km: Option<Scalar>,
}

/// `departure_window`: a flexible search's first and last departure days.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WindowBody {
    from: Option<String>,
    to: Option<String>,
    shape: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegBody {
    origin: Option<String>,
    destination: Option<String>,
    date: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PassengersBody {
    adults: Option<Scalar>,
    children: Option<Scalar>,
    infants: Option<Scalar>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FiltersBody {
    #[serde(default)]
    carriers: Vec<String>,
    max_price: Option<Scalar>,
    depart_after: Option<String>,
    depart_before: Option<String>,
}

/// A number sent as a JSON number or a string, kept as its text so the
/// search parser applies one rule to both (and to query strings).
#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum Scalar {
    /// `2`, `4294967295`, `-1`, `3000.5`.
    Number(serde_json::Number),
    /// `"2"`, `"3000"`.
    Text(String),
}

impl Scalar {
    /// The value as text.
    pub(crate) fn into_text(self) -> String {
        match self {
            Self::Number(n) => n.to_string(),
            Self::Text(t) => t,
        }
    }
}

fn text(value: Option<Scalar>) -> Option<String> {
    value.map(Scalar::into_text)
}

impl SearchBody {
    fn into_query(self, now: DateTime<Utc>) -> Result<SearchQuery, FieldError> {
        let (departure_from, departure_to, departure_days) = self
            .departure_window
            .map(|w| (w.from, w.to, w.shape))
            .unwrap_or_default();
        let raw = RawSearch {
            legs: self
                .legs
                .into_iter()
                .map(|l| RawLeg {
                    origin: l.origin,
                    destination: l.destination,
                    date: l.date,
                })
                .collect(),
            adults: text(self.passengers.adults),
            children: text(self.passengers.children),
            infants: text(self.passengers.infants),
            cabin: self.cabin,
            max_stops: text(self.max_stops),
            currency: self.currency,
            sort: self.sort,
            carriers: self.filters.carriers,
            max_price: text(self.filters.max_price),
            depart_after: self.filters.depart_after,
            depart_before: self.filters.depart_before,
            limit: text(self.limit),
            departure_from,
            departure_to,
            departure_days,
            trip_days: text(self.trip_days),
            trip_days_min: text(self.trip_days_min),
            trip_days_max: text(self.trip_days_max),
            other_origins: self.other_origins,
            origin_radius_km: text(self.origin_radius_km),
        };
        raw.parse(now)
    }
}
