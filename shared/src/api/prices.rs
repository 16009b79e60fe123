//! `GET /prices/insight` (today's price against comparable history) and
//! `GET /prices/series` (the observations of one route, date and cabin).
//! Both read the route through the one search parser.

use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

use super::ApiError;
use super::input::QueryParams;
use crate::app::App;
use crate::domain::FieldError;
use crate::prices::{FareObservation, Insight, RouteKey};
use crate::search::{RawSearch, SearchQuery, Surface, parse_date};

/// How far back a series goes by default: the comparable-history window.
const DEFAULT_SERIES_DAYS: u64 = 120;

const ROUTE_PARAMS: &[&str] = &[
    "origin",
    "destination",
    "departure",
    "return",
    "cabin",
    "adults",
    "currency",
    "from",
    "to",
];

#[derive(Serialize)]
pub(super) struct InsightAnswer {
    query: SearchQuery,
    /// `null` when the route has no offers on that date.
    insight: Option<Insight>,
}

fn route_query(p: &mut QueryParams, app: &App) -> Result<SearchQuery, ApiError> {
    let mut search = RawSearch::trip(
        &p.take("origin").unwrap_or_default(),
        &p.take("destination").unwrap_or_default(),
        &p.take("departure").unwrap_or_default(),
        p.take("return").as_deref(),
    );
    search.cabin = p.take("cabin");
    search.adults = p.take("adults");
    search.currency = p.take("currency");
    search
        .parse((app.clock)())
        .map_err(|e| Surface::Get.rename(e).into())
}

/// `GET /prices/insight?origin=GRU&destination=LIS&departure=2027-03-10&cabin=economy`
pub(super) async fn insight(
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> Result<Json<InsightAnswer>, ApiError> {
    let mut p = QueryParams::parse(raw.as_deref(), &ROUTE_PARAMS[..7])?;
    let query = route_query(&mut p, &app)?;
    let results = app.search.search(&query, (app.clock)()).await;
    Ok(Json(InsightAnswer {
        query,
        insight: results.insight,
    }))
}

#[derive(Serialize)]
pub(super) struct SeriesAnswer {
    route: RouteKey,
    observations: Vec<FareObservation>,
}

/// `GET /prices/series?origin=GRU&destination=LIS&departure=2027-03-10&from=2026-10-01&to=2026-11-30`:
/// observations of that route, departure and cabin made between the two
/// days (default: the last 120 days), oldest first.
pub(super) async fn series(
    State(app): State<App>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SeriesAnswer>, ApiError> {
    let mut p = QueryParams::parse(raw.as_deref(), ROUTE_PARAMS)?;
    let now = (app.clock)();
    let day = |name: &str, text: Option<String>, default: NaiveDate| {
        text.map_or(Ok(default), |t| parse_date(&t).map_err(|e| e.renamed(name)))
    };
    let today = now.date_naive();
    let from = day(
        "from",
        p.take("from"),
        today - Days::new(DEFAULT_SERIES_DAYS),
    )?;
    let to = day("to", p.take("to"), today)?;
    if to < from {
        return Err(FieldError::new("to", format!("{to} is before from {from}")).into());
    }
    let query = route_query(&mut p, &app)?;
    let route = RouteKey::of(&query)
        .ok_or_else(|| FieldError::new("departure", "a series is for one route"))?;
    let history = app.search.price_history().ok_or_else(|| {
        ApiError::Unavailable("price history is off (PRICE_HISTORY=off)".to_owned())
    })?;
    let observations = history
        .series(&route, start(from), start(to + Days::new(1)))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "price history unavailable");
            ApiError::Unavailable("price history is unavailable; try again shortly".to_owned())
        })?;
    Ok(Json(SeriesAnswer {
        route,
        observations,
    }))
}

fn start(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}
