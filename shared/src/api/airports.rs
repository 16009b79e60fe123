use axum::Json;
use axum::extract::RawQuery;
use serde::Serialize;

use super::ApiError;
use super::input::QueryParams;
use crate::domain::FieldError;
use crate::places::{self, Place};

/// Default number of suggestions: what fits in a dropdown.
const DEFAULT_LIMIT: usize = 10;
/// Most suggestions per call.
const MAX_LIMIT: usize = 50;

/// One suggestion.
#[derive(Serialize)]
struct PlaceView {
    code: String,
    /// `airport` or `city` (a metropolitan area).
    kind: &'static str,
    name: &'static str,
    city: &'static str,
    country: &'static str,
    time_zone: String,
    /// The airports a city code stands for (the airport itself for an airport).
    airports: Vec<String>,
}

impl From<Place> for PlaceView {
    fn from(p: Place) -> Self {
        Self {
            code: p.code().to_string(),
            kind: match p {
                Place::Airport(_) => "airport",
                Place::Metro(_) => "city",
            },
            name: p.name(),
            city: p.city(),
            country: p.country(),
            time_zone: p.time_zone().name().to_owned(),
            airports: p.airports().iter().map(|a| a.code.to_string()).collect(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct Suggestions {
    places: Vec<PlaceView>,
}

/// `GET /airports?q=lisb&limit=10`: ranked autocomplete.
pub(super) async fn get(RawQuery(raw): RawQuery) -> Result<Json<Suggestions>, ApiError> {
    let mut params = QueryParams::parse(raw.as_deref(), &["q", "limit"])?;
    let q = params
        .take("q")
        .ok_or_else(|| FieldError::new("q", "is required"))?;
    if q.trim().is_empty() {
        return Err(FieldError::new("q", "must not be empty").into());
    }
    if q.chars().count() > 100 {
        return Err(FieldError::new("q", "at most 100 characters").into());
    }
    let limit = match params.take("limit") {
        None => DEFAULT_LIMIT,
        Some(text) => super::input::parse_count("limit", &text, 1, MAX_LIMIT as u32)? as usize,
    };
    let places = places::suggest(&q, limit)
        .into_iter()
        .map(PlaceView::from)
        .collect();
    Ok(Json(Suggestions { places }))
}
